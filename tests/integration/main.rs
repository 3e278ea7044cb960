//! Integration tests: one binary with shared helpers, as ripgrep does.

mod util;

mod cli_import;
mod cli_stats;
mod cli_suggest;
mod cli_validate;
mod crash;
mod doc_labels_cli;
mod edits;
mod export_stream;
mod golden;
mod hostile_disk;
mod hostile_fuzz;
mod hostile_input;
mod hostile_interchange;
#[cfg(target_os = "linux")]
mod hostile_memory;
mod hostile_project;
mod interchange_cli;
mod interchange_import;
mod interchange_python;
mod interchange_roundtrip;
mod save;
mod workflow;
mod workflow_git;
mod workflow_python;
mod workflow_rejections;
mod workflow_review;

#[cfg(feature = "gui")]
mod gui;
#[cfg(feature = "gui")]
mod gui_analysis;
#[cfg(feature = "gui")]
mod gui_doc_labels;
#[cfg(feature = "gui")]
mod gui_rtl;
#[cfg(feature = "gui")]
mod gui_save_failure;
#[cfg(feature = "gui")]
mod gui_suggest;
#[cfg(feature = "gui")]
mod gui_util;
#[cfg(feature = "gui")]
mod gui_windows;

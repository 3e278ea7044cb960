//! Integration tests: one binary with shared helpers, as ripgrep does.

mod util;

mod cli_import;
mod cli_stats;
mod cli_validate;
mod crash;
mod edits;
mod golden;
mod hostile_disk;
mod hostile_fuzz;
mod hostile_input;
mod hostile_project;
mod interchange_cli;
mod interchange_import;
mod interchange_python;
mod interchange_roundtrip;
mod save;
mod workflow;
mod workflow_git;
mod workflow_python;
mod workflow_review;

#[cfg(feature = "gui")]
mod gui;

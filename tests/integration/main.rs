//! Integration tests: one binary with shared helpers, as ripgrep does.

mod util;

#[cfg(feature = "gui")]
mod gui;

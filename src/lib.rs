//! Gloss: label spans in article text and turn them into training data.
//!
//! Layers, each using only those above it: [`model`] (data and rules) → [`store`] (the RON
//! project file) → [`formats`] (article import) → [`analysis`] (statistics) → [`cli`] and the GUI.

// Issue 5: no `unwrap`, `expect` or unchecked indexing outside tests. Where an index is in range
// by construction, the `allow` says why.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::string_slice))]

pub mod analysis;
pub mod cli;
pub mod formats;
#[cfg(feature = "gui")]
pub mod gui;
pub mod model;
pub mod store;

//! Gloss: label spans in article text and turn them into training data.
//!
//! Layers, each using only those above it: [`model`] (data and rules) → [`store`] (the RON
//! project file) → [`formats`] (article import) → [`analysis`] (statistics) → [`cli`] and the GUI.

pub mod analysis;
pub mod cli;
pub mod formats;
#[cfg(feature = "gui")]
pub mod gui;
pub mod model;
pub mod store;

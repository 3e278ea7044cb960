//! Layer 3, formats: reading articles (plain text in any common encoding, saved HTML pages,
//! Markdown) and importing them into a project as documents.
//!
//! [`read_article`] turns one file's bytes into an [`Article`] (title and text); [`import_paths`]
//! adds files and folders to a [`crate::model::Project`], all or nothing.

#![warn(missing_docs)]
// The readers take files from anyone: no `unwrap`, `expect` or unchecked indexing on what they
// read (issue 5). Each `allow` below names why its index is in range.

#[cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing))]
pub mod annotated;
mod article;
#[cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing))]
mod blocks;
#[cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing))]
mod decode;
#[cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing))]
mod detect;
pub mod export;
#[cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing))]
mod html;
#[cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing))]
mod html_charset;
#[cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing))]
mod html_nesting;
#[cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing))]
mod html_text;
mod import;
#[cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing))]
mod markdown;
#[cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing))]
mod read;
mod text;

pub use article::{
    Article, ArticleError, ArticleFormat, MAX_ARTICLE_BYTES, ReadOptions, UnknownEncoding, UnknownFormat,
    encoding_for_label,
};
pub use detect::{detect_format, format_by_extension};
pub use import::{
    ImportError, ImportOptions, ImportReport, Imported, Skipped, import_paths, import_paths_with_progress,
};
pub use read::read_article;

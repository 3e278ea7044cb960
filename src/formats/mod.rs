//! Layer 3, formats: reading articles (plain text in any common encoding, saved HTML pages,
//! Markdown) and importing them into a project as documents.
//!
//! [`read_article`] turns one file's bytes into an [`Article`] (title and text); [`import_paths`]
//! adds files and folders to a [`crate::model::Project`], all or nothing.

#![warn(missing_docs)]
// The readers take files from anyone: like the whole crate (see lib.rs), they have no `unwrap`,
// `expect` or unchecked indexing on what they read (issue 5).

pub mod annotated;
mod article;
mod blocks;
mod decode;
mod detect;
pub mod export;
mod html;
mod html_charset;
mod html_nesting;
mod html_text;
mod import;
mod markdown;
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

//! Reading one article from its bytes: size check, format detection, decoding, extraction.

use std::path::Path;

use super::article::{Article, ArticleError, ArticleFormat, MAX_ARTICLE_BYTES, ReadOptions};
use super::decode::decode;
use super::detect::detect_format;
use super::html::read_html;
use super::html_charset::declared_charset;
use super::markdown::read_markdown;
use super::text::read_text;

/// Reads one article from its bytes. `name` (the file name or path) picks the format by its
/// extension when `opts.format` is `None`, and its stem is the title when the content has none.
///
/// Refuses files over [`MAX_ARTICLE_BYTES`], binary files, undecodable bytes, and files with no
/// text ([`ArticleError::Empty`], which an import reports as skipped rather than failed).
pub fn read_article(name: &str, bytes: &[u8], opts: &ReadOptions) -> Result<Article, ArticleError> {
    let size = bytes.len() as u64;
    if size > MAX_ARTICLE_BYTES {
        return Err(ArticleError::TooLarge { size, limit: MAX_ARTICLE_BYTES });
    }
    let format = opts.format.unwrap_or_else(|| detect_format(name, bytes));
    let declared = if format == ArticleFormat::Html { declared_charset(bytes) } else { None };
    let decoded = decode(bytes, opts.encoding, declared)?;
    let stem = file_stem(name);
    match format {
        ArticleFormat::Text => read_text(decoded, &stem),
        ArticleFormat::Html => read_html(decoded, &stem),
        ArticleFormat::Markdown => read_markdown(decoded, &stem),
    }
}

/// "articles/harbour.html" → "harbour"; the whole name when it has no stem.
pub(crate) fn file_stem(name: &str) -> String {
    Path::new(name)
        .file_stem()
        .map(|stem| stem.to_string_lossy().into_owned())
        .filter(|stem| !stem.trim().is_empty())
        .unwrap_or_else(|| name.to_owned())
}

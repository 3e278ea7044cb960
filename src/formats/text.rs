//! Plain text articles: the decoded text as it is, apart from line endings.

use super::article::{Article, ArticleError, ArticleFormat};
use super::decode::Decoded;

/// A plain text article. The text is kept exactly as decoded (no trimming, no Unicode
/// normalisation; only the byte order mark is gone and line endings are `\n`); the title is
/// `fallback_title` (the file stem).
pub(crate) fn read_text(decoded: Decoded, fallback_title: &str) -> Result<Article, ArticleError> {
    if decoded.text.trim().is_empty() {
        return Err(ArticleError::Empty);
    }
    Ok(Article {
        title: fallback_title.to_owned(),
        text: decoded.text,
        format: ArticleFormat::Text,
        encoding: decoded.encoding.name(),
        warnings: decoded.warnings,
    })
}

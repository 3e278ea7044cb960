//! The result of reading one article file, the options that steer it, and what can go wrong.

use std::fmt;
use std::str::FromStr;

/// The largest article file Gloss reads: 256 MiB. Larger files are refused with
/// [`ArticleError::TooLarge`] before they are decoded, so a wrong file cannot exhaust memory.
pub const MAX_ARTICLE_BYTES: u64 = 256 * 1024 * 1024;

/// The markup an article file is written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ArticleFormat {
    /// Plain text, kept as it is apart from line endings.
    Text,
    /// A saved web page: the main content is extracted.
    Html,
    /// Markdown: the text without its markup.
    Markdown,
}

impl ArticleFormat {
    /// All formats, in the order they are listed to people.
    pub const ALL: [ArticleFormat; 3] = [ArticleFormat::Text, ArticleFormat::Html, ArticleFormat::Markdown];

    /// Lower-case name, as accepted by [`FromStr`] and recorded in a document's `meta["format"]`.
    pub fn name(self) -> &'static str {
        match self {
            ArticleFormat::Text => "text",
            ArticleFormat::Html => "html",
            ArticleFormat::Markdown => "markdown",
        }
    }
}

impl fmt::Display for ArticleFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A format name that is not one of `text`, `txt`, `html`, `htm`, `markdown` or `md`.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown article format {0:?} (expected text, html or markdown)")]
pub struct UnknownFormat(pub String);

impl FromStr for ArticleFormat {
    type Err = UnknownFormat;

    /// Parses `text`/`txt`, `html`/`htm`, `markdown`/`md`, in any case.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "text" | "txt" | "plain" => Ok(ArticleFormat::Text),
            "html" | "htm" => Ok(ArticleFormat::Html),
            "markdown" | "md" => Ok(ArticleFormat::Markdown),
            _ => Err(UnknownFormat(s.to_owned())),
        }
    }
}

/// An encoding label that the WHATWG Encoding Standard does not know.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown encoding {0:?} (use a label such as utf-8, utf-16le, windows-1252 or iso-8859-2)")]
pub struct UnknownEncoding(pub String);

/// The encoding named by `label` ("utf-8", "latin1", "windows-1252", "utf-16be"...), as the
/// [`ReadOptions::encoding`] override expects it.
pub fn encoding_for_label(label: &str) -> Result<&'static encoding_rs::Encoding, UnknownEncoding> {
    encoding_rs::Encoding::for_label(label.trim().as_bytes()).ok_or_else(|| UnknownEncoding(label.to_owned()))
}

/// One article read from a file: its title and the text to annotate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Article {
    /// The title: the page's title (HTML), the first heading (Markdown) or the file stem.
    pub title: String,
    /// The text to annotate, with `\n` line endings and no byte order mark.
    pub text: String,
    /// The format the file was read as.
    pub format: ArticleFormat,
    /// The encoding the bytes were decoded from, by its WHATWG name ("UTF-8", "UTF-16LE",
    /// "windows-1252"...).
    pub encoding: &'static str,
    /// Things the reader should know but that did not stop the reading (a forced encoding that
    /// produced replacement characters, a truncated last character...).
    pub warnings: Vec<String>,
}

/// How to read an article; the default detects everything.
#[derive(Clone, Copy, Debug, Default)]
pub struct ReadOptions {
    /// The format to read the file as; `None` detects it from the name and the content.
    pub format: Option<ArticleFormat>,
    /// The encoding to decode the bytes with; `None` detects it (byte order mark, HTML
    /// `<meta charset>`, UTF-8 validity, then statistical detection).
    pub encoding: Option<&'static encoding_rs::Encoding>,
}

/// Why an article file could not be read.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ArticleError {
    /// The bytes are not text: an image, a PDF, an archive, a program...
    #[error("looks like a binary file ({reason}), not an article")]
    Binary {
        /// What gave it away ("a PNG image", "NUL bytes at byte 12").
        reason: String,
    },
    /// The file is over [`MAX_ARTICLE_BYTES`].
    #[error("file is too large: {}", crate::store::over_limit(*.size, *.limit, *.at_least))]
    TooLarge {
        /// Size of the file in bytes, or (with `at_least`) the bytes read before reading stopped.
        size: u64,
        /// The limit in bytes.
        limit: u64,
        /// Reading stopped at the limit: the file holds `size` bytes or more (it grew while it
        /// was read, or its size was not known).
        at_least: bool,
    },
    /// The file holds no text, or only whitespace (a file of only a byte order mark included).
    #[error("empty file, nothing to annotate")]
    Empty,
    /// The bytes are not valid in the encoding they were detected as.
    #[error(
        "cannot decode the text as {encoding}: {malformed} of {chars} characters are malformed \
         (try another encoding)"
    )]
    Undecodable {
        /// The encoding tried.
        encoding: &'static str,
        /// Number of malformed byte sequences.
        malformed: usize,
        /// Number of characters decoded.
        chars: usize,
    },
    /// The HTML could not be turned into text.
    #[error("cannot extract the article from the HTML: {reason}")]
    Html {
        /// What went wrong.
        reason: String,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_names_round_trip() {
        for format in ArticleFormat::ALL {
            assert_eq!(format.name().parse::<ArticleFormat>(), Ok(format));
        }
        assert_eq!("TXT".parse::<ArticleFormat>(), Ok(ArticleFormat::Text));
        assert_eq!("md".parse::<ArticleFormat>(), Ok(ArticleFormat::Markdown));
        assert_eq!("htm".parse::<ArticleFormat>(), Ok(ArticleFormat::Html));
        let err = "pdf".parse::<ArticleFormat>().unwrap_err();
        assert_eq!(err.to_string(), "unknown article format \"pdf\" (expected text, html or markdown)");
    }

    #[test]
    fn encoding_labels() {
        assert_eq!(encoding_for_label("latin1").unwrap().name(), "windows-1252");
        assert_eq!(encoding_for_label(" UTF-16LE ").unwrap().name(), "UTF-16LE");
        assert!(encoding_for_label("klingon").is_err());
    }

    #[test]
    fn messages_are_human() {
        let e = ArticleError::Binary { reason: "NUL bytes at byte 12".into() };
        assert_eq!(e.to_string(), "looks like a binary file (NUL bytes at byte 12), not an article");
        let e = ArticleError::TooLarge { size: 300 * 1024 * 1024, limit: MAX_ARTICLE_BYTES, at_least: false };
        assert_eq!(e.to_string(), "file is too large: 300 MiB, over the limit of 256 MiB");
        // Reading stopped one byte past the limit: how much more there is, nobody knows.
        let e = ArticleError::TooLarge { size: MAX_ARTICLE_BYTES + 1, limit: MAX_ARTICLE_BYTES, at_least: true };
        assert_eq!(e.to_string(), "file is too large: over the limit of 256 MiB");
        assert_eq!(ArticleError::Empty.to_string(), "empty file, nothing to annotate");
    }
}

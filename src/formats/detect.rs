//! Telling what a file is before reading it: its format (by name, then by content) and whether it
//! is text at all.

use std::path::Path;

use super::article::{ArticleError, ArticleFormat};

/// How many leading bytes are looked at when sniffing for HTML.
const SNIFF_BYTES: usize = 1024;

/// The format of a file named `name` with content `bytes`: by extension (`.txt .text` → text,
/// `.html .htm .xhtml` → HTML, `.md .markdown` → Markdown), else HTML if `<!doctype html` or
/// `<html` appears near the start, else plain text.
pub fn detect_format(name: &str, bytes: &[u8]) -> ArticleFormat {
    format_by_extension(name).unwrap_or_else(|| sniff_format(bytes))
}

/// The format named by the file's extension, if it names one.
pub fn format_by_extension(name: &str) -> Option<ArticleFormat> {
    let ext = Path::new(name).extension()?.to_str()?.to_ascii_lowercase();
    match ext.as_str() {
        "txt" | "text" => Some(ArticleFormat::Text),
        "html" | "htm" | "xhtml" => Some(ArticleFormat::Html),
        "md" | "markdown" => Some(ArticleFormat::Markdown),
        _ => None,
    }
}

/// HTML if the content starts (after a byte order mark, whitespace, comments such as a saved
/// page's `<!-- saved from url=... -->`, and an XML declaration) with `<!doctype html`, `<html`,
/// `<head` or `<body`, within the first kilobyte; else text. UTF-16 content is sniffed too.
fn sniff_format(bytes: &[u8]) -> ArticleFormat {
    let head = bytes.get(..SNIFF_BYTES * 2).unwrap_or(bytes);
    // UTF-16 pages have a NUL byte beside every ASCII one; dropping NULs makes them sniffable.
    let ascii: Vec<u8> = head.iter().filter(|&&b| b != 0).take(SNIFF_BYTES).map(u8::to_ascii_lowercase).collect();
    let mut rest = ascii.as_slice();
    for bom in [&b"\xef\xbb\xbf"[..], b"\xff\xfe", b"\xfe\xff"] {
        rest = rest.strip_prefix(bom).unwrap_or(rest);
    }
    loop {
        rest = rest.trim_ascii_start();
        let skip_to = |end: &[u8]| rest.windows(end.len()).position(|w| w == end).map(|at| at + end.len());
        let skipped = if rest.starts_with(b"<!--") {
            skip_to(b"-->")
        } else if rest.starts_with(b"<?xml") {
            skip_to(b"?>")
        } else {
            break;
        };
        match skipped {
            Some(after) => rest = rest.get(after..).unwrap_or_default(),
            None => return ArticleFormat::Text,
        }
    }
    let html = [&b"<!doctype html"[..], b"<html", b"<head", b"<body"].iter().any(|start| {
        rest.starts_with(start) && rest.get(start.len()).is_none_or(|b| b.is_ascii_whitespace() || *b == b'>')
    });
    if html { ArticleFormat::Html } else { ArticleFormat::Text }
}

/// How much decoded text [`check_binary_text`] looks at.
const BINARY_SAMPLE_BYTES: usize = 1024 * 1024;

/// File signatures of binary formats people are likely to drop into an import by mistake.
const MAGIC: &[(&[u8], &str)] = &[
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"%PDF-", "a PDF document; convert it to text first"),
    (b"PK\x03\x04", "a ZIP archive, or a Word/OpenDocument file; save it as text first"),
    (b"PK\x05\x06", "an empty ZIP archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Microsoft Office document; save it as text first"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"\x7fELF", "an executable (ELF)"),
    (b"MZ", "a Windows executable"),
    (b"\xca\xfe\xba\xbe", "a Java class or macOS executable"),
    (b"\xcf\xfa\xed\xfe", "a macOS executable"),
    (b"ID3", "an MP3 audio file"),
    (b"OggS", "an Ogg media file"),
    (b"\x00\x00\x01\x00", "an icon"),
    (b"SQLite format 3\x00", "an SQLite database"),
    (b"{\\rtf", "an RTF document; save it as plain text first"),
];

/// The kind of binary file `bytes` starts like, if it carries a known signature.
pub(crate) fn binary_signature(bytes: &[u8]) -> Option<&'static str> {
    // "MZ" is two letters a text could start with; a real executable has NULs soon after it.
    if bytes.starts_with(b"MZ") && !bytes.get(..64).unwrap_or(bytes).contains(&0) {
        return None;
    }
    // RIFF covers WAV, AVI and WebP; "RIFF" alone could start a text, the form type cannot.
    if bytes.starts_with(b"RIFF") && matches!(bytes.get(8..12), Some(b"WAVE" | b"AVI " | b"WEBP")) {
        return Some("a RIFF media file (WAV, AVI or WebP)");
    }
    MAGIC.iter().find(|(magic, _)| bytes.starts_with(magic)).map(|&(_, what)| what)
}

/// Refuses bytes that carry a binary file signature, or (unless the text is UTF-16) any NUL byte.
pub(crate) fn check_binary_bytes(bytes: &[u8], utf16: bool) -> Result<(), ArticleError> {
    if let Some(what) = binary_signature(bytes) {
        return Err(ArticleError::Binary { reason: what.to_owned() });
    }
    // `contains` is a fast memchr; the position is only looked for when there is one.
    if !utf16 && bytes.contains(&0) {
        let at = bytes.iter().position(|&b| b == 0).unwrap_or(0);
        return Err(ArticleError::Binary { reason: format!("NUL bytes at byte {at}") });
    }
    Ok(())
}

/// Refuses decoded text in which control characters are more than one in a hundred (at least
/// two of them) or more than one in twenty: a binary file that happened to have no NUL byte,
/// decoded as some legacy encoding. Random bytes hold about one control character in nine.
/// Only the first [`BINARY_SAMPLE_BYTES`] are looked at: a binary file shows at once.
pub(crate) fn check_binary_text(text: &str) -> Result<(), ArticleError> {
    // Counted on the UTF-8 bytes: C0 controls and DEL are single bytes, C1 controls are 0xC2
    // followed by 0x80..=0x9F, and every byte that is not a continuation byte starts a character.
    let bytes = text.as_bytes().get(..BINARY_SAMPLE_BYTES).unwrap_or(text.as_bytes());
    let mut chars = 0usize;
    let mut controls = 0usize;
    let mut first = None;
    for (i, &byte) in bytes.iter().enumerate() {
        if (byte as i8) < -0x40 {
            continue;
        }
        let control = match byte {
            b'\t' | b'\n' | b'\r' | 0x0b | 0x0c => false,
            0x00..=0x1f | 0x7f => true,
            0xc2 => bytes.get(i + 1).is_some_and(|next| (0x80..=0x9f).contains(next)),
            _ => false,
        };
        if control {
            first.get_or_insert(chars);
            controls += 1;
        }
        chars += 1;
    }
    if (controls >= 2 && controls * 100 > chars) || controls * 20 > chars {
        let percent = controls * 100 / chars.max(1);
        let at = first.unwrap_or(0);
        return Err(ArticleError::Binary {
            reason: format!("{controls} control characters in {chars} ({percent}%), the first at character {at}"),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_by_name_then_content() {
        assert_eq!(detect_format("a.TXT", b"<html>"), ArticleFormat::Text);
        assert_eq!(detect_format("dir/a.text", b""), ArticleFormat::Text);
        assert_eq!(detect_format("a.htm", b"hello"), ArticleFormat::Html);
        assert_eq!(detect_format("a.xhtml", b"hello"), ArticleFormat::Html);
        assert_eq!(detect_format("a.Markdown", b"# x"), ArticleFormat::Markdown);
        assert_eq!(detect_format("a.md", b"# x"), ArticleFormat::Markdown);
        assert_eq!(detect_format("page", b"\n  <!DOCTYPE html><p>x"), ArticleFormat::Html);
        assert_eq!(detect_format("page.dat", b"\xef\xbb\xbf<!-- saved --><HTML lang=en>"), ArticleFormat::Html);
        assert_eq!(detect_format("notes", b"just some words about <b>"), ArticleFormat::Text);
        assert_eq!(detect_format("notes", b"Use the <html> element."), ArticleFormat::Text);
        assert_eq!(detect_format("notes", b"<htmlx>"), ArticleFormat::Text);
        assert_eq!(
            detect_format("page", b"<!-- saved from url=(0014)about:internet -->\r\n<html>"),
            ArticleFormat::Html
        );
        assert_eq!(detect_format("page", b"<?xml version='1.0'?>\n<!DOCTYPE html PUBLIC>"), ArticleFormat::Html);
        assert_eq!(detect_format("page", b"<body><p>x"), ArticleFormat::Html);
        assert_eq!(detect_format("page", b"<!-- never closed <html>"), ArticleFormat::Text);
        assert_eq!(detect_format("archive.tar.gz", b"plain"), ArticleFormat::Text);
        let utf16: Vec<u8> = "\u{feff}<html><body>x".encode_utf16().flat_map(u16::to_le_bytes).collect();
        assert_eq!(detect_format("page", &utf16), ArticleFormat::Html);
    }

    #[test]
    fn binary_signatures() {
        let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
        assert_eq!(check_binary_bytes(png, false), Err(ArticleError::Binary { reason: "a PNG image".into() }));
        assert!(check_binary_bytes(b"%PDF-1.7\n", false).is_err());
        assert!(check_binary_bytes(b"MZ\x90\0\x03\0\0\0", false).is_err());
        // Words that merely start like a signature are text.
        assert!(check_binary_bytes(b"MZ is a postcode prefix", false).is_ok());
        assert!(check_binary_bytes(b"RIFFs between the two parties widened", false).is_ok());
        assert!(check_binary_bytes(b"RIFF\x24\x08\0\0WAVEfmt ", false).is_err());
    }

    #[test]
    fn nul_bytes() {
        assert_eq!(
            check_binary_bytes(b"hello world\0!", false),
            Err(ArticleError::Binary { reason: "NUL bytes at byte 11".into() })
        );
        assert!(check_binary_bytes(b"h\0i\0", true).is_ok());
    }

    #[test]
    fn control_characters() {
        assert!(check_binary_text("Plain\ttext\r\nwith a form feed\u{c} and a vertical tab\u{b}.").is_ok());
        // One stray control character in a text is tolerated (DOS end-of-file marks).
        assert!(check_binary_text(&format!("{}\u{1a}", "word ".repeat(5))).is_ok());
        assert!(check_binary_text(&format!("\u{1b}{}\u{1a}", "word ".repeat(50))).is_ok());
        assert!(check_binary_text(&format!("\u{1b}{}\u{1a}", "word ".repeat(30))).is_err());
        let err = check_binary_text("ab\u{1}\u{2}\u{3}cd").unwrap_err();
        assert_eq!(
            err.to_string(),
            "looks like a binary file (3 control characters in 7 (42%), the first at character 2), not an article"
        );
        assert!(check_binary_text("x\u{85}\u{90}\u{9d}y").is_err());
        assert!(check_binary_text("Žluťoučký kůň — “ok” 🙂 \u{a0}\u{100}\u{17f}").is_ok());
    }
}

//! The encoding an HTML page declares for itself in a `<meta>` tag near its start.

use encoding_rs::{Encoding, REPLACEMENT, WINDOWS_1252, X_USER_DEFINED};

/// How many leading bytes are searched for a declaration (browsers look at 1024; saved pages
/// often put comments first, so a little more is searched).
const PRESCAN_BYTES: usize = 4096;

/// The encoding declared by `<meta charset="...">` or
/// `<meta http-equiv="Content-Type" content="text/html; charset=...">` in the first bytes of
/// the page, if the label is one the Encoding Standard knows. As browsers do, `x-user-defined`
/// means Windows-1252 and the "replacement" encoding is ignored.
pub(crate) fn declared_charset(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = bytes.get(..PRESCAN_BYTES).unwrap_or(bytes).to_ascii_lowercase();
    let mut from = 0;
    while let Some(at) = find(head.get(from..).unwrap_or_default(), b"<meta") {
        let start = from + at + b"<meta".len();
        let tag = head.get(start..).unwrap_or_default();
        let end = tag.iter().position(|&b| b == b'>').unwrap_or(tag.len());
        if let Some(encoding) = charset_in_tag(tag.get(..end).unwrap_or_default()) {
            return match encoding {
                e if e == X_USER_DEFINED => Some(WINDOWS_1252),
                e if e == REPLACEMENT => None,
                e => Some(e),
            };
        }
        from = start + end;
    }
    None
}

/// The encoding named by `charset=...` inside the attributes of one `<meta` tag.
fn charset_in_tag(tag: &[u8]) -> Option<&'static Encoding> {
    let at = find(tag, b"charset")?;
    let rest = tag.get(at + b"charset".len()..).unwrap_or_default().trim_ascii_start();
    let rest = rest.strip_prefix(b"=")?.trim_ascii_start();
    let rest = rest.strip_prefix(b"\"").or_else(|| rest.strip_prefix(b"'")).unwrap_or(rest);
    let len = rest
        .iter()
        .position(|&b| matches!(b, b'"' | b'\'' | b';' | b'/' | b'>') || b.is_ascii_whitespace())
        .unwrap_or(rest.len());
    Encoding::for_label(rest.get(..len).unwrap_or_default())
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|window| window == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(html: &str) -> Option<&'static str> {
        declared_charset(html.as_bytes()).map(Encoding::name)
    }

    #[test]
    fn meta_charset_forms() {
        assert_eq!(name(r#"<head><META CHARSET="ISO-8859-2"><title>x</title>"#), Some("ISO-8859-2"));
        assert_eq!(name("<meta charset=utf-8>"), Some("UTF-8"));
        assert_eq!(name("<meta charset = 'latin1' />"), Some("windows-1252"));
        assert_eq!(
            name(
                r#"<meta name="x" content="y"><meta http-equiv="Content-Type" content="text/html; charset=windows-1250">"#
            ),
            Some("windows-1250")
        );
        assert_eq!(name("<meta charset=x-user-defined>"), Some("windows-1252"));
        assert_eq!(name("<meta charset=nonsense><p>charset=utf-8"), None);
        assert_eq!(name("<p>no declaration</p>"), None);
        assert_eq!(name("<meta charset="), None);
    }
}

//! A guard against absurdly deep HTML: html5ever's tree builder and Readability do work
//! proportional to the nesting depth for every element, so 100,000 nested `<div>`s would take
//! many minutes. Tags nested deeper than a limit are dropped before parsing (their text stays).

use std::ops::Range;

/// Elements that never hold other elements, or whose end tag is implied by the next sibling:
/// they do not make the page deeper.
#[rustfmt::skip]
const NOT_NESTING: &[&[u8]] = &[
    b"area", b"base", b"br", b"col", b"colgroup", b"dd", b"dt", b"embed", b"hr", b"img", b"input",
    b"li", b"link", b"meta", b"optgroup", b"option", b"p", b"param", b"rb", b"rp", b"rt", b"source",
    b"tbody", b"td", b"tfoot", b"th", b"thead", b"tr", b"track", b"wbr",
];

/// Elements whose content is raw text: a `<` inside them is not a tag.
const RAW_TEXT: &[&[u8]] = &[b"script", b"style", b"textarea", b"title", b"xmp", b"iframe", b"noembed", b"noframes"];

/// The page with every tag nested deeper than `max` removed, or `None` when no tag is that deep
/// (the common case: nothing is copied). Depth is estimated from the tags alone, pairing each
/// end tag with the latest start tag; comments and raw text (scripts, styles) are skipped.
pub(crate) fn limit_nesting(html: &str, max: usize) -> Option<String> {
    let bytes = html.as_bytes();
    let mut drops: Vec<Range<usize>> = Vec::new();
    let mut depth = 0usize;
    let mut at = 0;
    while let Some(offset) = memchr(b'<', tail(bytes, at)) {
        let start = at + offset;
        let rest = tail(bytes, start);
        if rest.starts_with(b"<!--") {
            at = find(tail(bytes, start + 4), b"-->").map_or(bytes.len(), |e| start + 4 + e + 3);
            continue;
        }
        if rest.starts_with(b"<!") || rest.starts_with(b"<?") {
            at = memchr(b'>', rest).map_or(bytes.len(), |e| start + e + 1);
            continue;
        }
        let closing = rest.get(1) == Some(&b'/');
        let name_start = start + 1 + usize::from(closing);
        let name: Vec<u8> = tail(bytes, name_start).iter().take_while(|b| b.is_ascii_alphanumeric()).copied().collect();
        if !name.first().is_some_and(u8::is_ascii_alphabetic) {
            // A "<" that starts no tag ("a < b").
            at = start + 1;
            continue;
        }
        let end = tag_end(bytes, name_start + name.len());
        let name = name.to_ascii_lowercase();
        at = end;
        if NOT_NESTING.contains(&name.as_slice()) {
            continue;
        }
        if closing {
            if depth > max {
                drops.push(start..end);
            }
            depth = depth.saturating_sub(1);
            continue;
        }
        if bytes.get(..end).is_some_and(|b| b.ends_with(b"/>")) {
            continue;
        }
        depth += 1;
        if depth > max {
            drops.push(start..end);
        }
        if RAW_TEXT.contains(&name.as_slice()) {
            // Jump to the end tag, which the next round handles.
            let mut closer = b"</".to_vec();
            closer.extend_from_slice(&name);
            at = find_ascii_case_insensitive(tail(bytes, end), &closer).map_or(bytes.len(), |e| end + e);
        }
    }
    if drops.is_empty() {
        return None;
    }
    let mut out = String::with_capacity(html.len());
    let mut kept_from = 0;
    for drop in drops {
        // Tags start at '<' and end after '>': both are ASCII, so these are char boundaries.
        out.push_str(html.get(kept_from..drop.start).unwrap_or_default());
        kept_from = drop.end;
    }
    out.push_str(html.get(kept_from..).unwrap_or_default());
    Some(out)
}

/// The position just after the `>` that ends a tag whose attributes start at `from`, skipping
/// quoted attribute values; the end of the input if there is none.
fn tag_end(bytes: &[u8], from: usize) -> usize {
    let mut quote = None;
    for (i, &b) in tail(bytes, from).iter().enumerate() {
        match quote {
            Some(q) if b == q => quote = None,
            Some(_) => {}
            None if b == b'"' || b == b'\'' => quote = Some(b),
            None if b == b'>' => return from + i + 1,
            None => {}
        }
    }
    bytes.len()
}

/// The bytes from `at` on; empty past the end.
fn tail(bytes: &[u8], at: usize) -> &[u8] {
    bytes.get(at..).unwrap_or_default()
}

fn memchr(needle: u8, haystack: &[u8]) -> Option<usize> {
    haystack.iter().position(|&b| b == needle)
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn find_ascii_case_insensitive(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w.eq_ignore_ascii_case(needle))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shallow_pages_are_not_copied() {
        let html = "<html><body><div><p>a<br>b<p>c</div><script>if (a<b && c<d) {}</script></body></html>";
        assert_eq!(limit_nesting(html, 3), None);
        assert_eq!(limit_nesting("<!-- <div><div><div><div> --><div></div>", 1), None);
        assert_eq!(limit_nesting("<div title='a>b'><div/><div/></div>", 1), None);
    }

    #[test]
    fn deep_tags_are_dropped_and_their_text_kept() {
        let html = "<div><div><span>x</span><div>é</div></div></div>";
        assert_eq!(limit_nesting(html, 2).as_deref(), Some("<div><div>xé</div></div>"));
        assert_eq!(limit_nesting(html, 1).as_deref(), Some("<div>xé</div>"));
    }

    #[test]
    fn scripts_do_not_count() {
        let html = format!("<SCRIPT>{}</Script><div>text</div>", "x<y; ".repeat(1000));
        assert_eq!(limit_nesting(&html, 2), None);
    }

    #[test]
    fn hundred_thousand_nested_divs() {
        let n = 100_000;
        let html = format!("{}deep{}", "<div>".repeat(n), "</div>".repeat(n));
        let limited = limit_nesting(&html, 10).unwrap();
        assert_eq!(limited, format!("{}deep{}", "<div>".repeat(10), "</div>".repeat(10)));
    }

    #[test]
    fn broken_markup_does_not_panic() {
        for html in ["<", "</", "<div", "<div class='", "<!--", "<!doctype", "<script>", "<a\u{e9}>", "<é>"] {
            let _ = limit_nesting(html, 0);
        }
    }
}

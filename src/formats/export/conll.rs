//! CoNLL: one token per line (`token TAG`, one space between), a blank line after each sentence,
//! and `-DOCSTART- -X- -X- O` plus a blank line before each document, as in CoNLL-2003. Readers
//! take the first column as the token and the last as the tag. Tokens and sentences: see
//! [`super::tokens`].

use std::io::{self, Write};

use super::options::ExportOptions;
use super::tokens::{LeftOut, tag_document};
use crate::model::Document;

/// The line that starts each document.
pub const DOCSTART: &str = "-DOCSTART- -X- -X- O";

/// Writes one document; returns the spans the tags could not carry.
pub fn write_document(w: &mut impl Write, doc: &Document, opts: &ExportOptions) -> io::Result<LeftOut> {
    w.write_all(DOCSTART.as_bytes())?;
    w.write_all(b"\n\n")?;
    let text = doc.text.as_str().as_bytes();
    // Each sentence is built here and written at once.
    let mut lines: Vec<u8> = Vec::with_capacity(4096);
    tag_document(doc, opts, |tokens| {
        lines.clear();
        for token in tokens {
            push_token(&mut lines, text, token.byte, token.text.as_bytes());
            // Most tokens are outside every span: one short constant for their tag and line end.
            match token.tag_parts(opts.scheme) {
                ("O", _) => lines.extend_from_slice(b" O\n"),
                (prefix, label) => {
                    lines.push(b' ');
                    lines.extend_from_slice(prefix.as_bytes());
                    lines.extend_from_slice(label.as_bytes());
                    lines.push(b'\n');
                }
            }
        }
        lines.push(b'\n');
        w.write_all(&lines)
    })
}

/// Appends `token`, found at byte `at` of `text`. Most tokens are short words: one of up to eight
/// bytes is copied as the eight bytes at its place and cut back, a fixed-size move rather than a
/// call to copy a few bytes.
fn push_token(out: &mut Vec<u8>, text: &[u8], at: usize, token: &[u8]) {
    // Tokens come from `tag_document`, which takes each one from the text at its `byte`.
    debug_assert_eq!(text.get(at..at + token.len()), Some(token));
    let eight: Option<&[u8; 8]> = text.get(at..at.saturating_add(8)).and_then(|s| s.try_into().ok());
    match eight {
        Some(eight) if token.len() <= 8 => {
            out.extend_from_slice(eight);
            out.truncate(out.len() - (8 - token.len()));
        }
        _ => out.extend_from_slice(token),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Span;

    #[test]
    fn exact_output_by_hand() {
        // Code points: M0 i1 n2 i3 s4 t5 e6 r7 _8 A9 y10 ş11 e12 _13 s14 a15 i16 d17 “18 w19..
        // "will reopen" = 19..30; ” 30; . 31; \n 32; 😀 33; _34; ک35 ر36 ا37 چ38 ی39.
        let mut doc = Document::new("d1", "t", "Minister Ayşe said“will reopen”.\n😀 کراچی");
        doc.spans =
            vec![Span::new(1, 9, 13, "speaker"), Span::new(2, 19, 30, "claim"), Span::new(3, 35, 40, "location")];
        let mut out = Vec::new();
        write_document(&mut out, &doc, &ExportOptions::default()).unwrap();
        let expected = "-DOCSTART- -X- -X- O\n\n\
            Minister O\nAyşe B-speaker\nsaid O\n“ O\nwill B-claim\nreopen I-claim\n” O\n. O\n\n\
            😀 O\nکراچی B-location\n\n";
        assert_eq!(String::from_utf8(out).unwrap(), expected);
    }
}

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
    tag_document(doc, opts, |tokens| {
        for token in tokens {
            w.write_all(token.text.as_bytes())?;
            // Most tokens are outside every span: one write for their tag and line end.
            match token.tag_parts(opts.scheme) {
                ("O", _) => w.write_all(b" O\n")?,
                (prefix, label) => {
                    w.write_all(b" ")?;
                    w.write_all(prefix.as_bytes())?;
                    w.write_all(label.as_bytes())?;
                    w.write_all(b"\n")?;
                }
            }
        }
        w.write_all(b"\n")
    })
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

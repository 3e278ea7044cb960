//! CoNLL: one token per line (`token TAG`, one space between), a blank line after each sentence,
//! and `-DOCSTART- -X- -X- O` plus a blank line before each document, as in CoNLL-2003. Readers
//! take the first column as the token and the last as the tag. Tokens and sentences: see
//! [`super::tokens`].

use crate::model::hashing::{HashMap, HashSet};
use std::io::{self, Write};

use super::options::ExportOptions;
use super::tokens::{LeftOut, tag_document};
use crate::model::{Document, Schema};

/// The line that starts each document.
pub const DOCSTART: &str = "-DOCSTART- -X- -X- O";

/// The tag names of the schema's labels. CoNLL readers split a line at whitespace, so a label
/// with a space (`armed group`, or a no-break space) would cut its tag in two: each whitespace
/// character becomes `_`, and a name that is then taken by another label gets `_2`, `_3`…
#[derive(Clone, Debug, Default)]
pub struct TagNames {
    /// Only the labels written under another name; every other label is its own tag name.
    renamed: HashMap<String, String>,
    /// The same, in schema order, for the report.
    in_order: Vec<(String, String)>,
}

impl TagNames {
    /// Names every label of `schema`.
    pub fn new(schema: &Schema) -> Self {
        let used: HashSet<&str> = schema.labels.iter().map(|l| l.name.as_str()).collect();
        let mut names = Self::default();
        let mut taken: HashSet<String> = HashSet::default();
        for label in schema.labels.iter().filter(|l| l.name.contains(char::is_whitespace)) {
            let base: String = label.name.chars().map(|c| if c.is_whitespace() { '_' } else { c }).collect();
            let mut candidate = base.clone();
            let mut n = 2;
            while used.contains(candidate.as_str()) || taken.contains(&candidate) {
                candidate = format!("{base}_{n}");
                n += 1;
            }
            taken.insert(candidate.clone());
            names.renamed.insert(label.name.clone(), candidate.clone());
            names.in_order.push((label.name.clone(), candidate));
        }
        names
    }

    /// The tag name of `label`.
    pub fn get<'a>(&'a self, label: &'a str) -> &'a str {
        if self.renamed.is_empty() {
            return label;
        }
        self.renamed.get(label).map_or(label, String::as_str)
    }

    /// The labels written under another name, with that name, in schema order.
    pub fn renamed(&self) -> &[(String, String)] {
        &self.in_order
    }
}

/// Writes one document; returns the spans the tags could not carry.
pub fn write_document(
    w: &mut impl Write,
    doc: &Document,
    opts: &ExportOptions,
    names: &TagNames,
) -> io::Result<LeftOut> {
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
                    lines.extend_from_slice(names.get(label).as_bytes());
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
        write_document(&mut out, &doc, &ExportOptions::default(), &TagNames::default()).unwrap();
        let expected = "-DOCSTART- -X- -X- O\n\n\
            Minister O\nAyşe B-speaker\nsaid O\n“ O\nwill B-claim\nreopen I-claim\n” O\n. O\n\n\
            😀 O\nکراچی B-location\n\n";
        assert_eq!(String::from_utf8(out).unwrap(), expected);
    }

    #[test]
    fn labels_with_spaces_get_one_column_tags_that_read_back_and_never_collide() {
        use crate::formats::annotated::{AnnotatedFormat, read_in_memory};
        use crate::model::LabelDef;
        let mut schema = Schema::default();
        for name in ["armed group", "armed_group", "a\u{a0}b", "claim", "armed\tgroup"] {
            schema.labels.push(LabelDef {
                name: name.into(),
                color: schema.next_color(),
                key: None,
                description: String::new(),
            });
        }
        let names = TagNames::new(&schema);
        let renamed: Vec<(&str, &str)> = names.renamed().iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
        assert_eq!(renamed, [("armed group", "armed_group_2"), ("a\u{a0}b", "a_b"), ("armed\tgroup", "armed_group_3")]);
        assert_eq!(names.get("claim"), "claim");
        assert_eq!(names.get("armed_group"), "armed_group");

        let mut doc = Document::new("d1", "t", "one two three four five");
        doc.spans = vec![
            Span::new(1, 0, 3, "armed group"),
            Span::new(2, 4, 7, "armed_group"),
            Span::new(3, 8, 13, "a\u{a0}b"),
            Span::new(4, 14, 18, "claim"),
            Span::new(5, 19, 23, "armed\tgroup"),
        ];
        let mut out = Vec::new();
        write_document(&mut out, &doc, &ExportOptions::default(), &names).unwrap();
        let out = String::from_utf8(out).unwrap();
        for line in out.lines().skip(1).filter(|l| !l.is_empty()) {
            assert_eq!(line.split_whitespace().count(), 2, "{line:?}");
        }
        let back =
            read_in_memory(AnnotatedFormat::Conll, std::path::Path::new("x.conll"), out.as_bytes(), b"").unwrap();
        let labels: Vec<&str> = back[0].spans.iter().map(|s| s.label.as_str()).collect();
        assert_eq!(labels, ["armed_group_2", "armed_group", "a_b", "claim", "armed_group_3"]);
    }
}

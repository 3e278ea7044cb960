//! Hugging Face token classification: JSONL rows `{"id", "document", "tokens", "ner_tags"}`, one
//! per sentence (see [`super::tokens`]), with tags as label names (`O`, `B-claim`, `I-claim`), and
//! a `labels.json` listing every tag, `O` first, for `ClassLabel(names=...)`. Loads with
//! `datasets.load_dataset("json", data_files=...)`.

use std::io::{self, Write};

use serde::{Serialize, Serializer};

use super::options::{ExportOptions, TagScheme};
use super::tokens::{LeftOut, tag_document};
use crate::model::{Document, Schema};

#[derive(Serialize)]
struct Row<'a> {
    id: String,
    document: &'a str,
    tokens: Vec<&'a str>,
    ner_tags: Vec<Tag<'a>>,
}

/// A tag as its prefix and label, serialised as one string without building it.
struct Tag<'a>(&'static str, &'a str);

impl Serialize for Tag<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if self.1.is_empty() {
            serializer.serialize_str(self.0)
        } else {
            serializer.collect_str(&format_args!("{}{}", self.0, self.1))
        }
    }
}

/// Writes the rows of one document; returns the spans the tags could not carry.
pub fn write_document(w: &mut impl Write, doc: &Document, opts: &ExportOptions) -> io::Result<LeftOut> {
    let mut n = 0usize;
    tag_document(doc, opts, |tokens| {
        let row = Row {
            id: format!("{}-{n}", doc.id),
            document: &doc.id,
            tokens: tokens.iter().map(|t| t.text).collect(),
            ner_tags: tokens.iter().map(|t| t.tag_parts(opts.scheme)).map(|(p, l)| Tag(p, l)).collect(),
        };
        n += 1;
        serde_json::to_writer(&mut *w, &row).map_err(io::Error::other)?;
        w.write_all(b"\n")
    })
}

/// Every tag the export can produce, `O` first, then per label (schema order) its prefixes.
pub fn tag_names(schema: &Schema, opts: &ExportOptions) -> Vec<String> {
    let prefixes: &[char] = match opts.scheme {
        TagScheme::Bio => &['B', 'I'],
        TagScheme::Bilou => &['B', 'I', 'L', 'U'],
    };
    let mut out = vec!["O".to_owned()];
    for label in schema.labels.iter().filter(|l| opts.keeps_label(&l.name)) {
        out.extend(prefixes.iter().map(|p| format!("{p}-{}", label.name)));
    }
    out
}

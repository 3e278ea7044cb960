//! Hugging Face token classification: JSONL rows `{"id", "document", "tokens", "ner_tags"}`, one
//! per sentence (see [`super::tokens`]), with tags as label names (`O`, `B-claim`, `I-claim`), and
//! a `labels.json` listing every tag, `O` first, for `ClassLabel(names=...)`. Loads with
//! `datasets.load_dataset("json", data_files=...)`.
//!
//! When the schema defines document-level labels, every row also has a `doc_labels` object with
//! one field per doc label, in schema order, holding the document's value, or `""` when unset:
//! the same fields of the same type on every row, so `datasets` sees one struct column of strings.
//! Not `null`: pyarrow types a field that is null in every row of its first block (some 10 MB) as
//! null and then fails on the first value, which a rarely set doc label would trigger. `""` is
//! never a value (values are non-empty). `doc_labels.json` lists each doc label's values, for
//! `ClassLabel(names=...)`.

use std::io::{self, Write};

use serde::ser::SerializeMap as _;
use serde::{Serialize, Serializer};

use super::options::{ExportOptions, TagScheme};
use super::tokens::{LeftOut, tag_document};
use crate::model::{DocLabelDef, Document, Schema};

#[derive(Serialize)]
struct Row<'a> {
    id: String,
    document: &'a str,
    tokens: Vec<&'a str>,
    ner_tags: Vec<Tag<'a>>,
    #[serde(skip_serializing_if = "DocLabels::is_empty")]
    doc_labels: DocLabels<'a>,
}

/// A document's doc labels as an object with every defined doc label, `""` when unset.
#[derive(Clone, Copy)]
struct DocLabels<'a> {
    defs: &'a [DocLabelDef],
    doc: &'a Document,
}

impl DocLabels<'_> {
    fn is_empty(&self) -> bool {
        self.defs.is_empty()
    }
}

impl Serialize for DocLabels<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.defs.len()))?;
        for def in self.defs {
            map.serialize_entry(&def.name, self.doc.doc_label(&def.name).unwrap_or_default())?;
        }
        map.end()
    }
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

/// Writes the rows of one document, each with the doc labels of `defs`; returns the spans the
/// tags could not carry.
pub fn write_document(
    w: &mut impl Write,
    doc: &Document,
    defs: &[DocLabelDef],
    opts: &ExportOptions,
) -> io::Result<LeftOut> {
    let mut n = 0usize;
    let doc_labels = DocLabels { defs, doc };
    tag_document(doc, opts, |tokens| {
        let row = Row {
            id: format!("{}-{n}", doc.id),
            document: &doc.id,
            tokens: tokens.iter().map(|t| t.text).collect(),
            ner_tags: tokens.iter().map(|t| t.tag_parts(opts.scheme)).map(|(p, l)| Tag(p, l)).collect(),
            doc_labels,
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

/// `doc_labels.json`: each doc label's values in schema order, `{"escalation": ["yes", "no"]}`;
/// `None` when the schema defines none.
pub fn doc_label_names(schema: &Schema) -> Option<serde_json::Map<String, serde_json::Value>> {
    (!schema.doc_labels.is_empty()).then(|| {
        schema.doc_labels.iter().map(|d| (d.name.clone(), serde_json::Value::from(d.values.clone()))).collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Span;

    #[test]
    fn every_row_has_every_doc_label_with_empty_when_unset() {
        let defs = [
            DocLabelDef { name: "stance".into(), values: vec!["pro".into()], key: None, description: String::new() },
            DocLabelDef { name: "escalation".into(), values: vec!["no".into()], key: None, description: String::new() },
        ];
        let mut doc = Document::new("d1", "T", "Calm here. Quiet there.");
        doc.spans = vec![Span::new(1, 0, 4, "claim")];
        doc.doc_labels.insert("escalation".into(), "no".into());
        let mut out = Vec::new();
        write_document(&mut out, &doc, &defs, &ExportOptions::default()).unwrap();
        let text = String::from_utf8(out).unwrap();
        let rows: Vec<&str> = text.lines().collect();
        assert_eq!(rows.len(), 2, "{text}");
        for row in rows {
            assert!(row.ends_with(r#","doc_labels":{"stance":"","escalation":"no"}}"#), "{row}");
        }
        // Without defs, rows are as before.
        let mut out = Vec::new();
        write_document(&mut out, &doc, &[], &ExportOptions::default()).unwrap();
        assert!(!String::from_utf8(out).unwrap().contains("doc_labels"));
    }
}

//! Gloss JSONL: one document per line, the shape spaCy, Prodigy and plain Python read directly.
//!
//! ```json
//! {"id":"d0001","title":"…","status":"done","text":"…",
//!  "spans":[{"id":1,"start":0,"end":19,"label":"speaker","text":"The port's governor"}],
//!  "relations":[{"id":1,"label":"said","from":1,"to":2}],"meta":{"outlet":"The Tide"},
//!  "doc_labels":{"escalation":"yes"}}
//! ```
//!
//! `doc_labels` maps each document-level label set on the document to its value; it is left out
//! when none is set, so exports of projects without doc labels are as they were.
//!
//! Offsets are code points unless `--offsets` says otherwise, in which case the line also has
//! `"offsets": "bytes"` or `"utf16"` so that a reader (and `gloss import`) knows. `note` and
//! `annotator` appear on a span only when set; `note` on the document only when set.

use crate::model::hashing::HashSet;
use std::collections::BTreeMap;
use std::io::{self, Write};

use serde::Serialize;

use super::offsets::OffsetWriter;
use super::options::{ExportOptions, OffsetUnit};
use crate::model::Document;

#[derive(Serialize)]
struct Line<'a> {
    id: &'a str,
    title: &'a str,
    status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    offsets: Option<&'static str>,
    text: &'a str,
    spans: Vec<SpanOut<'a>>,
    relations: Vec<RelationOut<'a>>,
    meta: &'a BTreeMap<String, String>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    doc_labels: &'a BTreeMap<String, String>,
}

#[derive(Serialize)]
struct SpanOut<'a> {
    id: u64,
    start: usize,
    end: usize,
    label: &'a str,
    text: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    annotator: Option<&'a str>,
}

#[derive(Serialize)]
struct RelationOut<'a> {
    id: u64,
    label: &'a str,
    from: u64,
    to: u64,
}

/// Writes one document as one JSON line; returns the number of spans written.
pub fn write_document(w: &mut impl Write, doc: &Document, opts: &ExportOptions) -> io::Result<usize> {
    let offsets = OffsetWriter::new(opts.offsets, &doc.text);
    let spans: Vec<SpanOut<'_>> = opts
        .spans(doc)
        .map(|s| SpanOut {
            id: s.id,
            start: offsets.convert(s.start),
            end: offsets.convert(s.end),
            label: &s.label,
            text: doc.covered_text(s).unwrap_or_default(),
            note: s.note.as_deref(),
            annotator: s.annotator.as_deref(),
        })
        .collect();
    let kept: HashSet<u64> = spans.iter().map(|s| s.id).collect();
    let relations = doc
        .relations
        .iter()
        .filter(|r| kept.contains(&r.from) && kept.contains(&r.to))
        .map(|r| RelationOut { id: r.id, label: &r.label, from: r.from, to: r.to })
        .collect();
    let count = spans.len();
    let line = Line {
        id: &doc.id,
        title: &doc.title,
        status: doc.status.name(),
        note: doc.note.as_deref(),
        offsets: (opts.offsets != OffsetUnit::Chars).then(|| opts.offsets.name()),
        text: doc.text.as_str(),
        spans,
        relations,
        meta: &doc.meta,
        doc_labels: &doc.doc_labels,
    };
    serde_json::to_writer(&mut *w, &line).map_err(io::Error::other)?;
    w.write_all(b"\n")?;
    Ok(count)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Relation, Span};

    #[test]
    fn curly_quotes_emoji_and_urdu_exactly() {
        // Written by hand: code points of "Ali said“no”😀 کراچی".
        // A0 l1 i2 _3 s4 a5 i6 d7 “8 n9 o10 ”11 😀12 _13 ک14 ر15 ا16 چ17 ی18 (19 code points).
        let mut doc = Document::new("d1", "T", "Ali said“no”😀 کراچی");
        doc.spans = vec![Span::new(1, 0, 3, "speaker"), Span::new(2, 9, 11, "claim"), Span::new(3, 14, 19, "location")];
        doc.relations = vec![Relation { id: 1, label: "said".into(), from: 1, to: 2 }];
        let mut out = Vec::new();
        write_document(&mut out, &doc, &ExportOptions::default()).unwrap();
        let expected = concat!(
            r#"{"id":"d1","title":"T","status":"todo","text":"Ali said“no”😀 کراچی","#,
            r#""spans":[{"id":1,"start":0,"end":3,"label":"speaker","text":"Ali"},"#,
            r#"{"id":2,"start":9,"end":11,"label":"claim","text":"no"},"#,
            r#"{"id":3,"start":14,"end":19,"label":"location","text":"کراچی"}],"#,
            r#""relations":[{"id":1,"label":"said","from":1,"to":2}],"meta":{}}"#,
            "\n"
        );
        assert_eq!(String::from_utf8(out).unwrap(), expected);

        // UTF-16: the emoji counts twice, so the Urdu word moves by one; bytes: “ is 3 bytes.
        let mut out = Vec::new();
        let opts =
            ExportOptions { offsets: OffsetUnit::Utf16, labels: Some(vec!["location".into()]), ..Default::default() };
        write_document(&mut out, &doc, &opts).unwrap();
        let s = String::from_utf8(out).unwrap();
        assert!(s.contains(r#""offsets":"utf16""#), "{s}");
        assert!(
            s.contains(r#""spans":[{"id":3,"start":15,"end":20,"label":"location","text":"کراچی"}],"relations":[]"#),
            "{s}"
        );
        let mut out = Vec::new();
        let opts = ExportOptions { offsets: OffsetUnit::Bytes, ..Default::default() };
        write_document(&mut out, &doc, &opts).unwrap();
        // "Ali said“" is 8 + 3 = 11 bytes; "no" ends at 13.
        assert!(String::from_utf8(out).unwrap().contains(r#"{"id":2,"start":11,"end":13,"#));
    }

    #[test]
    fn doc_labels_follow_meta_when_set() {
        let mut doc = Document::new("d1", "T", "Calm.");
        doc.doc_labels.insert("stance".into(), "neutral \"ish\"".into());
        doc.doc_labels.insert("escalation".into(), "no".into());
        let mut out = Vec::new();
        write_document(&mut out, &doc, &ExportOptions::default()).unwrap();
        let line = String::from_utf8(out).unwrap();
        assert!(
            line.ends_with("\"meta\":{},\"doc_labels\":{\"escalation\":\"no\",\"stance\":\"neutral \\\"ish\\\"\"}}\n"),
            "{line}"
        );
    }
}

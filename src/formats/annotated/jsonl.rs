//! Gloss JSONL (what `gloss export --format jsonl` writes) and the Prodigy/spaCy shape
//! `{"text": …, "spans": [{"start", "end", "label"}]}`: one document per line, code point offsets
//! unless the line says `"offsets": "bytes"` or `"utf16"`. A span's `text`, when present, is checked.

use serde_json::Value;

use super::incoming::{Fields, Incoming, IncomingRelation, IncomingSpan, meta_from, read_lines, status_from};
use crate::formats::export::OffsetUnit;

/// Reads every non-blank line of `text` (the file `name`) as one document.
pub fn read(name: &str, text: &str) -> Result<Vec<Incoming>, String> {
    read_lines(name, text, document)
}

/// One document object of Gloss JSONL or the Prodigy/spaCy shape.
pub fn document(place: String, value: &Value) -> Result<Incoming, String> {
    let f = Fields::new(place.clone(), value)?;
    let unit = match f.opt_string("offsets")? {
        None => OffsetUnit::Chars,
        Some(u) => u.parse().map_err(|e| format!("{place}: \"offsets\": {e}"))?,
    };
    let status = match f.opt_string("status")? {
        None => None,
        Some(s) => Some(
            status_from(&s)
                .ok_or_else(|| format!("{place}: unknown status {s:?} (todo, in progress, done, skipped)"))?,
        ),
    };
    let mut doc = Incoming {
        id: f.opt_string("id")?,
        title: f.opt_string("title")?,
        status,
        note: f.opt_string("note")?,
        text: f.string("text")?.to_owned(),
        meta: meta_from(f.get("meta")),
        unit,
        ..Incoming::default()
    };
    for (i, span) in f.array("spans")?.iter().enumerate() {
        let s = Fields::new(format!("{place}, span {}", i + 1), span)?;
        let id = match s.get("id") {
            Some(v) => v.as_u64(),
            None => None,
        };
        doc.spans.push(IncomingSpan {
            key: s.opt_string("id")?,
            id,
            start: s.offset("start")?,
            end: s.offset("end")?,
            label: s.string("label")?.to_owned(),
            text: s.opt_string("text")?,
            note: s.opt_string("note")?,
            annotator: s.opt_string("annotator")?,
            ..IncomingSpan::default()
        });
    }
    for (i, rel) in f.array("relations")?.iter().enumerate() {
        let r = Fields::new(format!("{place}, relation {}", i + 1), rel)?;
        // Prodigy's relations name tokens ("head", "child"), not spans: they cannot be mapped.
        let (Some(from), Some(to)) = (r.opt_string("from")?, r.opt_string("to")?) else {
            return Err(format!("{}: a relation needs \"from\" and \"to\" span ids", r.place));
        };
        doc.relations.push(IncomingRelation { label: r.string("label")?.to_owned(), from, to });
    }
    doc.place = place;
    Ok(doc)
}

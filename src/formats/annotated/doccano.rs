//! doccano JSONL: `{"text": …, "label": [[start, end, "LABEL"], …]}` (doccano ≥ 1.0) or the older
//! `{"text": …, "entities": [{"start_offset", "end_offset", "label"}]}`. doccano counts offsets in
//! UTF-16 code units (JavaScript string indices), so they are converted to code points; an offset
//! that falls between the two halves of a surrogate pair is reported.

use serde_json::Value;

use super::incoming::{Fields, Incoming, IncomingSpan, kind, meta_from, offset, read_lines};
use crate::formats::export::OffsetUnit;

/// Reads every non-blank line of `text` (the file `name`) as one document.
pub fn read(name: &str, text: &str) -> Result<Vec<Incoming>, String> {
    read_lines(name, text, crate::store::MAX_PROJECT_SPANS, document)
}

fn document(place: String, value: &Value) -> Result<Incoming, String> {
    let f = Fields::new(place.clone(), value)?;
    let text = match f.get("text").or_else(|| f.get("data")) {
        Some(Value::String(s)) => s.clone(),
        Some(other) => return Err(format!("{place}: \"text\" must be a string, found {}", kind(other))),
        None => return Err(format!("{place}: \"text\" is missing")),
    };
    let mut doc = Incoming {
        id: f.opt_string("id")?,
        title: None,
        text,
        meta: meta_from(f.get("meta")),
        unit: OffsetUnit::Utf16,
        ..Incoming::default()
    };
    for (i, item) in f.array("label")?.iter().chain(f.array("labels")?).enumerate() {
        let at = format!("{place}, label {}", i + 1);
        match item {
            Value::Array(triple) if triple.len() == 3 => {
                let [start, end, label] = triple.as_slice() else {
                    return Err(format!("{at}: expected [start, end, \"LABEL\"], found {item}"));
                };
                let start = offset(start)
                    .ok_or_else(|| format!("{at}: start must be a non-negative integer, found {start}"))?;
                let end =
                    offset(end).ok_or_else(|| format!("{at}: end must be a non-negative integer, found {end}"))?;
                let Value::String(label) = label else {
                    return Err(format!("{at}: the label must be a string, found {}", kind(label)));
                };
                doc.spans.push(IncomingSpan { start, end, label: label.clone(), ..IncomingSpan::default() });
            }
            // Text classification: a document label, not a span.
            Value::String(category) => {
                doc.meta
                    .entry("category".to_owned())
                    .and_modify(|c| {
                        c.push_str(", ");
                        c.push_str(category)
                    })
                    .or_insert_with(|| category.clone());
            }
            other => return Err(format!("{at}: expected [start, end, \"LABEL\"], found {other}")),
        }
    }
    for (i, item) in f.array("entities")?.iter().enumerate() {
        let e = Fields::new(format!("{place}, entity {}", i + 1), item)?;
        doc.spans.push(IncomingSpan {
            start: e.offset("start_offset")?,
            end: e.offset("end_offset")?,
            label: e.string("label")?.to_owned(),
            ..IncomingSpan::default()
        });
    }
    doc.place = place;
    Ok(doc)
}

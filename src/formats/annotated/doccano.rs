//! doccano JSONL: `{"text": …, "label": [[start, end, "LABEL"], …]}` (doccano ≥ 1.0) or the older
//! `{"text": …, "entities": [{"start_offset", "end_offset", "label"}]}`. doccano counts offsets in
//! UTF-16 code units (JavaScript string indices), so they are converted to code points; an offset
//! that falls between the two halves of a surrogate pair is reported.

use super::incoming::{BRIEF, Fields, Incoming, IncomingSpan, kind, meta_from, offset, read_lines};
use super::json::{Json, Keep};
use crate::formats::export::OffsetUnit;

/// The fields this reader uses; every other one is skipped while parsing.
const KEEP: Keep = Keep {
    keys: &["text", "data", "id", "label", "labels", "entities", "start_offset", "end_offset"],
    whole: &["meta"],
};

/// Reads every non-blank line of `text` (the file `name`) as one document.
pub fn read(name: &str, text: &str) -> Result<Vec<Incoming>, String> {
    read_lines(name, text, crate::store::MAX_PROJECT_SPANS, KEEP, document)
}

fn document(place: String, value: Json) -> Result<Incoming, String> {
    let mut f = Fields::new(place.clone(), value)?;
    let text = match f.take("text").or_else(|| f.take("data")) {
        Some(Json::String(s)) => s.into_string(),
        Some(other) => return Err(format!("{place}: \"text\" must be a string, found {}", kind(&other))),
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
    let (label, labels) = (f.array("label")?, f.array("labels")?);
    doc.spans.reserve_exact(label.len() + labels.len());
    for (i, item) in label.into_iter().chain(labels).enumerate() {
        let at = format!("{place}, label {}", i + 1);
        match &item {
            Json::Array(triple) if triple.len() == 3 => {
                let [start, end, label] = &triple[..] else {
                    return Err(format!("{at}: expected [start, end, \"LABEL\"], found {}", item.brief(BRIEF)));
                };
                let start = offset(start).ok_or_else(|| {
                    format!("{at}: start must be a non-negative integer, found {}", start.brief(BRIEF))
                })?;
                let end = offset(end)
                    .ok_or_else(|| format!("{at}: end must be a non-negative integer, found {}", end.brief(BRIEF)))?;
                let Json::String(label) = label else {
                    return Err(format!("{at}: the label must be a string, found {}", kind(label)));
                };
                doc.spans.push(IncomingSpan { start, end, label: label.to_string(), ..IncomingSpan::default() });
            }
            // Text classification: a document label, not a span.
            Json::String(category) => {
                doc.meta
                    .entry("category".to_owned())
                    .and_modify(|c| {
                        c.push_str(", ");
                        c.push_str(category)
                    })
                    .or_insert_with(|| category.to_string());
            }
            other => return Err(format!("{at}: expected [start, end, \"LABEL\"], found {}", other.brief(BRIEF))),
        }
    }
    for (i, item) in f.array("entities")?.into_iter().enumerate() {
        let mut e = Fields::new(format!("{place}, entity {}", i + 1), item)?;
        doc.spans.push(IncomingSpan {
            start: e.offset("start_offset")?,
            end: e.offset("end_offset")?,
            label: e.string("label")?,
            ..IncomingSpan::default()
        });
    }
    doc.place = place;
    Ok(doc)
}

//! Label Studio JSON exports: a list of tasks `{"id", "data": {"text": …}, "annotations":
//! [{"completed_by", "result": [{"id", "type": "labels", "value": {"start", "end", "text",
//! "labels": […]}}, {"type": "relation", "from_id", "to_id", "labels": […]}]}]}` (older exports
//! say `completions`), and the JSON-MIN export `[{"text": …, "label": [{"start", "end", "text",
//! "labels"}]}]`.
//!
//! Offsets: Label Studio up to about 1.4 counted UTF-16 code units (JavaScript string indices;
//! Label Studio#1347, offsets drift after emoji), later versions count code points
//! (label-studio-frontend#308). Each result carries its `text`, so Gloss reads offsets as code
//! points, and a span whose text matches only when its offsets are read as UTF-16 is converted,
//! with a notice. A result without `text` is taken as code points.

use super::incoming::{Fields, Incoming, IncomingRelation, IncomingSpan, SpanTally, kind, meta_from};
use super::json::{Json, Keep};

/// The fields this reader uses; every other one (predictions, drafts, timings…) is skipped while
/// parsing. A task's `data` is kept whole: its text may be under any name.
const KEEP: Keep = Keep {
    keys: &[
        "id",
        "annotations",
        "completions",
        "was_cancelled",
        "completed_by",
        "email",
        "result",
        "type",
        "from_id",
        "to_id",
        "labels",
        "value",
        "start",
        "end",
        "text",
        "label",
    ],
    whole: &["data"],
};

/// Reads the tasks of a Label Studio export (the file `name`).
pub fn read(name: &str, text: &str) -> Result<Vec<Incoming>, String> {
    let value = KEEP.parse(text).map_err(|e| format!("{name}:{}:{}: {e}", e.line(), e.column()))?;
    // Each task is taken by value and its JSON freed once it is read.
    let tasks: Vec<Json> = match value {
        Json::Array(items) => items.into_vec(),
        task @ Json::Object(_) => vec![task],
        other => return Err(format!("{name}: expected a list of tasks, found {}", kind(&other))),
    };
    let mut docs = Vec::with_capacity(tasks.len());
    let mut tally = SpanTally::new(0);
    for (i, task) in tasks.into_iter().enumerate() {
        let doc = document(format!("{name}, task {}", i + 1), task)?;
        tally.add(doc.spans.len(), &doc.place)?;
        docs.push(doc);
    }
    Ok(docs)
}

fn document(place: String, value: Json) -> Result<Incoming, String> {
    let mut f = Fields::new(place.clone(), value)?;
    let mut doc = Incoming { id: f.opt_string("id")?, try_utf16: true, ..Incoming::default() };
    match f.take("data") {
        Some(data) => {
            let mut d = Fields::new(format!("{place}, data"), data)?;
            doc.text = match d.take("text") {
                Some(Json::String(s)) => s.into_string(),
                _ => d
                    .object
                    .entries()
                    .into_iter()
                    .find_map(|(_, v)| v.as_str().map(str::to_owned))
                    .ok_or_else(|| format!("{place}: \"data\" has no text"))?,
            };
            doc.title = match d.get("title") {
                Some(Json::String(t)) => Some(t.to_string()),
                _ => None,
            };
            doc.meta = meta_from(d.get("meta"));
            for annotation in f.array("annotations")?.into_iter().chain(f.array("completions")?) {
                let mut a = Fields::new(format!("{place}, annotation"), annotation)?;
                if a.get("was_cancelled").and_then(Json::as_bool) == Some(true) {
                    continue;
                }
                let annotator = match a.get("completed_by") {
                    Some(o @ Json::Object(_)) => o.get("email").and_then(Json::as_str).map(str::to_owned),
                    Some(Json::Number(n)) => Some(n.to_string()),
                    Some(Json::String(s)) => Some(s.to_string()),
                    _ => None,
                };
                for (i, result) in a.array("result")?.into_iter().enumerate() {
                    result_item(&mut doc, &format!("{place}, result {}", i + 1), result, annotator.as_deref())?;
                }
            }
        }
        None => {
            // JSON-MIN: the text and a "label" list of regions on the task itself.
            doc.text = f.string("text")?;
            for (i, region) in f.array("label")?.into_iter().enumerate() {
                region_spans(&mut doc, &format!("{place}, label {}", i + 1), region, None, None)?;
            }
        }
    }
    doc.place = place;
    Ok(doc)
}

fn result_item(doc: &mut Incoming, place: &str, result: Json, annotator: Option<&str>) -> Result<(), String> {
    let mut r = Fields::new(place.to_owned(), result)?;
    let kind_name = r.opt_string("type")?.unwrap_or_default();
    match kind_name.as_str() {
        "relation" => {
            let (Some(from), Some(to)) = (r.opt_string("from_id")?, r.opt_string("to_id")?) else {
                return Err(format!("{place}: a relation needs \"from_id\" and \"to_id\""));
            };
            let labels = r.array("labels")?;
            let label = labels.first().and_then(Json::as_str).unwrap_or("related").to_owned();
            doc.relations.push(IncomingRelation { label, from, to });
            Ok(())
        }
        "labels" | "hypertextlabels" | "" => match r.take("value") {
            Some(value) => region_spans(doc, place, value, r.opt_string("id")?, annotator),
            None => Err(format!("{place}: \"value\" is missing")),
        },
        // Choices, ratings, text areas: not spans.
        _ => Ok(()),
    }
}

fn region_spans(
    doc: &mut Incoming,
    place: &str,
    value: Json,
    key: Option<String>,
    annotator: Option<&str>,
) -> Result<(), String> {
    let mut v = Fields::new(format!("{place}, value"), value)?;
    let start = v.offset("start")?;
    let end = v.offset("end")?;
    let text = v.opt_string("text")?;
    let mut labels = Vec::new();
    for label in v.array("labels")? {
        match label {
            Json::String(l) => labels.push(l.into_string()),
            other => return Err(format!("{place}: a label must be a string, found {}", kind(&other))),
        }
    }
    if labels.is_empty() {
        return Err(format!("{place}: the region has no label"));
    }
    for label in labels {
        doc.spans.push(IncomingSpan {
            key: key.clone(),
            start,
            end,
            label,
            text: text.clone(),
            annotator: annotator.map(str::to_owned),
            ..IncomingSpan::default()
        });
    }
    Ok(())
}

//! What every annotated-format reader produces: documents with spans whose offsets are not yet
//! checked, and helpers to take typed values out of JSON with messages that say where.

use std::collections::BTreeMap;

use super::json::{Json, Keep};
use crate::formats::export::OffsetUnit;
use crate::model::Status;

/// A document as read from a file, before it is checked and added.
#[derive(Clone, Debug, Default)]
pub struct Incoming {
    /// Where it came from, for messages: `file.jsonl:3`.
    pub place: String,
    /// Id proposed by the file; a free id is taken if it is missing or used.
    pub id: Option<String>,
    /// Title; the place is used if there is none.
    pub title: Option<String>,
    /// Status, when the file has one.
    pub status: Option<Status>,
    /// Document note.
    pub note: Option<String>,
    /// The text.
    pub text: String,
    /// Metadata.
    pub meta: BTreeMap<String, String>,
    /// Document-level labels: name → value, before they are checked against the schema.
    pub doc_labels: BTreeMap<String, String>,
    /// Spans, offsets in `unit`.
    pub spans: Vec<IncomingSpan>,
    /// Relations between span keys.
    pub relations: Vec<IncomingRelation>,
    /// The unit of the span offsets.
    pub unit: OffsetUnit,
    /// Label Studio: offsets that do not match the span text as code points are tried as UTF-16.
    pub try_utf16: bool,
    /// brat: a span's text field cannot hold line breaks, so they compare equal to spaces.
    pub line_breaks_as_spaces: bool,
}

/// A span as read, offsets in the document's unit.
#[derive(Clone, Debug, Default)]
pub struct IncomingSpan {
    /// Key relations use to name the span (the file's span id), if any.
    pub key: Option<String>,
    /// Id proposed by the file.
    pub id: Option<u64>,
    /// Start offset.
    pub start: usize,
    /// End offset (exclusive).
    pub end: usize,
    /// Label, before `--map`.
    pub label: String,
    /// The text the file says the span covers, checked against the offsets.
    pub text: Option<String>,
    /// Joined pieces: a text to check made of several ranges (brat fragments), joined by spaces.
    pub fragments: Vec<(usize, usize)>,
    /// Note.
    pub note: Option<String>,
    /// Annotator.
    pub annotator: Option<String>,
}

/// A relation as read.
#[derive(Clone, Debug, Default)]
pub struct IncomingRelation {
    /// Relation type.
    pub label: String,
    /// Key of the from span.
    pub from: String,
    /// Key of the to span.
    pub to: String,
}

/// A JSON object read at `place`, with typed getters whose errors name the place and the field.
/// It owns the object, so that big values (the text, the list of spans) can be taken out of it
/// instead of copied, and each span's JSON freed once it is read.
pub struct Fields {
    /// Where the object is, e.g. `a.jsonl:4, span 2`.
    pub place: String,
    /// The object.
    pub object: Json,
}

impl Fields {
    /// Wraps `value`, which must be an object.
    pub fn new(place: String, value: Json) -> Result<Self, String> {
        match value {
            Json::Object(_) => Ok(Self { place, object: value }),
            other => Err(format!("{place}: expected a JSON object, found {}", kind(&other))),
        }
    }

    /// The value of `key`, if present and not null.
    pub fn get(&self, key: &str) -> Option<&Json> {
        self.object.get(key).filter(|v| !v.is_null())
    }

    /// Takes the value of `key` out, if present and not null (a null is left where it was).
    pub fn take(&mut self, key: &str) -> Option<Json> {
        self.object.get_mut(key).filter(|v| !v.is_null()).map(|v| std::mem::replace(v, Json::Null))
    }

    /// A required string, taken out.
    pub fn string(&mut self, key: &str) -> Result<String, String> {
        match self.take(key) {
            Some(Json::String(s)) => Ok(s.into_string()),
            Some(other) => Err(format!("{}: \"{key}\" must be a string, found {}", self.place, kind(&other))),
            None => Err(format!("{}: \"{key}\" is missing", self.place)),
        }
    }

    /// An optional string; numbers are accepted and written out (ids often are numbers).
    pub fn opt_string(&self, key: &str) -> Result<Option<String>, String> {
        match self.get(key) {
            None => Ok(None),
            Some(Json::String(s)) => Ok(Some(s.to_string())),
            Some(Json::Number(n)) => Ok(Some(n.to_string())),
            Some(other) => Err(format!("{}: \"{key}\" must be a string, found {}", self.place, kind(other))),
        }
    }

    /// A required offset: a non-negative integer.
    pub fn offset(&self, key: &str) -> Result<usize, String> {
        match self.get(key) {
            Some(v) => offset(v).ok_or_else(|| {
                format!("{}: \"{key}\" must be a non-negative integer offset, found {}", self.place, v.brief(BRIEF))
            }),
            None => Err(format!("{}: \"{key}\" is missing", self.place)),
        }
    }

    /// An optional object of strings (missing or null: empty), such as `doc_labels`.
    pub fn string_map(&self, key: &str) -> Result<BTreeMap<String, String>, String> {
        match self.get(key) {
            None => Ok(BTreeMap::new()),
            Some(map @ Json::Object(_)) => map
                .entries()
                .into_iter()
                .map(|(k, v)| match v {
                    Json::String(s) => Ok((k.to_owned(), s.to_string())),
                    other => Err(format!("{}: \"{key}\".{k:?} must be a string, found {}", self.place, kind(other))),
                })
                .collect(),
            Some(other) => Err(format!("{}: \"{key}\" must be an object, found {}", self.place, kind(other))),
        }
    }

    /// An optional array (missing or null: empty), taken out.
    pub fn array(&mut self, key: &str) -> Result<Vec<Json>, String> {
        match self.take(key) {
            None => Ok(Vec::new()),
            Some(Json::Array(items)) => Ok(items.into_vec()),
            Some(other) => Err(format!("{}: \"{key}\" must be a list, found {}", self.place, kind(&other))),
        }
    }
}

/// How many characters of a wrong value a message quotes.
pub const BRIEF: usize = 60;

/// A non-negative integer that fits in `usize` (floats with no fraction are accepted).
pub fn offset(value: &Json) -> Option<usize> {
    match value {
        Json::Number(n) => n
            .as_u64()
            .or_else(|| n.as_f64().filter(|f| f.fract() == 0.0 && *f >= 0.0 && *f < 9.0e15).map(|f| f as u64))
            .and_then(|v| usize::try_from(v).ok()),
        _ => None,
    }
}

/// The JSON kind of a value, for messages.
pub fn kind(value: &Json) -> &'static str {
    match value {
        Json::Null => "null",
        Json::Bool(_) => "true/false",
        Json::Number(_) => "a number",
        Json::String(_) => "a string",
        Json::Array(_) => "a list",
        Json::Object(_) => "an object",
    }
}

/// Metadata from a JSON object: strings as they are, other values as JSON text.
pub fn meta_from(value: Option<&Json>) -> BTreeMap<String, String> {
    let mut meta = BTreeMap::new();
    if let Some(map) = value {
        for (k, v) in map.entries() {
            let v = match v {
                Json::String(s) => s.to_string(),
                other => other.to_string(),
            };
            meta.insert(k.to_owned(), v);
        }
    }
    meta
}

/// A status from its name ("done", "in progress"...).
pub fn status_from(name: &str) -> Option<Status> {
    Status::ALL
        .into_iter()
        .find(|s| s.name().eq_ignore_ascii_case(name.trim()) || format!("{s:?}").eq_ignore_ascii_case(name.trim()))
}

/// Reads every non-blank line of `text` (the file `name`) as one JSON document, keeping the
/// fields `keep` names, with `document`, which gets the place (`name:line`) for its messages.
/// The file is refused once its documents have more than `max_spans` spans
/// ([`crate::store::MAX_PROJECT_SPANS`] for an import).
pub fn read_lines(
    name: &str,
    text: &str,
    max_spans: usize,
    keep: Keep,
    document: impl Fn(String, Json) -> Result<Incoming, String>,
) -> Result<Vec<Incoming>, String> {
    let mut out = Vec::new();
    let mut tally = SpanTally::within(0, max_spans);
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let place = format!("{name}:{}", n + 1);
        let value = keep.parse(line).map_err(|e| format!("{place}:{}: {e}", e.column()))?;
        let doc = document(place, value)?;
        tally.add(doc.spans.len(), &doc.place)?;
        out.push(doc);
    }
    Ok(out)
}

/// Refuses a file once it has brought more spans than a project can hold
/// ([`crate::store::MAX_PROJECT_SPANS`]): such a project could never be saved, and reading on
/// would only fill memory. `place` is where the count was passed.
pub fn check_span_count(spans: usize, place: &str) -> Result<(), String> {
    check_span_count_within(spans, crate::store::MAX_PROJECT_SPANS, place)
}

/// The spans of one import counted as its documents are read, refused past a limit
/// ([`crate::store::MAX_PROJECT_SPANS`] unless a test gives a smaller one).
#[derive(Clone, Copy, Debug)]
pub struct SpanTally {
    spans: usize,
    limit: usize,
}

impl SpanTally {
    /// A tally that starts at `spans` (those the project holds already).
    pub fn new(spans: usize) -> Self {
        Self::within(spans, crate::store::MAX_PROJECT_SPANS)
    }

    /// A tally with another limit.
    pub fn within(spans: usize, limit: usize) -> Self {
        Self { spans, limit }
    }

    /// Counts `n` more spans, brought by `place`: an error once the total passes the limit.
    pub fn add(&mut self, n: usize, place: &str) -> Result<(), String> {
        self.spans = self.spans.saturating_add(n);
        check_span_count_within(self.spans, self.limit, place)
    }
}

/// [`check_span_count`] with another limit (tests use small ones).
pub fn check_span_count_within(spans: usize, limit: usize, place: &str) -> Result<(), String> {
    if spans > limit {
        return Err(format!(
            "{place}: more than {limit} spans so far, more than a project can hold (its file would pass the {} limit); split the file",
            crate::store::human_bytes(crate::store::MAX_PROJECT_BYTES)
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One document per line, with as many spans as the line's `"n"`.
    fn spans_of(place: String, value: Json) -> Result<Incoming, String> {
        let n = value.get("n").and_then(Json::as_u64).unwrap_or(0) as usize;
        Ok(Incoming { place, spans: vec![IncomingSpan::default(); n], ..Incoming::default() })
    }

    #[test]
    fn lines_are_refused_at_the_document_that_passes_the_span_limit() {
        let text = "{\"n\": 2}\n\n{\"n\": 1}\n{\"n\": 3}\n{\"n\": 0}\n";
        assert_eq!(read_lines("c.jsonl", text, 6, Keep::ALL, spans_of).map(|d| d.len()), Ok(4));
        let err = read_lines("c.jsonl", text, 5, Keep::ALL, spans_of).unwrap_err();
        assert!(err.starts_with("c.jsonl:4: more than 5 spans so far, more than a project can hold"), "{err}");
        // Exactly at the limit is fine; the message names the limit it passed.
        assert!(check_span_count_within(5, 5, "x").is_ok());
        assert!(check_span_count_within(6, 5, "x").unwrap_err().contains("512 MiB"));
        assert!(check_span_count(crate::store::MAX_PROJECT_SPANS, "x").is_ok());
        assert!(check_span_count(crate::store::MAX_PROJECT_SPANS + 1, "x").is_err());
    }
}

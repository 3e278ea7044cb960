//! A document: one article's text with its spans, relations and metadata.

use std::collections::{BTreeMap, BTreeSet};

use super::rejection::Rejection;
use super::relation::{Relation, RelationId};
use super::span::{Span, SpanId};
use super::text::Text;

/// Where a document stands in the annotation work.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize)]
pub enum Status {
    /// Not started.
    #[default]
    Todo,
    /// Being annotated.
    InProgress,
    /// Finished.
    Done,
    /// Left out on purpose (off-topic, duplicate...).
    Skipped,
}

impl Status {
    /// All statuses, in workflow order.
    pub const ALL: [Status; 4] = [Status::Todo, Status::InProgress, Status::Done, Status::Skipped];

    /// Lower-case name for people and JSON ("in progress").
    pub fn name(self) -> &'static str {
        match self {
            Status::Todo => "todo",
            Status::InProgress => "in progress",
            Status::Done => "done",
            Status::Skipped => "skipped",
        }
    }
}

/// One article: its text, spans (kept sorted by start, end, id), relations and metadata.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Document {
    /// Stable identifier, unique in the project ("d0001").
    pub id: String,
    /// Title shown to people.
    pub title: String,
    /// Where the text came from (path or URL), if known.
    pub source: Option<String>,
    /// Progress of the annotation.
    pub status: Status,
    /// Free-text note on the whole document.
    pub note: Option<String>,
    /// The text, with its code point index.
    pub text: Text,
    /// Spans, sorted by (start, end, id).
    pub spans: Vec<Span>,
    /// Relations between spans.
    pub relations: Vec<Relation>,
    /// Proposed spans not yet accepted (pre-annotation, or the versions of a merge conflict),
    /// sorted like `spans`, with ids of their own. They are never exported; accepting one makes it
    /// a span (see [`crate::model::Edit::accept_suggestion`]). `annotator` names where a suggestion
    /// came from: `gazetteer:FILE`, `regex:RULE`, or the annotator whose version it is.
    pub suggestions: Vec<Span>,
    /// Suggestions someone rejected (place and label), so a gazetteer run does not propose them
    /// again (see [`Rejection`]). Never exported.
    pub rejected: BTreeSet<Rejection>,
    /// Free metadata: outlet, date, URL, content hash...
    pub meta: BTreeMap<String, String>,
    /// Document-level labels: doc label name → chosen value (see [`crate::model::DocLabelDef`]).
    /// A doc label with no entry is unset.
    pub doc_labels: BTreeMap<String, String>,
}

impl Document {
    /// A new document with no spans.
    pub fn new(id: impl Into<String>, title: impl Into<String>, text: impl Into<Text>) -> Self {
        Self { id: id.into(), title: title.into(), text: text.into(), ..Self::default() }
    }

    /// Position of the span with id `id` in `spans`.
    pub fn span_index(&self, id: SpanId) -> Option<usize> {
        self.spans.iter().position(|s| s.id == id)
    }

    /// The span with id `id`, to change in place, without checks (see [`crate::model::Edit`]).
    pub(crate) fn span_mut(&mut self, id: SpanId) -> Option<&mut Span> {
        self.spans.iter_mut().find(|s| s.id == id)
    }

    /// The span with id `id`.
    pub fn span(&self, id: SpanId) -> Option<&Span> {
        self.spans.iter().find(|s| s.id == id)
    }

    /// The relation with id `id`.
    pub fn relation(&self, id: RelationId) -> Option<&Relation> {
        self.relations.iter().find(|r| r.id == id)
    }

    /// A span id not used in this document.
    pub fn next_span_id(&self) -> SpanId {
        next_free_id(self.spans.iter().map(|s| s.id))
    }

    /// A relation id not used in this document.
    pub fn next_relation_id(&self) -> RelationId {
        next_free_id(self.relations.iter().map(|r| r.id))
    }

    /// The text a span covers; `None` if its offsets are outside the text.
    pub fn covered_text(&self, span: &Span) -> Option<&str> {
        self.text.slice(span.start..span.end)
    }

    /// The span with the same start, end and label as the arguments, if there is one.
    pub fn find_exact(&self, start: usize, end: usize, label: &str) -> Option<&Span> {
        let first = self.spans.partition_point(|s| (s.start, s.end) < (start, end));
        self.spans.iter().skip(first).take_while(|s| s.start == start && s.end == end).find(|s| s.label == label)
    }

    /// Inserts a span at its sorted place, without checks (see [`crate::model::Edit`]).
    pub(crate) fn insert_span_sorted(&mut self, span: Span) {
        let at = self.spans.partition_point(|s| s.sort_key() < span.sort_key());
        self.spans.insert(at, span);
    }

    /// The suggestion with id `id`.
    pub fn suggestion(&self, id: SpanId) -> Option<&Span> {
        self.suggestions.iter().find(|s| s.id == id)
    }

    /// A suggestion id not used in this document.
    pub fn next_suggestion_id(&self) -> SpanId {
        self.suggestions.iter().map(|s| s.id).max().map_or(1, |m| m + 1)
    }

    /// Inserts a suggestion at its sorted place, without checks (see [`crate::model::Edit`]).
    pub(crate) fn insert_suggestion_sorted(&mut self, suggestion: Span) {
        let at = self.suggestions.partition_point(|s| s.sort_key() < suggestion.sort_key());
        self.suggestions.insert(at, suggestion);
    }

    /// Suggestions that overlap the code point range `start..end`, in sorted order.
    pub fn suggestions_in(&self, start: usize, end: usize) -> impl Iterator<Item = &Span> {
        let upto = self.suggestions.partition_point(|s| s.start < end);
        self.suggestions.iter().take(upto).filter(move |s| s.end > start)
    }

    /// Ids of the relations that start or end at span `id`.
    pub fn relations_of(&self, id: SpanId) -> Vec<RelationId> {
        self.relations.iter().filter(|r| r.from == id || r.to == id).map(|r| r.id).collect()
    }

    /// Spans that overlap the code point range `start..end`, in sorted order.
    pub fn spans_in(&self, start: usize, end: usize) -> impl Iterator<Item = &Span> {
        let upto = self.spans.partition_point(|s| s.start < end);
        self.spans.iter().take(upto).filter(move |s| s.end > start)
    }

    /// The value of doc label `name`, if set.
    pub fn doc_label(&self, name: &str) -> Option<&str> {
        self.doc_labels.get(name).map(String::as_str)
    }

    /// Number of spans per label name.
    pub fn label_counts(&self) -> BTreeMap<&str, usize> {
        let mut counts = BTreeMap::new();
        for span in &self.spans {
            *counts.entry(span.label.as_str()).or_insert(0) += 1;
        }
        counts
    }
}

/// One more than the largest of `ids` (1 when there are none); when that would overflow (a file
/// gave an id of `u64::MAX`), the smallest id not in `ids`.
fn next_free_id(ids: impl Iterator<Item = u64> + Clone) -> u64 {
    match ids.clone().max().map(|m| m.checked_add(1)) {
        None => 1,
        Some(Some(next)) => next,
        Some(None) => {
            let used: crate::model::hashing::HashSet<u64> = ids.collect();
            (1..u64::MAX).find(|i| !used.contains(i)).unwrap_or(0)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_ids_do_not_overflow_after_the_largest_id() {
        let mut doc = Document::new("d1", "t", "abc");
        assert_eq!(doc.next_span_id(), 1);
        doc.spans = vec![Span::new(u64::MAX, 0, 1, "x"), Span::new(1, 1, 2, "x")];
        assert_eq!(doc.next_span_id(), 2);
        doc.relations = vec![Relation { id: u64::MAX - 1, label: "r".into(), from: 1, to: u64::MAX }];
        assert_eq!(doc.next_relation_id(), u64::MAX);
    }
}

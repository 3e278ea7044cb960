//! Accepting and rejecting suggestions: each decision is one undoable [`Edit`].
//!
//! A suggestion is a [`Span`] kept in [`Document::suggestions`](super::Document::suggestions) until
//! someone decides on it. Accepting turns it into a span (a new span id, the suggestion's note and
//! origin kept); rejecting drops it. A suggestion whose span already exists (same start, end and
//! label) is simply dropped on accept, so accepting twice never makes duplicates.
//!
//! Rejecting also remembers the suggestion in [`Document::rejected`](super::Document::rejected)
//! (see [`super::Rejection`]), and accepting one the memory holds forgets it, in the same edit.

use crate::model::hashing::HashSet;

use super::document::Document;
use super::edit::Edit;
use super::project::Project;
use super::rejection::{Rejection, remembered};
use super::span::{Span, SpanId};

impl Edit {
    /// Accepts the given suggestions of document `doc` as spans, in one edit. Ids that are not
    /// suggestions of the document are ignored; `None` when there is nothing to do.
    pub fn accept_suggestions(project: &Project, doc: usize, ids: &[SpanId]) -> Option<Edit> {
        let d = project.documents.get(doc)?;
        let wanted: HashSet<SpanId> = ids.iter().copied().collect();
        let mut removed = Vec::new();
        let mut spans: Vec<Span> = Vec::new();
        let mut next_id = d.next_span_id();
        let mut added: HashSet<(usize, usize, &str)> = HashSet::default();
        // In document order, one pass: fast for tens of thousands.
        for suggestion in d.suggestions.iter().filter(|s| wanted.contains(&s.id)) {
            removed.push(suggestion.id);
            let place = (suggestion.start, suggestion.end, suggestion.label.as_str());
            if d.find_exact(suggestion.start, suggestion.end, &suggestion.label).is_some() || !added.insert(place) {
                continue;
            }
            spans.push(Span { id: next_id, ..suggestion.clone() });
            next_id += 1;
        }
        if removed.is_empty() {
            return None;
        }
        let forget = remembered(&d.rejected, d.suggestions.iter().filter(|s| wanted.contains(&s.id)));
        let mut edits = vec![Edit::RemoveSuggestions { doc, ids: removed }];
        if !spans.is_empty() {
            edits.push(Edit::AddSpans { doc, spans });
        }
        if !forget.is_empty() {
            edits.push(Edit::ForgetRejections { doc, rejections: forget });
        }
        Some(Edit::Batch(edits))
    }

    /// Rejects (removes) the given suggestions of document `doc` and remembers them as rejected,
    /// in one edit; `None` when none of the ids is a suggestion of the document.
    pub fn reject_suggestions(project: &Project, doc: usize, ids: &[SpanId]) -> Option<Edit> {
        let d = project.documents.get(doc)?;
        let wanted: HashSet<SpanId> = ids.iter().copied().collect();
        let doomed: Vec<&Span> = d.suggestions.iter().filter(|s| wanted.contains(&s.id)).collect();
        if doomed.is_empty() {
            return None;
        }
        let mut rejections: Vec<Rejection> = doomed.iter().map(|s| Rejection::of(s)).collect();
        rejections.sort();
        rejections.dedup();
        let ids = doomed.iter().map(|s| s.id).collect();
        Some(Edit::Batch(vec![Edit::RemoveSuggestions { doc, ids }, Edit::RememberRejections { doc, rejections }]))
    }

    /// Accepts every suggestion of document `doc`.
    pub fn accept_all_suggestions(project: &Project, doc: usize) -> Option<Edit> {
        Self::accept_suggestions(project, doc, &suggestion_ids(project.documents.get(doc)?))
    }

    /// Rejects every suggestion of document `doc`.
    pub fn reject_all_suggestions(project: &Project, doc: usize) -> Option<Edit> {
        Self::reject_suggestions(project, doc, &suggestion_ids(project.documents.get(doc)?))
    }
}

fn suggestion_ids(doc: &Document) -> Vec<SpanId> {
    doc.suggestions.iter().map(|s| s.id).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{EditError, Schema};

    fn project() -> Project {
        let mut doc = Document::new("d1", "t", "Mayor Lee said the bridge in Gdańsk will close.");
        doc.spans.push(Span::new(1, 0, 9, "speaker"));
        let mut s = Span::new(1, 29, 35, "location");
        s.annotator = Some("gazetteer:places.tsv".into());
        doc.suggestions.push(s);
        doc.suggestions.push(Span::new(2, 0, 9, "speaker")); // already a span
        doc.suggestions.push(Span::new(3, 10, 14, "claim"));
        doc.suggestions.sort_by_key(Span::sort_key);
        Project { name: "p".into(), schema: Schema::default_news(), documents: vec![doc] }
    }

    #[test]
    fn accepting_makes_spans_keeps_origin_and_undoes() {
        let mut p = project();
        let before = p.clone();
        let edit = Edit::accept_suggestions(&p, 0, &[1, 2]).expect("something to do");
        let undo = edit.apply(&mut p).expect("applies");
        let d = &p.documents[0];
        assert_eq!(d.suggestions.iter().map(|s| s.id).collect::<Vec<_>>(), vec![3]);
        assert_eq!(d.spans.len(), 2, "the duplicate of span 1 is dropped, not added");
        let gdansk = d.find_exact(29, 35, "location").expect("accepted");
        assert_eq!(d.covered_text(gdansk), Some("Gdańsk"));
        assert_eq!(gdansk.annotator.as_deref(), Some("gazetteer:places.tsv"));
        assert_ne!(gdansk.id, 1, "gets a fresh span id");
        undo.apply(&mut p).expect("undo applies");
        assert_eq!(p, before);
    }

    #[test]
    fn rejecting_all_removes_them_and_unknown_ids_do_nothing() {
        let mut p = project();
        assert!(Edit::reject_suggestions(&p, 0, &[42]).is_none());
        assert!(Edit::accept_suggestions(&p, 7, &[1]).is_none());
        Edit::reject_all_suggestions(&p, 0).expect("some").apply(&mut p).expect("applies");
        assert!(p.documents[0].suggestions.is_empty());
        assert_eq!(p.documents[0].spans.len(), 1);
    }

    #[test]
    fn accept_all_twice_same_span_adds_it_once() {
        let mut p = project();
        let d = &mut p.documents[0];
        d.suggestions.push(Span::new(4, 10, 14, "claim"));
        d.suggestions.sort_by_key(Span::sort_key);
        Edit::accept_all_suggestions(&p, 0).expect("some").apply(&mut p).expect("applies");
        let d = &p.documents[0];
        assert!(d.suggestions.is_empty());
        assert_eq!(d.spans.iter().filter(|s| (s.start, s.end) == (10, 14)).count(), 1);
    }

    #[test]
    fn new_suggestions_are_checked() {
        let mut p = project();
        let bad = [
            (Span::new(9, 5, 5, "claim"), "empty"),
            (Span::new(9, 40, 400, "claim"), "out of range"),
            (Span::new(9, 0, 4, "nope"), "unknown label"),
            (Span::new(1, 0, 4, "claim"), "id in use"),
        ];
        for (suggestion, why) in bad {
            let err = Edit::AddSuggestion { doc: 0, suggestion }.apply(&mut p);
            assert!(
                matches!(
                    err,
                    Err(EditError::EmptySpan { .. }
                        | EditError::OutOfRange { .. }
                        | EditError::UnknownLabel(_)
                        | EditError::DuplicateId(_))
                ),
                "{why}: {err:?}"
            );
        }
        assert_eq!(p, project(), "refused edits change nothing");
    }

    #[test]
    fn renaming_or_dropping_a_label_reaches_suggestions() {
        let mut p = project();
        Edit::RenameLabel { from: "location".into(), to: "place".into() }.apply(&mut p).expect("renames");
        assert_eq!(p.documents[0].suggestion(1).map(|s| s.label.as_str()), Some("place"));
        let mut schema = p.schema.clone();
        schema.labels.retain(|l| l.name != "place");
        assert!(matches!(Edit::SetSchema(schema).apply(&mut p), Err(EditError::LabelInUse { .. })));
        Edit::remove_label_with_spans(&p, "place").apply(&mut p).expect("removes");
        assert!(p.documents[0].suggestion(1).is_none());
    }
}

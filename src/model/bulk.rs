//! Edits of many spans or suggestions at once, in time O(n log n) rather than O(n²): a gazetteer
//! run adds tens of thousands of suggestions to a long article, and "accept all" turns them into
//! spans, each as one undo step that must not freeze the app.

use crate::model::hashing::HashSet;

use super::document::Document;
use super::edit::{Edit, EditError, check_span_shape};
use super::project::Project;
use super::span::{Span, SpanId};

/// Adds `suggestions` to document `doc`: each checked as [`super::check_new_suggestion`] does.
pub(super) fn add_suggestions(project: &mut Project, doc: usize, suggestions: Vec<Span>) -> Result<Edit, EditError> {
    let d = project.documents.get(doc).ok_or(EditError::NoDocument(doc))?;
    let mut ids: HashSet<SpanId> = d.suggestions.iter().map(|s| s.id).collect();
    for s in &suggestions {
        check_span_shape(&project.schema, d, s)?;
        if !ids.insert(s.id) {
            return Err(EditError::DuplicateId(s.id));
        }
    }
    let new_ids = suggestions.iter().map(|s| s.id).collect();
    let d = document_mut(project, doc)?;
    merge_sorted(&mut d.suggestions, suggestions);
    Ok(Edit::RemoveSuggestions { doc, ids: new_ids })
}

/// Removes the suggestions `ids` of document `doc`; all must exist.
pub(super) fn remove_suggestions(project: &mut Project, doc: usize, ids: &[SpanId]) -> Result<Edit, EditError> {
    let d = document_mut(project, doc)?;
    let doomed = id_set(ids)?;
    let (removed, kept) = split_by_id(std::mem::take(&mut d.suggestions), &doomed);
    if removed.len() != doomed.len() {
        let missing = first_missing(ids, &removed);
        d.suggestions = restore(kept, removed);
        return Err(EditError::NoSuggestion(missing));
    }
    d.suggestions = kept;
    Ok(Edit::AddSuggestions { doc, suggestions: removed })
}

/// Adds `spans` to document `doc`: each checked as [`super::check_new_span`] does, also against
/// the others added with it.
pub(super) fn add_spans(project: &mut Project, doc: usize, spans: Vec<Span>) -> Result<Edit, EditError> {
    let d = project.documents.get(doc).ok_or(EditError::NoDocument(doc))?;
    let mut ids: HashSet<SpanId> = d.spans.iter().map(|s| s.id).collect();
    let mut places: HashSet<(usize, usize, &str)> = HashSet::default();
    for s in &spans {
        check_span_shape(&project.schema, d, s)?;
        if !ids.insert(s.id) {
            return Err(EditError::DuplicateId(s.id));
        }
        let existing = d.find_exact(s.start, s.end, &s.label).map(|e| e.id);
        if let Some(existing) = existing {
            return Err(EditError::DuplicateSpan { label: s.label.clone(), existing });
        }
        if !places.insert((s.start, s.end, s.label.as_str())) {
            let existing =
                spans.iter().find(|o| (o.start, o.end, &o.label) == (s.start, s.end, &s.label)).map_or(0, |o| o.id);
            return Err(EditError::DuplicateSpan { label: s.label.clone(), existing });
        }
    }
    let new_ids = spans.iter().map(|s| s.id).collect();
    let d = document_mut(project, doc)?;
    merge_sorted(&mut d.spans, spans);
    Ok(Edit::RemoveSpans { doc, ids: new_ids })
}

/// Removes the spans `ids` of document `doc`; all must exist and no relation may use them.
pub(super) fn remove_spans(project: &mut Project, doc: usize, ids: &[SpanId]) -> Result<Edit, EditError> {
    let d = document_mut(project, doc)?;
    let doomed = id_set(ids)?;
    for r in &d.relations {
        for end in [r.from, r.to] {
            if doomed.contains(&end) {
                return Err(EditError::SpanHasRelations { id: end, count: d.relations_of(end).len() });
            }
        }
    }
    let (removed, kept) = split_by_id(std::mem::take(&mut d.spans), &doomed);
    if removed.len() != doomed.len() {
        let missing = first_missing(ids, &removed);
        d.spans = restore(kept, removed);
        return Err(EditError::NoSpan(missing));
    }
    d.spans = kept;
    Ok(Edit::AddSpans { doc, spans: removed })
}

fn document_mut(project: &mut Project, doc: usize) -> Result<&mut Document, EditError> {
    project.documents.get_mut(doc).ok_or(EditError::NoDocument(doc))
}

/// The ids as a set; a repeated id is refused (the inverse could not restore it twice).
fn id_set(ids: &[SpanId]) -> Result<HashSet<SpanId>, EditError> {
    let mut set = HashSet::with_capacity_and_hasher(ids.len(), Default::default());
    for &id in ids {
        if !set.insert(id) {
            return Err(EditError::DuplicateId(id));
        }
    }
    Ok(set)
}

/// Splits `all` (sorted) into those whose id is in `ids` and the rest, both still sorted.
fn split_by_id(all: Vec<Span>, ids: &HashSet<SpanId>) -> (Vec<Span>, Vec<Span>) {
    all.into_iter().partition(|s| ids.contains(&s.id))
}

fn first_missing(ids: &[SpanId], found: &[Span]) -> SpanId {
    let found: HashSet<SpanId> = found.iter().map(|s| s.id).collect();
    ids.iter().copied().find(|id| !found.contains(id)).unwrap_or_default()
}

fn restore(mut kept: Vec<Span>, removed: Vec<Span>) -> Vec<Span> {
    merge_sorted(&mut kept, removed);
    kept
}

/// Adds `new` to the sorted `list`, keeping it sorted by (start, end, id).
fn merge_sorted(list: &mut Vec<Span>, mut new: Vec<Span>) {
    new.sort_by_key(Span::sort_key);
    if list.last().is_none_or(|last| new.first().is_none_or(|first| last.sort_key() <= first.sort_key())) {
        list.extend(new);
    } else {
        list.extend(new);
        // Both halves are sorted: the standard sort detects the runs and merges them in O(n).
        list.sort_by_key(Span::sort_key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Relation, Schema};

    fn project() -> Project {
        let mut doc = Document::new("d1", "t", "alpha beta gamma delta epsilon");
        doc.spans.push(Span::new(1, 0, 5, "claim"));
        doc.spans.push(Span::new(2, 6, 10, "speaker"));
        doc.relations.push(Relation { id: 1, label: "said".into(), from: 2, to: 1 });
        doc.suggestions.push(Span::new(7, 11, 16, "location"));
        Project { name: "p".into(), schema: Schema::default_news(), documents: vec![doc] }
    }

    #[test]
    fn many_at_once_apply_sorted_and_undo_exactly() {
        let mut p = project();
        let before = p.clone();
        let new: Vec<Span> = (0..5).map(|i| Span::new(20 + i, 6 * i as usize, 6 * i as usize + 4, "threat")).collect();
        let undo = Edit::AddSuggestions { doc: 0, suggestions: new.clone() }.apply(&mut p).expect("adds");
        let d = &p.documents[0];
        assert_eq!(d.suggestions.len(), 6);
        assert!(d.suggestions.windows(2).all(|w| w[0].sort_key() <= w[1].sort_key()), "kept sorted");
        let undo_spans =
            Edit::AddSpans { doc: 0, spans: vec![Span::new(9, 17, 22, "location")] }.apply(&mut p).expect("adds");
        assert!(p.documents[0].spans.windows(2).all(|w| w[0].sort_key() <= w[1].sort_key()));
        undo_spans.apply(&mut p).expect("undo spans");
        undo.apply(&mut p).expect("undo suggestions");
        assert_eq!(p, before);
    }

    #[test]
    fn bad_bulk_edits_change_nothing() {
        let mut p = project();
        let before = p.clone();
        let cases = vec![
            Edit::AddSuggestions {
                doc: 0,
                suggestions: vec![Span::new(8, 0, 3, "claim"), Span::new(7, 0, 3, "claim")],
            },
            Edit::AddSuggestions { doc: 0, suggestions: vec![Span::new(8, 0, 3, "nope")] },
            Edit::AddSuggestions { doc: 0, suggestions: vec![Span::new(8, 3, 3, "claim")] },
            Edit::AddSuggestions { doc: 3, suggestions: vec![] },
            Edit::RemoveSuggestions { doc: 0, ids: vec![7, 99] },
            Edit::RemoveSuggestions { doc: 0, ids: vec![7, 7] },
            Edit::AddSpans { doc: 0, spans: vec![Span::new(5, 0, 5, "claim")] },
            Edit::AddSpans { doc: 0, spans: vec![Span::new(5, 11, 16, "claim"), Span::new(6, 11, 16, "claim")] },
            Edit::AddSpans { doc: 0, spans: vec![Span::new(1, 11, 16, "claim")] },
            Edit::AddSpans { doc: 0, spans: vec![Span::new(5, 11, 99, "claim")] },
            Edit::RemoveSpans { doc: 0, ids: vec![1] },
            Edit::RemoveSpans { doc: 0, ids: vec![42] },
        ];
        for edit in cases {
            let shown = format!("{edit:?}");
            assert!(edit.apply(&mut p).is_err(), "{shown}");
            assert_eq!(p, before, "{shown}");
        }
    }

    #[test]
    fn accepting_forty_thousand_suggestions_is_fast() {
        let text = "word ".repeat(40_000);
        let mut doc = Document::new("d", "t", text);
        doc.suggestions = (0..40_000).map(|i| Span::new(i as u64 + 1, 5 * i, 5 * i + 4, "claim")).collect();
        let mut p = Project { name: "p".into(), schema: Schema::default_news(), documents: vec![doc] };
        let started = std::time::Instant::now();
        let undo = Edit::accept_all_suggestions(&p, 0).expect("some").apply(&mut p).expect("accepts");
        assert_eq!(p.documents[0].spans.len(), 40_000);
        undo.apply(&mut p).expect("undo");
        assert_eq!(p.documents[0].suggestions.len(), 40_000);
        // Quadratic work would take tens of seconds; allow a slow debug build plenty.
        assert!(started.elapsed().as_secs() < 5, "{:?}", started.elapsed());
    }
}

//! The memory of rejected suggestions: what a researcher said no to, so that running the same
//! gazetteer or rule again does not bring it back.
//!
//! Rejecting a suggestion ([`Edit::reject_suggestions`]) removes it and remembers its place and
//! label as a [`Rejection`] in [`Document::rejected`](super::Document::rejected), in the same undo
//! step: undoing the rejection forgets it again. Accepting a suggestion the memory holds (one
//! brought back on purpose) forgets it. A span deleted by hand is not a rejection: deleting is
//! editing (to redraw or relabel it), not a verdict on what a gazetteer proposes.
//!
//! ```text
//! text:      Jordan said the talks would resume.
//! suggested: [location]   rejected → rejected: [(0, 6, "location")]
//! next run:  Jordan location 0..6 is skipped ("1 previously rejected")
//! ```

use std::collections::BTreeSet;

use super::edit::{Edit, EditError};
use super::project::Project;
use super::span::Span;

/// A rejected suggestion: where it was (code points, end-exclusive) and the label it proposed.
/// Its origin is not kept: a "no" to "Jordan is a location" holds whoever proposes it again.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Rejection {
    /// First code point.
    pub start: usize,
    /// Code point just past the end.
    pub end: usize,
    /// The label that was proposed.
    pub label: String,
}

impl Rejection {
    /// The rejection of a suggestion (or span): its start, end and label.
    pub fn of(span: &Span) -> Self {
        Self { start: span.start, end: span.end, label: span.label.clone() }
    }
}

/// Remembers `rejections` in document `doc`; those already remembered are left alone, so the
/// inverse forgets only what this added.
pub(super) fn remember(project: &mut Project, doc: usize, rejections: Vec<Rejection>) -> Result<Edit, EditError> {
    let d = project.documents.get_mut(doc).ok_or(EditError::NoDocument(doc))?;
    let added: Vec<Rejection> = rejections.into_iter().filter(|r| d.rejected.insert(r.clone())).collect();
    Ok(Edit::ForgetRejections { doc, rejections: added })
}

/// Forgets `rejections` in document `doc`; those not remembered are left alone, so the inverse
/// remembers only what this removed.
pub(super) fn forget(project: &mut Project, doc: usize, rejections: Vec<Rejection>) -> Result<Edit, EditError> {
    let d = project.documents.get_mut(doc).ok_or(EditError::NoDocument(doc))?;
    let removed: Vec<Rejection> = rejections.into_iter().filter(|r| d.rejected.remove(r)).collect();
    Ok(Edit::RememberRejections { doc, rejections: removed })
}

/// The rejections among `spans` that `rejected` holds, each once, for forgetting on accept.
pub(super) fn remembered<'a>(rejected: &BTreeSet<Rejection>, spans: impl Iterator<Item = &'a Span>) -> Vec<Rejection> {
    if rejected.is_empty() {
        return Vec::new();
    }
    let found: BTreeSet<Rejection> = spans.map(Rejection::of).filter(|r| rejected.contains(r)).collect();
    found.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Document, Schema};

    fn project() -> Project {
        let mut doc = Document::new("d1", "t", "Jordan said the talks in Amman would resume.");
        doc.suggestions.push(Span::new(1, 0, 6, "location"));
        doc.suggestions.push(Span::new(2, 25, 30, "location"));
        Project { name: "p".into(), schema: Schema::default_news(), documents: vec![doc] }
    }

    fn place(start: usize, end: usize, label: &str) -> Rejection {
        Rejection { start, end, label: label.into() }
    }

    #[test]
    fn rejecting_remembers_and_undo_forgets() {
        let mut p = project();
        let before = p.clone();
        let undo = Edit::reject_suggestions(&p, 0, &[1]).expect("something").apply(&mut p).expect("applies");
        assert_eq!(p.documents[0].rejected.iter().cloned().collect::<Vec<_>>(), [place(0, 6, "location")]);
        assert_eq!(p.documents[0].suggestions.len(), 1);
        undo.apply(&mut p).expect("undo applies");
        assert_eq!(p, before, "undo restores the suggestion and forgets the rejection");
    }

    #[test]
    fn remembering_twice_keeps_one_and_undo_keeps_the_older_memory() {
        let mut p = project();
        p.documents[0].rejected.insert(place(0, 6, "location"));
        let before = p.clone();
        let undo = Edit::reject_suggestions(&p, 0, &[1]).expect("something").apply(&mut p).expect("applies");
        assert_eq!(p.documents[0].rejected.len(), 1);
        undo.apply(&mut p).expect("undo applies");
        assert_eq!(p, before, "the rejection remembered before stays remembered");
    }

    #[test]
    fn accepting_a_remembered_rejection_forgets_it_undoably() {
        let mut p = project();
        p.documents[0].rejected.insert(place(25, 30, "location"));
        p.documents[0].rejected.insert(place(0, 6, "speaker"));
        let before = p.clone();
        let undo = Edit::accept_suggestions(&p, 0, &[2]).expect("something").apply(&mut p).expect("applies");
        assert_eq!(p.documents[0].rejected.iter().cloned().collect::<Vec<_>>(), [place(0, 6, "speaker")]);
        undo.apply(&mut p).expect("undo applies");
        assert_eq!(p, before);
    }

    #[test]
    fn edits_on_a_missing_document_are_refused() {
        let mut p = project();
        let err = Edit::RememberRejections { doc: 3, rejections: vec![place(0, 1, "claim")] }.apply(&mut p);
        assert_eq!(err, Err(EditError::NoDocument(3)));
        let err = Edit::ForgetRejections { doc: 3, rejections: vec![] }.apply(&mut p);
        assert_eq!(err, Err(EditError::NoDocument(3)));
    }

    #[test]
    fn renaming_a_label_renames_its_rejections() {
        let mut p = project();
        p.documents[0].rejected.insert(place(0, 6, "location"));
        Edit::RenameLabel { from: "location".into(), to: "place".into() }.apply(&mut p).expect("renames");
        assert!(p.documents[0].rejected.contains(&place(0, 6, "place")));
    }
}

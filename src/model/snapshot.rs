//! A copy of a project to write off the UI thread, cheap to take again after an edit.
//!
//! A save or an autosave writes the project on a thread of its own while the user goes on
//! editing, so it needs a copy of the project as it was. Copying a project of 100 MB and half a
//! million spans takes tens of milliseconds: several frames. A [`Snapshot`] keeps each document
//! behind an [`Arc`], and the next snapshot shares every document that has not changed since the
//! previous one; only the documents edited in between are copied. Comparing a document with its
//! copy allocates nothing and its text is shared (see [`crate::model::Text`]), so an unchanged
//! document costs a comparison of its spans.

use crate::model::hashing::HashMap;
use std::sync::Arc;

use super::{Document, Project, Schema};

/// The project as it was when the snapshot was taken.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Snapshot {
    /// The project's name.
    pub name: String,
    /// Its labels and relation types.
    pub schema: Schema,
    /// Its documents, in order, each shared with other snapshots that saw it unchanged.
    pub documents: Vec<Arc<Document>>,
}

impl Snapshot {
    /// A snapshot of `project` that shares with `previous` every document equal to the one of the
    /// same id there, and copies the others.
    pub fn take(project: &Project, previous: Option<&Snapshot>) -> Self {
        let earlier: HashMap<&str, &Arc<Document>> =
            previous.map(|p| p.documents.iter().map(|d| (d.id.as_str(), d)).collect()).unwrap_or_default();
        let documents = project
            .documents
            .iter()
            .map(|doc| match earlier.get(doc.id.as_str()) {
                Some(&same) if **same == *doc => Arc::clone(same),
                _ => Arc::new(doc.clone()),
            })
            .collect();
        Self { name: project.name.clone(), schema: project.schema.clone(), documents }
    }

    /// The whole project again, as an owned copy.
    pub fn to_project(&self) -> Project {
        Project {
            name: self.name.clone(),
            schema: self.schema.clone(),
            documents: self.documents.iter().map(|d| Document::clone(d)).collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Span;

    fn project() -> Project {
        let mut p = Project::new("Harbour");
        for (id, text) in [("d1", "The governor said the port closes."), ("d2", "کراچی کی بندرگاہ"), ("d3", "Lyon")]
        {
            p.documents.push(Document::new(id, id, text));
        }
        p
    }

    #[test]
    fn an_unchanged_project_shares_every_document() {
        let p = project();
        let first = Snapshot::take(&p, None);
        assert_eq!(first.to_project(), p);
        let second = Snapshot::take(&p, Some(&first));
        assert!(first.documents.iter().zip(&second.documents).all(|(a, b)| Arc::ptr_eq(a, b)));
    }

    #[test]
    fn only_the_edited_document_is_copied_and_the_copy_has_the_edit() {
        let mut p = project();
        let first = Snapshot::take(&p, None);
        p.documents[1].spans.push(Span::new(1, 0, 5, "location"));
        let second = Snapshot::take(&p, Some(&first));
        assert!(Arc::ptr_eq(&first.documents[0], &second.documents[0]));
        assert!(!Arc::ptr_eq(&first.documents[1], &second.documents[1]));
        assert!(Arc::ptr_eq(&first.documents[2], &second.documents[2]));
        assert_eq!(second.to_project(), p);
        assert!(first.documents[1].spans.is_empty(), "the earlier snapshot keeps what it saw");
    }

    #[test]
    fn documents_are_matched_by_id_across_insertions_and_removals() {
        let mut p = project();
        let first = Snapshot::take(&p, None);
        p.documents.remove(0);
        p.documents.insert(1, Document::new("d9", "new", "A new article."));
        p.name = "Renamed".into();
        let second = Snapshot::take(&p, Some(&first));
        assert_eq!(second.to_project(), p);
        assert!(Arc::ptr_eq(&first.documents[1], &second.documents[0]), "d2 moved up, still shared");
        assert!(Arc::ptr_eq(&first.documents[2], &second.documents[2]), "d3 shared");
        // The same id with other content (a document replaced in place) is copied anew.
        let mut q = project();
        q.documents[2] = Document::new("d3", "d3", "Lyon, again");
        let third = Snapshot::take(&q, Some(&first));
        assert_eq!(third.documents[2].text.as_str(), "Lyon, again");
    }
}

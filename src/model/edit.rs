//! Invertible edits of a project.
//!
//! Every change a person makes goes through an [`Edit`]. [`Edit::apply`] checks the model's rules,
//! changes the project and returns the edit that undoes it, so the history
//! ([`crate::model::History`]) never needs to copy the project.

use super::document::{Document, Status};
use super::project::Project;
use super::rejection::Rejection;
use super::relation::{Relation, RelationId};
use super::schema::{CONTROL_CHARACTER, Schema, name_fault};
use super::span::{Span, SpanId};

/// Why an edit was refused. The project is unchanged when an edit returns one of these.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum EditError {
    /// No document at that position.
    #[error("there is no document #{0}")]
    NoDocument(usize),
    /// No span with that id in the document.
    #[error("there is no span {0} in this document")]
    NoSpan(SpanId),
    /// No relation with that id in the document.
    #[error("there is no relation {0} in this document")]
    NoRelation(RelationId),
    /// No suggestion with that id in the document.
    #[error("there is no suggestion {0} in this document")]
    NoSuggestion(SpanId),
    /// The span would cover nothing.
    #[error("a span must cover at least one character ({start}..{end} is empty)")]
    EmptySpan {
        /// Start offset asked for.
        start: usize,
        /// End offset asked for.
        end: usize,
    },
    /// The span reaches past the end of the text.
    #[error("offsets {start}..{end} reach past the end of the text ({len} characters)")]
    OutOfRange {
        /// Start offset asked for.
        start: usize,
        /// End offset asked for.
        end: usize,
        /// Length of the text in code points.
        len: usize,
    },
    /// The label is not in the schema.
    #[error("there is no label {0:?} in the schema")]
    UnknownLabel(String),
    /// A span with the same start, end and label exists.
    #[error("this text already has a {label:?} span (span {existing})")]
    DuplicateSpan {
        /// Label of both spans.
        label: String,
        /// Id of the span already there.
        existing: SpanId,
    },
    /// The id is taken.
    #[error("id {0} is already used in this document")]
    DuplicateId(u64),
    /// Relations still point at the span.
    #[error("span {id} is linked by {count} relation(s); remove them with it")]
    SpanHasRelations {
        /// The span.
        id: SpanId,
        /// How many relations use it.
        count: usize,
    },
    /// The relation type is not in the schema.
    #[error("there is no relation type {0:?} in the schema")]
    UnknownRelationType(String),
    /// The relation type does not allow these labels.
    #[error("{kind:?} may not link a {from:?} span to a {to:?} span")]
    RelationNotAllowed {
        /// Relation type.
        kind: String,
        /// Label of the from span.
        from: String,
        /// Label of the to span.
        to: String,
    },
    /// The label is on spans; deleting it must take them along.
    #[error("label {label:?} is used by {count} span(s)")]
    LabelInUse {
        /// The label.
        label: String,
        /// How many spans use it.
        count: usize,
    },
    /// A relation type is used by relations.
    #[error("relation type {kind:?} is used by {count} relation(s)")]
    RelationTypeInUse {
        /// The relation type.
        kind: String,
        /// How many relations use it.
        count: usize,
    },
    /// The label name is taken.
    #[error("there is already a label called {0:?}")]
    LabelExists(String),
    /// The doc label is not in the schema.
    #[error("there is no document label {0:?} in the schema")]
    UnknownDocLabel(String),
    /// The value is not one of the doc label's values.
    #[error("{value:?} is not a value of document label {name:?}")]
    UnknownDocLabelValue {
        /// The doc label.
        name: String,
        /// The value asked for.
        value: String,
    },
    /// A doc label, or one of its values, is set on documents.
    #[error("document label {name:?}{} is set on {count} document(s)", .value.as_ref().map(|v| format!(" = {v:?}")).unwrap_or_default())]
    DocLabelInUse {
        /// The doc label.
        name: String,
        /// The value dropped, when the doc label itself stays.
        value: Option<String>,
        /// How many documents use it.
        count: usize,
    },
    /// The schema would break its own rules.
    #[error("invalid schema: {}", .0.join("; "))]
    InvalidSchema(Vec<String>),
    /// A document with that id exists.
    #[error("there is already a document with id {0:?}")]
    DuplicateDocument(String),
    /// The document breaks a rule of the model.
    #[error("invalid document: {0}")]
    InvalidDocument(String),
}

/// One invertible change to a project. Documents are addressed by position in the project.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Edit {
    /// Add a span (its id must be free in the document).
    AddSpan {
        /// Document position.
        doc: usize,
        /// The new span.
        span: Span,
    },
    /// Remove a span that no relation uses.
    RemoveSpan {
        /// Document position.
        doc: usize,
        /// Span id.
        id: SpanId,
    },
    /// Change a span's label.
    SetSpanLabel {
        /// Document position.
        doc: usize,
        /// Span id.
        id: SpanId,
        /// New label.
        label: String,
    },
    /// Change a span's note.
    SetSpanNote {
        /// Document position.
        doc: usize,
        /// Span id.
        id: SpanId,
        /// New note.
        note: Option<String>,
    },
    /// Add a suggestion (its id must be free among the document's suggestions).
    AddSuggestion {
        /// Document position.
        doc: usize,
        /// The suggested span; `annotator` names where it came from.
        suggestion: Span,
    },
    /// Remove a suggestion (rejecting it; accepting is this plus [`Edit::AddSpan`]).
    RemoveSuggestion {
        /// Document position.
        doc: usize,
        /// Suggestion id.
        id: SpanId,
    },
    /// Add many suggestions at once, as [`Edit::AddSuggestion`] would one by one (fast for
    /// tens of thousands).
    AddSuggestions {
        /// Document position.
        doc: usize,
        /// The suggestions, with free and distinct ids.
        suggestions: Vec<Span>,
    },
    /// Remove many suggestions at once; all must exist.
    RemoveSuggestions {
        /// Document position.
        doc: usize,
        /// Suggestion ids, each once.
        ids: Vec<SpanId>,
    },
    /// Remember rejected suggestions (those already remembered are left alone).
    RememberRejections {
        /// Document position.
        doc: usize,
        /// Place and label of each.
        rejections: Vec<Rejection>,
    },
    /// Forget rejected suggestions (those not remembered are left alone).
    ForgetRejections {
        /// Document position.
        doc: usize,
        /// Place and label of each.
        rejections: Vec<Rejection>,
    },
    /// Add many spans at once, as [`Edit::AddSpan`] would one by one.
    AddSpans {
        /// Document position.
        doc: usize,
        /// The spans, with free and distinct ids, none duplicating another span.
        spans: Vec<Span>,
    },
    /// Remove many spans at once; all must exist and no relation may use them.
    RemoveSpans {
        /// Document position.
        doc: usize,
        /// Span ids, each once.
        ids: Vec<SpanId>,
    },
    /// Add a relation between two spans.
    AddRelation {
        /// Document position.
        doc: usize,
        /// The new relation.
        relation: Relation,
    },
    /// Remove a relation.
    RemoveRelation {
        /// Document position.
        doc: usize,
        /// Relation id.
        id: RelationId,
    },
    /// Change a document's status.
    SetStatus {
        /// Document position.
        doc: usize,
        /// New status.
        status: Status,
    },
    /// Set a document-level label to one of its values, or unset it (`None`).
    SetDocLabel {
        /// Document position.
        doc: usize,
        /// Doc label name (must be in the schema when setting a value).
        name: String,
        /// New value, one of the doc label's values; `None` unsets it.
        value: Option<String>,
    },
    /// Change a document's note.
    SetDocumentNote {
        /// Document position.
        doc: usize,
        /// New note.
        note: Option<String>,
    },
    /// Insert a document at a position.
    AddDocument {
        /// Position it takes.
        index: usize,
        /// The document.
        document: Box<Document>,
    },
    /// Remove the document at a position.
    RemoveDocument {
        /// Document position.
        index: usize,
    },
    /// Rename a label in the schema, on every span and in relation types.
    RenameLabel {
        /// Current name.
        from: String,
        /// New name.
        to: String,
    },
    /// Rename a document-level label in the schema and on every document.
    RenameDocLabel {
        /// Current name.
        from: String,
        /// New name.
        to: String,
    },
    /// Rename one value of a document-level label, in the schema (keeping its place in the
    /// values) and on every document set to it.
    RenameDocLabelValue {
        /// The doc label.
        name: String,
        /// Current value.
        from: String,
        /// New value.
        to: String,
    },
    /// Replace the schema (add a label, recolour, change a hotkey or description, relation
    /// types, doc labels and their values). Refused if it drops a label, relation type, doc
    /// label or doc label value still in use; use [`RenameLabel`] to rename.
    ///
    /// [`RenameLabel`]: Edit::RenameLabel
    SetSchema(Schema),
    /// Several edits as one step (e.g. "label all matches"), applied in order.
    Batch(Vec<Edit>),
}

impl Edit {
    /// Applies the edit, or refuses it and leaves the project as it was. Returns the edit that
    /// undoes it.
    pub fn apply(self, project: &mut Project) -> Result<Edit, EditError> {
        match self {
            Edit::AddSpan { doc, span } => {
                let d = document(project, doc)?;
                check_new_span(&project.schema, d, &span)?;
                let id = span.id;
                document_mut(project, doc)?.insert_span_sorted(span);
                Ok(Edit::RemoveSpan { doc, id })
            }
            Edit::RemoveSpan { doc, id } => {
                let d = document_mut(project, doc)?;
                let at = d.span_index(id).ok_or(EditError::NoSpan(id))?;
                let count = d.relations_of(id).len();
                if count > 0 {
                    return Err(EditError::SpanHasRelations { id, count });
                }
                let span = d.spans.remove(at);
                Ok(Edit::AddSpan { doc, span })
            }
            Edit::SetSpanLabel { doc, id, label } => {
                if project.schema.label(&label).is_none() {
                    return Err(EditError::UnknownLabel(label));
                }
                let d = document(project, doc)?;
                let span = d.span(id).ok_or(EditError::NoSpan(id))?;
                if let Some(other) = d.find_exact(span.start, span.end, &label) {
                    if other.id != id {
                        return Err(EditError::DuplicateSpan { label, existing: other.id });
                    }
                }
                for rel in d.relations.iter().filter(|r| r.from == id || r.to == id) {
                    let (from, to) = relation_labels(d, rel, id, &label);
                    check_relation_kind(&project.schema, &rel.label, from, to)?;
                }
                let d = document_mut(project, doc)?;
                let span = d.span_mut(id).ok_or(EditError::NoSpan(id))?;
                let old = std::mem::replace(&mut span.label, label);
                Ok(Edit::SetSpanLabel { doc, id, label: old })
            }
            Edit::SetSpanNote { doc, id, note } => {
                let d = document_mut(project, doc)?;
                let span = d.span_mut(id).ok_or(EditError::NoSpan(id))?;
                let note = note.filter(|n| !n.is_empty());
                let old = std::mem::replace(&mut span.note, note);
                Ok(Edit::SetSpanNote { doc, id, note: old })
            }
            Edit::AddSuggestion { doc, suggestion } => {
                let d = document(project, doc)?;
                check_new_suggestion(&project.schema, d, &suggestion)?;
                let id = suggestion.id;
                document_mut(project, doc)?.insert_suggestion_sorted(suggestion);
                Ok(Edit::RemoveSuggestion { doc, id })
            }
            Edit::RemoveSuggestion { doc, id } => {
                let d = document_mut(project, doc)?;
                let at = d.suggestions.iter().position(|s| s.id == id).ok_or(EditError::NoSuggestion(id))?;
                let suggestion = d.suggestions.remove(at);
                Ok(Edit::AddSuggestion { doc, suggestion })
            }
            Edit::AddSuggestions { doc, suggestions } => super::bulk::add_suggestions(project, doc, suggestions),
            Edit::RemoveSuggestions { doc, ids } => super::bulk::remove_suggestions(project, doc, &ids),
            Edit::RememberRejections { doc, rejections } => super::rejection::remember(project, doc, rejections),
            Edit::ForgetRejections { doc, rejections } => super::rejection::forget(project, doc, rejections),
            Edit::AddSpans { doc, spans } => super::bulk::add_spans(project, doc, spans),
            Edit::RemoveSpans { doc, ids } => super::bulk::remove_spans(project, doc, &ids),
            Edit::AddRelation { doc, relation } => {
                let d = document(project, doc)?;
                if d.relation(relation.id).is_some() {
                    return Err(EditError::DuplicateId(relation.id));
                }
                let from = d.span(relation.from).ok_or(EditError::NoSpan(relation.from))?;
                let to = d.span(relation.to).ok_or(EditError::NoSpan(relation.to))?;
                check_relation_kind(&project.schema, &relation.label, &from.label, &to.label)?;
                let id = relation.id;
                document_mut(project, doc)?.relations.push(relation);
                Ok(Edit::RemoveRelation { doc, id })
            }
            Edit::RemoveRelation { doc, id } => {
                let d = document_mut(project, doc)?;
                let at = d.relations.iter().position(|r| r.id == id).ok_or(EditError::NoRelation(id))?;
                let relation = d.relations.remove(at);
                Ok(Edit::AddRelation { doc, relation })
            }
            Edit::SetStatus { doc, status } => {
                let d = document_mut(project, doc)?;
                let old = std::mem::replace(&mut d.status, status);
                Ok(Edit::SetStatus { doc, status: old })
            }
            Edit::SetDocLabel { doc, name, value } => {
                if let Some(value) = &value {
                    let def =
                        project.schema.doc_label(&name).ok_or_else(|| EditError::UnknownDocLabel(name.clone()))?;
                    if !def.allows(value) {
                        return Err(EditError::UnknownDocLabelValue { name, value: value.clone() });
                    }
                }
                let d = document_mut(project, doc)?;
                let old = match value {
                    Some(value) => d.doc_labels.insert(name.clone(), value),
                    None => d.doc_labels.remove(&name),
                };
                Ok(Edit::SetDocLabel { doc, name, value: old })
            }
            Edit::SetDocumentNote { doc, note } => {
                let d = document_mut(project, doc)?;
                let note = note.filter(|n| !n.is_empty());
                let old = std::mem::replace(&mut d.note, note);
                Ok(Edit::SetDocumentNote { doc, note: old })
            }
            Edit::AddDocument { index, document } => {
                if index > project.documents.len() {
                    return Err(EditError::NoDocument(index));
                }
                if project.document_index(&document.id).is_some() {
                    return Err(EditError::DuplicateDocument(document.id));
                }
                let mut problems = Vec::new();
                super::project::document_problems(&project.schema, &document, &mut problems);
                if let Some(first) = problems.into_iter().next() {
                    return Err(EditError::InvalidDocument(first.to_string()));
                }
                project.documents.insert(index, *document);
                Ok(Edit::RemoveDocument { index })
            }
            Edit::RemoveDocument { index } => {
                if index >= project.documents.len() {
                    return Err(EditError::NoDocument(index));
                }
                let document = Box::new(project.documents.remove(index));
                Ok(Edit::AddDocument { index, document })
            }
            Edit::RenameLabel { from, to } => rename_label(project, from, to),
            Edit::RenameDocLabel { from, to } => rename_doc_label(project, from, to),
            Edit::RenameDocLabelValue { name, from, to } => rename_doc_label_value(project, name, from, to),
            Edit::SetSchema(schema) => set_schema(project, schema),
            Edit::Batch(edits) => {
                let mut undo = Vec::with_capacity(edits.len());
                for edit in edits {
                    match edit.apply(project) {
                        Ok(inverse) => undo.push(inverse),
                        Err(err) => {
                            // Roll back what was applied, newest first, so the batch is all or nothing.
                            for inverse in undo.into_iter().rev() {
                                let _restored = inverse.apply(project);
                                debug_assert!(_restored.is_ok(), "an inverse edit must apply");
                            }
                            return Err(err);
                        }
                    }
                }
                undo.reverse();
                Ok(Edit::Batch(undo))
            }
        }
    }

    /// Removes a span together with the relations that use it, as one edit.
    pub fn remove_span_with_relations(project: &Project, doc: usize, id: SpanId) -> Edit {
        let mut edits: Vec<Edit> = project
            .documents
            .get(doc)
            .map(|d| d.relations_of(id))
            .unwrap_or_default()
            .into_iter()
            .map(|rid| Edit::RemoveRelation { doc, id: rid })
            .collect();
        edits.push(Edit::RemoveSpan { doc, id });
        Edit::Batch(edits)
    }

    /// Deletes a label from the schema together with its spans (and their relations) in every
    /// document, as one edit. The label is also dropped from relation types' allowed ends.
    pub fn remove_label_with_spans(project: &Project, label: &str) -> Edit {
        let mut edits = Vec::new();
        for (di, d) in project.documents.iter().enumerate() {
            let doomed: Vec<SpanId> = d.spans.iter().filter(|s| s.label == label).map(|s| s.id).collect();
            let rels = d.relations.iter().filter(|r| doomed.contains(&r.from) || doomed.contains(&r.to));
            edits.extend(rels.map(|r| Edit::RemoveRelation { doc: di, id: r.id }));
            edits.extend(doomed.into_iter().map(|id| Edit::RemoveSpan { doc: di, id }));
            let suggested = d.suggestions.iter().filter(|s| s.label == label);
            edits.extend(suggested.map(|s| Edit::RemoveSuggestion { doc: di, id: s.id }));
        }
        let mut schema = project.schema.clone();
        schema.labels.retain(|l| l.name != label);
        for kind in &mut schema.relations {
            kind.from.retain(|l| l != label);
            kind.to.retain(|l| l != label);
        }
        edits.push(Edit::SetSchema(schema));
        Edit::Batch(edits)
    }
}

fn document(project: &Project, doc: usize) -> Result<&Document, EditError> {
    project.documents.get(doc).ok_or(EditError::NoDocument(doc))
}

fn document_mut(project: &mut Project, doc: usize) -> Result<&mut Document, EditError> {
    project.documents.get_mut(doc).ok_or(EditError::NoDocument(doc))
}

/// The rules every new span or suggestion meets whatever its neighbours: not empty, inside the
/// text, a label of the schema.
pub(super) fn check_span_shape(schema: &Schema, doc: &Document, span: &Span) -> Result<(), EditError> {
    if span.start >= span.end {
        return Err(EditError::EmptySpan { start: span.start, end: span.end });
    }
    let len = doc.text.len_chars();
    if span.end > len {
        return Err(EditError::OutOfRange { start: span.start, end: span.end, len });
    }
    if schema.label(&span.label).is_none() {
        return Err(EditError::UnknownLabel(span.label.clone()));
    }
    Ok(())
}

/// The rules a new span must meet in its document: the invariants of [`Span`], in one place.
pub fn check_new_span(schema: &Schema, doc: &Document, span: &Span) -> Result<(), EditError> {
    if span.start >= span.end {
        return Err(EditError::EmptySpan { start: span.start, end: span.end });
    }
    let len = doc.text.len_chars();
    if span.end > len {
        return Err(EditError::OutOfRange { start: span.start, end: span.end, len });
    }
    if schema.label(&span.label).is_none() {
        return Err(EditError::UnknownLabel(span.label.clone()));
    }
    if doc.span(span.id).is_some() {
        return Err(EditError::DuplicateId(span.id));
    }
    if let Some(existing) = doc.find_exact(span.start, span.end, &span.label) {
        return Err(EditError::DuplicateSpan { label: span.label.clone(), existing: existing.id });
    }
    Ok(())
}

/// The rules a new suggestion must meet: inside the text, not empty, a known label, a free id.
/// Unlike spans, two suggestions may propose the same span (two annotators' versions).
pub fn check_new_suggestion(schema: &Schema, doc: &Document, suggestion: &Span) -> Result<(), EditError> {
    check_span_shape(schema, doc, suggestion)?;
    if doc.suggestion(suggestion.id).is_some() {
        return Err(EditError::DuplicateId(suggestion.id));
    }
    Ok(())
}

fn relation_labels<'a>(d: &'a Document, rel: &Relation, changed: SpanId, new: &'a str) -> (&'a str, &'a str) {
    let label_of = |id: SpanId| {
        if id == changed { new } else { d.span(id).map_or("", |s| s.label.as_str()) }
    };
    (label_of(rel.from), label_of(rel.to))
}

fn check_relation_kind(schema: &Schema, kind: &str, from: &str, to: &str) -> Result<(), EditError> {
    let rel = schema.relation_type(kind).ok_or_else(|| EditError::UnknownRelationType(kind.to_owned()))?;
    if !rel.allows(from, to) {
        return Err(EditError::RelationNotAllowed { kind: kind.to_owned(), from: from.to_owned(), to: to.to_owned() });
    }
    Ok(())
}

fn rename_label(project: &mut Project, from: String, to: String) -> Result<Edit, EditError> {
    if from == to {
        return Ok(Edit::RenameLabel { from: to, to: from });
    }
    if to.trim().is_empty() {
        return Err(EditError::InvalidSchema(vec!["a label name cannot be empty".to_owned()]));
    }
    if name_fault(&to).is_some() {
        return Err(EditError::InvalidSchema(vec![format!("label name {to:?} {CONTROL_CHARACTER}")]));
    }
    if project.schema.label(&to).is_some() {
        return Err(EditError::LabelExists(to));
    }
    let label = project
        .schema
        .labels
        .iter_mut()
        .find(|l| l.name == from)
        .ok_or_else(|| EditError::UnknownLabel(from.clone()))?;
    label.name = to.clone();
    for kind in &mut project.schema.relations {
        for end in kind.from.iter_mut().chain(kind.to.iter_mut()) {
            if *end == from {
                *end = to.clone();
            }
        }
    }
    for doc in &mut project.documents {
        for span in doc.spans.iter_mut().chain(doc.suggestions.iter_mut()).filter(|s| s.label == from) {
            span.label = to.clone();
        }
        if doc.rejected.iter().any(|r| r.label == from) {
            doc.rejected = std::mem::take(&mut doc.rejected)
                .into_iter()
                .map(|r| if r.label == from { Rejection { label: to.clone(), ..r } } else { r })
                .collect();
        }
    }
    Ok(Edit::RenameLabel { from: to, to: from })
}

fn rename_doc_label(project: &mut Project, from: String, to: String) -> Result<Edit, EditError> {
    if from == to {
        return Ok(Edit::RenameDocLabel { from: to, to: from });
    }
    if to.trim().is_empty() {
        return Err(EditError::InvalidSchema(vec!["a document label name cannot be empty".to_owned()]));
    }
    if name_fault(&to).is_some() {
        return Err(EditError::InvalidSchema(vec![format!("document label name {to:?} {CONTROL_CHARACTER}")]));
    }
    if project.schema.doc_label(&to).is_some() {
        return Err(EditError::LabelExists(to));
    }
    let def = project
        .schema
        .doc_labels
        .iter_mut()
        .find(|d| d.name == from)
        .ok_or_else(|| EditError::UnknownDocLabel(from.clone()))?;
    def.name = to.clone();
    for doc in &mut project.documents {
        if let Some(value) = doc.doc_labels.remove(&from) {
            doc.doc_labels.insert(to.clone(), value);
        }
    }
    Ok(Edit::RenameDocLabel { from: to, to: from })
}

fn rename_doc_label_value(project: &mut Project, name: String, from: String, to: String) -> Result<Edit, EditError> {
    let def = project
        .schema
        .doc_labels
        .iter_mut()
        .find(|d| d.name == name)
        .ok_or_else(|| EditError::UnknownDocLabel(name.clone()))?;
    let at = def
        .values
        .iter()
        .position(|v| *v == from)
        .ok_or_else(|| EditError::UnknownDocLabelValue { name: name.clone(), value: from.clone() })?;
    if from == to {
        return Ok(Edit::RenameDocLabelValue { name, from: to, to: from });
    }
    if to.trim().is_empty() {
        return Err(EditError::InvalidSchema(vec![format!("a value of document label {name:?} cannot be empty")]));
    }
    if name_fault(&to).is_some() {
        return Err(EditError::InvalidSchema(vec![format!(
            "value {to:?} of document label {name:?} {CONTROL_CHARACTER}"
        )]));
    }
    if def.allows(&to) {
        return Err(EditError::InvalidSchema(vec![format!("document label {name:?} already has the value {to:?}")]));
    }
    if let Some(value) = def.values.get_mut(at) {
        value.clone_from(&to);
    }
    for doc in &mut project.documents {
        if let Some(value) = doc.doc_labels.get_mut(&name).filter(|v| **v == from) {
            value.clone_from(&to);
        }
    }
    Ok(Edit::RenameDocLabelValue { name, from: to, to: from })
}

/// Refuses a schema that drops a doc label, or a value of one, that a document still uses.
fn check_doc_labels_kept(project: &Project, schema: &Schema) -> Result<(), EditError> {
    let mut missing: Vec<(&str, Option<&str>, usize)> = Vec::new();
    for doc in &project.documents {
        for (name, value) in &doc.doc_labels {
            let gone = match schema.doc_label(name) {
                None => (name.as_str(), None),
                Some(def) if !def.allows(value) => (name.as_str(), Some(value.as_str())),
                Some(_) => continue,
            };
            match missing.iter_mut().find(|(n, v, _)| (*n, *v) == gone) {
                Some(entry) => entry.2 += 1,
                None => missing.push((gone.0, gone.1, 1)),
            }
        }
    }
    match missing.first() {
        Some(&(name, value, count)) => {
            Err(EditError::DocLabelInUse { name: name.to_owned(), value: value.map(str::to_owned), count })
        }
        None => Ok(()),
    }
}

fn set_schema(project: &mut Project, schema: Schema) -> Result<Edit, EditError> {
    let problems = schema.problems();
    if !problems.is_empty() {
        return Err(EditError::InvalidSchema(problems));
    }
    check_doc_labels_kept(project, &schema)?;
    for old in &project.schema.labels {
        if schema.label(&old.name).is_none() {
            let count = project
                .documents
                .iter()
                .map(|d| d.spans.iter().chain(&d.suggestions).filter(|s| s.label == old.name).count())
                .sum();
            if count > 0 {
                return Err(EditError::LabelInUse { label: old.name.clone(), count });
            }
        }
    }
    for doc in &project.documents {
        for rel in &doc.relations {
            let kind = schema
                .relation_type(&rel.label)
                .ok_or_else(|| EditError::RelationTypeInUse { kind: rel.label.clone(), count: 1 })?;
            let (Some(from), Some(to)) = (doc.span(rel.from), doc.span(rel.to)) else { continue };
            if !kind.allows(&from.label, &to.label) {
                return Err(EditError::RelationNotAllowed {
                    kind: rel.label.clone(),
                    from: from.label.clone(),
                    to: to.label.clone(),
                });
            }
        }
    }
    Ok(Edit::SetSchema(std::mem::replace(&mut project.schema, schema)))
}

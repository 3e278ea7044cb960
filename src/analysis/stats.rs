//! Counts of documents, spans and relations, per label and per document; documents per value of
//! each document-level label.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::model::{Document, Project, Status};

/// Statistics of a whole project.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ProjectStats {
    /// Project name.
    pub name: String,
    /// Number of documents.
    pub documents: usize,
    /// Documents per status name ("todo", "in progress", "done", "skipped"), all four present.
    pub by_status: BTreeMap<&'static str, usize>,
    /// Number of spans.
    pub spans: usize,
    /// Number of relations.
    pub relations: usize,
    /// Number of suggestions waiting to be accepted or rejected (never exported).
    pub suggestions: usize,
    /// Documents with at least one suggestion waiting.
    pub documents_with_suggestions: usize,
    /// Spans per label; every schema label is present, also with 0.
    pub labels: BTreeMap<String, usize>,
    /// Documents with at least one span of each label; every schema label is present.
    pub label_documents: BTreeMap<String, usize>,
    /// Suggestions waiting per label; every schema label is present, also with 0.
    pub suggested: BTreeMap<String, usize>,
    /// Label names in schema order (then any label not in the schema), for reports.
    #[serde(skip)]
    pub label_order: Vec<String>,
    /// Relations per relation type; every schema type is present.
    pub relation_types: BTreeMap<String, usize>,
    /// Total text length in code points.
    pub chars: usize,
    /// Documents per value of each doc label; every schema doc label and value is present.
    pub doc_labels: BTreeMap<String, DocLabelCounts>,
    /// Doc label names in schema order, for reports.
    #[serde(skip)]
    pub doc_label_order: Vec<String>,
    /// One entry per document, in project order.
    pub per_document: Vec<DocumentStats>,
}

/// Statistics of one document.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DocumentStats {
    /// Document id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Status name.
    pub status: &'static str,
    /// Text length in code points.
    pub chars: usize,
    /// Number of spans.
    pub spans: usize,
    /// Number of relations.
    pub relations: usize,
    /// Number of suggestions waiting to be accepted or rejected.
    pub suggestions: usize,
    /// Spans per label (schema labels, also with 0).
    pub labels: BTreeMap<String, usize>,
    /// The document's doc labels: name → value (unset ones are absent).
    pub doc_labels: BTreeMap<String, String>,
}

/// How many documents have each value of one doc label.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Default)]
pub struct DocLabelCounts {
    /// Documents per value; every value of the schema is present, also with 0.
    pub values: BTreeMap<String, usize>,
    /// Value names in schema order, for reports.
    #[serde(skip)]
    pub value_order: Vec<String>,
    /// Documents where the doc label is not set.
    pub unset: usize,
}

impl ProjectStats {
    /// Counts everything in `project`.
    pub fn of(project: &Project) -> Self {
        let zero_labels: BTreeMap<String, usize> = project.schema.labels.iter().map(|l| (l.name.clone(), 0)).collect();
        let per_document: Vec<DocumentStats> =
            project.documents.iter().map(|d| DocumentStats::of(d, &zero_labels)).collect();
        let mut labels = zero_labels.clone();
        let mut label_documents = zero_labels.clone();
        for d in &per_document {
            for (label, n) in &d.labels {
                *labels.entry(label.clone()).or_insert(0) += n;
                *label_documents.entry(label.clone()).or_insert(0) += usize::from(*n > 0);
            }
        }
        let mut suggested = zero_labels.clone();
        for s in project.documents.iter().flat_map(|d| &d.suggestions) {
            *suggested.entry(s.label.clone()).or_insert(0) += 1;
        }
        let mut by_status: BTreeMap<&'static str, usize> = Status::ALL.iter().map(|s| (s.name(), 0)).collect();
        for d in &project.documents {
            *by_status.entry(d.status.name()).or_insert(0) += 1;
        }
        let mut relation_types: BTreeMap<String, usize> =
            project.schema.relations.iter().map(|r| (r.name.clone(), 0)).collect();
        for rel in project.documents.iter().flat_map(|d| &d.relations) {
            *relation_types.entry(rel.label.clone()).or_insert(0) += 1;
        }
        let mut label_order: Vec<String> = project.schema.labels.iter().map(|l| l.name.clone()).collect();
        let unknown = labels.keys().chain(suggested.keys()).filter(|l| project.schema.label(l).is_none());
        label_order.extend(unknown.collect::<std::collections::BTreeSet<_>>().into_iter().cloned());
        for label in &label_order {
            labels.entry(label.clone()).or_insert(0);
            label_documents.entry(label.clone()).or_insert(0);
            suggested.entry(label.clone()).or_insert(0);
        }
        let doc_labels = project
            .schema
            .doc_labels
            .iter()
            .map(|def| {
                let mut counts = DocLabelCounts {
                    values: def.values.iter().map(|v| (v.clone(), 0)).collect(),
                    value_order: def.values.clone(),
                    unset: 0,
                };
                for d in &project.documents {
                    match d.doc_label(&def.name) {
                        Some(value) => *counts.values.entry(value.to_owned()).or_insert(0) += 1,
                        None => counts.unset += 1,
                    }
                }
                (def.name.clone(), counts)
            })
            .collect();
        Self {
            doc_labels,
            doc_label_order: project.schema.doc_labels.iter().map(|d| d.name.clone()).collect(),
            label_order,
            name: project.name.clone(),
            documents: project.documents.len(),
            by_status,
            spans: per_document.iter().map(|d| d.spans).sum(),
            relations: per_document.iter().map(|d| d.relations).sum(),
            suggestions: per_document.iter().map(|d| d.suggestions).sum(),
            documents_with_suggestions: per_document.iter().filter(|d| d.suggestions > 0).count(),
            labels,
            label_documents,
            suggested,
            relation_types,
            chars: per_document.iter().map(|d| d.chars).sum(),
            per_document,
        }
    }
}

impl DocumentStats {
    fn of(doc: &Document, zero_labels: &BTreeMap<String, usize>) -> Self {
        let mut labels = zero_labels.clone();
        for (label, n) in doc.label_counts() {
            *labels.entry(label.to_owned()).or_insert(0) += n;
        }
        Self {
            id: doc.id.clone(),
            title: doc.title.clone(),
            status: doc.status.name(),
            chars: doc.text.len_chars(),
            spans: doc.spans.len(),
            relations: doc.relations.len(),
            suggestions: doc.suggestions.len(),
            labels,
            doc_labels: doc.doc_labels.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Edit, Span};

    #[test]
    fn counts_per_label_status_and_document() {
        let mut p = Project::new("p");
        p.documents.push(Document::new("d1", "a", "one two three"));
        p.documents.push(Document::new("d2", "b", "four"));
        p.documents[1].status = Status::Done;
        for span in [Span::new(1, 0, 3, "claim"), Span::new(2, 4, 7, "claim"), Span::new(3, 0, 7, "speaker")] {
            Edit::AddSpan { doc: 0, span }.apply(&mut p).unwrap();
        }
        let s = ProjectStats::of(&p);
        assert_eq!((s.documents, s.spans, s.relations, s.chars), (2, 3, 0, 17));
        assert_eq!(s.labels["claim"], 2);
        assert_eq!(s.labels["threat"], 0);
        assert_eq!(s.by_status["done"], 1);
        assert_eq!(s.by_status["todo"], 1);
        assert_eq!(s.per_document[0].labels["speaker"], 1);
        assert_eq!(s.per_document[1].spans, 0);
        assert!(s.doc_labels.is_empty());
        assert_eq!((s.label_documents["claim"], s.label_documents["speaker"], s.label_documents["threat"]), (1, 1, 0));
    }

    #[test]
    fn suggestions_waiting_per_label_document_and_in_total() {
        let mut p = Project::new("p");
        p.documents.push(Document::new("d1", "a", "one two three"));
        p.documents.push(Document::new("d2", "b", "four five"));
        p.documents.push(Document::new("d3", "c", "six"));
        Edit::AddSpan { doc: 0, span: Span::new(1, 0, 3, "claim") }.apply(&mut p).unwrap();
        for (doc, id, start, end, label) in
            [(0, 1, 0, 3, "claim"), (0, 2, 4, 7, "location"), (1, 1, 0, 4, "location"), (1, 2, 5, 9, "location")]
        {
            let suggestion = Span::new(id, start, end, label);
            Edit::AddSuggestion { doc, suggestion }.apply(&mut p).unwrap();
        }
        let s = ProjectStats::of(&p);
        assert_eq!((s.suggestions, s.documents_with_suggestions), (4, 2));
        assert_eq!((s.suggested["claim"], s.suggested["location"], s.suggested["threat"]), (1, 3, 0));
        let per_doc: Vec<usize> = s.per_document.iter().map(|d| d.suggestions).collect();
        assert_eq!(per_doc, [2, 2, 0]);
        // Suggestions are not spans.
        assert_eq!((s.spans, s.labels["location"], s.label_documents["location"]), (1, 0, 0));
    }

    #[test]
    fn a_label_outside_the_schema_is_listed_once_with_all_its_counts() {
        let mut p = Project::new("p");
        let mut d = Document::new("d1", "a", "one two");
        d.spans.push(Span::new(1, 0, 3, "rumour"));
        d.suggestions.push(Span::new(1, 4, 7, "rumour"));
        d.suggestions.push(Span::new(2, 0, 3, "gossip"));
        p.documents.push(d);
        let s = ProjectStats::of(&p);
        assert_eq!(s.label_order[s.label_order.len() - 2..], ["gossip", "rumour"]);
        assert_eq!((s.labels["gossip"], s.suggested["gossip"], s.label_documents["gossip"]), (0, 1, 0));
        assert_eq!((s.labels["rumour"], s.suggested["rumour"], s.label_documents["rumour"]), (1, 1, 1));
    }

    #[test]
    fn documents_per_doc_label_value() {
        let mut p = Project::new("p");
        p.schema.doc_labels.push(crate::model::DocLabelDef {
            name: "escalation".into(),
            values: vec!["yes".into(), "no".into(), "unclear".into()],
            key: None,
            description: String::new(),
        });
        for (i, value) in [Some("yes"), Some("no"), Some("yes"), None].into_iter().enumerate() {
            p.documents.push(Document::new(format!("d{i}"), "t", "x"));
            if let Some(value) = value {
                Edit::SetDocLabel { doc: i, name: "escalation".into(), value: Some(value.into()) }
                    .apply(&mut p)
                    .unwrap();
            }
        }
        let s = ProjectStats::of(&p);
        let c = &s.doc_labels["escalation"];
        assert_eq!((c.values["yes"], c.values["no"], c.values["unclear"], c.unset), (2, 1, 0, 1));
        assert_eq!(c.value_order, ["yes", "no", "unclear"]);
        assert_eq!(s.per_document[1].doc_labels["escalation"], "no");
        assert!(s.per_document[3].doc_labels.is_empty());
    }
}

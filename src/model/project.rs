//! A project: a name, a label schema and the documents being annotated; and its validation.

use crate::model::hashing::{HashMap, HashSet};

use super::document::Document;
use super::problem::Problem;
use super::schema::Schema;
use super::span::Span;

/// An annotation project: everything one `.ron` file holds.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Project {
    /// Name shown to people.
    pub name: String,
    /// Labels and relation types.
    pub schema: Schema,
    /// The documents, in the order the researcher works through them.
    pub documents: Vec<Document>,
}

impl Project {
    /// An empty project with the default schema (claim, threat, speaker, location; "said").
    pub fn new(name: impl Into<String>) -> Self {
        Self { name: name.into(), schema: Schema::default_news(), documents: Vec::new() }
    }

    /// Position of the document with id `id`.
    pub fn document_index(&self, id: &str) -> Option<usize> {
        self.documents.iter().position(|d| d.id == id)
    }

    /// A document id not used yet, in the form `d0001`.
    pub fn next_document_id(&self) -> String {
        let used: HashSet<&str> = self.documents.iter().map(|d| d.id.as_str()).collect();
        let highest = self
            .documents
            .iter()
            .filter_map(|d| d.id.strip_prefix('d').and_then(|n| n.parse::<u64>().ok()))
            .max()
            .unwrap_or(0);
        (highest + 1..)
            .map(|n| format!("d{n:04}"))
            .find(|id| !used.contains(id.as_str()))
            .unwrap_or_else(|| format!("d{}", self.documents.len() + 1))
    }

    /// Number of spans in all documents.
    pub fn span_count(&self) -> usize {
        self.documents.iter().map(|d| d.spans.len()).sum()
    }

    /// Every rule the project breaks, each with its place. Empty when the project is valid.
    pub fn problems(&self) -> Vec<Problem> {
        let mut out: Vec<Problem> = self.schema.problems().into_iter().map(Problem::project).collect();
        let mut checks = DocumentChecks::default();
        for doc in &self.documents {
            checks.check(&self.schema, doc, &mut out);
        }
        out
    }
}

/// The rules on each document of a project, met one at a time in file order (as
/// [`Project::problems`] and a streaming reader meet them): its id is not empty and not used by
/// an earlier document, and [`document_problems`].
#[derive(Debug, Default)]
pub struct DocumentChecks {
    ids: HashSet<String>,
}

impl DocumentChecks {
    /// Adds the problems of `doc`, the next document, to `out`.
    pub fn check(&mut self, schema: &Schema, doc: &Document, out: &mut Vec<Problem>) {
        if doc.id.trim().is_empty() {
            out.push(Problem::document(&doc.id, "document id is empty"));
        }
        if !self.ids.insert(doc.id.clone()) {
            out.push(Problem::document(&doc.id, "document id is used twice"));
        }
        document_problems(schema, doc, out);
    }
}

/// Checks the spans, relations and doc labels of one document against the schema and the text.
pub fn document_problems(schema: &Schema, doc: &Document, out: &mut Vec<Problem>) {
    for (name, value) in &doc.doc_labels {
        match schema.doc_label(name) {
            None => out.push(Problem::document(&doc.id, format!("unknown document label {name:?}"))),
            Some(def) if !def.allows(value) => out.push(Problem::document(
                &doc.id,
                format!("document label {name:?} has value {value:?}, which is not one of {:?}", def.values),
            )),
            Some(_) => {}
        }
    }
    let len = doc.text.len_chars();
    // Ids are checked by sorting a copy rather than hashing: cheaper for the usual few dozen.
    let mut ids: Vec<u64> = doc.spans.iter().map(|s| s.id).collect();
    ids.sort_unstable();
    let mut reported = None;
    for pair in ids.windows(2) {
        if let [a, b] = *pair {
            if a == b && reported != Some(a) {
                reported = Some(a);
                out.push(Problem::span(&doc.id, a, "span id is used twice in this document"));
            }
        }
    }
    for (i, span) in doc.spans.iter().enumerate() {
        for message in shape_problems(schema, len, span) {
            out.push(Problem::span(&doc.id, span.id, message));
        }
        // Spans are sorted by (start, end, id): spans with the same offsets sit side by side.
        let same_place = doc.spans.iter().take(i).rev().take_while(|s| (s.start, s.end) == (span.start, span.end));
        if let Some(first) = same_place.filter(|s| s.label == span.label).last() {
            out.push(Problem::span(
                &doc.id,
                span.id,
                format!("duplicates span {} (same start, end and label)", first.id),
            ));
        }
    }
    let mut suggestion_ids = HashSet::with_capacity_and_hasher(doc.suggestions.len(), Default::default());
    for suggestion in &doc.suggestions {
        if !suggestion_ids.insert(suggestion.id) {
            out.push(Problem::suggestion(&doc.id, suggestion.id, "suggestion id is used twice in this document"));
        }
        for message in shape_problems(schema, len, suggestion) {
            out.push(Problem::suggestion(&doc.id, suggestion.id, message));
        }
    }
    for r in &doc.rejected {
        if r.start >= r.end || r.end > len {
            out.push(Problem::document(
                &doc.id,
                format!(
                    "rejected suggestion {}..{} {:?} is empty or reaches past the end of the text ({len} code points)",
                    r.start, r.end, r.label
                ),
            ));
        }
    }
    let mut rel_ids = HashSet::with_capacity_and_hasher(doc.relations.len(), Default::default());
    // The first span with each id, so that many relations do not each scan every span.
    let mut spans_by_id: HashMap<u64, &Span> = HashMap::default();
    if !doc.relations.is_empty() {
        for span in &doc.spans {
            spans_by_id.entry(span.id).or_insert(span);
        }
    }
    for rel in &doc.relations {
        if !rel_ids.insert(rel.id) {
            out.push(Problem::relation(&doc.id, rel.id, "relation id is used twice in this document"));
        }
        let from = spans_by_id.get(&rel.from).copied();
        let to = spans_by_id.get(&rel.to).copied();
        if from.is_none() {
            out.push(Problem::relation(&doc.id, rel.id, format!("from span {} does not exist", rel.from)));
        }
        if to.is_none() {
            out.push(Problem::relation(&doc.id, rel.id, format!("to span {} does not exist", rel.to)));
        }
        match schema.relation_type(&rel.label) {
            None => out.push(Problem::relation(&doc.id, rel.id, format!("unknown relation type {:?}", rel.label))),
            Some(kind) => {
                if let (Some(from), Some(to)) = (from, to) {
                    if !kind.allows(&from.label, &to.label) {
                        out.push(Problem::relation(
                            &doc.id,
                            rel.id,
                            format!("{:?} may not link a {:?} span to a {:?} span", rel.label, from.label, to.label),
                        ));
                    }
                }
            }
        }
    }
}

/// What is wrong with a span (or suggestion) on its own: empty or reversed, past the end of a text
/// of `len` code points, or labelled with a label the schema lacks.
fn shape_problems(schema: &Schema, len: usize, span: &Span) -> Vec<String> {
    let mut out = Vec::new();
    if span.start >= span.end {
        out.push(format!("span is empty or reversed: start {} ≥ end {}", span.start, span.end));
    } else if span.end > len {
        out.push(format!("offsets {}..{} reach past the end of the text ({len} code points)", span.start, span.end));
    }
    if schema.label(&span.label).is_none() {
        out.push(format!("unknown label {:?}", span.label));
    }
    out
}

//! The on-disk shape of a project file, as serde reads it, and its conversion into the model.

use std::borrow::Cow;
use std::collections::BTreeMap;

use serde::Deserialize;

use crate::model::{
    Color, DocLabelDef, Document, LabelDef, Problem, Project, Rejection, Relation, RelationType, Schema, Span, Status,
    Text,
};

/// The `format` field every project file starts with.
pub const FORMAT: &str = "gloss-project";

/// The newest file format version this build reads and the one it writes.
///
/// Compatibility: fields added since version 1 (the schema's `doc_labels`, a document's
/// `doc_labels`, `suggestions` and `rejected`) are optional and written only when non-empty, so a project without them is
/// byte for byte what earlier builds wrote and read. A file that uses them is refused by an
/// earlier build with a clear "unknown field" error naming the line, rather than loaded with
/// them silently dropped; that is why the version did not change.
pub const VERSION: u64 = 1;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ProjectFile<'a> {
    pub format: String,
    pub version: u64,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub schema: SchemaFile,
    #[serde(default, borrow)]
    pub documents: Vec<DocumentFile<'a>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(crate) struct SchemaFile {
    #[serde(default)]
    pub labels: Vec<LabelFile>,
    #[serde(default)]
    pub relations: Vec<RelationTypeFile>,
    #[serde(default)]
    pub doc_labels: Vec<DocLabelFile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct DocLabelFile {
    pub name: String,
    #[serde(default)]
    pub values: Vec<String>,
    #[serde(default)]
    pub key: Option<String>,
    #[serde(default)]
    pub description: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct LabelFile {
    pub name: String,
    pub color: String,
    #[serde(default)]
    pub key: Option<String>,
    #[serde(default)]
    pub description: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RelationTypeFile {
    pub name: String,
    #[serde(default)]
    pub from: Vec<String>,
    #[serde(default)]
    pub to: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct DocumentFile<'a> {
    pub id: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub source: Option<String>,
    #[serde(default)]
    pub status: Status,
    #[serde(default)]
    pub note: Option<String>,
    #[serde(default)]
    pub meta: BTreeMap<String, String>,
    #[serde(default)]
    pub doc_labels: BTreeMap<String, String>,
    pub text: String,
    #[serde(default, borrow)]
    pub spans: Vec<SpanFile<'a>>,
    #[serde(default)]
    pub relations: Vec<RelationFile>,
    #[serde(default, borrow)]
    pub suggestions: Vec<SpanFile<'a>>,
    /// Rejected suggestions: (start, end, label).
    #[serde(default)]
    pub rejected: Vec<(u64, u64, String)>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SpanFile<'a> {
    pub id: u64,
    pub start: u64,
    pub end: u64,
    pub label: String,
    /// Borrowed from the file when it has no escapes: checked, then dropped, so no allocation.
    #[serde(default, borrow)]
    pub text: Option<Cow<'a, str>>,
    #[serde(default)]
    pub note: Option<String>,
    #[serde(default)]
    pub annotator: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RelationFile {
    pub id: u64,
    pub label: String,
    pub from: u64,
    pub to: u64,
}

/// Offsets that do not fit this machine's `usize` are clamped to `usize::MAX`, which is always
/// out of range and is then reported as such.
fn offset(n: u64) -> usize {
    usize::try_from(n).unwrap_or(usize::MAX)
}

impl ProjectFile<'_> {
    /// Builds the project, and reports every problem with its place: nothing is dropped or shifted.
    pub fn into_project(self) -> Result<Project, Vec<Problem>> {
        let mut problems = Vec::new();
        let schema = self.schema.into_schema(&mut problems);
        let mut documents = Vec::with_capacity(self.documents.len());
        for doc in self.documents {
            documents.push(doc.into_document(&mut problems));
        }
        let project = Project { name: self.name, schema, documents };
        problems.extend(project.problems());
        if problems.is_empty() { Ok(project) } else { Err(problems) }
    }
}

impl SchemaFile {
    pub(crate) fn into_schema(self, problems: &mut Vec<Problem>) -> Schema {
        let labels = self
            .labels
            .into_iter()
            .map(|l| {
                let color = l.color.parse::<Color>().unwrap_or_else(|err| {
                    problems.push(Problem::project(format!("label {:?}: {err}", l.name)));
                    Color([0x80, 0x80, 0x80])
                });
                let key = hotkey(l.key, || format!("label {:?}", l.name), problems);
                LabelDef { name: l.name, color, key, description: l.description }
            })
            .collect();
        let relations =
            self.relations.into_iter().map(|r| RelationType { name: r.name, from: r.from, to: r.to }).collect();
        let doc_labels = self
            .doc_labels
            .into_iter()
            .map(|d| {
                let key = hotkey(d.key, || format!("document label {:?}", d.name), problems);
                DocLabelDef { name: d.name, values: d.values, key, description: d.description }
            })
            .collect();
        Schema { labels, relations, doc_labels }
    }
}

/// A hotkey as written (`"1"`): one character, or nothing. Anything longer is a problem of `owner`.
fn hotkey(key: Option<String>, owner: impl Fn() -> String, problems: &mut Vec<Problem>) -> Option<char> {
    let key = key.filter(|k| !k.is_empty())?;
    let mut chars = key.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) => Some(c),
        _ => {
            problems.push(Problem::project(format!("{}: hotkey {key:?} must be a single character", owner())));
            None
        }
    }
}

impl DocumentFile<'_> {
    pub(crate) fn into_document(self, problems: &mut Vec<Problem>) -> Document {
        let text = Text::new(self.text);
        let spans = spans_of(&self.id, &text, self.spans, problems, Problem::span);
        let mut suggestions = spans_of(&self.id, &text, self.suggestions, problems, Problem::suggestion);
        if !suggestions.is_sorted_by_key(Span::sort_key) {
            suggestions.sort_by_key(Span::sort_key);
        }
        let mut spans = spans;
        // Kept sorted in the model; a hand-edited file may be out of order, which is no error.
        if !spans.is_sorted_by_key(Span::sort_key) {
            spans.sort_by_key(Span::sort_key);
        }
        let relations = self
            .relations
            .into_iter()
            .map(|r| Relation { id: r.id, label: r.label, from: r.from, to: r.to })
            .collect::<Vec<_>>();
        // In id order, as they are written: a hand-edited file out of order must load to the
        // project that saving it writes back (found by fuzzing: save then load reordered them).
        let mut relations = relations;
        relations.sort_by_key(|r| r.id);
        Document {
            id: self.id,
            title: self.title,
            source: self.source,
            status: self.status,
            note: self.note,
            text,
            spans,
            relations,
            suggestions,
            rejected: self
                .rejected
                .into_iter()
                .map(|(start, end, label)| Rejection { start: offset(start), end: offset(end), label })
                .collect(),
            meta: self.meta,
            doc_labels: self.doc_labels,
        }
    }
}

/// Builds the spans (or suggestions) of document `doc`, checking each written text against what
/// the offsets cover; `problem` makes the report for one span id.
fn spans_of(
    doc: &str,
    text: &Text,
    files: Vec<SpanFile<'_>>,
    problems: &mut Vec<Problem>,
    problem: fn(&str, u64, String) -> Problem,
) -> Vec<Span> {
    let mut spans = Vec::with_capacity(files.len());
    for s in files {
        let span = Span {
            id: s.id,
            start: offset(s.start),
            end: offset(s.end),
            label: s.label,
            note: s.note,
            annotator: s.annotator,
        };
        if let (Some(written), true) = (&s.text, span.start < span.end) {
            if let Some(found) = text.slice(span.start..span.end) {
                if found != written.as_ref() {
                    problems.push(problem(
                        doc,
                        span.id,
                        format!(
                            "text does not match offsets {}..{}: the file says {written:?}, the offsets cover {found:?}",
                            span.start, span.end
                        ),
                    ));
                }
            }
        }
        spans.push(span);
    }
    spans
}

//! From matches to suggestions in a project: labels mapped or added to the schema, duplicates of
//! existing spans and suggestions left out, suggestions rejected before left out (unless asked
//! otherwise), and one undoable [`Edit`] for the whole run.

use crate::model::hashing::{HashMap, HashSet};
use std::collections::BTreeMap;

use super::matcher::{Found, Matcher};
use crate::model::{Document, Edit, LabelDef, Project, Rejection, Schema, Span, Status};

/// What to run the matcher on, and how to name labels.
#[derive(Clone, Debug, Default)]
pub struct PlanOptions {
    /// Only documents whose status is "todo".
    pub only_todo: bool,
    /// Only these document positions (all documents when `None`).
    pub documents: Option<Vec<usize>>,
    /// Renames of labels found in gazetteers and rules (`LOC` → `location`).
    pub map: HashMap<String, String>,
    /// Suggest again what someone rejected before (by default it is left out).
    pub include_rejected: bool,
}

/// Suggestions planned for one document.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DocumentPlan {
    /// Document position.
    pub doc: usize,
    /// Document id.
    pub id: String,
    /// Document title.
    pub title: String,
    /// New suggestions per label.
    pub labels: BTreeMap<String, usize>,
    /// New suggestions in all.
    pub added: usize,
    /// Matches left out because the same span or suggestion (start, end, label) was there.
    pub duplicates: usize,
    /// Matches left out because someone rejected the same suggestion before.
    pub rejected: usize,
}

/// The planned run: the edit to apply and what it will do.
#[derive(Clone, Debug, Default)]
pub struct SuggestPlan {
    /// The edit adding every suggestion (and any new label first); `None` when nothing is new.
    pub edit: Option<Edit>,
    /// Labels not in the schema that the edit adds, in order of first use.
    pub new_labels: Vec<String>,
    /// One entry per document looked at, in project order.
    pub documents: Vec<DocumentPlan>,
}

impl SuggestPlan {
    /// New suggestions in all.
    pub fn added(&self) -> usize {
        self.documents.iter().map(|d| d.added).sum()
    }

    /// Duplicates left out in all.
    pub fn duplicates(&self) -> usize {
        self.documents.iter().map(|d| d.duplicates).sum()
    }

    /// Matches left out as rejected before, in all.
    pub fn rejected(&self) -> usize {
        self.documents.iter().map(|d| d.rejected).sum()
    }

    /// New suggestions per label, over all documents.
    pub fn labels(&self) -> BTreeMap<String, usize> {
        let mut out = BTreeMap::new();
        for d in &self.documents {
            for (label, n) in &d.labels {
                *out.entry(label.clone()).or_insert(0) += n;
            }
        }
        out
    }
}

/// The matches found in one document, for [`plan_found`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DocumentMatches {
    /// Document id (its position may have changed while matching ran elsewhere).
    pub id: String,
    /// The matches, as [`Matcher::find`] gives them.
    pub found: Vec<Found>,
}

/// Positions of the documents `options` chooses, in project order.
pub fn chosen_documents(project: &Project, options: &PlanOptions) -> Vec<usize> {
    (0..project.documents.len())
        .filter(|&doc| {
            let todo = project.documents.get(doc).is_some_and(|d| d.status == Status::Todo);
            (!options.only_todo || todo) && options.documents.as_ref().is_none_or(|only| only.contains(&doc))
        })
        .collect()
}

/// Runs `matcher` over the chosen documents of `project` and plans the suggestions, leaving the
/// project untouched. Apply [`SuggestPlan::edit`] to add them (one undo step).
pub fn plan(project: &Project, matcher: &Matcher, options: &PlanOptions) -> SuggestPlan {
    let matches = chosen_documents(project, options)
        .into_iter()
        .filter_map(|doc| project.documents.get(doc))
        .map(|d| DocumentMatches { id: d.id.clone(), found: matcher.find(&d.text) })
        .collect();
    plan_found(project, matches, options)
}

/// Plans suggestions from matches found earlier (on another thread, from copies of the texts),
/// with the label renames and rejection rule of `options` (its document choice is not used: the
/// matches say which documents). Documents are found again by id; one that is gone, or whose text
/// changed length, is skipped.
pub fn plan_found(project: &Project, matches: Vec<DocumentMatches>, options: &PlanOptions) -> SuggestPlan {
    let mut schema = project.schema.clone();
    let mut new_labels = Vec::new();
    let mut edits = Vec::new();
    let mut documents = Vec::new();
    for m in matches {
        let Some(doc) = project.document_index(&m.id) else { continue };
        let Some(d) = project.documents.get(doc) else { continue };
        if m.found.iter().any(|f| f.end > d.text.len_chars()) {
            continue;
        }
        let mut report = DocumentPlan { doc, id: d.id.clone(), title: d.title.clone(), ..DocumentPlan::default() };
        let (suggestions, left_out) = new_suggestions(d, m.found, options);
        report.duplicates = left_out.duplicates;
        report.rejected = left_out.rejected;
        for s in &suggestions {
            if schema.label(&s.label).is_none() {
                add_label(&mut schema, &s.label);
                new_labels.push(s.label.clone());
            }
            *report.labels.entry(s.label.clone()).or_insert(0) += 1;
            report.added += 1;
        }
        if !suggestions.is_empty() {
            edits.push(Edit::AddSuggestions { doc, suggestions });
        }
        documents.push(report);
    }
    if !new_labels.is_empty() {
        edits.insert(0, Edit::SetSchema(schema));
    }
    let edit = (!edits.is_empty()).then_some(Edit::Batch(edits));
    SuggestPlan { edit, new_labels, documents }
}

/// Matches of one document left out, and why.
#[derive(Default)]
struct LeftOut {
    duplicates: usize,
    rejected: usize,
}

/// The suggestions to add to `d` (sorted, with fresh ids), and how many matches were left out.
fn new_suggestions(d: &Document, found: Vec<Found>, options: &PlanOptions) -> (Vec<Span>, LeftOut) {
    let mut seen: HashSet<(usize, usize, String)> =
        d.suggestions.iter().map(|s| (s.start, s.end, s.label.clone())).collect();
    let mut next_id = d.next_suggestion_id();
    let mut out = Vec::new();
    let mut left_out = LeftOut::default();
    for f in found {
        let label = options.map.get(&f.label).cloned().unwrap_or(f.label);
        if d.find_exact(f.start, f.end, &label).is_some() || seen.contains(&(f.start, f.end, label.clone())) {
            left_out.duplicates += 1;
            continue;
        }
        let rejection = Rejection { start: f.start, end: f.end, label };
        if !options.include_rejected && d.rejected.contains(&rejection) {
            seen.insert((f.start, f.end, rejection.label));
            left_out.rejected += 1;
            continue;
        }
        let Rejection { label, .. } = rejection;
        seen.insert((f.start, f.end, label.clone()));
        let mut span = Span::new(next_id, f.start, f.end, label);
        span.annotator = Some(f.origin);
        out.push(span);
        next_id += 1;
    }
    (out, left_out)
}

fn add_label(schema: &mut Schema, name: &str) {
    let def = LabelDef {
        name: name.to_owned(),
        color: schema.next_color(),
        key: schema.next_key(),
        description: "Added by a gazetteer or rule".to_owned(),
    };
    schema.labels.push(def);
}

//! Merging several annotators' projects into one gold project, with the conflicts marked.
//!
//! Documents are matched by identical text (ids may differ); the gold project has the first
//! project's name, schema (plus any label or relation type only another project has) and document
//! ids, then the documents only later projects have, in their order.
//!
//! In each document, a span (start, end, label) that every annotator who has the document made is
//! **agreed** and kept once, as the first annotator made it. Any other span is a **conflict**: it is
//! kept once, with `annotator` naming who made it (several joined by "+") and a note starting
//! `conflict:` (the annotator's own note follows). A document with conflicts gets
//! `meta["gloss.conflicts"] = "N"` and the status in progress, so conflicts show in the app and to
//! `grep`. Relations are kept when both their spans are, once per (type, from, to).
//!
//! A document-level label that every annotator of the document set to the same value is kept. Any
//! other (different values, or set by some and not others) is a conflict: it is left **unset**,
//! never silently picked, and `meta["gloss.doc_label_conflict.NAME"]` records each annotator's
//! value (`a: yes; b: no; c: unset`); the document is set in progress. The gold schema has the
//! doc labels of every project, with the values of all of them.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::model::{Document, Project, Relation, Schema, Span, Status};

/// The meta key holding a document's number of conflicting spans.
pub const CONFLICTS_META: &str = "gloss.conflicts";

/// Prefix of the meta keys that record a doc label conflict; the doc label's name follows.
pub const DOC_LABEL_CONFLICT_META: &str = "gloss.doc_label_conflict.";

/// Adds to `schema` the doc labels of `other` it lacks, and the values it lacks of those it has.
/// A hotkey already taken in `schema` is dropped from the added doc label.
pub fn add_doc_labels(schema: &mut Schema, other: &Schema) {
    for def in &other.doc_labels {
        match schema.doc_labels.iter_mut().find(|d| d.name == def.name) {
            Some(mine) => {
                for value in &def.values {
                    if !mine.allows(value) {
                        mine.values.push(value.clone());
                    }
                }
            }
            None => {
                let key = def.key.filter(|k| schema.key_is_free(*k));
                schema.doc_labels.push(crate::model::DocLabelDef { key, ..def.clone() });
            }
        }
    }
}

/// What a merge did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MergeSummary {
    /// Documents in the gold project.
    pub documents: usize,
    /// Documents present in every project.
    pub shared_documents: usize,
    /// Spans kept because every annotator of the document made them.
    pub agreed: usize,
    /// Spans kept as conflicts.
    pub conflicts: usize,
    /// Documents with at least one conflicting span.
    pub documents_with_conflicts: usize,
    /// Doc labels kept because every annotator of the document set the same value.
    pub doc_labels_agreed: usize,
    /// Doc labels left unset because the annotators of the document differ.
    pub doc_label_conflicts: usize,
}

/// Merges the annotators' projects (name, project) into one gold project.
pub fn merge(inputs: &[(&str, &Project)]) -> (Project, MergeSummary) {
    let Some((_, first)) = inputs.first() else { return (Project::default(), MergeSummary::default()) };
    let mut gold = Project { name: first.name.clone(), schema: first.schema.clone(), documents: Vec::new() };
    for (_, p) in &inputs[1..] {
        for label in &p.schema.labels {
            if gold.schema.label(&label.name).is_none() {
                gold.schema.labels.push(label.clone());
            }
        }
        for kind in &p.schema.relations {
            if gold.schema.relation_type(&kind.name).is_none() {
                gold.schema.relations.push(kind.clone());
            }
        }
        add_doc_labels(&mut gold.schema, &p.schema);
    }

    // Texts in order of first appearance; per text, each annotator's document (the first with it).
    let mut order: Vec<&str> = Vec::new();
    let mut by_text: HashMap<&str, Vec<Option<&Document>>> = HashMap::new();
    for (k, (_, p)) in inputs.iter().enumerate() {
        for d in &p.documents {
            let row = by_text.entry(d.text.as_str()).or_insert_with(|| {
                order.push(d.text.as_str());
                vec![None; inputs.len()]
            });
            if row[k].is_none() {
                row[k] = Some(d);
            }
        }
    }

    let mut summary = MergeSummary::default();
    for text in order {
        let row = &by_text[text];
        let holders: Vec<(&str, &Document)> =
            inputs.iter().zip(row).filter_map(|((name, _), d)| d.map(|d| (*name, d))).collect();
        if holders.len() == inputs.len() {
            summary.shared_documents += 1;
        }
        let mut doc = merge_document(&holders, &mut summary);
        if gold.document_index(&doc.id).is_some() {
            doc.id = gold.next_document_id();
        }
        gold.documents.push(doc);
    }
    summary.documents = gold.documents.len();
    (gold, summary)
}

/// Merges one document's versions (annotator name, document).
fn merge_document(holders: &[(&str, &Document)], summary: &mut MergeSummary) -> Document {
    let base = holders[0].1;
    let mut doc = Document { spans: Vec::new(), relations: Vec::new(), doc_labels: BTreeMap::new(), ..base.clone() };
    doc.meta.retain(|key, _| !key.starts_with(DOC_LABEL_CONFLICT_META));
    let doc_label_conflicts = merge_doc_labels(holders, &mut doc, summary);
    // (start, end, label) → who made it, and the first maker's span.
    let mut makers: BTreeMap<(usize, usize, &str), (Vec<&str>, &Span)> = BTreeMap::new();
    for (name, d) in holders {
        for s in &d.spans {
            makers.entry((s.start, s.end, s.label.as_str())).or_insert_with(|| (Vec::new(), s)).0.push(name);
        }
    }
    let mut new_id: HashMap<(usize, usize, &str), u64> = HashMap::new();
    let mut conflicts = 0;
    for (next, (key, (names, span))) in makers.iter().enumerate() {
        let id = next as u64 + 1;
        let mut out = Span::new(id, key.0, key.1, key.2);
        if names.len() == holders.len() {
            out.note.clone_from(&span.note);
            out.annotator.clone_from(&span.annotator);
            summary.agreed += 1;
        } else {
            let missing: Vec<&str> = holders.iter().map(|(n, _)| *n).filter(|n| !names.contains(n)).collect();
            let mut note = format!("conflict: only {} (not {})", names.join(", "), missing.join(", "));
            if let Some(own) = &span.note {
                note.push_str("; ");
                note.push_str(own);
            }
            out.note = Some(note);
            out.annotator = Some(names.join("+"));
            conflicts += 1;
        }
        new_id.insert(*key, id);
        doc.spans.push(out);
    }
    // Relations, mapped onto the merged span ids, once per (type, from, to).
    let mut seen = std::collections::BTreeSet::new();
    for (_, d) in holders {
        for r in &d.relations {
            let end = |id| d.span(id).and_then(|s| new_id.get(&(s.start, s.end, s.label.as_str())).copied());
            if let (Some(from), Some(to)) = (end(r.from), end(r.to)) {
                if seen.insert((r.label.clone(), from, to)) {
                    let id = doc.relations.len() as u64 + 1;
                    doc.relations.push(Relation { id, label: r.label.clone(), from, to });
                }
            }
        }
    }
    doc.spans.sort_by_key(Span::sort_key);
    doc.meta.remove(CONFLICTS_META);
    if conflicts > 0 {
        doc.meta.insert(CONFLICTS_META.to_owned(), conflicts.to_string());
        summary.conflicts += conflicts;
        summary.documents_with_conflicts += 1;
    }
    if conflicts + doc_label_conflicts > 0 {
        doc.status = Status::InProgress;
    }
    doc
}

/// Keeps the doc labels every holder set alike; marks the others in meta. Returns the conflicts.
fn merge_doc_labels(holders: &[(&str, &Document)], doc: &mut Document, summary: &mut MergeSummary) -> usize {
    let names: BTreeSet<&String> = holders.iter().flat_map(|(_, d)| d.doc_labels.keys()).collect();
    let mut conflicts = 0;
    for name in names {
        let values: Vec<Option<&str>> = holders.iter().map(|(_, d)| d.doc_label(name)).collect();
        match values.first() {
            Some(&Some(first)) if values.iter().all(|v| *v == Some(first)) => {
                doc.doc_labels.insert(name.clone(), first.to_owned());
                summary.doc_labels_agreed += 1;
            }
            _ => {
                let who: Vec<String> =
                    holders.iter().zip(&values).map(|((n, _), v)| format!("{n}: {}", v.unwrap_or("unset"))).collect();
                doc.meta.insert(format!("{DOC_LABEL_CONFLICT_META}{name}"), who.join("; "));
                conflicts += 1;
            }
        }
    }
    summary.doc_label_conflicts += conflicts;
    conflicts
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Edit;

    fn project(spans: &[(usize, usize, &str)]) -> Project {
        let mut p = Project::new("p");
        p.documents.push(Document::new("d1", "t", "Jane said the port will close."));
        for (i, &(s, e, l)) in spans.iter().enumerate() {
            Edit::AddSpan { doc: 0, span: Span::new(i as u64 + 1, s, e, l) }.apply(&mut p).unwrap();
        }
        p
    }

    #[test]
    fn agreed_spans_once_conflicts_marked() {
        let a = project(&[(0, 4, "speaker"), (10, 29, "claim")]);
        let b = project(&[(0, 4, "speaker"), (10, 29, "threat")]);
        let (gold, summary) = merge(&[("a", &a), ("b", &b)]);
        assert_eq!((summary.agreed, summary.conflicts, summary.documents_with_conflicts), (1, 2, 1));
        let d = &gold.documents[0];
        assert_eq!(d.spans.len(), 3);
        assert_eq!(d.spans[0].annotator, None);
        assert_eq!(d.spans[1].annotator.as_deref(), Some("a"));
        assert_eq!(d.spans[1].note.as_deref(), Some("conflict: only a (not b)"));
        assert_eq!(d.meta[CONFLICTS_META], "2");
        assert_eq!(d.status, Status::InProgress);
        assert!(gold.problems().is_empty(), "{:?}", gold.problems());
    }

    #[test]
    fn agreed_doc_labels_kept_conflicting_ones_unset_and_marked() {
        let with = |values: &[(&str, &str)], schema_values: &[&str]| {
            let mut p = project(&[(0, 4, "speaker")]);
            p.schema.doc_labels.push(crate::model::DocLabelDef {
                name: "escalation".into(),
                values: schema_values.iter().map(|v| (*v).to_owned()).collect(),
                key: Some('e'),
                description: String::new(),
            });
            p.schema.doc_labels.push(crate::model::DocLabelDef {
                name: "stance".into(),
                values: vec!["pro".into(), "anti".into()],
                key: None,
                description: String::new(),
            });
            for (name, value) in values {
                Edit::SetDocLabel { doc: 0, name: (*name).into(), value: Some((*value).into()) }.apply(&mut p).unwrap();
            }
            p
        };
        let a = with(&[("escalation", "yes"), ("stance", "pro")], &["yes", "no"]);
        let b = with(&[("escalation", "unclear"), ("stance", "pro")], &["yes", "unclear"]);
        let c = with(&[("stance", "pro")], &["yes"]);
        let (gold, summary) = merge(&[("a", &a), ("b", &b), ("c", &c)]);
        let d = &gold.documents[0];
        assert_eq!(d.doc_label("stance"), Some("pro"));
        assert_eq!(d.doc_label("escalation"), None, "a conflict is never picked");
        assert_eq!(d.meta[&format!("{DOC_LABEL_CONFLICT_META}escalation")], "a: yes; b: unclear; c: unset");
        assert_eq!((summary.doc_labels_agreed, summary.doc_label_conflicts, summary.conflicts), (1, 1, 0));
        assert_eq!((summary.documents_with_conflicts, d.status), (0, Status::InProgress));
        assert_eq!(gold.schema.doc_label("escalation").unwrap().values, ["yes", "no", "unclear"]);
        assert!(gold.problems().is_empty(), "{:?}", gold.problems());
        // Merging the gold again with itself clears stale marks: all agree now.
        let (again, summary) = merge(&[("g", &gold), ("h", &gold)]);
        assert_eq!(summary.doc_label_conflicts, 0);
        assert!(!again.documents[0].meta.keys().any(|k| k.starts_with(DOC_LABEL_CONFLICT_META)));
    }
}

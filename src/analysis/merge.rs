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

use std::collections::{BTreeMap, HashMap};

use crate::model::{Document, Project, Relation, Span, Status};

/// The meta key holding a document's number of conflicting spans.
pub const CONFLICTS_META: &str = "gloss.conflicts";

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
    /// Documents with at least one conflict.
    pub documents_with_conflicts: usize,
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
    let mut doc = Document { spans: Vec::new(), relations: Vec::new(), ..base.clone() };
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
        doc.status = Status::InProgress;
        summary.conflicts += conflicts;
        summary.documents_with_conflicts += 1;
    }
    doc
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
}

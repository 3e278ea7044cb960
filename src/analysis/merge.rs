//! Merging several annotators' projects into one gold project, with the conflicts left to decide.
//!
//! Documents are matched by identical text (ids may differ); the gold project has the first
//! project's name, schema (plus any label or relation type only another project has) and document
//! ids, then the documents only later projects have, in their order.
//!
//! In each document, a span (start, end, label) that every annotator who has the document made is
//! **agreed** and becomes a span of the gold document, as the first annotator made it. Any other
//! span is **disputed**: it becomes a *suggestion* (never exported until accepted), once, with
//! `annotator` naming who made it (several joined by "+") and the annotator's own note. The review
//! mode of the app (or [`super::conflicts`]) groups overlapping suggestions into conflicts and
//! decides them. A document held by several annotators gets `meta["gloss.annotators"]` (their
//! names, joined by ", "), so the review knows whose version is "nothing"; a document with
//! disputed spans gets the status in progress.
//!
//! Relations are kept when both their ends are agreed spans, once per (type, from, to). A relation
//! touching a disputed span cannot hang on a suggestion: it is counted and listed in the
//! [`MergeSummary`] (never dropped silently).
//!
//! Suggestions still waiting in the annotators' projects (from a gazetteer or a rule) are kept
//! with their origin, once per (start, end, label) as `gloss suggest` keeps them; one that
//! repeats a gold span or a disputed span, or that an annotator rejected, is left out and counted. The memories of
//! rejected suggestions ([`Document::rejected`]) are joined: a "no" from any annotator holds.
//!
//! A document-level label that every annotator of the document set to the same value is kept. Any
//! other (different values, or set by some and not others) is a conflict: it is left **unset**,
//! never silently picked, and `meta["gloss.doc_label_conflict.NAME"]` records each annotator's
//! value (`a: yes; b: no; c: unset`); the document is set in progress. The gold schema has the
//! doc labels of every project, with the values of all of them.

use crate::model::hashing::HashMap;
use std::collections::{BTreeMap, BTreeSet};

use crate::model::{Document, Project, Rejection, Relation, Schema, Span, Status};

/// The meta key naming the annotators a document was merged from, joined by [`ANNOTATOR_SEPARATOR`].
pub const ANNOTATORS_META: &str = "gloss.annotators";

/// What joins the names in [`ANNOTATORS_META`].
pub const ANNOTATOR_SEPARATOR: &str = ", ";

/// What joins the names of the annotators who made the same disputed span, in its `annotator`.
pub const ORIGIN_SEPARATOR: &str = "+";

/// A relation the merge could not keep because one of its ends is disputed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DroppedRelation {
    /// Id of the gold document.
    pub document: String,
    /// Who made the relation.
    pub annotator: String,
    /// Relation type.
    pub label: String,
    /// Text of the source span.
    pub from: String,
    /// Text of the target span.
    pub to: String,
}

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
    /// Disputed spans, kept as suggestions (one per distinct start, end and label).
    pub disputed: usize,
    /// Documents with at least one disputed span.
    pub documents_with_disputes: usize,
    /// Relations not kept because an end is disputed (once per annotator who made them).
    pub dropped_relations: Vec<DroppedRelation>,
    /// Doc labels kept because every annotator of the document set the same value.
    pub doc_labels_agreed: usize,
    /// Doc labels left unset because the annotators of the document differ.
    pub doc_label_conflicts: usize,
    /// Suggestions waiting in the annotators' projects (gazetteer, rules) kept in the gold project.
    pub carried_suggestions: usize,
    /// Waiting suggestions left out: the same (start, end, label) in several projects (kept
    /// once), or the same place and label as a gold span or a disputed span.
    pub carried_duplicates: usize,
    /// Waiting suggestions left out because an annotator rejected them.
    pub carried_rejected: usize,
}

/// Merges the annotators' projects (name, project) into one gold project.
pub fn merge(inputs: &[(&str, &Project)]) -> (Project, MergeSummary) {
    let Some((_, first)) = inputs.first() else { return (Project::default(), MergeSummary::default()) };
    let mut gold = Project { name: first.name.clone(), schema: first.schema.clone(), documents: Vec::new() };
    for (_, p) in inputs.iter().skip(1) {
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
    let mut by_text: HashMap<&str, Vec<Option<&Document>>> = HashMap::default();
    for (k, (_, p)) in inputs.iter().enumerate() {
        for d in &p.documents {
            let row = by_text.entry(d.text.as_str()).or_insert_with(|| {
                order.push(d.text.as_str());
                vec![None; inputs.len()]
            });
            if let Some(slot @ None) = row.get_mut(k) {
                *slot = Some(d);
            }
        }
    }

    let mut summary = MergeSummary::default();
    for text in order {
        let Some(row) = by_text.get(text) else { continue };
        let holders: Vec<(&str, &Document)> =
            inputs.iter().zip(row).filter_map(|((name, _), d)| d.map(|d| (*name, d))).collect();
        if holders.len() == inputs.len() {
            summary.shared_documents += 1;
        }
        let Some(&(_, base)) = holders.first() else { continue };
        let mut doc = merge_document(base, &holders, &mut summary);
        if gold.document_index(&doc.id).is_some() {
            let old = doc.id.clone();
            doc.id = gold.next_document_id();
            for dropped in summary.dropped_relations.iter_mut().filter(|r| r.document == old) {
                dropped.document.clone_from(&doc.id);
            }
        }
        gold.documents.push(doc);
    }
    summary.documents = gold.documents.len();
    (gold, summary)
}

/// Merges one document's versions (annotator name, document); `base` is the first of them.
fn merge_document(base: &Document, holders: &[(&str, &Document)], summary: &mut MergeSummary) -> Document {
    let mut doc = Document {
        spans: Vec::new(),
        relations: Vec::new(),
        suggestions: Vec::new(),
        doc_labels: BTreeMap::new(),
        ..base.clone()
    };
    doc.meta.retain(|key, _| !key.starts_with(DOC_LABEL_CONFLICT_META));
    let doc_label_conflicts = merge_doc_labels(holders, &mut doc, summary);
    // (start, end, label) → who made it, and the first maker's span.
    let mut makers: BTreeMap<(usize, usize, &str), (Vec<&str>, &Span)> = BTreeMap::new();
    for (name, d) in holders {
        for s in &d.spans {
            let entry = makers.entry((s.start, s.end, s.label.as_str())).or_insert_with(|| (Vec::new(), s));
            if !entry.0.contains(name) {
                entry.0.push(name);
            }
        }
    }
    let mut agreed_id: HashMap<(usize, usize, &str), u64> = HashMap::default();
    for (key, (names, span)) in &makers {
        let mut out = Span::new(0, key.0, key.1, key.2);
        out.note.clone_from(&span.note);
        if names.len() == holders.len() {
            out.id = doc.spans.len() as u64 + 1;
            out.annotator.clone_from(&span.annotator);
            agreed_id.insert(*key, out.id);
            doc.spans.push(out);
        } else {
            out.id = doc.suggestions.len() as u64 + 1;
            out.annotator = Some(names.join(ORIGIN_SEPARATOR));
            doc.suggestions.push(out);
        }
    }
    // Relations, mapped onto the agreed span ids, once per (type, from, to).
    let mut seen = BTreeSet::new();
    let mut dropped = BTreeSet::new();
    for (name, d) in holders {
        for r in &d.relations {
            let (Some(from), Some(to)) = (d.span(r.from), d.span(r.to)) else { continue };
            let agreed = |s: &Span| agreed_id.get(&(s.start, s.end, s.label.as_str())).copied();
            match (agreed(from), agreed(to)) {
                (Some(from), Some(to)) => {
                    if seen.insert((r.label.clone(), from, to)) {
                        let id = doc.relations.len() as u64 + 1;
                        doc.relations.push(Relation { id, label: r.label.clone(), from, to });
                    }
                }
                _ => {
                    let text = |s: &Span| d.covered_text(s).unwrap_or_default().to_owned();
                    if dropped.insert((*name, r.label.as_str(), from.start, from.end, to.start, to.end)) {
                        summary.dropped_relations.push(DroppedRelation {
                            document: doc.id.clone(),
                            annotator: (*name).to_owned(),
                            label: r.label.clone(),
                            from: text(from),
                            to: text(to),
                        });
                    }
                }
            }
        }
    }
    let disputed = doc.suggestions.len();
    doc.rejected = holders.iter().flat_map(|(_, d)| d.rejected.iter().cloned()).collect();
    carry_suggestions(holders, &mut doc, summary);
    doc.spans.sort_by_key(Span::sort_key);
    doc.suggestions.sort_by_key(Span::sort_key);
    doc.meta.remove(ANNOTATORS_META);
    if holders.len() > 1 {
        let names: Vec<&str> = holders.iter().map(|(n, _)| *n).collect();
        doc.meta.insert(ANNOTATORS_META.to_owned(), names.join(ANNOTATOR_SEPARATOR));
    }
    summary.agreed += doc.spans.len();
    if disputed > 0 {
        summary.disputed += disputed;
        summary.documents_with_disputes += 1;
    }
    if disputed > 0 || doc_label_conflicts > 0 {
        doc.status = Status::InProgress;
    }
    doc
}

/// Adds to `doc` (holding the agreed spans and disputed suggestions, and the joined rejections)
/// the suggestions waiting in the holders' documents, as the module's documentation says.
fn carry_suggestions(holders: &[(&str, &Document)], doc: &mut Document, summary: &mut MergeSummary) {
    let mut places: BTreeSet<(usize, usize, String)> =
        doc.spans.iter().chain(&doc.suggestions).map(|s| (s.start, s.end, s.label.clone())).collect();
    let mut carried = Vec::new();
    for (_, d) in holders {
        for s in &d.suggestions {
            if doc.rejected.contains(&Rejection::of(s)) {
                summary.carried_rejected += 1;
            } else if !places.insert((s.start, s.end, s.label.clone())) {
                summary.carried_duplicates += 1;
            } else {
                carried.push(s.clone());
            }
        }
    }
    summary.carried_suggestions += carried.len();
    for mut s in carried {
        s.id = doc.suggestions.len() as u64 + 1;
        doc.suggestions.push(s);
    }
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

/// The annotators a merged document was made from (its [`ANNOTATORS_META`]), in merge order.
pub fn merged_annotators(doc: &Document) -> Vec<&str> {
    doc.meta
        .get(ANNOTATORS_META)
        .map_or_else(Vec::new, |names| names.split(ANNOTATOR_SEPARATOR).filter(|n| !n.is_empty()).collect())
}

/// The annotators an origin ("a", "a+c") names, among `annotators` (in merge order); `None` when
/// the origin is not made of those names (a gazetteer's or a rule's suggestion). Names that
/// themselves contain "+" are matched whole.
pub fn origin_annotators<'a>(origin: &str, annotators: &[&'a str]) -> Option<Vec<&'a str>> {
    fn walk<'a>(rest: &str, from: usize, annotators: &[&'a str], out: &mut Vec<&'a str>) -> bool {
        for (i, name) in annotators.iter().enumerate().skip(from) {
            let Some(after) = rest.strip_prefix(name) else { continue };
            out.push(name);
            if after.is_empty() {
                return true;
            }
            if let Some(next) = after.strip_prefix(ORIGIN_SEPARATOR) {
                if walk(next, i + 1, annotators, out) {
                    return true;
                }
            }
            out.pop();
        }
        false
    }
    let mut out = Vec::new();
    walk(origin, 0, annotators, &mut out).then_some(out)
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
    fn agreed_spans_are_spans_disputed_ones_suggestions() {
        let mut a = project(&[(0, 4, "speaker"), (10, 29, "claim")]);
        a.documents[0].spans[1].note = Some("hedged?".into());
        let b = project(&[(0, 4, "speaker"), (10, 29, "threat")]);
        let (gold, summary) = merge(&[("a", &a), ("b", &b)]);
        assert_eq!((summary.agreed, summary.disputed, summary.documents_with_disputes), (1, 2, 1));
        let d = &gold.documents[0];
        assert_eq!(d.spans.iter().map(|s| (s.start, s.end, s.label.as_str())).collect::<Vec<_>>(), [(0, 4, "speaker")]);
        assert_eq!(d.spans[0].annotator, None);
        let origins: Vec<_> = d.suggestions.iter().map(|s| (s.label.as_str(), s.annotator.as_deref())).collect();
        assert_eq!(origins, [("claim", Some("a")), ("threat", Some("b"))]);
        assert_eq!(d.suggestions[0].note.as_deref(), Some("hedged?"), "the annotator's own note, nothing added");
        assert_eq!(d.meta[ANNOTATORS_META], "a, b");
        assert_eq!(merged_annotators(d), ["a", "b"]);
        assert_eq!(d.status, Status::InProgress);
        assert!(gold.problems().is_empty(), "{:?}", gold.problems());
    }

    #[test]
    fn relations_on_disputed_spans_are_reported_not_kept() {
        let link = |p: &mut Project, from, to| {
            let id = p.documents[0].next_relation_id();
            p.documents[0].relations.push(Relation { id, label: "said".into(), from, to });
        };
        let mut a = project(&[(0, 4, "speaker"), (10, 29, "claim")]);
        link(&mut a, 1, 2);
        let mut b = project(&[(0, 4, "speaker"), (10, 29, "claim"), (14, 18, "location")]);
        link(&mut b, 1, 2);
        link(&mut b, 1, 3);
        let (gold, summary) = merge(&[("a", &a), ("b", &b)]);
        let d = &gold.documents[0];
        assert_eq!(d.relations.len(), 1, "the agreed link, once");
        assert_eq!(d.suggestions.len(), 1);
        assert_eq!(
            summary.dropped_relations,
            [DroppedRelation {
                document: "d1".into(),
                annotator: "b".into(),
                label: "said".into(),
                from: "Jane".into(),
                to: "port".into()
            }]
        );
        assert!(gold.problems().is_empty(), "{:?}", gold.problems());
    }

    #[test]
    fn waiting_suggestions_are_kept_once_rejections_joined_and_hold() {
        let gazetteer =
            |id, s, e, l: &str| Span { annotator: Some("gazetteer:places.tsv".into()), ..Span::new(id, s, e, l) };
        let rejection = |s, e, l: &str| crate::model::Rejection { start: s, end: e, label: l.into() };
        let mut a = project(&[(0, 4, "speaker"), (10, 29, "claim")]);
        a.documents[0].suggestions = vec![gazetteer(1, 14, 18, "location"), gazetteer(2, 0, 4, "speaker")];
        a.documents[0].rejected.insert(rejection(24, 29, "location"));
        let mut b = project(&[(0, 4, "speaker"), (10, 29, "threat")]);
        b.documents[0].suggestions = vec![
            gazetteer(1, 14, 18, "location"),
            gazetteer(2, 24, 29, "location"),
            Span { annotator: Some("regex:claim".into()), ..Span::new(3, 10, 29, "claim") },
        ];
        b.documents[0].rejected.insert(rejection(5, 9, "claim"));
        let (gold, summary) = merge(&[("a", &a), ("b", &b)]);
        let d = &gold.documents[0];
        let carried: Vec<_> = d
            .suggestions
            .iter()
            .filter(|s| s.annotator.as_deref().is_some_and(|o| o.contains(':')))
            .map(|s| (s.start, s.end, s.label.as_str()))
            .collect();
        assert_eq!(carried, [(14, 18, "location")], "the port once; others repeat a span, a dispute or a rejection");
        assert_eq!((summary.carried_suggestions, summary.carried_duplicates, summary.carried_rejected), (1, 3, 1));
        assert_eq!((summary.disputed, summary.documents_with_disputes), (2, 1), "carried ones are not disputes");
        assert_eq!(d.rejected.len(), 2, "both annotators' rejections");
        assert!(gold.problems().is_empty(), "{:?}", gold.problems());
        // Review walks the disputes only: the gazetteer's suggestion is no version of anyone.
        let conflicts = crate::analysis::conflicts::document_conflicts(&gold, 0);
        assert_eq!(conflicts.len(), 1);
        assert_eq!(conflicts[0].suggestions.len(), 2);
    }

    #[test]
    fn origins_split_into_known_annotators() {
        let names = ["a", "a+b", "c"];
        assert_eq!(origin_annotators("a", &names), Some(vec!["a"]));
        assert_eq!(origin_annotators("a+b", &names), Some(vec!["a+b"]));
        assert_eq!(origin_annotators("a+c", &names), Some(vec!["a", "c"]));
        assert_eq!(origin_annotators("a+b+c", &names), Some(vec!["a+b", "c"]));
        assert_eq!(origin_annotators("gazetteer:places.tsv", &names), None);
        assert_eq!(origin_annotators("c+a", &names), None, "merge order only");
        assert_eq!(origin_annotators("", &names), None);
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
        assert_eq!((summary.doc_labels_agreed, summary.doc_label_conflicts, summary.disputed), (1, 1, 0));
        assert_eq!((summary.documents_with_disputes, d.status), (0, Status::InProgress));
        assert_eq!(gold.schema.doc_label("escalation").unwrap().values, ["yes", "no", "unclear"]);
        assert!(gold.problems().is_empty(), "{:?}", gold.problems());
        // Merging the gold again with itself clears stale marks: all agree now.
        let (again, summary) = merge(&[("g", &gold), ("h", &gold)]);
        assert_eq!(summary.doc_label_conflicts, 0);
        assert!(!again.documents[0].meta.keys().any(|k| k.starts_with(DOC_LABEL_CONFLICT_META)));
    }
}

//! Three-way semantic merge of a project (the git merge driver): base, ours and theirs.
//!
//! Documents are matched by id, spans by (document id, span id), relations by (document id,
//! relation id). For every item and every document field, a change made on one side only is taken;
//! the same change on both sides is taken once. A **true conflict** is an item changed two
//! different ways (or changed on one side and deleted on the other):
//! - a span changed two ways: ours is kept, theirs is added with a fresh id and a note starting
//!   `conflict:` (when only notes differ, both notes go into ours' note);
//! - a span or relation changed on one side and deleted on the other: the changed one is kept (a
//!   span with a `conflict:` note);
//! - a relation changed two ways: both are kept, theirs with a fresh id;
//! - a document field (title, status, note, source, a meta key) changed two ways: ours is kept;
//! - a document-level label set two ways: it is left unset, never picked, and
//!   `meta["gloss.doc_label_conflict.NAME"]` records both values (`ours: yes; theirs: no`);
//! - a document text changed two ways, or a merge that would leave the document invalid: ours'
//!   whole document is kept.
//!
//! Suggestions (proposed spans, [`Document::suggestions`]) merge by id too. A suggestion removed on
//! one side (accepted or rejected there) and left alone on the other is removed: the decision wins,
//! and an accepted one arrives as that side's new span. Suggestions added on both sides under the
//! same id are renumbered on theirs' side; the same proposal added twice is kept once. The memory of
//! rejected suggestions merges entry by entry: a rejection made on either side is kept, one
//! forgotten on one side (undone, or accepted after all) is forgotten.
//!
//! Spans (or relations) added on both sides under the same id with different content are not a
//! conflict: theirs is renumbered, and theirs' relations follow. A span theirs added that ours also
//! added (same start, end and label) is kept once.

use crate::model::hashing::HashMap;
use std::collections::{BTreeMap, BTreeSet};

use crate::model::{Document, Project, Rejection, Relation, Schema, Span, SpanId, document_problems};

/// One true conflict, for people.
pub type Conflict = String;

/// Three-way pick: `Some` when at most one side changed (or both the same way).
fn pick<T: PartialEq + Clone>(base: &T, ours: &T, theirs: &T) -> Option<T> {
    if ours == theirs || theirs == base {
        Some(ours.clone())
    } else if ours == base {
        Some(theirs.clone())
    } else {
        None
    }
}

/// Merges `ours` and `theirs`, both derived from `base`. Returns the merged project and the true
/// conflicts (empty when the merge is clean).
pub fn merge3(base: &Project, ours: &Project, theirs: &Project) -> (Project, Vec<Conflict>) {
    let mut conflicts = Vec::new();
    let name = pick(&base.name, &ours.name, &theirs.name).unwrap_or_else(|| {
        conflicts.push("project name changed on both sides; ours kept".to_owned());
        ours.name.clone()
    });
    let schema = pick(&base.schema, &ours.schema, &theirs.schema).unwrap_or_else(|| {
        conflicts.push("label schema changed on both sides; ours kept, with theirs' new labels added".to_owned());
        let mut schema = ours.schema.clone();
        for label in &theirs.schema.labels {
            if schema.label(&label.name).is_none() {
                schema.labels.push(label.clone());
            }
        }
        for kind in &theirs.schema.relations {
            if schema.relation_type(&kind.name).is_none() {
                schema.relations.push(kind.clone());
            }
        }
        super::merge::add_doc_labels(&mut schema, &theirs.schema);
        schema
    });
    let find = |p: &'_ Project, id: &str| p.documents.iter().find(|d| d.id == id).cloned();
    let mut documents = Vec::new();
    let mut renumber = Vec::new();
    for a in &ours.documents {
        match (find(base, &a.id), find(theirs, &a.id)) {
            (Some(o), Some(b)) => documents.push(merge_document(&schema, &o, a, &b, &mut conflicts)),
            (Some(o), None) => {
                if *a != o {
                    conflicts.push(format!("document {:?}: deleted by theirs, changed by ours; ours kept", a.id));
                    documents.push(a.clone());
                }
            }
            (None, Some(b)) if b == *a => documents.push(a.clone()),
            (None, Some(b)) if b.text.as_str() == a.text.as_str() => {
                let o = Document {
                    spans: Vec::new(),
                    relations: Vec::new(),
                    suggestions: Vec::new(),
                    rejected: Default::default(),
                    ..a.clone()
                };
                let o = Document { title: b.title.clone(), ..o };
                documents.push(merge_document(&schema, &o, a, &b, &mut conflicts));
            }
            (None, Some(b)) => {
                documents.push(a.clone());
                renumber.push(b);
            }
            (None, None) => documents.push(a.clone()),
        }
    }
    for b in &theirs.documents {
        if ours.documents.iter().any(|a| a.id == b.id) {
            continue;
        }
        match find(base, &b.id) {
            Some(o) if o == *b => {}
            Some(_) => {
                conflicts.push(format!("document {:?}: deleted by ours, changed by theirs; theirs kept", b.id));
                documents.push(b.clone());
            }
            None => documents.push(b.clone()),
        }
    }
    let mut project = Project { name, schema, documents };
    for mut b in renumber {
        let old = b.id.clone();
        b.id = project.next_document_id();
        b.meta.insert("gloss.renumbered_from".to_owned(), old);
        project.documents.push(b);
    }
    (project, conflicts)
}

/// Where a span of the result came from.
enum Origin {
    Ours,
    /// Theirs, with its id in theirs.
    Theirs(SpanId),
    /// Theirs' version of a span changed two ways (its id in theirs).
    TheirsCopy(SpanId),
}

/// Merges one document present in all three versions (`base` may be an empty stand-in).
fn merge_document(
    schema: &Schema,
    base: &Document,
    ours: &Document,
    theirs: &Document,
    conflicts: &mut Vec<Conflict>,
) -> Document {
    let id = &ours.id;
    let Some(text) = pick(&base.text.as_str(), &ours.text.as_str(), &theirs.text.as_str()) else {
        conflicts.push(format!("document {id:?}: text changed on both sides; ours kept whole"));
        return ours.clone();
    };
    let mut doc = Document::new(id.clone(), String::new(), text.to_owned());
    let mut field = |name: &str, ok: bool| {
        if !ok {
            conflicts.push(format!("document {id:?}: {name} changed on both sides; ours kept"));
        }
    };
    let title = pick(&base.title, &ours.title, &theirs.title);
    field("title", title.is_some());
    doc.title = title.unwrap_or_else(|| ours.title.clone());
    let source = pick(&base.source, &ours.source, &theirs.source);
    field("source", source.is_some());
    doc.source = source.unwrap_or_else(|| ours.source.clone());
    let status = pick(&base.status, &ours.status, &theirs.status);
    field("status", status.is_some());
    doc.status = status.unwrap_or(ours.status);
    let note = pick(&base.note, &ours.note, &theirs.note);
    field("note", note.is_some());
    doc.note = note.unwrap_or_else(|| ours.note.clone());
    let keys: BTreeSet<&String> = base.meta.keys().chain(ours.meta.keys()).chain(theirs.meta.keys()).collect();
    for key in keys {
        let value = pick(&base.meta.get(key), &ours.meta.get(key), &theirs.meta.get(key));
        field(&format!("meta {key:?}"), value.is_some());
        if let Some(v) = value.unwrap_or_else(|| ours.meta.get(key)) {
            doc.meta.insert(key.clone(), v.clone());
        }
    }
    let names: BTreeSet<&String> =
        base.doc_labels.keys().chain(ours.doc_labels.keys()).chain(theirs.doc_labels.keys()).collect();
    for name in names {
        let (x, y) = (ours.doc_label(name), theirs.doc_label(name));
        match pick(&base.doc_label(name), &x, &y) {
            Some(Some(value)) => {
                doc.doc_labels.insert(name.clone(), value.to_owned());
            }
            Some(None) => {}
            None => {
                conflicts.push(format!("document {id:?}: document label {name:?} set two ways; left unset"));
                let who = format!("ours: {}; theirs: {}", x.unwrap_or("unset"), y.unwrap_or("unset"));
                doc.meta.insert(format!("{}{name}", super::merge::DOC_LABEL_CONFLICT_META), who);
            }
        }
    }

    // Spans by id.
    let index = |d: &Document| -> BTreeMap<SpanId, Span> { d.spans.iter().map(|s| (s.id, s.clone())).collect() };
    let (o, a, b) = (index(base), index(ours), index(theirs));
    let ids: BTreeSet<SpanId> = o.keys().chain(a.keys()).chain(b.keys()).copied().collect();
    let mut kept: Vec<(Span, Origin)> = Vec::new();
    let mut extra: Vec<(Span, Origin)> = Vec::new();
    for sid in ids {
        match (o.get(&sid), a.get(&sid), b.get(&sid)) {
            (Some(os), Some(x), Some(y)) => match pick(os, x, y) {
                Some(s) => kept.push((s, if x == os && y != os { Origin::Theirs(sid) } else { Origin::Ours })),
                None => {
                    conflicts.push(format!("document {id:?}, span {sid}: changed on both sides; both kept"));
                    kept.push((x.clone(), Origin::Ours));
                    extra.push((y.clone(), Origin::TheirsCopy(sid)));
                }
            },
            (Some(os), Some(x), None) => {
                if x != os {
                    conflicts
                        .push(format!("document {id:?}, span {sid}: deleted by theirs, changed by ours; ours kept"));
                    kept.push((with_note(x, "conflict: deleted by the other side"), Origin::Ours));
                }
            }
            (Some(os), None, Some(y)) => {
                if y != os {
                    conflicts
                        .push(format!("document {id:?}, span {sid}: deleted by ours, changed by theirs; theirs kept"));
                    kept.push((with_note(y, "conflict: deleted by the other side"), Origin::Theirs(sid)));
                }
            }
            (Some(_), None, None) | (None, None, None) => {}
            (None, Some(x), None) => kept.push((x.clone(), Origin::Ours)),
            (None, None, Some(y)) => kept.push((y.clone(), Origin::Theirs(sid))),
            (None, Some(x), Some(y)) => {
                kept.push((x.clone(), Origin::Ours));
                if x != y {
                    extra.push((y.clone(), Origin::Theirs(sid)));
                }
            }
        }
    }
    // Place the spans: ours first, then theirs (dropping a duplicate of start, end and label), then
    // the extra ones under fresh ids. `theirs_id` maps theirs' span ids to the result's.
    let mut theirs_id: HashMap<SpanId, SpanId> = HashMap::default();
    let mut by_key: HashMap<(usize, usize, String), usize> = HashMap::default();
    let mut next = ids_max(&o, &a, &b) + 1;
    kept.sort_by_key(|(_, origin)| !matches!(origin, Origin::Ours));
    for (mut span, origin) in kept.into_iter().chain(extra) {
        let key = (span.start, span.end, span.label.clone());
        if let Some(existing) = by_key.get(&key).and_then(|&at| doc.spans.get_mut(at)) {
            if let Origin::TheirsCopy(tid) = origin {
                if span.note != existing.note {
                    let note = format!(
                        "conflict: notes differ: ours {:?}, theirs {:?}",
                        existing.note.as_deref().unwrap_or(""),
                        span.note.as_deref().unwrap_or("")
                    );
                    existing.note = Some(note);
                }
                theirs_id.insert(tid, existing.id);
            } else if let Origin::Theirs(tid) = origin {
                theirs_id.insert(tid, existing.id);
            }
            continue;
        }
        match origin {
            Origin::Ours => {}
            Origin::Theirs(tid) => {
                if doc.spans.iter().any(|s| s.id == span.id) {
                    span.id = next;
                    next += 1;
                }
                theirs_id.insert(tid, span.id);
            }
            Origin::TheirsCopy(tid) => {
                theirs_id.entry(tid).or_insert(tid);
                span.id = next;
                next += 1;
                let own = span.note.take().map(|n| format!("; {n}")).unwrap_or_default();
                span.note = Some(format!("conflict: the other side's version of span {tid}{own}"));
            }
        }
        by_key.insert(key, doc.spans.len());
        doc.spans.push(span);
    }
    // Theirs' spans kept under their own id (ours has the same id for the same span).
    for sid in b.keys() {
        if !theirs_id.contains_key(sid) && a.contains_key(sid) {
            theirs_id.insert(*sid, *sid);
        }
    }
    doc.spans.sort_by_key(Span::sort_key);

    // Relations by id, theirs translated to the result's span ids.
    let rindex = |d: &Document| -> BTreeMap<u64, Relation> { d.relations.iter().map(|r| (r.id, r.clone())).collect() };
    let (ro, ra) = (rindex(base), rindex(ours));
    let rb: BTreeMap<u64, Option<Relation>> = theirs
        .relations
        .iter()
        .map(|r| {
            let moved = match (theirs_id.get(&r.from), theirs_id.get(&r.to)) {
                (Some(&from), Some(&to)) => Some(Relation { from, to, ..r.clone() }),
                _ => None,
            };
            (r.id, moved)
        })
        .collect();
    let rids: BTreeSet<u64> = ro.keys().chain(ra.keys()).chain(rb.keys()).copied().collect();
    let mut relations: Vec<Relation> = Vec::new();
    let mut rextra: Vec<Relation> = Vec::new();
    let mut rnext = rids.last().copied().unwrap_or(0) + 1;
    for rid in rids {
        let y = rb.get(&rid).cloned();
        if y == Some(None) && ro.get(&rid) != theirs.relation(rid) {
            conflicts
                .push(format!("document {id:?}, relation {rid}: theirs links a span that no longer exists; dropped"));
        }
        let y = y.flatten();
        match (ro.get(&rid), ra.get(&rid), y) {
            (Some(r0), Some(x), Some(y)) => match pick(r0, x, &y) {
                Some(r) => relations.push(r),
                None => {
                    conflicts.push(format!("document {id:?}, relation {rid}: changed on both sides; both kept"));
                    relations.push(x.clone());
                    rextra.push(y);
                }
            },
            (Some(r0), Some(x), None) => {
                if x != r0 {
                    conflicts.push(format!(
                        "document {id:?}, relation {rid}: deleted by theirs, changed by ours; ours kept"
                    ));
                    relations.push(x.clone());
                }
            }
            (Some(r0), None, Some(y)) => {
                if y != *r0 {
                    conflicts.push(format!(
                        "document {id:?}, relation {rid}: deleted by ours, changed by theirs; theirs kept"
                    ));
                    relations.push(y);
                }
            }
            (_, Some(x), None) => relations.push(x.clone()),
            (_, None, Some(y)) => relations.push(y),
            (None, Some(x), Some(y)) => {
                relations.push(x.clone());
                if *x != y {
                    rextra.push(y);
                }
            }
            (_, None, None) => {}
        }
    }
    for mut r in rextra {
        r.id = rnext;
        rnext += 1;
        relations.push(r);
    }
    let span_ids: BTreeSet<SpanId> = doc.spans.iter().map(|s| s.id).collect();
    let mut seen = BTreeSet::new();
    for r in relations {
        if span_ids.contains(&r.from) && span_ids.contains(&r.to) && seen.insert((r.label.clone(), r.from, r.to)) {
            doc.relations.push(r);
        }
    }

    doc.suggestions = merge_suggestions(base, ours, theirs, conflicts);
    doc.rejected = merge_rejected(base, ours, theirs);

    let mut problems = Vec::new();
    document_problems(schema, &doc, &mut problems);
    if let Some(problem) = problems.first() {
        conflicts.push(format!("document {id:?}: the merge would be invalid ({problem}); ours kept whole"));
        return ours.clone();
    }
    doc
}

/// Merges the suggestions of one document by id (see the module's documentation).
fn merge_suggestions(base: &Document, ours: &Document, theirs: &Document, conflicts: &mut Vec<Conflict>) -> Vec<Span> {
    let id = &ours.id;
    let index = |d: &Document| -> BTreeMap<SpanId, Span> { d.suggestions.iter().map(|s| (s.id, s.clone())).collect() };
    let (o, a, b) = (index(base), index(ours), index(theirs));
    let ids: BTreeSet<SpanId> = o.keys().chain(a.keys()).chain(b.keys()).copied().collect();
    let mut kept: Vec<Span> = Vec::new();
    let mut extra: Vec<Span> = Vec::new();
    for sid in ids {
        match (o.get(&sid), a.get(&sid), b.get(&sid)) {
            (Some(os), Some(x), Some(y)) => match pick(os, x, y) {
                Some(s) => kept.push(s),
                None => {
                    conflicts.push(format!("document {id:?}, suggestion {sid}: changed on both sides; ours kept"));
                    kept.push(x.clone());
                }
            },
            (Some(os), Some(x), None) | (Some(os), None, Some(x)) => {
                if x != os {
                    conflicts.push(format!(
                        "document {id:?}, suggestion {sid}: decided on one side, changed on the other; the decision kept"
                    ));
                }
            }
            (Some(_), None, None) | (None, None, None) => {}
            (None, Some(x), None) | (None, None, Some(x)) => kept.push(x.clone()),
            (None, Some(x), Some(y)) => {
                kept.push(x.clone());
                if x != y {
                    extra.push(y.clone());
                }
            }
        }
    }
    let mut next = kept.iter().chain(&extra).map(|s| s.id).max().unwrap_or(0) + 1;
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for (mut s, fresh) in kept.into_iter().map(|s| (s, false)).chain(extra.into_iter().map(|s| (s, true))) {
        if !seen.insert((s.start, s.end, s.label.clone(), s.annotator.clone())) {
            continue;
        }
        if fresh {
            s.id = next;
            next += 1;
        }
        out.push(s);
    }
    out.sort_by_key(Span::sort_key);
    out
}

/// Merges the memories of rejected suggestions: each entry is kept or dropped as the side that
/// changed it says (a rejection on either side is kept; one forgotten on one side, by undo or by
/// accepting it, is forgotten). Never a conflict: two sides can only change an entry the same way.
fn merge_rejected(base: &Document, ours: &Document, theirs: &Document) -> BTreeSet<Rejection> {
    ours.rejected
        .union(&theirs.rejected)
        .filter(|r| {
            let (o, a, b) = (base.rejected.contains(r), ours.rejected.contains(r), theirs.rejected.contains(r));
            pick(&o, &a, &b).unwrap_or(a)
        })
        .cloned()
        .collect()
}

fn ids_max(o: &BTreeMap<SpanId, Span>, a: &BTreeMap<SpanId, Span>, b: &BTreeMap<SpanId, Span>) -> SpanId {
    [o, a, b].iter().filter_map(|m| m.keys().next_back().copied()).max().unwrap_or(0)
}

fn with_note(span: &Span, note: &str) -> Span {
    let own = span.note.as_ref().map(|n| format!("; {n}")).unwrap_or_default();
    Span { note: Some(format!("{note}{own}")), ..span.clone() }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Edit;

    fn base() -> Project {
        let mut p = Project::new("p");
        p.documents.push(Document::new("d1", "one", "Jane said the port will close."));
        p.documents.push(Document::new("d2", "two", "Rebels threatened to burn Kabul."));
        Edit::AddSpan { doc: 0, span: Span::new(1, 0, 4, "speaker") }.apply(&mut p).unwrap();
        p
    }

    fn add(p: &mut Project, doc: usize, span: Span) {
        Edit::AddSpan { doc, span }.apply(p).unwrap();
    }

    #[test]
    fn changes_on_different_documents_merge_cleanly() {
        let o = base();
        let mut a = o.clone();
        add(&mut a, 0, Span::new(2, 10, 29, "claim"));
        a.documents[0].relations.push(Relation { id: 1, label: "said".into(), from: 1, to: 2 });
        let mut b = o.clone();
        add(&mut b, 1, Span::new(1, 26, 31, "location"));
        let (m, conflicts) = merge3(&o, &a, &b);
        assert!(conflicts.is_empty(), "{conflicts:?}");
        assert_eq!(m.documents[0].spans.len(), 2);
        assert_eq!(m.documents[0].relations.len(), 1);
        assert_eq!(m.documents[1].spans.len(), 1);
    }

    #[test]
    fn colliding_new_ids_are_renumbered_and_relations_follow() {
        let o = base();
        let mut a = o.clone();
        add(&mut a, 0, Span::new(2, 10, 29, "claim"));
        let mut b = o.clone();
        add(&mut b, 0, Span::new(2, 10, 29, "threat"));
        b.documents[0].relations.push(Relation { id: 1, label: "said".into(), from: 1, to: 2 });
        let (m, conflicts) = merge3(&o, &a, &b);
        assert!(conflicts.is_empty(), "{conflicts:?}");
        let d = &m.documents[0];
        assert_eq!(d.spans.len(), 3);
        let threat = d.spans.iter().find(|s| s.label == "threat").unwrap();
        assert_eq!(threat.id, 3);
        assert_eq!(d.relations, vec![Relation { id: 1, label: "said".into(), from: 1, to: 3 }]);
    }

    #[test]
    fn same_span_changed_two_ways_is_a_conflict_with_both_kept() {
        let o = base();
        let mut a = o.clone();
        a.documents[0].spans[0].end = 9;
        let mut b = o.clone();
        b.documents[0].spans[0].label = "claim".into();
        let (m, conflicts) = merge3(&o, &a, &b);
        assert_eq!(conflicts.len(), 1, "{conflicts:?}");
        let d = &m.documents[0];
        assert_eq!(d.spans.len(), 2);
        // Sorted by (start, end): theirs' copy 0..4 (fresh id 2), then ours 0..9 (id 1).
        assert_eq!((d.spans[0].id, d.spans[0].end, d.spans[0].label.as_str()), (2, 4, "claim"));
        assert!(d.spans[0].note.as_deref().unwrap().starts_with("conflict:"));
        assert_eq!((d.spans[1].id, d.spans[1].end, d.spans[1].label.as_str()), (1, 9, "speaker"));
    }

    #[test]
    fn doc_labels_merge_by_side_and_a_two_way_change_is_left_unset() {
        let mut o = base();
        o.schema.doc_labels.push(crate::model::DocLabelDef {
            name: "escalation".into(),
            values: vec!["yes".into(), "no".into()],
            key: None,
            description: String::new(),
        });
        let set = |p: &mut Project, doc: usize, value: Option<&str>| {
            let value = value.map(str::to_owned);
            Edit::SetDocLabel { doc, name: "escalation".into(), value }.apply(p).unwrap();
        };
        set(&mut o, 1, Some("no"));
        let mut a = o.clone();
        set(&mut a, 0, Some("yes"));
        set(&mut a, 1, None);
        let mut b = o.clone();
        set(&mut b, 0, Some("no"));
        let (m, conflicts) = merge3(&o, &a, &b);
        assert_eq!(conflicts, ["document \"d1\": document label \"escalation\" set two ways; left unset"]);
        assert_eq!(m.documents[0].doc_label("escalation"), None);
        assert_eq!(m.documents[0].meta["gloss.doc_label_conflict.escalation"], "ours: yes; theirs: no");
        // Unset by ours only: taken.
        assert_eq!(m.documents[1].doc_label("escalation"), None);
        assert!(m.problems().is_empty(), "{:?}", m.problems());
        // One side only: taken.
        let (m, conflicts) = merge3(&o, &a, &o);
        assert!(conflicts.is_empty());
        assert_eq!(m.documents[0].doc_label("escalation"), Some("yes"));
    }

    fn suggest(p: &mut Project, id: SpanId, start: usize, end: usize, label: &str, who: &str) {
        let mut suggestion = Span::new(id, start, end, label);
        suggestion.annotator = Some(who.to_owned());
        Edit::AddSuggestion { doc: 0, suggestion }.apply(p).unwrap();
    }

    #[test]
    fn rejections_merge_entry_by_entry() {
        let r = |s, e| crate::model::Rejection { start: s, end: e, label: "location".into() };
        let mut o = base();
        o.documents[0].rejected.extend([r(0, 4), r(5, 9)]);
        let mut a = o.clone();
        a.documents[0].rejected.remove(&r(0, 4)); // ours accepted it after all
        a.documents[0].rejected.insert(r(10, 13));
        let mut b = o.clone();
        b.documents[0].rejected.insert(r(14, 18));
        b.documents[1].rejected.insert(r(0, 6));
        let (m, conflicts) = merge3(&o, &a, &b);
        assert!(conflicts.is_empty(), "{conflicts:?}");
        assert_eq!(m.documents[0].rejected.iter().cloned().collect::<Vec<_>>(), [r(5, 9), r(10, 13), r(14, 18)]);
        assert_eq!(m.documents[1].rejected.iter().cloned().collect::<Vec<_>>(), [r(0, 6)]);
    }

    #[test]
    fn suggestions_merge_by_id_and_a_decision_wins() {
        let mut o = base();
        suggest(&mut o, 1, 10, 29, "claim", "a");
        suggest(&mut o, 2, 10, 29, "threat", "b");
        suggest(&mut o, 3, 14, 18, "location", "b");
        // Ours accepts a's claim; theirs rejects b's threat and both add suggestion 4, differently.
        let mut a = o.clone();
        Edit::accept_suggestions(&a, 0, &[1]).unwrap().apply(&mut a).unwrap();
        suggest(&mut a, 4, 24, 29, "claim", "regex:verbs");
        let mut b = o.clone();
        Edit::reject_suggestions(&b, 0, &[2]).unwrap().apply(&mut b).unwrap();
        suggest(&mut b, 4, 5, 9, "claim", "regex:verbs");
        suggest(&mut b, 5, 24, 29, "claim", "regex:verbs");
        let (m, conflicts) = merge3(&o, &a, &b);
        assert!(conflicts.is_empty(), "{conflicts:?}");
        let d = &m.documents[0];
        assert!(d.find_exact(10, 29, "claim").is_some(), "ours' accept arrives as a span");
        let left: Vec<(SpanId, usize, usize)> = d.suggestions.iter().map(|s| (s.id, s.start, s.end)).collect();
        // 1 accepted, 2 rejected; theirs' 4 renumbered to 6; theirs' 5 is ours' 4 again: once.
        assert_eq!(left, [(6, 5, 9), (3, 14, 18), (4, 24, 29)]);
        assert!(m.problems().is_empty(), "{:?}", m.problems());
        // The other way round, the same spans and suggestions.
        let (m2, _) = merge3(&o, &b, &a);
        assert!(m2.documents[0].find_exact(10, 29, "claim").is_some());
        assert_eq!(m2.documents[0].suggestions.len(), 3);
    }
}

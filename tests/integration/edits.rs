//! Edits and history: every rule of the model is enforced by `Edit::apply`, every edit undoes
//! exactly, batches are all or nothing, and "dirty" means "differs from the saved revision".

use gloss::model::{DocLabelDef, Document, Edit, EditError, History, Project, Relation, Span};
use proptest::prelude::*;

fn project() -> Project {
    let mut p = Project::new("edits");
    p.schema.doc_labels.push(DocLabelDef {
        name: "escalation".into(),
        values: vec!["yes".into(), "no".into()],
        key: Some('e'),
        description: "Does the article report an escalation?".into(),
    });
    p.documents.push(Document::new("d1", "one", "Governor Marsh said the docks will close. 😀 Müller agreed."));
    p.documents.push(Document::new("d2", "two", "Okafor called it a bluff."));
    p
}

fn add(p: &mut Project, doc: usize, span: Span) -> Result<Edit, EditError> {
    Edit::AddSpan { doc, span }.apply(p)
}

#[test]
fn spans_must_be_non_empty_inside_the_text_with_a_known_label_and_not_duplicated() {
    let mut p = project();
    let len = p.documents[0].text.len_chars();
    assert_eq!(add(&mut p, 0, Span::new(1, 5, 5, "claim")), Err(EditError::EmptySpan { start: 5, end: 5 }));
    assert_eq!(add(&mut p, 0, Span::new(1, 6, 2, "claim")), Err(EditError::EmptySpan { start: 6, end: 2 }));
    assert_eq!(
        add(&mut p, 0, Span::new(1, 0, len + 1, "claim")),
        Err(EditError::OutOfRange { start: 0, end: len + 1, len })
    );
    assert_eq!(add(&mut p, 0, Span::new(1, 0, 3, "rumour")), Err(EditError::UnknownLabel("rumour".into())));
    assert_eq!(add(&mut p, 7, Span::new(1, 0, 3, "claim")), Err(EditError::NoDocument(7)));
    add(&mut p, 0, Span::new(1, 0, 14, "speaker")).expect("first");
    assert_eq!(
        add(&mut p, 0, Span::new(2, 0, 14, "speaker")),
        Err(EditError::DuplicateSpan { label: "speaker".into(), existing: 1 })
    );
    assert_eq!(add(&mut p, 0, Span::new(1, 20, 25, "claim")), Err(EditError::DuplicateId(1)));
    // Overlapping, nested, same range with another label, across the emoji: all allowed.
    add(&mut p, 0, Span::new(2, 0, 14, "claim")).expect("same range, other label");
    add(&mut p, 0, Span::new(3, 9, 40, "claim")).expect("overlap");
    add(&mut p, 0, Span::new(4, 42, len, "claim")).expect("across the emoji to the end");
    assert_eq!(p.documents[0].covered_text(p.documents[0].span(4).expect("span")), Some("😀 Müller agreed."));
    let order: Vec<u64> = p.documents[0].spans.iter().map(|s| s.id).collect();
    assert_eq!(order, [1, 2, 3, 4], "sorted by (start, end, id)");
}

#[test]
fn a_span_with_relations_goes_only_with_them_in_one_step() {
    let mut p = project();
    add(&mut p, 0, Span::new(1, 0, 14, "speaker")).expect("speaker");
    add(&mut p, 0, Span::new(2, 20, 40, "claim")).expect("claim");
    let said = Relation { id: 1, label: "said".into(), from: 1, to: 2 };
    Edit::AddRelation { doc: 0, relation: said.clone() }.apply(&mut p).expect("relation");
    assert_eq!(Edit::RemoveSpan { doc: 0, id: 2 }.apply(&mut p), Err(EditError::SpanHasRelations { id: 2, count: 1 }));
    let before = p.clone();
    let mut h = History::new();
    let delete = Edit::remove_span_with_relations(&p, 0, 2);
    h.apply(&mut p, delete, "Delete span").expect("delete");
    assert!(p.documents[0].relations.is_empty() && p.documents[0].span(2).is_none());
    h.undo(&mut p).expect("undo");
    assert_eq!(p, before);
}

#[test]
fn relations_respect_the_schema() {
    let mut p = project();
    add(&mut p, 0, Span::new(1, 0, 14, "speaker")).expect("speaker");
    add(&mut p, 0, Span::new(2, 20, 40, "location")).expect("location");
    let wrong = Relation { id: 1, label: "said".into(), from: 1, to: 2 };
    assert!(matches!(
        Edit::AddRelation { doc: 0, relation: wrong }.apply(&mut p),
        Err(EditError::RelationNotAllowed { .. })
    ));
    let dangling = Relation { id: 1, label: "said".into(), from: 1, to: 9 };
    assert_eq!(Edit::AddRelation { doc: 0, relation: dangling }.apply(&mut p), Err(EditError::NoSpan(9)));
    let unknown = Relation { id: 1, label: "denied".into(), from: 1, to: 2 };
    assert_eq!(
        Edit::AddRelation { doc: 0, relation: unknown }.apply(&mut p),
        Err(EditError::UnknownRelationType("denied".into()))
    );
    // Relabelling a linked span into a label the relation does not allow is refused too.
    Edit::SetSpanLabel { doc: 0, id: 2, label: "claim".into() }.apply(&mut p).expect("relabel");
    let said = Relation { id: 1, label: "said".into(), from: 1, to: 2 };
    Edit::AddRelation { doc: 0, relation: said }.apply(&mut p).expect("said");
    assert!(matches!(
        Edit::SetSpanLabel { doc: 0, id: 2, label: "location".into() }.apply(&mut p),
        Err(EditError::RelationNotAllowed { .. })
    ));
}

#[test]
fn renaming_a_label_carries_to_spans_and_relation_types_as_one_step() {
    let mut p = project();
    add(&mut p, 0, Span::new(1, 0, 14, "speaker")).expect("speaker");
    add(&mut p, 1, Span::new(1, 0, 6, "speaker")).expect("speaker 2");
    let before = p.clone();
    let mut h = History::new();
    h.apply(&mut p, Edit::RenameLabel { from: "speaker".into(), to: "source".into() }, "Rename").expect("rename");
    assert!(p.documents.iter().all(|d| d.spans.iter().all(|s| s.label == "source")));
    assert_eq!(p.schema.relation_type("said").expect("said").from, ["source"]);
    assert!(p.problems().is_empty());
    assert_eq!(
        Edit::RenameLabel { from: "source".into(), to: "claim".into() }.apply(&mut p),
        Err(EditError::LabelExists("claim".into()))
    );
    h.undo(&mut p).expect("undo");
    assert_eq!(p, before);
}

#[test]
fn a_rename_to_a_name_with_a_control_character_is_refused() {
    let mut p = project();
    let before = p.clone();
    for edit in [
        Edit::RenameLabel { from: "speaker".into(), to: "source\t".into() },
        Edit::RenameDocLabel { from: "escalation".into(), to: "esc\u{1b}[31m".into() },
        Edit::RenameDocLabelValue { name: "escalation".into(), from: "yes".into(), to: "y\nes".into() },
    ] {
        match edit.apply(&mut p) {
            Err(EditError::InvalidSchema(problems)) => {
                assert!(problems[0].contains("has a control character"), "{problems:?}")
            }
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(p, before);
}

#[test]
fn deleting_a_label_in_use_is_refused_unless_its_spans_go_with_it() {
    let mut p = project();
    add(&mut p, 0, Span::new(1, 0, 14, "speaker")).expect("speaker");
    add(&mut p, 0, Span::new(2, 20, 40, "claim")).expect("claim");
    add(&mut p, 1, Span::new(1, 0, 6, "speaker")).expect("speaker 2");
    Edit::AddRelation { doc: 0, relation: Relation { id: 1, label: "said".into(), from: 1, to: 2 } }
        .apply(&mut p)
        .expect("said");
    let mut schema = p.schema.clone();
    schema.labels.retain(|l| l.name != "speaker");
    for kind in &mut schema.relations {
        kind.from.retain(|l| l != "speaker");
    }
    assert_eq!(Edit::SetSchema(schema).apply(&mut p), Err(EditError::LabelInUse { label: "speaker".into(), count: 2 }));
    let before = p.clone();
    let mut h = History::new();
    let delete = Edit::remove_label_with_spans(&p, "speaker");
    h.apply(&mut p, delete, "Delete label").expect("delete label");
    assert!(p.schema.label("speaker").is_none());
    assert_eq!(p.span_count(), 1);
    assert!(p.documents[0].relations.is_empty());
    assert!(p.problems().is_empty(), "{:?}", p.problems());
    assert_eq!(h.undo_name(), Some("Delete label"));
    h.undo(&mut p).expect("undo");
    assert_eq!(p, before, "one undo restores label, spans and relation");
}

#[test]
fn schema_edits_are_validated() {
    let mut p = project();
    let mut schema = p.schema.clone();
    schema.labels[1].key = Some('1');
    assert!(matches!(Edit::SetSchema(schema).apply(&mut p), Err(EditError::InvalidSchema(_))));
    let mut schema = p.schema.clone();
    schema.labels.push(gloss::model::LabelDef {
        name: "date".into(),
        color: schema.next_color(),
        key: schema.next_key(),
        description: "A date".into(),
    });
    Edit::SetSchema(schema).apply(&mut p).expect("add label");
    assert_eq!(p.schema.label_for_key('5').map(|l| l.name.as_str()), Some("date"));
}

#[test]
fn a_failing_batch_changes_nothing() {
    let mut p = project();
    let before = p.clone();
    let batch = Edit::Batch(vec![
        Edit::AddSpan { doc: 0, span: Span::new(1, 0, 8, "speaker") },
        Edit::AddSpan { doc: 0, span: Span::new(2, 9, 14, "speaker") },
        Edit::AddSpan { doc: 0, span: Span::new(3, 9, 14, "speaker") },
    ]);
    assert!(matches!(batch.apply(&mut p), Err(EditError::DuplicateSpan { .. })));
    assert_eq!(p, before);
}

#[test]
fn dirty_means_the_revision_differs_from_the_saved_one() {
    let mut p = project();
    let mut h = History::new();
    assert!(!h.is_dirty());
    h.apply(&mut p, Edit::AddSpan { doc: 0, span: Span::new(1, 0, 8, "speaker") }, "Label").expect("a");
    assert!(h.is_dirty());
    h.mark_saved();
    assert!(!h.is_dirty());
    h.apply(&mut p, Edit::AddSpan { doc: 0, span: Span::new(2, 9, 14, "speaker") }, "Label").expect("b");
    assert!(h.is_dirty());
    h.undo(&mut p).expect("undo");
    assert!(!h.is_dirty(), "undo back to the saved state is clean");
    h.undo(&mut p).expect("undo");
    assert!(h.is_dirty());
    h.redo(&mut p).expect("redo");
    assert!(!h.is_dirty());
    // A different edit after an undo never looks saved, even at the same depth.
    h.undo(&mut p).expect("undo");
    h.apply(&mut p, Edit::AddSpan { doc: 0, span: Span::new(3, 15, 18, "claim") }, "Label").expect("c");
    assert!(h.is_dirty());
    assert_eq!(h.redo(&mut p).expect("redo"), None, "a new edit clears redo");
    // A failed edit is not a step.
    let rev = h.revision();
    assert!(h.apply(&mut p, Edit::RemoveSpan { doc: 0, id: 99 }, "Delete").is_err());
    assert_eq!(h.revision(), rev);
}

#[test]
fn doc_labels_take_only_their_values_and_undo() {
    let mut p = project();
    let set = |p: &mut Project, name: &str, value: Option<&str>| {
        Edit::SetDocLabel { doc: 0, name: name.into(), value: value.map(str::to_owned) }.apply(p)
    };
    assert_eq!(
        set(&mut p, "escalation", Some("maybe")),
        Err(EditError::UnknownDocLabelValue { name: "escalation".into(), value: "maybe".into() })
    );
    assert_eq!(set(&mut p, "stance", Some("yes")), Err(EditError::UnknownDocLabel("stance".into())));
    assert!(matches!(
        Edit::SetDocLabel { doc: 9, name: "escalation".into(), value: Some("yes".into()) }.apply(&mut p),
        Err(EditError::NoDocument(9))
    ));
    assert_eq!(p, project(), "refused edits change nothing");
    let undo = set(&mut p, "escalation", Some("yes")).expect("set");
    assert_eq!(p.documents[0].doc_label("escalation"), Some("yes"));
    let undo2 = set(&mut p, "escalation", Some("no")).expect("change");
    assert_eq!(undo2, Edit::SetDocLabel { doc: 0, name: "escalation".into(), value: Some("yes".into()) });
    undo2.apply(&mut p).expect("undo change");
    undo.apply(&mut p).expect("undo set");
    assert_eq!(p, project());
    // Unsetting a label that is not set is a no-op whose inverse is also a no-op.
    let undo = set(&mut p, "escalation", None).expect("unset");
    undo.apply(&mut p).expect("undo unset");
    assert_eq!(p, project());
}

#[test]
fn a_schema_that_drops_a_doc_label_or_value_in_use_is_refused() {
    let mut p = project();
    Edit::SetDocLabel { doc: 1, name: "escalation".into(), value: Some("no".into()) }.apply(&mut p).expect("set");
    let mut without = p.schema.clone();
    without.doc_labels.clear();
    assert_eq!(
        Edit::SetSchema(without).apply(&mut p),
        Err(EditError::DocLabelInUse { name: "escalation".into(), value: None, count: 1 })
    );
    let mut fewer = p.schema.clone();
    fewer.doc_labels[0].values = vec!["yes".into()];
    let err = Edit::SetSchema(fewer).apply(&mut p).expect_err("value in use");
    assert_eq!(err, EditError::DocLabelInUse { name: "escalation".into(), value: Some("no".into()), count: 1 });
    assert_eq!(err.to_string(), "document label \"escalation\" = \"no\" is set on 1 document(s)");
    // Dropping an unused value, adding one and reordering are fine.
    let mut other = p.schema.clone();
    other.doc_labels[0].values = vec!["unclear".into(), "no".into()];
    Edit::SetSchema(other).apply(&mut p).expect("unused value dropped");
    // A hotkey clash with a span label is refused like any invalid schema.
    let mut clash = p.schema.clone();
    clash.doc_labels[0].key = Some('1');
    assert!(matches!(Edit::SetSchema(clash).apply(&mut p), Err(EditError::InvalidSchema(_))));
}

#[test]
fn renaming_a_doc_label_carries_to_documents_and_undoes() {
    let mut p = project();
    Edit::SetDocLabel { doc: 1, name: "escalation".into(), value: Some("yes".into()) }.apply(&mut p).expect("set");
    let before = p.clone();
    let undo =
        Edit::RenameDocLabel { from: "escalation".into(), to: "escalates".into() }.apply(&mut p).expect("rename");
    assert_eq!(p.documents[1].doc_label("escalates"), Some("yes"));
    assert_eq!(p.documents[1].doc_label("escalation"), None);
    assert!(p.problems().is_empty(), "{:?}", p.problems());
    undo.apply(&mut p).expect("undo");
    assert_eq!(p, before);
    let rename = |from: &str, to: &str| Edit::RenameDocLabel { from: from.into(), to: to.into() };
    assert!(matches!(rename("nope", "x").apply(&mut p), Err(EditError::UnknownDocLabel(_))));
    assert!(matches!(rename("escalation", " ").apply(&mut p), Err(EditError::InvalidSchema(_))));
    assert_eq!(p, before);
}

#[test]
fn renaming_a_doc_label_value_keeps_its_place_carries_to_documents_and_undoes() {
    let mut p = project();
    p.documents.push(Document::new("d3", "three", "Nothing happened."));
    Edit::SetDocLabel { doc: 0, name: "escalation".into(), value: Some("yes".into()) }.apply(&mut p).expect("set");
    Edit::SetDocLabel { doc: 1, name: "escalation".into(), value: Some("no".into()) }.apply(&mut p).expect("set");
    Edit::SetDocLabel { doc: 2, name: "escalation".into(), value: Some("yes".into()) }.apply(&mut p).expect("set");
    let before = p.clone();
    let rename = |from: &str, to: &str| Edit::RenameDocLabelValue {
        name: "escalation".into(),
        from: from.into(),
        to: to.into(),
    };
    // A value with a comma is a value like any other.
    let undo = rename("yes", "yes, clearly").apply(&mut p).expect("rename");
    assert_eq!(p.schema.doc_label("escalation").expect("def").values, ["yes, clearly", "no"], "same place");
    let values: Vec<Option<&str>> = p.documents.iter().map(|d| d.doc_label("escalation")).collect();
    assert_eq!(values, [Some("yes, clearly"), Some("no"), Some("yes, clearly")]);
    assert!(p.problems().is_empty(), "{:?}", p.problems());
    undo.apply(&mut p).expect("undo");
    assert_eq!(p, before);

    // Refused, and the project untouched: unknown doc label or value, empty or taken new value.
    assert_eq!(
        Edit::RenameDocLabelValue { name: "stance".into(), from: "yes".into(), to: "y".into() }.apply(&mut p),
        Err(EditError::UnknownDocLabel("stance".into()))
    );
    assert_eq!(
        rename("maybe", "perhaps").apply(&mut p),
        Err(EditError::UnknownDocLabelValue { name: "escalation".into(), value: "maybe".into() })
    );
    assert!(matches!(rename("yes", "  ").apply(&mut p), Err(EditError::InvalidSchema(_))));
    let err = rename("yes", "no").apply(&mut p).expect_err("taken");
    assert_eq!(err.to_string(), "invalid schema: document label \"escalation\" already has the value \"no\"");
    assert_eq!(p, before);
    // The same name is a no-op that undoes to itself.
    assert_eq!(rename("no", "no").apply(&mut p), Ok(rename("no", "no")));
    assert_eq!(p, before);
}

#[test]
fn a_doc_label_value_rename_in_a_batch_with_the_schema_is_one_step() {
    let mut p = project();
    Edit::SetDocLabel { doc: 1, name: "escalation".into(), value: Some("no".into()) }.apply(&mut p).expect("set");
    let before = p.clone();
    let mut history = History::new();
    let mut schema = p.schema.clone();
    schema.doc_labels[0].name = "escalates".into();
    schema.doc_labels[0].values = vec!["yes".into(), "not at all".into(), "unclear".into()];
    let batch = Edit::Batch(vec![
        Edit::RenameDocLabel { from: "escalation".into(), to: "escalates".into() },
        Edit::RenameDocLabelValue { name: "escalates".into(), from: "no".into(), to: "not at all".into() },
        Edit::SetSchema(schema),
    ]);
    history.apply(&mut p, batch, "Edit labels").expect("applied");
    assert_eq!(p.documents[1].doc_label("escalates"), Some("not at all"));
    assert_eq!(p.schema.doc_labels[0].values, ["yes", "not at all", "unclear"]);
    history.undo(&mut p).expect("undo");
    assert_eq!(p, before, "one undo step");
}

#[test]
fn documents_with_unknown_doc_labels_or_values_are_problems() {
    let mut p = project();
    p.documents[0].doc_labels.insert("stance".into(), "pro".into());
    p.documents[1].doc_labels.insert("escalation".into(), "maybe".into());
    let problems: Vec<String> = p.problems().iter().map(ToString::to_string).collect();
    assert_eq!(
        problems,
        [
            "document \"d1\": unknown document label \"stance\"",
            "document \"d2\": document label \"escalation\" has value \"maybe\", which is not one of [\"yes\", \"no\"]",
        ]
    );
    let doc = p.documents.remove(1);
    assert!(matches!(
        Edit::AddDocument { index: 1, document: Box::new(doc) }.apply(&mut p),
        Err(EditError::InvalidDocument(_))
    ));
}

#[derive(Clone, Debug)]
enum Op {
    Add(usize, usize, usize, usize),
    Remove(usize),
    Relabel(usize, usize),
    Note(usize, bool),
    Link(usize, usize),
    DocLabel(usize, usize),
    Undo,
    Redo,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (0usize..2, 0usize..60, 1usize..15, 0usize..4).prop_map(|(d, s, w, l)| Op::Add(d, s, w, l)),
        1 => (0usize..8).prop_map(Op::Remove),
        1 => (0usize..8, 0usize..4).prop_map(|(i, l)| Op::Relabel(i, l)),
        1 => (0usize..8, any::<bool>()).prop_map(|(i, b)| Op::Note(i, b)),
        1 => (0usize..8, 0usize..8).prop_map(|(a, b)| Op::Link(a, b)),
        1 => (0usize..2, 0usize..4).prop_map(|(d, v)| Op::DocLabel(d, v)),
        1 => Just(Op::Undo),
        1 => Just(Op::Redo),
    ]
}

proptest! {
    /// Any sequence of edits keeps the project valid, and undoing everything restores it exactly.
    #[test]
    fn random_edits_stay_valid_and_undo_to_the_start(ops in proptest::collection::vec(op(), 1..40)) {
        const LABELS: [&str; 4] = ["claim", "threat", "speaker", "location"];
        let start = project();
        let mut p = start.clone();
        let mut h = History::new();
        for op in ops {
            let pick = |p: &Project, i: usize| p.documents[0].spans.get(i % p.documents[0].spans.len().max(1)).map(|s| s.id);
            let edit = match op {
                Op::Add(d, s, w, l) => {
                    let len = p.documents[d].text.len_chars();
                    let s = s % len;
                    let id = p.documents[d].next_span_id();
                    Some(Edit::AddSpan { doc: d, span: Span::new(id, s, (s + w).min(len), LABELS[l]) })
                }
                Op::Remove(i) => pick(&p, i).map(|id| Edit::remove_span_with_relations(&p, 0, id)),
                Op::Relabel(i, l) => pick(&p, i).map(|id| Edit::SetSpanLabel { doc: 0, id, label: LABELS[l].into() }),
                Op::Note(i, b) => pick(&p, i).map(|id| Edit::SetSpanNote { doc: 0, id, note: b.then(|| "n".to_owned()) }),
                Op::Link(a, b) => match (pick(&p, a), pick(&p, b)) {
                    (Some(from), Some(to)) => Some(Edit::AddRelation {
                        doc: 0,
                        relation: Relation { id: p.documents[0].next_relation_id(), label: "said".into(), from, to },
                    }),
                    _ => None,
                },
                Op::DocLabel(d, v) => {
                    let value = [Some("yes"), Some("no"), None, Some("maybe")][v].map(str::to_owned);
                    Some(Edit::SetDocLabel { doc: d, name: "escalation".into(), value })
                }
                Op::Undo => { let _ = h.undo(&mut p); None }
                Op::Redo => { let _ = h.redo(&mut p); None }
            };
            if let Some(edit) = edit {
                let snapshot = p.clone();
                if h.apply(&mut p, edit, "op").is_err() {
                    prop_assert_eq!(&p, &snapshot, "a refused edit changed the project");
                }
            }
            prop_assert!(p.problems().is_empty(), "{:?}", p.problems());
            prop_assert!(p.documents[0].spans.is_sorted_by_key(Span::sort_key));
        }
        while h.undo(&mut p).expect("undo").is_some() {}
        prop_assert_eq!(p, start);
    }
}

//! Document-level labels in the GUI, driven through egui_kittest: the hotkey cycles a doc label's
//! values then unsets it, a click on a value sets it and a second click unsets it, each change is
//! one undo step, it is saved, listed in the help, and the schema editor adds a new doc label.

use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT as _, Queryable as _};
use gloss::gui::{Command, GlossApp};
use gloss::model::{DocLabelDef, Document, Project};

use crate::gui_util::{CTRL, open_path as open, press};

fn project() -> Project {
    let mut p = Project::new("doc labels");
    let def = |name: &str, values: &[&str], key| DocLabelDef {
        name: name.into(),
        values: values.iter().map(|v| (*v).to_owned()).collect(),
        key,
        description: format!("What is the {name}?"),
    };
    p.schema.doc_labels =
        vec![def("escalation", &["yes", "no"], Some('e')), def("stance", &["pro", "anti", "neutral"], None)];
    p.documents.push(Document::new("d1", "Port", "The governor said the port will close on Friday."));
    p.documents.push(Document::new("d2", "Talks", "Talks resumed in Kabul."));
    p
}

fn value(h: &Harness<'_, GlossApp>, name: &str) -> Option<String> {
    let open = h.state().open.as_ref().expect("a project is open");
    open.project.documents[open.doc].doc_label(name).map(str::to_owned)
}

fn click(h: &mut Harness<'_, GlossApp>, label: &str) {
    h.get_by_label(label).click();
    h.run();
}

#[test]
fn hotkey_cycles_clicks_set_and_unset_undo_and_save() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("p.gloss.ron");
    gloss::store::save(&path, &project()).expect("save");
    let mut h = open(&path);
    assert!(h.query_by_label("Document labels").is_some(), "the section shows");

    // The hotkey cycles: unset → yes → no → unset.
    let mut seen = Vec::new();
    for _ in 0..3 {
        press(&mut h, Modifiers::NONE, Key::E);
        seen.push(value(&h, "escalation"));
    }
    assert_eq!(seen, [Some("yes".to_owned()), Some("no".to_owned()), None]);
    press(&mut h, Modifiers::NONE, Key::E);

    // A click sets, a click on the chosen value unsets, another value replaces.
    click(&mut h, "anti");
    assert_eq!(value(&h, "stance").as_deref(), Some("anti"));
    click(&mut h, "anti");
    assert_eq!(value(&h, "stance"), None);
    click(&mut h, "neutral");
    click(&mut h, "pro");
    assert_eq!(value(&h, "stance").as_deref(), Some("pro"));

    // Each change is one undo step.
    press(&mut h, CTRL, Key::Z);
    assert_eq!(value(&h, "stance").as_deref(), Some("neutral"));
    press(&mut h, CTRL, Key::Z);
    press(&mut h, CTRL, Key::Z);
    assert_eq!(value(&h, "stance").as_deref(), Some("anti"));
    press(&mut h, CTRL, Key::Y);
    press(&mut h, CTRL, Key::Y);
    assert_eq!(value(&h, "stance").as_deref(), Some("neutral"));

    // Doc labels belong to the document: the next one starts unset.
    press(&mut h, CTRL, Key::PageDown);
    assert_eq!((value(&h, "escalation"), value(&h, "stance")), (None, None));
    press(&mut h, Modifiers::NONE, Key::E);
    press(&mut h, Modifiers::NONE, Key::E);

    press(&mut h, CTRL, Key::S);
    h.state_mut().finish_background_work();
    h.run();
    let saved = gloss::store::load(&path).expect("saved");
    assert_eq!(saved.documents[0].doc_label("escalation"), Some("yes"));
    assert_eq!(saved.documents[0].doc_label("stance"), Some("neutral"));
    assert_eq!(saved.documents[1].doc_label("escalation"), Some("no"));
    assert_eq!(saved.documents[1].doc_label("stance"), None);

    // The help lists the doc label with its values and key.
    press(&mut h, Modifiers::NONE, Key::F1);
    assert!(h.query_by_label("escalation: yes / no").is_some());
    assert!(h.query_by_label("stance: pro / anti / neutral").is_some());
}

#[test]
fn the_schema_editor_adds_a_doc_label_whose_hotkey_works() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("p.gloss.ron");
    let mut p = project();
    p.schema.doc_labels.clear();
    gloss::store::save(&path, &p).expect("save");
    let mut h = open(&path);
    assert!(h.query_by_label("Document labels").is_none(), "no section without doc labels");
    h.state_mut().push_command(Command::EditSchema);
    h.run();
    click(&mut h, "Add document label");
    click(&mut h, "Apply");
    let open = h.state().open.as_ref().expect("open");
    let def = open.project.schema.doc_label("doclabel1").expect("added");
    assert_eq!((def.values.as_slice(), def.key), (&["yes".to_owned(), "no".to_owned()][..], Some('q')));
    // Close the editor, so the key goes to the document.
    h.state_mut().schema_editor = None;
    h.run();
    press(&mut h, Modifiers::NONE, Key::Q);
    assert_eq!(value(&h, "doclabel1").as_deref(), Some("yes"));
    // Undo the value, then the schema change: back to the file's schema.
    press(&mut h, CTRL, Key::Z);
    press(&mut h, CTRL, Key::Z);
    assert!(h.state().open.as_ref().expect("open").project.schema.doc_labels.is_empty());
}

#[test]
fn a_merge_conflict_shows_who_chose_what_until_a_value_is_chosen() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("gold.gloss.ron");
    let mut p = project();
    p.documents[0].meta.insert("gloss.doc_label_conflict.escalation".into(), "ana: yes; ben: no".into());
    gloss::store::save(&path, &p).expect("save");
    let mut h = open(&path);
    let warning = "⚠ annotators differ: ana: yes; ben: no";
    assert!(h.query_by_label(warning).is_some(), "the conflict shows");
    click(&mut h, "no");
    assert_eq!(value(&h, "escalation").as_deref(), Some("no"));
    assert!(h.query_by_label(warning).is_none(), "a chosen value settles it");
}

#[test]
fn the_document_menu_sets_a_doc_label() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("p.gloss.ron");
    gloss::store::save(&path, &project()).expect("save");
    let mut h = open(&path);
    click(&mut h, "Document");
    h.get_by_label("escalation: unset").hover();
    h.run();
    click(&mut h, "Set escalation = no");
    assert_eq!(value(&h, "escalation").as_deref(), Some("no"));
}

#[test]
fn the_schema_editor_renames_a_value_in_place_on_every_document_as_one_step() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("p.gloss.ron");
    let mut p = project();
    for d in &mut p.documents {
        d.doc_labels.insert("escalation".into(), "no".into());
    }
    gloss::store::save(&path, &p).expect("save");
    let mut h = open(&path);
    press(&mut h, CTRL, Key::L);
    let values = |h: &Harness<'_, GlossApp>| {
        let open = h.state().open.as_ref().expect("open");
        let def = open.project.schema.doc_label("escalation").expect("def").values.clone();
        let docs: Vec<Option<String>> =
            open.project.documents.iter().map(|d| d.doc_label("escalation").map(str::to_owned)).collect();
        (def, docs)
    };
    // A value in use cannot be removed (it can be renamed); an unused one can.
    assert!(h.get_by_label("Remove value \"no\" of escalation").accesskit_node().is_disabled());
    assert!(!h.get_by_label("Remove value \"yes\" of escalation").accesskit_node().is_disabled());

    // Rename "no" in place, to a value with a comma.
    h.get_by_label("Value 2 of escalation").click();
    h.run();
    h.key_press_modifiers(CTRL, Key::A);
    h.event(egui::Event::Text("no, never".into()));
    h.run();
    click(&mut h, "Apply");
    let never = Some("no, never".to_owned());
    assert_eq!(values(&h), (vec!["yes".to_owned(), "no, never".to_owned()], vec![never.clone(), never.clone()]));

    // The draft starts again from the new schema: a second rename and an added value apply too.
    h.get_by_label("Value 1 of escalation").click();
    h.run();
    h.key_press_modifiers(CTRL, Key::A);
    h.event(egui::Event::Text("yes, openly".into()));
    h.run();
    h.get_all_by_label("Add value").next().expect("Add value").click();
    h.run();
    click(&mut h, "Apply");
    let (def, docs) = values(&h);
    assert_eq!(def, ["yes, openly", "no, never", "value3"]);
    assert_eq!(docs, [never.clone(), never]);

    // Closed with Escape (the first leaves the field, if it still has the keyboard), each Apply
    // is one undo step.
    for _ in 0..2 {
        press(&mut h, Modifiers::NONE, Key::Escape);
    }
    assert!(h.state().schema_editor.is_none());
    press(&mut h, CTRL, Key::Z);
    assert_eq!(values(&h).0, ["yes", "no, never"]);
    press(&mut h, CTRL, Key::Z);
    assert_eq!(
        values(&h),
        (vec!["yes".to_owned(), "no".to_owned()], vec![Some("no".to_owned()), Some("no".to_owned())])
    );
}

//! Windows and the keyboard, driven through egui_kittest: Escape closes the window on top (the
//! one used last) and leaves the selection and the find bar alone; with no window open it clears
//! the selection. While an editing window (the schema editor) is open, label and doc label keys
//! do not reach the document; while a read-only one (statistics) is open, they do.

use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use gloss::gui::{AppWindow, GlossApp};
use gloss::model::{DocLabelDef, Document, Project, Span};

use crate::gui_util::{CTRL, CTRL_SHIFT, open_path, press};

/// One document with a claim on "The governor" (0..12) and doc label "escalation" on key E.
fn project() -> Project {
    let mut p = Project::new("windows");
    p.schema.doc_labels.push(DocLabelDef {
        name: "escalation".into(),
        values: vec!["yes".into(), "no".into()],
        key: Some('e'),
        description: String::new(),
    });
    let mut d = Document::new("d1", "Port", "The governor said the port will close on Friday.");
    d.spans.push(Span::new(1, 0, 12, "claim"));
    p.documents.push(d);
    p
}

fn open(dir: &tempfile::TempDir) -> Harness<'static, GlossApp> {
    let path = dir.path().join("p.gloss.ron");
    gloss::store::save(&path, &project()).expect("save");
    open_path(&path)
}

fn selection(h: &Harness<'_, GlossApp>) -> Option<std::ops::Range<usize>> {
    h.state().view.selection.clone()
}

fn top(h: &Harness<'_, GlossApp>) -> Option<AppWindow> {
    h.state().top_window(&h.ctx)
}

/// A click of the primary button at `pos`.
fn click_at(h: &mut Harness<'_, GlossApp>, pos: egui::Pos2) {
    h.event(egui::Event::PointerMoved(pos));
    for pressed in [true, false] {
        let button = egui::PointerButton::Primary;
        h.event(egui::Event::PointerButton { pos, button, pressed, modifiers: Modifiers::NONE });
    }
    h.run();
}

#[test]
fn escape_closes_the_window_on_top_then_the_find_bar_then_the_selection() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut h = open(&dir);
    h.state_mut().view.selection = Some(13..17);
    h.run();
    press(&mut h, CTRL_SHIFT, Key::G);
    press(&mut h, CTRL_SHIFT, Key::T);
    assert!(h.state().stats_view.is_some() && h.state().show_agreement);
    assert_eq!(top(&h), Some(AppWindow::Statistics), "opened last");

    // A click on the agreement window (its title bar's corner shows beside the statistics) brings
    // it to the top: Escape closes it first.
    let corner = h.get_by_label("Agreement").rect().left_top() + egui::vec2(12.0, 8.0);
    click_at(&mut h, corner);
    assert_eq!(top(&h), Some(AppWindow::Agreement));
    press(&mut h, Modifiers::NONE, Key::Escape);
    assert!(!h.state().show_agreement, "the agreement window closed");
    assert!(h.state().stats_view.is_some(), "the statistics stay");
    assert_eq!(selection(&h), Some(13..17), "the selection stays");

    // The find bar is not a window: the statistics go first, then the bar, then the selection.
    h.state_mut().find.open = true;
    h.run();
    press(&mut h, Modifiers::NONE, Key::Escape);
    assert!(h.state().stats_view.is_none());
    assert!(h.state().find.open);
    assert_eq!(selection(&h), Some(13..17));
    press(&mut h, Modifiers::NONE, Key::Escape);
    assert!(!h.state().find.open);
    assert_eq!(selection(&h), Some(13..17));
    press(&mut h, Modifiers::NONE, Key::Escape);
    assert_eq!(selection(&h), None, "no window, no find bar: the selection clears");

    // The schema editor, help and settings close the same way, last opened first.
    press(&mut h, CTRL, Key::L);
    press(&mut h, Modifiers::NONE, Key::F1);
    assert_eq!(top(&h), Some(AppWindow::Help));
    press(&mut h, Modifiers::NONE, Key::Escape);
    assert!(!h.state().show_help && h.state().schema_editor.is_some());
    press(&mut h, Modifiers::NONE, Key::Escape);
    assert!(h.state().schema_editor.is_none());
    assert_eq!(top(&h), None);
}

#[test]
fn escape_in_a_text_field_of_a_window_leaves_the_field_first() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut h = open(&dir);
    press(&mut h, CTRL, Key::L);
    h.get_by_label("Value 1 of escalation").click();
    h.run();
    assert!(h.ctx.egui_wants_keyboard_input(), "the field has the keyboard");
    press(&mut h, Modifiers::NONE, Key::Escape);
    assert!(h.state().schema_editor.is_some(), "the first Escape leaves the field");
    press(&mut h, Modifiers::NONE, Key::Escape);
    assert!(h.state().schema_editor.is_none(), "the second closes the window");

    // The same in a read-only window, and the selection in the text stays.
    h.state_mut().view.selection = Some(13..17);
    press(&mut h, CTRL_SHIFT, Key::G);
    h.state_mut().agreement_view.as_mut().expect("view").native_dialog = false;
    h.get_by_label("Add projects…").click();
    h.run();
    assert!(h.ctx.egui_wants_keyboard_input(), "the path field has the keyboard");
    press(&mut h, Modifiers::NONE, Key::Escape);
    assert!(h.state().show_agreement && !h.ctx.egui_wants_keyboard_input());
    assert_eq!(selection(&h), Some(13..17), "the field's Escape is not the document's");
    press(&mut h, Modifiers::NONE, Key::Escape);
    assert!(!h.state().show_agreement);
    assert_eq!(selection(&h), Some(13..17));
}

#[test]
fn label_and_doc_label_keys_do_not_reach_the_document_while_the_schema_editor_is_open() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut h = open(&dir);
    let state = |h: &Harness<'_, GlossApp>| {
        let open = h.state().open.as_ref().expect("open");
        let doc = &open.project.documents[0];
        (doc.doc_label("escalation").map(str::to_owned), doc.spans[0].label.clone())
    };
    h.state_mut().view.selected_span = Some(1);
    h.run();
    press(&mut h, CTRL, Key::L);
    assert!(h.state().schema_editor.is_some());
    assert!(!h.ctx.egui_wants_keyboard_input(), "no text field has the keyboard");
    press(&mut h, Modifiers::NONE, Key::E);
    press(&mut h, Modifiers::NONE, Key::Num2);
    assert_eq!(state(&h), (None, "claim".to_owned()), "the editor has the keys");
    assert_eq!(h.state().view.selected_span, Some(1), "and the selection is untouched");

    // Closed, the keys are the document's again.
    press(&mut h, Modifiers::NONE, Key::Escape);
    press(&mut h, Modifiers::NONE, Key::E);
    press(&mut h, Modifiers::NONE, Key::Num2);
    assert_eq!(state(&h), (Some("yes".to_owned()), "threat".to_owned()));

    // The statistics only show figures: the keys go to the document while they are open.
    press(&mut h, CTRL_SHIFT, Key::T);
    press(&mut h, Modifiers::NONE, Key::E);
    press(&mut h, Modifiers::NONE, Key::Num1);
    assert_eq!(state(&h), (Some("no".to_owned()), "claim".to_owned()));
    let view = h.state().stats_view.as_ref().expect("still open");
    assert_eq!(view.tables().expect("counted").stats.labels["claim"], 1, "and they count the change");
}

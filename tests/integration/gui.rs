//! GUI tests with egui_kittest: they drive the real app state through its widgets and keys, and
//! check the app state and the project file on disk (not pixels).

use std::path::{Path, PathBuf};

use egui::{Event, Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use gloss::gui::{Command, GlossApp, Launch, Persisted};

use crate::gui_util::{CTRL, CTRL_SHIFT, drag_between, harness, press};

/// A copy of a fixture article in a fresh folder, so the project is written beside it.
struct Desk {
    dir: tempfile::TempDir,
}

impl Desk {
    fn new(fixtures: &[&str]) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        for name in fixtures {
            let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/gui").join(name);
            std::fs::copy(&from, dir.path().join(name)).expect("copy fixture");
        }
        Self { dir }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn open(&self, name: &str) -> Harness<'static, GlossApp> {
        let launch = Launch { path: Some(self.path(name)), project: None };
        harness(GlossApp::new(launch, Persisted::default()), false)
    }

    /// Like [`Desk::open`], for texts in scripts the test machine may have no font for.
    fn open_any_script(&self, name: &str) -> Harness<'static, GlossApp> {
        let launch = Launch { path: Some(self.path(name)), project: None };
        harness(GlossApp::new(launch, Persisted::default()), true)
    }
}

fn doc<'a>(h: &'a Harness<'_, GlossApp>) -> &'a gloss::model::Document {
    let open = h.state().open.as_ref().expect("a project is open");
    &open.project.documents[open.doc]
}

/// Code point range of the `nth` occurrence of `needle` in the current document.
fn nth(h: &Harness<'_, GlossApp>, needle: &str, n: usize) -> std::ops::Range<usize> {
    let text = doc(h).text.as_str();
    let (byte, _) = text.match_indices(needle).nth(n).expect("occurrence");
    let start = text[..byte].chars().count();
    start..start + needle.chars().count()
}

/// Labels of the current document's spans, with their covered text, in order.
fn spans(h: &Harness<'_, GlossApp>) -> Vec<(String, String)> {
    let d = doc(h);
    d.spans.iter().map(|s| (s.label.clone(), d.covered_text(s).unwrap_or("").to_owned())).collect()
}

fn select(h: &mut Harness<'_, GlossApp>, range: std::ops::Range<usize>) {
    h.state_mut().view.selection = Some(range);
    h.run();
}

fn drag(h: &mut Harness<'_, GlossApp>, from: usize, to: usize) {
    let a = h.state().view.screen_pos_of(from).expect("start on screen");
    let b = h.state().view.screen_pos_of(to).expect("end on screen");
    drag_between(h, a, b);
}

#[test]
fn opening_an_article_starts_a_project_beside_it() {
    let desk = Desk::new(&["interview.txt"]);
    let h = desk.open("interview.txt");
    let open = h.state().open.as_ref().expect("open");
    assert_eq!(open.path, desk.path("interview.gloss.ron"));
    assert_eq!(open.project.documents.len(), 1);
    assert!(open.is_dirty(), "a new project is not on disk yet");
    assert!(h.state().window_title().starts_with("Gloss — interview"), "{}", h.state().window_title());
    assert!(h.state().window_title().ends_with('•'));
}

#[test]
fn find_enter_escape_hotkey_save_labels_the_first_occurrence() {
    let desk = Desk::new(&["interview.txt"]);
    let mut h = desk.open("interview.txt");
    press(&mut h, CTRL, Key::F);
    assert!(h.state().find.open);
    h.event(Event::Text("Amina Diallo".into()));
    h.run();
    assert_eq!(h.state().find.matches().len(), 2);
    assert_eq!(h.state().view.highlighted_matches, 2, "matches are highlighted while typing");
    press(&mut h, Modifiers::NONE, Key::Enter);
    press(&mut h, Modifiers::NONE, Key::Escape);
    assert!(!h.state().find.open, "Escape closes the bar");
    assert!(h.state().view.selection.is_some(), "Escape keeps the selection");
    assert_eq!(h.state().view.highlighted_matches, 0, "Escape hides the match highlights");
    press(&mut h, Modifiers::NONE, Key::Num3);
    h.get_by_label("1 span");
    press(&mut h, CTRL, Key::S);
    h.state_mut().finish_background_work();
    h.run();

    let expected = nth(&h, "Amina Diallo", 0);
    let saved = gloss::store::load(&desk.path("interview.gloss.ron")).expect("project saved beside the article");
    let d = &saved.documents[0];
    assert_eq!(d.spans.len(), 1);
    assert_eq!((d.spans[0].start, d.spans[0].end), (expected.start, expected.end));
    assert_eq!(d.spans[0].label, "speaker");
    assert_eq!(d.covered_text(&d.spans[0]), Some("Amina Diallo"));
    assert!(!h.state().open.as_ref().expect("open").is_dirty());
    let file = std::fs::read_to_string(desk.path("interview.gloss.ron")).expect("read");
    assert!(file.contains(r#"label: "speaker", text: "Amina Diallo""#), "{file}");
}

#[test]
fn drag_selects_whole_words_and_a_hotkey_labels_it() {
    let desk = Desk::new(&["interview.txt"]);
    let mut h = desk.open("interview.txt");
    let minister = nth(&h, "minister", 0);
    // From inside "minister" to inside "Amina": snaps outwards to both words.
    drag(&mut h, minister.start + 2, minister.end + 3);
    let sel = h.state().view.selection.clone().expect("selection");
    assert_eq!(doc(&h).text.slice(sel.clone()), Some("minister Amina"));
    press(&mut h, Modifiers::NONE, Key::Num1);
    assert_eq!(spans(&h), [("claim".to_owned(), "minister Amina".to_owned())]);
    assert!(h.state().view.selection.is_none());
}

#[test]
fn a_drag_may_cross_paragraphs() {
    let desk = Desk::new(&["interview.txt"]);
    let mut h = desk.open("interview.txt");
    let from = nth(&h, "Lyon.", 0);
    let to = nth(&h, "Her deputy", 0);
    drag(&mut h, from.start + 1, to.start + 2);
    let sel = h.state().view.selection.clone().expect("selection");
    let text = doc(&h).text.slice(sel).expect("slice").to_owned();
    assert!(text.starts_with("Lyon") && text.ends_with("Her") && text.contains('\n'), "{text:?}");
}

#[test]
fn the_palette_labels_and_a_hotkey_relabels_and_delete_removes() {
    let desk = Desk::new(&["interview.txt"]);
    let mut h = desk.open("interview.txt");
    let lyon = nth(&h, "Lyon", 0);
    select(&mut h, lyon.clone());
    h.get_all_by_label_contains("location").next().expect("palette button").click();
    h.run();
    assert_eq!(spans(&h), [("location".to_owned(), "Lyon".to_owned())]);
    let id = doc(&h).spans[0].id;
    assert_eq!(h.state().view.selected_span, Some(id), "the new span is selected");

    press(&mut h, Modifiers::NONE, Key::Num2);
    assert_eq!(spans(&h), [("threat".to_owned(), "Lyon".to_owned())]);

    press(&mut h, Modifiers::NONE, Key::Delete);
    assert!(spans(&h).is_empty());

    press(&mut h, CTRL, Key::Z);
    assert_eq!(spans(&h), [("threat".to_owned(), "Lyon".to_owned())]);
    press(&mut h, CTRL, Key::Z);
    assert_eq!(spans(&h), [("location".to_owned(), "Lyon".to_owned())]);
    press(&mut h, CTRL_SHIFT, Key::Z);
    assert_eq!(spans(&h), [("threat".to_owned(), "Lyon".to_owned())]);
    press(&mut h, CTRL, Key::Y);
    assert!(spans(&h).is_empty());
}

#[test]
fn clicking_a_span_selects_it() {
    let desk = Desk::new(&["interview.txt"]);
    let mut h = desk.open("interview.txt");
    let renard = nth(&h, "Renard", 0);
    select(&mut h, renard.clone());
    press(&mut h, Modifiers::NONE, Key::Num3);
    press(&mut h, Modifiers::NONE, Key::Escape);
    assert_eq!(h.state().view.selected_span, None);
    let pos = h.state().view.screen_pos_of(renard.start + 2).expect("on screen");
    h.get_by_label("Document text");
    h.hover_at(pos);
    h.run();
    h.drag_at(pos);
    h.run();
    h.drop_at(pos);
    h.run();
    assert_eq!(h.state().view.selected_span, Some(doc(&h).spans[0].id));
}

#[test]
fn label_all_matches_is_one_undo_step() {
    let desk = Desk::new(&["interview.txt"]);
    let mut h = desk.open("interview.txt");
    press(&mut h, CTRL, Key::F);
    h.event(Event::Text("Lyon".into()));
    h.run();
    h.state_mut().bulk_label = 3;
    h.get_by_label("Label all matches").click();
    h.run();
    assert_eq!(spans(&h), vec![("location".to_owned(), "Lyon".to_owned()); 3]);
    press(&mut h, Modifiers::NONE, Key::Escape);
    press(&mut h, CTRL, Key::Z);
    assert!(spans(&h).is_empty(), "one undo removes them all");
}

#[test]
fn documents_switch_with_ctrl_page_down_and_up() {
    let desk = Desk::new(&["interview.txt", "second.txt"]);
    let mut h = desk.open("interview.txt");
    h.state_mut().push_command(Command::ImportPaths(vec![desk.path("second.txt")]));
    h.run();
    assert_eq!(h.state().open.as_ref().expect("open").project.documents.len(), 2);
    assert_eq!(h.state().open.as_ref().expect("open").doc, 1, "the import is shown");
    press(&mut h, CTRL, Key::PageUp);
    assert_eq!(h.state().open.as_ref().expect("open").doc, 0);
    let range = nth(&h, "Lyon", 0);
    select(&mut h, range);
    press(&mut h, CTRL, Key::PageDown);
    assert_eq!(h.state().open.as_ref().expect("open").doc, 1);
    assert!(h.state().view.selection.is_none(), "the selection stays with its document");
    assert!(doc(&h).text.as_str().contains("Annecy"));
    h.get_by_label("Mark done").click();
    h.run();
    assert_eq!(doc(&h).status, gloss::model::Status::Done);
}

#[test]
fn save_and_reload_keeps_code_point_offsets_after_urdu_and_emoji() {
    let desk = Desk::new(&["mixed.txt"]);
    let mut h = desk.open_any_script("mixed.txt");
    let name = nth(&h, "احمد رضا", 0);
    select(&mut h, name.clone());
    press(&mut h, Modifiers::NONE, Key::Num3);
    let amina = nth(&h, "Amina", 0);
    select(&mut h, amina.clone());
    press(&mut h, Modifiers::NONE, Key::Num3);
    press(&mut h, CTRL, Key::S);
    h.state_mut().finish_background_work();

    let saved = gloss::store::load(&desk.path("mixed.gloss.ron")).expect("saved");
    let d = &saved.documents[0];
    let got: Vec<(usize, usize, &str)> =
        d.spans.iter().map(|s| (s.start, s.end, d.covered_text(s).unwrap_or(""))).collect();
    assert_eq!(got, [(name.start, name.end, "احمد رضا"), (amina.start, amina.end, "Amina")]);
    // Python's str slicing counts code points: "کراچی 😀 میں " is 12 of them.
    assert_eq!(name.start, 12);

    // Reopening the article opens the project instead of importing it twice (once the first
    // window, the project's writer, is gone).
    drop(h);
    let h2 = desk.open_any_script("mixed.txt");
    let open = h2.state().open.as_ref().expect("open");
    assert_eq!(open.project.documents.len(), 1);
    assert_eq!(open.project.documents[0].spans.len(), 2);
    assert!(!open.is_dirty());
}

#[test]
fn recovery_after_a_crash_is_offered_and_restores_the_work() {
    let desk = Desk::new(&["interview.txt"]);
    {
        let mut h = desk.open("interview.txt");
        press(&mut h, CTRL, Key::S);
        h.state_mut().finish_background_work();
        let range = nth(&h, "Geneva", 0);
        select(&mut h, range);
        press(&mut h, Modifiers::NONE, Key::Num4);
        h.state_mut().autosave_now();
        // The app dies here without saving.
    }
    let recovery = gloss::store::recovery_path(&desk.path("interview.gloss.ron"));
    assert!(recovery.exists());
    let mut h = desk.open("interview.txt");
    assert!(spans(&h).is_empty(), "the project on disk has no spans");
    h.get_by_label("Recover").click();
    h.run();
    assert_eq!(spans(&h), [("location".to_owned(), "Geneva".to_owned())]);
    assert!(h.state().open.as_ref().expect("open").is_dirty(), "recovered work is not saved yet");
    press(&mut h, CTRL, Key::S);
    h.state_mut().finish_background_work();
    assert!(!recovery.exists(), "a save makes the recovery file obsolete");
}

#[test]
fn a_termination_signal_keeps_the_last_edit_and_releases_the_lock() {
    let desk = Desk::new(&["interview.txt"]);
    let mut h = desk.open("interview.txt");
    press(&mut h, CTRL, Key::S);
    h.state_mut().finish_background_work();
    let lock = gloss::store::lock_path(&desk.path("interview.gloss.ron"));
    assert!(lock.exists(), "the open project is locked");
    let range = nth(&h, "Geneva", 0);
    select(&mut h, range);
    press(&mut h, Modifiers::NONE, Key::Num4);
    // SIGTERM right after the edit, before the autosave delay has passed.
    h.state().termination.request();
    h.run();
    assert!(h.state().closing, "the window closes without asking");
    assert!(!lock.exists(), "the lock is released");
    let recovery = gloss::store::recovery_path(&desk.path("interview.gloss.ron"));
    let saved = gloss::store::load(&recovery).expect("the recovery file loads");
    let d = &saved.documents[0];
    let texts: Vec<&str> = d.spans.iter().filter_map(|s| d.covered_text(s)).collect();
    assert_eq!(texts, ["Geneva"]);
}

#[test]
fn quitting_with_unsaved_changes_asks_save_discard_cancel() {
    let desk = Desk::new(&["interview.txt"]);
    let mut h = desk.open("interview.txt");
    let range = nth(&h, "Paul Renard", 0);
    select(&mut h, range);
    press(&mut h, Modifiers::NONE, Key::Num3);

    press(&mut h, CTRL, Key::Q);
    assert!(h.state().prompt.is_some());
    h.get_by_label("Cancel").click();
    h.run();
    assert!(h.state().prompt.is_none());
    assert!(!h.state().closing);

    press(&mut h, CTRL, Key::Q);
    h.get_by_label("Save").click();
    h.run();
    h.state_mut().finish_background_work();
    h.run();
    assert!(h.state().closing, "closes once saved");
    let saved = gloss::store::load(&desk.path("interview.gloss.ron")).expect("saved");
    assert_eq!(saved.documents[0].spans.len(), 1);

    let mut h = desk.open("interview.txt");
    let range = nth(&h, "Lyon", 0);
    select(&mut h, range);
    press(&mut h, Modifiers::NONE, Key::Num4);
    press(&mut h, CTRL, Key::Q);
    h.get_by_label("Discard").click();
    h.run();
    assert!(h.state().closing);
    let saved = gloss::store::load(&desk.path("interview.gloss.ron")).expect("still there");
    assert_eq!(saved.documents[0].spans.len(), 1, "discarded work is not written");
}

#[test]
fn help_and_settings_windows_have_accessible_widgets() {
    let desk = Desk::new(&["interview.txt"]);
    let mut h = desk.open("interview.txt");
    press(&mut h, Modifiers::NONE, Key::F1);
    assert!(h.state().show_help);
    h.state_mut().show_settings = true;
    h.state_mut().push_command(Command::EditSchema);
    h.run();
    assert!(h.state().schema_editor.is_some());
}

#[test]
fn urdu_and_hindi_show_with_the_bundled_fonts_only() {
    // The harness panics on a missing glyph, and its context has no system fonts: the bundled
    // Noto subsets alone must cover these articles.
    let desk = Desk::new(&["urdu-news.txt", "hindi-news.txt"]);
    for name in ["urdu-news.txt", "hindi-news.txt"] {
        let mut h = desk.open(name);
        for _ in 0..3 {
            h.run();
        }
        assert!(h.state().open.is_some(), "{name}");
        let first = nth(&h, if name.starts_with("urdu") { "کراچی" } else { "मुंबई" }, 0);
        select(&mut h, first);
        press(&mut h, Modifiers::NONE, Key::Num4);
        assert_eq!(doc(&h).spans.len(), 1, "{name}");
    }
}

/// Clicks code point `at` of the document (press and release in place).
fn click_at(h: &mut Harness<'_, GlossApp>, at: usize) {
    let pos = h.state().view.screen_pos_of(at).expect("on screen");
    h.hover_at(pos);
    h.run();
    h.drag_at(pos);
    h.run();
    h.drop_at(pos);
    h.run();
}

/// Labels `range` with the label on `key` and returns the new span's id.
fn label(h: &mut Harness<'_, GlossApp>, range: std::ops::Range<usize>, key: Key) -> u64 {
    select(h, range);
    press(h, Modifiers::NONE, key);
    h.state().view.selected_span.expect("the new span is selected")
}

#[test]
fn r_then_a_click_links_speaker_to_claim_and_it_is_saved_undone_and_deleted() {
    let desk = Desk::new(&["interview.txt"]);
    let mut h = desk.open("interview.txt");
    let speaker_range = nth(&h, "Amina Diallo", 0);
    let claim_range = nth(&h, "the northern border crossings would reopen within a week", 0);
    let speaker = label(&mut h, speaker_range.clone(), Key::Num3);
    let claim = label(&mut h, claim_range.clone(), Key::Num1);
    press(&mut h, Modifiers::NONE, Key::Escape);

    click_at(&mut h, speaker_range.start + 1);
    assert_eq!(h.state().view.selected_span, Some(speaker));
    press(&mut h, Modifiers::NONE, Key::R);
    assert_eq!(h.state().view.linking_from, Some(speaker), "R starts linking");
    click_at(&mut h, claim_range.start + 5);
    assert_eq!(h.state().view.linking_from, None);
    let rels = doc(&h).relations.clone();
    assert_eq!(rels.len(), 1);
    assert_eq!((rels[0].label.as_str(), rels[0].from, rels[0].to), ("said", speaker, claim));
    h.get_by_label("Links (1)");

    press(&mut h, CTRL, Key::S);
    h.state_mut().finish_background_work();
    let file = std::fs::read_to_string(desk.path("interview.gloss.ron")).expect("saved");
    let line = format!(r#"(id: 1, label: "said", from: {speaker}, to: {claim})"#);
    assert!(file.contains(&line), "{line} in\n{file}");
    let reloaded = gloss::store::load(&desk.path("interview.gloss.ron")).expect("reload");
    assert_eq!(reloaded.documents[0].relations.len(), 1);

    // Undo and redo the link; then select it and delete it with Del (the spans stay).
    press(&mut h, CTRL, Key::Z);
    assert!(doc(&h).relations.is_empty());
    press(&mut h, CTRL_SHIFT, Key::Z);
    assert_eq!(doc(&h).relations.len(), 1);
    h.state_mut().push_command(Command::SelectRelation(1));
    h.run();
    press(&mut h, Modifiers::NONE, Key::Delete);
    assert!(doc(&h).relations.is_empty(), "Del deletes the selected link");
    assert_eq!(doc(&h).spans.len(), 2, "and not the spans");
    press(&mut h, CTRL, Key::Z);
    h.get_all_by_label("Unlink").next().expect("an Unlink button").click();
    h.run();
    assert!(doc(&h).relations.is_empty(), "the Unlink button deletes it");
}

#[test]
fn linking_asks_when_several_types_fit_says_when_none_does_and_escape_cancels() {
    let desk = Desk::new(&["interview.txt"]);
    let mut h = desk.open("interview.txt");
    let (a, b, c) = (nth(&h, "Paul Renard", 0), nth(&h, "Geneva", 0), nth(&h, "threatened to walk out", 0));
    let speaker = label(&mut h, a, Key::Num3);
    let place = label(&mut h, b, Key::Num4);
    let threat = label(&mut h, c, Key::Num2);

    // No type goes from speaker to location.
    h.state_mut().push_command(Command::SelectSpan(speaker));
    h.run();
    press(&mut h, Modifiers::NONE, Key::R);
    h.state_mut().push_command(Command::LinkTo(place));
    h.run();
    assert!(doc(&h).relations.is_empty());
    let last = h.state().notifications.list().last().expect("a notification").text.clone();
    assert!(last.contains("No relation type"), "{last}");

    // Escape cancels linking.
    press(&mut h, Modifiers::NONE, Key::R);
    assert!(h.state().view.linking_from.is_some());
    press(&mut h, Modifiers::NONE, Key::Escape);
    assert!(h.state().view.linking_from.is_none());

    // Two types fit: a popup asks which.
    h.state_mut().open.as_mut().expect("open").project.schema.relations.push(gloss::model::RelationType {
        name: "warned".into(),
        from: vec!["speaker".into()],
        to: vec!["threat".into()],
    });
    press(&mut h, Modifiers::NONE, Key::R);
    h.state_mut().push_command(Command::LinkTo(threat));
    h.run();
    let choice = h.state().link_choice.clone().expect("asks");
    assert_eq!(choice.types, ["said", "warned"]);
    h.get_by_label("warned").click();
    h.run();
    let rels = &doc(&h).relations;
    assert_eq!(rels.len(), 1);
    assert_eq!((rels[0].label.as_str(), rels[0].from, rels[0].to), ("warned", speaker, threat));
}

#[test]
fn ctrl_f_again_replaces_the_old_query() {
    let desk = Desk::new(&["interview.txt"]);
    let mut h = desk.open("interview.txt");
    press(&mut h, CTRL, Key::F);
    h.event(Event::Text("Amina Diallo".into()));
    h.run();
    press(&mut h, Modifiers::NONE, Key::Enter);
    press(&mut h, Modifiers::NONE, Key::Escape);
    press(&mut h, Modifiers::NONE, Key::Num3);
    press(&mut h, CTRL, Key::F);
    h.event(Event::Text("Lyon".into()));
    h.run();
    assert_eq!(h.state().find.query, "Lyon", "the old query was selected and replaced");
    assert_eq!(h.state().find.matches().len(), 3);
    assert_eq!(h.state().view.highlighted_matches, 3);
}

#[test]
fn shift_arrows_select_by_character_and_ctrl_shift_arrows_by_word() {
    let desk = Desk::new(&["mixed.txt"]);
    let mut h = desk.open_any_script("mixed.txt");
    // Nothing clicked: it starts at the start of the text on screen.
    press(&mut h, Modifiers::SHIFT, Key::ArrowRight);
    assert_eq!(h.state().view.selection, Some(0..1));
    press(&mut h, CTRL_SHIFT, Key::ArrowRight);
    let sel = h.state().view.selection.clone().expect("selection");
    assert_eq!(doc(&h).text.slice(sel), Some("کراچی"), "to the end of the first word");
    press(&mut h, Modifiers::NONE, Key::Escape);

    // From the last click: select "Amina" with five Shift+Right, label it.
    let amina = nth(&h, "Amina", 0);
    click_at(&mut h, amina.start);
    for _ in 0..5 {
        press(&mut h, Modifiers::SHIFT, Key::ArrowRight);
    }
    assert_eq!(h.state().view.selection, Some(amina.clone()));
    press(&mut h, Modifiers::SHIFT, Key::ArrowLeft);
    assert_eq!(h.state().view.selection, Some(amina.start..amina.end - 1));
    press(&mut h, CTRL_SHIFT, Key::ArrowRight);
    assert_eq!(h.state().view.selection, Some(amina.clone()), "a word step ends at the word's end");
    press(&mut h, Modifiers::NONE, Key::Num3);
    assert_eq!(spans(&h), [("speaker".to_owned(), "Amina".to_owned())]);

    // In the find field, Shift+Left stays the field's own.
    press(&mut h, CTRL, Key::F);
    h.event(Event::Text("Amina".into()));
    h.run();
    press(&mut h, Modifiers::SHIFT, Key::ArrowLeft);
    assert!(h.state().view.selection.is_none(), "the document selection did not move");
}

#[test]
fn a_project_another_process_writes_opens_read_only_and_save_as_takes_a_new_lock() {
    let desk = Desk::new(&["interview.txt"]);
    let project = desk.path("interview.gloss.ron");
    {
        let mut h = desk.open("interview.txt");
        press(&mut h, CTRL, Key::S);
        h.state_mut().finish_background_work();
        assert!(project.exists());
        assert!(gloss::store::lock_path(&project).exists(), "the app holds the lock while open");
    }
    assert!(!gloss::store::lock_path(&project).exists(), "and lets it go when closed");

    // This test process is a live writer of the project.
    let held = gloss::store::ProjectLock::acquire(&project, "gloss import").expect("lock");
    let mut h = desk.open("interview.txt");
    assert!(h.state().open.is_none(), "not opened before the user answers");
    h.get_by_label_contains("gloss import (pid");
    h.get_by_label("Cancel").click();
    h.run();
    assert!(h.state().open.is_none(), "Cancel opens nothing");

    let mut h = desk.open("interview.txt");
    h.get_by_label("Open read-only").click();
    h.run();
    let open = h.state().open.as_ref().expect("opened");
    assert!(open.read_only && open.lock.is_none());
    h.get_by_label("Read-only");
    assert!(h.state().window_title().contains("read-only"));
    assert!(!h.state().enabled().editable);

    // Labelling and Save do nothing; the file and the other writer's lock stay as they were.
    let before = std::fs::read_to_string(&project).expect("read");
    let range = nth(&h, "Lyon", 0);
    select(&mut h, range);
    press(&mut h, Modifiers::NONE, Key::Num4);
    assert!(doc(&h).spans.is_empty(), "no edits in read-only mode");
    press(&mut h, CTRL, Key::S);
    h.state_mut().finish_background_work();
    assert_eq!(std::fs::read_to_string(&project).expect("read"), before);

    // Save As writes a copy, takes its lock, and the copy is editable.
    let copy = desk.path("copy.gloss.ron");
    h.state_mut().path_entry = None;
    h.state_mut().save_as(copy.clone());
    h.state_mut().finish_background_work();
    h.run();
    let open = h.state().open.as_ref().expect("open");
    assert_eq!(open.path, copy);
    assert!(!open.read_only && open.lock.is_some());
    assert!(gloss::store::lock_path(&copy).exists());
    let range = nth(&h, "Lyon", 0);
    select(&mut h, range);
    press(&mut h, Modifiers::NONE, Key::Num4);
    assert_eq!(doc(&h).spans.len(), 1, "the copy can be edited");
    drop(h);
    assert!(!gloss::store::lock_path(&copy).exists());
    drop(held);
}

#[test]
fn file_export_writes_jsonl_with_spans_and_links_in_the_background() {
    let desk = Desk::new(&["interview.txt"]);
    let mut h = desk.open("interview.txt");
    let (a, b) = (nth(&h, "Amina Diallo", 0), nth(&h, "the northern border crossings would reopen within a week", 0));
    let speaker = label(&mut h, a, Key::Num3);
    let claim = label(&mut h, b, Key::Num1);
    h.state_mut().push_command(Command::AddRelation { from: speaker, to: claim, label: "said".into() });
    h.run();
    press(&mut h, CTRL, Key::E);
    let out = desk.path("interview.jsonl");
    assert_eq!(h.state().export.as_ref().expect("export window").path, out.display().to_string());
    // An export to the same file was killed two hours ago and left its staging folder.
    let stale = desk.path(".interview.jsonl.Ab12Cd.export-tmp");
    std::fs::create_dir(&stale).expect("mkdir");
    let two_hours_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(2 * 3600);
    std::fs::File::open(&stale).and_then(|f| f.set_modified(two_hours_ago)).expect("age it");
    h.get_by_label("Export").click();
    h.run();
    h.state_mut().finish_background_work();
    h.run();
    assert!(h.state().export.is_none(), "the window closes once done");
    let last = h.state().notifications.list().last().expect("a notification").text.clone();
    assert!(last.starts_with("Exported 1 document, 2 spans as jsonl"), "{last}");
    assert!(last.contains("Removed 1 unfinished copy left beside it"), "{last}");
    assert!(!stale.exists());
    let jsonl = std::fs::read_to_string(&out).expect("written");
    assert!(jsonl.contains("Amina Diallo") && jsonl.contains("said"), "{jsonl}");
}

#[test]
fn a_drag_whose_press_and_release_arrive_in_one_frame_still_selects() {
    // Scripted input (xdotool) and busy machines deliver press, moves and release together.
    let desk = Desk::new(&["interview.txt"]);
    let mut h = desk.open("interview.txt");
    let minister = nth(&h, "minister Amina", 0);
    let a = h.state().view.screen_pos_of(minister.start + 2).expect("on screen");
    let b = h.state().view.screen_pos_of(minister.end - 2).expect("on screen");
    let button = |pos, pressed| Event::PointerButton {
        pos,
        button: egui::PointerButton::Primary,
        pressed,
        modifiers: Modifiers::NONE,
    };
    h.event(Event::PointerMoved(a));
    h.event(button(a, true));
    h.event(Event::PointerMoved(b));
    h.event(button(b, false));
    h.run();
    let sel = h.state().view.selection.clone().expect("selection");
    assert_eq!(doc(&h).text.slice(sel), Some("minister Amina"));
}

#[test]
fn page_down_and_ctrl_end_scroll_a_long_article() {
    let desk = Desk::new(&[]);
    let body: String = (0..400)
        .map(|i| format!("Paragraph {i}: the port authority said the talks would resume on Friday.\n\n"))
        .collect();
    std::fs::write(desk.path("long.txt"), &body).expect("write");
    let mut h = desk.open("long.txt");
    assert_eq!(h.state().view.visible_chars().start, 0);
    press(&mut h, Modifiers::NONE, Key::PageDown);
    let after_page = h.state().view.visible_chars();
    assert!(after_page.start > 0, "{after_page:?}");
    press(&mut h, CTRL, Key::End);
    let len = doc(&h).text.len_chars();
    assert!(h.state().view.visible_chars().end + 2 >= len, "{:?} of {len}", h.state().view.visible_chars());
    press(&mut h, CTRL, Key::Home);
    assert_eq!(h.state().view.visible_chars().start, 0);
}

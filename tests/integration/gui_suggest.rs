//! Suggestions in the app, driven through keys, clicks and the Suggest window with egui_kittest:
//! a gazetteer run from the GUI, accept and reject one at a time or all at once, undo, F8, and
//! a click that picks a suggestion and a label key that accepts it under another label.

use std::path::{Path, PathBuf};

use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use gloss::gui::GlossApp;
use gloss::model::{Document, Span};

use crate::gui_util::{CTRL, CTRL_SHIFT, click_at, open_path, press};

const GAZETTEER: &str =
    "# places and people\nLyon\tlocation\nAmina Diallo\tspeaker\nGeneva\tlocation\nRenard\tspeaker\n";

/// A fresh folder with the interview article and a gazetteer.
fn desk() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/gui/interview.txt");
    std::fs::copy(&from, dir.path().join("interview.txt")).expect("copy fixture");
    let gazetteer = dir.path().join("people and places.tsv");
    std::fs::write(&gazetteer, GAZETTEER).expect("write gazetteer");
    (dir, gazetteer)
}

fn open(dir: &Path) -> Harness<'static, GlossApp> {
    open_path(&dir.join("interview.txt"))
}

fn doc<'a>(h: &'a Harness<'_, GlossApp>) -> &'a Document {
    let open = h.state().open.as_ref().expect("a project is open");
    &open.project.documents[open.doc]
}

/// Code point range of occurrence `n` of `needle` in the current document.
fn nth(h: &Harness<'_, GlossApp>, needle: &str, n: usize) -> (usize, usize) {
    let text = doc(h).text.as_str();
    let (byte, _) = text.match_indices(needle).nth(n).expect("occurrence");
    let start = text[..byte].chars().count();
    (start, start + needle.chars().count())
}

fn suggestions(h: &Harness<'_, GlossApp>) -> Vec<(usize, usize, String)> {
    doc(h).suggestions.iter().map(|s| (s.start, s.end, s.label.clone())).collect()
}

fn selected_text(h: &Harness<'_, GlossApp>) -> Option<String> {
    let d = doc(h);
    let s = d.suggestion(h.state().view.selected_suggestion?)?;
    d.covered_text(s).map(str::to_owned)
}

fn run_gazetteer(h: &mut Harness<'_, GlossApp>, gazetteer: &Path) {
    press(h, CTRL, Key::G);
    let dialog = h.state_mut().suggest_dialog.as_mut().expect("Ctrl+G opens the Suggest window");
    dialog.gazetteer = gazetteer.display().to_string();
    h.run();
    h.get_by_label("Suggest").click();
    h.run();
    // Matching runs on another thread: wait for it, then let a frame show the result.
    h.state_mut().finish_suggest_now();
    h.run();
}

#[test]
fn a_gazetteer_run_from_the_app_suggests_and_keys_accept_reject_and_undo() {
    let (dir, gazetteer) = desk();
    let mut h = open(dir.path());
    run_gazetteer(&mut h, &gazetteer);
    assert!(h.state().suggest_dialog.is_none(), "the window closes after a run");

    let mut expected = vec![
        (nth(&h, "Lyon", 0), "location"),
        (nth(&h, "Amina Diallo", 0), "speaker"),
        (nth(&h, "Amina Diallo", 1), "speaker"),
        (nth(&h, "Lyon", 1), "location"),
        (nth(&h, "Renard", 0), "speaker"),
        (nth(&h, "Geneva", 0), "location"),
        (nth(&h, "Renard", 1), "speaker"),
        (nth(&h, "Lyon", 2), "location"),
    ];
    expected.sort();
    let expected: Vec<(usize, usize, String)> = expected.into_iter().map(|((s, e), l)| (s, e, l.to_owned())).collect();
    assert_eq!(suggestions(&h), expected);
    assert!(doc(&h).spans.is_empty(), "nothing is a span until accepted");
    let origin = doc(&h).suggestions[0].annotator.clone();
    assert_eq!(origin.as_deref(), Some("gazetteer:people and places.tsv"));
    let note = h.state().notifications.list().last().expect("a notification").text.clone();
    assert!(note.contains("8 suggestions"), "{note}");
    assert_eq!(h.get_all_by_label("8 suggestions").count(), 2, "the side panel and the status bar count them");

    // The first one is selected: Enter accepts it and moves to the next.
    assert_eq!(selected_text(&h).as_deref(), Some("Lyon"));
    press(&mut h, Modifiers::NONE, Key::Enter);
    let lyon = nth(&h, "Lyon", 0);
    let spans: Vec<(usize, usize, &str)> = doc(&h).spans.iter().map(|s| (s.start, s.end, s.label.as_str())).collect();
    assert_eq!(spans, vec![(lyon.0, lyon.1, "location")]);
    assert_eq!(doc(&h).spans[0].annotator.as_deref(), Some("gazetteer:people and places.tsv"));
    assert_eq!(selected_text(&h).as_deref(), Some("Amina Diallo"));

    // Delete rejects it; Backspace rejects the next.
    press(&mut h, Modifiers::NONE, Key::Delete);
    assert_eq!(suggestions(&h).len(), 6);
    assert_eq!(doc(&h).spans.len(), 1, "rejecting adds no span");
    assert_eq!(selected_text(&h).as_deref(), Some("Amina Diallo"), "the second one");
    press(&mut h, Modifiers::NONE, Key::Backspace);
    assert_eq!(suggestions(&h).len(), 5);

    // Undo brings the rejected one back, then the accepted one back as a suggestion.
    press(&mut h, CTRL, Key::Z);
    assert_eq!(suggestions(&h).len(), 6);
    press(&mut h, CTRL, Key::Z);
    press(&mut h, CTRL, Key::Z);
    assert_eq!(suggestions(&h), expected);
    assert!(doc(&h).spans.is_empty());

    // F8 and Shift+F8 walk them in text order, wrapping.
    h.state_mut().view.clear_selection();
    h.state_mut().view.caret = Some(0);
    press(&mut h, Modifiers::NONE, Key::F8);
    assert_eq!(
        h.state().view.selected_suggestion.and_then(|id| doc(&h).suggestion(id)).map(|s| s.start),
        Some(expected[0].0)
    );
    press(&mut h, Modifiers::NONE, Key::F8);
    assert_eq!(selected_text(&h).as_deref(), Some("Amina Diallo"));
    press(&mut h, Modifiers::SHIFT, Key::F8);
    press(&mut h, Modifiers::SHIFT, Key::F8);
    assert_eq!(selected_text(&h).as_deref(), Some("Lyon"), "wrapped to the last");
    assert_eq!(
        h.state().view.selected_suggestion.and_then(|id| doc(&h).suggestion(id)).map(|s| s.start),
        Some(expected[7].0)
    );

    // All at once, in one undo step each.
    press(&mut h, CTRL_SHIFT, Key::Enter);
    assert!(suggestions(&h).is_empty());
    assert_eq!(doc(&h).spans.len(), 8);
    press(&mut h, CTRL, Key::Z);
    assert_eq!(suggestions(&h), expected);
    assert!(doc(&h).spans.is_empty());
    h.get_by_label("Reject all").click();
    h.run();
    assert!(suggestions(&h).is_empty());
    assert!(doc(&h).spans.is_empty());
    press(&mut h, CTRL, Key::Z);

    // Saved suggestions come back with the project, and running again adds nothing.
    press(&mut h, CTRL, Key::S);
    h.state_mut().finish_background_work();
    let saved = gloss::store::load(&dir.path().join("interview.gloss.ron")).expect("saved project loads");
    assert_eq!(saved.documents[0].suggestions.len(), 8);
    run_gazetteer(&mut h, &gazetteer);
    assert_eq!(suggestions(&h).len(), 8);
    let note = h.state().notifications.list().last().expect("a notification").text.clone();
    assert!(note.contains("nothing new"), "{note}");
}

#[test]
fn a_click_picks_a_suggestion_and_a_label_key_accepts_it_as_that_label() {
    let (dir, _) = desk();
    let mut h = open(dir.path());
    let renard = nth(&h, "Paul Renard", 0);
    let lyon = nth(&h, "Lyon", 1);
    {
        let open = h.state_mut().open.as_mut().expect("open");
        let d = &mut open.project.documents[0];
        // A wrong guess on Renard, and a suggestion over an existing span on Lyon.
        let mut guess = Span::new(1, renard.0, renard.1, "location");
        guess.annotator = Some("gazetteer:g.tsv".into());
        d.suggestions.push(guess);
        d.spans.push(Span::new(1, lyon.0, lyon.1, "location"));
        d.suggestions.push(Span::new(2, lyon.0, lyon.1 + 3, "claim"));
        d.suggestions.sort_by_key(Span::sort_key);
    }
    // The view caches per revision: start from a fresh document view.
    h.state_mut().view = Default::default();
    h.run();

    let at = h.state().view.screen_pos_of(renard.0 + 2).expect("on screen");
    click_at(&mut h, at);
    assert_eq!(h.state().view.selected_suggestion, Some(1));
    assert_eq!(h.state().view.selected_span, None);
    press(&mut h, Modifiers::NONE, Key::Num3);
    let d = doc(&h);
    assert!(d.suggestion(1).is_none(), "accepted");
    let accepted = d.find_exact(renard.0, renard.1, "speaker").expect("accepted as speaker");
    assert_eq!(accepted.annotator.as_deref(), Some("gazetteer:g.tsv"));

    // On Lyon the span is picked first, the suggestion under it on a second click.
    for _ in 0..2 {
        let at = h.state().view.screen_pos_of(lyon.0 + 1).expect("on screen");
        click_at(&mut h, at);
        // Far apart in time, so the second click is not a double-click.
        h.step();
        std::thread::sleep(std::time::Duration::from_millis(400));
    }
    assert_eq!(h.state().view.selected_suggestion, Some(2), "second click");
    assert_eq!(h.state().view.selected_span, None);
    press(&mut h, Modifiers::SHIFT, Key::Delete);
    assert!(doc(&h).suggestions.is_empty());
    assert_eq!(doc(&h).spans.len(), 2, "the span under it stays");
}

#[test]
fn a_bad_gazetteer_is_reported_and_changes_nothing() {
    let (dir, _) = desk();
    let bad = dir.path().join("bad.tsv");
    std::fs::write(&bad, "Lyon location\n").expect("write");
    let mut h = open(dir.path());
    run_gazetteer(&mut h, &bad);
    let note = h.state().notifications.list().last().expect("a notification").text.clone();
    assert!(note.contains("bad.tsv: line 1: no tab"), "{note}");
    assert!(suggestions(&h).is_empty());
    assert!(h.state().suggest_dialog.is_some(), "the window stays open to fix the path");
    let missing = dir.path().join("missing.tsv");
    h.state_mut().suggest_dialog.as_mut().expect("open").gazetteer = missing.display().to_string();
    h.run();
    h.get_by_label("Suggest").click();
    h.run();
    let note = h.state().notifications.list().last().expect("a notification").text.clone();
    assert!(note.contains("missing.tsv"), "{note}");
}

#[test]
fn a_rejection_is_remembered_the_next_run_skips_it_and_undo_forgets_it() {
    let (dir, gazetteer) = desk();
    let mut h = open(dir.path());
    run_gazetteer(&mut h, &gazetteer);
    assert_eq!(suggestions(&h).len(), 8);
    // Reject the selected one (the first Lyon), and accept Renard as a location: "speaker" is a no.
    assert_eq!(selected_text(&h).as_deref(), Some("Lyon"));
    let lyon = nth(&h, "Lyon", 0);
    press(&mut h, Modifiers::NONE, Key::Delete);
    let rejected: Vec<(usize, usize, String)> =
        doc(&h).rejected.iter().map(|r| (r.start, r.end, r.label.clone())).collect();
    assert_eq!(rejected, [(lyon.0, lyon.1, "location".to_owned())]);
    let renard = nth(&h, "Renard", 0);
    let id = doc(&h).suggestions.iter().find(|s| s.start == renard.0).map(|s| s.id).expect("Renard suggested");
    h.state_mut().select_suggestion(id);
    press(&mut h, Modifiers::NONE, Key::Num4); // location
    assert!(doc(&h).find_exact(renard.0, renard.1, "location").is_some());
    assert_eq!(doc(&h).rejected.len(), 2, "the label it proposed is remembered as a no");

    // Both suggestions gone for good: the same gazetteer does not bring them back, and says so.
    h.get_by_label("Reject all").click();
    h.run();
    assert!(suggestions(&h).is_empty());
    assert_eq!(doc(&h).rejected.len(), 8, "Lyon, Renard's speaker, and the 6 others");
    press(&mut h, CTRL, Key::Z); // undo Reject all
    assert_eq!(doc(&h).rejected.len(), 2, "undo forgets what it remembered");
    run_gazetteer(&mut h, &gazetteer);
    let note = h.state().notifications.list().last().expect("a notification").text.clone();
    assert!(note.contains("nothing new") && note.contains("2 left out as rejected before"), "{note}");
    assert_eq!(suggestions(&h).len(), 6);

    // Undo the accept and the rejection: the memory is empty, and a new run suggests them again.
    press(&mut h, CTRL, Key::Z);
    press(&mut h, CTRL, Key::Z);
    assert!(doc(&h).rejected.is_empty(), "{:?}", doc(&h).rejected);
    assert_eq!(suggestions(&h).len(), 8);

    // Saved and loaded, the memory stays.
    press(&mut h, Modifiers::NONE, Key::F8);
    press(&mut h, Modifiers::NONE, Key::Delete);
    press(&mut h, CTRL, Key::S);
    h.state_mut().finish_background_work();
    let saved = gloss::store::load(&dir.path().join("interview.gloss.ron")).expect("saved project loads");
    assert_eq!(saved.documents[0].rejected.len(), 1);
}

#[test]
fn closing_the_window_while_matching_keeps_the_run_and_applies_it_when_done() {
    let (dir, gazetteer) = desk();
    let mut h = open(dir.path());
    press(&mut h, CTRL, Key::G);
    h.state_mut().suggest_dialog.as_mut().expect("Ctrl+G opens the Suggest window").gazetteer =
        gazetteer.display().to_string();
    h.run();
    // One frame at a time: `run` would wait for the matching thread and apply its result.
    h.get_by_label("Suggest").click();
    h.step();
    assert!(h.state().suggest_job.is_some(), "matching started");
    // Closed while matching: the window goes, the run does not.
    h.get_by_label("Close").click();
    h.step();
    h.step();
    assert!(h.state().suggest_dialog.is_none());
    // The click lands a frame late, when this small run may be done already: then it is applied
    // at once; otherwise the Close button said it goes on. Either way nothing is lost.
    let notes: Vec<String> = h.state().notifications.list().iter().map(|n| n.text.clone()).collect();
    assert!(
        notes.iter().any(|n| n.contains("matching goes on in the background") || n.contains("8 suggestions")),
        "{notes:?}"
    );
    h.state_mut().finish_suggest_now();
    h.run();
    assert_eq!(suggestions(&h).len(), 8, "the result is applied with the window closed");
    let note = h.state().notifications.list().last().expect("a notification").text.clone();
    assert!(note.contains("8 suggestions"), "{note}");
    // One undo step takes the whole run back.
    press(&mut h, CTRL, Key::Z);
    assert!(suggestions(&h).is_empty());
}

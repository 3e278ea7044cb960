//! A save that fails in the GUI (its folder gone, a full or read-only disk): the app says the work
//! is only in memory, keeps it, leaves the last save on disk as it was, and offers Save As and a
//! retry. The folder is taken away by renaming it, which fails a save for any user, root included.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use gloss::gui::GlossApp;

use crate::gui_util::{CTRL, open_path, press};

/// A span over the first `needle` in the open document, labelled with `key`.
fn label(h: &mut Harness<'_, GlossApp>, needle: &str, key: Key) {
    let text = {
        let open = h.state().open.as_ref().expect("a project is open");
        open.project.documents[open.doc].text.as_str().to_owned()
    };
    let byte = text.find(needle).expect("needle in the text");
    let start = text[..byte].chars().count();
    h.state_mut().view.selection = Some(start..start + needle.chars().count());
    h.run();
    press(h, Modifiers::NONE, key);
}

fn span_count(h: &Harness<'_, GlossApp>) -> usize {
    let open = h.state().open.as_ref().expect("a project is open");
    open.project.documents[open.doc].spans.len()
}

/// Runs frames until the typed-path window replaces the native dialog (none runs in tests).
fn wait_for_path_entry(h: &mut Harness<'_, GlossApp>) {
    let until = Instant::now() + Duration::from_secs(20);
    while h.state().path_entry.is_none() {
        assert!(Instant::now() < until, "no way to type the Save As path appeared");
        std::thread::sleep(Duration::from_millis(20));
        h.run();
    }
}

fn spans_on_disk(path: &Path) -> usize {
    gloss::store::load(path).expect("the project on disk loads").documents.iter().map(|d| d.spans.len()).sum()
}

#[test]
fn a_failed_save_keeps_the_work_says_so_and_save_as_puts_it_elsewhere() {
    let root = tempfile::tempdir().expect("temp dir");
    let work = root.path().join("work");
    std::fs::create_dir(&work).expect("work folder");
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/gui/interview.txt");
    std::fs::copy(&fixture, work.join("interview.txt")).expect("copy fixture");
    let project = work.join("interview.gloss.ron");

    let mut h = open_path(&work.join("interview.txt"));
    label(&mut h, "Lyon", Key::Num4);
    press(&mut h, CTRL, Key::S);
    h.state_mut().finish_background_work();
    h.run();
    assert_eq!(spans_on_disk(&project), 1);
    let saved = std::fs::read(&project).expect("read the saved project");

    // Two more spans, then the folder goes away under the app (an unplugged or full disk).
    label(&mut h, "Amina Diallo", Key::Num3);
    label(&mut h, "Geneva", Key::Num4);
    let moved = root.path().join("moved");
    std::fs::rename(&work, &moved).expect("take the folder away");
    press(&mut h, CTRL, Key::S);
    h.state_mut().finish_background_work();
    h.run();

    // The app says so in a prompt that stays, not a notification that fades; the work is kept.
    h.get_by_label("Not saved");
    h.get_by_label_contains("safe in memory");
    h.get_by_label_contains("Could not save");
    assert_eq!(span_count(&h), 3);
    assert!(h.state().open.as_ref().is_some_and(|o| o.is_dirty()), "still marked unsaved");
    let moved_project = moved.join("interview.gloss.ron");
    assert_eq!(std::fs::read(&moved_project).expect("read"), saved, "the last save is untouched");

    // Trying again while the folder is still gone fails the same way, and asks again.
    h.get_by_label("Try again").click();
    h.run();
    h.state_mut().finish_background_work();
    h.run();
    h.get_by_label("Not saved");

    // Save As to a folder that works: the work lands there and the app carries on from it.
    h.get_by_label("Save as…").click();
    h.run();
    wait_for_path_entry(&mut h);
    // The path field has the keyboard at once: select what it holds, type over it, press Enter.
    let elsewhere: PathBuf = root.path().join("elsewhere.gloss.ron");
    h.run();
    press(&mut h, CTRL, Key::A);
    h.event(egui::Event::Text(elsewhere.display().to_string()));
    h.run();
    assert_eq!(h.state().path_entry.as_ref().map(|e| e.text.clone()), Some(elsewhere.display().to_string()));
    press(&mut h, Modifiers::NONE, Key::Enter);
    h.state_mut().finish_background_work();
    h.run();
    assert_eq!(spans_on_disk(&elsewhere), 3, "all three spans saved in the new place");
    let open = h.state().open.as_ref().expect("open");
    assert_eq!(open.path, elsewhere);
    assert!(!open.is_dirty());
    assert_eq!(std::fs::read(&moved_project).expect("read"), saved, "the old file is still the last save");
}

#[test]
fn an_export_aimed_at_the_open_project_file_or_its_folder_is_refused() {
    // The app exports the project it holds in memory; its file on disk must survive an export
    // pointed at it by mistake (with or without replacing, the file or the folder holding it).
    let root = tempfile::tempdir().expect("temp dir");
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/gui/interview.txt");
    std::fs::copy(&fixture, root.path().join("interview.txt")).expect("copy fixture");
    let project = root.path().join("interview.gloss.ron");
    let mut h = open_path(&root.path().join("interview.txt"));
    label(&mut h, "Lyon", Key::Num4);
    press(&mut h, CTRL, Key::S);
    h.state_mut().finish_background_work();
    let saved = std::fs::read(&project).expect("saved");
    for (format, out) in [
        (gloss::formats::export::ExportFormat::Jsonl, project.clone()),
        (gloss::formats::export::ExportFormat::Hf, root.path().to_owned()),
    ] {
        press(&mut h, CTRL, Key::E);
        let dialog = h.state_mut().export.as_mut().expect("export window");
        dialog.path = out.display().to_string();
        dialog.format = format;
        dialog.force = true;
        h.run();
        h.get_by_label("Export").click();
        h.run();
        h.state_mut().finish_background_work();
        h.run();
        let last = h.state().notifications.list().last().expect("a notification").text.clone();
        assert!(last.contains("project"), "{format:?} into {}: {last}", out.display());
        assert_eq!(std::fs::read(&project).expect("still there"), saved, "the project file is untouched");
        h.state_mut().export = None;
    }
}

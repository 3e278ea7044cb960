//! Saving: atomic replacement, permissions kept, and failures that leave the old file intact.

use std::io;

use gloss::model::{Document, Edit, Project, Span};
use gloss::store;

use crate::util::Sandbox;

fn project_with(text: &str) -> Project {
    let mut p = Project::new("save test");
    p.documents.push(Document::new("d0001", "t", text));
    Edit::AddSpan { doc: 0, span: Span::new(1, 0, 3, "speaker") }.apply(&mut p).expect("span");
    p
}

#[test]
fn save_then_load_round_trips_and_leaves_no_temporary_files() {
    let sandbox = Sandbox::new();
    let path = sandbox.join("p.gloss.ron");
    let project = project_with("Ana said so. 😀 کراچی");
    store::save(&path, &project).expect("save");
    assert_eq!(store::load(&path).expect("load"), project);
    let names: Vec<_> =
        std::fs::read_dir(sandbox.path()).expect("dir").map(|e| e.expect("entry").file_name()).collect();
    assert_eq!(names, [std::ffi::OsString::from("p.gloss.ron")]);
}

#[cfg(unix)]
#[test]
fn saving_keeps_the_file_mode() {
    use std::os::unix::fs::PermissionsExt as _;
    let sandbox = Sandbox::new();
    let path = sandbox.join("p.gloss.ron");
    store::save(&path, &project_with("one")).expect("save");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).expect("chmod");
    store::save(&path, &project_with("two")).expect("save again");
    let mode = std::fs::metadata(&path).expect("meta").permissions().mode() & 0o777;
    assert_eq!(mode, 0o640);
}

#[test]
fn a_failed_write_leaves_the_previous_file_untouched() {
    let sandbox = Sandbox::new();
    let path = sandbox.join("p.gloss.ron");
    store::save(&path, &project_with("old text")).expect("save");
    let before = std::fs::read(&path).expect("read");
    // Fault injection: the disk fills up halfway through the write.
    let err = store::replace_file(&path, |w| {
        use std::io::Write as _;
        w.write_all(b"(format: \"gloss-pro")?;
        Err(io::Error::from_raw_os_error(28))
    })
    .expect_err("disk full");
    let message = err.to_string();
    assert!(message.contains("p.gloss.ron") && message.contains("previous file is unchanged"), "{message}");
    assert_eq!(std::fs::read(&path).expect("read"), before);
    assert_eq!(std::fs::read_dir(sandbox.path()).expect("dir").count(), 1, "temporary file left behind");
}

#[test]
fn saving_into_a_missing_or_impossible_folder_is_a_clear_error() {
    let sandbox = Sandbox::new();
    let file = sandbox.write("not-a-folder", b"x");
    let err = store::save(&file.join("p.gloss.ron"), &project_with("abc")).expect_err("not a folder");
    assert!(err.to_string().contains("cannot create a temporary file"), "{err}");
    assert_eq!(std::fs::read(&file).expect("read"), b"x");
}

#[cfg(unix)]
#[test]
fn saving_through_a_symlink_updates_its_target() {
    let sandbox = Sandbox::new();
    let real = sandbox.join("real.gloss.ron");
    store::save(&real, &project_with("one")).expect("save");
    let link = sandbox.join("link.gloss.ron");
    std::os::unix::fs::symlink(&real, &link).expect("symlink");
    store::save(&link, &project_with("two")).expect("save via link");
    assert!(std::fs::symlink_metadata(&link).expect("meta").file_type().is_symlink());
    assert_eq!(store::load(&real).expect("load").documents[0].text.as_str(), "two");
}

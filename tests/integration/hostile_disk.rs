//! A full disk and a read-only folder, on a real small file system: a tmpfs mounted for the test.
//! Mounting needs root (or CAP_SYS_ADMIN); where it is not permitted these tests print a notice
//! and pass, and `save::a_failed_write_leaves_the_previous_file_untouched` still covers the same
//! error path by fault injection.

#![cfg(target_os = "linux")]

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use gloss::model::{Document, Project};
use gloss::store;

use crate::util::Sandbox;

/// A tmpfs of `size` mounted on a fresh folder; unmounted when dropped.
struct SmallDisk {
    _sandbox: Sandbox,
    root: PathBuf,
}

impl SmallDisk {
    fn mount(size: &str) -> Option<Self> {
        let sandbox = Sandbox::new();
        let root = sandbox.join("disk");
        fs::create_dir(&root).expect("mount point");
        let mounted = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size},mode=0755"), "tmpfs"])
            .arg(&root)
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if !mounted {
            eprintln!("notice: cannot mount a tmpfs here (not root?): disk-full test skipped");
            return None;
        }
        Some(Self { _sandbox: sandbox, root })
    }

    fn join(&self, name: &str) -> PathBuf {
        self.root.join(name)
    }

    fn remount_read_only(&self) {
        let status = Command::new("mount").args(["-o", "remount,ro"]).arg(&self.root).status().expect("mount");
        assert!(status.success(), "remount read-only");
    }

    fn files(&self) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(&self.root)
            .expect("read disk")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ignored = Command::new("umount").arg("-l").arg(&self.root).status();
    }
}

fn project(name: &str, text_bytes: usize) -> Project {
    let mut p = Project::new(name);
    let text = "Gdańsk port talks collapse; کراچی docks close. ".repeat(text_bytes / 50 + 1);
    p.documents.push(Document::new("d0001", "t", text));
    p
}

fn gloss_in(dir: &Path, args: &[&str]) -> crate::util::Run {
    let out = Command::new(env!("CARGO_BIN_EXE_gloss")).args(args).current_dir(dir).output().expect("run gloss");
    crate::util::Run::from(out)
}

#[test]
fn saving_to_a_full_disk_is_a_clear_error_and_keeps_the_previous_file() {
    let Some(disk) = SmallDisk::mount("1m") else { return };
    let path = disk.join("p.gloss.ron");
    let small = project("small", 100_000);
    store::save(&path, &small).expect("a small project fits");
    let before = fs::read(&path).expect("read");

    // 2 MB on a 1 MB disk that already holds 100 KB.
    let err = store::save(&path, &project("big", 2_000_000)).expect_err("the disk is full");
    let message = err.to_string();
    assert!(
        message.contains("p.gloss.ron") && message.contains("No space left on device"),
        "unclear message: {message}"
    );
    assert!(message.contains("the previous file is unchanged"), "{message}");
    assert_eq!(fs::read(&path).expect("read"), before);
    assert_eq!(store::load(&path).expect("still loads"), small);
    assert_eq!(disk.files(), ["p.gloss.ron"], "the failed save left files behind");

    // The same through the command line: an import that does not fit fails, once, clearly.
    let article = Sandbox::new();
    let big_article = article.write("long.txt", "Talks in Gdańsk resumed at dawn. ".repeat(60_000));
    let run = gloss_in(&disk.root, &["import", "--into", "p.gloss.ron", big_article.to_str().expect("utf-8 path")]);
    run.expect_status(1); // the work failed (exit 1), as export and suggest say it
    assert!(run.stderr.contains("No space left on device") && run.stderr.contains("unchanged"), "{}", run.stderr);
    assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
    assert_eq!(fs::read(&path).expect("read"), before);
    assert_eq!(disk.files(), ["p.gloss.ron"], "lock or temporary file left behind");

    // Once there is room again, saving works.
    store::save(&path, &project("after", 200_000)).expect("save after freeing space");
}

#[test]
fn saving_into_a_read_only_folder_is_a_clear_error_and_keeps_the_previous_file() {
    let Some(disk) = SmallDisk::mount("1m") else { return };
    let path = disk.join("p.gloss.ron");
    let small = project("small", 1_000);
    store::save(&path, &small).expect("save");
    let before = fs::read(&path).expect("read");
    disk.remount_read_only();

    let err = store::save(&path, &project("new", 1_000)).expect_err("read-only");
    let message = err.to_string();
    assert!(message.contains("p.gloss.ron") && message.contains("Read-only file system"), "{message}");
    assert!(message.contains("the previous file is unchanged"), "{message}");
    assert_eq!(fs::read(&path).expect("read"), before);

    // The recovery file of the autosave fails the same way, and leaves the project alone.
    let err = store::save(&store::recovery_path(&path), &project("new", 1_000)).expect_err("read-only");
    assert!(err.to_string().contains("Read-only file system"), "{err}");

    // The command line refuses before doing any work, and says why.
    let article = Sandbox::new();
    let a = article.write("a.txt", "Talks in Gdańsk resumed at dawn.");
    let run = gloss_in(&disk.root, &["import", "--into", "p.gloss.ron", a.to_str().expect("utf-8 path")]);
    run.expect_status(2);
    assert!(run.stderr.contains("p.gloss.ron") && run.stderr.contains("Read-only file system"), "{}", run.stderr);
    assert_eq!(fs::read(&path).expect("read"), before);
    assert_eq!(disk.files(), ["p.gloss.ron"]);
}

//! Where an export goes: a staging folder beside the output, renamed into place at the end, so
//! that a failed export leaves the previous output (or nothing) and never a half-written one, nor
//! the staging folder. A folder that replaces an old output is swapped with it in one step where
//! the system can (Linux), so that even a crash (SIGKILL, power) at that moment leaves a whole
//! output at its path, the old one or the new.
//!
//! `--force` replaces an existing output whole: a file, or a folder with everything in it, files
//! the export did not write included. Never replaced, even with `--force`: the project file being
//! exported or a folder holding it, the current folder or one above it, and anything that is not
//! a regular file or a folder (a named pipe, a device such as `/dev/null`, a socket).
//!
//! An export that was killed (SIGKILL, power) leaves its staging folder behind, and perhaps the old
//! output moved beside it: the next export to the same output removes them once they are older
//! than [`LEFTOVER_AGE`], and says so ([`Staging::cleared`]).

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use super::ExportError;
use crate::store::{self, LoadError};

/// A staging folder in the output's parent folder; [`Staging::finish`] moves the result into place.
pub struct Staging {
    dir: tempfile::TempDir,
    out: PathBuf,
    force: bool,
    /// The project file being exported, when it is on disk: never replaced.
    project: Option<PathBuf>,
    /// What earlier, killed exports to the same output had left, removed.
    cleared: Vec<PathBuf>,
}

/// The staging folder's name: `.NAME.` + [`RANDOM_LEN`] random letters and digits + this.
const STAGING_SUFFIX: &str = ".export-tmp";
/// The old output, moved aside while the new one is renamed into place: the staging name + this.
const BACKUP_SUFFIX: &str = ".old";
/// How many random characters tempfile puts in the staging folder's name (its default).
const RANDOM_LEN: usize = 6;
/// How long ago a staging folder (or an old output moved aside) must have last changed before the
/// next export takes it for the leftover of one that was killed: an export that is still running,
/// even of a very large project, finishes well within it.
pub const LEFTOVER_AGE: Duration = Duration::from_secs(60 * 60);

impl Staging {
    /// Checks that `out` may be written ([`check_output`]) and makes the staging folder.
    pub fn new(out: &Path, force: bool, project: Option<&Path>) -> Result<Self, ExportError> {
        if out.as_os_str().is_empty() {
            return Err(ExportError::Usage("the output path is empty".to_owned()));
        }
        check_output(out, force, project)?;
        let Some(name) = out.file_name().map(|n| n.to_string_lossy().into_owned()) else {
            return Err(ExportError::Usage(format!(
                "the output {} names no file or folder; give a name (not `.`, `..` or `/`)",
                out.display()
            )));
        };
        let parent = match out.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
            _ => PathBuf::from("."),
        };
        let cleared = clear_leftovers(&parent, &name, SystemTime::now());
        let dir = tempfile::Builder::new()
            .prefix(&format!(".{name}."))
            .suffix(STAGING_SUFFIX)
            .rand_bytes(RANDOM_LEN)
            .tempdir_in(&parent)
            .map_err(|source| ExportError::Io { path: parent.clone(), source })?;
        Ok(Self { dir, out: out.to_owned(), force, project: project.map(Path::to_owned), cleared })
    }

    /// The staging folder, where the output is written.
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// What exports to the same output that were killed had left beside it (staging folders, old
    /// outputs moved aside), removed when this staging folder was made.
    pub fn cleared(&self) -> &[PathBuf] {
        &self.cleared
    }

    /// Moves the staged output into place: the file `file` of the staging folder when the output
    /// is one file, else the whole staging folder. An existing output is replaced only with `force`
    /// (checked again: it may have appeared meanwhile). A folder is replaced whole, with whatever
    /// else it held. The staging folder is gone afterwards, whether this succeeds or fails.
    pub fn finish(self, file: Option<&str>) -> Result<(), ExportError> {
        let io_err = |path: &Path| {
            let path = path.to_owned();
            move |source: io::Error| ExportError::Io { path, source }
        };
        check_output(&self.out, self.force, self.project.as_deref())?;
        let existing = fs::symlink_metadata(&self.out).ok();
        match file {
            Some(name) => {
                if existing.as_ref().is_some_and(fs::Metadata::is_dir) {
                    return Err(ExportError::Usage(format!(
                        "{} is a folder; this export writes one file (give a file name, or --split to write a folder)",
                        self.out.display()
                    )));
                }
                // A rename within one folder replaces the old file atomically.
                fs::rename(self.dir.path().join(name), &self.out).map_err(io_err(&self.out))?;
                Ok(())
            }
            None => {
                let staged = self.dir.keep();
                if existing.is_some() && exchange(&staged, &self.out) {
                    // The new output is in place and the old one is at `staged`: at no moment was
                    // there nothing at the output's path.
                    return remove_any(&staged).map_err(io_err(&staged));
                }
                let backup = existing.map(|_| {
                    let mut name = staged.as_os_str().to_owned();
                    name.push(BACKUP_SUFFIX);
                    PathBuf::from(name)
                });
                if let Some(backup) = &backup {
                    if let Err(source) = fs::rename(&self.out, backup) {
                        let _cleaned = fs::remove_dir_all(&staged);
                        return Err(ExportError::Io { path: self.out.clone(), source });
                    }
                }
                if let Err(source) = fs::rename(&staged, &self.out) {
                    if let Some(backup) = &backup {
                        let _restored = fs::rename(backup, &self.out);
                    }
                    let _cleaned = fs::remove_dir_all(&staged);
                    return Err(ExportError::Io { path: self.out.clone(), source });
                }
                match backup {
                    Some(backup) => remove_any(&backup).map_err(io_err(&backup)),
                    None => Ok(()),
                }
            }
        }
    }
}

/// Removes from `parent` what exports to the output `name` left when they were killed: folders
/// named as [`Staging`] names its own, and old outputs moved aside (folders or files), last
/// changed [`LEFTOVER_AGE`] or more before `now`. Never a link, nor anything named otherwise.
/// Best effort: what cannot be read or removed is left as it is. Returns what it removed.
fn clear_leftovers(parent: &Path, name: &str, now: SystemTime) -> Vec<PathBuf> {
    let Ok(entries) = fs::read_dir(parent) else { return Vec::new() };
    let prefix = format!(".{name}.");
    let mut cleared = Vec::new();
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let Some(file_name) = file_name.to_str() else { continue };
        let Some(rest) = file_name.strip_prefix(&prefix) else { continue };
        let (staging_name, backup) = match rest.strip_suffix(BACKUP_SUFFIX) {
            Some(staging_name) => (staging_name, true),
            None => (rest, false),
        };
        let Some(random) = staging_name.strip_suffix(STAGING_SUFFIX) else { continue };
        if random.len() != RANDOM_LEN || !random.bytes().all(|b| b.is_ascii_alphanumeric()) {
            continue;
        }
        let path = entry.path();
        let Ok(meta) = fs::symlink_metadata(&path) else { continue };
        // A staging folder is always a folder; an old output moved aside may be a file.
        if !(meta.is_dir() || (backup && meta.is_file())) {
            continue;
        }
        let old_enough =
            meta.modified().ok().and_then(|m| now.duration_since(m).ok()).is_some_and(|age| age >= LEFTOVER_AGE);
        if old_enough && remove_any(&path).is_ok() {
            cleared.push(path);
        }
    }
    cleared.sort();
    cleared
}

/// Swaps what is at `a` and at `b` (both must exist) in one step, where the system can (Linux's
/// `renameat2` with `RENAME_EXCHANGE`), so that a crash at any moment leaves something whole at
/// both paths. False where it cannot (another system, or a file system without the call, as some
/// network ones): the caller then renames twice, with a moment where the output's path is empty.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> bool {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).is_ok()
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> bool {
    false
}

/// Removes whatever is at `path` without following a link: a folder with everything in it, or a
/// file or link. Nothing there is not an error.
fn remove_any(path: &Path) -> io::Result<()> {
    match fs::symlink_metadata(path) {
        Ok(meta) if meta.is_dir() => fs::remove_dir_all(path),
        Ok(_) => fs::remove_file(path),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e),
    }
}

/// Refuses an output that must not be written: one that exists without `force`; whatever `force`
/// says, a named pipe, device or socket (following links), the project file being exported
/// (`project`), a folder holding it, and the current folder or a folder above it.
pub fn check_output(out: &Path, force: bool, project: Option<&Path>) -> Result<(), ExportError> {
    if fs::symlink_metadata(out).is_err() {
        return Ok(());
    }
    // Following links; a broken link has no target to protect.
    if let Ok(target) = fs::metadata(out) {
        if store::is_special(target.file_type()) {
            return Err(ExportError::OutputNotReplaceable {
                out: out.to_owned(),
                kind: store::kind_name(target.file_type()),
            });
        }
        if let Some(project) = project {
            check_not_the_project(out, &target, project)?;
        }
        if target.is_dir() {
            check_not_the_working_folder(out)?;
        }
    }
    if force { Ok(()) } else { Err(ExportError::OutputExists(out.to_owned())) }
}

/// Refuses `out` (whose metadata, following links, is `target`) when it is the project file or a
/// folder holding it.
fn check_not_the_project(out: &Path, target: &fs::Metadata, project: &Path) -> Result<(), ExportError> {
    let read_err = |source| ExportError::Project(LoadError::Read { path: project.to_owned(), source });
    let project_meta = fs::metadata(project).map_err(read_err)?;
    let canonical_project = fs::canonicalize(project).map_err(read_err)?;
    let canonical_out = fs::canonicalize(out).map_err(|source| ExportError::Io { path: out.to_owned(), source })?;
    if canonical_out == canonical_project || same_file(target, &project_meta) {
        return Err(ExportError::OutputIsProject(out.to_owned()));
    }
    if target.is_dir() && canonical_project.starts_with(&canonical_out) {
        return Err(ExportError::OutputHoldsProject { out: out.to_owned(), project: project.to_owned() });
    }
    Ok(())
}

/// Refuses the folder `out` when it is the current folder or above it: it cannot be renamed away.
fn check_not_the_working_folder(out: &Path) -> Result<(), ExportError> {
    let (Ok(cwd), Ok(canonical_out)) = (std::env::current_dir().and_then(fs::canonicalize), fs::canonicalize(out))
    else {
        return Ok(());
    };
    if cwd.starts_with(&canonical_out) {
        return Err(ExportError::OutputHoldsWorkingFolder(out.to_owned()));
    }
    Ok(())
}

/// True when both are the same file (another hard link to it included).
#[cfg(unix)]
fn same_file(a: &fs::Metadata, b: &fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt as _;
    a.dev() == b.dev() && a.ino() == b.ino()
}

#[cfg(not(unix))]
fn same_file(_: &fs::Metadata, _: &fs::Metadata) -> bool {
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The names in `dir`, sorted.
    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .expect("read_dir")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn exchange_swaps_two_folders_in_one_step() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
        fs::create_dir(&a).expect("mkdir a");
        fs::create_dir(&b).expect("mkdir b");
        fs::write(a.join("from-a"), "a").expect("write");
        fs::write(b.join("from-b"), "b").expect("write");
        assert!(exchange(&a, &b), "this file system has no RENAME_EXCHANGE");
        assert_eq!(names(&a), ["from-b"]);
        assert_eq!(names(&b), ["from-a"]);
        // Both must exist: no swap with nothing, and nothing moved.
        assert!(!exchange(&a, &tmp.path().join("missing")));
        assert_eq!(names(tmp.path()), ["a", "b"]);
    }

    #[test]
    fn a_folder_output_replaces_a_folder_or_a_file_and_leaves_nothing_beside_it() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let out = tmp.path().join("out");
        for old_is_folder in [true, false] {
            if old_is_folder {
                fs::create_dir(&out).expect("mkdir");
                fs::write(out.join("old.txt"), "old").expect("write");
            } else {
                fs::write(&out, "an old single-file export").expect("write");
            }
            let staging = Staging::new(&out, true, None).expect("staging");
            fs::write(staging.path().join("new.txt"), "new").expect("write");
            staging.finish(None).expect("finish");
            assert_eq!(names(&out), ["new.txt"]);
            assert_eq!(fs::read_to_string(out.join("new.txt")).expect("read"), "new");
            assert_eq!(names(tmp.path()), ["out"], "old output or staging left beside it");
            fs::remove_dir_all(&out).expect("clean");
        }
    }

    #[test]
    fn leftovers_of_killed_exports_to_the_same_output_are_removed_once_old_and_nothing_else() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let dir = tmp.path();
        // What killed exports to `out` leave: a staging folder (with the new output half written,
        // or the old one after the swap), and an old output moved aside, a folder or a file.
        fs::create_dir(dir.join(".out.abc123.export-tmp")).expect("mkdir");
        fs::write(dir.join(".out.abc123.export-tmp/data.jsonl"), "half").expect("write");
        fs::create_dir(dir.join(".out.Xyz789.export-tmp.old")).expect("mkdir");
        fs::write(dir.join(".out.Qrs456.export-tmp.old"), "old single file").expect("write");
        // Never touched: the output, another output's leftovers, names that only look alike, a
        // file where a staging folder would be, and a link (nor what it points to).
        let keep = [
            "out",
            ".other.abc123.export-tmp",
            ".out.abc12.export-tmp",
            ".out.abc1234.export-tmp",
            ".out.ab-123.export-tmp",
            ".out.abc123.export-tmp.bak",
            ".out.fil123.export-tmp",
        ];
        for name in keep.iter().take(6) {
            fs::create_dir(dir.join(name)).expect("mkdir");
        }
        fs::write(dir.join(".out.fil123.export-tmp"), "a file").expect("write");
        let elsewhere = tempfile::tempdir().expect("tempdir");
        fs::write(elsewhere.path().join("precious"), "keep").expect("write");
        #[cfg(unix)]
        std::os::unix::fs::symlink(elsewhere.path(), dir.join(".out.lnk123.export-tmp")).expect("symlink");

        // Young: it may be an export running now.
        assert!(clear_leftovers(dir, "out", SystemTime::now()).is_empty());
        assert_eq!(names(dir).len(), 3 + keep.len() + usize::from(cfg!(unix)));

        let later = SystemTime::now() + LEFTOVER_AGE + Duration::from_secs(60);
        let cleared = clear_leftovers(dir, "out", later);
        let cleared: Vec<String> =
            cleared.iter().map(|p| p.file_name().expect("name").to_string_lossy().into_owned()).collect();
        assert_eq!(cleared, [".out.Qrs456.export-tmp.old", ".out.Xyz789.export-tmp.old", ".out.abc123.export-tmp"]);
        let mut left = names(dir);
        left.retain(|n| n != ".out.lnk123.export-tmp");
        let mut expected: Vec<String> = keep.iter().map(|n| (*n).to_owned()).collect();
        expected.sort();
        assert_eq!(left, expected);
        assert_eq!(fs::read_to_string(elsewhere.path().join("precious")).expect("read"), "keep");
        // A folder that cannot be listed clears nothing, and does not fail.
        assert!(clear_leftovers(&dir.join("missing"), "out", later).is_empty());
    }

    #[test]
    fn without_force_an_existing_output_is_kept_and_the_staging_removed() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let out = tmp.path().join("out");
        let staging = Staging::new(&out, false, None).expect("staging");
        fs::write(staging.path().join("new.txt"), "new").expect("write");
        // Another process makes the output meanwhile: checked again, refused, nothing lost.
        fs::create_dir(&out).expect("mkdir");
        fs::write(out.join("theirs.txt"), "theirs").expect("write");
        assert!(matches!(staging.finish(None), Err(ExportError::OutputExists(_))));
        assert_eq!(names(&out), ["theirs.txt"]);
        assert_eq!(names(tmp.path()), ["out"]);
    }
}

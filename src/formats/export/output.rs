//! Where an export goes: a staging folder beside the output, renamed into place at the end, so
//! that a failed export leaves the previous output (or nothing) and never a half-written one, nor
//! the staging folder.
//!
//! `--force` replaces an existing output whole: a file, or a folder with everything in it, files
//! the export did not write included. Never replaced, even with `--force`: the project file being
//! exported or a folder holding it, the current folder or one above it, and anything that is not
//! a regular file or a folder (a named pipe, a device such as `/dev/null`, a socket).

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use super::ExportError;
use crate::store::{self, LoadError};

/// A staging folder in the output's parent folder; [`Staging::finish`] moves the result into place.
pub struct Staging {
    dir: tempfile::TempDir,
    out: PathBuf,
    force: bool,
    /// The project file being exported, when it is on disk: never replaced.
    project: Option<PathBuf>,
}

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
        let dir = tempfile::Builder::new()
            .prefix(&format!(".{name}."))
            .suffix(".export-tmp")
            .tempdir_in(&parent)
            .map_err(|source| ExportError::Io { path: parent.clone(), source })?;
        Ok(Self { dir, out: out.to_owned(), force, project: project.map(Path::to_owned) })
    }

    /// The staging folder, where the output is written.
    pub fn path(&self) -> &Path {
        self.dir.path()
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
                let backup = existing.map(|meta| {
                    let mut name = staged.as_os_str().to_owned();
                    name.push(".old");
                    (PathBuf::from(name), meta.is_dir())
                });
                if let Some((backup, _)) = &backup {
                    if let Err(source) = fs::rename(&self.out, backup) {
                        let _cleaned = fs::remove_dir_all(&staged);
                        return Err(ExportError::Io { path: self.out.clone(), source });
                    }
                }
                if let Err(source) = fs::rename(&staged, &self.out) {
                    if let Some((backup, _)) = &backup {
                        let _restored = fs::rename(backup, &self.out);
                    }
                    let _cleaned = fs::remove_dir_all(&staged);
                    return Err(ExportError::Io { path: self.out.clone(), source });
                }
                match backup {
                    Some((backup, true)) => fs::remove_dir_all(&backup).map_err(io_err(&backup)),
                    Some((backup, false)) => fs::remove_file(&backup).map_err(io_err(&backup)),
                    None => Ok(()),
                }
            }
        }
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

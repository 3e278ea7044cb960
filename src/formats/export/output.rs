//! Where an export goes: a staging folder beside the output, renamed into place at the end, so
//! that a failed export leaves the previous output (or nothing) and never a half-written one.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use super::ExportError;

/// A staging folder in the output's parent folder; [`Staging::finish`] moves the result into place.
pub struct Staging {
    dir: tempfile::TempDir,
    out: PathBuf,
    force: bool,
}

impl Staging {
    /// Checks that `out` may be written (it does not exist, or `force`) and makes the staging folder.
    pub fn new(out: &Path, force: bool) -> Result<Self, ExportError> {
        if out.as_os_str().is_empty() {
            return Err(ExportError::Usage("the output path is empty".to_owned()));
        }
        if fs::symlink_metadata(out).is_ok() && !force {
            return Err(ExportError::OutputExists(out.to_owned()));
        }
        let parent = match out.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
            _ => PathBuf::from("."),
        };
        let name = out.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let dir = tempfile::Builder::new()
            .prefix(&format!(".{name}."))
            .suffix(".export-tmp")
            .tempdir_in(&parent)
            .map_err(|source| ExportError::Io { path: parent.clone(), source })?;
        Ok(Self { dir, out: out.to_owned(), force })
    }

    /// The staging folder, where the output is written.
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Moves the staged output into place: the file `file` of the staging folder when the output
    /// is one file, else the whole staging folder. An existing output is replaced only with `force`.
    pub fn finish(self, file: Option<&str>) -> Result<(), ExportError> {
        let io_err = |path: &Path| {
            let path = path.to_owned();
            move |source: io::Error| ExportError::Io { path, source }
        };
        let existing = fs::symlink_metadata(&self.out).ok();
        if existing.is_some() && !self.force {
            return Err(ExportError::OutputExists(self.out.clone()));
        }
        match file {
            Some(name) => {
                if existing.as_ref().is_some_and(|m| m.is_dir()) {
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
                let backup = existing.map(|_| {
                    let mut name = staged.as_os_str().to_owned();
                    name.push(".old");
                    PathBuf::from(name)
                });
                if let Some(backup) = &backup {
                    fs::rename(&self.out, backup).map_err(io_err(&self.out))?;
                }
                if let Err(source) = fs::rename(&staged, &self.out) {
                    if let Some(backup) = &backup {
                        let _restored = fs::rename(backup, &self.out);
                    }
                    let _cleaned = fs::remove_dir_all(&staged);
                    return Err(ExportError::Io { path: self.out.clone(), source });
                }
                if let Some(backup) = backup {
                    if backup.is_dir() {
                        fs::remove_dir_all(&backup).map_err(io_err(&backup))?;
                    } else {
                        fs::remove_file(&backup).map_err(io_err(&backup))?;
                    }
                }
                Ok(())
            }
        }
    }
}

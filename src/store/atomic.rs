//! Atomic file replacement: write a temporary file in the same folder, fsync, rename.
//!
//! A crash or a full disk at any moment leaves either the previous file or the new one, never a
//! torn one. The file's permissions are kept.

use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use super::error::SaveError;

/// Replaces the file at `path` with what `write` produces, atomically.
pub fn replace_file(
    path: &Path,
    write: impl FnOnce(&mut BufWriter<&mut File>) -> io::Result<()>,
) -> Result<(), SaveError> {
    // Save through a symlink to its target, rather than replacing the link with a file.
    let target = match fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_symlink() => fs::canonicalize(path).unwrap_or_else(|_| path.to_owned()),
        _ => path.to_owned(),
    };
    let fail = |step: &'static str| move |source: io::Error| SaveError { path: path.to_owned(), step, source };
    let dir = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
        _ => PathBuf::from("."),
    };
    let name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let old_permissions = fs::metadata(&target).ok().map(|m| m.permissions());

    let prefix = format!(".{name}.");
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(".tmp");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        // 0o666 before the umask: what a plain `File::create` would give a new file.
        builder.permissions(fs::Permissions::from_mode(0o666));
    }
    let mut temp = builder.tempfile_in(&dir).map_err(fail("cannot create a temporary file in its folder"))?;
    {
        let mut w = BufWriter::with_capacity(1 << 20, temp.as_file_mut());
        write(&mut w).map_err(fail("cannot write"))?;
        w.flush().map_err(fail("cannot write"))?;
    }
    if let Some(permissions) = old_permissions {
        temp.as_file().set_permissions(permissions).map_err(fail("cannot keep the file's permissions"))?;
    }
    temp.as_file().sync_all().map_err(fail("cannot flush to disk"))?;
    temp.persist(&target).map_err(|e| e.error).map_err(fail("cannot replace the file"))?;
    // Make the rename itself durable. Some file systems refuse to sync a folder: the data is
    // already safe, so that is no failure.
    if let Ok(d) = File::open(&dir) {
        let _ignored = d.sync_all();
    }
    Ok(())
}

//! Atomic file replacement: write a temporary file in the same folder, fsync, rename.
//!
//! A crash or a full disk at any moment leaves either the previous file or the new one, never a
//! torn one. The file's permissions are kept.
//!
//! The temporary file is named `.NAME.HOST-PID.RANDOM.tmp` (HOST a short hash of the host name).
//! A process killed mid-save (SIGKILL, power loss) leaves it behind; the next save of the same
//! file removes such leftovers once their process is gone on this host, or once they are a day
//! old whatever host wrote them (a network drive). A leftover is never read: it is harmless, only
//! wasted space until then.

use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

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

    remove_stale_temporaries(&dir, &name);
    let prefix = format!(".{name}.{}.", writer_tag());
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

/// How old a temporary file from another host must be before it counts as abandoned.
const ABANDONED_AFTER: Duration = Duration::from_secs(24 * 60 * 60);

/// `HOST-PID`: who writes a temporary file, so that a later save can tell a leftover of a dead
/// process from a save in progress.
fn writer_tag() -> String {
    format!("{:08x}-{}", host_hash(&super::lock::host_name()), std::process::id())
}

/// FNV-1a of the host name: short, stable, and safe in a file name.
fn host_hash(host: &str) -> u32 {
    host.bytes().fold(0x811c_9dc5_u32, |hash, byte| (hash ^ u32::from(byte)).wrapping_mul(0x0100_0193))
}

/// Removes temporary files of earlier saves of `name` in `dir` whose writer is gone. Best effort:
/// a leftover that cannot be removed is harmless.
fn remove_stale_temporaries(dir: &Path, name: &str) {
    let Ok(entries) = fs::read_dir(dir) else { return };
    let prefix = format!(".{name}.");
    let here = format!("{:08x}", host_hash(&super::lock::host_name()));
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let Some(file_name) = file_name.to_str() else { continue };
        let Some(middle) = file_name.strip_prefix(&prefix).and_then(|rest| rest.strip_suffix(".tmp")) else {
            continue;
        };
        if is_stale(middle, &here, &entry) {
            let _ignored = fs::remove_file(entry.path());
        }
    }
}

/// `middle` is `HOST-PID.RANDOM`, or just `RANDOM` from older versions; anything else (the
/// temporary file of another file whose name starts like ours) is not ours to remove.
fn is_stale(middle: &str, here: &str, entry: &fs::DirEntry) -> bool {
    match middle.split('.').collect::<Vec<_>>()[..] {
        [tag, _random] => {
            let Some((host, pid)) = tag.split_once('-') else { return false };
            let Ok(pid) = pid.parse::<u32>() else { return false };
            if host.len() != 8 || !host.bytes().all(|b| b.is_ascii_hexdigit()) {
                return false;
            }
            if host == here {
                return pid != std::process::id() && !super::lock::process_alive(pid);
            }
            older_than(entry, ABANDONED_AFTER)
        }
        [random] if random.len() == 6 && random.bytes().all(|b| b.is_ascii_alphanumeric()) => {
            older_than(entry, ABANDONED_AFTER)
        }
        _ => false,
    }
}

fn older_than(entry: &fs::DirEntry, age: Duration) -> bool {
    entry
        .metadata()
        .and_then(|m| m.modified())
        .ok()
        .and_then(|modified| SystemTime::now().duration_since(modified).ok())
        .is_some_and(|elapsed| elapsed > age)
}

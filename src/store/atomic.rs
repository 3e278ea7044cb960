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
///
/// What is written is counted as it goes: past [`super::MAX_PROJECT_BYTES`], a file Gloss could
/// not load again, writing stops and the save fails, the previous file unchanged.
pub fn replace_file(
    path: &Path,
    write: impl FnOnce(&mut BufWriter<Capped<&mut File>>) -> io::Result<()>,
) -> Result<(), SaveError> {
    replace_file_within(path, super::MAX_PROJECT_BYTES, write)
}

/// [`replace_file`], refusing a result of more than `limit` bytes.
pub(super) fn replace_file_within(
    path: &Path,
    limit: u64,
    write: impl FnOnce(&mut BufWriter<Capped<&mut File>>) -> io::Result<()>,
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
        let mut w = BufWriter::with_capacity(1 << 20, Capped::new(temp.as_file_mut(), limit));
        let written = write(&mut w).and_then(|()| w.flush());
        if w.get_ref().is_over() {
            // The temporary file goes with `temp`; the previous file was never touched.
            return Err(SaveError {
                path: path.to_owned(),
                step: "the project is too large",
                source: too_large(limit),
            });
        }
        written.map_err(fail("cannot write"))?;
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

/// A writer that takes at most `limit` bytes in all: a write that would go past it fails, and
/// nothing of it is written.
pub struct Capped<W> {
    inner: W,
    written: u64,
    limit: u64,
    over: bool,
}

impl<W> Capped<W> {
    fn new(inner: W, limit: u64) -> Self {
        Self { inner, written: 0, limit, over: false }
    }

    /// True once a write was refused for going past the limit.
    fn is_over(&self) -> bool {
        self.over
    }
}

impl<W: Write> Write for Capped<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.written.saturating_add(buf.len() as u64) > self.limit {
            self.over = true;
            return Err(too_large(self.limit));
        }
        let n = self.inner.write(buf)?;
        self.written += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// Why a save over `limit` bytes is refused.
fn too_large(limit: u64) -> io::Error {
    io::Error::new(
        io::ErrorKind::FileTooLarge,
        format!("it would be more than {limit} bytes, the largest project file Gloss can load"),
    )
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

#[cfg(test)]
mod tests {
    use super::*;

    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<_> =
            fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
        names.sort();
        names
    }

    #[test]
    fn a_result_over_the_limit_is_refused_before_the_rename() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p.gloss.ron");
        replace_file_within(&path, 10, |w| w.write_all(b"0123456789")).unwrap();
        // Small writes sit in the buffer until the flush; a big one goes past it at once.
        for big in [11, 3 << 20] {
            let err = replace_file_within(&path, 10, |w| w.write_all(&vec![b'x'; big])).unwrap_err();
            assert_eq!(err.source.kind(), io::ErrorKind::FileTooLarge);
            let message = err.to_string();
            assert!(message.contains("p.gloss.ron"), "{message}");
            assert!(message.contains("would be more than 10 bytes"), "{message}");
            assert!(message.contains("the previous file is unchanged"), "{message}");
            assert_eq!(fs::read(&path).unwrap(), b"0123456789");
            assert_eq!(names(dir.path()), ["p.gloss.ron"], "the temporary file is removed");
        }
        // Refused even when the writer goes on after the refusal and reports success.
        let err = replace_file_within(&path, 4, |w| {
            let _ignored = w.write_all(b"too long").and_then(|()| w.flush());
            Ok(())
        })
        .unwrap_err();
        assert_eq!(err.source.kind(), io::ErrorKind::FileTooLarge);
        assert_eq!(fs::read(&path).unwrap(), b"0123456789");
    }
}

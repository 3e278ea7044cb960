//! One writer per project: a lock file beside the project names who holds it.
//!
//! `p.gloss.ron.lock` holds the holder's pid, host, user, program and start time. A second Gloss
//! that wants to write the project is told who holds it. A lock whose process is gone (a crash, a
//! power loss) on this host is recognised as stale and taken over.

use std::fs::{self, OpenOptions};
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

/// Who holds a project's lock.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Holder {
    /// Process id.
    pub pid: u32,
    /// Host name.
    pub host: String,
    /// User name, when known.
    #[serde(default)]
    pub user: String,
    /// What holds it, e.g. "gloss import" or "gloss (desktop app)".
    pub program: String,
    /// Seconds since the Unix epoch when the lock was taken.
    pub since: u64,
}

impl std::fmt::Display for Holder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let user = if self.user.is_empty() { String::new() } else { format!("{} ", self.user) };
        write!(f, "{} (pid {}) of {user}on {}, since {}", self.program, self.pid, self.host, format_time(self.since))
    }
}

/// Why a lock could not be taken.
#[derive(Debug, thiserror::Error)]
pub enum LockError {
    /// Another live process holds the project.
    #[error("{} is open for writing in {holder}; open it read-only, or close it there first", .path.display())]
    Held {
        /// The project.
        path: PathBuf,
        /// Who holds it.
        holder: Holder,
    },
    /// The lock file could not be created or read.
    #[error("cannot lock {}: {source}", .path.display())]
    Io {
        /// The project.
        path: PathBuf,
        /// What the system said.
        source: io::Error,
    },
}

/// A held lock; dropping it releases the lock.
#[derive(Debug)]
pub struct ProjectLock {
    lock_path: PathBuf,
    holder: Holder,
}

impl ProjectLock {
    /// Takes the lock of the project at `project`, for `program` (shown to others who try).
    /// A stale lock (its process gone, on this host) is cleared.
    pub fn acquire(project: &Path, program: &str) -> Result<Self, LockError> {
        let lock_path = lock_path(project);
        let holder = Holder {
            pid: std::process::id(),
            host: host_name(),
            user: std::env::var("USER").or_else(|_| std::env::var("USERNAME")).unwrap_or_default(),
            program: program.to_owned(),
            since: SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs()),
        };
        let io_err = |source| LockError::Io { path: project.to_owned(), source };
        let body = serde_json::to_string(&holder).map_err(|e| io_err(io::Error::other(e)))?;
        // Two tries: the second after clearing a stale lock.
        for _ in 0..2 {
            match OpenOptions::new().write(true).create_new(true).open(&lock_path) {
                Ok(mut file) => {
                    file.write_all(body.as_bytes()).map_err(io_err)?;
                    let _ignored = file.sync_all();
                    return Ok(Self { lock_path, holder });
                }
                Err(err) if err.kind() == io::ErrorKind::AlreadyExists => {
                    match read_holder(&lock_path) {
                        Some(other) if !is_stale(&other) => {
                            return Err(LockError::Held { path: project.to_owned(), holder: other });
                        }
                        // Stale, or unreadable (a crash while writing it): clear and retry.
                        _ => {
                            if let Err(err) = fs::remove_file(&lock_path) {
                                if err.kind() != io::ErrorKind::NotFound {
                                    return Err(io_err(err));
                                }
                            }
                        }
                    }
                }
                Err(err) => return Err(io_err(err)),
            }
        }
        match read_holder(&lock_path) {
            Some(other) => Err(LockError::Held { path: project.to_owned(), holder: other }),
            None => Err(io_err(io::Error::other("the lock file keeps changing"))),
        }
    }

    /// Who holds the lock of `project` now, if anyone live does.
    pub fn holder_of(project: &Path) -> Option<Holder> {
        read_holder(&lock_path(project)).filter(|h| !is_stale(h))
    }

    /// This process's entry in the lock.
    pub fn holder(&self) -> &Holder {
        &self.holder
    }
}

impl Drop for ProjectLock {
    fn drop(&mut self) {
        // Only remove the lock if it is still ours.
        if read_holder(&self.lock_path).is_some_and(|h| h.pid == self.holder.pid && h.host == self.holder.host) {
            let _ignored = fs::remove_file(&self.lock_path);
        }
    }
}

/// The lock file of a project: `p.gloss.ron` → `p.gloss.ron.lock`.
pub fn lock_path(project: &Path) -> PathBuf {
    let mut name = project.file_name().unwrap_or_default().to_os_string();
    name.push(".lock");
    project.with_file_name(name)
}

fn read_holder(lock_path: &Path) -> Option<Holder> {
    let text = fs::read_to_string(lock_path).ok()?;
    serde_json::from_str(&text).ok()
}

/// A lock is stale when its holder ran on this host and that process is gone. A lock from
/// another host (a network drive) is never assumed stale: we cannot see its processes.
fn is_stale(holder: &Holder) -> bool {
    holder.host == host_name() && !process_alive(holder.pid)
}

#[cfg(target_os = "linux")]
pub(crate) fn process_alive(pid: u32) -> bool {
    // A zombie (exited, not yet reaped) counts as gone.
    match fs::read_to_string(format!("/proc/{pid}/stat")) {
        Ok(stat) => !stat.rsplit(')').next().is_some_and(|rest| rest.trim_start().starts_with('Z')),
        Err(_) => false,
    }
}

#[cfg(not(target_os = "linux"))]
pub(crate) fn process_alive(_pid: u32) -> bool {
    // Without a portable process table, trust the lock.
    true
}

pub(crate) fn host_name() -> String {
    fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|h| h.trim().to_owned())
        .ok()
        .filter(|h| !h.is_empty())
        .or_else(|| std::env::var("HOSTNAME").ok())
        .or_else(|| std::env::var("COMPUTERNAME").ok())
        .unwrap_or_else(|| "this computer".to_owned())
}

/// `YYYY-MM-DD HH:MM UTC` from seconds since the epoch (civil-from-days, proleptic Gregorian).
fn format_time(secs: u64) -> String {
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02} {:02}:{:02} UTC", rem / 3600, (rem % 3600) / 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn second_writer_is_told_who_holds_it_and_release_frees_it() {
        let dir = tempfile::tempdir().unwrap();
        let project = dir.path().join("p.gloss.ron");
        let lock = ProjectLock::acquire(&project, "gloss import").unwrap();
        match ProjectLock::acquire(&project, "gloss (desktop app)") {
            Err(LockError::Held { holder, .. }) => {
                assert_eq!(holder.pid, std::process::id());
                assert_eq!(holder.program, "gloss import");
            }
            other => panic!("{other:?}"),
        }
        let message = ProjectLock::acquire(&project, "x").unwrap_err().to_string();
        assert!(message.contains("gloss import (pid") && message.contains("read-only"), "{message}");
        drop(lock);
        assert!(!lock_path(&project).exists());
        assert!(ProjectLock::acquire(&project, "again").is_ok());
    }

    #[test]
    fn stale_and_garbled_locks_are_cleared() {
        let dir = tempfile::tempdir().unwrap();
        let project = dir.path().join("p.gloss.ron");
        // A pid that cannot be running: above the kernel's pid_max.
        let dead =
            Holder { pid: u32::MAX - 1, host: host_name(), user: String::new(), program: "gloss".into(), since: 0 };
        fs::write(lock_path(&project), serde_json::to_string(&dead).unwrap()).unwrap();
        assert!(ProjectLock::holder_of(&project).is_none());
        let lock = ProjectLock::acquire(&project, "new").unwrap();
        assert_eq!(lock.holder().program, "new");
        drop(lock);
        fs::write(lock_path(&project), b"\0\0garbage").unwrap();
        assert!(ProjectLock::acquire(&project, "new").is_ok());
    }

    #[test]
    fn a_lock_from_another_host_is_respected() {
        let dir = tempfile::tempdir().unwrap();
        let project = dir.path().join("p.gloss.ron");
        let remote = Holder {
            pid: 1,
            host: "far-away-host".into(),
            user: "bo".into(),
            program: "gloss".into(),
            since: 1_774_000_000,
        };
        fs::write(lock_path(&project), serde_json::to_string(&remote).unwrap()).unwrap();
        let err = ProjectLock::acquire(&project, "me").unwrap_err().to_string();
        assert!(err.contains("far-away-host") && err.contains("2026-03-20"), "{err}");
    }

    #[test]
    fn times_print_as_utc_dates() {
        assert_eq!(format_time(0), "1970-01-01 00:00 UTC");
        assert_eq!(format_time(951_782_400), "2000-02-29 00:00 UTC");
    }
}

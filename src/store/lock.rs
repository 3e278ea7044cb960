//! One writer per project: a lock file beside the project names who holds it.
//!
//! `p.gloss.ron.lock` holds the holder's pid, host, user, program and start time. A second Gloss
//! that wants to write the project is told who holds it. A lock whose process is gone (a crash, a
//! power loss) on this host is recognised as stale and taken over. On Linux the lock also records
//! the boot and the moment (in clock ticks since boot) its process started, so a lock left by a
//! power loss is stale even when, after the restart, its pid went to some other process.

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
    /// The boot the holder ran in (Linux's boot id); empty when unknown or in an older lock.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub boot: String,
    /// When the holder's process started, in clock ticks since boot (Linux); 0 when unknown.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub started: u64,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

/// The holder for a person to read. The lock file is anyone's to write, so its names are shown
/// with control characters escaped (an escape code would drive the terminal) and cut at 100
/// characters.
impl std::fmt::Display for Holder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let user = if self.user.is_empty() { String::new() } else { format!("{} ", plain(&self.user)) };
        write!(
            f,
            "{} (pid {}) of {user}on {}, since {}",
            plain(&self.program),
            self.pid,
            plain(&self.host),
            format_time(self.since)
        )
    }
}

/// `text` with control characters escaped, cut to 100 characters.
fn plain(text: &str) -> String {
    const MAX: usize = 100;
    let mut out = String::new();
    for (n, c) in text.chars().enumerate() {
        if n == MAX {
            out.push('…');
            break;
        }
        if c.is_control() {
            out.extend(c.escape_debug());
        } else {
            out.push(c);
        }
    }
    out
}

/// Why a lock could not be taken.
#[derive(Debug, thiserror::Error)]
pub enum LockError {
    /// Another live process holds the project.
    #[error("{} is open for writing in {holder}; open it read-only, or close it there first", .path.display())]
    Held {
        /// The project.
        path: PathBuf,
        /// Who holds it (boxed: the error stays small on the happy path's stack).
        holder: Box<Holder>,
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
    /// A stale lock (its process gone, on this host) is cleared. A project reached through a
    /// symbolic link is locked where the link leads, as that is the file a save replaces.
    pub fn acquire(project: &Path, program: &str) -> Result<Self, LockError> {
        let lock_path = lock_path(&resolved(project));
        let holder = Holder {
            pid: std::process::id(),
            host: host_name(),
            user: std::env::var("USER").or_else(|_| std::env::var("USERNAME")).unwrap_or_default(),
            program: program.to_owned(),
            since: SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs()),
            boot: boot_id().unwrap_or_default(),
            started: process_start_ticks(std::process::id()).unwrap_or(0),
        };
        let io_err = |source| LockError::Io { path: project.to_owned(), source };
        let body = serde_json::to_string(&holder).map_err(|e| io_err(io::Error::other(e)))?;
        // A few tries: after clearing a stale lock, or while another process's lock is still
        // being written (only where hard links are not available).
        for _ in 0..UNREADABLE_TRIES {
            if create_whole(&lock_path, body.as_bytes()).map_err(io_err)? {
                return Ok(Self { lock_path, holder });
            }
            let Ok(seen) = fs::read(&lock_path) else { continue };
            match serde_json::from_slice::<Holder>(&seen) {
                Ok(other) if !is_stale(&other) => {
                    return Err(LockError::Held { path: project.to_owned(), holder: Box::new(other) });
                }
                Err(_) if is_young(&lock_path) => std::thread::sleep(UNREADABLE_WAIT),
                // Stale, or unreadable and old (a crash while writing it): clear and retry.
                _ => clear(&lock_path, &seen).map_err(io_err)?,
            }
        }
        match read_holder(&lock_path) {
            Some(other) => Err(LockError::Held { path: project.to_owned(), holder: Box::new(other) }),
            None => Err(io_err(io::Error::other("the lock file keeps changing"))),
        }
    }

    /// Who holds the lock of `project` now, if anyone live does.
    pub fn holder_of(project: &Path) -> Option<Holder> {
        read_holder(&lock_path(&resolved(project))).filter(|h| !is_stale(h))
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

/// How often, and how long apart, an unreadable lock younger than [`UNREADABLE_AGE`] is read
/// again before it counts as left by a crash.
const UNREADABLE_TRIES: usize = 40;
const UNREADABLE_WAIT: std::time::Duration = std::time::Duration::from_millis(100);
const UNREADABLE_AGE: std::time::Duration = std::time::Duration::from_secs(2);

/// The project file a path leads to: through symbolic links, when it exists.
fn resolved(project: &Path) -> PathBuf {
    fs::canonicalize(project).unwrap_or_else(|_| project.to_owned())
}

/// Creates the lock file with its whole content in one step, so that no other process ever reads
/// it half written: the content goes to a file of our own, which is then hard-linked into place
/// (a link fails if the lock exists). `Ok(false)`: someone holds the lock (or held it).
fn create_whole(lock_path: &Path, body: &[u8]) -> io::Result<bool> {
    let own = aside_of(lock_path, "new");
    let written = fs::write(&own, body).and_then(|()| fs::File::open(&own)?.sync_all());
    let linked = written.and_then(|()| fs::hard_link(&own, lock_path));
    let _ignored = fs::remove_file(&own);
    match linked {
        Ok(()) => Ok(true),
        Err(err) if err.kind() == io::ErrorKind::AlreadyExists => Ok(false),
        // A file system without hard links (FAT, some network shares): create it, then write.
        Err(err) if matches!(err.kind(), io::ErrorKind::Unsupported | io::ErrorKind::PermissionDenied) => {
            match OpenOptions::new().write(true).create_new(true).open(lock_path) {
                Ok(mut file) => {
                    file.write_all(body)?;
                    let _ignored = file.sync_all();
                    Ok(true)
                }
                Err(err) if err.kind() == io::ErrorKind::AlreadyExists => Ok(false),
                Err(err) => Err(err),
            }
        }
        Err(err) => Err(err),
    }
}

/// A hidden file beside the lock, `.p.gloss.ron.lock.PID-N.what`, whose name no other process,
/// nor another call in this one, uses at the same time.
fn aside_of(lock_path: &Path, what: &str) -> PathBuf {
    static CALLS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let name = lock_path.file_name().unwrap_or_default().to_string_lossy();
    let n = CALLS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    lock_path.with_file_name(format!(".{name}.{}-{n}.{what}", std::process::id()))
}

/// True when the lock file was written less than [`UNREADABLE_AGE`] ago.
fn is_young(lock_path: &Path) -> bool {
    fs::metadata(lock_path)
        .and_then(|m| m.modified())
        .is_ok_and(|at| at.elapsed().is_ok_and(|age| age < UNREADABLE_AGE))
}

/// Clears a stale lock whose content was `seen`, without removing a lock that another process
/// took meanwhile: the file is first moved aside under a name of our own (atomic), and put back
/// if it is not the one we judged stale.
fn clear(lock_path: &Path, seen: &[u8]) -> io::Result<()> {
    let aside = aside_of(lock_path, "stale");
    match fs::rename(lock_path, &aside) {
        Ok(()) => {}
        // Another process cleared it first.
        Err(err) if err.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(err) => return Err(err),
    }
    if fs::read(&aside).is_ok_and(|moved| moved != seen) {
        // A fresh lock, taken since we read the stale one: it goes back.
        let _ignored = fs::hard_link(&aside, lock_path);
    }
    let _ignored = fs::remove_file(&aside);
    Ok(())
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

/// A lock is stale when its holder ran on this host and that process is gone: it exited, the
/// machine restarted since (another boot id), or its pid now belongs to a process that started at
/// another moment. A lock from another host (a network drive) is never assumed stale: we cannot
/// see its processes.
fn is_stale(holder: &Holder) -> bool {
    if holder.host != host_name() {
        return false;
    }
    if !holder.boot.is_empty() && boot_id().is_some_and(|now| now != holder.boot) {
        return true;
    }
    if !process_alive(holder.pid) {
        return true;
    }
    holder.started != 0 && process_start_ticks(holder.pid).is_some_and(|started| started != holder.started)
}

/// The fields of `/proc/PID/stat` after the command name (which may hold spaces and parentheses).
#[cfg(target_os = "linux")]
fn proc_stat_fields(pid: u32) -> Option<Vec<String>> {
    let stat = fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let (_, rest) = stat.rsplit_once(')')?;
    Some(rest.split_whitespace().map(str::to_owned).collect())
}

#[cfg(target_os = "linux")]
pub(crate) fn process_alive(pid: u32) -> bool {
    // A zombie (exited, not yet reaped) counts as gone.
    proc_stat_fields(pid).is_some_and(|fields| fields.first().is_some_and(|state| state != "Z"))
}

#[cfg(not(target_os = "linux"))]
pub(crate) fn process_alive(_pid: u32) -> bool {
    // Without a portable process table, trust the lock.
    true
}

/// When process `pid` started, in clock ticks since boot (`starttime`, field 22 of its stat).
#[cfg(target_os = "linux")]
fn process_start_ticks(pid: u32) -> Option<u64> {
    // Field 22 counts from the pid; the fields after the name start at field 3.
    proc_stat_fields(pid)?.get(22 - 3)?.parse().ok()
}

#[cfg(not(target_os = "linux"))]
fn process_start_ticks(_pid: u32) -> Option<u64> {
    None
}

/// This boot's id: different after every restart of the machine.
#[cfg(target_os = "linux")]
fn boot_id() -> Option<String> {
    fs::read_to_string("/proc/sys/kernel/random/boot_id")
        .ok()
        .map(|id| id.trim().to_owned())
        .filter(|id| !id.is_empty())
}

#[cfg(not(target_os = "linux"))]
fn boot_id() -> Option<String> {
    None
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
        let dead = Holder { pid: u32::MAX - 1, ..holder_like_mine() };
        fs::write(lock_path(&project), serde_json::to_string(&dead).unwrap()).unwrap();
        assert!(ProjectLock::holder_of(&project).is_none());
        let lock = ProjectLock::acquire(&project, "new").unwrap();
        assert_eq!(lock.holder().program, "new");
        drop(lock);
        // Garbage left by a crash while the lock was written (a minute ago) is cleared at once.
        fs::write(lock_path(&project), b"\0\0garbage").unwrap();
        let file = fs::File::options().write(true).open(lock_path(&project)).unwrap();
        file.set_modified(SystemTime::now() - std::time::Duration::from_secs(60)).unwrap();
        assert!(ProjectLock::acquire(&project, "new").is_ok());
    }

    #[test]
    fn a_lock_being_written_is_waited_for_not_taken_over() {
        // Another process has created its lock file but not written it yet (a file system
        // without hard links): the empty file is not taken for a crash's leftover.
        let dir = tempfile::tempdir().unwrap();
        let project = dir.path().join("p.gloss.ron");
        let lock = lock_path(&project);
        fs::write(&lock, b"").unwrap();
        let other = Holder { program: "gloss import".into(), ..holder_like_mine() };
        let body = serde_json::to_string(&other).unwrap();
        let writer = std::thread::spawn(move || {
            std::thread::sleep(std::time::Duration::from_millis(300));
            fs::write(&lock, body).unwrap();
        });
        match ProjectLock::acquire(&project, "me") {
            Err(LockError::Held { holder, .. }) => assert_eq!(holder.program, "gloss import"),
            other => panic!("took a lock that was being written: {other:?}"),
        }
        writer.join().unwrap();
    }

    #[test]
    fn many_writers_at_once_get_one_lock() {
        // Regression (outside audit): 40 imports started together, and two of them both wrote
        // the project, because one read the other's lock before its content was written.
        let dir = tempfile::tempdir().unwrap();
        let project = dir.path().join("p.gloss.ron");
        for _round in 0..20 {
            let barrier = std::sync::Arc::new(std::sync::Barrier::new(8));
            let takers: Vec<_> = (0..8)
                .map(|_| {
                    let (project, barrier) = (project.clone(), barrier.clone());
                    std::thread::spawn(move || {
                        barrier.wait();
                        let lock = ProjectLock::acquire(&project, "racer").ok();
                        // Held a moment, as an import would, while the others try.
                        std::thread::sleep(std::time::Duration::from_millis(30));
                        lock
                    })
                })
                .collect();
            let held: Vec<ProjectLock> = takers.into_iter().filter_map(|t| t.join().unwrap()).collect();
            assert_eq!(held.len(), 1, "exactly one of the racers holds the lock");
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_project_reached_through_a_link_is_locked_where_the_link_leads() {
        let dir = tempfile::tempdir().unwrap();
        let project = dir.path().join("p.gloss.ron");
        fs::write(&project, b"").unwrap();
        let link = dir.path().join("link.gloss.ron");
        std::os::unix::fs::symlink(&project, &link).unwrap();
        let held = ProjectLock::acquire(&project, "gloss (desktop app)").unwrap();
        match ProjectLock::acquire(&link, "gloss import") {
            Err(LockError::Held { holder, .. }) => assert_eq!(holder.program, "gloss (desktop app)"),
            other => panic!("the link bypassed the lock: {other:?}"),
        }
        drop(held);
        let via_link = ProjectLock::acquire(&link, "gloss import").unwrap();
        assert!(lock_path(&project).exists() && !lock_path(&link).exists());
        drop(via_link);
    }

    /// A lock entry as this test process would write it.
    fn holder_like_mine() -> Holder {
        Holder {
            pid: std::process::id(),
            host: host_name(),
            user: String::new(),
            program: "gloss".into(),
            since: 0,
            boot: boot_id().unwrap_or_default(),
            started: process_start_ticks(std::process::id()).unwrap_or(0),
        }
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_lock_of_a_live_pid_from_before_a_restart_or_of_a_reused_pid_is_stale() {
        let dir = tempfile::tempdir().unwrap();
        let project = dir.path().join("p.gloss.ron");
        let write = |holder: &Holder| fs::write(lock_path(&project), serde_json::to_string(holder).unwrap()).unwrap();
        let mine = holder_like_mine();
        assert!(!mine.boot.is_empty() && mine.started != 0, "Linux gives both: {mine:?}");
        // The pid is alive (it is this process), and it is the holder: held.
        write(&mine);
        assert_eq!(ProjectLock::holder_of(&project), Some(mine.clone()));
        // Written in another boot (a power loss, then the pid given to this process): stale.
        write(&Holder { boot: "0b5e55ed-0000-4000-8000-000000000000".into(), ..mine.clone() });
        assert_eq!(ProjectLock::holder_of(&project), None);
        // This boot, but the pid's process started at another moment: the pid was reused.
        write(&Holder { started: mine.started + 1, ..mine.clone() });
        assert_eq!(ProjectLock::holder_of(&project), None);
        assert!(ProjectLock::acquire(&project, "new").is_ok(), "and the stale lock is taken over");
        // A lock of an older Gloss, without boot nor start: the live pid is trusted, as before.
        write(&Holder { boot: String::new(), started: 0, ..mine.clone() });
        let old = fs::read_to_string(lock_path(&project)).unwrap();
        assert!(!old.contains("boot") && !old.contains("started"), "{old}");
        assert!(ProjectLock::holder_of(&project).is_some());
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
            boot: "another-boot".into(),
            started: 1,
        };
        fs::write(lock_path(&project), serde_json::to_string(&remote).unwrap()).unwrap();
        let err = ProjectLock::acquire(&project, "me").unwrap_err().to_string();
        assert!(err.contains("far-away-host") && err.contains("2026-03-20"), "{err}");
    }

    #[test]
    fn a_hostile_holder_is_shown_without_its_escape_codes() {
        let dir = tempfile::tempdir().unwrap();
        let project = dir.path().join("p.gloss.ron");
        let hostile = Holder {
            pid: 1,
            host: "far\u{1b}]0;owned\u{7}".into(),
            user: "bo\nb".into(),
            program: format!("\u{1b}[2J{}", "x".repeat(5000)),
            since: 1_774_000_000,
            boot: String::new(),
            started: 0,
        };
        fs::write(lock_path(&project), serde_json::to_string(&hostile).unwrap()).unwrap();
        let err = ProjectLock::acquire(&project, "me").unwrap_err().to_string();
        assert!(!err.chars().any(|c| c.is_control()), "{err:?}");
        assert!(err.contains("\\u{1b}[2Jxxx") && err.contains("of bo\\nb on far\\u{1b}]0;owned\\u{7}"), "{err}");
        assert!(err.len() < 400 && err.contains('…'), "{err}");
    }

    #[test]
    fn times_print_as_utc_dates() {
        assert_eq!(format_time(0), "1970-01-01 00:00 UTC");
        assert_eq!(format_time(951_782_400), "2000-02-29 00:00 UTC");
    }
}

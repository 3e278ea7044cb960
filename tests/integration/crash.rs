//! Crash safety: `gloss` killed with SIGKILL at random moments while it saves a large project
//! leaves the previous project or the new one on disk, byte for byte, never anything else; the
//! lock of the killed process is recognised as stale and cleared; its temporary file is removed
//! by the next save.
//!
//! The GUI's autosave writes the recovery file (`store::recovery_path`) through the very same
//! `store::save` → `atomic::replace_file` path, so the kill test of `gloss import` covers it too;
//! `killing_a_recovery_save_loop_keeps_a_whole_recovery_file` kills a child process that saves a
//! recovery file in a loop, to check that directly.
//!
//! Delays come from a seeded generator: set `GLOSS_CRASH_SEED` to replay a failure (the seed is
//! printed), `GLOSS_CRASH_KILLS` and `GLOSS_CRASH_DOCS` to run longer or bigger.

#![cfg(unix)]

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use gloss::model::{Document, Project, Span, Status};
use gloss::store::{self, ProjectLock};

use crate::util::Sandbox;

/// xorshift64*: small, seeded, reproducible.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        Self(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1)
    }

    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: u64) -> u64 {
        if n == 0 { 0 } else { self.next() % n }
    }

    /// A duration drawn uniformly from `from..to`.
    fn between(&mut self, from: Duration, to: Duration) -> Duration {
        let span = to.saturating_sub(from).as_micros() as u64;
        from + Duration::from_micros(self.below(span.max(1)))
    }
}

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

const WORDS: [&str; 16] = [
    "The",
    "governor",
    "said",
    "Gdańsk",
    "would",
    "close",
    "every",
    "dock",
    "by",
    "Friday.",
    "کراچی",
    "नमस्ते",
    "🚢",
    "union",
    "talks",
    "collapsed,",
];

/// `docs` documents of about `doc_bytes` bytes each, with a span every few words.
fn big_project(seed: u64, docs: usize, doc_bytes: usize) -> Project {
    let mut rng = Rng::new(seed);
    let mut project = Project::new("crash test");
    let labels = ["claim", "threat", "speaker", "location"];
    for d in 0..docs {
        let mut text = String::with_capacity(doc_bytes + 32);
        let mut spans = Vec::new();
        let mut chars = 0usize;
        while text.len() < doc_bytes {
            let word = WORDS[rng.below(WORDS.len() as u64) as usize];
            let n = word.chars().count();
            if rng.below(40) == 0 {
                let id = spans.len() as u64 + 1;
                spans.push(Span::new(id, chars, chars + n, labels[rng.below(4) as usize]));
            }
            text.push_str(word);
            text.push(' ');
            chars += n + 1;
        }
        let mut doc = Document::new(format!("d{:05}", d + 1), format!("Article {d}"), text);
        doc.status = Status::InProgress;
        doc.spans = spans;
        project.documents.push(doc);
    }
    project
}

/// Temporary files a save of `name` may leave in `dir`.
fn temporaries(dir: &Path, name: &str) -> Vec<String> {
    let prefix = format!(".{name}.");
    let mut found: Vec<String> = fs::read_dir(dir)
        .expect("read folder")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(&prefix) && n.ends_with(".tmp"))
        .collect();
    found.sort();
    found
}

/// Kills `child` (SIGKILL) unless it has already exited; returns true when it had finished.
fn kill(child: &mut Child) -> bool {
    if let Some(status) = child.try_wait().expect("try_wait") {
        assert!(status.success(), "gloss import failed on its own: {status}");
        return true;
    }
    child.kill().expect("SIGKILL");
    let status = child.wait().expect("reap");
    // It may have finished between try_wait and kill.
    status.success()
}

#[test]
fn sigkill_during_import_leaves_the_old_or_the_new_project() {
    let seed = env_number("GLOSS_CRASH_SEED", 0x5eed);
    let kills = env_number("GLOSS_CRASH_KILLS", 200);
    let docs = env_number("GLOSS_CRASH_DOCS", 500) as usize;
    let started = Instant::now();
    let sandbox = Sandbox::new();
    let path = sandbox.join("BIG.ron");
    let big = big_project(seed, docs, 10_000);
    store::save(&path, &big).expect("save the big project");
    let old = fs::read(&path).expect("read");
    sandbox.write("new-article.txt", "Harbour talks resume in Gdańsk on Monday, the union said. 🚢\n");
    let import = || {
        Command::new(env!("CARGO_BIN_EXE_gloss"))
            .args(["import", "--into", "BIG.ron", "new-article.txt"])
            .current_dir(sandbox.path())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn gloss")
    };

    // How long a whole run takes, and how long before it starts saving (a run of `validate`
    // loads and checks the same project, then stops).
    let mut full = Duration::ZERO;
    for _ in 0..2 {
        fs::write(&path, &old).expect("restore");
        let t = Instant::now();
        let status = import().wait().expect("run");
        full = full.max(t.elapsed());
        assert!(status.success(), "gloss import failed: {status}");
    }
    let new = fs::read(&path).expect("read");
    assert_ne!(old, new);
    let loaded = store::load(&path).expect("the new version loads");
    assert_eq!(loaded.documents.len(), docs + 1);
    drop(loaded);
    let t = Instant::now();
    let validate = sandbox.gloss(&["validate", "BIG.ron"]);
    let before_save = t.elapsed();
    validate.expect_status(0);
    fs::write(&path, &old).expect("restore");
    eprintln!(
        "crash test: seed {seed:#x}, {} MB project, a run takes {full:?}, {before_save:?} of it before saving",
        old.len() / 1_000_000
    );

    let mut rng = Rng::new(seed);
    let (mut completed, mut mid_save, mut before, mut after_rename, mut stale_locks) = (0, 0, 0, 0, 0);
    let mut seen_temporaries = Vec::new();
    for round in 0..kills {
        // A third of the kills anywhere in the run, the rest in the save window.
        let delay = if rng.below(3) == 0 {
            rng.between(Duration::ZERO, full)
        } else {
            // Up to 1.5x: another build on the machine can slow a run down after it was measured.
            rng.between(before_save.mul_f64(0.9), full.mul_f64(1.5))
        };
        let mut child = import();
        let pid = child.id();
        std::thread::sleep(delay);
        let finished = kill(&mut child);
        let bytes = fs::read(&path).expect("the project is still there");
        let is_new = bytes == new;
        assert!(
            bytes == old || is_new,
            "round {round} (seed {seed:#x}, delay {delay:?}): the project is neither the old nor the new version"
        );
        let temps = temporaries(sandbox.path(), "BIG.ron");
        assert!(temps.len() <= 1, "round {round}: temporary files accumulate: {temps:?}");
        let fresh_temp = temps.iter().any(|t| !seen_temporaries.contains(t));
        seen_temporaries.extend(temps);
        if finished {
            completed += 1;
        } else if fresh_temp {
            mid_save += 1;
        } else if is_new {
            after_rename += 1;
        } else {
            before += 1;
        }
        let lock = store::lock_path(&path);
        if lock.exists() && !finished {
            stale_locks += 1;
            assert!(
                ProjectLock::holder_of(&path).is_none(),
                "round {round}: the lock of killed pid {pid} is not recognised as stale"
            );
        }
        if is_new {
            fs::write(&path, &old).expect("restore");
        }
    }

    // The next run clears the stale lock and the leftover temporary file, and saves.
    let status = import().wait().expect("run");
    assert!(status.success(), "gloss import after the kills failed: {status}");
    assert_eq!(fs::read(&path).expect("read"), new);
    assert_eq!(temporaries(sandbox.path(), "BIG.ron"), Vec::<String>::new());
    assert!(!store::lock_path(&path).exists(), "lock left after a clean run");
    eprintln!(
        "crash test: {kills} kills in {:?}: {before} before saving, {mid_save} mid-save (temporary file \
         left), {after_rename} after the rename, {completed} finished first; {stale_locks} stale locks \
         cleared by the next run",
        started.elapsed()
    );
    assert!(mid_save >= kills / 10, "too few kills landed in the save window ({mid_save}); tune the delays");
}

/// The recovery file's two alternating versions for the save loop.
fn recovery_versions() -> [Project; 2] {
    let base = big_project(7, 300, 10_000);
    let mut other = base.clone();
    other.documents[0].status = Status::Done;
    other.documents.push(Document::new("d99999", "late", "Added after the autosave."));
    [base, other]
}

/// Not a test of its own: the body of the child process of
/// `killing_a_recovery_save_loop_keeps_a_whole_recovery_file`, which re-runs this test binary
/// with `GLOSS_CRASH_AUTOSAVE` set. Without it, it returns at once.
#[test]
fn recovery_save_loop_child() {
    let Some(path) = std::env::var_os("GLOSS_CRASH_AUTOSAVE") else { return };
    let path = PathBuf::from(path);
    let versions = recovery_versions();
    for round in 0.. {
        store::save(&path, &versions[round % 2]).expect("autosave");
    }
}

#[test]
fn killing_a_recovery_save_loop_keeps_a_whole_recovery_file() {
    let seed = env_number("GLOSS_CRASH_SEED", 0x5eed) ^ 0xa5a5;
    let kills = env_number("GLOSS_CRASH_KILLS", 200) / 4;
    let sandbox = Sandbox::new();
    let project = sandbox.join("p.gloss.ron");
    let recovery = store::recovery_path(&project);
    let versions = recovery_versions().map(|p| store::to_string(&p).into_bytes());
    let spawn = || {
        Command::new(std::env::current_exe().expect("test binary"))
            .args(["crash::recovery_save_loop_child", "--exact", "--nocapture", "--test-threads=1"])
            .env("GLOSS_CRASH_AUTOSAVE", &recovery)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn the save loop")
    };
    // Time until the first save lands, to spread the kills over a few saves after it.
    let t = Instant::now();
    let mut child = spawn();
    while !recovery.exists() {
        assert!(t.elapsed() < Duration::from_secs(60), "the save loop never saved");
        std::thread::sleep(Duration::from_millis(2));
    }
    let first = t.elapsed();
    kill(&mut child);
    let mut rng = Rng::new(seed);
    let mut landed = [0usize; 3];
    for round in 0..kills {
        let delay = rng.between(first.mul_f64(0.5), first.mul_f64(2.5));
        let mut child = spawn();
        std::thread::sleep(delay);
        assert!(!kill(&mut child), "the save loop stopped on its own");
        let bytes = fs::read(&recovery).expect("the recovery file is there");
        let which = versions.iter().position(|v| *v == bytes);
        assert!(which.is_some(), "round {round} (seed {seed:#x}): the recovery file is torn");
        if let Some(which) = which {
            landed[which] += 1;
        }
        let temps = temporaries(sandbox.path(), "p.gloss.ron.recovery");
        landed[2] += temps.len();
        assert!(temps.len() <= 1, "round {round}: temporary files accumulate: {temps:?}");
    }
    eprintln!(
        "recovery crash test: {kills} kills, first save after {first:?}; left version A {} times, \
         B {} times, a temporary file {} times",
        landed[0], landed[1], landed[2]
    );
    assert!(store::load(&recovery).is_ok());
}

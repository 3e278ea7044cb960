//! Shared helpers for the integration tests: a temporary folder per test and a way to run the
//! `gloss` binary in it.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A temporary folder that lives as long as the test, with the `gloss` binary at hand.
pub struct Sandbox {
    dir: tempfile::TempDir,
}

/// What one run of `gloss` did.
pub struct Run {
    /// Exit status (-1 if killed by a signal).
    pub status: i32,
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
}

impl Sandbox {
    /// A new, empty folder.
    pub fn new() -> Self {
        Self { dir: tempfile::tempdir().expect("temp dir") }
    }

    /// The folder.
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// A path inside the folder.
    pub fn join(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Writes a file into the folder and returns its path.
    pub fn write(&self, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let path = self.join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("create folder");
        }
        std::fs::write(&path, bytes).expect("write file");
        path
    }

    /// Copies a fixture from `tests/fixtures` into the folder.
    pub fn fixture(&self, rel: &str) -> PathBuf {
        let name = Path::new(rel).file_name().expect("file name").to_string_lossy().into_owned();
        self.write(&name, std::fs::read(fixture_path(rel)).expect("read fixture"))
    }

    /// Runs `gloss` with `args` in the folder.
    pub fn gloss(&self, args: &[&str]) -> Run {
        let out = Command::new(env!("CARGO_BIN_EXE_gloss"))
            .args(args)
            .current_dir(self.path())
            .env_remove("RUST_LOG")
            .output()
            .expect("run gloss");
        Run::from(out)
    }
}

/// One run of `gloss` measured: what it did, its peak resident memory and its wall time.
#[cfg(target_os = "linux")]
pub struct Measured {
    /// What the run did.
    pub run: Run,
    /// Peak resident set size of the child (`ru_maxrss`), in bytes.
    pub peak_rss: u64,
    /// Wall time from start to exit.
    pub elapsed: std::time::Duration,
}

#[cfg(target_os = "linux")]
impl Sandbox {
    /// Runs `gloss` with `args` in the folder like [`Sandbox::gloss`], and measures its peak
    /// memory with `wait4`, which reports the resource use of that one child.
    pub fn gloss_measured(&self, args: &[&str]) -> Measured {
        use std::io::Read as _;
        use std::process::Stdio;
        let started = std::time::Instant::now();
        let mut child = Command::new(env!("CARGO_BIN_EXE_gloss"))
            .args(args)
            .current_dir(self.path())
            .env_remove("RUST_LOG")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("run gloss");
        let drain = |pipe: Option<Box<dyn std::io::Read + Send>>| {
            std::thread::spawn(move || {
                let mut bytes = Vec::new();
                if let Some(mut pipe) = pipe {
                    let _ = pipe.read_to_end(&mut bytes);
                }
                String::from_utf8_lossy(&bytes).into_owned()
            })
        };
        let stdout = drain(child.stdout.take().map(|p| Box::new(p) as Box<dyn std::io::Read + Send>));
        let stderr = drain(child.stderr.take().map(|p| Box::new(p) as Box<dyn std::io::Read + Send>));
        let pid = libc::pid_t::try_from(child.id()).expect("pid");
        let mut status = 0;
        // SAFETY: an all-zero `rusage` is a valid value of this plain C struct.
        let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
        // SAFETY: waits for our own child, which `child` never waits for afterwards; both
        // pointers are to live locals.
        let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
        assert_eq!(waited, pid, "wait4 failed");
        let elapsed = started.elapsed();
        let code = if libc::WIFEXITED(status) { libc::WEXITSTATUS(status) } else { -1 };
        let run = Run { status: code, stdout: stdout.join().expect("stdout"), stderr: stderr.join().expect("stderr") };
        // Linux reports ru_maxrss in kilobytes.
        let peak_rss = u64::try_from(usage.ru_maxrss).unwrap_or(0) * 1024;
        Measured { run, peak_rss, elapsed }
    }
}

impl From<Output> for Run {
    fn from(out: Output) -> Self {
        Self {
            status: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }
}

impl Run {
    /// Panics with the whole output unless the exit status is `code`.
    #[track_caller]
    pub fn expect_status(&self, code: i32) -> &Self {
        assert_eq!(
            self.status, code,
            "expected exit {code}, got {}\n--- stdout\n{}\n--- stderr\n{}",
            self.status, self.stdout, self.stderr
        );
        self
    }
}

/// Path of a file under `tests/fixtures`.
pub fn fixture_path(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(rel)
}

/// Path of a file in the repository.
pub fn repo_path(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

/// Characters `start..end` of `text`, counted in code points, as Python's `text[start:end]`.
pub fn py_slice(text: &str, start: usize, end: usize) -> String {
    text.chars().skip(start).take(end.saturating_sub(start)).collect()
}

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

impl Sandbox {
    /// Runs `gloss` with `args` in the folder like [`Sandbox::gloss`], but kills it and fails the
    /// test if it has not finished within `limit` (a run that blocks, on a named pipe say).
    #[track_caller]
    pub fn gloss_within(&self, args: &[&str], limit: std::time::Duration) -> Run {
        self.gloss_in_within(self.path(), args, limit)
    }

    /// [`Sandbox::gloss_within`], run in the folder `cwd` instead of the sandbox's own.
    #[track_caller]
    pub fn gloss_in_within(&self, cwd: &Path, args: &[&str], limit: std::time::Duration) -> Run {
        use std::process::Stdio;
        let started = std::time::Instant::now();
        let mut child = Command::new(env!("CARGO_BIN_EXE_gloss"))
            .args(args)
            .current_dir(cwd)
            .env_remove("RUST_LOG")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("run gloss");
        let stdout = drain(child.stdout.take().expect("stdout"));
        let stderr = drain(child.stderr.take().expect("stderr"));
        let status = loop {
            if let Some(status) = child.try_wait().expect("wait") {
                break status;
            }
            if started.elapsed() > limit {
                let _ = child.kill();
                let _ = child.wait();
                panic!("gloss {args:?} did not finish within {limit:?}: killed");
            }
            std::thread::sleep(std::time::Duration::from_millis(10));
        };
        Run {
            status: status.code().unwrap_or(-1),
            stdout: stdout.join().expect("stdout"),
            stderr: stderr.join().expect("stderr"),
        }
    }

    /// Makes a named pipe (FIFO) in the folder and returns its path. Nothing ever writes to it,
    /// so opening it for reading blocks for ever.
    #[cfg(unix)]
    pub fn fifo(&self, name: &str) -> PathBuf {
        let path = self.join(name);
        let made = Command::new("mkfifo").arg(&path).status().expect("run mkfifo");
        assert!(made.success(), "mkfifo {}", path.display());
        path
    }

    /// Imports `file` into `p.gloss.ron`, detected and as each of `formats`, and expects it refused
    /// as a special file of `kind` (a named pipe, a device) within `limit`: exit 2, the message,
    /// the project as `before`, no lock left behind.
    #[track_caller]
    pub fn expect_special_import_refused(
        &self,
        file: &str,
        kind: &str,
        formats: &[Option<&str>],
        before: &[u8],
        limit: std::time::Duration,
    ) {
        for format in formats {
            let mut args = vec!["import", "--into", "p.gloss.ron"];
            if let Some(format) = format {
                args.extend(["--format", format]);
            }
            args.push(file);
            let run = self.gloss_within(&args, limit);
            run.expect_status(2);
            let expected = format!("cannot read {file}: {kind}, not a file or a folder");
            assert!(run.stderr.contains(&expected), "{args:?}: {}", run.stderr);
            assert_eq!(std::fs::read(self.join("p.gloss.ron")).expect("project"), before, "{args:?}");
            assert!(!self.join("p.gloss.ron.lock").exists(), "{args:?}: lock left behind");
        }
    }

    /// Names of the staging folders (`*.export-tmp*`) left in `dir`, sorted: after an export, normally none.
    pub fn export_leftovers(dir: &Path) -> Vec<String> {
        std::fs::read_dir(dir)
            .expect("read dir")
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.contains(".export-tmp"))
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect()
    }
}

/// Reads a child's pipe to its end on a thread, so that the child never blocks on a full pipe.
fn drain(mut pipe: impl std::io::Read + Send + 'static) -> std::thread::JoinHandle<String> {
    std::thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = pipe.read_to_end(&mut bytes);
        String::from_utf8_lossy(&bytes).into_owned()
    })
}

/// One run of `gloss` measured: what it did, its peak resident memory and its wall time.
#[cfg(target_os = "linux")]
pub struct Measured {
    /// What the run did.
    pub run: Run,
    /// Peak resident set size of the child (`VmHWM`), in bytes.
    pub peak_rss: u64,
    /// Wall time from start to exit.
    pub elapsed: std::time::Duration,
}

#[cfg(target_os = "linux")]
impl Sandbox {
    /// Runs `gloss` with `args` in the folder like [`Sandbox::gloss`], and measures its peak
    /// memory: the kernel's high-water mark of its resident set (`VmHWM` in `/proc/PID/status`),
    /// read every 2 ms until it exits. The mark only grows, so the last reading misses at most
    /// what was touched in the last 2 ms. (`wait4`'s `ru_maxrss` would be exact but counts the
    /// test process's own memory, which the child inherits at `fork` before its `exec`.)
    pub fn gloss_measured(&self, args: &[&str]) -> Measured {
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
        let stdout = drain(child.stdout.take().expect("stdout"));
        let stderr = drain(child.stderr.take().expect("stderr"));
        let status_file = format!("/proc/{}/status", child.id());
        let mut peak_kb = 0u64;
        let status = loop {
            if let Ok(status) = std::fs::read_to_string(&status_file) {
                let hwm = status
                    .lines()
                    .find_map(|l| l.strip_prefix("VmHWM:"))
                    .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok());
                peak_kb = peak_kb.max(hwm.unwrap_or(0));
            }
            if let Some(status) = child.try_wait().expect("wait") {
                break status;
            }
            std::thread::sleep(std::time::Duration::from_millis(2));
        };
        let elapsed = started.elapsed();
        let run = Run {
            status: status.code().unwrap_or(-1),
            stdout: stdout.join().expect("stdout"),
            stderr: stderr.join().expect("stderr"),
        };
        Measured { run, peak_rss: peak_kb * 1024, elapsed }
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

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

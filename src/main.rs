//! The `gloss` binary: the desktop app, or a headless subcommand.

use std::process::ExitCode;

use clap::Parser as _;
use gloss::cli::{self, Cli};

fn main() -> ExitCode {
    let args = match Cli::try_parse() {
        Ok(args) => args,
        Err(err) => {
            // --help and --version print to stdout and succeed; usage errors exit 2.
            let _ = err.print();
            return ExitCode::from(if err.use_stderr() { 2 } else { 0 });
        }
    };
    match args.command {
        Some(command) => {
            quiet_on_closed_pipe();
            cli::run(command)
        }
        None => open_app(args),
    }
}

#[cfg(feature = "gui")]
fn open_app(args: Cli) -> ExitCode {
    let launch = gloss::gui::Launch { path: args.path, project: args.project };
    match gloss::gui::run(launch) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("gloss: error: {err}");
            ExitCode::from(2)
        }
    }
}

/// A subcommand whose output goes to a pipe closed early (`gloss stats p.ron | head`) ends as
/// other Unix tools do, by SIGPIPE, instead of panicking on the failed write. A project it writes
/// is not harmed: saves are atomic, and the lock of a process that died is recognised as stale.
fn quiet_on_closed_pipe() {
    #[cfg(unix)]
    // SAFETY: called once at start, before any thread exists; SIG_DFL is a valid disposition.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}

#[cfg(not(feature = "gui"))]
fn open_app(_args: Cli) -> ExitCode {
    eprintln!(
        "gloss: this build has no desktop app (built without the \"gui\" feature); \
         use a subcommand: import, export, validate, stats, agree, merge, merge-driver, split \
         (see gloss --help)"
    );
    ExitCode::from(2)
}

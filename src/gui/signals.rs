//! Termination signals (SIGTERM at logout, `kill`, SIGHUP when the terminal goes, Ctrl+C): the app
//! is woken, writes unsaved work to the recovery file, releases the project lock and closes,
//! instead of dying with the lock held and the last seconds of work lost.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// Set once a termination signal has arrived; the app checks it every frame.
#[derive(Clone, Debug, Default)]
pub struct Termination(Arc<AtomicBool>);

impl Termination {
    /// True once a termination signal has arrived.
    pub fn requested(&self) -> bool {
        self.0.load(Ordering::SeqCst)
    }

    /// Marks termination as requested (what a signal does; also for tests).
    pub fn request(&self) {
        self.0.store(true, Ordering::SeqCst);
    }
}

/// Listens for termination signals on a thread: the first sets `flag` and wakes the UI through
/// `ctx`; a second one, if the app has not closed by then, ends the process at once.
#[cfg(unix)]
pub fn watch(ctx: egui::Context, flag: Termination) {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGTERM, SIGHUP, SIGINT]) else {
        return; // No handler: the default action (end the process) stays, as before.
    };
    let spawned = std::thread::Builder::new().name("signals".to_owned()).spawn(move || {
        for signal in signals.forever() {
            if flag.requested() {
                std::process::exit(128 + signal);
            }
            flag.request();
            ctx.request_repaint();
        }
    });
    drop(spawned);
}

/// Signals are not watched on this platform.
#[cfg(not(unix))]
pub fn watch(_ctx: egui::Context, _flag: Termination) {}

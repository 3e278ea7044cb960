//! Turning documents into output on every core, written in document order.
//!
//! One thread reads documents (from a loaded project, or from the file one at a time), worker
//! threads render each into bytes, and the calling thread writes the results strictly in document
//! order, so that the output is the same bytes whatever the number of threads or their timing.
//! Documents in flight are bounded (in number and in text bytes), so memory stays near one
//! document per worker plus a small queue, however large the project.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::sync::{Condvar, Mutex};

/// At most this many documents are read ahead of the writer.
const MAX_IN_FLIGHT: usize = 32;

/// At most this many bytes of document text are read ahead of the writer (unless one document
/// alone is larger: then it goes through by itself).
const MAX_IN_FLIGHT_BYTES: usize = 8 << 20;

/// Rendering threads: the cores there are, up to 4 (the writer and the reader need some too).
fn workers() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, 4)
}

/// Reads items from `source`, renders each with `render` on worker threads, and calls `write` with
/// each item and its rendering in source order, on the calling thread. `weight` is an item's size
/// in bytes, for the bound on what is read ahead. Stops at the first error of `source` or `write`
/// and returns it (a `source` error wins: it explains why the output stopped).
pub(crate) fn run_ordered<D, R, E>(
    source: impl Iterator<Item = Result<D, E>> + Send,
    weight: impl Fn(&D) -> usize + Sync,
    render: impl Fn(&D) -> R + Sync,
    mut write: impl FnMut(D, R) -> Result<(), E>,
) -> Result<(), E>
where
    D: Send,
    R: Send,
    E: Send,
{
    let budget = Budget { state: Mutex::new((0, 0)), freed: Condvar::new(), stop: AtomicBool::new(false) };
    let (work_tx, work_rx) = mpsc::sync_channel::<(usize, D, usize)>(MAX_IN_FLIGHT);
    let work_rx = Mutex::new(work_rx);
    let (done_tx, done_rx) = mpsc::channel::<(usize, D, usize, R)>();
    std::thread::scope(|scope| {
        let budget = &budget;
        let weight = &weight;
        let reader = scope.spawn(move || -> Result<(), E> {
            for (seq, item) in source.enumerate() {
                let item = item?;
                let size = weight(&item);
                if !budget.take(size) || work_tx.send((seq, item, size)).is_err() {
                    break;
                }
            }
            Ok(())
        });
        let work_rx = &work_rx;
        let render = &render;
        for _ in 0..workers() {
            let done_tx = done_tx.clone();
            scope.spawn(move || {
                loop {
                    // The lock is held only to take the next item, not while rendering it.
                    let next = match work_rx.lock() {
                        Ok(rx) => rx.recv(),
                        Err(_) => return,
                    };
                    let Ok((seq, item, size)) = next else { return };
                    let rendered = render(&item);
                    if done_tx.send((seq, item, size, rendered)).is_err() {
                        return;
                    }
                }
            });
        }
        drop(done_tx);
        let mut waiting = BTreeMap::new();
        let mut next = 0usize;
        let mut written = Ok(());
        for (seq, item, size, rendered) in done_rx.iter() {
            waiting.insert(seq, (item, size, rendered));
            while let Some((item, size, rendered)) = waiting.remove(&next) {
                next += 1;
                written = write(item, rendered);
                budget.give_back(size);
                if written.is_err() {
                    break;
                }
            }
            if written.is_err() {
                break;
            }
        }
        // Whether finished or failed, nothing more is read; a blocked reader is woken to see it.
        budget.stop();
        drop(done_rx);
        let read = match reader.join() {
            Ok(read) => read,
            Err(panic) => std::panic::resume_unwind(panic),
        };
        read.and(written)
    })
}

/// What is read ahead of the writer: documents and bytes, and whether to stop reading.
struct Budget {
    state: Mutex<(usize, usize)>,
    freed: Condvar,
    stop: AtomicBool,
}

impl Budget {
    /// Waits until an item of `size` bytes may be read ahead; false when reading must stop.
    fn take(&self, size: usize) -> bool {
        let Ok(mut state) = self.state.lock() else { return false };
        loop {
            if self.stop.load(Ordering::Acquire) {
                return false;
            }
            let (count, bytes) = *state;
            if count == 0 || (count < MAX_IN_FLIGHT && bytes + size <= MAX_IN_FLIGHT_BYTES) {
                *state = (count + 1, bytes + size);
                return true;
            }
            state = match self.freed.wait(state) {
                Ok(state) => state,
                Err(_) => return false,
            };
        }
    }

    /// An item of `size` bytes was written.
    fn give_back(&self, size: usize) {
        if let Ok(mut state) = self.state.lock() {
            state.0 = state.0.saturating_sub(1);
            state.1 = state.1.saturating_sub(size);
        }
        self.freed.notify_one();
    }

    fn stop(&self) {
        self.stop.store(true, Ordering::Release);
        // Taking the lock orders the flag before a waiting reader re-checks it.
        drop(self.state.lock());
        self.freed.notify_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_come_back_in_order_whatever_the_timing() {
        let items = (0..500u64).map(Ok::<_, String>);
        let mut seen = Vec::new();
        run_ordered(
            items,
            |&n| n as usize * 100_000,
            |&n| {
                // Uneven work so that workers finish out of order.
                std::thread::sleep(std::time::Duration::from_micros((n * 7919) % 300));
                n * 2
            },
            |n, doubled| {
                seen.push((n, doubled));
                Ok(())
            },
        )
        .unwrap();
        assert_eq!(seen, (0..500).map(|n| (n, n * 2)).collect::<Vec<_>>());
    }

    #[test]
    fn a_source_error_stops_and_is_returned() {
        let items = (0..100u64).map(|n| if n == 40 { Err(format!("bad {n}")) } else { Ok(n) });
        let mut seen = Vec::new();
        let result = run_ordered(
            items,
            |_| 1,
            |&n| n,
            |n, _| {
                seen.push(n);
                Ok::<_, String>(())
            },
        );
        assert_eq!(result, Err("bad 40".to_owned()));
        assert_eq!(seen, (0..40).collect::<Vec<_>>());
    }

    #[test]
    fn a_write_error_stops_reading() {
        let read = std::sync::atomic::AtomicUsize::new(0);
        let items = (0..100_000u64).map(|n| {
            read.fetch_add(1, Ordering::Relaxed);
            Ok(n)
        });
        let result = run_ordered(items, |_| 1, |&n| n, |n, _| if n == 10 { Err("disk full") } else { Ok(()) });
        assert_eq!(result, Err("disk full"));
        assert!(read.load(Ordering::Relaxed) < 1000, "the reader went on: {}", read.load(Ordering::Relaxed));
    }
}

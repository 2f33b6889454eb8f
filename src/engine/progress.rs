//! Progress of a replay on stderr: a bar with bytes, percentage, rate and time left when the size
//! of the input is known (files read in chunks), a spinner with the count of conversations
//! otherwise; or, for a CI log (`--progress always` where stderr is not a terminal), a plain line
//! every few seconds and one at the end.
//!
//! The run paths report what they have done (conversations finished, bytes handed to workers) and
//! what happens to the run (reading the input again), and [`Progress`] shows it at once: a note
//! goes above the bar when it happens, not only in the summary at the end.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::logs::accounting::thousands;

/// How progress is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Off,
    /// A bar or spinner redrawn in place (stderr is a terminal).
    Terminal,
    /// A plain line now and then (stderr is a file or a pipe, as in CI logs).
    Plain,
}

/// How often a plain progress line is written.
const PLAIN_EVERY: Duration = Duration::from_secs(5);

struct Counts {
    conversations: AtomicU64,
    bytes: AtomicU64,
    /// The bytes of the input when known.
    total: Option<u64>,
    started: Instant,
}

impl Counts {
    /// `12,345 conversations, 40.0 MB of 100.0 MB (40 %), 8.0 MB/s, about 8 s left`.
    fn line(&self) -> String {
        let n = self.conversations.load(Ordering::Relaxed);
        let conversations = if n == 1 {
            "conversation"
        } else {
            "conversations"
        };
        let mut s = format!("{} {conversations}", thousands(n));
        let secs = self.started.elapsed().as_secs_f64();
        let bytes = self.bytes.load(Ordering::Relaxed);
        match self.total {
            Some(total) if total > 0 => {
                let done = bytes.min(total);
                let rate = done as f64 / secs.max(1e-3);
                s.push_str(&format!(
                    ", {} of {} ({} %), {}/s",
                    size(done),
                    size(total),
                    done * 100 / total,
                    size(rate as u64)
                ));
                if rate > 0.0 && done < total {
                    s.push_str(&format!(
                        ", about {:.0} s left",
                        (total - done) as f64 / rate
                    ));
                }
            }
            _ => s.push_str(&format!(", {secs:.0} s")),
        }
        s
    }
}

/// Bytes for people: `512 B`, `40.0 KB`, `1.2 GB` (powers of 1,000, as disks are sold).
fn size(b: u64) -> String {
    let units = ["B", "KB", "MB", "GB", "TB"];
    let mut v = b as f64;
    let mut u = 0;
    while v >= 1000.0 && u + 1 < units.len() {
        v /= 1000.0;
        u += 1;
    }
    if u == 0 {
        format!("{b} B")
    } else {
        format!("{v:.1} {}", units[u])
    }
}

/// The progress of one run; cheap to update from every worker.
pub struct Progress {
    counts: Arc<Counts>,
    bar: Option<indicatif::ProgressBar>,
    plain: Option<Plain>,
}

/// The thread that writes a plain line every few seconds.
struct Plain {
    stop: Arc<AtomicBool>,
    thread: Mutex<Option<std::thread::JoinHandle<()>>>,
}

impl Progress {
    /// Starts showing progress, or `None` when `mode` is off. `total` is the input's size in
    /// bytes when the run will report bytes (files read in chunks).
    pub fn start(mode: Mode, total: Option<u64>) -> Option<Progress> {
        let counts = Arc::new(Counts {
            conversations: AtomicU64::new(0),
            bytes: AtomicU64::new(0),
            total,
            started: Instant::now(),
        });
        match mode {
            Mode::Off => None,
            Mode::Terminal => Some(Progress {
                bar: Some(bar(total)),
                counts,
                plain: None,
            }),
            Mode::Plain => {
                let stop = Arc::new(AtomicBool::new(false));
                let (c, s) = (Arc::clone(&counts), Arc::clone(&stop));
                let thread = std::thread::spawn(move || {
                    loop {
                        std::thread::park_timeout(PLAIN_EVERY);
                        if s.load(Ordering::Relaxed) {
                            break;
                        }
                        crate::output::note(&format!("progress: {}\n", c.line()));
                    }
                });
                Some(Progress {
                    counts,
                    bar: None,
                    plain: Some(Plain {
                        stop,
                        thread: Mutex::new(Some(thread)),
                    }),
                })
            }
        }
    }

    /// How many conversations are finished so far.
    pub fn conversations(&self, n: u64) {
        self.counts.conversations.store(n, Ordering::Relaxed);
        self.redraw();
    }

    /// One more conversation (or file) finished.
    pub fn add_conversations(&self, n: u64) {
        self.counts.conversations.fetch_add(n, Ordering::Relaxed);
        self.redraw();
    }

    /// `n` more bytes of the input handed on to be replayed.
    pub fn add_bytes(&self, n: u64) {
        self.counts.bytes.fetch_add(n, Ordering::Relaxed);
        if let Some(b) = &self.bar {
            b.set_position(self.counts.bytes.load(Ordering::Relaxed));
        }
    }

    /// Shows `text` now, above the bar (or as its own line).
    pub fn note(&self, text: &str) {
        match &self.bar {
            Some(b) => b.println(format!("note: {text}")),
            None => crate::output::note(&format!("note: {text}\n")),
        }
    }

    /// The run reads its input again from the start: the counts start again at zero.
    pub fn restart(&self, why: &str) {
        self.counts.conversations.store(0, Ordering::Relaxed);
        self.counts.bytes.store(0, Ordering::Relaxed);
        self.note(why);
        if let Some(b) = &self.bar {
            b.set_position(0);
        }
        self.redraw();
    }

    fn redraw(&self) {
        if let Some(b) = &self.bar {
            let n = self.counts.conversations.load(Ordering::Relaxed);
            b.set_message(format!("{} conversations", thousands(n)));
        }
    }

    /// Ends the display: the bar is cleared; a plain display writes its last line.
    pub fn finish(&self) {
        if let Some(b) = &self.bar {
            b.finish_and_clear();
        }
        if let Some(p) = &self.plain {
            p.stop.store(true, Ordering::Relaxed);
            let handle = p.thread.lock().ok().and_then(|mut h| h.take());
            if let Some(h) = handle {
                h.thread().unpark();
                let _ = h.join();
                crate::output::note(&format!("progress: done, {}\n", self.counts.line()));
            }
        }
    }
}

fn bar(total: Option<u64>) -> indicatif::ProgressBar {
    let (p, template) = match total {
        Some(t) => (
            indicatif::ProgressBar::new(t),
            "{spinner} replaying {bytes}/{total_bytes} ({percent} %) {bytes_per_sec}, {eta} left · {msg}",
        ),
        None => (
            indicatif::ProgressBar::new_spinner(),
            "{spinner} replaying: {msg}, {elapsed}",
        ),
    };
    p.set_draw_target(indicatif::ProgressDrawTarget::stderr());
    p.set_style(
        indicatif::ProgressStyle::with_template(template)
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
    );
    p.set_message("0 conversations");
    p.enable_steady_tick(Duration::from_millis(120));
    p
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_with_a_known_size_has_percentage_rate_and_time_left() {
        let c = Counts {
            conversations: AtomicU64::new(1234),
            bytes: AtomicU64::new(40_000_000),
            total: Some(100_000_000),
            started: Instant::now() - Duration::from_secs(5),
        };
        let line = c.line();
        assert!(
            line.starts_with("1,234 conversations, 40.0 MB of 100.0 MB (40 %), "),
            "{line}"
        );
        assert!(line.contains("MB/s, about "), "{line}");
        let unknown = Counts { total: None, ..c };
        assert!(unknown.line().ends_with(" s"), "{}", unknown.line());
        assert_eq!(size(999), "999 B");
        assert_eq!(size(1_200_000_000), "1.2 GB");
    }
}

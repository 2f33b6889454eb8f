//! The directory a run's spill files live in, and its removal on every way the run can end.
//!
//! The directory is a `tempfile::TempDir`: an error returned, a report written to a closed pipe or
//! a normal end drops it, and dropping removes it with everything in it. A signal (Ctrl-C's
//! SIGINT, or SIGTERM) would end the process without running destructors, so while a spill
//! directory exists the signals are caught: the handler only raises a flag (nothing else is
//! async-signal-safe), and a watcher thread that sees the flag removes every live spill directory
//! and ends the process with status 130, as a shell reports an interrupted command. The live
//! directories are the one piece of process-wide state in handoff: a signal reaches the process,
//! not a run, so what it must clean up cannot be passed to it as an argument.

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

/// The spill directories that exist now.
static LIVE: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());
/// Set by the signal handler.
static SIGNALLED: AtomicBool = AtomicBool::new(false);
static WATCH: std::sync::Once = std::sync::Once::new();

/// The exit status of a run ended by a signal (128 + SIGINT).
pub const INTERRUPTED: i32 = 130;

/// A temporary directory under `parent`, removed when dropped or when the process is signalled.
pub struct SpillDir {
    dir: tempfile::TempDir,
}

impl SpillDir {
    pub fn new(parent: &Path) -> std::io::Result<SpillDir> {
        // Signals are caught before the directory exists, so that none can end the process
        // between the two without the cleanup.
        watch();
        let dir = tempfile::Builder::new()
            .prefix("handoff-spill-")
            .tempdir_in(parent)?;
        if let Ok(mut live) = LIVE.lock() {
            live.push(dir.path().to_path_buf());
        }
        Ok(SpillDir { dir })
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }
}

impl Drop for SpillDir {
    fn drop(&mut self) {
        if let Ok(mut live) = LIVE.lock() {
            live.retain(|p| p != self.dir.path());
        }
        // The TempDir field is dropped next, which removes the directory.
    }
}

/// Catches SIGINT and SIGTERM from now on (once per process).
fn watch() {
    WATCH.call_once(|| {
        install();
        let spawned = std::thread::Builder::new()
            .name("spill-cleanup".into())
            .spawn(|| {
                // Polling keeps the handler down to one atomic store; a twentieth of a second is
                // soon enough for a person pressing Ctrl-C, and costs nothing measurable.
                while !SIGNALLED.load(Ordering::Relaxed) {
                    std::thread::sleep(std::time::Duration::from_millis(50));
                }
                if let Ok(live) = LIVE.lock() {
                    for dir in live.iter() {
                        let _ = std::fs::remove_dir_all(dir);
                    }
                }
                std::process::exit(INTERRUPTED);
            });
        // Without the watcher a signal would still end the process (the handler is not
        // installed then), only leaving the files behind.
        if spawned.is_err() {
            uninstall();
        }
    });
}

#[cfg(unix)]
extern "C" fn on_signal(_: libc::c_int) {
    SIGNALLED.store(true, Ordering::Relaxed);
}

#[cfg(unix)]
fn install() {
    for sig in [libc::SIGINT, libc::SIGTERM] {
        // SAFETY: `on_signal` is an `extern "C" fn(c_int)` that only stores to an atomic, which
        // is async-signal-safe; `signal` is given a valid signal number.
        unsafe {
            libc::signal(sig, on_signal as *const () as libc::sighandler_t);
        }
    }
}

#[cfg(unix)]
fn uninstall() {
    for sig in [libc::SIGINT, libc::SIGTERM] {
        // SAFETY: restores the default disposition of a valid signal number.
        unsafe {
            libc::signal(sig, libc::SIG_DFL);
        }
    }
}

#[cfg(not(unix))]
fn install() {}

#[cfg(not(unix))]
fn uninstall() {}

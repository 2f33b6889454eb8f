//! Where reports go: stdout, or a file named with `--output` (and `--outcomes`).
//!
//! `-` and no path both mean stdout; a file is written as [`file`] describes (atomically, or
//! through when it is not a regular file), and [`guard`] refuses an output that names one of the
//! command's inputs before anything is read. A closed stdout pipe (`handoff lint | head`) is not
//! an error.

pub mod file;
pub mod guard;

use std::io::Write;
use std::path::Path;

pub use file::OutputError;
pub use guard::refuse_inputs;

/// Whether an output option means standard output: not given, or `-`.
pub fn is_stdout(path: Option<&Path>) -> bool {
    path.is_none_or(|p| p.as_os_str() == "-")
}

/// Streams output produced by `write` to `path`, or to stdout when `path` is `None` or `-`.
/// For reports too large to hold in memory (`handoff convert` of a gigabyte of logs).
pub fn stream(
    path: Option<&Path>,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), OutputError> {
    match path {
        Some(p) if !is_stdout(Some(p)) => file::write(p, write),
        _ => {
            let mut out = std::io::BufWriter::with_capacity(256 * 1024, std::io::stdout().lock());
            match write(&mut out).and_then(|()| out.flush()) {
                Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(OutputError::Io {
                    path: "standard output".into(),
                    source: e,
                }),
                _ => Ok(()),
            }
        }
    }
}

/// Writes `text` to `path`, or to stdout when `path` is `None` or `-`.
pub fn emit(path: Option<&Path>, text: &str) -> Result<(), OutputError> {
    stream(path, |out| out.write_all(text.as_bytes()))
}

/// Whether to colour output written to stdout: `forced` is `--color always` (`Some(true)`) or
/// `never` (`Some(false)`); otherwise colour when stdout is a terminal, the output is not a file,
/// and `NO_COLOR` is unset or empty.
pub fn use_color(forced: Option<bool>, to_file: bool) -> bool {
    use std::io::IsTerminal;
    forced.unwrap_or_else(|| {
        !to_file
            && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
            && std::io::stdout().is_terminal()
    })
}

/// Whether to colour diagnostics written to stderr: as [`use_color`], for stderr's terminal.
pub fn use_color_on_stderr(forced: Option<bool>) -> bool {
    use std::io::IsTerminal;
    forced.unwrap_or_else(|| {
        std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && std::io::stderr().is_terminal()
    })
}

/// Writes diagnostics to stderr. A closed stderr is ignored: `eprint!` would panic on it, and a
/// report that reached stdout must not turn into a crash because nobody reads the notes.
pub fn note(text: &str) {
    let mut err = std::io::stderr().lock();
    let _ = err.write_all(text.as_bytes());
    let _ = err.flush();
}

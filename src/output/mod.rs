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

/// Whether to colour output written to stdout.
pub fn use_color(choice: crate::cli::ColorChoice, to_file: bool) -> bool {
    use std::io::IsTerminal;
    match choice {
        crate::cli::ColorChoice::Always => true,
        crate::cli::ColorChoice::Never => false,
        crate::cli::ColorChoice::Auto => {
            !to_file
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::io::stdout().is_terminal()
        }
    }
}

/// A text cell as a spreadsheet will not run it: a leading `=`, `+`, `-`, `@`, tab or CR would
/// start a formula, so such cells get a leading `'` (the spreadsheet convention for "text").
/// handoff's CSV importer drops that apostrophe again, so its own CSV reads back unchanged.
pub fn csv_text(s: &str) -> std::borrow::Cow<'_, str> {
    match s.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{s}").into(),
        _ => s.into(),
    }
}

/// The inverse of [`csv_text`] for cells read from CSV.
pub fn csv_untext(s: &str) -> &str {
    match s.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest,
        _ => s,
    }
}

/// Writes diagnostics to stderr. A closed stderr is ignored: `eprint!` would panic on it, and a
/// report that reached stdout must not turn into a crash because nobody reads the notes.
pub fn note(text: &str) {
    let mut err = std::io::stderr().lock();
    let _ = err.write_all(text.as_bytes());
    let _ = err.flush();
}

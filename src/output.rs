//! Where reports go: stdout, or a file written atomically.
//!
//! `--output FILE` writes a temporary file in the same directory and renames it into place, so a
//! reader (a CI step, a dashboard) never sees half a report, and a failed run leaves the previous
//! report intact. A closed stdout pipe (`handoff lint | head`) is not an error.

use std::io::Write;
use std::path::Path;

use crate::error::Error;

/// Streams output produced by `write` to `path` atomically, or to stdout when `path` is `None`.
/// For reports too large to hold in memory (`handoff convert` of a gigabyte of logs).
pub fn stream(
    path: Option<&Path>,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), Error> {
    match path {
        None => {
            let mut out = std::io::BufWriter::with_capacity(256 * 1024, std::io::stdout().lock());
            match write(&mut out).and_then(|()| out.flush()) {
                Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(Error::Write {
                    path: "standard output".into(),
                    source: e,
                }),
                _ => Ok(()),
            }
        }
        Some(p) => {
            let err = |source| Error::Write {
                path: p.display().to_string(),
                source,
            };
            let dir = match p.parent() {
                Some(d) if !d.as_os_str().is_empty() => d,
                _ => Path::new("."),
            };
            let tmp = tempfile::Builder::new()
                .prefix(".handoff-")
                .tempfile_in(dir)
                .map_err(err)?;
            let mut out = std::io::BufWriter::with_capacity(256 * 1024, tmp);
            write(&mut out).and_then(|()| out.flush()).map_err(err)?;
            let tmp = out.into_inner().map_err(|e| err(e.into_error()))?;
            tmp.as_file().sync_all().map_err(err)?;
            tmp.persist(p).map_err(|e| err(e.error))?;
            Ok(())
        }
    }
}

/// Writes `text` to `path` atomically, or to stdout when `path` is `None`.
pub fn emit(path: Option<&Path>, text: &str) -> Result<(), Error> {
    match path {
        Some(p) => write_atomic(p, text.as_bytes()),
        None => {
            let mut out = std::io::stdout().lock();
            match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
                Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(Error::Write {
                    path: "standard output".into(),
                    source: e,
                }),
                _ => Ok(()),
            }
        }
    }
}

pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    let err = |source| Error::Write {
        path: path.display().to_string(),
        source,
    };
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let mut tmp = tempfile::Builder::new()
        .prefix(".handoff-")
        .tempfile_in(dir)
        .map_err(err)?;
    tmp.write_all(bytes).map_err(err)?;
    tmp.as_file().sync_all().map_err(err)?;
    tmp.persist(path).map_err(|e| err(e.error))?;
    Ok(())
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

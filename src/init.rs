//! The starter project of `handoff init [DIR]` (SPEC section 1): a matrix that lints clean and
//! follows the seeds' patterns, a `handoff.toml` that names it, expectation cases that pass and a
//! small sample log that replays.
//!
//! The files are kept beside this module (`init/`) and compiled in, so what `init` writes is
//! what the integration tests lint, test and replay. Writing never overwrites: a file that is
//! already there is left alone and named, and the other files are still written, so running
//! `init` again in a project fills in what is missing.

use std::path::{Path, PathBuf};

/// The starter matrix, written to `rules/support.yaml`.
pub const MATRIX: &str = include_str!("init/matrix.yaml");

/// Every file of the starter project: its path inside DIR and its text.
pub const FILES: [(&str, &str); 4] = [
    ("handoff.toml", include_str!("init/handoff.toml")),
    ("rules/support.yaml", MATRIX),
    ("tests/cases/support.yaml", include_str!("init/cases.yaml")),
    ("logs/sample.jsonl", include_str!("init/sample.jsonl")),
];

/// What one run of `init` did.
#[derive(Debug, Default)]
pub struct Written {
    /// Files written, as paths under DIR.
    pub written: Vec<PathBuf>,
    /// Files that were already there and were left as they are.
    pub kept: Vec<PathBuf>,
}

/// A file `init` could not write.
#[derive(Debug, thiserror::Error)]
#[error("cannot write {path}: {source}")]
pub struct InitError {
    pub path: String,
    #[source]
    pub source: std::io::Error,
}

/// Writes the starter project into `dir` (created if missing), never replacing a file.
pub fn write(dir: &Path) -> Result<Written, InitError> {
    let mut done = Written::default();
    for (rel, text) in FILES {
        let path = dir.join(rel);
        let fail = |source| InitError {
            path: path.display().to_string(),
            source,
        };
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(fail)?;
        }
        // `create_new` makes "is it there?" and "write it" one step: no file is replaced even
        // when another program creates it meanwhile.
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
        {
            Ok(mut f) => {
                std::io::Write::write_all(&mut f, text.as_bytes()).map_err(fail)?;
                done.written.push(PathBuf::from(rel));
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                done.kept.push(PathBuf::from(rel));
            }
            Err(e) => return Err(fail(e)),
        }
    }
    Ok(done)
}

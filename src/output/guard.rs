//! Refusing an output path that is one of the command's own inputs (SPEC section 1).
//!
//! `handoff convert x.jsonl -o x.jsonl` would read the log and then rename the converted records
//! over it: the export would be gone. Every command that writes a file checks its outputs against
//! the files it is about to read (matrices, `handoff.toml`, case files, every log file a folder
//! expands to) before it reads any of them, and stops with exit 2. Files are compared by identity
//! (device and inode), so a symbolic link or another spelling of the same path is caught too.

use std::path::{Path, PathBuf};

use super::OutputError;

/// Fails when an output names the same file as an input, or as another output. Outputs that are
/// stdout (`None`, `-`) or do not exist yet cannot be inputs and are not checked.
pub fn refuse_inputs(outputs: &[Option<&Path>], inputs: &[PathBuf]) -> Result<(), OutputError> {
    let files: Vec<&Path> = outputs
        .iter()
        .flatten()
        .copied()
        .filter(|p| !super::is_stdout(Some(p)))
        .collect();
    for (i, out) in files.iter().enumerate() {
        if let Some(first) = files[..i].iter().find(|f| same_target(f, out)) {
            return Err(OutputError::Twice {
                first: first.display().to_string(),
                second: out.display().to_string(),
            });
        }
        let Some(id) = Identity::of(out) else {
            continue;
        };
        if let Some(input) = inputs
            .iter()
            .find(|p| Identity::of(p).as_ref() == Some(&id))
        {
            return Err(OutputError::IsInput {
                output: out.display().to_string(),
                input: input.display().to_string(),
            });
        }
    }
    Ok(())
}

/// Whether two output paths would write the same file, whether or not it exists yet.
fn same_target(a: &Path, b: &Path) -> bool {
    match (Identity::of(a), Identity::of(b)) {
        (Some(x), Some(y)) => x == y,
        _ => {
            let place = |p: &Path| {
                let folder = p.parent().filter(|d| !d.as_os_str().is_empty());
                let folder = std::fs::canonicalize(folder.unwrap_or(Path::new("."))).ok()?;
                Some(folder.join(p.file_name()?))
            };
            a == b || place(a).is_some_and(|x| Some(x) == place(b))
        }
    }
}

/// Which file a path leads to, links followed.
#[derive(Debug, PartialEq, Eq)]
struct Identity {
    #[cfg(unix)]
    dev_ino: (u64, u64),
    #[cfg(not(unix))]
    canonical: PathBuf,
}

impl Identity {
    /// The identity of a regular file; `None` for anything else or a path that does not exist
    /// (a device such as `/dev/null` may be named as both input and output without harm).
    fn of(path: &Path) -> Option<Identity> {
        let meta = std::fs::metadata(path).ok().filter(|m| m.is_file())?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            let _ = path;
            Some(Identity {
                dev_ino: (meta.dev(), meta.ino()),
            })
        }
        #[cfg(not(unix))]
        {
            let _ = meta;
            Some(Identity {
                canonical: std::fs::canonicalize(path).ok()?,
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_file_by_another_name_is_refused() {
        let dir = tempfile::tempdir().expect("dir");
        let log = dir.path().join("a.jsonl");
        std::fs::write(&log, "{}\n").expect("write");
        let other = dir.path().join(".").join("a.jsonl");
        let e = refuse_inputs(&[Some(&other)], std::slice::from_ref(&log)).expect_err("same");
        assert!(matches!(e, OutputError::IsInput { .. }), "{e}");
        let fresh = dir.path().join("b.json");
        refuse_inputs(&[Some(&fresh), None], std::slice::from_ref(&log))
            .expect("a new file is no input");
        let again = dir.path().join(".").join("b.json");
        let e = refuse_inputs(&[Some(&fresh), Some(&again)], &[]).expect_err("twice");
        assert!(matches!(e, OutputError::Twice { .. }), "{e}");
        std::fs::write(&fresh, "").expect("write");
        let e = refuse_inputs(&[Some(&fresh), Some(&again)], &[]).expect_err("twice");
        assert!(matches!(e, OutputError::Twice { .. }), "{e}");
    }
}

//! Writing an output file the way a user expects `>` to, without ever destroying what handoff did
//! not create (SPEC section 1, `--output`).
//!
//! - A regular file (or a path that does not exist yet) is replaced atomically: the output goes to
//!   a temporary file in the same directory, which is synced and renamed into place, so a reader
//!   never sees half a report and a failed run leaves the old file as it was. A new file gets the
//!   permissions `>` gives under the umask; a replaced one keeps its mode (and, where the process
//!   may, its owner).
//! - Anything else — a character device such as `/dev/null`, a FIFO, a socket, and every path
//!   under `/dev` or `/proc` (`/dev/stdout` is a link to whatever stdout is) — is written through,
//!   never replaced: renaming a file over `/dev/null` would break the machine.
//! - A symbolic link is followed and its target replaced; the link stays a link.
//!
//! Errors name the path the user gave, never the temporary file, and say what to do.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// What an output path names, after following symbolic links.
#[derive(Debug)]
enum Dest {
    /// A regular file, or nothing yet: replaced atomically. `existing` is the file's metadata.
    Replace {
        target: PathBuf,
        existing: Option<fs::Metadata>,
    },
    /// Not a regular file: opened and written in place.
    Through,
}

/// Why an output file could not be written. Every message names the path as the user gave it.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    #[error(
        "{path}: ends with `/`, which names a folder; give a file name, such as {path}report.txt"
    )]
    TrailingSlash { path: String },
    #[error("{path}: is a directory; give a file name inside it, such as {path}/report.txt")]
    IsDirectory { path: String },
    #[error("{path}: the folder {folder} does not exist; create it first, or choose another path")]
    NoFolder { path: String, folder: String },
    #[error(
        "{path}: symbolic links go round in a loop, or more than {max} deep; point it at a file"
    )]
    LinkLoop { path: String, max: usize },
    #[error(
        "{path}: the file is read-only for this user; change its permissions, or choose another path"
    )]
    ReadOnly { path: String },
    #[error(
        "{path}: cannot create a file in {folder} ({source}); choose a folder you can write to"
    )]
    Folder {
        path: String,
        folder: String,
        #[source]
        source: io::Error,
    },
    #[error(
        "{output} is also an input of this run{}; writing there would destroy it: choose another output path",
        if input == output { String::new() } else { format!(" (as {input})") }
    )]
    IsInput { output: String, input: String },
    #[error("{first} and {second} name the same file; give each output a path of its own")]
    Twice { first: String, second: String },
    #[error("cannot write {path}: {source}")]
    Io {
        path: String,
        #[source]
        source: io::Error,
    },
}

/// How many symbolic links are followed before a path counts as a loop (Linux's own limit).
const MAX_LINKS: usize = 40;

/// Writes what `write` produces to `path` as described in the module header.
pub fn write(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<(), OutputError> {
    let shown = path.display().to_string();
    let io_err = |source: io::Error| OutputError::Io {
        path: shown.clone(),
        source: plain(source),
    };
    match resolve(path, &shown)? {
        Dest::Through => {
            let file = OpenOptions::new().append(true).open(path).map_err(io_err)?;
            let mut out = io::BufWriter::with_capacity(256 * 1024, file);
            write(&mut out).and_then(|()| out.flush()).map_err(io_err)
        }
        Dest::Replace { target, existing } => replace(&target, existing, &shown, write),
    }
}

/// Follows `path`'s links and says what it names; refuses what cannot be written as a file.
fn resolve(path: &Path, shown: &str) -> Result<Dest, OutputError> {
    let text = path.as_os_str().to_string_lossy();
    if text.ends_with('/') {
        return Err(OutputError::TrailingSlash { path: shown.into() });
    }
    let mut at = path.to_path_buf();
    for _ in 0..MAX_LINKS {
        // `/dev/stdout`, `/dev/fd/1` and `/proc/self/fd/1` are links to whatever the descriptor
        // is (a pipe has no path at all): names there are written through what they lead to, and
        // nothing is ever created or renamed among them.
        if at.starts_with("/dev") || at.starts_with("/proc") {
            return match fs::metadata(path) {
                Ok(m) if m.is_dir() => Err(OutputError::IsDirectory { path: shown.into() }),
                _ => Ok(Dest::Through),
            };
        }
        let meta = match fs::symlink_metadata(&at) {
            Ok(m) => m,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return missing(at, shown),
            Err(e) => {
                return Err(OutputError::Io {
                    path: shown.into(),
                    source: plain(e),
                });
            }
        };
        let kind = meta.file_type();
        if kind.is_symlink() {
            at = follow(&at).map_err(|source| OutputError::Io {
                path: shown.into(),
                source: plain(source),
            })?;
        } else if kind.is_dir() {
            return Err(OutputError::IsDirectory { path: shown.into() });
        } else if kind.is_file() {
            return Ok(Dest::Replace {
                target: at,
                existing: Some(meta),
            });
        } else {
            return Ok(Dest::Through);
        }
    }
    Err(OutputError::LinkLoop {
        path: shown.into(),
        max: MAX_LINKS,
    })
}

/// The path a symbolic link points to, relative targets taken from the link's folder.
fn follow(link: &Path) -> io::Result<PathBuf> {
    let to = fs::read_link(link)?;
    Ok(match link.parent() {
        Some(dir) if to.is_relative() => dir.join(to),
        _ => to,
    })
}

/// A path that does not exist yet: created, if its folder exists.
fn missing(target: PathBuf, shown: &str) -> Result<Dest, OutputError> {
    let folder = folder_of(&target);
    if !folder.is_dir() {
        return Err(OutputError::NoFolder {
            path: shown.into(),
            folder: folder.display().to_string(),
        });
    }
    Ok(Dest::Replace {
        target,
        existing: None,
    })
}

/// The folder a file is in; `.` for a bare file name.
fn folder_of(path: &Path) -> &Path {
    match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    }
}

/// Writes a temporary file beside `target` and renames it over `target`.
fn replace(
    target: &Path,
    existing: Option<fs::Metadata>,
    shown: &str,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<(), OutputError> {
    let io_err = |source: io::Error| OutputError::Io {
        path: shown.into(),
        source: plain(source),
    };
    if existing.is_some() {
        // `>` would refuse a file this user may not write; renaming over it would not notice.
        if let Err(e) = OpenOptions::new().write(true).open(target) {
            return Err(match e.kind() {
                io::ErrorKind::PermissionDenied => OutputError::ReadOnly { path: shown.into() },
                _ => io_err(e),
            });
        }
    }
    let folder = folder_of(target);
    let tmp = temporary(folder).map_err(|source| OutputError::Folder {
        path: shown.into(),
        folder: folder.display().to_string(),
        source: plain(source),
    })?;
    if let Some(old) = &existing {
        keep_mode(tmp.as_file(), old).map_err(io_err)?;
    }
    let mut out = io::BufWriter::with_capacity(256 * 1024, tmp);
    write(&mut out).and_then(|()| out.flush()).map_err(io_err)?;
    let tmp = out.into_inner().map_err(|e| io_err(e.into_error()))?;
    tmp.as_file().sync_all().map_err(io_err)?;
    tmp.persist(target).map_err(|e| io_err(e.error))?;
    // The rename is durable once the folder is synced; a folder that cannot be opened (some
    // network file systems) still has the file, so this is best effort.
    if let Ok(dir) = File::open(folder) {
        let _ = dir.sync_all();
    }
    Ok(())
}

/// A temporary file in `folder`, created with the mode `>` would give (0666 less the umask).
fn temporary(folder: &Path) -> io::Result<tempfile::NamedTempFile> {
    let mut builder = tempfile::Builder::new();
    builder.prefix(".handoff-").suffix(".tmp");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // The kernel applies the umask to the mode a file is created with, as it does for `>`.
        builder.permissions(fs::Permissions::from_mode(0o666));
    }
    builder.tempfile_in(folder)
}

/// Gives the replacement the replaced file's mode and, where allowed, its owner and group.
#[cfg(unix)]
fn keep_mode(file: &File, old: &fs::Metadata) -> io::Result<()> {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    // Only root (or the owner, for the group) may change ownership; anyone else keeps the file
    // as theirs, as `cp` does. The owner is set before the mode: chown clears set-id bits.
    let _ = std::os::unix::fs::fchown(file, Some(old.uid()), Some(old.gid()));
    file.set_permissions(fs::Permissions::from_mode(old.mode() & 0o7777))
}

#[cfg(not(unix))]
fn keep_mode(file: &File, old: &fs::Metadata) -> io::Result<()> {
    file.set_permissions(old.permissions())
}

/// The operating system's error without the path `tempfile` adds to it (a temporary name the user
/// never gave would only confuse).
fn plain(e: io::Error) -> io::Error {
    if e.raw_os_error().is_some() || e.get_ref().is_none() {
        return e;
    }
    // `tempfile` wraps the error as "<the OS's words> at path \"<temporary name>\"" and keeps
    // the original out of reach, so its words are taken from the front of the message.
    let text = e.to_string();
    match text.split_once(" at path ") {
        Some((words, _)) => io::Error::new(e.kind(), words.to_owned()),
        None => e,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_temporary_name_never_reaches_the_message() {
        let dir = tempfile::tempdir().expect("dir");
        let e = tempfile::Builder::new()
            .prefix(".handoff-")
            .tempfile_in(dir.path().join("missing"))
            .expect_err("no such folder");
        let shown = plain(e).to_string();
        assert!(!shown.contains(".handoff-"), "{shown}");
        assert!(shown.contains("No such file"), "{shown}");
    }

    #[test]
    fn names_under_dev_and_proc_are_written_through() {
        // Only looked at, never written: `resolve` reads metadata.
        for p in ["/dev/stdout", "/dev/fd/1", "/proc/self/fd/1"] {
            assert!(matches!(resolve(Path::new(p), p), Ok(Dest::Through)), "{p}");
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(48))]

        /// Whatever sequence of writes succeeds or fails part-way, the file holds the whole of
        /// the last write that succeeded (or does not exist yet), and nothing else is left in
        /// the folder.
        #[test]
        fn a_file_is_the_old_content_or_the_new_never_partial(
            writes in proptest::collection::vec(
                // Lengths on both sides of the 256 KiB write buffer, so that a failed run has
                // already written part of its output to the temporary file.
                (0usize..600_000, proptest::num::u8::ANY, proptest::bool::ANY),
                1..5,
            )
        ) {
            let dir = tempfile::tempdir().expect("dir");
            let path = dir.path().join("out.json");
            let mut expected: Option<Vec<u8>> = None;
            for (len, seed, fail) in writes {
                let bytes: Vec<u8> = (0..len).map(|i| seed.wrapping_add(i as u8)).collect();
                let result = write(&path, |out| {
                    out.write_all(&bytes)?;
                    if fail { Err(io::Error::other("the run failed")) } else { Ok(()) }
                });
                proptest::prop_assert_eq!(result.is_err(), fail);
                if !fail {
                    expected = Some(bytes);
                }
                let names: Vec<_> = fs::read_dir(dir.path()).expect("list")
                    .map(|e| e.expect("entry").file_name())
                    .collect();
                match &expected {
                    Some(e) => {
                        proptest::prop_assert_eq!(&fs::read(&path).expect("read"), e);
                        proptest::prop_assert_eq!(names, vec![std::ffi::OsString::from("out.json")]);
                    }
                    None => proptest::prop_assert!(names.is_empty()),
                }
            }
        }
    }

    #[test]
    fn trailing_slash_and_directories_are_refused() {
        let dir = tempfile::tempdir().expect("dir");
        let d = dir.path().display().to_string();
        let e = write(Path::new(&format!("{d}/")), |_| Ok(())).expect_err("slash");
        assert!(matches!(e, OutputError::TrailingSlash { .. }), "{e}");
        let e = write(dir.path(), |_| Ok(())).expect_err("dir");
        assert!(matches!(e, OutputError::IsDirectory { .. }), "{e}");
    }
}

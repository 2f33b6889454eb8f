//! One module per subcommand. Each takes its parsed arguments and returns the exit status.

pub mod convert;
pub mod diff;
pub mod explain;
pub mod lint;
pub mod replay;
pub mod rules;
pub mod schema;
pub mod test;

use std::path::Path;

use crate::error::Error;

/// Reads a file's bytes, with an error that names it; a directory is refused with advice.
pub fn read_bytes(path: &Path) -> Result<Vec<u8>, Error> {
    if path.is_dir() {
        return Err(Error::IsDirectory {
            path: path.display().to_string(),
        });
    }
    std::fs::read(path).map_err(|source| Error::Read {
        path: path.display().to_string(),
        source,
    })
}

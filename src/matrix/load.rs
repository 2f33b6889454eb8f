//! Loading a matrix for the commands that run one: read, lint, refuse errors, build the model.

use std::path::Path;
use std::sync::Arc;

use crate::error::Error;
use crate::lint::{self, Diagnostic, Levels, Severity};
use crate::matrix::{decode, model::Matrix, yaml};
use crate::source::SourceFile;

/// Reads and validates a matrix. A matrix with error-level findings is refused with those findings
/// (SPEC section 1: replay, explain, diff and test print them and exit 2); warnings are returned
/// beside the model for the caller to show or not.
pub fn load(path: &Path, levels: &Levels) -> Result<(Matrix, Vec<Diagnostic>), Error> {
    let bytes = crate::cmd::read_bytes(path)?;
    let (file, diagnostics) = lint::lint_bytes(
        &path.display().to_string(),
        path.to_path_buf(),
        bytes,
        levels,
    );
    if diagnostics.iter().any(|d| d.severity == Severity::Error) {
        return Err(Error::InvalidMatrix {
            path: path.display().to_string(),
            diagnostics,
        });
    }
    let model = build(&file).map_err(|e| Error::Internal(format!("{}: {e}", file.name)))?;
    Ok((model, diagnostics))
}

fn build(file: &Arc<SourceFile>) -> Result<Matrix, crate::matrix::model::Incomplete> {
    let root = yaml::parse(&file.text)
        .map_err(|_| crate::matrix::model::Incomplete("the YAML does not parse"))?;
    let (raw, _) = decode::decode(&root, &file.text);
    Matrix::from_raw(&raw, file)
}

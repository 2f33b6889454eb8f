//! From a matrix file to the validated model: read it, lint it, refuse errors, build the model.
//!
//! Every command that runs a matrix (replay, explain, diff, test) loads it here, and the file is
//! read and its YAML parsed and decoded once: lint hands back the raw form it checked, and the
//! model is built from that. The steps belong to three modules that need not know each other's
//! order — `source` reads, `lint` judges, `matrix` validates and depends on nothing above it — so
//! the sequence lives here, above all three, rather than inside one of them: lint stays a judge
//! of text that `handoff lint` runs without ever building a model.

use std::path::Path;
use std::sync::Arc;

use crate::error::Error;
use crate::lint::{self, Diagnostic, Levels, Severity};
use crate::matrix::Matrix;
use crate::matrix::model::Incomplete;
use crate::source::SourceFile;

/// Reads and validates a matrix. A matrix with error-level findings is refused with those findings
/// (SPEC section 1: replay, explain, diff and test print them and exit 2); warnings are returned
/// beside the model for the caller to show or not.
pub fn load_matrix(path: &Path, levels: &Levels) -> Result<(Matrix, Vec<Diagnostic>), Error> {
    let file = Arc::new(SourceFile::read(path)?);
    let (raw, diagnostics) = lint::lint_source(file.clone(), levels);
    if diagnostics.iter().any(|d| d.severity == Severity::Error) {
        return Err(Error::InvalidMatrix {
            path: path.display().to_string(),
            diagnostics,
        });
    }
    // Lint reports a file without a raw form (not UTF-8, not YAML) as an error, and errors cannot
    // be allowed, so neither this nor an incomplete model is expected; neither may panic.
    let model = raw
        .ok_or(Incomplete("the YAML does not parse"))
        .and_then(|raw| Matrix::from_raw(&raw, &file))
        .map_err(|e| Error::Internal(format!("{}: {e}", file.name)))?;
    Ok((model, diagnostics))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_model_is_built_from_what_lint_decoded() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules/whatsapp-retail.yaml");
        let (model, _) = load_matrix(&path, &Levels::default()).unwrap();
        let file = SourceFile::read(&path).unwrap();
        let root = crate::matrix::yaml::parse(&file.text).unwrap();
        let (raw, _) = crate::matrix::decode::decode(&root, &file.text);
        assert_eq!(model, Matrix::from_raw(&raw, &file).unwrap());
    }

    #[test]
    fn a_file_that_is_not_utf8_is_refused_with_its_finding() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("m.yaml");
        std::fs::write(&path, b"version: 1\nname: \xFF\n").unwrap();
        match load_matrix(&path, &Levels::default()) {
            Err(Error::InvalidMatrix { diagnostics, .. }) => {
                let codes: Vec<_> = diagnostics.iter().map(|d| d.finding.code).collect();
                assert_eq!(codes, [lint::Code::E001]);
            }
            other => panic!("{:?}", other.map(|_| ())),
        }
        let e = load_matrix(dir.path(), &Levels::default()).unwrap_err();
        assert!(matches!(e, Error::IsDirectory { .. }), "{e}");
    }
}

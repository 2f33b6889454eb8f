//! The matrix loader and every lint check, on any bytes: then, when the matrix has no error, the
//! validated model and its compilation, as replay would build them, and every lint renderer.
#![no_main]

use std::sync::Arc;

use handoff::lint::{self, Levels, Severity};
use handoff::source::SourceFile;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let file = Arc::new(SourceFile::from_bytes(
        "fuzz.yaml",
        "fuzz.yaml".into(),
        data.to_vec(),
    ));
    let (raw, diagnostics) = lint::lint_source(file.clone(), &Levels::default());
    if !diagnostics.iter().any(|d| d.severity == Severity::Error) {
        if let Some(raw) = raw {
            if let Ok(model) = handoff::matrix::Matrix::from_raw(&raw, &file) {
                let _ = handoff::engine::Compiled::new(model);
            }
        }
    }
    let _ = handoff::report::human::render(&diagnostics, 1, false, false);
    let _ = handoff::report::json::render(&diagnostics, 1);
    let _ = handoff::report::sarif::render(&diagnostics);
    let _ = handoff::report::github::render(&diagnostics);
});

//! `handoff test MATRIX [CASES…]`: expectation cases (SPEC section 6), like unit tests for rules.
//!
//! Each case is a short conversation and what the matrix must do with it ([`crate::cases`]). A
//! failing case prints what was expected, what happened and the turn-by-turn trace. The run ends
//! with the line `N passed, N failed`; exit 1 when a case failed, 2 when the matrix or a case file
//! is invalid.

use std::path::PathBuf;

use crate::cases;
use crate::cli::TestArgs;
use crate::engine::replay;
use crate::error::Error;
use crate::output;

pub fn run(args: &TestArgs) -> Result<u8, Error> {
    let config = crate::config::Config::discover(args.common.config.as_deref())?;
    let levels = config.levels;
    let compiled = crate::cmd::common::matrix(&args.matrix, &levels, args.common.quiet)?;
    let files: Vec<PathBuf> = if args.cases.is_empty() {
        let stem = args
            .matrix
            .file_stem()
            .map_or_else(String::new, |s| s.to_string_lossy().into_owned());
        let default = PathBuf::from("tests/cases").join(format!("{stem}.yaml"));
        if !default.is_file() {
            return Err(Error::NoCases {
                matrix: args.matrix.display().to_string(),
                default: default.display().to_string(),
            });
        }
        vec![default]
    } else {
        args.cases.clone()
    };
    let mut all = Vec::new();
    for f in &files {
        for c in cases::read(f)? {
            all.push((f.display().to_string(), c));
        }
    }
    let matrix_name = args.matrix.display().to_string();
    let (mut passed, mut failed) = (0, 0);
    let mut out = String::new();
    for (file, case) in &all {
        let conv = cases::conversation(file, case)?;
        let (o, steps) = replay::replay(&compiled, &conv, true);
        match cases::check(&compiled, case, &o) {
            None => {
                passed += 1;
                if !args.common.quiet {
                    out.push_str(&format!("ok    {}\n", case.name));
                }
            }
            Some(diff) => {
                failed += 1;
                out.push_str(&format!("FAIL  {} ({file})\n{diff}\n", case.name));
                let trace = crate::report::explain::explain(
                    &compiled,
                    &matrix_name,
                    &conv,
                    &o,
                    &steps,
                    !args.no_redact,
                );
                for line in trace.lines() {
                    out.push_str(&format!("      | {line}\n"));
                }
                out.push('\n');
            }
        }
    }
    out.push_str(&format!("{passed} passed, {failed} failed\n"));
    output::emit(None, &out)?;
    Ok(u8::from(failed > 0))
}

//! `handoff test MATRIX [CASES…]`: expectation cases (SPEC section 6), like unit tests for rules.
//!
//! Each case is a short conversation and what the matrix must do with it ([`crate::cases`]).
//! Every case file is checked against the matrix before any case runs; a file with mistakes
//! (unknown keys, a message with no role, an `expect` naming a lane or trigger the matrix does not
//! define) is reported like a lint finding on stderr and the run exits 2. Then each case runs; the
//! results render as text (a failure with what was expected, what happened and the trace), JSON
//! or JUnit XML ([`crate::report::cases`], [`crate::report::junit`]). Exit 1 when a case failed.

use std::path::PathBuf;

use crate::cases::{self, check::Names};
use crate::cli::{TestArgs, TestFormat};
use crate::engine::replay;
use crate::error::Error;
use crate::output;
use crate::report::cases::Ran;
use crate::text::plural;

pub fn run(args: &TestArgs) -> Result<u8, Error> {
    let config = crate::config::Config::discover(args.common.config.as_deref())?;
    let levels = config.levels;
    let compiled = crate::cmd::common::matrix(&args.matrix, &levels, args.common.quiet)?;
    let files = case_files(args)?;
    let mut inputs: Vec<&std::path::Path> = files.iter().map(PathBuf::as_path).collect();
    inputs.push(&args.matrix);
    crate::cmd::guard_outputs(&[args.output.as_deref()], &inputs, None)?;
    let names = Names {
        lanes: compiled
            .matrix
            .lanes
            .iter()
            .map(|l| l.id.as_str())
            .collect(),
        triggers: compiled.triggers.iter().map(|t| t.id.as_str()).collect(),
    };
    let mut all = Vec::new();
    let mut rejected = Vec::new();
    for f in &files {
        match cases::load(f, &names)? {
            Ok(list) => all.extend(list.into_iter().map(|c| (f.display().to_string(), c))),
            Err(r) => rejected.push(r),
        }
    }
    if !rejected.is_empty() {
        let color = output::use_color_on_stderr(args.common.color.forced());
        output::note(&crate::report::cases::problems(&rejected, color));
        let n: usize = rejected.iter().map(|r| r.problems.len()).sum();
        return Err(Error::InvalidCases {
            problems: plural(n, "mistake", "mistakes"),
            files: plural(rejected.len(), "case file", "case files"),
        });
    }
    let matrix_name = args.matrix.display().to_string();
    let mut ran = Vec::with_capacity(all.len());
    for (file, case) in &all {
        let conv = cases::conversation(file, case)?;
        let (o, steps) = replay::replay(&compiled, &conv, true);
        let wrong = cases::differences(&compiled, case, &o);
        let trace = (!wrong.is_empty()).then(|| {
            crate::report::explain::explain(
                &compiled,
                &matrix_name,
                &conv,
                &o,
                &steps,
                !args.no_redact,
            )
        });
        ran.push(Ran {
            file: file.clone(),
            name: case.name.clone(),
            expected: cases::expected(case),
            got: cases::outcome(&compiled, &o),
            wrong,
            trace,
        });
    }
    let text = match args.format {
        TestFormat::Human => {
            let color = output::use_color(
                args.common.color.forced(),
                !output::is_stdout(args.output.as_deref()),
            );
            crate::report::cases::human(&ran, args.common.quiet, color)
        }
        TestFormat::Json => crate::report::cases::json(&ran),
        TestFormat::Junit => crate::report::junit::cases(&ran),
    };
    output::emit(args.output.as_deref(), &text)?;
    Ok(u8::from(ran.iter().any(|r| !r.passed())))
}

/// The case files given, else `tests/cases/<matrix file stem>.yaml`.
fn case_files(args: &TestArgs) -> Result<Vec<PathBuf>, Error> {
    if !args.cases.is_empty() {
        return Ok(args.cases.clone());
    }
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
    Ok(vec![default])
}

//! `handoff replay MATRIX LOG…`: replay logs through a matrix and report the metrics.
//!
//! Exit 0; 1 when a gate failed; 2 when the run could not happen (an unreadable input, a matrix with
//! errors, `--strict` and a bad record).

use crate::cli::{ReplayArgs, ReportFormat};
use crate::cmd::common;
use crate::engine::run;
use crate::error::Error;
use crate::metrics::gates;
use crate::metrics::{Keep, Tally};
use crate::output;
use crate::report;

pub fn run(args: &ReplayArgs) -> Result<u8, Error> {
    let s = common::setup(&args.common, &args.input, &args.run)?;
    let mut inputs = vec![args.matrix.as_path()];
    inputs.extend(s.config_path.as_deref());
    crate::cmd::guard_outputs(
        &[args.run.output.as_deref(), args.outcomes.as_deref()],
        &inputs,
        Some((&args.input, &s.read)),
    )?;
    let compiled = common::matrix(&args.matrix, &s.levels, args.common.quiet)?;
    let keep = if args.outcomes.is_some() {
        Keep::All
    } else {
        Keep::Nothing
    };
    let matrices = std::slice::from_ref(&compiled);
    let empty = Tally::new(matrices, keep);
    let result = run::run(
        matrices,
        &args.input.logs,
        &s.read,
        &common::run_options(&args.run),
        &empty,
    )?;
    if !args.common.quiet {
        crate::output::note(&result.stats.report());
    }
    if result.stats.messages == 0 {
        return Err(crate::cmd::nothing_read(
            &args.input,
            &s.read,
            &result.stats,
        ));
    }
    let tallied = result.tally.finish();
    let aggregate = tallied
        .aggregates
        .into_iter()
        .next()
        .unwrap_or_else(|| crate::metrics::Aggregate::new(&compiled));
    let report = aggregate.report(&compiled, &result.stats, &tallied.logged);
    let checked = gates::check(&s.gates, &report, s.allow_null);
    let name = args.matrix.display().to_string();
    let text = match common::format(&args.run) {
        ReportFormat::Table => report::replay::table_report(&report, &name, &checked),
        ReportFormat::Json => report::replay::json(&report, &name, &checked),
        ReportFormat::Csv => report::replay::csv(&report, &checked),
        ReportFormat::Markdown => report::replay::markdown(&report, &name, &checked),
    };
    if let (Some(path), Some(outcomes)) = (&args.outcomes, tallied.outcomes.first()) {
        output::emit(Some(path), &report::outcomes::csv(&compiled, outcomes))?;
    }
    output::emit(args.run.output.as_deref(), &text)?;
    crate::output::note(&report::gates::notes(&checked));
    Ok(u8::from(checked.iter().any(gates::Checked::failed)))
}

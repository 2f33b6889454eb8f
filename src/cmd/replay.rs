//! `handoff replay MATRIX LOG…`: replay logs through a matrix and report the metrics.
//!
//! Exit 0; 1 when a gate failed; 2 when the run could not happen (an unreadable input, a matrix with
//! errors, `--strict` and a bad record).
//!
//! With `--partial FILE` it also writes the shard's partial report for `handoff merge` (SPEC
//! section 5.7); `--partial -` writes it to stdout instead of the report, and then checks no
//! gate: gates belong to the merged report. A shard may be empty: its partial is written, and only
//! a report over nothing is an error.

use crate::cli::ReplayArgs;
use crate::cmd::common;
use crate::engine::run;
use crate::error::Error;
use crate::metrics::gates;
use crate::metrics::partial::Partial;
use crate::metrics::{Keep, Tally};
use crate::output;
use crate::report;

pub fn run(args: &ReplayArgs) -> Result<u8, Error> {
    let s = common::setup(&args.common, &args.input, &args.run)?;
    let mut inputs = vec![args.matrix.as_path()];
    inputs.extend(s.config_path.as_deref());
    crate::cmd::guard_outputs(
        &[
            args.run.report.output.as_deref(),
            args.outcomes.as_deref(),
            args.partial.as_deref(),
        ],
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
    let mut empty = Tally::new(matrices, keep);
    if args.partial.is_some() {
        empty = empty.digesting();
    }
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
    let name = args.matrix.display().to_string();
    // The partial replaces the report when both would go to stdout.
    let report_wanted = args.partial.as_deref().is_none_or(|p| {
        !output::is_stdout(Some(p)) || !output::is_stdout(args.run.report.output.as_deref())
    });
    if let Some(path) = &args.partial {
        let none = crate::metrics::Aggregate::new(&compiled);
        let aggregate = result.tally.aggregates.first().unwrap_or(&none);
        let ids = result.tally.ids.as_deref().unwrap_or_default();
        let (logged, stats) = (&result.tally.logged, &result.stats);
        let partial = Partial::of(&compiled, &name, aggregate, logged, stats, ids);
        let text = report::partial::json(&partial).map_err(|e| Error::Internal(e.to_string()))?;
        output::emit(Some(path), &text)?;
    }
    if report_wanted && result.stats.messages == 0 {
        return Err(crate::cmd::nothing_read(
            &args.input,
            &s.read,
            &result.stats,
        ));
    }
    let tallied = result.tally.finish();
    if let (Some(path), Some(outcomes)) = (&args.outcomes, tallied.outcomes.first()) {
        output::emit(Some(path), &report::outcomes::csv(&compiled, outcomes))?;
    }
    if !report_wanted {
        return Ok(0);
    }
    let aggregate = tallied
        .aggregates
        .into_iter()
        .next()
        .unwrap_or_else(|| crate::metrics::Aggregate::new(&compiled));
    let report = aggregate.report(&compiled, &result.stats, &tallied.logged);
    let checked = gates::check(&s.gates, &report, s.allow_null);
    let text = common::render(common::format(&args.run), &report, &name, &checked);
    output::emit(args.run.report.output.as_deref(), &text)?;
    crate::output::note(&report::gates::notes(&checked));
    Ok(u8::from(checked.iter().any(gates::Checked::failed)))
}

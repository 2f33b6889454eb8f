//! `handoff diff BASE NEW LOG…`: what a rule change would have done to the same conversations.
//!
//! Both matrices replay every conversation in one pass over the input. The report has the metric
//! deltas and the conversations whose outcome changed — outcome being the pair (lane, escalation
//! point), so a conversation that escalates earlier or later into the same lane counts as a
//! `recovery → recovery` transition — grouped by transition with their ids. Gates apply to NEW.
//! The transitions and deltas are [`crate::metrics::diff`]; the reports [`crate::report::diff`].

use crate::cli::{DiffArgs, ReportFormat};
use crate::cmd::common;
use crate::engine::run;
use crate::error::Error;
use crate::metrics::diff::transitions;
use crate::metrics::gates::{self, Checked};
use crate::metrics::{Keep, Tally};
use crate::output;
use crate::report;

pub fn run(args: &DiffArgs) -> Result<u8, Error> {
    let s = common::setup(&args.common, &args.input, &args.run)?;
    let mut inputs = vec![args.base.as_path(), args.new.as_path()];
    inputs.extend(s.config_path.as_deref());
    crate::cmd::guard_outputs(
        &[args.run.report.output.as_deref()],
        &inputs,
        Some((&args.input, &s.read)),
    )?;
    let base = common::matrix(&args.base, &s.levels, args.common.quiet)?;
    let new = common::matrix(&args.new, &s.levels, args.common.quiet)?;
    let opts = common::run_options(&args.run);
    let matrices = [base, new];
    let empty = Tally::new(&matrices, Keep::Changed);
    let result = run::run(&matrices, &args.input.logs, &s.read, &opts, &empty)?;
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
    let [base, new] = matrices;
    let tallied = result.tally.finish();
    let mut aggs = tallied.aggregates.into_iter();
    let (Some(a), Some(b)) = (aggs.next(), aggs.next()) else {
        return Err(Error::Internal(
            "diff replayed fewer than two matrices".into(),
        ));
    };
    let ra = a.report(&base, &result.stats, &tallied.logged);
    let rb = b.report(&new, &result.stats, &tallied.logged);
    let (oa, ob) = (&tallied.outcomes[0], &tallied.outcomes[1]);
    let ts = transitions(&base, &new, oa, ob);
    let mut checked = gates::check(&s.gates, &rb, s.allow_null);
    let mut delta_gates = Vec::with_capacity(args.fail_if_delta.len());
    for g in &args.fail_if_delta {
        delta_gates.push(gates::Gate::delta(g)?);
    }
    delta_gates.extend(s.delta_gates.iter().cloned());
    checked.extend(gates::check_delta(&delta_gates, &ra, &rb, s.allow_null));
    let names = (
        args.base.display().to_string(),
        args.new.display().to_string(),
    );
    let d = report::diff::Diff {
        names,
        base: &ra,
        new: &rb,
        transitions: &ts,
        gates: &checked,
    };
    let text = match common::format(&args.run) {
        ReportFormat::Json => report::diff::json(&d),
        ReportFormat::Markdown => report::diff::markdown(&d, args.ids, !args.no_redact),
        ReportFormat::Table => report::diff::table(&d, args.ids),
        ReportFormat::Csv => report::diff::csv(&d),
    };
    output::emit(args.run.report.output.as_deref(), &text)?;
    crate::output::note(&report::gates::notes(&checked));
    Ok(u8::from(checked.iter().any(Checked::failed)))
}

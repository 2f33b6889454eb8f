//! `handoff replay MATRIX LOG…`: replay logs through a matrix and report the metrics.
//!
//! Exit 0; 1 when a gate failed; 2 when the run could not happen (an unreadable input, a matrix with
//! errors, `--strict` and a bad record).

use std::io::IsTerminal;
use std::path::Path;

use crate::cli::{Common, LogArgs, ProgressChoice, ReplayArgs, ReportFormat, RunArgs};
use crate::config::Config;
use crate::engine::Compiled;
use crate::engine::replay::{Outcome, Truth};
use crate::engine::run::{self, RunOptions};
use crate::error::Error;
use crate::lint::Levels;
use crate::logs::ReadOptions;
use crate::metrics::gates::{self, Gate};
use crate::metrics::{Keep, Tally};
use crate::output;
use crate::report;

/// What every replaying command sets up: configuration, levels, read options, gates.
pub struct Setup {
    pub config: Config,
    /// The `handoff.toml` read, if any: an input no output may replace.
    pub config_path: Option<std::path::PathBuf>,
    pub levels: Levels,
    pub read: ReadOptions,
    pub gates: Vec<Gate>,
    /// `[gates] fail_if_delta`: gates on the change from BASE to NEW, checked by `diff`.
    pub delta_gates: Vec<Gate>,
    /// Whether a gate on a metric without data passes (`--allow-null-gates`).
    pub allow_null: bool,
}

pub fn setup(common: &Common, input: &LogArgs, run: &RunArgs) -> Result<Setup, Error> {
    let config = Config::discover(common.config.as_deref())?;
    let config_path = config.path.clone();
    let levels = config.levels.clone();
    let read = ReadOptions {
        format: input.input_format,
        strict: input.strict,
        interleaved: input.interleaved,
        import: config.import.clone(),
    };
    let mut gates = config.gates.fail_if.clone();
    for g in &run.fail_if {
        gates.push(g.parse()?);
    }
    let delta_gates = config.gates.fail_if_delta.clone();
    let allow_null = run.allow_null_gates || config.gates.allow_null;
    Ok(Setup {
        config,
        config_path,
        levels,
        read,
        gates,
        delta_gates,
        allow_null,
    })
}

/// Loads and compiles a matrix; warnings are summarised on stderr unless `quiet`.
pub fn matrix(path: &Path, levels: &Levels, quiet: bool) -> Result<Compiled, Error> {
    let (model, warnings) = crate::pipeline::load_matrix(path, levels)?;
    if !quiet && !warnings.is_empty() {
        crate::output::note(&format!(
            "note: {} has {} lint warnings (handoff lint {} shows them)\n",
            path.display(),
            warnings.len(),
            path.display()
        ));
    }
    Compiled::new(model).map_err(|e| Error::Internal(e.to_string()))
}

pub fn run_options(run: &RunArgs) -> RunOptions {
    let progress = match run.progress {
        ProgressChoice::Always => true,
        ProgressChoice::Never => false,
        ProgressChoice::Auto => std::io::stderr().is_terminal(),
    };
    RunOptions {
        threads: run.threads,
        progress,
        chunk_bytes: run.chunk_bytes,
        mmap: !run.no_mmap,
    }
}

/// The report format: as asked, else a table on a terminal and JSON elsewhere.
pub fn format(run: &RunArgs) -> ReportFormat {
    run.format.unwrap_or(
        if output::is_stdout(run.output.as_deref()) && std::io::stdout().is_terminal() {
            ReportFormat::Table
        } else {
            ReportFormat::Json
        },
    )
}

pub fn run(args: &ReplayArgs) -> Result<u8, Error> {
    let s = setup(&args.common, &args.input, &args.run)?;
    let mut inputs = vec![args.matrix.as_path()];
    inputs.extend(s.config_path.as_deref());
    crate::cmd::guard_outputs(
        &[args.run.output.as_deref(), args.outcomes.as_deref()],
        &inputs,
        Some(&args.input),
    )?;
    let compiled = matrix(&args.matrix, &s.levels, args.common.quiet)?;
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
        &run_options(&args.run),
        &empty,
    )?;
    if !args.common.quiet {
        crate::output::note(&result.stats.report());
    }
    if result.stats.messages == 0 {
        return Err(crate::cmd::nothing_read(&args.input, &result.stats));
    }
    let tallied = result.tally.finish();
    let aggregate = tallied
        .aggregates
        .into_iter()
        .next()
        .unwrap_or_else(|| crate::metrics::Aggregate::new(&compiled));
    let report = aggregate.report(&compiled, &result.stats);
    let checked = gates::check(&s.gates, &report, s.allow_null);
    let name = args.matrix.display().to_string();
    let text = match format(&args.run) {
        ReportFormat::Table => report::replay::table_report(&report, &name, &checked),
        ReportFormat::Json => report::replay::json(&report, &name, &checked),
        ReportFormat::Csv => report::replay::csv(&report, &checked),
        ReportFormat::Markdown => report::replay::markdown(&report, &name, &checked),
    };
    if let (Some(path), Some(outcomes)) = (&args.outcomes, tallied.outcomes.first()) {
        output::emit(Some(path), &outcomes_csv(&compiled, outcomes))?;
    }
    output::emit(args.run.output.as_deref(), &text)?;
    crate::output::note(&report::gates::notes(&checked));
    Ok(u8::from(checked.iter().any(gates::Checked::failed)))
}

/// One row per conversation (SPEC section 5): how the matrix handled it.
pub fn outcomes_csv(c: &Compiled, outcomes: &[Outcome]) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let header = [
        "conversation_id",
        "escalated",
        "lane",
        "trigger",
        "message_index",
        "turns_to_handoff",
        "seconds_to_handoff",
        "truth_lane",
        "misrouted",
        "trap_signal",
        "trapped",
        "trapped_bot_turns",
        "context_complete",
        "window_risk",
    ];
    let _ = w.write_record(header);
    let opt = |v: Option<String>| v.unwrap_or_default();
    let b = |v: bool| v.to_string();
    for o in outcomes {
        let lane = o.escalation.map(|e| c.matrix.lanes[e.lane].id.clone());
        let truth = match &o.truth {
            Truth::Unknown => String::new(),
            Truth::None => "none".into(),
            Truth::Lane(l) => l.clone(),
        };
        let misrouted = match (&o.truth, o.escalation) {
            (Truth::Lane(l), Some(e)) => b(c.matrix.lanes[e.lane].id != *l),
            _ => String::new(),
        };
        let row = [
            output::csv_text(&o.id).into_owned(),
            b(o.escalation.is_some()),
            opt(lane.clone()).clone(),
            opt(o.escalation.map(|e| c.triggers[e.trigger].id.clone())),
            opt(o.escalation.map(|e| (e.index + 1).to_string())),
            opt(o.turns_to_handoff.map(|t| t.to_string())),
            opt(o.seconds_to_handoff.map(report::number)),
            output::csv_text(&truth).into_owned(),
            misrouted,
            b(o.trap_signal),
            b(o.trapped),
            opt(o.trapped_bot_turns.map(|t| t.to_string())),
            opt(o.context_complete.map(b)),
            opt(o.window_risk.map(b)),
        ];
        let _ = w.write_record(row);
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

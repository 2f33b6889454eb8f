//! What the commands that replay logs share: the setup (configuration, lint levels, read options,
//! gates), loading and compiling a matrix, the run options and the report format.
//!
//! `replay`, `explain` and `diff` start this way, and `test` loads its matrix the same way. It has
//! a file of its own rather than living in `replay.rs`, so that no subcommand reaches into
//! another's module and each command file stays the short wiring of its own subcommand.

use std::io::IsTerminal;
use std::path::Path;

use crate::cli::{Common, LogArgs, ProgressChoice, ReportArgs, ReportFormat, RunArgs};
use crate::config::Config;
use crate::engine::Compiled;
use crate::engine::run::RunOptions;
use crate::error::Error;
use crate::lint::Levels;
use crate::logs::ReadOptions;
use crate::metrics::Report;
use crate::metrics::gates::{Checked, Gate};
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
        hold: input.hold(),
        import: config.import.clone(),
    };
    let (gates, allow_null) = gates(&config, &run.report)?;
    let delta_gates = config.gates.fail_if_delta.clone();
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

/// The gates of a report: `handoff.toml`'s, then `--fail-if`'s; and whether a gate on a metric
/// without data passes.
pub fn gates(config: &Config, report: &ReportArgs) -> Result<(Vec<Gate>, bool), Error> {
    let mut gates = config.gates.fail_if.clone();
    for g in &report.fail_if {
        gates.push(g.parse()?);
    }
    Ok((gates, report.allow_null_gates || config.gates.allow_null))
}

/// Loads and compiles a matrix; warnings are summarised on stderr unless `quiet`.
pub fn matrix(path: &Path, levels: &Levels, quiet: bool) -> Result<Compiled, Error> {
    let (model, warnings) = crate::pipeline::load_matrix(path, levels)?;
    if !quiet && !warnings.is_empty() {
        crate::output::note(&format!(
            "note: {} has {} (handoff lint {} shows them)\n",
            path.display(),
            crate::text::plural(warnings.len(), "lint warning", "lint warnings"),
            path.display()
        ));
    }
    Compiled::new(model).map_err(|e| Error::Internal(e.to_string()))
}

pub fn run_options(run: &RunArgs) -> RunOptions {
    use crate::engine::progress::Mode;
    let terminal = std::io::stderr().is_terminal();
    let progress = match run.progress {
        ProgressChoice::Never => Mode::Off,
        ProgressChoice::Always | ProgressChoice::Auto if terminal => Mode::Terminal,
        // A CI log asked for progress: plain lines, no control characters.
        ProgressChoice::Always => Mode::Plain,
        ProgressChoice::Auto => Mode::Off,
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
    report_format(run.report.format, run.report.output.as_deref())
}

/// The report format `asked`, else a table when the report goes to a terminal and JSON elsewhere.
pub fn report_format(asked: Option<ReportFormat>, output: Option<&Path>) -> ReportFormat {
    asked.unwrap_or(
        if output::is_stdout(output) && std::io::stdout().is_terminal() {
            ReportFormat::Table
        } else {
            ReportFormat::Json
        },
    )
}

/// A replay report in `format`, for the matrix named `name` (`replay` and `merge` alike).
pub fn render(format: ReportFormat, r: &Report, name: &str, gates: &[Checked]) -> String {
    match format {
        ReportFormat::Table => report::replay::table_report(r, name, gates),
        ReportFormat::Json => report::replay::json(r, name, gates),
        ReportFormat::Csv => report::replay::csv(r, gates),
        ReportFormat::Markdown => report::replay::markdown(r, name, gates),
    }
}

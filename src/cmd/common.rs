//! What the commands that replay logs share: the setup (configuration, lint levels, read options,
//! gates), loading and compiling a matrix, the run options and the report format.
//!
//! `replay`, `explain` and `diff` start this way, and `test` loads its matrix the same way. It has
//! a file of its own rather than living in `replay.rs`, so that no subcommand reaches into
//! another's module and each command file stays the short wiring of its own subcommand.

use std::io::IsTerminal;
use std::path::Path;

use crate::cli::{Common, LogArgs, ProgressChoice, ReportFormat, RunArgs};
use crate::config::Config;
use crate::engine::Compiled;
use crate::engine::run::RunOptions;
use crate::error::Error;
use crate::lint::Levels;
use crate::logs::ReadOptions;
use crate::metrics::gates::Gate;
use crate::output;

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
    run.format.unwrap_or(
        if output::is_stdout(run.output.as_deref()) && std::io::stdout().is_terminal() {
            ReportFormat::Table
        } else {
            ReportFormat::Json
        },
    )
}

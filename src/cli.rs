//! The command line: one enum of subcommands, the options every command shares flattened once.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "handoff",
    version,
    about = "Lint escalation matrices for support chatbots and replay conversation logs through them",
    propagate_version = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Validate and lint matrices (default: the one in handoff.toml, else rules/*.yaml)
    Lint(LintArgs),
    /// List the lint checks, or explain one (`handoff rules W101`)
    Rules(RulesArgs),
    /// List the report metrics, or explain one (`handoff metrics recontact_48h_rate`)
    Metrics(MetricsArgs),
    /// Print the JSON Schema of the matrix format, for editor completion
    Schema(SchemaArgs),
    /// Print logs as canonical message records, in replay order (what the importers understood)
    Convert(ConvertArgs),
    /// Replay logs through a matrix and report escalation, trap and misroute metrics
    Replay(ReplayArgs),
    /// Show turn by turn how the matrix handles one conversation
    Explain(ExplainArgs),
    /// Run expectation cases against a matrix (default cases: tests/cases/<matrix name>.yaml)
    Test(TestArgs),
    /// Replay two matrices over the same logs: metric deltas and conversations whose outcome changed
    Diff(DiffArgs),
    /// Combine the partial reports of disjoint shards (replay --partial) into one run's report
    Merge(MergeArgs),
    /// Write a starter project: a matrix that lints clean, handoff.toml, cases that pass, a sample log
    Init(InitArgs),
    /// Print shell completions (bash, zsh, fish, powershell, elvish)
    Completions(CompletionsArgs),
    /// Print the man page (roff)
    Man(ManArgs),
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Where to write the project (created if missing; default: here). Existing files are kept
    #[arg(value_name = "DIR")]
    pub dir: Option<PathBuf>,
    #[command(flatten)]
    pub common: Common,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for
    #[arg(value_name = "SHELL", value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
pub struct ManArgs {
    /// Write the page to FILE (atomically) instead of stdout
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The matrix as it is
    #[arg(value_name = "BASE")]
    pub base: PathBuf,
    /// The matrix as proposed; gates apply to it
    #[arg(value_name = "NEW")]
    pub new: PathBuf,
    #[command(flatten)]
    pub input: LogArgs,
    #[command(flatten)]
    pub run: RunArgs,
    /// Fail (exit 1) when the change from BASE to NEW satisfies `METRIC OP BOUND`, e.g.
    /// 'bot_trap_rate > 0.005'; repeatable
    #[arg(long, value_name = "GATE")]
    pub fail_if_delta: Vec<String>,
    /// How many conversation ids to list per transition in table and markdown output (JSON lists all)
    #[arg(long, value_name = "N", default_value_t = 10)]
    pub ids: usize,
    /// Show card numbers, e-mail addresses and phone numbers in conversation ids of Markdown output
    /// instead of masking them
    #[arg(long)]
    pub no_redact: bool,
    #[command(flatten)]
    pub common: Common,
}

#[derive(Debug, Args)]
pub struct TestArgs {
    /// The escalation matrix
    #[arg(value_name = "MATRIX")]
    pub matrix: PathBuf,
    /// Case files (default: tests/cases/<matrix file stem>.yaml)
    #[arg(value_name = "CASES")]
    pub cases: Vec<PathBuf>,
    /// Output format
    #[arg(long, short, value_enum, default_value_t = TestFormat::Human)]
    pub format: TestFormat,
    /// Write the results to FILE (atomically) instead of stdout
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Show card numbers, e-mail addresses and phone numbers in traces instead of masking them
    #[arg(long)]
    pub no_redact: bool,
    #[command(flatten)]
    pub common: Common,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TestFormat {
    /// ok / FAIL a case, the trace of each failure, `N passed, N failed`
    Human,
    /// {"schema_version": 1, "passed", "failed", "cases": [...]}: one object per case
    Json,
    /// JUnit XML: one testsuite per case file, one testcase per case
    Junit,
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// The escalation matrix
    #[arg(value_name = "MATRIX")]
    pub matrix: PathBuf,
    #[command(flatten)]
    pub input: LogArgs,
    /// The conversation to explain
    #[arg(long, value_name = "ID")]
    pub conversation: String,
    /// Show card numbers, e-mail addresses and phone numbers instead of masking them
    #[arg(long)]
    pub no_redact: bool,
    /// Write to FILE (atomically) instead of stdout
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub common: Common,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    /// Tables for a terminal (the default on a terminal)
    Table,
    /// Long-format CSV: section,name,field,value (spreadsheet-safe)
    Csv,
    /// {"schema_version": 1, "inputs": …, "metrics": …} (the default elsewhere)
    Json,
    /// Markdown for a pull-request comment
    Markdown,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ProgressChoice {
    Auto,
    Always,
    Never,
}

/// Where a metrics report goes and what gates it: replay, diff and merge.
#[derive(Debug, Default, Args)]
pub struct ReportArgs {
    /// Report format (default: table on a terminal, json otherwise)
    #[arg(long, short, value_enum)]
    pub format: Option<ReportFormat>,
    /// Write the report to FILE (atomically) instead of stdout
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Fail (exit 1) when `METRIC OP BOUND` holds, e.g. 'bot_trap_rate > 0.02'; repeatable
    #[arg(long, value_name = "GATE")]
    pub fail_if: Vec<String>,
    /// Let a gate on a metric without data pass (by default it fails: it could not be checked)
    #[arg(long)]
    pub allow_null_gates: bool,
}

/// Options of the commands that replay (replay, diff).
#[derive(Debug, Args)]
pub struct RunArgs {
    #[command(flatten)]
    pub report: ReportArgs,
    /// Worker threads (default: one per core; 0 means the same)
    #[arg(long, value_name = "N", default_value_t = 0, hide_default_value = true)]
    pub threads: usize,
    /// A progress spinner on stderr: auto shows it on a terminal only
    #[arg(long, value_enum, default_value_t = ProgressChoice::Auto)]
    pub progress: ProgressChoice,
    /// Bytes of JSONL or CSV each worker parses at a time (at least 16); the report is the same
    /// for any size
    #[arg(long, value_name = "BYTES", default_value_t = crate::engine::run::CHUNK_BYTES)]
    pub chunk_bytes: usize,
    /// Read log files into buffers instead of mapping them into memory (for logs that another
    /// program may shorten or rotate during the replay)
    #[arg(long)]
    pub no_mmap: bool,
}

#[derive(Debug, Args)]
pub struct ReplayArgs {
    /// The escalation matrix
    #[arg(value_name = "MATRIX")]
    pub matrix: PathBuf,
    #[command(flatten)]
    pub input: LogArgs,
    #[command(flatten)]
    pub run: RunArgs,
    /// Also write one row per conversation to FILE.csv (atomically)
    #[arg(long, value_name = "FILE.csv")]
    pub outcomes: Option<PathBuf>,
    /// Also write a partial report for `handoff merge` to FILE (atomically); `-` writes it to
    /// stdout instead of the report (gates are then left to merge)
    #[arg(long, value_name = "FILE")]
    pub partial: Option<PathBuf>,
    #[command(flatten)]
    pub common: Common,
}

#[derive(Debug, Args)]
pub struct MergeArgs {
    /// Partial reports written by `replay --partial`, one shard's each (a file may hold several,
    /// one a line); `-` reads stdin
    #[arg(value_name = "PARTIAL", required = true)]
    pub partials: Vec<PathBuf>,
    #[command(flatten)]
    pub report: ReportArgs,
    #[command(flatten)]
    pub common: Common,
}

/// Where conversation logs come from and how to read them; shared by every command that reads logs.
#[derive(Debug, Args)]
pub struct LogArgs {
    /// Log files or directories (read recursively); `-` reads stdin; `.gz` is decompressed
    #[arg(value_name = "LOG", required = true)]
    pub logs: Vec<PathBuf>,
    /// Read every input as this format instead of going by the file extension
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub input_format: Option<crate::logs::Format>,
    /// Stop with an error (exit 2) at the first record that cannot be read, instead of skipping it
    #[arg(long)]
    pub strict: bool,
    /// Hold every conversation open until the end of input (for input not grouped by conversation)
    #[arg(long)]
    pub interleaved: bool,
    /// Memory that conversations held open may take before their records spill to temporary
    /// files (64MiB, 1GiB, 500MB); the report is the same for any size
    #[arg(long, value_name = "SIZE", default_value = "256MiB", value_parser = crate::logs::spill::size::parse)]
    pub memory: u64,
    /// Where spilled records go (default: the system's temporary directory)
    #[arg(long, value_name = "DIR")]
    pub temp_dir: Option<PathBuf>,
}

impl LogArgs {
    /// `--memory` and `--temp-dir`.
    pub fn hold(&self) -> crate::logs::spill::Hold {
        crate::logs::spill::Hold {
            memory: self.memory,
            temp_dir: self.temp_dir.clone(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RecordFormat {
    /// One canonical JSON object per line
    Jsonl,
    /// A header and one row per record; segment fields as segment_<field> columns
    Csv,
}

#[derive(Debug, Args)]
pub struct ConvertArgs {
    #[command(flatten)]
    pub input: LogArgs,
    /// Output format
    #[arg(long, value_enum, default_value_t = RecordFormat::Jsonl)]
    pub to: RecordFormat,
    /// Write to FILE (atomically) instead of stdout
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub common: Common,
}

/// Options every command takes.
#[derive(Debug, Args)]
pub struct Common {
    /// Project defaults (default: ./handoff.toml when present)
    #[arg(long, value_name = "FILE", global = true)]
    pub config: Option<PathBuf>,
    /// When to colour output; NO_COLOR in the environment means never unless `always`
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, global = true)]
    pub color: ColorChoice,
    /// Print only the report: no summary line, no notes
    #[arg(long, short, global = true)]
    pub quiet: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

impl ColorChoice {
    /// `Some(true)` for always, `Some(false)` for never, `None` to decide by the terminal.
    pub fn forced(self) -> Option<bool> {
        match self {
            ColorChoice::Auto => None,
            ColorChoice::Always => Some(true),
            ColorChoice::Never => Some(false),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LintFormat {
    /// Source snippets with labels
    Human,
    /// {"schema_version": 1, "findings": [...]}
    Json,
    /// SARIF 2.1.0 for code-scanning uploads
    Sarif,
    /// GitHub Actions workflow annotations
    Github,
    /// JUnit XML: one testsuite per file, one testcase per finding
    Junit,
}

#[derive(Debug, Args)]
pub struct LintArgs {
    /// Matrix files
    #[arg(value_name = "MATRIX")]
    pub matrices: Vec<PathBuf>,
    /// Output format
    #[arg(long, short, value_enum, default_value_t = LintFormat::Human)]
    pub format: LintFormat,
    /// Exit 1 on warnings too
    #[arg(long)]
    pub deny_warnings: bool,
    /// Write the report to FILE (atomically) instead of stdout
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub common: Common,
}

#[derive(Debug, Args)]
pub struct RulesArgs {
    /// A code (W101) or name (no-escape-hatch) to explain
    pub code: Option<String>,
    #[command(flatten)]
    pub common: Common,
}

#[derive(Debug, Args)]
pub struct MetricsArgs {
    /// A metric name (bot_trap_rate) to explain
    pub name: Option<String>,
    #[command(flatten)]
    pub common: Common,
}

#[derive(Debug, Args)]
pub struct SchemaArgs {
    /// Write the schema to FILE (atomically) instead of stdout
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub common: Common,
}

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
    /// Print the JSON Schema of the matrix format, for editor completion
    Schema(SchemaArgs),
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
pub struct SchemaArgs {
    /// Write the schema to FILE (atomically) instead of stdout
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub common: Common,
}

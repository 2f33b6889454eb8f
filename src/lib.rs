//! handoff: lint the escalation matrix of a support chatbot and replay conversation logs through it.
//!
//! The data flows one way, top to bottom:
//!
//! ```text
//! handoff.toml ─> config::Config (validated once: lint levels, logs::ImportSettings, gates)
//!                        │
//! matrix YAML ─> source::SourceFile::read ─> lint::lint_source ─> Diagnostics ─> report (human/json/sarif/github)
//!                        │   (matrix::yaml ─> matrix::decode ─> RawMatrix, parsed once)
//!                        └─> pipeline::load_matrix: errors refused ─> matrix::Matrix ─> engine::Compiled
//! logs (jsonl/csv/whatsapp, .gz, folders, stdin) ─> logs::read / engine::chunked / engine::files
//!                        └─> Conversation ─> engine::replay ─> Outcome per matrix
//!                                   ─> engine::Fold (metrics::Tally: add, merge_all, finish;
//!                                      engine::logged::observe once a conversation: what the logs show)
//!                                   ─> metrics::Aggregate::report ─> Report, gates, diff
//! partial reports (replay --partial) ─> metrics::partial::read ─> combine (the same merges) ─┘
//!                                   ─> report (table/csv/json/markdown, gates, explain, outcomes)
//!                                   ─> output (stdout, or a file replaced atomically)
//! ```
//!
//! No module imports one above it: `matrix` knows nothing of lint or replay, `logs` nothing of
//! configuration or output, `engine` nothing of metrics (it folds into any [`engine::fold::Fold`]),
//! `metrics` nothing of rendering. `text`, `source`, `swar`, `block` and `digest` are leaves every
//! layer may use; `cases` reads the expectation cases of `handoff test`; `cmd` holds one module per
//! subcommand, the wiring of options, calls and renderers; `main.rs` only parses arguments and
//! maps errors to exit statuses.

#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

pub mod block;
pub mod cases;
pub mod cli;
pub mod cmd;
pub mod config;
pub mod digest;
pub mod engine;
pub mod error;
pub mod init;
pub mod lint;
pub mod logs;
pub mod matrix;
pub mod metrics;
pub mod output;
pub mod pipeline;
pub mod report;
pub mod source;
pub mod swar;
pub mod text;

pub use error::Error;

/// Runs a parsed command line and returns the exit status.
pub fn run(cli: &cli::Cli) -> Result<u8, Error> {
    match &cli.command {
        cli::Command::Lint(a) => cmd::lint::run(a),
        cli::Command::Rules(a) => cmd::rules::run(a),
        cli::Command::Metrics(a) => cmd::metrics::run(a),
        cli::Command::Schema(a) => cmd::schema::run(a),
        cli::Command::Convert(a) => cmd::convert::run(a),
        cli::Command::Replay(a) => cmd::replay::run(a),
        cli::Command::Explain(a) => cmd::explain::run(a),
        cli::Command::Test(a) => cmd::test::run(a),
        cli::Command::Diff(a) => cmd::diff::run(a),
        cli::Command::Merge(a) => cmd::merge::run(a),
        cli::Command::Init(a) => cmd::init::run(a),
        cli::Command::Completions(a) => cmd::completions::run(a),
        cli::Command::Man(a) => cmd::completions::man(a),
    }
}

//! handoff: lint the escalation matrix of a support chatbot and replay conversation logs through it.
//!
//! The data flows one way:
//!
//! ```text
//! handoff.toml ─┐
//! matrix YAML ──┴─> matrix::yaml ─> matrix::decode ─> RawMatrix ─┬─> lint checks ─> Diagnostics ─> report
//!                                                                └─> matrix::Matrix (validated)
//! ```
//!
//! `source` keeps files and spans, `text` the keyword matching shared by lint and replay, `cases`
//! the expectation cases of `handoff test`, and `cmd` holds one module per subcommand, the wiring
//! of options, calls and renderers; `main.rs` only parses arguments and maps errors to exit
//! statuses.

#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

pub mod block;
pub mod cases;
pub mod cli;
pub mod cmd;
pub mod config;
pub mod engine;
pub mod error;
pub mod lint;
pub mod logs;
pub mod matrix;
pub mod metrics;
pub mod output;
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
        cli::Command::Schema(a) => cmd::schema::run(a),
        cli::Command::Convert(a) => cmd::convert::run(a),
        cli::Command::Replay(a) => cmd::replay::run(a),
        cli::Command::Explain(a) => cmd::explain::run(a),
        cli::Command::Test(a) => cmd::test::run(a),
        cli::Command::Diff(a) => cmd::diff::run(a),
    }
}

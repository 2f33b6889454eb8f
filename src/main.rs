//! The `handoff` binary: parse arguments, run the command, map errors to exit statuses.

#![deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::process::ExitCode;

use clap::Parser;

// Replay allocates a few small strings per message on every core; mimalloc's thread-local heaps
// make that markedly faster than the system allocator and keep memory from fragmenting.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = handoff::cli::Cli::parse();
    match handoff::run(&cli) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            if let handoff::Error::InvalidMatrix { diagnostics, .. } = &e {
                let text = handoff::report::human::render(diagnostics, 1, false, true);
                handoff::output::note(&text);
            }
            handoff::output::note(&format!("handoff: {e}\n"));
            ExitCode::from(e.exit_code())
        }
    }
}

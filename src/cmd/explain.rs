//! `handoff explain MATRIX LOG… --conversation ID`: one conversation, turn by turn.
//!
//! For each message of the bot phase: the state after it, every trigger that held (with the text it
//! matched), and at the escalation point the winner and why each other holding trigger lost. Then
//! the outcome, the rendered handoff message and the matrix line of the winning trigger, and what
//! the logs show beside it (the logged handoff point and lane, first response, transfers). Customer
//! text is shown with card numbers, e-mail addresses and phone numbers masked unless `--no-redact`.
//! This file finds the conversation and replays it; [`crate::report::explain`] writes the trace.

use crate::cli::ExplainArgs;
use crate::cmd::common;
use crate::engine::replay;
use crate::error::Error;
use crate::logs::record::Conversation;
use crate::logs::{self, Files, Sink};
use crate::output;
use crate::report::explain::{as_logged, explain};

/// Keeps the conversation with the asked id, and counts the conversations read.
struct Find {
    id: String,
    found: Option<Conversation<'static>>,
    seen: u64,
}

impl Sink for Find {
    fn conversation(&mut self, c: Conversation<'static>, _: &Files) -> Result<(), Error> {
        self.seen += 1;
        if c.id == self.id {
            self.found = Some(c);
        }
        Ok(())
    }
    fn restart(&mut self) -> Result<(), Error> {
        self.found = None;
        self.seen = 0;
        Ok(())
    }
}

pub fn run(args: &ExplainArgs) -> Result<u8, Error> {
    let run_args = crate::cli::RunArgs {
        report: crate::cli::ReportArgs::default(),
        threads: 1,
        progress: crate::cli::ProgressChoice::Never,
        chunk_bytes: crate::engine::run::CHUNK_BYTES,
        no_mmap: false,
    };
    let s = common::setup(&args.common, &args.input, &run_args)?;
    let mut inputs = vec![args.matrix.as_path()];
    inputs.extend(s.config_path.as_deref());
    crate::cmd::guard_outputs(
        &[args.output.as_deref()],
        &inputs,
        Some((&args.input, &s.read)),
    )?;
    let compiled = common::matrix(&args.matrix, &s.levels, args.common.quiet)?;
    let mut find = Find {
        id: args.conversation.clone(),
        found: None,
        seen: 0,
    };
    let stats = logs::read(&args.input.logs, &s.read, &mut find)?;
    if !args.common.quiet {
        crate::output::note(&stats.report());
    }
    let Some(conv) = find.found else {
        return Err(Error::NoConversation {
            id: args.conversation.clone(),
            conversations: find.seen,
        });
    };
    let (outcome, steps) = replay::replay(&compiled, &conv, true);
    let mut text = explain(
        &compiled,
        &args.matrix.display().to_string(),
        &conv,
        &outcome,
        &steps,
        !args.no_redact,
    );
    text.push_str(&as_logged(&conv, &outcome, !args.no_redact));
    output::emit(args.output.as_deref(), &text)?;
    Ok(0)
}

//! `handoff convert LOG… [--to jsonl|csv]`: the canonical records, in replay order.
//!
//! This is how an analyst checks what an importer understood of an export, and how any export
//! becomes canonical JSONL. Records stream to a temporary file ([`crate::report::records`]),
//! which is then copied to stdout or renamed into place for `--output`. Records are written as
//! read, conversation-level fields on the records that carried them; repeated `message_id`s are
//! dropped (and counted).

use crate::cli::{ConvertArgs, RecordFormat};
use crate::config::Config;
use crate::error::Error;
use crate::logs::{self, ReadOptions};
use crate::output;
use crate::report::records::{self, Spool};

pub fn run(args: &ConvertArgs) -> Result<u8, Error> {
    let config = Config::discover(args.common.config.as_deref())?;
    let config_path = config.path.clone();
    let opts = ReadOptions {
        format: args.input.input_format,
        strict: args.input.strict,
        interleaved: args.input.interleaved,
        hold: args.input.hold(),
        import: config.import.clone(),
    };
    crate::cmd::guard_outputs(
        &[args.output.as_deref()],
        &config_path.as_deref().into_iter().collect::<Vec<_>>(),
        Some((&args.input, &opts)),
    )?;
    let mut sink = Spool::new()?;
    let stats = logs::read(&args.input.logs, &opts, &mut sink)?;
    if !args.common.quiet {
        crate::output::note(&stats.report());
    }
    if stats.messages == 0 {
        return Err(crate::cmd::nothing_read(&args.input, &opts, &stats));
    }
    let (mut reader, segments) = sink.finish()?;
    output::stream(args.output.as_deref(), |out| match args.to {
        RecordFormat::Jsonl => std::io::copy(&mut reader, out).map(|_| ()),
        RecordFormat::Csv => records::to_csv(reader, &segments, out).map_err(|e| match e {
            Error::Write { source, .. } => source,
            other => std::io::Error::other(other.to_string()),
        }),
    })?;
    Ok(0)
}

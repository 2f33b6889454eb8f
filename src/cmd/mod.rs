//! One module per subcommand. Each takes its parsed arguments and returns the exit status.

pub mod common;
pub mod completions;
pub mod convert;
pub mod diff;
pub mod explain;
pub mod init;
pub mod lint;
pub mod merge;
pub mod metrics;
pub mod replay;
pub mod rules;
pub mod schema;
pub mod test;

use std::path::{Path, PathBuf};

use crate::cli::LogArgs;
use crate::error::Error;
use crate::logs::ReadOptions;

/// Refuses, before any input is read, an output that names one of the inputs: the given files
/// (matrices, cases, `handoff.toml`) or a log file that `logs` expands to (SPEC section 1).
pub fn guard_outputs(
    outputs: &[Option<&Path>],
    files: &[&Path],
    logs: Option<(&LogArgs, &ReadOptions)>,
) -> Result<(), Error> {
    if outputs.iter().all(|o| crate::output::is_stdout(*o)) {
        return Ok(());
    }
    let mut inputs: Vec<PathBuf> = files.iter().map(|p| p.to_path_buf()).collect();
    if let Some((logs, read)) = logs {
        let mut notes = Vec::new();
        let expanded = crate::logs::input::expand(&logs.logs, read.forced(), &mut notes)?;
        inputs.extend(expanded.into_iter().filter_map(|i| i.path));
    }
    Ok(crate::output::refuse_inputs(outputs, &inputs)?)
}

/// The error for logs that gave no conversation (SPEC section 1): a report over nothing must
/// never pass a CI gate. It names what was given and what reading it found.
pub fn nothing_read(
    logs: &LogArgs,
    read: &ReadOptions,
    stats: &crate::logs::accounting::Stats,
) -> Error {
    let given: Vec<String> = logs.logs.iter().map(|p| p.display().to_string()).collect();
    let mut notes = Vec::new();
    let files = crate::logs::input::expand(&logs.logs, read.forced(), &mut notes)
        .map_or(0, |inputs| inputs.len());
    let files_word = if files == 1 {
        "1 file".to_owned()
    } else {
        format!("{files} files")
    };
    let (read, hint) = if files == 0 {
        let mut read = "no log files".to_owned();
        for n in &notes {
            // "DIR: passed over N files that are not …": the count, without the list the hint gives.
            let part = n.split_once(": ").map_or(n.as_str(), |p| p.1);
            let part = part.split_once(" that are not").map_or(part, |p| p.0);
            read.push_str(&format!(", {part}"));
        }
        let hint = "a folder is read for its .jsonl, .ndjson, .json, .csv and .txt files (optionally .gz); name other files directly, with --input-format";
        (read, hint)
    } else if stats.records == 0 {
        (
            format!("{files_word}, 0 records"),
            "the input is empty; check that it is the export you meant",
        )
    } else {
        let records = match stats.records {
            1 => "1 record, skipped".to_owned(),
            n => format!(
                "{} records, every one skipped",
                crate::logs::accounting::thousands(n)
            ),
        };
        let mut read = format!("{files_word}, {records}");
        let reasons: Vec<String> = stats
            .by_reason
            .iter()
            .map(|(r, n)| format!("{} {}", crate::logs::accounting::thousands(*n), r.words()))
            .collect();
        if !reasons.is_empty() {
            read.push_str(&format!(" ({})", reasons.join(", ")));
        }
        let hint = "check --input-format and the field names; handoff convert shows what the importers read";
        (read, hint)
    };
    Error::NothingRead {
        given: given.join(", "),
        read,
        hint: hint.into(),
    }
}

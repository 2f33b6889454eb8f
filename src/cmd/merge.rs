//! `handoff merge PARTIAL…`: the report of one run over every shard, from the shards' partial
//! reports (SPEC section 5.7), in any report format and with gates, byte-identical to what
//! `replay` over all the shards' logs prints whatever the order of the partials.
//!
//! Exit 0; 1 when a gate failed; 2 when a partial cannot be read, is not a partial, is truncated
//! or inconsistent, is of another matrix or handoff version, when two partials share a
//! conversation, or when the partials hold no conversation at all.

use std::io::Read;
use std::path::Path;

use crate::cli::MergeArgs;
use crate::cmd::common;
use crate::config::Config;
use crate::error::Error;
use crate::metrics::gates;
use crate::metrics::partial::{combine, read};
use crate::output;

/// The text of one partial file, or of stdin for `-`.
fn text_of(path: &Path) -> Result<String, Error> {
    let name = path.display().to_string();
    let mut text = String::new();
    let read = if path.as_os_str() == "-" {
        std::io::stdin().lock().read_to_string(&mut text)
    } else {
        std::fs::File::open(path).and_then(|mut f| f.read_to_string(&mut text))
    };
    read.map_err(|source| Error::Read { path: name, source })?;
    Ok(text)
}

pub fn run(args: &MergeArgs) -> Result<u8, Error> {
    let config = Config::discover(args.common.config.as_deref())?;
    let (gates, allow_null) = common::gates(&config, &args.report)?;
    let out = args.report.output.as_deref();
    let mut inputs = args.partials.clone();
    inputs.extend(config.path.clone());
    output::refuse_inputs(&[out], &inputs)?;
    let mut parts = Vec::new();
    for path in &args.partials {
        let name = if path.as_os_str() == "-" {
            "standard input".to_owned()
        } else {
            path.display().to_string()
        };
        parts.extend(read::read(&text_of(path)?, &name)?);
    }
    let count = parts.len();
    let merged = combine::combine(parts)?;
    if !args.common.quiet {
        let mut note = format!(
            "merged {}: {}\n",
            crate::text::plural(count, "partial report", "partial reports"),
            merged.stats.summary()
        );
        if !merged.other_names.is_empty() {
            note.push_str(&format!(
                "note: the partials name the matrix `{}` and also {}; the report names it `{}`\n",
                merged.name,
                merged.other_names.join(", "),
                merged.name
            ));
        }
        output::note(&note);
    }
    if merged.stats.messages == 0 {
        return Err(Error::NothingRead {
            given: args
                .partials
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", "),
            read: format!(
                "{} of shards with no conversation ({})",
                crate::text::plural(count, "partial report", "partial reports"),
                merged.stats.summary()
            ),
            hint: "check the inputs the shards were replayed from".into(),
        });
    }
    let figures = merged.logged.figures();
    let report = merged
        .aggregate
        .report_shaped(&merged.shape, &merged.stats, &figures);
    let checked = gates::check(&gates, &report, allow_null);
    let format = common::report_format(args.report.format, out);
    let text = common::render(format, &report, &merged.name, &checked);
    output::emit(out, &text)?;
    output::note(&crate::report::gates::notes(&checked));
    Ok(u8::from(checked.iter().any(gates::Checked::failed)))
}

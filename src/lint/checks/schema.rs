//! # E002 schema
//!
//! Fires when a key is unknown, a value has the wrong type, or a required key is missing.
//!
//! ## What it does
//! Reports a key the matrix format does not have at that place (with a "did you mean" when a
//! known key is close), a value of the wrong type (a string where a number belongs), a required
//! key that is missing (`version`, `lanes`, `triggers`; a lane's `priority` and `handoff.message`;
//! a trigger's `id`, `lane` and `when`), an empty `lanes` or `triggers`, an unknown `pii` kind, and
//! a `lint:` entry that names no check.
//!
//! ## Why it matters
//! A misspelt key is silently ignored by most YAML tools: `confidence_bellow: 0.6` would leave a
//! trigger without its confidence condition, and the matrix would route differently from what its
//! author reads. handoff refuses unknown keys so that every line of the file means something.
//!
//! ## Example
//! ```yaml
//! lanes:
//!   billing:
//!     priorty: 2          # unknown key: did you mean `priority`?
//!     handoff: {message: "I'm bringing in {agent}.", agent: Sam}
//! triggers:
//!   - id: refund
//!     lane: billing
//!     when: {confidence_below: high}   # expected a number
//! ```
//!
//! ## How to fix
//! Rename the key to the suggested one, give the value the type shown, or add the missing key.
//! `handoff schema` prints the whole format as a JSON Schema; point your editor at it to get
//! completion and these errors as you type.

use crate::lint::{Check, Code, Context, Finding};
use crate::matrix::decode::Problem;
use crate::text::did_you_mean;

pub struct Schema;

impl Check for Schema {
    fn code(&self) -> Code {
        Code::E002
    }

    fn run(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for p in cx.problems {
            let f = match p {
                Problem::UnknownKey { key, span, within, known } => {
                    let f = Finding::new(Code::E002, *span, format!("unknown key `{key}` in {within}"));
                    match did_you_mean(key, known.iter().copied()) {
                        Some(s) => f.label(format!("did you mean `{s}`?")).help(format!("rename it to `{s}`")),
                        None => f.label("unknown key").help(format!("the keys of {within} are: {}", known.join(", "))),
                    }
                }
                Problem::WrongType { span, what, expected, found } => {
                    Finding::new(Code::E002, *span, format!("{what} must be {expected}, found {found}"))
                        .label(format!("expected {expected}"))
                        .help(format!("use {expected} here"))
                }
                Problem::Missing { key, within, span } => {
                    Finding::new(Code::E002, *span, format!("{within} is missing the required key `{key}`"))
                        .label(format!("`{key}` is missing"))
                        .help(format!("add `{key}:`; `handoff schema` shows the format"))
                }
                Problem::UnknownValue { value, span, what, known } => {
                    let f = Finding::new(Code::E002, *span, format!("unknown {what} `{value}`"));
                    match did_you_mean(value, known.iter().copied()) {
                        Some(s) => f.label(format!("did you mean `{s}`?")).help(format!("use one of: {}", known.join(", "))),
                        None => f.label(format!("not a {what}")).help(format!("use one of: {}", known.join(", "))),
                    }
                }
                Problem::NoEntries { span, what } => Finding::new(Code::E002, *span, format!("`{what}` is empty"))
                    .label(format!("no {what}"))
                    .help(format!("a matrix needs at least one entry under `{what}`")),
                Problem::EmptyFile { span } => Finding::new(Code::E002, *span, "the file is empty")
                    .label("nothing here")
                    .help("a matrix needs `version: 1`, at least one lane under `lanes:` and one trigger under `triggers:`"),
                Problem::DuplicateKey { .. } => continue,
            };
            out.push(f);
        }
        // A `lint:` entry that names no check, or tries to silence an error.
        if let Some(l) = &cx.raw.lint {
            let mut probe = crate::lint::Levels::default();
            for (list, level) in [
                (&l.value.allow, crate::lint::levels::Level::Allow),
                (&l.value.warn, crate::lint::levels::Level::Warn),
                (&l.value.deny, crate::lint::levels::Level::Deny),
            ] {
                for item in list.iter().flat_map(|x| x.value.iter()) {
                    if let Err(e) = probe.set(&item.value, level) {
                        out.push(
                            Finding::new(Code::E002, item.span, e.to_string())
                                .label("not a lint level this file can set")
                                .help("name a warning by its code (W111) or name (broad-keyword); `handoff rules` lists them"),
                        );
                    }
                }
            }
        }
    }
}

//! # E001 yaml-syntax
//!
//! Fires when the file is not valid YAML, or is past handoff's size limits.
//!
//! ## What it does
//! Reports a file that cannot be read as YAML: a syntax error, bytes that are not UTF-8, or a
//! document past handoff's limits (more than 64 levels of nesting, alias expansion that would
//! grow the document past 100,000 events, more than one document in the file).
//!
//! ## Why it matters
//! Nothing else can be checked in a file that does not parse, and a replay would refuse it. The
//! limits keep a hostile or broken file (an "alias bomb", thousands of nested brackets) from
//! taking minutes or gigabytes; no real matrix comes near them.
//!
//! ## Example
//! ```yaml
//! lanes:
//!   billing: {priority: 2
//!   retention: {priority: 3}
//! ```
//! The flow mapping on the second line is never closed.
//!
//! ## How to fix
//! Fix the YAML at the position shown: close brackets and quotes, indent nested keys with spaces
//! (not tabs), quote values that contain `: ` or start with `*`, `&`, `!`, `%` or `@`, and keep
//! one document per file.

use crate::lint::{Check, Code, Context, Finding};
use crate::matrix::yaml::SyntaxError;

pub struct YamlSyntax;

impl Check for YamlSyntax {
    fn code(&self) -> Code {
        Code::E001
    }
    /// Syntax errors are found by the parser before any check runs; see [`finding`].
    fn run(&self, _: &Context<'_>, _: &mut Vec<Finding>) {}
}

/// The finding for a file the YAML parser refused.
pub fn finding(e: &SyntaxError) -> Finding {
    let (message, help) = if e.message.contains("Documents {") {
        (
            "the file holds more than one YAML document".to_owned(),
            "keep one matrix per file: remove the `---` separator and what follows, or split the file",
        )
    } else if e.message.contains("recursion limit") || e.message.contains("depth") {
        (
            "the YAML nests deeper than 64 levels".to_owned(),
            "a matrix needs a handful of levels; look for unbalanced brackets",
        )
    } else if e.message.contains("Anchor")
        || e.message.contains("Alias")
        || e.message.contains("alias")
    {
        (
            "the YAML's aliases expand past handoff's limit of 100,000 events".to_owned(),
            "expand the aliases by hand or remove them; a matrix needs no more than a few",
        )
    } else if e.message.contains("budget breached") {
        (
            "the YAML is larger than handoff's limits (500,000 events, 200,000 values)".to_owned(),
            "a matrix has hundreds of values, not hundreds of thousands: is this the right file?",
        )
    } else {
        (
            format!("invalid YAML: {}", e.message),
            "fix the YAML at this position; `handoff rules E001` lists the usual causes",
        )
    };
    Finding::new(Code::E001, e.span, message)
        .label("here")
        .help(help)
}

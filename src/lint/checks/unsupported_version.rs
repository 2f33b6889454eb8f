//! # E003 unsupported-version
//!
//! Fires when `version` is not one this build reads.
//!
//! ## What it does
//! Reports a `version` this build of handoff does not read. This build reads version 1.
//!
//! ## Why it matters
//! The version says which rules the file was written for. Reading a file written for another
//! version with this version's rules could route conversations differently from what its author
//! intended, without any visible error.
//!
//! ## Example
//! ```yaml
//! version: 2
//! lanes: ...
//! ```
//!
//! ## How to fix
//! Write `version: 1` if the file follows the format `handoff schema` prints, or install the
//! handoff release that reads the version the file was written for.

use crate::lint::{Check, Code, Context, Finding};

/// The matrix format versions this build reads.
pub const SUPPORTED: &[i64] = &[1];

pub struct UnsupportedVersion;

impl Check for UnsupportedVersion {
    fn code(&self) -> Code {
        Code::E003
    }

    fn run(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        if let Some(v) = &cx.raw.version
            && !SUPPORTED.contains(&v.value)
        {
            out.push(
                Finding::new(
                    Code::E003,
                    v.span,
                    format!("matrix version {} is not supported", v.value),
                )
                .label("this build reads version 1")
                .help("write `version: 1` and check the file against `handoff schema`"),
            );
        }
    }
}

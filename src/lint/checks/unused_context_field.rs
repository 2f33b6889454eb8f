//! # W115 unused-context-field
//!
//! Fires when a context extractor is used by no lane and no template.
//!
//! ## What it does
//! Reports a `context` extractor that no lane lists under `requires` and no handoff message uses
//! as a placeholder.
//!
//! ## Why it matters
//! An unused extractor costs a regex run on every customer message in every replay and suggests
//! a payload field that was meant to be required somewhere and was forgotten.
//!
//! ## Example
//! ```yaml
//! context:
//!   order_id: '(?i)order\s*#?(\d{4,})'
//!   iban: '\b[A-Z]{2}\d{2}[A-Z0-9]{11,30}\b'     # no lane requires it
//! ```
//!
//! ## How to fix
//! Add the field to the `requires` of the lanes that need it, or delete the extractor.

use crate::lint::{Check, Code, Context, Finding};
use crate::matrix::template;

pub struct UnusedContextField;

impl Check for UnusedContextField {
    fn code(&self) -> Code {
        Code::W115
    }

    fn run(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let Some(context) = &cx.raw.context else {
            return;
        };
        for (name, _) in context.value.iter() {
            let used = cx.lanes().any(|l| {
                l.value
                    .requires
                    .as_ref()
                    .is_some_and(|r| r.value.iter().any(|x| x.value == name.value))
                    || l.value
                        .handoff
                        .as_ref()
                        .and_then(|h| h.value.message.as_ref())
                        .is_some_and(|m| template::fields(&m.value).contains(&name.value.as_str()))
            });
            if !used {
                out.push(
                    Finding::new(
                        Code::W115,
                        name.span,
                        format!("the context field `{}` is not used", name.value),
                    )
                    .label("no lane requires it and no message uses it")
                    .help(format!(
                        "add `{}` to a lane's `requires`, or delete the extractor",
                        name.value
                    )),
                );
            }
        }
    }
}

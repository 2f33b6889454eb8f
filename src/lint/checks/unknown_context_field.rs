//! # E016 unknown-context-field
//!
//! Fires when a lane requires a context field that no extractor defines.
//!
//! ## What it does
//! Reports a lane whose `requires` names a field that nothing captures: not the built-in
//! `intent` or `customer_name`, and not an extractor under `context:`.
//!
//! ## Why it matters
//! `requires` lists the handoff payload an agent needs to start working (the order number, the
//! intent). A field nothing captures can never be present, so every escalation into the lane
//! would count as incomplete in `context_completeness`.
//!
//! ## Example
//! ```yaml
//! context:
//!   order_id: '(?i)order\s*#?(\d{4,})'
//! lanes:
//!   billing:
//!     priority: 2
//!     requires: [intent, order_number]   # did you mean `order_id`?
//!     handoff: {message: "..."}
//! ```
//!
//! ## How to fix
//! Use the name of an extractor under `context:`, add one, or use `intent` / `customer_name`.

use crate::lint::{Check, Code, Context, Finding};
use crate::text::did_you_mean;

pub struct UnknownContextField;

/// Fields that exist without a `context:` extractor.
pub const BUILT_IN: [&str; 2] = ["intent", "customer_name"];

impl Check for UnknownContextField {
    fn code(&self) -> Code {
        Code::E016
    }

    fn run(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let fields = cx.context_fields();
        for lane in cx.lanes() {
            for r in lane.value.requires.iter().flat_map(|r| r.value.iter()) {
                if BUILT_IN.contains(&r.value.as_str()) || fields.contains(&r.value.as_str()) {
                    continue;
                }
                let f = Finding::new(
                    Code::E016,
                    r.span,
                    format!(
                        "lane `{}` requires `{}`, which no context extractor defines",
                        lane.value.id.value, r.value
                    ),
                );
                out.push(match did_you_mean(&r.value, BUILT_IN.iter().copied().chain(fields.iter().copied())) {
                    Some(s) => f.label(format!("did you mean `{s}`?")).help(format!("write `{s}`")),
                    None => f.label("nothing captures this field").help(format!(
                        "add `{}: '<regex with one capture group>'` under `context:`, or use intent or customer_name",
                        r.value
                    )),
                });
            }
        }
    }
}

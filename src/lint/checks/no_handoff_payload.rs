//! # W114 no-handoff-payload
//!
//! Fires when a lane has no `requires`, so agents may start cold.
//!
//! ## What it does
//! Reports a lane with no `requires` (absent or empty): the lane does not say which context an
//! agent needs when a conversation arrives.
//!
//! ## Why it matters
//! "Zero-loss handoff payload is mandatory (intent, customer segment, identifiers…)." Agents who
//! start cold ask the customer to repeat themselves, the most common complaint about handoffs.
//! `requires` is also what `context_completeness` measures.
//!
//! ## Example
//! ```yaml
//! lanes:
//!   billing:
//!     priority: 3
//!     handoff: {message: "..."}        # what does the billing team need?
//! ```
//!
//! ## How to fix
//! List the fields: `requires: [intent, order_id]`, defining extractors under `context:` for
//! anything beyond `intent` and `customer_name`.

use crate::lint::{Check, Code, Context, Finding};

pub struct NoHandoffPayload;

impl Check for NoHandoffPayload {
    fn code(&self) -> Code {
        Code::W114
    }

    fn run(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for lane in cx.lanes() {
            let id = &lane.value.id.value;
            let span = match &lane.value.requires {
                None => lane.value.id.span,
                Some(r) if r.value.0.is_empty() => r.span,
                Some(_) => continue,
            };
            out.push(
                Finding::new(Code::W114, span, format!("lane `{id}` requires no context"))
                    .label("agents will start cold")
                    .help("add `requires: [intent, ...]` with what the agent needs"),
            );
        }
    }
}

//! # E020 reserved-context-field
//!
//! Fires when a `context` field is named after a built-in capture or a placeholder.
//!
//! ## What it does
//! Reports a field under `context:` named `intent` or `customer_name` (the captures handoff has
//! built in) or `agent`, `eta` or `lane` (the placeholders a handoff message fills from the lane).
//! The finding points at the field's name.
//!
//! ## Why it matters
//! The name already means something: `{agent}` in a message is the lane's `handoff.agent`, and
//! `requires: [intent]` is met by the customer's intent. An extractor of the same name would be
//! silently ignored in one place and used in another, so an agent could receive a payload that
//! is not what the matrix seems to say.
//!
//! ## Example
//! ```yaml
//! context:
//!   agent: '(?i)my agent is (\w+)'     # {agent} is the lane's handoff.agent
//!   intent: '(?i)i want to (\w+)'      # intent is the bot's label of the message
//! ```
//!
//! ## How to fix
//! Rename the field (`customer_agent`, `stated_goal`) and use the new name in `requires` and in
//! the messages.

use crate::lint::{Check, Code, Context, Finding};

pub struct ReservedContextField;

/// The names a `context` field may not take (SPEC section 2).
pub const RESERVED: [&str; 5] = ["intent", "customer_name", "agent", "eta", "lane"];

impl Check for ReservedContextField {
    fn code(&self) -> Code {
        Code::E020
    }

    fn run(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let Some(context) = &cx.raw.context else {
            return;
        };
        for (name, _) in context.value.iter() {
            let Some(reserved) = RESERVED.iter().find(|r| **r == name.value) else {
                continue;
            };
            let what = if ["intent", "customer_name"].contains(reserved) {
                "a built-in capture"
            } else {
                "a placeholder filled from the lane"
            };
            out.push(
                Finding::new(
                    Code::E020,
                    name.span,
                    format!("the context field `{reserved}` is named after {what}"),
                )
                .label(format!("`{reserved}` is reserved"))
                .help(format!(
                    "rename it (for example `customer_{reserved}`) in `context:`, `requires` and the messages"
                )),
            );
        }
    }
}

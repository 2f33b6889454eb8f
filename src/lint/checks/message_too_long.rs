//! # E018 message-too-long
//!
//! Fires when a handoff message is over 4,096 characters, WhatsApp's text limit.
//!
//! ## What it does
//! Reports a handoff message longer than 4,096 characters, WhatsApp's limit for one text message.
//! The length is counted in characters after `{agent}`, `{eta}` and `{lane}` are filled in from
//! the lane; other placeholders count as written.
//!
//! ## Why it matters
//! The Cloud API rejects a longer text, so the customer would get no handoff message at all at
//! the moment it matters most.
//!
//! ## Example
//! ```yaml
//! lanes:
//!   compliance:
//!     priority: 1
//!     handoff:
//!       message: "Thank you for contacting us regarding ... (five thousand characters of policy)"
//! ```
//!
//! ## How to fix
//! Keep the handoff message to a few sentences: who is coming and when. Send policy text as a
//! link or a document, not in the handoff.

use crate::lint::{Check, Code, Context, Finding};
use crate::matrix::template;

pub struct MessageTooLong;

/// WhatsApp's limit for one text message body, in characters.
pub const LIMIT: usize = 4096;

impl Check for MessageTooLong {
    fn code(&self) -> Code {
        Code::E018
    }

    fn run(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for lane in cx.lanes() {
            let Some(h) = &lane.value.handoff else {
                continue;
            };
            let Some(msg) = &h.value.message else {
                continue;
            };
            let l = &lane.value;
            let rendered = template::render(&msg.value, &|name| match name {
                "agent" => h.value.agent.as_ref().map(|a| a.value.clone()),
                "eta" => h.value.eta.as_ref().map(|e| e.value.clone()),
                "lane" => Some(
                    l.title
                        .as_ref()
                        .map_or_else(|| l.id.value.clone(), |t| t.value.clone()),
                ),
                _ => None,
            });
            let chars = rendered.chars().count();
            if chars > LIMIT {
                out.push(
                    Finding::new(
                        Code::E018,
                        msg.span,
                        format!(
                            "the handoff message of lane `{}` is {chars} characters long",
                            l.id.value
                        ),
                    )
                    .label(format!("{chars} characters; WhatsApp allows {LIMIT}"))
                    .help("shorten it to a few sentences: who is coming and when"),
                );
            }
        }
    }
}

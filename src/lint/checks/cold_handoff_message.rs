//! # W105 cold-handoff-message
//!
//! Fires when a handoff message says "transferring you", "please hold" or the like.
//!
//! ## What it does
//! Reports a handoff message that uses the language of a call-centre queue. The phrases looked
//! for (case-insensitive, whole words) are: "transferring you", "transfer you", "transferred",
//! "please hold", "hold on", "hold the line", "on hold", "please wait", "please be patient",
//! "in a queue", "in the queue", "your call is important", "redirecting you". The finding points
//! at the phrase inside the message.
//!
//! ## Why it matters
//! "Do NOT say 'transferring you'. Customers hear 'on hold for 20 min'." A handoff that names a
//! person and a time calms the customer; a queue phrase tells them to expect a wait.
//!
//! ## Example
//! ```yaml
//! handoff:
//!   message: "Please hold while I transfer you to an agent."
//! ```
//!
//! ## How to fix
//! Say who is coming and when: "I'm bringing in {agent} from our team — {agent} will reply within
//! {eta}."

use crate::lint::{Check, Code, Context, Finding};
use crate::text;

pub struct ColdHandoffMessage;

/// The queue phrases this check looks for, as documented above.
pub const COLD_PHRASES: [&str; 13] = [
    "transferring you",
    "transfer you",
    "transferred",
    "please hold",
    "hold on",
    "hold the line",
    "on hold",
    "please wait",
    "please be patient",
    "in a queue",
    "in the queue",
    "your call is important",
    "redirecting you",
];

impl Check for ColdHandoffMessage {
    fn code(&self) -> Code {
        Code::W105
    }

    fn run(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for lane in cx.lanes() {
            let Some(msg) = lane
                .value
                .handoff
                .as_ref()
                .and_then(|h| h.value.message.as_ref())
            else {
                continue;
            };
            // Report each distinct place once: "please hold" and "on hold" can overlap.
            let mut last_end = 0;
            let mut hits: Vec<(usize, usize, &str)> = COLD_PHRASES
                .iter()
                .filter_map(|p| text::find_phrase(p, &msg.value).map(|(s, e)| (s, e, *p)))
                .collect();
            hits.sort();
            for (s, e, phrase) in hits {
                if s < last_end {
                    continue;
                }
                last_end = e;
                out.push(
                    Finding::new(Code::W105, cx.inner_span(msg, s, e), format!("the handoff message says \"{phrase}\""))
                        .label("sounds like a queue")
                        .help("name who is coming and when: \"I'm bringing in {agent}, who will reply within {eta}.\""),
                );
            }
        }
    }
}

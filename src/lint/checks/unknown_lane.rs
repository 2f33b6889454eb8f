//! # E010 unknown-lane
//!
//! Fires when a trigger routes to a lane that is not defined.
//!
//! ## What it does
//! Reports a trigger whose `lane` is not one of the lanes defined under `lanes:`, with a "did you
//! mean" when a defined lane is close.
//!
//! ## Why it matters
//! A conversation that hits this trigger would have nowhere to go: the handoff message, the
//! priority and the target queue all come from the lane.
//!
//! ## Example
//! ```yaml
//! lanes:
//!   billing: {priority: 2, handoff: {message: "..."}}
//! triggers:
//!   - id: refund
//!     lane: biling          # did you mean `billing`?
//!     when: {intents: [refund]}
//! ```
//!
//! ## How to fix
//! Correct the lane name, or define the lane under `lanes:`.

use crate::lint::{Check, Code, Context, Finding};
use crate::text::did_you_mean;

pub struct UnknownLane;

impl Check for UnknownLane {
    fn code(&self) -> Code {
        Code::E010
    }

    fn run(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        // Without a usable `lanes:` key, E002 has already said what is wrong.
        let Some(lanes) = &cx.raw.lanes else { return };
        for t in cx.triggers() {
            let Some(lane) = &t.value.lane else { continue };
            if lanes.value.get(&lane.value).is_some() {
                continue;
            }
            let f = Finding::new(
                Code::E010,
                lane.span,
                format!("trigger routes to unknown lane `{}`", lane.value),
            );
            let f = match did_you_mean(&lane.value, lanes.value.keys()) {
                Some(s) => f
                    .label(format!("did you mean `{s}`?"))
                    .help(format!("change the lane to `{s}`")),
                None => f.label("no such lane").help(format!(
                    "define `{}` under `lanes:`, or use one of: {}",
                    lane.value,
                    lanes.value.keys().collect::<Vec<_>>().join(", ")
                )),
            };
            out.push(f);
        }
    }
}

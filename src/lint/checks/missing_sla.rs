//! # W113 missing-sla
//!
//! Fires when a lane has no first-response SLA.
//!
//! ## What it does
//! Reports a lane with no `sla.first_response`.
//!
//! ## Why it matters
//! Without a first-response SLA, replay cannot tell whether an escalation into the lane risks the
//! WhatsApp service window (`window_risk_rate`), and the team behind the lane has no target to
//! staff for. "Priority lanes determine how fast."
//!
//! ## Example
//! ```yaml
//! lanes:
//!   billing:
//!     priority: 3
//!     handoff: {message: "..."}        # no sla
//! ```
//!
//! ## How to fix
//! Add `sla: {first_response: 30m}` with the time the team commits to.

use crate::lint::{Check, Code, Context, Finding};

pub struct MissingSla;

impl Check for MissingSla {
    fn code(&self) -> Code {
        Code::W113
    }

    fn run(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for lane in cx.lanes() {
            let has = lane
                .value
                .sla
                .as_ref()
                .is_some_and(|s| s.value.first_response.is_some());
            if !has {
                let id = &lane.value.id.value;
                out.push(
                    Finding::new(
                        Code::W113,
                        lane.value.id.span,
                        format!("lane `{id}` has no first-response SLA"),
                    )
                    .label("no sla.first_response")
                    .help("add `sla: {first_response: 30m}` with the time the team commits to"),
                );
            }
        }
    }
}

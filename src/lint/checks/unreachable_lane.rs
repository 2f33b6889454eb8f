//! # W107 unreachable-lane
//!
//! Fires when no trigger routes to a lane.
//!
//! ## What it does
//! Reports a lane that no trigger routes to.
//!
//! ## Why it matters
//! A lane nothing routes to is either left over from an old version of the rules, or a lane whose
//! trigger was forgotten, or misspelt in a way that another check did not catch. Either way its
//! agents will never receive a conversation from the bot.
//!
//! ## Example
//! ```yaml
//! lanes:
//!   retention: {priority: 3, handoff: {message: "..."}}    # no trigger says `lane: retention`
//! ```
//!
//! ## How to fix
//! Add a trigger for the lane (`lane: retention`, `when: {keywords: [cancel, switching]}`), or
//! delete the lane.

use crate::lint::{Check, Code, Context, Finding};

pub struct UnreachableLane;

impl Check for UnreachableLane {
    fn code(&self) -> Code {
        Code::W107
    }

    fn run(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        if cx.raw.triggers.is_none() {
            return;
        }
        for lane in cx.lanes() {
            let id = &lane.value.id.value;
            if !cx
                .triggers()
                .any(|t| t.value.lane.as_ref().is_some_and(|l| &l.value == id))
            {
                out.push(
                    Finding::new(
                        Code::W107,
                        lane.value.id.span,
                        format!("no trigger routes to lane `{id}`"),
                    )
                    .label("unreachable lane")
                    .help(format!(
                        "add a trigger with `lane: {id}`, or remove the lane"
                    )),
                );
            }
        }
    }
}

//! # W109 priority-tie
//!
//! Fires when two lanes share a priority, so file order decides.
//!
//! ## What it does
//! Reports two lanes with the same `priority`.
//!
//! ## Why it matters
//! When triggers of both lanes hold at one message, the tie is broken by the order of the
//! triggers in the file, which is easy to change by accident when rules are reordered or merged.
//! Priorities exist to make the choice explicit.
//!
//! ## Example
//! ```yaml
//! lanes:
//!   billing:   {priority: 3, handoff: {message: "..."}}
//!   retention: {priority: 3, handoff: {message: "..."}}   # same as billing
//! ```
//!
//! ## How to fix
//! Give each lane its own priority number, 1 for the most urgent.

use crate::lint::{Check, Code, Context, Finding};

pub struct PriorityTie;

impl Check for PriorityTie {
    fn code(&self) -> Code {
        Code::W109
    }

    fn run(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let mut seen: Vec<(i64, &str, crate::source::Span)> = Vec::new();
        for lane in cx.lanes() {
            let Some(p) = &lane.value.priority else {
                continue;
            };
            match seen.iter().find(|(q, _, _)| *q == p.value) {
                Some((_, other, first)) => {
                    let line = cx.source.position(first.start).line;
                    out.push(
                        Finding::new(
                            Code::W109,
                            p.span,
                            format!(
                                "lanes `{other}` and `{}` share priority {}",
                                lane.value.id.value, p.value
                            ),
                        )
                        .label(format!("same priority as `{other}`"))
                        .related(
                            *first,
                            format!("`{other}` has priority {} (line {line})", p.value),
                        )
                        .help("give each lane its own priority so file order never decides"),
                    );
                }
                None => seen.push((p.value, &lane.value.id.value, p.span)),
            }
        }
    }
}

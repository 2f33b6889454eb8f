//! # E015 unknown-placeholder
//!
//! Fires when a handoff template has a placeholder with no value.
//!
//! ## What it does
//! Reports a placeholder in a lane's `handoff.message` that has no value: a name that is not
//! `{agent}`, `{eta}`, `{lane}`, `{customer_name}` or a field under `context:`; `{agent}` in a lane
//! with no `handoff.agent`; `{eta}` in a lane with no `handoff.eta`; and a brace with no partner.
//! `{{` and `}}` write literal braces.
//!
//! ## Why it matters
//! The handoff message is the one thing the customer reads at the moment they are passed to a
//! person. A placeholder without a value would reach them as `{agnet}` or as a gap.
//!
//! ## Example
//! ```yaml
//! lanes:
//!   recovery:
//!     priority: 4
//!     handoff:
//!       message: "I'm bringing in {agnet}, who will reply within {eta}."   # did you mean {agent}?
//!       agent: Anita
//!                                                   # and no `eta:` for {eta}
//! ```
//!
//! ## How to fix
//! Correct the name, add the missing `handoff.agent` or `handoff.eta`, define the field under
//! `context:`, or write `{{` for a literal brace.

use crate::lint::{Check, Code, Context, Finding};
use crate::matrix::template::{self, Piece};
use crate::text::did_you_mean;

pub struct UnknownPlaceholder;

/// The placeholders every template may use, besides context fields.
pub const BUILT_IN: [&str; 4] = ["agent", "eta", "lane", "customer_name"];

impl Check for UnknownPlaceholder {
    fn code(&self) -> Code {
        Code::E015
    }

    fn run(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let context = cx.context_fields();
        for lane in cx.lanes() {
            let Some(h) = &lane.value.handoff else {
                continue;
            };
            let Some(msg) = &h.value.message else {
                continue;
            };
            for piece in template::parse(&msg.value) {
                match piece {
                    Piece::Field { name, start, end } => {
                        let span = cx.inner_span(msg, start, end);
                        let known = BUILT_IN.contains(&name) || context.contains(&name);
                        if !known {
                            let f = Finding::new(
                                Code::E015,
                                span,
                                format!("unknown placeholder `{{{name}}}`"),
                            );
                            let candidates =
                                BUILT_IN.iter().copied().chain(context.iter().copied());
                            out.push(match did_you_mean(name, candidates) {
                                Some(s) => f.label(format!("did you mean `{{{s}}}`?")).help(format!("write `{{{s}}}`")),
                                None => f.label("no such placeholder").help(
                                    "use {agent}, {eta}, {lane}, {customer_name} or a field defined under `context:`",
                                ),
                            });
                        } else if name == "agent" && h.value.agent.is_none() {
                            out.push(
                                Finding::new(
                                    Code::E015,
                                    span,
                                    format!(
                                        "`{{agent}}` has no value in lane `{}`",
                                        lane.value.id.value
                                    ),
                                )
                                .label("this lane sets no `handoff.agent`")
                                .help("add `agent: <name>` under this lane's `handoff:`"),
                            );
                        } else if name == "eta" && h.value.eta.is_none() {
                            out.push(
                                Finding::new(Code::E015, span, format!("`{{eta}}` has no value in lane `{}`", lane.value.id.value))
                                    .label("this lane sets no `handoff.eta`")
                                    .help("add `eta: <time>` (\"5 minutes\") under this lane's `handoff:`"),
                            );
                        }
                    }
                    Piece::Stray { at } => {
                        out.push(
                            Finding::new(
                                Code::E015,
                                cx.inner_span(msg, at, at + 1),
                                "a brace with no partner in the handoff message",
                            )
                            .label("unmatched brace")
                            .help(
                                "close the placeholder, or write `{{` / `}}` for a literal brace",
                            ),
                        );
                    }
                    Piece::Text(_) => {}
                }
            }
        }
    }
}

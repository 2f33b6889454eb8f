//! # W103 no-loop-breaker
//!
//! Fires when no trigger breaks a loop of bot fallbacks by the third one.
//!
//! ## What it does
//! Reports a matrix in which no trigger breaks a loop of bot fallbacks for every customer by the
//! third fallback in a row. With no `fallbacks` trigger at all, or only ones gated by other
//! conditions (a segment, an intent), the finding points at the `triggers:` key; a `fallbacks`
//! trigger that waits for more than 3 is reported at its count. Conditions under `not:` do not
//! count.
//!
//! ## Why it matters
//! A bot that answers "Sorry, I didn't get that" again and again is the most common bot trap.
//! The seeds' advice is to break the loop by the third fallback at the latest: "whatever the topic,
//! the customer has been patient enough."
//!
//! ## Example
//! ```yaml
//! triggers:
//!   - id: loop-breaker
//!     lane: recovery
//!     when: {fallbacks: 5}          # five misunderstandings in a row is four too many
//! ```
//!
//! ## How to fix
//! Add `when: {fallbacks: 3}` (or 2) routed to a recovery lane, or lower the count to 3 or less.

use crate::lint::analysis::{self, Probe, Tri};
use crate::lint::{Check, Code, Context, Finding};

pub struct NoLoopBreaker;

/// The most fallbacks a loop breaker may wait for.
pub const MAX_FALLBACKS: i64 = 3;

impl Check for NoLoopBreaker {
    fn code(&self) -> Code {
        Code::W103
    }

    fn run(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        if cx.raw.triggers.is_none() {
            return;
        }
        let counts: Vec<_> = cx
            .conditions()
            .into_iter()
            .filter(|(_, _, neg)| !neg)
            .filter_map(|(_, c, _)| c.fallbacks.as_ref())
            .collect();
        // A loop breaker holds for every customer once the streak reaches three.
        let broken = cx.triggers().any(|t| {
            t.value.when.as_ref().is_some_and(|w| {
                analysis::evaluate(&cx.memo, &w.value, Probe::fallback_streak(3)) == Tri::Always
            })
        });
        if broken {
            return;
        }
        let late: Vec<_> = counts.iter().filter(|c| c.value > MAX_FALLBACKS).collect();
        if late.is_empty() {
            let what = if counts.is_empty() {
                "no `fallbacks` trigger among these"
            } else {
                "every `fallbacks` trigger here has other conditions"
            };
            out.push(
                Finding::new(
                    Code::W103,
                    cx.raw.triggers_key,
                    "no trigger breaks a loop of bot fallbacks",
                )
                .label(what)
                .help("add a trigger `when: {fallbacks: 3}` routed to a recovery lane"),
            );
            return;
        }
        for c in late {
            out.push(
                Finding::new(
                    Code::W103,
                    c.span,
                    format!("the loop breaker waits for {} fallbacks", c.value),
                )
                .label(format!("more than {MAX_FALLBACKS}"))
                .help("hand over by the third fallback at the latest: `fallbacks: 3`"),
            );
        }
    }
}

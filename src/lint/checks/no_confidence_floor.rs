//! # W104 no-confidence-floor
//!
//! Fires when no `confidence_below` trigger, or a floor outside 0.5–0.8.
//!
//! ## What it does
//! Reports a matrix with no `confidence_below` trigger (pointing at the `triggers:` key), and a
//! `confidence_below` floor outside 0.5–0.8 inclusive (pointing at the value). Floors outside
//! 0..=1 are errors (E013) instead. Conditions under `not:` do not count.
//!
//! ## Why it matters
//! When the bot is not sure what the customer means, handing over beats guessing: "if its
//! confidence is below 60 %, it escalates… customers don't mind being handed off when the bot says
//! it doesn't know." Below 0.5 the bot answers questions it has probably misread; above 0.8 it
//! hands over conversations it could have handled.
//!
//! ## Example
//! ```yaml
//! triggers:
//!   - id: unsure
//!     lane: recovery
//!     when: {confidence_below: 0.3}      # the bot guesses at 0.31
//! ```
//!
//! ## How to fix
//! Add a trigger `when: {confidence_below: 0.6}`, or move the floor into 0.5–0.8.

use crate::lint::{Check, Code, Context, Finding};

pub struct NoConfidenceFloor;

/// The recommended band for the confidence floor, inclusive.
pub const BAND: (f64, f64) = (0.5, 0.8);

impl Check for NoConfidenceFloor {
    fn code(&self) -> Code {
        Code::W104
    }

    fn run(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        if cx.raw.triggers.is_none() {
            return;
        }
        let floors: Vec<_> = cx
            .conditions()
            .into_iter()
            .filter(|(_, _, neg)| !neg)
            .filter_map(|(_, c, _)| c.confidence_below.as_ref())
            .collect();
        if floors.is_empty() {
            out.push(
                Finding::new(
                    Code::W104,
                    cx.raw.triggers_key,
                    "no trigger hands over when the bot is unsure",
                )
                .label("no `confidence_below` trigger among these")
                .help("add a trigger `when: {confidence_below: 0.6}` routed to a human lane"),
            );
            return;
        }
        for f in floors {
            let v = f.value;
            if (0.0..=1.0).contains(&v) && !(BAND.0..=BAND.1).contains(&v) {
                let why = if v < BAND.0 {
                    "the bot will answer messages it has probably misread"
                } else {
                    "the bot will hand over conversations it could handle"
                };
                out.push(
                    Finding::new(
                        Code::W104,
                        f.span,
                        format!("confidence floor {v} is outside {}–{}", BAND.0, BAND.1),
                    )
                    .label(why)
                    .help("use a floor between 0.5 and 0.8; 0.6 is a common start"),
                );
            }
        }
    }
}

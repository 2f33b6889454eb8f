//! # W101 no-escape-hatch
//!
//! Fires when no trigger honours an explicit request for a human.
//!
//! ## What it does
//! Reports a matrix in which no trigger honours a customer's explicit request for a person: no
//! trigger mentions any of the opt-out phrases of `settings.trap.optout_phrases` (by default
//! "human", "agent", "real person", "speak to someone", "representative") in a `keywords` or
//! `regex` condition. The finding points at the `triggers:` key.
//!
//! ## Why it matters
//! WhatsApp's policy requires a clear path to a human, and customers who ask for one and keep
//! getting the bot are the ones who leave angry reviews. "Always honour 'human' or 'agent' or
//! 'speak to someone': the customer should be able to escape the bot at any time."
//!
//! ## Example
//! ```yaml
//! triggers:                      # nothing here listens for "human" or "agent"
//!   - id: refund
//!     lane: billing
//!     when: {intents: [refund]}
//! ```
//!
//! A phrase that is a list written as one string (`keywords: "human, agent, real person"`, which
//! handoff reads as one phrase, commas and all) gets a help that says so.
//!
//! ## How to fix
//! Add an escape hatch with no other conditions, routed to a lane people staff:
//! ```yaml
//!   - id: explicit-human
//!     lane: recovery
//!     when: {keywords: [human, agent, real person, speak to someone, representative]}
//! ```

use crate::lint::analysis;
use crate::lint::{Check, Code, Context, Finding};

pub struct NoEscapeHatch;

/// The phrases the help suggests: SPEC's five, the start of the default opt-out phrases (the whole
/// list is long; W116 asks for the rest once there is a hatch).
const SUGGESTED: [&str; 5] = [
    "human",
    "agent",
    "real person",
    "speak to someone",
    "representative",
];

/// A keyword phrase that is a list written as one comma-separated string, one of whose parts is
/// an opt-out phrase: its span and its parts.
fn one_string_list(
    cx: &Context<'_>,
    phrases: &[String],
) -> Option<(crate::source::Span, Vec<String>)> {
    cx.conditions().into_iter().find_map(|(_, c, _)| {
        let k = c.keywords.as_ref()?;
        k.value.iter().find_map(|p| {
            let parts: Vec<String> = p
                .value
                .split(',')
                .map(|x| x.trim().to_owned())
                .filter(|x| !x.is_empty())
                .collect();
            let listed = parts.len() > 1
                && parts.iter().any(|x| {
                    phrases
                        .iter()
                        .any(|o| crate::text::normalize(o) == crate::text::normalize(x))
                });
            listed.then_some((p.span, parts))
        })
    })
}

impl Check for NoEscapeHatch {
    fn code(&self) -> Code {
        Code::W101
    }

    fn run(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        if cx.raw.triggers.is_none() {
            return; // E002 reports the missing key
        }
        let phrases = cx.optout_phrases();
        let any_mention = cx.triggers().any(|t| {
            t.value.when.as_ref().is_some_and(|w| {
                phrases
                    .iter()
                    .any(|p| analysis::mentions(&cx.memo, &w.value, p))
            })
        });
        let any_always = cx.triggers().any(|t| {
            t.value.when.as_ref().is_some_and(|w| {
                phrases.iter().any(|p| {
                    analysis::on_first_message(&cx.memo, &w.value, p) == analysis::Tri::Always
                })
            })
        });
        if !any_mention && !any_always {
            let f = Finding::new(
                Code::W101,
                cx.raw.triggers_key,
                "no trigger honours a request for a human",
            )
            .label("no escape hatch among these triggers");
            out.push(match one_string_list(cx, &phrases) {
                // `keywords: "human, agent"` is one phrase with commas in it, not two phrases.
                Some((span, parts)) => f
                    .related(span, "one phrase, commas and all, not a list")
                    .help(format!(
                        "write the phrases as a YAML list: `keywords: [{}]`",
                        parts.join(", ")
                    )),
                None => f.help(format!(
                    "add a trigger with `when: {{keywords: [{}]}}` and no other condition",
                    SUGGESTED.join(", ")
                )),
            });
        }
    }
}

//! # W108 shadowed-trigger
//!
//! Fires when a trigger can never win: whenever it holds, a trigger that beats it holds too.
//!
//! ## What it does
//! Reports a trigger that can never win: whenever it holds, another trigger that beats it holds
//! too (a trigger beats another when its lane is more urgent, or has the same priority and the
//! trigger is listed earlier). handoff proves this from the conditions: a longer keyword phrase
//! that contains a shorter one, a lower confidence floor, more fallbacks, a subset of intents, a
//! narrower segment, and combinations of these with `all`/`any`. When the proof is not certain the
//! check stays silent.
//!
//! ## Why it matters
//! The shadowed trigger's lane never receives those conversations, and its `won` count stays at
//! zero in every replay: the rule looks active but does nothing.
//!
//! ## Example
//! ```yaml
//! triggers:
//!   - id: cancel
//!     lane: retention              # priority 3
//!     when: {keywords: [cancel]}
//!   - id: cancel-order
//!     lane: billing                # priority 3, listed later
//!     when: {keywords: [cancel my order]}   # every "cancel my order" also says "cancel"
//! ```
//!
//! ## How to fix
//! List the narrower trigger first when both lanes share a priority, make its lane more urgent,
//! or narrow the broader trigger (`not: {keywords: [cancel my order]}`).

use crate::lint::analysis;
use crate::lint::{Check, Code, Context, Finding};

pub struct ShadowedTrigger;

impl Check for ShadowedTrigger {
    fn code(&self) -> Code {
        Code::W108
    }

    fn run(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let triggers: Vec<_> = cx.triggers().collect();
        for (i, t) in triggers.iter().enumerate() {
            let (Some(tw), Some(tl)) = (&t.value.when, &t.value.lane) else {
                continue;
            };
            let Some(tp) = cx.priority(&tl.value) else {
                continue;
            };
            for (j, u) in triggers.iter().enumerate() {
                if i == j {
                    continue;
                }
                let (Some(uw), Some(ul)) = (&u.value.when, &u.value.lane) else {
                    continue;
                };
                let Some(up) = cx.priority(&ul.value) else {
                    continue;
                };
                let beats = up < tp || (up == tp && j < i);
                if !beats || !analysis::implies(&cx.memo, &tw.value, &uw.value) {
                    continue;
                }
                let tid = t
                    .value
                    .id
                    .as_ref()
                    .map_or("this trigger", |x| x.value.as_str());
                let uid = u
                    .value
                    .id
                    .as_ref()
                    .map_or("another trigger", |x| x.value.as_str());
                let uspan = u.value.id.as_ref().map_or(u.span, |x| x.span);
                let line = cx.source.position(uspan.start).line;
                let why = if up < tp {
                    format!(
                        "lane `{}` (priority {up}) is more urgent than `{}` (priority {tp})",
                        ul.value, tl.value
                    )
                } else {
                    format!("`{uid}` has the same priority and is listed first")
                };
                out.push(
                    Finding::new(
                        Code::W108,
                        t.value.id.as_ref().map_or(t.span, |x| x.span),
                        format!("trigger `{tid}` can never win: whenever it holds, `{uid}` holds too"),
                    )
                    .label(format!("always beaten by `{uid}`"))
                    .related(uspan, format!("`{uid}` (line {line}) wins: {why}"))
                    .help("list the narrower trigger first, make its lane more urgent, or narrow the broader trigger"),
                );
                break;
            }
        }
    }
}

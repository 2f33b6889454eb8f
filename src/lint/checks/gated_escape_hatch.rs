//! # W102 gated-escape-hatch
//!
//! Fires when the opt-out trigger also requires other conditions, so some customers cannot escape.
//!
//! ## What it does
//! Reports an escape hatch that only some customers can use: a trigger listens for an opt-out
//! phrase ("human", "agent", "speak to someone"…), but it also requires another condition (an
//! intent, a segment, a number of fallbacks, a low confidence, an order number in the same
//! message), and no trigger honours that phrase on its own. Each of the opt-out phrases of
//! `settings.trap.optout_phrases` is judged by itself: honouring "human" does not excuse a gated
//! "agent". Reported instead of W101 when no phrase is honoured at all.
//!
//! ## Why it matters
//! "Don't gate the escape hatch." A customer who writes "agent" and is not a VIP, or has not yet
//! suffered three fallbacks, stays with the bot: exactly the trapped customer the bot-trap
//! metric counts.
//!
//! ## Example
//! ```yaml
//! triggers:
//!   - id: explicit-human
//!     lane: recovery
//!     when:
//!       keywords: [human, agent]
//!       segment: {tier: [vip]}        # only VIPs can reach a person
//! ```
//!
//! ## How to fix
//! Move the extra condition out: keep one trigger with only the opt-out keywords, and route VIPs
//! with a separate trigger to a more urgent lane if they should be handled differently.

use crate::lint::analysis::{self, Tri};
use crate::lint::{Check, Code, Context, Finding};

pub struct GatedEscapeHatch;

impl Check for GatedEscapeHatch {
    fn code(&self) -> Code {
        Code::W102
    }

    fn run(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let phrases = cx.optout_phrases();
        let triggers: Vec<_> = cx
            .triggers()
            .filter_map(|t| t.value.when.as_ref().map(|w| (t, w)))
            .collect();
        // A phrase is honoured when some trigger holds for it whatever else is true.
        let honoured = |p: &str| {
            triggers
                .iter()
                .any(|(_, w)| analysis::on_first_message(&cx.memo, &w.value, p) == Tri::Always)
        };
        let open: Vec<&String> = phrases.iter().filter(|p| !honoured(p)).collect();
        for (t, w) in &triggers {
            let mentioned: Vec<&str> = open
                .iter()
                .filter(|p| analysis::mentions(&cx.memo, &w.value, p))
                .map(|p| p.as_str())
                .collect();
            // "live agent" is mentioned because "agent" is: name the shorter phrase only.
            let gated: Vec<&str> = mentioned
                .iter()
                .copied()
                .filter(|p| {
                    !mentioned
                        .iter()
                        .any(|q| q != p && cx.memo.contains_phrase(q, p))
                })
                .collect();
            let Some(first) = gated.first() else { continue };
            let id = t
                .value
                .id
                .as_ref()
                .map_or("this trigger", |i| i.value.as_str());
            let quoted: Vec<String> = gated.iter().map(|p| format!("\"{p}\"")).collect();
            out.push(
                Finding::new(
                    Code::W102,
                    w.key,
                    format!("the escape hatch `{id}` needs more than \"{first}\": some customers cannot reach a person"),
                )
                .label(format!("{} only hold together with other conditions", quoted.join(", ")))
                .help("keep the opt-out keywords in a trigger of their own, with no other condition"),
            );
        }
    }
}

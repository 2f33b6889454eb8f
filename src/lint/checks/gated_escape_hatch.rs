//! # W102 gated-escape-hatch
//!
//! ## What it does
//! Reports an escape hatch that only some customers can use: a trigger listens for an opt-out
//! phrase ("human", "agent", "speak to someone"…), but it also requires another condition (an
//! intent, a segment, a number of fallbacks, a low confidence), and no trigger honours the phrase
//! on its own. Reported instead of W101.
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
        let honoured = cx.triggers().any(|t| {
            t.value.when.as_ref().is_some_and(|w| {
                phrases
                    .iter()
                    .any(|p| analysis::on_first_message(&w.value, p) == Tri::Always)
            })
        });
        if honoured {
            return;
        }
        for t in cx.triggers() {
            let Some(w) = &t.value.when else { continue };
            let gated: Vec<&String> = phrases
                .iter()
                .filter(|p| {
                    analysis::mentions(&w.value, p)
                        && analysis::on_first_message(&w.value, p) == Tri::Depends
                })
                .collect();
            if let Some(first) = gated.first() {
                let id = t
                    .value
                    .id
                    .as_ref()
                    .map_or("this trigger", |i| i.value.as_str());
                out.push(
                    Finding::new(
                        Code::W102,
                        w.key,
                        format!("the escape hatch `{id}` needs more than \"{first}\": some customers cannot reach a person"),
                    )
                    .label("the opt-out keywords only hold together with other conditions")
                    .help("keep the opt-out keywords in a trigger of their own, with no other condition"),
                );
            }
        }
    }
}

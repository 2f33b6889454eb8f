//! # W110 conflicting-keywords
//!
//! Fires when the same keyword routes to different lanes.
//!
//! ## What it does
//! Reports a keyword phrase that appears in triggers routing to different lanes. Phrases are
//! compared as keywords match: case-insensitive, with white-space runs folded. Phrases under
//! `not:` do not count.
//!
//! ## Why it matters
//! A message with that phrase can only go to one lane, decided by priority and order, so one of
//! the two listings never takes effect for it. It usually means the phrase was copied into a new
//! trigger without being removed from the old one.
//!
//! ## Example
//! ```yaml
//! triggers:
//!   - {id: refunds, lane: billing,   when: {keywords: [refund, money back]}}
//!   - {id: churn,   lane: retention, when: {keywords: [cancel, refund]}}   # "refund" again
//! ```
//!
//! ## How to fix
//! Decide which lane owns the phrase and remove it from the other trigger.

use crate::lint::{Check, Code, Context, Finding};
use crate::source::Span;
use crate::text;

pub struct ConflictingKeywords;

impl Check for ConflictingKeywords {
    fn code(&self) -> Code {
        Code::W110
    }

    fn run(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let mut seen: Vec<(String, String, Span)> = Vec::new();
        for t in cx.triggers() {
            let (Some(w), Some(lane)) = (&t.value.when, &t.value.lane) else {
                continue;
            };
            let mut phrases = Vec::new();
            w.value.walk(false, &mut |c, negated| {
                if !negated {
                    phrases.extend(c.keywords.iter().flat_map(|k| k.value.iter()));
                }
            });
            for p in phrases {
                let norm = text::normalize(&p.value);
                if norm.is_empty() {
                    continue;
                }
                match seen.iter().find(|(n, _, _)| *n == norm) {
                    Some((_, other_lane, first)) if *other_lane != lane.value => {
                        let line = cx.source.position(first.start).line;
                        out.push(
                            Finding::new(
                                Code::W110,
                                p.span,
                                format!("the keyword \"{}\" routes to `{}` here and to `{other_lane}` on line {line}", p.value, lane.value),
                            )
                            .label(format!("also routes to `{other_lane}`"))
                            .related(*first, format!("routes to `{other_lane}`"))
                            .help("decide which lane owns the phrase and remove it from the other trigger"),
                        );
                    }
                    Some(_) => {}
                    None => seen.push((norm, lane.value.clone(), p.span)),
                }
            }
        }
    }
}

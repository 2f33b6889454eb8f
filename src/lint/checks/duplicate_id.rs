//! # E011 duplicate-id
//!
//! Fires when two triggers share an id, or a key repeats in a mapping.
//!
//! ## What it does
//! Reports two triggers with the same `id`, and any key written twice in one mapping (two lanes
//! with the same name, `priority` twice in a lane).
//!
//! ## Why it matters
//! Reports count escalations per trigger id, so two triggers with one id would be merged into one
//! row. A repeated key is worse: most YAML readers keep one copy without a word, so half of what
//! the author wrote is ignored. handoff reports every copy instead of choosing.
//!
//! ## Example
//! ```yaml
//! lanes:
//!   billing: {priority: 2, handoff: {message: "..."}}
//!   billing: {priority: 3, handoff: {message: "..."}}   # repeated key
//! triggers:
//!   - {id: refund, lane: billing, when: {intents: [refund]}}
//!   - {id: refund, lane: billing, when: {keywords: [money back]}}   # repeated id
//! ```
//!
//! ## How to fix
//! Give each trigger its own id, and merge or rename the repeated keys.

use crate::lint::{Check, Code, Context, Finding};
use crate::matrix::decode::Problem;

pub struct DuplicateId;

impl Check for DuplicateId {
    fn code(&self) -> Code {
        Code::E011
    }

    fn run(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for p in cx.problems {
            if let Problem::DuplicateKey { key, span, first } = p {
                let line = cx.source.position(first.start).line;
                out.push(
                    Finding::new(
                        Code::E011,
                        *span,
                        format!("the key `{key}` is repeated in this mapping"),
                    )
                    .label("repeated here")
                    .related(*first, format!("first written on line {line}"))
                    .help("keep one copy: YAML readers silently drop one of the two"),
                );
            }
        }
        let mut seen: Vec<(&str, crate::source::Span)> = Vec::new();
        for t in cx.triggers() {
            let Some(id) = &t.value.id else { continue };
            match seen.iter().find(|(s, _)| *s == id.value) {
                Some((_, first)) => {
                    let line = cx.source.position(first.start).line;
                    out.push(
                        Finding::new(
                            Code::E011,
                            id.span,
                            format!("two triggers have the id `{}`", id.value),
                        )
                        .label("repeated id")
                        .related(*first, format!("first used on line {line}"))
                        .help("give each trigger its own id: reports count escalations by id"),
                    );
                }
                None => seen.push((&id.value, id.span)),
            }
        }
    }
}

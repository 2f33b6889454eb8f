//! # E017 empty-condition
//!
//! Fires when a condition is empty: a `when` with no key, an empty list.
//!
//! ## What it does
//! Reports a condition with nothing in it: a `when:` with no key, an empty `any: []`, `all: []` or
//! `not: {}`, an empty list under `keywords`, `regex`, `intents` or `pii`, an empty `segment` or
//! segment field, and a blank keyword phrase or regex.
//!
//! ## Why it matters
//! An empty condition has no clear meaning: an empty `any` never holds, an empty `all` always
//! does, a blank keyword or regex matches every message. Whichever the author meant, the trigger
//! would fire on every message or on none.
//!
//! ## Example
//! ```yaml
//! triggers:
//!   - id: vip
//!     lane: vip
//!     when:
//!       any: []          # nothing to match
//! ```
//!
//! ## How to fix
//! Write the condition out, or delete the trigger if it is no longer needed.

use crate::lint::{Check, Code, Context, Finding};
use crate::source::Span;

pub struct EmptyCondition;

fn empty(span: Span, what: &str) -> Finding {
    Finding::new(Code::E017, span, format!("{what} is empty"))
        .label("nothing to match")
        .help("write the condition out, or remove it")
}

impl Check for EmptyCondition {
    fn code(&self) -> Code {
        Code::E017
    }

    fn run(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for t in cx.triggers() {
            if let Some(w) = &t.value.when
                && w.value.is_empty()
            {
                out.push(empty(w.key, "this `when`"));
            }
        }
        for (_, c, _) in cx.conditions() {
            for (list, what) in [
                (&c.keywords, "`keywords`"),
                (&c.regex, "`regex`"),
                (&c.intents, "`intents`"),
            ] {
                let Some(list) = list else { continue };
                if list.value.0.is_empty() {
                    out.push(empty(list.span, what));
                }
                for item in list.value.iter() {
                    if item.value.trim().is_empty() {
                        out.push(
                            Finding::new(Code::E017, item.span, format!("a blank entry in {what}"))
                                .label("matches every message")
                                .help("remove the blank entry"),
                        );
                    }
                }
            }
            if let Some(p) = &c.pii
                && p.value.0.is_empty()
            {
                out.push(empty(p.span, "`pii`"));
            }
            if let Some(s) = &c.segment {
                if s.value.is_empty() {
                    out.push(empty(s.span, "`segment`"));
                }
                for (field, values) in s.value.iter() {
                    if values.value.0.is_empty() {
                        out.push(empty(
                            values.span,
                            &format!("segment field `{}`", field.value),
                        ));
                    }
                }
            }
            for (list, what) in [(&c.any, "`any`"), (&c.all, "`all`")] {
                if let Some(l) = list {
                    if l.value.is_empty() {
                        out.push(empty(l.span, what));
                    }
                    for item in &l.value {
                        if item.value.is_empty() {
                            out.push(empty(item.span, &format!("a condition in {what}")));
                        }
                    }
                }
            }
            if let Some(n) = &c.not
                && n.value.is_empty()
            {
                out.push(empty(n.span, "`not`"));
            }
        }
    }
}

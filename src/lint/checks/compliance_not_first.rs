//! # W112 compliance-not-first
//!
//! Fires when a lane fed by legal, security or `pii` triggers is not the most urgent.
//!
//! ## What it does
//! Reports a lane that receives legal, security or personal-data conversations but is not the
//! most urgent lane. A lane counts as such when a trigger routing to it has a `pii` condition, or a
//! keyword or regex containing one of: gdpr, ccpa, lawsuit, lawyer, attorney, legal, sue, court,
//! hacked, hack, breach, data breach, fraud, stolen, identity theft, unauthorized, unauthorised,
//! privacy, police, regulator, ombudsman, subpoena. (Regexes are searched as text, for these words
//! as whole words once escapes such as `\b` are set aside.) Conditions
//! under `not:` do not count. The finding points at the lane's priority.
//!
//! ## Why it matters
//! Compliance is the zero-tolerance lane: a customer reporting a breach or sending a card number
//! must not wait behind a VIP's delivery question, because the time to act may be set by law.
//!
//! ## Example
//! ```yaml
//! lanes:
//!   vip:        {priority: 1, ...}
//!   compliance: {priority: 2, ...}     # fed by `pii: [card]`, but not first
//! ```
//!
//! ## How to fix
//! Give the compliance lane priority 1 and move the other lanes down.

use crate::lint::{Check, Code, Context, Finding};
use crate::matrix::raw::RawCondition;
use crate::text;

pub struct ComplianceNotFirst;

/// Legal and security vocabulary, as documented above.
pub const VOCABULARY: [&str; 22] = [
    "gdpr",
    "ccpa",
    "lawsuit",
    "lawyer",
    "attorney",
    "legal",
    "sue",
    "court",
    "hacked",
    "hack",
    "breach",
    "data breach",
    "fraud",
    "stolen",
    "identity theft",
    "unauthorized",
    "unauthorised",
    "privacy",
    "police",
    "regulator",
    "ombudsman",
    "subpoena",
];

/// Whether a condition (outside `not`) is about legal, security or personal data.
pub fn is_compliance(c: &RawCondition) -> bool {
    let mut hit = false;
    c.walk(false, &mut |x, negated| {
        if negated {
            return;
        }
        hit |= x.pii.as_ref().is_some_and(|p| !p.value.0.is_empty());
        hit |= x.keywords.iter().flat_map(|k| k.value.iter()).any(|p| {
            VOCABULARY
                .iter()
                .any(|v| text::contains_phrase(v, &p.value))
        });
        hit |= x.regex.iter().flat_map(|r| r.value.iter()).any(|p| {
            let words = regex_words(&p.value);
            VOCABULARY.iter().any(|v| text::contains_phrase(v, &words))
        });
    });
    hit
}

/// A pattern's literal words: escapes such as `\b`, `\s+` or `\d` become spaces, so `\bgdpr\b`
/// reads as "gdpr" while `courtesy` does not read as "court".
fn regex_words(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len());
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            chars.next();
            out.push(' ');
        } else {
            out.push(c);
        }
    }
    out
}

impl Check for ComplianceNotFirst {
    fn code(&self) -> Code {
        Code::W112
    }

    fn run(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let Some(most_urgent) = cx
            .lanes()
            .filter_map(|l| l.value.priority.as_ref().map(|p| p.value))
            .min()
        else {
            return;
        };
        for lane in cx.lanes() {
            let id = &lane.value.id.value;
            let Some(p) = &lane.value.priority else {
                continue;
            };
            if p.value <= most_urgent {
                continue;
            }
            let fed = cx.triggers().any(|t| {
                t.value.lane.as_ref().is_some_and(|l| &l.value == id)
                    && t.value
                        .when
                        .as_ref()
                        .is_some_and(|w| is_compliance(&w.value))
            });
            if fed {
                out.push(
                    Finding::new(
                        Code::W112,
                        p.span,
                        format!("lane `{id}` handles legal, security or personal data but has priority {}", p.value),
                    )
                    .label(format!("priority {most_urgent} is more urgent"))
                    .help("make the compliance lane the most urgent: priority 1"),
                );
            }
        }
    }
}

//! # W116 narrow-escape-hatch
//!
//! Fires when the escape hatch misses common ways customers ask for a person.
//!
//! ## What it does
//! Runs handoff's corpus of requests for a person (below) through the escape hatch — the triggers
//! that W101 looks for: those that hold, whatever else is true, for a customer who writes one of
//! the opt-out phrases — and reports the hatch when it misses more than 5 % of the requests of a
//! language it serves. A request is caught when one of those triggers holds for it as a
//! customer's first message (its keywords and regexes decide; nothing else is known). English is
//! always judged; another language is judged once the hatch catches at least a third of its
//! requests, which shows it was written for that language. The finding points at the first
//! hatch's `when:`, names the phrasings it misses and suggests opt-out phrases that would catch
//! them.
//!
//! ## Why it matters
//! "Always honour the escape hatch": a customer who asks for a person and gets the bot again is
//! the one who leaves. Customers do not write the five words a rule author thought of: "can I
//! speak to a person?", "I don't wanna talk to a bot", "quiero hablar con un asesor", "atendente
//! por favor", "agent se baat karao". A hatch of `[human, agent]` misses about half of them.
//!
//! ## Example
//! ```yaml
//! triggers:
//!   - id: explicit-human
//!     lane: recovery
//!     when: {keywords: [human, agent]}    # misses "can I speak to a person?"
//! ```
//!
//! ## How to fix
//! Add the phrasings the finding names, or start from the default opt-out phrases of
//! `settings.trap.optout_phrases` (the defaults, which catch the whole corpus, are in
//! `handoff init`'s matrix and in `rules/`). Phrases are matched as keywords: case-insensitive,
//! whole words, any white space.

use crate::lint::analysis::{self, Memo, Tri};
use crate::lint::corpus::{self, LANGUAGES, Sample};
use crate::lint::{Check, Code, Context, Finding};
use crate::matrix::defaults::OPTOUT_PHRASES;
use crate::matrix::raw::{RawCondition, Spanned};

pub struct NarrowEscapeHatch;

/// The share of a language's requests a hatch may miss (the 95 % the shipped matrices reach).
const MAX_MISSED: f64 = 0.05;

/// The share of a language's requests a hatch must catch for the language to be judged.
const SERVES: f64 = 1.0 / 3.0;

/// How many missed phrasings and suggested phrases a finding names.
const SHOWN: usize = 4;

/// The escape hatch of a matrix: the conditions of its triggers that hold for some opt-out phrase
/// whatever else is true.
pub fn hatch<'a>(cx: &Context<'a>) -> Vec<&'a Spanned<RawCondition>> {
    let phrases = cx.optout_phrases();
    cx.triggers()
        .filter_map(|t| t.value.when.as_ref())
        .filter(|w| {
            phrases
                .iter()
                .any(|p| analysis::on_first_message(&cx.memo, &w.value, p) == Tri::Always)
        })
        .collect()
}

/// Whether the hatch holds for `text` as a customer's first message.
pub fn catches(memo: &Memo, hatch: &[&Spanned<RawCondition>], text: &str) -> bool {
    hatch
        .iter()
        .any(|w| analysis::on_first_message(memo, &w.value, text) == Tri::Always)
}

impl Check for NarrowEscapeHatch {
    fn code(&self) -> Code {
        Code::W116
    }

    fn run(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let hatch = hatch(cx);
        let Some(first) = hatch.first() else {
            return; // W101 or W102 reports a matrix without one
        };
        let mut missed: Vec<&Sample> = Vec::new();
        let mut judged = Vec::new();
        for (code, name) in LANGUAGES {
            let all: Vec<&Sample> = corpus::requests()
                .iter()
                .filter(|r| r.lang == code)
                .collect();
            let lost: Vec<&Sample> = all
                .iter()
                .copied()
                .filter(|r| !catches(&cx.memo, &hatch, r.text))
                .collect();
            let share = |n: usize| n as f64 / all.len().max(1) as f64;
            let serves = code == "en" || share(all.len() - lost.len()) >= SERVES;
            if serves && share(lost.len()) > MAX_MISSED {
                judged.push(format!("{} of {} {name}", lost.len(), all.len()));
                missed.extend(lost);
            }
        }
        if missed.is_empty() {
            return;
        }
        let examples: Vec<String> = missed
            .iter()
            .take(SHOWN)
            .map(|r| format!("\"{}\"", r.text))
            .collect();
        let mut suggest: Vec<&str> = Vec::new();
        for r in &missed {
            if let Some(p) = OPTOUT_PHRASES
                .iter()
                .find(|p| cx.memo.contains_phrase(p, r.text))
                && !suggest.contains(p)
            {
                suggest.push(p);
            }
        }
        suggest.truncate(SHOWN);
        let help = if suggest.is_empty() {
            "add the phrasings customers use to the hatch's keywords".to_owned()
        } else {
            format!(
                "add keywords such as {} (`handoff rules W116` describes the corpus)",
                suggest.join(", ")
            )
        };
        out.push(
            Finding::new(
                Code::W116,
                first.key,
                format!(
                    "the escape hatch misses {} requests for a person in handoff's corpus",
                    judged.join(", ")
                ),
            )
            .label(format!("misses {}", examples.join(", ")))
            .help(help),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::Context;
    use crate::source::SourceFile;

    /// The share of the corpus's requests and of its ordinary messages a matrix's hatch catches.
    fn rates(text: &str) -> (f64, f64) {
        let file = SourceFile::new("m.yaml", "m.yaml".into(), text.to_owned());
        let root = crate::matrix::yaml::parse(&file.text).unwrap_or_else(|e| panic!("{e:?}"));
        let (raw, _) = crate::matrix::decode::decode(&root, &file.text);
        let cx = Context::new(&file, &raw, &[]);
        let h = hatch(&cx);
        assert!(!h.is_empty(), "the matrix has an escape hatch");
        let rate = |s: &[Sample]| {
            s.iter().filter(|r| catches(&cx.memo, &h, r.text)).count() as f64 / s.len() as f64
        };
        (rate(corpus::requests()), rate(corpus::ordinary()))
    }

    /// The shipped matrices and `handoff init`'s catch at least 95 % of the requests for a person
    /// and at most 2 % of the ordinary messages.
    #[test]
    fn the_shipped_hatches_hear_the_requests_and_little_else() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut matrices: Vec<(String, String)> = ["minimal", "saas-support", "whatsapp-retail"]
            .iter()
            .map(|m| {
                let p = root.join(format!("rules/{m}.yaml"));
                (
                    m.to_string(),
                    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{e}")),
                )
            })
            .collect();
        matrices.push(("init".into(), crate::init::MATRIX.to_owned()));
        for (name, text) in matrices {
            let (heard, wrong) = rates(&text);
            assert!(heard >= 0.95, "{name}: catches {heard:.3} of the requests");
            assert!(
                wrong <= 0.02,
                "{name}: catches {wrong:.3} of the ordinary messages"
            );
        }
    }

    #[test]
    fn a_two_word_hatch_is_narrow() {
        let (heard, _) = rates(
            "version: 1\nlanes: {l: {priority: 1, handoff: {message: hi}}}\ntriggers:\n  - {id: t, lane: l, when: {keywords: [human, agent]}}\n",
        );
        assert!(heard < 0.5, "{heard}");
    }
}

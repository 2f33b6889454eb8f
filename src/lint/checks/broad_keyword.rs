//! # W111 broad-keyword
//!
//! Fires when a keyword is a common word that will fire on ordinary messages.
//!
//! ## What it does
//! Reports a keyword that is a common word and will fire on ordinary messages: a phrase of one
//! character, or one of: a, an, the, i, me, my, you, is, it, to, and, or, not, no, yes, ok, okay,
//! hi, hello, hey, thanks, thank you, please, now, help, issue, problem, question, need, want,
//! get, can, what, how, why, when, where, order, account, app, service, support, info, today,
//! still, again, work. Phrases under `not:` do not count.
//!
//! ## Why it matters
//! "Where is my order? I need it now" is a routine question, not an emergency; a trigger on
//! `now` or `order` would hand it to a person and push the escalation rate up with conversations
//! the bot could handle.
//!
//! ## Example
//! ```yaml
//! triggers:
//!   - id: urgent
//!     lane: recovery
//!     when: {keywords: [emergency, now, asap]}    # "now" is in every other message
//! ```
//!
//! ## How to fix
//! Use a longer phrase that only the intended messages contain ("right now", "need it today"), or
//! rely on the intent classifier (`intents:`) for the topic. If the word is really meant, allow
//! the check for this file: `lint: {allow: [W111]}`.

use crate::lint::{Check, Code, Context, Finding};
use crate::text;

pub struct BroadKeyword;

/// Words too common to be a keyword on their own, as documented above.
pub const BROAD_WORDS: [&str; 47] = [
    "a",
    "an",
    "the",
    "i",
    "me",
    "my",
    "you",
    "is",
    "it",
    "to",
    "and",
    "or",
    "not",
    "no",
    "yes",
    "ok",
    "okay",
    "hi",
    "hello",
    "hey",
    "thanks",
    "thank you",
    "please",
    "now",
    "help",
    "issue",
    "problem",
    "question",
    "need",
    "want",
    "get",
    "can",
    "what",
    "how",
    "why",
    "when",
    "where",
    "order",
    "account",
    "app",
    "service",
    "support",
    "info",
    "today",
    "still",
    "again",
    "work",
];

/// Whether a phrase is too broad to be a keyword.
pub fn is_broad(phrase: &str) -> bool {
    let p = text::normalize(phrase);
    p.chars().count() == 1 || BROAD_WORDS.contains(&p.as_str())
}

impl Check for BroadKeyword {
    fn code(&self) -> Code {
        Code::W111
    }

    fn run(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for (_, c, negated) in cx.conditions() {
            if negated {
                continue;
            }
            for p in c.keywords.iter().flat_map(|k| k.value.iter()) {
                if is_broad(&p.value) {
                    out.push(
                        Finding::new(Code::W111, p.span, format!("the keyword \"{}\" is a common word", p.value))
                            .label("will fire on ordinary messages")
                            .help("use a longer phrase or an intent; or allow W111 for this file if it is meant"),
                    );
                }
            }
        }
    }
}

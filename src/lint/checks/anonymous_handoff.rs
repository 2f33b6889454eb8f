//! # W106 anonymous-handoff
//!
//! Fires when a handoff message names no agent or no expected time.
//!
//! ## What it does
//! Reports a handoff message that names no agent or gives no expected time. A message names an
//! agent when it uses `{agent}` or spells out the lane's `handoff.agent` as a whole word; it gives
//! a time when it uses `{eta}`, spells out the lane's `handoff.eta`, or contains a time such as
//! "5 minutes", "2 hours", "30 min", "a few minutes", "a minute", "an hour" or "half an hour".
//!
//! ## Why it matters
//! "Specific name, specific time. Calms the customer. They'll wait." A handoff without either
//! leaves the customer guessing whether anyone is coming, and they write again, or leave.
//!
//! ## Example
//! ```yaml
//! handoff:
//!   message: "A member of our team will get back to you."    # who? when?
//! ```
//!
//! ## How to fix
//! Set `agent:` and `eta:` on the lane's handoff and use them: "I'm bringing in {agent}, who will
//! reply within {eta}." A message that spells a name handoff was not told about ("I'm bringing in
//! Marco") gets a help that says so: `handoff.agent: Marco` is how handoff knows who the agent is.

use crate::lint::{Check, Code, Context, Finding};
use crate::matrix::template;

pub struct AnonymousHandoff;

/// Whether a message states a time in words or numbers.
fn states_time(msg: &str) -> bool {
    static RE: std::sync::OnceLock<Option<regex::Regex>> = std::sync::OnceLock::new();
    let re = RE.get_or_init(|| {
        regex::Regex::new(
            r"(?i)\b(?:\d+\s*(?:-|to|–)\s*)?\d+\s*(?:seconds?|secs?|minutes?|mins?|hours?|hrs?|days?)\b|\b(?:a few minutes|a minute|an hour|half an hour|few minutes)\b",
        )
        .ok()
    });
    re.as_ref().is_some_and(|r| r.is_match(msg))
}

/// The first word of `msg` that looks like a person's name: capitalised, not the first word of a
/// sentence, not a placeholder and not one of the capitalised words of everyday English ("I",
/// "I'm", "OK").
fn capitalised_name(msg: &str) -> Option<&str> {
    const NOT_NAMES: [&str; 8] = ["I", "I'm", "I'll", "I've", "I'd", "OK", "WhatsApp", "Hi"];
    let mut sentence_start = true;
    for word in msg.split_whitespace() {
        let bare = word.trim_matches(|c: char| !c.is_alphanumeric() && c != '\'');
        let bare = bare.strip_suffix("'s").unwrap_or(bare);
        let mut chars = bare.chars();
        let looks = chars.next().is_some_and(char::is_uppercase)
            && chars.clone().next().is_some_and(char::is_lowercase)
            && chars.all(char::is_alphabetic);
        if looks && !sentence_start && !NOT_NAMES.contains(&bare) && !word.contains('{') {
            return Some(bare);
        }
        sentence_start = word.ends_with(['.', '!', '?']);
    }
    None
}

impl Check for AnonymousHandoff {
    fn code(&self) -> Code {
        Code::W106
    }

    fn run(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for lane in cx.lanes() {
            let Some(h) = &lane.value.handoff else {
                continue;
            };
            let Some(msg) = &h.value.message else {
                continue;
            };
            let fields = template::fields(&msg.value);
            let spelled = |v: &Option<crate::matrix::raw::Spanned<String>>| {
                v.as_ref()
                    .is_some_and(|s| crate::text::contains_phrase(s.value.trim(), &msg.value))
            };
            let names_agent = fields.contains(&"agent") || spelled(&h.value.agent);
            let names_time =
                fields.contains(&"eta") || spelled(&h.value.eta) || states_time(&msg.value);
            let missing = match (names_agent, names_time) {
                (true, true) => continue,
                (false, true) => "names no agent",
                (true, false) => "gives no expected time",
                (false, false) => "names no agent and gives no expected time",
            };
            let help = match capitalised_name(&msg.value).filter(|_| !names_agent) {
                // The message does name someone, but handoff cannot know that word is the agent.
                Some(name) => format!(
                    "if {name} is the agent, set `handoff.agent: {name}` on the lane (that is how handoff knows the name) and write {{agent}} in the message{}",
                    if names_time { "" } else { "; set `eta:` and use {eta} too" }
                ),
                None => "set `agent:` and `eta:` under `handoff:` and use {agent} and {eta} in the message".to_owned(),
            };
            out.push(
                Finding::new(
                    Code::W106,
                    msg.span,
                    format!(
                        "the handoff message of lane `{}` {missing}",
                        lane.value.id.value
                    ),
                )
                .label(missing)
                .help(help),
            );
        }
    }
}

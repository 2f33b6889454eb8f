//! A case file checked as carefully as a matrix before anything runs (SPEC section 6): every
//! unknown key (with a "did you mean"), every message without exactly one role key, every `expect`
//! naming a lane or trigger the matrix does not define, each with its span in the file.
//!
//! The check walks the spanned YAML tree ([`crate::matrix::yaml`]) rather than the typed cases, so
//! it keeps going after the first problem and points at the key or value itself (serde would stop
//! at the first unknown key, and place a missing role at the start of the file).

use crate::logs::fields::{self, Field};
use crate::matrix::yaml::{Node, Value};
use crate::source::Span;
use crate::text::did_you_mean;

/// One mistake in a case file.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    pub span: Span,
    pub message: String,
    /// A short label under the span.
    pub label: String,
    pub help: Option<String>,
}

impl Problem {
    fn new(span: Span, message: impl Into<String>, label: impl Into<String>) -> Problem {
        Problem {
            span,
            message: message.into(),
            label: label.into(),
            help: None,
        }
    }

    fn help(mut self, help: impl Into<String>) -> Problem {
        self.help = Some(help.into());
        self
    }
}

/// What the matrix defines, for `expect` and `expected_lane` to be checked against.
pub struct Names<'a> {
    pub lanes: Vec<&'a str>,
    pub triggers: Vec<&'a str>,
}

const TOP_KEYS: [&str; 1] = ["cases"];
const CASE_KEYS: [&str; 6] = [
    "name",
    "segment",
    "customer_name",
    "expected_lane",
    "conversation",
    "expect",
];
const EXPECT_KEYS: [&str; 3] = ["lane", "trigger", "at"];
const ROLE_KEYS: [&str; 4] = ["customer", "bot", "agent", "system"];
/// The record fields a message may carry besides its role key, by their canonical names.
const MESSAGE_FIELDS: [&str; 11] = [
    "timestamp",
    "message_id",
    "author",
    "intent",
    "confidence",
    "sentiment",
    "fallback",
    "event",
    "lane",
    "expected_lane",
    "customer_name",
];

/// Every problem of a case file's tree, in file order.
pub fn check(root: &Node, names: &Names<'_>) -> Vec<Problem> {
    let mut out = Vec::new();
    let Value::Map(top) = &root.value else {
        out.push(
            Problem::new(
                root.span,
                format!(
                    "a case file is a mapping with `cases:`, found {}",
                    root.value.kind()
                ),
                "expected `cases:`",
            )
            .help("start the file with `cases:` and a list of cases"),
        );
        return out;
    };
    unknown_keys(top, &TOP_KEYS, "a case file", &mut out);
    match top.iter().find(|(k, _)| k.as_str() == Some("cases")) {
        None => out.push(
            Problem::new(root.span, "the file has no `cases:`", "expected `cases:`")
                .help("list the cases under `cases:`"),
        ),
        Some((_, cases)) => match &cases.value {
            Value::Seq(list) => list.iter().for_each(|c| case(c, names, &mut out)),
            other => out.push(Problem::new(
                cases.span,
                format!("`cases` is a list, found {}", other.kind()),
                "expected a list of cases",
            )),
        },
    }
    out.sort_by_key(|p| p.span.start);
    out
}

fn case(node: &Node, names: &Names<'_>, out: &mut Vec<Problem>) {
    let Value::Map(entries) = &node.value else {
        out.push(Problem::new(
            node.span,
            format!("a case is a mapping, found {}", node.value.kind()),
            "expected `name:`, `conversation:` and `expect:`",
        ));
        return;
    };
    unknown_keys(entries, &CASE_KEYS, "a case", out);
    let get = |key: &str| {
        entries
            .iter()
            .find(|(k, _)| k.as_str() == Some(key))
            .map(|(_, v)| v)
    };
    let start = entries.first().map_or(node.span, |(k, _)| k.span);
    for key in ["name", "conversation", "expect"] {
        // `expct:` is reported as "did you mean `expect`?"; "no `expect:`" would say it twice.
        if get(key).is_none() && !misspelt(entries, &CASE_KEYS, key) {
            out.push(
                Problem::new(
                    start,
                    format!("this case has no `{key}:`"),
                    format!("`{key}:` is missing"),
                )
                .help("a case needs `name:`, `conversation:` and `expect:`"),
            );
        }
    }
    let mut messages = 0;
    if let Some(conv) = get("conversation") {
        match &conv.value {
            Value::Seq(list) => {
                messages = list.len();
                list.iter().for_each(|m| message(m, out));
            }
            other => out.push(Problem::new(
                conv.span,
                format!(
                    "`conversation` is a list of messages, found {}",
                    other.kind()
                ),
                "expected a list such as `- customer: hello`",
            )),
        }
    }
    if let Some(lane) = get("expected_lane") {
        known_lane(lane, names, out);
    }
    if let Some(expect) = get("expect") {
        expectation(expect, names, messages, out);
    }
}

fn message(node: &Node, out: &mut Vec<Problem>) {
    let Value::Map(entries) = &node.value else {
        out.push(Problem::new(
            node.span,
            format!(
                "a message is a mapping such as `customer: hello`, found {}",
                node.value.kind()
            ),
            "expected a role key with the text",
        ));
        return;
    };
    let roles: Vec<&Node> = entries
        .iter()
        .map(|(k, _)| k)
        .filter(|k| k.as_str().is_some_and(|k| ROLE_KEYS.contains(&k)))
        .collect();
    let start = entries.first().map_or(node.span, |(k, _)| k.span);
    let misspelt_role = ROLE_KEYS.iter().any(|r| misspelt(entries, &ROLE_KEYS, r));
    match roles.as_slice() {
        [_] => {}
        [] if misspelt_role => {}
        [] => out.push(
            Problem::new(start, "this message has no role key", "who sends it?")
                .help("give exactly one of `customer:`, `bot:`, `agent:`, `system:` with the text"),
        ),
        [_, second, ..] => out.push(
            Problem::new(
                second.span,
                "this message has two role keys",
                "a second sender",
            )
            .help("one message has one sender: split it into two messages"),
        ),
    }
    for (k, _) in entries {
        let Some(key) = k.as_str() else { continue };
        if ROLE_KEYS.contains(&key)
            || Field::lookup(key).is_some()
            || fields::segment_field(key).is_some()
        {
            continue;
        }
        let candidates = ROLE_KEYS.iter().chain(MESSAGE_FIELDS.iter()).copied();
        out.push(suggest(k, key, "a message field", candidates));
    }
}

fn expectation(node: &Node, names: &Names<'_>, messages: usize, out: &mut Vec<Problem>) {
    let Value::Map(entries) = &node.value else {
        out.push(Problem::new(
            node.span,
            format!(
                "`expect` is a mapping such as `{{lane: support}}`, found {}",
                node.value.kind()
            ),
            "expected `lane:`",
        ));
        return;
    };
    unknown_keys(entries, &EXPECT_KEYS, "`expect`", out);
    let start = entries.first().map_or(node.span, |(k, _)| k.span);
    if !entries.iter().any(|(k, _)| k.as_str() == Some("lane")) {
        out.push(
            Problem::new(start, "`expect` has no `lane:`", "`lane:` is missing")
                .help("say where the conversation must go: a lane of the matrix, or `none`"),
        );
    }
    for (k, v) in entries {
        match k.as_str() {
            Some("lane") => known_lane(v, names, out),
            Some("trigger") => {
                let Some(t) = v.scalar_text() else { continue };
                if !names.triggers.contains(&t.as_str()) {
                    out.push(unknown(v, &t, "trigger", names.triggers.iter().copied()));
                }
            }
            Some("at") => match v.value {
                Value::Int(n) if n >= 1 && (n as usize) <= messages.max(1) => {}
                Value::Int(n) if n >= 1 => out.push(
                    Problem::new(
                        v.span,
                        format!(
                            "`at: {n}` is past the conversation's {}",
                            crate::text::plural(messages, "message", "messages")
                        ),
                        "no such message",
                    )
                    .help("`at` counts every message of the conversation from 1"),
                ),
                _ => out.push(Problem::new(
                    v.span,
                    "`at` is the 1-based position of the escalation point",
                    "expected a whole number of at least 1",
                )),
            },
            _ => {}
        }
    }
}

fn known_lane(v: &Node, names: &Names<'_>, out: &mut Vec<Problem>) {
    let Some(lane) = v.scalar_text() else { return };
    if lane != "none" && !names.lanes.contains(&lane.as_str()) {
        let candidates = names.lanes.iter().copied().chain(["none"]);
        out.push(unknown(v, &lane, "lane", candidates));
    }
}

/// A name the matrix does not define, with the closest one it does.
fn unknown<'c>(
    v: &Node,
    name: &str,
    what: &str,
    candidates: impl Iterator<Item = &'c str> + Clone,
) -> Problem {
    let p = Problem::new(
        v.span,
        format!("the matrix has no {what} `{name}`"),
        format!("no such {what}"),
    );
    closest(p, name, candidates, "the matrix defines")
}

/// `p` with the candidate closest to `name` as its label and help, or the list of candidates.
fn closest<'c>(
    p: Problem,
    name: &str,
    candidates: impl Iterator<Item = &'c str> + Clone,
    listed: &str,
) -> Problem {
    match did_you_mean(name, candidates.clone()) {
        Some(s) => Problem {
            label: format!("did you mean `{s}`?"),
            ..p
        }
        .help(format!("write `{s}`")),
        None => {
            let all: Vec<&str> = candidates.collect();
            p.help(format!("{listed}: {}", all.join(", ")))
        }
    }
}

/// Whether some key of `entries` is not one of `known` and is taken for `key` by "did you mean".
fn misspelt(entries: &[(Node, Node)], known: &[&str], key: &str) -> bool {
    entries.iter().any(|(k, _)| {
        k.as_str().is_some_and(|k| {
            !known.contains(&k) && did_you_mean(k, known.iter().copied()) == Some(key)
        })
    })
}

fn unknown_keys(entries: &[(Node, Node)], known: &[&str], what: &str, out: &mut Vec<Problem>) {
    for (k, _) in entries {
        match k.as_str() {
            Some(key) if known.contains(&key) => {}
            Some(key) => out.push(suggest(
                k,
                key,
                &format!("a key of {what}"),
                known.iter().copied(),
            )),
            None => out.push(Problem::new(
                k.span,
                format!("a key of {what} is text"),
                "not a key",
            )),
        }
    }
}

fn suggest<'c>(
    k: &Node,
    key: &str,
    what: &str,
    candidates: impl Iterator<Item = &'c str> + Clone,
) -> Problem {
    let p = Problem::new(k.span, format!("`{key}` is not {what}"), "unknown key");
    closest(p, key, candidates, "known keys")
}

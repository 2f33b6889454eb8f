//! Expectation cases (SPEC section 6), the input of `handoff test`: reading a case file, turning
//! each case into the conversation it describes, and checking an outcome against what the case
//! expects.
//!
//! A case file is YAML: `cases:`, each with a `name`, optionally `segment`, `customer_name` and
//! `expected_lane`, the `conversation` (one map a message, with exactly one of `customer:`, `bot:`,
//! `agent:`, `system:` holding the text, and other message fields by the names logs use) and
//! `expect:` (the lane, optionally the trigger and the 1-based message it escalates at). Messages
//! go through the same field builder as log records, so a case reads as a log would.

pub mod check;

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use serde::Deserialize;

use crate::engine::Compiled;
use crate::engine::replay;
use crate::error::Error;
use crate::logs::fields::{self, Builder, Field, Value};
use crate::logs::record::{Conversation, Message};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CasesFile {
    cases: Vec<Case>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
/// One case: a short conversation and what the matrix must do with it.
pub struct Case {
    pub name: String,
    #[serde(default)]
    segment: BTreeMap<String, String>,
    customer_name: Option<String>,
    expected_lane: Option<String>,
    conversation: Vec<BTreeMap<String, serde_json::Value>>,
    expect: Expect,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Expect {
    lane: String,
    trigger: Option<String>,
    at: Option<usize>,
}

const ROLE_KEYS: [&str; 4] = ["customer", "bot", "agent", "system"];

fn message(
    case: &str,
    i: usize,
    map: &BTreeMap<String, serde_json::Value>,
) -> Result<Message<'static>, String> {
    let zone = jiff::tz::TimeZone::UTC;
    let times = crate::logs::time::ZoneTimes::new(&zone);
    let mut b = Builder::new(&times);
    let roles: Vec<&str> = map
        .keys()
        .map(String::as_str)
        .filter(|k| ROLE_KEYS.contains(k))
        .collect();
    let [role] = roles.as_slice() else {
        return Err(format!(
            "case `{case}`, message {}: give exactly one of customer:, bot:, agent:, system: with the text",
            i + 1
        ));
    };
    b.set_str(Field::ConversationId, 0, case.into());
    b.set_str(Field::Role, 0, (*role).into());
    if let Some(text) = map.get(*role) {
        match text {
            serde_json::Value::String(_) | serde_json::Value::Null => {
                b.set(Field::Text, 0, Value::Json(text))
            }
            other => {
                b.set(Field::Text, 0, Value::Str(other.to_string().into()));
            }
        }
    }
    for (k, v) in map {
        if ROLE_KEYS.contains(&k.as_str()) {
            continue;
        }
        match Field::lookup(k) {
            Some((f, _)) => b.set(f, 0, Value::Json(v)),
            None => match fields::segment_field(k) {
                Some(seg) => b.segment(seg.into(), Value::Json(v)),
                None => {
                    return Err(format!(
                        "case `{case}`, message {}: `{k}` is not a message field",
                        i + 1
                    ));
                }
            },
        }
    }
    b.finish()
        .map(Message::into_owned)
        .map_err(|(_, why)| format!("case `{case}`, message {}: {why}", i + 1))
}

/// The conversation a case describes; an invalid message is an error in `file`.
pub fn conversation(file: &str, case: &Case) -> Result<Conversation<'static>, Error> {
    conversation_of(case).map_err(|why| Error::Cases {
        path: file.to_owned(),
        line: 1,
        column: 1,
        message: why,
    })
}

fn conversation_of(case: &Case) -> Result<Conversation<'static>, String> {
    let mut messages = Vec::with_capacity(case.conversation.len());
    for (i, m) in case.conversation.iter().enumerate() {
        let mut msg = message(&case.name, i, m)?;
        msg.origin.line = i as u64 + 1;
        messages.push(msg);
    }
    let timed = !messages.is_empty() && messages.iter().all(|m| m.timestamp.is_some());
    if timed {
        messages.sort_by_key(|m| m.timestamp);
    }
    Ok(Conversation {
        id: case.name.clone().into(),
        messages,
        timed,
        expected_lane: case.expected_lane.clone().map(Into::into),
        customer_name: case.customer_name.clone().map(Into::into),
        customer_id: None,
        segment: case
            .segment
            .iter()
            .map(|(k, v)| (k.clone().into(), v.clone().into()))
            .collect(),
    })
}

/// A case file that did not pass [`check::check`]: its text and every problem, for reporting.
#[derive(Debug)]
pub struct Rejected {
    pub file: Arc<crate::source::SourceFile>,
    pub problems: Vec<check::Problem>,
}

/// The cases of one case file, checked against what the matrix defines first: `Ok(Err(_))` when
/// the file has mistakes (nothing of it may run), `Err` when it cannot be read.
pub fn load(path: &Path, names: &check::Names<'_>) -> Result<Result<Vec<Case>, Rejected>, Error> {
    let file = crate::source::SourceFile::read(path)?;
    let problems = match crate::matrix::yaml::parse(&file.text) {
        Ok(root) => check::check(&root, names),
        Err(e) => vec![check::Problem {
            span: e.span,
            message: format!("the case file is not valid YAML: {}", e.message),
            label: "here".into(),
            help: None,
        }],
    };
    if !problems.is_empty() {
        return Ok(Err(Rejected {
            file: Arc::new(file),
            problems,
        }));
    }
    read(path).map(Ok)
}

/// The cases of one case file.
pub fn read(path: &Path) -> Result<Vec<Case>, Error> {
    let text = std::fs::read_to_string(path).map_err(|source| Error::Read {
        path: path.display().to_string(),
        source,
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    serde_saphyr::from_str::<CasesFile>(text)
        .map(|f| f.cases)
        .map_err(|e| {
            let loc = e.location();
            Error::Cases {
                path: path.display().to_string(),
                line: loc.map_or(1, |l| l.line()),
                column: loc.map_or(1, |l| l.column()),
                message: e.without_snippet().to_string(),
            }
        })
}

/// What a case expects and what happened, as `(lane, trigger, at)`; `None` where the case does
/// not say or nothing escalated.
pub type Decision = (String, Option<String>, Option<usize>);

/// What the case expects.
pub fn expected(case: &Case) -> Decision {
    (
        case.expect.lane.clone(),
        case.expect.trigger.clone(),
        case.expect.at,
    )
}

/// What the matrix did.
pub fn outcome(c: &Compiled, o: &replay::Outcome) -> Decision {
    (
        o.escalation
            .map_or("none", |e| c.matrix.lanes[e.lane].id.as_str())
            .to_owned(),
        o.escalation.map(|e| c.triggers[e.trigger].id.clone()),
        o.escalation.map(|e| e.index + 1),
    )
}

/// What differs between the expectation and the outcome, one line each; empty when the case
/// passes.
pub fn differences(c: &Compiled, case: &Case, o: &replay::Outcome) -> Vec<String> {
    let lane = o
        .escalation
        .map_or("none", |e| c.matrix.lanes[e.lane].id.as_str());
    let trigger = o.escalation.map(|e| c.triggers[e.trigger].id.as_str());
    let at = o.escalation.map(|e| e.index + 1);
    let mut wrong = Vec::new();
    if case.expect.lane != lane {
        wrong.push(format!("lane: expected {}, got {lane}", case.expect.lane));
    }
    if let Some(t) = &case.expect.trigger
        && Some(t.as_str()) != trigger
    {
        wrong.push(format!(
            "trigger: expected {t}, got {}",
            trigger.unwrap_or("none")
        ));
    }
    if let Some(a) = case.expect.at
        && Some(a) != at
    {
        wrong.push(format!(
            "at: expected message {a}, got {}",
            at.map_or_else(|| "none".to_owned(), |x| x.to_string())
        ));
    }
    wrong
}

//! `handoff test MATRIX [CASES…]`: expectation cases (SPEC section 6), like unit tests for rules.
//!
//! Each case is a short conversation and what the matrix must do with it. A failing case prints
//! what was expected, what happened and the turn-by-turn trace. The run ends with the line
//! `N passed, N failed`; exit 1 when a case failed, 2 when the matrix or a case file is invalid.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::cli::TestArgs;
use crate::engine::Compiled;
use crate::engine::replay;
use crate::error::Error;
use crate::logs::fields::{self, Builder, Field, Value};
use crate::logs::record::{Conversation, Message};
use crate::output;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CasesFile {
    cases: Vec<Case>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    name: String,
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

fn conversation(case: &Case) -> Result<Conversation<'static>, String> {
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
        segment: case
            .segment
            .iter()
            .map(|(k, v)| (k.clone().into(), v.clone().into()))
            .collect(),
    })
}

fn read_cases(path: &Path) -> Result<Vec<Case>, Error> {
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

pub fn run(args: &TestArgs) -> Result<u8, Error> {
    let config = crate::config::Config::discover(args.common.config.as_deref())?;
    let levels = config.levels;
    let compiled = crate::cmd::replay::matrix(&args.matrix, &levels, args.common.quiet)?;
    let files: Vec<PathBuf> = if args.cases.is_empty() {
        let stem = args
            .matrix
            .file_stem()
            .map_or_else(String::new, |s| s.to_string_lossy().into_owned());
        let default = PathBuf::from("tests/cases").join(format!("{stem}.yaml"));
        if !default.is_file() {
            return Err(Error::NoCases {
                matrix: args.matrix.display().to_string(),
                default: default.display().to_string(),
            });
        }
        vec![default]
    } else {
        args.cases.clone()
    };
    let mut cases = Vec::new();
    for f in &files {
        for c in read_cases(f)? {
            cases.push((f.display().to_string(), c));
        }
    }
    let matrix_name = args.matrix.display().to_string();
    let (mut passed, mut failed) = (0, 0);
    let mut out = String::new();
    for (file, case) in &cases {
        let conv = match conversation(case) {
            Ok(c) => c,
            Err(why) => {
                return Err(Error::Cases {
                    path: file.clone(),
                    line: 1,
                    column: 1,
                    message: why,
                });
            }
        };
        let (o, steps) = replay::replay(&compiled, &conv, true);
        match check(&compiled, case, &o) {
            None => {
                passed += 1;
                if !args.common.quiet {
                    out.push_str(&format!("ok    {}\n", case.name));
                }
            }
            Some(diff) => {
                failed += 1;
                out.push_str(&format!("FAIL  {} ({file})\n{diff}\n", case.name));
                let trace = crate::cmd::explain::explain(
                    &compiled,
                    &matrix_name,
                    &conv,
                    &o,
                    &steps,
                    !args.no_redact,
                );
                for line in trace.lines() {
                    out.push_str(&format!("      | {line}\n"));
                }
                out.push('\n');
            }
        }
    }
    out.push_str(&format!("{passed} passed, {failed} failed\n"));
    output::emit(None, &out)?;
    Ok(u8::from(failed > 0))
}

/// What differs between the expectation and the outcome, or `None` when the case passes.
fn check(c: &Compiled, case: &Case, o: &replay::Outcome) -> Option<String> {
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
    (!wrong.is_empty()).then(|| wrong.iter().map(|w| format!("      {w}\n")).collect())
}

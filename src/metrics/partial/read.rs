//! Reading partial reports: a file (or stdin) holds one or more, each a JSON document (one a line,
//! as `replay --partial` writes them, or laid out in any other way). Each is checked before it is
//! merged: that it is a partial at all, of this handoff version and format, complete, and
//! consistent with itself (the totals a merge relies on add up). A partial cut short — a shard
//! whose writer died, a copy that stopped — is refused as truncated, never merged as far as it
//! goes.

use serde::de::IgnoredAny;

use crate::logs::accounting::{Reason, Stats};
use crate::metrics::partial::{KIND, Partial, PartialError, SCHEMA_VERSION, VERSION};

/// The first keys of a document, read before the rest so that another JSON document (a report,
/// a partial of another version) is named for what it is.
#[derive(serde::Deserialize)]
struct Head {
    kind: Option<String>,
    schema_version: Option<u64>,
    handoff_version: Option<String>,
}

/// The error for JSON that did not parse, at `line` (1-based) of the file onwards.
fn invalid(file: &str, line: usize, e: &serde_json::Error) -> PartialError {
    let eof = e.classify() == serde_json::error::Category::Eof;
    let detail = e.to_string();
    // serde_json ends its message with " at line L column C"; the error gives them itself.
    let detail = detail
        .rsplit_once(" at line ")
        .map_or(detail.as_str(), |d| d.0)
        .to_owned();
    PartialError::Invalid {
        file: file.to_owned(),
        line: line + e.line().saturating_sub(1),
        column: e.column(),
        what: if eof { "truncated" } else { "invalid" },
        detail: match e.classify() {
            serde_json::error::Category::Syntax => format!("not valid JSON: {detail}"),
            _ => detail,
        },
    }
}

/// The partials in `text`, read from `file`, each with the name errors give it (`file`, or
/// `file:line` in a file of several).
pub fn read(text: &str, file: &str) -> Result<Vec<(String, Partial<'static>)>, PartialError> {
    let mut stream = serde_json::Deserializer::from_str(text).into_iter::<IgnoredAny>();
    let mut bounds = Vec::new();
    let mut start = 0;
    while let Some(next) = stream.next() {
        if let Err(e) = next {
            return Err(invalid(file, 1, &e));
        }
        let end = stream.byte_offset();
        bounds.push((start, end));
        start = end;
    }
    if bounds.is_empty() {
        return Err(PartialError::Invalid {
            file: file.to_owned(),
            line: 1,
            column: 1,
            what: "empty",
            detail: "the file holds no JSON document".into(),
        });
    }
    let many = bounds.len() > 1;
    bounds
        .into_iter()
        .map(|(a, b)| {
            let doc = &text[a..b];
            let skipped = doc.len() - doc.trim_start().len();
            let line = 1 + text[..a + skipped].matches('\n').count();
            let name = if many {
                format!("{file}:{line}")
            } else {
                file.to_owned()
            };
            let p = one(doc, &name, 1 + text[..a].matches('\n').count())?;
            Ok((name, p))
        })
        .collect()
}

/// One document: its head checked, then the whole parsed and checked.
fn one(doc: &str, name: &str, line: usize) -> Result<Partial<'static>, PartialError> {
    let head: Head = serde_json::from_str(doc).map_err(|e| {
        if e.classify() == serde_json::error::Category::Data {
            PartialError::NotPartial {
                file: name.to_owned(),
                detail: "not a JSON object".into(),
            }
        } else {
            invalid(name, line, &e)
        }
    })?;
    if head.kind.as_deref() != Some(KIND) {
        let detail = match head.kind {
            Some(k) => format!("its kind is `{k}`, not `{KIND}`"),
            None if head.schema_version.is_some() => {
                format!("no \"kind\": \"{KIND}\"; is it a report?")
            }
            None => format!("no \"kind\": \"{KIND}\""),
        };
        return Err(PartialError::NotPartial {
            file: name.to_owned(),
            detail,
        });
    }
    let found = head.handoff_version.unwrap_or_default();
    let format = head.schema_version.unwrap_or_default();
    if found != VERSION || format != SCHEMA_VERSION {
        return Err(PartialError::Version {
            file: name.to_owned(),
            found,
            format,
        });
    }
    let p: Partial<'static> = serde_json::from_str(doc).map_err(|e| invalid(name, line, &e))?;
    check(&p).map_err(|detail| PartialError::Inconsistent {
        file: name.to_owned(),
        detail,
    })?;
    Ok(p)
}

/// What a partial's totals must satisfy for a merge to be exact.
fn check(p: &Partial) -> Result<(), String> {
    let (shape, m) = (&p.shape, &*p.metrics);
    if let Some((t, _)) = shape.triggers.iter().find(|t| t.1 >= shape.lanes.len()) {
        return Err(format!("trigger `{t}` routes to no lane of the shape"));
    }
    if m.per_lane.len() != shape.lanes.len()
        || m.won.len() != shape.triggers.len()
        || m.held.len() != shape.triggers.len()
    {
        return Err("the lane and trigger counts do not match the matrix's shape".into());
    }
    let ids = p.conversation_ids.0.len() as u64;
    if ids != m.conversations || p.logged.conversations() != m.conversations {
        return Err(format!(
            "{} conversations counted, {} logged, {ids} conversation ids",
            m.conversations,
            p.logged.conversations()
        ));
    }
    if m.per_lane.iter().sum::<u64>() != m.escalated || m.won.iter().sum::<u64>() != m.escalated {
        return Err("the escalations per lane or trigger do not add up".into());
    }
    if m.trapped_turns.total() != m.trapped || m.turns.total() > m.escalated {
        return Err("a histogram holds more values than its count".into());
    }
    if stats(p).is_none_or(|s| !s.balanced()) {
        return Err("the input accounting does not add up, or names an unknown reason".into());
    }
    Ok(())
}

/// The input accounting of a partial, as a run's [`Stats`] (`None` for an unknown skip reason).
pub fn stats(p: &Partial) -> Option<Stats> {
    let i = &p.inputs;
    let mut by_reason = std::collections::BTreeMap::new();
    for (k, n) in &i.skipped_by_reason {
        by_reason.insert(Reason::from_key(k)?, *n);
    }
    Some(Stats {
        records: i.records,
        messages: i.messages,
        skipped: i.skipped,
        duplicates: i.duplicates,
        by_reason,
        non_messages: i.non_messages,
        non_messages_by_kind: i.non_messages_by_kind.clone(),
        ..Stats::default()
    })
}

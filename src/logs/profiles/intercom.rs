//! The `intercom` profile: Intercom conversations with their `conversation_parts`, as the REST
//! API's conversation and conversation part models document them
//! (<https://developers.intercom.com/docs/references/1.0/rest-api/conversations/conversation-part-model>,
//! <https://developers.intercom.com/docs/references/2.15/rest-api/api.intercom.io/models/conversation_part>,
//! the `ConversationSource` and `ConversationParts` types of intercom-client 6.x), and the
//! third-party Intercom Conversation Export CSV
//! (<https://www.prodsight.ai/help-sub/intercomexport-help-center/getting-started/what-does-the-intercom-conversation-export-contain>).
//!
//! handoff reads one conversation as *Retrieve a conversation* returns it, a JSON array of them, a
//! list page (`{type: "conversation.list", conversations: [...]}`) whose conversations carry their
//! parts, one conversation a line (JSONL), or the export CSV (one row a part). A conversation is
//! `{type: "conversation", id, created_at, source, conversation_parts: {conversation_parts: [...]}}`:
//! its `source` is the opening message, which is not a part, so the conversation itself is read as
//! the record of its source (its id `source.id`, its time the conversation's `created_at`), and its
//! parts right after it. A part is `{id, part_type, body, created_at, assigned_to, author: {type,
//! id, name}, attachments, redacted}`; an export row `{conversation_id, message_id, message_type,
//! message_created_at, message_author_type, message_author_id, message_author_name, message_body}`.
//!
//! The author's type is the role: `user` and `lead` the customer, `bot` the bot (Fin's AI answers
//! too), `admin` an agent, `team` the system. `comment` parts are messages; `assignment` (and
//! `away_mode_assignment`) parts `assign` events with the lane the team or admin assigned
//! (`assigned_to`, an id in the 1.x model and a reference in 2.x); `close` parts `resolved`;
//! `note` (internal, never seen by the customer), `open` and `snoozed` parts are non-messages; a
//! part type the models do not list is an unknown element. Bodies are HTML, read as plain text; an
//! attachment is `<attachment: NAME>` after the body, a redacted part `<redacted>`. A customer's
//! message carries the author's id as `customer_id`.

use crate::logs::json::doc::{JsonContainerTrait, JsonValueTrait, Record, Value, ValueRef};

use super::{Hooks, Profile, Shape, Table};
use crate::logs::fields::Field;
use crate::logs::html;
use crate::logs::json::Kind;
use crate::logs::json::values::ValueMaps;
use crate::logs::record::Role;

pub const PROFILE: Profile = Profile {
    name: "intercom",
    about: "Intercom conversations",
    shape,
    expects: "Intercom conversations with conversation_parts (objects with type: \"conversation\" \
              or a source, and conversation_parts): one, an array of them, or a conversation.list \
              page whose conversations carry their parts (a page of List conversations leaves \
              them out: Retrieve a conversation gives them)",
    fields: &[
        // A part's conversation is two objects up: the conversation, then its part list.
        (
            "conversation_id",
            &["$parent.$parent.id", "conversation_id", "id"],
        ),
        ("message_id", &["source.id", "id", "message_id"]),
        ("timestamp", &["created_at", "message_created_at"]),
        (
            "role",
            &["author.type", "source.author.type", "message_author_type"],
        ),
        (
            "author",
            &["author.name", "source.author.name", "message_author_name"],
        ),
        ("event", &["part_type", "message_type"]),
        // The raw bodies, so that one of the wrong type skips the record; the text itself is
        // composed from them (plain text, notices).
        ("text", &["body", "source.body", "message_body"]),
    ],
    values: &[
        (
            Field::Role,
            &[
                ("user", "customer"),
                ("lead", "customer"),
                ("contact", "customer"),
                ("bot", "bot"),
                ("admin", "agent"),
                ("team", "system"),
            ],
        ),
        (
            Field::Event,
            &[
                ("assignment", "assign"),
                ("away_mode_assignment", "assign"),
                ("close", "resolved"),
                ("*", ""),
            ],
        ),
        // A lead without a name has `name: ""` in some payloads: no name.
        (Field::Author, &[("", "")]),
    ],
    classify,
    compose: &[(Field::Text, text)],
    table: Some(&TABLE),
    hooks: Hooks::NONE,
};

/// The export CSV: one row a part, the header naming the columns.
pub const TABLE: Table = Table {
    records: "",
    json_columns: &[],
    header: &[
        "conversation_id",
        "message_type",
        "message_author_type",
        "message_body",
    ],
    columns: &[
        "conversation_id",
        "conversation_state",
        "message_id",
        "message_type",
        "message_created_at",
        "message_author_type",
        "message_author_id",
        "message_author_name",
        "message_body",
    ],
};

/// Whether a value is a conversation with its parts.
fn conversation(v: &Value) -> bool {
    if !v.is_object() {
        return false;
    }
    let parts = v
        .get("conversation_parts")
        .is_some_and(|p| p.get("conversation_parts").is_some_and(Value::is_array));
    let typed = v.get("type").and_then(Value::as_str) == Some("conversation");
    parts && (typed || v.get("source").is_some_and(Value::is_object))
}

/// One conversation, an array of them, or a list page of them.
fn shape(doc: &Value) -> Option<Shape> {
    match doc.as_ref() {
        _ if conversation(doc) => Some(Shape {
            records: " > conversation_parts.conversation_parts[]",
            why: "an object with type: \"conversation\" (or a source) and conversation_parts",
        }),
        ValueRef::Array(a) if !a.is_empty() && a.iter().all(conversation) => Some(Shape {
            records: "[] > conversation_parts.conversation_parts[]",
            why: "an array of conversations with conversation_parts",
        }),
        ValueRef::Object(_) => {
            let page = doc.get("type").and_then(Value::as_str) == Some("conversation.list");
            let list = doc.get("conversations").and_then(Value::as_array)?;
            let carry = list.iter().all(conversation);
            (carry && (page || !list.is_empty())).then_some(Shape {
                records: "conversations[] > conversation_parts.conversation_parts[]",
                why: "a conversation list whose conversations carry conversation_parts",
            })
        }
        _ => None,
    }
}

/// The value at `keys` inside `rec`.
fn at<'v>(rec: &Record<'v>, keys: &[&str]) -> Option<&'v Value> {
    let (first, rest) = keys.split_first()?;
    rest.iter().try_fold(rec.get(first)?, |v, k| v.get(k))
}

/// The first of `paths` that holds a value, for the three layouts a record has.
fn first<'v>(rec: &Record<'v>, paths: &[&[&str]]) -> Option<&'v Value> {
    paths
        .iter()
        .find_map(|p| at(rec, p).filter(|v| !v.is_null()))
}

/// An id as text: Intercom writes ids as strings, some exports as numbers.
fn id(v: &Value) -> Option<String> {
    match v.as_ref() {
        ValueRef::String(s) if !s.trim().is_empty() => Some(s.to_owned()),
        ValueRef::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// What kind of record it is: `Ok(None)` for a conversation (the record of its source),
/// `Ok(Some(type))` for a part or an export row.
fn part_type<'v>(rec: &Record<'v>) -> Result<Option<&'v str>, Kind> {
    let part = rec.get("part_type").or_else(|| rec.get("message_type"));
    match part.map(|p| (p, p.as_ref())) {
        Some((_, ValueRef::String(t))) => Ok(Some(t)),
        Some((other, _)) => Err(Kind::Unknown(format!("a part_type that is {other}"))),
        None if rec.get("source").is_some_and(Value::is_object) => Ok(None),
        None => Err(Kind::Unknown(
            "neither a conversation with its source, a conversation part nor an export row".into(),
        )),
    }
}

fn classify(rec: &Record<'_>, values: &ValueMaps) -> Kind {
    let part = match part_type(rec) {
        Ok(p) => p,
        Err(unknown) => return unknown,
    };
    match part {
        None | Some("comment" | "close") => message(rec, values, None),
        Some("assignment" | "away_mode_assignment") => message(rec, values, assignee(rec)),
        Some("note") => Kind::NonMessage("note"),
        Some("open") => Kind::NonMessage("open"),
        Some("snoozed") => Kind::NonMessage("snoozed"),
        // A configured `[import.values.event]` may name another part type an event.
        Some(other)
            if values
                .get(Field::Event, other)
                .is_some_and(|e| !e.is_empty()) =>
        {
            message(rec, values, assignee(rec))
        }
        Some(other) => Kind::Unknown(format!(
            "a part of type {other:?}, which the conversation part model does not list"
        )),
    }
}

/// A message, with the customer's id when its author is the customer and the lane it assigns.
fn message(rec: &Record<'_>, values: &ValueMaps, lane: Option<String>) -> Kind {
    let mut read = Vec::new();
    if let Some(customer) = customer(rec, values) {
        read.push((Field::CustomerId, customer));
    }
    if let Some(lane) = lane {
        read.push((Field::Lane, lane));
    }
    if read.is_empty() {
        Kind::Message
    } else {
        Kind::MessageReading(read)
    }
}

/// The author's id, when the author's type (through the value maps) is the customer.
fn customer(rec: &Record<'_>, values: &ValueMaps) -> Option<String> {
    let kind = first(
        rec,
        &[
            &["author", "type"],
            &["source", "author", "type"],
            &["message_author_type"],
        ],
    )?
    .as_str()?;
    let role = values
        .get(Field::Role, kind)
        .filter(|r| !r.is_empty())
        .unwrap_or(kind);
    if Role::parse(role) != Some(Role::Customer) {
        return None;
    }
    let author = first(
        rec,
        &[
            &["author", "id"],
            &["source", "author", "id"],
            &["message_author_id"],
        ],
    )?;
    id(author)
}

/// Who an assignment assigned the conversation to: `assigned_to` is the admin's id in the 1.x
/// model and a reference `{type, id}` in 2.x (`id: null` when it was unassigned).
fn assignee(rec: &Record<'_>) -> Option<String> {
    let to = rec.get("assigned_to")?;
    match to.as_ref() {
        ValueRef::Object(_) => to.get("id").and_then(id),
        _ => id(to),
    }
}

/// The text of a message: its HTML body as plain text (after an e-mail's subject), then a notice
/// per attachment; `<redacted>` for a redacted part, whatever its body says.
fn text(rec: &Record<'_>) -> Option<String> {
    // A conversation's message is its source; a part or an export row is its own.
    let source;
    let own = match rec.get("source").filter(|s| s.is_object()) {
        Some(s) => {
            source = Record::new(s);
            &source
        }
        None => rec,
    };
    if own.get("redacted").and_then(Value::as_bool) == Some(true) {
        return Some("<redacted>".into());
    }
    // The text is built in one string: this runs for every part of every conversation.
    let mut out = String::new();
    for key in ["subject", "body", "message_body"] {
        let Some(html) = own.get(key).and_then(Value::as_str) else {
            continue;
        };
        let plain = html::plain(html);
        if plain.is_empty() {
            continue;
        }
        if out.is_empty() {
            out = plain;
        } else {
            out.push('\n');
            out.push_str(&plain);
        }
    }
    let attachments = own.get("attachments").and_then(Value::as_array);
    for a in attachments.into_iter().flatten() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&attachment(a));
    }
    Some(out)
}

/// The notice of one attachment.
fn attachment(a: &Value) -> String {
    match a.get("name").and_then(Value::as_str).map(str::trim) {
        Some(name) if !name.is_empty() => format!("<attachment: {name}>"),
        _ => "<attachment>".into(),
    }
}

#[cfg(test)]
mod tests;

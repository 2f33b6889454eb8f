//! The `freshchat` profile: Freshchat webhook deliveries, as the webhook payload article documents
//! them (https://crmsupport.freshworks.com/en/support/solutions/articles/50000004461-freshchat-webhooks-payload-structure-and-authentication,
//! the older form at .../articles/50000002713-chat-webhooks-payload-structure-and-authentication),
//! with the message object of the product events
//! (https://developers.freshworks.com/docs/app-sdk/v3.0/chat_conversation/serverless-apps/product-events/onmessage/):
//! one delivery a line, or a JSON array of them.
//!
//! A delivery is `{actor: {actor_type, actor_id}, action, action_time, data}`; each delivery is a
//! record. `message_create` carries `data.message` (`conversation_id`, `id`, `message_parts[]`,
//! `actor_type`, `message_type`, `created_time`, `user_id`): a message, unless its `message_type`
//! is `private`, an internal note the customer never sees (a non-message `note`).
//! `conversation_assignment` (`data.assignment`, lane `to_group_id` else `to_agent_id`) is an
//! `assign` event and `conversation_resolution` (`data.resolve`) `resolved`, both with the role of
//! the actor; `conversation_reopen` is a non-message. An action the article does not list is an
//! unknown element, unless `[import.values.event]` names it an event. The text is the parts' text
//! with a notice for each part without text after it (`<image>`, `<file: NAME>`).

use crate::logs::json::doc::{JsonContainerTrait, JsonValueTrait, Record, Value, ValueRef};

use super::{Hooks, Profile, Shape};
use crate::logs::fields::Field;
use crate::logs::json::Kind;
use crate::logs::json::values::ValueMaps;

pub const PROFILE: Profile = Profile {
    name: "freshchat",
    about: "Freshchat webhook deliveries",
    shape,
    expects: "Freshchat webhook deliveries (objects with actor, action, action_time and data): \
              one a line, or an array of them",
    fields: &[
        (
            "conversation_id",
            &[
                "data.message.conversation_id",
                "data.assignment.conversation.conversation_id",
                "data.resolve.conversation.conversation_id",
                "data.reopen.conversation.conversation_id",
            ],
        ),
        // A message's own time first; an event has only the delivery's.
        ("timestamp", &["data.message.created_time", "action_time"]),
        ("message_id", &["data.message.id"]),
        // `user` reads as the customer, `agent`, `bot` and `system` as themselves.
        ("role", &["data.message.actor_type", "actor.actor_type"]),
        ("event", &["action"]),
        (
            "lane",
            &["data.assignment.to_group_id", "data.assignment.to_agent_id"],
        ),
        ("customer_id", &["data.message.user_id"]),
    ],
    values: &[
        (
            Field::Event,
            &[
                ("conversation_assignment", "assign"),
                ("conversation_resolution", "resolved"),
                ("*", ""),
            ],
        ),
        // An assignment to an agent leaves `to_group_id` empty: the agent is then the lane.
        (Field::Lane, &[("", "")]),
    ],
    classify,
    compose: &[(Field::Text, text)],
    table: None,
    hooks: Hooks::NONE,
};

/// The keys every delivery has.
const ENVELOPE: [&str; 4] = ["actor", "action", "action_time", "data"];

fn delivery(v: &Value) -> bool {
    v.is_object() && ENVELOPE.iter().all(|k| v.get(*k).is_some())
}

/// One delivery, or an array of them.
fn shape(doc: &Value) -> Option<Shape> {
    match doc.as_ref() {
        ValueRef::Array(a) if !a.is_empty() && a.iter().all(delivery) => Some(Shape {
            records: "[]",
            why: "an array of objects with actor, action, action_time and data",
        }),
        _ if delivery(doc) => Some(Shape {
            records: "",
            why: "an object with actor, action, action_time and data",
        }),
        _ => None,
    }
}

fn classify(d: &Record<'_>, values: &ValueMaps) -> Kind {
    let action = match d.get("action").map(|a| (a, a.as_ref())) {
        Some((_, ValueRef::String(s))) => s,
        Some((other, _)) => return Kind::Unknown(format!("an action that is {other}")),
        None => return Kind::Unknown("a delivery without an action".into()),
    };
    match action {
        "message_create" => message(d.value()),
        "conversation_assignment" | "conversation_resolution" => Kind::Message,
        "conversation_reopen" => Kind::NonMessage("conversation_reopen"),
        // A configured `[import.values.event]` may name another action an event.
        a if values.get(Field::Event, a).is_some_and(|e| !e.is_empty()) => Kind::Message,
        a => Kind::Unknown(format!(
            "a delivery of action {a:?}, which the webhook article does not list"
        )),
    }
}

/// A `message_create` delivery: a message, or an internal note.
fn message(d: &Value) -> Kind {
    let Some(m) = d.get("data").and_then(|d| d.get("message")) else {
        return Kind::Unknown("a message_create delivery without data.message".into());
    };
    // A bot's private note is flagged rather than typed in the later payloads.
    if m.get("botsPrivateNote").and_then(Value::as_bool) == Some(true) {
        return Kind::NonMessage("note");
    }
    match m.get("message_type").map(|t| (t, t.as_ref())) {
        // The later payloads leave a normal message untyped.
        None | Some((_, ValueRef::Null)) => Kind::Message,
        Some((_, ValueRef::String("normal"))) => Kind::Message,
        Some((_, ValueRef::String("private"))) => Kind::NonMessage("note"),
        Some((other, _)) => Kind::Unknown(format!(
            "a message of message_type {other}, which the webhook article does not list \
             (normal, private)"
        )),
    }
}

/// What one message part contributes: text, or a notice of what it carries.
enum Part {
    Text(String),
    Notice(String),
}

fn non_empty(v: Option<&Value>) -> Option<&str> {
    v.and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

/// A part of `message_parts[]` (`{text: {content}}`, `{image: {url}}`, `{file: {name, …}}`, …),
/// or of the older `msg_parts[]` (`{part_type, properties}`); `None` for a part that carries
/// nothing (an empty text, or not an object).
fn part(p: &Value) -> Option<Part> {
    let o = p.as_object()?;
    if let Some(kind) = p.get("part_type") {
        let null = Value::new_null();
        return typed(kind.as_str()?, p.get("properties").unwrap_or(&null));
    }
    // A part is an object keyed by its kind.
    match o.get_key_value(&"text") {
        Some((kind, body)) => typed(kind, body),
        None => o.iter().next().and_then(|(kind, body)| typed(kind, body)),
    }
}

fn typed(kind: &str, body: &Value) -> Option<Part> {
    if kind.trim().is_empty() {
        return None;
    }
    if kind == "text" {
        let text = non_empty(body.get("content")).or_else(|| non_empty(body.get("text")));
        return text.map(|t| Part::Text(t.to_owned()));
    }
    Some(match (kind, non_empty(body.get("name"))) {
        ("file", Some(name)) => Part::Notice(format!("<file: {name}>")),
        _ => Part::Notice(format!("<{kind}>")),
    })
}

/// The text of a message: its text parts, then a notice for each part without text.
fn text(d: &Record<'_>) -> Option<String> {
    let m = d.get("data")?.get("message")?;
    let parts = m.get("message_parts").or_else(|| m.get("msg_parts"))?;
    let (mut texts, mut notices) = (Vec::new(), Vec::new());
    for p in parts.as_array()?.iter().filter_map(part) {
        match p {
            Part::Text(t) => texts.push(t),
            Part::Notice(n) => notices.push(n),
        }
    }
    let mut out = texts.join("\n");
    for n in notices {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&n);
    }
    Some(out)
}

#[cfg(test)]
mod tests;

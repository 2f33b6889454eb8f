//! The `twilio` profile: Twilio Conversations messages with the Flex TaskRouter events of the
//! same conversations, as the Conversation Message resource and the TaskRouter event references
//! document them: one resource or event a line, a JSON array of them, or a page of the messages
//! list (`{messages: [...], meta}`).
//!
//! A message is `{sid, conversation_sid, index, author, body, attributes, participant_sid,
//! date_created, …}`: `conversation_sid` is the conversation, `date_created` the timestamp, `sid`
//! the message id, `author` the author. Its role comes from the author: a channel address (`+1555…`,
//! `whatsapp:+1555…`) is the customer, `system` (the default author, as a Studio flow posts) the
//! bot, any other identity an agent; `[import.values.role]` may name an author's role outright.
//!
//! A TaskRouter event is an Event Streams event (`{type: "com.twilio.taskrouter.…", data:
//! {payload: {eventtype, task_attributes, task_queue_name, worker_name, timestamp, …}}}`) or an
//! Event resource (`{event_type, event_data, event_date, …}`); Flex puts the conversation's
//! `conversationSid` in the task's attributes, JSON text that is read as JSON. A reservation
//! created (the conversation offered to a person) is the `handoff`, a reservation accepted the
//! `assign` to the task's queue, a reservation completed `resolved`; the other reservation
//! events, and the other TaskRouter events, are non-messages, counted by kind.

use serde_json::{Map, Value};

use super::{Profile, Shape};
use crate::logs::fields::Field;
use crate::logs::json::Kind;
use crate::logs::json::values::ValueMaps;

/// The keys Twilio fills with JSON text.
pub const JSON_TEXT: &[&str] = &["attributes", "task_attributes"];

pub const PROFILE: Profile = Profile {
    name: "twilio",
    about: "Twilio Conversations messages and TaskRouter events",
    shape,
    expects: "Twilio Conversations messages (objects with conversation_sid and author or body), \
              TaskRouter events, an array of them, or a page with messages[]",
    fields: &[
        (
            "conversation_id",
            &[
                "conversation_sid",
                "data.payload.task_attributes.conversationSid",
                "event_data.task_attributes.conversationSid",
            ],
        ),
        (
            "timestamp",
            &["date_created", "data.payload.timestamp", "event_date"],
        ),
        ("text", &["body"]),
        ("message_id", &["sid", "id"]),
        (
            "author",
            &[
                "author",
                "data.payload.worker_name",
                "event_data.worker_name",
            ],
        ),
        // A configured role for an author wins; otherwise the classifier's, from its shape.
        ("role", &["author"]),
        ("event", &["data.payload.eventtype", "event_type"]),
        (
            "lane",
            &["data.payload.task_queue_name", "event_data.task_queue_name"],
        ),
    ],
    values: &[
        (Field::Role, &[("*", "")]),
        (
            Field::Event,
            &[
                ("reservation.created", "handoff"),
                ("reservation.accepted", "assign"),
                ("reservation.completed", "resolved"),
                ("*", ""),
            ],
        ),
    ],
    classify,
    text: None,
};

fn message(v: &Value) -> bool {
    v.get("conversation_sid").is_some() && (v.get("author").is_some() || v.get("body").is_some())
}

fn event(v: &Value) -> bool {
    v.as_object().is_some_and(event_fields)
}

fn event_fields(o: &Map<String, Value>) -> bool {
    let streamed = o
        .get("type")
        .and_then(Value::as_str)
        .is_some_and(|t| t.starts_with("com.twilio.taskrouter."));
    streamed || (o.contains_key("event_type") && o.contains_key("event_data"))
}

/// A message, an event, an array of them, or a page of the messages list.
fn shape(doc: &Value) -> Option<Shape> {
    let either = |v: &Value| message(v) || event(v);
    match doc {
        Value::Array(a) if !a.is_empty() && a.iter().all(either) => Some(Shape {
            records: "[]",
            why: "an array of Conversations messages and TaskRouter events",
        }),
        Value::Object(o)
            if o.get("messages").is_some_and(Value::is_array) && o.contains_key("meta") =>
        {
            Some(Shape {
                records: "messages[]",
                why: "a page with messages[] and meta",
            })
        }
        v if message(v) => Some(Shape {
            records: "",
            why: "an object with conversation_sid and author or body",
        }),
        v if event(v) => Some(Shape {
            records: "",
            why: "a TaskRouter event",
        }),
        _ => None,
    }
}

const CUSTOMER: &[(Field, &str)] = &[(Field::Role, "customer")];
const BOT: &[(Field, &str)] = &[(Field::Role, "bot")];
const AGENT: &[(Field, &str)] = &[(Field::Role, "agent")];
const SYSTEM: &[(Field, &str)] = &[(Field::Role, "system")];

/// The reservation events that are not handoff, assignment or resolution, and their kinds.
const RESERVATIONS: &[(&str, &str)] = &[
    ("reservation.rejected", "reservation_rejected"),
    ("reservation.timeout", "reservation_timeout"),
    ("reservation.canceled", "reservation_canceled"),
    ("reservation.rescinded", "reservation_rescinded"),
    ("reservation.wrapup", "reservation_wrapup"),
];

fn classify(obj: &Map<String, Value>, values: &ValueMaps) -> Kind {
    if event_fields(obj) {
        return taskrouter(obj, values);
    }
    if !obj.contains_key("conversation_sid") {
        return Kind::Unknown("neither a Conversations message nor a TaskRouter event".into());
    }
    match obj.get("author").and_then(Value::as_str) {
        None | Some("system") => Kind::MessageWith(BOT),
        Some(a) if a.starts_with('+') || a.contains(':') => Kind::MessageWith(CUSTOMER),
        Some(_) => Kind::MessageWith(AGENT),
    }
}

/// A TaskRouter event: a reservation that moves the conversation, or a non-message.
fn taskrouter(o: &Map<String, Value>, values: &ValueMaps) -> Kind {
    let kind = o
        .get("data")
        .and_then(|d| d.pointer("/payload/eventtype"))
        .or_else(|| o.get("event_type"))
        .and_then(Value::as_str)
        .unwrap_or("");
    if values
        .get(Field::Event, kind)
        .is_some_and(|e| !e.is_empty())
    {
        return Kind::MessageWith(SYSTEM);
    }
    match RESERVATIONS.iter().find(|(k, _)| *k == kind) {
        Some((_, counted)) => Kind::NonMessage(counted),
        None => Kind::NonMessage("taskrouter_event"),
    }
}

#[cfg(test)]
mod tests;

//! The `twilio` profile: Twilio Conversations messages with the Flex TaskRouter events of the
//! same conversations, as the Conversation Message resource
//! (https://www.twilio.com/docs/conversations/api/conversation-message-resource) and the TaskRouter
//! events reference (https://www.twilio.com/docs/taskrouter/api/event/reference, Event Streams'
//! envelopes: https://www.twilio.com/docs/events/event-types/taskrouter/task and
//! https://www.twilio.com/docs/events/event-types/taskrouter/reservation) document them: one
//! resource or event a line, a JSON array of them, or a page of the messages list (`{messages:
//! [...], meta}`).
//!
//! A message is `{sid, conversation_sid, index, author, body, media, attributes, participant_sid,
//! date_created, …}`: `conversation_sid` is the conversation, `date_created` the timestamp, `sid`
//! the message id, `author` the author. Its role comes from the author: a channel address (`+1555…`,
//! `whatsapp:+1555…`) is the customer, whose address is also the `customer_id`; `system` (the
//! default author, as a Studio flow posts) the bot, any other identity an agent;
//! `[import.values.role]` may name an author's role outright. Each of its `media[]` is a notice
//! after the body: `<attachment: IMG_7781.jpg>` (`<attachment>` without a file name).
//!
//! A TaskRouter event is an Event Streams event (`{type: "com.twilio.taskrouter.…", data:
//! {payload: {sid, eventtype, task_attributes, task_queue_name, worker_name, timestamp, …}}}`) or
//! an Event resource (`{sid, event_type, event_data, event_date, …}`); Flex puts the
//! conversation's `conversationSid` in the task's attributes, JSON text that is read as JSON. The
//! task created (the conversation leaves the bot for the queue) is the system's `handoff`, a
//! reservation accepted the worker's `assign` (the worker as author and role `agent`, the task's
//! queue as the lane), the task completed the system's `resolved`; the other events of the
//! reference (a reservation offered or rejected, the queue entered, a worker's activity…) are
//! non-messages, counted under their event type, and an event type it does not list is an unknown
//! element.

use crate::logs::json::doc::{self, JsonContainerTrait, JsonValueTrait, Record, Value, ValueRef};

use super::{Hooks, Profile, Shape};
use crate::logs::fields::Field;
use crate::logs::json::Kind;
use crate::logs::json::values::ValueMaps;

/// The keys Twilio fills with JSON text.
const JSON_TEXT: &[&str] = &["attributes", "task_attributes"];

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
            &[
                "date_created",
                "data.payload.timestamp",
                "event_date",
                "time",
            ],
        ),
        ("text", &["body"]),
        ("message_id", &["sid", "data.payload.sid", "data.sid", "id"]),
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
    ],
    values: &[
        (Field::Role, &[("*", "")]),
        (
            Field::Event,
            &[
                ("task.created", "handoff"),
                ("reservation.accepted", "assign"),
                ("task.completed", "resolved"),
                ("*", ""),
            ],
        ),
    ],
    classify,
    compose: &[
        (Field::Text, text),
        (Field::CustomerId, customer_id),
        (Field::Lane, lane),
    ],
    table: None,
    hooks: Hooks {
        json_text: JSON_TEXT,
        ..Hooks::NONE
    },
};

fn message(v: &Value) -> bool {
    v.get("conversation_sid").is_some() && (v.get("author").is_some() || v.get("body").is_some())
}

fn event(v: &Value) -> bool {
    v.is_object() && event_fields(v)
}

fn event_fields(o: &Value) -> bool {
    let streamed = o
        .get("type")
        .and_then(Value::as_str)
        .is_some_and(|t| t.starts_with("com.twilio.taskrouter."));
    streamed || (o.get("event_type").is_some() && o.get("event_data").is_some())
}

/// A message, an event, an array of them, or a page of the messages list.
fn shape(doc: &Value) -> Option<Shape> {
    let either = |v: &Value| message(v) || event(v);
    match doc.as_ref() {
        ValueRef::Array(a) if !a.is_empty() && a.iter().all(either) => Some(Shape {
            records: "[]",
            why: "an array of Conversations messages and TaskRouter events",
        }),
        ValueRef::Object(_)
            if doc.get("messages").is_some_and(Value::is_array) && doc.get("meta").is_some() =>
        {
            Some(Shape {
                records: "messages[]",
                why: "a page with messages[] and meta",
            })
        }
        _ if message(doc) => Some(Shape {
            records: "",
            why: "an object with conversation_sid and author or body",
        }),
        _ if event(doc) => Some(Shape {
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

/// The event types of the TaskRouter events reference (Event Streams gives them after
/// `com.twilio.taskrouter.`): those that are not a handoff, an assignment or a resolution are
/// counted under their own names.
const EVENT_TYPES: &[&str] = &[
    "activity.created",
    "activity.updated",
    "activity.deleted",
    "reservation.created",
    "reservation.accepted",
    "reservation.rejected",
    "reservation.timeout",
    "reservation.canceled",
    "reservation.rescinded",
    "reservation.completed",
    "reservation.failed",
    "reservation.wrapup",
    "task.created",
    "task.updated",
    "task.canceled",
    "task.completed",
    "task.deleted",
    "task.system-deleted",
    "task.wrapup",
    "task.transfer-initiated",
    "task.transfer-attempt-failed",
    "task.transfer-failed",
    "task.transfer-canceled",
    "task.transfer-completed",
    "task-queue.created",
    "task-queue.deleted",
    "task-queue.entered",
    "task-queue.timeout",
    "task-queue.moved",
    "task-queue.expression.updated",
    "worker.created",
    "worker.deleted",
    "worker.activity.update",
    "worker.attributes.update",
    "worker.capacity.update",
    "worker.channel.availability.update",
    "workflow.entered",
    "workflow.target-matched",
    "workflow.timeout",
    "workflow.skipped",
];

fn classify(obj: &Record<'_>, values: &ValueMaps) -> Kind {
    if event_fields(obj.value()) {
        return taskrouter(obj.value(), values);
    }
    if obj.get("conversation_sid").is_none() {
        return Kind::Unknown("neither a Conversations message nor a TaskRouter event".into());
    }
    match obj.get("author").and_then(Value::as_str) {
        None | Some("system") => Kind::MessageWith(BOT),
        Some(a) if is_address(a) => Kind::MessageWith(CUSTOMER),
        Some(_) => Kind::MessageWith(AGENT),
    }
}

/// Whether an author is a channel address (`+14155550134`, `whatsapp:+14155550134`,
/// `messenger:…`): a customer's, where agents and bots write under an identity.
fn is_address(author: &str) -> bool {
    author.starts_with('+') || author.contains(':')
}

/// A TaskRouter event's type: `eventtype` of an Event Streams payload, or an Event resource's
/// `event_type`, or what the envelope's `type` names.
fn event_type(o: &Value) -> Option<&str> {
    let payload = o
        .get("data")
        .and_then(|d| doc::pointer(d, "/payload/eventtype"));
    payload
        .or_else(|| o.get("event_type"))
        .and_then(Value::as_str)
        .or_else(|| {
            let streamed = o.get("type").and_then(Value::as_str)?;
            streamed.strip_prefix("com.twilio.taskrouter.")
        })
}

/// A TaskRouter event: a handoff, assignment or resolution, or a non-message.
fn taskrouter(o: &Value, values: &ValueMaps) -> Kind {
    let kind = event_type(o).unwrap_or("");
    if values
        .get(Field::Event, kind)
        .is_some_and(|e| !e.is_empty())
    {
        // The worker who accepts the reservation takes the conversation.
        return Kind::MessageWith(if kind == "reservation.accepted" {
            AGENT
        } else {
            SYSTEM
        });
    }
    match EVENT_TYPES.iter().find(|k| **k == kind) {
        Some(counted) => Kind::NonMessage(counted),
        None => Kind::Unknown(format!(
            "a TaskRouter event of type {kind:?}, which the events reference does not list"
        )),
    }
}

/// A message's text with a notice for each of its `media[]` after the body; `None` for a message
/// without media (its `body` is the text).
fn text(o: &Record<'_>) -> Option<String> {
    let media = o.get("media")?.as_array().filter(|m| !m.is_empty())?;
    let mut parts: Vec<String> = Vec::with_capacity(media.len() + 1);
    let body = o.get("body").and_then(Value::as_str).map(str::trim);
    parts.extend(body.filter(|b| !b.is_empty()).map(str::to_owned));
    for m in media {
        let name = m.get("filename").and_then(Value::as_str).map(str::trim);
        parts.push(match name.filter(|n| !n.is_empty()) {
            Some(n) => format!("<attachment: {n}>"),
            None => "<attachment>".into(),
        });
    }
    Some(parts.join(" "))
}

/// The customer's address, on the messages the customer wrote.
fn customer_id(o: &Record<'_>) -> Option<String> {
    if event_fields(o.value()) {
        return None;
    }
    let author = o.get("author")?.as_str()?;
    is_address(author).then(|| author.to_owned())
}

/// The task's queue, on the events that move the conversation to a queue or a person (a lane
/// belongs to a handoff or an assignment; the task's completion names the queue too, but is not
/// one).
fn lane(o: &Record<'_>) -> Option<String> {
    if !matches!(
        event_type(o.value()),
        Some("task.created" | "reservation.accepted")
    ) {
        return None;
    }
    let queue = o
        .get("data")
        .and_then(|d| doc::pointer(d, "/payload/task_queue_name"))
        .or_else(|| o.get("event_data").and_then(|d| d.get("task_queue_name")));
    queue.and_then(Value::as_str).map(str::to_owned)
}

#[cfg(test)]
mod tests;

//! The `rasa` profile: a Rasa tracker store dump (one tracker, or a list of them), as documented
//! in Rasa's events reference and shown by `realdata/platforms/rasa/tracker_moodbot.json`.
//!
//! A tracker is `{sender_id, slots, latest_message, …, events: [...]}`; its events are the records
//! and its `sender_id` the conversation. `user` events are customer messages with
//! `parse_data.intent` name and confidence; `bot` events bot messages. An action or intent named
//! `action_handoff`, `human_handoff` or `handoff` (more through `[import.values.event]`), or a
//! `pause` event (the conversation paused for a person), is the handoff; `action_default_fallback`
//! is a bot fallback and an `nlu_fallback` intent a fallback. Every other action, and the events
//! that are bookkeeping (`session_started`, which opens every tracker, `slot`, `active_loop`…), are
//! non-messages, counted by kind; an event type Rasa does not document is an unknown element.

use crate::logs::json::doc::{JsonValueTrait, Record, Value, ValueRef};

use super::{Hooks, Profile, Shape};
use crate::logs::fields::Field;
use crate::logs::json::Kind;
use crate::logs::json::values::ValueMaps;

pub const PROFILE: Profile = Profile {
    name: "rasa",
    about: "a Rasa tracker store dump",
    shape,
    expects: "a Rasa tracker (an object with sender_id and events[]) or an array of them",
    fields: &[
        ("conversation_id", &["$parent.sender_id"]),
        // An action's name first, so that a handoff or fallback action gets its own role.
        ("role", &["name", "event"]),
        ("text", &["text"]),
        ("timestamp", &["timestamp"]),
        ("message_id", &["message_id"]),
        ("intent", &["parse_data.intent.name"]),
        ("confidence", &["parse_data.intent.confidence"]),
        ("event", &["name", "parse_data.intent.name", "event"]),
        ("fallback", &["name", "parse_data.intent.name"]),
    ],
    values: &[
        (
            Field::Role,
            &[
                ("user", "customer"),
                ("bot", "bot"),
                ("action", "system"),
                ("pause", "system"),
                ("action_default_fallback", "bot"),
                // Any other action name: the role comes from the event type.
                ("*", ""),
            ],
        ),
        (
            Field::Event,
            &[
                ("action_handoff", "handoff"),
                ("human_handoff", "handoff"),
                ("handoff", "handoff"),
                ("pause", "handoff"),
                // Other names are not events (an intent named `transfer` is not a handoff).
                ("*", ""),
            ],
        ),
        (
            Field::Fallback,
            &[
                ("action_default_fallback", "true"),
                ("nlu_fallback", "true"),
                ("*", ""),
            ],
        ),
    ],
    classify,
    compose: &[],
    table: None,
    hooks: Hooks {
        settings: Some(settings),
        ..Hooks::NONE
    },
};

/// A tracker, or an array of trackers.
fn shape(doc: &Value) -> Option<Shape> {
    let tracker =
        |v: &Value| v.get("sender_id").is_some() && v.get("events").is_some_and(Value::is_array);
    match doc.as_ref() {
        ValueRef::Array(a) if !a.is_empty() && a.iter().all(tracker) => Some(Shape {
            records: "[].events[]",
            why: "an array of objects with sender_id and events[]",
        }),
        _ if tracker(doc) => Some(Shape {
            records: "events[]",
            why: "an object with sender_id and events[]",
        }),
        _ => None,
    }
}

/// The event types of Rasa's events reference that are not messages.
const BOOKKEEPING: &[(&str, &str)] = &[
    ("session_started", "session_start"),
    ("slot", "slot"),
    ("active_loop", "active_loop"),
    ("loop_interrupted", "loop_interruption"),
    ("action_execution_rejected", "rejected_action"),
    ("followup", "followup"),
    ("reminder", "reminder"),
    ("cancel_reminder", "cancelled_reminder"),
    ("restart", "restart"),
    ("rewind", "rewind"),
    ("undo", "undo"),
    ("resume", "resume"),
    ("export", "export"),
    ("user_featurization", "user_featurization"),
    ("entities", "entities"),
    ("agent", "agent_event"),
    ("stack", "stack"),
];

/// The handoff names of the profile, replaced by those `[import.rasa] handoff` gives.
const HANDOFF: [&str; 3] = ["action_handoff", "human_handoff", "handoff"];

/// `[import.rasa] handoff`, when given: its names mark the handoff in place of the defaults.
fn settings(import: &crate::logs::ImportSettings, values: &mut ValueMaps) {
    if let Some(names) = &import.rasa_handoff {
        handoff_names(names, values);
    }
}

/// These action and intent names mark the handoff, the defaults no longer.
fn handoff_names(names: &[String], values: &mut ValueMaps) {
    for default in HANDOFF {
        values.insert(Field::Event, default, "");
    }
    for name in names {
        values.insert(Field::Event, name, "handoff");
    }
}

fn classify(event: &Record<'_>, values: &ValueMaps) -> Kind {
    let Some(kind) = event.get("event").and_then(Value::as_str) else {
        return Kind::Unknown("an event without an `event` type".into());
    };
    match kind {
        "user" | "bot" | "pause" => Kind::Message,
        "action" => {
            let name = event.get("name").and_then(Value::as_str).unwrap_or("");
            let event_named = values
                .get(Field::Event, name)
                .is_some_and(|e| !e.is_empty());
            let fallback = values
                .get(Field::Fallback, name)
                .is_some_and(|f| !f.is_empty());
            if event_named || fallback {
                Kind::Message
            } else {
                Kind::NonMessage("action")
            }
        }
        other => match BOOKKEEPING.iter().find(|(k, _)| *k == other) {
            Some((_, counted)) => Kind::NonMessage(counted),
            None => Kind::Unknown(format!(
                "an event of type {other:?}, which Rasa does not document"
            )),
        },
    }
}

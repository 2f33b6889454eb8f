//! The `salesforce` profile: Salesforce `ConversationEntry` rows, as the object reference
//! documents them, from a SOQL query's JSON (`{totalSize, done, records: [...]}`), a JSON array of
//! rows, one row a line, or a CSV export whose header has the field names.
//!
//! A row is `{Id, ConversationId, Seq, EntryTime, EntryType, ActorType, ActorName, Message, …}`.
//! `ConversationId` (the messaging session) is the conversation, `EntryTime` the timestamp,
//! `Message` the text, `ActorName` the author and `Id` (else `Seq`, unique within a session) the
//! message id. `ActorType` `EndUser` is the customer, `Bot` the bot, `Agent` and `Supervisor`
//! agents, `System` the system. `EntryType` `Text` is a message and `BotEscalated` a `handoff`
//! event; the other entry types of the reference (opt-ins and opt-outs, a chatbot session
//! established or closed…) are non-messages, counted by kind, and a type it does not list is an
//! unknown element. A row without `EntryType` is a message.

use serde_json::Value;

use super::{Profile, Shape, Table};
use crate::logs::fields::Field;
use crate::logs::json::Kind;
use crate::logs::json::values::ValueMaps;

pub const PROFILE: Profile = Profile {
    name: "salesforce",
    about: "Salesforce ConversationEntry rows",
    shape,
    expects: "ConversationEntry rows (objects with ConversationId, ActorType and EntryType): \
              a SOQL result with records[], an array of rows, or one row",
    fields: &[
        ("conversation_id", &["ConversationId"]),
        ("role", &["ActorType"]),
        ("text", &["Message"]),
        ("timestamp", &["EntryTime"]),
        ("message_id", &["Id", "Seq"]),
        ("author", &["ActorName"]),
        ("event", &["EntryType"]),
    ],
    values: &[
        (
            Field::Role,
            &[
                ("EndUser", "customer"),
                ("Bot", "bot"),
                ("Agent", "agent"),
                ("Supervisor", "agent"),
                ("System", "system"),
            ],
        ),
        (Field::Event, &[("BotEscalated", "handoff"), ("*", "")]),
    ],
    classify,
    text: None,
};

/// A CSV export: one row a record, the header naming the fields.
pub const TABLE: Table = Table {
    records: "",
    json_columns: &[],
};

/// Whether a value is a `ConversationEntry` row.
fn row(v: &Value) -> bool {
    let typed = v
        .pointer("/attributes/type")
        .is_some_and(|t| t == "ConversationEntry");
    typed || (v.get("ConversationId").is_some() && v.get("ActorType").is_some())
}

/// A SOQL query result, an array of rows, or one row.
fn shape(doc: &Value) -> Option<Shape> {
    let rows = |a: &Vec<Value>| !a.is_empty() && a.iter().all(row);
    match doc {
        Value::Object(o) => match o.get("records") {
            Some(Value::Array(a)) if rows(a) => Some(Shape {
                records: "records[]",
                why: "a query result whose records[] are ConversationEntry rows",
            }),
            _ if row(doc) => Some(Shape {
                records: "",
                why: "an object with ConversationId and ActorType",
            }),
            _ => None,
        },
        Value::Array(a) if rows(a) => Some(Shape {
            records: "[]",
            why: "an array of objects with ConversationId and ActorType",
        }),
        _ => None,
    }
}

/// The entry types of the object reference that are events, not messages, and their kinds.
const EVENTS: &[(&str, &str)] = &[
    ("AdminOptedIn", "admin_opt_in"),
    ("AdminOptedOut", "admin_opt_out"),
    ("EndUserOptedIn", "end_user_opt_in"),
    ("EndUserOptedOut", "end_user_opt_out"),
    ("ChatbotEstablished", "chatbot_established"),
    ("ChatbotNotEstablished", "chatbot_not_established"),
    ("ChatbotClosedIdleSession", "chatbot_idle_close"),
    ("ChatbotEndedChatByAction", "chatbot_ended_by_action"),
    (
        "ChatbotEndedTransferNotConfigured",
        "chatbot_ended_without_transfer",
    ),
];

fn classify(entry: &serde_json::Map<String, Value>, values: &ValueMaps) -> Kind {
    let kind = match entry.get("EntryType") {
        None | Some(Value::Null) => return Kind::Message,
        Some(Value::String(s)) => s.as_str(),
        Some(other) => return Kind::Unknown(format!("an EntryType that is {other}")),
    };
    // A configured `[import.values.event]` may name another entry type an event.
    let event_named = values
        .get(Field::Event, kind)
        .is_some_and(|e| !e.is_empty());
    if kind == "Text" || kind.is_empty() || event_named {
        return Kind::Message;
    }
    match EVENTS.iter().find(|(k, _)| *k == kind) {
        Some((_, counted)) => Kind::NonMessage(counted),
        None => Kind::Unknown(format!(
            "an entry of type {kind:?}, which the ConversationEntry reference does not list"
        )),
    }
}

#[cfg(test)]
mod tests;

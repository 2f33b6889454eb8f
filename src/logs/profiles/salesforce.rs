//! The `salesforce` profile: Salesforce `ConversationEntry` rows, as the object reference
//! documents them (https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_objects_conversationentry.htm,
//! the field list: https://developer.salesforce.com/docs/platform/field-reference/references/field-reference/salesforce-field-reference-conversationentry.html),
//! from a SOQL query's JSON (`{totalSize, done, records: [...]}`), a JSON array of rows, one row a
//! line, or a CSV export whose header has the field names (recognised from `ConversationId` and
//! `ActorType`; Data Loader's capitals are read as the documented names).
//!
//! A row is `{Id, ConversationId, Seq, EntryTime, EntryTimeMilliSecs, EntryType, ActorType,
//! ActorName, ActorId, Message, HasAttachments, …}`. `ConversationId` (the messaging session) is
//! the conversation, `EntryTime` the timestamp, with `EntryTimeMilliSecs` ("the last 3 digits":
//! `EntryTime` is only to the second) as its milliseconds, `Message` the text, `ActorName` the
//! author and `Id` (else `Seq`, unique within a session) the message id. `ActorType` `EndUser` is
//! the customer, whose `ActorId` (the messaging end user) is the `customer_id`; `Bot` the bot,
//! `Agent` and `Supervisor` agents, `System` the system. A row with `HasAttachments` gets the
//! notice `<attachment>` after its `Message` (the row does not name the file). `EntryType` `Text`
//! is a message and `BotEscalated` a `handoff` event; the other entry types of the reference
//! (opt-ins and opt-outs, a chatbot session established or closed…) are non-messages, counted under
//! their `EntryType`, and a type it does not list is an unknown element. A row without `EntryType`
//! is a message.

use crate::logs::json::doc::{
    self, JsonContainerTrait, JsonNumberTrait, JsonValueTrait, Record, Value, ValueRef,
};

use super::{Hooks, Profile, Shape, Table};
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
    compose: &[
        (Field::Text, text),
        (Field::Timestamp, timestamp),
        (Field::CustomerId, customer_id),
    ],
    table: Some(&TABLE),
    hooks: Hooks::NONE,
};

/// A CSV export: one row a record, the header naming the fields.
pub const TABLE: Table = Table {
    records: "",
    json_columns: &[],
    header: &["ConversationId", "ActorType"],
    columns: &[
        "ActorId",
        "ActorName",
        "ActorType",
        "ClientDuration",
        "ClientTimestamp",
        "ConversationEntityId",
        "ConversationId",
        "CreatedById",
        "CreatedDate",
        "EntryEndTime",
        "EntryTime",
        "EntryTimeMilliSecs",
        "EntryType",
        "HasAttachments",
        "Id",
        "IsDeleted",
        "LastModifiedById",
        "Message",
        "Seq",
    ],
};

/// Whether a value is a `ConversationEntry` row.
fn row(v: &Value) -> bool {
    let typed = doc::pointer(v, "/attributes/type").is_some_and(|t| t == "ConversationEntry");
    typed || (v.get("ConversationId").is_some() && v.get("ActorType").is_some())
}

/// A SOQL query result, an array of rows, or one row.
fn shape(doc: &Value) -> Option<Shape> {
    let rows = |a: &[Value]| !a.is_empty() && a.iter().all(row);
    match doc.as_ref() {
        ValueRef::Object(_) => match doc.get("records").and_then(Value::as_array) {
            Some(a) if rows(a) => Some(Shape {
                records: "records[]",
                why: "a query result whose records[] are ConversationEntry rows",
            }),
            _ if row(doc) => Some(Shape {
                records: "",
                why: "an object with ConversationId and ActorType",
            }),
            _ => None,
        },
        ValueRef::Array(a) if rows(a) => Some(Shape {
            records: "[]",
            why: "an array of objects with ConversationId and ActorType",
        }),
        _ => None,
    }
}

/// The entry types of the object reference that are events, not messages: counted under their
/// own names.
const EVENTS: &[&str] = &[
    "AdminOptedIn",
    "AdminOptedOut",
    "EndUserOptedIn",
    "EndUserOptedOut",
    "ChatbotEstablished",
    "ChatbotNotEstablished",
    "ChatbotClosedIdleSession",
    "ChatbotEndedChatByAction",
    "ChatbotEndedTransferNotConfigured",
];

fn classify(entry: &Record<'_>, values: &ValueMaps) -> Kind {
    let kind = match entry.get("EntryType").map(|t| (t, t.as_ref())) {
        None | Some((_, ValueRef::Null)) => return Kind::Message,
        Some((_, ValueRef::String(s))) => s,
        Some((other, _)) => return Kind::Unknown(format!("an EntryType that is {other}")),
    };
    // A configured `[import.values.event]` may name another entry type an event.
    let event_named = values
        .get(Field::Event, kind)
        .is_some_and(|e| !e.is_empty());
    if kind == "Text" || kind.is_empty() || event_named {
        return Kind::Message;
    }
    match EVENTS.iter().find(|k| **k == kind) {
        Some(counted) => Kind::NonMessage(counted),
        None => Kind::Unknown(format!(
            "an entry of type {kind:?}, which the ConversationEntry reference does not list"
        )),
    }
}

/// The text of a row with attachments: its `Message`, then `<attachment>` (a row says that it
/// has attachments, not what they are); `None` for a row without.
fn text(entry: &Record<'_>) -> Option<String> {
    if !is_true(entry.get("HasAttachments")?) {
        return None;
    }
    let message = entry.get("Message").and_then(Value::as_str);
    Some(match message.filter(|m| !m.trim().is_empty()) {
        Some(m) => format!("{m} <attachment>"),
        None => "<attachment>".into(),
    })
}

/// A boolean as JSON (`true`) or as a CSV cell writes it (`true`, `TRUE`, `1`).
fn is_true(v: &Value) -> bool {
    match v.as_ref() {
        ValueRef::Bool(b) => b,
        ValueRef::String(s) => s.trim().eq_ignore_ascii_case("true") || s.trim() == "1",
        ValueRef::Number(n) => n.as_u64() == Some(1),
        _ => false,
    }
}

/// `EntryTime` with `EntryTimeMilliSecs` as its milliseconds, when the row has both: `EntryTime`
/// is only to the second (`…:01.000Z`) and the other holds the last three digits (`480`).
fn timestamp(entry: &Record<'_>) -> Option<String> {
    let time = entry.get("EntryTime")?.as_str()?;
    let ms = match entry.get("EntryTimeMilliSecs")?.as_ref() {
        ValueRef::Number(n) => n.as_u64()?,
        ValueRef::String(s) => s.trim().parse().ok()?,
        _ => return None,
    };
    with_millis(time, u16::try_from(ms).ok().filter(|ms| *ms < 1000)?)
}

/// `2026-03-05T14:00:01.000Z` with the milliseconds `ms`: the seconds end at byte 19, and a
/// fraction after them is replaced; the offset stays. `None` when the text is shorter than a date
/// and time (the path then reads `EntryTime` as it is, and says why it cannot).
fn with_millis(time: &str, ms: u16) -> Option<String> {
    let (seconds, rest) = (time.get(..19)?, time.get(19..)?);
    let offset = match rest.strip_prefix('.') {
        Some(fraction) => fraction.trim_start_matches(|c: char| c.is_ascii_digit()),
        None => rest,
    };
    Some(format!("{seconds}.{ms:03}{offset}"))
}

/// The customer's id: the `ActorId` (a messaging end user) of the rows the customer wrote.
fn customer_id(entry: &Record<'_>) -> Option<String> {
    if entry.get("ActorType").and_then(Value::as_str) != Some("EndUser") {
        return None;
    }
    let id = entry.get("ActorId")?.as_str()?.trim();
    (!id.is_empty()).then(|| id.to_owned())
}

#[cfg(test)]
mod tests;

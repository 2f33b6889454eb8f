//! The `cloudapi` profile: WhatsApp Business Cloud API webhook bodies, as documented in Meta's
//! webhook reference (`messages` field) and shown by the pywa fixtures in `realdata/cloudapi/`.
//!
//! A body is `{object: "whatsapp_business_account", entry: [{changes: [{value: {contacts,
//! messages, statuses, errors}, field}]}]}`; handoff reads one body, a JSON array of them, an
//! object of named bodies (case name → body), or JSONL with a body a line. The records are the
//! elements of `messages`, `statuses` and `errors` under `entry[].changes[].value`, in document
//! order. A message is the customer's (webhooks carry what the customer sends): its conversation
//! is the customer's `wa_id` (`from`), its author and customer name the contact's profile name.
//! Text is the body of a text message, the title of an interactive `button_reply`/`list_reply` or
//! the text of a template `button` reply, and a notice for the other types: `<image>` (followed by
//! the caption), `<location>`, `<contacts>`, `<order>`, `<unsupported>`… Statuses (sent,
//! delivered, read, failed), reactions, errors and system changes (number or identity changes)
//! are non-messages, counted by kind; a message type the reference does not list is an unknown
//! element.
//!
//! Webhooks carry only what customers send. What the business sent is in its own log: an element
//! with a `to` (a send-message request as the business logged it, in the same envelope or a
//! JSONL of its own, with the `timestamp` and the sender's name under `author` or `sender`) is
//! the business's message in the conversation of `to`, a bot message unless `[import.cloudapi]
//! agents` names its sender. A customer's `wa_id` is one customer across conversations
//! (`customer_id`); it is split into conversations where the customer and the business were
//! silent longer than the idle gap (`[import.cloudapi] idle_gap`, by default the 24-hour service
//! window), the later ones named `WA_ID/2`, `WA_ID/3`….

use crate::logs::json::doc::{JsonContainerTrait, JsonValueTrait, Record, Value, ValueRef};

use super::{Hooks, Profile, Shape};
use crate::logs::fields::Field;
use crate::logs::json::Kind;
use crate::logs::json::values::ValueMaps;

pub const PROFILE: Profile = Profile {
    name: "cloudapi",
    about: "WhatsApp Business Cloud API webhook bodies",
    shape,
    expects: "a webhook body (an object with object: \"whatsapp_business_account\" and entry[]), \
              an array of them, or an object of them by name",
    fields: &[
        // A message the business logged has the customer in `to`; a webhook's, in `from`.
        ("conversation_id", &["to", "from", "recipient_id"]),
        ("customer_id", &["to", "from", "recipient_id"]),
        // Only the business's own log names a sender: its role is from the name (see `values`);
        // a webhook message is the customer's (the classifier's default).
        ("role", &["author", "sender"]),
        ("text", &["text.body"]),
        ("timestamp", &["timestamp"]),
        ("message_id", &["id"]),
        (
            "author",
            &["author", "sender", "$parent.contacts[0].profile.name"],
        ),
        ("customer_name", &["$parent.contacts[0].profile.name"]),
    ],
    // A sender `[import.cloudapi]` does not name is the business's automation.
    values: &[(Field::Role, &[("*", "bot")])],
    classify,
    compose: &[(Field::Text, text)],
    table: None,
    hooks: Hooks {
        settings: Some(settings),
        idle_gap: Some(idle_gap),
        ..Hooks::NONE
    },
};

/// Where a body keeps its records.
const RECORDS: &str = "entry[].changes[].value.{messages,statuses,errors}[]";

fn is_body(v: &Value) -> bool {
    v.get("object").and_then(Value::as_str) == Some("whatsapp_business_account")
        && v.get("entry").is_some_and(Value::is_array)
}

/// A message the business sent, as its own log keeps the send-message request.
fn is_sent(v: &Value) -> bool {
    v.get("messaging_product").and_then(Value::as_str) == Some("whatsapp")
        && v.get("to").is_some_and(Value::is_str)
}

/// A body, an array of bodies, or an object of bodies by name; or the business's log of what it
/// sent, one message or an array of them.
fn shape(doc: &Value) -> Option<Shape> {
    match doc.as_ref() {
        _ if is_sent(doc) => Some(Shape {
            records: "",
            why: "an object with messaging_product: \"whatsapp\" and to (a message the business sent)",
        }),
        ValueRef::Array(a) if !a.is_empty() && a.iter().all(is_sent) => Some(Shape {
            records: "[]",
            why: "an array of objects with messaging_product: \"whatsapp\" and to",
        }),
        _ if is_body(doc) => Some(Shape {
            records: RECORDS,
            why: "an object with object: \"whatsapp_business_account\" and entry[]",
        }),
        ValueRef::Array(a) if !a.is_empty() && a.iter().all(is_body) => Some(Shape {
            records: "[].entry[].changes[].value.{messages,statuses,errors}[]",
            why: "an array of objects with object: \"whatsapp_business_account\"",
        }),
        ValueRef::Object(o) if !o.is_empty() && o.iter().all(|(_, v)| is_body(v)) => Some(Shape {
            records: "*.entry[].changes[].value.{messages,statuses,errors}[]",
            why: "an object whose values have object: \"whatsapp_business_account\"",
        }),
        _ => None,
    }
}

/// The message types of the webhook reference that are customer messages.
const MESSAGES: &[&str] = &[
    "text",
    "image",
    "video",
    "audio",
    "voice",
    "document",
    "sticker",
    "location",
    "contacts",
    "order",
    "interactive",
    "button",
    "unsupported",
    "unknown",
];

fn classify(rec: &Record<'_>, _: &ValueMaps) -> Kind {
    if rec.get("status").is_some() && rec.get("recipient_id").is_some() {
        return Kind::NonMessage("status");
    }
    let Some(kind) = rec.get("type").and_then(Value::as_str) else {
        return if rec.get("code").is_some() {
            Kind::NonMessage("error")
        } else {
            Kind::Unknown("an element that is neither a message, a status nor an error".into())
        };
    };
    match kind {
        "reaction" => Kind::NonMessage("reaction"),
        "system" => Kind::NonMessage("system_change"),
        "request_welcome" => Kind::NonMessage("welcome_request"),
        k if (MESSAGES.contains(&k) || k == "template") && rec.get("to").is_some() => {
            Kind::MessageWith(&[(Field::Role, "bot")])
        }
        k if MESSAGES.contains(&k) => Kind::MessageWith(&[(Field::Role, "customer")]),
        other => Kind::Unknown(format!(
            "a message of type {other:?}, which the webhook reference does not list"
        )),
    }
}

/// `[import.cloudapi]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// Silence longer than this, in milliseconds, starts a new conversation with the customer.
    pub idle_gap_ms: i64,
    /// Senders of the business's logged messages that are its bot (the default for any sender).
    pub bots: Vec<String>,
    /// Senders of the business's logged messages that are people.
    pub agents: Vec<String>,
}

/// The WhatsApp customer service window: 24 hours after the customer's last message.
pub const SERVICE_WINDOW_MS: i64 = 24 * 3600 * 1000;

impl Default for Settings {
    fn default() -> Self {
        Settings {
            idle_gap_ms: SERVICE_WINDOW_MS,
            bots: Vec::new(),
            agents: Vec::new(),
        }
    }
}

impl Settings {
    /// The roles of the named senders, as value maps of `role`.
    fn roles(&self, values: &mut ValueMaps) {
        for name in &self.bots {
            values.insert(Field::Role, name, "bot");
        }
        for name in &self.agents {
            values.insert(Field::Role, name, "agent");
        }
    }
}

/// `[import.cloudapi] bots` and `agents`: the roles of the business's named senders.
fn settings(import: &crate::logs::ImportSettings, values: &mut ValueMaps) {
    import.cloudapi.roles(values);
}

/// `[import.cloudapi] idle_gap`.
fn idle_gap(import: &crate::logs::ImportSettings) -> i64 {
    import.cloudapi.idle_gap_ms
}

fn str_at<'v>(v: &'v Value, keys: &[&str]) -> Option<&'v str> {
    keys.iter()
        .try_fold(v, |v, k| v.get(k))
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
}

/// A notice followed by what the customer wrote with it, if anything.
fn notice(kind: &str, extra: Option<String>) -> String {
    match extra.filter(|e| !e.is_empty()) {
        Some(e) => format!("<{kind}> {e}"),
        None => format!("<{kind}>"),
    }
}

/// The text of a message: its body, the title of the reply, or a notice of what it carries.
fn text(rec: &Record<'_>) -> Option<String> {
    let kind = rec.get("type").and_then(Value::as_str)?;
    let null = Value::new_null();
    let part = rec.get(kind).unwrap_or(&null);
    let own = |keys: &[&str]| str_at(part, keys).map(str::to_owned);
    let sent = rec.get("to").is_some();
    Some(match kind {
        "text" => own(&["body"])?,
        // What the business sent: the body of its buttons or list, the name of its template.
        "interactive" if sent => {
            own(&["body", "text"]).unwrap_or_else(|| notice("interactive", None))
        }
        "template" => notice("template", own(&["name"])),
        "button" => own(&["text"]).unwrap_or_else(|| notice("button", None)),
        "interactive" => own(&["button_reply", "title"])
            .or_else(|| own(&["list_reply", "title"]))
            .unwrap_or_else(|| notice("interactive", None)),
        "image" | "video" | "audio" | "voice" | "sticker" => notice(kind, own(&["caption"])),
        "document" => notice(kind, own(&["caption"]).or_else(|| own(&["filename"]))),
        "location" => notice(kind, location(part)),
        "contacts" => notice(kind, contacts(part)),
        "order" => notice(kind, own(&["text"])),
        other => notice(other, None),
    })
}

fn location(part: &Value) -> Option<String> {
    let words: Vec<&str> = ["name", "address"]
        .iter()
        .filter_map(|k| str_at(part, &[k]))
        .collect();
    (!words.is_empty()).then(|| words.join(", "))
}

fn contacts(part: &Value) -> Option<String> {
    let names: Vec<&str> = part
        .as_array()?
        .iter()
        .filter_map(|c| str_at(c, &["name", "formatted_name"]))
        .collect();
    (!names.is_empty()).then(|| names.join(", "))
}

#[cfg(test)]
mod tests;

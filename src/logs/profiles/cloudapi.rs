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

use serde_json::{Map, Value};

use super::{Profile, Shape};
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
        ("conversation_id", &["from", "recipient_id"]),
        // Every message in a webhook is the customer's.
        ("role", &["type"]),
        ("text", &["text.body"]),
        ("timestamp", &["timestamp"]),
        ("message_id", &["id"]),
        ("author", &["$parent.contacts[0].profile.name"]),
        ("customer_name", &["$parent.contacts[0].profile.name"]),
    ],
    values: &[(Field::Role, &[("*", "customer")])],
    classify,
    compose: &[(Field::Text, text)],
    table: None,
};

/// Where a body keeps its records.
const RECORDS: &str = "entry[].changes[].value.{messages,statuses,errors}[]";

fn is_body(v: &Value) -> bool {
    v.get("object").and_then(Value::as_str) == Some("whatsapp_business_account")
        && v.get("entry").is_some_and(Value::is_array)
}

/// A body, an array of bodies, or an object of bodies by name.
fn shape(doc: &Value) -> Option<Shape> {
    match doc {
        v if is_body(v) => Some(Shape {
            records: RECORDS,
            why: "an object with object: \"whatsapp_business_account\" and entry[]",
        }),
        Value::Array(a) if !a.is_empty() && a.iter().all(is_body) => Some(Shape {
            records: "[].entry[].changes[].value.{messages,statuses,errors}[]",
            why: "an array of objects with object: \"whatsapp_business_account\"",
        }),
        Value::Object(o) if !o.is_empty() && o.values().all(is_body) => Some(Shape {
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

fn classify(rec: &Map<String, Value>, _: &ValueMaps) -> Kind {
    if rec.contains_key("status") && rec.contains_key("recipient_id") {
        return Kind::NonMessage("status");
    }
    let Some(kind) = rec.get("type").and_then(Value::as_str) else {
        return if rec.contains_key("code") {
            Kind::NonMessage("error")
        } else {
            Kind::Unknown("an element that is neither a message, a status nor an error".into())
        };
    };
    match kind {
        "reaction" => Kind::NonMessage("reaction"),
        "system" => Kind::NonMessage("system_change"),
        "request_welcome" => Kind::NonMessage("welcome_request"),
        k if MESSAGES.contains(&k) => Kind::Message,
        other => Kind::Unknown(format!(
            "a message of type {other:?}, which the webhook reference does not list"
        )),
    }
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
fn text(rec: &Map<String, Value>) -> Option<String> {
    let kind = rec.get("type").and_then(Value::as_str)?;
    let part = rec.get(kind).unwrap_or(&Value::Null);
    let own = |keys: &[&str]| str_at(part, keys).map(str::to_owned);
    Some(match kind {
        "text" => own(&["body"])?,
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

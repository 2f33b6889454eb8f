//! The `zendesk` profile: Zendesk messaging and tickets, in the three layouts Zendesk documents.
//!
//! - Sunshine Conversations v2 webhook bodies (`{app, webhook, events: [...]}`, one a line or a
//!   JSON array of them; the event and message models of
//!   https://github.com/zendesk/sunshine-conversations-python/tree/master/docs and the switchboard
//!   guide https://developer.zendesk.com/documentation/conversations/messaging-platform/programmable-conversations/switchboard).
//!   Each element of `events[]` is a record: a `conversation:message` is a message of its author
//!   (`user` the customer; `business` the bot with subtype `AI` or `bot`, the system with
//!   `activity`, else an agent), a `conversation:postback` (a button tap) the customer's message
//!   with the button's `actionName`; `switchboard:passControl` and `acceptControl` (control moves
//!   to another integration: from the bot to the agents) are the `handoff`; the other documented
//!   events (typing, read, offerControl, deliveries…) are non-messages under their own type.
//! - A ticket's Conversation Log page (`GET /api/v2/tickets/{id}/conversation_log`:
//!   https://developer.zendesk.com/api-reference/ticketing/tickets/conversation_log and the events
//!   reference https://developer.zendesk.com/documentation/ticketing/reference-guides/conversation-log-events-reference):
//!   each of its `events[]` is a record, a `Messaging::ConversationMessage` or a `Comment` (HTML, a
//!   private one a `note`), by an author of type `user`, `agent` or `bot`.
//! - A page of ticket comments (`GET /api/v2/tickets/{id}/comments`, with `?include=users` for the
//!   authors: https://developer.zendesk.com/api-reference/ticketing/tickets/ticket_comments/):
//!   each of its `comments[]` is a record; the role and name of its author come from the
//!   sideloaded `users[]` (`end-user` the customer, `agent`/`admin` an agent), a private comment is
//!   a `note`.
//!
//! Neither ticket page names its ticket, so a page saved as `conversation-log/4711.json` or
//! `comments/4711.json` (or `4711/comments.json`, the API's own path) is ticket 4711's (see
//! `given`). The customer's id is the author's Sunshine user id, else their Support user id.

use std::path::Path;

use crate::logs::json::doc::{JsonContainerTrait, JsonValueTrait, Record, Value, ValueRef};

use super::{Hooks, Profile, Shape};
use crate::logs::fields::Field;
use crate::logs::html;
use crate::logs::json::Kind;
use crate::logs::json::values::ValueMaps;

pub const PROFILE: Profile = Profile {
    name: "zendesk",
    about: "Zendesk messaging and tickets",
    shape,
    expects: "Sunshine Conversations webhook bodies (objects with app and events[]) or an array \
              of them, a ticket's Conversation Log page (events[] with created_at and author), or \
              a page of ticket comments (comments[] with author_id)",
    fields: &[
        ("conversation_id", &["payload.conversation.id"]),
        (
            "timestamp",
            &["payload.message.received", "createdAt", "created_at"],
        ),
        ("message_id", &["payload.message.id", "id"]),
        (
            "author",
            &[
                "payload.message.author.displayName",
                "$parent.users[id=author_id].name",
            ],
        ),
        // A configured role for a display name or a user id wins, then a sideloaded user's role;
        // otherwise the classifier's, from the author's type.
        (
            "role",
            &[
                "payload.message.author.displayName",
                "author_id",
                "$parent.users[id=author_id].role",
            ],
        ),
        (
            "author_id",
            &[
                "payload.message.author.userId",
                "payload.user.id",
                "author.zen:sunco:user_id",
                "author.zen:support:user_id",
                "author_id",
            ],
        ),
        ("event", &["type"]),
        // The text is composed (`text`); these paths are what it falls back on, and keep a
        // record's `content` or `body` from being read as its text by name.
        (
            "text",
            &[
                "payload.message.content.text",
                "content.text",
                "plain_body",
                "body",
            ],
        ),
    ],
    values: &[
        (
            Field::Role,
            &[
                ("end-user", "customer"),
                ("agent", "agent"),
                ("admin", "agent"),
                ("*", ""),
            ],
        ),
        (
            Field::Event,
            &[
                ("switchboard:passControl", "handoff"),
                ("switchboard:acceptControl", "handoff"),
                ("*", ""),
            ],
        ),
    ],
    classify,
    compose: &[(Field::Text, text)],
    table: None,
    hooks: Hooks {
        given: Some(given),
        ..Hooks::NONE
    },
};

fn is_webhook_body(v: &Value) -> bool {
    v.get("app").is_some_and(Value::is_object) && v.get("events").is_some_and(Value::is_array)
}

/// A Conversation Log page: `events[]` whose events have `created_at` and an `author` (an empty
/// page has its cursor `meta` or `links`).
fn is_log_page(v: &Value) -> bool {
    let Some(events) = v.get("events").and_then(Value::as_array) else {
        return false;
    };
    if v.get("app").is_some() || v.get("sender_id").is_some() {
        return false;
    }
    match events.first() {
        Some(e) => e.get("created_at").is_some() && e.get("author").is_some_and(Value::is_object),
        None => v.get("meta").is_some() || v.get("links").is_some(),
    }
}

/// A page of ticket comments: `comments[]` whose comments have `author_id` or a body (an empty
/// page has its `count` or pagination).
fn is_comments_page(v: &Value) -> bool {
    let Some(comments) = v.get("comments").and_then(Value::as_array) else {
        return false;
    };
    match comments.first() {
        Some(c) => ["author_id", "html_body", "plain_body"]
            .iter()
            .any(|k| c.get(k).is_some()),
        None => ["count", "next_page", "meta"]
            .iter()
            .any(|k| v.get(k).is_some()),
    }
}

fn shape(doc: &Value) -> Option<Shape> {
    match doc.as_ref() {
        _ if is_webhook_body(doc) => Some(Shape {
            records: "events[]",
            why: "an object with app and events[] (a Sunshine Conversations webhook body)",
        }),
        ValueRef::Array(a) if !a.is_empty() && a.iter().all(is_webhook_body) => Some(Shape {
            records: "[].events[]",
            why: "an array of objects with app and events[] (Sunshine Conversations webhook bodies)",
        }),
        _ if is_log_page(doc) => Some(Shape {
            records: "events[]",
            why: "events[] with created_at and author (a ticket's Conversation Log)",
        }),
        _ if is_comments_page(doc) => Some(Shape {
            records: "comments[]",
            why: "comments[] with author_id (a page of ticket comments)",
        }),
        _ => None,
    }
}

/// The folder or file names that say which endpoint a saved ticket page came from.
const ENDPOINTS: &[&str] = &["conversation-log", "conversation_log", "comments"];

/// The conversation id of a ticket page, from where it was saved: the file's stem when its
/// folder names the endpoint (`conversation-log/4711.json`, `comments/4711.json`), or the folder
/// when the file does (`tickets/4711/comments.json`, as the API's path reads). Zendesk ticket ids
/// are numbers, so a name that is not one gives nothing (and the records say they lack a
/// conversation id). Webhook bodies carry their conversation and get nothing here.
fn given(doc: &Value, name: &str) -> Vec<(Field, String)> {
    if !is_log_page(doc) && !is_comments_page(doc) {
        return Vec::new();
    }
    ticket_of(name)
        .map(|id| vec![(Field::ConversationId, id)])
        .unwrap_or_default()
}

fn ticket_of(name: &str) -> Option<String> {
    let path = Path::new(name);
    let stem = stem(path.file_name()?.to_str()?);
    let folder = path.parent()?.file_name()?.to_str()?;
    let id = if ENDPOINTS.contains(&folder) {
        stem
    } else if ENDPOINTS.contains(&stem) {
        folder
    } else {
        return None;
    };
    (!id.is_empty() && id.bytes().all(|b| b.is_ascii_digit())).then(|| id.to_owned())
}

/// A file name without `.gz` and then `.json` or `.jsonl` (in any case).
fn stem(file: &str) -> &str {
    let cut = |s: &'_ str, ext: &str| -> Option<usize> {
        let at = s.len().checked_sub(ext.len())?;
        (s.is_char_boundary(at) && s[at..].eq_ignore_ascii_case(ext)).then_some(at)
    };
    let file = cut(file, ".gz").map_or(file, |at| &file[..at]);
    [".json", ".jsonl"]
        .iter()
        .find_map(|ext| cut(file, ext))
        .map_or(file, |at| &file[..at])
}

const CUSTOMER: &[(Field, &str)] = &[(Field::Role, "customer")];
const BOT: &[(Field, &str)] = &[(Field::Role, "bot")];
const AGENT: &[(Field, &str)] = &[(Field::Role, "agent")];
const SYSTEM: &[(Field, &str)] = &[(Field::Role, "system")];

/// The webhook events of the v2 reference that are not messages, counted under their type. The
/// two that move control are here too, for a run that maps them to no event.
const NON_MESSAGES: &[&str] = &[
    "conversation:create",
    "conversation:join",
    "conversation:leave",
    "conversation:remove",
    "conversation:read",
    "conversation:typing",
    "conversation:referral",
    "conversation:message:delivery:channel",
    "conversation:message:delivery:failure",
    "conversation:message:delivery:user",
    "switchboard:offerControl",
    "switchboard:releaseControl",
    "switchboard:passControl",
    "switchboard:acceptControl",
    "switchboard:offerControl:failure",
    "switchboard:passControl:failure",
    "switchboard:acceptControl:failure",
    "user:merge",
    "user:update",
    "user:remove",
    "client:add",
    "client:update",
    "client:remove",
];

/// The message content types of the Sunshine Conversations reference.
const CONTENT: &[&str] = &[
    "text",
    "image",
    "file",
    "location",
    "carousel",
    "list",
    "template",
    "form",
    "formResponse",
];

fn str_of<'v>(v: Option<&'v Value>, key: &str) -> Option<&'v str> {
    v?.get(key)?.as_str()
}

fn classify(rec: &Record<'_>, values: &ValueMaps) -> Kind {
    let kind = rec.get("type").and_then(Value::as_str).unwrap_or("");
    if let Some(payload) = rec.get("payload") {
        return webhook_event(kind, payload, values);
    }
    if rec.get("author").is_some_and(Value::is_object) {
        return log_event(kind, rec.value());
    }
    if ["author_id", "html_body", "plain_body", "body", "public"]
        .iter()
        .any(|k| rec.get(k).is_some())
    {
        return comment(kind, rec.value());
    }
    Kind::Unknown("neither a webhook event, a Conversation Log event nor a ticket comment".into())
}

/// An element of a webhook body's `events[]`.
fn webhook_event(kind: &str, payload: &Value, values: &ValueMaps) -> Kind {
    match kind {
        "conversation:message" => match payload.get("message") {
            Some(m) => sunco_message(m),
            None => Kind::Unknown("a conversation:message event without a message".into()),
        },
        "conversation:postback" => Kind::MessageWith(CUSTOMER),
        // Control passing to another integration, or whatever `[import.values.event]` names.
        k if values.get(Field::Event, k).is_some_and(|e| !e.is_empty()) => {
            Kind::MessageWith(SYSTEM)
        }
        "" => Kind::Unknown("a webhook event without a type".into()),
        k => match NON_MESSAGES.iter().find(|n| **n == k) {
            Some(n) => Kind::NonMessage(n),
            None => Kind::Unknown(format!(
                "a webhook event of type {k:?}, which the webhook reference does not list"
            )),
        },
    }
}

/// A Sunshine Conversations message: its author's role, unless its content is of a type the
/// reference does not list (a deleted message keeps no content that matters).
fn sunco_message(m: &Value) -> Kind {
    let deleted = m.get("deleted").and_then(Value::as_bool) == Some(true);
    if !deleted {
        match str_of(m.get("content"), "type") {
            Some(t) if CONTENT.contains(&t) => {}
            Some(t) => {
                return Kind::Unknown(format!(
                    "a message of content type {t:?}, which the reference does not list"
                ));
            }
            None => return Kind::Unknown("a message without a content type".into()),
        }
    }
    let author = m.get("author");
    match str_of(author, "type") {
        Some("user") => Kind::MessageWith(CUSTOMER),
        Some("business") => business(author),
        Some(other) => Kind::Unknown(format!(
            "a message by an author of type {other:?} (the reference has user and business)"
        )),
        None => Kind::Unknown("a message without an author type".into()),
    }
}

/// A message on behalf of the business: system activity, the bot (AI-generated, or a bot the
/// subtype names), or a person.
fn business(author: Option<&Value>) -> Kind {
    let subtypes: Vec<&str> = author
        .and_then(|a| a.get("subtypes"))
        .and_then(Value::as_array)
        .map(|s| s.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let has = |name: &str| subtypes.iter().any(|s| s.eq_ignore_ascii_case(name));
    if has("activity") {
        Kind::MessageWith(SYSTEM)
    } else if has("AI") || has("bot") {
        Kind::MessageWith(BOT)
    } else {
        Kind::MessageWith(AGENT)
    }
}

/// Whether a visibility flag says private (`public: false`).
fn is_private(public: Option<&Value>) -> bool {
    public.and_then(Value::as_bool) == Some(false)
        || public.and_then(Value::as_str) == Some("false")
}

/// An element of a Conversation Log's `events[]`.
fn log_event(kind: &str, rec: &Value) -> Kind {
    match kind {
        "Comment" if is_private(rec.get("metadata").and_then(|m| m.get("public"))) => {
            Kind::NonMessage("note")
        }
        "Comment" => log_author(rec),
        "Messaging::ConversationMessage" => match str_of(rec.get("content"), "type") {
            Some(t) if !CONTENT.contains(&t) => Kind::Unknown(format!(
                "a message of content type {t:?}, which the reference does not list"
            )),
            _ => log_author(rec),
        },
        other => Kind::Unknown(format!(
            "a Conversation Log event of type {other:?}, which the events reference does not list"
        )),
    }
}

fn log_author(rec: &Value) -> Kind {
    match str_of(rec.get("author"), "type") {
        Some("user") => Kind::MessageWith(CUSTOMER),
        Some("agent") => Kind::MessageWith(AGENT),
        Some("bot") => Kind::MessageWith(BOT),
        Some(other) => Kind::Unknown(format!(
            "an event by an author of type {other:?} (the reference has user, agent and bot)"
        )),
        None => Kind::Unknown("an event without an author type".into()),
    }
}

/// An element of a comments page: a private one is a note; a public one a message whose role
/// comes from the sideloaded users (or `[import.values.role]`), not from the comment itself.
fn comment(kind: &str, rec: &Value) -> Kind {
    match kind {
        "" | "Comment" | "VoiceComment" if is_private(rec.get("public")) => {
            Kind::NonMessage("note")
        }
        "" | "Comment" | "VoiceComment" => Kind::Message,
        other => Kind::Unknown(format!(
            "a comment of type {other:?} (the reference has Comment and VoiceComment)"
        )),
    }
}

/// The text of a message: a webhook message's content, a postback's button, a comment's body
/// with notices of its attachments.
fn text(rec: &Record<'_>) -> Option<String> {
    let kind = rec.get("type").and_then(Value::as_str).unwrap_or("");
    if let Some(payload) = rec.get("payload") {
        return match kind {
            "conversation:message" => payload.get("message").map(sunco_text),
            "conversation:postback" => Some(
                str_of(payload.get("postback"), "actionName")
                    .filter(|t| !t.is_empty())
                    .map_or_else(|| "<postback>".to_owned(), str::to_owned),
            ),
            _ => None,
        };
    }
    if rec.get("author").is_some_and(Value::is_object) {
        let content = rec.get("content");
        return match kind {
            "Comment" => Some(with_attachments(
                log_comment_body(content),
                rec.get("attachments"),
            )),
            _ => content.map(content_text),
        };
    }
    Some(with_attachments(
        comment_body(rec.value()),
        rec.get("attachments"),
    ))
}

fn sunco_text(m: &Value) -> String {
    if m.get("deleted").and_then(Value::as_bool) == Some(true) {
        return "<deleted>".into();
    }
    m.get("content").map(content_text).unwrap_or_default()
}

/// A notice followed by what came with it, as `cloudapi` writes a captioned medium (a Sunshine
/// message is a channel message, as a WhatsApp one is).
fn notice(kind: &str, extra: Option<&str>) -> String {
    match extra.map(str::trim).filter(|e| !e.is_empty()) {
        Some(e) => format!("<{kind}> {e}"),
        None => format!("<{kind}>"),
    }
}

/// The text of a Sunshine Conversations content: its text, or a notice of what it carries.
fn content_text(c: &Value) -> String {
    let own = |key: &str| str_of(Some(c), key);
    match own("type").unwrap_or("") {
        "text" => own("text").unwrap_or("").to_owned(),
        "file" => match file_name(c) {
            Some(name) => notice(&format!("file: {name}"), own("text")),
            None => notice("file", own("text")),
        },
        "location" => {
            let place = str_of(c.get("location"), "name").or(str_of(c.get("location"), "address"));
            notice("location", place)
        }
        // The submitted fields, each `label: value`.
        "formResponse" => own("textFallback")
            .filter(|t| !t.is_empty())
            .map_or_else(|| notice("form response", None), str::to_owned),
        other => notice(other, own("text")),
    }
}

/// A file's name: its `altText` (saved with the file name by default), else the last segment of
/// its `mediaUrl`.
fn file_name(c: &Value) -> Option<&str> {
    let alt = str_of(Some(c), "altText").filter(|a| !a.trim().is_empty());
    alt.or_else(|| {
        let url = str_of(Some(c), "mediaUrl")?;
        let path = url.split(['?', '#']).next()?;
        path.rsplit('/').next().filter(|s| !s.is_empty())
    })
}

/// A Conversation Log comment's body: HTML unless its content type says otherwise.
fn log_comment_body(content: Option<&Value>) -> String {
    let body = str_of(content, "body").unwrap_or("");
    match str_of(content, "type") {
        None | Some("html") => html::plain(body),
        Some(_) => body.trim().to_owned(),
    }
}

/// A ticket comment's body: `html_body` as plain text, else `plain_body`, else `body`.
fn comment_body(rec: &Value) -> String {
    let get = |k: &str| rec.get(k).and_then(Value::as_str);
    get("html_body")
        .map(html::plain)
        .filter(|t| !t.is_empty())
        .or_else(|| {
            ["plain_body", "body"]
                .iter()
                .filter_map(|k| get(k))
                .map(str::trim)
                .find(|t| !t.is_empty())
                .map(str::to_owned)
        })
        .unwrap_or_default()
}

/// The body, then `<attachment: NAME>` for each attachment (a support platform's body comes
/// first, as the customer reads it above the files).
fn with_attachments(body: String, attachments: Option<&Value>) -> String {
    let notices = attachments
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|a| {
            let name = ["file_name", "name", "filename"]
                .iter()
                .find_map(|k| str_of(Some(a), k).filter(|n| !n.trim().is_empty()));
            match name {
                Some(n) => format!("<attachment: {n}>"),
                None => "<attachment>".to_owned(),
            }
        });
    let mut out = body;
    for n in notices {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&n);
    }
    out
}

#[cfg(test)]
mod tests;

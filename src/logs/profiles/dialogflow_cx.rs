//! The `dialogflow-cx` profile: Dialogflow CX interaction logging exported to BigQuery, one row
//! per conversational turn, as JSONL, a JSON array, or CSV whose JSON columns hold JSON text.
//!
//! A row is `{project_id, agent_id, conversation_name, turn_position, request_time,
//! language_code, request, response, …}`; `request` is the detect-intent request and `response`
//! the detect-intent response. Each row is a record and so is each of its
//! `response.queryResult.responseMessages[]`, read right after it: one turn gives the customer's
//! message and then the bot's. `conversation_name` (the session) is the conversation and
//! `request_time` the timestamp of both.
//!
//! The turn is the customer's message: the query text (`queryResult.text`, a transcript, or DTMF
//! digits), with `match.intent.displayName` and `match.confidence`; a `match.matchType` of
//! `NO_MATCH` or `NO_INPUT` makes it a fallback. A turn the agent started with an event and no
//! customer input (a welcome event) is a non-message (`event_turn`). A response message with
//! `text` (its first text) or `outputAudioText` is a bot message; a `liveAgentHandoff` message is
//! the bot's `handoff` event. The other response messages of the reference (`payload`,
//! `conversationSuccess`, `endInteraction`, audio, a telephony transfer, a knowledge card) are
//! non-messages, counted by kind.

use serde_json::{Map, Value};

use super::{Profile, Shape, Table};
use crate::logs::fields::Field;
use crate::logs::json::Kind;
use crate::logs::json::values::ValueMaps;

pub const PROFILE: Profile = Profile {
    name: "dialogflow-cx",
    about: "a Dialogflow CX interaction log export",
    shape,
    expects: "Dialogflow CX interaction log rows (objects with conversation_name and request or \
              response), one a line or as an array",
    // A response message sits in `queryResult`, in `response`, in its row: `$parent` three times.
    fields: &[
        (
            "conversation_id",
            &[
                "conversation_name",
                "$parent.$parent.$parent.conversation_name",
            ],
        ),
        (
            "timestamp",
            &["request_time", "$parent.$parent.$parent.request_time"],
        ),
        (
            "text",
            &[
                "response.queryResult.text",
                "response.queryResult.transcript",
                "request.queryInput.text.text",
                "request.queryInput.dtmf.digits",
                "text.text[0]",
                "outputAudioText.text",
                "outputAudioText.ssml",
            ],
        ),
        (
            "intent",
            &[
                "response.queryResult.match.intent.displayName",
                "response.queryResult.intent.displayName",
            ],
        ),
        (
            "confidence",
            &[
                "response.queryResult.match.confidence",
                "response.queryResult.intentDetectionConfidence",
            ],
        ),
        ("fallback", &["response.queryResult.match.matchType"]),
        (
            "sentiment",
            &["response.queryResult.sentimentAnalysisResult.score"],
        ),
    ],
    values: &[(
        Field::Fallback,
        &[("NO_MATCH", "true"), ("NO_INPUT", "true"), ("*", "")],
    )],
    classify,
    text: None,
};

/// The BigQuery CSV export: its JSON columns hold JSON text.
pub const TABLE: Table = Table {
    records: " > response.queryResult.responseMessages[]",
    json_columns: &[
        "request",
        "response",
        "partial_responses",
        "derived_data",
        "conversation_signals",
        "bot_answer_feedback",
    ],
};

/// Whether a value is a row of the export.
fn row(v: &Value) -> bool {
    v.get("conversation_name").is_some()
        && (v.get("request").is_some() || v.get("response").is_some())
}

/// Rows as an array, or one row (a line of JSONL).
fn shape(doc: &Value) -> Option<Shape> {
    match doc {
        Value::Array(a) if !a.is_empty() && a.iter().all(row) => Some(Shape {
            records: "[] > response.queryResult.responseMessages[]",
            why: "an array of objects with conversation_name and request/response",
        }),
        v if row(v) => Some(Shape {
            records: " > response.queryResult.responseMessages[]",
            why: "an object with conversation_name and request/response",
        }),
        _ => None,
    }
}

const CUSTOMER: &[(Field, &str)] = &[(Field::Role, "customer")];
const BOT: &[(Field, &str)] = &[(Field::Role, "bot")];
const HANDOFF: &[(Field, &str)] = &[(Field::Role, "bot"), (Field::Event, "handoff")];

/// The response messages of the reference that are not messages, and their kinds.
const OTHER_RESPONSES: &[(&str, &str)] = &[
    ("payload", "payload"),
    ("conversationSuccess", "conversation_success"),
    ("endInteraction", "end_interaction"),
    ("playAudio", "audio"),
    ("mixedAudio", "audio"),
    ("telephonyTransferCall", "telephony_transfer"),
    ("knowledgeInfoCard", "knowledge_info_card"),
];

fn classify(obj: &Map<String, Value>, _: &ValueMaps) -> Kind {
    if obj.contains_key("conversation_name") {
        return turn(obj);
    }
    if obj.contains_key("liveAgentHandoff") {
        return Kind::MessageWith(HANDOFF);
    }
    if obj.contains_key("text") || obj.contains_key("outputAudioText") {
        return Kind::MessageWith(BOT);
    }
    match OTHER_RESPONSES.iter().find(|(k, _)| obj.contains_key(*k)) {
        Some((_, kind)) => Kind::NonMessage(kind),
        None => Kind::Unknown(format!(
            "a response message with keys {}, which the reference does not document",
            keys(obj)
        )),
    }
}

/// A turn: the customer's message, or an event turn with no customer input.
fn turn(row: &Map<String, Value>) -> Kind {
    for part in ["request", "response"] {
        if row.get(part).is_some_and(Value::is_string) {
            return Kind::Unknown(format!(
                "`{part}` is JSON text, where the export holds a JSON object"
            ));
        }
    }
    let at = |p: &str| row.get("response").and_then(|r| r.pointer(p));
    let input = |p: &str| row.get("request").and_then(|r| r.pointer(p));
    let no_input = at("/queryResult/match/matchType").is_some_and(|t| t == "NO_INPUT");
    let event_only =
        input("/queryInput/event").is_some() || at("/queryResult/triggerEvent").is_some();
    let spoken = at("/queryResult/text").is_some()
        || at("/queryResult/transcript").is_some()
        || input("/queryInput/text").is_some()
        || input("/queryInput/dtmf").is_some()
        || input("/queryInput/audio").is_some()
        || input("/queryInput/intent").is_some();
    if event_only && !spoken && !no_input {
        Kind::NonMessage("event_turn")
    } else {
        Kind::MessageWith(CUSTOMER)
    }
}

fn keys(obj: &Map<String, Value>) -> String {
    let keys: Vec<&str> = obj.keys().map(String::as_str).collect();
    keys.join(", ")
}

#[cfg(test)]
mod tests;

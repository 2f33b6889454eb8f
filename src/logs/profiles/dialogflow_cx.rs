//! The `dialogflow-cx` profile: Dialogflow CX interaction logging exported to BigQuery, one row
//! per conversational turn, as JSONL, a JSON array, or CSV whose JSON columns hold JSON text (the
//! table: https://cloud.google.com/dialogflow/cx/docs/concept/export-bq; the detect-intent
//! response, its `QueryResult`, `Match` and `ResponseMessage`:
//! https://cloud.google.com/dialogflow/cx/docs/reference/rest/v3/projects.locations.agents.sessions/detectIntent).
//!
//! A row is `{project_id, agent_id, conversation_name, turn_position, request_time,
//! language_code, request, response, …}`; `request` is the detect-intent request and `response`
//! the detect-intent response. Each row is a record and so is each of its
//! `response.queryResult.responseMessages[]`, read right after it: one turn gives the customer's
//! message and then the bot's. `conversation_name` (the session) is the conversation and
//! `request_time` the timestamp of both (BigQuery writes it `2026-03-06 09:12:03.517 UTC`).
//!
//! The turn is the customer's message: the query text (`queryResult.text`, a transcript, the
//! request's text or DTMF digits), with `match.intent.displayName` and `match.confidence`. A turn
//! the agent started with an event and no customer input (a welcome event) is a non-message
//! (`event_turn`), and so is a `NO_INPUT` turn without text (`no_input`: the customer said
//! nothing). A response message with `text` (its texts, one a line) or `outputAudioText` is a bot
//! message, a fallback when the turn's `match.matchType` is `NO_MATCH` or `NO_INPUT` (fallbacks
//! sit on the bot's messages, which `fallbacks: n` counts); a `liveAgentHandoff` message is the
//! bot's `handoff` event. The other response messages of the reference (`payload`,
//! `conversationSuccess`, `endInteraction`, audio, a telephony transfer, a knowledge card) are
//! non-messages, counted under their own names.

use crate::logs::json::doc::{self, JsonContainerTrait, JsonValueTrait, Record, Value, ValueRef};

use super::{Hooks, Profile, Shape, Table};
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
        // A response message's turn: the `queryResult` it sits in.
        ("fallback", &["$parent.match.matchType"]),
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
    compose: &[(Field::Text, text)],
    table: Some(&TABLE),
    hooks: Hooks::NONE,
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
    header: &["conversation_name", "request", "response"],
    columns: &[
        "project_id",
        "agent_id",
        "conversation_name",
        "turn_position",
        "request_time",
        "language_code",
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
    match doc.as_ref() {
        ValueRef::Array(a) if !a.is_empty() && a.iter().all(row) => Some(Shape {
            records: "[] > response.queryResult.responseMessages[]",
            why: "an array of objects with conversation_name and request/response",
        }),
        _ if row(doc) => Some(Shape {
            records: " > response.queryResult.responseMessages[]",
            why: "an object with conversation_name and request/response",
        }),
        _ => None,
    }
}

const CUSTOMER: &[(Field, &str)] = &[(Field::Role, "customer")];
const BOT: &[(Field, &str)] = &[(Field::Role, "bot")];
const HANDOFF: &[(Field, &str)] = &[(Field::Role, "bot"), (Field::Event, "handoff")];

/// The response messages of the reference that are not messages: counted under their keys.
const OTHER_RESPONSES: &[&str] = &[
    "payload",
    "conversationSuccess",
    "endInteraction",
    "playAudio",
    "mixedAudio",
    "telephonyTransferCall",
    "knowledgeInfoCard",
];

fn classify(obj: &Record<'_>, _: &ValueMaps) -> Kind {
    if obj.get("conversation_name").is_some() {
        return turn(obj.value());
    }
    if obj.get("liveAgentHandoff").is_some() {
        return Kind::MessageWith(HANDOFF);
    }
    if obj.get("text").is_some() || obj.get("outputAudioText").is_some() {
        return Kind::MessageWith(BOT);
    }
    match OTHER_RESPONSES.iter().find(|k| obj.get(k).is_some()) {
        Some(kind) => Kind::NonMessage(kind),
        None => Kind::Unknown(format!(
            "a response message with keys {}, which the reference does not document",
            keys(obj.value())
        )),
    }
}

/// A turn: the customer's message, or a turn without customer input (an event, or no input).
fn turn(row: &Value) -> Kind {
    for part in ["request", "response"] {
        if row.get(part).is_some_and(Value::is_str) {
            return Kind::Unknown(format!(
                "`{part}` is JSON text, where the export holds a JSON object"
            ));
        }
    }
    let at = |p: &str| row.get("response").and_then(|r| doc::pointer(r, p));
    let input = |p: &str| row.get("request").and_then(|r| doc::pointer(r, p));
    let written = |v: Option<&Value>| v.and_then(Value::as_str).is_some_and(|t| !t.is_empty());
    let no_input = at("/queryResult/match/matchType").is_some_and(|t| t == "NO_INPUT");
    let event_only =
        input("/queryInput/event").is_some() || at("/queryResult/triggerEvent").is_some();
    let said = written(at("/queryResult/text"))
        || written(at("/queryResult/transcript"))
        || written(input("/queryInput/text/text"))
        || written(input("/queryInput/dtmf/digits"));
    // Audio or an intent is input even without a transcript; a `NO_INPUT` turn's audio is silence.
    let input_given =
        said || input("/queryInput/audio").is_some() || input("/queryInput/intent").is_some();
    if no_input && !said {
        Kind::NonMessage("no_input")
    } else if event_only && !input_given {
        Kind::NonMessage("event_turn")
    } else {
        Kind::MessageWith(CUSTOMER)
    }
}

/// A text response message's texts, one a line (a `text` message holds a list of them).
fn text(obj: &Record<'_>) -> Option<String> {
    let texts = obj.get("text")?.get("text")?.as_array()?;
    let lines: Vec<&str> = texts.iter().filter_map(Value::as_str).collect();
    Some(lines.join("\n"))
}

fn keys(obj: &Value) -> String {
    let keys: Vec<&str> = doc::keys(obj).collect();
    keys.join(", ")
}

#[cfg(test)]
mod tests;

//! The `dialogflow-cx` profile on turns written from the BigQuery export's table description and
//! the detect-intent response reference: fan-out of a turn, fallbacks on the bot's messages, the
//! live agent handoff, event and no-input turns, BigQuery's timestamps, the CSV export's JSON
//! columns (and its header recognised), and the accounting law over the fixture.

use serde_json::{Value, json};

use crate::logs::accounting::Stats;
use crate::logs::profiles::tests::{fixture, terms};
use crate::logs::record::{Event, Role};
use crate::logs::{Collect, Format, ReadOptions};

fn run(name: &str, text: &str, format: Option<Format>) -> (Stats, Collect) {
    let opts = ReadOptions {
        format,
        ..ReadOptions::default()
    };
    crate::logs::profiles::tests::run(name, text, &opts).expect("readable")
}

fn turn(pos: u32, input: Value, result: Value) -> Value {
    json!({"conversation_name": "projects/p/locations/global/agents/a/sessions/s1",
        "turn_position": pos, "request_time": format!("2026-03-02T09:00:{pos:02}Z"),
        "request": {"queryInput": input}, "response": {"queryResult": result}})
}

fn said(text: &str) -> Value {
    json!({"text": {"text": text}})
}

#[test]
fn a_turn_fans_out_into_the_customer_and_the_bot_messages() {
    let doc = json!([
        turn(
            1,
            json!({"event": {"event": "welcome"}}),
            json!({"triggerEvent": "welcome",
            "responseMessages": [{"text": {"text": ["hello"]}}]})
        ),
        turn(
            2,
            said("refund please"),
            json!({"text": "refund please",
            "match": {"intent": {"displayName": "refund"}, "confidence": 0.8, "matchType": "INTENT"},
            "responseMessages": [{"text": {"text": ["ok"]}}, {"text": {"text": ["one moment"]}}, {"payload": {}}]})
        ),
        turn(
            3,
            said("??"),
            json!({"text": "??", "match": {"matchType": "NO_MATCH"},
            "responseMessages": [{"liveAgentHandoff": {"metadata": {}}}, {"wormhole": {}}]})
        ),
    ]);
    let (stats, sink) = run("t.json", &doc.to_string(), None);
    assert_eq!(terms(&stats), (9, 6, 1, 2));
    let note = &stats.notes[0];
    assert!(note.contains("(profile dialogflow-cx)"), "{note}");
    assert_eq!(stats.non_messages_by_kind.get("event_turn"), Some(&1));
    assert!(
        stats.first_skips[0].detail.starts_with(
            "[2].response.queryResult.responseMessages[1]: a response message with keys wormhole"
        ),
        "{:?}",
        stats.first_skips
    );
    let m = &sink.0[0].messages;
    let roles: Vec<_> = m.iter().map(|m| m.role).collect();
    use Role::{Bot, Customer};
    assert_eq!(
        roles,
        [
            Some(Bot),
            Some(Customer),
            Some(Bot),
            Some(Bot),
            Some(Customer),
            Some(Bot)
        ]
    );
    assert_eq!(
        (m[1].intent.as_deref(), m[1].confidence),
        (Some("refund"), Some(0.8))
    );
    // A NO_MATCH turn's fallback sits on the bot's messages, not on the customer's.
    assert_eq!(
        (m[1].fallback, m[2].fallback, m[4].fallback, m[5].fallback),
        (None, None, None, Some(true))
    );
    assert_eq!(m[3].text, "one moment");
    assert_eq!(m[5].event, Some(Event::Handoff));
    assert_eq!(stats.non_messages_by_kind.get("payload"), Some(&1));
}

#[test]
fn a_text_message_is_its_texts_one_a_line_and_other_responses_count_by_their_keys() {
    let doc = json!([turn(
        1,
        said("hi"),
        json!({"text": "hi", "responseMessages": [
            {"text": {"text": ["Sorry, I didn't get that.", "Can you say it another way?"]}},
            {"endInteraction": {}}, {"conversationSuccess": {}}, {"playAudio": {}}
        ]})
    )]);
    let (stats, sink) = run("t.json", &doc.to_string(), None);
    assert_eq!(terms(&stats), (5, 2, 0, 3));
    assert_eq!(
        sink.0[0].messages[1].text,
        "Sorry, I didn't get that.\nCan you say it another way?"
    );
    for kind in ["endInteraction", "conversationSuccess", "playAudio"] {
        assert_eq!(stats.non_messages_by_kind.get(kind), Some(&1), "{kind}");
    }
}

#[test]
fn bigquery_timestamps_are_read_as_utc() {
    let mut t = turn(1, said("hi"), json!({"text": "hi", "responseMessages": []}));
    t["request_time"] = json!("2026-03-06 09:12:03.517 UTC");
    let (stats, sink) = run("t.json", &json!([t]).to_string(), None);
    assert_eq!(stats.messages, 1);
    let want = "2026-03-06T09:12:03.517Z".parse::<jiff::Timestamp>();
    assert_eq!(
        sink.0[0].messages[0].timestamp,
        want.ok().map(|t| t.as_millisecond())
    );
}

#[test]
fn no_input_is_a_non_message_whose_reprompt_is_a_fallback_and_json_text_is_unknown() {
    let lines = format!(
        "{}\n{}\n",
        turn(
            1,
            json!({"event": {"event": "sys.no-input-default"}}),
            json!({
            "match": {"matchType": "NO_INPUT"}, "responseMessages": [{"outputAudioText": {"text": "still there?"}}]})
        ),
        json!({"conversation_name": "s2", "request": "{}", "response": "{}"})
    );
    let (stats, sink) = run("t.jsonl", &lines, Some(Format::DialogflowCx));
    // The customer said nothing: no customer message, and the reprompt is the bot's fallback.
    assert_eq!(terms(&stats), (3, 1, 1, 1));
    assert_eq!(stats.non_messages_by_kind.get("no_input"), Some(&1));
    let m = &sink.0[0].messages;
    assert_eq!(
        (m[0].role, m[0].text.as_ref(), m[0].fallback),
        (Some(Role::Bot), "still there?", Some(true))
    );
}

#[test]
fn the_csv_export_reads_its_json_columns() {
    let t = turn(
        1,
        said("hi"),
        json!({"text": "hi", "responseMessages": [{"text": {"text": ["hey"]}}]}),
    );
    let cell = |k: &str| t[k].to_string().replace('"', "\"\"");
    let csv = format!(
        "conversation_name,request_time,request,response\ns1,2026-03-02T09:00:00Z,\"{}\",\"{}\"\n",
        cell("request"),
        cell("response")
    );
    for format in [Some(Format::DialogflowCx), None] {
        let (stats, sink) = run("t.csv", &csv, format);
        assert_eq!((stats.records, stats.messages), (2, 2));
        let m = &sink.0[0].messages;
        assert_eq!((m[0].text.as_ref(), m[1].text.as_ref()), ("hi", "hey"));
        assert_eq!(m[1].origin.line, 2);
        // Without a profile named, the header tells the export, and a note says so.
        let noted = stats.notes.iter().any(|n| {
            n.contains(
                "(profile dialogflow-cx): a CSV header with conversation_name, request, response",
            )
        });
        assert_eq!(noted, format.is_none(), "{:?}", stats.notes);
    }
}

#[test]
fn the_fixture_keeps_the_accounting_law() {
    let (stats, sink) = fixture(
        "dialogflow-cx",
        &["interactions.jsonl"],
        Some(Format::DialogflowCx),
    );
    assert_eq!(terms(&stats), (13, 10, 0, 3));
    for kind in ["no_input", "payload", "endInteraction"] {
        assert_eq!(stats.non_messages_by_kind.get(kind), Some(&1), "{kind}");
    }
    let fallbacks: Vec<_> = sink
        .0
        .iter()
        .flat_map(|c| &c.messages)
        .filter(|m| m.fallback == Some(true))
        .map(|m| m.role)
        .collect();
    assert_eq!(fallbacks, [Some(Role::Bot), Some(Role::Bot)]);
}

/// One response message, of a kind the reference documents or not.
fn response() -> impl proptest::strategy::Strategy<Value = Value> {
    use proptest::strategy::Strategy;
    (0u8..6).prop_map(|k| match k {
        0 => json!({"text": {"text": ["hi"]}}),
        1 => json!({"liveAgentHandoff": {"metadata": {}}}),
        2 => json!({"payload": {}}),
        3 => json!({"wormhole": {}}),
        4 => json!("not an object"),
        _ => json!({"endInteraction": {}}),
    })
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(32))]

    /// Every turn and every response message in it is a record, and each is accounted for.
    #[test]
    fn every_turn_and_response_message_is_accounted_for(
        turns in proptest::collection::vec(proptest::collection::vec(response(), 0..5), 1..5)
    ) {
        let doc: Vec<Value> = turns
            .iter()
            .enumerate()
            .map(|(i, rs)| turn(i as u32, said("q"), json!({"text": "q", "responseMessages": rs})))
            .collect();
        let (stats, _) = run("t.json", &Value::Array(doc).to_string(), None);
        let responses: usize = turns.iter().map(Vec::len).sum();
        proptest::prop_assert_eq!(stats.records, (turns.len() + responses) as u64);
        proptest::prop_assert!(stats.balanced());
    }
}

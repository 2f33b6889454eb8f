//! The `dialogflow-cx` profile on turns written from the BigQuery export's table description and
//! the detect-intent response reference: fan-out of a turn, fallbacks, the live agent handoff,
//! event turns, and the CSV export's JSON columns.

use serde_json::{Value, json};

use crate::logs::accounting::Stats;
use crate::logs::profiles::tests::terms;
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
    assert_eq!((m[1].fallback, m[4].fallback), (None, Some(true)));
    assert_eq!(m[3].text, "one moment");
    assert_eq!(m[5].event, Some(Event::Handoff));
}

#[test]
fn no_input_is_a_fallback_and_json_text_is_an_unknown_element() {
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
    assert_eq!((stats.records, stats.messages, stats.skipped), (3, 2, 1));
    let m = &sink.0[0].messages;
    assert_eq!(
        (m[0].role, m[0].fallback),
        (Some(Role::Customer), Some(true))
    );
    assert_eq!(
        (m[1].role, m[1].text.as_ref()),
        (Some(Role::Bot), "still there?")
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
    let (stats, sink) = run("t.csv", &csv, Some(Format::DialogflowCx));
    assert_eq!((stats.records, stats.messages), (2, 2));
    let m = &sink.0[0].messages;
    assert_eq!((m[0].text.as_ref(), m[1].text.as_ref()), ("hi", "hey"));
    assert_eq!(m[1].origin.line, 2);
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

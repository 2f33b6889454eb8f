//! Profiles through `logs::read`: recognition, the Rasa tracker, and the accounting law over
//! documents with non-messages.

use std::path::PathBuf;

use proptest::prelude::*;
use serde_json::{Value, json};

use crate::logs::{Collect, ReadOptions, read};

pub(super) fn run(
    name: &str,
    doc: &str,
    opts: &ReadOptions,
) -> Result<(crate::logs::accounting::Stats, Collect), crate::error::Error> {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join(name);
    std::fs::write(&path, doc).expect("written");
    let mut sink = Collect::default();
    let stats = read(&[path], opts, &mut sink)?;
    Ok((stats, sink))
}

/// A run's records, messages, skips and non-messages, once its accounting is checked.
pub(super) fn terms(stats: &crate::logs::accounting::Stats) -> (u64, u64, u64, u64) {
    assert!(stats.balanced(), "{}", stats.summary());
    (
        stats.records,
        stats.messages,
        stats.skipped,
        stats.non_messages,
    )
}

/// A platform's fixture files (`tests/fixtures/profiles/<platform>/`), read in one run.
pub(super) fn fixture(
    platform: &str,
    files: &[&str],
    format: Option<crate::logs::Format>,
) -> (crate::logs::accounting::Stats, Collect) {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/profiles")
        .join(platform);
    let paths: Vec<PathBuf> = files.iter().map(|f| dir.join(f)).collect();
    let opts = ReadOptions {
        format,
        ..ReadOptions::default()
    };
    let mut sink = Collect::default();
    let stats = read(&paths, &opts, &mut sink).expect("the fixture reads");
    (stats, sink)
}

/// `../shared/realdata/` from the crate root, when it is there.
fn realdata() -> Option<PathBuf> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/realdata");
    p.is_dir().then_some(p)
}

#[test]
fn the_moodbot_tracker_is_recognised_as_rasa() {
    let Some(root) = realdata() else {
        eprintln!("skipped: ../shared/realdata is absent");
        return;
    };
    let mut sink = Collect::default();
    let path = root.join("platforms/rasa/tracker_moodbot.json");
    let stats = read(&[path], &ReadOptions::default(), &mut sink).expect("readable");
    assert!(stats.balanced());
    assert_eq!(
        (stats.records, stats.messages, stats.non_messages),
        (7, 2, 5)
    );
    assert_eq!(stats.non_messages_by_kind.get("action"), Some(&5));
    assert!(
        stats.notes[0].contains("read as a Rasa tracker store dump (profile rasa)"),
        "{:?}",
        stats.notes
    );
    let c = &sink.0[0];
    assert_eq!(c.id, "mysender");
    let intents: Vec<_> = c.messages.iter().map(|m| m.intent.as_deref()).collect();
    assert_eq!(intents, [Some("greet"), Some("mood_great")]);
    assert_eq!(c.messages[0].confidence, Some(0.54));
}

#[test]
fn rasa_handoffs_fallbacks_and_bookkeeping() {
    let doc = json!({"sender_id": "s1", "events": [
        {"event": "session_started", "timestamp": 1.0},
        {"event": "user", "timestamp": 2.0, "text": "hi", "parse_data": {"intent": {"name": "transfer", "confidence": 0.9}}},
        {"event": "bot", "timestamp": 3.0, "text": "hello"},
        {"event": "action", "timestamp": 4.0, "name": "action_default_fallback"},
        {"event": "action", "timestamp": 5.0, "name": "action_handoff"},
        {"event": "slot", "timestamp": 6.0, "name": "x", "value": 1},
        {"event": "wormhole", "timestamp": 7.0}
    ]});
    let (stats, sink) = run("t.json", &doc.to_string(), &ReadOptions::default()).expect("reads");
    assert_eq!(
        (
            stats.records,
            stats.messages,
            stats.skipped,
            stats.non_messages
        ),
        (7, 4, 1, 2)
    );
    assert!(
        stats.first_skips[0]
            .detail
            .starts_with("events[6]: an event of type \"wormhole\"")
    );
    let m = &sink.0[0].messages;
    use crate::logs::record::{Event, Role};
    assert_eq!(
        m[0].event, None,
        "an intent named transfer is not a handoff"
    );
    assert_eq!((m[2].role, m[2].fallback), (Some(Role::Bot), Some(true)));
    assert_eq!(
        (m[3].role, m[3].event),
        (Some(Role::System), Some(Event::Handoff))
    );
    assert_eq!(
        stats.summary(),
        "read 7 records: 4 messages, 1 skipped (1 unknown element), 0 duplicates, 2 not messages (1 session start, 1 slot)"
    );
}

#[test]
fn a_document_nothing_recognises_says_what_it_looks_like() {
    let e = run(
        "x.json",
        r#"{"items": [1], "next": null}"#,
        &ReadOptions::default(),
    )
    .expect_err("unrecognised");
    let shown = e.to_string();
    assert!(
        shown.contains(
            "no profile recognises this document (an object with keys items, next); tried rasa"
        ),
        "{shown}"
    );
    let e = run("x.json", "{\"a\": ", &ReadOptions::default()).expect_err("invalid");
    assert!(matches!(e, crate::error::Error::NotJson { .. }), "{e}");
    let opts = ReadOptions {
        format: Some(crate::logs::Format::Rasa),
        ..ReadOptions::default()
    };
    let e = run("x.json", "[1, 2]", &opts).expect_err("not a tracker");
    assert!(e.to_string().contains("expected a Rasa tracker"), "{e}");
}

#[test]
fn json_lines_with_a_profile_stream_and_keep_line_numbers() {
    let lines = [
        json!({"sender_id": "a", "events": [{"event": "user", "text": "hi"}, {"event": "action", "name": "utter_x"}]}),
        json!({"sender_id": "b", "events": [{"event": "bot", "text": "yo"}]}),
    ];
    let text = format!("{}\n\nnot json\n{}\n", lines[0], lines[1]);
    let opts = ReadOptions {
        format: Some(crate::logs::Format::Rasa),
        ..ReadOptions::default()
    };
    let (stats, sink) = run("t.jsonl", &text, &opts).expect("reads");
    assert_eq!(
        (
            stats.records,
            stats.messages,
            stats.skipped,
            stats.non_messages
        ),
        (4, 2, 1, 1)
    );
    assert_eq!(stats.first_skips[0].line, 3);
    assert_eq!(sink.0[1].messages[0].origin.line, 4);
}

/// One event of a tracker, good or bad in one of the ways a dump is.
fn event() -> impl Strategy<Value = Value> {
    (0u8..9, 0u8..4, 0u32..50).prop_map(|(kind, id, ts)| match kind {
        0 => {
            json!({"event": "user", "text": "hi", "message_id": format!("m{id}"), "timestamp": ts})
        }
        1 => json!({"event": "bot", "text": "hello", "timestamp": ts}),
        2 => json!({"event": "action", "name": "utter_x", "timestamp": ts}),
        3 => json!({"event": "action", "name": "action_handoff", "timestamp": ts}),
        4 => json!({"event": "slot", "name": "s"}),
        5 => json!({"event": "user", "timestamp": "soon"}),
        6 => json!({"event": "wormhole"}),
        7 => json!({"text": "no type"}),
        _ => json!({"event": "user", "parse_data": {"intent": {"confidence": "high"}}}),
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Every element of the records path is a message, a skip, a duplicate or a non-message.
    #[test]
    fn every_element_of_a_document_is_accounted_for(
        trackers in prop::collection::vec(prop::collection::vec(event(), 0..12), 1..4)
    ) {
        let doc: Vec<Value> = trackers
            .iter()
            .enumerate()
            .map(|(i, events)| json!({"sender_id": format!("s{i}"), "events": events}))
            .collect();
        let (stats, sink) = run("t.json", &Value::Array(doc).to_string(), &ReadOptions::default())
            .expect("readable");
        let elements: usize = trackers.iter().map(Vec::len).sum();
        prop_assert_eq!(stats.records, elements as u64);
        prop_assert!(stats.balanced());
        let messages: usize = sink.0.iter().map(|c| c.messages.len()).sum();
        prop_assert_eq!(stats.messages, messages as u64);
        let by_kind: u64 = stats.non_messages_by_kind.values().sum();
        prop_assert_eq!(stats.non_messages, by_kind);
    }
}

#[test]
fn every_table_header_is_among_its_documented_columns() {
    for p in super::PROFILES {
        let Some(table) = p.table else { continue };
        assert!(!table.header.is_empty(), "{}", p.name);
        for column in table.header {
            assert!(table.columns.contains(column), "{}: {column}", p.name);
        }
    }
}

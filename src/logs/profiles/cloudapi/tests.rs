//! The `cloudapi` profile on the pywa webhook fixtures in `realdata/cloudapi/pywa/`, read in
//! place, and on bodies written here: recognition, texts, non-messages and the accounting law.

use crate::logs::json::doc;
use std::path::PathBuf;

use std::collections::BTreeMap;

use serde_json::{Value, json};

use crate::logs::json::Kind;
use crate::logs::json::values::ValueMaps;

use crate::logs::accounting::{Reason, Stats};
use crate::logs::{Collect, ReadOptions, read};

/// `../shared/realdata/cloudapi/pywa/NAME` from the crate root, when it is there.
fn pywa(name: &str) -> Option<PathBuf> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/realdata/cloudapi/pywa")
        .join(name);
    p.is_file().then_some(p)
}

fn read_pywa(name: &str) -> Option<(Stats, Collect)> {
    let Some(path) = pywa(name) else {
        eprintln!("skipped: ../shared/realdata/cloudapi/pywa/{name} is absent");
        return None;
    };
    let mut sink = Collect::default();
    let stats = read(&[path], &ReadOptions::default(), &mut sink).expect("readable");
    assert!(stats.balanced(), "{stats:?}");
    assert_eq!(stats.by_reason.get(&Reason::InvalidJson), None, "{stats:?}");
    assert_eq!(stats.skipped, 0, "{:?}", stats.first_skips);
    assert!(
        stats.notes[0].contains("(profile cloudapi)"),
        "{:?}",
        stats.notes
    );
    Some((stats, sink))
}

fn texts(sink: &Collect) -> Vec<String> {
    sink.0
        .iter()
        .flat_map(|c| c.messages.iter().map(|m| m.text.to_string()))
        .collect()
}

fn kinds(stats: &Stats) -> Vec<(&str, u64)> {
    stats
        .non_messages_by_kind
        .iter()
        .map(|(k, n)| (k.as_str(), *n))
        .collect()
}

#[test]
fn pywa_messages_are_messages_notices_and_counted_non_messages() {
    let Some((stats, sink)) = read_pywa("message.json") else {
        return;
    };
    assert_eq!(kinds(&stats), [("error", 1), ("reaction", 3)]);
    assert_eq!(stats.records, 22);
    let c = &sink.0[0];
    assert_eq!(c.id, "972987654321");
    assert_eq!(c.customer_name.as_deref(), Some("Test Name"));
    // The fixtures reuse message ids, so most cases are duplicates once read: the texts are
    // checked case by case.
    let Some(path) = pywa("message.json") else {
        return;
    };
    let cases: Value = serde_json::from_slice(&std::fs::read(path).expect("read")).expect("JSON");
    let mut seen = BTreeMap::new();
    for (case, body) in cases.as_object().expect("cases") {
        let value = &body["entry"][0]["changes"][0]["value"];
        for m in value["messages"].as_array().expect("messages") {
            let m = &doc::from_serde(m);
            if super::classify(
                &crate::logs::json::doc::Record::new(m),
                &ValueMaps::default(),
            ) == Kind::MessageWith(&[(crate::logs::fields::Field::Role, "customer")])
            {
                seen.insert(
                    case.as_str(),
                    super::text(&crate::logs::json::doc::Record::new(m)).unwrap_or_default(),
                );
            }
        }
    }
    assert_eq!(seen["text"], "Body Text");
    assert_eq!(seen["image"], "<image>");
    assert!(seen["video"].starts_with("<video>"), "{seen:?}");
    assert!(
        seen["contacts"].starts_with("<contacts> Chandler Bing"),
        "{seen:?}"
    );
    assert!(
        seen["current_location"].starts_with("<location>"),
        "{seen:?}"
    );
    assert!(seen["order"].starts_with("<order>"), "{seen:?}");
    assert_eq!(seen["unsupported"], "<unsupported>");
    assert_eq!(seen.len(), 18, "{seen:?}");
}

#[test]
fn pywa_replies_are_their_titles() {
    for name in ["callback_button.json", "callback_selection.json"] {
        let Some((stats, sink)) = read_pywa(name) else {
            return;
        };
        assert_eq!((stats.records, stats.non_messages), (2, 0), "{name}");
        assert!(!texts(&sink).iter().any(|t| t.starts_with('<')), "{name}");
    }
}

#[test]
fn pywa_statuses_and_system_changes_are_non_messages() {
    let Some((stats, _)) = read_pywa("message_status.json") else {
        return;
    };
    assert_eq!((stats.records, stats.messages), (5, 0));
    assert_eq!(kinds(&stats), [("status", 5)]);
    let Some((stats, _)) = read_pywa("system.json") else {
        return;
    };
    assert_eq!(kinds(&stats), [("system_change", 3)]);
}

#[test]
fn a_webhook_log_reads_a_body_a_line_in_document_order() {
    let body = |value: serde_json::Value| {
        json!({"object": "whatsapp_business_account",
               "entry": [{"id": "1", "changes": [{"field": "messages", "value": value}]}]})
        .to_string()
    };
    let lines = [
        body(
            json!({"contacts": [{"wa_id": "15550001", "profile": {"name": "Ana"}}],
            "messages": [{"from": "15550001", "id": "m1", "timestamp": "1700000000",
                "type": "image", "image": {"caption": "my order", "id": "9"}}]}),
        ),
        body(
            json!({"statuses": [{"id": "o1", "status": "read", "timestamp": "1700000005",
            "recipient_id": "15550001"}]}),
        ),
        body(
            json!({"messages": [{"from": "15550001", "id": "m2", "timestamp": "1700000010",
            "type": "frobnicate"}]}),
        ),
    ];
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("hooks.jsonl");
    std::fs::write(&path, lines.join("\n")).expect("written");
    let mut sink = Collect::default();
    let opts = ReadOptions {
        format: Some(crate::logs::Format::Cloudapi),
        ..ReadOptions::default()
    };
    let stats = read(&[path], &opts, &mut sink).expect("readable");
    assert!(stats.balanced());
    assert_eq!(
        (stats.records, stats.messages, stats.skipped),
        (3, 1, 1),
        "{:?}",
        stats.first_skips
    );
    assert_eq!(stats.by_reason.get(&Reason::UnknownElement), Some(&1));
    assert_eq!(texts(&sink), ["<image> my order"]);
    assert_eq!(sink.0[0].messages[0].author.as_deref(), Some("Ana"));
}

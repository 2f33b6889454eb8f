//! The `salesforce` profile on rows written from the ConversationEntry reference: a SOQL result,
//! one row a line, the CSV export (recognised from its header), attachments, milliseconds, the
//! customer's id, and the accounting law over the fixture and over rows of every kind.

use proptest::prelude::*;
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

fn entry(seq: u32, entry_type: &str, actor: &str, message: Option<&str>) -> Value {
    json!({"attributes": {"type": "ConversationEntry"}, "Id": format!("0Mw{seq}"),
        "ConversationId": "0Mw5e1", "Seq": seq, "EntryTime": format!("2026-03-02T09:00:{seq:02}.000+0000"),
        "EntryType": entry_type, "ActorType": actor, "ActorName": "n", "ActorId": format!("0PA{seq}"),
        "Message": message})
}

#[test]
fn a_query_result_reads_actors_escalations_and_entry_events() {
    let doc = json!({"totalSize": 6, "done": true, "records": [
        entry(1, "ChatbotEstablished", "System", None),
        entry(2, "Text", "EndUser", Some("hi")),
        entry(3, "Text", "Bot", Some("hello")),
        entry(4, "BotEscalated", "Bot", None),
        entry(5, "Text", "Supervisor", Some("on it")),
        entry(6, "Teleported", "System", None),
    ]});
    let (stats, sink) = run("e.json", &doc.to_string(), None);
    assert_eq!(terms(&stats), (6, 4, 1, 1));
    let note = &stats.notes[0];
    assert!(note.contains("(profile salesforce)"), "{note}");
    let m = &sink.0[0].messages;
    let roles: Vec<_> = m.iter().map(|m| m.role).collect();
    assert_eq!(
        roles,
        [
            Some(Role::Customer),
            Some(Role::Bot),
            Some(Role::Bot),
            Some(Role::Agent)
        ]
    );
    assert_eq!((m[1].event, m[2].event), (None, Some(Event::Handoff)));
    assert_eq!(sink.0[0].id, "0Mw5e1");
    // Entry types are counted under their own names.
    assert_eq!(
        stats.non_messages_by_kind.get("ChatbotEstablished"),
        Some(&1)
    );
    assert!(
        stats.first_skips[0]
            .detail
            .starts_with("records[5]: an entry of type \"Teleported\""),
        "{:?}",
        stats.first_skips
    );
}

#[test]
fn the_customer_id_is_the_end_users_actor_id() {
    let doc = json!([
        entry(1, "Text", "EndUser", Some("hi")),
        entry(2, "Text", "Agent", Some("hello")),
    ]);
    let (_, sink) = run("e.json", &doc.to_string(), None);
    let m = &sink.0[0].messages;
    assert_eq!(m[0].customer_id.as_deref(), Some("0PA1"));
    assert_eq!(
        m[1].customer_id, None,
        "an agent's ActorId is not the customer"
    );
    assert_eq!(sink.0[0].customer_id.as_deref(), Some("0PA1"));
}

#[test]
fn attachments_are_a_notice_after_the_message() {
    let mut with_text = entry(1, "Text", "EndUser", Some("the receipt"));
    with_text["HasAttachments"] = json!(true);
    let mut alone = entry(2, "Text", "EndUser", None);
    alone["HasAttachments"] = json!(true);
    let mut none = entry(3, "Text", "EndUser", Some("thanks"));
    none["HasAttachments"] = json!(false);
    let doc = json!([with_text, alone, none]);
    let (_, sink) = run("e.json", &doc.to_string(), None);
    let texts: Vec<_> = sink.0[0].messages.iter().map(|m| m.text.as_ref()).collect();
    assert_eq!(
        texts,
        ["the receipt <attachment>", "<attachment>", "thanks"]
    );
}

#[test]
fn entry_time_takes_the_milliseconds_of_its_own_column() {
    let row = |ms: Value, time: &str| {
        json!({"ConversationId": "c", "ActorType": "EndUser", "Message": "x",
            "EntryTime": time, "EntryTimeMilliSecs": ms})
    };
    let doc = json!([
        row(json!(480), "2026-03-05T14:00:01.000Z"),
        row(json!("90"), "2026-03-05T14:00:02.000+0000"),
        row(json!(7), "2026-03-05T14:00:03Z"),
        row(json!(1000), "2026-03-05T14:00:04.250Z"),
        row(json!("n/a"), "2026-03-05T14:00:05.000Z"),
    ]);
    let (stats, sink) = run("e.json", &doc.to_string(), None);
    assert_eq!(stats.messages, 5);
    let at = |s: &str| {
        s.parse::<jiff::Timestamp>()
            .map(|t| t.as_millisecond())
            .ok()
    };
    let times: Vec<_> = sink.0[0].messages.iter().map(|m| m.timestamp).collect();
    assert_eq!(
        times,
        [
            at("2026-03-05T14:00:01.480Z"),
            at("2026-03-05T14:00:02.090Z"),
            at("2026-03-05T14:00:03.007Z"),
            // Not the last three digits of a time: EntryTime as it is.
            at("2026-03-05T14:00:04.250Z"),
            at("2026-03-05T14:00:05Z"),
        ]
    );
}

#[test]
fn rows_one_a_line_and_a_plain_array_are_recognised() {
    let lines = format!(
        "{}\n{}\n",
        entry(1, "Text", "EndUser", Some("hi")),
        entry(2, "EndUserOptedOut", "EndUser", None)
    );
    let (stats, sink) = run("e.jsonl", &lines, Some(Format::Salesforce));
    assert_eq!(
        (stats.records, stats.messages, stats.non_messages),
        (2, 1, 1)
    );
    assert_eq!(sink.0[0].messages[0].origin.line, 1);
    let array = json!([{"ConversationId": "c", "ActorType": "Agent", "Message": "x"}]);
    let (stats, sink) = run("a.json", &array.to_string(), None);
    assert_eq!(stats.messages, 1, "a row without EntryType is a message");
    assert_eq!(sink.0[0].messages[0].role, Some(Role::Agent));
}

const CSV: &str = "ConversationId,EntryTime,EntryType,ActorType,ActorName,Message,Seq\n\
                   c1,2026-03-03T14:00:00Z,Text,EndUser,Bo,\"hi, there\",1\n\
                   c1,2026-03-03T14:00:01Z,BotEscalated,Bot,Service Bot,,2\n\
                   c1,2026-03-03T14:00:02Z,ChatbotClosedIdleSession,System,,,3\n\
                   c1,2026-03-03T14:00:03Z,Text,Agent,Sam,yes,2\n\
                   c1,2026-03-03T14:00:04Z,Text\n";

#[test]
fn the_csv_export_reads_through_the_same_mapping() {
    for format in [Some(Format::Salesforce), None] {
        let (stats, sink) = run("e.csv", CSV, format);
        assert!(stats.balanced());
        assert_eq!(
            (
                stats.records,
                stats.messages,
                stats.skipped,
                stats.duplicates,
                stats.non_messages
            ),
            (5, 2, 1, 1, 1),
            "{format:?}"
        );
        let m = &sink.0[0].messages;
        assert_eq!(m[0].text, "hi, there");
        assert_eq!(
            (m[1].role, m[1].event),
            (Some(Role::Bot), Some(Event::Handoff))
        );
        assert_eq!(m[1].origin.line, 3);
    }
}

#[test]
fn a_csv_export_is_recognised_from_its_header_with_a_note() {
    let (stats, _) = run("e.csv", CSV, None);
    assert_eq!(stats.notes.len(), 1, "{:?}", stats.notes);
    assert!(
        stats.notes[0].ends_with(
            "e.csv: read as Salesforce ConversationEntry rows (profile salesforce): a CSV header \
             with ConversationId, ActorType and no conversation_id and role columns"
        ),
        "{}",
        stats.notes[0]
    );
    // Data Loader writes the field names in capitals.
    let upper = CSV.replacen(
        "ConversationId,EntryTime,EntryType,ActorType,ActorName,Message,Seq",
        "CONVERSATIONID,ENTRYTIME,ENTRYTYPE,ACTORTYPE,ACTORNAME,MESSAGE,SEQ",
        1,
    );
    let (stats, sink) = run("e.csv", &upper, None);
    assert_eq!(terms(&stats), (5, 2, 1, 1));
    assert_eq!(sink.0[0].messages[1].event, Some(Event::Handoff));
}

#[test]
fn a_canonical_header_is_read_as_canonical_csv() {
    // `conversation_id` and `role` columns: the header is canonical, whatever else it has.
    let csv = "conversation_id,role,text,ActorType\nc1,customer,hi,Bot\n";
    let (stats, sink) = run("e.csv", csv, None);
    assert!(stats.notes.is_empty(), "{:?}", stats.notes);
    assert_eq!(sink.0[0].messages[0].role, Some(Role::Customer));
    // Without ActorType the header is nobody's export: rows lack a role, as before.
    let csv = "ConversationId,Message\nc1,hi\n";
    let (stats, _) = run("e.csv", csv, None);
    assert_eq!(
        (stats.skipped, stats.notes.len()),
        (1, 0),
        "{:?}",
        stats.notes
    );
}

#[test]
fn the_fixture_keeps_the_accounting_law() {
    let files = ["conversation-entries.csv", "query-result.json"];
    let (stats, sink) = fixture("salesforce", &files, None);
    assert_eq!(terms(&stats), (19, 15, 0, 4));
    assert_eq!(
        stats.non_messages_by_kind.get("ChatbotEstablished"),
        Some(&2)
    );
    let ids: Vec<_> = sink.0.iter().map(|c| c.customer_id.as_deref()).collect();
    assert_eq!(
        ids,
        [
            Some("0PA5g000000001"),
            Some("0PA5g000000002"),
            Some("0PA5g000000003")
        ]
    );
}

/// One row, of an entry type the reference lists or not, good or bad.
fn row() -> impl Strategy<Value = Value> {
    let types = prop::sample::select(vec![
        "Text",
        "BotEscalated",
        "ChatbotEstablished",
        "EndUserOptedOut",
        "Teleported",
        "",
    ]);
    let actors = prop::sample::select(vec!["EndUser", "Bot", "Agent", "System", "Robot"]);
    (types, actors, 0u8..4, 0u8..5, any::<bool>()).prop_map(|(t, a, conv, kind, files)| {
        let mut r = json!({"ConversationId": format!("c{conv}"), "ActorType": a, "EntryType": t,
            "Message": "m", "EntryTime": "2026-03-02T09:00:00.000Z", "HasAttachments": files});
        match kind {
            0 => r["EntryTime"] = json!("soon"),
            1 => r["EntryTimeMilliSecs"] = json!(kind),
            2 => r["EntryType"] = json!(7),
            _ => {}
        }
        r
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    /// Every row is a message, a skip, a duplicate or a non-message.
    #[test]
    fn every_row_is_accounted_for(rows in prop::collection::vec(row(), 1..20)) {
        let doc = json!({"totalSize": rows.len(), "done": true, "records": rows});
        let (stats, sink) = run("e.json", &doc.to_string(), None);
        prop_assert_eq!(stats.records, rows.len() as u64);
        prop_assert!(stats.balanced());
        let messages: usize = sink.0.iter().map(|c| c.messages.len()).sum();
        prop_assert_eq!(stats.messages, messages as u64);
    }
}

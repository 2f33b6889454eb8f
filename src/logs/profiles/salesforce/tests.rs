//! The `salesforce` profile on rows written from the ConversationEntry reference: a SOQL result,
//! one row a line, and the CSV export.

use serde_json::json;

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

fn entry(seq: u32, entry_type: &str, actor: &str, message: Option<&str>) -> serde_json::Value {
    json!({"attributes": {"type": "ConversationEntry"}, "Id": format!("0Mw{seq}"),
        "ConversationId": "0Mw5e1", "Seq": seq, "EntryTime": format!("2026-03-02T09:00:{seq:02}.000+0000"),
        "EntryType": entry_type, "ActorType": actor, "ActorName": "n", "Message": message})
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
    assert_eq!(
        stats.non_messages_by_kind.get("chatbot_established"),
        Some(&1)
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

#[test]
fn the_csv_export_reads_through_the_same_mapping() {
    let csv = "ConversationId,EntryTime,EntryType,ActorType,ActorName,Message,Seq\n\
               c1,2026-03-03T14:00:00Z,Text,EndUser,Bo,\"hi, there\",1\n\
               c1,2026-03-03T14:00:01Z,BotEscalated,Bot,Service Bot,,2\n\
               c1,2026-03-03T14:00:02Z,ChatbotClosedIdleSession,System,,,3\n\
               c1,2026-03-03T14:00:03Z,Text,Agent,Sam,yes,2\n\
               c1,2026-03-03T14:00:04Z,Text\n";
    let (stats, sink) = run("e.csv", csv, Some(Format::Salesforce));
    assert!(stats.balanced());
    assert_eq!(
        (
            stats.records,
            stats.messages,
            stats.skipped,
            stats.duplicates,
            stats.non_messages
        ),
        (5, 2, 1, 1, 1)
    );
    let m = &sink.0[0].messages;
    assert_eq!(m[0].text, "hi, there");
    assert_eq!(
        (m[1].role, m[1].event),
        (Some(Role::Bot), Some(Event::Handoff))
    );
    assert_eq!(m[1].origin.line, 3);
}

//! The `intercom` profile on the fixtures of `tests/fixtures/profiles/intercom/` and on
//! conversations written from the conversation and conversation part models: recognition, the
//! classification of each part type, texts from HTML, lanes and customer ids, the export CSV, and
//! the accounting law.

use crate::logs::json::doc;
use std::path::PathBuf;

use proptest::prelude::*;
use serde_json::{Value, json};

use super::classify;
use crate::logs::accounting::{Reason, Stats};
use crate::logs::fields::Field;
use crate::logs::json::Kind;
use crate::logs::json::values::ValueMaps;
use crate::logs::profiles::tests::terms;
use crate::logs::record::{Event, Role};
use crate::logs::{Collect, Format, ImportSettings, ReadOptions, read};

fn opts(format: Option<Format>) -> ReadOptions {
    ReadOptions {
        format,
        ..ReadOptions::default()
    }
}

fn run(name: &str, text: &str, format: Option<Format>) -> (Stats, Collect) {
    crate::logs::profiles::tests::run(name, text, &opts(format)).expect("readable")
}

fn part(id: &str, kind: &str, author: &str, body: &str) -> Value {
    json!({"type": "conversation_part", "id": id, "part_type": kind, "body": body,
        "created_at": 1772442000 + id.len() as i64, "assigned_to": null,
        "author": {"type": author, "id": format!("{author}-1"), "name": format!("{author} name")},
        "attachments": [], "redacted": false})
}

fn conversation(id: &str, parts: Vec<Value>) -> Value {
    json!({"type": "conversation", "id": id, "created_at": 1772442000,
        "source": {"type": "conversation", "id": format!("s{id}"), "delivered_as": "customer_initiated",
            "subject": "", "body": "<p>hello</p>", "author": {"type": "user", "id": "u1", "name": "Lena"},
            "attachments": [], "redacted": false},
        "conversation_parts": {"type": "conversation_part.list", "conversation_parts": parts,
            "total_count": parts.len()}})
}

fn object(v: Value) -> doc::Value {
    assert!(v.is_object(), "not an object: {v}");
    doc::from_serde(&v)
}

fn kind(v: Value) -> Kind {
    let mut values = ValueMaps::default();
    for (field, map) in super::PROFILE.values {
        for (from, to) in *map {
            values.insert(*field, from, to);
        }
    }
    classify(&crate::logs::json::doc::Record::new(&object(v)), &values)
}

#[test]
fn each_part_type_is_a_message_an_event_a_non_message_or_unknown() {
    let customer = || Kind::MessageReading(vec![(Field::CustomerId, "user-1".into())]);
    assert_eq!(kind(part("1", "comment", "user", "hi")), customer());
    assert_eq!(kind(part("1", "comment", "lead", "hi")), {
        Kind::MessageReading(vec![(Field::CustomerId, "lead-1".into())])
    });
    assert_eq!(kind(part("1", "comment", "bot", "hi")), Kind::Message);
    assert_eq!(kind(part("1", "close", "admin", "")), Kind::Message);
    assert_eq!(
        kind(part("1", "note", "admin", "x")),
        Kind::NonMessage("note")
    );
    assert_eq!(
        kind(part("1", "open", "admin", "")),
        Kind::NonMessage("open")
    );
    assert_eq!(
        kind(part("1", "snoozed", "admin", "")),
        Kind::NonMessage("snoozed")
    );
    let mut assign = part("1", "assignment", "bot", "");
    assign["assigned_to"] = json!({"type": "team", "id": "5531"});
    assert_eq!(
        kind(assign.clone()),
        Kind::MessageReading(vec![(Field::Lane, "5531".into())])
    );
    // The 1.x model gives the admin's id; an unassignment names nobody.
    assign["assigned_to"] = json!(814);
    assert_eq!(
        kind(assign.clone()),
        Kind::MessageReading(vec![(Field::Lane, "814".into())])
    );
    assign["assigned_to"] = json!({"type": "nobody_admin", "id": null});
    assert_eq!(kind(assign), Kind::Message);
    let Kind::Unknown(what) = kind(part("1", "participant_added", "admin", "")) else {
        panic!("an unknown part type")
    };
    assert!(what.contains("\"participant_added\""), "{what}");
    assert!(matches!(kind(json!({"id": "x"})), Kind::Unknown(_)));
    assert!(matches!(
        kind(json!({"part_type": 3, "id": "x"})),
        Kind::Unknown(_)
    ));
}

#[test]
fn a_conversation_is_the_record_of_its_source_and_an_export_row_of_its_part() {
    let c = conversation("c1", vec![]);
    assert_eq!(
        kind(c),
        Kind::MessageReading(vec![(Field::CustomerId, "u1".into())])
    );
    let row = json!({"conversation_id": "c4", "message_id": "9304", "message_type": "assignment",
        "message_author_type": "bot", "message_author_id": "7001"});
    assert_eq!(kind(row), Kind::Message);
    let row = json!({"conversation_id": "c4", "message_id": "9301", "message_type": "comment",
        "message_author_type": "lead", "message_author_id": "65aa"});
    assert_eq!(
        kind(row),
        Kind::MessageReading(vec![(Field::CustomerId, "65aa".into())])
    );
}

/// `tests/fixtures/profiles/intercom/NAME`.
fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/profiles/intercom")
        .join(name)
}

#[test]
fn the_fixtures_keep_the_accounting_law() {
    let mut sink = Collect::default();
    let paths = [
        fixture("conversation-export.csv"),
        fixture("conversations.json"),
    ];
    let stats = read(&paths, &opts(Some(Format::Intercom)), &mut sink).expect("readable");
    assert_eq!(terms(&stats), (29, 25, 1, 3));
    assert_eq!(stats.by_reason.get(&Reason::UnknownElement), Some(&1));
    let kinds: Vec<_> = stats
        .non_messages_by_kind
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(kinds, ["note", "open", "snoozed"]);
    let ids: Vec<_> = sink.0.iter().map(|c| c.id.as_ref()).collect();
    assert_eq!(
        ids,
        [
            "215468300000004",
            "215468300000001",
            "215468300000002",
            "215468300000003"
        ]
    );
    let lena = &sink.0[1];
    assert_eq!(lena.customer_id.as_deref(), Some("64f0c1a2b3"));
    let m = &lena.messages;
    assert_eq!(m[0].message_id.as_deref(), Some("2031000001"));
    assert_eq!(m[0].text, "My parcel shows delivered but it's not here");
    assert_eq!(
        (m[3].role, m[3].event, m[3].lane.as_deref()),
        (Some(Role::Bot), Some(Event::Assign), Some("5531"))
    );
    assert_eq!(m[4].role, Some(Role::System));
    assert_eq!(
        m[5].text,
        "Hi Lena, I'm Sam.\nI've opened a claim with the carrier."
    );
    assert_eq!(m[6].event, Some(Event::Resolved));
}

#[test]
fn the_fixture_document_is_recognised_from_its_shape() {
    let mut sink = Collect::default();
    let stats = read(&[fixture("conversations.json")], &opts(None), &mut sink).expect("readable");
    assert_eq!(terms(&stats), (23, 19, 1, 3));
    let note = &stats.notes[0];
    assert!(
        note.contains(
            "read as Intercom conversations (profile intercom): an array of conversations"
        ),
        "{note}"
    );
    let skip = &stats.first_skips[0];
    assert_eq!(skip.line, 3, "the third conversation");
    assert!(
        skip.detail
            .starts_with("[2].conversation_parts.conversation_parts[4]: a part of type"),
        "{}",
        skip.detail
    );
}

#[test]
fn one_conversation_a_list_page_and_one_a_line() {
    let one = conversation("c1", vec![part("11", "comment", "bot", "<p>yes</p>")]);
    let (stats, sink) = run("c.json", &one.to_string(), None);
    assert_eq!(terms(&stats), (2, 2, 0, 0));
    assert!(
        stats.notes[0].contains("type: \"conversation\""),
        "{:?}",
        stats.notes
    );
    assert_eq!(sink.0[0].messages[1].conversation_id, "c1");
    let page = json!({"type": "conversation.list", "conversations": [
        conversation("c1", vec![part("11", "note", "admin", "x")]),
        conversation("c2", vec![]),
    ], "total_count": 2, "pages": {"type": "pages", "page": 1}});
    let (stats, sink) = run("p.json", &page.to_string(), None);
    assert_eq!(terms(&stats), (3, 2, 0, 1));
    assert!(
        stats.notes[0].contains("a conversation list"),
        "{:?}",
        stats.notes
    );
    assert_eq!(sink.0.len(), 2);
    let lines = format!(
        "{}\n{}\n",
        conversation("c1", vec![part("11", "close", "bot", "")]),
        conversation("c2", vec![part("21", "comment", "admin", "<p>hi</p>")]),
    );
    let (stats, sink) = run("c.jsonl", &lines, Some(Format::Intercom));
    assert_eq!(terms(&stats), (4, 4, 0, 0));
    assert_eq!(sink.0[1].messages[1].origin.line, 2);
    assert_eq!(sink.0[0].messages[1].event, Some(Event::Resolved));
}

#[test]
fn texts_are_plain_with_notices_for_attachments_and_redaction() {
    let mut with_file = part(
        "11",
        "comment",
        "user",
        "<p>the box &amp; the <b>label</b></p>",
    );
    with_file["attachments"] = json!([{"type": "upload", "name": "box.jpg"}, {"type": "upload"}]);
    let mut redacted = part("12", "comment", "user", "<p>my card is 4111</p>");
    redacted["redacted"] = json!(true);
    let mut c = conversation("c1", vec![with_file, redacted]);
    c["source"]["subject"] = json!("Damaged parcel");
    let (stats, sink) = run("c.json", &c.to_string(), None);
    assert_eq!(terms(&stats), (3, 3, 0, 0));
    let texts: Vec<_> = sink.0[0].messages.iter().map(|m| m.text.as_ref()).collect();
    assert_eq!(
        texts,
        [
            "Damaged parcel\nhello",
            "the box & the label <attachment: box.jpg> <attachment>",
            "<redacted>"
        ]
    );
    assert_eq!(sink.0[0].messages[0].author.as_deref(), Some("Lena"));
}

#[test]
fn the_export_csv_reads_through_the_same_mapping() {
    let csv = "conversation_id,conversation_state,message_id,message_type,message_created_at,message_author_type,message_author_id,message_author_name,message_body\n\
               c4,closed,1,comment,2026-03-05 11:02:10,lead,65aa,,<p>Do you ship?</p>\n\
               c4,closed,2,assignment,2026-03-05 11:02:11,bot,7001,Fin,\n\
               c4,closed,3,note,2026-03-05 11:02:12,admin,814,Sam,<p>vip</p>\n\
               c4,closed,4,comment,2026-03-05 11:02:13,wizard,9,Merlin,hi\n\
               c4,closed,5,close\n";
    let (stats, sink) = run("e.csv", csv, Some(Format::Intercom));
    assert_eq!(terms(&stats), (5, 2, 2, 1));
    assert_eq!(stats.by_reason.get(&Reason::UnknownRole), Some(&1));
    assert_eq!(stats.by_reason.get(&Reason::WrongFieldCount), Some(&1));
    let m = &sink.0[0].messages;
    assert_eq!(
        (
            m[0].text.as_ref(),
            m[0].customer_id.as_deref(),
            m[0].author.as_deref()
        ),
        ("Do you ship?", Some("65aa"), None)
    );
    assert_eq!(
        (m[1].event, m[1].lane.as_deref()),
        (Some(Event::Assign), None)
    );
}

#[test]
fn configured_value_maps_name_lanes_and_other_part_types() {
    let mut assign = part("11", "assignment", "bot", "");
    assign["assigned_to"] = json!({"type": "team", "id": "5531"});
    let reopen = part("12", "assign_and_reopen", "admin", "");
    let doc = conversation("c1", vec![assign, reopen]);
    let mut import = ImportSettings::default();
    import.values.insert(Field::Lane, "5531", "delivery");
    import
        .values
        .insert(Field::Event, "assign_and_reopen", "assign");
    let o = ReadOptions {
        import,
        ..ReadOptions::default()
    };
    let (stats, sink) =
        crate::logs::profiles::tests::run("c.json", &doc.to_string(), &o).expect("readable");
    assert_eq!(terms(&stats), (3, 3, 0, 0));
    let m = &sink.0[0].messages;
    assert_eq!(
        (m[1].event, m[1].lane.as_deref()),
        (Some(Event::Assign), Some("delivery"))
    );
    assert_eq!(
        (m[2].role, m[2].event),
        (Some(Role::Agent), Some(Event::Assign))
    );
}

#[test]
fn documents_that_do_not_fit_stop_or_skip_with_their_path() {
    let listed = json!({"type": "conversation.list", "conversations": [{"type": "conversation", "id": "c1"}]});
    let r = crate::logs::profiles::tests::run(
        "l.json",
        &listed.to_string(),
        &opts(Some(Format::Intercom)),
    );
    let e = r.expect_err("a list without parts");
    let shown = e.to_string();
    assert!(shown.contains("l.json"), "{shown}");
    assert!(shown.contains("conversation_parts"), "{shown}");
    let doc = conversation(
        "c1",
        vec![json!("not a part"), part("12", "comment", "bot", "x")],
    );
    let (stats, _) = run("c.json", &doc.to_string(), None);
    assert_eq!(terms(&stats), (3, 2, 1, 0));
    assert!(
        stats.first_skips[0]
            .detail
            .starts_with("conversation_parts.conversation_parts[0]:"),
        "{}",
        stats.first_skips[0].detail
    );
}

/// One part, good or bad in one of the ways an export is.
fn any_part() -> impl Strategy<Value = Value> {
    (0u8..10, 0u32..40).prop_map(|(k, n)| {
        let id = format!("p{n}");
        match k {
            0 => part(&id, "comment", "user", "<p>hi</p>"),
            1 => part(&id, "comment", "bot", "hello"),
            2 => part(&id, "assignment", "bot", ""),
            3 => part(&id, "close", "admin", ""),
            4 => part(&id, "note", "admin", "x"),
            5 => part(&id, "open", "admin", ""),
            6 => part(&id, "conversation_attribute_updated_by_workflow", "bot", ""),
            7 => part(&id, "comment", "wizard", "x"),
            8 => json!({"id": id, "part_type": "comment", "author": {"type": "user"}, "created_at": "soon"}),
            _ => json!(["not", "a", "part"]),
        }
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Each conversation's source and each of its parts is a record, and each is accounted for.
    #[test]
    fn every_source_and_part_is_accounted_for(
        conversations in prop::collection::vec(prop::collection::vec(any_part(), 0..10), 1..4)
    ) {
        let doc: Vec<Value> = conversations
            .iter()
            .enumerate()
            .map(|(i, parts)| conversation(&format!("c{i}"), parts.clone()))
            .collect();
        let (stats, sink) = run("c.json", &Value::Array(doc).to_string(), None);
        let parts: usize = conversations.iter().map(Vec::len).sum();
        prop_assert_eq!(stats.records, (conversations.len() + parts) as u64);
        prop_assert!(stats.balanced());
        let messages: usize = sink.0.iter().map(|c| c.messages.len()).sum();
        prop_assert_eq!(stats.messages, messages as u64);
        let by_kind: u64 = stats.non_messages_by_kind.values().sum();
        prop_assert_eq!(stats.non_messages, by_kind);
    }
}

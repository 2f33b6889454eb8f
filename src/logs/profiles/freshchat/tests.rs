//! The `freshchat` profile on the deliveries of `tests/fixtures/profiles/freshchat/` and on ones
//! written from the webhook payload article: each action's classification, texts with notices,
//! lanes, recognition, and the accounting law over any mix of deliveries.

use crate::logs::json::doc;
use std::path::PathBuf;

use serde_json::{Map, Value, json};

use crate::logs::accounting::Stats;
use crate::logs::fields::Field;
use crate::logs::json::Kind;
use crate::logs::json::values::ValueMaps;
use crate::logs::profiles::tests::terms;
use crate::logs::record::{Event, Role};
use crate::logs::{Collect, Format, ReadOptions, read};

fn named() -> ReadOptions {
    ReadOptions {
        format: Some(Format::Freshchat),
        ..ReadOptions::default()
    }
}

fn run(name: &str, text: &str, opts: &ReadOptions) -> (Stats, Collect) {
    crate::logs::profiles::tests::run(name, text, opts).expect("readable")
}

fn serde_object(v: Value) -> Map<String, Value> {
    match v {
        Value::Object(o) => o,
        other => panic!("not an object: {other}"),
    }
}

/// A delivery as the profile reads it.
fn object(v: Value) -> doc::Value {
    assert!(v.is_object(), "not an object: {v}");
    doc::from_serde(&v)
}

/// A delivery of `action` by `actor` with `data`.
fn delivery(action: &str, actor: &str, data: Value) -> Value {
    json!({"actor": {"actor_type": actor, "actor_id": format!("{actor}-1")}, "action": action,
        "action_time": "2026-03-07T08:00:00.000Z", "data": data})
}

/// A `message_create` delivery of `parts`, with `extra` keys on the message.
fn message(actor: &str, id: &str, parts: Value, extra: Value) -> Value {
    let mut m = serde_object(
        json!({"message_parts": parts, "id": id, "conversation_id": "c1",
        "actor_type": actor, "message_type": "normal", "user_id": "u1",
        "created_time": "2026-03-07T08:00:00.000Z"}),
    );
    m.extend(serde_object(extra));
    delivery("message_create", actor, json!({ "message": m }))
}

fn said(text: &str) -> Value {
    json!([{"text": {"content": text}}])
}

fn kind(d: Value) -> Kind {
    super::classify(
        &crate::logs::json::doc::Record::new(&object(d)),
        &ValueMaps::default(),
    )
}

#[test]
fn the_fixture_gives_its_messages_events_and_non_messages() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/profiles/freshchat/webhooks.jsonl");
    let mut sink = Collect::default();
    let stats = read(&[path], &named(), &mut sink).expect("readable");
    assert_eq!(terms(&stats), (16, 13, 0, 2));
    assert_eq!(stats.duplicates, 1);
    let kinds: Vec<_> = stats.non_messages_by_kind.iter().collect();
    assert_eq!(
        kinds,
        [
            (&"conversation_reopen".to_owned(), &1),
            (&"note".to_owned(), &1)
        ]
    );
    let f1 = &sink.0[0].messages;
    let events: Vec<_> = f1.iter().map(|m| (m.role, m.event)).collect();
    use Role::{Agent, Bot, Customer};
    assert_eq!(events[3], (Some(Bot), Some(Event::Assign)));
    assert_eq!(
        f1[3].lane.as_deref(),
        Some("4cf5d9b8-0000-4000-8000-000000000g01")
    );
    assert_eq!(events[6], (Some(Agent), Some(Event::Resolved)));
    assert_eq!(
        events[7],
        (Some(Customer), None),
        "the reopen is not a record"
    );
    // The customer's id is on the customer's messages, not on the bot's or the agent's.
    for m in f1 {
        assert_eq!(m.customer_id.is_some(), m.role == Some(Customer), "{m:?}");
    }
    assert_eq!(
        sink.0[0].customer_id.as_deref(),
        Some("9047e655-0000-4000-8000-0000000000u1")
    );
    let f2: Vec<_> = sink.0[1].messages.iter().map(|m| m.text.as_ref()).collect();
    assert_eq!(
        f2,
        [
            "<image>",
            "Thanks! What would you like to do with this photo?",
            "this is the damaged box <file: delivery-note.pdf>",
            ""
        ]
    );
    assert_eq!(sink.0[1].messages[3].role, Some(Role::System));
}

#[test]
fn each_action_is_a_message_an_event_a_non_message_or_unknown() {
    let normal = message("user", "m1", said("hi"), json!({}));
    assert_eq!(kind(normal), Kind::Message);
    let untyped = message("agent", "m2", said("hi"), json!({"message_type": null}));
    assert_eq!(kind(untyped), Kind::Message, "later payloads leave it out");
    let private = message(
        "agent",
        "m3",
        said("psst"),
        json!({"message_type": "private"}),
    );
    assert_eq!(kind(private), Kind::NonMessage("note"));
    let bot_note = message("bot", "m4", said("x"), json!({"botsPrivateNote": true}));
    assert_eq!(kind(bot_note), Kind::NonMessage("note"));
    let odd = message("user", "m5", said("x"), json!({"message_type": "system"}));
    assert!(matches!(kind(odd), Kind::Unknown(w) if w.contains("\"system\"")));
    let empty = delivery("message_create", "user", json!({}));
    assert!(matches!(kind(empty), Kind::Unknown(w) if w.contains("without data.message")));
    for action in ["conversation_assignment", "conversation_resolution"] {
        assert_eq!(kind(delivery(action, "agent", json!({}))), Kind::Message);
    }
    let reopen = delivery("conversation_reopen", "user", json!({}));
    assert_eq!(kind(reopen), Kind::NonMessage("conversation_reopen"));
    let other = delivery("user_create", "user", json!({}));
    assert!(matches!(kind(other), Kind::Unknown(w) if w.contains("\"user_create\"")));
    let mut bad = serde_object(delivery("x", "user", json!({})));
    bad.insert("action".into(), json!(7));
    let bad = object(Value::Object(bad));
    let found = super::classify(
        &crate::logs::json::doc::Record::new(&bad),
        &ValueMaps::default(),
    );
    assert_eq!(found, Kind::Unknown("an action that is 7".into()));
    // `[import.values.event]` may name another action an event.
    let mut values = ValueMaps::default();
    values.insert(Field::Event, "conversation_transfer", "handoff");
    let transfer = object(delivery("conversation_transfer", "bot", json!({})));
    assert_eq!(
        super::classify(&crate::logs::json::doc::Record::new(&transfer), &values),
        Kind::Message
    );
}

fn text_of(parts: Value) -> Option<String> {
    super::text(&crate::logs::json::doc::Record::new(&object(message(
        "user",
        "m",
        parts,
        json!({}),
    ))))
}

#[test]
fn texts_come_first_then_a_notice_for_each_part_without_text() {
    let parts = json!([{"file": {"name": "a.pdf"}}, {"text": {"content": "see"}},
        {"image": {"url": "https://x/y.png"}}, {"text": {"content": "this"}}]);
    assert_eq!(
        text_of(parts).as_deref(),
        Some("see\nthis <file: a.pdf> <image>")
    );
    assert_eq!(
        text_of(json!([{"file": {"url": "u"}}])).as_deref(),
        Some("<file>")
    );
    let button = json!([{"url_button": {"url": "u", "label": "Open"}}]);
    assert_eq!(text_of(button).as_deref(), Some("<url_button>"));
    let blank = json!([{"text": {"content": "  "}}, 3, {}, {"": {}}, {"part_type": ""},
        {"part_type": 1, "properties": {}}, {"text": {"content": 7}}, {"image": {}}]);
    assert_eq!(text_of(blank).as_deref(), Some("<image>"));
    assert_eq!(text_of(json!("not parts")), None);
    let older = object(delivery(
        "message_create",
        "user",
        json!({"message": {"msg_parts": [
            {"part_type": "text", "properties": {"text": "from postman"}},
            {"part_type": "image", "properties": {"url": "u"}}]}}),
    ));
    let older = super::text(&crate::logs::json::doc::Record::new(&older));
    assert_eq!(older.as_deref(), Some("from postman <image>"));
}

#[test]
fn an_assignment_to_an_agent_has_the_agent_as_its_lane() {
    let assign = |group: &str, agent: &str| {
        delivery(
            "conversation_assignment",
            "system",
            json!({"assignment": {"assignor": "system", "to_agent_id": agent, "to_group_id": group,
                "conversation": {"conversation_id": "c1"}}}),
        )
    };
    let lines = [
        message("user", "m1", said("hi"), json!({})),
        assign("", "agent-7"),
        assign("group-2", "agent-7"),
    ];
    let text: String = lines.iter().map(|l| format!("{l}\n")).collect();
    let (stats, sink) = run("h.jsonl", &text, &named());
    assert_eq!(terms(&stats), (3, 3, 0, 0));
    let lanes: Vec<_> = sink.0[0]
        .messages
        .iter()
        .map(|m| m.lane.as_deref())
        .collect();
    assert_eq!(lanes, [None, Some("agent-7"), Some("group-2")]);
    assert_eq!(sink.0[0].messages[1].role, Some(Role::System));
}

#[test]
fn an_array_of_deliveries_is_recognised_and_anything_else_named_stops() {
    let doc = json!([
        message("user", "m1", said("hi"), json!({})),
        message("bot", "m2", said("hello"), json!({})),
    ]);
    let (stats, sink) = run("h.json", &doc.to_string(), &ReadOptions::default());
    assert_eq!(terms(&stats), (2, 2, 0, 0));
    let note = &stats.notes[0];
    assert!(note.contains("(profile freshchat)"), "{note}");
    assert_eq!(sink.0[0].messages[1].role, Some(Role::Bot));
    let e = crate::logs::profiles::tests::run("h.jsonl", "{\"foo\": 1}\n", &named())
        .expect_err("not a delivery");
    let shown = e.to_string();
    assert!(
        shown.contains("at $: expected Freshchat webhook deliveries"),
        "{shown}"
    );
}

/// One delivery, good or bad in one of the ways a webhook log is.
fn any_delivery() -> impl proptest::strategy::Strategy<Value = Value> {
    use proptest::strategy::Strategy;
    (0u8..10, 0u8..4).prop_map(|(k, id)| {
        let id = format!("m{id}");
        match k {
            0 => message("user", &id, said("hi"), json!({})),
            1 => message("bot", &id, json!([{"image": {}}]), json!({})),
            2 => message(
                "agent",
                &id,
                said("note"),
                json!({"message_type": "private"}),
            ),
            3 => delivery("conversation_reopen", "user", json!({})),
            4 => delivery(
                "conversation_resolution",
                "agent",
                json!({"resolve": {"conversation": {"conversation_id": "c1"}}}),
            ),
            5 => delivery("user_create", "user", json!({})),
            6 => message("robot", &id, said("x"), json!({})),
            7 => delivery("conversation_assignment", "bot", json!({})),
            8 => json!([1]),
            _ => message("user", &id, said("x"), json!({"created_time": "soon"})),
        }
    })
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(32))]

    /// Every line is a message, a skip, a duplicate or a non-message.
    #[test]
    fn every_delivery_is_accounted_for(
        lines in proptest::collection::vec(any_delivery(), 1..16)
    ) {
        // The first line decides the records path: a delivery, as a log's first line is.
        let mut text = format!("{}\n", message("user", "m0", said("first"), json!({})));
        text.extend(lines.iter().map(|l| format!("{l}\n")));
        let (stats, sink) = run("h.jsonl", &text, &named());
        proptest::prop_assert_eq!(stats.records, lines.len() as u64 + 1);
        proptest::prop_assert!(stats.balanced());
        let messages: usize = sink.0.iter().map(|c| c.messages.len()).sum();
        proptest::prop_assert_eq!(stats.messages, messages as u64);
        let by_kind: u64 = stats.non_messages_by_kind.values().sum();
        proptest::prop_assert_eq!(stats.non_messages, by_kind);
    }
}

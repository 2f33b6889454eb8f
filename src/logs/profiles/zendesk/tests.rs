//! The `zendesk` profile: each kind of webhook event, Conversation Log event and ticket comment
//! classified, texts composed, the ticket id read from where a page was saved, and the accounting
//! law over the fixtures of `tests/fixtures/profiles/zendesk/` and over generated webhook logs.

use crate::logs::json::doc;
use std::path::PathBuf;

use proptest::prelude::*;
use serde_json::{Value, json};

use super::{classify, given, text, ticket_of};
use crate::logs::accounting::{Reason, Stats};
use crate::logs::fields::Field;
use crate::logs::json::Kind;
use crate::logs::json::values::ValueMaps;
use crate::logs::profiles::tests::terms;
use crate::logs::record::{Event, Role};
use crate::logs::{Collect, Format, ReadOptions, read};

fn obj(v: Value) -> doc::Value {
    assert!(v.is_object(), "not an object: {v}");
    doc::from_serde(&v)
}

/// The profile's own value maps, as a run without configuration has them.
fn profile_values() -> ValueMaps {
    let mut m = ValueMaps::default();
    for (field, map) in super::PROFILE.values {
        for (from, to) in *map {
            m.insert(*field, from, to);
        }
    }
    m
}

fn kind(rec: Value) -> Kind {
    classify(
        &crate::logs::json::doc::Record::new(&obj(rec)),
        &profile_values(),
    )
}

fn event(kind: &str, payload: Value) -> Value {
    json!({"id": "ev", "createdAt": "2026-03-03T10:00:00.000Z", "type": kind, "payload": payload})
}

fn message(author: Value, content: Value) -> Value {
    event(
        "conversation:message",
        json!({"conversation": {"id": "c1"}, "message": {"id": "m1", "author": author, "content": content}}),
    )
}

fn run(name: &str, text: &str, opts: &ReadOptions) -> (Stats, Collect) {
    crate::logs::profiles::tests::run(name, text, opts).expect("readable")
}

fn zendesk() -> ReadOptions {
    ReadOptions {
        format: Some(Format::Zendesk),
        ..ReadOptions::default()
    }
}

const CUSTOMER: Kind = Kind::MessageWith(&[(Field::Role, "customer")]);
const BOT: Kind = Kind::MessageWith(&[(Field::Role, "bot")]);
const AGENT: Kind = Kind::MessageWith(&[(Field::Role, "agent")]);
const SYSTEM: Kind = Kind::MessageWith(&[(Field::Role, "system")]);

#[test]
fn webhook_messages_take_their_role_from_the_author_and_its_subtypes() {
    let text = json!({"type": "text", "text": "hi"});
    let cases = [
        (json!({"type": "user", "userId": "u1"}), CUSTOMER),
        (json!({"type": "business", "subtypes": ["AI"]}), BOT),
        (json!({"type": "business", "subtypes": ["bot"]}), BOT),
        (
            json!({"type": "business", "subtypes": ["activity"]}),
            SYSTEM,
        ),
        (json!({"type": "business", "displayName": "Priya"}), AGENT),
        (json!({"type": "business", "subtypes": []}), AGENT),
    ];
    for (author, want) in cases {
        assert_eq!(
            kind(message(author.clone(), text.clone())),
            want,
            "{author}"
        );
    }
    assert!(matches!(
        kind(message(json!({"type": "robot"}), text.clone())),
        Kind::Unknown(d) if d.contains("\"robot\"")
    ));
    assert!(matches!(
        kind(message(json!({"type": "user"}), json!({"type": "hologram"}))),
        Kind::Unknown(d) if d.contains("content type \"hologram\"")
    ));
    let deleted = event(
        "conversation:message",
        json!({"message": {"author": {"type": "user"}, "content": {}, "deleted": true}}),
    );
    assert_eq!(
        kind(deleted),
        CUSTOMER,
        "a deleted message keeps no content"
    );
    assert!(matches!(
        kind(event("conversation:message", json!({}))),
        Kind::Unknown(_)
    ));
}

#[test]
fn webhook_events_are_handoffs_postbacks_non_messages_or_unknown() {
    let payload = json!({"conversation": {"id": "c1"}});
    assert_eq!(
        kind(event("switchboard:passControl", payload.clone())),
        SYSTEM
    );
    assert_eq!(
        kind(event("switchboard:acceptControl", payload.clone())),
        SYSTEM
    );
    assert_eq!(
        kind(event("conversation:postback", payload.clone())),
        CUSTOMER
    );
    for k in [
        "switchboard:offerControl",
        "conversation:read",
        "conversation:typing",
        "switchboard:releaseControl",
        "conversation:message:delivery:user",
        "user:merge",
    ] {
        assert_eq!(kind(event(k, payload.clone())), Kind::NonMessage(k), "{k}");
    }
    assert!(matches!(
        kind(event("conversation:teleport", payload.clone())),
        Kind::Unknown(d) if d.contains("\"conversation:teleport\"")
    ));
    // A run that maps control moves to no event counts them as what they are.
    let mut values = profile_values();
    values.insert(Field::Event, "switchboard:passControl", "");
    let pass = obj(event("switchboard:passControl", payload.clone()));
    assert_eq!(
        classify(&crate::logs::json::doc::Record::new(&pass), &values),
        Kind::NonMessage("switchboard:passControl")
    );
    values.insert(Field::Event, "switchboard:releaseControl", "resolved");
    let release = obj(event("switchboard:releaseControl", payload));
    assert_eq!(
        classify(&crate::logs::json::doc::Record::new(&release), &values),
        SYSTEM
    );
}

#[test]
fn log_events_and_comments_are_messages_or_notes() {
    let log = |kind: &str, author: &str, public: Value| {
        json!({"id": "e", "type": kind, "created_at": "2026-03-06T08:15:00Z",
            "author": {"type": author}, "content": {"type": "html", "body": "<p>x</p>"},
            "metadata": {"public": public}})
    };
    assert_eq!(
        kind(log("Comment", "agent", json!(false))),
        Kind::NonMessage("note")
    );
    assert_eq!(kind(log("Comment", "agent", json!(true))), AGENT);
    assert_eq!(kind(log("Comment", "user", Value::Null)), CUSTOMER);
    let mut bot = log("Messaging::ConversationMessage", "bot", Value::Null);
    bot["content"] = json!({"type": "text", "text": "hello"});
    assert_eq!(kind(bot.clone()), BOT);
    bot["content"] = json!({"type": "hologram"});
    assert!(matches!(kind(bot), Kind::Unknown(d) if d.contains("\"hologram\"")));
    assert!(matches!(
        kind(log("Voice::Call", "user", Value::Null)),
        Kind::Unknown(d) if d.contains("\"Voice::Call\"")
    ));
    assert!(matches!(
        kind(log("Comment", "robot", json!(true))),
        Kind::Unknown(_)
    ));
    let comment = |public: Value| json!({"id": 1, "type": "Comment", "author_id": 7, "body": "x", "public": public});
    assert_eq!(kind(comment(json!(false))), Kind::NonMessage("note"));
    assert_eq!(kind(comment(json!(true))), Kind::Message);
    assert!(matches!(
        kind(json!({"type": "Tweet", "author_id": 7, "public": true})),
        Kind::Unknown(_)
    ));
    assert!(matches!(kind(json!({"hello": 1})), Kind::Unknown(_)));
}

#[test]
fn texts_are_contents_notices_and_plain_comment_bodies() {
    let t = |rec: Value| text(&crate::logs::json::doc::Record::new(&obj(rec)));
    let user = json!({"type": "user"});
    let cases = [
        (json!({"type": "text", "text": "hi"}), "hi"),
        (
            json!({"type": "image", "mediaUrl": "https://x/a.jpg", "altText": "a.jpg"}),
            "<image>",
        ),
        (
            json!({"type": "image", "text": "the box"}),
            "<image> the box",
        ),
        (
            json!({"type": "file", "mediaUrl": "https://x/y/invoice.pdf?sig=1"}),
            "<file: invoice.pdf>",
        ),
        (json!({"type": "file"}), "<file>"),
        (
            json!({"type": "location", "location": {"address": "1 Main St"}}),
            "<location> 1 Main St",
        ),
        (
            json!({"type": "formResponse", "textFallback": "Size: M"}),
            "Size: M",
        ),
        (json!({"type": "formResponse"}), "<form response>"),
        (json!({"type": "carousel", "items": []}), "<carousel>"),
    ];
    for (content, want) in cases {
        assert_eq!(
            t(message(user.clone(), content.clone())).as_deref(),
            Some(want),
            "{content}"
        );
    }
    let postback = event(
        "conversation:postback",
        json!({"postback": {"payload": "RATE_5"}}),
    );
    assert_eq!(t(postback).as_deref(), Some("<postback>"));
    assert_eq!(t(event("switchboard:passControl", json!({}))), None);
    let comment = json!({"author_id": 7, "html_body": "<p>a &amp; b</p>", "body": "a & b",
        "attachments": [{"file_name": "x.pdf"}, {"id": 2}]});
    assert_eq!(
        t(comment).as_deref(),
        Some("a & b <attachment: x.pdf> <attachment>")
    );
    let plain = json!({"author_id": 7, "html_body": "", "plain_body": "", "body": " typed "});
    assert_eq!(t(plain).as_deref(), Some("typed"));
    let log = json!({"type": "Comment", "author": {"type": "agent"},
        "content": {"type": "html", "body": "<p>one<br>two</p>"}, "attachments": [{"file_name": "f.png"}]});
    assert_eq!(t(log).as_deref(), Some("one\ntwo <attachment: f.png>"));
}

#[test]
fn a_ticket_page_is_named_by_where_it_was_saved() {
    assert_eq!(
        ticket_of("conversation-log/4711.json").as_deref(),
        Some("4711")
    );
    assert_eq!(
        ticket_of("exports/comments/4712.JSON.gz").as_deref(),
        Some("4712")
    );
    assert_eq!(
        ticket_of("tickets/4713/conversation_log.json").as_deref(),
        Some("4713")
    );
    assert_eq!(
        ticket_of("tickets/4714/comments.jsonl").as_deref(),
        Some("4714")
    );
    for name in [
        "4711.json",
        "logs/4711.json",
        "conversation-log/ticket-4711.json",
        "exports/comments.json",
        "-",
        "",
    ] {
        assert_eq!(ticket_of(name), None, "{name}");
    }
    let body = json!({"app": {"id": "a"}, "events": []});
    assert!(
        given(&doc::from_serde(&body), "conversation-log/1.json").is_empty(),
        "webhooks name their conversations"
    );
    let page = json!({"events": [], "meta": {"has_more": false}});
    assert_eq!(
        given(&doc::from_serde(&page), "conversation-log/1.json"),
        [(Field::ConversationId, "1".to_owned())]
    );
}

#[test]
fn comments_need_their_authors_to_have_a_role() {
    let page = json!({"comments": [
        {"id": 1, "type": "Comment", "author_id": 7001, "html_body": "<p>hi</p>", "public": true, "created_at": "2026-03-07T09:00:00Z"},
        {"id": 2, "type": "Comment", "author_id": 901, "html_body": "<p>hello</p>", "public": true, "created_at": "2026-03-07T09:01:00Z"}
    ], "count": 2});
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("comments").join("55.json");
    std::fs::create_dir_all(path.parent().expect("a folder")).expect("folder");
    std::fs::write(&path, page.to_string()).expect("written");
    let mut sink = Collect::default();
    let stats = read(
        std::slice::from_ref(&path),
        &ReadOptions::default(),
        &mut sink,
    )
    .expect("readable");
    assert_eq!(terms(&stats), (2, 0, 2, 0));
    assert_eq!(stats.by_reason.get(&Reason::MissingRole), Some(&2));
    assert!(
        stats.first_skips[0].detail.starts_with("comments[0]: "),
        "{:?}",
        stats.first_skips
    );
    // Without `users[]`, `[import.values.role]` may name the authors by id.
    let mut opts = ReadOptions::default();
    opts.import.values.insert(Field::Role, "7001", "customer");
    opts.import.values.insert(Field::Role, "901", "agent");
    let mut sink = Collect::default();
    let stats = read(&[path], &opts, &mut sink).expect("readable");
    assert_eq!(terms(&stats), (2, 2, 0, 0));
    let m = &sink.0[0].messages;
    assert_eq!(sink.0[0].id, "55");
    assert_eq!(
        (m[0].role, m[0].customer_id.as_deref()),
        (Some(Role::Customer), Some("7001"))
    );
    assert_eq!(
        (m[1].role, m[1].customer_id.as_deref()),
        (Some(Role::Agent), None)
    );
}

#[test]
fn a_configured_display_name_makes_a_rule_based_bot_a_bot() {
    let mut reply = message(
        json!({"type": "business", "displayName": "Order Bot"}),
        json!({"type": "text", "text": "hello"}),
    );
    reply["payload"]["message"]["id"] = json!("m2");
    let body = json!({"app": {"id": "a"}, "events": [
        message(json!({"type": "user", "userId": "u1"}), json!({"type": "text", "text": "hi"})),
        reply
    ]});
    let (_, sink) = run("w.json", &body.to_string(), &ReadOptions::default());
    assert_eq!(sink.0[0].messages[1].role, Some(Role::Agent));
    let mut opts = ReadOptions::default();
    opts.import.values.insert(Field::Role, "Order Bot", "bot");
    let (stats, sink) = run("w.json", &body.to_string(), &opts);
    assert!(
        stats.notes[0].contains("(profile zendesk)"),
        "{:?}",
        stats.notes
    );
    let roles: Vec<_> = sink.0[0].messages.iter().map(|m| m.role).collect();
    assert_eq!(roles, [Some(Role::Customer), Some(Role::Bot)]);
    assert_eq!(sink.0[0].messages[0].customer_id.as_deref(), Some("u1"));
}

#[test]
fn recognition_keeps_rasa_trackers_and_zendesk_pages_apart() {
    let tracker = json!({"sender_id": "s", "events": [{"event": "user", "text": "hi"}]});
    let (stats, _) = run("t.json", &tracker.to_string(), &ReadOptions::default());
    assert!(
        stats.notes[0].contains("(profile rasa)"),
        "{:?}",
        stats.notes
    );
    let bodies = json!([{"app": {"id": "a"}, "events": [
        event("conversation:typing", json!({"conversation": {"id": "c"}}))
    ]}]);
    let (stats, _) = run("w.json", &bodies.to_string(), &ReadOptions::default());
    assert!(
        stats.notes[0].contains("(profile zendesk)"),
        "{:?}",
        stats.notes
    );
    assert_eq!(terms(&stats), (1, 0, 0, 1));
    let e = crate::logs::profiles::tests::run("x.json", r#"{"tickets": []}"#, &zendesk())
        .expect_err("not a Zendesk document");
    assert!(
        e.to_string()
            .contains("Sunshine Conversations webhook bodies"),
        "{e}"
    );
}

/// `tests/fixtures/profiles/zendesk/` from the crate root.
fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/profiles/zendesk")
        .join(name)
}

#[test]
fn the_fixtures_keep_the_accounting_law() {
    let inputs = [
        fixture("comments/4712.json"),
        fixture("conversation-log/4711.json"),
        fixture("sunco-webhooks.jsonl"),
    ];
    let mut sink = Collect::default();
    let stats = read(&inputs, &zendesk(), &mut sink).expect("readable");
    assert!(stats.balanced(), "{}", stats.summary());
    assert_eq!(
        (
            stats.records,
            stats.messages,
            stats.skipped,
            stats.duplicates,
            stats.non_messages
        ),
        (27, 21, 0, 1, 5)
    );
    assert_eq!(stats.non_messages_by_kind.get("note"), Some(&2));
    let ids: Vec<&str> = sink.0.iter().map(|c| c.id.as_ref()).collect();
    assert_eq!(
        ids,
        [
            "4712",
            "4711",
            "65c1d2e3f4a5b6c7d8e9f001",
            "65c1d2e3f4a5b6c7d8e9f002"
        ]
    );
    let handoffs = sink.0.iter().flat_map(|c| &c.messages);
    let handoffs = handoffs.filter(|m| m.event == Some(Event::Handoff)).count();
    assert_eq!(handoffs, 2, "passControl and acceptControl");
    assert_eq!(
        sink.0[1].customer_id.as_deref(),
        Some("65c0000000000000000000a3")
    );
}

/// One event of a webhook body, good or bad in one of the ways a webhook log is.
fn webhook_event() -> impl Strategy<Value = Value> {
    (0u8..10, 0u8..4).prop_map(|(kind, id)| {
        let conversation = json!({"id": format!("c{}", id % 2)});
        let msg = |author: Value, content: Value| {
            event(
                "conversation:message",
                json!({"conversation": conversation, "message": {"id": format!("m{id}"),
                    "received": "2026-03-03T10:00:00.000Z", "author": author, "content": content}}),
            )
        };
        match kind {
            0 => msg(json!({"type": "user", "userId": "u"}), json!({"type": "text", "text": "hi"})),
            1 => msg(json!({"type": "business", "subtypes": ["AI"]}), json!({"type": "image"})),
            2 => msg(json!({"type": "business"}), json!({"type": "hologram"})),
            3 => event("switchboard:passControl", json!({"conversation": conversation})),
            4 => event("conversation:typing", json!({"conversation": conversation})),
            5 => event("conversation:teleport", json!({})),
            6 => event("conversation:postback", json!({"postback": {"actionName": "Yes"}})),
            7 => msg(json!({"type": "user"}), json!({"type": "text", "text": {"nested": 1}})),
            8 => json!({"id": "x", "type": "conversation:message", "payload": {"conversation": conversation,
                "message": {"received": "soon", "author": {"type": "user"}, "content": {"type": "text", "text": "x"}}}}),
            _ => json!(7),
        }
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Every event of every body is a message, a skip, a duplicate or a non-message.
    #[test]
    fn every_webhook_event_is_accounted_for(
        bodies in prop::collection::vec(prop::collection::vec(webhook_event(), 0..8), 1..6)
    ) {
        let lines: Vec<String> = bodies
            .iter()
            .map(|events| json!({"app": {"id": "a"}, "events": events}).to_string())
            .collect();
        let (stats, sink) = run("w.jsonl", &(lines.join("\n") + "\n"), &zendesk());
        let elements: usize = bodies.iter().map(Vec::len).sum();
        prop_assert_eq!(stats.records, elements as u64);
        prop_assert!(stats.balanced());
        let messages: usize = sink.0.iter().map(|c| c.messages.len()).sum();
        prop_assert_eq!(stats.messages, messages as u64);
        let by_kind: u64 = stats.non_messages_by_kind.values().sum();
        prop_assert_eq!(stats.non_messages, by_kind);
    }
}

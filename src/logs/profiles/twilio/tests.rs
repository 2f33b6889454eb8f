//! The `twilio` profile on resources written from the Conversation Message resource and the
//! TaskRouter event references: roles from authors, the task's creation, a reservation's
//! acceptance and the task's completion as handoff, assignment and resolution, the conversation
//! read from the task's attributes (JSON text), media as notices, the customer's address as their
//! id, the Event resource's own layout, and the accounting law over the fixture and over records
//! of every kind.

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

/// An Event resource of the conversation `CH1`.
fn event(sid: &str, kind: &str, second: u32, data: Value) -> Value {
    let mut data = data;
    data["task_attributes"] = json!(json!({"conversationSid": "CH1"}).to_string());
    json!({"event_type": kind, "sid": sid, "event_date": format!("2026-03-04T10:00:{second:02}Z"),
        "event_data": data})
}

fn message(sid: &str, author: &str, body: &str, second: u32) -> Value {
    json!({"conversation_sid": "CH1", "sid": sid, "author": author, "body": body,
        "date_created": format!("2026-03-04T10:00:{second:02}Z")})
}

#[test]
fn messages_and_task_events_read_as_one_conversation() {
    let queue = json!({"task_queue_name": "Billing"});
    let worker = json!({"task_queue_name": "Billing", "worker_name": "marta"});
    let doc = json!([
        message("IM1", "+15550001", "hi", 0),
        message("IM2", "system", "hello", 1),
        event("EV1", "task.created", 2, json!({})),
        event("EV2", "reservation.created", 3, worker.clone()),
        event("EV3", "reservation.accepted", 4, worker),
        {"event_type": "worker.activity.update", "sid": "EV4", "event_data": {}},
        message("IM3", "marta", "on it", 9),
        event("EV5", "task.completed", 20, queue),
        event("EV6", "task.teleported", 21, json!({})),
    ]);
    let (stats, sink) = run("t.json", &doc.to_string(), None);
    assert_eq!(terms(&stats), (9, 6, 1, 2));
    let note = &stats.notes[0];
    assert!(note.contains("(profile twilio)"), "{note}");
    assert!(
        stats.first_skips[0]
            .detail
            .starts_with("[8]: a TaskRouter event of type \"task.teleported\""),
        "{:?}",
        stats.first_skips
    );
    assert_eq!(
        stats.non_messages_by_kind.get("reservation.created"),
        Some(&1)
    );
    let m = &sink.0[0].messages;
    let read: Vec<_> = m
        .iter()
        .map(|m| (m.role, m.event, m.lane.as_deref(), m.author.as_deref()))
        .collect();
    use Role::{Agent, Bot, Customer, System};
    assert_eq!(
        read,
        [
            (Some(Customer), None, None, Some("+15550001")),
            (Some(Bot), None, None, Some("system")),
            (Some(System), Some(Event::Handoff), None, None),
            (
                Some(Agent),
                Some(Event::Assign),
                Some("Billing"),
                Some("marta")
            ),
            (Some(Agent), None, None, Some("marta")),
            // The completion names the queue, but a lane belongs to a handoff or an assignment.
            (Some(System), Some(Event::Resolved), None, None),
        ]
    );
    assert_eq!(m[2].message_id.as_deref(), Some("EV1"));
}

#[test]
fn media_are_notices_and_the_customer_is_their_address() {
    let mut photo = message("IM1", "whatsapp:+447700900123", "", 0);
    photo["body"] = Value::Null;
    photo["media"] =
        json!([{"sid": "ME1", "content_type": "image/jpeg", "filename": "IMG_7781.jpg"}]);
    let mut captioned = message("IM2", "whatsapp:+447700900123", "the box", 1);
    captioned["media"] = json!([{"filename": "a.pdf"}, {"content_type": "image/png"}]);
    let mut plain = message("IM3", "system", "thanks", 2);
    plain["media"] = Value::Null;
    let lines: Vec<String> = [photo, captioned, plain]
        .iter()
        .map(Value::to_string)
        .collect();
    let (stats, sink) = run("t.jsonl", &lines.join("\n"), Some(Format::Twilio));
    assert_eq!(terms(&stats), (3, 3, 0, 0));
    let m = &sink.0[0].messages;
    let texts: Vec<_> = m.iter().map(|m| m.text.as_ref()).collect();
    assert_eq!(
        texts,
        [
            "<attachment: IMG_7781.jpg>",
            "the box <attachment: a.pdf> <attachment>",
            "thanks"
        ]
    );
    let ids: Vec<_> = m.iter().map(|m| m.customer_id.as_deref()).collect();
    let address = Some("whatsapp:+447700900123");
    assert_eq!(ids, [address, address, None]);
    assert_eq!(sink.0[0].customer_id.as_deref(), address);
}

#[test]
fn event_streams_envelopes_carry_their_event_in_the_payload() {
    let attrs = json!({"conversationSid": "CH9"}).to_string();
    let line = json!({"specversion": "1.0", "type": "com.twilio.taskrouter.reservation.accepted",
        "id": "NO1", "time": "2026-03-09T15:03:55.000Z",
        "data": {"sid": "EV6", "payload": {"sid": "EV6", "eventtype": "reservation.accepted",
            "timestamp": "2026-03-09T15:03:55.000Z", "task_attributes": attrs,
            "task_queue_name": "Tech Support", "worker_name": "alice"}}});
    let (stats, sink) = run("e.jsonl", &format!("{line}\n"), Some(Format::Twilio));
    assert_eq!(terms(&stats), (1, 1, 0, 0));
    let m = &sink.0[0].messages[0];
    assert_eq!(sink.0[0].id, "CH9");
    assert_eq!(
        (m.message_id.as_deref(), m.role, m.event, m.lane.as_deref()),
        (
            Some("EV6"),
            Some(Role::Agent),
            Some(Event::Assign),
            Some("Tech Support")
        )
    );
}

#[test]
fn a_configured_author_role_wins_over_the_author_shape() {
    let line = json!({"conversation_sid": "CH1", "author": "studio-bot", "body": "hi"});
    let mut opts = ReadOptions {
        format: Some(Format::Twilio),
        ..ReadOptions::default()
    };
    opts.import
        .values
        .insert(crate::logs::fields::Field::Role, "studio-bot", "bot");
    let (stats, sink) =
        crate::logs::profiles::tests::run("t.jsonl", &format!("{line}\n"), &opts).expect("reads");
    assert_eq!(stats.messages, 1);
    assert_eq!(sink.0[0].messages[0].role, Some(Role::Bot));
}

#[test]
fn the_fixture_keeps_the_accounting_law() {
    let files = ["messages.jsonl", "taskrouter-events.jsonl"];
    let (stats, sink) = fixture("twilio", &files, Some(Format::Twilio));
    assert_eq!(terms(&stats), (14, 9, 0, 5));
    assert_eq!(
        stats.non_messages_by_kind.get("reservation.created"),
        Some(&2)
    );
    let events: Vec<_> = sink.0[0].messages.iter().filter_map(|m| m.event).collect();
    assert_eq!(events, [Event::Handoff, Event::Assign, Event::Resolved]);
}

/// One record: a message or an event, of a kind the references list or not.
fn record() -> impl Strategy<Value = Value> {
    let kinds = prop::sample::select(vec![
        "task.created",
        "reservation.created",
        "reservation.accepted",
        "task.completed",
        "worker.activity.update",
        "task.teleported",
    ]);
    (0u8..6, kinds, 0u32..60).prop_map(|(shape, kind, second)| match shape {
        0 => message(&format!("IM{second}"), "+15550001", "hi", second),
        1 => message(&format!("IM{second}"), "system", "hello", second),
        2 => json!({"conversation_sid": "CH1", "author": "+1", "media": [{"filename": 3}]}),
        3 => json!({"unrelated": true}),
        _ => event(
            &format!("EV{second}"),
            kind,
            second,
            json!({"worker_name": "w"}),
        ),
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    /// Every message and event is a message, a skip, a duplicate or a non-message.
    #[test]
    fn every_record_is_accounted_for(more in prop::collection::vec(record(), 0..20)) {
        // The first line decides how the file is read (one that fits no layout stops the run).
        let mut records = vec![message("IM0", "+15550001", "hi", 0)];
        records.extend(more);
        let lines: Vec<String> = records.iter().map(Value::to_string).collect();
        let (stats, sink) = run("t.jsonl", &lines.join("\n"), Some(Format::Twilio));
        prop_assert_eq!(stats.records, records.len() as u64);
        prop_assert!(stats.balanced());
        let messages: usize = sink.0.iter().map(|c| c.messages.len()).sum();
        prop_assert_eq!(stats.messages, messages as u64);
    }
}

//! The `twilio` profile on resources written from the Conversation Message resource and the
//! TaskRouter event references: roles from authors, reservations as handoff, assignment and
//! resolution, the conversation read from the task's attributes (JSON text), and the Event
//! resource's own layout.

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

#[test]
fn messages_and_reservation_events_read_as_one_conversation() {
    let attrs = json!({"conversationSid": "CH1"}).to_string();
    let doc = json!([
        {"conversation_sid": "CH1", "sid": "IM1", "author": "+15550001", "body": "hi", "date_created": "2026-03-04T10:00:00Z"},
        {"conversation_sid": "CH1", "sid": "IM2", "author": "system", "body": "hello", "date_created": "2026-03-04T10:00:01Z"},
        {"event_type": "reservation.created", "sid": "EV1", "event_date": "2026-03-04T10:00:02Z",
            "event_data": {"task_attributes": attrs, "task_queue_name": "Billing", "worker_name": "marta"}},
        {"event_type": "reservation.timeout", "sid": "EV2", "event_data": {"task_attributes": attrs}},
        {"event_type": "worker.activity.update", "sid": "EV3", "event_data": {}},
        {"conversation_sid": "CH1", "sid": "IM3", "author": "marta", "body": "on it", "date_created": "2026-03-04T10:00:09Z",
            "attributes": "{\"x\": 1}"},
    ]);
    let (stats, sink) = run("t.json", &doc.to_string(), None);
    assert_eq!(terms(&stats), (6, 4, 0, 2));
    let note = &stats.notes[0];
    assert!(note.contains("(profile twilio)"), "{note}");
    let m = &sink.0[0].messages;
    let roles: Vec<_> = m.iter().map(|m| m.role).collect();
    use Role::{Agent, Bot, Customer, System};
    assert_eq!(
        roles,
        [Some(Customer), Some(Bot), Some(System), Some(Agent)]
    );
    assert_eq!(
        (m[2].event, m[2].lane.as_deref()),
        (Some(Event::Handoff), Some("Billing"))
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

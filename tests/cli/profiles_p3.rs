//! Platform profiles on fixtures written from each platform's documented layout: `salesforce`
//! (ConversationEntry rows, JSON and CSV), `dialogflow-cx` (interaction log turns fanned out into
//! customer and bot messages) and `twilio` (Conversations messages with Flex TaskRouter
//! reservations), converted to canonical records with every record accounted for.

use crate::{Run, root};

fn fixtures(name: &str) -> std::path::PathBuf {
    root().join("tests/fixtures/json").join(name)
}

/// The `inputs` of a JSON replay report of `args`, in `dir`.
fn inputs(dir: std::path::PathBuf, args: &[&str]) -> serde_json::Value {
    let matrix = root().join("tests/fixtures/replay/matrix.yaml");
    let matrix = matrix.display().to_string();
    let mut all = vec!["replay", matrix.as_str()];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--format", "json"]);
    Run::new(all).dir(dir).run().code(0).json()["inputs"].clone()
}

#[test]
fn salesforce_conversation_entries_convert_from_json_and_csv() {
    let out = Run::new(["convert", "entries.json"])
        .dir(fixtures("salesforce"))
        .run()
        .code(0)
        .stderr_has("note: entries.json: read as Salesforce ConversationEntry rows (profile salesforce): a query result whose records[] are ConversationEntry rows")
        .stderr_has("entries.json:9: skipped (unknown element): records[8]: an entry of type \"SessionTeleported\"")
        .stderr_has("read 9 records: 5 messages, 1 skipped (1 unknown element), 1 duplicate, 2 not messages (1 ChatbotEstablished, 1 EndUserOptedOut)\n");
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(lines.len(), 5);
    assert_eq!(
        lines[0],
        r#"{"conversation_id":"0Mw5e000000AAA1","message_id":"0Mw000000000002","timestamp":"2026-03-02T09:00:05Z","role":"customer","author":"Ana Ruiz","text":"my card was charged twice"}"#
    );
    assert!(
        lines[2].ends_with(r#""role":"bot","author":"Service Bot","text":"Transferring to an agent","event":"handoff"}"#),
        "{}",
        lines[2]
    );
    assert!(lines[4].contains(r#""role":"agent","author":"Lee""#));
    let report = inputs(fixtures("salesforce"), &["entries.json"]);
    assert_eq!(
        report,
        serde_json::json!({"records": 9, "messages": 5, "skipped": 1, "skipped_by_reason": {"unknown_element": 1},
            "duplicates": 1, "non_messages": 2,
            "non_messages_by_kind": {"ChatbotEstablished": 1, "EndUserOptedOut": 1}})
    );
    let out = Run::new(["convert", "--input-format", "salesforce", "entries.csv"])
        .dir(fixtures("salesforce"))
        .run()
        .code(0)
        .stderr_has("entries.csv:6: skipped (unknown role): $: unknown role \"Robot\"")
        .stderr_has("read 7 records: 4 messages, 2 skipped (1 unknown role, 1 wrong number of fields), 0 duplicates, 1 not a message (1 ChatbotClosedIdleSession)\n");
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(
        lines[2],
        r#"{"conversation_id":"0Mw5e000000BBB2","message_id":"0Mw0000000000A3","timestamp":"2026-03-03T14:00:09Z","role":"bot","author":"Service Bot","text":"","event":"handoff"}"#
    );
    assert!(lines[1].contains(r#""text":"Sorry, I didn't get that.""#));
}

#[test]
fn dialogflow_cx_turns_fan_out_into_customer_and_bot_messages() {
    let out = Run::new(["convert", "--input-format", "dialogflow-cx", "turns.jsonl"])
        .dir(fixtures("dialogflow-cx"))
        .run()
        .code(0)
        .stderr_has("turns.jsonl:6: skipped (unknown element): response.queryResult.responseMessages[0]: a response message with keys toolCall")
        .stderr_has("turns.jsonl:7: skipped (invalid JSON)")
        .stderr_has("read 18 records: 12 messages, 2 skipped (1 invalid JSON, 1 unknown element), 0 duplicates, 4 not messages (1 endInteraction, 1 event turn, 1 no input, 1 payload)\n");
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(lines.len(), 12);
    let session = "projects/acme-support/locations/global/agents/7f1c/sessions/s-100";
    assert_eq!(
        lines[1],
        format!(
            r#"{{"conversation_id":"{session}","timestamp":"2026-03-02T09:00:09.500Z","role":"customer","text":"I was charged twice for my order","intent":"billing.double_charge","confidence":0.87,"sentiment":-0.6}}"#
        )
    );
    assert!(
        lines[2].ends_with(r#""role":"bot","text":"Sorry about that."}"#),
        "{}",
        lines[2]
    );
    // A NO_MATCH turn's fallback sits on the bot's reprompt; a NO_INPUT turn has no customer
    // message, only the bot's reprompt, a fallback.
    assert!(
        lines[4].ends_with(r#""role":"customer","text":"blorp","confidence":0.3}"#),
        "{}",
        lines[4]
    );
    assert!(
        lines[5].ends_with(
            r#""role":"bot","text":"Sorry, I didn't get that. Can you rephrase?","fallback":true}"#
        ),
        "{}",
        lines[5]
    );
    assert!(
        lines[6].ends_with(r#""role":"bot","text":"Are you still there?","fallback":true}"#),
        "{}",
        lines[6]
    );
    assert!(
        lines[9].ends_with(r#""role":"bot","text":"","event":"handoff"}"#),
        "{}",
        lines[9]
    );
    let report = inputs(
        fixtures("dialogflow-cx"),
        &["--input-format", "dialogflow-cx", "turns.jsonl"],
    );
    assert_eq!(
        report,
        serde_json::json!({"records": 18, "messages": 12, "skipped": 2,
            "skipped_by_reason": {"invalid_json": 1, "unknown_element": 1}, "duplicates": 0, "non_messages": 4,
            "non_messages_by_kind": {"endInteraction": 1, "event_turn": 1, "no_input": 1, "payload": 1}})
    );
    // The array of the first turns is recognised; the CSV export's JSON columns are read.
    Run::new(["convert", "turns.json"])
        .dir(fixtures("dialogflow-cx"))
        .run()
        .code(0)
        .stderr_has("note: turns.json: read as a Dialogflow CX interaction log export (profile dialogflow-cx): an array of objects with conversation_name and request/response")
        .stderr_has("read 8 records: 6 messages, 0 skipped, 0 duplicates, 2 not messages (1 event turn, 1 payload)\n");
    Run::new(["convert", "--input-format", "dialogflow-cx", "turns.csv"])
        .dir(fixtures("dialogflow-cx"))
        .run()
        .code(0)
        .stdout_has(r#""role":"bot","text":"","event":"handoff"}"#)
        .stderr_has("read 6 records: 4 messages, 0 skipped, 0 duplicates, 2 not messages (1 endInteraction, 1 no input)\n");
    // Without --input-format, the export's header says what it is.
    Run::new(["convert", "turns.csv"])
        .dir(fixtures("dialogflow-cx"))
        .run()
        .code(0)
        .stderr_has("note: turns.csv: read as a Dialogflow CX interaction log export (profile dialogflow-cx): a CSV header with conversation_name, request, response and no conversation_id and role columns")
        .stderr_has("read 6 records: 4 messages, 0 skipped");
}

#[test]
fn twilio_messages_and_flex_reservations_convert_into_one_conversation() {
    let out = Run::new(["convert", "--input-format", "twilio", "events.jsonl"])
        .dir(fixtures("twilio"))
        .run()
        .code(0)
        .stderr_has("events.jsonl:10: skipped (unknown element): $: neither a Conversations message nor a TaskRouter event")
        .stderr_has("read 10 records: 5 messages, 1 skipped (1 unknown element), 1 duplicate, 3 not messages (1 reservation.completed, 1 reservation.created, 1 reservation.rejected)\n");
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(lines.len(), 5);
    let ch = "CH6b1c6a1e0f7d4b7a9c2e3f4a5b6c7d8e";
    assert_eq!(
        lines[0],
        format!(
            r#"{{"conversation_id":"{ch}","message_id":"IM00000000000000000000000000000000","timestamp":"2026-03-04T10:00:00Z","role":"customer","author":"whatsapp:+15551234567","text":"hi, my card was charged twice","customer_id":"whatsapp:+15551234567"}}"#
        )
    );
    assert!(
        lines[1].contains(r#""role":"bot","author":"system""#),
        "{}",
        lines[1]
    );
    // The task's creation is the handoff, the accepted reservation the assignment; the
    // reservation's completion is not the task's, so nothing is resolved.
    assert!(
        lines[2].ends_with(
            r#""role":"system","author":"marta","text":"","event":"handoff","lane":"Billing"}"#
        ),
        "{}",
        lines[2]
    );
    assert!(
        lines[3].ends_with(
            r#""role":"agent","author":"marta","text":"","event":"assign","lane":"Billing"}"#
        ),
        "{}",
        lines[3]
    );
    assert!(
        lines[4].contains(r#""role":"agent","author":"marta""#),
        "{}",
        lines[4]
    );
    let report = inputs(
        fixtures("twilio"),
        &["--input-format", "twilio", "events.jsonl"],
    );
    assert_eq!(
        report,
        serde_json::json!({"records": 10, "messages": 5, "skipped": 1, "skipped_by_reason": {"unknown_element": 1},
            "duplicates": 1, "non_messages": 3,
            "non_messages_by_kind": {"reservation.completed": 1, "reservation.created": 1, "reservation.rejected": 1}})
    );
    Run::new(["convert", "page.json"])
        .dir(fixtures("twilio"))
        .run()
        .code(0)
        .stderr_has("note: page.json: read as Twilio Conversations messages and TaskRouter events (profile twilio): a page with messages[] and meta")
        .stderr_has("read 2 records: 2 messages, 0 skipped\n");
}

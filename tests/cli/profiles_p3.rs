//! Platform profiles on fixtures written from each platform's documented layout: `salesforce`
//! (ConversationEntry rows, JSON and CSV), converted to canonical records with every record
//! accounted for.

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
        .stderr_has("read 9 records: 5 messages, 1 skipped (1 unknown element), 1 duplicate, 2 not messages (1 chatbot established, 1 end user opt out)\n");
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
            "non_messages_by_kind": {"chatbot_established": 1, "end_user_opt_out": 1}})
    );
    let out = Run::new(["convert", "--input-format", "salesforce", "entries.csv"])
        .dir(fixtures("salesforce"))
        .run()
        .code(0)
        .stderr_has("entries.csv:6: skipped (unknown role): $: unknown role \"Robot\"")
        .stderr_has("read 7 records: 4 messages, 2 skipped (1 unknown role, 1 wrong number of fields), 0 duplicates, 1 not a message (1 chatbot idle close)\n");
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(
        lines[2],
        r#"{"conversation_id":"0Mw5e000000BBB2","message_id":"0Mw0000000000A3","timestamp":"2026-03-03T14:00:09Z","role":"bot","author":"Service Bot","text":"","event":"handoff"}"#
    );
    assert!(lines[1].contains(r#""text":"Sorry, I didn't get that.""#));
}

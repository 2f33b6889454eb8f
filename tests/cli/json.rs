//! JSON documents and platform profiles: `[import.json]` paths and value maps on a nested export,
//! the `rasa` profile recognised from a document's shape, non-messages in the summary and the
//! report, documents that do not fit, and the ABCD sample of `../shared/realdata` read in place
//! with `docs/examples/abcd.toml`.

use crate::{Run, Scratch, root};

fn fixtures() -> std::path::PathBuf {
    root().join("tests/fixtures/json")
}

/// The canonical records with a `handoff` event, exactly one of them.
fn handoff_lines(stdout: &str) -> Vec<&str> {
    let lines: Vec<&str> = stdout
        .lines()
        .filter(|l| l.contains(r#""event":"handoff""#))
        .collect();
    assert_eq!(lines.len(), 1, "{stdout}");
    lines
}

fn matrix() -> String {
    root()
        .join("tests/fixtures/replay/matrix.yaml")
        .display()
        .to_string()
}

#[test]
fn a_nested_export_reads_through_field_paths_and_value_maps() {
    let out = Run::new(["convert", "--config", "helpdesk.toml", "helpdesk.json"])
        .dir(fixtures())
        .run()
        .code(0)
        .stderr_has("note: helpdesk.json: read with [import.json] (profile json)")
        .stderr_has("helpdesk.json:5: skipped (unknown role): data.conversations[0].messages[4]: unknown role \"Robot\"")
        .stderr_has("read 8 records: 6 messages, 1 skipped (1 unknown role), 1 duplicate\n");
    let first = out.stdout.lines().next().unwrap_or_default();
    assert_eq!(
        first,
        r#"{"conversation_id":"t-100","message_id":"m1","timestamp":"2026-03-01T10:00:00Z","role":"customer","author":"Ana","text":"my card was charged twice","segment":{"tier":"vip"}}"#
    );
    assert!(
        out.stdout
            .contains(r#""role":"bot","text":"","event":"handoff","lane":"billing""#),
        "{}",
        out.stdout
    );
}

#[test]
fn a_rasa_tracker_is_recognised_and_its_non_messages_counted() {
    let out = Run::new(["convert", "rasa.json", "--strict"])
        .dir(fixtures())
        .run()
        .code(0)
        .stderr_has("note: rasa.json: read as a Rasa tracker store dump (profile rasa): an array of objects with sender_id and events[]")
        .stderr_has("read 9 records: 5 messages, 0 skipped, 0 duplicates, 4 not messages (2 actions, 1 session start, 1 slot)\n");
    assert_eq!(out.stdout.lines().count(), 5);
    let report = Run::new(["replay", &matrix(), "rasa.json", "--format", "json"])
        .dir(fixtures())
        .run()
        .code(0)
        .json();
    assert_eq!(
        report["inputs"],
        serde_json::json!({"records": 9, "messages": 5, "skipped": 0, "skipped_by_reason": {}, "duplicates": 0,
            "non_messages": 4, "non_messages_by_kind": {"action": 2, "session_start": 1, "slot": 1}})
    );
    // The same trackers, one a line, read with the profile named.
    let s = Scratch::new();
    let doc: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(fixtures().join("rasa.json")).unwrap_or_default(),
    )
    .unwrap_or_default();
    let lines: Vec<String> = doc
        .as_array()
        .into_iter()
        .flatten()
        .map(|t| t.to_string())
        .collect();
    s.write("trackers.jsonl", lines.join("\n"));
    let piped = Run::new(["convert", "--input-format", "rasa", "trackers.jsonl"])
        .dir(s.path())
        .run()
        .code(0);
    assert_eq!(piped.stdout, out.stdout);
}

#[test]
fn documents_that_do_not_fit_stop_with_exit_2_saying_where_and_what() {
    let s = Scratch::new();
    s.write("odd.json", r#"{"items": [{"a": 1}], "next": null}"#);
    Run::new(["convert", "odd.json"])
        .dir(s.path())
        .run()
        .code(2)
        .stderr_has("odd.json: no profile recognises this document (an object with keys items, next); tried rasa");
    s.write(
        "handoff.toml",
        "[import.json]\nrecords = \"data.messages[]\"\n",
    );
    Run::new(["convert", "odd.json"])
        .dir(s.path())
        .run()
        .code(2)
        .stderr_has("odd.json: at $: expected an object with the key `data`, found an object with keys items, next");
    s.write("broken.json", "{\"data\": [");
    Run::new(["convert", "broken.json"])
        .dir(s.path())
        .run()
        .code(2)
        .stderr_has("broken.json:1:10: not valid JSON: EOF while parsing a list");
    s.write("handoff.toml", "[import.values.rol]\nx = \"y\"\n");
    Run::new(["convert", "odd.json"])
        .dir(s.path())
        .run()
        .code(2)
        .stderr_has("handoff.toml:1:16: [import.values.rol]: `rol` is not a message field (did you mean `role`?)");
}

#[test]
fn value_maps_apply_to_csv_and_json_documents_in_folders_are_read() {
    let s = Scratch::new();
    s.write(
        "handoff.toml",
        "[import.values.role]\nEndUser = \"customer\"\nBot = \"bot\"\n[import.values.event]\nBotEscalated = \"handoff\"\n",
    );
    s.write(
        "logs/a.csv",
        "conversation_id,role,text,event\nc1,EndUser,hi,\nc1,Bot,hello,BotEscalated\n",
    );
    s.write(
        "logs/b.json",
        r#"[{"conversation_id": "c2", "role": "EndUser", "text": "yo"}]"#,
    );
    let out = Run::new(["convert", "logs"])
        .dir(s.path())
        .run()
        .code(0)
        .stderr_has("note: logs/b.json: read as JSON records (profile json)")
        .stderr_has("read 3 records: 3 messages, 0 skipped\n");
    assert_eq!(
        out.stdout,
        concat!(
            r#"{"conversation_id":"c1","role":"customer","text":"hi"}"#,
            "\n",
            r#"{"conversation_id":"c1","role":"bot","text":"hello","event":"handoff"}"#,
            "\n",
            r#"{"conversation_id":"c2","role":"customer","text":"yo"}"#,
            "\n"
        )
    );
}

/// The ABCD sample, read in place with the documented configuration: 3 conversations, 72 turns,
/// one `notify-team` action that is a handoff to the manager.
#[test]
fn the_abcd_sample_converts_and_replays_with_its_example_configuration() {
    let sample = root().join("../shared/realdata/support/abcd/abcd_sample.json");
    if !sample.is_file() {
        eprintln!("skipped: {} is absent", sample.display());
        return;
    }
    let config = root().join("docs/examples/abcd.toml");
    let (config, sample) = (config.display().to_string(), sample.display().to_string());
    let out = Run::new(["convert", "--config", &config, &sample])
        .run()
        .code(0)
        .stderr_has("read 72 records: 72 messages, 0 skipped\n");
    let handoffs = handoff_lines(&out.stdout);
    assert!(
        handoffs[0].starts_with(r#"{"conversation_id":"3592","message_id":"24","role":"system","text":"the manager has been notified.""#)
            && handoffs[0].contains(r#""lane":"manager""#),
        "{}",
        handoffs[0]
    );
    let csv = Run::new(["convert", "--config", &config, "--to", "csv", &sample])
        .run()
        .code(0);
    assert_eq!(csv.stdout.lines().count(), 73);
    assert!(csv.stdout.starts_with("conversation_id,message_id,timestamp,role,author,text,intent,confidence,sentiment,fallback,event,lane,expected_lane,customer_name,customer_id,segment_flow,segment_member_level\n3592,1,,agent,,hi!,return_size,"), "{}", csv.stdout);
    let report = Run::new([
        "replay",
        "--config",
        &config,
        &matrix(),
        &sample,
        "--format",
        "json",
    ])
    .run()
    .code(0)
    .json();
    assert_eq!(report["inputs"]["messages"], 72);
}

/// `[import.rasa] handoff` names the actions that mark the handoff, in place of the defaults;
/// `[import.lanes]` renames a platform's team ids to lanes, in every reader.
#[test]
fn rasa_handoff_names_and_lanes_come_from_the_configuration() {
    let dir = tempfile::tempdir().expect("tempdir");
    let tracker = serde_json::json!({"sender_id": "t1", "events": [
        {"event": "user", "timestamp": 1772359200.0, "text": "a person please",
         "parse_data": {"intent": {"name": "ask_human", "confidence": 0.9}}},
        {"event": "action", "timestamp": 1772359201.0, "name": "action_handoff"},
        {"event": "action", "timestamp": 1772359202.0, "name": "action_talk_to_human"},
        {"event": "bot", "timestamp": 1772359203.0, "text": "Connecting you"}
    ]});
    std::fs::write(dir.path().join("tracker.json"), tracker.to_string()).expect("tracker");
    std::fs::write(
        dir.path().join("log.jsonl"),
        "{\"conversation_id\":\"c1\",\"role\":\"agent\",\"text\":\"\",\"event\":\"assign\",\"lane\":\"5531\"}\n",
    )
    .expect("log");
    std::fs::write(
        dir.path().join("handoff.toml"),
        "[import.rasa]\nhandoff = [\"action_talk_to_human\"]\n[import.lanes]\n5531 = \"billing\"\n",
    )
    .expect("config");
    let out = Run::new(["convert", "tracker.json", "log.jsonl"])
        .dir(dir.path())
        .run()
        .code(0)
        .stderr_has(
            "read 5 records: 4 messages, 0 skipped, 0 duplicates, 1 not a message (1 action)\n",
        );
    let handoffs = handoff_lines(&out.stdout);
    assert!(
        handoffs[0].contains(r#""timestamp":"2026-03-01T10:00:02Z""#),
        "{}",
        handoffs[0]
    );
    assert!(
        out.stdout.contains(r#""event":"assign","lane":"billing""#),
        "{}",
        out.stdout
    );
}

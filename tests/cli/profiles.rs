//! Platform profiles end to end: the `cloudapi` profile on a webhook log written here (a small
//! conversation with delivery statuses, replayed through `rules/whatsapp-retail.yaml`) and on the
//! pywa webhook fixtures of `../shared/realdata/cloudapi/pywa/`, read in place and recognised.

use crate::{Run, root};

fn rules() -> String {
    root()
        .join("rules/whatsapp-retail.yaml")
        .display()
        .to_string()
}

#[test]
fn a_cloudapi_webhook_log_replays_with_its_statuses_counted() {
    let dir = root().join("tests/fixtures/json/cloudapi");
    let args = ["--input-format", "cloudapi", "webhooks.jsonl"];
    let out = Run::new(["convert"].into_iter().chain(args))
        .dir(&dir)
        .run()
        .code(0)
        .stderr_has("read 8 records: 3 messages, 0 skipped, 1 duplicate, 4 not messages (3 statuses, 1 reaction)\n");
    let texts: Vec<String> = out
        .stdout
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .map(|m| m["text"].as_str().unwrap_or_default().to_owned())
        .collect();
    assert_eq!(
        texts,
        [
            "hi, my parcel never arrived",
            "<image> this is the box I got",
            "Talk to a person"
        ]
    );
    assert!(
        out.stdout.contains(r#""conversation_id":"5511990001""#)
            && out.stdout.contains(r#""customer_name":"Ana Lima""#),
        "{}",
        out.stdout
    );
    let report = Run::new(
        ["replay", &rules(), "--format", "json"]
            .into_iter()
            .chain(args),
    )
    .dir(&dir)
    .run()
    .code(0)
    .json();
    assert_eq!(
        report["inputs"],
        serde_json::json!({"records": 8, "messages": 3, "skipped": 0, "skipped_by_reason": {},
            "duplicates": 1, "non_messages": 4, "non_messages_by_kind": {"reaction": 1, "status": 3}})
    );
    assert_eq!(report["metrics"]["conversations"], 1);
    let recovery = &report["lanes"][5];
    assert_eq!(
        (&recovery["lane"], &recovery["conversations"]),
        (&serde_json::json!("recovery"), &serde_json::json!(1))
    );
}

#[test]
fn the_pywa_webhook_fixtures_are_recognised_as_cloudapi() {
    let dir = root().join("../shared/realdata/cloudapi/pywa");
    if !dir.is_dir() {
        eprintln!("skipped: ../shared/realdata/cloudapi/pywa is absent");
        return;
    }
    Run::new(["convert", "callback_button.json", "--strict"])
        .dir(&dir)
        .run()
        .code(0)
        .stderr_has("note: callback_button.json: read as WhatsApp Business Cloud API webhook bodies (profile cloudapi): an object whose values have object: \"whatsapp_business_account\"")
        .stderr_has("read 2 records: 2 messages, 0 skipped\n")
        .stdout_has(r#""conversation_id":"972987654321""#);
}

/// A customer's webhooks over three days with the business's own log of what it sent: the
/// business's messages join the customer's conversation (bot by default, agent by
/// `[import.cloudapi] agents`), and silence longer than the idle gap starts a new conversation.
#[test]
fn cloudapi_sent_messages_join_and_an_idle_gap_splits() {
    let dir = root().join("tests/fixtures/json/cloudapi/window");
    let out = Run::new(["convert", "sent.jsonl", "webhooks.jsonl"])
        .dir(&dir)
        .run()
        .code(0)
        .stderr_has("read 6 records: 6 messages, 0 skipped\n");
    let rows: Vec<(String, String, String)> = out
        .stdout
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).expect("JSON"))
        .map(|m| {
            let s = |k: &str| m[k].as_str().unwrap_or_default().to_owned();
            (s("conversation_id"), s("role"), s("text"))
        })
        .collect();
    let row = |c: &str, r: &str, t: &str| (c.to_owned(), r.to_owned(), t.to_owned());
    assert_eq!(
        rows,
        [
            row("5511990002", "customer", "my order 7781 never came"),
            row("5511990002", "bot", "Sorry! Let me check order 7781."),
            row("5511990002", "customer", "hello??"),
            row("5511990002", "bot", "<template> order_delayed"),
            row(
                "5511990002/2",
                "customer",
                "it came, but broken. I want a refund"
            ),
            row(
                "5511990002/2",
                "agent",
                "Hi Rui, Marta here from the care team."
            ),
        ]
    );
    // Only the customer's own records name the customer.
    assert_eq!(
        out.stdout.matches(r#""customer_id":"5511990002""#).count(),
        3
    );
    // A longer gap keeps the three days one conversation.
    let tmp = tempfile::tempdir().expect("tempdir");
    let config = tmp.path().join("week.toml");
    std::fs::write(
        &config,
        "[import]\nformat = \"cloudapi\"\n[import.cloudapi]\nidle_gap = \"168h\"\n",
    )
    .expect("config");
    let config = config.to_str().expect("utf-8");
    let week = Run::new([
        "convert",
        "--config",
        config,
        "sent.jsonl",
        "webhooks.jsonl",
    ])
    .dir(&dir)
    .run()
    .code(0);
    assert!(!week.stdout.contains("5511990002/2"), "{}", week.stdout);
    assert!(
        week.stdout.contains(r#""role":"bot","author":"Marta""#),
        "{}",
        week.stdout
    );
}

/// `idle_gap` must be a duration: the error names the file, line and column.
#[test]
fn a_bad_idle_gap_is_a_config_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let config = dir.path().join("handoff.toml");
    std::fs::write(&config, "[import.cloudapi]\nidle_gap = \"soon\"\n").expect("config");
    Run::new([
        "lint",
        "rules/minimal.yaml",
        "--config",
        config.to_str().expect("utf-8"),
    ])
    .run()
    .code(2)
    .stderr_has("handoff.toml:2:12")
    .stderr_has("the idle gap must be a duration");
}

/// One webhook log holding both the deliveries and the business's sent messages: each line is
/// read through the mapping of its own shape.
#[test]
fn a_log_mixing_deliveries_and_sent_messages_reads_every_line() {
    let dir = root().join("tests/fixtures/json/cloudapi/window");
    let tmp = tempfile::tempdir().expect("tempdir");
    let read = |name: &str| std::fs::read_to_string(dir.join(name)).expect("fixture");
    let mixed = tmp.path().join("mixed.jsonl");
    std::fs::write(&mixed, read("webhooks.jsonl") + &read("sent.jsonl")).expect("mixed");
    let config = dir.join("handoff.toml");
    let (mixed, config) = (
        mixed.to_str().expect("utf-8"),
        config.to_str().expect("utf-8"),
    );
    let out = Run::new(["convert", "--config", config, mixed])
        .run()
        .code(0)
        .stderr_has("read 6 records: 6 messages, 0 skipped\n");
    assert!(
        out.stdout.contains(r#""role":"agent","author":"Marta""#),
        "{}",
        out.stdout
    );
}

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

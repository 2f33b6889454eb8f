//! `handoff diff` on the hand-worked fixture (see [`crate::fixture`]): the conversations whose
//! outcome changes between two matrices, grouped by transition, with the metric deltas and gates;
//! a matrix against itself changes nothing; the Markdown masks personal data in conversation ids.

use std::path::Path;

use crate::fixture::dir;
use crate::{Output, Run, Scratch};

/// `handoff diff base.yaml new.yaml log.jsonl -f FORMAT EXTRA…` in `dir`.
fn diff(dir: &Path, format: &str, extra: &[&str]) -> Output {
    let mut args = vec!["diff", "base.yaml", "new.yaml", "log.jsonl", "-f", format];
    args.extend_from_slice(extra);
    Run::new(args).dir(dir).run()
}

#[test]
fn diff_groups_changed_conversations_by_transition() {
    let s = Scratch::new();
    let base = std::fs::read_to_string(dir().join("matrix.yaml")).expect("fixture");
    // NEW listens for "agent" too, and its loop breaker waits one fallback less.
    let new = base
        .replace("keywords: [human] }", "keywords: [human, agent] }")
        .replace("fallbacks: 3", "fallbacks: 2");
    s.write("new.yaml", new);
    std::fs::copy(dir().join("matrix.yaml"), s.path().join("base.yaml")).expect("copy");
    std::fs::copy(dir().join("log.jsonl"), s.path().join("log.jsonl")).expect("copy");
    let out = diff(s.path(), "json", &[]).code(0);
    let j = out.json();
    assert_eq!(j["changed"], 2);
    assert_eq!(
        j["transitions"],
        serde_json::json!([
            {"from": "none", "to": "recovery", "count": 1, "conversations": ["c5"]},
            {"from": "recovery", "to": "recovery", "count": 1, "conversations": ["c4"]}
        ])
    );
    assert_eq!(
        j["metrics"]["bot_trap_rate"],
        serde_json::json!({"base": 1.0 / 9.0, "new": 0, "delta": -1.0 / 9.0})
    );
    let md = diff(s.path(), "markdown", &[]).code(0);
    insta::assert_snapshot!("diff_markdown", md.stdout);
    diff(s.path(), "json", &["--fail-if", "escalation_rate > 0.7"]).code(1);
}

#[test]
fn diff_of_a_matrix_with_itself_changes_nothing() {
    let out = Run::new([
        "diff",
        "matrix.yaml",
        "matrix.yaml",
        "log.jsonl",
        "-f",
        "json",
    ])
    .dir(dir())
    .run()
    .code(0);
    let j = out.json();
    assert_eq!(j["changed"], 0);
    assert_eq!(j["transitions"], serde_json::json!([]));
    for (_, v) in j["metrics"].as_object().expect("metrics") {
        assert!(v["delta"] == 0 || v["delta"].is_null(), "{v}");
    }
}

#[test]
fn diff_markdown_masks_personal_data_in_conversation_ids() {
    let s = Scratch::new();
    std::fs::copy(dir().join("matrix.yaml"), s.path().join("base.yaml")).expect("copy");
    let new = std::fs::read_to_string(dir().join("matrix.yaml"))
        .expect("fixture")
        .replace("keywords: [human] }", "keywords: [human, agent] }");
    s.write("new.yaml", new);
    s.write("log.jsonl", "{\"conversation_id\":\"chat with +34 612 34 56 78\",\"role\":\"customer\",\"text\":\"agent\"}\n");
    let masked = diff(s.path(), "markdown", &[]).code(0);
    assert!(
        masked.stdout.contains("chat with [phone]") && !masked.stdout.contains("612"),
        "{}",
        masked.stdout
    );
    let shown = diff(s.path(), "markdown", &["--no-redact"]).code(0);
    assert!(
        shown.stdout.contains("+34 612 34 56 78"),
        "{}",
        shown.stdout
    );
}

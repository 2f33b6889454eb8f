//! The platform profiles against the fixtures of `tests/fixtures/profiles/<platform>/`, written
//! from each platform's documentation (their README names the sources): `convert --to jsonl` of
//! the folder's inputs, read in one run with no `handoff.toml`, must give `expected.jsonl` line for
//! line, and a replay's `inputs` must give the counts of `expected-non-messages.json`, every
//! element listed under `skipped_unknown_element` reported on stderr with its path.

use std::path::PathBuf;

use serde_json::Value;

use crate::{Run, root};

/// The fixture folder of a platform.
pub fn folder(platform: &str) -> PathBuf {
    root().join("tests/fixtures/profiles").join(platform)
}

/// Checks a platform's fixtures: `inputs` are paths inside its folder, `args` extra arguments
/// (an `--input-format` where the platform's files cannot be recognised from their shape).
pub fn check(platform: &str, inputs: &[&str], args: &[&str]) {
    let dir = folder(platform);
    let convert = Run::new(
        ["convert"]
            .iter()
            .chain(inputs)
            .chain(&["--to", "jsonl"])
            .chain(args),
    )
    .dir(&dir)
    .run();
    assert_eq!(convert.code, 0, "{platform}: {}", convert.stderr);
    let expected = std::fs::read_to_string(dir.join("expected.jsonl")).expect("expected.jsonl");
    same_lines(platform, &convert.stdout, &expected);
    counts(platform, inputs, args, &convert.stderr);
}

/// The records, compared as JSON values line by line so a failure names the first that differs.
fn same_lines(platform: &str, got: &str, expected: &str) {
    let parse = |s: &str| -> Vec<Value> {
        s.lines()
            .map(|l| serde_json::from_str(l).expect("a JSON line"))
            .collect()
    };
    let (got, expected) = (parse(got), parse(expected));
    for (i, (g, e)) in got.iter().zip(&expected).enumerate() {
        assert_eq!(g, e, "{platform}: record {} differs", i + 1);
    }
    assert_eq!(got.len(), expected.len(), "{platform}: number of records");
}

/// The accounting of a replay over the same inputs, and the unknown elements on stderr.
fn counts(platform: &str, inputs: &[&str], args: &[&str], convert_stderr: &str) {
    let dir = folder(platform);
    let matrix = root().join("rules/minimal.yaml");
    let matrix = matrix.to_str().expect("utf-8");
    let replay = Run::new(
        ["replay", matrix]
            .iter()
            .chain(inputs)
            .chain(&["-f", "json"])
            .chain(args),
    )
    .dir(&dir)
    .run();
    assert_eq!(replay.code, 0, "{platform}: {}", replay.stderr);
    let report: Value = serde_json::from_str(&replay.stdout).expect("a JSON report");
    let inputs = &report["inputs"];
    let text = std::fs::read_to_string(dir.join("expected-non-messages.json")).expect("expected");
    let expected: Value = serde_json::from_str(&text).expect("expected-non-messages.json");
    for key in ["records", "messages", "skipped", "duplicates"] {
        assert_eq!(inputs[key], expected[key], "{platform}: inputs.{key}");
    }
    let kinds = |v: &Value| v.as_object().cloned().unwrap_or_default();
    assert_eq!(
        kinds(&inputs["non_messages_by_kind"]),
        kinds(&expected["non_messages_by_kind"]),
        "{platform}: inputs.non_messages_by_kind"
    );
    let unknown = expected["skipped_unknown_element"].as_array().cloned();
    for element in unknown.unwrap_or_default() {
        let (file, kind) = (&element["file"], &element["kind"]);
        let place = element["path"].as_str().or(element["line"].as_str());
        let place = place.expect("a path or a line");
        let reported = convert_stderr.lines().any(|l| {
            l.contains(file.as_str().unwrap_or_default())
                && l.contains("unknown element")
                && l.contains(place)
                && l.contains(kind.as_str().unwrap_or_default())
        });
        assert!(
            reported,
            "{platform}: {element} not reported:\n{convert_stderr}"
        );
    }
}

#[test]
fn salesforce() {
    check(
        "salesforce",
        &["conversation-entries.csv", "query-result.json"],
        &[],
    );
}

#[test]
fn dialogflow_cx() {
    check(
        "dialogflow-cx",
        &["interactions.jsonl"],
        &["--input-format", "dialogflow-cx"],
    );
}

#[test]
fn twilio() {
    check(
        "twilio",
        &["messages.jsonl", "taskrouter-events.jsonl"],
        &["--input-format", "twilio"],
    );
}

#[test]
fn freshchat() {
    check(
        "freshchat",
        &["webhooks.jsonl"],
        &["--input-format", "freshchat"],
    );
}

#[test]
fn zendesk() {
    // The ticket pages are recognised from their shape; the webhook log, a `.jsonl`, needs the
    // format named, and the pages read the same with it.
    check(
        "zendesk",
        &[
            "comments/4712.json",
            "conversation-log/4711.json",
            "sunco-webhooks.jsonl",
        ],
        &["--input-format", "zendesk"],
    );
}

#[test]
fn a_platform_csv_export_is_recognised_from_its_header_on_every_path() {
    // The parallel reader (threads and small chunks) hands a platform's export to the profile.
    let dir = folder("salesforce");
    let matrix = root().join("rules/minimal.yaml");
    let matrix = matrix.to_str().expect("utf-8");
    for threads in ["1", "2"] {
        let replay = Run::new([
            "replay",
            matrix,
            "conversation-entries.csv",
            "-f",
            "json",
            "--threads",
            threads,
            "--chunk-bytes",
            "64",
        ])
        .dir(&dir)
        .run();
        assert_eq!(replay.code, 0, "{}", replay.stderr);
        assert!(
            replay.stderr.contains(
                "conversation-entries.csv: read as Salesforce ConversationEntry rows (profile salesforce)"
            ),
            "{}",
            replay.stderr
        );
        let report: Value = serde_json::from_str(&replay.stdout).expect("a JSON report");
        let inputs = &report["inputs"];
        let counts = [
            &inputs["records"],
            &inputs["messages"],
            &inputs["skipped"],
            &inputs["non_messages"],
        ];
        assert_eq!(counts, [15, 11, 0, 4], "--threads {threads}");
    }
}

#[test]
fn intercom() {
    // Both recognised: the export CSV from its header, the conversations from their shape.
    check(
        "intercom",
        &["conversation-export.csv", "conversations.json"],
        &[],
    );
    check(
        "intercom",
        &["conversation-export.csv", "conversations.json"],
        &["--input-format", "intercom"],
    );
}

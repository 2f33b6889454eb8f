//! `handoff test`: the bundled rules pass their own cases, and a failing case against the
//! hand-worked fixture's matrix (see [`crate::fixture`]) shows its expectation, the outcome and the
//! trace; a broken case file is exit 2 with its position.

use crate::fixture::dir;
use crate::{Run, Scratch};

#[test]
fn the_bundled_rules_pass_their_cases() {
    for m in ["minimal", "saas-support", "whatsapp-retail"] {
        let out = Run::new(["test", &format!("rules/{m}.yaml")]).run().code(0);
        let last = out.stdout.lines().last().unwrap_or("");
        assert!(last.ends_with(" passed, 0 failed"), "{m}: {last}");
    }
}

#[test]
fn a_failing_case_shows_expectation_outcome_and_trace() {
    let s = Scratch::new();
    s.write(
        "cases.yaml",
        "cases:\n  - name: refund goes to recovery (it does not)\n    conversation:\n      - customer: refund for order 4444\n    expect: { lane: recovery, trigger: human, at: 1 }\n  - name: hello stays\n    conversation:\n      - customer: hello\n    expect: { lane: none }\n",
    );
    std::fs::copy(dir().join("matrix.yaml"), s.path().join("matrix.yaml")).expect("copy");
    let out = Run::new(["test", "matrix.yaml", "cases.yaml"])
        .dir(s.path())
        .run()
        .code(1);
    insta::assert_snapshot!("test_failure", out.stdout);
    assert_eq!(out.stdout.lines().last(), Some("1 passed, 1 failed"));
    s.write("bad.yaml", "cases:\n  - name: x\n    conversation: 3\n");
    Run::new(["test", "matrix.yaml", "bad.yaml"])
        .dir(s.path())
        .run()
        .code(2)
        .stderr_has("bad.yaml:3:");
}

/// A case file with a typo in a key, a misspelt role, an unknown lane and trigger: every mistake
/// reported with its position and a suggestion before anything runs, exit 2.
#[test]
fn a_case_file_is_checked_like_a_matrix() {
    let s = Scratch::new();
    std::fs::copy(dir().join("matrix.yaml"), s.path().join("matrix.yaml")).expect("copy");
    s.write(
        "cases.yaml",
        "cases:\n  - name: typo\n    conversation:\n      - custmer: hello\n    expct: { lane: none }\n  - name: lane\n    conversation:\n      - customer: refund for order 4444\n    expect: { lane: refnd, trigger: nope }\n  - name: no role\n    conversation:\n      - intent: greeting\n    expect: { lane: none }\n",
    );
    let out = Run::new(["test", "--color", "never", "matrix.yaml", "cases.yaml"])
        .dir(s.path())
        .run()
        .code(2);
    assert!(out.stdout.is_empty(), "nothing ran: {}", out.stdout);
    for want in [
        "[cases.yaml:4:9]",
        "did you mean `customer`?",
        "[cases.yaml:5:5]",
        "did you mean `expect`?",
        "[cases.yaml:9:21]",
        "the matrix has no lane `refnd`",
        "the matrix has no trigger `nope`",
        "[cases.yaml:12:9]",
        "this message has no role key",
        "handoff: 5 mistakes in 1 case file; no case was run",
    ] {
        assert!(
            out.stderr.contains(want),
            "stderr lacks {want:?}:\n{}",
            out.stderr
        );
    }
    assert!(!out.stderr.contains('\u{1b}'), "--color never");
    let colored = Run::new(["test", "--color", "always", "matrix.yaml", "cases.yaml"])
        .dir(s.path())
        .run()
        .code(2);
    assert!(colored.stderr.contains('\u{1b}'), "--color always");
}

fn failing_run(format: &str) -> crate::Output {
    let s = Scratch::new();
    std::fs::copy(dir().join("matrix.yaml"), s.path().join("matrix.yaml")).expect("copy");
    s.write(
        "a.yaml",
        "cases:\n  - name: refund is not recovery\n    conversation:\n      - customer: refund for order 4444\n    expect: { lane: recovery }\n  - name: \"hello <stays>\"\n    conversation:\n      - customer: hello\n    expect: { lane: none }\n",
    );
    s.write(
        "b.yaml",
        "cases:\n  - name: hello again\n    conversation:\n      - customer: hello\n    expect: { lane: none }\n",
    );
    Run::new([
        "test",
        "--format",
        format,
        "matrix.yaml",
        "a.yaml",
        "b.yaml",
    ])
    .dir(s.path())
    .run()
    .code(1)
}

#[test]
fn junit_has_a_suite_per_case_file_and_a_testcase_per_case() {
    let xml = failing_run("junit").stdout;
    assert!(xml.starts_with("<?xml"), "{xml}");
    assert_eq!(xml.matches("<testsuite ").count(), 2, "{xml}");
    assert_eq!(xml.matches("<testcase ").count(), 3, "{xml}");
    assert!(
        xml.contains("<testsuites name=\"handoff\" tests=\"3\" failures=\"1\">"),
        "{xml}"
    );
    assert!(
        xml.contains("name=\"hello &lt;stays&gt;\""),
        "escaped: {xml}"
    );
    assert!(
        xml.contains("<failure message=\"lane: expected recovery, got billing\">"),
        "{xml}"
    );
}

#[test]
fn json_has_one_object_per_case() {
    let out = failing_run("json");
    let json = out.json();
    assert_eq!(json["schema_version"], 1);
    assert_eq!(
        (json["passed"].clone(), json["failed"].clone()),
        (2.into(), 1.into())
    );
    let cases = json["cases"].as_array().expect("cases");
    assert_eq!(cases.len(), 3);
    assert_eq!(cases[0]["passed"], false);
    assert_eq!(cases[0]["expected"]["lane"], "recovery");
    assert_eq!(cases[0]["got"]["lane"], "billing");
    assert_eq!(cases[2]["file"], "b.yaml");
}

#[test]
fn lint_junit_fails_on_errors_and_on_warnings_only_when_denied() {
    let file = "tests/fixtures/lint/E010/violation.yaml";
    let xml = Run::new(["lint", "--format", "junit", file])
        .run()
        .code(1)
        .stdout;
    assert!(
        xml.contains("<testsuite name=\"tests/fixtures/lint/E010/violation.yaml\""),
        "{xml}"
    );
    assert_eq!(xml.matches("<failure ").count(), 1, "the error only: {xml}");
    assert!(xml.contains("<system-out>"), "the warning as output: {xml}");
    let denied = Run::new(["lint", "--format", "junit", "--deny-warnings", file])
        .run()
        .code(1)
        .stdout;
    assert!(denied.matches("<failure ").count() >= 2, "{denied}");
    let clean = Run::new(["lint", "--format", "junit", "rules/minimal.yaml"])
        .run()
        .code(0)
        .stdout;
    assert!(
        clean.contains("<testcase name=\"lint\" classname=\"rules/minimal.yaml\"/>"),
        "{clean}"
    );
}

#[test]
fn test_output_is_coloured_only_when_asked() {
    let plain = Run::new(["test", "rules/minimal.yaml"]).run().code(0);
    assert!(!plain.stdout.contains('\u{1b}'));
    let forced = Run::new(["test", "--color", "always", "rules/minimal.yaml"])
        .run()
        .code(0);
    assert!(forced.stdout.contains("\u{1b}[32mok"), "{}", forced.stdout);
    let no_color = Run::new(["test", "rules/minimal.yaml"])
        .env("NO_COLOR", "1")
        .run()
        .code(0);
    assert!(!no_color.stdout.contains('\u{1b}'));
}

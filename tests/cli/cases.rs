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

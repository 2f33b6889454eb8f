//! `handoff rules`: the list and each explanation.

use crate::Run;

#[test]
fn lists_every_check() {
    let out = Run::new(["rules"]).run().code(0);
    assert_eq!(
        out.stdout
            .lines()
            .filter(|l| l.starts_with('E') || l.starts_with('W'))
            .count(),
        30
    );
    insta::assert_snapshot!("rules_list", out.stdout);
}

#[test]
fn explains_by_code_or_name() {
    let by_code = Run::new(["rules", "W101"]).run().code(0);
    let by_name = Run::new(["rules", "no-escape-hatch"]).run().code(0);
    assert_eq!(by_code.stdout, by_name.stdout);
    for section in [
        "## What it does",
        "## Why it matters",
        "## Example",
        "## How to fix",
    ] {
        assert!(by_code.stdout.contains(section), "{section}");
    }
    insta::assert_snapshot!("rules_w101", by_code.stdout);
}

#[test]
fn every_code_has_an_explanation() {
    let list = Run::new(["rules"]).run().code(0);
    for code in list
        .stdout
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .filter(|w| w.len() == 4)
    {
        let out = Run::new(["rules", code]).run().code(0);
        assert!(out.stdout.starts_with(&format!("# {code} ")), "{code}");
    }
}

#[test]
fn unknown_code_suggests() {
    Run::new(["rules", "no-escape-hatc"])
        .run()
        .code(2)
        .stderr_has("did you mean `no-escape-hatch`");
}

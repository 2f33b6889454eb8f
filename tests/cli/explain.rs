//! `handoff explain` on the hand-worked fixture (see [`crate::fixture`]): one conversation walked
//! message by message, personal data masked unless asked, and for every conversation the outcome
//! it shows is the one `replay --outcomes` writes.

use crate::fixture::{self, dir};
use crate::{Output, Run, Scratch};

/// `handoff explain matrix.yaml log.jsonl --quiet EXTRA… --conversation ID` on the fixture,
/// which must succeed.
fn explain(extra: &[&str], id: &str) -> Output {
    let mut args = vec!["explain", "matrix.yaml", "log.jsonl", "--quiet"];
    args.extend_from_slice(extra);
    args.extend(["--conversation", id]);
    Run::new(args).dir(dir()).run().code(0)
}

#[test]
fn explain_walks_one_conversation() {
    for id in ["c3", "c4", "c5", "c8"] {
        let out = explain(&[], id);
        insta::assert_snapshot!(format!("explain_{id}"), out.stdout);
    }
    Run::new([
        "explain",
        "matrix.yaml",
        "log.jsonl",
        "--conversation",
        "nope",
    ])
    .dir(dir())
    .run()
    .code(2)
    .stderr_has("no conversation `nope`");
}

#[test]
fn explain_masks_personal_data_unless_asked() {
    let masked = explain(&[], "c9");
    assert!(
        masked.stdout.contains("[card]") && !masked.stdout.contains("4111"),
        "{}",
        masked.stdout
    );
    let shown = explain(&["--no-redact"], "c9");
    assert!(
        shown.stdout.contains("4111 1111 1111 1111"),
        "{}",
        shown.stdout
    );
}

#[test]
fn explain_agrees_with_replay() {
    let s = Scratch::new();
    let target = s.path().join("o.csv");
    fixture::write_outcomes(&target);
    let outcomes = std::fs::read_to_string(&target).expect("written");
    for row in outcomes.lines().skip(1) {
        let cols: Vec<&str> = row.split(',').collect();
        let out = explain(&[], cols[0]);
        if cols[1] == "true" {
            assert!(
                out.stdout
                    .contains(&format!("Outcome: escalated to {} ", cols[2])),
                "{row}\n{}",
                out.stdout
            );
            assert!(
                out.stdout
                    .contains(&format!("at message {} by trigger `{}`", cols[4], cols[3])),
                "{row}\n{}",
                out.stdout
            );
        } else {
            assert!(
                out.stdout.contains("Outcome: stays with the bot"),
                "{row}\n{}",
                out.stdout
            );
        }
    }
}

//! Input that yields no conversation is an error (exit 2) naming what was read (SPEC section 1):
//! a CI job wired to the wrong path must fail, not pass forever on a report over nothing.

use crate::{Run, Scratch, root};

fn scratch() -> Scratch {
    let s = Scratch::new();
    std::fs::copy(
        root().join("tests/fixtures/replay/matrix.yaml"),
        s.path().join("matrix.yaml"),
    )
    .expect("copy");
    std::fs::create_dir(s.path().join("empty")).expect("mkdir");
    s.write("notes/readme.md", "not a log");
    s.write("notes/export.pdf", "not a log either");
    s.write("nothing.jsonl", "");
    s.write(
        "pretty.json",
        "{\n  \"conversation_id\": \"c1\",\n  \"text\": \"hi\"\n}\n",
    );
    s
}

#[test]
fn nothing_to_report_is_exit_2_for_replay_diff_and_convert() {
    let s = scratch();
    let cases: [(&[&str], &str); 4] = [
        (
            &["empty"],
            "empty: no conversation to report: no log files; a folder is read for its .jsonl",
        ),
        (
            &["notes"],
            "notes: no conversation to report: no log files, passed over 2 files;",
        ),
        (
            &["nothing.jsonl"],
            "nothing.jsonl: no conversation to report: 1 file, 0 records; the input is empty",
        ),
        (
            &["pretty.json", "--input-format", "jsonl"],
            "pretty.json: no conversation to report: 1 file, 4 records, every one skipped (4 invalid JSON); check --input-format",
        ),
    ];
    for (logs, message) in cases {
        for command in [
            &["replay", "matrix.yaml"][..],
            &["diff", "matrix.yaml", "matrix.yaml"],
            &["convert"],
        ] {
            let mut args = command.to_vec();
            args.extend_from_slice(logs);
            let out = Run::new(&args).dir(s.path()).run().code(2);
            assert!(out.stderr.contains(message), "{args:?}:\n{}", out.stderr);
            assert!(out.stdout.is_empty(), "{args:?}: a report was printed");
        }
    }
}

#[test]
fn a_gate_does_not_pass_on_nothing() {
    let s = scratch();
    Run::new([
        "replay",
        "matrix.yaml",
        "empty",
        "--fail-if",
        "bot_trap_rate > 0.02",
        "-q",
    ])
    .dir(s.path())
    .run()
    .code(2)
    .stderr_has("no conversation to report");
}

#[test]
fn the_format_named_in_handoff_toml_counts_as_given() {
    // `[import] format` reads a file whatever its name, as `--input-format` does: the error counts
    // it as read, not as "no log files".
    let s = scratch();
    s.write("notes.log", "not a record\n");
    s.write("handoff.toml", "[import]\nformat = \"jsonl\"\n");
    Run::new(["replay", "matrix.yaml", "notes.log", "-q"])
        .dir(s.path())
        .run()
        .code(2)
        .stderr_has(
            "notes.log: no conversation to report: 1 file, 1 record, skipped (1 invalid JSON)",
        );
}

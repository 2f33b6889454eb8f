//! `--progress`: nothing on a non-terminal unless asked; asked, plain lines on stderr that a CI log
//! keeps (no control characters), with the size and the percentage when the input's size is
//! known, and the restart of an interleaved input said when it happens.

use crate::{Run, Scratch};

/// The index of the first line of `stderr` that starts with `start`.
fn line_of(stderr: &str, start: &str) -> usize {
    stderr
        .lines()
        .position(|l| l.starts_with(start))
        .unwrap_or_else(|| panic!("no line starting {start:?}:\n{stderr}"))
}

#[test]
fn progress_always_on_a_pipe_writes_plain_lines() {
    let s = Scratch::with_replay_fixture();
    let quiet = Run::new(["replay", "--format", "json", "matrix.yaml", "log.jsonl"])
        .dir(s.path())
        .run()
        .code(0);
    assert!(!quiet.stderr.contains("progress:"), "{}", quiet.stderr);
    let out = Run::new([
        "replay",
        "--format",
        "json",
        "--progress",
        "always",
        "--threads",
        "2",
        "matrix.yaml",
        "log.jsonl",
    ])
    .dir(s.path())
    .run()
    .code(0);
    let line = out
        .stderr
        .lines()
        .nth(line_of(&out.stderr, "progress: done, "))
        .unwrap_or("");
    assert!(line.contains(" conversations, "), "{line}");
    assert!(line.contains("(100 %)"), "the size is known: {line}");
    assert!(
        !out.stderr.contains('\u{1b}'),
        "no control characters in a log"
    );
    assert_eq!(
        out.json(),
        quiet.json(),
        "progress changes nothing in the report"
    );
}

#[test]
fn an_interleaved_restart_is_said_when_it_happens() {
    let s = Scratch::new();
    s.write(
        "m.yaml",
        std::fs::read(crate::root().join("rules/minimal.yaml")).expect("minimal"),
    );
    let mut log = String::new();
    for i in 0..3 {
        for c in ["a", "b"] {
            log.push_str(&format!(
                "{{\"conversation_id\":\"{c}\",\"role\":\"customer\",\"text\":\"hello {i}\"}}\n"
            ));
        }
    }
    s.write("log.jsonl", log);
    let out = Run::new([
        "replay",
        "--format",
        "json",
        "--progress",
        "always",
        "--threads",
        "2",
        "--chunk-bytes",
        "64",
        "m.yaml",
        "log.jsonl",
    ])
    .dir(s.path())
    .run()
    .code(0);
    let note = line_of(&out.stderr, "note: a conversation appears again");
    let done = line_of(&out.stderr, "progress: done");
    assert!(
        note < done,
        "the note comes before the run ends:\n{}",
        out.stderr
    );
}

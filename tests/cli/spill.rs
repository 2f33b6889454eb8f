//! Bounded holding (SPEC section 3): interleaved input past `--memory` spills to temporary files,
//! with the report byte-identical to the same logs held in memory and grouped, and the files
//! removed however the run ends.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use crate::{Run, Scratch, root};

/// The first records of the retail sample (grouped by conversation), and the same records ordered
/// by time as webhook logs come (stable: ties keep file order).
fn grouped_and_timed() -> (String, String) {
    let text =
        std::fs::read_to_string(root().join("samples/retail-2026-10.jsonl")).expect("sample");
    let lines: Vec<&str> = text.lines().take(2500).collect();
    let mut timed = lines.clone();
    timed.sort_by_key(|l| {
        let v: serde_json::Value = serde_json::from_str(l).expect("a JSON record");
        v["timestamp"].as_str().unwrap_or_default().to_owned()
    });
    (lines.join("\n") + "\n", timed.join("\n") + "\n")
}

fn scratch() -> Scratch {
    let s = Scratch::new();
    std::fs::copy(
        root().join("rules/whatsapp-retail.yaml"),
        s.path().join("m.yaml"),
    )
    .expect("copy");
    std::fs::copy(
        root().join("samples/handoff.toml"),
        s.path().join("handoff.toml"),
    )
    .expect("copy");
    std::fs::create_dir(s.path().join("tmp")).expect("temp dir");
    let (grouped, timed) = grouped_and_timed();
    s.write("grouped.jsonl", grouped);
    s.write("timed.jsonl", timed);
    s
}

/// What is left in a temporary directory.
fn left(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .expect("temp dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect()
}

/// `replay` of `log` (`--interleaved` for stdin so) spilling from the first record, its standard
/// streams piped.
fn spawn(s: &Scratch, log: &str) -> std::process::Child {
    let logs: &[&str] = if log == "--interleaved" {
        &["--interleaved", "-"]
    } else {
        &[log]
    };
    Command::new(env!("CARGO_BIN_EXE_handoff"))
        .args(REPLAY)
        .args(["--memory", "0"])
        .args(logs)
        .current_dir(s.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("starts")
}

/// Fails when the scratch's temporary directory is not empty.
fn assert_clean(s: &Scratch, when: &str) {
    let files = left(&s.path().join("tmp"));
    assert!(files.is_empty(), "files left {when}: {files:?}");
}

/// `replay` of the scratch's matrix, spilling to its `tmp`, with a JSON report.
const REPLAY: [&str; 6] = ["replay", "m.yaml", "-f", "json", "--temp-dir", "tmp"];

fn replay(s: &Scratch, extra: &[&str]) -> crate::Output {
    Run::new(REPLAY.iter().chain(extra)).dir(s.path()).run()
}

#[test]
fn time_ordered_logs_give_the_grouped_report_at_any_budget() {
    let s = scratch();
    let grouped = replay(&s, &["grouped.jsonl", "--outcomes", "g.csv"]).code(0);
    let outcomes = std::fs::read_to_string(s.path().join("g.csv")).expect("outcomes");
    for memory in ["0", "64KiB", "1MiB", "256MiB"] {
        for threads in ["1", "2"] {
            let out = replay(
                &s,
                &[
                    "timed.jsonl",
                    "--memory",
                    memory,
                    "--threads",
                    threads,
                    "--outcomes",
                    "t.csv",
                ],
            )
            .code(0);
            assert_eq!(
                out.stdout, grouped.stdout,
                "--memory {memory} --threads {threads}"
            );
            let timed = std::fs::read_to_string(s.path().join("t.csv")).expect("outcomes");
            assert_eq!(timed, outcomes, "--memory {memory} --threads {threads}");
            let spilled = out.stderr.contains("spilling records to");
            assert_eq!(spilled, memory != "256MiB", "{memory}: {}", out.stderr);
            assert_clean(&s, memory);
        }
    }
}

#[test]
fn interleaved_stdin_needs_no_flag_and_spills_too() {
    let s = scratch();
    let grouped = replay(&s, &["grouped.jsonl"]).code(0);
    let timed = std::fs::read(s.path().join("timed.jsonl")).expect("log");
    for memory in ["0", "256MiB"] {
        let out = Run::new(REPLAY.iter().chain(&["--memory", memory, "-"]))
            .dir(s.path())
            .stdin(timed.clone())
            .run()
            .code(0)
            .stderr_has("appears again");
        assert_eq!(out.stdout, grouped.stdout, "--memory {memory}");
        assert_clean(&s, "");
    }
    // Grouped stdin still streams: read once, nothing held.
    let piped = Run::new(REPLAY.iter().chain(&["--memory", "0", "-"]))
        .dir(s.path())
        .stdin(std::fs::read(s.path().join("grouped.jsonl")).expect("log"))
        .run()
        .code(0);
    assert!(!piped.stderr.contains("appears again"), "{}", piped.stderr);
    assert_eq!(piped.stdout, grouped.stdout);
}

#[test]
fn a_named_pipe_is_read_again_from_its_copy() {
    let s = scratch();
    let grouped = replay(&s, &["grouped.jsonl"]).code(0);
    let fifo = s.path().join("pipe.jsonl");
    let made = Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo runs");
    assert!(made.success());
    let timed = std::fs::read(s.path().join("timed.jsonl")).expect("log");
    let writer = std::thread::spawn(move || {
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .open(&fifo)
            .expect("opens the pipe");
        f.write_all(&timed).expect("writes the pipe");
    });
    let out = replay(&s, &["pipe.jsonl", "--memory", "64KiB", "--threads", "2"]).code(0);
    writer.join().expect("writer");
    assert_eq!(out.stdout, grouped.stdout);
    assert_clean(&s, "");
}

#[test]
fn spill_files_are_removed_on_an_error_and_on_a_closed_pipe() {
    let s = scratch();
    let mut timed = std::fs::read_to_string(s.path().join("timed.jsonl")).expect("log");
    timed.push_str("{\"conversation_id\":\"x\",\"role\":\"robot\"}\n");
    s.write("bad.jsonl", timed);
    replay(&s, &["bad.jsonl", "--memory", "0", "--strict"])
        .code(2)
        .stderr_has("unknown role");
    assert_clean(&s, "after an error");

    // A reader that has gone away before the report is written.
    let mut child = spawn(&s, "timed.jsonl");
    drop(child.stdout.take());
    let out = child.wait_with_output().expect("ends");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert_clean(&s, "after a closed pipe");
}

/// Ctrl-C while stdin is still open: with `--interleaved` records have spilled; without it, the
/// copy of stdin is being kept. Either way the files go.
#[test]
fn ctrl_c_removes_the_spill_files() {
    let s = scratch();
    let timed = std::fs::read(s.path().join("timed.jsonl")).expect("log");
    let tmp = s.path().join("tmp");
    for log in ["--interleaved", "-"] {
        let mut child = spawn(&s, log);
        let mut stdin = child.stdin.take().expect("piped");
        stdin.write_all(&timed).expect("written");
        // Stdin stays open: handoff waits for more, its temporary files in place.
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
        while left(&tmp).is_empty() {
            assert!(
                std::time::Instant::now() < deadline,
                "{log}: no spill directory appeared"
            );
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        let pid = i32::try_from(child.id()).expect("a pid");
        // SAFETY: sends SIGINT to the child this test started.
        assert_eq!(unsafe { libc::kill(pid, libc::SIGINT) }, 0);
        let out = child.wait_with_output().expect("ends");
        drop(stdin);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(130), "{log}: {stderr}");
        assert_clean(&s, &format!("after Ctrl-C ({log})"));
    }
}

#[test]
fn a_temp_dir_that_cannot_be_used_is_exit_2_naming_it() {
    let s = scratch();
    s.write("plain-file", "not a directory");
    Run::new([
        "replay",
        "m.yaml",
        "timed.jsonl",
        "-f",
        "json",
        "--memory",
        "0",
        "--temp-dir",
        "plain-file/spill",
    ])
    .dir(s.path())
    .run()
    .code(2)
    .stderr_has("cannot use temporary files in plain-file/spill")
    .stderr_has("--temp-dir");
    Run::new(["replay", "m.yaml", "timed.jsonl", "--memory", "lots"])
        .dir(s.path())
        .run()
        .code(2)
        .stderr_has("not a size");
}

//! `handoff replay` on the hand-worked fixture (each conversation described in [`crate::fixture`]):
//! every metric against its hand-computed value, the outcomes, every format, gates, CSV cells that
//! never start a formula and a matrix with errors refused; and the same report whatever the
//! threads, the input order, the chunks of the parallel JSONL and CSV readers, or a named pipe in
//! place of a file.

use crate::fixture::{self, dir};
use crate::{Run, Scratch, root};

fn replay_json(extra: &[&str]) -> serde_json::Value {
    let mut args = vec!["replay", "matrix.yaml", "log.jsonl", "--format", "json"];
    args.extend_from_slice(extra);
    Run::new(args).dir(dir()).run().code(0).json()
}

#[test]
fn every_metric_matches_the_hand_computed_value() {
    let r = replay_json(&[]);
    let m = &r["metrics"];
    let expect = serde_json::json!({
        "conversations": 9, "messages": 23, "skipped_records": 1,
        "escalation_rate": 6.0 / 9.0,
        "turns_to_handoff_p50": 1, "turns_to_handoff_p90": 3,
        "seconds_to_handoff_p50": 0, "seconds_to_handoff_p90": 75600,
        "trap_signal_rate": 3.0 / 9.0, "bot_trap_rate": 1.0 / 9.0,
        "trapped_bot_turns_mean": 2, "trapped_bot_turns_p90": 2,
        "misroute_rate": 1.0 / 3.0, "missed_escalation_rate": 0.4, "over_escalation_rate": 1,
        "labelled": 6, "context_completeness": 0.5, "window_risk_rate": 0.2,
        // Every trigger held, so every lane is covered.
        "trigger_coverage": 1, "lane_coverage": 1,
        // As logged: a person takes over in c4 (the agent at message 7, after 3 customer
        // messages and 60 s) and c7 (an agent first: 0 and 0).
        "logged_escalation_rate": 2.0 / 9.0,
        "logged_turns_to_handoff_p50": 0, "logged_turns_to_handoff_p90": 3,
        "logged_seconds_to_handoff_p50": 0, "logged_seconds_to_handoff_p90": 60,
        // c3 and c5 signal and no person ever takes over; c4's one bot message after its
        // signal is within the grace.
        "logged_bot_trap_rate": 2.0 / 9.0,
        // Answered, timed: c1 2 s, c5 5 s, c4 10 s, c8 21 h; c6 answered but untimed. c2, c3,
        // c7 (the assign event is not a reply) and c9 unanswered, of 9 with a customer message.
        "first_response_seconds_p50": 5, "first_response_seconds_p90": 75600,
        "unanswered_rate": 4.0 / 9.0,
        // c7: its customer message at 15:00:05, the assign to recovery at 15:00:06.
        "time_to_specialist_seconds_p50": 1, "time_to_specialist_seconds_p90": 1,
        "reassignment_rate": 0, "transfers_mean": 1,
        "resolution_seconds_p50": null, "resolution_seconds_p90": null, "resolved_rate": 0,
        "recontact_48h_rate": null,
        // Replies after a customer message in timed conversations: c1, c4, c5, c8; c8's 21 h
        // is past the 20 h warning.
        "logged_window_risk_rate": 0.25
    });
    assert_eq!(m, &expect);
    assert_eq!(r["schema_version"], 1);
    assert_eq!(
        r["inputs"],
        serde_json::json!({"records": 25, "messages": 23, "skipped": 1, "skipped_by_reason": {"unknown_role": 1}, "duplicates": 1, "non_messages": 0, "non_messages_by_kind": {}})
    );
    assert_eq!(
        r["lanes"],
        serde_json::json!([
            {"lane": "compliance", "conversations": 1, "share": 1.0 / 6.0},
            {"lane": "billing", "conversations": 3, "share": 0.5},
            {"lane": "recovery", "conversations": 2, "share": 2.0 / 6.0}
        ])
    );
    let won_held: Vec<(String, u64, u64)> = r["triggers"]
        .as_array()
        .expect("triggers")
        .iter()
        .map(|t| {
            (
                t["trigger"].as_str().unwrap_or("").to_owned(),
                t["won"].as_u64().unwrap_or(9),
                t["held"].as_u64().unwrap_or(9),
            )
        })
        .collect();
    let expect_triggers: Vec<(String, u64, u64)> = [
        ("human", 0, 1),
        ("card", 1, 1),
        ("refund", 3, 3),
        ("loop", 1, 1),
        ("late", 1, 1),
    ]
    .iter()
    .map(|(a, b, c)| (a.to_string(), *b, *c))
    .collect();
    assert_eq!(won_held, expect_triggers);
    assert_eq!(
        r["confusion"],
        serde_json::json!({"billing": {"billing": 1}, "compliance": {"compliance": 1}, "none": {"billing": 1}, "recovery": {"billing": 1, "none": 2}})
    );
    assert_eq!(
        r["uncovered"],
        serde_json::json!({"triggers": [], "lanes": []})
    );
    assert_eq!(
        r["specialists"],
        serde_json::json!([{"lane": "recovery", "conversations": 1, "seconds_p50": 1, "seconds_p90": 1}])
    );
}

#[test]
fn outcomes_have_one_row_per_conversation() {
    let s = Scratch::new();
    let target = s.path().join("outcomes.csv");
    fixture::write_outcomes(&target);
    insta::assert_snapshot!(
        "replay_outcomes",
        std::fs::read_to_string(&target).expect("written")
    );
}

#[test]
fn reports_are_identical_across_threads_and_input_order() {
    let one = Run::new([
        "replay",
        "matrix.yaml",
        "log.jsonl",
        "-f",
        "json",
        "--threads",
        "1",
    ])
    .dir(dir())
    .run()
    .code(0)
    .stdout;
    let two = Run::new([
        "replay",
        "matrix.yaml",
        "log.jsonl",
        "-f",
        "json",
        "--threads",
        "2",
    ])
    .dir(dir())
    .run()
    .code(0)
    .stdout;
    assert_eq!(one, two);
    // The same conversations in reverse order, each still grouped.
    let text = std::fs::read_to_string(dir().join("log.jsonl")).expect("fixture");
    let mut groups: Vec<Vec<&str>> = Vec::new();
    for line in text.lines() {
        let id = line
            .split("\"conversation_id\":\"")
            .nth(1)
            .and_then(|r| r.split('"').next())
            .unwrap_or("");
        match groups.last_mut() {
            Some(g) if g[0].contains(&format!("\"conversation_id\":\"{id}\"")) => g.push(line),
            _ => groups.push(vec![line]),
        }
    }
    groups.reverse();
    let s = Scratch::new();
    s.write("reversed.jsonl", groups.concat().join("\n"));
    std::fs::copy(dir().join("matrix.yaml"), s.path().join("matrix.yaml")).expect("copy");
    let reversed = Run::new([
        "replay",
        "matrix.yaml",
        "reversed.jsonl",
        "-f",
        "json",
        "--threads",
        "2",
    ])
    .dir(s.path())
    .run()
    .code(0)
    .stdout;
    assert_eq!(one.replace("log.jsonl", "reversed.jsonl"), reversed);
}

#[test]
fn every_format_renders() {
    for f in ["table", "markdown", "csv"] {
        let out = Run::new(["replay", "matrix.yaml", "log.jsonl", "--format", f])
            .dir(dir())
            .run()
            .code(0);
        insta::assert_snapshot!(format!("replay_{f}"), out.stdout);
    }
}

#[test]
fn gates_fail_with_exit_1() {
    Run::new([
        "replay",
        "matrix.yaml",
        "log.jsonl",
        "-f",
        "json",
        "--fail-if",
        "bot_trap_rate > 0.1",
    ])
    .dir(dir())
    .run()
    .code(1)
    .stderr_has("gate failed: bot_trap_rate > 0.1 (the value is 0.1111 (11.1 %))");
    Run::new([
        "replay",
        "matrix.yaml",
        "log.jsonl",
        "-f",
        "json",
        "--fail-if",
        "bot_trap_rate > 0.2",
    ])
    .dir(dir())
    .run()
    .code(0);
    Run::new([
        "replay",
        "matrix.yaml",
        "log.jsonl",
        "--fail-if",
        "bot_trap > 0.2",
    ])
    .dir(dir())
    .run()
    .code(2)
    .stderr_has("did you mean `bot_trap_rate`");
    let s = Scratch::new();
    for f in ["matrix.yaml", "log.jsonl"] {
        std::fs::copy(dir().join(f), s.path().join(f)).expect("copy");
    }
    s.write(
        "handoff.toml",
        "[gates]\nfail_if = [\"escalation_rate > 0.5\"]\n",
    );
    let out = Run::new(["replay", "matrix.yaml", "log.jsonl", "-f", "json"])
        .dir(s.path())
        .run()
        .code(1);
    assert_eq!(out.json()["gates"][0]["failed"], true);
}

#[test]
fn csv_cells_never_start_a_formula() {
    let s = Scratch::new();
    std::fs::copy(dir().join("matrix.yaml"), s.path().join("matrix.yaml")).expect("copy");
    s.write("evil.jsonl", "{\"conversation_id\":\"=HYPERLINK(\\\"http://x\\\")\",\"role\":\"customer\",\"text\":\"refund\",\"expected_lane\":\"@SUM(1)\"}\n");
    let target = s.path().join("o.csv");
    Run::new([
        "replay",
        "matrix.yaml",
        "evil.jsonl",
        "-f",
        "csv",
        "--outcomes",
        target.to_str().expect("utf-8"),
    ])
    .dir(s.path())
    .run()
    .code(0);
    let outcomes = std::fs::read_to_string(&target).expect("written");
    for cell in outcomes.lines().skip(1).flat_map(|l| l.split(',')) {
        let cell = cell.trim_start_matches('"');
        assert!(
            !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
            "{cell} in {outcomes}"
        );
    }
}

#[test]
fn a_matrix_with_errors_is_refused() {
    Run::new(["replay", "../lint/E010/violation.yaml", "log.jsonl"])
        .dir(dir())
        .run()
        .code(2)
        .stderr_has("has errors");
}

/// The options that set how the chunked path reads: chunks of `chunk` bytes (`None`: the default),
/// and files read into buffers instead of mapped with `no_mmap`.
fn chunking(chunk: Option<&str>, no_mmap: bool) -> Vec<&str> {
    let mut args = Vec::new();
    if let Some(size) = chunk {
        args.extend(["--chunk-bytes", size]);
    }
    if no_mmap {
        args.push("--no-mmap");
    }
    args
}

/// `handoff replay matrix.yaml FILE -f json --threads THREADS` in `dir`, read as [`chunking`]
/// says: the report, and the notes (the skips with their lines).
fn replay_file(
    dir: &std::path::Path,
    file: &str,
    threads: &str,
    chunk: Option<&str>,
    no_mmap: bool,
) -> (String, String) {
    let mut args = vec![
        "replay",
        "matrix.yaml",
        file,
        "-f",
        "json",
        "--threads",
        threads,
    ];
    args.extend(chunking(chunk, no_mmap));
    let out = Run::new(args).dir(dir).run().code(0);
    (out.stdout, out.stderr)
}

#[test]
fn chunk_boundaries_do_not_change_the_report() {
    let one = replay_file(&dir(), "log.jsonl", "1", None, false);
    for size in ["64", "300", "1000"] {
        // Files mapped window by window, and read into buffers.
        for no_mmap in [false, true] {
            // The report, and the skips with their lines.
            assert_eq!(
                replay_file(&dir(), "log.jsonl", "2", Some(size), no_mmap),
                one,
                "chunks of {size} bytes, --no-mmap {no_mmap}"
            );
        }
    }
}

#[test]
fn skips_in_later_chunks_keep_their_lines() {
    let s = Scratch::new();
    std::fs::copy(dir().join("matrix.yaml"), s.path().join("matrix.yaml")).expect("copy");
    // A byte-order mark starts the file; one at the start of a later line is no JSON. Blank lines
    // and bad records are spread over the chunks.
    let mut lines = vec![
        "\u{feff}{\"conversation_id\":\"a\",\"role\":\"customer\",\"text\":\"hi\"}".to_owned(),
    ];
    for c in 0..30 {
        lines.push(format!(
            r#"{{"conversation_id":"k{c:02}","role":"customer","text":"a refund please"}}"#
        ));
        match c % 5 {
            0 => lines.push(format!(
                r#"{{"conversation_id":"k{c:02}","role":"robot","text":"beep"}}"#
            )),
            1 => lines.push(String::new()),
            2 => lines.push(format!(
                "\u{feff}{{\"conversation_id\":\"k{c:02}\",\"role\":\"bot\",\"text\":\"ok\"}}"
            )),
            3 => lines.push("{not json".to_owned()),
            _ => {}
        }
        lines.push(format!(
            r#"{{"conversation_id":"k{c:02}","role":"bot","text":"Let me check."}}"#
        ));
    }
    s.write("spread.jsonl", lines.join("\n") + "\n");
    let run = |threads: &str, chunk: Option<&str>| {
        replay_file(s.path(), "spread.jsonl", threads, chunk, false)
    };
    let one = run("1", None);
    assert!(one.1.contains("spread.jsonl:3: skipped"), "{}", one.1);
    assert!(one.1.contains("spread.jsonl:82: skipped"), "{}", one.1);
    for size in ["64", "200", "1000"] {
        assert_eq!(run("2", Some(size)), one, "chunks of {size} bytes");
    }
}

#[test]
fn ids_out_of_order_are_grouped_input_and_one_that_comes_back_is_noticed() {
    let s = Scratch::new();
    std::fs::copy(dir().join("matrix.yaml"), s.path().join("matrix.yaml")).expect("copy");
    let conversation = |id: &str| {
        [
            format!(r#"{{"conversation_id":"{id}","role":"customer","text":"a refund please"}}"#),
            format!(r#"{{"conversation_id":"{id}","role":"bot","text":"Let me check."}}"#),
            format!(r#"{{"conversation_id":"{id}","role":"customer","text":"human"}}"#),
        ]
    };
    // Ids in order (9 before 10, as ticket numbers), then earlier ids: still grouped.
    let mut ids: Vec<String> = (1..=40).map(|i| i.to_string()).collect();
    ids.extend(["0", "05", "7a"].map(String::from));
    let grouped: Vec<String> = ids.iter().flat_map(|id| conversation(id)).collect();
    s.write("grouped.jsonl", grouped.join("\n") + "\n");
    // Conversation 12 again, after the ids stopped ascending, and after they still ascend.
    for (name, at) in [("late.jsonl", ids.len()), ("early.jsonl", 30)] {
        let mut back = ids.clone();
        back.insert(at, "12".into());
        let lines: Vec<String> = back.iter().flat_map(|id| conversation(id)).collect();
        s.write(name, lines.join("\n") + "\n");
    }
    let run = |file: &str, threads: &str| replay_file(s.path(), file, threads, Some("300"), false);
    let (one, _) = run("grouped.jsonl", "1");
    let (two, notes) = run("grouped.jsonl", "2");
    assert_eq!(two, one);
    assert!(!notes.contains("appears again"), "{notes}");
    for file in ["late.jsonl", "early.jsonl"] {
        let (two, notes) = run(file, "2");
        assert!(notes.contains("appears again"), "{file}: {notes}");
        assert_eq!(two, run(file, "1").0, "{file}");
    }
}

#[test]
fn interleaved_input_gives_the_grouped_report() {
    let s = Scratch::new();
    std::fs::copy(dir().join("matrix.yaml"), s.path().join("matrix.yaml")).expect("copy");
    // Alternate the records of c4 and c5: every conversation is still there, interleaved.
    let text = std::fs::read_to_string(dir().join("log.jsonl")).expect("fixture");
    let (mut c4, mut c5, mut rest) = (Vec::new(), Vec::new(), Vec::new());
    for l in text.lines() {
        if l.contains("\"c4\"") {
            c4.push(l);
        } else if l.contains("\"c5\"") {
            c5.push(l);
        } else {
            rest.push(l);
        }
    }
    let mut mixed = rest.clone();
    for i in 0..c4.len().max(c5.len()) {
        mixed.extend(c4.get(i));
        mixed.extend(c5.get(i));
    }
    s.write("mixed.jsonl", mixed.join("\n"));
    std::fs::copy(dir().join("log.jsonl"), s.path().join("log.jsonl")).expect("copy");
    let grouped = Run::new([
        "replay",
        "matrix.yaml",
        "log.jsonl",
        "-f",
        "json",
        "--threads",
        "1",
    ])
    .dir(s.path())
    .run()
    .code(0)
    .json();
    for threads in ["1", "2"] {
        let out = Run::new([
            "replay",
            "matrix.yaml",
            "mixed.jsonl",
            "-f",
            "json",
            "--threads",
            threads,
            "--chunk-bytes",
            "200",
        ])
        .dir(s.path())
        .run()
        .code(0);
        assert!(out.stderr.contains("appears again"), "{}", out.stderr);
        let j = out.json();
        assert_eq!(j["metrics"], grouped["metrics"], "threads {threads}");
        assert_eq!(j["triggers"], grouped["triggers"], "threads {threads}");
    }
}

/// The report of `file` with one thread (the sequential CSV reader), then with two threads and
/// chunks of several sizes (the chunked reader), which must all be the same, and so must the
/// skips with their lines.
fn csv_chunking_agrees(dir: &std::path::Path, args: &[&str]) {
    let run = |threads: &str, chunk: Option<&str>, no_mmap: bool| {
        let mut all = vec!["replay"];
        all.extend_from_slice(args);
        all.extend(["-f", "json", "--threads", threads]);
        all.extend(chunking(chunk, no_mmap));
        let out = Run::new(all).dir(dir).run().code(0);
        (out.stdout, out.stderr)
    };
    let one = run("1", None, false);
    for size in [None, Some("64"), Some("300"), Some("1000")] {
        // Files mapped window by window, and read into buffers.
        for no_mmap in [false, true] {
            assert_eq!(
                run("2", size, no_mmap),
                one,
                "chunks of {size:?} bytes, --no-mmap {no_mmap}"
            );
        }
    }
}

#[test]
fn csv_chunks_give_the_sequential_report() {
    csv_chunking_agrees(
        &root(),
        &[
            "--config",
            "samples/handoff.toml",
            "rules/whatsapp-retail.yaml",
            "samples/helpdesk-export.csv",
        ],
    );
}

#[test]
fn csv_with_quoted_line_breaks_crlf_and_odd_quotes_gives_the_sequential_report() {
    let s = Scratch::new();
    std::fs::copy(dir().join("matrix.yaml"), s.path().join("matrix.yaml")).expect("copy");
    let mut rows = vec!["conversation_id,timestamp,role,text".to_owned()];
    for c in 0..12 {
        rows.push(format!(
            "q{c},2026-10-01T08:{c:02}:00Z,customer,\"I want a refund,\r\nplease \"\"now\"\"\""
        ));
        rows.push(format!("q{c},2026-10-01T08:{c:02}:05Z,bot,Let me check."));
        rows.push(format!("q{c},2026-10-01T08:{c:02}:09Z,customer,agent"));
        if c % 4 == 3 {
            // Skipped rows further on: their lines count the quoted line breaks before them.
            rows.push(format!("q{c},2026-10-01T08:{c:02}:11Z,robot,beep"));
        }
    }
    s.write("quoted.csv", rows.join("\r\n") + "\r\n");
    csv_chunking_agrees(s.path(), &["matrix.yaml", "quoted.csv"]);
    // A quote inside an unquoted field is read as text by the sequential reader only: the chunked
    // path must hand the whole file to it.
    rows.insert(
        5,
        "q1,2026-10-01T08:01:07Z,customer,my 27\" screen is broken".to_owned(),
    );
    s.write("odd.csv", rows.join("\n") + "\n");
    csv_chunking_agrees(s.path(), &["matrix.yaml", "odd.csv"]);
}

/// A named pipe given as a log file is read, once, as a stream: the chunked path maps only regular
/// files.
#[cfg(unix)]
#[test]
fn a_named_pipe_is_read_like_the_file() {
    let s = Scratch::new();
    let fifo = s.path().join("log.jsonl");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo runs");
    assert!(made.success());
    // Larger than a pipe's buffer, so that the writer is still writing when replay starts.
    let log = std::fs::read(root().join("samples/retail-2026-10.jsonl")).expect("sample");
    let writer = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::write(fifo, log).expect("writes the pipe"))
    };
    let args = |log: &str| {
        let matrix = dir().join("matrix.yaml");
        Run::new([
            "replay".to_owned(),
            matrix.display().to_string(),
            log.to_owned(),
            "-f".to_owned(),
            "json".to_owned(),
            "--threads".to_owned(),
            "2".to_owned(),
        ])
    };
    let piped = args(&fifo.display().to_string()).run().code(0).json();
    writer.join().expect("the writer finishes");
    let file = args(
        &root()
            .join("samples/retail-2026-10.jsonl")
            .display()
            .to_string(),
    )
    .run()
    .code(0)
    .json();
    assert_eq!(piped["metrics"], file["metrics"]);
    assert_eq!(piped["triggers"], file["triggers"]);
}

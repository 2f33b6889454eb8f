//! `handoff convert` and the importers behind it: JSONL, CSV and WhatsApp exports, gzip,
//! directories, stdin, grouping and the accounting of every record.

use std::io::Write;

use crate::{Output, Run, Scratch, root};

fn fixtures() -> std::path::PathBuf {
    root().join("tests/fixtures/logs")
}

/// The numbers of the summary line: (records, messages, skipped, duplicates).
pub fn counts(stderr: &str) -> (u64, u64, u64, u64) {
    let line = stderr
        .lines()
        .find(|l| l.starts_with("read "))
        .unwrap_or_else(|| panic!("no summary line in:\n{stderr}"));
    let num = |after: &str| -> u64 {
        line.split(after)
            .next()
            .and_then(|s| {
                s.rsplit(|c: char| !(c.is_ascii_digit() || c == ','))
                    .find(|w| !w.is_empty())
            })
            .map_or(0, |w| w.replace(',', "").parse().unwrap_or(0))
    };
    let dup = line
        .rsplit(", ")
        .next()
        .filter(|p| p.contains("duplicate"))
        .and_then(|p| p.split_whitespace().next())
        .map_or(0, |n| n.replace(',', "").parse().unwrap_or(0));
    (num(" records"), num(" messages"), num(" skipped"), dup)
}

fn balanced(out: &Output) -> (u64, u64, u64, u64) {
    let c = counts(&out.stderr);
    assert_eq!(
        c.0,
        c.1 + c.2 + c.3,
        "records = messages + skipped + duplicates:\n{}",
        out.stderr
    );
    let lines = out.stdout.lines().filter(|l| !l.is_empty()).count() as u64;
    assert_eq!(lines, c.1, "one output record per message");
    c
}

#[test]
fn jsonl_aliases_order_and_duplicates() {
    let out = Run::new(["convert", "mixed.jsonl"])
        .dir(fixtures())
        .run()
        .code(0);
    assert_eq!(balanced(&out), (10, 9, 0, 1));
    insta::assert_snapshot!("convert_mixed_jsonl", out.stdout);
}

#[test]
fn broken_jsonl_lines_are_skipped_with_file_line_and_reason() {
    let out = Run::new(["convert", "broken.jsonl"])
        .dir(fixtures())
        .run()
        .code(0);
    assert_eq!(balanced(&out), (10, 2, 8, 0));
    insta::assert_snapshot!("convert_broken_stderr", out.stderr);
}

#[test]
fn strict_stops_at_the_first_bad_record() {
    Run::new(["convert", "--strict", "broken.jsonl"])
        .dir(fixtures())
        .run()
        .code(2)
        .stderr_has("broken.jsonl:2: invalid JSON");
}

#[test]
fn csv_with_mapped_columns_and_a_zone() {
    let out = Run::new(["convert", "--config", "helpdesk.toml", "helpdesk.csv"])
        .dir(fixtures())
        .run()
        .code(0);
    assert_eq!(balanced(&out), (5, 4, 1, 0));
    insta::assert_snapshot!("convert_helpdesk_csv", out.stdout);
    let csv = Run::new([
        "convert",
        "--config",
        "helpdesk.toml",
        "--to",
        "csv",
        "helpdesk.csv",
    ])
    .dir(fixtures())
    .run()
    .code(0);
    insta::assert_snapshot!("convert_helpdesk_to_csv", csv.stdout);
}

#[test]
fn csv_output_reads_back_to_the_same_records() {
    let s = Scratch::new();
    let csv = Run::new([
        "convert",
        "--to",
        "csv",
        fixtures().join("mixed.jsonl").to_str().expect("utf-8"),
    ])
    .run()
    .code(0);
    s.write("again.csv", &csv.stdout);
    let direct = Run::new([
        "convert",
        fixtures().join("mixed.jsonl").to_str().expect("utf-8"),
    ])
    .run()
    .code(0);
    let round = Run::new(["convert", "again.csv"])
        .dir(s.path())
        .run()
        .code(0);
    assert_eq!(direct.stdout, round.stdout);
}

#[test]
fn convert_output_is_a_fixed_point() {
    let s = Scratch::new();
    let first = Run::new([
        "convert",
        fixtures().join("mixed.jsonl").to_str().expect("utf-8"),
    ])
    .run()
    .code(0);
    s.write("canonical.jsonl", &first.stdout);
    let second = Run::new(["convert", "canonical.jsonl"])
        .dir(s.path())
        .run()
        .code(0);
    assert_eq!(first.stdout, second.stdout);
}

#[test]
fn encoding_problems_are_handled_deliberately() {
    let s = Scratch::new();
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend_from_slice(
        b"{\"conversation_id\":\"e\",\"role\":\"customer\",\"text\":\"bom first\"}\r\n",
    );
    bytes.extend_from_slice(
        b"{\"conversation_id\":\"e\",\"role\":\"customer\",\"text\":\"caf\xe9\"}\r\n",
    );
    bytes.extend_from_slice(
        b"{\"conversation_id\":\"e\",\"role\":\"customer\",\"text\":\"nul\x00\"}\n",
    );
    bytes.extend_from_slice(
        b"{\"conversation_id\":\"e\",\"role\":\"customer\",\"text\":\"escaped \\u0000 is text\"}\n",
    );
    s.write("enc.jsonl", &bytes);
    let out = Run::new(["convert", "enc.jsonl"])
        .dir(s.path())
        .run()
        .code(0);
    assert_eq!(balanced(&out), (4, 2, 2, 0));
    assert!(
        out.stderr.contains("enc.jsonl:2: skipped (invalid UTF-8)"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("enc.jsonl:3: skipped (NUL byte)"),
        "{}",
        out.stderr
    );
    assert!(
        out.stdout.contains("\"bom first\""),
        "BOM stripped, CRLF handled"
    );
}

#[test]
fn a_twenty_megabyte_line_is_read() {
    let s = Scratch::new();
    let big = "x".repeat(20 * 1024 * 1024);
    s.write(
        "big.jsonl",
        format!("{{\"conversation_id\":\"big\",\"role\":\"customer\",\"text\":\"{big}\"}}\n"),
    );
    let out = Run::new(["convert", "--quiet", "big.jsonl"])
        .dir(s.path())
        .run()
        .code(0);
    assert_eq!(
        out.stdout.len(),
        big.len() + "{\"conversation_id\":\"big\",\"role\":\"customer\",\"text\":\"\"}\n".len()
    );
}

#[test]
fn ragged_csv_and_empty_files() {
    let s = Scratch::new();
    s.write("ragged.csv", "conversation_id,role,text\nc,customer,ok\nc,customer\nc,customer,a,b\n\"c\",\"customer\",\"quoted, with comma\"\n");
    s.write("empty.jsonl", "");
    s.write("empty.csv", "");
    s.write("header-only.csv", "conversation_id,role,text\n");
    let out = Run::new([
        "convert",
        "ragged.csv",
        "empty.jsonl",
        "empty.csv",
        "header-only.csv",
    ])
    .dir(s.path())
    .run()
    .code(0);
    assert_eq!(balanced(&out), (4, 2, 2, 0));
}

#[test]
fn gzip_directories_and_stdin() {
    let s = Scratch::new();
    let plain = std::fs::read(fixtures().join("mixed.jsonl")).expect("fixture");
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(&plain).expect("compress");
    let gz = gz.finish().expect("compress");
    s.write("logs/b/part.jsonl.gz", &gz);
    s.write(
        "logs/a/part.csv",
        "conversation_id,role,text\nzz,customer,from the csv\n",
    );
    s.write("logs/a/readme.md", "not a log");
    let out = Run::new(["convert", "logs"]).dir(s.path()).run().code(0);
    assert_eq!(balanced(&out), (11, 10, 0, 1));
    assert!(
        out.stdout.starts_with("{\"conversation_id\":\"zz\""),
        "a/ before b/: {}",
        out.stdout
    );
    assert!(out.stderr.contains("passed over 1 files"), "{}", out.stderr);
    let piped = Run::new(["convert", "-"]).stdin(gz.clone()).run().code(0);
    let direct = Run::new([
        "convert",
        fixtures().join("mixed.jsonl").to_str().expect("utf-8"),
    ])
    .run()
    .code(0);
    assert_eq!(piped.stdout, direct.stdout, "gzip recognised on stdin");
    let truncated = &gz[..gz.len() / 2];
    s.write("cut.jsonl.gz", truncated);
    Run::new(["convert", "cut.jsonl.gz"])
        .dir(s.path())
        .run()
        .code(2)
        .stderr_has("cannot read cut.jsonl.gz to its end");
}

#[test]
fn interleaved_input_is_regrouped_from_files_and_from_stdin() {
    let s = Scratch::new();
    let lines = [
        r#"{"conversation_id":"a","role":"customer","text":"a1","timestamp":"2026-10-01T08:00:00Z"}"#,
        r#"{"conversation_id":"b","role":"customer","text":"b1","timestamp":"2026-10-01T08:00:01Z"}"#,
        r#"{"conversation_id":"a","role":"bot","text":"a2","timestamp":"2026-10-01T08:00:02Z"}"#,
        r#"{"conversation_id":"b","role":"bot","text":"b2","timestamp":"2026-10-01T08:00:03Z"}"#,
    ];
    s.write("mixed.jsonl", lines.join("\n"));
    let auto = Run::new(["convert", "mixed.jsonl"])
        .dir(s.path())
        .run()
        .code(0);
    assert!(auto.stderr.contains("appears again"), "{}", auto.stderr);
    let held = Run::new(["convert", "--interleaved", "mixed.jsonl"])
        .dir(s.path())
        .run()
        .code(0);
    assert_eq!(auto.stdout, held.stdout);
    let texts: Vec<&str> = auto
        .stdout
        .lines()
        .filter_map(|l| l.split("\"text\":\"").nth(1))
        .map(|t| &t[..2])
        .collect();
    assert_eq!(texts, vec!["a1", "a2", "b1", "b2"]);
    assert_eq!(balanced(&auto), (4, 4, 0, 0));
    // Stdin cannot be opened again: it is read again from the copy kept as it was read.
    let again = Run::new(["convert", "-"])
        .stdin(lines.join("\n"))
        .run()
        .code(0)
        .stderr_has("-:3: conversation `a` appears again");
    assert_eq!(again.stdout, held.stdout);
    let piped = Run::new(["convert", "--interleaved", "-"])
        .stdin(lines.join("\n"))
        .run()
        .code(0);
    assert_eq!(piped.stdout, held.stdout);
}

#[test]
fn unreadable_inputs_exit_2() {
    let s = Scratch::new();
    Run::new(["convert", "missing.jsonl"])
        .dir(s.path())
        .run()
        .code(2)
        .stderr_has("cannot read missing.jsonl");
    s.write("notes.log", "x");
    Run::new(["convert", "notes.log"])
        .dir(s.path())
        .run()
        .code(2)
        .stderr_has("--input-format");
    // Read as JSONL, its one line is a skip: nothing to convert is an error, not empty output.
    let out = Run::new(["convert", "--input-format", "jsonl", "notes.log"])
        .dir(s.path())
        .run()
        .code(2)
        .stderr_has("notes.log: no conversation to report: 1 file, 1 record, skipped");
    assert_eq!(balanced(&out), (1, 0, 1, 0));
}

#[test]
fn output_file_is_written_atomically() {
    let s = Scratch::new();
    let target = s.path().join("out.jsonl");
    let out = Run::new([
        "convert",
        "--quiet",
        "-o",
        target.to_str().expect("utf-8"),
        fixtures().join("mixed.jsonl").to_str().expect("utf-8"),
    ])
    .run()
    .code(0);
    assert!(out.stdout.is_empty() && out.stderr.is_empty());
    assert_eq!(
        std::fs::read_to_string(&target)
            .expect("written")
            .lines()
            .count(),
        9
    );
}

#[test]
fn a_closed_stdout_pipe_ends_quietly() {
    use std::process::{Command, Stdio};
    for args in [
        vec!["convert", "samples/retail-2026-10.jsonl"],
        vec!["convert", "--to", "csv", "samples/retail-2026-10.jsonl"],
    ] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_handoff"))
            .args(&args)
            .current_dir(root())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("starts");
        // Read one byte, then hang up.
        let mut out = child.stdout.take().expect("stdout");
        let mut byte = [0u8; 1];
        std::io::Read::read_exact(&mut out, &mut byte).expect("some output");
        drop(out);
        let result = child.wait_with_output().expect("finishes");
        let stderr = String::from_utf8_lossy(&result.stderr);
        assert_eq!(result.status.code(), Some(0), "{args:?}: {stderr}");
        assert!(
            !stderr.contains("panicked") && !stderr.contains("handoff:"),
            "{args:?}: {stderr}"
        );
    }
}

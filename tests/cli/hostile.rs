//! Hostile and broken matrices: each gets a clear finding with a position (exit 1), or exit 2
//! when the file cannot be read at all; never a panic (the runner fails on one).

use crate::{Run, Scratch};

fn lint_json(s: &Scratch, name: &str) -> (i32, serde_json::Value) {
    let out = Run::new(["lint", "--format", "json", name])
        .dir(s.path())
        .run();
    let json = if out.stdout.is_empty() {
        serde_json::Value::Null
    } else {
        out.json()
    };
    (out.code, json)
}

fn first(json: &serde_json::Value) -> (&str, u64, u64, &str) {
    let f = &json["findings"][0];
    (
        f["code"].as_str().unwrap_or(""),
        f["line"].as_u64().unwrap_or(0),
        f["column"].as_u64().unwrap_or(0),
        f["message"].as_str().unwrap_or(""),
    )
}

#[test]
fn alias_bomb_is_refused() {
    let s = Scratch::new();
    let mut y = String::from("version: 1\na: &a [x,x,x,x,x,x,x,x,x]\n");
    for i in 1..12u8 {
        let (p, c) = ((b'a' + i - 1) as char, (b'a' + i) as char);
        y.push_str(&format!(
            "{c}: &{c} [*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p}]\n"
        ));
    }
    s.write("bomb.yaml", y);
    let (code, json) = lint_json(&s, "bomb.yaml");
    assert_eq!(code, 1);
    let (c, line, _, message) = first(&json);
    assert_eq!(c, "E001", "{json}");
    assert!(line > 1, "{json}");
    assert!(message.contains("limit"), "{message}");
}

#[test]
fn ten_thousand_levels_of_nesting_are_refused() {
    let s = Scratch::new();
    s.write(
        "flow.yaml",
        format!(
            "version: 1\nlanes: {}{}\n",
            "[".repeat(10_000),
            "]".repeat(10_000)
        ),
    );
    let mut block = String::from("version: 1\nlanes:\n");
    for depth in 1..10_000 {
        block.push_str(&" ".repeat(depth));
        block.push_str("a:\n");
    }
    s.write("block.yaml", block);
    for name in ["flow.yaml", "block.yaml"] {
        let (code, json) = lint_json(&s, name);
        assert_eq!(code, 1, "{name}");
        let (c, line, _, message) = first(&json);
        assert_eq!(c, "E001", "{name}: {json}");
        assert!(line >= 2, "{name}: {json}");
        assert!(message.contains("64 levels"), "{name}: {message}");
    }
}

#[test]
fn invalid_utf8_points_at_the_byte() {
    let s = Scratch::new();
    s.write(
        "latin1.yaml",
        b"version: 1\nname: Caf\xe9 support\n".as_slice(),
    );
    let (code, json) = lint_json(&s, "latin1.yaml");
    assert_eq!(code, 1);
    assert_eq!(first(&json), ("E001", 2, 10, "the file is not valid UTF-8"));
}

#[test]
fn a_byte_order_mark_is_no_error() {
    let s = Scratch::new();
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend(std::fs::read(crate::root().join("rules/minimal.yaml")).expect("minimal"));
    s.write("bom.yaml", bytes);
    let (code, json) = lint_json(&s, "bom.yaml");
    assert_eq!(code, 0, "{json}");
}

#[test]
fn crlf_line_ends_keep_positions() {
    let s = Scratch::new();
    let text =
        std::fs::read_to_string(crate::root().join("samples/broken-matrix.yaml")).expect("sample");
    s.write("lf.yaml", &text);
    s.write("crlf.yaml", text.replace('\n', "\r\n"));
    let (_, lf) = lint_json(&s, "lf.yaml");
    let (_, crlf) = lint_json(&s, "crlf.yaml");
    let pos = |j: &serde_json::Value| {
        j["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .map(|f| (f["line"].clone(), f["column"].clone()))
            .collect::<Vec<_>>()
    };
    assert_eq!(pos(&lf), pos(&crlf));
}

#[test]
fn empty_and_comment_only_files() {
    let s = Scratch::new();
    s.write("empty.yaml", "");
    s.write("comments.yaml", "# nothing yet\n");
    for name in ["empty.yaml", "comments.yaml"] {
        let (code, json) = lint_json(&s, name);
        assert_eq!(code, 1);
        assert_eq!(first(&json), ("E002", 1, 1, "the file is empty"), "{name}");
    }
}

#[test]
fn a_list_instead_of_a_mapping() {
    let s = Scratch::new();
    s.write("list.yaml", "- version: 1\n- lanes: {}\n");
    let (code, json) = lint_json(&s, "list.yaml");
    assert_eq!(code, 1);
    let (c, line, _, message) = first(&json);
    assert_eq!((c, line), ("E002", 1));
    assert!(
        message.contains("must be a mapping, found a list"),
        "{message}"
    );
}

#[test]
fn a_huge_regex_is_an_e012() {
    let s = Scratch::new();
    let base = std::fs::read_to_string(crate::root().join("rules/minimal.yaml")).expect("minimal");
    s.write(
        "huge.yaml",
        format!("{base}  - id: huge\n    lane: support\n    when: {{regex: '\\w{{1000}}{{1000}}{{1000}}'}}\n"),
    );
    let (code, json) = lint_json(&s, "huge.yaml");
    assert_eq!(code, 1);
    let (c, line, _, message) = first(&json);
    let huge_line = base.lines().count() as u64 + 3;
    assert_eq!((c, line), ("E012", huge_line), "{json}");
    assert!(
        message.contains("10 MB") || message.contains("repetition"),
        "{message}"
    );
}

#[test]
fn a_ten_megabyte_scalar_is_read_and_reported() {
    let s = Scratch::new();
    let base = std::fs::read_to_string(crate::root().join("rules/minimal.yaml")).expect("minimal");
    let long = "x".repeat(10 * 1024 * 1024);
    s.write(
        "long.yaml",
        base.replace(
            "will reply within {eta}.",
            &format!("will reply within {{eta}}. {long}"),
        ),
    );
    let (code, json) = lint_json(&s, "long.yaml");
    assert_eq!(code, 1);
    assert_eq!(first(&json).0, "E018");
}

#[test]
fn several_documents_are_refused() {
    let s = Scratch::new();
    s.write("two.yaml", "version: 1\n---\nversion: 1\n");
    let (code, json) = lint_json(&s, "two.yaml");
    assert_eq!(code, 1);
    assert_eq!(first(&json).0, "E001");
}

#[test]
fn unreadable_paths_exit_2_and_name_the_file() {
    let s = Scratch::new();
    let out = Run::new(["lint", "missing.yaml"])
        .dir(s.path())
        .run()
        .code(2)
        .stderr_has("cannot read missing.yaml");
    assert!(out.stdout.is_empty(), "no partial report");
    std::fs::create_dir(s.path().join("rules.d")).expect("dir");
    Run::new(["lint", "rules.d"])
        .dir(s.path())
        .run()
        .code(2)
        .stderr_has("rules.d: is a directory");
}

#[test]
fn no_matrix_anywhere_exits_2_with_advice() {
    let s = Scratch::new();
    Run::new(["lint"])
        .dir(s.path())
        .run()
        .code(2)
        .stderr_has("pass the matrix file");
}

#[test]
fn tags_and_odd_scalars_do_not_confuse_the_decoder() {
    let s = Scratch::new();
    s.write(
        "odd.yaml",
        "version: !!str 1\nlanes:\n  ? [a, b]\n  : {priority: 1}\n  yes: {priority: .nan, handoff: {message: ~}}\ntriggers: {}\n",
    );
    let (code, json) = lint_json(&s, "odd.yaml");
    assert_eq!(code, 1);
    let errors: Vec<&serde_json::Value> = json["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["severity"] == "error")
        .collect();
    assert_eq!(errors.len(), 5, "{json}");
    assert!(errors.iter().all(|x| x["code"] == "E002"), "{json}");
}

#[test]
fn a_directory_of_many_tiny_files_is_read_in_bounded_time() {
    // Tens of thousands of paths, most not logs, a few empty logs: every path is looked at once,
    // nothing is read twice, and the run reports what it passed over.
    let s = Scratch::new();
    for d in 0..40 {
        let dir = s.path().join(format!("d{d:02}"));
        std::fs::create_dir_all(&dir).expect("dir");
        for f in 0..500 {
            let name = if f % 100 == 0 {
                format!("f{f}.jsonl")
            } else {
                format!("f{f}.tmp")
            };
            std::fs::write(dir.join(name), "").expect("file");
        }
    }
    // The logs found are empty: nothing to convert, which is an error naming what was read.
    let out = Run::new(["convert", "."]).dir(s.path()).run().code(2);
    assert!(
        out.stderr.contains("passed over 19800 files"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("read 0 records"), "{}", out.stderr);
    assert!(
        out.stderr
            .contains(".: no conversation to report: 200 files, 0 records"),
        "{}",
        out.stderr
    );
}

/// Inputs the fuzzers found (and a few written to look like them), kept so they stay fixed: each is
/// run through the command that reads it and must end with a documented exit status, never a panic.
#[test]
fn fuzz_regressions_stay_fixed() {
    let base = crate::root().join("tests/fixtures/fuzz");
    let mut ran = 0;
    // Every JSON seed through every profile, named, as well as recognised from its shape.
    const PROFILES: [&str; 9] = [
        "json",
        "rasa",
        "cloudapi",
        "salesforce",
        "dialogflow-cx",
        "twilio",
        "freshchat",
        "zendesk",
        "intercom",
    ];
    let named = PROFILES
        .iter()
        .map(|p| ("json", vec!["convert", "--quiet", "--input-format", p]));
    let runs: Vec<(&str, Vec<&str>)> = [
        ("matrix", vec!["lint", "--format", "json"]),
        (
            "jsonl",
            vec!["convert", "--quiet", "--input-format", "jsonl"],
        ),
        ("csv", vec!["convert", "--quiet", "--input-format", "csv"]),
        (
            "whatsapp",
            vec!["convert", "--quiet", "--input-format", "whatsapp"],
        ),
        // Recognised from the document's shape, as a .json file given without a format is.
        ("json", vec!["convert", "--quiet"]),
    ]
    .into_iter()
    .chain(named)
    .collect();
    for (target, args) in runs {
        for entry in std::fs::read_dir(base.join(target)).expect("fixture dir") {
            let path = entry.expect("entry").path();
            let mut a = args.clone();
            let p = path.to_string_lossy().into_owned();
            a.push(&p);
            let out = Run::new(a).run();
            // Exit 2 is right for input that holds no conversation, and for a JSON document that
            // is not JSON or does not fit its profile, when the error says where.
            let said = [
                "no conversation to report",
                ": not valid JSON: ",
                ": at ",
                "no profile recognises this document",
            ];
            let nothing = out.code == 2 && said.iter().any(|s| out.stderr.contains(s));
            assert!(
                [0, 1].contains(&out.code) || nothing,
                "{target}: {p}: exit {}\n{}",
                out.code,
                out.stderr
            );
            ran += 1;
        }
    }
    for entry in std::fs::read_dir(base.join("engine")).expect("fixture dir") {
        let data = std::fs::read(entry.expect("entry").path()).expect("readable");
        if data.len() < 2 {
            continue;
        }
        let len = usize::from(u16::from_le_bytes([data[0], data[1]])).min(data.len() - 2);
        let s = Scratch::new();
        s.write("m.yaml", &data[2..2 + len]);
        s.write("log.jsonl", &data[2 + len..]);
        let out = Run::new(["replay", "--quiet", "-f", "json", "m.yaml", "log.jsonl"])
            .dir(s.path())
            .run();
        assert!(
            [0, 2].contains(&out.code),
            "engine: exit {}\n{}",
            out.code,
            out.stderr
        );
        ran += 1;
    }
    assert!(ran >= 4);
}

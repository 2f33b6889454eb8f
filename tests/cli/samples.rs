//! The bundled samples: every file reads with nothing skipped, and the generated ones are exactly
//! what the project's generator (`examples/generate.rs`) makes with the documented commands.

use crate::convert::counts;
use crate::{Run, Scratch, root};

/// The generator example, built by `cargo test` next to the test binaries.
fn generator() -> Option<std::path::PathBuf> {
    let exe = std::env::current_exe().ok()?;
    let dir = exe.parent()?.parent()?.join("examples");
    let path = dir.join(format!("generate{}", std::env::consts::EXE_SUFFIX));
    // `cargo test` builds the examples; `cargo test --test cli` alone may leave an old one.
    let built = std::fs::metadata(&path).and_then(|m| m.modified()).ok()?;
    let source = std::fs::metadata(root().join("examples/generate.rs"))
        .and_then(|m| m.modified())
        .ok()?;
    (built >= source).then_some(path)
}

#[test]
fn samples_read_without_skips() {
    let out = Run::new([
        "convert",
        "--quiet",
        "--config",
        "samples/handoff.toml",
        "samples/retail-2026-10.jsonl",
    ])
    .run()
    .code(0);
    assert!(out.stdout.lines().count() > 15_000);
    let out = Run::new(["convert", "--config", "samples/handoff.toml", "samples/"])
        .run()
        .code(0);
    let (records, messages, skipped, duplicates) = counts(&out.stderr);
    assert_eq!(skipped, 0, "{}", out.stderr);
    assert_eq!(records, messages + duplicates);
    assert!(
        !out.stderr.contains("appears again"),
        "sample conversation ids are unique: {}",
        out.stderr
    );
}

#[test]
fn generated_samples_are_reproducible() {
    let Some(generate) = generator() else {
        eprintln!(
            "skipped: the generate example is not built or older than its source (a full `cargo test` builds it)"
        );
        return;
    };
    let s = Scratch::new();
    let run = |args: &[&str]| {
        let status = std::process::Command::new(&generate)
            .args(args)
            .current_dir(s.path())
            .output()
            .expect("generator runs");
        assert!(
            status.status.success(),
            "{}",
            String::from_utf8_lossy(&status.stderr)
        );
    };
    run(&["--out", "retail.jsonl"]);
    run(&[
        "--format",
        "csv",
        "--conversations",
        "400",
        "--seed",
        "7",
        "--out",
        "helpdesk.csv",
    ]);
    run(&[
        "--format",
        "whatsapp",
        "--conversations",
        "4",
        "--seed",
        "11",
        "--out",
        "wa",
    ]);
    let same = |ours: &str, theirs: &str| {
        assert!(
            std::fs::read(s.path().join(ours)).expect("generated")
                == std::fs::read(root().join(theirs)).expect("sample"),
            "{theirs} differs from a fresh run of the generator"
        );
    };
    same("retail.jsonl", "samples/retail-2026-10.jsonl");
    same("helpdesk.csv", "samples/helpdesk-export.csv");
    let mut names: Vec<String> = std::fs::read_dir(root().join("samples/whatsapp"))
        .expect("dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names.len(), 4);
    for n in names {
        same(&format!("wa/{n}"), &format!("samples/whatsapp/{n}"));
    }
}

/// The generator's Intercom conversations (the benchmark's workload) read through the `intercom`
/// profile with nothing skipped: internal notes are the only non-messages.
#[test]
fn generated_intercom_conversations_read_without_skips() {
    let Some(generate) = generator() else {
        eprintln!("skipped: the generate example is not built or older than its source");
        return;
    };
    let s = Scratch::new();
    let out = std::process::Command::new(&generate)
        .args([
            "--format",
            "intercom",
            "--conversations",
            "300",
            "--out",
            "ic.jsonl",
        ])
        .current_dir(s.path())
        .output()
        .expect("generator runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let path = s.path().join("ic.jsonl");
    let path = path.to_str().expect("utf-8");
    let matrix = root().join("rules/whatsapp-retail.yaml");
    let matrix = matrix.to_str().expect("utf-8");
    let j = Run::new([
        "replay",
        matrix,
        "--input-format",
        "intercom",
        path,
        "-f",
        "json",
    ])
    .run()
    .code(0)
    .json();
    let inputs = &j["inputs"];
    assert_eq!(inputs["skipped"], 0, "{inputs}");
    assert_eq!(inputs["duplicates"], 0, "{inputs}");
    let kinds: Vec<&String> = inputs["non_messages_by_kind"]
        .as_object()
        .expect("kinds")
        .keys()
        .collect();
    assert_eq!(kinds, ["note"], "{inputs}");
    assert_eq!(j["metrics"]["conversations"], 300);
    let rate = j["metrics"]["escalation_rate"].as_f64().expect("a rate");
    assert!(rate > 0.0, "assignments are handoffs: {rate}");
}

#[test]
fn the_main_job_runs_on_the_samples() {
    let out = Run::new([
        "replay",
        "--config",
        "samples/handoff.toml",
        "rules/whatsapp-retail.yaml",
        "samples/",
        "--format",
        "json",
    ])
    .run()
    .code(0);
    let j = out.json();
    let rate = j["metrics"]["escalation_rate"].as_f64().expect("a rate");
    assert!(
        (0.05..=0.20).contains(&rate),
        "the sample month sits in the healthy band: {rate}"
    );
}

//! `handoff lint`: the fixture corpus (one violation and one near miss per check), formats, levels,
//! exit statuses and file discovery.

use std::collections::BTreeSet;

use crate::{Run, Scratch, root};

/// The `(code, line)` pairs a fixture's first line promises: `# expect: W110@21 W110@25` or
/// `# expect: none`.
fn expected(text: &str) -> Vec<(String, u64)> {
    let first = text.lines().next().unwrap_or("");
    let list = first
        .strip_prefix("# expect:")
        .unwrap_or_else(|| panic!("fixture must start with `# expect:`: {first}"));
    let mut v: Vec<(String, u64)> = list
        .split_whitespace()
        .filter(|w| *w != "none")
        .map(|item| {
            let (code, line) = item
                .split_once('@')
                .unwrap_or_else(|| panic!("bad expect item {item}"));
            (
                code.to_owned(),
                line.parse()
                    .unwrap_or_else(|_| panic!("bad line in {item}")),
            )
        })
        .collect();
    v.sort();
    v
}

fn findings(json: &serde_json::Value) -> Vec<(String, u64)> {
    json["findings"]
        .as_array()
        .expect("findings array")
        .iter()
        .map(|f| {
            (
                f["code"].as_str().expect("code").to_owned(),
                f["line"].as_u64().expect("line"),
            )
        })
        .collect()
}

#[test]
fn every_check_fires_on_its_violation_and_not_on_its_near_miss() {
    let dir = root().join("tests/fixtures/lint");
    let mut codes: Vec<String> = std::fs::read_dir(&dir)
        .expect("fixture directory")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    codes.sort();
    assert_eq!(
        codes.len(),
        30,
        "one fixture directory per check: {codes:?}"
    );
    for code in &codes {
        let mut files: Vec<String> = std::fs::read_dir(dir.join(code))
            .expect("check directory")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".yaml"))
            .collect();
        files.sort();
        assert!(
            files.contains(&"violation.yaml".to_owned())
                && files.contains(&"near_miss.yaml".to_owned()),
            "{code}"
        );
        for file in files {
            let kind = file.trim_end_matches(".yaml");
            let rel = format!("{code}/{file}");
            let text =
                std::fs::read_to_string(dir.join(&rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
            let want = expected(&text);
            let json_run = Run::new(["lint", "--format", "json", &rel]).dir(&dir).run();
            let got = findings(&json_run.json());
            let mut of_code: Vec<(String, u64)> =
                got.iter().filter(|(c, _)| c == code).cloned().collect();
            of_code.sort();
            if kind.starts_with("violation") {
                assert!(!want.is_empty(), "{rel}: a violation must expect a finding");
                assert_eq!(of_code, want, "{rel}: findings of {code}");
            } else {
                assert!(
                    of_code.is_empty(),
                    "{rel}: {code} must stay silent, found {of_code:?}"
                );
            }
            let human = Run::new(["lint", "--color", "never", &rel]).dir(&dir).run();
            assert_eq!(
                human.code, json_run.code,
                "{rel}: human and json exit statuses agree"
            );
            let snapshot = format!(
                "$ handoff lint {rel}   (exit {})\n{}\n$ handoff lint --format json {rel}\n{}",
                human.code, human.stdout, json_run.stdout
            );
            insta::assert_snapshot!(format!("{code}_{kind}"), snapshot);
        }
    }
}

#[test]
fn bundled_rules_lint_clean() {
    Run::new([
        "lint",
        "--deny-warnings",
        "rules/minimal.yaml",
        "rules/saas-support.yaml",
        "rules/whatsapp-retail.yaml",
    ])
    .run()
    .code(0)
    .stdout_has("All checks passed (3 files).");
}

#[test]
fn without_arguments_lint_reads_rules_directory() {
    let s = Scratch::new();
    s.write(
        "rules/a.yaml",
        std::fs::read(root().join("rules/minimal.yaml")).expect("minimal"),
    );
    s.write("rules/b.yml", "version: 1\n");
    let out = Run::new(["lint", "--format", "json"])
        .dir(s.path())
        .run()
        .code(1);
    let files: BTreeSet<String> = out.json()["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| f["file"].as_str().unwrap_or("").to_owned())
        .collect();
    assert_eq!(files, BTreeSet::from(["rules/b.yml".to_owned()]));
    assert_eq!(out.json()["summary"]["files"], 2);
}

#[test]
fn handoff_toml_names_the_matrix_and_sets_levels() {
    let s = Scratch::new();
    s.write(
        "m.yaml",
        "version: 1\nlanes:\n  l:\n    priority: 1\n    handoff: {message: hi}\ntriggers:\n  - {id: t, lane: l, when: {keywords: [human]}}\n",
    );
    s.write("handoff.toml", "matrix = \"m.yaml\"\n[lint]\nallow = [\"W103\", \"no-confidence-floor\", \"W113\", \"W114\", \"W116\"]\ndeny = [\"W106\"]\n");
    let out = Run::new(["lint", "--format", "json"])
        .dir(s.path())
        .run()
        .code(1);
    let codes: Vec<String> = out.json()["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| format!("{}:{}", f["code"], f["severity"]))
        .collect();
    assert_eq!(codes, vec!["\"W106\":\"error\""]);
}

#[test]
fn a_bad_handoff_toml_names_file_line_and_column() {
    let s = Scratch::new();
    s.write("handoff.toml", "[lint]\nallow = [\"E010\"]\n");
    let out = Run::new(["lint", "x.yaml"]).dir(s.path()).run().code(2);
    assert!(out.stderr.contains("handoff.toml:2:10:"), "{}", out.stderr);
    assert!(out.stderr.contains("cannot be allowed"), "{}", out.stderr);
}

#[test]
fn file_levels_allow_and_deny() {
    let s = Scratch::new();
    let base = std::fs::read_to_string(root().join("rules/minimal.yaml")).expect("minimal");
    let with_broad = base.replace("el robot\n", "el robot, help\n");
    assert_ne!(with_broad, base);
    s.write("plain.yaml", &with_broad);
    s.write(
        "allowed.yaml",
        format!("{with_broad}lint: {{allow: [W111]}}\n"),
    );
    s.write(
        "denied.yaml",
        format!("{with_broad}lint: {{deny: [broad-keyword]}}\n"),
    );
    Run::new(["lint", "plain.yaml"]).dir(s.path()).run().code(0);
    Run::new(["lint", "--deny-warnings", "plain.yaml"])
        .dir(s.path())
        .run()
        .code(1);
    Run::new(["lint", "--deny-warnings", "allowed.yaml"])
        .dir(s.path())
        .run()
        .code(0);
    let out = Run::new(["lint", "--format", "json", "denied.yaml"])
        .dir(s.path())
        .run()
        .code(1);
    assert_eq!(out.json()["findings"][0]["severity"], "error");
}

#[test]
fn an_error_cannot_be_allowed_in_the_file() {
    let s = Scratch::new();
    let base = std::fs::read_to_string(root().join("rules/minimal.yaml")).expect("minimal");
    s.write("m.yaml", format!("{base}lint: {{allow: [E010, W99]}}\n"));
    let out = Run::new(["lint", "--format", "json", "m.yaml"])
        .dir(s.path())
        .run()
        .code(1);
    let messages: Vec<String> = out.json()["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| f["message"].as_str().unwrap_or("").to_owned())
        .collect();
    assert_eq!(messages.len(), 2, "{messages:?}");
    assert!(messages[0].contains("cannot be allowed"), "{messages:?}");
    assert!(messages[1].contains("not a lint code"), "{messages:?}");
}

#[test]
fn findings_of_several_files_come_sorted_by_file_and_position() {
    let out = Run::new([
        "lint",
        "--format",
        "json",
        "tests/fixtures/lint/E010/violation.yaml",
        "samples/broken-matrix.yaml",
    ])
    .run()
    .code(1);
    let json = out.json();
    let keys: Vec<(String, u64, u64)> = json["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                f["file"].as_str().unwrap_or("").to_owned(),
                f["line"].as_u64().unwrap_or(0),
                f["column"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    let files: Vec<&str> = keys.iter().map(|k| k.0.as_str()).collect();
    let first_other = files
        .iter()
        .position(|f| f.starts_with("tests/"))
        .expect("second file reported");
    assert!(
        files[..first_other]
            .iter()
            .all(|f| f.starts_with("samples/")),
        "files sorted by name"
    );
    for part in [&keys[..first_other], &keys[first_other..]] {
        let mut sorted = part.to_vec();
        sorted.sort();
        assert_eq!(part, sorted.as_slice(), "positions sorted within a file");
    }
}

#[test]
fn broken_matrix_sample_reports_a_dozen_mistakes() {
    let out = Run::new(["lint", "--format", "json", "samples/broken-matrix.yaml"])
        .run()
        .code(1);
    let json = out.json();
    let codes: BTreeSet<String> = json["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| f["code"].as_str().unwrap_or("").to_owned())
        .collect();
    assert!(codes.len() >= 12, "{codes:?}");
    let human = Run::new(["lint", "--color", "never", "samples/broken-matrix.yaml"])
        .run()
        .code(1);
    insta::assert_snapshot!("broken_matrix_human", human.stdout);
}

#[test]
fn github_annotations_escape_and_locate() {
    let out = Run::new([
        "lint",
        "--format",
        "github",
        "tests/fixtures/lint/E010/violation.yaml",
    ])
    .run()
    .code(1);
    let line = out
        .stdout
        .lines()
        .find(|l| l.starts_with("::error"))
        .expect("one error annotation");
    assert!(
        line.starts_with("::error file=tests/fixtures/lint/E010/violation.yaml,line="),
        "{line}"
    );
    assert!(line.contains(",title=E010 unknown-lane::"), "{line}");
    assert!(line.contains("%0Ahelp: "), "{line}");
}

#[test]
fn sarif_is_valid_2_1_0() {
    let out = Run::new(["lint", "--format", "sarif", "samples/broken-matrix.yaml"])
        .run()
        .code(1);
    let sarif = out.json();
    let mut schema = sarif_schema();
    // The schema's `language` pattern is an ECMA regex with a bare `]`, which the Rust regex engine
    // behind jsonschema refuses; escaping it keeps the pattern's meaning.
    escape_language_patterns(&mut schema);
    let validator = jsonschema::validator_for(&schema).expect("the SARIF schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(&sarif)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let mut bad = sarif.clone();
    bad["runs"][0]["results"][0]["level"] = "fatal".into();
    assert!(!validator.is_valid(&bad), "the schema check can fail");
    let results = sarif["runs"][0]["results"].as_array().expect("results");
    assert!(!results.is_empty());
    assert_eq!(
        sarif["runs"][0]["tool"]["driver"]["rules"]
            .as_array()
            .map(Vec::len),
        Some(30)
    );
    let typed: serde_sarif::sarif::Sarif =
        serde_json::from_value(sarif.clone()).expect("serde-sarif reads the log");
    assert_eq!(typed.runs.len(), 1);
    let region = &results[0]["locations"][0]["physicalLocation"]["region"];
    assert!(region["startLine"].as_u64().is_some() && region["startColumn"].as_u64().is_some());
}

#[test]
fn color_follows_the_terminal_flag_and_no_color() {
    let rel = "tests/fixtures/lint/E010/violation.yaml";
    let plain = Run::new(["lint", rel]).run();
    assert!(!plain.stdout.contains('\u{1b}'), "no colour on a pipe");
    let forced = Run::new(["lint", "--color", "always", rel]).run();
    assert!(forced.stdout.contains('\u{1b}'), "colour when asked");
    let no_color = Run::new(["lint", rel]).env("NO_COLOR", "1").run();
    assert!(!no_color.stdout.contains('\u{1b}'));
}

#[test]
fn output_file_is_written_and_stdout_stays_empty() {
    let s = Scratch::new();
    let target = s.path().join("lint.json");
    let out = Run::new([
        "lint",
        "--format",
        "json",
        "--output",
        target.to_str().expect("utf-8 path"),
        "rules/minimal.yaml",
    ])
    .run()
    .code(0);
    assert!(out.stdout.is_empty());
    let written: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&target).expect("written")).expect("json");
    assert_eq!(written["schema_version"], 1);
    assert_eq!(written["findings"].as_array().map(Vec::len), Some(0));
}

#[test]
fn quiet_drops_the_summary() {
    let out = Run::new(["lint", "--quiet", "rules/minimal.yaml"])
        .run()
        .code(0);
    assert_eq!(out.stdout, "");
}

/// The OASIS SARIF 2.1.0 schema, as shipped in the `serde-sarif` crate (a dev-dependency), found
/// through `cargo metadata` so the schema itself need not be copied into this repository.
fn sarif_schema() -> serde_json::Value {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = std::process::Command::new(cargo)
        .args(["metadata", "--format-version", "1"])
        .current_dir(root())
        .output()
        .expect("cargo metadata runs");
    let meta: serde_json::Value =
        serde_json::from_slice(&out.stdout).expect("cargo metadata is JSON");
    let manifest = meta["packages"]
        .as_array()
        .expect("packages")
        .iter()
        .find(|p| p["name"] == "serde-sarif")
        .and_then(|p| p["manifest_path"].as_str())
        .expect("serde-sarif is a dev-dependency");
    let path = std::path::Path::new(manifest)
        .with_file_name("src")
        .join("schema.json");
    serde_json::from_str(&std::fs::read_to_string(&path).expect("serde-sarif ships schema.json"))
        .expect("schema parses")
}

fn escape_language_patterns(v: &mut serde_json::Value) {
    match v {
        serde_json::Value::Object(map) => {
            for (k, child) in map.iter_mut() {
                match (k.as_str(), child.as_str()) {
                    ("pattern", Some(p)) if p.ends_with("}]?$") => {
                        *child = serde_json::Value::String(p.replace("}]?$", "}\\]?$"));
                    }
                    _ => escape_language_patterns(child),
                }
            }
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(escape_language_patterns),
        _ => {}
    }
}

#[test]
fn a_name_in_the_message_points_at_handoff_agent() {
    let out = Run::new([
        "lint",
        "--format",
        "json",
        "tests/fixtures/lint/W106/violation_name_not_set.yaml",
    ])
    .run()
    .code(0);
    let json = out.json();
    let w106 = json["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|f| f["code"] == "W106")
        .expect("a W106");
    let help = w106["help"].as_str().unwrap_or("");
    assert!(help.contains("`handoff.agent: Marco`"), "{help}");
}

#[test]
fn a_list_written_as_one_string_gets_its_own_hint() {
    let s = Scratch::new();
    s.write(
        "m.yaml",
        "version: 1\nlanes:\n  l:\n    priority: 1\n    handoff: {message: hi}\ntriggers:\n  - {id: t, lane: l, when: {keywords: \"human, agent, real person\"}}\n",
    );
    let out = Run::new(["lint", "--format", "json", "m.yaml"])
        .dir(s.path())
        .run()
        .code(0);
    let json = out.json();
    let w101 = json["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|f| f["code"] == "W101")
        .expect("a W101")
        .clone();
    assert_eq!(
        w101["help"],
        "write the phrases as a YAML list: `keywords: [human, agent, real person]`"
    );
    assert_eq!(w101["related"][0]["line"], 7, "{w101}");
}

#[test]
fn a_trigger_whose_condition_has_an_error_gets_no_other_finding() {
    let s = Scratch::new();
    let base = std::fs::read_to_string(root().join("rules/minimal.yaml")).expect("minimal");
    let with_empty = format!("{base}  - id: nothing\n    lane: support\n    when: {{any: []}}\n");
    s.write("m.yaml", with_empty);
    let json = Run::new(["lint", "--format", "json", "m.yaml"])
        .dir(s.path())
        .run()
        .code(1)
        .json();
    let codes: Vec<(String, u64)> = findings(&json);
    assert_eq!(
        codes.iter().map(|c| c.0.as_str()).collect::<Vec<_>>(),
        ["E017"],
        "no W108 on top of E017"
    );
}

#[test]
fn the_human_output_ends_with_a_count_by_check() {
    let out = Run::new([
        "lint",
        "--color",
        "never",
        "tests/fixtures/lint/W113/violation.yaml",
    ])
    .run();
    let last = out.stdout.lines().last().unwrap_or("");
    assert!(last.starts_with("By check: "), "{last}");
    assert!(last.contains("W113"), "{last}");
}

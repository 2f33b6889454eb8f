//! `handoff merge` of the partial reports `replay --partial` writes (SPEC section 5.7): the
//! hand-worked fixture, with two conversations of one customer added, cut into shards by
//! conversation; merged in any order, the report in every format is byte-identical to one replay
//! of the whole log. And every partial merge must refuse: another matrix, another version, a
//! truncated file, a report instead of a partial, overlapping shards, shards with nothing in them.

use std::path::PathBuf;

use crate::fixture::dir;
use crate::{Output, Run, Scratch};

/// Two conversations of customer `k1`, a day apart: the 48-hour rule across shards.
const RETURNS: &str = r#"{"conversation_id":"c10","customer_id":"k1","timestamp":"2026-10-02T09:00:00Z","role":"customer","text":"where is my order 55555"}
{"conversation_id":"c10","timestamp":"2026-10-02T09:00:03Z","role":"bot","text":"It ships tomorrow."}
{"conversation_id":"c11","customer_id":"k1","timestamp":"2026-10-03T09:00:00Z","role":"customer","text":"a human please"}
"#;

/// The fixture's log and the returns, whole and in three shards by conversation.
struct Shards {
    s: Scratch,
    whole: PathBuf,
    shards: Vec<PathBuf>,
}

fn shards() -> Shards {
    let s = Scratch::new();
    let log = std::fs::read_to_string(dir().join("log.jsonl")).expect("fixture log") + RETURNS;
    let whole = s.write("whole.jsonl", &log);
    let mut parts = vec![String::new(); 3];
    for line in log.lines() {
        let v: serde_json::Value = serde_json::from_str(line).expect("a JSON line");
        let id = v["conversation_id"].as_str().unwrap_or("c1");
        let n: usize = id[1..].parse().expect("a numbered id");
        parts[n % 3].push_str(line);
        parts[n % 3].push('\n');
    }
    let shards = parts
        .iter()
        .enumerate()
        .map(|(i, p)| s.write(&format!("shard-{i}.jsonl"), p))
        .collect();
    Shards { s, whole, shards }
}

/// The fixture matrix, named as the report shows it: replay and merge run in its folder.
fn matrix() -> String {
    "matrix.yaml".to_owned()
}

fn run(args: &[&str]) -> Output {
    Run::new(args).dir(dir()).run()
}

/// The shards' partials, the first written to stdout, the others beside a report.
fn partials(sh: &Shards) -> Vec<PathBuf> {
    let m = matrix();
    sh.shards
        .iter()
        .enumerate()
        .map(|(i, shard)| {
            let target = sh.s.path().join(format!("p{i}.json"));
            let shard = shard.display().to_string();
            if i == 0 {
                let out = run(&["replay", &m, &shard, "--partial", "-"]).code(0);
                std::fs::write(&target, out.stdout).expect("partial written");
            } else {
                let t = target.display().to_string();
                run(&["replay", &m, &shard, "--partial", &t, "-f", "json"]).code(0);
            }
            target
        })
        .collect()
}

fn merge(paths: &[&PathBuf], extra: &[&str]) -> Output {
    let mut args = vec!["merge".to_owned()];
    args.extend(paths.iter().map(|p| p.display().to_string()));
    args.extend(extra.iter().map(|s| (*s).to_owned()));
    Run::new(args).dir(dir()).run()
}

#[test]
fn shards_merged_in_any_order_report_as_one_run() {
    let sh = shards();
    let p = partials(&sh);
    let whole = sh.whole.display().to_string();
    let m = matrix();
    for format in ["json", "csv", "markdown", "table"] {
        let one = run(&["replay", &m, &whole, "-f", format]).code(0);
        for order in [[0, 1, 2], [2, 0, 1], [1, 2, 0]] {
            let paths: Vec<&PathBuf> = order.iter().map(|i| &p[*i]).collect();
            let merged = merge(&paths, &["-f", format]).code(0);
            assert_eq!(merged.stdout, one.stdout, "{format}, order {order:?}");
        }
    }
    let json = run(&["replay", &m, &whole, "-f", "json"]).json();
    assert_eq!(json["metrics"]["recontact_48h_rate"], 0.5);
    let out = merge(&[&p[1], &p[0], &p[2]], &["-f", "table"]).code(0);
    assert!(
        out.stderr
            .starts_with("merged 3 partial reports: read 28 records")
    );
    insta::assert_snapshot!("merge_table", out.stdout);
}

#[test]
fn partials_from_stdin_and_one_file_of_several_merge_alike() {
    let sh = shards();
    let p = partials(&sh);
    let all: String = p
        .iter()
        .map(|f| std::fs::read_to_string(f).expect("partial"))
        .collect();
    let one = merge(&p.iter().collect::<Vec<_>>(), &["-f", "json"]).code(0);
    let stdin = Run::new(["merge", "-", "-f", "json"])
        .dir(dir())
        .stdin(all.clone())
        .run()
        .code(0);
    assert_eq!(stdin.stdout, one.stdout);
    let file = sh.s.write("all.jsonl", all);
    assert_eq!(merge(&[&file], &["-f", "json"]).code(0).stdout, one.stdout);
}

#[test]
fn gates_apply_to_the_merged_report() {
    let sh = shards();
    let p = partials(&sh);
    let paths: Vec<&PathBuf> = p.iter().collect();
    merge(
        &paths,
        &["--fail-if", "escalation_rate > 0.5", "-f", "json"],
    )
    .code(1)
    .stderr_has("escalation_rate");
    merge(
        &paths,
        &["--fail-if", "escalation_rate > 0.9", "-f", "json"],
    )
    .code(0);
}

#[test]
fn an_empty_shard_writes_a_partial_and_a_merge_of_nothing_fails() {
    let m = matrix();
    let empty = Run::new(["replay", m.as_str(), "-", "--partial", "-"])
        .dir(dir())
        .stdin("")
        .run()
        .code(0);
    assert!(empty.stdout.contains(r#""kind":"handoff-partial""#));
    let sh = shards();
    let nothing = sh.s.write("empty.json", &empty.stdout);
    merge(&[&nothing], &[])
        .code(2)
        .stderr_has("no conversation to report");
    let p = partials(&sh);
    let whole = sh.whole.display().to_string();
    let one = run(&["replay", &m, &whole, "-f", "json"]).code(0);
    let with = merge(&[&p[0], &nothing, &p[1], &p[2]], &["-f", "json"]).code(0);
    assert_eq!(with.stdout, one.stdout);
}

#[test]
fn partials_that_cannot_merge_are_refused_with_the_file_named() {
    let sh = shards();
    let p = partials(&sh);
    let text = std::fs::read_to_string(&p[1]).expect("partial");
    // The same shard twice: every conversation would count twice.
    merge(&[&p[0], &p[1], &p[1]], &[])
        .code(2)
        .stderr_has("p1.json and ")
        .stderr_has("the shards overlap");
    let cut = sh.s.write("cut.json", &text[..text.len() / 2]);
    merge(&[&p[0], &cut], &[])
        .code(2)
        .stderr_has("cut.json:1:")
        .stderr_has("truncated partial report");
    let version = text.replace(
        &format!(r#""handoff_version":"{}""#, env!("CARGO_PKG_VERSION")),
        r#""handoff_version":"9.9.9""#,
    );
    let version = sh.s.write("version.json", version);
    merge(&[&p[0], &version], &[])
        .code(2)
        .stderr_has("version.json: a partial report of handoff 9.9.9");
    let report = run(&[
        "replay",
        &matrix(),
        &sh.whole.display().to_string(),
        "-f",
        "json",
    ]);
    let report = sh.s.write("report.json", report.stdout);
    merge(&[&report], &[])
        .code(2)
        .stderr_has("report.json: not a partial report");
    // Another matrix: the fixture's with another warning threshold.
    let other = std::fs::read_to_string(dir().join("matrix.yaml"))
        .expect("matrix")
        .replace("window_warning: 20h", "window_warning: 19h");
    let other = sh.s.write("other.yaml", other);
    let shard = sh.shards[2].display().to_string();
    let theirs = sh.s.path().join("theirs.json");
    run(&[
        "replay",
        &other.display().to_string(),
        &shard,
        "--partial",
        &theirs.display().to_string(),
        "-q",
    ])
    .code(0);
    merge(&[&p[0], &p[1], &theirs], &[])
        .code(2)
        .stderr_has("theirs.json: a partial report of another matrix than")
        .stderr_has("p0.json");
    let edited = sh.s.write(
        "edited.json",
        text.replace(r#""escalated":"#, r#""escalated":1"#),
    );
    merge(&[&edited], &[])
        .code(2)
        .stderr_has("edited.json: an inconsistent partial report");
}

#[test]
fn a_partial_may_not_overwrite_an_input() {
    let sh = shards();
    let shard = sh.shards[0].display().to_string();
    run(&["replay", &matrix(), &shard, "--partial", &shard])
        .code(2)
        .stderr_has("also an input");
}

//! What the logs show (SPEC section 5.5) on the hand-worked fixture `tests/fixtures/logged`: one
//! conversation per edge of the logged metrics, each with its expected figures in the `comment`
//! field of its first record. The totals, worked out from those comments:
//!
//! - 13 conversations; a logged handoff point in agent-first, no-lane, reassigned, same-lane,
//!   two-agents and untimed: `logged_escalation_rate` 6/13. Customer messages before it: 0, 1, 1,
//!   1, 2, 1 → p50 1, p90 2; seconds (untimed left out): 0, 10, 20, 30, 60 → p50 20, p90 60.
//! - Logged-trapped: only unanswered (an opt-out and no person ever) → 1/13; no-lane's opt-out is
//!   answered by a person after one bot message, within the grace of 1.
//! - First response, timed and answered: 30, 5, 4, 3, 2, 5, 4, 4, 5, 5, 75600 → p50 5, p90 30;
//!   unanswered: 1 of 13 conversations with a customer message.
//! - Time to specialist: reassigned 20 s and same-lane 30 s, both billing → p50 20, p90 30, and
//!   `specialists` `[{billing, 2, 20, 30}]`; reassignment: 1 of the 2 that name a lane.
//! - Transfers 1 + 1 + 3 + 1 + 2 + 1 over the 6 with a handoff point → 1.5.
//! - Resolved: only resolved, after 600 s → 1/13, p50 = p90 = 600.
//! - Recontact: cust-under's back-under-1 (back-under-2 starts 47:59:59 after it) of the 4 timed
//!   conversations with a customer_id (untimed is left out; cust-exact's pair is 48 h apart) → 1/4.
//! - Logged window risk: late-reply's 21 h wait of the 11 timed conversations with a reply after a
//!   customer message (not unanswered, not untimed) → 1/11.

use crate::{Run, Scratch, root};

fn dir() -> std::path::PathBuf {
    root().join("tests/fixtures/logged")
}

fn replay(extra: &[&str]) -> crate::Output {
    let mut args = vec!["replay", "matrix.yaml", "log.jsonl", "--quiet"];
    args.extend_from_slice(extra);
    Run::new(args).dir(dir()).run().code(0)
}

#[test]
fn every_logged_metric_matches_the_hand_worked_figures() {
    let r = replay(&["-f", "json"]).json();
    let m = &r["metrics"];
    let expect = serde_json::json!({
        "logged_escalation_rate": 6.0 / 13.0,
        "logged_turns_to_handoff_p50": 1, "logged_turns_to_handoff_p90": 2,
        "logged_seconds_to_handoff_p50": 20, "logged_seconds_to_handoff_p90": 60,
        "logged_bot_trap_rate": 1.0 / 13.0,
        "first_response_seconds_p50": 5, "first_response_seconds_p90": 30,
        "unanswered_rate": 1.0 / 13.0,
        "time_to_specialist_seconds_p50": 20, "time_to_specialist_seconds_p90": 30,
        "reassignment_rate": 0.5,
        "transfers_mean": 1.5,
        "resolution_seconds_p50": 600, "resolution_seconds_p90": 600,
        "resolved_rate": 1.0 / 13.0,
        "recontact_48h_rate": 0.25,
        "logged_window_risk_rate": 1.0 / 11.0,
        // The matrix: human, refund and wifi; wifi never holds.
        "trigger_coverage": 2.0 / 3.0, "lane_coverage": 2.0 / 3.0,
        // no-lane, reassigned, same-lane, untimed and unanswered escalate.
        "escalation_rate": 5.0 / 13.0,
    });
    for (name, value) in expect.as_object().expect("an object") {
        assert_eq!(&m[name], value, "{name}");
    }
    assert_eq!(
        r["specialists"],
        serde_json::json!([{"lane": "billing", "conversations": 2, "seconds_p50": 20, "seconds_p90": 30}])
    );
}

#[test]
fn the_outcomes_end_with_what_the_logs_show() {
    let s = Scratch::new();
    let target = s.path().join("outcomes.csv");
    let target = target.to_str().expect("utf-8");
    replay(&["-f", "json", "--outcomes", target]);
    insta::assert_snapshot!(
        "logged_outcomes",
        std::fs::read_to_string(target).expect("written")
    );
}

#[test]
fn the_table_puts_the_logs_beside_the_matrix_and_ends_with_the_pointer() {
    let out = replay(&["-f", "table"]);
    assert!(
        out.stdout.ends_with(
            "`handoff metrics NAME` explains a metric: its definition, unit and denominator.\n"
        ),
        "{}",
        out.stdout
    );
    insta::assert_snapshot!("logged_table", out.stdout);
}

/// The fixture's conversations, each a list of its lines, in file order.
fn conversations() -> Vec<Vec<String>> {
    let text = std::fs::read_to_string(dir().join("log.jsonl")).expect("fixture");
    let mut groups: Vec<(String, Vec<String>)> = Vec::new();
    for line in text.lines() {
        let v: serde_json::Value = serde_json::from_str(line).expect("JSON");
        let id = v["conversation_id"].as_str().expect("an id").to_owned();
        match groups.last_mut() {
            Some((g, lines)) if *g == id => lines.push(line.to_owned()),
            _ => groups.push((id, vec![line.to_owned()])),
        }
    }
    groups.into_iter().map(|(_, l)| l).collect()
}

#[test]
fn threads_chunks_order_files_and_interleaving_change_nothing() {
    let reference = replay(&["-f", "json", "--threads", "1"]).stdout;
    let s = Scratch::new();
    std::fs::copy(dir().join("matrix.yaml"), s.path().join("matrix.yaml")).expect("copy");
    let groups = conversations();
    let join = |gs: &[Vec<String>]| gs.concat().join("\n") + "\n";
    // Reversed; split into two files with the two conversations of each customer apart;
    // interleaved a line of each conversation at a time.
    let mut reversed = groups.clone();
    reversed.reverse();
    s.write("reversed.jsonl", join(&reversed));
    let (odd, even): (Vec<_>, Vec<_>) = groups
        .iter()
        .cloned()
        .enumerate()
        .partition(|(i, _)| i % 2 == 1);
    let strip = |v: Vec<(usize, Vec<String>)>| v.into_iter().map(|(_, g)| g).collect::<Vec<_>>();
    s.write("parts/a.jsonl", join(&strip(odd)));
    s.write("parts/b.jsonl", join(&strip(even)));
    let longest = groups.iter().map(Vec::len).max().unwrap_or(0);
    let mut mixed = Vec::new();
    for i in 0..longest {
        mixed.extend(groups.iter().filter_map(|g| g.get(i).cloned()));
    }
    s.write("interleaved.jsonl", mixed.join("\n") + "\n");
    let run = |args: &[&str]| {
        let mut all = vec!["replay", "matrix.yaml", "--quiet", "-f", "json"];
        all.extend_from_slice(args);
        Run::new(all).dir(s.path()).run().code(0).stdout
    };
    for args in [
        &["reversed.jsonl", "--threads", "2"][..],
        &["reversed.jsonl", "--threads", "2", "--chunk-bytes", "64"],
        &["parts", "--threads", "2"],
        &["parts/b.jsonl", "parts/a.jsonl", "--threads", "1"],
        &["interleaved.jsonl", "--threads", "2"],
        &["interleaved.jsonl", "--interleaved", "--threads", "1"],
    ] {
        assert_eq!(run(args), reference, "{args:?}");
    }
    let csv = replay(&["-f", "csv", "--threads", "2", "--chunk-bytes", "64"]).stdout;
    assert_eq!(csv, replay(&["-f", "csv", "--threads", "1"]).stdout);
}

#[test]
fn explain_shows_the_logged_handoff_lane_first_response_and_transfers() {
    let out = Run::new([
        "explain",
        "matrix.yaml",
        "log.jsonl",
        "--conversation",
        "reassigned",
        "--quiet",
    ])
    .dir(dir())
    .run()
    .code(0);
    insta::assert_snapshot!("logged_explain_reassigned", out.stdout);
}

/// The fixture matrix with another `window_warning`: the logged window risk reads it.
fn other_warning(s: &Scratch) {
    let m = std::fs::read_to_string(dir().join("matrix.yaml")).expect("matrix");
    s.write(
        "warning.yaml",
        m.replace("window_warning: 20h", "window_warning: 22h"),
    );
}

#[test]
fn diff_shows_the_logged_figures_once_unless_the_settings_move_one() {
    let s = Scratch::new();
    std::fs::copy(dir().join("log.jsonl"), s.path().join("log.jsonl")).expect("copy");
    std::fs::copy(dir().join("matrix.yaml"), s.path().join("matrix.yaml")).expect("copy");
    other_warning(&s);
    let diff = |new: &str| {
        Run::new([
            "diff",
            "matrix.yaml",
            new,
            "log.jsonl",
            "-f",
            "json",
            "--quiet",
        ])
        .dir(s.path())
        .run()
        .code(0)
        .json()
    };
    let same = diff("matrix.yaml");
    assert_eq!(same["logged"]["recontact_48h_rate"], 0.25);
    assert_eq!(same["logged"]["logged_window_risk_rate"], 1.0 / 11.0);
    assert!(same["metrics"].get("logged_escalation_rate").is_none());
    assert!(same["metrics"].get("escalation_rate").is_some());
    // A later warning: late-reply's 21 h wait is no longer a risk under NEW.
    let moved = diff("warning.yaml");
    assert!(moved["logged"].get("logged_window_risk_rate").is_none());
    assert_eq!(
        moved["metrics"]["logged_window_risk_rate"],
        serde_json::json!({"base": 1.0 / 11.0, "new": 0, "delta": -1.0 / 11.0})
    );
    let table = Run::new([
        "diff",
        "matrix.yaml",
        "matrix.yaml",
        "log.jsonl",
        "-f",
        "table",
        "--quiet",
    ])
    .dir(s.path())
    .run()
    .code(0)
    .stdout;
    assert_eq!(
        table.matches("logged_escalation_rate").count(),
        1,
        "{table}"
    );
    assert!(
        table.contains("As logged (the same for both matrices)"),
        "{table}"
    );
}

#[test]
fn metrics_lists_and_explains_every_metric() {
    let list = Run::new(["metrics"]).run().code(0).stdout;
    insta::assert_snapshot!("metrics_list", list);
    let one = Run::new(["metrics", "recontact_48h_rate"])
        .run()
        .code(0)
        .stdout;
    insta::assert_snapshot!("metrics_recontact", one);
    Run::new(["metrics", "recontact_rate"])
        .run()
        .code(2)
        .stderr_has("unknown metric `recontact_rate`")
        .stderr_has("did you mean `recontact_48h_rate`?");
}

#[test]
fn every_name_of_the_json_report_is_in_every_format_and_the_metrics_list() {
    let r = replay(&["-f", "json"]).json();
    let list = Run::new(["metrics"]).run().code(0).stdout;
    let names = r["metrics"].as_object().expect("metrics");
    assert_eq!(names.len(), 38);
    let formats = ["table", "csv", "markdown"].map(|f| replay(&["-f", f]).stdout);
    for name in names.keys() {
        assert!(list.contains(&format!("  {name} ")), "{name} is not listed");
        Run::new(["metrics", name]).run().code(0).stdout_has(name);
        for (f, out) in ["table", "csv", "markdown"].iter().zip(&formats) {
            let cell = [format!(" {name} "), format!(",{name},")];
            assert!(
                cell.iter().any(|c| out.contains(c.as_str())),
                "{name} not in {f}"
            );
        }
    }
}

/// The README's report excerpt is what `handoff replay` prints on the samples, so it is
/// regenerated whenever the report changes (this test says so when it is not).
#[test]
fn the_readme_report_excerpt_is_what_replay_prints() {
    let readme = std::fs::read_to_string(root().join("README.md")).expect("README");
    let start = readme
        .find("```text\nhandoff replay: rules/whatsapp-retail.yaml")
        .expect("the excerpt")
        + "```text\n".len();
    let end = start + readme[start..].find("```").expect("its end");
    let out = Run::new([
        "replay",
        "--config",
        "samples/handoff.toml",
        "rules/whatsapp-retail.yaml",
        "samples/",
        "--format",
        "table",
        "--quiet",
    ])
    .run()
    .code(0);
    assert!(
        out.stdout.starts_with(&readme[start..end]),
        "regenerate the README's excerpt from:\n{}",
        out.stdout
    );
}

#[test]
fn gates_take_the_new_metrics() {
    let gate = |g: &str| {
        let json = ["replay", "matrix.yaml", "log.jsonl", "-f", "json"];
        Run::new(json.into_iter().chain(["--fail-if", g]))
            .dir(dir())
            .run()
    };
    gate("trigger_coverage < 1")
        .code(1)
        .stderr_has("gate failed: trigger_coverage < 1");
    gate("recontact_48h_rate > 0.25").code(0);
    gate("recontact_rate > 0.25")
        .code(2)
        .stderr_has("did you mean `recontact_48h_rate`?");
}

//! Gates (SPEC section 5.6) as a CI job meets them: a gate on a metric without data fails unless
//! allowed, `diff --fail-if-delta` gates the change, and a failed gate reads well in every format
//! — the Markdown checked with a CommonMark parser, as a pull-request comment would be rendered.

use pulldown_cmark::{Event, Parser, Tag, TagEnd};

use crate::{Run, Scratch};

fn fixture() -> Scratch {
    let s = Scratch::with_replay_fixture();
    // The same matrix with `agent` as an opt-out keyword: c5 ("agent?") now escalates.
    let new = std::fs::read_to_string(s.path().join("matrix.yaml"))
        .expect("fixture")
        .replace("keywords: [human] }", "keywords: [human, agent] }");
    s.write("new.yaml", new);
    // Logs without a label or an assignment: misroute_rate has no data.
    s.write(
        "unlabelled.jsonl",
        "{\"conversation_id\":\"u1\",\"role\":\"customer\",\"text\":\"refund please\"}\n",
    );
    s
}

/// `handoff diff matrix.yaml new.yaml log.jsonl` with more arguments.
fn diff(s: &Scratch, extra: &[&str]) -> crate::Output {
    let mut args = vec!["diff", "matrix.yaml", "new.yaml", "log.jsonl"];
    args.extend_from_slice(extra);
    Run::new(args).dir(s.path()).run()
}

#[test]
fn a_gate_on_a_metric_without_data_fails_unless_allowed() {
    let s = fixture();
    let gate = ["--fail-if", "misroute_rate > 0.1"];
    let run = |extra: &[&str]| {
        let mut args = vec!["replay", "matrix.yaml", "unlabelled.jsonl", "-f", "json"];
        args.extend_from_slice(&gate);
        args.extend_from_slice(extra);
        Run::new(args).dir(s.path()).run()
    };
    let out = run(&[]).code(1).stderr_has(
        "gate failed: misroute_rate > 0.1 (misroute_rate has no data; --allow-null-gates lets a gate without data pass)",
    );
    let g = &out.json()["gates"][0];
    assert_eq!(
        (&g["status"], &g["failed"], &g["value"]),
        (&"no_data".into(), &true.into(), &serde_json::Value::Null)
    );
    let out = run(&["--allow-null-gates"]).code(0).stderr_has(
        "gate not checked: misroute_rate > 0.1 (misroute_rate has no data, allowed by --allow-null-gates)",
    );
    assert_eq!(out.json()["gates"][0]["status"], "no_data_allowed");
    s.write("handoff.toml", "[gates]\nallow_null = true\n");
    run(&[]).code(0);
}

#[test]
fn fail_if_delta_gates_the_change_from_base_to_new() {
    let s = fixture();
    let delta = |gate: &str| diff(&s, &["-f", "json", "--fail-if-delta", gate]);
    // 6 of 9 conversations escalate under BASE, 7 under NEW.
    let out = delta("escalation_rate > 0.1").code(1).stderr_has(
        "gate failed: change in escalation_rate > 0.1 (it changed by +0.1111, from 0.6667 to 0.7778)",
    );
    let g = &out.json()["gates"][0];
    assert_eq!(
        (&g["on"], &g["status"]),
        (&"delta".into(), &"failed".into())
    );
    delta("escalation_rate > 0.2").code(0);
    delta("escalation_rate < 0").code(0);
    delta("escalation_rate >")
        .code(2)
        .stderr_has("is not a number");
    s.write(
        "handoff.toml",
        "[gates]\nfail_if_delta = [\"escalation_rate > 0.1\"]\n",
    );
    diff(&s, &["-f", "json"]).code(1);
    s.write(
        "handoff.toml",
        "[gates]\nfail_if_delta = [\"escalation > 0.1\"]\n",
    );
    diff(&s, &[])
        .code(2)
        .stderr_has("handoff.toml:2:18: gate `escalation > 0.1`");
}

/// The Markdown of `diff` with three failing gates.
fn diff_markdown(s: &Scratch) -> String {
    let gates = [
        "--fail-if",
        "escalation_rate > 0.5",
        "--fail-if",
        "labelled < 100",
        "--fail-if",
        "bot_trap_rate > 0.5",
        "--fail-if-delta",
        "escalation_rate > 0",
    ];
    let mut args = vec!["-f", "markdown"];
    args.extend_from_slice(&gates);
    diff(s, &args).code(1).stdout
}

/// What a CommonMark renderer makes of a report: the list items inside block quotes, and the
/// strong text outside them.
fn structure(markdown: &str) -> (usize, Vec<String>, Vec<String>) {
    let (mut depth, mut quotes, mut in_item, mut in_strong) = (0, 0, false, false);
    let (mut items, mut outside_strong) = (Vec::new(), Vec::new());
    for e in Parser::new(markdown) {
        match e {
            Event::Start(Tag::BlockQuote(_)) => {
                depth += 1;
                quotes += 1;
            }
            Event::End(TagEnd::BlockQuote(_)) => depth -= 1,
            Event::Start(Tag::Item) if depth > 0 => {
                in_item = true;
                items.push(String::new());
            }
            Event::End(TagEnd::Item) => in_item = false,
            Event::Start(Tag::Strong) => in_strong = true,
            Event::End(TagEnd::Strong) => in_strong = false,
            Event::Text(t) | Event::Code(t) => {
                if in_item && let Some(last) = items.last_mut() {
                    last.push_str(&t);
                }
                if in_strong && depth == 0 {
                    outside_strong.push(t.to_string());
                }
            }
            _ => {}
        }
    }
    (quotes, items, outside_strong)
}

#[test]
fn failed_gates_render_as_one_quoted_list_in_markdown() {
    let s = fixture();
    let md = diff_markdown(&s);
    let (quotes, items, outside) = structure(&md);
    assert_eq!(quotes, 1, "{md}");
    assert_eq!(items.len(), 4, "one item per gate:\n{md}");
    assert!(
        items[0].contains("escalation_rate > 0.5 FAILED: the value is 0.7778 (77.8 %)"),
        "{items:?}"
    );
    assert!(
        items[1].contains("labelled < 100 FAILED: the value is 6"),
        "{items:?}"
    );
    assert!(items[2].contains("bot_trap_rate > 0.5 passed"), "{items:?}");
    assert!(
        items[3].contains("change in escalation_rate > 0 FAILED: it changed by +0.1111"),
        "{items:?}"
    );
    assert!(
        md.contains("> **❌ 3 gates failed on the new matrix**"),
        "{md}"
    );
    assert!(
        outside
            .iter()
            .any(|t| t.contains("conversation changes outcome")),
        "the bold line after the gates is pulled into the quote:\n{md}"
    );
    let replay = Run::new([
        "replay",
        "matrix.yaml",
        "unlabelled.jsonl",
        "-f",
        "markdown",
        "--fail-if",
        "misroute_rate > 0.1",
        "--fail-if",
        "escalation_rate > 0.5",
    ])
    .dir(s.path())
    .run()
    .code(1)
    .stdout;
    let (_, items, _) = structure(&replay);
    assert_eq!(items.len(), 2, "{replay}");
    assert!(items[0].contains("misroute_rate has no data"), "{items:?}");
    // The tables after the quote still render as tables.
    let tables = Parser::new_ext(&replay, pulldown_cmark::Options::ENABLE_TABLES)
        .filter(|e| matches!(e, Event::Start(Tag::Table(_))))
        .count();
    assert_eq!(tables, 4, "{replay}");
}

#[test]
fn every_format_shows_each_gate_with_its_value() {
    let s = fixture();
    let run = |format: &str| {
        Run::new([
            "replay",
            "matrix.yaml",
            "log.jsonl",
            "-f",
            format,
            "--fail-if",
            "bot_trap_rate > 0.1",
            "--fail-if",
            "escalation_rate > 0.9",
        ])
        .dir(s.path())
        .run()
        .code(1)
        .stdout
    };
    let table = run("table");
    assert!(
        table.contains("gate bot_trap_rate > 0.1: FAILED (the value is 0.1111 (11.1 %))\n")
            && table
                .contains("gate escalation_rate > 0.9: passed (the value is 0.6667 (66.7 %))\n"),
        "{table}"
    );
    let csv = run("csv");
    assert!(
        csv.contains("gates,bot_trap_rate > 0.1,failed,0.1111\n")
            && csv.contains("gates,escalation_rate > 0.9,passed,0.6667\n"),
        "{csv}"
    );
    let json: serde_json::Value = serde_json::from_str(&run("json")).expect("json");
    assert_eq!(
        json["gates"][0],
        serde_json::json!({"gate": "bot_trap_rate > 0.1", "metric": "bot_trap_rate", "op": ">",
            "bound": 0.1, "on": "value", "value": 1.0 / 9.0, "status": "failed", "failed": true})
    );
    let diff_csv = diff(&s, &["-f", "csv", "--fail-if-delta", "escalation_rate > 0"])
        .code(1)
        .stdout;
    assert!(
        diff_csv.contains("gates,change in escalation_rate > 0: failed,0.6667,0.7778,0.1111\n"),
        "{diff_csv}"
    );
}

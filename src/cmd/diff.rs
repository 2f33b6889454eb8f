//! `handoff diff BASE NEW LOG…`: what a rule change would have done to the same conversations.
//!
//! Both matrices replay every conversation in one pass over the input. The report has the metric
//! deltas and the conversations whose outcome changed — outcome being the pair (lane, escalation
//! point), so a conversation that escalates earlier or later into the same lane counts as a
//! `recovery → recovery` transition — grouped by transition with their ids. Gates apply to NEW.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use crate::cli::{DiffArgs, ReportFormat};
use crate::engine::Compiled;
use crate::engine::replay::Outcome;
use crate::engine::run;
use crate::error::Error;
use crate::metrics::Report;
use crate::metrics::gates::{self, Checked};
use crate::metrics::tally::escalation_key;
use crate::metrics::{Keep, Tally};
use crate::output;
use crate::report::{is_rate, json_number, number, percent};

/// Conversations that moved from one lane to another (or to another escalation point).
#[derive(Debug, Clone, PartialEq)]
pub struct Transition {
    pub from: String,
    pub to: String,
    pub conversations: Vec<String>,
}

/// Pairs the outcomes (both sorted by id) and groups the changed ones.
pub fn transitions(
    base: &Compiled,
    new: &Compiled,
    a: &[Outcome],
    b: &[Outcome],
) -> Vec<Transition> {
    let mut groups: BTreeMap<(String, String), Vec<String>> = BTreeMap::new();
    for (x, y) in a.iter().zip(b) {
        let (kx, ky) = (escalation_key(base, x), escalation_key(new, y));
        if kx != ky {
            groups
                .entry((kx.0.to_owned(), ky.0.to_owned()))
                .or_default()
                .push(x.id.clone());
        }
    }
    let mut out: Vec<Transition> = groups
        .into_iter()
        .map(|((from, to), conversations)| Transition {
            from,
            to,
            conversations,
        })
        .collect();
    out.sort_by(|p, q| {
        q.conversations
            .len()
            .cmp(&p.conversations.len())
            .then_with(|| (&p.from, &p.to).cmp(&(&q.from, &q.to)))
    });
    out
}

pub fn run(args: &DiffArgs) -> Result<u8, Error> {
    let s = crate::cmd::replay::setup(&args.common, &args.input, &args.run)?;
    let mut inputs = vec![args.base.as_path(), args.new.as_path()];
    inputs.extend(s.config_path.as_deref());
    crate::cmd::guard_outputs(&[args.run.output.as_deref()], &inputs, Some(&args.input))?;
    let base = crate::cmd::replay::matrix(&args.base, &s.levels, args.common.quiet)?;
    let new = crate::cmd::replay::matrix(&args.new, &s.levels, args.common.quiet)?;
    let opts = crate::cmd::replay::run_options(&args.run);
    let matrices = [base, new];
    let empty = Tally::new(&matrices, Keep::Changed);
    let result = run::run(&matrices, &args.input.logs, &s.read, &opts, &empty)?;
    if !args.common.quiet {
        crate::output::note(&result.stats.report());
    }
    if result.stats.messages == 0 {
        return Err(crate::cmd::nothing_read(&args.input, &result.stats));
    }
    let [base, new] = matrices;
    let tallied = result.tally.finish();
    let mut aggs = tallied.aggregates.into_iter();
    let (Some(a), Some(b)) = (aggs.next(), aggs.next()) else {
        return Err(Error::Internal(
            "diff replayed fewer than two matrices".into(),
        ));
    };
    let ra = a.report(&base, &result.stats);
    let rb = b.report(&new, &result.stats);
    let (oa, ob) = (&tallied.outcomes[0], &tallied.outcomes[1]);
    let ts = transitions(&base, &new, oa, ob);
    let mut checked = gates::check(&s.gates, &rb, s.allow_null);
    let mut delta_gates = Vec::with_capacity(args.fail_if_delta.len());
    for g in &args.fail_if_delta {
        delta_gates.push(gates::Gate::delta(g)?);
    }
    delta_gates.extend(s.delta_gates.iter().cloned());
    checked.extend(gates::check_delta(&delta_gates, &ra, &rb, s.allow_null));
    let names = (
        args.base.display().to_string(),
        args.new.display().to_string(),
    );
    let text = match crate::cmd::replay::format(&args.run) {
        ReportFormat::Json => {
            let mut s = serde_json::to_string_pretty(&json_report(&names, &ra, &rb, &ts, &checked))
                .unwrap_or_default();
            s.push('\n');
            s
        }
        ReportFormat::Markdown => {
            markdown(&names, &ra, &rb, &ts, &checked, args.ids, !args.no_redact)
        }
        ReportFormat::Table => table(&names, &ra, &rb, &ts, &checked, args.ids),
        ReportFormat::Csv => csv(&ra, &rb, &ts, &checked),
    };
    output::emit(args.run.output.as_deref(), &text)?;
    crate::output::note(&crate::report::gates::notes(&checked));
    Ok(u8::from(checked.iter().any(Checked::failed)))
}

fn changed(ts: &[Transition]) -> usize {
    ts.iter().map(|t| t.conversations.len()).sum()
}

fn delta(a: Option<f64>, b: Option<f64>) -> Option<f64> {
    Some(b? - a?)
}

fn show(name: &str, v: Option<f64>) -> String {
    match v {
        None => "n/a".into(),
        Some(v) if is_rate(name) => percent(Some(v)),
        Some(v) => number(v),
    }
}

fn show_delta(name: &str, d: Option<f64>) -> String {
    match d {
        None => "n/a".into(),
        Some(0.0) => "0".into(),
        // A change smaller than the shown precision is not shown as "-0.0".
        Some(d) if is_rate(name) => format!("{:+.1} pp", d * 100.0)
            .replace("-0.0 ", "±0.0 ")
            .replace("+0.0 ", "±0.0 "),
        Some(d) => format!("{}{}", if d > 0.0 { "+" } else { "" }, number(d)),
    }
}

fn json_report(
    names: &(String, String),
    a: &Report,
    b: &Report,
    ts: &[Transition],
    checked: &[Checked],
) -> Value {
    let metrics: serde_json::Map<String, Value> = a
        .metrics
        .iter()
        .zip(&b.metrics)
        .map(|((n, va), (_, vb))| {
            ((*n).to_owned(), json!({"base": json_number(*va), "new": json_number(*vb), "delta": json_number(delta(*va, *vb))}))
        })
        .collect();
    json!({
        "schema_version": 1,
        "base": names.0,
        "new": names.1,
        "changed": changed(ts),
        "transitions": ts.iter().map(|t| json!({"from": t.from, "to": t.to, "count": t.conversations.len(), "conversations": t.conversations})).collect::<Vec<_>>(),
        "metrics": metrics,
        "gates": crate::report::gates::json(checked),
    })
}

fn ids(t: &Transition, n: usize) -> String {
    let mut s: Vec<&str> = t.conversations.iter().take(n).map(String::as_str).collect();
    if t.conversations.len() > n {
        s.push("…");
    }
    s.join(", ")
}

fn table(
    names: &(String, String),
    a: &Report,
    b: &Report,
    ts: &[Transition],
    checked: &[Checked],
    n: usize,
) -> String {
    use comfy_table::{Table, presets::UTF8_FULL_CONDENSED};
    let mut out = format!("handoff diff: {} → {}\n\n", names.0, names.1);
    let mut t = Table::new();
    t.load_style(UTF8_FULL_CONDENSED);
    t.set_header(vec!["metric", "base", "new", "delta"]);
    for ((name, va), (_, vb)) in a.metrics.iter().zip(&b.metrics) {
        t.add_row(vec![
            name.to_string(),
            show(name, *va),
            show(name, *vb),
            show_delta(name, delta(*va, *vb)),
        ]);
    }
    out.push_str(&format!(
        "{t}\n\n{} conversations changed outcome\n",
        changed(ts)
    ));
    for tr in ts {
        out.push_str(&format!(
            "  {} → {}: {}  ({})\n",
            tr.from,
            tr.to,
            tr.conversations.len(),
            ids(tr, n)
        ));
    }
    out.push_str(&crate::report::gates::table(checked));
    out
}

fn md(s: &str) -> String {
    s.replace('|', "\\|").replace('`', "'")
}

fn markdown(
    names: &(String, String),
    a: &Report,
    b: &Report,
    ts: &[Transition],
    checked: &[Checked],
    n: usize,
    redact: bool,
) -> String {
    let mut s = format!(
        "### handoff diff: `{}` → `{}`\n\n",
        md(&names.0),
        md(&names.1)
    );
    s.push_str(&crate::report::gates::markdown(
        checked,
        " on the new matrix",
    ));
    s.push_str(&format!(
        "**{} conversations change outcome.**\n\n",
        changed(ts)
    ));
    if !ts.is_empty() {
        s.push_str("| from | to | conversations | examples |\n|---|---|---:|---|\n");
        for t in ts {
            s.push_str(&format!(
                "| {} | {} | {} | {} |\n",
                md(&t.from),
                md(&t.to),
                t.conversations.len(),
                md(&if redact {
                    crate::engine::pii::redact(&ids(t, n))
                } else {
                    ids(t, n)
                })
            ));
        }
        s.push('\n');
    }
    s.push_str("| metric | base | new | delta |\n|---|---:|---:|---:|\n");
    for ((name, va), (_, vb)) in a.metrics.iter().zip(&b.metrics) {
        s.push_str(&format!(
            "| {name} | {} | {} | {} |\n",
            show(name, *va),
            show(name, *vb),
            show_delta(name, delta(*va, *vb))
        ));
    }
    s
}

fn csv(a: &Report, b: &Report, ts: &[Transition], checked: &[Checked]) -> String {
    let mut w = ::csv::Writer::from_writer(Vec::new());
    let _ = w.write_record(["section", "name", "base", "new", "delta"]);
    let num = |v: Option<f64>| v.map(number).unwrap_or_default();
    for ((name, va), (_, vb)) in a.metrics.iter().zip(&b.metrics) {
        let _ = w.write_record([
            &"metrics".to_owned(),
            &name.to_string(),
            &num(*va),
            &num(*vb),
            &num(delta(*va, *vb)),
        ]);
    }
    for t in ts {
        let label = format!("{} → {}", t.from, t.to);
        let _ = w.write_record([
            "transitions",
            output::csv_text(&label).as_ref(),
            "",
            &t.conversations.len().to_string(),
            "",
        ]);
    }
    for g in checked {
        // A gate row keeps the columns of the metric rows: its outcome goes with its name.
        let label = format!("{}: {}", g.gate, g.status.key());
        let (base, new) = g.sides.unwrap_or((None, g.value));
        let change = if g.sides.is_some() { g.value } else { None };
        let _ = w.write_record([
            "gates",
            output::csv_text(&label).as_ref(),
            &num(base),
            &num(new),
            &num(change),
        ]);
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

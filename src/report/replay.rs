//! Replay reports: `table` (people at a terminal), `json` (programs), `csv` (spreadsheets) and
//! `markdown` (a pull-request comment). All four show the same numbers; JSON keeps rates as
//! fractions in 0..=1 and `null` for no data, tables show percentages and `n/a`. The table puts
//! what the logs show beside what the matrix would do ([`crate::report::logged`]) and ends with a
//! pointer to `handoff metrics`, which explains every name.

use comfy_table::{Cell, ContentArrangement, Table, presets::UTF8_FULL_CONDENSED};
use serde_json::{Map, Value, json};

use crate::metrics::gates::Checked;
use crate::metrics::{Metric, Report};
use crate::report::{json_number, number, percent, show};
use crate::text::csv_text;

/// The JSON report (SPEC section 5): `schema_version`, `inputs`, `metrics` and the tables.
pub fn json_value(r: &Report, matrix: &str, gates: &[Checked]) -> Value {
    let metrics: Map<String, Value> = r
        .metrics
        .iter()
        .map(|(n, v)| ((*n).to_owned(), json_number(*v)))
        .collect();
    let confusion: Map<String, Value> = r
        .confusion
        .iter()
        .map(|(t, row)| {
            (
                t.clone(),
                Value::Object(row.iter().map(|(k, v)| (k.clone(), json!(v))).collect()),
            )
        })
        .collect();
    let lanes: Vec<Value> =
        r.lanes.iter().map(|l| json!({"lane": l.lane, "conversations": l.conversations, "share": json_number(l.share)})).collect();
    let specialists: Vec<Value> = r
        .specialists
        .iter()
        .map(|s| json!({"lane": s.lane, "conversations": s.conversations, "seconds_p50": json_number(s.seconds_p50), "seconds_p90": json_number(s.seconds_p90)}))
        .collect();
    let gates = crate::report::gates::json(gates);
    json!({
        "schema_version": 1,
        "matrix": matrix,
        "inputs": r.inputs,
        "metrics": metrics,
        "escalation_rate_healthy": {"low": r.healthy_band.0, "high": r.healthy_band.1, "flag": r.rate_flag()},
        "lanes": lanes,
        "specialists": specialists,
        "triggers": r.triggers,
        "uncovered": r.uncovered,
        "confusion": confusion,
        "gates": gates,
    })
}

pub fn json(r: &Report, matrix: &str, gates: &[Checked]) -> String {
    let mut s = serde_json::to_string_pretty(&json_value(r, matrix, gates)).unwrap_or_default();
    s.push('\n');
    s
}

fn table() -> Table {
    let mut t = Table::new();
    t.load_style(UTF8_FULL_CONDENSED);
    t.set_content_arrangement(ContentArrangement::Disabled);
    t
}

/// The line every table report ends with.
pub const POINTER: &str =
    "`handoff metrics NAME` explains a metric: its definition, unit and denominator.\n";

/// A metric/value table of the metrics `pick` keeps, in report order.
fn metric_table(r: &Report, pick: impl Fn(Metric) -> bool) -> Table {
    let mut t = table();
    t.set_header(vec!["metric", "value"]);
    for (name, v) in &r.metrics {
        if Metric::parse(name).is_some_and(&pick) {
            t.add_row(vec![Cell::new(name), Cell::new(show(name, *v))]);
        }
    }
    t
}

/// The terminal report: the matrix's metrics, as logged beside this matrix, what else the logs
/// show, lanes, triggers, confusion matrix, uncovered rules, gates, and the pointer to
/// `handoff metrics`.
pub fn table_report(r: &Report, matrix: &str, gates: &[Checked]) -> String {
    let mut out = format!("handoff replay: {matrix}\n\n");
    let summary = metric_table(r, |m| !m.is_logged() && !m.is_compared());
    out.push_str(&format!("{summary}\n\n"));
    out.push_str(&crate::report::logged::side_by_side(r));
    let logged = metric_table(r, |m| m.is_logged() && !m.is_compared());
    out.push_str(&format!("As the logs show\n{logged}\n\n"));
    out.push_str(&crate::report::logged::specialists(r));
    let mut lanes = table();
    lanes.set_header(vec!["lane", "conversations", "share"]);
    for l in &r.lanes {
        lanes.add_row(vec![
            l.lane.clone(),
            l.conversations.to_string(),
            percent(l.share),
        ]);
    }
    out.push_str(&format!("Lanes\n{lanes}\n\n"));
    let mut triggers = table();
    triggers.set_header(vec!["trigger", "lane", "won", "held"]);
    for t in &r.triggers {
        triggers.add_row(vec![
            t.trigger.clone(),
            t.lane.clone(),
            t.won.to_string(),
            t.held.to_string(),
        ]);
    }
    out.push_str(&format!("Triggers\n{triggers}\n\n"));
    if !r.confusion.is_empty() {
        out.push_str(&format!(
            "Confusion (rows: truth lane, columns: matrix lane)\n{}\n\n",
            confusion_table(r)
        ));
    }
    out.push_str(&uncovered_lines(r));
    out.push_str(&crate::report::gates::table(gates));
    if !out.ends_with("\n\n") {
        out.push('\n');
    }
    out.push_str(POINTER);
    out
}

fn columns(r: &Report) -> Vec<String> {
    let mut cols: Vec<String> = r.lanes.iter().map(|l| l.lane.clone()).collect();
    for row in r.confusion.values() {
        for k in row.keys() {
            if !cols.contains(k) && k != "none" {
                cols.push(k.clone());
            }
        }
    }
    cols.push("none".into());
    cols
}

fn confusion_table(r: &Report) -> Table {
    let cols = columns(r);
    let mut t = table();
    let mut header = vec!["truth \\ matrix".to_owned()];
    header.extend(cols.iter().cloned());
    t.set_header(header);
    for (truth, row) in &r.confusion {
        let mut cells = vec![truth.clone()];
        cells.extend(
            cols.iter()
                .map(|c| row.get(c).map_or_else(|| "·".to_owned(), |n| n.to_string())),
        );
        t.add_row(cells);
    }
    t
}

fn uncovered_lines(r: &Report) -> String {
    let mut s = String::new();
    if !r.uncovered.triggers.is_empty() {
        s.push_str(&format!(
            "Uncovered triggers (never held): {}\n",
            r.uncovered.triggers.join(", ")
        ));
    }
    if !r.uncovered.lanes.is_empty() {
        s.push_str(&format!(
            "Uncovered lanes (no trigger of theirs held): {}\n",
            r.uncovered.lanes.join(", ")
        ));
    }
    s
}

/// Long-format CSV: `section,name,field,value`, one number per row.
pub fn csv(r: &Report, gates: &[Checked]) -> String {
    let mut w = ::csv::Writer::from_writer(Vec::new());
    let mut row = |a: &str, b: &str, c: &str, d: String| {
        let _ = w.write_record([
            csv_text(a).as_ref(),
            csv_text(b).as_ref(),
            csv_text(c).as_ref(),
            d.as_str(),
        ]);
    };
    row("section", "name", "field", "value".into());
    let num = |v: Option<f64>| v.map(number).unwrap_or_default();
    for (n, v) in &r.metrics {
        row("metrics", n, "", num(*v));
    }
    for (k, v) in &r.inputs.skipped_by_reason {
        row("skipped_by_reason", k, "", v.to_string());
    }
    row("inputs", "duplicates", "", r.inputs.duplicates.to_string());
    // Only inputs that have non-messages (JSON documents) show them, so the CSV of every other
    // input stays as it was.
    if r.inputs.non_messages > 0 {
        row(
            "inputs",
            "non_messages",
            "",
            r.inputs.non_messages.to_string(),
        );
        for (k, v) in &r.inputs.non_messages_by_kind {
            row("non_messages_by_kind", k, "", v.to_string());
        }
    }
    for l in &r.lanes {
        row(
            "lanes",
            &l.lane,
            "conversations",
            l.conversations.to_string(),
        );
        row("lanes", &l.lane, "share", num(l.share));
    }
    for s in &r.specialists {
        row(
            "specialists",
            &s.lane,
            "conversations",
            s.conversations.to_string(),
        );
        row("specialists", &s.lane, "seconds_p50", num(s.seconds_p50));
        row("specialists", &s.lane, "seconds_p90", num(s.seconds_p90));
    }
    for t in &r.triggers {
        row("triggers", &t.trigger, "won", t.won.to_string());
        row("triggers", &t.trigger, "held", t.held.to_string());
    }
    for (truth, cols) in &r.confusion {
        for (m, n) in cols {
            row("confusion", truth, m, n.to_string());
        }
    }
    for t in &r.uncovered.triggers {
        row("uncovered", t, "trigger", String::new());
    }
    for l in &r.uncovered.lanes {
        row("uncovered", l, "lane", String::new());
    }
    for g in gates {
        row("gates", &g.gate.to_string(), g.status.key(), num(g.value));
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

fn md_escape(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

/// Markdown, for a pull-request comment.
pub fn markdown(r: &Report, matrix: &str, gates: &[Checked]) -> String {
    let mut s = format!("### handoff replay: `{}`\n\n", md_escape(matrix));
    if let Some(flag) = r.rate_flag() {
        s.push_str(&format!("> ⚠ The escalation rate is {flag}.\n\n"));
    }
    s.push_str(&crate::report::gates::markdown(gates, ""));
    s.push_str("| metric | value |\n|---|---:|\n");
    for (n, v) in &r.metrics {
        s.push_str(&format!("| {n} | {} |\n", show(n, *v)));
    }
    s.push('\n');
    s.push_str(&crate::report::logged::side_by_side_markdown(r));
    s.push_str(&crate::report::logged::specialists_markdown(r, md_escape));
    s.push_str("\n| lane | conversations | share |\n|---|---:|---:|\n");
    for l in &r.lanes {
        s.push_str(&format!(
            "| {} | {} | {} |\n",
            md_escape(&l.lane),
            l.conversations,
            percent(l.share)
        ));
    }
    s.push_str("\n| trigger | lane | won | held |\n|---|---|---:|---:|\n");
    for t in &r.triggers {
        s.push_str(&format!(
            "| {} | {} | {} | {} |\n",
            md_escape(&t.trigger),
            md_escape(&t.lane),
            t.won,
            t.held
        ));
    }
    if !r.confusion.is_empty() {
        let cols = columns(r);
        s.push_str(&format!(
            "\n| truth \\ matrix | {} |\n|---|{}\n",
            cols.join(" | "),
            "---:|".repeat(cols.len())
        ));
        for (truth, row) in &r.confusion {
            let cells: Vec<String> = cols
                .iter()
                .map(|c| row.get(c).map_or_else(|| "·".to_owned(), |n| n.to_string()))
                .collect();
            s.push_str(&format!(
                "| {} | {} |\n",
                md_escape(truth),
                cells.join(" | ")
            ));
        }
    }
    let unc = uncovered_lines(r);
    if !unc.is_empty() {
        s.push('\n');
        s.push_str(&unc);
    }
    s
}

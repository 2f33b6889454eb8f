//! Diff reports: what a rule change would have done, as `json`, `table`, `markdown` and `csv`.
//!
//! Each shows the metric deltas (BASE, NEW, delta) and the conversations whose outcome changed,
//! grouped by transition; gates read as in the replay reports (`report::gates`) and apply to NEW.
//! The logged figures (SPEC section 5.5) read the logs, not the matrices: they are shown once, as
//! `logged`, unless the two matrices' settings make one differ ([`crate::report::logged::split`]).

use serde_json::{Value, json};

use crate::metrics::Report;
use crate::metrics::diff::{Transition, changed, delta};
use crate::metrics::gates::Checked;
use crate::report::logged::{once_table, split};
use crate::report::{is_rate, json_number, number, show};

/// What a diff report shows: the two matrices' names and reports, the conversations that changed
/// outcome, and the gates.
pub struct Diff<'a> {
    pub names: (String, String),
    pub base: &'a Report,
    pub new: &'a Report,
    pub transitions: &'a [Transition],
    pub gates: &'a [Checked],
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

/// The JSON report: `schema_version`, both matrices, the transitions, metrics and gates.
pub fn json_value(d: &Diff<'_>) -> Value {
    let (names, a, b, ts, checked) = (&d.names, d.base, d.new, d.transitions, d.gates);
    let (changing, once) = split(a, b);
    let metrics: serde_json::Map<String, Value> = changing
        .iter()
        .map(|(n, va, vb)| {
            ((*n).to_owned(), json!({"base": json_number(*va), "new": json_number(*vb), "delta": json_number(delta(*va, *vb))}))
        })
        .collect();
    let logged: serde_json::Map<String, Value> = once
        .iter()
        .map(|(n, v)| ((*n).to_owned(), json_number(*v)))
        .collect();
    json!({
        "schema_version": 1,
        "base": names.0,
        "new": names.1,
        "changed": changed(ts),
        "transitions": ts.iter().map(|t| json!({"from": t.from, "to": t.to, "count": t.conversations.len(), "conversations": t.conversations})).collect::<Vec<_>>(),
        "metrics": metrics,
        "logged": logged,
        "gates": crate::report::gates::json(checked),
    })
}

/// The JSON report, pretty-printed.
pub fn json(d: &Diff<'_>) -> String {
    let mut s = serde_json::to_string_pretty(&json_value(d)).unwrap_or_default();
    s.push('\n');
    s
}

fn ids(t: &Transition, n: usize) -> String {
    let mut s: Vec<&str> = t.conversations.iter().take(n).map(String::as_str).collect();
    if t.conversations.len() > n {
        s.push("…");
    }
    s.join(", ")
}

/// The table, for people at a terminal; `n` ids are shown per transition.
pub fn table(d: &Diff<'_>, n: usize) -> String {
    let (names, a, b, ts, checked) = (&d.names, d.base, d.new, d.transitions, d.gates);
    use comfy_table::{Table, presets::UTF8_FULL_CONDENSED};
    let mut out = format!("handoff diff: {} → {}\n\n", names.0, names.1);
    let mut t = Table::new();
    t.load_style(UTF8_FULL_CONDENSED);
    t.set_header(vec!["metric", "base", "new", "delta"]);
    let (changing, once) = split(a, b);
    for (name, va, vb) in &changing {
        t.add_row(vec![
            name.to_string(),
            show(name, *va),
            show(name, *vb),
            show_delta(name, delta(*va, *vb)),
        ]);
    }
    out.push_str(&format!("{t}\n\n{}", once_table(&once)));
    out.push_str(&format!(
        "{} changed outcome\n",
        crate::text::plural(changed(ts), "conversation", "conversations")
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

/// Markdown, for a pull-request comment; the example ids are masked when `redact`.
pub fn markdown(d: &Diff<'_>, n: usize, redact: bool) -> String {
    let (names, a, b, ts, checked) = (&d.names, d.base, d.new, d.transitions, d.gates);
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
        "**{} outcome.**\n\n",
        crate::text::plural(changed(ts), "conversation changes", "conversations change")
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
    let (changing, once) = split(a, b);
    for (name, va, vb) in &changing {
        s.push_str(&format!(
            "| {name} | {} | {} | {} |\n",
            show(name, *va),
            show(name, *vb),
            show_delta(name, delta(*va, *vb))
        ));
    }
    if !once.is_empty() {
        s.push_str("\n| as logged (the same for both matrices) | value |\n|---|---:|\n");
        for (name, v) in &once {
            s.push_str(&format!("| {name} | {} |\n", show(name, *v)));
        }
    }
    s
}

/// CSV, for spreadsheets: metric, transition and gate rows under one header.
pub fn csv(d: &Diff<'_>) -> String {
    let (a, b, ts, checked) = (d.base, d.new, d.transitions, d.gates);
    let mut w = ::csv::Writer::from_writer(Vec::new());
    let _ = w.write_record(["section", "name", "base", "new", "delta"]);
    let num = |v: Option<f64>| v.map(number).unwrap_or_default();
    let (changing, once) = split(a, b);
    for (name, va, vb) in &changing {
        let _ = w.write_record([
            &"metrics".to_owned(),
            &name.to_string(),
            &num(*va),
            &num(*vb),
            &num(delta(*va, *vb)),
        ]);
    }
    // A logged figure is the same for both matrices: its one value in the `base` column.
    for (name, v) in &once {
        let _ = w.write_record(["logged", name, &num(*v), "", ""]);
    }
    for t in ts {
        let label = format!("{} → {}", t.from, t.to);
        let _ = w.write_record([
            "transitions",
            crate::text::csv_text(&label).as_ref(),
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
            crate::text::csv_text(&label).as_ref(),
            &num(base),
            &num(new),
            &num(change),
        ]);
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

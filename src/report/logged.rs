//! The as-logged parts of the replay and diff reports (SPEC section 5.5): the side-by-side block
//! of what the logs show beside what the matrix would do, the time to specialist by lane, and the
//! split of a diff's metrics into those that depend on the matrices and the logged figures, which
//! are shown once.

use comfy_table::{ContentArrangement, Table, presets::UTF8_FULL_CONDENSED};

use crate::metrics::{Metric, Report};
use crate::report::{number, show};

/// The pairs the side-by-side block shows: the matrix metric, its value as logged and under the
/// matrix.
pub fn compared(r: &Report) -> Vec<(Metric, Option<f64>, Option<f64>)> {
    Metric::ALL
        .iter()
        .filter_map(|m| {
            let logged = m.as_logged()?;
            let value = |x: Metric| r.metric(x.name()).flatten();
            Some((*m, value(logged), value(*m)))
        })
        .collect()
}

fn table() -> Table {
    let mut t = Table::new();
    t.load_style(UTF8_FULL_CONDENSED);
    t.set_content_arrangement(ContentArrangement::Disabled);
    t
}

/// The terminal block: one row per compared pair, each metric under its own name — the logged one
/// and its value, then the matrix's; the matrix's escalation rate is marked when it is outside the
/// healthy band, and the reason said under the block.
pub fn side_by_side(r: &Report) -> String {
    let mut t = table();
    t.set_header(vec!["as logged", "value", "this matrix", "value"]);
    for (m, logged, matrix) in compared(r) {
        let flag = if m == Metric::EscalationRate && r.rate_flag().is_some() {
            " ⚠"
        } else {
            ""
        };
        let twin = m.as_logged().map_or("", Metric::name);
        t.add_row(vec![
            twin.to_owned(),
            show(twin, logged),
            m.name().to_owned(),
            format!("{}{flag}", show(m.name(), matrix)),
        ]);
    }
    let mut s = format!("As logged | this matrix\n{t}\n");
    if let Some(flag) = r.rate_flag() {
        s.push_str(&format!("⚠ this matrix's escalation_rate is {flag}\n"));
    }
    s.push('\n');
    s
}

/// The same block in Markdown.
pub fn side_by_side_markdown(r: &Report) -> String {
    let mut s = String::from("| as logged | value | this matrix | value |\n|---|---:|---|---:|\n");
    for (m, logged, matrix) in compared(r) {
        let twin = m.as_logged().map_or("", Metric::name);
        s.push_str(&format!(
            "| {twin} | {} | {} | {} |\n",
            show(twin, logged),
            m.name(),
            show(m.name(), matrix)
        ));
    }
    s
}

fn seconds(v: Option<f64>) -> String {
    v.map_or_else(|| "n/a".into(), number)
}

/// Time to specialist by lane, for the terminal; empty when no event named a lane.
pub fn specialists(r: &Report) -> String {
    if r.specialists.is_empty() {
        return String::new();
    }
    let mut t = table();
    t.set_header(vec!["lane", "conversations", "seconds_p50", "seconds_p90"]);
    for s in &r.specialists {
        t.add_row(vec![
            s.lane.clone(),
            s.conversations.to_string(),
            seconds(s.seconds_p50),
            seconds(s.seconds_p90),
        ]);
    }
    format!("Time to specialist by logged lane\n{t}\n\n")
}

/// Time to specialist by lane, in Markdown; lane names escaped with `esc`.
pub fn specialists_markdown(r: &Report, esc: impl Fn(&str) -> String) -> String {
    if r.specialists.is_empty() {
        return String::new();
    }
    let mut s = String::from(
        "\n| logged lane | conversations | seconds_p50 | seconds_p90 |\n|---|---:|---:|---:|\n",
    );
    for l in &r.specialists {
        s.push_str(&format!(
            "| {} | {} | {} | {} |\n",
            esc(&l.lane),
            l.conversations,
            seconds(l.seconds_p50),
            seconds(l.seconds_p90)
        ));
    }
    s
}

/// A diff's metrics, split: `(changing, once)`. `changing` holds the metrics that depend on the
/// matrices, with both values; `once` the logged figures, with their one value. A logged figure
/// that reads `settings` the two matrices set differently (the trap settings, `window_warning`)
/// may differ: it then stays with the changing ones.
pub type Split = (
    Vec<(&'static str, Option<f64>, Option<f64>)>,
    Vec<(&'static str, Option<f64>)>,
);

pub fn split(base: &Report, new: &Report) -> Split {
    let (mut changing, mut once) = (Vec::new(), Vec::new());
    for ((name, a), (_, b)) in base.metrics.iter().zip(&new.metrics) {
        let logged = Metric::parse(name).is_some_and(Metric::is_logged);
        if logged && a == b {
            once.push((*name, *a));
        } else {
            changing.push((*name, *a, *b));
        }
    }
    (changing, once)
}

/// The logged figures of a diff, once, for the terminal.
pub fn once_table(once: &[(&str, Option<f64>)]) -> String {
    if once.is_empty() {
        return String::new();
    }
    let mut t = table();
    t.set_header(vec!["metric", "as logged"]);
    for (name, v) in once {
        t.add_row(vec![(*name).to_owned(), show(name, *v)]);
    }
    format!("As logged (the same for both matrices)\n{t}\n\n")
}

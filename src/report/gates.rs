//! How gates read in every report: one line per gate with its metric, bound and value.
//!
//! A failed gate is the one thing in a CI log or a pull-request comment that must not be missed,
//! so each format says which gate, what it compared and why it failed: the value, the change from
//! BASE to NEW for a delta gate, or that the metric had no data.

use serde_json::{Value, json};

use crate::metrics::gates::{Checked, On, Status};
use crate::report::{is_rate, json_number, number, percent};

/// A value for people: the number the bound is written in, and for a rate the percentage too.
fn shown(metric: &str, v: f64) -> String {
    if is_rate(metric) {
        format!("{} ({})", number(v), percent(Some(v)))
    } else {
        number(v)
    }
}

fn signed(v: f64) -> String {
    format!("{}{}", if v > 0.0 { "+" } else { "" }, number(v))
}

fn side(v: Option<f64>) -> String {
    v.map_or_else(|| "no data".into(), number)
}

/// Why the gate came out as it did, in words: `the value is 0.031 (3.1 %)`.
pub fn detail(c: &Checked) -> String {
    let metric = &c.gate.metric;
    let no_data = match c.gate.on {
        On::Value => format!("{metric} has no data"),
        On::Delta => match c.sides {
            Some((a, b)) => format!("{metric} has no data ({} → {})", side(a), side(b)),
            None => format!("{metric} has no data"),
        },
    };
    match (c.status, c.value, c.sides) {
        (Status::NoData, _, _) => {
            format!("{no_data}; --allow-null-gates lets a gate without data pass")
        }
        (Status::NoDataAllowed, _, _) => format!("{no_data}, allowed by --allow-null-gates"),
        (_, Some(v), Some((Some(a), Some(b)))) => {
            format!(
                "it changed by {}, from {} to {}",
                signed(v),
                number(a),
                number(b)
            )
        }
        (_, Some(v), _) => format!("the value is {}", shown(metric, v)),
        (_, None, _) => no_data,
    }
}

fn state(s: Status) -> &'static str {
    match s {
        Status::Passed => "passed",
        Status::Failed | Status::NoData => "FAILED",
        Status::NoDataAllowed => "not checked",
    }
}

/// Lines for stderr: the gates that failed and those that could not be checked.
pub fn notes(checked: &[Checked]) -> String {
    checked
        .iter()
        .filter(|c| c.status != Status::Passed)
        .map(|c| {
            let word = if c.failed() {
                "gate failed"
            } else {
                "gate not checked"
            };
            format!("{word}: {} ({})\n", c.gate, detail(c))
        })
        .collect()
}

/// The lines that close a table report, every gate with its outcome.
pub fn table(checked: &[Checked]) -> String {
    checked
        .iter()
        .map(|c| format!("gate {}: {} ({})\n", c.gate, state(c.status), detail(c)))
        .collect()
}

/// A Markdown block quote with a line saying how the gates came out and a list of every gate,
/// ending with a blank line so that what follows is not pulled into the quote. Empty without gates.
pub fn markdown(checked: &[Checked], subject: &str) -> String {
    if checked.is_empty() {
        return String::new();
    }
    let failed = checked.iter().filter(|c| c.failed()).count();
    let head = match failed {
        0 => format!("✅ Every gate passed{subject}"),
        1 => format!("❌ 1 gate failed{subject}"),
        n => format!("❌ {n} gates failed{subject}"),
    };
    let mut s = format!("> **{head}**\n>\n");
    for c in checked {
        let mark = match c.status {
            Status::Passed => "✅",
            Status::Failed | Status::NoData => "❌",
            Status::NoDataAllowed => "➖",
        };
        s.push_str(&format!(
            "> - {mark} `{}` {}: {}\n",
            c.gate,
            state(c.status),
            detail(c)
        ));
    }
    s.push('\n');
    s
}

/// The `gates` list of a JSON report.
pub fn json(checked: &[Checked]) -> Vec<Value> {
    checked
        .iter()
        .map(|c| {
            let mut v = json!({
                "gate": c.gate.written(),
                "metric": c.gate.metric,
                "op": c.gate.op.as_str(),
                "bound": json_number(Some(c.gate.bound)),
                "on": match c.gate.on { On::Value => "value", On::Delta => "delta" },
                "value": json_number(c.value),
                "status": c.status.key(),
                "failed": c.failed(),
            });
            if let (Some((a, b)), Some(map)) = (c.sides, v.as_object_mut()) {
                map.insert("base".into(), json_number(a));
                map.insert("new".into(), json_number(b));
            }
            v
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::gates::Gate;

    fn checked(gate: &str, on: On, value: Option<f64>, status: Status) -> Checked {
        let mut gate: Gate = gate.parse().expect("gate");
        gate.on = on;
        let sides = (on == On::Delta).then_some((Some(0.01), value.map(|v| 0.01 + v)));
        Checked {
            gate,
            value,
            sides,
            status,
        }
    }

    #[test]
    fn every_gate_says_metric_bound_and_value() {
        let c = [
            checked(
                "bot_trap_rate > 0.02",
                On::Value,
                Some(0.031),
                Status::Failed,
            ),
            checked("misroute_rate > 0.1", On::Value, None, Status::NoData),
            checked(
                "bot_trap_rate > 0.005",
                On::Delta,
                Some(0.007),
                Status::Failed,
            ),
        ];
        let notes = notes(&c);
        assert!(
            notes.contains("gate failed: bot_trap_rate > 0.02 (the value is 0.031 (3.1 %))"),
            "{notes}"
        );
        assert!(
            notes.contains("misroute_rate has no data; --allow-null-gates"),
            "{notes}"
        );
        assert!(
            notes.contains(
                "change in bot_trap_rate > 0.005 (it changed by +0.007, from 0.01 to 0.017)"
            ),
            "{notes}"
        );
        assert_eq!(notes.lines().count(), 3);
    }
}

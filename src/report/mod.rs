//! Rendering results for people and machines.
//!
//! Lint findings render as `human` (miette snippets), `json`, `sarif` and `github` annotations.
//! Replay reports (`replay`) and diff reports (`diff`) render as a table, JSON, CSV and Markdown,
//! with gates read the same way in each (`gates`); `outcomes` is the per-conversation CSV of
//! `replay --outcomes`, `partial` the partial report of `replay --partial` that `merge` reads,
//! `logged` the as-logged parts the replay and diff reports share, `metrics`
//! the `handoff metrics` catalogue, `explain` the turn-by-turn trace of one conversation (shown by `explain`
//! and under a failing `test` case), and `records` the canonical JSONL and CSV of `convert`.
//! Every renderer writes to a `String`, except the records, which stream through a temporary
//! file; the command decides whether output goes to stdout or, through [`crate::output`],
//! atomically to `--output`.

pub mod cases;
pub mod diff;
pub mod explain;
pub mod gates;
pub mod github;
pub mod human;
pub mod json;
pub mod junit;
pub mod logged;
pub mod metrics;
pub mod outcomes;
pub mod partial;
pub mod records;
pub mod replay;
pub mod sarif;

use crate::lint::{Diagnostic, Severity};
use crate::source::Position;

/// Counts for the closing line of a lint run.
#[derive(Debug, Clone, Copy, Default, serde::Serialize)]
pub struct Summary {
    pub files: usize,
    pub errors: usize,
    pub warnings: usize,
}

impl Summary {
    pub fn of(files: usize, diagnostics: &[Diagnostic]) -> Summary {
        let errors = diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count();
        Summary {
            files,
            errors,
            warnings: diagnostics.len() - errors,
        }
    }
}

/// Start and end (exclusive) positions of a finding.
pub fn range(d: &Diagnostic) -> (Position, Position) {
    (
        d.file.position(d.finding.span.start),
        d.file.position(d.finding.span.end),
    )
}

pub use crate::text::plural;

/// A metric value for people: whole numbers without a fraction, others to four decimals.
pub fn number(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        let s = format!("{v:.4}");
        s.trim_end_matches('0').trim_end_matches('.').to_owned()
    }
}

/// A rate as a percentage for tables: `12.3 %`; `n/a` when there is no data.
pub fn percent(v: Option<f64>) -> String {
    match v {
        Some(v) => format!("{:.1} %", v * 100.0),
        None => "n/a".into(),
    }
}

/// A metric value for tables: a rate as a percentage, others as [`number`]; `n/a` for no data.
pub fn show(name: &str, v: Option<f64>) -> String {
    match v {
        None => "n/a".into(),
        Some(v) if is_rate(name) => percent(Some(v)),
        Some(v) => number(v),
    }
}

/// Whether a metric is a rate (a fraction, shown as a percentage), as the catalogue says.
pub fn is_rate(name: &str) -> bool {
    crate::metrics::Metric::parse(name).is_some_and(crate::metrics::Metric::is_fraction)
}

/// A JSON number, integral values without a fraction.
pub fn json_number(v: Option<f64>) -> serde_json::Value {
    match v {
        None => serde_json::Value::Null,
        Some(v) if v.fract() == 0.0 && v.abs() < 1e15 => serde_json::json!(v as i64),
        Some(v) => serde_json::json!(v),
    }
}

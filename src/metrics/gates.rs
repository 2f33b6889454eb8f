//! Gates: `metric op bound` conditions that fail a run (exit 1) when they hold.
//!
//! Written the same way on the command line (`--fail-if 'bot_trap_rate > 0.02'`) and in
//! `handoff.toml` (`[gates] fail_if = ["bot_trap_rate > 0.02"]`). `diff` also takes delta gates
//! (`--fail-if-delta`, `[gates] fail_if_delta`) on the change from BASE to NEW. A gate on a metric
//! with no data (`misroute_rate` without labels) fails, because a gate that cannot be checked must
//! not pass silently, unless `--allow-null-gates` (`[gates] allow_null = true`) lets it pass
//! (SPEC section 5.6). How gates read in each report format is `report::gates`.

use std::fmt;

use crate::metrics::{NAMES, Report};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Lt,
    Le,
    Gt,
    Ge,
    Eq,
    Ne,
}

impl Op {
    pub fn as_str(self) -> &'static str {
        match self {
            Op::Lt => "<",
            Op::Le => "<=",
            Op::Gt => ">",
            Op::Ge => ">=",
            Op::Eq => "==",
            Op::Ne => "!=",
        }
    }

    fn holds(self, a: f64, b: f64) -> bool {
        match self {
            Op::Lt => a < b,
            Op::Le => a <= b,
            Op::Gt => a > b,
            Op::Ge => a >= b,
            Op::Eq => a == b,
            Op::Ne => a != b,
        }
    }
}

/// One gate: fail when `metric op bound` holds.
#[derive(Debug, Clone, PartialEq)]
pub struct Gate {
    pub metric: String,
    pub op: Op,
    pub bound: f64,
    /// What the bound is compared with.
    pub on: On,
}

/// What a gate compares: the metric itself, or (in `diff`) its change from BASE to NEW.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum On {
    Value,
    Delta,
}

impl Gate {
    /// Reads a delta gate, written like any other (`bot_trap_rate > 0.005`).
    pub fn delta(s: &str) -> Result<Gate, GateError> {
        let mut g: Gate = s.parse()?;
        g.on = On::Delta;
        Ok(g)
    }

    /// The gate as written: `bot_trap_rate > 0.02`.
    pub fn written(&self) -> String {
        format!("{} {} {}", self.metric, self.op.as_str(), self.bound)
    }
}

impl fmt::Display for Gate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.on == On::Delta {
            f.write_str("change in ")?;
        }
        f.write_str(&self.written())
    }
}

/// Why a gate could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("gate `{given}`: {reason}")]
pub struct GateError {
    pub given: String,
    pub reason: String,
}

impl std::str::FromStr for Gate {
    type Err = GateError;

    fn from_str(s: &str) -> Result<Gate, GateError> {
        let err = |reason: String| GateError {
            given: s.to_owned(),
            reason,
        };
        let ops = [
            ("<=", Op::Le),
            (">=", Op::Ge),
            ("==", Op::Eq),
            ("!=", Op::Ne),
            ("<", Op::Lt),
            (">", Op::Gt),
        ];
        let Some((at, sym, op)) = ops
            .iter()
            .filter_map(|(sym, op)| s.find(sym).map(|i| (i, *sym, *op)))
            .min_by_key(|(i, _, _)| *i)
        else {
            return Err(err(
                "write it as `metric op bound`, with op one of < <= > >= == !=".into(),
            ));
        };
        let metric = s[..at].trim();
        let bound = s[at + sym.len()..].trim();
        if !NAMES.contains(&metric) {
            let hint = crate::text::did_you_mean(metric, NAMES.iter().copied())
                .map(|m| format!(" (did you mean `{m}`?)"))
                .unwrap_or_default();
            return Err(err(format!(
                "`{metric}` is not a metric{hint}; the metrics are {}",
                NAMES.join(", ")
            )));
        }
        let bound: f64 = bound
            .trim_end_matches('%')
            .trim()
            .parse()
            .map_err(|_| err(format!("`{bound}` is not a number")))?;
        Ok(Gate {
            metric: metric.to_owned(),
            op,
            bound,
            on: On::Value,
        })
    }
}

/// The result of one gate on a report.
#[derive(Debug, Clone, PartialEq)]
pub struct Checked {
    pub gate: Gate,
    /// What the bound was compared with: the metric, or for a delta gate its change.
    pub value: Option<f64>,
    /// For a delta gate, the metric under BASE and under NEW.
    pub sides: Option<(Option<f64>, Option<f64>)>,
    pub status: Status,
}

/// How a gate came out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Passed,
    Failed,
    /// The metric had no data, and that fails the gate.
    NoData,
    /// The metric had no data, and `--allow-null-gates` let the gate pass.
    NoDataAllowed,
}

impl Status {
    /// The name in JSON and CSV reports.
    pub fn key(self) -> &'static str {
        match self {
            Status::Passed => "passed",
            Status::Failed => "failed",
            Status::NoData => "no_data",
            Status::NoDataAllowed => "no_data_allowed",
        }
    }
}

impl Checked {
    /// Whether this gate fails the run.
    pub fn failed(&self) -> bool {
        matches!(self.status, Status::Failed | Status::NoData)
    }
}

fn judge(gate: &Gate, value: Option<f64>, allow_null: bool) -> Status {
    match value {
        Some(v) if gate.op.holds(v, gate.bound) => Status::Failed,
        Some(_) => Status::Passed,
        None if allow_null => Status::NoDataAllowed,
        None => Status::NoData,
    }
}

/// Checks the value gates on a report (delta gates are left to [`check_delta`]).
pub fn check(gates: &[Gate], report: &Report, allow_null: bool) -> Vec<Checked> {
    gates
        .iter()
        .filter(|g| g.on == On::Value)
        .map(|g| {
            let value = report.metric(&g.metric).flatten();
            Checked {
                gate: g.clone(),
                value,
                sides: None,
                status: judge(g, value, allow_null),
            }
        })
        .collect()
}

/// Checks the delta gates on the change from `base` to `new`; a change with no data on either
/// side is no data.
pub fn check_delta(gates: &[Gate], base: &Report, new: &Report, allow_null: bool) -> Vec<Checked> {
    gates
        .iter()
        .filter(|g| g.on == On::Delta)
        .map(|g| {
            let a = base.metric(&g.metric).flatten();
            let b = new.metric(&g.metric).flatten();
            let value = a.zip(b).map(|(a, b)| b - a);
            Checked {
                gate: g.clone(),
                value,
                sides: Some((a, b)),
                status: judge(g, value, allow_null),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_gates() {
        let g: Gate = "bot_trap_rate > 0.02".parse().expect("valid");
        assert_eq!(
            (g.metric.as_str(), g.op, g.bound),
            ("bot_trap_rate", Op::Gt, 0.02)
        );
        let g: Gate = "escalation_rate<=0.2".parse().expect("valid");
        assert_eq!(g.op, Op::Le);
        assert!(
            "bot_trap > 1"
                .parse::<Gate>()
                .expect_err("unknown")
                .reason
                .contains("did you mean `bot_trap_rate`")
        );
        assert!("bot_trap_rate ~ 1".parse::<Gate>().is_err());
        assert!("bot_trap_rate > x".parse::<Gate>().is_err());
    }
}

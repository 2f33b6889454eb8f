//! Gates: `metric op bound` conditions that fail a run (exit 1) when they hold.
//!
//! Written the same way on the command line (`--fail-if 'bot_trap_rate > 0.02'`) and in
//! `handoff.toml` (`[gates] fail_if = ["bot_trap_rate > 0.02"]`). A gate on a metric with no data
//! (`misroute_rate` without labels) cannot fail; the report says it had no data.

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
    fn as_str(self) -> &'static str {
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
}

impl fmt::Display for Gate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {} {}", self.metric, self.op.as_str(), self.bound)
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
            let hint = crate::lint::did_you_mean(metric, NAMES)
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
        })
    }
}

/// The result of one gate on a report.
#[derive(Debug, Clone, PartialEq)]
pub struct Checked {
    pub gate: Gate,
    pub value: Option<f64>,
    pub failed: bool,
}

pub fn check(gates: &[Gate], report: &Report) -> Vec<Checked> {
    gates
        .iter()
        .map(|g| {
            let value = report.metric(&g.metric).flatten();
            let failed = value.is_some_and(|v| g.op.holds(v, g.bound));
            Checked {
                gate: g.clone(),
                value,
                failed,
            }
        })
        .collect()
}

/// Lines for stderr: each failed gate, and gates that had no data.
pub fn describe(checked: &[Checked]) -> String {
    let mut s = String::new();
    for c in checked {
        match (c.failed, c.value) {
            (true, Some(v)) => s.push_str(&format!(
                "gate failed: {} (the value is {})\n",
                c.gate,
                crate::report::number(v)
            )),
            (false, None) => s.push_str(&format!(
                "gate not checked: {} (no data for {})\n",
                c.gate, c.gate.metric
            )),
            _ => {}
        }
    }
    s
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

//! `handoff test` for people and machines: the mistakes of case files as lint-style snippets, and
//! the cases' results as text (with the trace of each failure), JSON (one object per case) and
//! JUnit XML ([`super::junit`]).

use std::sync::Arc;

use miette::{LabeledSpan, MietteDiagnostic, NamedSource};

use crate::cases::{Decision, Rejected};

/// One case as it ran.
#[derive(Debug, Clone)]
pub struct Ran {
    /// The case file, as given.
    pub file: String,
    pub name: String,
    pub expected: Decision,
    pub got: Decision,
    /// What differs, one line each; empty when the case passed.
    pub wrong: Vec<String>,
    /// The turn-by-turn trace, for a failed case.
    pub trace: Option<String>,
}

impl Ran {
    pub fn passed(&self) -> bool {
        self.wrong.is_empty()
    }
}

/// The mistakes of rejected case files, each with its snippet, label and help.
pub fn problems(rejected: &[Rejected], color: bool) -> String {
    let handler = super::human::handler(color);
    let mut out = String::new();
    for r in rejected {
        let source = NamedSource::new(r.file.name.clone(), Arc::<str>::from(r.file.text.as_str()))
            .with_language("yaml");
        for p in &r.problems {
            let mut d = MietteDiagnostic::new(p.message.clone())
                .with_code("case-file")
                .with_severity(miette::Severity::Error)
                .with_label(LabeledSpan::new_primary_with_span(
                    Some(p.label.clone()),
                    miette::SourceSpan::new(p.span.start.into(), p.span.len()),
                ));
            if let Some(h) = &p.help {
                d = d.with_help(h.clone());
            }
            let report = miette::Report::new(d).with_source_code(source.clone());
            if handler.render_report(&mut out, report.as_ref()).is_err() {
                let at = r.file.position(p.span.start);
                out.push_str(&format!(
                    "{}:{}:{}: {}\n",
                    r.file.name, at.line, at.column, p.message
                ));
            }
            out.push('\n');
        }
    }
    out
}

/// The run as text: `ok`/`FAIL` a case, each failure with its trace, then `N passed, N failed`.
pub fn human(ran: &[Ran], quiet: bool, color: bool) -> String {
    let paint = |code: &str, s: &str| {
        if color {
            format!("\u{1b}[{code}m{s}\u{1b}[0m")
        } else {
            s.to_owned()
        }
    };
    let mut out = String::new();
    for r in ran {
        if r.passed() {
            if !quiet {
                out.push_str(&format!("{}    {}\n", paint("32", "ok"), r.name));
            }
            continue;
        }
        out.push_str(&format!(
            "{}  {} ({})\n",
            paint("31;1", "FAIL"),
            r.name,
            r.file
        ));
        for w in &r.wrong {
            out.push_str(&format!("      {w}\n"));
        }
        out.push('\n');
        for line in r.trace.iter().flat_map(|t| t.lines()) {
            out.push_str(&format!("      | {line}\n"));
        }
        out.push('\n');
    }
    let failed = ran.iter().filter(|r| !r.passed()).count();
    out.push_str(&format!("{} passed, {failed} failed\n", ran.len() - failed));
    out
}

fn decision(d: &Decision) -> serde_json::Value {
    serde_json::json!({"lane": d.0, "trigger": d.1, "at": d.2})
}

/// The run as JSON: `{"schema_version": 1, "passed", "failed", "cases": [...]}`, one object a
/// case with its file, name, outcome, what was expected and what happened.
pub fn json(ran: &[Ran]) -> String {
    let failed = ran.iter().filter(|r| !r.passed()).count();
    let cases: Vec<serde_json::Value> = ran
        .iter()
        .map(|r| {
            serde_json::json!({
                "file": r.file,
                "name": r.name,
                "passed": r.passed(),
                "expected": decision(&r.expected),
                "got": decision(&r.got),
                "failures": r.wrong,
            })
        })
        .collect();
    let doc = serde_json::json!({
        "schema_version": 1,
        "passed": ran.len() - failed,
        "failed": failed,
        "cases": cases,
    });
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
    s.push('\n');
    s
}

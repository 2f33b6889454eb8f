//! Lint findings as one JSON object: `{"schema_version": 1, "findings": [...], "summary": {...}}`.
//!
//! Positions are 1-based; `column` counts characters; `end` is the position just after the
//! finding (exclusive), equal to the start for something missing.

use serde::Serialize;

use crate::lint::Diagnostic;
use crate::report::{Summary, range};
use crate::source::Position;

#[derive(Serialize)]
struct Report<'a> {
    schema_version: u32,
    findings: Vec<Finding<'a>>,
    summary: Summary,
}

#[derive(Serialize)]
struct Finding<'a> {
    code: &'static str,
    name: &'static str,
    severity: &'static str,
    message: &'a str,
    file: &'a str,
    line: usize,
    column: usize,
    end: Position,
    label: &'a str,
    help: Option<&'a str>,
    related: Vec<Related<'a>>,
}

#[derive(Serialize)]
struct Related<'a> {
    line: usize,
    column: usize,
    message: &'a str,
}

pub fn render(diagnostics: &[Diagnostic], files: usize) -> String {
    let findings = diagnostics
        .iter()
        .map(|d| {
            let (start, end) = range(d);
            Finding {
                code: d.finding.code.as_str(),
                name: d.finding.code.name(),
                severity: d.severity.as_str(),
                message: &d.finding.message,
                file: &d.file.name,
                line: start.line,
                column: start.column,
                end,
                label: &d.finding.label,
                help: d.finding.help.as_deref(),
                related: d
                    .finding
                    .related
                    .iter()
                    .map(|(s, m)| {
                        let p = d.file.position(s.start);
                        Related {
                            line: p.line,
                            column: p.column,
                            message: m,
                        }
                    })
                    .collect(),
            }
        })
        .collect();
    let report = Report {
        schema_version: 1,
        findings,
        summary: Summary::of(files, diagnostics),
    };
    let mut s =
        serde_json::to_string_pretty(&report).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    s.push('\n');
    s
}

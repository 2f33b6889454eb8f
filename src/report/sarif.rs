//! Lint findings as SARIF 2.1.0, for code-scanning uploads (GitHub, GitLab, Azure DevOps).
//!
//! Every check is described in `tool.driver.rules` with its explanation, so a code-scanning UI can
//! show "why" and "how to fix" beside the finding. Columns are Unicode code points, as declared by
//! `columnKind`, and `endColumn` is exclusive, as SARIF defines it.

use serde_json::{Value, json};

use crate::lint::{Code, Diagnostic, Severity};
use crate::report::range;

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

/// A relative path as a URI reference: forward slashes, and the characters URIs reserve escaped.
fn uri(path: &str) -> String {
    let mut out = String::new();
    for c in path.replace('\\', "/").chars() {
        match c {
            ' ' => out.push_str("%20"),
            '%' => out.push_str("%25"),
            '#' => out.push_str("%23"),
            '?' => out.push_str("%3F"),
            _ => out.push(c),
        }
    }
    out
}

pub fn render(diagnostics: &[Diagnostic]) -> String {
    let rules: Vec<Value> = Code::ALL
        .iter()
        .map(|c| {
            json!({
                "id": c.as_str(),
                "name": c.name(),
                "shortDescription": { "text": c.summary() },
                "fullDescription": { "text": c.what_it_does() },
                "help": { "text": c.explanation(), "markdown": c.explanation() },
                "defaultConfiguration": { "level": level(c.default_severity()) },
            })
        })
        .collect();
    let results: Vec<Value> = diagnostics
        .iter()
        .map(|d| {
            let (start, end) = range(d);
            let index = Code::ALL
                .iter()
                .position(|c| *c == d.finding.code)
                .unwrap_or(0);
            let mut text = d.finding.message.clone();
            if let Some(h) = &d.finding.help {
                text.push_str(&format!(" Help: {h}"));
            }
            let related: Vec<Value> = d
                .finding
                .related
                .iter()
                .enumerate()
                .map(|(i, (s, m))| {
                    let p = d.file.position(s.start);
                    json!({
                        "id": i,
                        "message": { "text": m },
                        "physicalLocation": {
                            "artifactLocation": { "uri": uri(&d.file.name) },
                            "region": { "startLine": p.line, "startColumn": p.column }
                        }
                    })
                })
                .collect();
            let mut result = json!({
                "ruleId": d.finding.code.as_str(),
                "ruleIndex": index,
                "level": level(d.severity),
                "message": { "text": text },
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": { "uri": uri(&d.file.name) },
                        "region": {
                            "startLine": start.line,
                            "startColumn": start.column,
                            "endLine": end.line,
                            "endColumn": end.column
                        }
                    }
                }]
            });
            if !related.is_empty() {
                result["relatedLocations"] = Value::Array(related);
            }
            result
        })
        .collect();
    let log = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "handoff",
                    "version": env!("CARGO_PKG_VERSION"),
                    "rules": rules
                }
            },
            "columnKind": "unicodeCodePoints",
            "results": results
        }]
    });
    let mut s = serde_json::to_string_pretty(&log).unwrap_or_default();
    s.push('\n');
    s
}

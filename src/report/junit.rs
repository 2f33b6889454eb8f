//! JUnit XML, the format CI systems render as test results: `handoff test` (one `testsuite` per
//! case file, one `testcase` per case) and `handoff lint` (one `testsuite` per matrix, one
//! `testcase` per finding, and a passing one for a clean file).
//!
//! A lint warning is a failure only under `--deny-warnings`, as it is for the exit status;
//! otherwise its testcase passes with the warning in `system-out`, so the CI view and the exit
//! status agree.

use crate::lint::{Diagnostic, Severity};
use crate::report::cases::Ran;

/// Text escaped for XML attributes and content.
fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // XML 1.0 has no way to write most control characters, even escaped.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

/// A testcase: its name, class, and a failure (message, body) if it failed, or output.
struct TestCase {
    name: String,
    class: String,
    failure: Option<(String, String)>,
    out: Option<String>,
}

fn document(suites: &[(String, Vec<TestCase>)]) -> String {
    let tests: usize = suites.iter().map(|s| s.1.len()).sum();
    let failures: usize = suites
        .iter()
        .map(|s| s.1.iter().filter(|c| c.failure.is_some()).count())
        .sum();
    let mut x = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    x.push_str(&format!(
        "<testsuites name=\"handoff\" tests=\"{tests}\" failures=\"{failures}\">\n"
    ));
    for (name, cases) in suites {
        let failed = cases.iter().filter(|c| c.failure.is_some()).count();
        x.push_str(&format!(
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{failed}\" errors=\"0\" skipped=\"0\">\n",
            esc(name),
            cases.len()
        ));
        for c in cases {
            x.push_str(&format!(
                "    <testcase name=\"{}\" classname=\"{}\"",
                esc(&c.name),
                esc(&c.class)
            ));
            if c.failure.is_none() && c.out.is_none() {
                x.push_str("/>\n");
                continue;
            }
            x.push_str(">\n");
            if let Some((message, body)) = &c.failure {
                x.push_str(&format!(
                    "      <failure message=\"{}\">{}</failure>\n",
                    esc(message),
                    esc(body)
                ));
            }
            if let Some(out) = &c.out {
                x.push_str(&format!("      <system-out>{}</system-out>\n", esc(out)));
            }
            x.push_str("    </testcase>\n");
        }
        x.push_str("  </testsuite>\n");
    }
    x.push_str("</testsuites>\n");
    x
}

/// The cases of `handoff test`, one suite per case file in the order given.
pub fn cases(ran: &[Ran]) -> String {
    let mut suites: Vec<(String, Vec<TestCase>)> = Vec::new();
    for r in ran {
        let case = TestCase {
            name: r.name.clone(),
            class: r.file.clone(),
            failure: (!r.passed())
                .then(|| (r.wrong.join("; "), r.trace.clone().unwrap_or_default())),
            out: None,
        };
        match suites.iter_mut().find(|s| s.0 == r.file) {
            Some(s) => s.1.push(case),
            None => suites.push((r.file.clone(), vec![case])),
        }
    }
    document(&suites)
}

/// The findings of `handoff lint`, one suite per file in `files` (in that order).
pub fn lint(diagnostics: &[Diagnostic], files: &[String], deny_warnings: bool) -> String {
    let suites: Vec<(String, Vec<TestCase>)> = files
        .iter()
        .map(|f| {
            let mut cases: Vec<TestCase> = diagnostics
                .iter()
                .filter(|d| &d.file.name == f)
                .map(|d| {
                    let at = d.file.position(d.finding.span.start);
                    let text = format!(
                        "{f}:{}:{}: {} {}: {}{}",
                        at.line,
                        at.column,
                        d.severity.as_str(),
                        d.finding.code,
                        d.finding.message,
                        d.finding
                            .help
                            .as_ref()
                            .map_or(String::new(), |h| format!("\nhelp: {h}"))
                    );
                    let fails = d.severity == Severity::Error || deny_warnings;
                    TestCase {
                        name: format!(
                            "{} {} at {}:{}",
                            d.finding.code,
                            d.finding.code.name(),
                            at.line,
                            at.column
                        ),
                        class: f.clone(),
                        failure: fails.then(|| (d.finding.message.clone(), text.clone())),
                        out: (!fails).then_some(text),
                    }
                })
                .collect();
            if cases.is_empty() {
                cases.push(TestCase {
                    name: "lint".into(),
                    class: f.clone(),
                    failure: None,
                    out: None,
                });
            }
            (f.clone(), cases)
        })
        .collect();
    document(&suites)
}

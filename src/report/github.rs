//! Lint findings as GitHub Actions workflow commands, which GitHub shows as annotations on the
//! pull request's diff: `::error file=…,line=…,col=…,endLine=…,endColumn=…,title=…::message`.

use crate::lint::{Diagnostic, Severity};
use crate::report::range;

/// Escapes the message part of a workflow command.
fn data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value, where `:` and `,` are separators too.
fn property(s: &str) -> String {
    data(s).replace(':', "%3A").replace(',', "%2C")
}

pub fn render(diagnostics: &[Diagnostic]) -> String {
    let mut out = String::new();
    for d in diagnostics {
        let (start, end) = range(d);
        let kind = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let mut message = d.finding.message.clone();
        if let Some(h) = &d.finding.help {
            message.push_str("\nhelp: ");
            message.push_str(h);
        }
        let title = format!("{} {}", d.finding.code.as_str(), d.finding.code.name());
        out.push_str(&format!(
            "::{kind} file={},line={},col={},endLine={},endColumn={},title={}::{}\n",
            property(&d.file.name),
            start.line,
            start.column,
            end.line,
            end.column,
            property(&title),
            data(&message)
        ));
    }
    out
}

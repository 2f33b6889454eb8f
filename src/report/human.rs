//! Lint findings as source snippets, the way a compiler shows them (miette's graphical handler).

use std::collections::HashMap;
use std::sync::Arc;

use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, SourceSpan};

use crate::lint::{Diagnostic, Severity};
use crate::report::{Summary, plural};

struct Rendered<'a> {
    d: &'a Diagnostic,
    source: &'a NamedSource<Arc<str>>,
}

impl std::fmt::Debug for Rendered<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.d.finding.message)
    }
}

impl std::fmt::Display for Rendered<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.d.finding.message)
    }
}

impl std::error::Error for Rendered<'_> {}

fn source_span(s: crate::source::Span) -> SourceSpan {
    SourceSpan::new(s.start.into(), s.len())
}

impl miette::Diagnostic for Rendered<'_> {
    fn code<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        let c = self.d.finding.code;
        Some(Box::new(format!("{}({})", c.as_str(), c.name())))
    }
    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.d.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
        })
    }
    fn help<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        self.d
            .finding
            .help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn std::fmt::Display>)
    }
    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        Some(self.source)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let f = &self.d.finding;
        let label = (!f.label.is_empty()).then(|| f.label.clone());
        let primary = LabeledSpan::new_primary_with_span(label, source_span(f.span));
        let related = f
            .related
            .iter()
            .map(|(s, l)| LabeledSpan::new_with_span(Some(l.clone()), source_span(*s)));
        Some(Box::new(std::iter::once(primary).chain(related)))
    }
}

/// The snippet renderer every lint-style report uses: 100 columns, one line of context.
pub fn handler(color: bool) -> GraphicalReportHandler {
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    GraphicalReportHandler::new_themed(theme)
        .with_width(100)
        .with_context_lines(1)
}

/// The findings counted by check, most frequent first, on one line: what to fix first in a first
/// draft with sixteen warnings.
fn by_check(diagnostics: &[Diagnostic]) -> String {
    let mut counts: Vec<(crate::lint::Code, usize)> = Vec::new();
    for d in diagnostics {
        match counts.iter_mut().find(|(c, _)| *c == d.finding.code) {
            Some((_, n)) => *n += 1,
            None => counts.push((d.finding.code, 1)),
        }
    }
    counts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let parts: Vec<String> = counts.iter().map(|(c, n)| format!("{n} {c}")).collect();
    format!("By check: {}.\n", parts.join(", "))
}

/// Renders findings with snippets, then a closing summary line and the count by check.
pub fn render(diagnostics: &[Diagnostic], files: usize, color: bool, quiet: bool) -> String {
    let handler = handler(color);
    let mut sources: HashMap<String, NamedSource<Arc<str>>> = HashMap::new();
    let mut out = String::new();
    for d in diagnostics {
        let source = sources.entry(d.file.name.clone()).or_insert_with(|| {
            NamedSource::new(d.file.name.clone(), Arc::<str>::from(d.file.text.as_str()))
                .with_language("yaml")
        });
        let r = Rendered { d, source };
        if handler.render_report(&mut out, &r).is_err() {
            // Rendering into a String cannot fail for I/O; fall back to the plain line if miette does.
            let p = d.file.position(d.finding.span.start);
            out.push_str(&format!(
                "{}:{}:{}: {} {}\n",
                d.file.name, p.line, p.column, d.finding.code, d.finding.message
            ));
        }
        out.push('\n');
    }
    if !quiet {
        let s = Summary::of(files, diagnostics);
        let checked = plural(s.files, "file", "files");
        if diagnostics.is_empty() {
            out.push_str(&format!("All checks passed ({checked}).\n"));
        } else {
            out.push_str(&format!(
                "Found {} and {} in {checked}.\n",
                plural(s.errors, "error", "errors"),
                plural(s.warnings, "warning", "warnings")
            ));
            out.push_str(&by_check(diagnostics));
        }
    }
    out
}

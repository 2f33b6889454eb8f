//! Linting a matrix: the [`Check`] trait, the registry of checks, and one run over a file.
//!
//! A run parses the YAML (E001 stops there: without a tree nothing else can be said), decodes it
//! into the spanned raw form, runs every check over it, applies the lint levels of `handoff.toml`
//! and of the file, and sorts the findings by position. Checks never see each other's results and
//! never stop the run: every problem of a file comes out of one run. The run hands back the raw
//! form it decoded, so a command that goes on to replay the matrix parses it only once.

pub mod analysis;
pub mod checks;
pub mod code;
pub mod corpus;
pub mod levels;

use std::sync::Arc;

pub use code::{Code, Severity};
pub use levels::Levels;

use crate::matrix::decode::{self, Problem};
use crate::matrix::raw::{RawCondition, RawLane, RawMatrix, RawTrigger, Spanned};
use crate::matrix::yaml::{self, SyntaxError};
use crate::matrix::{defaults, duration};
use crate::source::{SourceFile, Span};

/// One problem a check found, before levels decide its severity.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    pub code: Code,
    /// What is wrong, in one sentence.
    pub message: String,
    /// The offending key or value.
    pub span: Span,
    /// A short label shown under the span.
    pub label: String,
    /// What to do about it.
    pub help: Option<String>,
    /// Other places that explain the finding (the first of two duplicates, the winning trigger).
    pub related: Vec<(Span, String)>,
}

impl Finding {
    pub fn new(code: Code, span: Span, message: impl Into<String>) -> Self {
        Finding {
            code,
            message: message.into(),
            span,
            label: String::new(),
            help: None,
            related: Vec::new(),
        }
    }

    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.label = label.into();
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn related(mut self, span: Span, label: impl Into<String>) -> Self {
        self.related.push((span, label.into()));
        self
    }
}

/// A finding with its file and final severity: what the reports print.
#[derive(Debug, Clone)]
pub struct Diagnostic {
    pub finding: Finding,
    pub severity: Severity,
    pub file: Arc<SourceFile>,
}

/// What a check can look at.
pub struct Context<'a> {
    pub source: &'a SourceFile,
    pub raw: &'a RawMatrix,
    pub problems: &'a [Problem],
    /// The patterns and phrases the checks evaluate, each compiled once for the whole run.
    pub memo: analysis::Memo,
}

/// One lint check. Each lives in its own file under `checks/`, whose header is its explanation.
pub trait Check: Sync {
    fn code(&self) -> Code;
    fn run(&self, cx: &Context<'_>, out: &mut Vec<Finding>);
}

impl<'a> Context<'a> {
    /// The context of one run over `raw`, decoded from `source` with `problems`.
    pub fn new(source: &'a SourceFile, raw: &'a RawMatrix, problems: &'a [Problem]) -> Self {
        Context {
            source,
            raw,
            problems,
            memo: analysis::Memo::default(),
        }
    }

    pub fn lanes(&self) -> impl Iterator<Item = &'a Spanned<RawLane>> {
        self.raw
            .lanes
            .iter()
            .flat_map(|l| l.value.iter().map(|(_, v)| v))
    }

    pub fn lane(&self, id: &str) -> Option<&'a Spanned<RawLane>> {
        self.raw.lanes.as_ref().and_then(|l| l.value.get(id))
    }

    pub fn triggers(&self) -> impl Iterator<Item = &'a Spanned<RawTrigger>> {
        self.raw.triggers.iter().flat_map(|t| t.value.iter())
    }

    /// Every condition of every trigger, nested ones included, with the trigger and whether the
    /// condition sits under an odd number of `not`s.
    pub fn conditions(&self) -> Vec<(&'a RawTrigger, &'a RawCondition, bool)> {
        let mut out = Vec::new();
        for t in self.triggers() {
            if let Some(w) = &t.value.when {
                w.value
                    .walk(false, &mut |c, neg| out.push((&t.value, c, neg)));
            }
        }
        out
    }

    /// The opt-out phrases of `settings.trap`, or the defaults.
    pub fn optout_phrases(&self) -> Vec<String> {
        let set = self
            .raw
            .settings
            .as_ref()
            .and_then(|s| s.value.trap.as_ref())
            .and_then(|t| t.value.optout_phrases.as_ref());
        match set {
            Some(p) if !p.value.0.is_empty() => p.value.iter().map(|s| s.value.clone()).collect(),
            _ => defaults::optout_phrases(),
        }
    }

    /// The service window in seconds: the setting when it parses, else the default.
    pub fn service_window(&self) -> u64 {
        self.raw
            .settings
            .as_ref()
            .and_then(|s| s.value.service_window.as_ref())
            .and_then(|d| duration::parse(&d.value.0).ok())
            .unwrap_or(defaults::SERVICE_WINDOW)
    }

    /// The context field names the file defines.
    pub fn context_fields(&self) -> Vec<&'a str> {
        self.raw
            .context
            .iter()
            .flat_map(|c| c.value.keys())
            .collect()
    }

    /// The span of bytes `start..end` of a string value's *text*, traced back through its quoting.
    pub fn inner_span(&self, s: &Spanned<String>, start: usize, end: usize) -> Span {
        let raw = self.source.slice(s.span);
        let a = crate::source::try_inner_offset(raw, s.span.start, &s.value, start);
        let b =
            crate::source::try_inner_offset(raw, s.span.start, &s.value, end.max(start + 1) - 1);
        let (Some(a), Some(b)) = (a, b) else {
            return s.span; // block scalars and unusual escapes: point at the whole value
        };
        let last = self.source.text[b..]
            .chars()
            .next()
            .map_or(0, char::len_utf8);
        Span::new(a, (b + last).max(a))
    }

    /// The priority of a lane, when it is defined and has a valid one.
    pub fn priority(&self, lane: &str) -> Option<i64> {
        self.lane(lane)
            .and_then(|l| l.value.priority.as_ref())
            .map(|p| p.value)
    }
}

/// Lints one file. `levels` are those of `handoff.toml`; the file's own `lint:` applies on top of
/// them. Returns the raw matrix the checks read, for the validated model to be built from without
/// parsing the file again, or `None` when there is none: the file is not UTF-8 or not YAML, and
/// the one finding (E001) says so.
pub fn lint_source(file: Arc<SourceFile>, levels: &Levels) -> (Option<RawMatrix>, Vec<Diagnostic>) {
    if let Some(at) = file.not_utf8() {
        // A file that is not UTF-8 is still a file the user wants linted: an E001 at the first
        // bad byte (replaced in the text by a three-byte U+FFFD) rather than an unreadable file.
        let finding = Finding::new(
            Code::E001,
            Span::new(at, at + 3),
            "the file is not valid UTF-8",
        )
        .label("this byte is not UTF-8")
        .help("save the file as UTF-8 (most editors have an \"encoding\" setting)");
        return (None, finish(file, vec![finding], levels));
    }
    let root = match yaml::parse(&file.text) {
        Ok(root) => root,
        Err(e) => return (None, finish(file, vec![syntax_finding(&e)], levels)),
    };
    let (raw, problems) = decode::decode(&root, &file.text);
    let cx = Context::new(&file, &raw, &problems);
    let mut out = Vec::new();
    for check in checks::ALL {
        check.run(&cx, &mut out);
    }
    drop_cascades(&raw, file.text.len(), &mut out);
    let file_levels = levels.with_file(&raw);
    let diagnostics = finish(file, out, &file_levels);
    (Some(raw), diagnostics)
}

/// Drops the warnings about a trigger whose condition already has an error (E012's regex that
/// does not compile, E017's empty list, E013's threshold out of range…), and those that lean on
/// such a trigger: what a broken condition holds for cannot be known, so "can never win" or
/// "shadows" said of it is noise on top of the finding that matters.
fn drop_cascades(raw: &RawMatrix, text_len: usize, out: &mut Vec<Finding>) {
    let within = |inner: Span, outer: Span| outer.start <= inner.start && inner.end <= outer.end;
    // Spans of mappings are where they start, so a trigger's extent runs to the next trigger,
    // and the last one's to the next top-level key (or the end of the file).
    let Some(list) = &raw.triggers else { return };
    let after = top_level_keys(raw)
        .into_iter()
        .filter(|k| k.start > raw.triggers_key.start)
        .map(|k| k.start)
        .min()
        .unwrap_or(text_len);
    let starts: Vec<usize> = list.value.iter().map(|t| t.span.start).collect();
    let mut broken: Vec<Span> = Vec::new();
    for (i, t) in list.value.iter().enumerate() {
        let end = starts
            .get(i + 1)
            .copied()
            .unwrap_or(after)
            .max(t.span.start);
        let Some(w) = &t.value.when else { continue };
        let condition = Span::new(w.key.start, end.max(w.key.start));
        let has_error = out
            .iter()
            .any(|f| f.code.default_severity() == Severity::Error && within(f.span, condition));
        if has_error {
            broken.push(Span::new(t.span.start, end));
        }
    }
    if broken.is_empty() {
        return;
    }
    out.retain(|f| {
        f.code.default_severity() == Severity::Error
            || !std::iter::once(f.span)
                .chain(f.related.iter().map(|r| r.0))
                .any(|s| broken.iter().any(|b| within(s, *b)))
    });
}

/// The keys of the file's top-level sections other than `triggers:`.
fn top_level_keys(raw: &RawMatrix) -> Vec<Span> {
    [
        raw.version.as_ref().map(|v| v.key),
        raw.name.as_ref().map(|v| v.key),
        raw.settings.as_ref().map(|v| v.key),
        raw.context.as_ref().map(|v| v.key),
        raw.lanes.as_ref().map(|v| v.key),
        raw.lint.as_ref().map(|v| v.key),
    ]
    .into_iter()
    .flatten()
    .collect()
}

fn syntax_finding(e: &SyntaxError) -> Finding {
    checks::yaml_syntax::finding(e)
}

fn finish(file: Arc<SourceFile>, findings: Vec<Finding>, levels: &Levels) -> Vec<Diagnostic> {
    let mut out: Vec<Diagnostic> = findings
        .into_iter()
        .filter_map(|f| {
            let severity = levels.severity(f.code)?;
            Some(Diagnostic {
                finding: f,
                severity,
                file: file.clone(),
            })
        })
        .collect();
    out.sort_by(|a, b| {
        (a.finding.span.start, a.finding.code, &a.finding.message).cmp(&(
            b.finding.span.start,
            b.finding.code,
            &b.finding.message,
        ))
    });
    out.dedup_by(|a, b| a.finding == b.finding);
    out
}

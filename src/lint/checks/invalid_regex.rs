//! # E012 invalid-regex
//!
//! Fires when a regex does not compile.
//!
//! ## What it does
//! Reports a `regex` condition or a `context` extractor that does not compile as a Rust `regex`
//! pattern, pointing at the place inside the pattern where it goes wrong. Patterns that would
//! compile to more than 10 MB (`\w{1000}{1000}`) are refused too.
//!
//! ## Why it matters
//! A pattern that does not compile cannot match anything; replay refuses such a matrix rather
//! than quietly never firing the trigger. Rust's syntax differs from PCRE in places: there are no
//! look-arounds (`(?=…)`, `(?<!…)`) and no back-references (`\1`).
//!
//! ## Example
//! ```yaml
//! triggers:
//!   - id: legal
//!     lane: compliance
//!     when: {regex: '(?i)\b(gdpr|lawsuit|hacked'}    # unclosed group
//! ```
//!
//! ## How to fix
//! Close the group or escape the character shown (`\(`, `\.`, `\?`). In YAML, write patterns in
//! single quotes so backslashes reach the regex unchanged. Replace look-arounds with a plain
//! pattern plus a `not:` condition.

use crate::lint::{Check, Code, Context, Finding};
use crate::matrix::REGEX_SIZE_LIMIT;
use crate::matrix::raw::Spanned;

pub struct InvalidRegex;

/// Why a pattern does not compile, with the byte range inside the pattern.
pub fn check_pattern(pattern: &str) -> Option<(String, usize, usize)> {
    let mut parser = regex_syntax::ast::parse::ParserBuilder::new()
        .nest_limit(100)
        .build();
    let ast = match parser.parse(pattern) {
        Ok(ast) => ast,
        Err(e) => {
            return Some((
                e.kind().to_string(),
                e.span().start.offset,
                e.span().end.offset,
            ));
        }
    };
    if let Err(e) = regex_syntax::hir::translate::Translator::new().translate(pattern, &ast) {
        return Some((
            e.kind().to_string(),
            e.span().start.offset,
            e.span().end.offset,
        ));
    }
    match regex::RegexBuilder::new(pattern)
        .size_limit(REGEX_SIZE_LIMIT)
        .build()
    {
        Ok(_) => None,
        Err(regex::Error::CompiledTooBig(_)) => Some((
            "the pattern compiles to more than 10 MB; use smaller repetition counts".into(),
            0,
            pattern.len(),
        )),
        Err(e) => Some((e.to_string(), 0, pattern.len())),
    }
}

impl InvalidRegex {
    fn pattern(&self, cx: &Context<'_>, p: &Spanned<String>, what: &str, out: &mut Vec<Finding>) {
        if let Some((reason, start, end)) = check_pattern(&p.value) {
            let span = cx.inner_span(p, start, end);
            out.push(
                Finding::new(Code::E012, span, format!("{what} does not compile: {reason}"))
                    .label(reason)
                    .help("fix the pattern here; Rust regex has no look-arounds or back-references, and single quotes keep backslashes intact"),
            );
        }
    }
}

impl Check for InvalidRegex {
    fn code(&self) -> Code {
        Code::E012
    }

    fn run(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for (name, pattern) in cx.raw.context.iter().flat_map(|c| c.value.iter()) {
            self.pattern(
                cx,
                pattern,
                &format!("context extractor `{}`", name.value),
                out,
            );
        }
        for (_, c, _) in cx.conditions() {
            for p in c.regex.iter().flat_map(|r| r.value.iter()) {
                self.pattern(cx, p, "the regex", out);
            }
        }
    }
}

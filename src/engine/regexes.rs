//! Every regex of a replay, searched with a cache of each worker's own.
//!
//! A `regex::Regex` shared by the workers keeps one pool of search caches, whose fast path serves
//! the thread that used it first: every other worker takes a cache from a locked stack and puts
//! it back, for every search of every regex at every customer message. Here each worker holds its
//! own caches (in its replay scratch) and searches through `regex_automata`'s meta engine, the
//! engine `regex` itself is, built with the same syntax and size limit, so a pattern matches
//! exactly where its `regex::Regex` does.
//!
//! Before a search, a test a regex's syntax tree gives: the ASCII characters some character of
//! every match must be one of (`\d{10}` needs a digit, an e-mail address an `@`). Most chat text
//! is ASCII, and an ASCII text without any of them cannot hold a match, so its search is skipped:
//! the regexes no start literal gates run at every customer message, and most messages have no
//! digit, no `@`, no run of capitals.
//!
//! Searching the patterns no literal gates together in one multi-pattern search was tried: on the
//! patterns of a realistic matrix (Unicode word boundaries, long repetitions) the joint lazy DFA
//! outgrows its cache on chat traffic and the search falls back to the PikeVM, several times
//! slower than the patterns one by one (`BENCHMARKS.md`, "Figures behind choices in the code").

use std::sync::Arc;

use regex_automata::meta::{self, Cache};
use regex_automata::util::syntax;
use regex_automata::{Input, MatchKind};

/// The distinct patterns of one or more matrices, by id, once built.
#[derive(Debug, Clone, Default)]
pub struct Regexes {
    patterns: Vec<String>,
    built: Vec<Arc<meta::Regex>>,
    /// By pattern, what an ASCII text needs to hold for a match (see [`ascii_needs`]).
    needs: Vec<Vec<u128>>,
}

/// A pattern that does not build (lint and replay share the limits, so this is not expected).
#[derive(Debug)]
pub struct BuildError {
    pub pattern: String,
    pub reason: String,
}

impl Regexes {
    /// The id of a pattern (added if new).
    pub fn id(&mut self, pattern: &str) -> usize {
        if let Some(i) = self.patterns.iter().position(|p| p == pattern) {
            return i;
        }
        self.patterns.push(pattern.to_owned());
        self.patterns.len() - 1
    }

    /// Adds every pattern of `other` (before [`Regexes::build`]); returns, by id in `other`, the
    /// pattern's id here.
    pub fn absorb(&mut self, other: &Regexes) -> Vec<usize> {
        other.patterns.iter().map(|p| self.id(p)).collect()
    }

    /// Builds every pattern added, as `regex::RegexBuilder` with handoff's size limit does.
    pub fn build(&mut self) -> Result<(), BuildError> {
        let config = meta::Config::new()
            .nfa_size_limit(Some(crate::matrix::REGEX_SIZE_LIMIT))
            .onepass_size_limit(Some(crate::matrix::REGEX_SIZE_LIMIT))
            .match_kind(MatchKind::LeftmostFirst)
            .utf8_empty(true);
        self.built = (self.patterns.iter())
            .map(|p| {
                meta::Builder::new()
                    .configure(config.clone())
                    .syntax(syntax::Config::new().utf8(true))
                    .build(p)
                    .map(Arc::new)
                    .map_err(|e| BuildError {
                        pattern: p.clone(),
                        reason: e.to_string(),
                    })
            })
            .collect::<Result<_, _>>()?;
        self.needs = self.patterns.iter().map(|p| needs_of(p)).collect();
        Ok(())
    }

    pub fn len(&self) -> usize {
        self.patterns.len()
    }

    pub fn is_empty(&self) -> bool {
        self.patterns.is_empty()
    }

    /// Whether pattern `id` matches anywhere in `text`, searched with the worker's `caches`.
    pub fn is_match(&self, id: usize, text: &str, caches: &mut Caches) -> bool {
        let Some(re) = self.built.get(id) else {
            return false;
        };
        if let (Some(present), Some(needs)) = (caches.present, self.needs.get(id))
            && needs.iter().any(|n| n & present == 0)
        {
            return false;
        }
        if caches.caches.len() <= id {
            caches.caches.resize_with(id + 1, || None);
        }
        // A cache serves the regex it was made for only: a worker's scratch may outlive a plan.
        let cache = match &mut caches.caches[id] {
            Some((of, cache)) if Arc::ptr_eq(of, re) => cache,
            slot => &mut slot.insert((re.clone(), re.create_cache())).1,
        };
        re.search_with(cache, &Input::new(text).earliest(true))
            .is_some()
    }
}

/// One worker's search caches, by regex id, and the ASCII characters of the message searched.
#[derive(Debug, Clone, Default)]
pub struct Caches {
    caches: Vec<Option<(Arc<meta::Regex>, Cache)>>,
    /// One bit per ASCII character the message holds; `None` for a message that is not ASCII.
    present: Option<u128>,
}

impl Caches {
    /// The message the next searches are about.
    pub fn message(&mut self, text: &str) {
        self.present = text
            .is_ascii()
            .then(|| text.bytes().fold(0u128, |set, b| set | 1 << b));
    }
}

/// [`ascii_needs`] of a pattern as `regex` parses it; nothing for one that does not parse.
fn needs_of(pattern: &str) -> Vec<u128> {
    regex_syntax::ParserBuilder::new()
        .build()
        .parse(pattern)
        .map(|hir| ascii_needs(&hir))
        .unwrap_or_default()
}

/// Sets of ASCII characters, one bit each, such that every match of `hir` in an ASCII text holds
/// a character of each set: the text then holds one too. An empty set means no match can lie in
/// an ASCII text. Sound, not complete: where it cannot tell, it needs nothing.
fn ascii_needs(hir: &regex_syntax::hir::Hir) -> Vec<u128> {
    use regex_syntax::hir::{Class, HirKind};
    let ascii =
        |lo: u32, hi: u32| -> u128 { (lo..=hi.min(127)).fold(0, |set, c| set | 1u128 << c) };
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => Vec::new(),
        HirKind::Literal(l) => vec![
            l.0.first()
                .map_or(0, |&b| ascii(u32::from(b), u32::from(b))),
        ],
        HirKind::Class(Class::Unicode(c)) => vec![(c.ranges().iter()).fold(0, |set, r| {
            set | ascii(u32::from(r.start()), u32::from(r.end()))
        })],
        HirKind::Class(Class::Bytes(c)) => vec![(c.ranges().iter()).fold(0, |set, r| {
            set | ascii(u32::from(r.start()), u32::from(r.end()))
        })],
        HirKind::Repetition(r) if r.min > 0 => ascii_needs(&r.sub),
        HirKind::Repetition(_) => Vec::new(),
        HirKind::Capture(c) => ascii_needs(&c.sub),
        HirKind::Concat(v) => v.iter().flat_map(ascii_needs).collect(),
        // A match of an alternation is a match of one branch: it holds a character of the
        // narrowest set of that branch, so of their union.
        HirKind::Alternation(v) => {
            let narrowest = |h: &regex_syntax::hir::Hir| {
                ascii_needs(h).into_iter().min_by_key(|n| n.count_ones())
            };
            v.iter()
                .map(narrowest)
                .collect::<Option<Vec<u128>>>()
                .map(|sets| vec![sets.into_iter().fold(0, |a, b| a | b)])
                .unwrap_or_default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PATTERNS: [&str; 7] = [
        r"\b\d{10,12}\b",
        r"[\w.+-]+@[\w-]+\.[\w.]+",
        r"\b[A-Z]{3,}\b.*\b[A-Z]{3,}\b",
        r"(?i)\b\w*(?:fuck|shit|crap)\w*\b",
        r"\p{Devanagari}+.*\b(?:refund|order)\b",
        r"(?i)\b[a-z0-9]{3}-[a-z0-9]{3}-[a-z0-9]{4}\b",
        r"x?",
    ];

    fn built() -> Regexes {
        let mut r = Regexes::default();
        for p in PATTERNS {
            r.id(p);
        }
        assert_eq!(r.id(PATTERNS[2]), 2, "a pattern has one id");
        r.build().unwrap_or_else(|e| panic!("{e:?}"));
        r
    }

    proptest::proptest! {
        /// Each pattern matches where its `regex::Regex` matches.
        #[test]
        fn each_matches_as_its_regex(
            parts in proptest::collection::vec(proptest::sample::select(vec![
                "0123456789", "12", "a@b.co", "ana.m+x@mail.example.com", "ORDER", "NOW", "now",
                "Crap", "SHITTY", "पैसा", "वापस", "refund", "order", "abc-12d-3456", "ab-12d-3456",
                " ", "\t", "é", "_", "-", ".", "Ünïcode",
            ]), 0..10),
        ) {
            static BUILT: std::sync::LazyLock<Regexes> = std::sync::LazyLock::new(built);
            static EACH: std::sync::LazyLock<Vec<regex::Regex>> = std::sync::LazyLock::new(|| {
                PATTERNS.iter().map(|p| regex::Regex::new(p).unwrap_or_else(|e| panic!("{e}"))).collect()
            });
            let text = parts.concat();
            let mut caches = Caches::default();
            caches.message(&text);
            for (i, re) in EACH.iter().enumerate() {
                proptest::prop_assert_eq!(BUILT.is_match(i, &text, &mut caches), re.is_match(&text), "{} in {:?}", PATTERNS[i], text);
            }
        }
    }

    #[test]
    fn one_worker_serves_two_plans() {
        let a = built();
        let mut b = Regexes::default();
        b.id(r"\d");
        b.build().unwrap_or_else(|e| panic!("{e:?}"));
        let mut caches = Caches::default();
        caches.message("0123456789");
        assert!(a.is_match(0, "0123456789", &mut caches));
        caches.message("7");
        assert!(b.is_match(0, "7", &mut caches));
        assert!(!a.is_match(0, "7", &mut caches));
        assert!(!b.is_match(3, "7", &mut caches), "no such pattern");
    }

    #[test]
    fn what_an_ascii_text_needs() {
        let set = |s: &str| s.bytes().fold(0u128, |a, b| a | 1 << b);
        assert_eq!(needs_of(r"\b\d{3}\b"), vec![set("0123456789")]);
        assert_eq!(
            needs_of(r"ab@c"),
            vec![set("a")],
            "a literal by its first character"
        );
        assert_eq!(needs_of(r"[a-c]+@x?"), vec![set("abc"), set("@")]);
        assert_eq!(needs_of(r"(?i)x|\d"), vec![set("xX0123456789")]);
        assert_eq!(needs_of(r"x?|y"), Vec::<u128>::new(), "x? needs nothing");
        assert_eq!(needs_of(r"é"), vec![0], "no ASCII text holds it");
    }

    #[test]
    fn a_pattern_too_large_does_not_build() {
        let mut r = Regexes::default();
        r.id(r"\w{1000}{1000}");
        assert!(r.build().is_err());
    }
}

//! The validated matrix made ready to run: phrases folded, regexes compiled, triggers in the order
//! the decision needs.

use std::collections::HashMap;

use regex::Regex;

use crate::engine::keywords::Keywords;
use crate::engine::regexes::Regexes;
use crate::matrix::model::{Condition, Matrix};
use crate::matrix::raw::PiiKind;
use crate::text::{FxBuild, Phrase};

/// A condition with its matchers built. Two conditions are equal when they hold at the same
/// messages: matrices replayed together evaluate each distinct condition once.
#[derive(Debug, Clone, PartialEq)]
pub enum Cond {
    All(Vec<Cond>),
    Any(Vec<Cond>),
    Not(Box<Cond>),
    /// Phrase ids in [`Compiled::keywords`], and the phrases (for `explain` to show where they hit).
    Keywords(Vec<usize>, Vec<Phrase>),
    Regex(Vec<Pattern>),
    /// Ids in [`Compiled::intents`].
    Intents(Vec<u32>),
    ConfidenceBelow(f64),
    SentimentBelow(f64),
    Pii {
        card: bool,
        email: bool,
        phone: bool,
    },
    Repeats(u32),
    Fallbacks(u32),
    BotTurns(u32),
    /// Milliseconds.
    Elapsed(i64),
    /// Field and its accepted values, lower-cased.
    Segment(Vec<(String, Vec<String>)>),
}

impl Cond {
    /// Whether the condition contains a customer-message condition anywhere.
    pub fn customer_only(&self) -> bool {
        match self {
            Cond::All(v) | Cond::Any(v) => v.iter().any(Cond::customer_only),
            Cond::Not(c) => c.customer_only(),
            Cond::Keywords(..)
            | Cond::Regex(_)
            | Cond::Intents(_)
            | Cond::ConfidenceBelow(_)
            | Cond::SentimentBelow(_)
            | Cond::Pii { .. }
            | Cond::Repeats(_) => true,
            Cond::Fallbacks(_) | Cond::BotTurns(_) | Cond::Elapsed(_) | Cond::Segment(_) => false,
        }
    }

    /// Whether the condition can hold only at a message in which the keyword scan found some phrase
    /// or literal: a keyword condition, or a regex condition whose every pattern has start
    /// literals, in every alternative.
    pub fn needs_hit(&self) -> bool {
        self.hit_ids().is_some()
    }

    /// Ids in the keyword scan one of which a message's hits hold wherever the condition holds,
    /// or `None` where it can hold without any (see [`Cond::needs_hit`]). Replay evaluates such a
    /// condition only at a message that hit one of these, which it finds from the hits.
    pub fn hit_ids(&self) -> Option<Vec<usize>> {
        let union = |v: Vec<Vec<usize>>| v.concat();
        match self {
            Cond::Keywords(ids, _) => Some(ids.clone()),
            Cond::Regex(v) => v
                .iter()
                .map(|p| p.starts.clone())
                .collect::<Option<Vec<_>>>()
                .map(union),
            // Every part holds where an `all` holds: the part with the fewest ids will do.
            Cond::All(v) => v.iter().filter_map(Cond::hit_ids).min_by_key(Vec::len),
            Cond::Any(v) => v
                .iter()
                .map(Cond::hit_ids)
                .collect::<Option<Vec<_>>>()
                .map(union),
            _ => None,
        }
    }

    /// Whether the condition counts fallbacks, which depends on the matrix's `fallback_intents`.
    pub fn counts_fallbacks(&self) -> bool {
        match self {
            Cond::All(v) | Cond::Any(v) => v.iter().any(Cond::counts_fallbacks),
            Cond::Not(c) => c.counts_fallbacks(),
            Cond::Fallbacks(_) => true,
            _ => false,
        }
    }

    /// Whether the condition contains a condition on the conversation as a whole (segment, or
    /// elapsed time, which never holds in an untimed conversation) anywhere.
    pub fn conversation_part(&self) -> bool {
        match self {
            Cond::All(v) | Cond::Any(v) => v.iter().any(Cond::conversation_part),
            Cond::Not(c) => c.conversation_part(),
            Cond::Segment(_) | Cond::Elapsed(_) => true,
            _ => false,
        }
    }
}

/// A regex of a `regex` condition.
#[derive(Debug, Clone)]
pub struct Pattern {
    pub re: Regex,
    /// Ids in [`Compiled::keywords`] of literals (found anywhere, no word boundaries) one of which
    /// the folded text of every text the regex matches holds; `None` where that is not known.
    /// Most messages hold none of them, and the keyword scan has looked already: the regex need
    /// not run on those.
    pub starts: Option<Vec<usize>>,
    /// Its id in [`Compiled::regexes`], which replay searches with each worker's caches.
    pub id: usize,
}

/// Regexes built alike from the same pattern match alike.
impl PartialEq for Pattern {
    fn eq(&self, other: &Pattern) -> bool {
        self.re.as_str() == other.re.as_str() && self.starts == other.starts
    }
}

#[derive(Debug, Clone)]
pub struct Trigger {
    pub id: String,
    pub lane: usize,
    pub priority: u32,
    pub cond: Cond,
    pub line: usize,
}

/// A matrix ready to replay.
#[derive(Debug, Clone)]
pub struct Compiled {
    pub matrix: Matrix,
    pub triggers: Vec<Trigger>,
    pub context: Vec<(String, Regex)>,
    /// Every keyword phrase of the triggers and of the trap's opt-out list.
    pub keywords: Keywords,
    /// Ids in `keywords` of the opt-out phrases.
    pub optout: Vec<usize>,
    /// Every distinct regex of the conditions.
    pub regexes: Regexes,
    /// The intents the conditions name.
    pub intents: Intents,
}

/// The intents named in `intents` conditions, by id: replay looks a message's intent up once
/// and each condition compares ids, instead of every condition comparing the strings.
#[derive(Debug, Clone, Default)]
pub struct Intents(HashMap<String, u32, FxBuild>);

impl Intents {
    fn id(&mut self, name: &str) -> u32 {
        let next = self.0.len() as u32;
        *self.0.entry(name.to_owned()).or_insert(next)
    }

    /// The id of an intent some condition names.
    pub fn get(&self, name: &str) -> Option<u32> {
        self.0.get(name).copied()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Adds every intent of `other`; returns, by id in `other`, the intent's id here.
    pub fn absorb(&mut self, other: &Intents) -> Vec<u32> {
        let mut map = vec![0; other.0.len()];
        for (name, &i) in &other.0 {
            if let Some(slot) = map.get_mut(i as usize) {
                *slot = self.id(name);
            }
        }
        map
    }
}

/// A pattern that lint accepted but that does not build here (lint and replay share the limits,
/// so this is not expected).
#[derive(Debug, thiserror::Error)]
#[error("the pattern `{pattern}` does not compile: {reason}")]
pub struct CompileError {
    pub pattern: String,
    pub reason: String,
}

fn regex(p: &str) -> Result<Regex, CompileError> {
    regex::RegexBuilder::new(p)
        .size_limit(crate::matrix::REGEX_SIZE_LIMIT)
        .build()
        .map_err(|e| CompileError {
            pattern: p.to_owned(),
            reason: e.to_string(),
        })
}

/// Folded texts, one of which the folded form of every text that `pattern` matches holds: the
/// literals every match starts with (as the regex engine's own prefilter finds them), folded like
/// keyword phrases, those that hold another one left out. `None` where there is no such finite set
/// or it would let every text through.
///
/// A literal that occurs in a text occurs folded in the folded text: folding maps each character
/// on its own, and white space inside the literal is a whole run of the text's white space.
fn start_literals(pattern: &str) -> Option<Vec<String>> {
    use regex_syntax::hir::literal::{ExtractKind, Extractor};
    // The syntax the `regex` crate parses patterns with by default.
    let hir = regex_syntax::ParserBuilder::new()
        .build()
        .parse(pattern)
        .ok()?;
    let seq = Extractor::new().kind(ExtractKind::Prefix).extract(&hir);
    let mut folded: Vec<String> = Vec::new();
    for lit in seq.literals()? {
        // A literal cut short may end inside a character: its whole characters still start a match.
        let bytes = lit.as_bytes();
        let text = match std::str::from_utf8(bytes) {
            Ok(t) => t,
            Err(e) => std::str::from_utf8(&bytes[..e.valid_up_to()]).ok()?,
        };
        let f = crate::text::normalize(text);
        if f.is_empty() {
            return None;
        }
        folded.push(f);
    }
    folded.sort_by_key(|f| f.len());
    folded.dedup();
    let mut kept: Vec<String> = Vec::new();
    for f in folded {
        if !kept.iter().any(|k| f.contains(k.as_str())) {
            kept.push(f);
        }
    }
    (!kept.is_empty()).then_some(kept)
}

/// What the conditions of a matrix are compiled into besides themselves: the keyword automaton's
/// phrases, the intents named, the regexes.
#[derive(Default)]
struct Collect {
    keywords: Keywords,
    intents: Intents,
    regexes: Regexes,
}

fn pattern(p: &str, to: &mut Collect) -> Result<Pattern, CompileError> {
    let re = regex(p)?;
    let starts =
        start_literals(p).and_then(|lits| lits.iter().map(|l| to.keywords.literal_id(l)).collect());
    let id = to.regexes.id(p);
    Ok(Pattern { re, starts, id })
}

fn cond(c: &Condition, to: &mut Collect) -> Result<Cond, CompileError> {
    let mut all = |v: &[Condition]| v.iter().map(|x| cond(x, to)).collect::<Result<_, _>>();
    Ok(match c {
        Condition::All(v) => Cond::All(all(v)?),
        Condition::Any(v) => Cond::Any(all(v)?),
        Condition::Not(x) => Cond::Not(Box::new(cond(x, to)?)),
        Condition::Keywords(v) => Cond::Keywords(
            v.iter().filter_map(|p| to.keywords.id(p)).collect(),
            v.iter().filter_map(|p| Phrase::new(p)).collect(),
        ),
        Condition::Regex(v) => {
            Cond::Regex(v.iter().map(|p| pattern(p, to)).collect::<Result<_, _>>()?)
        }
        Condition::Intents(v) => Cond::Intents(v.iter().map(|i| to.intents.id(i)).collect()),
        Condition::ConfidenceBelow(x) => Cond::ConfidenceBelow(*x),
        Condition::SentimentBelow(x) => Cond::SentimentBelow(*x),
        Condition::Pii(kinds) => Cond::Pii {
            card: kinds.contains(&PiiKind::Card),
            email: kinds.contains(&PiiKind::Email),
            phone: kinds.contains(&PiiKind::Phone),
        },
        Condition::Repeats(n) => Cond::Repeats(*n),
        Condition::Fallbacks(n) => Cond::Fallbacks(*n),
        Condition::BotTurns(n) => Cond::BotTurns(*n),
        Condition::Elapsed(s) => Cond::Elapsed(
            i64::try_from(*s)
                .unwrap_or(i64::MAX / 1000)
                .saturating_mul(1000),
        ),
        Condition::Segment(fields) => Cond::Segment(
            fields
                .iter()
                .map(|(k, vs)| (k.clone(), vs.iter().map(|v| v.to_lowercase()).collect()))
                .collect(),
        ),
    })
}

impl Compiled {
    pub fn new(matrix: Matrix) -> Result<Compiled, CompileError> {
        let mut to = Collect::default();
        let mut triggers = Vec::with_capacity(matrix.triggers.len());
        for t in &matrix.triggers {
            let c = cond(&t.when, &mut to)?;
            let priority = matrix.lanes.get(t.lane).map_or(u32::MAX, |l| l.priority);
            triggers.push(Trigger {
                id: t.id.clone(),
                lane: t.lane,
                priority,
                cond: c,
                line: t.line,
            });
        }
        let context = matrix
            .context
            .iter()
            .map(|(k, p)| Ok((k.clone(), regex(p)?)))
            .collect::<Result<_, CompileError>>()?;
        let Collect {
            mut keywords,
            intents,
            mut regexes,
        } = to;
        let optout = matrix
            .settings
            .trap
            .optout_phrases
            .iter()
            .filter_map(|p| keywords.id(p))
            .collect();
        keywords.build().map_err(|e| CompileError {
            pattern: "the keyword automaton".into(),
            reason: e.to_string(),
        })?;
        regexes.build().map_err(|e| CompileError {
            pattern: e.pattern,
            reason: e.reason,
        })?;
        Ok(Compiled {
            matrix,
            triggers,
            context,
            keywords,
            optout,
            regexes,
            intents,
        })
    }

    /// Whether trigger `a` beats trigger `b`: a more urgent lane, or the same priority and listed
    /// first (SPEC section 4).
    pub fn beats(&self, a: usize, b: usize) -> bool {
        let (pa, pb) = (self.triggers[a].priority, self.triggers[b].priority);
        pa < pb || (pa == pb && a < b)
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    const PATTERNS: [&str; 6] = [
        r"(?i)\b(gdpr|ccpa|lawsuit|lawyer|hacked|data breach|identity theft)\b",
        r"(?i)\border\s*(?:no\.?|number|#)?\s*#?(\d{4,})",
        r"(?i)straße|ſtop|\x{212A}elvin",
        r"ab+c|x\s+y|Ü",
        r"[0-9]{3}-[0-9]{2}",
        r"(?i)a[bc]d(e|f)g{2} h",
    ];

    #[test]
    fn literals_of_a_case_insensitive_alternation() {
        assert_eq!(
            start_literals(PATTERNS[0]),
            Some(
                ["law", "hac", "gdpr", "ccpa", "data", "identit"]
                    .map(String::from)
                    .to_vec()
            )
        );
        assert_eq!(start_literals(r"[\w.+-]+@[\w-]+\.[\w.]+"), None, "too many");
        assert_eq!(
            start_literals(r"x?y?"),
            None,
            "the empty literal lets all through"
        );
    }

    static COMPILED: std::sync::LazyLock<(Keywords, Vec<Pattern>)> =
        std::sync::LazyLock::new(|| {
            let mut to = Collect::default();
            let compiled = PATTERNS
                .iter()
                .map(|p| pattern(p, &mut to).unwrap_or_else(|e| panic!("{e}")))
                .collect();
            let mut k = to.keywords;
            k.build().unwrap_or_else(|e| panic!("{e}"));
            (k, compiled)
        });

    fn piece() -> impl Strategy<Value = &'static str> {
        prop::sample::select(vec![
            "GDPR",
            "gdpr",
            "Law",
            "lawſuit",
            "LAWYER",
            "HAC\u{212A}ED",
            "hacked",
            "data",
            " ",
            "  ",
            "\t",
            "\n",
            "breach",
            "Data\tBreach",
            "iDentity theft",
            "ORDER",
            "#",
            "no.",
            "12345",
            "straße",
            "STRASSE",
            "ſtop",
            "STOP",
            "\u{212A}elvin",
            "kelvin",
            "abbc",
            "ABC",
            "x",
            "y",
            "ü",
            "Ü",
            "123-45",
            "-",
            "acdegg h",
            "ABDFGG  H",
            "é",
            ".",
            "_",
        ])
    }

    proptest! {
        /// An `intents` condition holds by ids exactly where it holds by names: the message's
        /// intent is among the condition's (case and spacing count).
        #[test]
        fn intents_by_id_hold_as_by_name(
            conds in prop::collection::vec(prop::collection::vec(0usize..5, 0..4), 1..5),
            intent in 0usize..7,
        ) {
            const NAMED: [&str; 5] = ["refund_request", "billing_error", "Refund_request", "", "bug "];
            const SENT: [&str; 7] =
                ["refund_request", "billing_error", "Refund_request", "", "bug ", "bug", "refund"];
            let mut intents = Intents::default();
            let ids: Vec<Vec<u32>> = conds
                .iter()
                .map(|c| c.iter().map(|&i| intents.id(NAMED[i])).collect())
                .collect();
            let sent = SENT[intent];
            for (c, ids) in conds.iter().zip(&ids) {
                let by_name = c.iter().any(|&i| NAMED[i] == sent);
                let by_id = intents.get(sent).is_some_and(|x| ids.contains(&x));
                prop_assert_eq!(by_id, by_name, "{:?} in {:?}", sent, c);
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]

        /// A text a regex matches always has one of its start literals in the keyword scan, so
        /// replay may skip the regex on the texts that have none.
        #[test]
        fn a_match_always_shows_a_start_literal(parts in prop::collection::vec(piece(), 0..8)) {
            let text = parts.concat();
            let (k, compiled) = &*COMPILED;
            let mut hits = crate::engine::keywords::Hits::new(k.len());
            k.scan(&text, &mut String::new(), &mut hits);
            for p in compiled {
                if p.re.is_match(&text) {
                    let starts = p.starts.as_deref().unwrap_or_default();
                    prop_assert!(
                        p.starts.is_none() || starts.iter().any(|i| hits[*i]),
                        "{:?} matches {:?}", p.re.as_str(), text
                    );
                }
            }
        }
    }
}

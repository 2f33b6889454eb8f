//! The validated matrix made ready to run: phrases folded, regexes compiled, triggers in the order
//! the decision needs.

use regex::Regex;

use crate::engine::keywords::Keywords;
use crate::matrix::model::{Condition, Matrix};
use crate::matrix::raw::PiiKind;
use crate::text::Phrase;

/// A condition with its matchers built.
#[derive(Debug, Clone)]
pub enum Cond {
    All(Vec<Cond>),
    Any(Vec<Cond>),
    Not(Box<Cond>),
    /// Phrase ids in [`Compiled::keywords`], and the phrases (for `explain` to show where they hit).
    Keywords(Vec<usize>, Vec<Phrase>),
    Regex(Vec<Regex>),
    Intents(Vec<String>),
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
}

#[derive(Debug, Clone)]
pub struct Trigger {
    pub id: String,
    pub lane: usize,
    pub priority: u32,
    pub customer_only: bool,
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
        .size_limit(crate::lint::checks::invalid_regex::SIZE_LIMIT)
        .build()
        .map_err(|e| CompileError {
            pattern: p.to_owned(),
            reason: e.to_string(),
        })
}

fn cond(c: &Condition, k: &mut Keywords) -> Result<Cond, CompileError> {
    Ok(match c {
        Condition::All(v) => Cond::All(v.iter().map(|x| cond(x, k)).collect::<Result<_, _>>()?),
        Condition::Any(v) => Cond::Any(v.iter().map(|x| cond(x, k)).collect::<Result<_, _>>()?),
        Condition::Not(x) => Cond::Not(Box::new(cond(x, k)?)),
        Condition::Keywords(v) => Cond::Keywords(
            v.iter().filter_map(|p| k.id(p)).collect(),
            v.iter().filter_map(|p| Phrase::new(p)).collect(),
        ),
        Condition::Regex(v) => Cond::Regex(v.iter().map(|p| regex(p)).collect::<Result<_, _>>()?),
        Condition::Intents(v) => Cond::Intents(v.clone()),
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
        let mut keywords = Keywords::new();
        let mut triggers = Vec::with_capacity(matrix.triggers.len());
        for t in &matrix.triggers {
            let c = cond(&t.when, &mut keywords)?;
            let priority = matrix.lanes.get(t.lane).map_or(u32::MAX, |l| l.priority);
            triggers.push(Trigger {
                id: t.id.clone(),
                lane: t.lane,
                priority,
                customer_only: c.customer_only(),
                cond: c,
                line: t.line,
            });
        }
        let context = matrix
            .context
            .iter()
            .map(|(k, p)| Ok((k.clone(), regex(p)?)))
            .collect::<Result<_, CompileError>>()?;
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
        Ok(Compiled {
            matrix,
            triggers,
            context,
            keywords,
            optout,
        })
    }

    /// Whether trigger `a` beats trigger `b`: a more urgent lane, or the same priority and listed
    /// first (SPEC section 4).
    pub fn beats(&self, a: usize, b: usize) -> bool {
        let (pa, pb) = (self.triggers[a].priority, self.triggers[b].priority);
        pa < pb || (pa == pb && a < b)
    }
}

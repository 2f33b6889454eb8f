//! What replay evaluates when it runs one or more matrices over the same conversations.
//!
//! `handoff diff` replays every conversation through two matrices that usually differ in a trigger
//! or two. A [`Plan`] lists every distinct trigger condition of all of them once, with the
//! triggers (of any matrix) that use it: replay evaluates each condition once per message and marks
//! every trigger that uses it. The matrices' keyword phrases go into one automaton, so each
//! customer message is scanned once too, and intents get ids shared by all. For one matrix the plan
//! borrows its automaton, and only triggers with the very same condition share.
//!
//! The plan holds its conditions by value, copied from the matrices (a regex copy shares the
//! compiled program): evaluating them through a borrow-or-owned `Cow` took 4 % more instructions
//! to replay a conversation.

use std::borrow::Cow;

use crate::engine::compile::{CompileError, Compiled, Cond, Intents, Pattern};
use crate::engine::keywords::Keywords;

/// The matrices of one replay, and the conditions it evaluates.
#[derive(Debug)]
pub struct Plan<'a> {
    pub matrices: &'a [Compiled],
    /// Every keyword phrase and regex start literal of every matrix.
    pub keywords: Cow<'a, Keywords>,
    /// Every intent the conditions of every matrix name.
    pub intents: Cow<'a, Intents>,
    /// Every distinct condition, in the order its first trigger comes (matrix by matrix).
    pub conds: Vec<Shared>,
    /// Ids in `conds` of those that can hold at a message other than a customer's; of those that
    /// can hold at a customer message without keyword hits (see [`Cond::needs_hit`]).
    pub not_customer: Vec<usize>,
    pub without_hit: Vec<usize>,
    /// Ids of every condition: `0..conds.len()`.
    pub every: Vec<usize>,
    /// Per matrix, the ids in `keywords` of its opt-out phrases.
    pub optout: Vec<Cow<'a, [usize]>>,
    /// Per matrix, the first matrix with the same `fallback_intents` (whose fallback streak is the
    /// same at every message).
    pub streak_of: Vec<usize>,
}

/// A condition and the triggers that use it.
#[derive(Debug)]
pub struct Shared {
    pub cond: Cond,
    /// [`Cond::customer_only`], [`Cond::needs_hit`], [`Cond::conversation_part`].
    pub customer_only: bool,
    pub needs_hit: bool,
    pub conversation_part: bool,
    /// For a condition that counts fallbacks, the matrix whose fallback streak it reads (see
    /// [`Plan::streak_of`]).
    pub streak: Option<usize>,
    /// (matrix, trigger) of every trigger with this condition.
    pub users: Vec<(usize, usize)>,
}

impl<'a> Plan<'a> {
    /// The plan of one matrix: its own automaton and conditions, borrowed.
    pub fn single(matrix: &'a Compiled) -> Plan<'a> {
        let mut plan = Plan {
            matrices: std::slice::from_ref(matrix),
            keywords: Cow::Borrowed(&matrix.keywords),
            intents: Cow::Borrowed(&matrix.intents),
            conds: Vec::new(),
            not_customer: Vec::new(),
            without_hit: Vec::new(),
            every: Vec::new(),
            optout: vec![Cow::Borrowed(&matrix.optout)],
            streak_of: vec![0],
        };
        for (t, trig) in matrix.triggers.iter().enumerate() {
            plan.add(trig.cond.clone(), 0, t);
        }
        plan.index();
        plan
    }

    /// The plan of `matrices`; fails only if the union of their phrases does not build.
    pub fn new(matrices: &'a [Compiled]) -> Result<Plan<'a>, CompileError> {
        if let [only] = matrices {
            return Ok(Plan::single(only));
        }
        let streak_of: Vec<usize> = matrices
            .iter()
            .enumerate()
            .map(|(i, m)| {
                let fallbacks = &m.matrix.settings.fallback_intents;
                matrices
                    .iter()
                    .position(|o| o.matrix.settings.fallback_intents == *fallbacks)
                    .unwrap_or(i)
            })
            .collect();
        let mut plan = Plan {
            matrices,
            keywords: Cow::Owned(Keywords::new()),
            intents: Cow::Owned(Intents::default()),
            conds: Vec::new(),
            not_customer: Vec::new(),
            without_hit: Vec::new(),
            every: Vec::new(),
            optout: Vec::new(),
            streak_of,
        };
        let mut keywords = Keywords::new();
        let mut intents = Intents::default();
        let maps: Vec<(Vec<usize>, Vec<u32>)> = matrices
            .iter()
            .map(|m| (keywords.absorb(&m.keywords), intents.absorb(&m.intents)))
            .collect();
        keywords.build().map_err(|e| CompileError {
            pattern: "the keyword automaton of the matrices together".into(),
            reason: e.to_string(),
        })?;
        plan.keywords = Cow::Owned(keywords);
        plan.intents = Cow::Owned(intents);
        for (i, (m, (kw, ints))) in matrices.iter().zip(&maps).enumerate() {
            plan.optout
                .push(Cow::Owned(m.optout.iter().map(|k| kw[*k]).collect()));
            for (t, trig) in m.triggers.iter().enumerate() {
                plan.add(remap(&trig.cond, kw, ints), i, t);
            }
        }
        plan.index();
        Ok(plan)
    }

    /// Fills the lists of conditions by the messages they can hold at.
    fn index(&mut self) {
        let ids = |keep: &dyn Fn(&Shared) -> bool| -> Vec<usize> {
            (self.conds.iter().enumerate())
                .filter(|(_, s)| keep(s))
                .map(|(d, _)| d)
                .collect()
        };
        self.not_customer = ids(&|s| !s.customer_only);
        self.without_hit = ids(&|s| !s.needs_hit);
        self.every = ids(&|_| true);
    }

    /// Adds trigger `t` of matrix `m`, with its condition in the plan's ids.
    fn add(&mut self, cond: Cond, m: usize, t: usize) {
        let streak = cond.counts_fallbacks().then(|| self.streak_of[m]);
        if let Some(s) = self
            .conds
            .iter_mut()
            .find(|s| s.streak == streak && s.cond == cond)
        {
            s.users.push((m, t));
            return;
        }
        self.conds.push(Shared {
            customer_only: cond.customer_only(),
            needs_hit: cond.needs_hit(),
            conversation_part: cond.conversation_part(),
            streak,
            users: vec![(m, t)],
            cond,
        });
    }
}

/// `c` with its keyword and intent ids taken through `kw` and `intents`.
fn remap(c: &Cond, kw: &[usize], intents: &[u32]) -> Cond {
    let ids = |v: &[usize]| v.iter().map(|i| kw[*i]).collect::<Vec<_>>();
    match c {
        Cond::All(v) => Cond::All(v.iter().map(|x| remap(x, kw, intents)).collect()),
        Cond::Any(v) => Cond::Any(v.iter().map(|x| remap(x, kw, intents)).collect()),
        Cond::Not(x) => Cond::Not(Box::new(remap(x, kw, intents))),
        Cond::Keywords(v, phrases) => Cond::Keywords(ids(v), phrases.clone()),
        Cond::Regex(ps) => Cond::Regex(
            ps.iter()
                .map(|p| Pattern {
                    re: p.re.clone(),
                    starts: p.starts.as_deref().map(ids),
                })
                .collect(),
        ),
        Cond::Intents(v) => Cond::Intents(v.iter().map(|i| intents[*i as usize]).collect()),
        other => other.clone(),
    }
}

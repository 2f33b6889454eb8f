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
//! compiled program): evaluating them through a borrow-or-owned `Cow` cost more instructions per
//! conversation (`BENCHMARKS.md`, "Figures behind choices in the code").

use std::borrow::Cow;

use crate::engine::compile::{CompileError, Compiled, Cond, Intents, Pattern};
use crate::engine::keywords::{Hits, Keywords};
use crate::engine::regexes::Regexes;

/// The matrices of one replay, and the conditions it evaluates.
#[derive(Debug)]
pub struct Plan<'a> {
    pub matrices: &'a [Compiled],
    /// Every keyword phrase and regex start literal of every matrix.
    pub keywords: Cow<'a, Keywords>,
    /// Every intent the conditions of every matrix name.
    pub intents: Cow<'a, Intents>,
    /// Every regex of every matrix.
    pub regexes: Cow<'a, Regexes>,
    /// Every distinct condition, in the order its first trigger comes (matrix by matrix).
    pub conds: Vec<Shared>,
    /// Ids in `conds` of those that can hold at a message other than a customer's; of those that
    /// can hold at a customer message without keyword hits (see [`Cond::needs_hit`]).
    pub not_customer: Vec<usize>,
    pub without_hit: Vec<usize>,
    /// By id in `keywords`, the conditions that need a keyword hit and can hold at a message that
    /// hit that id (see [`Cond::hit_ids`]): a message is evaluated for the conditions of its hits,
    /// not for every condition of a matrix with a thousand phrases.
    pub by_hit: Vec<Vec<usize>>,
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
    /// The plan of one matrix: its own automaton, borrowed, and its conditions.
    pub fn single(matrix: &'a Compiled) -> Plan<'a> {
        let matrices = std::slice::from_ref(matrix);
        let conds = matrix
            .triggers
            .iter()
            .enumerate()
            .map(|(t, trig)| (trig.cond.clone(), 0, t));
        Plan::with(
            matrices,
            Cow::Borrowed(&matrix.keywords),
            Cow::Borrowed(&matrix.intents),
            Cow::Borrowed(&matrix.regexes),
            vec![Cow::Borrowed(&matrix.optout)],
            conds,
        )
    }

    /// The plan of `matrices`; fails only if the union of their phrases does not build.
    pub fn new(matrices: &'a [Compiled]) -> Result<Plan<'a>, CompileError> {
        if let [only] = matrices {
            return Ok(Plan::single(only));
        }
        let mut keywords = Keywords::new();
        let mut intents = Intents::default();
        let mut regexes = Regexes::default();
        let maps: Vec<Maps> = matrices
            .iter()
            .map(|m| Maps {
                keywords: keywords.absorb(&m.keywords),
                intents: intents.absorb(&m.intents),
                regexes: regexes.absorb(&m.regexes),
            })
            .collect();
        regexes.build().map_err(|e| CompileError {
            pattern: e.pattern,
            reason: e.reason,
        })?;
        keywords.build().map_err(|e| CompileError {
            pattern: "the keyword automaton of the matrices together".into(),
            reason: e.to_string(),
        })?;
        let optout = (matrices.iter().zip(&maps))
            .map(|(m, map)| Cow::Owned(m.optout.iter().map(|k| map.keywords[*k]).collect()))
            .collect();
        let conds = (matrices.iter().zip(&maps).enumerate()).flat_map(|(i, (m, map))| {
            (m.triggers.iter().enumerate()).map(move |(t, trig)| (remap(&trig.cond, map), i, t))
        });
        Ok(Plan::with(
            matrices,
            Cow::Owned(keywords),
            Cow::Owned(intents),
            Cow::Owned(regexes),
            optout,
            conds,
        ))
    }

    /// The plan of `matrices` with their phrases, intents and opt-out phrases in shared ids, and
    /// `conds`: each trigger's condition in those ids, with its matrix and trigger.
    fn with(
        matrices: &'a [Compiled],
        keywords: Cow<'a, Keywords>,
        intents: Cow<'a, Intents>,
        regexes: Cow<'a, Regexes>,
        optout: Vec<Cow<'a, [usize]>>,
        conds: impl Iterator<Item = (Cond, usize, usize)>,
    ) -> Plan<'a> {
        let streak_of = (matrices.iter().enumerate())
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
            keywords,
            intents,
            regexes,
            conds: Vec::new(),
            not_customer: Vec::new(),
            without_hit: Vec::new(),
            by_hit: Vec::new(),
            every: Vec::new(),
            optout,
            streak_of,
        };
        for (cond, m, t) in conds {
            plan.add(cond, m, t);
        }
        plan.index();
        plan
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
        self.by_hit = vec![Vec::new(); self.keywords.len()];
        for (d, s) in self.conds.iter().enumerate() {
            for id in s.cond.hit_ids().unwrap_or_default() {
                if let Some(list) = self.by_hit.get_mut(id)
                    && list.last() != Some(&d)
                {
                    list.push(d);
                }
            }
        }
    }

    /// Onto `out`, in ascending order and once each, the conditions that need a keyword hit and
    /// can hold at a message with `hits`.
    pub fn hit_conditions(&self, hits: &Hits, out: &mut Vec<usize>) {
        out.clear();
        for &id in hits.ids() {
            out.extend_from_slice(self.by_hit.get(id).map_or(&[][..], Vec::as_slice));
        }
        if out.len() > 1 {
            out.sort_unstable();
            out.dedup();
        }
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

/// By id in one matrix, the id in the plan of its phrases, intents and regexes.
struct Maps {
    keywords: Vec<usize>,
    intents: Vec<u32>,
    regexes: Vec<usize>,
}

/// `c` with its keyword, intent and regex ids taken through `map`.
fn remap(c: &Cond, map: &Maps) -> Cond {
    let ids = |v: &[usize]| v.iter().map(|i| map.keywords[*i]).collect::<Vec<_>>();
    match c {
        Cond::All(v) => Cond::All(v.iter().map(|x| remap(x, map)).collect()),
        Cond::Any(v) => Cond::Any(v.iter().map(|x| remap(x, map)).collect()),
        Cond::Not(x) => Cond::Not(Box::new(remap(x, map))),
        Cond::Keywords(v, phrases) => Cond::Keywords(ids(v), phrases.clone()),
        Cond::Regex(ps) => Cond::Regex(
            ps.iter()
                .map(|p| Pattern {
                    re: p.re.clone(),
                    starts: p.starts.as_deref().map(ids),
                    id: map.regexes[p.id],
                })
                .collect(),
        ),
        Cond::Intents(v) => Cond::Intents(v.iter().map(|i| map.intents[*i as usize]).collect()),
        other => other.clone(),
    }
}

//! The tally a replay folds into: one [`Aggregate`] per matrix, the run's one [`Logged`] (what the
//! logs show does not depend on the matrix: it is observed once per conversation, however many
//! matrices are replayed), and the outcomes a report needs besides them (every conversation's for
//! `--outcomes`, the changed ones for `diff`).
//!
//! Aggregates only add counts and collect values that are sorted when the report is made, and
//! kept outcomes are sorted by conversation id in [`Tally::finish`], so a tally merged from any
//! number of parts in any order gives the same report as one that saw every conversation itself.
//! A tally for a partial report ([`Tally::digesting`]) also keeps a 64-bit hash of every
//! conversation id, so `merge` can tell shards that share a conversation.

use crate::engine::fold::Fold;
use crate::engine::logged::observe;
use crate::engine::plan::Plan;
use crate::engine::{Compiled, Outcome};
use crate::logs::record::Conversation;
use crate::metrics::Aggregate;
use crate::metrics::logged::{Figures, Logged};

/// Which outcomes a tally keeps besides the aggregates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Keep {
    /// None: the report needs only the aggregates.
    #[default]
    Nothing,
    /// Every conversation's, for `--outcomes`.
    All,
    /// Those of the conversations whose escalation (lane and point) differs between the first two
    /// matrices, for every matrix: all `diff` needs, without holding a month of outcomes.
    Changed,
}

/// Aggregates and kept outcomes, per matrix in the plan's order.
#[derive(Debug, Clone)]
pub struct Tally {
    pub aggregates: Vec<Aggregate>,
    pub logged: Logged,
    /// Per matrix, the kept outcomes (sorted by id once finished).
    pub outcomes: Vec<Vec<Outcome>>,
    keep: Keep,
    /// The hashes of the conversation ids (`crate::digest::id_hash`), for a partial report.
    pub ids: Option<Vec<u64>>,
}

/// A finished tally: aggregates, and outcomes sorted by conversation id.
#[derive(Debug)]
pub struct Tallied {
    pub aggregates: Vec<Aggregate>,
    /// The logged figures, the same for every matrix.
    pub logged: Figures,
    pub outcomes: Vec<Vec<Outcome>>,
}

impl Tally {
    /// An empty tally for `matrices`.
    pub fn new(matrices: &[Compiled], keep: Keep) -> Tally {
        Tally {
            aggregates: matrices.iter().map(Aggregate::new).collect(),
            logged: Logged::default(),
            outcomes: matrices.iter().map(|_| Vec::new()).collect(),
            keep,
            ids: None,
        }
    }

    /// The same tally, keeping the hash of every conversation id (for `replay --partial`).
    pub fn digesting(mut self) -> Tally {
        self.ids = Some(Vec::new());
        self
    }

    /// The aggregates, and the outcomes in conversation-id order.
    pub fn finish(mut self) -> Tallied {
        for o in &mut self.outcomes {
            o.sort_by(|a, b| a.id.cmp(&b.id));
        }
        Tallied {
            aggregates: self.aggregates,
            logged: self.logged.figures(),
            outcomes: self.outcomes,
        }
    }

    fn kept(&self, plan: &Plan, outcomes: &[Outcome]) -> bool {
        match self.keep {
            Keep::Nothing => false,
            Keep::All => true,
            Keep::Changed => matches!(
                (outcomes.first(), outcomes.get(1), plan.matrices.get(..2)),
                (Some(a), Some(b), Some([ma, mb])) if escalation_key(ma, a) != escalation_key(mb, b)
            ),
        }
    }
}

impl Fold for Tally {
    fn add(&mut self, plan: &Plan, conv: &Conversation<'_>, outcomes: &mut Vec<Outcome>) {
        let seen = observe(conv);
        self.logged.add(conv, &seen);
        if let Some(ids) = &mut self.ids {
            ids.push(crate::digest::id_hash(&conv.id));
        }
        for ((o, m), agg) in outcomes.iter().zip(plan.matrices).zip(&mut self.aggregates) {
            agg.add(m, o, &seen);
        }
        // Most conversations escalate alike under both matrices of a `diff` and are not kept:
        // they were replayed unnamed, and are named only when kept.
        if self.kept(plan, outcomes) {
            for (list, mut o) in self.outcomes.iter_mut().zip(outcomes.drain(..)) {
                o.id = conv.id.to_string();
                o.logged_lane = crate::engine::logged::first_lane(conv).map(str::to_owned);
                list.push(o);
            }
        }
    }

    fn merge(&mut self, other: Tally) {
        for (mine, theirs) in self.aggregates.iter_mut().zip(other.aggregates) {
            mine.merge(theirs);
        }
        self.logged.merge(other.logged);
        if let (Some(mine), Some(theirs)) = (&mut self.ids, other.ids) {
            mine.extend(theirs);
        }
        for (mine, theirs) in self.outcomes.iter_mut().zip(other.outcomes) {
            mine.extend(theirs);
        }
    }
}

/// Where a conversation escalated, by lane name (lane indices differ between matrices).
pub fn escalation_key<'c>(c: &'c Compiled, o: &Outcome) -> (&'c str, Option<usize>) {
    match o.escalation {
        Some(e) => (c.matrix.lanes[e.lane].id.as_str(), Some(e.index)),
        None => ("none", None),
    }
}

//! What every run path folds conversations into, and the one merge they share.
//!
//! The engine replays conversations and hands each one's outcomes (one per matrix of the plan) to
//! a [`Fold`]; it does not know what is counted or kept. The one reader, the chunks of JSONL and
//! CSV on every core and the folders of WhatsApp exports each give every worker a fresh fold (a
//! clone of an empty one) and combine the workers' folds with [`merge_all`]. A fold's `merge` must
//! not depend on the order in which parts are merged: workers finish in any order, and partial
//! results of other runs (other shards, spilled partitions) are merged the same way. A [`Job`]
//! is what every path of one run is given: the plan, the threads, the progress bar, the empty fold.

use crate::engine::plan::Plan;
use crate::engine::replay::{Outcome, Scratch, replay_plan};
use crate::logs::record::Conversation;

/// Counts replayed conversations. `metrics::Tally` is the one the reports use.
pub trait Fold: Clone + Send + Sync {
    /// Counts one conversation. `outcomes` holds its outcome under each matrix of `plan`, in the
    /// plan's order, with an empty id. A fold that keeps an outcome takes it out of `outcomes` and
    /// names it; the outcomes left are recycled, so a conversation that is only counted costs no
    /// allocation.
    fn add(&mut self, plan: &Plan, conv: &Conversation<'_>, outcomes: &mut Vec<Outcome>);

    /// Adds the fold of other conversations (no conversation is in both).
    fn merge(&mut self, other: Self);
}

/// Replays one conversation through every matrix of `plan` into `fold`.
pub fn replay_into<F: Fold>(
    plan: &Plan,
    conv: &Conversation<'_>,
    fold: &mut F,
    scratch: &mut Scratch,
) {
    let mut outcomes = std::mem::take(&mut scratch.outcomes);
    outcomes.clear();
    replay_plan(plan, conv, false, scratch, &mut outcomes);
    fold.add(plan, conv, &mut outcomes);
    for o in outcomes.drain(..) {
        scratch.recycle(o);
    }
    scratch.outcomes = outcomes;
}

/// Merges the folds of the other parts of one input into `into`.
pub fn merge_all<F: Fold>(mut into: F, parts: impl IntoIterator<Item = F>) -> F {
    for part in parts {
        into.merge(part);
    }
    into
}

/// What every path of one run shares.
pub struct Job<'a, F> {
    pub plan: &'a Plan<'a>,
    pub threads: usize,
    pub progress: Option<&'a crate::engine::progress::Progress>,
    /// The empty fold every worker starts from.
    pub empty: &'a F,
}

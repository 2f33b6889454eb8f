//! What a rule change does to the same conversations: the transitions of `handoff diff`.
//!
//! An outcome is the pair (lane, escalation point), so a conversation that escalates earlier or
//! later into the same lane counts as a `recovery → recovery` transition. Conversations are
//! grouped by transition with their ids, and the metric deltas are NEW minus BASE.

use std::collections::BTreeMap;

use crate::engine::Compiled;
use crate::engine::replay::Outcome;
use crate::metrics::tally::escalation_key;

/// Conversations that moved from one lane to another (or to another escalation point).
#[derive(Debug, Clone, PartialEq)]
pub struct Transition {
    pub from: String,
    pub to: String,
    pub conversations: Vec<String>,
}

/// Pairs the outcomes (both sorted by id) and groups the changed ones.
pub fn transitions(
    base: &Compiled,
    new: &Compiled,
    a: &[Outcome],
    b: &[Outcome],
) -> Vec<Transition> {
    let mut groups: BTreeMap<(String, String), Vec<String>> = BTreeMap::new();
    for (x, y) in a.iter().zip(b) {
        let (kx, ky) = (escalation_key(base, x), escalation_key(new, y));
        if kx != ky {
            groups
                .entry((kx.0.to_owned(), ky.0.to_owned()))
                .or_default()
                .push(x.id.clone());
        }
    }
    let mut out: Vec<Transition> = groups
        .into_iter()
        .map(|((from, to), conversations)| Transition {
            from,
            to,
            conversations,
        })
        .collect();
    out.sort_by(|p, q| {
        q.conversations
            .len()
            .cmp(&p.conversations.len())
            .then_with(|| (&p.from, &p.to).cmp(&(&q.from, &q.to)))
    });
    out
}

/// How many conversations changed outcome.
pub fn changed(ts: &[Transition]) -> usize {
    ts.iter().map(|t| t.conversations.len()).sum()
}

/// The change of a metric from BASE to NEW; none when either side has no data.
pub fn delta(a: Option<f64>, b: Option<f64>) -> Option<f64> {
    Some(b? - a?)
}

//! The totals of SPEC section 5.5 that read the logs alone: one [`Logged`] per run, whatever the
//! number of matrices, added to from each conversation's [`Observed`] facts and merged like the
//! aggregates (counts add, collected values are sorted when the figures are made).
//!
//! `recontact_48h_rate` needs what no single conversation knows: whether the same customer came
//! back. [`Customers`] keeps, per distinct `customer_id`, the (first, last) timestamps of each of
//! its timed conversations — 16 bytes a conversation, plus the id and about 48 bytes of map entry
//! per customer (`docs/replay.md` has the sizes). Parts merge by joining the lists, and the count is
//! made only once every part is in, from the sorted lists: so it is exact across files, chunks,
//! threads, interleaved input and the shards of a sharded run (a partial report carries the
//! spans, SPEC section 5.7), and the same in any order. The serde forms are a partial's keys.

use std::collections::{BTreeMap, HashMap};

use crate::engine::logged::Observed;
use crate::logs::record::Conversation;
use crate::metrics::histogram::Histogram;
use crate::metrics::percentile::rate;
use crate::text::FxBuild;

/// 48 hours, in milliseconds.
pub const RECONTACT_MS: i64 = 48 * 3600 * 1000;

/// The conversations, by lane, whose first lane-naming event named that lane, and their times to
/// it.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct LaneTimes {
    conversations: u64,
    seconds: Histogram<f64>,
}

/// Per customer, the (first, last) timestamps of its timed conversations.
#[derive(Debug, Clone, Default)]
pub struct Customers {
    spans: HashMap<Box<str>, Vec<(i64, i64)>, FxBuild>,
    /// How many spans there are (the denominator).
    conversations: u64,
}

impl Customers {
    fn add(&mut self, id: &str, span: (i64, i64)) {
        self.conversations += 1;
        match self.spans.get_mut(id) {
            Some(v) => v.push(span),
            None => {
                self.spans.insert(id.into(), vec![span]);
            }
        }
    }

    fn merge(&mut self, other: Customers) {
        self.conversations += other.conversations;
        for (k, v) in other.spans {
            self.spans.entry(k).or_default().extend(v);
        }
    }

    /// The customers, as a partial report holds them: `{customer_id: [[first, last], …]}`, ids
    /// and spans sorted (so the same input writes the same bytes).
    fn sorted(&self) -> BTreeMap<&str, Vec<(i64, i64)>> {
        self.spans
            .iter()
            .map(|(k, v)| {
                let mut v = v.clone();
                v.sort_unstable();
                (&**k, v)
            })
            .collect()
    }

    /// The conversations after whose last message the same customer starts another within 48
    /// hours (`0 <= start - last < 48 h`).
    fn recontacted(self) -> u64 {
        let mut n = 0;
        for mut spans in self.spans.into_values() {
            spans.sort_unstable();
            let starts: Vec<i64> = spans.iter().map(|s| s.0).collect();
            for &(first, last) in &spans {
                let from = starts.partition_point(|s| *s < last);
                let to = starts.partition_point(|s| *s < last.saturating_add(RECONTACT_MS));
                // The conversation itself starts in the window only when it starts and ends at
                // the same moment; another must.
                let own = usize::from(first >= last);
                n += u64::from(to - from > own);
            }
        }
        n
    }
}

impl serde::Serialize for Customers {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        serde::Serialize::serialize(&self.sorted(), s)
    }
}

impl<'de> serde::Deserialize<'de> for Customers {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let spans: HashMap<Box<str>, Vec<(i64, i64)>, FxBuild> =
            serde::Deserialize::deserialize(d)?;
        let conversations = spans.values().map(|v| v.len() as u64).sum();
        Ok(Customers {
            spans,
            conversations,
        })
    }
}

/// Running totals of the logged facts.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Logged {
    conversations: u64,
    handoffs: u64,
    #[serde(rename = "turns_to_handoff")]
    turns: Histogram<u32>,
    #[serde(rename = "seconds_to_handoff")]
    seconds: Histogram<f64>,
    with_customer: u64,
    unanswered: u64,
    first_response: Histogram<f64>,
    specialist: Histogram<f64>,
    /// Time to specialist by the lane of the first event naming one.
    lanes: BTreeMap<String, LaneTimes>,
    naming_lane: u64,
    reassigned: u64,
    transfers: u64,
    resolved: u64,
    resolution: Histogram<f64>,
    customers: Customers,
}

impl Logged {
    /// Counts one conversation, from its observed facts.
    pub fn add(&mut self, conv: &Conversation<'_>, o: &Observed) {
        self.conversations += 1;
        if o.handoff.is_some() {
            self.handoffs += 1;
            self.transfers += u64::from(o.transfers.unwrap_or(0));
        }
        push(&mut self.turns, o.turns_to_handoff);
        push(&mut self.seconds, o.seconds_to_handoff);
        if o.has_customer {
            self.with_customer += 1;
            self.unanswered += u64::from(o.first_response.is_none());
        }
        push(&mut self.first_response, o.first_response_seconds);
        push(&mut self.specialist, o.specialist_seconds);
        if let Some(lane) = o
            .specialist
            .and_then(|i| crate::engine::logged::named_lane(&conv.messages[i]))
        {
            let row = match self.lanes.get_mut(lane) {
                Some(row) => row,
                None => self.lanes.entry(lane.to_owned()).or_default(),
            };
            row.conversations += 1;
            push(&mut row.seconds, o.specialist_seconds);
        }
        if let Some(r) = o.reassigned {
            self.naming_lane += 1;
            self.reassigned += u64::from(r);
        }
        self.resolved += u64::from(o.resolved);
        push(&mut self.resolution, o.resolution_seconds);
        if let (Some(id), Some(span)) = (conv.customer_id.as_deref(), o.span) {
            self.customers.add(id.trim(), span);
        }
    }

    /// How many conversations were counted.
    pub fn conversations(&self) -> u64 {
        self.conversations
    }

    /// Adds the totals of other conversations.
    pub fn merge(&mut self, o: Logged) {
        self.conversations += o.conversations;
        self.handoffs += o.handoffs;
        self.turns.merge(o.turns);
        self.seconds.merge(o.seconds);
        self.with_customer += o.with_customer;
        self.unanswered += o.unanswered;
        self.first_response.merge(o.first_response);
        self.specialist.merge(o.specialist);
        for (k, v) in o.lanes {
            let row = self.lanes.entry(k).or_default();
            row.conversations += v.conversations;
            row.seconds.merge(v.seconds);
        }
        self.naming_lane += o.naming_lane;
        self.reassigned += o.reassigned;
        self.transfers += o.transfers;
        self.resolved += o.resolved;
        self.resolution.merge(o.resolution);
        self.customers.merge(o.customers);
    }

    /// The figures, once every conversation is in.
    pub fn figures(mut self) -> Figures {
        self.turns.fold();
        for v in [
            &mut self.seconds,
            &mut self.first_response,
            &mut self.specialist,
            &mut self.resolution,
        ] {
            v.fold();
        }
        let lanes = self
            .lanes
            .into_iter()
            .map(|(lane, mut t)| {
                t.seconds.fold();
                let row = Specialist {
                    lane: lane.clone(),
                    conversations: t.conversations,
                    seconds_p50: t.seconds.percentile(0.5),
                    seconds_p90: t.seconds.percentile(0.9),
                };
                (lane, row)
            })
            .collect();
        let with_id = self.customers.conversations;
        let recontacted = self.customers.recontacted();
        Figures {
            escalation_rate: rate(self.handoffs, self.conversations),
            turns_p50: self.turns.percentile(0.5),
            turns_p90: self.turns.percentile(0.9),
            seconds_p50: self.seconds.percentile(0.5),
            seconds_p90: self.seconds.percentile(0.9),
            first_response_p50: self.first_response.percentile(0.5),
            first_response_p90: self.first_response.percentile(0.9),
            unanswered_rate: rate(self.unanswered, self.with_customer),
            specialist_p50: self.specialist.percentile(0.5),
            specialist_p90: self.specialist.percentile(0.9),
            reassignment_rate: rate(self.reassigned, self.naming_lane),
            transfers_mean: rate(self.transfers, self.handoffs),
            resolution_p50: self.resolution.percentile(0.5),
            resolution_p90: self.resolution.percentile(0.9),
            resolved_rate: rate(self.resolved, self.conversations),
            recontact_rate: rate(recontacted, with_id),
            lanes,
        }
    }
}

/// Counts `v` when there is one.
fn push<K: crate::metrics::histogram::Key>(h: &mut Histogram<K>, v: Option<K>) {
    if let Some(v) = v {
        h.push(v);
    }
}

/// One lane of the JSON report's `specialists` (SPEC section 5.5).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Specialist {
    pub lane: String,
    pub conversations: u64,
    pub seconds_p50: Option<f64>,
    pub seconds_p90: Option<f64>,
}

/// The logged figures of a run, the same for every matrix replayed in it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Figures {
    pub escalation_rate: Option<f64>,
    pub turns_p50: Option<f64>,
    pub turns_p90: Option<f64>,
    pub seconds_p50: Option<f64>,
    pub seconds_p90: Option<f64>,
    pub first_response_p50: Option<f64>,
    pub first_response_p90: Option<f64>,
    pub unanswered_rate: Option<f64>,
    pub specialist_p50: Option<f64>,
    pub specialist_p90: Option<f64>,
    pub reassignment_rate: Option<f64>,
    pub transfers_mean: Option<f64>,
    pub resolution_p50: Option<f64>,
    pub resolution_p90: Option<f64>,
    pub resolved_rate: Option<f64>,
    pub recontact_rate: Option<f64>,
    /// By lane name, sorted.
    lanes: BTreeMap<String, Specialist>,
}

impl Figures {
    /// The specialists rows: the matrix's lanes in matrix order, then other names sorted; only
    /// lanes some conversation was assigned to.
    pub fn specialists(&self, matrix_lanes: &[&str]) -> Vec<Specialist> {
        let mut rows: Vec<Specialist> = matrix_lanes
            .iter()
            .filter_map(|l| self.lanes.get(*l).cloned())
            .collect();
        rows.extend(
            self.lanes
                .iter()
                .filter(|(k, _)| !matrix_lanes.contains(&k.as_str()))
                .map(|(_, v)| v.clone()),
        );
        rows
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn count(spans: &[(&str, i64, i64)]) -> (u64, u64) {
        let mut c = Customers::default();
        for (id, a, b) in spans {
            c.add(id, (*a, *b));
        }
        let n = c.conversations;
        (c.recontacted(), n)
    }

    #[test]
    fn a_return_counts_under_48_hours_and_not_at_48() {
        let h = 3600 * 1000;
        assert_eq!(
            count(&[("a", 0, h), ("a", h + RECONTACT_MS - 1, h + RECONTACT_MS)]),
            (1, 2)
        );
        assert_eq!(
            count(&[("a", 0, h), ("a", h + RECONTACT_MS, h + RECONTACT_MS)]),
            (0, 2)
        );
        // Another customer does not count, nor a conversation that starts before this one ended.
        assert_eq!(count(&[("a", 0, h), ("b", h, h)]), (0, 2));
        assert_eq!(count(&[("a", 0, 2 * h), ("a", h, 3 * h)]), (0, 2));
        // A one-message conversation is not its own recontact; a twin at the same moment is.
        assert_eq!(count(&[("a", 5, 5)]), (0, 1));
        assert_eq!(count(&[("a", 5, 5), ("a", 5, 5)]), (2, 2));
    }

    /// The sizes `docs/replay.md` gives for the per-customer state.
    #[test]
    fn a_customer_costs_what_the_docs_say() {
        assert_eq!(std::mem::size_of::<(Box<str>, Vec<(i64, i64)>)>(), 40);
        assert_eq!(std::mem::size_of::<(i64, i64)>(), 16);
    }

    #[test]
    fn customers_merged_in_any_split_count_alike() {
        let spans = [
            ("a", 0, 10),
            ("b", 3, 4),
            ("a", 20, 30),
            ("a", 40, 50),
            ("b", 5, 6),
        ];
        let whole = count(&spans);
        for at in 0..=spans.len() {
            let (mut x, mut y) = (Customers::default(), Customers::default());
            for (id, a, b) in &spans[..at] {
                x.add(id, (*a, *b));
            }
            for (id, a, b) in &spans[at..] {
                y.add(id, (*a, *b));
            }
            y.merge(x);
            let n = y.conversations;
            assert_eq!((y.recontacted(), n), whole);
        }
    }
}

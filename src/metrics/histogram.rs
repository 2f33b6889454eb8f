//! Value-to-count histograms: what every percentile and mean of the report is computed from, and
//! what a partial report carries for it (SPEC section 5.7), so its size grows with the distinct
//! values, not with the conversations.
//!
//! Values are pushed into a buffer that is sorted and folded into the counts once it is as long
//! as the counts (or a few thousand values): a push costs what it did when every value was kept
//! in a vector, and memory stays within about twice the distinct values. Two histograms merge by
//! adding counts, which does not depend on the order of the parts. The nearest-rank percentile
//! of the counts is the value a sorted vector of every value would give at that rank, so reports
//! are the same as when values were collected and sorted.

use std::cmp::Ordering;

use crate::metrics::percentile::nearest_rank;

/// A value a histogram counts: ordered totally (seconds by [`f64::total_cmp`]).
pub trait Key: Copy {
    fn order(&self, other: &Self) -> Ordering;
    fn as_f64(&self) -> f64;
}

impl Key for u32 {
    fn order(&self, other: &Self) -> Ordering {
        self.cmp(other)
    }
    fn as_f64(&self) -> f64 {
        f64::from(*self)
    }
}

impl Key for f64 {
    fn order(&self, other: &Self) -> Ordering {
        self.total_cmp(other)
    }
    fn as_f64(&self) -> f64 {
        *self
    }
}

/// Buffered values are folded into the counts at least this often.
const BUFFER: usize = 4096;

/// Counts per distinct value, sorted by value.
#[derive(Debug, Clone, PartialEq)]
pub struct Histogram<K> {
    counts: Vec<(K, u64)>,
    buffer: Vec<K>,
}

impl<K> Default for Histogram<K> {
    fn default() -> Self {
        Histogram {
            counts: Vec::new(),
            buffer: Vec::new(),
        }
    }
}

/// Merges two sorted count lists, adding the counts of equal values.
fn merge_sorted<K: Key>(a: Vec<(K, u64)>, b: Vec<(K, u64)>) -> Vec<(K, u64)> {
    if a.is_empty() {
        return b;
    }
    if b.is_empty() {
        return a;
    }
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut a, mut b) = (a.into_iter().peekable(), b.into_iter().peekable());
    loop {
        let ord = match (a.peek(), b.peek()) {
            (Some(x), Some(y)) => x.0.order(&y.0),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => break,
        };
        match ord {
            Ordering::Less => out.extend(a.next()),
            Ordering::Greater => out.extend(b.next()),
            Ordering::Equal => {
                if let (Some((k, n)), Some((_, m))) = (a.next(), b.next()) {
                    out.push((k, n + m));
                }
            }
        }
    }
    out
}

impl<K: Key> Histogram<K> {
    /// Counts one value.
    pub fn push(&mut self, v: K) {
        self.buffer.push(v);
        if self.buffer.len() >= BUFFER.max(self.counts.len()) {
            self.fold();
        }
    }

    /// Folds the buffered values into the counts.
    pub fn fold(&mut self) {
        if self.buffer.is_empty() {
            return;
        }
        let mut buffer = std::mem::take(&mut self.buffer);
        buffer.sort_unstable_by(K::order);
        let mut runs: Vec<(K, u64)> = Vec::new();
        for v in buffer {
            match runs.last_mut() {
                Some((k, n)) if k.order(&v) == Ordering::Equal => *n += 1,
                _ => runs.push((v, 1)),
            }
        }
        self.counts = merge_sorted(std::mem::take(&mut self.counts), runs);
    }

    /// Adds the counts of `other`.
    pub fn merge(&mut self, mut other: Histogram<K>) {
        self.fold();
        other.fold();
        self.counts = merge_sorted(std::mem::take(&mut self.counts), other.counts);
    }

    /// The sorted counts, buffered values included.
    pub fn counts(&self) -> std::borrow::Cow<'_, [(K, u64)]> {
        if self.buffer.is_empty() {
            return std::borrow::Cow::Borrowed(self.counts.as_slice());
        }
        let mut h = self.clone();
        h.fold();
        std::borrow::Cow::Owned(h.counts)
    }

    /// How many values were counted.
    pub fn total(&self) -> u64 {
        self.counts.iter().map(|c| c.1).sum::<u64>() + self.buffer.len() as u64
    }

    /// The nearest-rank `q` percentile (SPEC section 5.1), `None` without values.
    pub fn percentile(&self, q: f64) -> Option<f64> {
        let counts = self.counts();
        let total: u64 = counts.iter().map(|c| c.1).sum();
        let rank = nearest_rank(usize::try_from(total).ok()?, q)? as u64;
        let mut below = 0;
        for (k, n) in counts.iter() {
            below += n;
            if rank < below {
                return Some(k.as_f64());
            }
        }
        None
    }

    /// A histogram of `counts`, which must be sorted by value, each value once, with counts of
    /// at least one (what a partial report holds); `None` otherwise.
    pub fn from_counts(counts: Vec<(K, u64)>) -> Option<Histogram<K>> {
        let sorted = counts
            .windows(2)
            .all(|w| w[0].0.order(&w[1].0) == Ordering::Less);
        (sorted && counts.iter().all(|c| c.1 > 0)).then_some(Histogram {
            counts,
            buffer: Vec::new(),
        })
    }
}

impl Histogram<u32> {
    /// The sum of the values (for a mean).
    pub fn sum(&self) -> u64 {
        self.counts().iter().map(|(k, n)| u64::from(*k) * n).sum()
    }
}

impl<K: Key + serde::Serialize> serde::Serialize for Histogram<K> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.counts().iter())
    }
}

impl<'de, K: Key + serde::Deserialize<'de>> serde::Deserialize<'de> for Histogram<K> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let counts: Vec<(K, u64)> = serde::Deserialize::deserialize(d)?;
        Histogram::from_counts(counts).ok_or_else(|| {
            serde::de::Error::custom(
                "a histogram lists [value, count] pairs in increasing order of value, each value once, with counts of at least 1",
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Percentiles of the counts are those of the sorted values, however the values were
        /// pushed and merged.
        #[test]
        fn percentiles_are_those_of_the_sorted_values(
            values in prop::collection::vec(0u32..50, 0..300),
            split in 0usize..300,
        ) {
            let mut sorted = values.clone();
            sorted.sort_unstable();
            let at = split.min(values.len());
            let (mut a, mut b) = (Histogram::default(), Histogram::default());
            for v in &values[..at] {
                a.push(*v);
            }
            for v in &values[at..] {
                b.push(*v);
            }
            b.merge(a);
            for q in [0.0, 0.1, 0.5, 0.9, 0.99, 1.0] {
                let want = nearest_rank(sorted.len(), q).map(|i| f64::from(sorted[i]));
                prop_assert_eq!(b.percentile(q), want);
            }
            prop_assert_eq!(b.total(), values.len() as u64);
            prop_assert_eq!(b.sum(), values.iter().map(|v| u64::from(*v)).sum::<u64>());
        }
    }

    #[test]
    fn many_values_fold_into_few_counts() {
        let mut h = Histogram::default();
        for i in 0..100_000u32 {
            h.push(f64::from(i % 7) / 2.0);
        }
        assert_eq!(h.counts().len(), 7);
        assert_eq!(h.percentile(0.5), Some(1.5));
        assert_eq!(
            Histogram::<u32>::from_counts(vec![(2, 1), (1, 1)]),
            None,
            "unsorted"
        );
        assert_eq!(Histogram::<u32>::from_counts(vec![(1, 0)]), None, "empty");
    }
}

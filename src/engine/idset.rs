//! The conversations a parallel replay has finished, to notice one that comes back (interleaved
//! input): [`Finished`], over a compact set of conversation-id fingerprints, [`IdSet`].
//!
//! Most exports list conversations in the order of their ids (ticket numbers, dated ids). While
//! every conversation's id comes after the one before, none can be one seen already, and nothing
//! is looked up: the fingerprints are only kept, chunk by chunk. At the first id out of order they
//! go into the set, and from then on every conversation is looked up there.
//!
//! The set holds millions of fingerprints in a 4 GB replay. A hash table of `u64` needs spare
//! slots and, when it doubles, holds the old and the new table at once, which was the peak of a
//! 4 GB replay's memory. Here the fingerprints are spread over 65,536 small sorted vectors by
//! their mixed high bits: each grows on its own by a quarter, so there is no large rehash, and a
//! lookup is a binary search among a few dozen neighbours (about 9–10 bytes an entry).

use std::cmp::Ordering;

/// Whether id `a` comes before id `b`: the shorter first, then byte by byte, so that numbers of
/// more digits come after those of fewer, as ticket numbers do.
pub fn before(a: &str, b: &str) -> bool {
    a.len().cmp(&b.len()).then_with(|| a.cmp(b)) == Ordering::Less
}

/// The conversations finished so far.
#[derive(Debug)]
pub struct Finished {
    /// The fingerprints of every run so far, by chunk, while their ids ascend; `None` once the
    /// set holds them.
    ascending: Option<Vec<Vec<u64>>>,
    set: Option<IdSet>,
    /// The id of the last run so far, while the ids ascend.
    last: Option<String>,
}

/// Nothing finished yet, and the ids (none so far) in order.
impl Default for Finished {
    fn default() -> Finished {
        Finished::new()
    }
}

impl Finished {
    pub fn new() -> Finished {
        Finished {
            ascending: Some(Vec::new()),
            set: None,
            last: None,
        }
    }

    /// Takes the next chunk's runs: whether their ids ascend, and the ids of the first and the
    /// last. Returns whether the chunk keeps every id so far in order (its first run continuing
    /// the last run so far, or coming after it): then none of its runs can be a finished
    /// conversation, the caller need not look them up, and gives their fingerprints to
    /// [`Finished::keep`]. Otherwise every fingerprint so far goes into the set, and the caller
    /// checks this chunk's runs, and all that come after, with [`Finished::insert`] and
    /// [`Finished::contains`].
    pub fn chunk(&mut self, ascend: bool, first: &str, last: &str) -> bool {
        let Some(blocks) = &mut self.ascending else {
            return false;
        };
        let in_order = ascend
            && self
                .last
                .as_deref()
                .is_none_or(|l| l == first || before(l, first));
        if in_order {
            self.last = Some(last.to_owned());
            return true;
        }
        let mut set = IdSet::new();
        for fp in blocks.iter().flatten() {
            set.insert(*fp);
        }
        self.set = Some(set);
        self.ascending = None;
        self.last = None;
        false
    }

    /// Keeps the fingerprints of a chunk in order (see [`Finished::chunk`]).
    pub fn keep(&mut self, mut ids: Vec<u64>) {
        if let Some(blocks) = &mut self.ascending {
            ids.shrink_to_fit();
            blocks.push(ids);
        }
    }

    /// Records a finished conversation; false when it was there already.
    pub fn insert(&mut self, fp: u64) -> bool {
        self.set.get_or_insert_with(IdSet::new).insert(fp)
    }

    pub fn contains(&self, fp: u64) -> bool {
        self.set.as_ref().is_some_and(|s| s.contains(fp))
    }
}

const BUCKET_BITS: u32 = 16;

#[derive(Debug, Clone)]
pub struct IdSet {
    buckets: Vec<Vec<u64>>,
}

impl Default for IdSet {
    fn default() -> Self {
        IdSet::new()
    }
}

impl IdSet {
    pub fn new() -> IdSet {
        IdSet {
            buckets: vec![Vec::new(); 1 << BUCKET_BITS],
        }
    }

    fn bucket(&self, fp: u64) -> usize {
        // Mixed, so that fingerprints that are not hashes (tests, small numbers) still spread.
        (fp.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> (64 - BUCKET_BITS)) as usize
    }

    /// Inserts; returns false when the fingerprint was already there.
    pub fn insert(&mut self, fp: u64) -> bool {
        let i = self.bucket(fp);
        let Some(b) = self.buckets.get_mut(i) else {
            return false;
        };
        match b.binary_search(&fp) {
            Ok(_) => false,
            Err(at) => {
                if b.len() == b.capacity() {
                    b.reserve_exact(b.len() / 4 + 4);
                }
                b.insert(at, fp);
                true
            }
        }
    }

    pub fn contains(&self, fp: u64) -> bool {
        self.buckets
            .get(self.bucket(fp))
            .is_some_and(|b| b.binary_search(&fp).is_ok())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn behaves_like_a_set() {
        let mut s = IdSet::new();
        let mut reference = std::collections::HashSet::new();
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        for _ in 0..50_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let v = x % 40_000;
            assert_eq!(s.insert(v), reference.insert(v));
        }
        assert!(s.contains(0) == reference.contains(&0));
        for v in 0..40_000 {
            assert_eq!(s.contains(v), reference.contains(&v), "{v}");
        }
    }
}

#[cfg(test)]
mod finished_tests {
    use proptest::prelude::*;

    use super::*;

    /// Whether runs, chunk by chunk, bring back a conversation that had ended: the merge's use of
    /// [`Finished`] (a chunk's first run may continue the last run of the chunk before).
    fn comes_back(chunks: &[Vec<String>]) -> bool {
        let mut finished = Finished::new();
        let mut open: Option<&str> = None;
        for runs in chunks {
            let (Some(first), Some(last)) = (runs.first(), runs.last()) else {
                continue;
            };
            let ascend = runs.windows(2).all(|w| before(&w[0], &w[1]));
            let fast = finished.chunk(ascend, first, last);
            let ids: Vec<u64> = runs.iter().map(|r| fp(r)).collect();
            for (k, r) in runs.iter().enumerate() {
                if k == 0 && open == Some(r.as_str()) {
                    continue;
                }
                if let Some(o) = open.take()
                    && !fast
                {
                    finished.insert(fp(o));
                }
                let is_last = k + 1 == runs.len();
                let seen = !fast
                    && if is_last {
                        finished.contains(fp(r))
                    } else {
                        !finished.insert(fp(r))
                    };
                if seen {
                    return true;
                }
                if is_last {
                    open = Some(r);
                }
            }
            if fast {
                finished.keep(ids);
            }
        }
        false
    }

    fn fp(id: &str) -> u64 {
        crate::logs::group::fingerprint(id)
    }

    #[test]
    fn numbers_of_more_digits_come_after() {
        assert!(before("999", "1000"));
        assert!(before("wa-0009", "wa-0010"));
        assert!(!before("b", "a"));
        assert!(!before("a", "a"));
    }

    proptest! {
        /// A conversation comes back exactly when its id is met again after another one, whether
        /// the ids ascend, ascend for a while, or never do.
        #[test]
        fn a_conversation_that_comes_back_is_always_noticed(
            picks in prop::collection::vec(0usize..12, 0..40),
            sorted_prefix in 0usize..40,
            cuts in prop::collection::vec(any::<bool>(), 40),
        ) {
            // The ids in order of the picks; the first ones sorted, as in an export in id order.
            let mut ids: Vec<String> = picks.iter().map(|i| format!("c{}", i * 7 % 12)).collect();
            let k = sorted_prefix.min(ids.len());
            ids[..k].sort_by(|a, b| (a.len(), a).cmp(&(b.len(), b)));
            // Records of one id in a row are one run, wherever the chunks are cut.
            let mut chunks: Vec<Vec<String>> = vec![Vec::new()];
            let mut prev: Option<&String> = None;
            for (i, id) in ids.iter().enumerate() {
                if cuts[i] && chunks.last().is_some_and(|c| !c.is_empty()) {
                    chunks.push(Vec::new());
                    prev = None;
                }
                if prev != Some(id)
                    && let Some(c) = chunks.last_mut()
                {
                    c.push(id.clone());
                }
                prev = Some(id);
            }
            let mut runs: Vec<&String> = Vec::new();
            for id in &ids {
                if runs.last() != Some(&id) {
                    runs.push(id);
                }
            }
            let mut distinct = runs.clone();
            distinct.sort();
            distinct.dedup();
            prop_assert_eq!(comes_back(&chunks), distinct.len() != runs.len());
        }
    }
}

//! A compact set of conversation-id fingerprints: sorted buckets.
//!
//! The parallel replay remembers every finished conversation to notice one that comes back
//! (interleaved input): millions of fingerprints in a 4 GB replay. A hash table of `u64` needs
//! spare slots and, when it doubles, holds the old and the new table at once, which was the peak of
//! a 4 GB replay's memory. Here the fingerprints are spread over 65,536 small sorted vectors by
//! their mixed high bits: each grows on its own by a quarter, so there is no large rehash, and a
//! lookup is a binary search among a few dozen neighbours (about 9–10 bytes an entry).

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

//! A compact set of conversation-id fingerprints: open addressing over a flat `Vec<u64>`.
//!
//! The parallel replay remembers every finished conversation to notice one that comes back
//! (interleaved input). A standard hash set of `u64` costs 16–18 bytes an entry and doubles in
//! steps; this one costs about 9.4 bytes an entry at its 85 % load limit, which keeps a 4 GB
//! replay (millions of conversations) within its memory budget.

/// The fingerprint that marks an empty slot; the fingerprint 0 itself is kept in `zero`.
const EMPTY: u64 = 0;

#[derive(Debug, Clone, Default)]
pub struct IdSet {
    slots: Vec<u64>,
    len: usize,
    zero: bool,
}

impl IdSet {
    pub fn new() -> IdSet {
        IdSet {
            slots: vec![EMPTY; 1 << 12],
            len: 0,
            zero: false,
        }
    }

    fn index(&self, key: u64) -> usize {
        // Fingerprints are already well mixed; fold the high bits in for good measure.
        ((key ^ (key >> 29)) as usize) & (self.slots.len() - 1)
    }

    /// Inserts; returns false when the fingerprint was already there.
    pub fn insert(&mut self, fp: u64) -> bool {
        if fp == EMPTY {
            return !std::mem::replace(&mut self.zero, true);
        }
        if self.slots.is_empty() {
            *self = IdSet::new();
        }
        if (self.len + 1) * 100 > self.slots.len() * 85 {
            self.grow();
        }
        let key = fp;
        let mask = self.slots.len() - 1;
        let mut i = self.index(key);
        loop {
            match self.slots[i] {
                EMPTY => {
                    self.slots[i] = key;
                    self.len += 1;
                    return true;
                }
                k if k == key => return false,
                _ => i = (i + 1) & mask,
            }
        }
    }

    pub fn contains(&self, fp: u64) -> bool {
        if fp == EMPTY {
            return self.zero;
        }
        if self.slots.is_empty() {
            return false;
        }
        let key = fp;
        let mask = self.slots.len() - 1;
        let mut i = self.index(key);
        loop {
            match self.slots[i] {
                EMPTY => return false,
                k if k == key => return true,
                _ => i = (i + 1) & mask,
            }
        }
    }

    fn grow(&mut self) {
        let doubled = vec![EMPTY; self.slots.len() * 2];
        let old = std::mem::replace(&mut self.slots, doubled);
        self.len = 0;
        for k in old.into_iter().filter(|k| *k != EMPTY) {
            self.insert(k);
        }
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

//! Byte tests sixteen bytes at a time, for the CSV row splitter: which bytes of a block equal a
//! given one, as a bit mask (bit `i` for byte `i`). On x86_64 this is SSE2, which every x86_64
//! processor has, through `safe_arch` (no `unsafe` here); elsewhere two eight-byte words
//! ([`crate::swar`]).

/// Sixteen bytes, ready to be compared.
#[derive(Clone, Copy)]
pub struct Block(
    #[cfg(target_arch = "x86_64")] safe_arch::m128i,
    #[cfg(not(target_arch = "x86_64"))] [u64; 2],
);

/// The sixteen bytes of `bytes` from `at`, padded with zeros past the end, and a mask of those
/// that are in `bytes`.
#[inline]
pub fn at(bytes: &[u8], at: usize) -> (Block, u32) {
    match bytes
        .get(at..at + 16)
        .and_then(|b| <&[u8; 16]>::try_from(b).ok())
    {
        Some(b) => (Block::new(b), 0xFFFF),
        None => {
            let tail = bytes.get(at..).unwrap_or_default();
            let mut b = [0; 16];
            b[..tail.len()].copy_from_slice(tail);
            (Block::new(&b), (1 << tail.len()) - 1)
        }
    }
}

#[cfg(target_arch = "x86_64")]
impl Block {
    #[inline]
    pub fn new(bytes: &[u8; 16]) -> Block {
        Block(safe_arch::load_unaligned_m128i(bytes))
    }

    /// Bit `i` is set when byte `i` is `byte`.
    #[inline]
    pub fn eq(self, byte: u8) -> u32 {
        let hits =
            safe_arch::cmp_eq_mask_i8_m128i(self.0, safe_arch::set_splat_i8_m128i(byte as i8));
        safe_arch::move_mask_i8_m128i(hits) as u32
    }
}

#[cfg(not(target_arch = "x86_64"))]
impl Block {
    #[inline]
    pub fn new(bytes: &[u8; 16]) -> Block {
        let (lo, hi) = bytes.split_at(8);
        let word = |w: &[u8]| u64::from_le_bytes(w.try_into().unwrap_or_default());
        Block([word(lo), word(hi)])
    }

    /// Bit `i` is set when byte `i` is `byte`.
    #[inline]
    pub fn eq(self, byte: u8) -> u32 {
        portable_eq(self.0, byte)
    }
}

/// [`Block::eq`] on two little-endian words: the high bit of each matching byte, gathered into
/// eight bits by a multiplication. Shifted down, byte `i`'s bit is bit `8i`; the factor's term
/// `2^(56 - 7i)` moves it to bit `56 + i`, and every other product lands on a bit of its own
/// outside the top byte, so nothing carries into it.
#[cfg_attr(target_arch = "x86_64", allow(dead_code))]
fn portable_eq(words: [u64; 2], byte: u8) -> u32 {
    let gather = |w: u64| {
        ((crate::swar::equal(w, byte) >> 7).wrapping_mul(0x0102_0408_1020_4080) >> 56) as u32
    };
    gather(words[0]) | gather(words[1]) << 8
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn each(bytes: &[u8; 16], byte: u8) -> u32 {
        bytes
            .iter()
            .enumerate()
            .fold(0, |m, (i, &b)| m | (u32::from(b == byte) << i))
    }

    proptest! {
        /// Both ways of comparing agree with comparing one byte at a time.
        #[test]
        fn block_tests_are_byte_tests(bytes in any::<[u8; 16]>(), pick in 0usize..17, other: u8) {
            let byte = bytes.get(pick).copied().unwrap_or(other);
            prop_assert_eq!(Block::new(&bytes).eq(byte), each(&bytes, byte));
            let (lo, hi) = bytes.split_at(8);
            let words = [
                u64::from_le_bytes(lo.try_into().unwrap()),
                u64::from_le_bytes(hi.try_into().unwrap()),
            ];
            prop_assert_eq!(portable_eq(words, byte), each(&bytes, byte));
        }

        /// A block near the end is padded, and its mask keeps only the bytes that are there.
        #[test]
        fn blocks_at_the_end_are_masked(bytes in proptest::collection::vec(any::<u8>(), 0..40), at in 0usize..40) {
            let (block, mask) = super::at(&bytes, at);
            let there = bytes.len().saturating_sub(at).min(16);
            prop_assert_eq!(mask, (1u32 << there) - 1);
            let mut padded = [0u8; 16];
            padded[..there].copy_from_slice(&bytes[at.min(bytes.len())..at.min(bytes.len()) + there]);
            prop_assert_eq!(block.eq(0), each(&padded, 0));
        }
    }
}

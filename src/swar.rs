//! Byte tests eight bytes at a time ("SIMD within a register"), shared by the hot loops that
//! scan text: the keyword fold, the digit count, the timestamp reader, and the sixteen-byte tests
//! of [`crate::block`] where SSE2 is not there.
//! A word is eight bytes read little-endian (`u64::from_le_bytes`), so byte `i` sits in bits
//! `8i..8i+8`; a test answers with the high bit of each byte that passes.

/// `0x01` in every byte of a word.
pub const ONES: u64 = u64::from_ne_bytes([1; 8]);
/// The high bit of every byte of a word.
pub const HIGH: u64 = ONES * 0x80;

/// The high bit of each byte of `word` that equals `byte`. Exact for any bytes: the low seven
/// bits are compared apart from the high one, so no carry crosses a byte.
#[inline]
pub fn equal(word: u64, byte: u8) -> u64 {
    let low7 = !HIGH;
    let x = word ^ (ONES * u64::from(byte));
    !(((x & low7) + low7) | x | low7)
}

/// The high bit of each byte of `w` that is at least `n` (at most 0x80), where every byte of `w`
/// is ASCII (below 0x80).
#[inline]
pub fn bytes_at_least(w: u64, n: u8) -> u64 {
    // An ASCII byte plus `0x80 - n` stays below 0x100, so no carry crosses into the next byte.
    w.wrapping_add(ONES * u64::from(0x80 - n)) & HIGH
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Each test agrees with the same test made one byte at a time.
        #[test]
        fn word_tests_are_byte_tests(bytes in any::<[u8; 8]>(), byte: u8, n in 0u8..=0x80) {
            let w = u64::from_le_bytes(bytes);
            let each = |f: &dyn Fn(u8) -> bool| {
                bytes.iter().enumerate().fold(0u64, |m, (i, &b)| m | (u64::from(f(b)) << (8 * i + 7)))
            };
            prop_assert_eq!(equal(w, byte), each(&|b| b == byte));
            let ascii = w & !HIGH;
            let ascii_bytes = ascii.to_le_bytes();
            let at_least = ascii_bytes
                .iter()
                .enumerate()
                .fold(0u64, |m, (i, &b)| m | (u64::from(b >= n) << (8 * i + 7)));
            prop_assert_eq!(bytes_at_least(ascii, n), at_least);
        }
    }
}

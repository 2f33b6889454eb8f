//! Stable hashes and their text form, for what must compare equal across processes, machines and
//! runs: the fingerprint of a matrix and the conversation-id digest of a partial report (SPEC
//! section 5.7).
//!
//! `std`'s hashers are seeded per process or may change between Rust releases, so a partial written
//! on one machine could not be checked on another. FNV-1a with 128 bits is fixed by its
//! definition; a conversation id's 64-bit hash is its two halves folded and mixed with
//! SplitMix64's finaliser, so that ids differing only in their last digits spread over every bit.
//! The module depends on nothing in handoff, so any layer may use it.

const FNV_OFFSET: u128 = 0x6c62_272e_07bb_0142_62b8_2175_6295_c58d;
const FNV_PRIME: u128 = 0x0000_0000_0100_0000_0000_0000_0000_013b;

/// FNV-1a, 128 bits, of `bytes`.
pub fn fnv128(bytes: &[u8]) -> u128 {
    let mut h = FNV_OFFSET;
    for b in bytes {
        h ^= u128::from(*b);
        h = h.wrapping_mul(FNV_PRIME);
    }
    h
}

/// A 64-bit hash of a conversation id, the same on every machine.
pub fn id_hash(id: &str) -> u64 {
    let h = fnv128(id.as_bytes());
    let mut x = (h as u64) ^ ((h >> 64) as u64);
    x ^= x >> 30;
    x = x.wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x ^= x >> 27;
    x = x.wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// The 32 lower-case hex digits of [`fnv128`].
pub fn hex128(bytes: &[u8]) -> String {
    format!("{:032x}", fnv128(bytes))
}

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Standard base64 (RFC 4648, with padding) of the big-endian bytes of `values`.
pub fn base64_u64s(values: &[u64]) -> String {
    let bytes: Vec<u8> = values.iter().flat_map(|v| v.to_be_bytes()).collect();
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | u32::from(*b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[(n >> (18 - 6 * i) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// The values [`base64_u64s`] wrote, or `None` for text it could not have written.
pub fn u64s_from_base64(text: &str) -> Option<Vec<u64>> {
    let t = text.as_bytes();
    if !t.len().is_multiple_of(4) {
        return None;
    }
    let mut bytes = Vec::with_capacity(t.len() / 4 * 3);
    for (k, quad) in t.chunks(4).enumerate() {
        let last = k + 1 == t.len() / 4;
        let pad = quad.iter().rev().take_while(|c| **c == b'=').count();
        if pad > 2 || (pad > 0 && !last) {
            return None;
        }
        let mut n = 0u32;
        for (i, c) in quad[..4 - pad].iter().enumerate() {
            let v = ALPHABET.iter().position(|a| a == c)? as u32;
            n |= v << (18 - 6 * i);
        }
        bytes.extend_from_slice(&n.to_be_bytes()[1..4 - pad]);
    }
    if !bytes.len().is_multiple_of(8) {
        return None;
    }
    Some(
        bytes
            .chunks_exact(8)
            .map(|c| u64::from_be_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]))
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv_matches_its_published_vectors() {
        assert_eq!(fnv128(b""), FNV_OFFSET);
        assert_eq!(hex128(b"a"), "d228cb696f1a8caf78912b704e4a8964");
    }

    #[test]
    fn base64_round_trips_and_refuses_what_it_could_not_write() {
        for values in [vec![], vec![0], vec![u64::MAX, 1, 2], vec![7; 5]] {
            let text = base64_u64s(&values);
            assert_eq!(u64s_from_base64(&text), Some(values));
        }
        assert_eq!(base64_u64s(&[1]), "AAAAAAAAAAE=");
        assert_eq!(u64s_from_base64("AAAAAAAAAAE"), None);
        assert_eq!(u64s_from_base64("AAAA"), None);
        assert_eq!(u64s_from_base64("AAAAAAAAAA*="), None);
    }

    #[test]
    fn similar_ids_hash_apart() {
        let a = id_hash("wa-2026-10-000001");
        let b = id_hash("wa-2026-10-000002");
        assert_ne!(a, b);
        assert!((a ^ b).count_ones() > 16);
    }
}

//! Nearest ranks and rates, the way every report metric is computed (SPEC section 5.1): the
//! ⌈q·n⌉-th smallest (of a [`crate::metrics::histogram::Histogram`]), and `null` for an empty
//! denominator.

/// The 0-based index of the ⌈q·n⌉-th smallest of n values (nearest rank), or `None` for n = 0.
pub fn nearest_rank(n: usize, q: f64) -> Option<usize> {
    if n == 0 {
        return None;
    }
    let rank = (q * n as f64).ceil() as usize;
    Some(rank.clamp(1, n) - 1)
}

/// `num ÷ den`, none for an empty denominator (a rate, or a mean from its sum and count).
pub fn rate(num: u64, den: u64) -> Option<f64> {
    (den > 0).then(|| num as f64 / den as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank_percentiles() {
        assert_eq!(nearest_rank(0, 0.5), None);
        assert_eq!(nearest_rank(1, 0.9), Some(0));
        assert_eq!(nearest_rank(10, 0.5), Some(4));
        assert_eq!(nearest_rank(10, 0.9), Some(8));
        assert_eq!(nearest_rank(3, 0.5), Some(1));
    }
}

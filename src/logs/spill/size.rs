//! Sizes as `--memory` takes them: `268435456`, `64MiB`, `1GiB`, `500MB`, `2G`.
//!
//! IEC units (`KiB`, `MiB`, `GiB`, `TiB`) are powers of 1024 and SI units (`kB`, `MB`, `GB`, `TB`)
//! powers of 1000, as those names mean; a bare `K`, `M`, `G` or `T` is a power of 1024, as `sort
//! -S` and most memory settings read it. Units are case-insensitive, and a space may separate
//! the number from its unit.

/// The number of bytes `s` says, or why it says none.
pub fn parse(s: &str) -> Result<u64, String> {
    let s = s.trim();
    let digits = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    let (number, unit) = s.split_at(digits);
    let n: u64 = number
        .parse()
        .map_err(|_| format!("`{s}` is not a size; write it like 64MiB, 1GiB or 500MB"))?;
    let scale: u64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "kib" => 1 << 10,
        "m" | "mib" => 1 << 20,
        "g" | "gib" => 1 << 30,
        "t" | "tib" => 1 << 40,
        "kb" => 1_000,
        "mb" => 1_000_000,
        "gb" => 1_000_000_000,
        "tb" => 1_000_000_000_000,
        other => {
            return Err(format!(
                "`{other}` is not a unit of size; use B, KiB, MiB, GiB, TiB (or kB, MB, GB, TB)"
            ));
        }
    };
    n.checked_mul(scale)
        .ok_or_else(|| format!("`{s}` is more bytes than a 64-bit count holds"))
}

/// A size in words for messages: `256 MiB`, `1.5 GiB`, `4096 bytes`.
pub fn show(bytes: u64) -> String {
    const UNITS: [(&str, u32); 4] = [("TiB", 40), ("GiB", 30), ("MiB", 20), ("KiB", 10)];
    for (unit, shift) in UNITS {
        let scale = 1u64 << shift;
        if bytes >= scale {
            let whole = bytes / scale;
            // One decimal where it is not a whole number of the unit.
            let tenths = (bytes % scale) * 10 / scale;
            return match tenths {
                0 => format!("{whole} {unit}"),
                t => format!("{whole}.{t} {unit}"),
            };
        }
    }
    crate::text::plural(bytes as usize, "byte", "bytes")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_as_their_units_mean() {
        assert_eq!(parse("64MiB"), Ok(64 << 20));
        assert_eq!(parse("1GiB"), Ok(1 << 30));
        assert_eq!(parse("1 gib"), Ok(1 << 30));
        assert_eq!(parse("2G"), Ok(2 << 30));
        assert_eq!(parse("500MB"), Ok(500_000_000));
        assert_eq!(parse("4096"), Ok(4096));
        assert_eq!(parse("0"), Ok(0));
        assert!(parse("MiB").is_err());
        assert!(parse("12 parsecs").is_err());
        assert!(parse("-1MiB").is_err());
        assert!(parse("99999999999TiB").is_err());
    }

    #[test]
    fn sizes_show_in_the_largest_unit() {
        assert_eq!(show(256 << 20), "256 MiB");
        assert_eq!(show(3 << 29), "1.5 GiB");
        assert_eq!(show(1000), "1000 bytes");
    }
}

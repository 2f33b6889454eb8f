//! Timestamps in the forms exports write them.
//!
//! RFC 3339 (`2026-10-01T08:15:02Z`, `+02:00`, fractions), `YYYY-MM-DD HH:MM[:SS]` and
//! `YYYY-MM-DDTHH:MM[:SS]` without an offset (read in the configured zone, UTC by default), and
//! Unix time as a number: milliseconds when it is at least 10¹¹, else seconds (SPEC section 3).
//! 10¹¹ seconds is the year 5138, so no real second count is mistaken for milliseconds.

use jiff::civil::DateTime;
use jiff::tz::TimeZone;

/// A number as Unix time in milliseconds.
pub fn from_unix(n: f64) -> Option<i64> {
    if !n.is_finite() {
        return None;
    }
    let ms = if n.abs() >= 1e11 { n } else { n * 1000.0 };
    // Keep to the range jiff (and every real export) can represent: years -9999..=9999.
    if ms.abs() > 253_402_300_799_000.0 {
        return None;
    }
    Some(ms.round() as i64)
}

/// Parses a timestamp string; `zone` applies to forms without an offset.
pub fn parse(s: &str, zone: &TimeZone) -> Option<i64> {
    // The commonest form first, before any scan of the string.
    if let Some(ms) = parse_utc_seconds(s) {
        return Some(ms);
    }
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    if s.bytes()
        .all(|b| b.is_ascii_digit() || b == b'.' || b == b'-')
        && s.bytes().any(|b| b.is_ascii_digit())
        && let Ok(n) = s.parse::<f64>()
    {
        // "2026-10-01" parses as neither; a plain number is Unix time.
        return from_unix(n);
    }
    if let Some(ms) = parse_utc_seconds(s) {
        return Some(ms);
    }
    // Forms without an offset first: they cannot be RFC 3339, and failing a jiff parse costs an
    // error value per record in exports that write local times.
    if let Some(civil) = parse_civil(s) {
        // What `civil.to_zoned(zone)` gives (the "compatible" choice in gaps and folds), without
        // building a zoned value.
        let ts = zone.to_ambiguous_timestamp(civil).compatible().ok()?;
        return Some(ts.as_millisecond());
    }
    let ts = s.parse::<jiff::Timestamp>().ok()?;
    Some(ts.as_millisecond())
}

/// The commonest form, `YYYY-MM-DDTHH:MM:SSZ`, read by hand: it is on every record of most exports.
fn parse_utc_seconds(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    if b.len() != 20
        || b[4] != b'-'
        || b[7] != b'-'
        || b[10] != b'T'
        || b[13] != b':'
        || b[16] != b':'
        || b[19] != b'Z'
    {
        return None;
    }
    let d = |i: usize| -> Option<i64> { b[i].is_ascii_digit().then(|| i64::from(b[i] - b'0')) };
    let n2 = |i: usize| Some(d(i)? * 10 + d(i + 1)?);
    let year = n2(0)? * 100 + n2(2)?;
    let (month, day, hour, minute, second) = (n2(5)?, n2(8)?, n2(11)?, n2(14)?, n2(17)?);
    let days_in_month = days_in_month(year, month)?;
    if day < 1 || day > days_in_month || hour > 23 || minute > 59 || second > 59 {
        return None;
    }
    let days = days_from_civil(year, month, day);
    Some(((days * 24 + hour) * 60 + minute) * 60_000 + second * 1000)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
pub fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The days of `month` in `year` of the proleptic Gregorian calendar (as jiff reads dates), or
/// `None` for a month that does not exist.
pub fn days_in_month(year: i64, month: i64) -> Option<i64> {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => Some(31),
        4 | 6 | 9 | 11 => Some(30),
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => Some(29),
        2 => Some(28),
        _ => None,
    }
}

/// `YYYY-MM-DD HH:MM[:SS[.f]]` or with `T`, no offset.
fn parse_civil(s: &str) -> Option<DateTime> {
    let b = s.as_bytes();
    if b.len() < 16 || !(b[10] == b' ' || b[10] == b'T' || b[10] == b't') {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<i32> {
        let part = s.get(r)?;
        if part.bytes().all(|c| c.is_ascii_digit()) {
            part.parse().ok()
        } else {
            None
        }
    };
    if b[4] != b'-' || b[7] != b'-' || b[13] != b':' {
        return None;
    }
    let (year, month, day) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (hour, minute) = (num(11..13)?, num(14..16)?);
    let (mut second, mut nanos) = (0, 0);
    if b.len() > 16 {
        if b[16] != b':' || b.len() < 19 {
            return None;
        }
        second = num(17..19)?;
        if b.len() > 19 {
            if b[19] != b'.' || b.len() == 20 || b.len() > 29 {
                return None;
            }
            let frac = s.get(20..)?;
            if !frac.bytes().all(|c| c.is_ascii_digit()) {
                return None;
            }
            nanos = format!("{frac:0<9}").parse().ok()?;
        }
    }
    DateTime::new(
        i16::try_from(year).ok()?,
        i8::try_from(month).ok()?,
        i8::try_from(day).ok()?,
        i8::try_from(hour).ok()?,
        i8::try_from(minute).ok()?,
        i8::try_from(second).ok()?,
        nanos,
    )
    .ok()
}

/// Formats milliseconds as RFC 3339 UTC, with milliseconds only when there are any.
pub fn format(ms: i64) -> String {
    match jiff::Timestamp::from_millisecond(ms) {
        Ok(ts) if ms % 1000 == 0 => ts.strftime("%Y-%m-%dT%H:%M:%SZ").to_string(),
        Ok(ts) => ts.strftime("%Y-%m-%dT%H:%M:%S%.3fZ").to_string(),
        Err(_) => ms.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_documented_forms() {
        let utc = TimeZone::UTC;
        assert_eq!(parse("2026-10-01T08:15:02Z", &utc), Some(1_790_842_502_000));
        assert_eq!(
            parse("2026-10-01T10:15:02+02:00", &utc),
            Some(1_790_842_502_000)
        );
        assert_eq!(parse("2026-10-01 08:15:02", &utc), Some(1_790_842_502_000));
        assert_eq!(parse("2026-10-01T08:15", &utc), Some(1_790_842_500_000));
        assert_eq!(
            parse("2026-10-01 08:15:02.250", &utc),
            Some(1_790_842_502_250)
        );
        assert_eq!(parse("1790842502", &utc), Some(1_790_842_502_000));
        assert_eq!(parse("1790842502000", &utc), Some(1_790_842_502_000));
        assert_eq!(from_unix(1_790_842_502.5), Some(1_790_842_502_500));
        let madrid = TimeZone::get("Europe/Madrid").expect("bundled tzdb");
        assert_eq!(
            parse("2026-10-01 10:15:02", &madrid),
            Some(1_790_842_502_000)
        );
        assert_eq!(
            parse("2026-10-01T10:15:02Z", &madrid),
            Some(1_790_849_702_000)
        );
    }

    #[test]
    fn the_fast_path_agrees_with_jiff() {
        for s in [
            "2026-10-01T08:15:02Z",
            "2000-02-29T23:59:59Z",
            "1970-01-01T00:00:00Z",
            "1969-12-31T23:59:59Z",
            "2400-03-01T00:00:00Z",
        ] {
            let jiff: jiff::Timestamp = s.parse().expect("valid");
            assert_eq!(parse_utc_seconds(s), Some(jiff.as_millisecond()), "{s}");
        }
        assert_eq!(parse_utc_seconds("2026-02-29T00:00:00Z"), None);
        assert_eq!(parse_utc_seconds("2026-10-01T24:00:00Z"), None);
    }

    #[test]
    fn refuses_the_rest() {
        let utc = TimeZone::UTC;
        for bad in [
            "",
            "yesterday",
            "2026-13-01 00:00",
            "2026-10-01",
            "01/10/2026 08:00",
            "2026-10-01 25:00",
            "1e400",
        ] {
            assert_eq!(parse(bad, &utc), None, "{bad}");
        }
    }

    #[test]
    fn formats_round_trip() {
        for ms in [1_790_842_502_000, 1_790_842_502_250, 0] {
            assert_eq!(parse(&format(ms), &TimeZone::UTC), Some(ms));
        }
    }
}

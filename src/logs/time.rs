//! Timestamps in the forms exports write them.
//!
//! RFC 3339 (`2026-10-01T08:15:02Z`, `+02:00`, fractions), `YYYY-MM-DD HH:MM[:SS]` and
//! `YYYY-MM-DDTHH:MM[:SS]` without an offset (read in the configured zone, UTC by default; the
//! seconds may have a fraction), the same followed by ` UTC` (BigQuery's text for a TIMESTAMP, as
//! `bq extract` and the console write it: always UTC, whatever zone is configured), and Unix time
//! as a number: milliseconds when it is at least 10¹¹, else seconds (SPEC section 3).
//! 10¹¹ seconds is the year 5138, so no real second count is mistaken for milliseconds.
//! [`ZoneTimes`] converts many wall-clock times of one zone without a rules lookup each (every
//! local time an importer reads).

use std::cell::Cell;

use jiff::civil::DateTime;
use jiff::tz::{AmbiguousOffset, Offset, TimeZone};
use jiff::{SignedDuration, Timestamp};

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

/// Parses a timestamp string; the zone of `times` applies to forms without an offset.
pub fn parse(s: &str, times: &ZoneTimes<'_>) -> Option<i64> {
    // The commonest forms first, before any scan of the string: UTC, and local time to the
    // second (neither is a number, and neither has white space at its ends).
    if let Some(ms) = parse_utc_seconds(s) {
        return Some(ms);
    }
    if let Some(ms) = parse_local_seconds(s, times) {
        return ms;
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
    if let Some(civil) = s.strip_suffix(" UTC").and_then(parse_civil) {
        return Offset::UTC
            .to_timestamp(civil)
            .ok()
            .map(|t| t.as_millisecond());
    }
    // Forms without an offset first: they cannot be RFC 3339, and failing a jiff parse costs an
    // error value per record in exports that write local times.
    if let Some(civil) = parse_civil(s) {
        // What `civil.to_zoned(zone)` gives (the "compatible" choice in gaps and folds), from the
        // cache of the zone's stretches.
        return times.millis(civil);
    }
    let ts = s.parse::<jiff::Timestamp>().ok()?;
    Some(ts.as_millisecond())
}

/// The commonest form, `YYYY-MM-DDTHH:MM:SSZ`, read by hand: it is on every record of most exports.
fn parse_utc_seconds(s: &str) -> Option<i64> {
    let b: &[u8; 20] = s.as_bytes().try_into().ok()?;
    if b[19] != b'Z' || b[10] != b'T' {
        return None;
    }
    let [year, month, day, hour, minute, second] = fields(b)?;
    valid(year, month, day, hour, minute, second)?;
    Some(civil_seconds(year, month, day, hour, minute, second) * 1000)
}

/// `YYYY-MM-DD HH:MM:SS` (or with `T`) in the zone of `times`: `None` when `s` is not of that
/// form, `Some(None)` when it is but names no time (`2026-02-30`, a time in no zone's day).
fn parse_local_seconds(s: &str, times: &ZoneTimes<'_>) -> Option<Option<i64>> {
    let b = s.as_bytes();
    if b.len() != 19 || !matches!(b[10], b' ' | b'T' | b't') {
        return None;
    }
    let [year, month, day, hour, minute, second] = fields(b)?;
    if valid(year, month, day, hour, minute, second).is_none() {
        return Some(None);
    }
    let local = civil_seconds(year, month, day, hour, minute, second);
    if let Some(ms) = times.cached(local) {
        return Some(Some(ms));
    }
    // Four-digit years and two-digit fields, checked above: every value fits.
    let dt = DateTime::new(
        year as i16,
        month as i8,
        day as i8,
        hour as i8,
        minute as i8,
        second as i8,
        0,
    )
    .ok()?;
    Some(times.millis(dt))
}

/// Year, month, day, hour, minute and second of `YYYY-MM-DD?HH:MM:SS…` (the byte between date
/// and time is the caller's to check), without checking their ranges. The nineteen bytes are
/// read as three overlapping words, `YYYY-MM-`, `DD?HH:MM` and `HH:MM:SS`, and each word's digits
/// and separators are checked at once.
fn fields(b: &[u8]) -> Option<[i64; 6]> {
    let b: &[u8; 19] = b.get(..19)?.try_into().ok()?;
    let word = |at: usize| u64::from_le_bytes(b[at..at + 8].try_into().unwrap_or_default());
    let (date, day, clock) = (word(0), word(8), word(11));
    const DATE: u64 = mask(&[0, 1, 2, 3, 5, 6]);
    const TWO: u64 = mask(&[0, 1, 3, 4, 6, 7]);
    if !digits(date, DATE)
        || !digits(day, TWO)
        || !digits(clock, TWO)
        || date & mask(&[4, 7]) != bytes_at(b'-', &[4, 7])
        || clock & mask(&[2, 5]) != bytes_at(b':', &[2, 5])
    {
        return None;
    }
    // Each digit byte minus `0` is its value (digits only: nothing borrows).
    let (date, day, clock) = (
        (date & DATE) - (ZEROS & DATE),
        (day & TWO) - (ZEROS & TWO),
        (clock & TWO) - (ZEROS & TWO),
    );
    let n = |w: u64, i: u32| i64::from((w >> (8 * i)) as u8);
    let n2 = |w: u64, i: u32| n(w, i) * 10 + n(w, i + 1);
    Some([
        n2(date, 0) * 100 + n2(date, 2),
        n2(date, 5),
        n2(day, 0),
        n2(clock, 0),
        n2(clock, 3),
        n2(clock, 6),
    ])
}

/// `0` in every byte.
const ZEROS: u64 = crate::swar::ONES * 0x30;

/// A word with every bit set in the bytes at `at`.
const fn mask(at: &[u32]) -> u64 {
    bytes_at(0xff, at)
}

/// A word holding `byte` in the bytes at `at`, zeros elsewhere.
const fn bytes_at(byte: u8, at: &[u32]) -> u64 {
    let mut w = 0;
    let mut k = 0;
    while k < at.len() {
        w |= (byte as u64) << (8 * at[k]);
        k += 1;
    }
    w
}

/// Whether the bytes of `w` under `m` are ASCII digits: their high half is 3, and adding 6 keeps
/// it 3 (`0`–`9` are `0x30`–`0x39`). The other bytes are cleared first, so no carry crosses into
/// a byte under `m`, and a byte under `m` with its high half 3 carries nothing either.
fn digits(w: u64, m: u64) -> bool {
    const HALVES: u64 = crate::swar::ONES * 0xf0;
    let sixes = (crate::swar::ONES * 0x06) & m;
    (w & HALVES & m) == ZEROS & m && (((w & m) + sixes) & HALVES & m) == ZEROS & m
}

/// Whether the fields name a time that exists on the proleptic Gregorian calendar (no leap
/// seconds), as jiff's parsers require.
fn valid(year: i64, month: i64, day: i64, hour: i64, minute: i64, second: i64) -> Option<()> {
    let days = days_in_month(year, month)?;
    (day >= 1 && day <= days && hour <= 23 && minute <= 59 && second <= 59).then_some(())
}

/// Seconds since the Unix epoch of a date and time read as UTC.
fn civil_seconds(year: i64, month: i64, day: i64, hour: i64, minute: i64, second: i64) -> i64 {
    ((days_from_civil(year, month, day) * 24 + hour) * 60 + minute) * 60 + second
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

/// Wall-clock times of one zone to instants, exactly as `DateTime::to_zoned` reads them, without
/// looking the zone's rules up again for every message.
///
/// `to_zoned` resolves a time in a gap or a fold with jiff's "compatible" rule; every other
/// time has a single offset, that of the stretch between two transitions whose instants it
/// falls in. So this remembers, for the few stretches an export's times fall in, the offset and
/// the range of instants `[lo, hi)` whose wall-clock time no other stretch can also show: a time
/// that reads into that range under the stretch's offset has exactly that instant. Every other
/// time (gaps, folds, the first time of a stretch) is converted by jiff itself.
///
/// The cache sits in cells so that an importer's shared, read-only [`crate::logs::Context`] can
/// carry one for all the records it reads on its thread.
///
/// The cache works in whole seconds, with integer arithmetic; a time with a fraction of a
/// second goes to jiff.
#[derive(Debug)]
pub struct ZoneTimes<'z> {
    zone: &'z TimeZone,
    stretches: [Cell<Option<Stretch>>; 4],
    /// The stretch that answered last, tried first; and the slot the next one learned takes.
    last: Cell<usize>,
    next: Cell<usize>,
}

/// A stretch in Unix seconds: its offset, and the instants `[lo, hi)` that only it shows.
#[derive(Debug, Clone, Copy)]
struct Stretch {
    offset: i64,
    lo: i64,
    hi: i64,
}

/// Unix seconds of `t` rounded up: for a whole number of seconds `n`, `n >= t` exactly when
/// `n >= ceil(t)`, and `n < t` exactly when `n < ceil(t)`.
fn ceil_seconds(t: Timestamp) -> i64 {
    t.as_second() + i64::from(t.subsec_nanosecond() > 0)
}

/// Unix seconds of a wall-clock time read as UTC.
fn local_seconds(dt: DateTime) -> i64 {
    civil_seconds(
        i64::from(dt.year()),
        i64::from(dt.month()),
        i64::from(dt.day()),
        i64::from(dt.hour()),
        i64::from(dt.minute()),
        i64::from(dt.second()),
    )
}

/// Wider than any two offsets can be apart (jiff bounds an offset by ±25:59:59): transitions
/// further than this from a stretch cannot make any of its wall-clock times ambiguous.
const REACH: SignedDuration = SignedDuration::from_hours(72);

impl<'z> ZoneTimes<'z> {
    pub fn new(zone: &'z TimeZone) -> Self {
        ZoneTimes {
            zone,
            stretches: Default::default(),
            last: Cell::new(0),
            next: Cell::new(0),
        }
    }

    /// The zone these are times of.
    pub fn zone(&self) -> &'z TimeZone {
        self.zone
    }

    /// Milliseconds since the Unix epoch of `dt` in the zone: the same as
    /// `dt.to_zoned(zone.clone()).ok().map(|z| z.timestamp().as_millisecond())`.
    pub fn millis(&self, dt: DateTime) -> Option<i64> {
        if dt.subsec_nanosecond() == 0
            && let Some(ms) = self.cached(local_seconds(dt))
        {
            return Some(ms);
        }
        let exact = self
            .zone
            .to_ambiguous_timestamp(dt)
            .compatible()
            .ok()
            .map(|ts| ts.as_millisecond());
        let next = self.next.get();
        if let Some(s) = self.stretch(dt)
            && let Some(slot) = self.stretches.get(next)
        {
            slot.set(Some(s));
            self.last.set(next);
            self.next.set((next + 1) % self.stretches.len());
        }
        exact
    }

    /// The instant, in milliseconds, of the wall-clock time `local` (in seconds, read as UTC) if
    /// a stretch learned so far alone shows it.
    fn cached(&self, local: i64) -> Option<i64> {
        let last = self.last.get();
        if let Some(ms) = self.within(last, local) {
            return Some(ms);
        }
        (0..self.stretches.len()).find_map(|k| {
            let ms = self.within(k, local)?;
            self.last.set(k);
            Some(ms)
        })
    }

    /// `local` read with the offset of stretch `k`, if that stretch alone can show it.
    fn within(&self, k: usize, local: i64) -> Option<i64> {
        let s = self.stretches.get(k)?.get()?;
        let ts = local - s.offset;
        (s.lo <= ts && ts < s.hi).then_some(ts * 1000)
    }

    /// The stretch `dt` falls in, if `dt` is not in a gap or fold; `None` whenever something is
    /// out of the ordinary (jiff then answers every time).
    fn stretch(&self, dt: DateTime) -> Option<Stretch> {
        let zone = self.zone;
        let AmbiguousOffset::Unambiguous { offset } = zone.to_ambiguous_timestamp(dt).offset()
        else {
            return None;
        };
        let ts = offset.to_timestamp(dt).ok()?;
        if zone.to_offset(ts) != offset {
            return None;
        }
        let gap = |o: Offset| SignedDuration::from_secs(i64::from(o.seconds() - offset.seconds()));
        let before_nano = |t: Timestamp| t.checked_sub(SignedDuration::from_nanos(1)).ok();
        // The stretch starts at the latest transition at or before `ts` (`preceding` gives those
        // strictly before). Each earlier stretch, ending at a transition `b` with its own offset,
        // shows its last wall-clock times again in this one when that offset is larger.
        let mut lo = Timestamp::MIN;
        let mut floor = None;
        for (n, t) in zone
            .preceding(ts.checked_add(SignedDuration::from_nanos(1)).ok()?)
            .enumerate()
        {
            let b = t.timestamp();
            match floor {
                None => {
                    if t.offset() != offset {
                        return None;
                    }
                    lo = b;
                    floor = Some(b.checked_sub(REACH).ok()?);
                }
                Some(f) if b <= f => break,
                Some(_) if n > 16 => return None,
                Some(_) => {}
            }
            let earlier = zone.to_offset(before_nano(b)?);
            lo = lo.max(b.checked_add(gap(earlier)).ok()?);
        }
        // It ends at the first transition after `ts`. Each later stretch, starting at a
        // transition `a`, shows its first wall-clock times in this one when its offset is smaller.
        let mut hi = Timestamp::MAX;
        let mut ceiling = None;
        for (n, t) in zone.following(ts).enumerate() {
            let a = t.timestamp();
            match ceiling {
                None => {
                    hi = a;
                    ceiling = Some(a.checked_add(REACH).ok()?);
                }
                Some(c) if a >= c => break,
                Some(_) if n > 16 => return None,
                Some(_) => {}
            }
            hi = hi.min(a.checked_add(gap(t.offset())).ok()?);
        }
        (lo <= ts && ts < hi).then(|| Stretch {
            offset: i64::from(offset.seconds()),
            lo: if lo == Timestamp::MIN {
                i64::MIN
            } else {
                ceil_seconds(lo)
            },
            hi: if hi == Timestamp::MAX {
                i64::MAX
            } else {
                ceil_seconds(hi)
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::Date;

    /// [`super::parse`] with a fresh cache.
    fn parse(s: &str, zone: &TimeZone) -> Option<i64> {
        super::parse(s, &ZoneTimes::new(zone))
    }

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
    fn bigquery_timestamps_and_local_fractions() {
        let utc = TimeZone::UTC;
        let madrid = TimeZone::get("Europe/Madrid").expect("bundled tzdb");
        let at = |s: &str| s.parse::<Timestamp>().map(|t| t.as_millisecond()).ok();
        for zone in [&utc, &madrid] {
            // ` UTC` says the zone, whatever zone is configured.
            assert_eq!(
                parse("2026-03-06 09:12:03.517 UTC", zone),
                at("2026-03-06T09:12:03.517Z")
            );
            assert_eq!(
                parse("2026-03-06 09:13:05 UTC", zone),
                at("2026-03-06T09:13:05Z")
            );
            assert_eq!(
                parse("2026-03-06T09:13:05.5 UTC", zone),
                at("2026-03-06T09:13:05.500Z")
            );
            assert_eq!(
                parse("  2026-03-06 09:13 UTC ", zone),
                at("2026-03-06T09:13:00Z")
            );
        }
        // RFC 3339 without its offset, with a fraction: a local time.
        assert_eq!(
            parse("2026-03-06T09:12:03.517", &utc),
            at("2026-03-06T09:12:03.517Z")
        );
        assert_eq!(
            parse("2026-03-06T10:12:03.517", &madrid),
            at("2026-03-06T09:12:03.517Z")
        );
        for bad in [
            "2026-03-06 09:12:03.517 utc",
            "2026-03-06 09:12:03+01:00 UTC",
            "2026-03-06 UTC",
            " UTC",
            "2026-02-30 09:00:00 UTC",
            "2026-03-06 09:12:03.517  UTC",
        ] {
            assert_eq!(parse(bad, &utc), None, "{bad}");
        }
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

    fn dt(s: &str) -> DateTime {
        s.parse().unwrap()
    }

    // ---- time zones ----------------------------------------------------------------------

    /// What the importer asked jiff for every message before [`ZoneTimes`].
    fn exact(dt: DateTime, zone: &TimeZone) -> Option<i64> {
        dt.to_zoned(zone.clone())
            .ok()
            .map(|z| z.timestamp().as_millisecond())
    }

    /// Zones with every kind of transition: DST both ways, negative DST (Dublin, Casablanca's
    /// Ramadan breaks), half-hour and quarter-hour shifts, a day skipped (Apia 2011), local mean
    /// time before 1900, rules only (POSIX), none at all.
    fn zones() -> Vec<TimeZone> {
        let mut zones: Vec<TimeZone> = [
            "Europe/Madrid",
            "America/New_York",
            "Australia/Lord_Howe",
            "Pacific/Apia",
            "Pacific/Kiritimati",
            "Pacific/Chatham",
            "Africa/Casablanca",
            "America/Sao_Paulo",
            "America/St_Johns",
            "Europe/Dublin",
            "Europe/Moscow",
            "Asia/Tehran",
            "Asia/Kolkata",
            "Antarctica/Troll",
        ]
        .iter()
        .map(|name| TimeZone::get(name).unwrap())
        .collect();
        zones.push(TimeZone::UTC);
        zones.push(TimeZone::fixed(jiff::tz::offset(-5)));
        zones.push(TimeZone::posix("EST5EDT,M3.2.0,M11.1.0").unwrap());
        zones
    }

    #[test]
    fn zone_times_agree_with_jiff_around_every_transition() {
        let from: Timestamp = "1850-01-01T00:00Z".parse().unwrap();
        let until: Timestamp = "2045-01-01T00:00Z".parse().unwrap();
        let mut checked = 0;
        for zone in zones() {
            let times = ZoneTimes::new(&zone);
            for t in zone.following(from).take_while(|t| t.timestamp() < until) {
                // Wall-clock times from 6 hours before to 6 hours after the transition, as
                // both offsets read it, each exactly, a second before and a second after.
                for local in [
                    zone.to_offset(t.timestamp() - SignedDuration::from_nanos(1)),
                    t.offset(),
                ]
                .map(|o| o.to_datetime(t.timestamp()))
                {
                    for step in -24..=24 {
                        for nudge in [-1, 0, 1] {
                            let dt = local
                                .checked_add(SignedDuration::from_secs(step * 900 + nudge))
                                .unwrap();
                            assert_eq!(times.millis(dt), exact(dt, &zone), "{dt} in {zone:?}");
                            // The same time written as local-time exports write it.
                            let text = dt.strftime("%Y-%m-%d %H:%M:%S").to_string();
                            assert_eq!(super::parse(&text, &times), exact(dt, &zone), "{text}");
                            checked += 1;
                        }
                    }
                }
            }
            // A long walk forward, and one that jumps between far-apart times, as an export
            // pasted together from several does.
            let mut dt: DateTime = "1890-01-01T00:00".parse().unwrap();
            let end: DateTime = "2040-01-01T00:00".parse().unwrap();
            // Deterministic far-apart times (xorshift).
            let mut state: u64 = 0x2545_F491_4F6C_DD1D;
            let mut below = |n: usize| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                (state % n as u64) as usize
            };
            while dt < end {
                assert_eq!(times.millis(dt), exact(dt, &zone), "{dt} in {zone:?}");
                let far = Date::new(1950 + below(90) as i16, 1 + below(12) as i8, 1)
                    .unwrap()
                    .at(below(24) as i8, below(60) as i8, 0, 0);
                assert_eq!(times.millis(far), exact(far, &zone), "{far} in {zone:?}");
                dt = dt
                    .checked_add(SignedDuration::from_secs(86_400 + 11_227))
                    .unwrap();
                checked += 2;
            }
        }
        assert!(checked > 100_000, "{checked}");
    }

    proptest::proptest! {
        /// The hand-written readers of the two commonest forms give what jiff gives, for every
        /// field value in and out of range.
        #[test]
        fn fast_forms_agree_with_jiff(
            f in (0i16..=9999, 0i8..=13, 0i8..=32, 0i8..=24, 0i8..=60, 0i8..=60),
            sep in proptest::sample::select(vec![' ', 'T', 't']),
            zone in 0usize..4,
        ) {
            let (year, month, day, hour, minute, second) = f;
            let zone = [
                TimeZone::UTC,
                TimeZone::get("Europe/Madrid").unwrap(),
                TimeZone::get("America/St_Johns").unwrap(),
                TimeZone::get("Australia/Lord_Howe").unwrap(),
            ][zone].clone();
            let times = ZoneTimes::new(&zone);
            let date = format!("{year:04}-{month:02}-{day:02}");
            let clock = format!("{hour:02}:{minute:02}:{second:02}");
            let local = format!("{date}{sep}{clock}");
            let want = DateTime::new(year, month, day, hour, minute, second, 0)
                .ok()
                .and_then(|dt| exact(dt, &zone));
            proptest::prop_assert_eq!(super::parse(&local, &times), want, "{}", local);
            let utc = format!("{date}T{clock}Z");
            let want = utc.parse::<Timestamp>().ok().map(|t| t.as_millisecond());
            proptest::prop_assert_eq!(super::parse(&utc, &times), want, "{}", utc);
            // BigQuery's form is the local form read in UTC, in any configured zone (and, like
            // the local form, has no leap second).
            let bigquery = format!("{date} {clock} UTC");
            let want = DateTime::new(year, month, day, hour, minute, second, 0)
                .ok()
                .and_then(|dt| exact(dt, &TimeZone::UTC));
            proptest::prop_assert_eq!(super::parse(&bigquery, &times), want, "{}", bigquery);
        }

        /// Any other byte where a digit or separator belongs makes the form unread.
        #[test]
        fn the_word_checks_refuse_every_other_byte(at in 0usize..19, byte in proptest::num::u8::ANY) {
            let mut b = *b"2026-10-01 08:15:02";
            let want = match at {
                4 | 7 => byte == b'-',
                13 | 16 => byte == b':',
                10 => true,
                _ => byte.is_ascii_digit(),
            };
            b[at] = byte;
            proptest::prop_assert_eq!(fields(&b).is_some(), want, "{:?}", String::from_utf8_lossy(&b));
        }
    }

    #[test]
    fn zone_times_read_gaps_and_folds_as_jiff_does() {
        let madrid = TimeZone::get("Europe/Madrid").unwrap();
        let times = ZoneTimes::new(&madrid);
        let ms = |s: &str| s.parse::<Timestamp>().unwrap().as_millisecond();
        // Learn the summer stretch first, so the fold and the gap are read next to it.
        assert_eq!(
            times.millis(dt("2026-07-01T12:00")),
            Some(ms("2026-07-01T10:00Z"))
        );
        // 02:30 happens twice on 25 October 2026: the earlier one, still summer time.
        assert_eq!(
            times.millis(dt("2026-10-25T02:30")),
            Some(ms("2026-10-25T00:30Z"))
        );
        assert_eq!(
            times.millis(dt("2026-10-25T03:00")),
            Some(ms("2026-10-25T02:00Z"))
        );
        assert_eq!(
            times.millis(dt("2026-10-25T01:59:59")),
            Some(ms("2026-10-24T23:59:59Z"))
        );
        // 02:30 never happens on 29 March 2026: read as 03:30 summer time.
        assert_eq!(
            times.millis(dt("2026-03-29T02:30")),
            Some(ms("2026-03-29T01:30Z"))
        );
        assert_eq!(
            times.millis(dt("2026-03-29T01:59")),
            Some(ms("2026-03-29T00:59Z"))
        );
    }
}

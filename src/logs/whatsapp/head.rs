//! The start-of-entry pattern: which lines of an export begin an entry, and the raw numbers of
//! their date and time (see the `whatsapp` module header for the layouts).
//!
//! This is the first look at every line of a file, so it is written for speed: a line that cannot
//! start an entry is rejected on its first byte, and the pieces of a header are read byte by byte
//! without a regex or an allocation.

use jiff::civil::DateTime;

/// Whether a 12-hour clock said AM or PM.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Meridiem {
    None,
    Am,
    Pm,
}

/// The start of an entry as the scanner read it; offsets are bytes into the whole text.
#[derive(Debug, Clone, Copy)]
pub(super) struct Head {
    /// 1-based line number.
    pub(super) line: usize,
    /// Where the line starts, and where it ends (its `'\n'`, or the end of the text).
    pub(super) start: usize,
    pub(super) end: usize,
    /// Where the text after the header (`Name: text`) starts.
    pub(super) body: usize,
    /// The date as written (for skip reasons).
    pub(super) date: (usize, usize),
    /// The three numbers of the date and how many digits each had.
    pub(super) fields: [u16; 3],
    pub(super) digits: [u8; 3],
    pub(super) hour: u8,
    pub(super) minute: u8,
    pub(super) second: u8,
    pub(super) meridiem: Meridiem,
    /// `[date time] Name: text`: the iOS layout.
    pub(super) bracketed: bool,
    /// Separated from the author only by `: ` or a space (see the `whatsapp` module header).
    pub(super) weak: bool,
    /// The wall-clock time, once the date order is known; `None` for a head that is skipped.
    pub(super) time: Option<DateTime>,
}

/// The lines of `bytes` (the whole text) that start like an entry, in file order, with their
/// offsets into the text, and how many lines the text has. Heads separated only weakly from their
/// author count only in a file where no head is separated strongly.
pub(super) fn find(bytes: &[u8]) -> (Vec<Head>, usize) {
    // Sized up front from the line count (a cheap SIMD pass): an export is mostly one-line
    // messages, and growing a vector of heads by doubling copies it several times over and
    // touches fresh memory each time.
    let line_count = memchr::memchr_iter(b'\n', bytes).count() + 1;
    let mut heads: Vec<Head> = Vec::with_capacity(line_count);
    let mut total_lines = 0usize;
    let mut any_strong = false;
    for (start, end) in LineIter::new(bytes) {
        total_lines += 1;
        let line = trim_cr(bytes.get(start..end).unwrap_or_default());
        if let Some(mut head) = scan_head(line) {
            head.line = total_lines;
            head.start = start;
            head.end = end;
            head.body += start;
            head.date.0 += start;
            head.date.1 += start;
            any_strong |= !head.weak;
            heads.push(head);
        }
    }
    if any_strong {
        heads.retain(|h| !h.weak);
    }
    (heads, total_lines)
}

/// Lines as `(start, end)` byte offsets, the `'\n'` excluded; the same lines as `str::lines`
/// (a final `'\n'` ends the last line rather than starting an empty one).
struct LineIter<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> LineIter<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        LineIter { bytes, pos: 0 }
    }
}

impl Iterator for LineIter<'_> {
    type Item = (usize, usize);

    fn next(&mut self) -> Option<(usize, usize)> {
        let start = self.pos;
        let rest = self.bytes.get(start..).filter(|r| !r.is_empty())?;
        match memchr::memchr(b'\n', rest) {
            Some(i) => {
                self.pos = start + i + 1;
                Some((start, start + i))
            }
            None => {
                self.pos = self.bytes.len();
                Some((start, self.bytes.len()))
            }
        }
    }
}

fn trim_cr(line: &[u8]) -> &[u8] {
    line.strip_suffix(b"\r").unwrap_or(line)
}

/// The length of an invisible mark that may precede an entry's first line: U+200E/U+200F,
/// the bidi embeddings and isolates (RTL exports), or a stray U+FEFF (files pasted together).
fn mark_len(b: &[u8]) -> Option<usize> {
    match b {
        [0xE2, 0x80, 0x8E | 0x8F | 0xAA..=0xAE, ..] | [0xE2, 0x81, 0xA6..=0xA9, ..] => Some(3),
        [0xEF, 0xBB, 0xBF, ..] => Some(3),
        _ => None,
    }
}

/// The length of a space that may separate parts of a header: a space, U+00A0 or U+202F.
fn space_len(b: &[u8]) -> Option<usize> {
    match b {
        [b' ', ..] => Some(1),
        [0xC2, 0xA0, ..] => Some(2),
        [0xE2, 0x80, 0xAF, ..] => Some(3),
        _ => None,
    }
}

/// Skips spaces (see [`space_len`]) and returns how many there were.
#[inline(always)]
fn skip_spaces(b: &[u8], i: &mut usize) -> usize {
    let mut n = 0;
    while let Some(len) = b.get(*i..).and_then(space_len) {
        *i += len;
        n += 1;
    }
    n
}

fn byte(b: &[u8], i: usize) -> Option<u8> {
    b.get(i).copied()
}

fn is_digit(b: &[u8], i: usize) -> bool {
    byte(b, i).is_some_and(|c| c.is_ascii_digit())
}

/// Reads 1 to `max` digits at `i`; more digits than `max` is not a number of the pattern.
// Inlined: the header scanner calls it five times per line, each for one or two digits.
#[inline(always)]
fn number(b: &[u8], i: &mut usize, max: u8) -> Option<(u16, u8)> {
    let mut value: u16 = 0;
    let mut n: u8 = 0;
    while let Some(c) = byte(b, *i).filter(u8::is_ascii_digit) {
        if n == max {
            return None;
        }
        value = value * 10 + u16::from(c - b'0');
        n += 1;
        *i += 1;
    }
    (n > 0).then_some((value, n))
}

/// An AM/PM marker at the start of `b`: `AM`, `pm`, `a.m.`, `p. m.` (the space may be U+00A0 or
/// U+202F), with its length. It must end there: `am` followed by a letter is a word.
fn meridiem(b: &[u8]) -> Option<(Meridiem, usize)> {
    let m = match byte(b, 0)? {
        b'a' | b'A' => Meridiem::Am,
        b'p' | b'P' => Meridiem::Pm,
        _ => return None,
    };
    let mut i = 1;
    if byte(b, i) == Some(b'.') {
        i += 1;
    }
    if let Some(len) = b.get(i..).and_then(space_len) {
        i += len;
    }
    if !matches!(byte(b, i), Some(b'm' | b'M')) {
        return None;
    }
    i += 1;
    if byte(b, i) == Some(b'.') {
        i += 1;
    }
    if byte(b, i).is_some_and(|c| c.is_ascii_alphanumeric()) {
        return None;
    }
    Some((m, i))
}

/// Recognises the start-of-entry pattern at the beginning of `b` (one line without its line end).
/// Offsets in the result are relative to the line; `line` and `start` are filled in by the caller.
///
/// The pieces of the header are read in order by the functions below, each moving `i` past what
/// it read; they are inlined into this one, which runs on every line of an export.
fn scan_head(b: &[u8]) -> Option<Head> {
    // Cheap rejection first: most continuation lines fail here.
    let mut i = 0;
    loop {
        match byte(b, i)? {
            b'0'..=b'9' | b'[' => break,
            0xE2 | 0xEF => i += mark_len(b.get(i..)?)?,
            _ => return None,
        }
    }
    let bracketed = byte(b, i) == Some(b'[');
    if bracketed {
        i += 1;
    }

    let date_start = i;
    let (fields, digits) = head_date(b, &mut i)?;
    let date_end = i;
    head_gap(b, &mut i)?;
    let (hour, minute, second) = head_clock(b, &mut i)?;
    let mer = head_meridiem(b, &mut i);
    let weak = head_end(b, &mut i, bracketed)?;

    Some(Head {
        line: 0,
        start: 0,
        end: 0,
        body: i,
        date: (date_start, date_end),
        fields,
        digits,
        hour: u8::try_from(hour).ok()?,
        minute: u8::try_from(minute).ok()?,
        second: u8::try_from(second).ok()?,
        meridiem: mer,
        bracketed,
        weak,
        time: None,
    })
}

/// The date: three numbers with the same separator, which may be followed by a space
/// (`13. 6. 2018.`); a 4-digit number is the year wherever it stands. Gives the numbers and how
/// many digits each had.
#[inline(always)]
fn head_date(b: &[u8], i: &mut usize) -> Option<([u16; 3], [u8; 3])> {
    let (f0, d0) = number(b, i, 4)?;
    let sep = byte(b, *i).filter(|c| matches!(c, b'/' | b'.' | b'-'))?;
    *i += 1;
    let spaced = byte(b, *i) == Some(b' ');
    if spaced {
        *i += 1;
    }
    let (f1, d1) = number(b, i, 4)?;
    if byte(b, *i) != Some(sep) {
        return None;
    }
    *i += 1;
    if spaced && byte(b, *i) == Some(b' ') {
        *i += 1;
    }
    let (f2, d2) = number(b, i, 4)?;
    let digits = [d0, d1, d2];
    let fours = digits.iter().filter(|d| **d == 4).count();
    if digits.contains(&3) || fours > 1 || (fours == 0 && d2 != 2 && d0 != 2) {
        return None;
    }
    if sep == b'.' && byte(b, *i) == Some(b'.') {
        *i += 1;
    }
    Some(([f0, f1, f2], digits))
}

/// Between date and time: a comma (or the Arabic comma U+060C) and/or spaces, and Finnish "klo".
#[inline(always)]
fn head_gap(b: &[u8], i: &mut usize) -> Option<()> {
    let comma = match b.get(*i..) {
        Some([b',', ..]) => 1,
        Some([0xD8, 0x8C, ..]) => 2,
        _ => 0,
    };
    *i += comma;
    let comma = comma > 0;
    if skip_spaces(b, i) == 0 && !comma {
        return None;
    }
    if b.get(*i..).is_some_and(|r| r.starts_with(b"klo ")) {
        *i += 4;
        skip_spaces(b, i);
    }
    Some(())
}

/// The time: h:mm or h:mm:ss, with ':' or '.'. Gives the hour, minute and second.
#[inline(always)]
fn head_clock(b: &[u8], i: &mut usize) -> Option<(u16, u16, u16)> {
    let (hour, _) = number(b, i, 2)?;
    if !matches!(byte(b, *i), Some(b':' | b'.')) {
        return None;
    }
    *i += 1;
    let (minute, dm) = number(b, i, 2)?;
    if dm != 2 {
        return None;
    }
    let mut second = 0;
    if matches!(byte(b, *i), Some(b':' | b'.'))
        && is_digit(b, *i + 1)
        && is_digit(b, *i + 2)
        && !is_digit(b, *i + 3)
    {
        let tens = byte(b, *i + 1).unwrap_or(b'0') - b'0';
        let ones = byte(b, *i + 2).unwrap_or(b'0') - b'0';
        second = u16::from(tens * 10 + ones);
        *i += 3;
    }
    // `13:34. - ` (some year-first exports end the time with a dot).
    if byte(b, *i) == Some(b'.') && !is_digit(b, *i + 1) {
        *i += 1;
    }
    Some((hour, minute, second))
}

/// An AM/PM marker after the time, perhaps behind spaces; `i` stays where it was without one.
/// The Latin forms first, then the other languages' markers (`nachm.`, `م`, `अपराह्न`).
#[inline(always)]
fn head_meridiem(b: &[u8], i: &mut usize) -> Meridiem {
    let mut mer = Meridiem::None;
    let before = *i;
    skip_spaces(b, i);
    let rest = b.get(*i..).unwrap_or_default();
    let found = meridiem(rest).or_else(|| {
        super::words::meridiem_word(rest)
            .map(|(pm, len)| (if pm { Meridiem::Pm } else { Meridiem::Am }, len))
    });
    match found {
        Some((m, len)) => {
            mer = m;
            *i += len;
        }
        None => *i = before,
    }
    mer
}

/// The end of the header: `] ` in the iOS layout, else ` - ` (or its variants), or the weak `: `
/// or a space (see the `whatsapp` module header). Gives whether the end is weak.
#[inline(always)]
fn head_end(b: &[u8], i: &mut usize, bracketed: bool) -> Option<bool> {
    let weak;
    if bracketed {
        if byte(b, *i) != Some(b']') {
            return None;
        }
        *i += 1;
        if byte(b, *i) == Some(b' ') {
            *i += 1;
        }
        weak = false;
    } else {
        let rest = b.get(*i..)?;
        if rest.starts_with(b" - ") {
            *i += 3;
            weak = false;
        } else if rest == b" -" {
            *i += 2;
            weak = false;
        } else if rest.starts_with(" \u{2013} ".as_bytes()) {
            *i += 5;
            weak = false;
        } else if rest.starts_with(b": ") {
            *i += 2;
            weak = true;
        } else if rest.len() > 1 && rest.starts_with(b" ") {
            *i += 1;
            weak = true;
        } else {
            return None;
        }
    }
    Some(weak)
}

#[cfg(test)]
mod tests;

//! WhatsApp "Export chat" text files: every layout and date style real exports use, read into
//! timestamped entries (SPEC section 3).
//!
//! An export is one line per message, continued on further lines when the message has line breaks.
//! What starts a message differs by phone, app version and locale:
//!
//! ```text
//! 06/03/2017, 00:45 - Sample User: text            Android, day- or month-first, 24-hour
//! 1/15/25, 10:32 AM - John: text                   Android, US 12-hour (also U+202F before PM)
//! 9/24/2019 11:30 p. m. - John: text               `a. m.`/`p.m.`, U+00A0 inside `p. m.`
//! 2022/12/14, 13:34. - John: text                  year first, a dot after the time
//! [15/01/25, 22:41:30] John: <attached: x.jpg>     iOS, seconds optional; on media lines an
//!                                                  invisible U+200E before `[` and before `<`
//! [10.21.21, 15:21:45] John: text                  dotted dates
//! 13.6.2018 klo 21.25.15 - a: m                    Finnish `klo`, dotted time
//! 13. 6. 2018. 21:25:15 a: m                       only a space before the author
//! ```
//!
//! A hand-written scanner recognises that start-of-entry pattern at the beginning of a line (no
//! regex: a line that does not begin with a digit, `[` or an invisible mark is rejected on its first
//! byte, which keeps the reader at memory speed on long exports). Every other line continues the
//! entry above it, so a line that merely *contains* a date stays text.
//!
//! Two passes, because the date order is a property of the whole file: `03/04/21` is only readable
//! once some other line shows `13/04/21` (day first) or `04/13/21` (month first). The first pass
//! ([`scan`]) finds the entry starts and their raw numbers, decides the order and reads every
//! start's date and time; the second ([`Scan::entries`]) builds the entries one at a time, their
//! text and author borrowed from the export unless marks or `\r` have to come out, so that the
//! importer holds no copy of a file's messages besides the one it hands on. [`parse`] runs both.
//! A file that never decides is read day-first and says so in [`Parsed::date_order`], so the caller
//! can print a note; `[import.whatsapp] date_order` overrides the inference.
//!
//! [`crate::logs::time::ZoneTimes`] turns the wall-clock times into instants in the configured
//! zone, as `DateTime::to_zoned` does, looking the zone's rules up once per stretch between
//! transitions rather than once per message.
//!
//! Two separators are weak evidence: `: ` after the time (`13.06.18 21.25.15: a: m`) and a bare
//! space (`13. 6. 2018. 21:25:15 a: m`). A message line such as `12/10/2021 10:00 meeting moved`
//! has the same shape, so those forms count only in a file where no line uses ` - ` or `[…]`.
//!
//! A 4-digit number is the year wherever it stands (`2018/06/13`, even `06/2018/13`); two-digit
//! years pivot as POSIX `%y` does. A `PM` on an hour past 12 (`13:37:00 p.m.`, seen in real
//! exports) leaves the hour as it is.
//!
//! Authors: the name runs up to the first `": "` after the header (a colon later in the text stays
//! text). A line with no `Name: ` is a system line (`You were added`). On iOS, system lines carry a
//! name too (the chat's or the actor's), and what marks them is a U+200E at the start of the text,
//! except that media and deletion notices (`<attached: …>`, `image omitted`, `This message was
//! deleted.`, each behind the mark) are messages the author sent. A leading `~ ` (unsaved contact)
//! and invisible direction marks are not part of a name. Notices are recognised in English (plus
//! the German `(Datei angehängt)`), and the 12-hour clock in its Latin `AM`/`a. m.` spellings:
//! other localised markers (`vorm.`, `午後`) are not understood.
//!
//! Nothing is dropped silently: each line of the file is the first or a continuation line of an
//! [`Entry`], the first or a continuation line of a [`Skip`] (a start-of-entry line whose date or
//! time does not exist), or a line before the first entry ([`Parsed::leading_lines`]). Blank lines at
//! the end of a message (some exports put one between messages) belong to it but are not part of
//! its text: WhatsApp trims what is sent, so they never were.

#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing,
        clippy::string_slice
    )
)]

use std::borrow::Cow;
use std::ops::Range;

use jiff::civil::{Date, DateTime, Time};

/// Day/month order of numeric dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateOrder {
    DayFirst,
    MonthFirst,
    YearFirst,
}

impl DateOrder {
    fn as_str(self) -> &'static str {
        match self {
            DateOrder::DayFirst => "day-first",
            DateOrder::MonthFirst => "month-first",
            DateOrder::YearFirst => "year-first",
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Forced date order (from handoff.toml `[import.whatsapp] date_order`); None = infer.
    pub date_order: Option<DateOrder>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Message,
    System,
}

/// One message or system line of the export.
///
/// Author and text borrow from the export wherever they are written there as they are (most
/// entries); only an entry with U+200E marks, `\r` line ends inside it or marks in its author's
/// name gets text of its own.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry<'a> {
    /// 1-based line number (in the file text given) where the entry starts.
    pub line: usize,
    /// The last line of the entry: its continuation lines and the blank lines after it end here.
    pub last_line: usize,
    /// Local wall-clock time as written in the export (no zone).
    pub time: jiff::civil::DateTime,
    /// The author as written, without a leading "~ " / "~\u{202F}" and without U+200E/U+200F marks; None for system lines.
    ///
    /// The bidi embeddings and isolates (U+202A–U+202E, U+2066–U+2069) that wrap phone numbers
    /// go too, and white space at the ends: configured `bots`/`agents` names must match. Other
    /// characters stay as written (a phone number's U+2011 non-breaking hyphen included).
    pub author: Option<Cow<'a, str>>,
    /// The text, continuation lines joined with '\n', U+200E marks removed, trailing '\r' removed.
    ///
    /// For a system line, the notice itself. Blank lines at the end of the entry are left out.
    pub text: Cow<'a, str>,
    pub kind: Kind,
}

/// A line that starts like an entry but cannot be read (for example a date that does not exist).
#[derive(Debug, Clone, PartialEq)]
pub struct Skip {
    pub line: usize,
    pub reason: String,
}

#[derive(Debug, Clone, Default)]
pub struct Parsed<'a> {
    pub entries: Vec<Entry<'a>>,
    pub skipped: Vec<Skip>,
    /// The order used, and whether it was decided by the file (false = undecided, read day-first).
    ///
    /// `None` when no line of the file starts like an entry. An order forced by [`Options`] is reported as
    /// decided. A file whose every date starts with a 4-digit year is `YearFirst`; in a file that
    /// mixes such dates with others, the order reported is the one used for the others.
    pub date_order: Option<(DateOrder, bool)>,
    /// Lines before the first entry that are not part of any entry (count); they are reported by the caller.
    ///
    /// These are 1-based line numbers, blank lines included, so that every line is accounted for.
    pub leading_lines: Vec<usize>,
}

/// The left-to-right mark iOS puts before system lines, media notices and the line itself.
const LRM: char = '\u{200E}';

/// Whether a 12-hour clock said AM or PM.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Meridiem {
    None,
    Am,
    Pm,
}

/// The start of an entry as the scanner read it; offsets are bytes into the whole text.
#[derive(Debug, Clone, Copy)]
struct Head {
    /// 1-based line number.
    line: usize,
    /// Where the line starts, and where it ends (its `'\n'`, or the end of the text).
    start: usize,
    end: usize,
    /// Where the text after the header (`Name: text`) starts.
    body: usize,
    /// The date as written (for skip reasons).
    date: (usize, usize),
    /// The three numbers of the date and how many digits each had.
    fields: [u16; 3],
    digits: [u8; 3],
    hour: u8,
    minute: u8,
    second: u8,
    meridiem: Meridiem,
    /// `[date time] Name: text`: the iOS layout.
    bracketed: bool,
    /// Separated from the author only by `: ` or a space (see the module header).
    weak: bool,
    /// The wall-clock time, once the date order is known; `None` for a head that is skipped.
    time: Option<DateTime>,
}

/// Reads a whole export. Never fails: what cannot be read is in [`Parsed::skipped`] or
/// [`Parsed::leading_lines`], and entries are in file order.
pub fn parse<'a>(text: &'a str, options: &Options) -> Parsed<'a> {
    let scan = scan(text, options);
    let mut entries = Vec::with_capacity(scan.heads.len());
    entries.extend(scan.entries());
    Parsed {
        entries,
        leading_lines: scan.leading_lines().collect(),
        date_order: scan.date_order,
        skipped: scan.skipped,
    }
}

/// An export after the first pass: where its entries start, the date order, what is skipped.
///
/// [`Scan::entries`] then builds the entries one at a time, so that a reader that hands each on
/// (the importer) never holds them all; [`parse`] collects them.
#[derive(Debug, Clone)]
pub struct Scan<'a> {
    text: &'a str,
    /// The heads that start an entry or a skip, in file order.
    heads: Vec<Head>,
    /// Lines in the text, as `str::lines` counts them.
    lines: usize,
    /// As in [`Parsed`].
    pub skipped: Vec<Skip>,
    /// As in [`Parsed`].
    pub date_order: Option<(DateOrder, bool)>,
}

/// The first pass of [`parse`]: finds the entry starts, decides the date order and reads every
/// start's date and time.
pub fn scan<'a>(text: &'a str, options: &Options) -> Scan<'a> {
    let bytes = text.as_bytes();

    // Pass 1: find the lines that start like an entry. Sized up front from the line count (a
    // cheap SIMD pass): an export is mostly one-line messages, and growing a vector of heads by
    // doubling copies it several times over and touches fresh memory each time.
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

    let mut scan = Scan {
        text,
        heads: Vec::new(),
        lines: total_lines,
        skipped: Vec::new(),
        date_order: None,
    };
    if heads.is_empty() {
        return scan;
    }

    // Decide the date order from every entry start of the file.
    let force_year_first = options.date_order == Some(DateOrder::YearFirst);
    let (mut day_votes, mut month_votes) = (0usize, 0usize);
    let mut all_year_first = true;
    for h in &heads {
        let yp = year_pos(h, force_year_first);
        if yp == 0 {
            continue;
        }
        all_year_first = false;
        let (a, b) = others(h, yp);
        if a > 12 && b <= 12 {
            day_votes += 1;
        } else if b > 12 && a <= 12 {
            month_votes += 1;
        }
    }
    // A file that contradicts itself (hand-edited, or two exports pasted together) follows its
    // majority; the lines of the minority then fail as dates that do not exist and are skipped.
    let inferred = if day_votes == 0 && month_votes == 0 {
        (DateOrder::DayFirst, false)
    } else if month_votes > day_votes {
        (DateOrder::MonthFirst, true)
    } else {
        (DateOrder::DayFirst, true)
    };
    scan.date_order = Some(match options.date_order {
        Some(forced) => (forced, true),
        None if all_year_first => (DateOrder::YearFirst, true),
        None => inferred,
    });
    let day_month = match options.date_order {
        Some(DateOrder::DayFirst) => DateOrder::DayFirst,
        Some(DateOrder::MonthFirst) => DateOrder::MonthFirst,
        _ => inferred.0,
    };

    // Every head's time, now that the order is known; the ones that have none are skips.
    for h in &mut heads {
        match resolve(h, text, day_month, force_year_first) {
            Ok(t) => h.time = Some(t),
            Err(reason) => scan.skipped.push(Skip {
                line: h.line,
                reason,
            }),
        }
    }
    scan.heads = heads;
    scan
}

impl<'a> Scan<'a> {
    /// Lines before the first entry or skip (1-based; blank ones included): see
    /// [`Parsed::leading_lines`].
    pub fn leading_lines(&self) -> Range<usize> {
        1..self.heads.first().map_or(self.lines + 1, |h| h.line)
    }

    /// Pass 2: the entries in file order, each with the lines up to the next entry or skip.
    pub fn entries(&self) -> impl Iterator<Item = Entry<'a>> + '_ {
        self.heads.iter().enumerate().filter_map(|(k, h)| {
            let time = h.time?;
            let next = self.heads.get(k + 1);
            let end = next.map_or(self.text.len(), |n| n.start);
            let last_line = next.map_or(self.lines, |n| n.line - 1).max(h.line);
            let (author, text, kind) = body(self.text, h, end);
            Some(Entry {
                line: h.line,
                last_line,
                time,
                author: author.map(clean_author),
                text,
                kind,
            })
        })
    }
}

/// The author as written, the text and the kind of the entry whose head is `h` and whose lines
/// end at byte `end` (the next head's line, or the end of the text).
fn body<'a>(text: &'a str, h: &Head, end: usize) -> (Option<&'a str>, Cow<'a, str>, Kind) {
    let bytes = text.as_bytes();
    let first_end = h.end;
    let rest = trim_cr_str(text.get(h.body..first_end).unwrap_or_default());
    let (author, at, kind) = classify(rest, h.bracketed);
    let text_start = h.body + at;

    // Continuation lines: the text runs to the end of the last one that is not blank.
    let mut text_end = h.body + rest.len();
    let mut pos = first_end + 1;
    while pos < end {
        let le =
            memchr::memchr(b'\n', bytes.get(pos..end).unwrap_or_default()).map_or(end, |i| pos + i);
        let line = trim_cr_str(text.get(pos..le).unwrap_or_default());
        if !is_blank(line) {
            text_end = pos + line.len();
        }
        pos = le + 1;
    }

    // Written as it is read (no U+200E, no `\r` inside): the text is that stretch of the export.
    let span = text.get(text_start..text_end).unwrap_or_default();
    if !needs_cleaning(span.as_bytes()) {
        return (author, Cow::Borrowed(span), kind);
    }
    let first_text = rest.get(at..).unwrap_or_default();
    let mut out = String::with_capacity(end.saturating_sub(h.body));
    push_clean(&mut out, first_text);
    let mut keep = out.len();
    let mut pos = first_end + 1;
    while pos < end {
        let le =
            memchr::memchr(b'\n', bytes.get(pos..end).unwrap_or_default()).map_or(end, |i| pos + i);
        let line = trim_cr_str(text.get(pos..le).unwrap_or_default());
        out.push('\n');
        push_clean(&mut out, line);
        if !is_blank(line) {
            keep = out.len();
        }
        pos = le + 1;
    }
    out.truncate(keep);
    (author, Cow::Owned(out), kind)
}

/// Whether `s` holds a `\r` or a U+200E (E2 80 8E), which an entry's text leaves out.
fn needs_cleaning(s: &[u8]) -> bool {
    memchr::memchr2_iter(b'\r', 0xE2, s)
        .any(|i| s.get(i) == Some(&b'\r') || s.get(i + 1..i + 3) == Some(&[0x80, 0x8E][..]))
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

fn trim_cr_str(line: &str) -> &str {
    line.strip_suffix('\r').unwrap_or(line)
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

    // The date: three numbers with the same separator, which may be followed by a space
    // (`13. 6. 2018.`); a 4-digit number is the year wherever it stands.
    let date_start = i;
    let (f0, d0) = number(b, &mut i, 4)?;
    let sep = byte(b, i).filter(|c| matches!(c, b'/' | b'.' | b'-'))?;
    i += 1;
    let spaced = byte(b, i) == Some(b' ');
    if spaced {
        i += 1;
    }
    let (f1, d1) = number(b, &mut i, 4)?;
    if byte(b, i) != Some(sep) {
        return None;
    }
    i += 1;
    if spaced && byte(b, i) == Some(b' ') {
        i += 1;
    }
    let (f2, d2) = number(b, &mut i, 4)?;
    let digits = [d0, d1, d2];
    let fours = digits.iter().filter(|d| **d == 4).count();
    if digits.contains(&3) || fours > 1 || (fours == 0 && d2 != 2 && d0 != 2) {
        return None;
    }
    if sep == b'.' && byte(b, i) == Some(b'.') {
        i += 1;
    }
    let date_end = i;

    // Between date and time: a comma and/or spaces, and Finnish "klo".
    let comma = byte(b, i) == Some(b',');
    if comma {
        i += 1;
    }
    if skip_spaces(b, &mut i) == 0 && !comma {
        return None;
    }
    if b.get(i..).is_some_and(|r| r.starts_with(b"klo ")) {
        i += 4;
        skip_spaces(b, &mut i);
    }

    // The time: h:mm or h:mm:ss, with ':' or '.'.
    let (hour, _) = number(b, &mut i, 2)?;
    if !matches!(byte(b, i), Some(b':' | b'.')) {
        return None;
    }
    i += 1;
    let (minute, dm) = number(b, &mut i, 2)?;
    if dm != 2 {
        return None;
    }
    let mut second = 0;
    if matches!(byte(b, i), Some(b':' | b'.'))
        && is_digit(b, i + 1)
        && is_digit(b, i + 2)
        && !is_digit(b, i + 3)
    {
        let tens = byte(b, i + 1).unwrap_or(b'0') - b'0';
        let ones = byte(b, i + 2).unwrap_or(b'0') - b'0';
        second = u16::from(tens * 10 + ones);
        i += 3;
    }
    // `13:34. - ` (some year-first exports end the time with a dot).
    if byte(b, i) == Some(b'.') && !is_digit(b, i + 1) {
        i += 1;
    }
    let mut mer = Meridiem::None;
    let before = i;
    skip_spaces(b, &mut i);
    match b.get(i..).and_then(meridiem) {
        Some((m, len)) => {
            mer = m;
            i += len;
        }
        None => i = before,
    }

    // The end of the header.
    let weak;
    if bracketed {
        if byte(b, i) != Some(b']') {
            return None;
        }
        i += 1;
        if byte(b, i) == Some(b' ') {
            i += 1;
        }
        weak = false;
    } else {
        let rest = b.get(i..)?;
        if rest.starts_with(b" - ") {
            i += 3;
            weak = false;
        } else if rest == b" -" {
            i += 2;
            weak = false;
        } else if rest.starts_with(" \u{2013} ".as_bytes()) {
            i += 5;
            weak = false;
        } else if rest.starts_with(b": ") {
            i += 2;
            weak = true;
        } else if rest.len() > 1 && rest.starts_with(b" ") {
            i += 1;
            weak = true;
        } else {
            return None;
        }
    }

    Some(Head {
        line: 0,
        start: 0,
        end: 0,
        body: i,
        date: (date_start, date_end),
        fields: [f0, f1, f2],
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

/// Which of the three date numbers is the year: the 4-digit one, else the last (or the first
/// when the configuration says year-first).
fn year_pos(h: &Head, force_year_first: bool) -> usize {
    match h.digits {
        [4, _, _] => 0,
        [_, 4, _] => 1,
        [_, _, 4] => 2,
        _ if force_year_first => 0,
        _ => 2,
    }
}

/// The two numbers that are not the year, in the order written.
fn others(h: &Head, yp: usize) -> (u16, u16) {
    let [a, b, c] = h.fields;
    match yp {
        0 => (b, c),
        1 => (a, c),
        _ => (a, b),
    }
}

/// The wall-clock time of a head, or why it has none.
fn resolve(
    h: &Head,
    text: &str,
    day_month: DateOrder,
    force_year_first: bool,
) -> Result<DateTime, String> {
    let raw_date = text.get(h.date.0..h.date.1).unwrap_or_default();
    let yp = year_pos(h, force_year_first);
    let year_digits = h.digits.get(yp).copied().unwrap_or(0);
    let raw_year = h.fields.get(yp).copied().unwrap_or(0);
    let year = match year_digits {
        4 => i16::try_from(raw_year).unwrap_or(0),
        // Two-digit years pivot as POSIX `%y` does: 69–99 are 1900s, 00–68 the 2000s.
        2 if raw_year >= 69 => 1900 + i16::try_from(raw_year).unwrap_or(0),
        2 => 2000 + i16::try_from(raw_year).unwrap_or(0),
        _ => return Err(format!("date {raw_date} has no 2- or 4-digit year")),
    };
    let (a, b) = others(h, yp);
    let (order, (month, day)) = if yp == 0 {
        (DateOrder::YearFirst, (a, b))
    } else if day_month == DateOrder::MonthFirst {
        (DateOrder::MonthFirst, (a, b))
    } else {
        (DateOrder::DayFirst, (b, a))
    };
    // Checked before jiff is asked: its error for a date that does not exist allocates, and a
    // file read in the order of its majority can reject many of its dates.
    let date = if is_real_date(year, month, day) {
        Date::new(
            year,
            i8::try_from(month).unwrap_or(0),
            i8::try_from(day).unwrap_or(0),
        )
        .ok()
    } else {
        None
    };
    let Some(date) = date else {
        return Err(no_such_date(raw_date, order, day, month));
    };
    let mut hour = h.hour;
    match h.meridiem {
        // "12:10 p. m." is noon and "13:37 p.m." (seen in real exports) is already 24-hour.
        Meridiem::Pm if hour < 12 => hour += 12,
        Meridiem::Am if hour == 12 => hour = 0,
        _ => {}
    }
    let time = if hour <= 23 && h.minute <= 59 && h.second <= 59 {
        Time::new(
            i8::try_from(hour).unwrap_or(-1),
            i8::try_from(h.minute).unwrap_or(-1),
            i8::try_from(h.second).unwrap_or(-1),
            0,
        )
        .ok()
    } else {
        None
    };
    let Some(time) = time else {
        let suffix = match h.meridiem {
            Meridiem::None => "",
            Meridiem::Am => " AM",
            Meridiem::Pm => " PM",
        };
        return Err(format!(
            "time {}:{:02}:{:02}{suffix} does not exist",
            h.hour, h.minute, h.second
        ));
    };
    Ok(DateTime::from_parts(date, time))
}

/// `date 30/02/21 does not exist (read day-first: day 30 of month 2)`, put together without the
/// formatting machinery, which costs more than the rest of reading the line.
fn no_such_date(raw_date: &str, order: DateOrder, day: u16, month: u16) -> String {
    let mut s = String::with_capacity(64 + raw_date.len());
    for part in [
        "date ",
        raw_date,
        " does not exist (read ",
        order.as_str(),
        ": day ",
    ] {
        s.push_str(part);
    }
    push_decimal(&mut s, day);
    s.push_str(" of month ");
    push_decimal(&mut s, month);
    s.push(')');
    s
}

fn push_decimal(s: &mut String, n: u16) {
    let mut leading = true;
    for unit in [10_000, 1_000, 100, 10, 1] {
        let digit = n / unit % 10;
        leading &= digit == 0 && unit > 1;
        if !leading {
            s.push(char::from(b'0' + u8::try_from(digit).unwrap_or(0)));
        }
    }
}

/// Whether `year-month-day` is a day of the proleptic Gregorian calendar, as jiff reads it.
fn is_real_date(year: i16, month: u16, day: u16) -> bool {
    crate::logs::time::days_in_month(i64::from(year), i64::from(month))
        .is_some_and(|last| (1..=last).contains(&i64::from(day)))
}

/// Splits the text after the header into (author as written, where the text starts, kind); see
/// the module header. The text is always the end of `rest`.
fn classify(rest: &str, ios: bool) -> (Option<&str>, usize, Kind) {
    // An iOS notice with no name in front: `[date] <U+200E>You created group "X"`.
    if ios && rest.starts_with(LRM) {
        return (None, 0, Kind::System);
    }
    match split_author(rest) {
        Some((author, at)) => {
            let text = rest.get(at..).unwrap_or_default();
            if ios && text.starts_with(LRM) && !is_notice(text) {
                (None, at, Kind::System)
            } else {
                (Some(author), at, Kind::Message)
            }
        }
        None => {
            // `Name:` with nothing after it is an empty message, and `Name:.` is how some
            // exports write a message that disappeared; a system line does not end that way.
            let bare = rest
                .strip_suffix(':')
                .map(|a| (a, rest.len()))
                .or_else(|| rest.strip_suffix(":.").map(|a| (a, rest.len() - 1)));
            match bare {
                Some((author, at)) if !author.trim().is_empty() && !author.contains(':') => {
                    (Some(author), at, Kind::Message)
                }
                _ => (None, 0, Kind::System),
            }
        }
    }
}

/// The name before the first `": "` and where the text after it starts. A byte search for the
/// colon: `str::split_once` with a two-character pattern sets up a substring searcher per line.
fn split_author(rest: &str) -> Option<(&str, usize)> {
    let b = rest.as_bytes();
    let mut from = 0;
    while let Some(i) = memchr::memchr(b':', b.get(from..)?) {
        let at = from + i;
        if b.get(at + 1) == Some(&b' ') {
            return Some((rest.get(..at)?, at + 2));
        }
        from = at + 1;
    }
    None
}

/// A media, attachment or deletion notice: something the author sent, even when iOS marks it with
/// U+200E like a system line.
fn is_notice(text: &str) -> bool {
    let t: Cow<'_, str> = if text.trim_start_matches(LRM).contains(LRM) {
        Cow::Owned(text.chars().filter(|c| *c != LRM).collect())
    } else {
        Cow::Borrowed(text.trim_start_matches(LRM))
    };
    let t = t.trim();
    // Lowercasing an ASCII text is ASCII case folding, which the patterns can be compared with
    // in place; other text is lowercased in full (`K`, the Kelvin sign, lowercases to `k`).
    if t.is_ascii() {
        let starts = |p: &str| {
            t.as_bytes()
                .get(..p.len())
                .is_some_and(|h| h.eq_ignore_ascii_case(p.as_bytes()))
        };
        let ends = |p: &str| {
            t.len() >= p.len()
                && t.as_bytes()
                    .get(t.len() - p.len()..)
                    .is_some_and(|h| h.eq_ignore_ascii_case(p.as_bytes()))
        };
        return notice_patterns(starts, ends);
    }
    let lower = t.to_lowercase();
    let l = lower.as_str();
    notice_patterns(|p| l.starts_with(p), |p| l.ends_with(p))
}

/// The notices [`is_notice`] knows, in lower case, given how to test a prefix and a suffix.
fn notice_patterns(starts: impl Fn(&str) -> bool, ends: impl Fn(&str) -> bool) -> bool {
    starts("<attached:")
        || starts("< attached:")
        || ends("<attached>")
        || ends("(file attached)")
        || ends("(datei angehängt)")
        || ends("omitted")
        || ends("omitted>")
        || starts("this message was deleted")
        || starts("you deleted this message")
        || starts("location: ")
        || starts("live location shared")
        || starts("poll:")
}

/// Appends `s` without its U+200E marks.
fn push_clean(out: &mut String, s: &str) {
    // U+200E is E2 80 8E; a line without 0xE2 cannot hold one and is copied as is.
    if memchr::memchr(0xE2, s.as_bytes()).is_none() {
        out.push_str(s);
    } else {
        for part in s.split(LRM) {
            out.push_str(part);
        }
    }
}

fn is_blank(line: &str) -> bool {
    line.chars().all(|c| c.is_whitespace() || c == LRM)
}

/// The name without direction marks and embeddings (which wrap phone numbers in RTL and iOS
/// exports) and without the `~ ` that marks a contact not in the address book. Borrowed unless
/// there were marks to take out.
fn clean_author(raw: &str) -> Cow<'_, str> {
    let is_mark = |c: char| matches!(c, '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}');
    fn strip(name: &str) -> &str {
        let name = name.trim();
        let name = name
            .strip_prefix("~ ")
            .or_else(|| name.strip_prefix("~\u{202F}"))
            .or_else(|| name.strip_prefix("~\u{A0}"))
            .unwrap_or(name);
        name.trim_start()
    }
    // Most names are ASCII and start and end with a visible character other than `~` (`Ana`,
    // `+34 600 06 82 94`): no mark, nothing to trim or strip, which the Unicode-aware trims below
    // take longer to find out.
    let b = raw.as_bytes();
    if b.is_ascii()
        && b.first()
            .is_some_and(|c| c.is_ascii_graphic() && *c != b'~')
        && b.last().is_some_and(u8::is_ascii_graphic)
    {
        return Cow::Borrowed(raw);
    }
    // Every mark is encoded with a leading 0xE2 byte.
    let unmarked = memchr::memchr(0xE2, b).is_none();
    if unmarked || !raw.contains(is_mark) {
        return Cow::Borrowed(strip(raw));
    }
    let name: String = raw.chars().filter(|c| !is_mark(*c)).collect();
    Cow::Owned(strip(&name).to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(text: &str) -> Parsed<'_> {
        let parsed = parse(text, &Options::default());
        check_accounting(text, &parsed);
        parsed
    }

    fn p_with(text: &str, order: DateOrder) -> Parsed<'_> {
        let parsed = parse(
            text,
            &Options {
                date_order: Some(order),
            },
        );
        check_accounting(text, &parsed);
        parsed
    }

    fn dt(s: &str) -> DateTime {
        s.parse().unwrap()
    }

    fn one(text: &str) -> Entry<'_> {
        let parsed = p(text);
        assert_eq!(parsed.entries.len(), 1, "{text:?} -> {parsed:?}");
        parsed.entries.into_iter().next().unwrap()
    }

    /// The accounting law: every line of `text` is in exactly one place — a leading line, or the
    /// block (first line plus continuation lines) of one entry or skip — and each entry's text is
    /// exactly its block's lines (first line after the header), U+200E and '\r' removed, less
    /// blank lines at the end.
    fn check_accounting(text: &str, parsed: &Parsed) {
        // Lines as the parser (and `str::lines`, which the caller counts with) sees them; one
        // trailing '\r' goes, even at the end of the file where `str::lines` would keep it.
        let mut lines: Vec<&str> = text
            .split('\n')
            .map(|l| l.strip_suffix('\r').unwrap_or(l))
            .collect();
        if text.is_empty() || text.ends_with('\n') {
            lines.pop();
        }
        assert_eq!(lines.len(), text.lines().count());
        let total = lines.len();
        let mut starts: Vec<usize> = parsed
            .entries
            .iter()
            .map(|e| e.line)
            .chain(parsed.skipped.iter().map(|s| s.line))
            .collect();
        starts.sort_unstable();
        for w in starts.windows(2) {
            assert!(w[0] < w[1], "two records start on line {}", w[0]);
        }
        let first = starts.first().copied().unwrap_or(total + 1);
        assert_eq!(
            parsed.leading_lines,
            (1..first).collect::<Vec<_>>(),
            "leading lines"
        );
        assert!(starts.iter().all(|s| (1..=total).contains(s)));
        // Entries are in file order.
        for w in parsed.entries.windows(2) {
            assert!(w[0].line < w[1].line);
        }
        for e in &parsed.entries {
            let next = starts
                .iter()
                .copied()
                .find(|s| *s > e.line)
                .unwrap_or(total + 1);
            assert_eq!(e.last_line, next - 1, "line {}: last line", e.line);
            // The importer compares authors with configured names without trimming them again.
            if let Some(a) = &e.author {
                assert_eq!(a.trim(), a, "line {}: author", e.line);
            }
            let block: Vec<String> = lines[e.line - 1..next - 1]
                .iter()
                .map(|l| l.replace(LRM, ""))
                .collect();
            let text_lines: Vec<&str> = e.text.split('\n').collect();
            assert!(
                text_lines.len() <= block.len(),
                "line {}: text has more lines than its block",
                e.line
            );
            assert!(
                block[0].ends_with(text_lines[0]),
                "line {}: {:?} does not end with {:?}",
                e.line,
                block[0],
                text_lines[0]
            );
            for (k, t) in text_lines.iter().enumerate().skip(1) {
                assert_eq!(block[k], *t, "line {}", e.line + k);
            }
            for extra in &block[text_lines.len()..] {
                assert!(extra.trim().is_empty(), "line {}: lost {extra:?}", e.line);
            }
        }
        let covered = parsed.leading_lines.len()
            + if starts.is_empty() {
                0
            } else {
                total + 1 - first
            };
        assert_eq!(covered, total, "every line accounted for");
    }

    // ---- layouts -------------------------------------------------------------------------

    #[test]
    fn android_day_first_24h() {
        let e = one("30/12/21, 22:01 - John Doe: Lorem ipsum");
        assert_eq!(e.time, dt("2021-12-30T22:01"));
        assert_eq!(e.author.as_deref(), Some("John Doe"));
        assert_eq!(e.text, "Lorem ipsum");
        assert_eq!(e.kind, Kind::Message);
        assert_eq!(e.line, 1);
    }

    #[test]
    fn android_us_12h() {
        let parsed = p(
            "1/15/25, 10:32 AM - John: hi\n1/15/25, 12:05 PM - Sarah: yo\n\
                        1/16/25, 12:01 AM - Sarah: late\n1/16/25, 3:07 pm - John: ok",
        );
        let times: Vec<_> = parsed.entries.iter().map(|e| e.time).collect();
        assert_eq!(
            times,
            [
                dt("2025-01-15T10:32"),
                dt("2025-01-15T12:05"),
                dt("2025-01-16T00:01"),
                dt("2025-01-16T15:07")
            ]
        );
        assert_eq!(parsed.date_order, Some((DateOrder::MonthFirst, true)));
    }

    #[test]
    fn narrow_and_plain_no_break_spaces_before_pm() {
        for sep in ["\u{202F}", "\u{A0}", " ", ""] {
            let line = format!("3/6/18, 1:55{sep}PM - a: m");
            let e = one(&line);
            assert_eq!(e.time, dt("2018-06-03T13:55"), "{sep:?}");
            assert_eq!(e.author.as_deref(), Some("a"));
        }
    }

    #[test]
    fn spanish_style_meridiem() {
        let cases = [
            ("9/24/2019 11:30 p.m. - John: x", "2019-09-24T23:30"),
            ("9/24/2019 11:30 a.m. - John: x", "2019-09-24T11:30"),
            ("12/24/2019 11:30 p. m. - John: x", "2019-12-24T23:30"),
            ("12/30/2021, 12:10 p. m. - John: x", "2021-12-30T12:10"),
            ("12/30/2021, 12:10 a. m. - John: x", "2021-12-30T00:10"),
            ("06/20/2020, 00:08 a. m. - John: x", "2020-06-20T00:08"),
            ("9/24/2019 11:30 P.M. - John: x", "2019-09-24T23:30"),
            ("09/10/22, 10:37 p.\u{A0}m. - John: x", "2022-10-09T22:37"),
        ];
        for (line, want) in cases {
            assert_eq!(one(line).time, dt(want), "{line}");
        }
    }

    #[test]
    fn pm_on_a_24_hour_time_is_kept() {
        // chat-miner's test_dateformat4 has "[11/10/22 13:37:00 p.m.]": 13:37.
        assert_eq!(
            one("[11/10/22 13:37:00 p.m.] John: x").time,
            dt("2022-10-11T13:37")
        );
    }

    #[test]
    fn ios_with_and_without_seconds_and_lrm() {
        let text = "[15/01/25, 22:41:03] John: back home now\r\n\
                    \u{200E}[15/01/25, 22:41:30] John: \u{200E}<attached: 00000042-PHOTO.jpg>\r\n\
                    [15/01/25, 22:42] Sarah: cute!!\r\n";
        let parsed = p(text);
        assert_eq!(parsed.entries.len(), 3);
        assert_eq!(parsed.entries[0].time, dt("2025-01-15T22:41:03"));
        assert_eq!(parsed.entries[1].text, "<attached: 00000042-PHOTO.jpg>");
        assert_eq!(parsed.entries[1].kind, Kind::Message);
        assert_eq!(parsed.entries[1].author.as_deref(), Some("John"));
        assert_eq!(parsed.entries[2].time, dt("2025-01-15T22:42"));
        assert_eq!(parsed.entries[2].text, "cute!!");
    }

    #[test]
    fn ios_bracket_without_comma_and_12h() {
        let e = one("[3/6/18 1:55:00 p. m.] a: m");
        assert_eq!(e.time, dt("2018-06-03T13:55"));
        let e = one("\u{200E}[3/6/18 1:55:00 p. m.] a: m");
        assert_eq!(e.time, dt("2018-06-03T13:55"));
        assert_eq!(e.text, "m");
        let e = one("[12/01/2023, 10:00:00\u{202F}AM] Ana: hola");
        assert_eq!(e.time, dt("2023-01-12T10:00"));
    }

    #[test]
    fn year_first() {
        let parsed = p("2019/01/30, 20:49 - Jahn Doe: x\n2022/12/14, 13:34. - John: y");
        assert_eq!(parsed.entries[0].time, dt("2019-01-30T20:49"));
        assert_eq!(parsed.entries[1].time, dt("2022-12-14T13:34"));
        assert_eq!(parsed.entries[1].author.as_deref(), Some("John"));
        assert_eq!(parsed.date_order, Some((DateOrder::YearFirst, true)));
        assert_eq!(
            one("[2018/06/13, 21:25:15] a: m").time,
            dt("2018-06-13T21:25:15")
        );
    }

    #[test]
    fn year_in_the_middle() {
        assert_eq!(
            one("[06/2018/13, 21:25:15] a: m").time,
            dt("2018-06-13T21:25:15")
        );
    }

    #[test]
    fn dotted_and_dashed_dates() {
        let parsed = p("[10.21.21, 15:21:45] John Doe: a\n10.24.21, 15:21:43 - John-John Doe: b");
        assert_eq!(parsed.entries[0].time, dt("2021-10-21T15:21:45"));
        assert_eq!(parsed.entries[1].time, dt("2021-10-24T15:21:43"));
        assert_eq!(parsed.entries[1].author.as_deref(), Some("John-John Doe"));
        assert_eq!(parsed.date_order, Some((DateOrder::MonthFirst, true)));
        assert_eq!(
            one("13.06.18, 21:25 - Max: hallo").time,
            dt("2018-06-13T21:25")
        );
        assert_eq!(
            one("03-06-2018, 01.55 PM - a: m").time,
            dt("2018-06-03T13:55")
        );
        assert_eq!(
            one("09-10-2022 10:37:00 p.m. - John Doe: dashes").time,
            dt("2022-10-09T22:37")
        );
    }

    #[test]
    fn german_spaced_date_and_bare_space_separator() {
        let e = one("13. 6. 2018. 21:25:15 a: m");
        assert_eq!(e.time, dt("2018-06-13T21:25:15"));
        assert_eq!(e.author.as_deref(), Some("a"));
        assert_eq!(e.text, "m");
    }

    #[test]
    fn colon_separator_after_dotted_time() {
        let e = one("13.06.18 21.25.15: a: m");
        assert_eq!(e.time, dt("2018-06-13T21:25:15"));
        assert_eq!(e.author.as_deref(), Some("a"));
        assert_eq!(e.text, "m");
    }

    #[test]
    fn finnish_klo() {
        let e = one("13.6.2018 klo 21.25.15 - a: m");
        assert_eq!(e.time, dt("2018-06-13T21:25:15"));
        assert_eq!(e.text, "m");
    }

    #[test]
    fn weak_separators_only_count_without_strong_ones() {
        // In an Android export, a message line shaped like "date time word" is text.
        let parsed = p(
            "12/10/2021, 09:00 - Ana: plan:\n12/10/2021 10:00 meeting moved\n13/10/2021 11:00: room: B",
        );
        assert_eq!(parsed.entries.len(), 1);
        assert_eq!(
            parsed.entries[0].text,
            "plan:\n12/10/2021 10:00 meeting moved\n13/10/2021 11:00: room: B"
        );
    }

    // ---- date order ----------------------------------------------------------------------

    #[test]
    fn order_is_inferred_from_the_whole_file() {
        // The deciding line comes last; the first is read with the order it decides.
        let parsed = p("03/04/21, 10:00 - a: x\n04/13/21, 10:00 - a: y");
        assert_eq!(parsed.date_order, Some((DateOrder::MonthFirst, true)));
        assert_eq!(parsed.entries[0].time, dt("2021-03-04T10:00"));
        let parsed = p("03/04/21, 10:00 - a: x\n13/04/21, 10:00 - a: y");
        assert_eq!(parsed.date_order, Some((DateOrder::DayFirst, true)));
        assert_eq!(parsed.entries[0].time, dt("2021-04-03T10:00"));
    }

    #[test]
    fn undecided_file_is_day_first_and_says_so() {
        let parsed = p("06/03/2017, 00:45 - a: x\n08/05/2017, 01:48 - b: y");
        assert_eq!(parsed.date_order, Some((DateOrder::DayFirst, false)));
        assert_eq!(parsed.entries[0].time, dt("2017-03-06T00:45"));
    }

    #[test]
    fn forced_order_overrides_inference() {
        let line = "3/6/18, 1:55 p.m. - a: m";
        let e = &p_with(line, DateOrder::DayFirst).entries[0];
        assert_eq!(e.time, dt("2018-06-03T13:55"));
        let parsed = p_with(line, DateOrder::MonthFirst);
        assert_eq!(parsed.entries[0].time, dt("2018-03-06T13:55"));
        assert_eq!(parsed.date_order, Some((DateOrder::MonthFirst, true)));
        // Forcing against the file: 13 is not a month, so the line is skipped, not guessed.
        let parsed = p_with("13/06/18, 10:00 - a: m", DateOrder::MonthFirst);
        assert!(parsed.entries.is_empty());
        assert_eq!(parsed.skipped.len(), 1);
        // Year-first with two-digit years.
        let parsed = p_with("18/06/13, 10:00 - a: m", DateOrder::YearFirst);
        assert_eq!(parsed.entries[0].time, dt("2018-06-13T10:00"));
        // A 4-digit field is the year whatever the configuration says.
        let parsed = p_with("2018/06/13, 10:00 - a: m", DateOrder::DayFirst);
        assert_eq!(parsed.entries[0].time, dt("2018-06-13T10:00"));
    }

    #[test]
    fn issue_237_two_and_one_digit_fields() {
        let parsed = p("30/12/2020 13:00 - a: m\n13/1/2021 13:00 - a: m");
        assert_eq!(parsed.entries[0].time, dt("2020-12-30T13:00"));
        assert_eq!(parsed.entries[1].time, dt("2021-01-13T13:00"));
    }

    #[test]
    fn two_digit_year_pivot() {
        assert_eq!(one("1/1/70, 00:00 - a: m").time, dt("1970-01-01T00:00"));
        assert_eq!(one("1/1/68, 00:00 - a: m").time, dt("2068-01-01T00:00"));
    }

    #[test]
    fn impossible_dates_and_times_are_skipped_with_their_lines() {
        let text = "31/01/21, 10:00 - a: ok\n30/02/21, 10:00 - a: bad date\nstill bad\n\
                    01/03/21, 25:00 - a: bad time\n01/03/21, 10:00 - a: ok again";
        let parsed = p(text);
        assert_eq!(parsed.entries.len(), 2);
        assert_eq!(parsed.entries[0].text, "ok");
        assert_eq!(parsed.entries[1].line, 5);
        assert_eq!(parsed.skipped.len(), 2);
        assert_eq!(parsed.skipped[0].line, 2);
        assert!(
            parsed.skipped[0].reason.contains("30/02/21"),
            "{}",
            parsed.skipped[0].reason
        );
        assert!(parsed.skipped[0].reason.contains("day-first"));
        assert_eq!(parsed.skipped[1].line, 4);
        assert!(parsed.skipped[1].reason.contains("25:00"));
    }

    #[test]
    fn skip_reasons_read_as_formatted() {
        for n in (0..=u16::MAX).step_by(7).chain([0, 9, 10, 99, 100, 65_535]) {
            let mut s = String::new();
            push_decimal(&mut s, n);
            assert_eq!(s, n.to_string());
        }
        assert_eq!(
            no_such_date("30/02/21", DateOrder::DayFirst, 30, 2),
            "date 30/02/21 does not exist (read day-first: day 30 of month 2)"
        );
    }

    // ---- multi-line messages and line ends -----------------------------------------------

    #[test]
    fn multi_line_messages_keep_inner_blank_lines() {
        let text = "06/03/2017, 00:45 - Sample User: This is a test message\n\
                    09/04/2017, 01:50 - +410123456789: How are you?\n\nIs everything alright?\n";
        let parsed = p(text);
        assert_eq!(parsed.entries.len(), 2);
        assert_eq!(
            parsed.entries[1].text,
            "How are you?\n\nIs everything alright?"
        );
        assert_eq!(parsed.entries[1].author.as_deref(), Some("+410123456789"));
    }

    #[test]
    fn blank_line_between_messages_is_not_text() {
        let parsed = p("22/10/21, 15:21:46 - John: one\n\n23/10/21, 15:21:47 - John: two\n\n\n");
        assert_eq!(parsed.entries[0].text, "one");
        assert_eq!(parsed.entries[1].text, "two");
    }

    #[test]
    fn crlf_and_ios_bare_lf_inside_messages() {
        let text = "[15/01/25, 22:41:03] John: first\nsecond\nthird\r\n[15/01/25, 22:42:10] Sarah: a\r\nb\r\n";
        let parsed = p(text);
        assert_eq!(parsed.entries[0].text, "first\nsecond\nthird");
        assert_eq!(parsed.entries[1].text, "a\nb");
    }

    #[test]
    fn a_line_that_contains_a_date_is_text() {
        let text = "23/06/2018, 01:55 p.m. - Loris: one\ntwo\n2016-04-29 10:30:00\n\
                    see 12/01/2020, 10:00 - x: y\n  23/06/2018, 01:55 - z: w";
        let e = one(text);
        assert_eq!(
            e.text,
            "one\ntwo\n2016-04-29 10:30:00\nsee 12/01/2020, 10:00 - x: y\n  23/06/2018, 01:55 - z: w"
        );
        assert_eq!(e.kind, Kind::Message);
    }

    #[test]
    fn leading_lines_are_reported() {
        let parsed = p("garbage\n\nmore\n01/02/21, 10:00 - a: m\n");
        assert_eq!(parsed.leading_lines, vec![1, 2, 3]);
        assert_eq!(parsed.entries[0].line, 4);
        let parsed = p("no entries\nat all\n");
        assert_eq!(parsed.leading_lines, vec![1, 2]);
        assert_eq!(parsed.date_order, None);
        let parsed = p("");
        assert!(parsed.entries.is_empty() && parsed.leading_lines.is_empty());
    }

    #[test]
    fn texts_and_authors_borrow_from_the_export_when_written_as_read() {
        let text = "[15/01/25, 22:41:03] John: one\ntwo\n\n\
                    [15/01/25, 22:41:04] John: \u{200E}<attached: x.jpg>\n\
                    [15/01/25, 22:41:05] \u{202A}+49 176\u{202C}: a\r\nb\r\n\
                    [15/01/25, 22:41:06] ~ Ann: single\r\n";
        let parsed = p(text);
        let got: Vec<(bool, bool)> = parsed
            .entries
            .iter()
            .map(|e| {
                (
                    matches!(e.text, Cow::Borrowed(_)),
                    matches!(e.author, Some(Cow::Borrowed(_))),
                )
            })
            .collect();
        assert_eq!(
            got,
            [(true, true), (false, true), (false, false), (true, true)]
        );
        assert_eq!(parsed.entries[0].text, "one\ntwo");
        assert_eq!(parsed.entries[1].text, "<attached: x.jpg>");
        assert_eq!(parsed.entries[2].text, "a\nb");
        assert_eq!(parsed.entries[2].author.as_deref(), Some("+49 176"));
        assert_eq!(parsed.entries[3].text, "single");
        assert_eq!(parsed.entries[3].author.as_deref(), Some("Ann"));
    }

    #[test]
    fn notices_are_recognised_in_any_case_and_script() {
        assert!(is_notice("\u{200E}IMAGE OMITTED"));
        assert!(is_notice("\u{200E}\u{200E} <Attached: a.jpg> "));
        assert!(is_notice("\u{200E}x.jpg (DATEI ANGEHÄNGT)"));
        assert!(is_notice("\u{200E}Poll:\u{200E} lunch?"));
        // Text that is not ASCII is lowercased in full.
        assert!(is_notice("\u{200E}Foto_é.jpg OMITTED"));
        assert!(!is_notice("\u{200E}Foto_é.jpg"));
        assert!(is_notice("\u{200E}live location sHared"));
        assert!(!is_notice("\u{200E}Missed voice call"));
        assert!(!is_notice("\u{200E}omitted by the admin."));
    }

    // ---- system lines and authors --------------------------------------------------------

    #[test]
    fn android_system_lines() {
        let text = "7/6/17, 19:25 - Messages and calls are end-to-end encrypted. No one outside of this chat, not even WhatsApp, can read or listen to them. Tap to learn more.\n\
                    12/24/14, 17:08 - +12 345 578 created group \"Groupname\"\n\
                    12/24/14, 17:08 - You were added\n\
                    06/03/2017, 00:45 - You created group \"Test\"\nThis is another line";
        let parsed = p(text);
        assert_eq!(parsed.entries.len(), 4);
        for e in &parsed.entries {
            assert_eq!(e.kind, Kind::System);
            assert_eq!(e.author, None);
        }
        assert_eq!(
            parsed.entries[1].text,
            "+12 345 578 created group \"Groupname\""
        );
        assert_eq!(parsed.entries[2].text, "You were added");
        assert_eq!(
            parsed.entries[3].text,
            "You created group \"Test\"\nThis is another line"
        );
    }

    #[test]
    fn ios_system_lines() {
        let text = "[14.08.24, 21:00:10] My Group: \u{200E}Messages and calls are end-to-end encrypted.\n\
                    [14.08.24, 21:00:11] \u{200E}Boris added you\n\
                    [14.08.24, 21:00:12] Boris: \u{200E}image omitted\n\
                    [14.08.24, 21:00:13] Boris: \u{200E}This message was deleted.\n\
                    [14.08.24, 21:00:14] Boris: \u{200E}<attached: 00000003-VIDEO.mp4>\n\
                    [14.08.24, 21:00:15] Boris: \u{200E}Missed voice call\n\
                    [14.08.24, 21:00:16] Boris: plain text\n\
                    [14.08.24, 21:00:17] You were added";
        let parsed = p(text);
        let got: Vec<(Kind, Option<&str>, &str)> = parsed
            .entries
            .iter()
            .map(|e| (e.kind, e.author.as_deref(), &*e.text))
            .collect();
        assert_eq!(
            got,
            [
                (
                    Kind::System,
                    None,
                    "Messages and calls are end-to-end encrypted."
                ),
                (Kind::System, None, "Boris added you"),
                (Kind::Message, Some("Boris"), "image omitted"),
                (Kind::Message, Some("Boris"), "This message was deleted."),
                (
                    Kind::Message,
                    Some("Boris"),
                    "<attached: 00000003-VIDEO.mp4>"
                ),
                (Kind::System, None, "Missed voice call"),
                (Kind::Message, Some("Boris"), "plain text"),
                (Kind::System, None, "You were added"),
            ]
        );
    }

    #[test]
    fn media_deleted_and_edited_are_messages() {
        let text = "1/15/25, 10:33 AM - Sarah: <Media omitted>\n\
                    1/15/25, 10:34 AM - Sarah: sounds good <This message was edited>\n\
                    1/15/25, 10:45 AM - John: This message was deleted\n\
                    1/15/25, 10:46 AM - John: This message was deleted.\n\
                    1/15/25, 10:47 AM - a: < attached: 00000042-PHOTO-2020-06-07-15-13-20.jpg >\n\
                    1/15/25, 10:48 AM - a: IMG-20210428-WA0001.jpg (file attached)\n\
                    1/15/25, 10:49 AM - a: 2015-08-04-PHOTO-00004762.jpg <\u{200E}attached>\n\
                    1/15/25, 10:50 AM - a: \u{200E}4f2680f1db95a8454775cc2eefc95bfc.jpg (Datei angehängt)\nDir auch frohe Ostern.";
        let parsed = p(text);
        let texts: Vec<&str> = parsed.entries.iter().map(|e| &*e.text).collect();
        assert_eq!(
            texts,
            [
                "<Media omitted>",
                "sounds good <This message was edited>",
                "This message was deleted",
                "This message was deleted.",
                "< attached: 00000042-PHOTO-2020-06-07-15-13-20.jpg >",
                "IMG-20210428-WA0001.jpg (file attached)",
                "2015-08-04-PHOTO-00004762.jpg <attached>",
                "4f2680f1db95a8454775cc2eefc95bfc.jpg (Datei angehängt)\nDir auch frohe Ostern.",
            ]
        );
        assert!(parsed.entries.iter().all(|e| e.kind == Kind::Message));
    }

    #[test]
    fn author_is_up_to_the_first_colon_space() {
        let e = one("06/10/20, 15:55 - John-John Doe: Lorem ipsum : dolor sit amet.");
        assert_eq!(e.author.as_deref(), Some("John-John Doe"));
        assert_eq!(e.text, "Lorem ipsum : dolor sit amet.");
        let e = one("06/10/20, 15:55 - Ana: see 10:30: ok");
        assert_eq!(e.author.as_deref(), Some("Ana"));
        assert_eq!(e.text, "see 10:30: ok");
        let e = one("[10.24.21, 15:21:43] John-John Doe: Testing dash - in message body");
        assert_eq!(e.text, "Testing dash - in message body");
    }

    #[test]
    fn phone_and_emoji_authors() {
        assert_eq!(
            one("7/16/17, 19:13 - +12 345 578: Lorem ipsum.")
                .author
                .as_deref(),
            Some("+12 345 578")
        );
        assert_eq!(
            one("12/20/21, 12:10 - 🤓: Lorem ipsum 🤓")
                .author
                .as_deref(),
            Some("🤓")
        );
        assert_eq!(
            one("12/20/21, 12:10 - John Doe 🤓: x").author.as_deref(),
            Some("John Doe 🤓")
        );
        // Phone numbers keep U+2011 (as written); embeddings around them go.
        assert_eq!(
            one("[1/2/24, 10:00:00] \u{202A}+49 176\u{2011}1234\u{202C}: hi")
                .author
                .as_deref(),
            Some("+49 176\u{2011}1234")
        );
    }

    #[test]
    fn tilde_prefix_is_not_part_of_the_name() {
        for prefix in ["~ ", "~\u{202F}", "~\u{A0}"] {
            let line = format!("[5.05.2017 18:07:53] {prefix}Dicle: Baba");
            let e = one(&line);
            assert_eq!(e.author.as_deref(), Some("Dicle"), "{prefix:?}");
        }
        assert_eq!(
            one("[5.05.2017 18:07:53] ~Dicle: x").author.as_deref(),
            Some("~Dicle")
        );
    }

    #[test]
    fn empty_and_disappeared_texts() {
        let e = one("03/02/17, 18:42 - Luke: ");
        assert_eq!(
            (e.kind, e.author.as_deref(), &*e.text),
            (Kind::Message, Some("Luke"), "")
        );
        let e = one("03/02/17, 18:42 - Luke:");
        assert_eq!(
            (e.kind, e.author.as_deref(), &*e.text),
            (Kind::Message, Some("Luke"), "")
        );
        let e = one("12/24/19, 11:23 - John Doe:.");
        assert_eq!(
            (e.kind, e.author.as_deref(), &*e.text),
            (Kind::Message, Some("John Doe"), ".")
        );
    }

    #[test]
    fn parser_js_formats() {
        let a = dt("2018-06-03T13:55");
        let b = dt("2018-06-13T21:25:15");
        let cases = [
            ("3/6/18, 1:55 p.m. - a: m", a),
            ("03-06-2018, 01.55 PM - a: m", a),
            ("13.06.18 21.25.15: a: m", b),
            ("[06.13.18 21:25:15] a: m", b),
            ("13.6.2018 klo 21.25.15 - a: m", b),
            ("13. 6. 2018. 21:25:15 a: m", b),
            ("[3/6/18 1:55:00 p. m.] a: m", a),
            ("\u{200E}[3/6/18 1:55:00 p. m.] a: m", a),
            ("[2018/06/13, 21:25:15] a: m", b),
            ("[06/2018/13, 21:25:15] a: m", b),
            ("3/6/2018 1:55 p.\u{A0}m. - a: m", a),
            ("3/6/18, 1:55\u{202F}PM - a: m", a),
            (
                "23/06/2018, 01:55 a.m. - Luke: Hey!",
                dt("2018-06-23T01:55"),
            ),
        ];
        for (line, want) in cases {
            let e = one(line);
            assert_eq!(e.time, want, "{line}");
            assert_eq!(e.kind, Kind::Message, "{line}");
            assert!(matches!(e.author.as_deref(), Some("a" | "Luke")), "{line}");
            assert!(matches!(&*e.text, "m" | "Hey!"), "{line}");
        }
    }

    // ---- robustness ----------------------------------------------------------------------

    /// A small deterministic generator (xorshift): no test dependency needed.
    struct Rng(u64);

    impl Rng {
        fn below(&mut self, n: usize) -> usize {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 % n.max(1) as u64) as usize
        }
    }

    #[test]
    fn garbage_never_panics() {
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
        // Lines built slot by slot from header parts, near-misses and junk, then cut or spliced
        // at random places: most are headers or almost headers, which is where a scanner breaks.
        // Each slot: (options, how many of the first ones make a valid header).
        let slots: &[(&[&'static str], usize)] = &[
            (&["", "\u{200E}", "\u{200F}\u{202B}", "\u{FEFF}", "x"], 2),
            (&["", "[", "[["], 2),
            (&["1", "12", "31", "2024", "0", "123", "99999", ""], 4),
            (&["/", ".", "-", ". ", ":", ""], 4),
            (&["6", "13", "02", "2018", ""], 3),
            (&["/", ".", "-", ". ", ""], 4),
            (&["18", "2021", "7", "", "00"], 2),
            (&["", ".", ","], 3),
            (&[", ", " ", " klo ", ",", "\u{A0}", ""], 3),
            (&["1", "21", "99", "", "0"], 2),
            (&[":", ".", ""], 2),
            (&["55", "00", "5", "61", ""], 2),
            (&["", ":15", ".15", ":9", ":", "."], 3),
            (
                &[
                    "",
                    " PM",
                    "\u{202F}am",
                    " p. m.",
                    " a.\u{A0}m.",
                    "PM",
                    " p",
                    " pm.",
                ],
                6,
            ),
            (&[" - ", "] ", " ", ": ", " \u{2013} ", "", "]", " -"], 5),
            (
                &[
                    "Name: ",
                    "~ Ann: ",
                    "\u{200E}",
                    "+1 234: ",
                    "🤓:",
                    "a:.",
                    "x: \u{200E}image omitted",
                    "",
                ],
                7,
            ),
            (
                &[
                    "text",
                    "\u{200E}<attached: a.jpg>",
                    "é🤓",
                    "see 10:30: ok",
                    " ",
                    "",
                ],
                6,
            ),
            (&["\n", "\r\n", "\n\n", "", "\r"], 3),
        ];
        // Mostly options that fit a header, one time in ten anything.
        let pick = |rng: &mut Rng, (options, good): (&[&'static str], usize)| -> &'static str {
            let n = if rng.below(10) == 0 {
                options.len()
            } else {
                good
            };
            options[rng.below(n)]
        };
        let mut reached = 0;
        for _ in 0..3000 {
            let mut s = String::new();
            for _ in 0..rng.below(8) {
                let mut line = String::new();
                for slot in slots {
                    line.push_str(pick(&mut rng, *slot));
                }
                if rng.below(3) == 0 {
                    let cuts: Vec<usize> = line.char_indices().map(|(i, _)| i).collect();
                    if !cuts.is_empty() {
                        let at = cuts[rng.below(cuts.len())];
                        if rng.below(2) == 0 {
                            line.truncate(at);
                        } else {
                            let slot = slots[rng.below(slots.len())];
                            line.insert_str(at, pick(&mut rng, slot));
                        }
                    }
                }
                s.push_str(&line);
            }
            let parsed = p(&s);
            reached += parsed.entries.len() + parsed.skipped.len();
        }
        // The generator makes mostly headers: the deep paths of the scanner were exercised.
        assert!(reached > 200, "{reached}");
        for _ in 0..200 {
            let len = rng.below(300);
            let bytes: Vec<u8> = (0..len).map(|_| rng.below(256) as u8).collect();
            let s = String::from_utf8_lossy(&bytes).into_owned();
            p(&s);
        }
        let long = "12/12/12, 12:12 - a: ".to_string() + &"x".repeat(1 << 20);
        assert_eq!(p(&long).entries[0].text.len(), 1 << 20);
        p(&"[".repeat(100_000));
        p(&"[\n".repeat(10_000));
        p(&"1/2/3/4/5/6/7/8/9/".repeat(10_000));
        p(&"1/1/1111111111111111111111".repeat(100));
        p(&"12/12/12, 12:12".repeat(1000));
        p("12/12/12, 12:12 -");
        p("12/12/12, 12:12 - ");
        p("[12/12/12, 12:12]");
        p("12/12/12, 12:12 p");
        p("12/12/12, 12:12 p.");
        p("12/12/12, 12:12 p.\u{A0}");
        p("99/99/99, 99:99:99 - a: b");
        p("0/0/00, 0:00 - a: b");
        p("\u{200E}");
        p("\u{200E}\u{200E}\u{200E}[");
        p("\r\n\r\n\n");
    }

    // ---- real exports --------------------------------------------------------------------

    fn realdata() -> Option<std::path::PathBuf> {
        let dir = std::env::var_os("HANDOFF_REALDATA")
            .map(std::path::PathBuf::from)
            .unwrap_or_else(|| {
                concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/realdata/whatsapp").into()
            });
        if dir.is_dir() {
            Some(dir)
        } else {
            eprintln!(
                "skipping: WhatsApp sample exports not found at {} (set HANDOFF_REALDATA to the realdata/whatsapp folder)",
                dir.display()
            );
            None
        }
    }

    fn read(path: &std::path::Path) -> String {
        let s = std::fs::read_to_string(path).unwrap();
        s.strip_prefix('\u{FEFF}').unwrap_or(&s).to_string()
    }

    /// An entry as chat-miner represents it: timestamp, author ("System" for system lines) and the
    /// message with line breaks joined by spaces and no-break spaces folded (it applies NFKC). It
    /// writes `Name:.` as "<Disappearing Message>".
    fn chat_miner_view(source: &str, e: &Entry) -> (String, String, String) {
        let ts = e.time.strftime("%Y-%m-%d %H:%M:%S").to_string();
        let author = e.author.as_deref().unwrap_or("System").to_string();
        let first = source.lines().nth(e.line - 1).unwrap_or("");
        let text = if first.ends_with(":.") && e.text == "." {
            "<Disappearing Message>".to_string()
        } else {
            e.text
                .replace('\n', " ")
                .replace(['\u{A0}', '\u{202F}'], " ")
        };
        (ts, author, text)
    }

    #[test]
    fn chat_miner_exports_match_their_expected_output() {
        let Some(dir) = realdata() else { return };
        let dir = dir.join("chat-miner");
        let mut matched = Vec::new();

        // history/: X.txt with X_target.csv (timestamp or datetime, author, message, …), newest first.
        let history = dir.join("history");
        let mut files: Vec<_> = std::fs::read_dir(&history)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        files.sort();
        for txt in files
            .iter()
            .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        {
            let stem = txt.file_stem().unwrap().to_string_lossy().to_string();
            let target = history.join(format!("{stem}_target.csv"));
            if !target.is_file() {
                continue;
            }
            let source = read(txt);
            let parsed = p(&source);
            assert!(parsed.skipped.is_empty(), "{stem}: {:?}", parsed.skipped);
            let mut got: Vec<_> = parsed
                .entries
                .iter()
                .map(|e| chat_miner_view(&source, e))
                .collect();
            got.reverse();
            let mut want = Vec::new();
            let mut reader = ::csv::Reader::from_path(&target).unwrap();
            for row in reader.records() {
                let row = row.unwrap();
                want.push((row[0].to_string(), row[1].to_string(), row[2].to_string()));
            }
            assert_eq!(got, want, "{stem}");
            matched.push(stem);
        }

        // head/: every .txt holds the same chat in another date style; target.json lists its
        // messages newest first, without the system lines and the `Name:.` line.
        let head = dir.join("head");
        let target: serde_json::Value =
            serde_json::from_str(&read(&head.join("target.json"))).unwrap();
        let want: Vec<(String, String, String)> = target
            .as_array()
            .unwrap()
            .iter()
            .map(|m| {
                (
                    m["timestamp"].as_str().unwrap().replace('T', " "),
                    m["author"].as_str().unwrap().to_string(),
                    m["message"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        let mut files: Vec<_> = std::fs::read_dir(&head)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "txt"))
            .collect();
        files.sort();
        for txt in &files {
            let name = txt.file_name().unwrap().to_string_lossy().to_string();
            let source = read(txt);
            let parsed = p(&source);
            assert!(parsed.skipped.is_empty(), "{name}: {:?}", parsed.skipped);
            assert_eq!(parsed.entries.len(), 9, "{name}");
            assert_eq!(
                parsed
                    .entries
                    .iter()
                    .filter(|e| e.kind == Kind::System)
                    .count(),
                2,
                "{name}"
            );
            let mut got: Vec<_> = parsed
                .entries
                .iter()
                .filter(|e| e.kind == Kind::Message)
                .map(|e| chat_miner_view(&source, e))
                .filter(|v| v.2 != "<Disappearing Message>")
                .collect();
            got.reverse();
            assert_eq!(got, want, "{name}");
            matched.push(name);
        }
        eprintln!(
            "chat-miner: {} files match their expected output: {matched:?}",
            matched.len()
        );
        assert_eq!(matched.len(), 12);
    }

    #[test]
    fn chat_miner_testlog_mixes_every_style() {
        let Some(dir) = realdata() else { return };
        let source = read(&dir.join("chat-miner/history/testlog.txt"));
        let parsed = p(&source);
        assert!(parsed.skipped.is_empty(), "{:?}", parsed.skipped);
        assert_eq!(parsed.entries.len(), 23);
        assert_eq!(parsed.date_order, Some((DateOrder::MonthFirst, true)));
        let by_line = |n: usize| parsed.entries.iter().find(|e| e.line == n).unwrap();
        assert_eq!(by_line(17).time, dt("2019-12-24T23:30"));
        assert_eq!(by_line(18).time, dt("2022-09-10T22:37"));
        assert_eq!(by_line(19).text, "Testing brackets");
        assert_eq!(by_line(20).text, "Testing date dashes");
        assert_eq!(by_line(29).author.as_deref(), Some("🤓"));
        assert_eq!(by_line(29).time, dt("2022-12-24T13:01"));
        assert_eq!(
            parsed
                .entries
                .iter()
                .filter(|e| e.kind == Kind::System)
                .count(),
            3
        );
    }

    #[test]
    fn locket_exports() {
        let Some(dir) = realdata() else { return };
        let source = read(&dir.join("locket/whatsapp_android.txt"));
        let parsed = p(&source);
        assert_eq!(parsed.date_order, Some((DateOrder::MonthFirst, true)));
        let got: Vec<(usize, Kind, Option<&str>)> = parsed
            .entries
            .iter()
            .map(|e| (e.line, e.kind, e.author.as_deref()))
            .collect();
        assert_eq!(
            got,
            [
                (1, Kind::Message, Some("John")),
                (2, Kind::Message, Some("John")),
                (4, Kind::Message, Some("Sarah")),
                (5, Kind::Message, Some("Sarah")),
                (6, Kind::System, None),
                (7, Kind::Message, Some("John")),
                (8, Kind::System, None),
                (9, Kind::Message, Some("Sarah")),
            ]
        );
        assert_eq!(
            parsed.entries[1].text,
            "Actually let's do\nMonday instead, works better for me"
        );
        assert_eq!(parsed.entries[2].text, "<Media omitted>");
        assert_eq!(parsed.entries[5].text, "This message was deleted");
        assert_eq!(parsed.entries[7].time, dt("2025-01-15T11:02"));

        let source = read(&dir.join("locket/whatsapp_ios.txt"));
        let parsed = p(&source);
        assert_eq!(parsed.date_order, Some((DateOrder::DayFirst, true)));
        assert_eq!(parsed.entries.len(), 3);
        assert!(parsed.entries.iter().all(|e| e.kind == Kind::Message));
        assert_eq!(parsed.entries[1].time, dt("2025-01-15T22:41:30"));
        assert_eq!(parsed.entries[1].author.as_deref(), Some("John"));
        assert_eq!(
            parsed.entries[1].text,
            "<attached: 00000042-PHOTO-2025-01-15-22-41-20.jpg>"
        );
        assert_eq!(parsed.entries[2].author.as_deref(), Some("Sarah"));
    }

    #[test]
    fn whatsapp_chat_parser_js_short_chat() {
        let Some(dir) = realdata() else { return };
        let source = read(&dir.join("whatsapp-chat-parser-js/short-chat.txt"));
        let parsed = p(&source);
        assert_eq!(parsed.date_order, Some((DateOrder::DayFirst, false)));
        let got: Vec<(Kind, Option<&str>)> = parsed
            .entries
            .iter()
            .map(|e| (e.kind, e.author.as_deref()))
            .collect();
        assert_eq!(
            got,
            [
                (Kind::System, None),
                (Kind::System, None),
                (Kind::Message, Some("Sample User")),
                (Kind::Message, Some("TestBot")),
                (Kind::Message, Some("+410123456789")),
            ]
        );
        assert_eq!(parsed.entries[0].time, dt("2017-03-06T00:45"));
        assert_eq!(
            parsed.entries[4].text,
            "How are you?\n\nIs everything alright?"
        );
    }
}

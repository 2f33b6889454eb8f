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
//! and invisible direction marks are not part of a name. Notices, the openings of system notices
//! that hold a `": "`, and the 12-hour clock's markers besides the Latin `AM`/`a. m.` (`nachm.`,
//! `م`, `अपराह्न`) come from one table per language in `words`; markers of other languages
//! (`午後`) are not understood.
//!
//! Nothing is dropped silently: each line of the file is the first or a continuation line of an
//! [`Entry`], the first or a continuation line of a [`Skip`] (a start-of-entry line whose date or
//! time does not exist), or a line before the first entry ([`Parsed::leading_lines`]). Blank lines at
//! the end of a message (some exports put one between messages) belong to it but are not part of
//! its text: WhatsApp trims what is sent, so they never were.
//!
//! The reading is split along those steps: `head` recognises the start of an entry on a line,
//! `date` decides the file's date order and turns each start's numbers into a date and a time,
//! `author` tells a message from a system line and cleans the author's name, `text` joins an
//! entry's lines into its text, and `words` holds the words of each language they look for. This
//! module holds the two passes that run them, and the types they give.

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

mod author;
mod date;
mod digits;
mod head;
mod seen;
mod text;
mod words;

pub use author::Kind;
use author::clean_author;
pub use date::DateOrder;
pub(crate) use digits::western_heads;
use head::Head;
pub use seen::Seen;
use text::body;

#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Forced date order (from handoff.toml `[import.whatsapp] date_order`); None = infer.
    pub date_order: Option<DateOrder>,
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
    // Pass 1: find the lines that start like an entry.
    let (mut heads, total_lines) = head::find(text.as_bytes());

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
    let (date_order, day_month) = date::decide(&heads, options.date_order);
    scan.date_order = Some(date_order);

    // Every head's time, now that the order is known; the ones that have none are skips.
    for h in &mut heads {
        match date::resolve(h, text, day_month, force_year_first) {
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

#[cfg(test)]
mod tests;

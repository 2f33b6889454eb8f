//! Where records and fields end: the plain RFC 4180 splitter the parallel path reads chunks
//! with, the constructs it leaves to the `csv` crate ([`Unusual`]), and [`cut`], which finds where
//! a chunk may end.
//!
//! The splitter is the inner loop of a CSV replay, which is why it reads sixteen bytes at a time
//! and gives each field as soon as its end is found, rather than a list of fields per record.

use crate::block;
use crate::logs::Context;

/// A chunk holds CSV that the parallel path does not read, because a plain RFC 4180 reading of it
/// could differ from the `csv` crate's; the caller reads the whole input with
/// [`read`](super::read) instead. It is not a fault of the input: [`read`](super::read) accepts
/// it, so it is never shown to the user.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("{quirk} at byte {at} of the chunk")]
pub struct Unusual {
    /// Offset in the bytes given.
    pub at: usize,
    pub quirk: Quirk,
}

/// The constructs of CSV that only the `csv` crate reads (its state machine, csv-core 0.1, with
/// the default quote, no escape character and no comments).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Quirk {
    /// `ab"c`: the `csv` crate keeps the quote as text, and quote parity no longer tells where
    /// quoted fields are.
    #[error("a quote inside an unquoted field")]
    QuoteInField,
    /// `"ab"c`: the `csv` crate goes on reading the field unquoted.
    #[error("text after a closing quote")]
    AfterClosingQuote,
    /// A `\r` outside quotes not followed by `\n`: the `csv` crate ends a record there.
    #[error("a lone carriage return")]
    LoneCr,
    /// The bytes end inside a quoted field: at the end of a file the `csv` crate takes the rest of
    /// it as the field, but a chunk should never end there.
    #[error("a quoted field that does not end")]
    OpenQuote,
    /// A delimiter of `"`, `\r` or `\n`, which the `csv` crate reads in its own way.
    #[error("a delimiter that is a quote or a line break")]
    Delimiter,
}

fn unusual(at: usize, quirk: Quirk) -> Unusual {
    Unusual { at, quirk }
}

/// Where a field lies in the chunk, and whether it holds `""` escapes.
#[derive(Debug, Clone, Copy)]
pub(super) struct Span {
    pub(super) start: usize,
    pub(super) end: usize,
    pub(super) escaped: bool,
}

/// How a record ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Ended {
    /// At a line break; the offset just past the byte where the `csv` crate stops, which is the
    /// `\r` of a `\r\n` (it reads the `\n` with the next record, as a blank line).
    Break(usize),
    /// At the end of the bytes, without a line break.
    End,
}

/// Where [`Scanner::record`] is in the record it reads.
struct Reading {
    /// The field being read: where it starts, whether it starts with a quote, whether that
    /// quote is still open, where it closed, and whether it holds `""`.
    field: usize,
    quoted: bool,
    open: bool,
    close: usize,
    escaped: bool,
    /// A `\r` outside quotes, which may only come just before the line break.
    cr_end: Option<usize>,
}

/// Reads the plain RFC 4180 grammar; the `csv` crate reads these bytes the same way.
pub(super) struct Scanner<'c> {
    bytes: &'c [u8],
    delimiter: u8,
    /// Whether the bytes hold a `\r` at all: most files hold none, or one before every `\n`.
    cr: bool,
    /// Line breaks read so far.
    pub(super) newlines: u64,
}

impl<'c> Scanner<'c> {
    pub(super) fn new(bytes: &'c [u8], cx: &Context<'_>) -> Result<Self, Unusual> {
        let delimiter = cx.import.csv_delimiter;
        if matches!(delimiter, b'"' | b'\r' | b'\n') {
            return Err(unusual(0, Quirk::Delimiter));
        }
        Ok(Scanner {
            bytes,
            delimiter,
            cr: memchr::memchr(b'\r', bytes).is_some(),
            newlines: 0,
        })
    }

    /// Skips blank lines (the `csv` crate ignores them) from `pos`; gives where the record starts.
    pub(super) fn blank(&mut self, mut pos: usize) -> Result<usize, Unusual> {
        let b = self.bytes;
        while let Some(&c) = b.get(pos) {
            match c {
                b'\n' => self.newlines += 1,
                // A blank line's `\r` that ends the bytes ends the file (`cut` never ends a chunk
                // among blank lines), or `head` is given more bytes and sees what follows.
                b'\r' if matches!(b.get(pos + 1), None | Some(b'\n')) => {}
                b'\r' => return Err(unusual(pos, Quirk::LoneCr)),
                _ => break,
            }
            pos += 1;
        }
        Ok(pos)
    }

    /// Reads the record starting at `pos` (not a blank line), giving each field to `spans` as soon
    /// as its end is found.
    ///
    /// Sixteen bytes at a time ([`block`]): the delimiters, quotes, line breaks and (when the
    /// bytes hold any) carriage returns of a block are found as bit masks. A block of an unquoted
    /// field that holds only delimiters (most blocks) is split at once; the others are read one
    /// special byte after another, in order ([`Scanner::specials`]). A `memchr` per field or per
    /// line costs more than it saves on fields a few bytes long.
    pub(super) fn record(
        &mut self,
        pos: usize,
        spans: &mut impl FnMut(Span),
    ) -> Result<Ended, Unusual> {
        let b = self.bytes;
        let n = b.len();
        let mut r = Reading {
            field: pos,
            quoted: false,
            open: false,
            close: 0,
            escaped: false,
            cr_end: None,
        };
        let mut at = pos;
        while at < n {
            let (block, there) = block::at(b, at);
            let delimiters = block.eq(self.delimiter) & there;
            let mut others = (block.eq(b'"') | block.eq(b'\n')) & there;
            if self.cr {
                others |= block.eq(b'\r') & there;
            }
            if others == 0 && !r.quoted {
                // Only delimiters, outside quotes (a field that is not quoted is never open).
                let mut hits = delimiters;
                while hits != 0 {
                    let i = at + hits.trailing_zeros() as usize;
                    hits &= hits - 1;
                    spans(span(r.field, i, false, 0, false));
                    r.field = i + 1;
                }
                at += 16;
                continue;
            }
            if let Some(ended) = self.specials(&mut r, at, delimiters | others, spans)? {
                return Ok(ended);
            }
            at += 16;
        }
        if r.open {
            return Err(unusual(r.field, Quirk::OpenQuote));
        }
        let end = r.cr_end.unwrap_or(n);
        if r.quoted && end != r.close + 1 {
            return Err(unusual(r.close + 1, Quirk::AfterClosingQuote));
        }
        spans(span(r.field, end, r.quoted, r.close, r.escaped));
        Ok(Ended::End)
    }

    /// Reads the special bytes of the block at `at` in order (`hits` has a bit for each, from the
    /// first): a quote, line break or carriage return, or a delimiter of a block that holds
    /// others. Gives how the record ended when one of them ends it.
    // Inlined: a part of the loop of `record`, where it is called for every block that is not
    // only delimiters.
    #[inline(always)]
    fn specials(
        &mut self,
        r: &mut Reading,
        at: usize,
        mut hits: u32,
        spans: &mut impl FnMut(Span),
    ) -> Result<Option<Ended>, Unusual> {
        let b = self.bytes;
        while hits != 0 {
            let i = at + hits.trailing_zeros() as usize;
            hits &= hits - 1;
            let c = b[i];
            if r.open {
                // A delimiter, `\r` or line break inside quotes is text.
                match c {
                    b'"' => {
                        r.open = false;
                        r.close = i;
                    }
                    b'\n' => self.newlines += 1,
                    _ => {}
                }
                continue;
            }
            if c == b'\n' {
                let end = r.cr_end.unwrap_or(i);
                if r.quoted && end != r.close + 1 {
                    return Err(unusual(r.close + 1, Quirk::AfterClosingQuote));
                }
                spans(span(r.field, end, r.quoted, r.close, r.escaped));
                return Ok(Some(if r.cr_end.is_some() {
                    // The `csv` crate stops after the `\r`, and reads the `\n` with the next
                    // record.
                    Ended::Break(i)
                } else {
                    self.newlines += 1;
                    Ended::Break(i + 1)
                }));
            }
            if r.quoted && i != r.close + 1 {
                return Err(unusual(r.close + 1, Quirk::AfterClosingQuote));
            }
            if c == b'"' {
                if r.quoted {
                    // `""` inside quotes.
                    r.open = true;
                    r.escaped = true;
                } else if i == r.field {
                    r.quoted = true;
                    r.open = true;
                } else {
                    return Err(unusual(i, Quirk::QuoteInField));
                }
            } else if c == b'\r' {
                // Only a line break, or the end of the bytes, may follow.
                if b.get(i + 1).is_some_and(|&next| next != b'\n') {
                    return Err(unusual(i, Quirk::LoneCr));
                }
                r.cr_end = Some(i);
            } else {
                spans(span(r.field, i, r.quoted, r.close, r.escaped));
                r.field = i + 1;
                r.quoted = false;
                r.escaped = false;
            }
        }
        Ok(None)
    }
}

/// A field that ends at `end` (a delimiter or the end of the record): the text between its
/// quotes when it is quoted.
fn span(field: usize, end: usize, quoted: bool, close: usize, escaped: bool) -> Span {
    if quoted {
        Span {
            start: field + 1,
            end: close,
            escaped,
        }
    } else {
        Span {
            start: field,
            end,
            escaped: false,
        }
    }
}

/// Where to end a chunk taken from `buf`, which starts where a record starts: just past the line
/// break that ends the last record with a line break in `buf`, where the `csv` crate's reading
/// of that record stops. That is just past its `\n`, or just past the `\r` of a `\r\n`, and
/// before any blank lines after it, so that the next chunk starts at the `csv` crate's position
/// for the next record (whose line number is that position's). `None` when no record in `buf`
/// ends with a line break. Quotes are counted, not parsed: the answer is right whenever every
/// quote is one [`parse_chunk`](super::parse_chunk) accepts, and otherwise `parse_chunk` answers
/// [`Unusual`] for the chunk that holds the first quote it does not accept, at or before the cut.
pub fn cut(buf: &[u8]) -> Option<usize> {
    // From the end, so that the bytes are scanned once by a vectorised count, and backwards only
    // as far as the last line break outside quotes.
    let mut quotes = memchr::memchr_iter(b'"', buf).count();
    let mut end = buf.len();
    let newline = loop {
        let at = memchr::memrchr2(b'"', b'\n', &buf[..end])?;
        if buf[at] == b'"' {
            quotes -= 1;
        } else if quotes.is_multiple_of(2) {
            break at;
        }
        end = at;
    };
    // Back over the blank lines to the line break that ends the record.
    let first = buf[..newline]
        .iter()
        .rposition(|&c| c != b'\n' && c != b'\r')?
        + 1;
    Some(first + 1)
}

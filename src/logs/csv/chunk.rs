//! The parallel path: the header read once from a file's first bytes ([`head`]), then each chunk
//! of rows parsed on its own core ([`parse_chunk`]) into messages that borrow their text from the
//! chunk.

use std::borrow::Cow;

use super::cells::{checked, parse_row, put_cell, wrong_width};
use super::columns::{BOM, Head};
use super::split::{Ended, Quirk, Scanner, Span, Unusual};
use crate::logs::accounting::Reason;
use crate::logs::{Context, Rows};

/// The header record at the start of a file's `bytes`: the [`Head`], the bytes it took and the
/// `\n`s among them. The first chunk of rows starts at that offset, on line `1 + newlines`. The
/// bytes taken end where the `csv` crate's reading of the header ends: after its `\n`, or after
/// the `\r` of a `\r\n` (the `\n` then starts the first chunk, which reads it as a blank line);
/// a byte-order mark and blank lines before the header are taken too.
///
/// `Ok(None)` when `bytes` holds no whole header record yet, line break included (a `\r` must be
/// followed by the byte after it): the caller gives more bytes, or when `bytes` is the whole
/// file, the file has no rows (it is empty, blank, or a header without a line break), and
/// [`read`](super::read) reads no record from it either.
pub fn head(bytes: &[u8], cx: &Context<'_>) -> Result<Option<(Head, usize, u64)>, Unusual> {
    // The `csv` crate drops a byte-order mark when it opens the file; a prefix of one may still be.
    if bytes.len() < BOM.len() && !bytes.is_empty() && BOM.starts_with(bytes) {
        return Ok(None);
    }
    let from = if bytes.starts_with(BOM) { BOM.len() } else { 0 };
    let mut scan = Scanner::new(bytes, cx)?;
    let start = scan.blank(from)?;
    if start == bytes.len() {
        return Ok(None);
    }
    let mut spans = Vec::new();
    let used = match scan.record(start, &mut |s| spans.push(s)) {
        Ok(Ended::Break(used)) => used,
        // The header goes on in bytes not given yet, or the file ends inside it.
        Ok(Ended::End)
        | Err(Unusual {
            quirk: Quirk::OpenQuote,
            ..
        }) => {
            return Ok(None);
        }
        Err(e) => return Err(e),
    };
    let cells = spans.iter().map(|s| {
        let raw = &bytes[s.start..s.end];
        if s.escaped {
            Cow::Owned(unescape(raw))
        } else {
            Cow::Borrowed(raw)
        }
    });
    Ok(Some((Head::new(cells, cx), used, scan.newlines)))
}

/// A quoted field's text with each `""` read as `"`.
fn unescape(raw: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(i) = memchr::memchr(b'"', rest) {
        out.extend_from_slice(&rest[..=i]);
        // The quote after it is its escape.
        rest = rest.get(i + 2..).unwrap_or_default();
    }
    out.extend_from_slice(rest);
    out
}

/// Parses the records of `chunk`, which starts where a record starts (at a [`cut`](super::cut),
/// or where [`head`] says the rows start) and ends at a cut or at the end of the file, giving
/// `rows` every row in order: the message, with fields borrowed from `chunk` (only a quoted field
/// with `""` in it is copied), or why the row is skipped. Lines and records are those
/// [`read`](super::read) gives; `first_line` is the line of the chunk's first byte. Returns the
/// chunk's line breaks.
///
/// On `Err(Unusual)`, the records already given to `rows` are to be dropped with the rest: the
/// caller reads the whole input with [`read`](super::read) instead.
pub fn parse_chunk<'a>(
    chunk: &'a [u8],
    head: &'a Head,
    first_line: u64,
    cx: &Context<'_>,
    rows: &mut dyn Rows<'a>,
) -> Result<u64, Unusual> {
    let mut scan = Scanner::new(chunk, cx)?;
    // One check of the whole chunk instead of one per field: a chunk that is UTF-8 without NULs
    // has fields that are too, as they are split at ASCII bytes (so `str::get` never misses).
    let text = simdutf8::basic::from_utf8(chunk)
        .ok()
        .filter(|_| memchr::memchr(0, chunk).is_none());
    let mut spans: Vec<Span> = Vec::with_capacity(head.width + 1);
    let mut pos = 0;
    loop {
        // The `csv` crate's position when it starts reading a record: before blank lines.
        let line = first_line + scan.newlines;
        pos = scan.blank(pos)?;
        if pos >= chunk.len() {
            return Ok(scan.newlines);
        }
        let out = rows.slot();
        let wrong = |fields| Err((Reason::WrongFieldCount, wrong_width(fields, head)));
        let (ended, row) = match text {
            // Every cell is text: each goes into the message as soon as the splitter finds its
            // end, and the message is dropped if the row has the wrong number of fields.
            Some(text) => {
                let mut b = cx.builder();
                let mut fields = 0;
                let ended = scan.record(pos, &mut |s: Span| {
                    if let (Some(col), Some(cell)) =
                        (head.columns.get(fields), text.get(s.start..s.end))
                    {
                        put_cell(&mut b, col, cell, s.escaped);
                    }
                    fields += 1;
                })?;
                let row = if fields == head.width {
                    b.finish_into(out)
                } else {
                    wrong(fields)
                };
                (ended, row)
            }
            // Cells are checked one by one, so that the skip names the first bad one.
            None => {
                spans.clear();
                let ended = scan.record(pos, &mut |s| spans.push(s))?;
                let row = if spans.len() == head.width {
                    let cells = spans
                        .iter()
                        .enumerate()
                        .map(|(i, s)| checked(i, &chunk[s.start..s.end]).map(|t| (t, s.escaped)));
                    parse_row(cells, &head.columns, cx, |b| b.finish_into(out))
                } else {
                    wrong(spans.len())
                };
                (ended, row)
            }
        };
        if row.is_ok()
            && let Some(m) = out.last_mut()
        {
            m.origin = cx.origin(line);
        }
        rows.row(line, row);
        match ended {
            Ended::Break(next) => pos = next,
            Ended::End => return Ok(scan.newlines),
        }
    }
}

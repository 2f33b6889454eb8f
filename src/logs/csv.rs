//! CSV (`.csv`): a header row, then one message per row.
//!
//! Columns are matched to fields by `[import.csv.columns]` in `handoff.toml` first (canonical
//! field = column name), then by the canonical names and their aliases, then `segment.<field>` /
//! `segment_<field>`; other columns are ignored. Quoted fields may hold delimiters and line
//! breaks. A row with a different number of fields from the header is skipped, as is a row whose
//! bytes are not UTF-8 or hold a NUL.
//!
//! Two readers give the same records. [`read`] streams any input through the `csv` crate, one
//! owned row at a time. The parallel path cuts a file in memory into chunks that end where a
//! record ends ([`cut`]), reads the header once ([`head`]) and parses each chunk on its own core
//! ([`parse_chunk`]) into messages that borrow their text from the chunk. That parser reads plain
//! RFC 4180 (quotes only around whole fields, `""` inside them, records ended by `\n` or `\r\n`)
//! and answers [`Unusual`] for anything else, where the `csv` crate's reading is subtler (a quote
//! inside an unquoted field is text, a lone `\r` ends a record); the caller then reads the whole
//! input with [`read`]. Line numbers are the `csv` crate's: a record's line is where its reading
//! starts, just after the previous record, so before any blank lines, and on the previous
//! record's last line when that ended with `\r\n` (the `\n` is read with the next record).

use std::borrow::Cow;
use std::collections::HashMap;

use crate::block;
use crate::error::Error;
use crate::logs::accounting::Reason;
use crate::logs::fields::{self, Builder, Field, Value};
use crate::logs::{Context, Emit, Rows};

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// What one column holds.
#[derive(Debug, Clone)]
enum Column {
    Field(Field, usize),
    Segment(String),
    Ignored,
}

fn columns(header: &[String], cx: &Context<'_>) -> Vec<Column> {
    // Configured names win over aliases: `[import.csv.columns] text = "message_body"`.
    let configured: HashMap<&str, &str> = cx
        .import
        .csv_columns
        .iter()
        .map(|(k, v)| (v.as_str(), k.as_str()))
        .collect();
    header
        .iter()
        .map(|name| {
            let name = name.trim();
            if let Some(canonical) = configured.get(name) {
                if let Some(f) = Field::canonical(canonical) {
                    return Column::Field(f, 0);
                }
                if let Some(seg) = fields::segment_field(canonical) {
                    return Column::Segment(seg.to_owned());
                }
            }
            if let Some((f, rank)) = Field::lookup(name) {
                // A column the configuration maps elsewhere does not also count under its own name.
                if cx.import.csv_columns.contains_key(f.name()) {
                    return Column::Ignored;
                }
                return Column::Field(f, rank + 1);
            }
            match fields::segment_field(name) {
                Some(seg) => Column::Segment(seg.to_owned()),
                None => Column::Ignored,
            }
        })
        .collect()
}

/// What reading a row needs from a file's header row: what each column holds, and how many
/// columns a row must have.
#[derive(Debug, Clone)]
pub struct Head {
    columns: Vec<Column>,
    width: usize,
}

impl Head {
    /// From the header row's cells as the `csv` crate gives them (quotes removed). A byte-order
    /// mark left at the start of the first cell is dropped: the `csv` crate drops one only when
    /// its first read sees all three bytes.
    fn new<C: AsRef<[u8]>>(cells: impl IntoIterator<Item = C>, cx: &Context<'_>) -> Head {
        let names: Vec<String> = cells
            .into_iter()
            .enumerate()
            .map(|(i, cell)| {
                let cell = cell.as_ref();
                let cell = if i == 0 {
                    cell.strip_prefix(BOM).unwrap_or(cell)
                } else {
                    cell
                };
                String::from_utf8_lossy(cell).into_owned()
            })
            .collect();
        Head {
            width: names.len(),
            columns: columns(&names, cx),
        }
    }

    /// How many fields a row must have.
    pub fn width(&self) -> usize {
        self.width
    }
}

/// Reads every row of one CSV input.
pub fn read(
    reader: Box<dyn std::io::BufRead>,
    cx: &Context<'_>,
    emit: &mut dyn Emit,
) -> Result<(), Error> {
    let mut rdr = ::csv::ReaderBuilder::new()
        .delimiter(cx.import.csv_delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(reader);
    let mut record = ::csv::ByteRecord::new();
    let mut header: Option<Head> = None;
    loop {
        match rdr.read_byte_record(&mut record) {
            Ok(false) => return Ok(()),
            Ok(true) => {}
            Err(e) => match e.kind() {
                ::csv::ErrorKind::Io(_) => {
                    let source = match e.into_kind() {
                        ::csv::ErrorKind::Io(io) => io,
                        _ => std::io::Error::other("I/O error"),
                    };
                    return Err(Error::Truncated {
                        path: cx.name.to_owned(),
                        source,
                    });
                }
                _ => {
                    let line = e.position().map_or(0, |p| p.line());
                    emit.skip(cx.skip(line, Reason::WrongFieldCount, e.to_string()))?;
                    continue;
                }
            },
        }
        let line = record.position().map_or(0, |p| p.line());
        let Some(head) = &header else {
            header = Some(Head::new(&record, cx));
            continue;
        };
        if record.len() != head.width {
            emit.skip(cx.skip(
                line,
                Reason::WrongFieldCount,
                wrong_width(record.len(), head),
            ))?;
            continue;
        }
        let cells = record
            .iter()
            .enumerate()
            .map(|(i, cell)| checked(i, cell).map(|text| (text, false)));
        match parse_row(cells, &head.columns, cx, |b| b.finish()) {
            Ok(mut m) => {
                m.origin = cx.origin(line);
                emit.message(m.into_owned())?;
            }
            Err((reason, detail)) => emit.skip(cx.skip(line, reason, detail))?,
        }
    }
}

fn wrong_width(found: usize, head: &Head) -> String {
    format!("{found} fields where the header has {}", head.width)
}

/// A cell's text, or why its row is skipped (`i` counts cells from 0).
fn checked(i: usize, cell: &[u8]) -> Result<&str, (Reason, String)> {
    if memchr::memchr(0, cell).is_some() {
        return Err((
            Reason::NulByte,
            format!("field {} contains a NUL byte", i + 1),
        ));
    }
    std::str::from_utf8(cell)
        .map_err(|_| (Reason::InvalidUtf8, format!("field {} is not UTF-8", i + 1)))
}

/// Builds the message of a row from its cells in order, and gives it to `finish` (which returns
/// it, or puts it where it is kept): each cell is its text and whether it still holds `""` for
/// every quote (a quoted field as it stands in the input). Or gives why the row is skipped; cells
/// are checked in order up to the first bad one, as the skip names that one.
fn parse_row<'a, R>(
    cells: impl Iterator<Item = Result<(&'a str, bool), (Reason, String)>>,
    cols: &'a [Column],
    cx: &Context<'_>,
    finish: impl FnOnce(Builder<'_, 'a>) -> Result<R, (Reason, String)>,
) -> Result<R, (Reason, String)> {
    let mut b = Builder::new(cx.times);
    for (cell, col) in cells.zip(cols) {
        let (text, escaped) = cell?;
        put_cell(&mut b, col, text, escaped);
    }
    finish(b)
}

/// Sets what `col` holds from a cell's text, which still holds `""` for every quote when
/// `escaped`.
fn put_cell<'a>(b: &mut Builder<'_, 'a>, col: &'a Column, text: &'a str, escaped: bool) {
    // An empty cell is an absent value, which neither sets nor fails.
    if matches!(col, Column::Ignored) || text.is_empty() {
        return;
    }
    let text = crate::output::csv_untext(text);
    // Only a cell with `""` in it costs an allocation.
    let value = if escaped {
        Cow::Owned(text.replace("\"\"", "\""))
    } else {
        Cow::Borrowed(text)
    };
    match col {
        Column::Field(f, rank) => b.set_str(*f, *rank, value),
        Column::Segment(name) => b.segment(name.into(), Value::Str(value)),
        Column::Ignored => {}
    }
}

/// A chunk holds CSV that the parallel path does not read, because a plain RFC 4180 reading of it
/// could differ from the `csv` crate's; the caller reads the whole input with [`read`] instead.
/// It is not a fault of the input: [`read`] accepts it, so it is never shown to the user.
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
struct Span {
    start: usize,
    end: usize,
    escaped: bool,
}

/// How a record ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ended {
    /// At a line break; the offset just past the byte where the `csv` crate stops, which is the
    /// `\r` of a `\r\n` (it reads the `\n` with the next record, as a blank line).
    Break(usize),
    /// At the end of the bytes, without a line break.
    End,
}

/// Reads the plain RFC 4180 grammar; the `csv` crate reads these bytes the same way.
struct Scanner<'c> {
    bytes: &'c [u8],
    delimiter: u8,
    /// Whether the bytes hold a `\r` at all: most files hold none, or one before every `\n`.
    cr: bool,
    /// Line breaks read so far.
    newlines: u64,
}

impl<'c> Scanner<'c> {
    fn new(bytes: &'c [u8], cx: &Context<'_>) -> Result<Self, Unusual> {
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
    fn blank(&mut self, mut pos: usize) -> Result<usize, Unusual> {
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
    /// special byte after another, in order. A `memchr` per field or per line costs more than it
    /// saves on fields a few bytes long.
    fn record(&mut self, pos: usize, spans: &mut impl FnMut(Span)) -> Result<Ended, Unusual> {
        let b = self.bytes;
        let n = b.len();
        // The field being read: where it starts, whether it starts with a quote, whether that
        // quote is still open, where it closed, and whether it holds `""`.
        let mut field = pos;
        let mut quoted = false;
        let mut open = false;
        let mut close = 0;
        let mut escaped = false;
        // A `\r` outside quotes, which may only come just before the line break.
        let mut cr_end = None;
        let mut at = pos;
        while at < n {
            let (block, there) = block::at(b, at);
            let delimiters = block.eq(self.delimiter) & there;
            let mut others = (block.eq(b'"') | block.eq(b'\n')) & there;
            if self.cr {
                others |= block.eq(b'\r') & there;
            }
            if others == 0 && !quoted {
                // Only delimiters, outside quotes (a field that is not quoted is never open).
                let mut hits = delimiters;
                while hits != 0 {
                    let i = at + hits.trailing_zeros() as usize;
                    hits &= hits - 1;
                    spans(span(field, i, false, 0, false));
                    field = i + 1;
                }
                at += 16;
                continue;
            }
            let mut hits = delimiters | others;
            while hits != 0 {
                let i = at + hits.trailing_zeros() as usize;
                hits &= hits - 1;
                let c = b[i];
                if open {
                    // A delimiter, `\r` or line break inside quotes is text.
                    match c {
                        b'"' => {
                            open = false;
                            close = i;
                        }
                        b'\n' => self.newlines += 1,
                        _ => {}
                    }
                    continue;
                }
                if c == b'\n' {
                    let end = cr_end.unwrap_or(i);
                    if quoted && end != close + 1 {
                        return Err(unusual(close + 1, Quirk::AfterClosingQuote));
                    }
                    spans(span(field, end, quoted, close, escaped));
                    return Ok(if cr_end.is_some() {
                        // The `csv` crate stops after the `\r`, and reads the `\n` with the next
                        // record.
                        Ended::Break(i)
                    } else {
                        self.newlines += 1;
                        Ended::Break(i + 1)
                    });
                }
                if quoted && i != close + 1 {
                    return Err(unusual(close + 1, Quirk::AfterClosingQuote));
                }
                if c == b'"' {
                    if quoted {
                        // `""` inside quotes.
                        open = true;
                        escaped = true;
                    } else if i == field {
                        quoted = true;
                        open = true;
                    } else {
                        return Err(unusual(i, Quirk::QuoteInField));
                    }
                } else if c == b'\r' {
                    // Only a line break, or the end of the bytes, may follow.
                    if b.get(i + 1).is_some_and(|&next| next != b'\n') {
                        return Err(unusual(i, Quirk::LoneCr));
                    }
                    cr_end = Some(i);
                } else {
                    spans(span(field, i, quoted, close, escaped));
                    field = i + 1;
                    quoted = false;
                    escaped = false;
                }
            }
            at += 16;
        }
        if open {
            return Err(unusual(field, Quirk::OpenQuote));
        }
        let end = cr_end.unwrap_or(n);
        if quoted && end != close + 1 {
            return Err(unusual(close + 1, Quirk::AfterClosingQuote));
        }
        spans(span(field, end, quoted, close, escaped));
        Ok(Ended::End)
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

/// The header record at the start of a file's `bytes`: the [`Head`], the bytes it took and the
/// `\n`s among them. The first chunk of rows starts at that offset, on line `1 + newlines`. The
/// bytes taken end where the `csv` crate's reading of the header ends: after its `\n`, or after
/// the `\r` of a `\r\n` (the `\n` then starts the first chunk, which reads it as a blank line);
/// a byte-order mark and blank lines before the header are taken too.
///
/// `Ok(None)` when `bytes` holds no whole header record yet, line break included (a `\r` must be
/// followed by the byte after it): the caller gives more bytes, or when `bytes` is the whole
/// file, the file has no rows (it is empty, blank, or a header without a line break), and
/// [`read`] reads no record from it either.
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

/// Where to end a chunk taken from `buf`, which starts where a record starts: just past the line
/// break that ends the last record with a line break in `buf`, where the `csv` crate's reading
/// of that record stops. That is just past its `\n`, or just past the `\r` of a `\r\n`, and
/// before any blank lines after it, so that the next chunk starts at the `csv` crate's position
/// for the next record (whose line number is that position's). `None` when no record in `buf`
/// ends with a line break. Quotes are counted, not parsed: the answer is right whenever every
/// quote is one [`parse_chunk`] accepts, and otherwise `parse_chunk` answers [`Unusual`] for the
/// chunk that holds the first quote it does not accept, at or before the cut.
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

/// Parses the records of `chunk`, which starts where a record starts (at a [`cut`], or where
/// [`head`] says the rows start) and ends at a cut or at the end of the file, giving `rows` every
/// row in order: the message, with fields borrowed from `chunk` (only a quoted field with `""` in
/// it is copied), or why the row is skipped. Lines and records are those [`read`] gives;
/// `first_line` is the line of the chunk's first byte. Returns the chunk's line breaks.
///
/// On `Err(Unusual)`, the records already given to `rows` are to be dropped with the rest: the
/// caller reads the whole input with [`read`] instead.
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
                let mut b = Builder::new(cx.times);
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::logs::ImportSettings;
    use crate::logs::accounting::Skip;
    use crate::logs::record::Message;
    use crate::logs::time::ZoneTimes;
    use proptest::prelude::*;

    type Row = Record<'static>;
    /// A record on its line, as a reader gives it.
    type Record<'a> = (u64, Result<Message<'a>, (Reason, String)>);

    /// Collects what `parse_chunk` gives, in order.
    #[derive(Default)]
    struct Collect<'a> {
        slot: Vec<Message<'a>>,
        rows: Vec<Record<'a>>,
    }

    impl<'a> Rows<'a> for Collect<'a> {
        fn slot(&mut self) -> &mut Vec<Message<'a>> {
            &mut self.slot
        }

        fn row(&mut self, line: u64, record: Result<(), (Reason, String)>) {
            let record = record.map(|()| self.slot.pop().expect("the message given"));
            self.rows.push((line, record));
        }
    }

    /// Collects what `read` emits, in order.
    #[derive(Default)]
    struct Got(Vec<Row>);

    impl Emit for Got {
        fn message(&mut self, m: Message<'static>) -> Result<(), Error> {
            self.0.push((m.origin.line, Ok(m)));
            Ok(())
        }
        fn skip(&mut self, s: Skip) -> Result<(), Error> {
            self.0.push((s.line, Err((s.reason, s.detail))));
            Ok(())
        }
        fn note(&mut self, _: String) {}
    }

    fn settings(delimiter: u8) -> ImportSettings {
        ImportSettings {
            csv_delimiter: delimiter,
            ..ImportSettings::default()
        }
    }

    /// The context tests read with; `times` from [`ZoneTimes::new`] of `import.zone`.
    fn cx<'a>(import: &'a ImportSettings, times: &'a ZoneTimes<'a>) -> Context<'a> {
        Context {
            name: "t.csv",
            file: 0,
            times,
            import,
        }
    }

    fn sequential(bytes: &[u8], import: &ImportSettings) -> Vec<Row> {
        let mut got = Got::default();
        let reader = Box::new(std::io::Cursor::new(bytes.to_vec()));
        read(reader, &cx(import, &ZoneTimes::new(&import.zone)), &mut got)
            .unwrap_or_else(|e| panic!("{e}"));
        got.0
    }

    /// The parallel path on one thread: the header, then chunks of about `size` bytes as `cut`
    /// makes them (a larger window when a record does not fit). Also gives the chunk boundaries.
    fn chunked(
        bytes: &[u8],
        import: &ImportSettings,
        mut size: usize,
    ) -> Result<(Vec<Row>, Vec<usize>), Unusual> {
        let times = ZoneTimes::new(&import.zone);
        let cx = cx(import, &times);
        let Some((head, used, lines)) = head(bytes, &cx)? else {
            return Ok((Vec::new(), Vec::new()));
        };
        let mut rows = Vec::new();
        let mut bounds = vec![used];
        let mut pos = used;
        let mut line = 1 + lines;
        while pos < bytes.len() {
            let rest = &bytes[pos..];
            let len = if rest.len() <= size {
                rest.len()
            } else {
                match cut(&rest[..size]) {
                    Some(k) => k,
                    None => {
                        size *= 2;
                        continue;
                    }
                }
            };
            let chunk = &rest[..len];
            let mut got = Collect::default();
            let newlines = parse_chunk(chunk, &head, line, &cx, &mut got)?;
            assert_eq!(
                newlines,
                memchr::memchr_iter(b'\n', chunk).count() as u64,
                "the line breaks of {chunk:?}"
            );
            rows.extend(
                got.rows
                    .into_iter()
                    .map(|(l, r)| (l, r.map(Message::into_owned))),
            );
            line += newlines;
            pos += len;
            bounds.push(pos);
        }
        Ok((rows, bounds))
    }

    /// Where the `csv` crate stops reading each record (and starts reading the next), and the end.
    fn positions(bytes: &[u8], delimiter: u8) -> Vec<usize> {
        let mut rdr = ::csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .has_headers(false)
            .flexible(true)
            .from_reader(bytes);
        let mut record = ::csv::ByteRecord::new();
        let mut out = Vec::new();
        while rdr.read_byte_record(&mut record).unwrap_or(false) {
            out.push(rdr.position().byte() as usize);
        }
        out.push(bytes.len());
        out
    }

    fn rows(bytes: &[u8]) -> Vec<Row> {
        let import = settings(b',');
        let (rows, _) = chunked(bytes, &import, 16).unwrap_or_else(|e| panic!("{e}"));
        rows
    }

    fn quirk(bytes: &[u8]) -> Quirk {
        let import = settings(b',');
        match chunked(bytes, &import, 1 << 20) {
            Err(e) => e.quirk,
            Ok(_) => panic!("read as usual: {:?}", String::from_utf8_lossy(bytes)),
        }
    }

    #[test]
    fn cut_ends_chunks_where_the_csv_crate_ends_a_record() {
        assert_eq!(cut(b"a\nb\n"), Some(4));
        assert_eq!(cut(b"a\nb"), Some(2));
        assert_eq!(
            cut(b"a\r\nb\r\n"),
            Some(5),
            "past the \\r, as the csv crate stops"
        );
        assert_eq!(cut(b"a\n\n\r\n\n"), Some(2), "before blank lines");
        assert_eq!(cut(b"a\n\"b\nc"), Some(2), "not inside quotes");
        assert_eq!(cut(b"\"a\nb\"\"\nc\"\nd"), Some(10));
        assert_eq!(cut(b"\"a\nb\"\"\nc\""), None);
        assert_eq!(cut(b"\n\r\n\n"), None, "only blank lines");
        assert_eq!(cut(b"abc"), None);
        assert_eq!(cut(b""), None);
    }

    #[test]
    fn head_reads_the_header_record() {
        let import = settings(b',');
        let times = ZoneTimes::new(&import.zone);
        let cx = cx(&import, &times);
        let got = |b: &[u8]| {
            head(b, &cx)
                .unwrap_or_else(|e| panic!("{e}"))
                .map(|(h, used, lines)| (h.width, used, lines))
        };
        assert_eq!(got(b"a,b\nx"), Some((2, 4, 1)));
        assert_eq!(
            got(b"a,b\r\nx"),
            Some((2, 4, 0)),
            "the \\n comes with the rows"
        );
        assert_eq!(got(b"\xEF\xBB\xBFa,b,c\n"), Some((3, 9, 1)));
        assert_eq!(got(b"\n\r\na\n"), Some((1, 5, 3)));
        assert_eq!(got(b"\"a\nb\",\"c\"\"\"\n"), Some((2, 12, 2)));
        for partial in [&b""[..], b"\xEF\xBB", b"\n\n", b"a,b", b"a,b\r", b"a,\"b\n"] {
            assert_eq!(got(partial), None, "{partial:?}");
        }
        assert!(matches!(
            head(b"a\rb\n", &cx),
            Err(Unusual {
                quirk: Quirk::LoneCr,
                at: 1
            })
        ));
        let quote = settings(b'"');
        assert!(
            head(
                b"a\"b\n",
                &super::tests::cx(&quote, &ZoneTimes::new(&quote.zone))
            )
            .is_err()
        );
    }

    #[test]
    fn head_and_read_agree_on_columns() {
        let import = settings(b',');
        let bytes = b"\xEF\xBB\xBF\"conversation_id\",role,\"te\"\"xt\",body\nc1,bot,x,hi\n";
        let got = rows(bytes);
        assert_eq!(got, sequential(bytes, &import));
        let Some((_, Ok(m))) = got.first() else {
            panic!("{got:?}")
        };
        assert_eq!((&*m.conversation_id, &*m.text), ("c1", "hi"));
    }

    #[test]
    fn fields_borrow_from_the_chunk_unless_they_hold_escapes() {
        let import = settings(b',');
        let times = ZoneTimes::new(&import.zone);
        let cx = cx(&import, &times);
        let bytes = b"conversation_id,role,text,author\nc1,bot,\"a, \"\"b\"\"\",\"Ann\"\n";
        let Ok(Some((head, used, lines))) = head(bytes, &cx) else {
            panic!("no header")
        };
        let mut got = Collect::default();
        parse_chunk(&bytes[used..], &head, 1 + lines, &cx, &mut got)
            .unwrap_or_else(|e| panic!("{e}"));
        let [(2, Ok(m))] = &got.rows[..] else {
            panic!("{:?}", got.rows)
        };
        assert!(matches!(m.conversation_id, Cow::Borrowed("c1")));
        assert!(matches!(m.author, Some(Cow::Borrowed("Ann"))));
        assert!(matches!(&m.text, Cow::Owned(t) if t == "a, \"b\""));
        assert_eq!(m.origin.line, 2);
    }

    #[test]
    fn skips_and_lines_are_those_of_read() {
        let import = settings(b',');
        let cases: &[&[u8]] = &[
            // Lines after `\r\n` and blank lines are the csv crate's: where the last record ended.
            b"conversation_id,role,text\r\nc,bot,a\r\n\r\nc,bot,b\r\nc,bot\r\n",
            b"conversation_id,role,text\n\n\nc,bot,\"x\ny\"\nc,robot,z\n,bot,\nc,bot,last",
            b"conversation_id,role,text\nc,bot,\x00\nc,bot,\xff\nc,\xff,\x00\nc,bot,'=1\n",
            b"conversation_id,role,text\nc,bot,\"\"\nc,bot,\"open",
            b"conversation_id,role,text\nc,bot,a,\nc,bot,\"b\"\r",
            b"conversation_id\n",
            b"",
        ];
        for bytes in cases {
            let want = sequential(bytes, &import);
            match chunked(bytes, &import, 8) {
                Ok((got, _)) => assert_eq!(got, want, "{:?}", String::from_utf8_lossy(bytes)),
                Err(e) => assert_eq!(e.quirk, Quirk::OpenQuote, "{bytes:?}"),
            }
        }
        let got = rows(b"conversation_id,role,text\r\nc,bot,a\r\n\r\nc,bot,b\n");
        let lines: Vec<u64> = got.iter().map(|r| r.0).collect();
        assert_eq!(lines, [1, 2]);
    }

    #[test]
    fn other_delimiters() {
        for d in [b';', b'\t', b'\0', b'a'] {
            let import = settings(d);
            let bytes =
                b"conversation_id;role;text\r\nc;bot;a,b\r\nc;bot;\"x;y\"\r\nc;bot;\xff;\0\r\n"
                    .map(|c| if c == b';' { d } else { c });
            let (got, _) = chunked(&bytes, &import, 8).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(got, sequential(&bytes, &import), "{d}");
            assert_eq!(got.len(), 3);
        }
    }

    #[test]
    fn what_only_the_csv_crate_reads_is_unusual() {
        let h = "conversation_id,role,text\n";
        let q = |rest: &str| quirk(format!("{h}{rest}").as_bytes());
        assert_eq!(q("c,bot,a\"b\n"), Quirk::QuoteInField);
        assert_eq!(q("c,bot,\"a\"b\n"), Quirk::AfterClosingQuote);
        assert_eq!(q("c,bot,\"a\" \n"), Quirk::AfterClosingQuote);
        assert_eq!(q("c,bot,a\rc,bot,b\n"), Quirk::LoneCr);
        assert_eq!(q("c,bot,\"a\"\rc\n"), Quirk::LoneCr);
        assert_eq!(q("c,bot,a\n\rc,bot,b\n"), Quirk::LoneCr);
        assert_eq!(q("c,bot,a\r,b\n"), Quirk::LoneCr);
        assert_eq!(q("c,bot,\"a\n"), Quirk::OpenQuote);
        // The same bytes inside quotes are text.
        assert!(
            chunked(
                format!("{h}c,bot,\"a\r\"\"b\rc\n,\"\n").as_bytes(),
                &settings(b','),
                1 << 20
            )
            .is_ok()
        );
    }

    /// A field's value: a word an export holds, or bytes that CSV must quote or that are not text.
    fn value() -> impl Strategy<Value = Vec<u8>> {
        prop_oneof![
            4 => prop::sample::select(vec![
                "c1", "c2", "customer", "bot", "agent", "robot", "vip", "1790000000",
                "2026-10-01 05:21:45", "soon", "'=SUM(1)", "'hello", "é", "0.5",
            ])
            .prop_map(|s| s.as_bytes().to_vec()),
            3 => prop::collection::vec(
                prop::sample::select(vec![
                    &b"a"[..], b" ", b",", b";", b"\"", b"\"\"", b"\n", b"\r\n", b"\r", b"'",
                    b"=", b"\xc3\xa9", b"\xff", b"\x00",
                    // Long enough that fields and quotes cross the sixteen-byte blocks.
                    b"a longer run of plain text",
                ]),
                0..6,
            )
            .prop_map(|parts| parts.concat()),
            1 => Just(Vec::new()),
        ]
    }

    fn word(words: &'static [&'static str]) -> BoxedStrategy<Vec<u8>> {
        prop::sample::select(words)
            .prop_map(|s| s.as_bytes().to_vec())
            .boxed()
    }

    /// The fields of a row for the headers below: mostly an id, a role, a text, a time and a
    /// tier (so that many rows are messages), sometimes one field fewer or more.
    fn fields() -> impl Strategy<Value = Vec<(Vec<u8>, u8)>> {
        let how = || 0u8..4;
        (
            (
                prop_oneof![4 => word(&["c1", "c2"]), 1 => value().boxed()],
                how(),
            ),
            (
                prop_oneof![4 => word(&["customer", "bot", "agent"]), 1 => value().boxed()],
                how(),
            ),
            (value(), how()),
            (
                prop_oneof![2 => word(&["", "1790000000", "2026-10-01 05:21:45"]), 1 => value().boxed()],
                how(),
            ),
            (value(), how()),
            0u8..8,
        )
            .prop_map(|(a, b, c, d, e, ragged)| {
                let mut row = vec![a, b, c, d, e];
                match ragged {
                    6 => {
                        row.pop();
                    }
                    7 => row.push((b"x".to_vec(), 1)),
                    _ => {}
                }
                row
            })
    }

    /// A field as an export writes it: quoted always (`how` 0), when needed (1, 2), or raw
    /// whatever it holds (3), which may make the record unusual. A usual file quotes raw fields
    /// that need it.
    fn encode(out: &mut Vec<u8>, v: &[u8], how: u8, usual: bool) {
        let needs = v
            .iter()
            .any(|c| matches!(c, b',' | b';' | b'"' | b'\n' | b'\r'));
        if how == 0 || (needs && (how < 3 || usual)) {
            out.push(b'"');
            for &c in v {
                out.push(c);
                if c == b'"' {
                    out.push(b'"');
                }
            }
            out.push(b'"');
        } else {
            out.extend_from_slice(v);
        }
    }

    const HEADERS: [&[u8]; 6] = [
        b"conversation_id,role,text,timestamp,segment_tier",
        b"\xEF\xBB\xBFconversation_id,role,\"text\",timestamp,segment_tier",
        b"\"conversation_id\",\"role\",\"te\"\"xt\",\"timestamp\",\"segment.tier\"",
        b"\xEF\xBB\xBF\"conversation_id\",role,text,timestamp,segment_tier",
        b"\n\r\nconversation_id,sender_type,body,ts,segment_tier",
        b"conversation_id,role,text,timestamp,\"segment\ntier\"",
    ];

    /// A CSV-ish file: a header, rows of about five fields, `\n`, `\r\n` or (rarely) a lone `\r`
    /// after each, blank lines, and perhaps no line break at the end.
    fn file(usual: bool) -> impl Strategy<Value = (Vec<u8>, u8)> {
        let row = (fields(), 0u8..10, 0u8..6);
        (
            0..HEADERS.len(),
            prop::collection::vec(row, 0..12),
            any::<bool>(),
            any::<bool>(),
            any::<bool>(),
        )
            .prop_map(move |(h, rows, semicolon, last_break, crlf)| {
                let d = if semicolon { b';' } else { b',' };
                let mut out = HEADERS[h].to_vec();
                if semicolon {
                    for c in &mut out {
                        if *c == b',' {
                            *c = b';';
                        }
                    }
                }
                out.extend_from_slice(if crlf { b"\r\n" } else { b"\n" });
                let n = rows.len();
                for (i, (fields, end, blank)) in rows.into_iter().enumerate() {
                    for (j, (v, how)) in fields.iter().enumerate() {
                        if j > 0 {
                            out.push(d);
                        }
                        encode(&mut out, v, *how, usual);
                    }
                    if i + 1 == n && !last_break {
                        break;
                    }
                    out.extend_from_slice(match end {
                        0..=4 => b"\n",
                        5..=8 => b"\r\n",
                        _ if usual => b"\n",
                        _ => b"\r",
                    });
                    out.extend_from_slice(match blank {
                        0 => b"\n",
                        1 => b"\r\n",
                        _ => b"",
                    });
                }
                (out, d)
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        #[test]
        fn chunks_read_as_read_does((bytes, d) in file(false), size in 1usize..80) {
            let import = settings(d);
            if let Ok((got, bounds)) = chunked(&bytes, &import, size) {
                prop_assert_eq!(got, sequential(&bytes, &import));
                let at = positions(&bytes, d);
                for b in bounds {
                    prop_assert!(at.contains(&b), "chunk boundary {} not a record start {:?}", b, at);
                }
            }
        }

        #[test]
        fn usual_files_are_read_in_chunks((bytes, d) in file(true), size in 1usize..80) {
            let import = settings(d);
            let got = chunked(&bytes, &import, size);
            prop_assert!(got.is_ok(), "{:?} in {:?}", got, String::from_utf8_lossy(&bytes));
            let (got, bounds) = got.unwrap_or_default();
            prop_assert_eq!(got, sequential(&bytes, &import));
            let at = positions(&bytes, d);
            for b in bounds {
                prop_assert!(at.contains(&b), "chunk boundary {} not a record start {:?}", b, at);
            }
        }

        #[test]
        fn head_of_a_prefix_is_the_head((bytes, d) in file(false), keep in 0usize..200) {
            let import = settings(d);
            let times = ZoneTimes::new(&import.zone);
            let cx = cx(&import, &times);
            let prefix = &bytes[..keep.min(bytes.len())];
            if let (Ok(Some((a, used_a, lines_a))), Ok(Some((b, used_b, lines_b)))) =
                (head(prefix, &cx), head(&bytes, &cx))
            {
                prop_assert_eq!((a.width, used_a, lines_a), (b.width, used_b, lines_b));
                prop_assert_eq!(format!("{:?}", a.columns), format!("{:?}", b.columns));
            }
        }
    }
}

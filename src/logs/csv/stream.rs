//! The reader for any input: the `csv` crate's reading, one owned row at a time.

use super::cells::{checked, parse_row, wrong_width};
use super::columns::Head;
use crate::error::Error;
use crate::logs::accounting::{Reason, Skip};
use crate::logs::{Context, Emit};

/// The `csv` crate's reader of one input: no header handling of its own, rows of any width.
pub fn reader_of(
    reader: Box<dyn std::io::BufRead>,
    cx: &Context<'_>,
) -> ::csv::Reader<Box<dyn std::io::BufRead>> {
    ::csv::ReaderBuilder::new()
        .delimiter(cx.import.csv_delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(reader)
}

/// What an error of the `csv` crate is: an I/O error stops the run, any other skips the record.
pub fn failure(e: ::csv::Error, cx: &Context<'_>) -> Result<Skip, Error> {
    if let ::csv::ErrorKind::Io(_) = e.kind() {
        let source = match e.into_kind() {
            ::csv::ErrorKind::Io(io) => io,
            _ => std::io::Error::other("I/O error"),
        };
        return Err(Error::Truncated {
            path: cx.name.to_owned(),
            source,
        });
    }
    let line = e.position().map_or(0, |p| p.line());
    Ok(cx.skip(line, Reason::WrongFieldCount, e.to_string()))
}

/// Reads every row of one CSV input.
pub fn read(
    reader: Box<dyn std::io::BufRead>,
    cx: &Context<'_>,
    emit: &mut dyn Emit,
) -> Result<(), Error> {
    let mut rdr = reader_of(reader, cx);
    match header(&mut rdr, cx, emit)? {
        Some(record) => rows(&mut rdr, &Head::new(&record, cx), cx, emit),
        None => Ok(()),
    }
}

/// The header: the first record read (a record the `csv` crate cannot read is skipped before it
/// as after it); `None` for an input without records.
pub fn header(
    rdr: &mut ::csv::Reader<Box<dyn std::io::BufRead>>,
    cx: &Context<'_>,
    emit: &mut dyn Emit,
) -> Result<Option<::csv::ByteRecord>, Error> {
    let mut record = ::csv::ByteRecord::new();
    loop {
        match rdr.read_byte_record(&mut record) {
            Ok(false) => return Ok(None),
            Ok(true) => return Ok(Some(record)),
            Err(e) => emit.skip(failure(e, cx)?)?,
        }
    }
}

/// Reads the rows after the header, each a message of the columns `head` names.
pub fn rows(
    rdr: &mut ::csv::Reader<Box<dyn std::io::BufRead>>,
    head: &Head,
    cx: &Context<'_>,
    emit: &mut dyn Emit,
) -> Result<(), Error> {
    let mut record = ::csv::ByteRecord::new();
    loop {
        match rdr.read_byte_record(&mut record) {
            Ok(false) => return Ok(()),
            Ok(true) => {}
            Err(e) => {
                emit.skip(failure(e, cx)?)?;
                continue;
            }
        }
        let line = record.position().map_or(0, |p| p.line());
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

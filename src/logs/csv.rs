//! CSV (`.csv`): a header row, then one message per row.
//!
//! Columns are matched to fields by `[import.csv.columns]` in `handoff.toml` first (canonical
//! field = column name), then by the canonical names and their aliases, then `segment.<field>` /
//! `segment_<field>`; other columns are ignored. Quoted fields may hold delimiters and line
//! breaks. A row with a different number of fields from the header is skipped, as is a row whose
//! bytes are not UTF-8 or hold a NUL.

use std::collections::HashMap;

use crate::error::Error;
use crate::logs::accounting::Reason;
use crate::logs::fields::{self, Builder, Field, Value};
use crate::logs::{Context, Emit};

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
    let mut header: Option<Vec<Column>> = None;
    let mut width = 0;
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
        let Some(cols) = &header else {
            let names: Vec<String> = record
                .iter()
                .enumerate()
                .map(|(i, f)| {
                    let f = if i == 0 {
                        f.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(f)
                    } else {
                        f
                    };
                    String::from_utf8_lossy(f).into_owned()
                })
                .collect();
            width = names.len();
            header = Some(columns(&names, cx));
            continue;
        };
        if record.len() != width {
            emit.skip(cx.skip(
                line,
                Reason::WrongFieldCount,
                format!("{} fields where the header has {width}", record.len()),
            ))?;
            continue;
        }
        match parse_row(&record, cols, cx) {
            Ok(mut m) => {
                m.origin = cx.origin(line);
                emit.message(m.into_owned())?;
            }
            Err((reason, detail)) => emit.skip(cx.skip(line, reason, detail))?,
        }
    }
}

fn parse_row<'a>(
    record: &'a ::csv::ByteRecord,
    cols: &'a [Column],
    cx: &Context<'_>,
) -> Result<crate::logs::record::Message<'a>, (Reason, String)> {
    let mut b = Builder::new(cx.zone);
    for (i, (cell, col)) in record.iter().zip(cols).enumerate() {
        if memchr::memchr(0, cell).is_some() {
            return Err((
                Reason::NulByte,
                format!("field {} contains a NUL byte", i + 1),
            ));
        }
        let text = std::str::from_utf8(cell)
            .map_err(|_| (Reason::InvalidUtf8, format!("field {} is not UTF-8", i + 1)))?;
        let text = crate::output::csv_untext(text);
        match col {
            Column::Field(f, rank) => b.set(*f, *rank, Value::Text(text)),
            Column::Segment(name) => b.segment(name.into(), Value::Text(text)),
            Column::Ignored => {}
        }
    }
    b.finish()
}

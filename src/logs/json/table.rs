//! CSV read with a profile: each row after the header is an object whose keys are the header's
//! names, read through the profile's mapping as a record of a JSON document is.
//!
//! So a platform's CSV export and its JSON export go through one mapping: the same field names,
//! value maps and classifier. An empty cell is an absent key. A cell of a column the profile names
//! as holding JSON (a BigQuery export's JSON columns) is read as the JSON it holds, and as text
//! when it is not JSON. A row with a different number of fields from the header is skipped, as is
//! one whose bytes are not UTF-8 or hold a NUL, as the CSV reader does. The header is read by the
//! caller (`crate::logs::profiles`), which decides from it which profile reads the rows.

use super::doc::{self, Value};
use super::{Found, Mapping, record, within};
use crate::error::Error;
use crate::logs::accounting::Reason;
use crate::logs::{Context, Emit, csv};

/// Reads the rows after the header, each a record of `m`: an object whose keys are `names`.
pub fn rows(
    rdr: &mut ::csv::Reader<Box<dyn std::io::BufRead>>,
    names: &[String],
    m: &Mapping,
    json_columns: &[&str],
    cx: &Context<'_>,
    emit: &mut dyn Emit,
) -> Result<(), Error> {
    let mut row = ::csv::ByteRecord::new();
    loop {
        match rdr.read_byte_record(&mut row) {
            Ok(false) => return Ok(()),
            Ok(true) => {}
            Err(e) => {
                emit.skip(csv::failure(e, cx)?)?;
                continue;
            }
        }
        let line = row.position().map_or(0, |p| p.line());
        match object(&row, names, json_columns) {
            Ok(value) => {
                let e = Found {
                    value: &value,
                    at: "$".into(),
                    parents: Vec::new(),
                };
                record(&e, m, cx, line, emit)?;
                within(&e, m, cx, line, emit)?;
            }
            Err((reason, detail)) => emit.skip(cx.skip(line, reason, detail))?,
        }
    }
}

/// A row as an object of the header's names, or why it is skipped. The object is written as JSON
/// text and parsed, as a document's objects are, so that it keeps the header's order.
fn object(
    row: &::csv::ByteRecord,
    names: &[String],
    json_columns: &[&str],
) -> Result<Value, (Reason, String)> {
    if row.len() != names.len() {
        return Err((
            Reason::WrongFieldCount,
            format!("{} fields where the header has {}", row.len(), names.len()),
        ));
    }
    let mut obj = String::from("{");
    for (i, (cell, name)) in row.iter().zip(names).enumerate() {
        if memchr::memchr(0, cell).is_some() {
            return Err((
                Reason::NulByte,
                format!("field {} contains a NUL byte", i + 1),
            ));
        }
        let text = std::str::from_utf8(cell)
            .map_err(|_| (Reason::InvalidUtf8, format!("field {} is not UTF-8", i + 1)))?;
        if text.is_empty() {
            continue;
        }
        if obj.len() > 1 {
            obj.push(',');
        }
        push_string(&mut obj, name);
        obj.push(':');
        let json = json_columns.contains(&name.as_str())
            && serde_json::from_str::<serde::de::IgnoredAny>(text).is_ok();
        if json {
            obj.push_str(text);
        } else {
            push_string(&mut obj, text);
        }
    }
    obj.push('}');
    doc::parse(&obj).map_err(|e| (Reason::InvalidJson, e.to_string()))
}

/// Appends `s` as a JSON string.
fn push_string(out: &mut String, s: &str) {
    out.push_str(&serde_json::to_string(s).unwrap_or_default());
}

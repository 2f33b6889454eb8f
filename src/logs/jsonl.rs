//! JSONL (`.jsonl`, `.ndjson`): one message object per line.
//!
//! Each line that is not blank is one record. Field names are matched through the alias table of
//! [`crate::logs::fields`]; fields handoff does not know are ignored, so platform dumps with dozens
//! of extra columns read as they are.

use crate::error::Error;
use crate::logs::accounting::Reason;
use crate::logs::fields::{self, Builder, Field, Value};
use crate::logs::input::{Line, Lines};
use crate::logs::{Context, Emit};

/// Reads every line of one JSONL input.
pub fn read(
    lines: &mut Lines<Box<dyn std::io::BufRead>>,
    cx: &Context<'_>,
    emit: &mut dyn Emit,
) -> Result<(), Error> {
    loop {
        let (number, line) = match lines.next_line() {
            Ok(Some(l)) => l,
            Ok(None) => return Ok(()),
            Err(source) => {
                return Err(Error::Truncated {
                    path: cx.name.to_owned(),
                    source,
                });
            }
        };
        let bytes = match line {
            Line::TooLong => {
                emit.skip(cx.skip(
                    number,
                    Reason::LineTooLong,
                    "the line is longer than 64 MiB".into(),
                ))?;
                continue;
            }
            Line::Bytes(b) => b,
        };
        // A byte-order mark is allowed at the start of the file only.
        let bytes = if number == 1 {
            bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)
        } else {
            bytes
        };
        if bytes.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        match parse_line(bytes, cx) {
            Ok(mut m) => {
                m.origin = cx.origin(number);
                emit.message(m)?;
            }
            Err((reason, detail)) => emit.skip(cx.skip(number, reason, detail))?,
        }
    }
}

/// One line to a message, or the reason it is skipped.
pub fn parse_line(
    bytes: &[u8],
    cx: &Context<'_>,
) -> Result<crate::logs::record::Message, (Reason, String)> {
    if memchr::memchr(0, bytes).is_some() {
        return Err((Reason::NulByte, "the line contains a NUL byte".into()));
    }
    let text = std::str::from_utf8(bytes).map_err(|e| {
        (
            Reason::InvalidUtf8,
            format!("byte {} is not UTF-8", e.valid_up_to() + 1),
        )
    })?;
    let object: serde_json::Map<String, serde_json::Value> = match serde_json::from_str(text) {
        Ok(serde_json::Value::Object(o)) => o,
        Ok(_) => {
            return Err((
                Reason::InvalidJson,
                "the line is JSON but not an object".into(),
            ));
        }
        Err(e) => return Err((Reason::InvalidJson, e.to_string())),
    };
    let mut b = Builder::new(cx.zone);
    for (key, value) in &object {
        if let Some((field, rank)) = Field::lookup(key) {
            b.set(field, rank, Value::Json(value));
        } else if key == "segment" {
            match value {
                serde_json::Value::Object(seg) => {
                    for (k, v) in seg {
                        b.segment(k, Value::Json(v));
                    }
                }
                serde_json::Value::Null => {}
                _ => b.wrong("segment must be an object such as {\"tier\": \"vip\"}"),
            }
        } else if let Some(name) = fields::segment_field(key) {
            b.segment(name, Value::Json(value));
        }
    }
    b.finish()
}

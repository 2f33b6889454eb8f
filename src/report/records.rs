//! Canonical records, as `handoff convert` writes them: JSONL (one object a message, the fields
//! of SPEC section 3 in order) and CSV (one column a field, `segment_<field>` per segment field).
//!
//! Records stream to a temporary file, the [`Spool`] (memory stays flat on grouped input, and an
//! interleaved input read twice starts the file again); the CSV is written from that JSONL once
//! every segment field, and so every column, is known. Records are written as read,
//! conversation-level fields on the records that carried them.

use std::collections::BTreeSet;
use std::io::{BufRead, BufWriter, Seek, Write};

use crate::error::Error;
use crate::logs::record::{Conversation, Message};
use crate::logs::{self, Files, Sink};

/// The error for a failed write to (or read of) the temporary file.
fn spool_err(source: std::io::Error) -> Error {
    Error::Write {
        path: "a temporary file".into(),
        source,
    }
}

/// Writes canonical JSONL to the spool file and remembers the segment fields seen (CSV columns).
pub struct Spool {
    out: BufWriter<std::fs::File>,
    segments: BTreeSet<String>,
}

impl Spool {
    /// A spool on a new temporary file.
    pub fn new() -> Result<Spool, Error> {
        let spool = tempfile::tempfile().map_err(spool_err)?;
        Ok(Spool {
            out: BufWriter::new(spool),
            segments: BTreeSet::new(),
        })
    }

    /// The canonical JSONL written, from its start, and the segment fields seen.
    pub fn finish(self) -> Result<(impl BufRead, BTreeSet<String>), Error> {
        let mut file = self
            .out
            .into_inner()
            .map_err(|e| spool_err(e.into_error()))?;
        file.rewind().map_err(spool_err)?;
        Ok((std::io::BufReader::new(file), self.segments))
    }
}

impl Sink for Spool {
    fn conversation(&mut self, c: Conversation<'static>, _: &Files) -> Result<(), Error> {
        for m in &c.messages {
            for (k, _) in &m.segment {
                if !self.segments.contains(&**k) {
                    self.segments.insert(k.to_string());
                }
            }
            let line = canonical_json(m);
            writeln!(self.out, "{line}").map_err(spool_err)?;
        }
        Ok(())
    }

    fn restart(&mut self) -> Result<(), Error> {
        self.out.flush().map_err(spool_err)?;
        let f = self.out.get_mut();
        f.set_len(0).map_err(spool_err)?;
        f.rewind().map_err(spool_err)?;
        self.segments.clear();
        Ok(())
    }
}
/// The fields of a canonical record, in the order of SPEC section 3: JSONL keys and CSV columns
/// (where `segment` becomes one `segment_<field>` column per field).
const FIELDS: [&str; 16] = [
    "conversation_id",
    "message_id",
    "timestamp",
    "role",
    "author",
    "text",
    "intent",
    "confidence",
    "sentiment",
    "fallback",
    "event",
    "lane",
    "expected_lane",
    "customer_name",
    "customer_id",
    "segment",
];

/// The CSV columns before the segment fields.
const CSV_COLUMNS: &[&str] = FIELDS.split_at(FIELDS.len() - 1).0;

/// A record's value of one canonical field, if it has one.
fn field(m: &Message, name: &str) -> Option<serde_json::Value> {
    use serde_json::Value;
    let s = |v: &Option<std::borrow::Cow<'_, str>>| v.as_deref().map(Value::from);
    match name {
        "conversation_id" => Some(m.conversation_id.as_ref().into()),
        "message_id" => s(&m.message_id),
        "timestamp" => m.timestamp.map(|ts| logs::time::format(ts).into()),
        "role" => Some(m.role().as_str().into()),
        "author" => s(&m.author),
        "text" => Some(m.text.as_ref().into()),
        "intent" => s(&m.intent),
        "confidence" => m.confidence.map(Value::from),
        "sentiment" => m.sentiment.map(Value::from),
        "fallback" => m.fallback.map(Value::from),
        "event" => m.event.map(|e| e.as_str().into()),
        "lane" => s(&m.lane),
        "expected_lane" => s(&m.expected_lane),
        "customer_name" => s(&m.customer_name),
        "customer_id" => s(&m.customer_id),
        "segment" => (!m.segment.is_empty()).then(|| {
            Value::Object(
                m.segment
                    .iter()
                    .map(|(k, v)| (k.to_string(), Value::from(v.as_ref())))
                    .collect(),
            )
        }),
        _ => None,
    }
}

/// The canonical JSONL form of a record: the fields it has, in the order of [`FIELDS`].
pub fn canonical_json(m: &Message) -> String {
    let parts: Vec<String> = FIELDS
        .iter()
        .filter_map(|k| field(m, k).map(|v| format!("{}:{}", serde_json::Value::from(*k), v)))
        .collect();
    format!("{{{}}}", parts.join(","))
}

/// Rewrites the canonical JSONL of `reader` as CSV, with a `segment_<field>` column per segment
/// field in `segments`.
pub fn to_csv(
    reader: impl BufRead,
    segments: &BTreeSet<String>,
    out: &mut dyn Write,
) -> Result<(), Error> {
    // Keep the I/O error itself (a closed pipe must stay recognisable as one).
    let err = |e: csv::Error| {
        let source = match e.into_kind() {
            csv::ErrorKind::Io(io) => io,
            other => std::io::Error::other(format!("{other:?}")),
        };
        Error::Write {
            path: "CSV output".into(),
            source,
        }
    };
    let mut w = csv::WriterBuilder::new().from_writer(out);
    let mut header: Vec<String> = CSV_COLUMNS.iter().map(|s| s.to_string()).collect();
    header.extend(segments.iter().map(|s| format!("segment_{s}")));
    w.write_record(&header).map_err(err)?;
    for line in reader.lines() {
        let line = line.map_err(spool_err)?;
        let v: serde_json::Value =
            serde_json::from_str(&line).map_err(|e| Error::Internal(e.to_string()))?;
        let mut row: Vec<String> = Vec::with_capacity(header.len());
        for col in CSV_COLUMNS {
            row.push(match &v[col] {
                serde_json::Value::Null => String::new(),
                serde_json::Value::String(s) => crate::text::csv_text(s).into_owned(),
                other => other.to_string(),
            });
        }
        for s in segments {
            row.push(
                v["segment"][s]
                    .as_str()
                    .map(|x| crate::text::csv_text(x).into_owned())
                    .unwrap_or_default(),
            );
        }
        w.write_record(&row).map_err(err)?;
    }
    w.flush().map_err(|source| Error::Write {
        path: "CSV output".into(),
        source,
    })?;
    Ok(())
}

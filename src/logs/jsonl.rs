//! JSONL (`.jsonl`, `.ndjson`): one message object per line.
//!
//! Each line that is not blank is one record. Field names are matched through the alias table of
//! [`crate::logs::fields`]; fields handoff does not know are ignored, so platform dumps with dozens
//! of extra columns read as they are.

use std::borrow::Cow;

use crate::error::Error;
use crate::logs::accounting::Reason;
use crate::logs::fields::{self, Builder, Field, Value};
use crate::logs::input::{Line, Lines};
use crate::logs::record::Message;
use crate::logs::{Context, Emit};

mod flat;

pub use flat::Keys;

/// Reads every line of one JSONL input.
pub fn read(
    lines: &mut Lines<Box<dyn std::io::BufRead>>,
    cx: &Context<'_>,
    emit: &mut dyn Emit,
) -> Result<(), Error> {
    let mut keys = Keys::default();
    each_record(lines, cx, emit, |number, bytes, emit| {
        match parse_line(bytes, cx, &mut keys) {
            Ok(mut m) => {
                m.origin = cx.origin(number);
                emit.message(m.into_owned())
            }
            Err((reason, detail)) => emit.skip(cx.skip(number, reason, detail)),
        }
    })
}

/// Calls `f` with the number and bytes of every line that is a record (not blank); a line longer
/// than [`crate::logs::input::MAX_LINE`] is skipped here, and an input that cannot be read to its
/// end is an error.
pub fn each_record<R: std::io::BufRead>(
    lines: &mut Lines<R>,
    cx: &Context<'_>,
    emit: &mut dyn Emit,
    mut f: impl FnMut(u64, &[u8], &mut dyn Emit) -> Result<(), Error>,
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
        if let Some(bytes) = record(number == 1, bytes) {
            f(number, bytes, emit)?;
        }
    }
}

/// The record of a line, without a byte-order mark (allowed at the start of the file only:
/// `first` says the line is the file's first); `None` for a blank line, which is no record.
pub fn record(first: bool, bytes: &[u8]) -> Option<&[u8]> {
    let bytes = if first {
        bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)
    } else {
        bytes
    };
    (!bytes.iter().all(u8::is_ascii_whitespace)).then_some(bytes)
}

/// One line to a message, or the reason it is skipped.
///
/// The object is walked in place: each key is looked up in the alias table and its value handed to
/// the [`Builder`] as a borrowed scalar, so no intermediate map or value tree is built (this is the
/// hot path of every replay).
pub fn parse_line<'a>(
    bytes: &'a [u8],
    cx: &Context<'_>,
    keys: &mut Keys,
) -> Result<Message<'a>, (Reason, String)> {
    if let Some(text) = flat_candidate(bytes) {
        let mut b = cx.builder();
        if flat::scan(text, &mut b, keys).is_some() {
            return b.finish();
        }
    }
    general(bytes, cx)
}

/// [`parse_line`], pushing the message onto `out`, where the caller keeps it. The builder's
/// message is pushed from where it was built: a message is some 300 bytes, and every move of it
/// is a copy on the hot path.
pub fn parse_line_into<'a>(
    bytes: &'a [u8],
    cx: &Context<'_>,
    keys: &mut Keys,
    out: &mut Vec<Message<'a>>,
) -> Result<(), (Reason, String)> {
    if let Some(text) = flat_candidate(bytes) {
        let mut b = cx.builder();
        if flat::scan(text, &mut b, keys).is_some() {
            return b.finish_into(out);
        }
    }
    out.push(general(bytes, cx)?);
    Ok(())
}

/// The line as text for the flat scanner: SIMD validation for the common case. The flat scanner
/// refuses every control character, so a line it reads has no NUL; the NUL check, which comes
/// before the UTF-8 one, is only needed on the other lines ([`general`]).
fn flat_candidate(bytes: &[u8]) -> Option<&str> {
    simdutf8::basic::from_utf8(bytes).ok()
}

/// A line the flat scanner does not read: checked for NUL bytes and UTF-8, then parsed by
/// `serde_json`.
fn general<'a>(bytes: &'a [u8], cx: &Context<'_>) -> Result<Message<'a>, (Reason, String)> {
    if memchr::memchr(0, bytes).is_some() {
        return Err((Reason::NulByte, "the line contains a NUL byte".into()));
    }
    // std's error says where the line stops being UTF-8.
    let text = std::str::from_utf8(bytes).map_err(|e| {
        (
            Reason::InvalidUtf8,
            format!("byte {} is not UTF-8", e.valid_up_to() + 1),
        )
    })?;
    parse_general(text, cx)
}

/// Any JSON line, through `serde_json`: the lines the flat scanner does not read, and every error.
fn parse_general<'a>(text: &'a str, cx: &Context<'_>) -> Result<Message<'a>, (Reason, String)> {
    let mut b = cx.builder();
    let mut de = serde_json::Deserializer::from_str(text);
    match serde::de::DeserializeSeed::deserialize(RecordSeed(&mut b), &mut de)
        .and_then(|()| de.end())
    {
        Ok(()) => b.finish(),
        Err(e) if e.is_data() => Err((
            Reason::InvalidJson,
            "the line is JSON but not an object".into(),
        )),
        Err(e) => Err((Reason::InvalidJson, e.to_string())),
    }
}

/// A scalar as found in the JSON, borrowed when it has no escapes.
enum Raw<'a> {
    Str(Cow<'a, str>),
    Num(f64),
    Bool(bool),
    Null,
    Compound,
}

impl<'a> Raw<'a> {
    fn value(self) -> Value<'a> {
        match self {
            Raw::Str(s) => Value::Str(s),
            Raw::Num(n) => Value::Num(n),
            Raw::Bool(b) => Value::Bool(b),
            Raw::Null => Value::Null,
            Raw::Compound => Value::Compound,
        }
    }
}

impl<'de> serde::Deserialize<'de> for Raw<'de> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Raw<'de>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a JSON value")
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Raw<'de>, E> {
                Ok(Raw::Str(Cow::Borrowed(v)))
            }
            fn visit_str<E>(self, v: &str) -> Result<Raw<'de>, E> {
                Ok(Raw::Str(Cow::Owned(v.to_owned())))
            }
            fn visit_string<E>(self, v: String) -> Result<Raw<'de>, E> {
                Ok(Raw::Str(Cow::Owned(v)))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Raw<'de>, E> {
                Ok(Raw::Num(v as f64))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Raw<'de>, E> {
                Ok(Raw::Num(v as f64))
            }
            fn visit_f64<E>(self, v: f64) -> Result<Raw<'de>, E> {
                Ok(Raw::Num(v))
            }
            fn visit_bool<E>(self, v: bool) -> Result<Raw<'de>, E> {
                Ok(Raw::Bool(v))
            }
            fn visit_unit<E>(self) -> Result<Raw<'de>, E> {
                Ok(Raw::Null)
            }
            fn visit_none<E>(self) -> Result<Raw<'de>, E> {
                Ok(Raw::Null)
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut a: A,
            ) -> Result<Raw<'de>, A::Error> {
                while a.next_element::<serde::de::IgnoredAny>()?.is_some() {}
                Ok(Raw::Compound)
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut a: A,
            ) -> Result<Raw<'de>, A::Error> {
                while a
                    .next_entry::<serde::de::IgnoredAny, serde::de::IgnoredAny>()?
                    .is_some()
                {}
                Ok(Raw::Compound)
            }
        }
        d.deserialize_any(V)
    }
}

/// A key, borrowed when it has no escapes.
struct Key<'a>(Cow<'a, str>);

impl<'de> serde::Deserialize<'de> for Key<'de> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // Through `Raw`, not `Cow::deserialize`: serde's impl for `Cow` always allocates.
        match Raw::deserialize(d)? {
            Raw::Str(s) => Ok(Key(s)),
            _ => Err(serde::de::Error::custom("a key must be a string")),
        }
    }
}

/// What a key of a record means for the message; both parsers read keys through it.
#[derive(Debug, Clone, Copy)]
enum Meaning {
    Field(Field, usize),
    /// `segment`, whose value is an object of segment fields.
    Segment,
    /// `segment.tier` or `segment_tier`: the segment field's name starts at this offset.
    SegmentField(usize),
    Ignored,
}

impl Meaning {
    fn of(key: &str) -> Meaning {
        if let Some((field, rank)) = Field::lookup(key) {
            Meaning::Field(field, rank)
        } else if key == "segment" {
            Meaning::Segment
        } else if let Some(name) = fields::segment_field(key) {
            Meaning::SegmentField(key.len() - name.len())
        } else {
            Meaning::Ignored
        }
    }
}

/// Feeds an object's fields to a builder.
struct RecordSeed<'b, 'z, 'de>(&'b mut Builder<'z, 'de>);

impl<'de> serde::de::DeserializeSeed<'de> for RecordSeed<'_, '_, 'de> {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> serde::de::Visitor<'de> for RecordSeed<'_, '_, 'de> {
    type Value = ();
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a JSON object")
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut a: A) -> Result<(), A::Error> {
        let b = self.0;
        while let Some(Key(key)) = a.next_key::<Key<'de>>()? {
            match Meaning::of(&key) {
                Meaning::Field(field, rank) => {
                    let raw: Raw<'de> = a.next_value()?;
                    b.set(field, rank, raw.value());
                }
                Meaning::Segment => a.next_value_seed(SegmentSeed(&mut *b))?,
                Meaning::SegmentField(at) => {
                    // The name keeps the key's borrow.
                    let name = match key {
                        Cow::Borrowed(k) => Cow::Borrowed(&k[at..]),
                        Cow::Owned(k) => Cow::Owned(k[at..].to_owned()),
                    };
                    let raw: Raw<'de> = a.next_value()?;
                    b.segment(name, raw.value());
                }
                Meaning::Ignored => {
                    a.next_value::<serde::de::IgnoredAny>()?;
                }
            }
        }
        Ok(())
    }
}

/// The `segment` object; anything else there is a wrong type.
struct SegmentSeed<'b, 'z, 'de>(&'b mut Builder<'z, 'de>);

impl<'de> serde::de::DeserializeSeed<'de> for SegmentSeed<'_, '_, 'de> {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> serde::de::Visitor<'de> for SegmentSeed<'_, '_, 'de> {
    type Value = ();
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("an object")
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut a: A) -> Result<(), A::Error> {
        while let Some(Key(k)) = a.next_key::<Key<'de>>()? {
            let raw: Raw<'de> = a.next_value()?;
            self.0.segment(k, raw.value());
        }
        Ok(())
    }
    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_none<E>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut a: A) -> Result<(), A::Error> {
        while a.next_element::<serde::de::IgnoredAny>()?.is_some() {}
        self.0
            .wrong("segment must be an object such as {\"tier\": \"vip\"}");
        Ok(())
    }
    fn visit_str<E>(self, _: &str) -> Result<(), E> {
        self.0
            .wrong("segment must be an object such as {\"tier\": \"vip\"}");
        Ok(())
    }
    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        self.0
            .wrong("segment must be an object such as {\"tier\": \"vip\"}");
        Ok(())
    }
    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        self.0
            .wrong("segment must be an object such as {\"tier\": \"vip\"}");
        Ok(())
    }
    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        self.0
            .wrong("segment must be an object such as {\"tier\": \"vip\"}");
        Ok(())
    }
    fn visit_f64<E>(self, _: f64) -> Result<(), E> {
        self.0
            .wrong("segment must be an object such as {\"tier\": \"vip\"}");
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::logs::ImportSettings;

    fn reason(line: &[u8]) -> Option<Reason> {
        let import = ImportSettings::default();
        let cx = Context {
            name: "t",
            file: 0,
            times: &crate::logs::time::ZoneTimes::new(&import.zone),
            import: &import,
        };
        parse_line(line, &cx, &mut Keys::default())
            .err()
            .map(|(r, _)| r)
    }

    #[test]
    fn a_nul_is_named_before_bad_utf8_and_on_lines_the_scanner_would_read() {
        let ok = br#"{"conversation_id":"c","role":"customer","text":"hi"}"#;
        assert_eq!(reason(ok), None);
        assert_eq!(
            reason(b"{\"conversation_id\":\"c\",\"role\":\"customer\",\"text\":\"h\0i\"}"),
            Some(Reason::NulByte)
        );
        assert_eq!(reason(b"{\"text\":\"\xff\0\"}"), Some(Reason::NulByte));
        assert_eq!(reason(b"{\"text\":\"\xff\"}"), Some(Reason::InvalidUtf8));
    }
}

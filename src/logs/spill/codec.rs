//! The bytes a spilled record is written as, and read back from.
//!
//! A message is written field by field in a fixed order: strings as a little-endian `u32` length
//! and their UTF-8 bytes (`u32::MAX` for a field that is absent), numbers as their bits, with a tag
//! byte where a field is optional. Every field of [`Message`] is kept, its origin too, so that a
//! conversation read back from a spill file settles (order, duplicates, conversation-level fields,
//! idle splits) exactly as it would have in memory. Each record is preceded by a `u64` key that
//! orders it among the records written by other threads; decoding borrows the text from the
//! file's bytes. The format lives only as long as one run: it
//! has no version and no other reader.

use std::borrow::Cow;
use std::io;

use crate::logs::record::{Event, Message, Origin, Role, Segment};

const ABSENT: u32 = u32::MAX;

/// Appends `m` to `out`, after `key`, which orders the records of a conversation when they were
/// written by several threads (the reading order: see [`decode`]).
pub fn encode(m: &Message<'_>, key: u64, out: &mut Vec<u8>) {
    out.extend_from_slice(&key.to_le_bytes());
    string(out, &m.conversation_id);
    optional_i64(out, m.timestamp);
    out.push(match m.role {
        None => 0,
        Some(Role::Customer) => 1,
        Some(Role::Bot) => 2,
        Some(Role::Agent) => 3,
        Some(Role::System) => 4,
    });
    string(out, &m.text);
    // Read back in this order by `decode`.
    for s in m.optional_texts() {
        match s {
            Some(s) => string(out, s),
            None => out.extend_from_slice(&ABSENT.to_le_bytes()),
        }
    }
    optional_i64(out, m.confidence.map(|f| f.to_bits() as i64));
    optional_i64(out, m.sentiment.map(|f| f.to_bits() as i64));
    out.push(match m.fallback {
        None => 0,
        Some(false) => 1,
        Some(true) => 2,
    });
    out.push(match m.event {
        None => 0,
        Some(Event::Handoff) => 1,
        Some(Event::Assign) => 2,
        Some(Event::Resolved) => 3,
    });
    let pairs = m.segment.iter().count() as u32;
    out.extend_from_slice(&pairs.to_le_bytes());
    for (k, v) in &m.segment {
        string(out, k);
        string(out, v);
    }
    out.extend_from_slice(&m.origin.file.to_le_bytes());
    out.extend_from_slice(&m.origin.line.to_le_bytes());
}

fn string(out: &mut Vec<u8>, s: &str) {
    // A string of 4 GiB or more cannot be a field: the importers read lines of at most 64 MiB.
    let len = u32::try_from(s.len()).unwrap_or(ABSENT - 1);
    out.extend_from_slice(&len.to_le_bytes());
    out.extend_from_slice(&s.as_bytes()[..len as usize]);
}

fn optional_i64(out: &mut Vec<u8>, v: Option<i64>) {
    match v {
        None => out.push(0),
        Some(v) => {
            out.push(1);
            out.extend_from_slice(&v.to_le_bytes());
        }
    }
}

/// The next record of `bytes` (which it moves past): its order key and its message, whose text
/// borrows from `bytes`; `None` at the end.
pub fn decode<'a>(bytes: &mut &'a [u8]) -> io::Result<Option<(u64, Message<'a>)>> {
    if bytes.is_empty() {
        return Ok(None);
    }
    let mut c = Cursor(bytes);
    let key = u64::from_le_bytes(c.array()?);
    let conversation_id = c.string()?.ok_or_else(corrupt)?;
    let timestamp = c.optional_i64()?;
    let role = match c.byte()? {
        0 => None,
        1 => Some(Role::Customer),
        2 => Some(Role::Bot),
        3 => Some(Role::Agent),
        4 => Some(Role::System),
        _ => return Err(corrupt()),
    };
    let text = c.string()?.ok_or_else(corrupt)?;
    let message_id = c.string()?;
    let author = c.string()?;
    let intent = c.string()?;
    let lane = c.string()?;
    let expected_lane = c.string()?;
    let customer_name = c.string()?;
    let customer_id = c.string()?;
    let confidence = c.optional_i64()?.map(|b| f64::from_bits(b as u64));
    let sentiment = c.optional_i64()?.map(|b| f64::from_bits(b as u64));
    let fallback = match c.byte()? {
        0 => None,
        1 => Some(false),
        2 => Some(true),
        _ => return Err(corrupt()),
    };
    let event = match c.byte()? {
        0 => None,
        1 => Some(Event::Handoff),
        2 => Some(Event::Assign),
        3 => Some(Event::Resolved),
        _ => return Err(corrupt()),
    };
    let pairs = u32::from_le_bytes(c.array()?);
    let mut segment = Segment::default();
    for _ in 0..pairs {
        let k = c.string()?.ok_or_else(corrupt)?;
        let v = c.string()?.ok_or_else(corrupt)?;
        segment.push((k, v));
    }
    let file = u32::from_le_bytes(c.array()?);
    let line = u64::from_le_bytes(c.array()?);
    *bytes = c.0;
    Ok(Some((
        key,
        Message {
            conversation_id,
            timestamp,
            role,
            text,
            message_id,
            author,
            intent,
            confidence,
            sentiment,
            fallback,
            event,
            lane,
            expected_lane,
            customer_name,
            customer_id,
            segment,
            origin: Origin { file, line },
        },
    )))
}

fn corrupt() -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, "a spill file is damaged")
}

/// The bytes of a spill file not decoded yet.
struct Cursor<'a>(&'a [u8]);

impl<'a> Cursor<'a> {
    fn take(&mut self, n: usize) -> io::Result<&'a [u8]> {
        if self.0.len() < n {
            return Err(corrupt());
        }
        let (head, rest) = self.0.split_at(n);
        self.0 = rest;
        Ok(head)
    }

    fn array<const N: usize>(&mut self) -> io::Result<[u8; N]> {
        let mut a = [0u8; N];
        a.copy_from_slice(self.take(N)?);
        Ok(a)
    }

    fn byte(&mut self) -> io::Result<u8> {
        Ok(self.take(1)?[0])
    }

    fn optional_i64(&mut self) -> io::Result<Option<i64>> {
        match self.byte()? {
            0 => Ok(None),
            _ => Ok(Some(i64::from_le_bytes(self.array()?))),
        }
    }

    fn string(&mut self) -> io::Result<Option<Cow<'a, str>>> {
        match u32::from_le_bytes(self.array()?) {
            ABSENT => Ok(None),
            len => {
                let bytes = self.take(len as usize)?;
                // Written from `str`s, so valid; checked anyway, as the file is outside the process.
                let s = simdutf8::basic::from_utf8(bytes).map_err(|_| corrupt())?;
                Ok(Some(Cow::Borrowed(s)))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn opt_text() -> impl Strategy<Value = Option<String>> {
        proptest::option::of("[a-zé \\n]{0,8}")
    }

    proptest! {
        /// Every field comes back as it was written, messages one after another.
        #[test]
        fn messages_read_back_as_written(
            rows in proptest::collection::vec(
                (
                    "[a-z0-9]{1,6}",
                    proptest::option::of(any::<i64>()),
                    0u8..5,
                    "\\PC{0,12}",
                    (opt_text(), opt_text(), opt_text(), opt_text()),
                    (proptest::option::of(any::<f64>()), proptest::option::of(any::<bool>()), 0u8..4),
                    proptest::collection::vec(("[a-z]{1,3}", "[a-z ]{0,3}"), 0..3),
                    (any::<u32>(), any::<u64>()),
                ),
                0..6,
            )
        ) {
            let messages: Vec<Message<'static>> = rows
                .into_iter()
                .map(|(conv, ts, role, text, (mid, author, intent, lane), (conf, fb, ev), seg, (file, line))| Message {
                    conversation_id: conv.into(),
                    timestamp: ts,
                    role: [None, Some(Role::Customer), Some(Role::Bot), Some(Role::Agent), Some(Role::System)][role as usize],
                    text: text.into(),
                    message_id: mid.map(Cow::Owned),
                    author: author.map(Cow::Owned),
                    intent: intent.map(Cow::Owned),
                    lane: lane.clone().map(Cow::Owned),
                    expected_lane: lane.map(Cow::Owned),
                    customer_name: None,
                    customer_id: Some("who".into()),
                    confidence: conf.filter(|f| !f.is_nan()),
                    sentiment: Some(-0.5),
                    fallback: fb,
                    event: [None, Some(Event::Handoff), Some(Event::Assign), Some(Event::Resolved)][ev as usize],
                    segment: seg.into_iter().map(|(k, v)| (Cow::Owned(k), Cow::Owned(v))).collect(),
                    origin: Origin { file, line },
                })
                .collect();
            let mut bytes = Vec::new();
            for (k, m) in messages.iter().enumerate() {
                encode(m, k as u64 * 7, &mut bytes);
            }
            let mut reader = &bytes[..];
            let mut back = Vec::new();
            while let Some((k, m)) = decode(&mut reader).expect("decodes") {
                prop_assert_eq!(k, back.len() as u64 * 7);
                back.push(m.into_owned());
            }
            prop_assert_eq!(back, messages);
        }
    }
}

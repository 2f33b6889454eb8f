//! A scanner for the flat JSON objects that make up almost every JSONL export.
//!
//! A record line is one object whose values are strings, numbers, booleans and null, with at most a
//! `segment` object of such values. This scanner reads exactly that shape, hands each field to the
//! [`Builder`] in the order the keys appear (as the general parser does), and borrows every string
//! from the line. Anything else (an escape in a string, a list, a nested object elsewhere, any
//! syntax error) makes it give up with `None`; the caller then parses the line with `serde_json`,
//! which also writes the error messages. So this scanner decides nothing on its own: on the lines
//! it accepts, it must build the same message as the general parser, which a property test checks.
//!
//! It exists for speed: the general parser's visitor machinery costs more than reading the line.

use std::borrow::Cow;

use super::Meaning;
use crate::logs::fields::{self, Builder, Value};

/// The keys met so far, with their meaning, and which one was last met at each place in an
/// object. Exports write their lines with a few keys in a fixed order (a bot's line leaves out the
/// intent and scores a customer's carries), so a key is nearly always the one at the same place
/// on the line before, or else one met before: a comparison or two find its end and its meaning,
/// where a search for the closing quote and a lookup in the alias table cost several times more.
#[derive(Debug, Default)]
pub struct Keys {
    known: Vec<(Box<[u8]>, Meaning)>,
    /// For each place in an object, the index in `known` of the key last met there.
    at: Vec<usize>,
}

/// How many distinct keys [`Keys`] remembers: more than any export writes, few enough that
/// trying them all on a key met for the first time costs little.
const KNOWN: usize = 64;

/// Whether two byte strings of the same length are equal; short ones (keys) with two
/// overlapping word comparisons instead of a call to `memcmp`.
fn same(a: &[u8], b: &[u8]) -> bool {
    let n = a.len();
    if n != b.len() {
        return false;
    }
    let w8 = |s: &[u8], i: usize| u64::from_le_bytes(s[i..i + 8].try_into().unwrap_or_default());
    let w4 = |s: &[u8], i: usize| u32::from_le_bytes(s[i..i + 4].try_into().unwrap_or_default());
    match n {
        8..=16 => w8(a, 0) == w8(b, 0) && w8(a, n - 8) == w8(b, n - 8),
        4..=7 => w4(a, 0) == w4(b, 0) && w4(a, n - 4) == w4(b, n - 4),
        _ => a == b,
    }
}

/// Feeds the fields of the object in `line` to `b`; `None` when the line is not a flat object
/// this scanner reads (the builder must then be discarded). `keys` carries the keys from one
/// line to the next.
pub fn scan<'a>(line: &'a str, b: &mut Builder<'_, 'a>, keys: &mut Keys) -> Option<()> {
    // A control character is an error inside a string and whitespace (tab, carriage return)
    // outside one; lines with any are left to the general parser, so that strings below are
    // found with one `memchr2` each.
    if has_control(line.as_bytes()) {
        return None;
    }
    let mut s = Scanner { line, at: 0 };
    s.ws();
    s.eat(b'{')?;
    s.ws();
    if s.eat(b'}').is_none() {
        for k in 0.. {
            let (key, meaning) = s.key(keys, k)?;
            s.ws();
            s.eat(b':')?;
            s.ws();
            match meaning {
                Meaning::Field(field, rank) if s.peek() == Some(b'"') => {
                    let v = s.string()?;
                    b.set_str(field, rank, Cow::Borrowed(v));
                }
                Meaning::Field(field, rank) => {
                    let v = s.scalar()?;
                    b.set(field, rank, v);
                }
                Meaning::Segment => s.segment(b)?,
                Meaning::SegmentField(at) => {
                    let v = s.scalar()?;
                    b.segment(Cow::Borrowed(key.get(at..)?), v);
                }
                Meaning::Ignored => {
                    s.scalar()?;
                }
            }
            s.ws();
            if s.eat(b',').is_some() {
                s.ws();
                continue;
            }
            s.eat(b'}')?;
            break;
        }
    }
    s.ws();
    (s.at == line.len()).then_some(())
}

/// Whether any byte is below 0x20; without early exit per byte, so that it vectorizes.
fn has_control(bytes: &[u8]) -> bool {
    bytes
        .chunks(32)
        .any(|c| c.iter().fold(0u8, |acc, &b| acc | u8::from(b < 0x20)) != 0)
}

struct Scanner<'a> {
    line: &'a str,
    at: usize,
}

impl<'a> Scanner<'a> {
    fn peek(&self) -> Option<u8> {
        self.line.as_bytes().get(self.at).copied()
    }

    fn eat(&mut self, c: u8) -> Option<()> {
        (self.peek()? == c).then(|| self.at += 1)
    }

    /// JSON whitespace: space, tab, line feed, carriage return.
    fn ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.at += 1;
        }
    }

    /// The key at place `k` in the object, and its meaning: found among the known keys (the one
    /// last met at this place first), else read and remembered.
    fn key(&mut self, keys: &mut Keys, k: usize) -> Option<(&'a str, Meaning)> {
        let bytes = self.line.as_bytes();
        if bytes.get(self.at) != Some(&b'"') {
            return None;
        }
        let start = self.at + 1;
        // A known key holds no quote or backslash (it was read as a string without escapes), so
        // when the bytes equal it and a quote follows, that quote ends the key.
        let here = |i: &usize| {
            let (known, _) = keys.known.get(*i)?;
            let end = start + known.len();
            (bytes.get(end) == Some(&b'"') && same(bytes.get(start..end)?, known)).then_some(end)
        };
        let hint = keys.at.get(k).copied();
        let found = hint
            .and_then(|i| Some((i, here(&i)?)))
            .or_else(|| (0..keys.known.len()).find_map(|i| Some((i, here(&i)?))));
        let (key, meaning, index) = match found {
            Some((i, end)) => {
                self.at = end + 1;
                (self.line.get(start..end)?, keys.known[i].1, Some(i))
            }
            None => {
                let key = self.string()?;
                let meaning = Meaning::of(key);
                let index = (keys.known.len() < KNOWN).then(|| {
                    keys.known.push((key.as_bytes().into(), meaning));
                    keys.known.len() - 1
                });
                (key, meaning, index)
            }
        };
        if let Some(i) = index
            && hint != Some(i)
        {
            let places = keys.at.len();
            match keys.at.get_mut(k) {
                Some(slot) => *slot = i,
                // Places are met in order: this is the next one (unless a key was not kept).
                None if places == k => keys.at.push(i),
                None => {}
            }
        }
        Some((key, meaning))
    }

    /// A string without escapes, borrowed (control characters were ruled out for the line).
    fn string(&mut self) -> Option<&'a str> {
        self.eat(b'"')?;
        let start = self.at;
        let i = start + memchr::memchr2(b'"', b'\\', self.line.as_bytes().get(start..)?)?;
        if self.line.as_bytes().get(i) != Some(&b'"') {
            return None;
        }
        self.at = i + 1;
        // Both ends are at ASCII quotes, so they are character boundaries.
        self.line.get(start..i)
    }

    /// A string, number, boolean or null.
    fn scalar(&mut self) -> Option<Value<'a>> {
        match self.peek()? {
            b'"' => self.string().map(|s| Value::Str(Cow::Borrowed(s))),
            b't' => self.word("true").map(|()| Value::Bool(true)),
            b'f' => self.word("false").map(|()| Value::Bool(false)),
            b'n' => self.word("null").map(|()| Value::Null),
            b'-' | b'0'..=b'9' => self.number().map(Value::Num),
            _ => None,
        }
    }

    fn word(&mut self, w: &str) -> Option<()> {
        let end = self.at + w.len();
        (self.line.as_bytes().get(self.at..end)? == w.as_bytes()).then(|| self.at = end)
    }

    /// A number in JSON's grammar, read as the nearest `f64` (as `serde_json` does with
    /// `float_roundtrip`). Numbers out of `f64`'s range are left to the general parser, which
    /// rejects them.
    fn number(&mut self) -> Option<f64> {
        let bytes = self.line.as_bytes();
        let start = self.at;
        let digits = |mut i: usize| {
            while bytes.get(i).is_some_and(u8::is_ascii_digit) {
                i += 1;
            }
            i
        };
        let mut i = start;
        if bytes.get(i) == Some(&b'-') {
            i += 1;
        }
        match bytes.get(i)? {
            b'0' => i += 1,
            b'1'..=b'9' => i = digits(i + 1),
            _ => return None,
        }
        if bytes.get(i) == Some(&b'.') {
            let after = digits(i + 1);
            if after == i + 1 {
                return None;
            }
            i = after;
        }
        if matches!(bytes.get(i), Some(b'e' | b'E')) {
            i += 1;
            if matches!(bytes.get(i), Some(b'+' | b'-')) {
                i += 1;
            }
            let after = digits(i);
            if after == i {
                return None;
            }
            i = after;
        }
        let text = self.line.get(start..i)?;
        let n: f64 = fields::decimal(text).or_else(|| text.parse().ok())?;
        self.at = i;
        n.is_finite().then_some(n)
    }

    /// The `segment` object: scalar values only.
    fn segment(&mut self, b: &mut Builder<'_, 'a>) -> Option<()> {
        self.eat(b'{')?;
        self.ws();
        if self.eat(b'}').is_some() {
            return Some(());
        }
        loop {
            let key = self.string()?;
            self.ws();
            self.eat(b':')?;
            self.ws();
            let v = self.scalar()?;
            b.segment(Cow::Borrowed(key), v);
            self.ws();
            if self.eat(b',').is_some() {
                self.ws();
                continue;
            }
            return self.eat(b'}');
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::logs::time::ZoneTimes;
    use crate::logs::{Context, ImportSettings};
    use proptest::prelude::*;

    fn key() -> impl Strategy<Value = String> {
        prop_oneof![
            Just("conversation_id"),
            Just("chat_id"),
            Just("timestamp"),
            Just("ts"),
            Just("role"),
            Just("sender_type"),
            Just("text"),
            Just("body"),
            Just("message_id"),
            Just("intent"),
            Just("confidence"),
            Just("sentiment"),
            Just("fallback"),
            Just("event"),
            Just("lane"),
            Just("expected_lane"),
            Just("customer_name"),
            Just("segment"),
            Just("segment.tier"),
            Just("Role"),
            Just("extra"),
            Just("te\\u0078t"),
        ]
        .prop_map(str::to_owned)
    }

    fn string() -> impl Strategy<Value = String> {
        prop_oneof![
            Just("c1".to_owned()),
            Just("customer".to_owned()),
            Just("bot".to_owned()),
            Just("2026-10-01T08:15:02Z".to_owned()),
            Just("2026-10-01 08:15".to_owned()),
            "[a-zA-Z0-9 é€\\\\\"\t]{0,12}".prop_map(|s| s),
            Just("\\n".to_owned()),
            Just("\\u00e9".to_owned()),
            Just("\\ud800".to_owned()),
        ]
        .prop_map(|s| format!("\"{s}\""))
    }

    fn number() -> impl Strategy<Value = String> {
        prop_oneof![
            "-?(0|[1-9][0-9]{0,22})(\\.[0-9]{1,20})?([eE][+-]?[0-9]{1,3})?",
            Just("-0".to_owned()),
            Just("01".to_owned()),
            Just("1.".to_owned()),
            Just("-".to_owned()),
            Just("1e".to_owned()),
            Just("1e400".to_owned()),
            Just("1e-400".to_owned()),
            Just("18446744073709551616".to_owned()),
            Just("-9223372036854775809".to_owned()),
            Just("0.1e1".to_owned()),
        ]
    }

    fn value() -> impl Strategy<Value = String> {
        let scalar = prop_oneof![
            string(),
            number(),
            Just("true".to_owned()),
            Just("false".to_owned()),
            Just("null".to_owned()),
            Just("tru".to_owned()),
        ];
        scalar.prop_recursive(2, 8, 3, |inner| {
            prop_oneof![
                prop::collection::vec((key(), inner.clone()), 0..3).prop_map(|kv| {
                    let fields: Vec<String> =
                        kv.iter().map(|(k, v)| format!("\"{k}\":{v}")).collect();
                    format!("{{{}}}", fields.join(","))
                }),
                prop::collection::vec(inner, 0..3).prop_map(|v| format!("[{}]", v.join(","))),
            ]
        })
    }

    fn space() -> impl Strategy<Value = &'static str> {
        prop_oneof![Just(""), Just(""), Just(" "), Just("\t"), Just(" \r ")]
    }

    fn line() -> impl Strategy<Value = String> {
        (
            prop::collection::vec((key(), value(), space(), space()), 0..8),
            space(),
            prop_oneof![Just(""), Just(""), Just("x"), Just(",")],
        )
            .prop_map(|(fields, pad, tail)| {
                let fields: Vec<String> = fields
                    .iter()
                    .map(|(k, v, a, b)| format!("{a}\"{k}\"{b}:{a}{v}{b}"))
                    .collect();
                format!("{pad}{{{}}}{pad}{tail}", fields.join(","))
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4000))]

        /// On every line the scanner reads, it builds what the general parser builds.
        #[test]
        fn the_scanner_agrees_with_the_general_parser(line in line()) {
            let import = ImportSettings::default();
            let cx = Context { name: "t", file: 0, times: &ZoneTimes::new(&import.zone), import: &import };
            let mut b = Builder::new(cx.times);
            if scan(&line, &mut b, &mut Keys::default()).is_some() {
                prop_assert_eq!(b.finish(), super::super::parse_general(&line, &cx), "{}", line);
            }
        }

        /// The keys remembered from earlier lines change nothing on the next: lines read one
        /// after another (each also twice in a row, so that every key is found where it was)
        /// build what they build read on their own.
        #[test]
        fn keys_from_earlier_lines_change_nothing(lines in proptest::collection::vec(line(), 1..6)) {
            let import = ImportSettings::default();
            let times = ZoneTimes::new(&import.zone);
            let mut keys = Keys::default();
            for line in lines.iter().flat_map(|l| [l, l]) {
                let (mut carried, mut alone) = (Builder::new(&times), Builder::new(&times));
                let a = scan(line, &mut carried, &mut keys).map(|()| carried.finish());
                let b = scan(line, &mut alone, &mut Keys::default()).map(|()| alone.finish());
                prop_assert_eq!(a, b, "{}", line);
            }
        }
    }

    #[test]
    fn the_canonical_shape_is_read_and_the_rest_left_alone() {
        let import = ImportSettings::default();
        let times = ZoneTimes::new(&import.zone);
        let read =
            |line: &str| scan(line, &mut Builder::new(&times), &mut Keys::default()).is_some();
        assert!(read(
            r#"{"conversation_id":"c1","role":"customer","text":"hi","confidence":0.9,"segment":{"tier":"vip"}}"#
        ));
        assert!(read(r#" { } "#));
        assert!(!read(r#"{"text":"a\nb"}"#), "escapes go to serde_json");
        assert!(!read(r#"{"tags":["a"]}"#), "lists go to serde_json");
        assert!(!read(r#"{"text":"a"} x"#), "trailing bytes are an error");
        assert!(!read(r#"{"confidence":1e400}"#), "out of range");
        assert!(!read("{\"text\":\"a\tb\"}"), "a raw tab");
    }
}

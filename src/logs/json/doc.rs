//! The JSON value the document readers and the platform profiles work on.
//!
//! A platform export spends most of its bytes on structure: an Intercom conversation part or a
//! Cloud API webhook body is a dozen small objects around one line of text. Building serde_json's
//! `Value` for each (with `preserve_order`, which the reports need, every object is an `IndexMap`
//! hashed with SipHash) was most of a profile replay's time. sonic-rs parses into a document whose
//! objects are arrays of key-value pairs in the document's order, allocated from one arena per
//! document, and looks keys up by a scan, which for the handful of keys such objects hold is faster
//! than hashing them. Reports and everything else handoff writes stay on serde_json.

pub use sonic_rs::{JsonContainerTrait, JsonNumberTrait, JsonValueTrait, Object, Value, ValueRef};

/// Parses one JSON text. A text sonic-rs rejects is parsed again with serde_json, whose error is
/// what the run reports (the same words as for a canonical JSONL line); a text the two disagree on
/// is read as serde_json reads it, so no valid document is lost to the faster parser.
pub fn parse(text: &str) -> Result<Value, serde_json::Error> {
    parse_slice(text.as_bytes())
}

/// [`parse`] for bytes that may not be UTF-8 (serde_json's error says where).
pub fn parse_slice(bytes: &[u8]) -> Result<Value, serde_json::Error> {
    match sonic_rs::from_slice(bytes) {
        Ok(v) => Ok(v),
        Err(_) => {
            let v: serde_json::Value = serde_json::from_slice(bytes)?;
            Ok(from_serde(&v))
        }
    }
}

/// A serde_json value as a document value. Through its text: a document parsed from text keeps
/// its objects' keys in order, while one built or changed key by key keeps them in a hash map.
pub fn from_serde(v: &serde_json::Value) -> Value {
    // serde_json writes only valid JSON, which sonic-rs reads.
    sonic_rs::from_str(&v.to_string()).unwrap_or_default()
}

/// The value at a JSON pointer (`/attributes/type`; keys only, as the profiles write them).
pub fn pointer<'v>(v: &'v Value, pointer: &str) -> Option<&'v Value> {
    pointer
        .split('/')
        .skip(1)
        .try_fold(v, |v, key| match v.as_ref() {
            ValueRef::Array(_) => v.get(key.parse::<usize>().ok()?),
            _ => v.get(key),
        })
}

/// The keys of an object in its order (none for any other value).
pub fn keys(v: &Value) -> impl Iterator<Item = &str> {
    v.as_object()
        .into_iter()
        .flat_map(|o| o.iter().map(|(k, _)| k))
}

/// The keys of a record a profile reads at most from the record's own list; a record with more
/// (none of the documented layouts has) is searched in the document beyond them.
const WIDTH: usize = 24;

static NULL: Value = Value::new();

/// A record (an object) with its keys read once: a record's fields, its classifier and its
/// composed values look up some twenty keys, and the document finds a key by decoding each key
/// before it, where this list is a plain array of strings.
pub struct Record<'v> {
    value: &'v Value,
    keys: [(&'v str, &'v Value); WIDTH],
    len: usize,
    /// Whether every key of the record is in `keys`.
    complete: bool,
}

impl<'v> Record<'v> {
    /// The record `value`; a value that is not an object has no keys.
    pub fn new(value: &'v Value) -> Record<'v> {
        let mut keys = [("", &NULL); WIDTH];
        let mut len = 0;
        let mut complete = true;
        for (k, v) in value.as_object().into_iter().flat_map(|o| o.iter()) {
            if len == WIDTH {
                complete = false;
                break;
            }
            keys[len] = (k, v);
            len += 1;
        }
        Record {
            value,
            keys,
            len,
            complete,
        }
    }

    /// The value of `key` (the first, when the record has it twice, as the document reads it).
    #[inline]
    pub fn get(&self, key: &str) -> Option<&'v Value> {
        match self.keys[..self.len].iter().find(|(k, _)| *k == key) {
            Some((_, v)) => Some(v),
            None if self.complete => None,
            None => self.value.get(key),
        }
    }

    /// The record as a value of its document.
    pub fn value(&self) -> &'v Value {
        self.value
    }
}

/// `serde_json::json!` as a document value, for tests.
#[cfg(test)]
macro_rules! json {
    ($($t:tt)+) => {
        $crate::logs::json::doc::from_serde(&serde_json::json!($($t)+))
    };
}
#[cfg(test)]
pub(crate) use json;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_order_of_keys_and_reads_what_serde_json_reads() {
        let text = r#"{"z":1,"a":{"y":[true,null,"x"],"b":-2.5},"m":"\u00e9"}"#;
        let v = parse(text).unwrap();
        let keys: Vec<&str> = v.as_object().unwrap().iter().map(|(k, _)| k).collect();
        assert_eq!(keys, ["z", "a", "m"]);
        let serde: serde_json::Value = serde_json::from_str(text).unwrap();
        assert_eq!(from_serde(&serde), v);
        assert_eq!(v.get("m").and_then(|m| m.as_str()), Some("é"));
    }

    #[test]
    fn a_record_finds_every_key_the_document_does() {
        let keys: Vec<String> = (0..40).map(|i| format!("k{i}")).collect();
        let mut text = String::from("{");
        for (i, k) in keys.iter().enumerate() {
            text.push_str(&format!("{}\"{k}\":{i}", if i > 0 { "," } else { "" }));
        }
        text.push_str(",\"k3\":\"again\"}");
        let v = parse(&text).unwrap();
        let rec = Record::new(&v);
        for k in &keys {
            assert_eq!(rec.get(k), v.get(k), "{k}");
        }
        assert_eq!(
            rec.get("k3").and_then(|x| x.as_u64()),
            Some(3),
            "the first of two"
        );
        assert_eq!(rec.get("absent"), None);
        assert_eq!(Record::new(&json!([1, 2])).get("0"), None);
    }

    #[test]
    fn deep_nesting_is_read_or_refused_without_overflowing_a_workers_stack() {
        // The JSONL workers run on threads with the default stack.
        std::thread::spawn(|| {
            let nested = |n: usize| format!("{}{}", "[".repeat(n), "]".repeat(n));
            assert!(parse(&nested(250)).is_ok());
            let err = parse(&nested(5000)).unwrap_err();
            assert!(err.to_string().contains("recursion limit"), "{err}");
        })
        .join()
        .expect("no overflow");
    }

    #[test]
    fn a_text_that_is_not_json_gets_serde_jsons_words() {
        let err = parse("{\"a\": }").unwrap_err();
        assert_eq!(err.to_string(), "expected value at line 1 column 7");
    }
}

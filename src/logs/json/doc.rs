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

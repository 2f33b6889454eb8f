//! The JSON Schema of the matrix format (`handoff schema`), generated from the raw types, so the
//! schema editors complete against and the decoder describe one format (a unit test in
//! `decode.rs` keeps their key lists equal).

use crate::matrix::raw::RawMatrix;

/// The schema. Absent keys are simply not written: `null` is not a value the format accepts, so
/// optional fields do not get a null type.
pub fn schema() -> serde_json::Value {
    let mut schema = schemars::schema_for!(RawMatrix).to_value();
    drop_null(&mut schema);
    if let Some(map) = schema.as_object_mut() {
        map.insert(
            "$id".into(),
            "https://handoff.dev/schema/matrix-v1.json".into(),
        );
    }
    schema
}

/// Removes the `null` alternative schemars gives every `Option` field.
fn drop_null(v: &mut serde_json::Value) {
    use serde_json::Value;
    match v {
        Value::Object(map) => {
            if let Some(Value::Array(types)) = map.get_mut("type") {
                types.retain(|t| t != "null");
                if types.len() == 1 {
                    let only = types.remove(0);
                    map.insert("type".into(), only);
                }
            }
            if let Some(Value::Array(alts)) = map.get_mut("anyOf") {
                alts.retain(|a| a.get("type").is_none_or(|t| t != "null"));
                if alts.len() == 1
                    && let Some(Value::Object(only)) = alts.pop()
                {
                    map.remove("anyOf");
                    for (k, val) in only {
                        map.entry(k).or_insert(val);
                    }
                }
            }
            for (_, child) in map.iter_mut() {
                drop_null(child);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(drop_null),
        _ => {}
    }
}

/// The schema as pretty-printed JSON.
pub fn schema_json() -> String {
    let mut s = serde_json::to_string_pretty(&schema()).unwrap_or_default();
    s.push('\n');
    s
}

//! `handoff schema`: a JSON Schema that accepts every bundled matrix and refuses broken ones.

use crate::{Run, root};

fn validator() -> jsonschema::Validator {
    let out = Run::new(["schema"]).run().code(0);
    let schema = out.json();
    assert_eq!(
        schema["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
    jsonschema::validator_for(&schema).expect("the schema compiles")
}

/// YAML to JSON through serde-saphyr, the parser handoff itself uses.
fn as_json(path: &std::path::Path) -> serde_json::Value {
    let text = std::fs::read_to_string(path).expect("readable");
    serde_saphyr::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn accepts_every_bundled_matrix() {
    let v = validator();
    let mut n = 0;
    for entry in std::fs::read_dir(root().join("rules")).expect("rules/") {
        let path = entry.expect("entry").path();
        let doc = as_json(&path);
        let errors: Vec<String> = v
            .iter_errors(&doc)
            .map(|e| format!("{e} at {}", e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{}: {errors:#?}", path.display());
        n += 1;
    }
    assert!(n >= 3);
}

#[test]
fn refuses_unknown_keys_and_wrong_types() {
    let v = validator();
    let doc: serde_json::Value = serde_json::json!({
        "version": 1,
        "lanes": {"l": {"priorty": 1, "handoff": {"message": "x"}}},
        "triggers": [{"id": "t", "lane": "l", "when": {"confidence_below": "high"}}]
    });
    assert!(!v.is_valid(&doc));
}

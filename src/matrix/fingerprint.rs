//! The fingerprint of a validated matrix: what a partial report names its matrix by, so `merge`
//! refuses partials of different matrices or settings (SPEC section 5.7).
//!
//! It is the FNV-1a hash of the model's `Debug` form, with every default filled in and the lines
//! of the triggers left out: a comment, a blank line or another layout of the same rules gives the
//! same fingerprint, and any change to a lane, a trigger, a template or a setting another one. The
//! form is only compared between partials of one handoff version (`merge` checks the version
//! too), so it need not be stable across versions.

use crate::matrix::Matrix;

/// 32 hex digits naming `m`'s lanes, triggers, context extractors and settings.
pub fn fingerprint(m: &Matrix) -> String {
    let mut m = m.clone();
    for t in &mut m.triggers {
        t.line = 0;
    }
    crate::digest::hex128(format!("{m:?}").as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(text: &str) -> Matrix {
        let file = crate::source::SourceFile::new("m.yaml", "m.yaml".into(), text.to_owned());
        let root = crate::matrix::yaml::parse(&file.text).unwrap_or_else(|e| panic!("{e:?}"));
        let (raw, _) = crate::matrix::decode::decode(&root, &file.text);
        Matrix::from_raw(&raw, &file).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn layout_does_not_count_and_a_setting_does() {
        let text = include_str!("../../tests/fixtures/replay/matrix.yaml");
        let base = fingerprint(&load(text));
        assert_eq!(base.len(), 32);
        assert_eq!(fingerprint(&load(&format!("# a comment\n\n{text}"))), base);
        let changed = text.replace(
            "fallback_intents: [nlu_fallback]",
            "fallback_intents: [other]",
        );
        assert_ne!(changed, text);
        assert_ne!(fingerprint(&load(&changed)), base);
    }
}

//! Text helpers with no dependency on the rest of handoff: the keyword matching shared by lint and
//! replay (case folding and phrases), and CSV cells a spreadsheet will not run as formulas.
//!
//! A keyword phrase matches case-insensitively (Unicode simple case folding), any run of white space
//! in the phrase matches any run in the text, and where the phrase begins or ends with a word
//! character (one of Rust `regex`'s Unicode `\w`) the text must not continue with one there — so
//! `agent` does not fire on "agents" or "reagent", but `card:` fires on "card:1234". Both notions
//! are those of `regex` itself (SPEC section 2): a phrase matches where `(?i)` and the escaped
//! phrase with `\b` at its word edges would, which a property test holds.
//!
//! Beside them, the small text helpers the rest of handoff shares: normalised hashes for repeated
//! messages, blank and lowercase tests, and the "did you mean" suggestion of error messages. The
//! module depends on nothing in handoff but `swar`, so any layer may use it.

/// Folds one character for caseless comparison: Unicode simple case folding (the `C` and `S`
/// entries of `CaseFolding.txt`), as ICU's table gives it. Lower-casing is not the same: `ſ`, `µ`,
/// `ϑ` and `ς` are lower case already yet fold to `s`, `μ`, `θ` and `σ`, and Cherokee folds to
/// upper case. ASCII, almost all chat text, folds without the table.
#[inline]
pub fn fold_char(c: char) -> char {
    if c.is_ascii() {
        return c.to_ascii_lowercase();
    }
    icu_casemap::CaseMapper::new().simple_fold(c)
}

/// A word character: one of the Unicode `\w` of Rust's `regex` (alphabetic, a combining mark, a
/// decimal digit, connector punctuation, or a join control), so a keyword's edge and a regex's
/// `\b` agree.
#[inline]
pub fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric() || c == '_';
    }
    // The table is compiled into regex-syntax with its default features, which handoff uses; the
    // fallback only keeps a build without them from panicking.
    regex_syntax::try_is_word_character(c).unwrap_or_else(|_| c.is_alphanumeric())
}

/// Case-folds and folds white-space runs to one space, trimming the ends.
pub fn normalize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut pending_space = false;
    for c in s.chars() {
        if c.is_whitespace() {
            pending_space = !out.is_empty();
            continue;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        out.push(fold_char(c));
    }
    out
}

/// A keyword phrase, folded once, ready to be looked for in many texts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Phrase {
    chars: Vec<char>,
    need_start: bool,
    need_end: bool,
}

impl Phrase {
    /// `None` for a phrase that is empty once folded (lint reports those, E017).
    pub fn new(phrase: &str) -> Option<Phrase> {
        let chars: Vec<char> = normalize(phrase).chars().collect();
        let first = *chars.first()?;
        let need_end = chars.last().is_some_and(|c| is_word_char(*c));
        Some(Phrase {
            need_start: is_word_char(first),
            need_end,
            chars,
        })
    }

    /// The byte range of the first match in `text`.
    pub fn find(&self, text: &str) -> Option<(usize, usize)> {
        let first = *self.chars.first()?;
        let mut before: Option<char> = None;
        for (s, c) in text.char_indices() {
            let prev = before.replace(c);
            if fold_char(c) != first || (self.need_start && prev.is_some_and(is_word_char)) {
                continue;
            }
            let Some(len) = match_at(&self.chars, &text[s..]) else {
                continue;
            };
            let end = s + len;
            if self.need_end && text[end..].chars().next().is_some_and(is_word_char) {
                continue;
            }
            return Some((s, end));
        }
        None
    }

    pub fn is_in(&self, text: &str) -> bool {
        self.find(text).is_some()
    }
}

/// Where `phrase` occurs in `text` by the keyword rules: the byte range in `text` of the first
/// match, or `None`.
pub fn find_phrase(phrase: &str, text: &str) -> Option<(usize, usize)> {
    Phrase::new(phrase)?.find(text)
}

/// The length of the match of the folded phrase `p` at the start of `t`, if it matches there.
fn match_at(p: &[char], t: &str) -> Option<usize> {
    let mut it = t.char_indices().peekable();
    for &want in p {
        if want == ' ' {
            // A space in the phrase matches a run of at least one white-space character.
            if !it.peek().is_some_and(|(_, c)| c.is_whitespace()) {
                return None;
            }
            while it.peek().is_some_and(|(_, c)| c.is_whitespace()) {
                it.next();
            }
            continue;
        }
        let (_, c) = it.next()?;
        if fold_char(c) != want {
            return None;
        }
    }
    Some(it.peek().map_or(t.len(), |(i, _)| *i))
}

/// Whether `phrase` occurs in `text` by the keyword rules.
pub fn contains_phrase(phrase: &str, text: &str) -> bool {
    find_phrase(phrase, text).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #[test]
        fn blank_is_empty_when_trimmed(s in "[ \t\n\u{a0}\u{3000}a.é]{0,4}|\\PC{0,6}") {
            proptest::prop_assert_eq!(is_blank(&s), s.trim().is_empty());
        }
    }

    #[test]
    fn keyword_rules() {
        assert!(contains_phrase("agent", "I want an AGENT now"));
        assert!(!contains_phrase("agent", "agents"));
        assert!(!contains_phrase("agent", "reagent"));
        assert!(contains_phrase(
            "speak to  someone",
            "can I speak\tto someone?"
        ));
        assert!(contains_phrase("card:", "card:1234"));
        assert!(contains_phrase("ÉTÉ", "cet été"));
        assert_eq!(find_phrase("hold", "please hold."), Some((7, 11)));
        assert!(!contains_phrase("", "anything"));
    }

    #[test]
    fn normalized_hash_agrees_with_normalize() {
        assert_eq!(
            normalized_hash("  Where IS\n my   order "),
            normalized_hash("where is my order")
        );
        assert_eq!(
            normalized_hash("where is my order"),
            normalized_hash("WHERE  is my\torder")
        );
        assert_ne!(
            normalized_hash("where is my order"),
            normalized_hash("where is my orders")
        );
    }

    #[test]
    fn lowercase_comparison_agrees_with_to_lowercase() {
        for (s, lower) in [
            ("VIP", "vip"),
            ("vip", "vip"),
            ("Vip ", "vip"),
            ("vip", "vıp"),
            ("ÉLITE", "élite"),
            ("Gold", "gold"),
            ("gold", "Gold"),
        ] {
            let lower_of_lower = lower.to_lowercase();
            assert_eq!(
                lowercase_is(s, &lower_of_lower),
                s.to_lowercase() == lower_of_lower,
                "{s} / {lower}"
            );
        }
    }

    proptest::proptest! {
        #[test]
        fn digits_a_word_at_a_time(t in "[0-9/:a-z\u{80}-\u{10ffff}]{0,40}") {
            proptest::prop_assert_eq!(
                ascii_digits(t.as_bytes()),
                t.bytes().filter(u8::is_ascii_digit).count()
            );
        }
    }

    #[test]
    fn normalize_folds() {
        assert_eq!(normalize("  Where IS\n my   order "), "where is my order");
    }
}

/// A hash of `normalize(s)` computed without building the string, for counting repeated messages
/// (64 bits: a collision between two different texts of one conversation is not a practical risk).
pub fn normalized_hash(s: &str) -> u64 {
    let mut h = FxHasher::default();
    let mut pending_space = false;
    let mut any = false;
    let mut buf = [0u8; 4];
    for c in s.chars() {
        if c.is_whitespace() {
            pending_space = any;
            continue;
        }
        if pending_space {
            std::hash::Hasher::write_u8(&mut h, b' ');
            pending_space = false;
        }
        any = true;
        std::hash::Hasher::write(&mut h, fold_char(c).encode_utf8(&mut buf).as_bytes());
    }
    std::hash::Hasher::finish(&h)
}

/// The Fx hash of a string.
pub fn hash_str(s: &str) -> u64 {
    let mut h = FxHasher::default();
    std::hash::Hasher::write(&mut h, s.as_bytes());
    std::hash::Hasher::finish(&h)
}

/// How many ASCII digits `b` holds, counted eight bytes at a time.
pub fn ascii_digits(b: &[u8]) -> usize {
    use crate::swar::{HIGH, bytes_at_least};
    let digits = |chunk: &[u8]| {
        // The last word is padded with zero bytes, which are not digits.
        let mut w = [0u8; 8];
        w[..chunk.len()].copy_from_slice(chunk);
        let w = u64::from_le_bytes(w);
        // The low seven bits of each byte compared, bytes of UTF-8 sequences (high bit set) left out.
        let low7 = w & !HIGH;
        (bytes_at_least(low7, b'0') & !bytes_at_least(low7, b'9' + 1) & !w).count_ones() as usize
    };
    let mut words = b.chunks_exact(8);
    let n: usize = (&mut words).map(digits).sum();
    n + digits(words.remainder())
}

/// A small, fast, non-cryptographic hasher (the Fx hash of rustc) for keys that are not chosen by
/// an adversary who could profit from collisions: message texts and ids inside one conversation.
#[derive(Default, Clone, Copy)]
pub struct FxHasher(u64);

impl std::hash::Hasher for FxHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        const K: u64 = 0x517c_c1b7_2722_0a95;
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.0 = (self.0.rotate_left(5) ^ u64::from_le_bytes(w)).wrapping_mul(K);
        }
        for b in chunks.remainder() {
            self.0 = (self.0.rotate_left(5) ^ u64::from(*b)).wrapping_mul(K);
        }
    }
    fn write_u8(&mut self, b: u8) {
        self.0 = (self.0.rotate_left(5) ^ u64::from(b)).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
}

/// A hash-map builder using [`FxHasher`].
pub type FxBuild = std::hash::BuildHasherDefault<FxHasher>;

/// Whether `s` is empty or white space only (`s.trim().is_empty()`), without the trim where it
/// starts with a visible ASCII character, as almost every field value does.
#[inline]
pub fn is_blank(s: &str) -> bool {
    match s.as_bytes().first() {
        None => true,
        Some(b) if b.is_ascii_graphic() => false,
        Some(_) => s.trim().is_empty(),
    }
}

/// Whether `s.to_lowercase() == lower`, for a `lower` that is already lowercase; without
/// allocating when `s` is ASCII, as segment values almost always are.
pub fn lowercase_is(s: &str, lower: &str) -> bool {
    if s.is_ascii() {
        // ASCII lowercases byte by byte, and no character lowercases to an ASCII capital.
        s.len() == lower.len()
            && s.bytes()
                .zip(lower.bytes())
                .all(|(a, b)| a.to_ascii_lowercase() == b)
    } else {
        s.to_lowercase() == lower
    }
}

/// A text cell as a spreadsheet will not run it: a leading `=`, `+`, `-`, `@`, tab or CR would
/// start a formula, so such cells get a leading `'` (the spreadsheet convention for "text").
/// handoff's CSV importer drops that apostrophe again, so its own CSV reads back unchanged.
pub fn csv_text(s: &str) -> std::borrow::Cow<'_, str> {
    match s.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{s}").into(),
        _ => s.into(),
    }
}

/// The inverse of [`csv_text`] for cells read from CSV.
pub fn csv_untext(s: &str) -> &str {
    match s.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest,
        _ => s,
    }
}

/// A count with its noun in the right number: `1 warning`, `2 warnings`, `0 files`.
pub fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The candidate closest to `name`, for a "did you mean" in a message, if one is close enough
/// (Jaro-Winkler similarity of at least 0.8, ignoring case; the first of equally close ones).
/// Lint suggests lane, field and key names with it, the configuration and gates metric names,
/// `handoff rules` check codes.
pub fn did_you_mean<'c>(
    name: &str,
    candidates: impl IntoIterator<Item = &'c str>,
) -> Option<&'c str> {
    let mut best: Option<(&str, f64)> = None;
    for c in candidates {
        let score = strsim::jaro_winkler(&name.to_lowercase(), &c.to_lowercase());
        if score >= 0.8 && best.is_none_or(|(_, b)| score > b) {
            best = Some((c, score));
        }
    }
    best.map(|(c, _)| c)
}

//! Text matching shared by lint and replay: case folding and keyword phrases.
//!
//! A keyword phrase matches case-insensitively (Unicode simple case folding), any run of white space
//! in the phrase matches any run in the text, and where the phrase begins or ends with a word
//! character (a Unicode letter, digit or `_`) the text must not continue with one there — so
//! `agent` does not fire on "agents" or "reagent", but `card:` fires on "card:1234".

/// Folds one character for caseless comparison. Rust's `to_lowercase` is full lowercasing; where it
/// yields one character that is the simple fold, and the rare multi-character results (`İ`) keep
/// the character itself, which is what simple case folding does for them.
pub fn fold_char(c: char) -> char {
    let mut lower = c.to_lowercase();
    match (lower.next(), lower.next()) {
        (Some(l), None) => l,
        _ => c,
    }
}

/// A word character: a Unicode letter, digit or `_`.
pub fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
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

/// Where `phrase` occurs in `text` by the keyword rules: the byte range in `text` of the first
/// match, or `None`.
pub fn find_phrase(phrase: &str, text: &str) -> Option<(usize, usize)> {
    let p: Vec<char> = normalize(phrase).chars().collect();
    if p.is_empty() {
        return None;
    }
    let t: Vec<(usize, char)> = text.char_indices().collect();
    let need_start = is_word_char(p[0]);
    let need_end = p.last().is_some_and(|c| is_word_char(*c));
    'outer: for s in 0..t.len() {
        if need_start && s > 0 && is_word_char(t[s - 1].1) {
            continue;
        }
        let (mut i, mut j) = (s, 0);
        while j < p.len() {
            if i >= t.len() {
                continue 'outer;
            }
            if p[j] == ' ' {
                if !t[i].1.is_whitespace() {
                    continue 'outer;
                }
                while i < t.len() && t[i].1.is_whitespace() {
                    i += 1;
                }
                j += 1;
                continue;
            }
            if fold_char(t[i].1) != p[j] {
                continue 'outer;
            }
            i += 1;
            j += 1;
        }
        if need_end && i < t.len() && is_word_char(t[i].1) {
            continue;
        }
        let end = t.get(i).map_or(text.len(), |(b, _)| *b);
        return Some((t[s].0, end));
    }
    None
}

/// Whether `phrase` occurs in `text` by the keyword rules.
pub fn contains_phrase(phrase: &str, text: &str) -> bool {
    find_phrase(phrase, text).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn normalize_folds() {
        assert_eq!(normalize("  Where IS\n my   order "), "where is my order");
    }
}

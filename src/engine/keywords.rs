//! Every keyword phrase of a matrix in one automaton.
//!
//! A customer message is folded once (simple case folding, white-space runs to one space), one
//! Aho–Corasick pass over it finds every phrase of every trigger and of the trap's opt-out list, and
//! word boundaries are checked only on those candidate hits. This replaces one scan per phrase per
//! message, and is why the number of keywords in a matrix hardly changes replay time.

use aho_corasick::{AhoCorasick, MatchKind};

use crate::text::{fold_char, is_word_char, normalize};

/// The phrases of a matrix, by id.
#[derive(Debug, Clone)]
pub struct Keywords {
    phrases: Vec<String>,
    /// Whether a phrase needs a word boundary before / after it.
    bounds: Vec<(bool, bool)>,
    automaton: Option<AhoCorasick>,
}

impl Keywords {
    /// Collects phrases; [`Keywords::id`] gives each its id as it is added.
    pub fn new() -> Keywords {
        Keywords {
            phrases: Vec::new(),
            bounds: Vec::new(),
            automaton: None,
        }
    }

    /// The id of a phrase (added if new), or `None` for a phrase that folds to nothing.
    pub fn id(&mut self, phrase: &str) -> Option<usize> {
        let folded = normalize(phrase);
        let first = folded.chars().next()?;
        if let Some(i) = self.phrases.iter().position(|p| *p == folded) {
            return Some(i);
        }
        let last = folded.chars().last().unwrap_or(first);
        self.bounds.push((is_word_char(first), is_word_char(last)));
        self.phrases.push(folded);
        Some(self.phrases.len() - 1)
    }

    /// Builds the automaton once every phrase is added.
    pub fn build(&mut self) -> Result<(), aho_corasick::BuildError> {
        if !self.phrases.is_empty() {
            self.automaton = Some(
                AhoCorasick::builder()
                    .match_kind(MatchKind::Standard)
                    .build(&self.phrases)?,
            );
        }
        Ok(())
    }

    pub fn len(&self) -> usize {
        self.phrases.len()
    }

    pub fn is_empty(&self) -> bool {
        self.phrases.is_empty()
    }

    /// Marks in `hits` (one flag per phrase) the phrases `text` contains. `buf` is reused and holds
    /// the folded text afterwards (its trimmed form is the `repeats` key).
    pub fn scan(&self, text: &str, buf: &mut String, hits: &mut [bool]) {
        hits.iter_mut().for_each(|h| *h = false);
        fold_into(text, buf);
        let Some(ac) = &self.automaton else { return };
        let b = buf.as_str();
        for m in ac.find_overlapping_iter(b) {
            let id = m.pattern().as_usize();
            if hits[id] {
                continue;
            }
            let (need_start, need_end) = self.bounds[id];
            if need_start && b[..m.start()].chars().next_back().is_some_and(is_word_char) {
                continue;
            }
            if need_end && b[m.end()..].chars().next().is_some_and(is_word_char) {
                continue;
            }
            hits[id] = true;
        }
    }
}

impl Default for Keywords {
    fn default() -> Self {
        Keywords::new()
    }
}

/// Folds `text` into `out` the way phrases are folded: case-folded, white-space runs to one space.
/// Leading and trailing white space stay as one space, so boundaries are still seen there.
fn fold_into(text: &str, out: &mut String) {
    out.clear();
    if text.is_ascii() {
        // Most chat text is ASCII: fold bytes without decoding characters.
        let mut bytes = std::mem::take(out).into_bytes();
        let mut space = false;
        for &b in text.as_bytes() {
            if b.is_ascii_whitespace() || b == 0x0b {
                if !space {
                    bytes.push(b' ');
                    space = true;
                }
                continue;
            }
            space = false;
            bytes.push(b.to_ascii_lowercase());
        }
        // Only ASCII bytes were pushed.
        *out = String::from_utf8(bytes).unwrap_or_default();
        return;
    }
    let mut space = false;
    for c in text.chars() {
        if c.is_whitespace() {
            if !space {
                out.push(' ');
                space = true;
            }
            continue;
        }
        space = false;
        out.push(fold_char(c));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_pass_finds_every_phrase_with_boundaries() {
        let mut k = Keywords::new();
        let human = k.id("human").expect("phrase");
        let speak = k.id("Speak to  someone").expect("phrase");
        let card = k.id("card:").expect("phrase");
        let agent = k.id("agent").expect("phrase");
        k.build().expect("automaton");
        let mut hits = vec![false; k.len()];
        let mut buf = String::new();
        k.scan(
            "Can I SPEAK\tto someone, a HUMAN? card:1234",
            &mut buf,
            &mut hits,
        );
        assert!(hits[human] && hits[speak] && hits[card] && !hits[agent]);
        k.scan("our agents and humanity", &mut buf, &mut hits);
        assert!(!hits[human] && !hits[agent]);
        assert_eq!(
            k.id("HUMAN"),
            Some(human),
            "the same folded phrase has one id"
        );
    }
}

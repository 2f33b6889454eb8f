//! Every keyword phrase of a matrix in one automaton.
//!
//! A customer message is folded once (simple case folding, white-space runs to one space), one
//! Aho–Corasick pass over it finds every phrase of every trigger and of the trap's opt-out list, and
//! word boundaries are checked only on those candidate hits. This replaces one scan per phrase per
//! message, and is why the number of keywords in a matrix hardly changes replay time.

use aho_corasick::automaton::{Automaton, StateID};
use aho_corasick::nfa::{contiguous, noncontiguous};
use aho_corasick::{Anchored, MatchKind, PatternID, dfa};

use std::collections::HashMap;

use crate::swar::{HIGH, bytes_at_least, equal};
use crate::text::{FxBuild, fold_char, is_word_char, normalize};

/// Phrases past which no DFA is tried (building one is quadratic-ish in the worst case).
const MAX_DFA_PHRASES: usize = 5000;

/// The largest DFA kept: beyond it, the table no longer stays in a core's cache.
const MAX_DFA_BYTES: usize = 1 << 20;

/// The phrases of a matrix, by id.
#[derive(Debug, Clone)]
pub struct Keywords {
    phrases: Vec<String>,
    /// Whether a phrase needs a word boundary before / after it.
    bounds: Vec<(bool, bool)>,
    /// The id of each (phrase, bounds): a large matrix adds a thousand.
    ids: HashMap<(String, (bool, bool)), usize, FxBuild>,
    automaton: Option<Matcher>,
}

/// The automaton, walked byte by byte here rather than through the crate's overlapping iterator:
/// on chat-sized texts the iterator's set-up and per-match bookkeeping cost more than the walk.
#[derive(Debug, Clone)]
enum Matcher {
    /// For the few phrases of a usual matrix: one table lookup a byte.
    Dfa(dfa::DFA),
    /// For many phrases, where a DFA grows too large (as the crate itself chooses).
    Nfa(contiguous::NFA),
}

impl Keywords {
    /// Collects phrases; [`Keywords::id`] gives each its id as it is added.
    pub fn new() -> Keywords {
        Keywords {
            phrases: Vec::new(),
            bounds: Vec::new(),
            ids: HashMap::default(),
            automaton: None,
        }
    }

    /// The id of a phrase (added if new), or `None` for a phrase that folds to nothing.
    pub fn id(&mut self, phrase: &str) -> Option<usize> {
        let folded = normalize(phrase);
        let first = folded.chars().next()?;
        let last = folded.chars().last().unwrap_or(first);
        Some(self.add(folded, (is_word_char(first), is_word_char(last))))
    }

    /// The id of a text found anywhere, without word boundaries (added if new), or `None` for a
    /// text that folds to nothing: the literals a regex's matches start with.
    pub fn literal_id(&mut self, text: &str) -> Option<usize> {
        let folded = normalize(text);
        (!folded.is_empty()).then(|| self.add(folded, (false, false)))
    }

    /// Adds every phrase of `other` (before [`Keywords::build`]); returns, by id in `other`, the
    /// phrase's id here. Matrices replayed together scan each message once with the union.
    pub fn absorb(&mut self, other: &Keywords) -> Vec<usize> {
        (other.phrases.iter().zip(&other.bounds))
            .map(|(p, b)| self.add(p.clone(), *b))
            .collect()
    }

    fn add(&mut self, folded: String, bounds: (bool, bool)) -> usize {
        let next = self.phrases.len();
        let id = *self.ids.entry((folded.clone(), bounds)).or_insert(next);
        if id == next {
            self.bounds.push(bounds);
            self.phrases.push(folded);
        }
        id
    }

    /// Builds the automaton once every phrase is added.
    pub fn build(&mut self) -> Result<(), aho_corasick::BuildError> {
        if !self.phrases.is_empty() {
            // No prefilter: it would make start states special, which the walk does not use.
            let nfa = noncontiguous::NFA::builder()
                .match_kind(MatchKind::Standard)
                .prefilter(false)
                .build(&self.phrases)?;
            // The crate's own default keeps a DFA to 100 patterns; keyword phrases are short, and
            // a matrix with a multilingual escape hatch has a few hundred, whose DFA is still a
            // few hundred kilobytes: the size, not the count, decides.
            let dfa = (self.phrases.len() <= MAX_DFA_PHRASES)
                .then(|| dfa::DFA::builder().build_from_noncontiguous(&nfa).ok())
                .flatten()
                .filter(|d| d.memory_usage() <= MAX_DFA_BYTES);
            self.automaton = Some(match dfa {
                Some(d) => Matcher::Dfa(d),
                None => Matcher::Nfa(contiguous::NFA::builder().build_from_noncontiguous(&nfa)?),
            });
        }
        Ok(())
    }

    pub fn len(&self) -> usize {
        self.phrases.len()
    }

    pub fn is_empty(&self) -> bool {
        self.phrases.is_empty()
    }

    /// Sets `hits` to the phrases `text` contains, and returns whether it contains any. `buf` is
    /// reused and holds the folded text afterwards (its trimmed form is the `repeats` key).
    pub fn scan(&self, text: &str, buf: &mut String, hits: &mut Hits) -> bool {
        hits.reset(self.phrases.len());
        fold_into(text, buf);
        let b = buf.as_str();
        let mut hit = |pid: PatternID, start: usize, end: usize| {
            let id = pid.as_usize();
            if hits.contains(id) {
                return;
            }
            let (need_start, need_end) = self.bounds[id];
            if need_start && b[..start].chars().next_back().is_some_and(is_word_char) {
                return;
            }
            if need_end && b[end..].chars().next().is_some_and(is_word_char) {
                return;
            }
            hits.insert(id);
        };
        match &self.automaton {
            Some(Matcher::Dfa(a)) => occurrences(a, b.as_bytes(), &mut hit),
            Some(Matcher::Nfa(a)) => occurrences(a, b.as_bytes(), &mut hit),
            None => {}
        }
        !hits.ids.is_empty()
    }
}

/// The phrases one text contains: a flag per phrase id, and the ids flagged. A matrix may have a
/// thousand phrases and a message holds a few: the next text clears the few, and replay looks up
/// the conditions of the few.
#[derive(Debug, Clone, Default)]
pub struct Hits {
    flags: Vec<bool>,
    ids: Vec<usize>,
}

impl Hits {
    /// No hits among `n` phrases.
    pub fn new(n: usize) -> Hits {
        let mut h = Hits::default();
        h.reset(n);
        h
    }

    /// Clears every hit, for `n` phrases.
    pub fn reset(&mut self, n: usize) {
        for &i in &self.ids {
            self.flags[i] = false;
        }
        self.ids.clear();
        if self.flags.len() != n {
            self.flags.clear();
            self.flags.resize(n, false);
        }
    }

    fn insert(&mut self, id: usize) {
        self.flags[id] = true;
        self.ids.push(id);
    }

    /// Whether the text contains phrase `id`; `false` for an id out of range.
    #[inline]
    pub fn contains(&self, id: usize) -> bool {
        self.flags.get(id).copied().unwrap_or(false)
    }

    /// The ids of the phrases found, in the order they were first found.
    pub fn ids(&self) -> &[usize] {
        &self.ids
    }

    /// One flag per phrase.
    pub fn flags(&self) -> &[bool] {
        &self.flags
    }
}

impl std::ops::Index<usize> for Hits {
    type Output = bool;
    fn index(&self, id: usize) -> &bool {
        &self.flags[id]
    }
}

/// Calls `f` with every occurrence (pattern, start, end) of every pattern in `hay`, overlapping
/// ones included: what the crate's overlapping search reports, in the same order.
#[inline]
fn occurrences<A: Automaton>(a: &A, hay: &[u8], f: &mut impl FnMut(PatternID, usize, usize)) {
    let Ok(mut sid) = a.start_state(Anchored::No) else {
        return;
    };
    let mut report = |sid: StateID, end: usize| {
        for i in 0..a.match_len(sid) {
            let pid = a.match_pattern(sid, i);
            f(pid, end - a.pattern_len(pid), end);
        }
    };
    // Phrases are never empty, but an automaton with the empty pattern matches at the start.
    if a.is_match(sid) {
        report(sid, 0);
    }
    for (i, &byte) in hay.iter().enumerate() {
        sid = a.next_state(Anchored::No, sid, byte);
        if a.is_special(sid) {
            if a.is_dead(sid) {
                return;
            }
            if a.is_match(sid) {
                report(sid, i + 1);
            }
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
        // Most chat text is ASCII: fold eight bytes at a time without decoding characters.
        let mut bytes = std::mem::take(out).into_bytes();
        fold_ascii(text.as_bytes(), &mut bytes);
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

/// Folds ASCII `text` onto the end of `out`: the byte-wise fold (ASCII lowercase, runs of
/// white space to one space), but a word of eight bytes at a time where the word holds no white
/// space other than single spaces, which is almost every word of chat text.
fn fold_ascii(text: &[u8], out: &mut Vec<u8>) {
    out.reserve(text.len());
    // Whether the last byte written is a space that stands for white space.
    let mut space = false;
    let mut words = text.chunks_exact(8);
    for chunk in &mut words {
        let mut w = [0u8; 8];
        w.copy_from_slice(chunk);
        let w = u64::from_le_bytes(w);
        // Bytes below 0x21: spaces, other white space and control characters.
        let low = !bytes_at_least(w, 0x21) & HIGH;
        let spaces = equal(w, b' ');
        // Little endian: byte i sits in bits 8i..8i+8, so `spaces << 8` is each space's successor.
        let single = low == spaces && spaces & (spaces << 8) == 0 && !(space && spaces & 0x80 != 0);
        if !single {
            space = fold_bytes(chunk, out, space);
            continue;
        }
        let upper = bytes_at_least(w, b'A') & !bytes_at_least(w, b'Z' + 1);
        // An upper-case ASCII letter becomes lower case by setting bit 5 (0x80 >> 2).
        out.extend_from_slice(&(w | (upper >> 2)).to_le_bytes());
        space = spaces >> 56 != 0;
    }
    fold_bytes(words.remainder(), out, space);
}

/// The byte-wise fold of ASCII `text` onto `out`, `space` saying whether `out` ends in a folded
/// white-space run; returns the same for after `text`.
fn fold_bytes(text: &[u8], out: &mut Vec<u8>, mut space: bool) -> bool {
    for &b in text {
        if b.is_ascii_whitespace() || b == 0x0b {
            if !space {
                out.push(b' ');
                space = true;
            }
            continue;
        }
        space = false;
        out.push(b.to_ascii_lowercase());
    }
    space
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
        let mut hits = Hits::new(k.len());
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

    #[test]
    fn a_literal_is_found_inside_words() {
        let mut k = Keywords::new();
        let human = k.id("human").expect("phrase");
        let inside = k.literal_id("HUMAN").expect("literal");
        let colon = k.id("::").expect("phrase");
        assert_ne!(human, inside, "the phrase keeps its word boundaries");
        assert_eq!(
            k.literal_id("::"),
            Some(colon),
            "no boundary to check either way"
        );
        assert_eq!(k.literal_id(" \t"), None);
        k.build().expect("automaton");
        let mut hits = Hits::new(k.len());
        let mut buf = String::new();
        k.scan("Humanity", &mut buf, &mut hits);
        assert!(hits[inside] && !hits[human]);
        k.scan("a human", &mut buf, &mut hits);
        assert!(hits[inside] && hits[human]);
    }

    /// The fold of ASCII text one byte at a time, as it was before words of eight bytes.
    fn fold_ascii_bytewise(text: &str) -> String {
        let mut out = Vec::new();
        fold_bytes(text.as_bytes(), &mut out, false);
        String::from_utf8(out).unwrap_or_default()
    }

    /// The keyword scan as it was, through the crate's overlapping iterator.
    fn scan_by_iterator(k: &Keywords, text: &str) -> Vec<bool> {
        let ac = aho_corasick::AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .build(&k.phrases)
            .unwrap_or_else(|e| panic!("{e}"));
        let mut hits = vec![false; k.len()];
        let mut b = String::new();
        fold_into(text, &mut b);
        for m in ac.find_overlapping_iter(&b) {
            let (need_start, need_end) = k.bounds[m.pattern().as_usize()];
            let before = b[..m.start()].chars().next_back().is_some_and(is_word_char);
            let after = b[m.end()..].chars().next().is_some_and(is_word_char);
            if !((need_start && before) || (need_end && after)) {
                hits[m.pattern().as_usize()] = true;
            }
        }
        hits
    }

    fn phrase_set(many: bool) -> Keywords {
        let mut k = Keywords::new();
        for p in [
            "human",
            "agent",
            "real person",
            "a",
            "an",
            "human agent",
            "ag",
            "é",
            "ü-",
            "-",
        ] {
            k.id(p);
        }
        k.literal_id("hum");
        k.literal_id("man");
        if many {
            // Past the size where the DFA is kept: the NFA walk.
            for i in 0..4000 {
                k.literal_id(&format!("x{i}y"));
            }
        }
        k.build().unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(matches!(k.automaton, Some(Matcher::Nfa(_))), many);
        k
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(1000))]

        /// The walk finds the phrases the crate's overlapping search finds, with either automaton.
        #[test]
        fn the_walk_finds_what_the_iterator_finds(
            t in "(human|agent|real|person|an?|x[0-9]{1,4}y|é|ü|-| |\\t|Ü|[a-zA-Z])*",
        ) {
            static SETS: std::sync::LazyLock<[Keywords; 2]> =
                std::sync::LazyLock::new(|| [phrase_set(false), phrase_set(true)]);
            for k in &*SETS {
                let mut hits = Hits::new(k.len());
                let any = k.scan(&t, &mut String::new(), &mut hits);
                proptest::prop_assert_eq!(hits.flags(), &scan_by_iterator(k, &t)[..], "{}", t);
                proptest::prop_assert_eq!(any, hits.flags().contains(&true));
                proptest::prop_assert_eq!(hits.ids().len(), hits.flags().iter().filter(|h| **h).count());
            }
        }
    }

    /// What SPEC section 2 says a phrase is, written as the regex it equals: `(?i)`, the phrase's
    /// words escaped and joined by `\s+`, and `\b` at an edge that is a word character (by the
    /// regex's own `\w`, so this side knows nothing of handoff's tables).
    fn as_regex(phrase: &str) -> Option<regex::Regex> {
        static WORD: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
            regex::Regex::new(r"^\w$").unwrap_or_else(|e| panic!("{e}"))
        });
        let words: Vec<String> = phrase.split_whitespace().map(regex::escape).collect();
        let trimmed = phrase.trim();
        let (first, last) = (trimmed.chars().next()?, trimmed.chars().last()?);
        let edge = |c: char| {
            if WORD.is_match(&c.to_string()) {
                r"\b"
            } else {
                ""
            }
        };
        let pattern = format!("(?i){}{}{}", edge(first), words.join(r"\s+"), edge(last));
        regex::Regex::new(&pattern).ok()
    }

    /// Characters where lower-casing, case folding and word characters part ways: long s, Kelvin,
    /// micro and Greek mu, final sigma, theta symbols, sharp s, dotted and dotless i, Cherokee,
    /// a combining accent, connector punctuation, a superscript (not `\w`), a Roman numeral
    /// (alphabetic), Arabic-Indic digits, the zero-width joiner, white space of several kinds.
    const TRICKY: &str =
        "aAsSſkKKµμΜσςΣθϑΘϴßẞİiIıéÉ\u{301}_‿²Ⅻ٣\u{200d}ᎠꭰοδΟΔ -.!:\t\u{a0}\u{3000}";

    fn tricky(n: std::ops::Range<usize>) -> impl proptest::strategy::Strategy<Value = String> {
        let chars: Vec<char> = TRICKY.chars().collect();
        proptest::collection::vec(proptest::sample::select(chars), n)
            .prop_map(|v| v.into_iter().collect())
    }

    /// Swaps each character of `text` for another of its simple case orbit, as `seed` picks.
    fn recase(text: &str, seed: &[u8]) -> String {
        const ORBITS: [&str; 12] = [
            "aA", "sSſ", "kKK", "µμΜ", "σςΣ", "θϑΘϴ", "ßẞ", "iI", "éÉ", "Ꭰꭰ", "οΟ", "δΔ",
        ];
        text.chars()
            .enumerate()
            .map(|(i, c)| {
                let orbit = ORBITS.iter().find(|o| o.contains(c));
                orbit.map_or(c, |o| {
                    let v: Vec<char> = o.chars().collect();
                    v[usize::from(seed.get(i).copied().unwrap_or(0)) % v.len()]
                })
            })
            .collect()
    }

    use proptest::strategy::Strategy as _;

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(3000))]

        /// A phrase matches a text exactly when its regex does: random texts, and texts that hold
        /// the phrase in other cases with something before and after it.
        #[test]
        fn a_phrase_matches_where_its_regex_does(
            phrase in tricky(1..4),
            noise in tricky(0..10),
            (before, after) in (tricky(0..3), tricky(0..3)),
            seed in proptest::collection::vec(0u8..4, 4),
        ) {
            let Some(re) = as_regex(&phrase) else { return Ok(()) };
            let mut k = Keywords::new();
            let Some(id) = k.id(&phrase) else { return Ok(()) };
            k.build().unwrap_or_else(|e| panic!("{e}"));
            let mut hits = Hits::new(k.len());
            let mut buf = String::new();
            let placed = format!("{before}{}{after}", recase(&phrase, &seed));
            for text in [noise.as_str(), placed.as_str()] {
                k.scan(text, &mut buf, &mut hits);
                proptest::prop_assert_eq!(hits[id], re.is_match(text), "{:?} in {:?} ({})", phrase, text, re.as_str());
                let lint = crate::text::contains_phrase(&phrase, text);
                proptest::prop_assert_eq!(lint, re.is_match(text), "lint's matcher: {:?} in {:?}", phrase, text);
            }
        }
    }

    #[test]
    fn case_folding_is_simple_case_folding() {
        let mut k = Keywords::new();
        let ids: Vec<usize> = ["οδος", "stop", "μ", "θ", "ꭰ", "strasse", "i"]
            .iter()
            .map(|p| k.id(p).expect("phrase"))
            .collect();
        k.build().expect("automaton");
        let mut hits = Hits::new(k.len());
        let mut buf = String::new();
        for (text, want) in [("ΟΔΟΣ", 0), ("ſtop", 1), ("µ", 2), ("ϑ", 3), ("Ꭰ", 4)] {
            k.scan(text, &mut buf, &mut hits);
            assert!(hits[ids[want]], "{text}");
        }
        // Simple folding keeps one character for one: ß is not "ss", İ is not "i".
        k.scan("STRAẞE İ", &mut buf, &mut hits);
        assert!(!hits[ids[5]] && !hits[ids[6]]);
    }

    /// The default opt-out phrases (the shipped hatches) with a matrix's other keywords still
    /// get the DFA: one table lookup a byte on the hot path.
    #[test]
    fn a_multilingual_hatch_keeps_the_dfa() {
        let mut k = Keywords::new();
        for p in crate::matrix::defaults::OPTOUT_PHRASES {
            k.id(p);
            k.id(&format!("{p} x"));
        }
        k.build().expect("automaton");
        assert!(matches!(k.automaton, Some(Matcher::Dfa(_))), "{}", k.len());
    }

    /// The thousand phrases of the multilingual benchmark matrix, in four languages and two
    /// scripts.
    fn multilingual() -> Vec<&'static str> {
        include_str!("../../tests/fixtures/multilingual/phrases.txt")
            .lines()
            .collect()
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(300))]

        /// A thousand phrases in one automaton find in a text exactly the phrases that lint's
        /// matcher, one phrase at a time, finds there: texts of phrases in upper and lower case,
        /// joined by white space, by nothing (inside words) or by punctuation.
        #[test]
        fn a_thousand_phrases_find_what_each_finds_alone(
            parts in proptest::collection::vec((0usize..1000, 0u8..4, proptest::bool::ANY), 0..6),
        ) {
            static LARGE: std::sync::LazyLock<(Vec<&'static str>, Keywords, Vec<usize>)> =
                std::sync::LazyLock::new(|| {
                    let phrases = multilingual();
                    let mut k = Keywords::new();
                    let ids = phrases.iter().map(|p| k.id(p).expect("phrase")).collect();
                    k.build().unwrap_or_else(|e| panic!("{e}"));
                    (phrases, k, ids)
                });
            let (phrases, k, ids) = &*LARGE;
            let mut text = String::new();
            for &(i, sep, upper) in &parts {
                let p = phrases[i % phrases.len()];
                text.push_str(&if upper { p.to_uppercase() } else { p.to_owned() });
                text.push_str(["  ", "", "\t", "!"][usize::from(sep)]);
            }
            let mut hits = Hits::new(k.len());
            k.scan(&text, &mut String::new(), &mut hits);
            for (p, id) in phrases.iter().zip(ids) {
                proptest::prop_assert_eq!(hits[*id], crate::text::contains_phrase(p, &text), "{:?} in {:?}", p, text);
            }
        }
    }

    #[test]
    fn word_fold_edges() {
        for t in [
            "",
            "A",
            "ABCDEFGH",
            "ab  cdefgh",
            "abcdefg ",
            " bcdefgh",
            "abcdefg  ijklmnop",
            "abcdefg\tijklmno",
            "@[`{ AZaz\x0b\x0c\x1f\x7f",
            "Hello World, WHERE is my ORDER #77673?",
        ] {
            let mut buf = String::new();
            fold_into(t, &mut buf);
            assert_eq!(buf, fold_ascii_bytewise(t), "{t:?}");
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(4000))]

        /// A word at a time folds exactly as byte by byte, white space and case anywhere in a word.
        #[test]
        fn word_fold_is_the_byte_fold(t in "[ \t\n\x0b\x0c\r\x00-\x7fA-Za-z@\\[`{]{0,40}") {
            let mut buf = String::from("left over");
            fold_into(&t, &mut buf);
            proptest::prop_assert_eq!(buf, fold_ascii_bytewise(&t));
        }
    }
}

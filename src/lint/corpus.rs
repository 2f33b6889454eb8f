//! The escape-hatch corpus behind W116: ways customers ask for a person, and ordinary questions
//! and complaints that are not such requests, in the languages handoff ships phrases for.
//!
//! Both lists are text files beside this module (`corpus/requests.tsv`, `corpus/ordinary.tsv`),
//! one message a line after its language code, written for handoff from how customers write to
//! support lines (typos, missing accents, mixed scripts), not copied from a dataset. They are
//! compiled in, so `handoff lint` judges an escape hatch with no file to find at run time, and
//! [`summary`] is what `handoff rules W116` adds to the check's explanation, so the documentation
//! counts what is really there.

use std::sync::LazyLock;

/// One message of the corpus.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sample {
    /// The language code, one of [`LANGUAGES`].
    pub lang: &'static str,
    pub text: &'static str,
}

/// The corpus's languages: code and name, in the order reports list them.
pub const LANGUAGES: [(&str, &str); 5] = [
    ("en", "English"),
    ("es", "Spanish"),
    ("pt", "Portuguese"),
    ("hi", "Hindi/Hinglish"),
    ("fr", "French"),
];

/// The name of a language code.
pub fn language(code: &str) -> &'static str {
    LANGUAGES
        .iter()
        .find(|(c, _)| *c == code)
        .map_or("another language", |(_, n)| n)
}

fn parse(text: &'static str) -> Vec<Sample> {
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| l.split_once('\t'))
        .map(|(lang, text)| Sample { lang, text })
        .collect()
}

static REQUESTS: LazyLock<Vec<Sample>> =
    LazyLock::new(|| parse(include_str!("corpus/requests.tsv")));
static ORDINARY: LazyLock<Vec<Sample>> =
    LazyLock::new(|| parse(include_str!("corpus/ordinary.tsv")));

/// Requests for a person.
pub fn requests() -> &'static [Sample] {
    &REQUESTS
}

/// Messages that are not requests for a person.
pub fn ordinary() -> &'static [Sample] {
    &ORDINARY
}

/// How many of `samples` are in `lang`.
pub fn count(samples: &[Sample], lang: &str) -> usize {
    samples.iter().filter(|s| s.lang == lang).count()
}

/// The corpus described for `handoff rules W116`: its size by language and a few examples.
pub fn summary() -> String {
    let mut s = String::from("## The corpus\n");
    s.push_str(&format!(
        "{} requests for a person and {} ordinary messages, compiled into handoff from \
         src/lint/corpus/requests.tsv and src/lint/corpus/ordinary.tsv:\n\n",
        requests().len(),
        ordinary().len()
    ));
    for (code, name) in LANGUAGES {
        let examples: Vec<String> = requests()
            .iter()
            .filter(|r| r.lang == code)
            .take(3)
            .map(|r| format!("\"{}\"", r.text))
            .collect();
        s.push_str(&format!(
            "- {name}: {} requests ({}, …), {} ordinary messages\n",
            count(requests(), code),
            examples.join(", "),
            count(ordinary(), code)
        ));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::matrix::defaults::OPTOUT_PHRASES;
    use crate::text::contains_phrase;

    #[test]
    fn the_corpus_is_large_enough_in_every_language() {
        assert!(requests().len() >= 300, "{}", requests().len());
        assert!(ordinary().len() >= 300, "{}", ordinary().len());
        for s in requests().iter().chain(ordinary()) {
            assert!(
                LANGUAGES.iter().any(|(c, _)| *c == s.lang),
                "unknown language {:?} for {:?}",
                s.lang,
                s.text
            );
            assert!(!s.text.trim().is_empty());
        }
        for (code, _) in LANGUAGES {
            assert!(count(requests(), code) >= 50, "{code}");
            assert!(count(ordinary(), code) >= 50, "{code}");
        }
        let both: Vec<&str> = requests()
            .iter()
            .filter(|r| ordinary().iter().any(|o| o.text == r.text))
            .map(|r| r.text)
            .collect();
        assert!(both.is_empty(), "in both lists: {both:?}");
    }

    /// The trap's default opt-out phrases hear at least 95 % of the requests and at most 2 % of
    /// the ordinary messages.
    #[test]
    fn the_default_optout_phrases_hear_the_requests_and_little_else() {
        let hears = |t: &str| OPTOUT_PHRASES.iter().any(|p| contains_phrase(p, t));
        let caught = requests().iter().filter(|r| hears(r.text)).count();
        let wrong = ordinary().iter().filter(|o| hears(o.text)).count();
        assert!(
            caught * 100 >= requests().len() * 95,
            "{caught} of {}",
            requests().len()
        );
        assert!(
            wrong * 100 <= ordinary().len() * 2,
            "{wrong} of {}",
            ordinary().len()
        );
    }

    #[test]
    fn the_summary_counts_every_language() {
        let s = summary();
        for (_, name) in LANGUAGES {
            assert!(s.contains(name), "{s}");
        }
    }
}

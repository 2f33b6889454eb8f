//! The labelled corpus `tests/fixtures/pii/corpus.tsv`: how well the definitions of SPEC section 2
//! find what a person would call a card or a phone number, in the ways people write them and
//! beside the ids, file names, dates and codes that look like them.
//!
//! Each line is `expected<TAB>text`, where `expected` is the text masked as a person would mask
//! it. Detection is scored per kind — [`has_card`] or [`has_phone`] against whether `expected`
//! holds `[card]` or `[phone]` — and masking by how many texts [`redact`] turns into exactly
//! `expected`. The figures go to stderr on every run (the test harness does not capture it), so a
//! change to the scanner shows what it did to them; the floors below fail the test when they drop.
//! `cargo test --lib pii::corpus -- --nocapture` also lists every string scored as a miss.

use std::io::Write as _;

use super::{has_card, has_phone, redact};

/// The lowest scores accepted, just under those measured when the corpus was labelled
/// (`docs/pii.md` lists them and explains every miss), so that one more miss fails.
const CARD_PRECISION: f64 = 0.95;
const CARD_RECALL: f64 = 0.94;
const PHONE_PRECISION: f64 = 0.825;
const PHONE_RECALL: f64 = 0.88;
const EXACT_MASKS: f64 = 0.908;

/// Detection counts of one kind.
#[derive(Debug, Default)]
struct Score {
    tp: usize,
    fp: usize,
    fn_: usize,
}

impl Score {
    fn add(&mut self, expected: bool, found: bool) {
        match (expected, found) {
            (true, true) => self.tp += 1,
            (false, true) => self.fp += 1,
            (true, false) => self.fn_ += 1,
            (false, false) => {}
        }
    }

    fn precision(&self) -> f64 {
        ratio(self.tp, self.tp + self.fp)
    }

    fn recall(&self) -> f64 {
        ratio(self.tp, self.tp + self.fn_)
    }

    fn line(&self, kind: &str) -> String {
        format!(
            "pii corpus {kind}: {} expected, tp {} fp {} fn {}, precision {:.3} recall {:.3}\n",
            self.tp + self.fn_,
            self.tp,
            self.fp,
            self.fn_,
            self.precision(),
            self.recall()
        )
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 1.0 } else { a as f64 / b as f64 }
}

/// The corpus lines: `(line number, expected, text)`.
fn corpus() -> Vec<(usize, String, String)> {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/pii/corpus.tsv");
    let all = std::fs::read_to_string(&path).expect("the corpus is readable UTF-8");
    all.lines()
        .enumerate()
        .filter(|(_, l)| !l.is_empty() && !l.starts_with('#'))
        .map(|(i, l)| {
            let (expected, text) = l
                .split_once('\t')
                .unwrap_or_else(|| panic!("line {}: no tab", i + 1));
            assert!(
                !text.contains('\t'),
                "line {}: more than two columns",
                i + 1
            );
            (i + 1, expected.to_owned(), text.to_owned())
        })
        .collect()
}

#[test]
fn the_corpus_is_found_and_masked_as_labelled() {
    let lines = corpus();
    assert!(lines.len() >= 200, "{} strings", lines.len());
    let (mut card, mut phone, mut exact) = (Score::default(), Score::default(), 0usize);
    for (n, expected, text) in &lines {
        let found = (has_card(text), has_phone(text));
        card.add(expected.contains("[card]"), found.0);
        phone.add(expected.contains("[phone]"), found.1);
        let masked = redact(text);
        if &masked == expected {
            exact += 1;
        } else {
            println!("line {n}: masked {masked:?}\n   expected {expected:?}");
        }
        if found.0 != expected.contains("[card]") || found.1 != expected.contains("[phone]") {
            println!("line {n}: card {} phone {} in {text:?}", found.0, found.1);
        }
    }
    let exact_share = ratio(exact, lines.len());
    let summary = format!(
        "{}{}pii corpus redact: {exact} of {} strings masked exactly as labelled ({exact_share:.3})\n",
        card.line("card"),
        phone.line("phone"),
        lines.len()
    );
    // Not `eprintln!`: the harness captures that; the figures are meant to be seen on every run.
    let _ = std::io::stderr().write_all(summary.as_bytes());
    assert!(card.precision() >= CARD_PRECISION, "{summary}");
    assert!(card.recall() >= CARD_RECALL, "{summary}");
    assert!(phone.precision() >= PHONE_PRECISION, "{summary}");
    assert!(phone.recall() >= PHONE_RECALL, "{summary}");
    assert!(exact_share >= EXACT_MASKS, "{summary}");
}

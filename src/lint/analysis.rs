//! Static reasoning about conditions, shared by the checks that need more than a look at one key.
//!
//! Two questions come up: "does this trigger hold for *every* customer who sends this text?"
//! (the escape-hatch checks, W101/W102) and "whenever trigger A holds, does trigger B hold too?"
//! (shadowing, W108). Both are answered conservatively: when in doubt the answer is "it depends" or
//! "no", so these checks may miss a case but do not fire on a matrix that is fine.

use std::cell::RefCell;
use std::collections::HashMap;

use crate::matrix::raw::{OneOrMany, RawCondition, Spanned};
use crate::matrix::{REGEX_SIZE_LIMIT, duration};
use crate::text::{self, FxBuild, Phrase};

/// Three-valued truth: holds for every customer, for none, or depends on what is not known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tri {
    Always,
    Never,
    Depends,
}

impl Tri {
    fn and(self, o: Tri) -> Tri {
        match (self, o) {
            (Tri::Never, _) | (_, Tri::Never) => Tri::Never,
            (Tri::Always, Tri::Always) => Tri::Always,
            _ => Tri::Depends,
        }
    }
    fn or(self, o: Tri) -> Tri {
        match (self, o) {
            (Tri::Always, _) | (_, Tri::Always) => Tri::Always,
            (Tri::Never, Tri::Never) => Tri::Never,
            _ => Tri::Depends,
        }
    }
    fn not(self) -> Tri {
        match self {
            Tri::Always => Tri::Never,
            Tri::Never => Tri::Always,
            Tri::Depends => Tri::Depends,
        }
    }
}

/// The regexes and keyword phrases of one lint run, each compiled or folded once. The escape-hatch
/// checks evaluate every trigger at every opt-out phrase and at every request of the corpus: a
/// pattern compiled and a phrase folded anew at each of those evaluations is what made the lint of
/// a matrix with many regexes and phrases slow.
#[derive(Debug, Default)]
pub struct Memo {
    /// By pattern, the regex built as replay builds it, or `None` for one that does not build.
    regexes: RefCell<HashMap<String, Option<regex::Regex>, FxBuild>>,
    /// By phrase as written, the phrase folded, or `None` for one that folds to nothing.
    phrases: RefCell<HashMap<String, Option<Phrase>, FxBuild>>,
    /// By phrase as written, its folded text.
    normalized: RefCell<HashMap<String, String, FxBuild>>,
}

impl Memo {
    /// Whether `pattern` matches `text`; a pattern that does not build matches nothing (E012
    /// reports it).
    pub fn regex_matches(&self, pattern: &str, text: &str) -> bool {
        let mut map = self.regexes.borrow_mut();
        if !map.contains_key(pattern) {
            let built = regex::RegexBuilder::new(pattern)
                .size_limit(REGEX_SIZE_LIMIT)
                .build()
                .ok();
            map.insert(pattern.to_owned(), built);
        }
        map.get(pattern)
            .is_some_and(|r| r.as_ref().is_some_and(|r| r.is_match(text)))
    }

    /// Whether the keyword `phrase` occurs in `text` ([`text::contains_phrase`]).
    pub fn contains_phrase(&self, phrase: &str, text: &str) -> bool {
        let mut map = self.phrases.borrow_mut();
        if !map.contains_key(phrase) {
            map.insert(phrase.to_owned(), Phrase::new(phrase));
        }
        map.get(phrase)
            .is_some_and(|p| p.as_ref().is_some_and(|p| p.is_in(text)))
    }

    /// Whether the keyword `phrase` occurs in the folded text of the phrase `other`.
    fn phrase_in_phrase(&self, phrase: &str, other: &str) -> bool {
        let mut map = self.normalized.borrow_mut();
        if !map.contains_key(other) {
            map.insert(other.to_owned(), text::normalize(other));
        }
        map.get(other)
            .is_some_and(|folded| self.contains_phrase(phrase, folded))
    }
}

/// A situation to evaluate a condition in, with everything not listed unknown.
#[derive(Debug, Clone, Copy)]
pub struct Probe<'a> {
    /// The text of the customer message evaluated at, or `None` for a bot message.
    pub text: Option<&'a str>,
    /// The fallback streak at this message, when known.
    pub fallbacks: Option<u32>,
}

impl<'a> Probe<'a> {
    /// A customer's first message made of `text`.
    pub fn first_message(text: &'a str) -> Probe<'a> {
        Probe {
            text: Some(text),
            fallbacks: Some(0),
        }
    }

    /// The bot message at which the fallback streak reaches `n`.
    pub fn fallback_streak(n: u32) -> Probe<'static> {
        Probe {
            text: None,
            fallbacks: Some(n),
        }
    }
}

/// How `c` evaluates in `probe`. Text conditions are decided from the text; everything that depends
/// on the bot's labels, the customer's segment or the conversation so far "depends".
pub fn evaluate(memo: &Memo, c: &RawCondition, probe: Probe<'_>) -> Tri {
    let mut t = Tri::Always;
    let mut any_key = false;
    let mut add = |v: Tri| {
        any_key = true;
        t = t.and(v);
    };
    // Customer-message conditions never hold at a bot message.
    let customer = |decide: &dyn Fn(&str) -> Tri| probe.text.map_or(Tri::Never, decide);
    if let Some(k) = &c.keywords {
        add(customer(&|text| {
            decided(k.value.iter().any(|p| memo.contains_phrase(&p.value, text)))
        }));
    }
    if let Some(r) = &c.regex {
        add(customer(&|text| {
            decided(r.value.iter().any(|p| memo.regex_matches(&p.value, text)))
        }));
    }
    if c.intents.is_some() || c.confidence_below.is_some() || c.sentiment_below.is_some() {
        add(customer(&|_| Tri::Depends));
    }
    if c.pii.is_some() {
        // The probes' texts (opt-out phrases) carry no card numbers, addresses or phone numbers.
        add(customer(&|_| Tri::Never));
    }
    if let Some(r) = &c.repeats {
        add(customer(&|_| {
            if r.value <= 1 {
                Tri::Always
            } else {
                Tri::Depends
            }
        }));
    }
    if let Some(f) = &c.fallbacks {
        add(match probe.fallbacks {
            Some(streak) if f.value <= i64::from(streak) => Tri::Always,
            Some(0) | None => Tri::Depends,
            Some(_) => Tri::Never,
        });
    }
    if let Some(b) = &c.bot_turns {
        // At a streak of n fallbacks the bot has sent at least n messages.
        let sent = probe.fallbacks.unwrap_or(0);
        add(if b.value <= i64::from(sent) {
            Tri::Always
        } else {
            Tri::Depends
        });
    }
    if c.segment.is_some() {
        add(Tri::Depends);
    }
    if let Some(e) = &c.elapsed {
        add(if duration::parse(&e.value.0) == Ok(0) {
            Tri::Always
        } else {
            Tri::Depends
        });
    }
    if let Some(any) = &c.any {
        add(any
            .value
            .iter()
            .fold(Tri::Never, |acc, x| acc.or(evaluate(memo, &x.value, probe))));
    }
    if let Some(all) = &c.all {
        add(all.value.iter().fold(Tri::Always, |acc, x| {
            acc.and(evaluate(memo, &x.value, probe))
        }));
    }
    if let Some(n) = &c.not {
        add(evaluate(memo, &n.value, probe).not());
    }
    if any_key { t } else { Tri::Never }
}

fn decided(holds: bool) -> Tri {
    if holds { Tri::Always } else { Tri::Never }
}

/// How `c` evaluates at a customer's first message `text`, when nothing else is known.
pub fn on_first_message(memo: &Memo, c: &RawCondition, text: &str) -> Tri {
    evaluate(memo, c, Probe::first_message(text))
}

/// Whether a keyword or regex of `c`, outside any `not`, matches `text`.
pub fn mentions(memo: &Memo, c: &RawCondition, text: &str) -> bool {
    let mut hit = false;
    c.walk(false, &mut |x, negated| {
        if negated {
            return;
        }
        if x.keywords
            .as_ref()
            .is_some_and(|k| k.value.iter().any(|p| memo.contains_phrase(&p.value, text)))
        {
            hit = true;
        }
        if x.regex
            .as_ref()
            .is_some_and(|r| r.value.iter().any(|p| memo.regex_matches(&p.value, text)))
        {
            hit = true;
        }
    });
    hit
}

/// Whether a condition contains a customer-message condition anywhere, which makes its trigger
/// evaluated only at customer messages (SPEC section 2).
pub fn customer_only(c: &RawCondition) -> bool {
    let mut found = false;
    c.walk(false, &mut |x, _| {
        found |= x.keywords.is_some()
            || x.regex.is_some()
            || x.intents.is_some()
            || x.confidence_below.is_some()
            || x.sentiment_below.is_some()
            || x.pii.is_some()
            || x.repeats.is_some();
    });
    found
}

/// Whether `a` holding at a message implies `b` holding at the same message. Sound but incomplete.
pub fn implies(memo: &Memo, a: &RawCondition, b: &RawCondition) -> bool {
    if b.is_empty() || a.is_empty() {
        return false;
    }
    if customer_only(b) && !customer_only(a) {
        return false;
    }
    conj_implies(memo, &terms(a), &terms(b), 0)
}

enum Term<'a> {
    Atom(&'a RawCondition, &'static str),
    Any(Vec<Vec<Term<'a>>>),
    Not,
}

/// A condition as a conjunction of terms: each key is one atom, `all` is flattened.
fn terms(c: &RawCondition) -> Vec<Term<'_>> {
    let mut out = Vec::new();
    let present = [
        // Cheap comparisons first: an implication fails at its first unmatched atom, so phrase
        // containment (the costly one) is only worked out when everything else already fits.
        ("intents", c.intents.is_some()),
        ("confidence_below", c.confidence_below.is_some()),
        ("sentiment_below", c.sentiment_below.is_some()),
        ("pii", c.pii.is_some()),
        ("repeats", c.repeats.is_some()),
        ("fallbacks", c.fallbacks.is_some()),
        ("bot_turns", c.bot_turns.is_some()),
        ("elapsed", c.elapsed.is_some()),
        ("segment", c.segment.is_some()),
        ("regex", c.regex.is_some()),
        ("keywords", c.keywords.is_some()),
    ];
    for (kind, is) in present {
        if is {
            out.push(Term::Atom(c, kind));
        }
    }
    if let Some(all) = &c.all {
        for x in &all.value {
            out.extend(terms(&x.value));
        }
    }
    if let Some(any) = &c.any {
        out.push(Term::Any(
            any.value.iter().map(|x| terms(&x.value)).collect(),
        ));
    }
    if c.not.is_some() {
        out.push(Term::Not);
    }
    out
}

fn conj_implies(memo: &Memo, a: &[Term<'_>], b: &[Term<'_>], depth: usize) -> bool {
    if depth > 8 {
        return false;
    }
    // a = rest ∧ (x1 ∨ x2 ∨ …) implies b when every (rest ∧ xi) does.
    if let Some(i) = a.iter().position(|t| matches!(t, Term::Any(_)))
        && let Term::Any(branches) = &a[i]
    {
        let split = branches.iter().all(|branch| {
            let mut conj: Vec<&Term<'_>> = a
                .iter()
                .enumerate()
                .filter(|(j, _)| *j != i)
                .map(|(_, t)| t)
                .collect();
            conj.extend(branch.iter());
            conj_implies_refs(memo, &conj, b, depth + 1)
        });
        if split {
            return true;
        }
    }
    let refs: Vec<&Term<'_>> = a.iter().collect();
    conj_implies_refs(memo, &refs, b, depth + 1)
}

fn conj_implies_refs(memo: &Memo, a: &[&Term<'_>], b: &[Term<'_>], depth: usize) -> bool {
    if depth > 8 {
        return false;
    }
    b.iter().all(|bt| match bt {
        Term::Atom(bc, kind) => a.iter().any(|at| match at {
            Term::Atom(ac, akind) => akind == kind && atom_implies(memo, ac, bc, kind),
            _ => false,
        }),
        Term::Any(branches) => {
            let owned: Vec<Term<'_>> = a.iter().map(|t| shallow(t)).collect();
            branches
                .iter()
                .any(|br| conj_implies(memo, &owned, br, depth + 1))
        }
        Term::Not => false,
    })
}

fn shallow<'a>(t: &Term<'a>) -> Term<'a> {
    match t {
        Term::Atom(c, k) => Term::Atom(c, k),
        Term::Any(branches) => Term::Any(
            branches
                .iter()
                .map(|b| b.iter().map(shallow).collect())
                .collect(),
        ),
        Term::Not => Term::Not,
    }
}

fn set(list: &Option<Spanned<OneOrMany<String>>>) -> Vec<String> {
    list.iter()
        .flat_map(|l| l.value.iter().map(|s| s.value.clone()))
        .collect()
}

fn atom_implies(memo: &Memo, a: &RawCondition, b: &RawCondition, kind: &str) -> bool {
    match kind {
        // Every phrase of `a` contains a phrase of `b` at word boundaries.
        "keywords" => {
            let (pa, pb) = (set(&a.keywords), set(&b.keywords));
            !pa.is_empty()
                && pa
                    .iter()
                    .all(|x| pb.iter().any(|y| memo.phrase_in_phrase(y, x)))
        }
        "regex" => {
            let (pa, pb) = (set(&a.regex), set(&b.regex));
            !pa.is_empty() && pa.iter().all(|x| pb.contains(x))
        }
        "intents" => {
            let (pa, pb) = (set(&a.intents), set(&b.intents));
            !pa.is_empty() && pa.iter().all(|x| pb.contains(x))
        }
        "confidence_below" => le(&a.confidence_below, &b.confidence_below),
        "sentiment_below" => le(&a.sentiment_below, &b.sentiment_below),
        "pii" => {
            let kinds = |c: &RawCondition| -> Vec<_> {
                c.pii
                    .iter()
                    .flat_map(|p| p.value.iter().map(|k| k.value))
                    .collect()
            };
            let (pa, pb) = (kinds(a), kinds(b));
            !pa.is_empty() && pa.iter().all(|x| pb.contains(x))
        }
        "repeats" => ge(&a.repeats, &b.repeats),
        "fallbacks" => ge(&a.fallbacks, &b.fallbacks),
        "bot_turns" => ge(&a.bot_turns, &b.bot_turns),
        "elapsed" => {
            let secs = |c: &RawCondition| {
                c.elapsed
                    .as_ref()
                    .and_then(|e| duration::parse(&e.value.0).ok())
            };
            matches!((secs(a), secs(b)), (Some(x), Some(y)) if x >= y)
        }
        "segment" => {
            let (Some(sa), Some(sb)) = (&a.segment, &b.segment) else {
                return false;
            };
            sb.value.iter().all(|(field, bvals)| {
                sa.value.get(&field.value).is_some_and(|avals| {
                    avals.value.iter().all(|v| {
                        bvals
                            .value
                            .iter()
                            .any(|w| w.value.to_lowercase() == v.value.to_lowercase())
                    })
                })
            })
        }
        _ => false,
    }
}

fn le(a: &Option<Spanned<f64>>, b: &Option<Spanned<f64>>) -> bool {
    matches!((a, b), (Some(x), Some(y)) if x.value <= y.value)
}

fn ge(a: &Option<Spanned<i64>>, b: &Option<Spanned<i64>>) -> bool {
    matches!((a, b), (Some(x), Some(y)) if x.value >= y.value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::matrix::{decode, yaml};

    fn when(src: &str) -> RawCondition {
        let doc = format!("version: 1\ntriggers:\n  - id: t\n    lane: l\n    when: {src}\n");
        let (raw, _) = decode::decode(&yaml::parse(&doc).expect("yaml"), &doc);
        raw.triggers.expect("triggers").value[0]
            .value
            .when
            .clone()
            .expect("when")
            .value
    }

    #[test]
    fn escape_hatch_evaluation() {
        assert_eq!(
            on_first_message(&Memo::default(), &when("{keywords: [human]}"), "human"),
            Tri::Always
        );
        assert_eq!(
            on_first_message(
                &Memo::default(),
                &when("{keywords: [human], segment: {tier: [vip]}}"),
                "human"
            ),
            Tri::Depends
        );
        assert_eq!(
            on_first_message(
                &Memo::default(),
                &when("{any: [{keywords: [human]}, {intents: [x]}]}"),
                "human"
            ),
            Tri::Always
        );
        assert_eq!(
            on_first_message(&Memo::default(), &when("{keywords: [refund]}"), "human"),
            Tri::Never
        );
        assert_eq!(
            on_first_message(
                &Memo::default(),
                &when("{keywords: [human], not: {pii: [card]}}"),
                "human"
            ),
            Tri::Always
        );
    }

    #[test]
    fn implication() {
        assert!(implies(
            &Memo::default(),
            &when("{keywords: [cancel my order]}"),
            &when("{keywords: [cancel]}")
        ));
        assert!(!implies(
            &Memo::default(),
            &when("{keywords: [cancel]}"),
            &when("{keywords: [cancel my order]}")
        ));
        assert!(!implies(
            &Memo::default(),
            &when("{keywords: [cancellation]}"),
            &when("{keywords: [cancel]}")
        ));
        assert!(implies(
            &Memo::default(),
            &when("{fallbacks: 4}"),
            &when("{fallbacks: 3}")
        ));
        assert!(implies(
            &Memo::default(),
            &when("{confidence_below: 0.4, intents: [x]}"),
            &when("{confidence_below: 0.6}")
        ));
        assert!(implies(
            &Memo::default(),
            &when("{any: [{intents: [a]}, {intents: [b]}]}"),
            &when("{intents: [a, b, c]}")
        ));
        assert!(implies(
            &Memo::default(),
            &when("{intents: [a]}"),
            &when("{any: [{intents: [a]}, {keywords: [x]}]}")
        ));
        assert!(!implies(
            &Memo::default(),
            &when("{fallbacks: 3}"),
            &when("{any: [{fallbacks: 2}, {keywords: [x]}]}")
        ));
        assert!(!implies(
            &Memo::default(),
            &when("{not: {intents: [a]}}"),
            &when("{not: {intents: [a]}}")
        ));
    }
}

//! Personal data in a message: card numbers, e-mail addresses and phone numbers (SPEC section 2),
//! found for the `pii` conditions of routing and masked in reports by [`redact`].
//!
//! A card number is a maximal run of ASCII digits joined by single spaces or hyphens, 13 to 19
//! digits, that passes the Luhn check. A phone number is 8–15 digits after a leading `+`, or 10–15
//! digits, joined by single spaces, dots, hyphens or parentheses. Either one counts only where it
//! *stands on its own*: no word character, and no `-` `_` `.` `/` `#` `:` `=` glued to one, just
//! before it; no word character, and no `-` `_` `/` `.` followed by one, just after it. That keeps
//! file names, ids, tracking codes and URLs out, which are digits but not anybody's card or phone.
//!
//! One scanner, `scan`, finds every candidate that stands on its own. [`has_card`] and
//! [`has_phone`] stop at the first one of their kind and [`redact`] masks them all (and
//! [`redact_marked`] too, with the part a condition matched marked), so routing and masking cannot
//! disagree about what is personal data. The scanner is hand-written and allocates nothing: it
//! runs on every customer message of every replay, so it walks each digit run once, counting
//! digits and keeping the Luhn sums as it goes. `docs/pii.md` describes the definitions, the
//! labelled corpus that measures them and their known limits.

use std::ops::ControlFlow;

use crate::text::{ascii_digits, is_word_char};

#[cfg(test)]
mod corpus_tests;
#[cfg(test)]
mod tests;

/// How many digits a card number has.
const CARD_DIGITS: std::ops::RangeInclusive<usize> = 13..=19;
/// The most digits a phone number has; the fewest depend on a leading `+`.
const PHONE_MAX: usize = 15;
/// The fewest digits of a phone number written with a leading `+` (the shortest international
/// numbers) and without one (a national number with its trunk or area code).
const PHONE_MIN_PLUS: usize = 8;
const PHONE_MIN: usize = 10;

/// Whether `text` holds a Luhn-valid card number that stands on its own.
pub fn has_card(text: &str) -> bool {
    // Most messages hold no digits or a short order number: fewer digits than a card has in all
    // cannot hold one, and counting them eight bytes at a time is much cheaper than the scanner.
    ascii_digits(text.as_bytes()) >= *CARD_DIGITS.start() && finds(text, Kind::Card)
}

/// Whether `text` holds a phone number that stands on its own. A card number of 13–15 digits is
/// also a phone number by the definition, so this holds for it too; [`redact`] masks it as a card.
pub fn has_phone(text: &str) -> bool {
    // The shortest phone number has 8 digits (after a `+`).
    ascii_digits(text.as_bytes()) >= PHONE_MIN_PLUS && finds(text, Kind::Phone)
}

/// What a candidate is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Card,
    Phone,
}

/// A card or phone number that stands on its own: its kind and byte range. A phone's range starts
/// at its leading `+` or `(`, a card's at its first digit; both end after the last digit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Candidate {
    kind: Kind,
    start: usize,
    end: usize,
}

/// [`has_card`] and [`has_phone`] without the digit count, so that tests can check that the count
/// only skips texts the scanner would find nothing in.
fn finds(text: &str, kind: Kind) -> bool {
    scan(text, |c| {
        if c.kind == kind {
            ControlFlow::Break(())
        } else {
            ControlFlow::Continue(())
        }
    })
    .is_break()
}

/// Reports every card and phone number of `text` that stands on its own to `found`, in text
/// order, and stops when `found` breaks.
///
/// Digits are read as phone runs, the wider of the two joinings: digit groups joined by one space,
/// dot or hyphen, with parentheses beside it (`(555) 123`, `+44 (0)20`). A card run is joined by
/// one space or hyphen only, so each lies inside one phone run, which is cut into its card runs as
/// it is walked. Within one run the card runs are reported before the phone.
fn scan(text: &str, mut found: impl FnMut(Candidate) -> ControlFlow<()>) -> ControlFlow<()> {
    let b = text.as_bytes();
    let mut at = 0;
    while let Some(first) = next_digit(b, at) {
        at = walk_run(text, first, &mut found)?;
    }
    ControlFlow::Continue(())
}

/// The first ASCII digit at or after `from`.
fn next_digit(b: &[u8], from: usize) -> Option<usize> {
    let rest = b.get(from..)?;
    rest.iter().position(u8::is_ascii_digit).map(|p| from + p)
}

/// Walks the phone run whose first digit is at `first` (the previous byte is not a digit),
/// reporting its card runs and then the run itself as a phone when they qualify and stand on their
/// own. Returns the byte after the run's last digit.
fn walk_run(
    text: &str,
    first: usize,
    found: &mut impl FnMut(Candidate) -> ControlFlow<()>,
) -> ControlFlow<(), usize> {
    let b = text.as_bytes();
    let (start, plus) = lead(b, first);
    let mut digits = 0usize;
    let mut card = CardRun::at(first);
    let mut at = first;
    loop {
        while let Some(d) = b.get(at).filter(|d| d.is_ascii_digit()) {
            digits = digits.saturating_add(1);
            card.luhn.push(d - b'0');
            at += 1;
        }
        let Some((next, card_joined)) = joiner(b, at) else {
            break;
        };
        if !card_joined {
            card.report(text, at, found)?;
            card = CardRun::at(next);
        }
        at = next;
    }
    card.report(text, at, found)?;
    let min = if plus { PHONE_MIN_PLUS } else { PHONE_MIN };
    if (min..=PHONE_MAX).contains(&digits) && stands(text, start, at) {
        found(Candidate {
            kind: Kind::Phone,
            start,
            end: at,
        })?;
    }
    ControlFlow::Continue(at)
}

/// Where a phone run whose first digit is at `first` starts, and whether it has a leading `+`:
/// at a `+` or `(` just before the digit, or at the `+` of `+(`.
fn lead(b: &[u8], first: usize) -> (usize, bool) {
    let byte_at = |back: usize| first.checked_sub(back).and_then(|i| b.get(i)).copied();
    match (byte_at(1), byte_at(2)) {
        (Some(b'+'), _) => (first - 1, true),
        (Some(b'('), Some(b'+')) => (first - 2, true),
        (Some(b'('), _) => (first - 1, false),
        _ => (first, false),
    }
}

/// Whether the bytes at `at`, just after a digit group, join it to the next group of a phone run:
/// one or two separators of which at most one is a space, dot or hyphen (the other a parenthesis,
/// as in `(555) 123` or `+44 (0)20`), then a digit. Returns that digit's index and whether a card
/// run continues across them too (exactly one space or hyphen). Two plain separators in a row
/// (`1 - 2`, a double space) end the run: that is two numbers, not one written in groups.
fn joiner(b: &[u8], at: usize) -> Option<(usize, bool)> {
    let sep = |i: usize| b.get(i).copied().filter(|c| b" .-()".contains(c));
    let plain = |c: u8| matches!(c, b' ' | b'.' | b'-');
    let one = sep(at)?;
    let (next, plains) = match sep(at + 1) {
        Some(two) => (at + 2, usize::from(plain(one)) + usize::from(plain(two))),
        None => (at + 1, usize::from(plain(one))),
    };
    let digit_next = b.get(next).is_some_and(u8::is_ascii_digit);
    (plains <= 1 && digit_next).then_some((next, next == at + 1 && matches!(one, b' ' | b'-')))
}

/// A card run being walked: where it starts and its Luhn sums so far.
struct CardRun {
    start: usize,
    luhn: Luhn,
}

impl CardRun {
    fn at(start: usize) -> CardRun {
        CardRun {
            start,
            luhn: Luhn::default(),
        }
    }

    /// Reports the run, ending at `end`, when it is a card number that stands on its own.
    fn report(
        &self,
        text: &str,
        end: usize,
        found: &mut impl FnMut(Candidate) -> ControlFlow<()>,
    ) -> ControlFlow<()> {
        if CARD_DIGITS.contains(&self.luhn.digits)
            && self.luhn.valid()
            && stands(text, self.start, end)
        {
            found(Candidate {
                kind: Kind::Card,
                start: self.start,
                end,
            })?;
        }
        ControlFlow::Continue(())
    }
}

/// The Luhn check of digits fed left to right. Which digits are doubled depends on their position
/// from the right, unknown until the run ends, so both sums are kept: `even` doubles the digits at
/// even positions from the left, `odd` those at odd positions.
#[derive(Debug, Default, Clone, Copy)]
struct Luhn {
    digits: usize,
    even: u32,
    odd: u32,
}

impl Luhn {
    fn push(&mut self, d: u8) {
        // A run longer than a card cannot be one; not summing it keeps the sums from overflowing
        // on a message that is one long run of digits.
        if self.digits < *CARD_DIGITS.end() {
            let v = u32::from(d);
            let doubled = if v > 4 { 2 * v - 9 } else { 2 * v };
            let (even, odd) = if self.digits.is_multiple_of(2) {
                (doubled, v)
            } else {
                (v, doubled)
            };
            self.even += even;
            self.odd += odd;
        }
        self.digits = self.digits.saturating_add(1);
    }

    /// The last digit is not doubled, the one before it is, and so on: with an even count the
    /// doubled digits are those at even positions from the left.
    fn valid(&self) -> bool {
        let sum = if self.digits.is_multiple_of(2) {
            self.even
        } else {
            self.odd
        };
        sum.is_multiple_of(10)
    }
}

/// Whether the candidate at `start..end` stands on its own (SPEC section 2): the character before
/// it is not a word character, nor one of `-` `_` `.` `/` `#` `:` `=` with a word character before
/// it; the character after it is not a word character, nor one of `-` `_` `/` `.` with a word
/// character after it. Characters, not bytes: `é4111…` is glued, `📞4111…` is not.
fn stands(text: &str, start: usize, end: usize) -> bool {
    // Candidates start and end next to ASCII bytes the scanner matched, so both are on character
    // boundaries; `get` rather than slicing keeps even a scanner bug from panicking on a message.
    let (Some(before), Some(after)) = (text.get(..start), text.get(end..)) else {
        return false;
    };
    let mut back = before.chars().rev();
    let free_before = match back.next() {
        None => true,
        Some(c) if is_word_char(c) => false,
        Some('-' | '_' | '.' | '/' | '#' | ':' | '=') => !back.next().is_some_and(is_word_char),
        Some(_) => true,
    };
    let mut ahead = after.chars();
    let free_after = match ahead.next() {
        None => true,
        Some(c) if is_word_char(c) => false,
        Some('-' | '_' | '/' | '.') => !ahead.next().is_some_and(is_word_char),
        Some(_) => true,
    };
    free_before && free_after
}

/// Whether `text` holds an e-mail address: `local@domain.tld`.
pub fn has_email(text: &str) -> bool {
    emails(text.as_bytes()).next().is_some()
}

/// A byte of the local part of an e-mail address.
fn email_local(c: u8) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, b'.' | b'_' | b'%' | b'+' | b'-')
}

/// Byte ranges of e-mail addresses: a local part before an `@` and a domain after it of at least
/// two labels, the last one two letters or more. One definition for [`has_email`] and [`redact`].
fn emails(b: &[u8]) -> impl Iterator<Item = (usize, usize)> + '_ {
    memchr::memchr_iter(b'@', b).filter_map(|at| {
        let local = b.get(..at)?;
        let start = local
            .iter()
            .rposition(|c| !email_local(*c))
            .map_or(0, |i| i + 1);
        if start == at {
            return None;
        }
        domain_end(b, at + 1).map(|end| (start, end))
    })
}

/// The end of the e-mail domain that starts at `from`, if one does: labels of letters, digits and
/// hyphens joined by dots, at least two, the last two letters or more.
fn domain_end(b: &[u8], from: usize) -> Option<usize> {
    let label = |c: &u8| c.is_ascii_alphanumeric() || *c == b'-';
    let mut at = from;
    let mut labels = 0;
    loop {
        let len = b.get(at..)?.iter().take_while(|c| label(c)).count();
        if len == 0 {
            return None;
        }
        labels += 1;
        let end = at + len;
        let continues = b.get(end) == Some(&b'.') && b.get(end + 1).is_some_and(label);
        if continues {
            at = end + 1;
            continue;
        }
        let last = b.get(at..end)?;
        return (labels >= 2 && len >= 2 && last.iter().all(u8::is_ascii_alphabetic))
            .then_some(end);
    }
}

/// The masks [`redact`] writes.
const CARD_MASK: &str = "[card]";
const PHONE_MASK: &str = "[phone]";
const EMAIL_MASK: &str = "[email]";

/// Masks card numbers, e-mail addresses and phone numbers in customer text, for reports that are
/// pasted where many people read them (`explain`, Markdown, GitHub output). Each is replaced by
/// `[card]`, `[email]` or `[phone]`, found exactly as the `pii` conditions find them.
///
/// Where candidates overlap, a card wins over the phone run around it (a 15-digit card number is
/// a phone number too by the definition) and masks the whole run, and a card or phone wins over
/// an e-mail address (the phone in `34612345678@s.whatsapp.net` is masked, and the rest says
/// what it is).
pub fn redact(text: &str) -> String {
    let spans = masks(text);
    if spans.is_empty() {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    render(text, &spans, 0, text.len(), &mut out);
    out
}

/// [`redact`] with the part `hit` of `text` (a byte range) between `open` and `close`, to show what
/// a condition matched. Masking looks at the whole text, not at the pieces on either side of the
/// marks, so a hit inside a card number does not leave the rest of it readable, and the text just
/// before a piece (`wa` of `wa-2026-10-000063`) still glues what follows. A hit that begins or
/// ends inside a mask is widened to the whole mask. A `hit` that is not a range of `text` is
/// ignored.
pub fn redact_marked(text: &str, hit: (usize, usize), open: &str, close: &str) -> String {
    let (mut a, mut b) = hit;
    if a > b || text.get(a..b).is_none() {
        return redact(text);
    }
    let spans = masks(text);
    for &(s, e, _) in &spans {
        if s < a && a < e {
            a = s;
        }
        if s < b && b < e {
            b = e;
        }
    }
    let mut out = String::with_capacity(text.len() + open.len() + close.len());
    render(text, &spans, 0, a, &mut out);
    out.push_str(open);
    render(text, &spans, a, b, &mut out);
    out.push_str(close);
    render(text, &spans, b, text.len(), &mut out);
    out
}

/// The masks of `text`: byte ranges and the mask that replaces each, in text order, disjoint.
fn masks(text: &str) -> Vec<(usize, usize, &'static str)> {
    let mut spans: Vec<(usize, usize, &'static str)> = Vec::new();
    let _ = scan(text, |c| {
        // The cards of a run are reported before its phone, and the phone's range holds them: a
        // card reported at or after the phone's start is inside it. The card's mask then covers
        // the phone's range, so that no `+` or `(` of the number is left outside it. (A phone
        // has 15 digits at most, room for one card.)
        let in_run = spans
            .last()
            .is_some_and(|&(s, _, mask)| mask == CARD_MASK && s >= c.start);
        let mask = match c.kind {
            Kind::Card => CARD_MASK,
            Kind::Phone if in_run => {
                spans.pop();
                CARD_MASK
            }
            Kind::Phone => PHONE_MASK,
        };
        spans.push((c.start, c.end, mask));
        ControlFlow::Continue(())
    });
    let digit_spans = spans.len();
    for (s, e) in emails(text.as_bytes()) {
        let free = spans
            .get(..digit_spans)
            .is_none_or(|d| d.iter().all(|&(ds, de, _)| e <= ds || de <= s));
        if free {
            spans.push((s, e, EMAIL_MASK));
        }
    }
    spans.sort_unstable();
    // E-mail addresses found at two `@` of one string may overlap: the first one wins.
    let mut end = 0;
    spans.retain(|&(s, e, _)| {
        let keep = s >= end;
        if keep {
            end = e;
        }
        keep
    });
    spans
}

/// Appends `text[from..to]` to `out` with the masks that lie inside that range applied.
fn render(text: &str, spans: &[(usize, usize, &str)], from: usize, to: usize, out: &mut String) {
    let mut at = from;
    for &(s, e, mask) in spans.iter().filter(|(s, e, _)| from <= *s && *e <= to) {
        // Every mask starts and ends next to an ASCII byte the scanner matched, on a character
        // boundary; `get` keeps even a bug there from panicking on a message.
        out.push_str(text.get(at..s).unwrap_or_default());
        out.push_str(mask);
        at = e;
    }
    out.push_str(text.get(at..to).unwrap_or_default());
}

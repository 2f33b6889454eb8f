//! Personal data in a message: card numbers, e-mail addresses and phone numbers (SPEC section 2).
//!
//! A card number is a maximal run of ASCII digits joined by single spaces or hyphens, 13 to 19
//! digits, that passes the Luhn check. A phone number is 8–15 digits after a leading `+`, or 10–15
//! digits, joined by single spaces, dots, hyphens or parentheses. The scanners are hand-written:
//! they run on every customer message of every replay.

use crate::text::ascii_digits;

/// Whether `text` holds a Luhn-valid card number.
pub fn has_card(text: &str) -> bool {
    // Most messages hold no digits or a short order number: fewer digits than a card has in all
    // cannot hold one, and counting them is much cheaper than the run scanner.
    ascii_digits(text.as_bytes()) >= 13 && card_runs(text)
}

/// [`has_card`] without the digit count.
fn card_runs(text: &str) -> bool {
    runs(text.as_bytes(), |b| b == b' ' || b == b'-')
        .any(|(digits, _)| (13..=19).contains(&digits.len()) && luhn(&digits))
}

/// Whether `text` holds a phone number.
pub fn has_phone(text: &str) -> bool {
    // The shortest phone number has 8 digits (after a `+`).
    ascii_digits(text.as_bytes()) >= 8 && phone_runs(text)
}

/// [`has_phone`] without the digit count.
fn phone_runs(text: &str) -> bool {
    let b = text.as_bytes();
    runs(b, |c| matches!(c, b' ' | b'.' | b'-' | b'(' | b')')).any(|(digits, start)| {
        let plus = start > 0 && b[start - 1] == b'+'
            || (start > 1 && b[start - 1] == b'(' && b[start - 2] == b'+');
        let n = digits.len();
        if plus {
            (8..=15).contains(&n)
        } else {
            (10..=15).contains(&n)
        }
    })
}

/// Maximal runs of digits where digit groups are joined by one separator byte (two for a
/// parenthesis next to a space, as in `(555) 123`). Yields the digits and the run's start.
fn runs(b: &[u8], sep: impl Fn(u8) -> bool) -> impl Iterator<Item = (Vec<u8>, usize)> {
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < b.len() {
            // A run starts at a digit that does not continue a longer run (handled by the loop
            // consuming whole runs) and, for `(555)`, at an opening parenthesis before a digit.
            let start = i;
            let first_digit =
                if b[i] == b'(' && sep(b'(') && b.get(i + 1).is_some_and(u8::is_ascii_digit) {
                    i + 1
                } else if b[i].is_ascii_digit() {
                    i
                } else {
                    i += 1;
                    continue;
                };
            let mut digits = Vec::new();
            let mut j = first_digit;
            loop {
                while j < b.len() && b[j].is_ascii_digit() {
                    digits.push(b[j]);
                    j += 1;
                }
                // One separator joins two digit groups; a parenthesis may stand beside it, as in
                // `(555) 123`. Two plain separators in a row end the run.
                let (mut k, mut n, mut plain) = (j, 0, 0);
                while k < b.len() && n < 2 && sep(b[k]) {
                    if !matches!(b[k], b'(' | b')') {
                        plain += 1;
                    }
                    k += 1;
                    n += 1;
                }
                if n > 0 && plain <= 1 && k < b.len() && b[k].is_ascii_digit() {
                    j = k;
                    continue;
                }
                break;
            }
            i = j.max(start + 1);
            return Some((digits, first_digit));
        }
        None
    })
}

fn luhn(digits: &[u8]) -> bool {
    let mut sum = 0u32;
    for (i, d) in digits.iter().rev().enumerate() {
        let mut v = u32::from(d - b'0');
        if i % 2 == 1 {
            v *= 2;
            if v > 9 {
                v -= 9;
            }
        }
        sum += v;
    }
    sum.is_multiple_of(10)
}

/// Whether `text` holds an e-mail address: `local@domain.tld`.
pub fn has_email(text: &str) -> bool {
    let b = text.as_bytes();
    let local = |c: u8| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'_' | b'%' | b'+' | b'-');
    let domain = |c: u8| c.is_ascii_alphanumeric() || c == b'-';
    for at in memchr::memchr_iter(b'@', b) {
        if at == 0 || !local(b[at - 1]) {
            continue;
        }
        // domain labels separated by dots, last label at least two letters
        let mut j = at + 1;
        let mut labels = 0;
        let mut last_len = 0;
        let mut last_alpha = true;
        loop {
            let s = j;
            while j < b.len() && domain(b[j]) {
                j += 1;
            }
            if j == s {
                break;
            }
            labels += 1;
            last_len = j - s;
            last_alpha = b[s..j].iter().all(u8::is_ascii_alphabetic);
            if j + 1 < b.len() && b[j] == b'.' && domain(b[j + 1]) {
                j += 1;
                continue;
            }
            break;
        }
        if labels >= 2 && last_len >= 2 && last_alpha {
            return true;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cards() {
        assert!(has_card("my card is 4111 1111 1111 1111 thanks"));
        assert!(has_card("4111-1111-1111-1111"));
        assert!(has_card("4111111111111111"));
        assert!(!has_card("4111 1111 1111 1112"), "Luhn");
        assert!(
            !has_card("4111  1111 1111 1111"),
            "double space splits the run"
        );
        assert!(!has_card("order 123456789012"), "12 digits");
        assert!(
            !has_card("41111111111111111111111"),
            "a longer run is not a card"
        );
    }

    #[test]
    fn phones() {
        assert!(has_phone("call me at +34 612 34 56 78"));
        assert!(has_phone("+1 (555) 123-4567"));
        assert!(has_phone("0612.345.678 or so"), "10 digits");
        assert!(has_phone("(555) 123-4567"), "10 digits");
        assert!(!has_phone("call 612 34 56"), "7 digits");
        assert!(!has_phone("+1234567"), "7 digits after +");
        assert!(has_phone("+12345678"), "8 digits after +");
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(4000))]

        /// Counting digits first never changes the answer of the run scanners.
        #[test]
        fn the_digit_count_only_skips_texts_without_a_number(
            t in "[0-9 .()+-]{0,12}[0-9 .()+a-]{0,30}"
        ) {
            proptest::prop_assert_eq!(has_card(&t), card_runs(&t), "{}", t);
            proptest::prop_assert_eq!(has_phone(&t), phone_runs(&t), "{}", t);
        }
    }

    #[test]
    fn emails() {
        assert!(has_email("write to ana.lopez+shop@mail.example.com please"));
        assert!(has_email("a@b.co"));
        assert!(!has_email("me@home"));
        assert!(!has_email("@handle"));
        assert!(!has_email("price 5@3.50"), "the last label must be letters");
    }
}

/// Masks card numbers, e-mail addresses and phone numbers in customer text, for reports that are
/// pasted where many people read them (`explain`, Markdown, GitHub output). Each is replaced by
/// `[card]`, `[email]` or `[phone]`.
pub fn redact(text: &str) -> String {
    let b = text.as_bytes();
    let mut spans: Vec<(usize, usize, &str)> = Vec::new();
    // Digit runs: cards first (they would also read as long phone numbers).
    for (digits, start) in runs(b, |c| matches!(c, b' ' | b'.' | b'-' | b'(' | b')')) {
        let end = run_end(b, start, digits.len());
        let card_run = runs(&b[start..end], |c| c == b' ' || c == b'-')
            .any(|(d, _)| (13..=19).contains(&d.len()) && luhn(&d));
        let plus = start > 0 && b[start - 1] == b'+';
        let n = digits.len();
        if card_run {
            spans.push((start, end, "[card]"));
        } else if (plus && (8..=15).contains(&n)) || (10..=15).contains(&n) {
            spans.push((if plus { start - 1 } else { start }, end, "[phone]"));
        }
    }
    for (s, e) in emails(b) {
        spans.push((s, e, "[email]"));
    }
    spans.sort();
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for (s, e, label) in spans {
        if s < at {
            continue;
        }
        out.push_str(&text[at..s]);
        out.push_str(label);
        at = e;
    }
    out.push_str(&text[at..]);
    out
}

/// The end of a digit run that starts at `start` and holds `n` digits.
fn run_end(b: &[u8], start: usize, n: usize) -> usize {
    let mut seen = 0;
    let mut i = start;
    while i < b.len() && seen < n {
        if b[i].is_ascii_digit() {
            seen += 1;
        }
        i += 1;
    }
    // A closing parenthesis right after the last digit belongs to the run.
    i
}

/// Byte ranges of e-mail addresses.
fn emails(b: &[u8]) -> Vec<(usize, usize)> {
    let local = |c: u8| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'_' | b'%' | b'+' | b'-');
    let mut out = Vec::new();
    for (at, _) in b.iter().enumerate().filter(|(_, c)| **c == b'@') {
        let mut s = at;
        while s > 0 && local(b[s - 1]) {
            s -= 1;
        }
        if s == at {
            continue;
        }
        let tail = std::str::from_utf8(&b[at..]).unwrap_or("");
        if !has_email(&format!("x{tail}")) {
            continue;
        }
        let mut e = at + 1;
        while e < b.len()
            && (b[e].is_ascii_alphanumeric()
                || b[e] == b'-'
                || (b[e] == b'.' && b.get(e + 1).is_some_and(u8::is_ascii_alphanumeric)))
        {
            e += 1;
        }
        out.push((s, e));
    }
    out
}

#[cfg(test)]
mod redact_tests {
    use super::redact;

    #[test]
    fn masks_what_the_conditions_find() {
        assert_eq!(redact("card 4111 1111 1111 1111 ok"), "card [card] ok");
        assert_eq!(redact("mail ana@example.com now"), "mail [email] now");
        assert_eq!(redact("call +34 612 34 56 78"), "call [phone]");
        assert_eq!(redact("order #48213 is late"), "order #48213 is late");
        assert_eq!(redact("café ☕ ana@example.com"), "café ☕ [email]");
    }
}

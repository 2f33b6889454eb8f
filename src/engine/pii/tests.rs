//! The definitions of SPEC section 2 case by case, each side of the stands-on-its-own rule, and the
//! laws that tie routing ([`has_card`], [`has_phone`]) to masking ([`redact`]).

use super::*;

#[test]
fn cards() {
    assert!(has_card("my card is 4111 1111 1111 1111 thanks"));
    assert!(has_card("4111-1111-1111-1111"));
    assert!(has_card("4111111111111111"));
    assert!(has_card("amex 3782 822463 10005"), "4-6-5, 15 digits");
    assert!(has_card("4222222222222"), "13 digits");
    assert!(!has_card("4111 1111 1111 1112"), "Luhn");
    assert!(
        !has_card("4111  1111 1111 1111"),
        "double space splits the run"
    );
    assert!(!has_card("4111.1111.1111.1111"), "dots do not join a card");
    assert!(!has_card("order 123456789012"), "12 digits");
    assert!(
        !has_card("41111111111111111111111"),
        "a longer run is not a card"
    );
    assert!(
        !has_card("4111 1111 1111 1111 1111 1111"),
        "the maximal run is 24 digits"
    );
}

#[test]
fn phones() {
    assert!(has_phone("call me at +34 612 34 56 78"));
    assert!(has_phone("+1 (555) 123-4567"));
    assert!(has_phone("0612.345.678 or so"), "10 digits");
    assert!(has_phone("(555) 123-4567"), "10 digits");
    assert!(
        has_phone("+44 (0)20 7946 0958"),
        "a parenthesis beside a digit"
    );
    assert!(!has_phone("call 612 34 56"), "7 digits");
    assert!(!has_phone("+1234567"), "7 digits after +");
    assert!(has_phone("+12345678"), "8 digits after +");
    assert!(!has_phone("612345678"), "9 digits without +");
    assert!(!has_phone("1234567890123456"), "16 digits");
    assert!(
        has_phone("378282246310005"),
        "a 15-digit card is a phone number by the definition too"
    );
}

#[test]
fn the_luhn_sums_agree_with_the_textbook_check() {
    fn textbook(digits: &[u8]) -> bool {
        let sum: u32 = digits
            .iter()
            .rev()
            .enumerate()
            .map(|(i, d)| {
                let v = u32::from(*d);
                if i % 2 == 1 {
                    if v > 4 { 2 * v - 9 } else { 2 * v }
                } else {
                    v
                }
            })
            .sum();
        sum.is_multiple_of(10)
    }
    for n in 0u64..20_000 {
        let digits: Vec<u8> = format!("{}", n * 7_919 + 4_111_111)
            .bytes()
            .map(|b| b - b'0')
            .collect();
        let mut l = Luhn::default();
        digits.iter().for_each(|d| l.push(*d));
        assert_eq!(l.valid(), textbook(&digits), "{n}");
    }
}

/// `has_card` and `has_phone` on `before` + a card or phone + `after`, with the candidates used by
/// the cases below: Luhn-valid 16 digits, and 10 digits.
fn card_in(before: &str, after: &str) -> bool {
    has_card(&format!("{before}4111111111111111{after}"))
}
fn phone_in(before: &str, after: &str) -> bool {
    has_phone(&format!("{before}5551234567{after}"))
}

#[test]
fn before_a_candidate() {
    // Nothing, white space or punctuation outside the glued set: it stands.
    for ok in [
        "", " ", "is ", "\n", "(", "\"", "«", "¿", ",", "x, ", "📞", "-", "#", ":", " #",
    ] {
        assert!(card_in(ok, ""), "card after {ok:?}");
        assert!(phone_in(ok, ""), "phone after {ok:?}");
    }
    // A word character right before it, decoded as a character: ASCII, accented, other scripts.
    for glued in ["x", "A", "_", "9x", "é", "ñ", "ब", "٣", "Ω"] {
        assert!(!card_in(glued, ""), "card after {glued:?}");
        assert!(!phone_in(glued, ""), "phone after {glued:?}");
    }
    // One of `- _ . / # : =` with a word character before it: glued.
    for glued in [
        "wa-", "IMG_", "v.", "orders/", "order#", "ref:", "id=", "é-", "ब:",
    ] {
        assert!(!card_in(glued, ""), "card after {glued:?}");
        assert!(!phone_in(glued, ""), "phone after {glued:?}");
    }
    // The same punctuation with no word character before it stands.
    for free in [" -", " .", " /", " #", ": ", "(=", "--", "..", "//", "📞:"] {
        assert!(card_in(free, ""), "card after {free:?}");
        assert!(phone_in(free, ""), "phone after {free:?}");
    }
    // Other punctuation glued to a word is not in the set: it stands.
    for free in ["a,", "a;", "a!", "a?", "a)", "a*", "a@"] {
        assert!(card_in(free, ""), "card after {free:?}");
        assert!(phone_in(free, ""), "phone after {free:?}");
    }
}

#[test]
fn before_a_phone_with_a_leading_plus_or_parenthesis() {
    // The candidate starts at the `+` or `(`: the character before is the one before that.
    assert!(has_phone("call +34 612 345 678"));
    assert!(has_phone("(+34) 612 345 678"), "`(` before `+` stands");
    assert!(
        !has_phone("call:+34 612 345 678"),
        "`:` glued to a word before the `+`"
    );
    assert!(!has_phone("x+34 612 345 678"));
    assert!(
        !has_phone("2026+34612345678"),
        "a digit is a word character"
    );
    assert!(has_phone("call (555) 123-4567"));
    assert!(!has_phone("call(555) 123-4567"));
    assert!(!has_phone("tel:(555) 123-4567"));
    assert!(has_phone("tel: (555) 123-4567"));
    assert!(has_phone("+(34) 612 345 678"));
    assert!(!has_phone("a+(34) 612 345 678"));
}

#[test]
fn after_a_candidate() {
    // Nothing, white space, or punctuation that is not followed by a word character: it stands.
    for ok in [
        "", " ", ".", "!", "?", ",", ")", "\"", "»", "…", ". Thanks", "-", "- ", "/", "...",
    ] {
        assert!(card_in("", ok), "card before {ok:?}");
        assert!(phone_in("", ok), "phone before {ok:?}");
    }
    // A word character right after it, decoded as a character.
    for glued in ["x", "Z", "_", "é", "ब", "٣"] {
        assert!(!card_in("", glued), "card before {glued:?}");
        assert!(!phone_in("", glued), "phone before {glued:?}");
    }
    // `- _ / .` followed by a word character: a file name, an id, a path.
    for glued in ["-WA0003", ".jpg", "/track", "-é", ".ñ", "_x"] {
        assert!(!card_in("", glued), "card before {glued:?}");
        assert!(!phone_in("", glued), "phone before {glued:?}");
    }
    // `#`, `:` and `=` are glued only before a candidate, not after it.
    for free in [":02", "#x", "=x", ":x", "@x.com"] {
        assert!(card_in("", free), "card before {free:?}");
        assert!(phone_in("", free), "phone before {free:?}");
    }
}

#[test]
fn only_the_maximal_run_is_a_candidate() {
    // The run does not stand, and none of its parts is looked at on its own.
    assert!(!has_card(
        "<attached: 00000042-PHOTO-2025-01-15-22-41-03.jpg>"
    ));
    assert!(!has_phone(
        "<attached: 00000042-PHOTO-2025-01-15-22-41-03.jpg>"
    ));
    assert!(!has_phone("conversation wa-2026-10-000063"));
    assert!(!has_phone("1Z999AA10123456784"));
    assert!(!has_card("4111 1111 1111 1111.5"), "a dot glued to a digit");
    // A card run inside a wider phone run stands where the phone run is cut by a parenthesis.
    assert!(has_card("(4111 1111 1111 1111)"));
}

#[test]
fn redact_masks_what_the_conditions_find() {
    assert_eq!(redact("card 4111 1111 1111 1111 ok"), "card [card] ok");
    assert_eq!(redact("mail ana@example.com now"), "mail [email] now");
    assert_eq!(redact("call +34 612 34 56 78"), "call [phone]");
    assert_eq!(redact("order #48213 is late"), "order #48213 is late");
    assert_eq!(redact("café ☕ ana@example.com"), "café ☕ [email]");
    assert_eq!(redact("call (555) 123-4567."), "call [phone].");
    assert_eq!(redact("+1 (555) 123-4567"), "[phone]");
    assert_eq!(
        redact("amex 3782 822463 10005"),
        "amex [card]",
        "card over phone"
    );
    assert_eq!(
        redact("+52 1 55 1234 5678"),
        "[card]",
        "a Luhn-valid 13-digit run is a card, masked with the `+` of the phone around it"
    );
    assert_eq!(
        redact("34612345678@s.whatsapp.net"),
        "[phone]@s.whatsapp.net",
        "phone over e-mail"
    );
    assert_eq!(
        redact("4111111111111111 or 555-123-4567 or ana@x.es"),
        "[card] or [phone] or [email]"
    );
    for same in [
        "wa-2026-10-000063",
        "<attached: 00000042-PHOTO-2025-01-15-22-41-03.jpg>",
        "IMG-20250115-WA0003.jpg",
        "1Z999AA10123456784",
        "https://example.com/orders/4111111111111111",
        "a@b@",
        "@",
        "",
    ] {
        assert_eq!(redact(same), same);
    }
}

#[test]
fn redact_marked_masks_the_whole_text_around_the_marks() {
    let mark = |t: &str, a: usize, b: usize| redact_marked(t, (a, b), "«", "»");
    let card = "my card 4111 1111 1111 1111 ok";
    assert_eq!(
        mark(card, 13, 22),
        "my card «[card]» ok",
        "a hit inside a card"
    );
    assert_eq!(mark(card, 0, 7), "«my card» [card] ok");
    assert_eq!(
        mark(card, 3, 12),
        "my «card [card]» ok",
        "a hit ending inside a card"
    );
    let id = "wa-2026-10-000063 is late";
    assert_eq!(
        mark(id, 0, 2),
        "«wa»-2026-10-000063 is late",
        "the id stays glued"
    );
    assert_eq!(mark(id, 3, 7), "wa-«2026»-10-000063 is late");
    assert_eq!(mark("call +34 612 345 678 now", 0, 4), "«call» [phone] now");
    assert_eq!(mark(card, 9, 200), redact(card), "not a range of the text");
    assert_eq!(mark(card, 9, 3), redact(card), "backwards");
    assert_eq!(
        mark("café 5551234567", 4, 5),
        redact("café 5551234567"),
        "inside `é`"
    );
}

#[test]
fn emails() {
    assert!(has_email("write to ana.lopez+shop@mail.example.com please"));
    assert!(has_email("a@b.co"));
    assert!(!has_email("me@home"));
    assert!(!has_email("@handle"));
    assert!(!has_email("price 5@3.50"), "the last label must be letters");
    assert_eq!(
        redact("a@ b@c.com"),
        "a@ [email]",
        "each `@` with its own domain"
    );
    assert_eq!(redact("ana@example.com."), "[email].");
}

/// Counts of `mask` in `redact(t)` beyond those already in `t`.
fn new_masks(t: &str, mask: &str) -> usize {
    redact(t)
        .matches(mask)
        .count()
        .saturating_sub(t.matches(mask).count())
}

/// Texts built from the pieces personal data and its look-alikes are made of.
fn pieces() -> impl proptest::strategy::Strategy<Value = String> {
    use proptest::prelude::*;
    let piece = prop_oneof![
        "[0-9]{1,5}",
        "[0-9]{8,16}",
        Just("4111 1111 1111 1111".to_owned()),
        Just("3782-822463-10005".to_owned()),
        Just("+34 612 345 678".to_owned()),
        Just("(555) 123-4567".to_owned()),
        "[ .()+#:=_/@-]",
        "[a-zé]{1,3}",
        Just("📞".to_owned()),
        Just("x.com".to_owned()),
        Just("[card]".to_owned()),
        Just("[phone]".to_owned()),
    ];
    proptest::collection::vec(piece, 0..8).prop_map(|v| v.concat())
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(4000))]

    /// Counting digits first never changes the answer of the scanner.
    #[test]
    fn the_digit_count_only_skips_texts_without_a_number(
        t in "[0-9 .()+-]{0,12}[0-9 .()+a-]{0,30}"
    ) {
        proptest::prop_assert_eq!(has_card(&t), finds(&t, Kind::Card), "{}", t);
        proptest::prop_assert_eq!(has_phone(&t), finds(&t, Kind::Phone), "{}", t);
    }

    /// Masking and routing agree: `redact` writes a new `[card]` exactly when `has_card` holds;
    /// it writes a new `[phone]` only when `has_phone` holds, and, in a text without a card (where
    /// no card takes a phone's place), always when it holds.
    #[test]
    fn redact_masks_exactly_what_routing_finds(t in pieces()) {
        let cards = new_masks(&t, CARD_MASK);
        let phones = new_masks(&t, PHONE_MASK);
        proptest::prop_assert_eq!(cards > 0, has_card(&t), "{}", t);
        proptest::prop_assert!(phones == 0 || has_phone(&t), "{}", t);
        if !has_card(&t) {
            proptest::prop_assert_eq!(phones > 0, has_phone(&t), "{}", t);
        }
    }

    /// `redact` takes any text and leaves one with nothing to mask as it is.
    #[test]
    fn redact_leaves_text_without_candidates_alone(t in "\\PC{0,40}|[0-9a-z .@+()#:/_=-]{0,40}") {
        let masked = redact(&t);
        if !has_card(&t) && !has_phone(&t) && !has_email(&t) {
            proptest::prop_assert_eq!(masked, t);
        }
    }

    /// Marks with nothing in them leave exactly what `redact` writes, wherever the hit is.
    #[test]
    fn marks_do_not_change_what_is_masked(
        t in pieces(),
        i in proptest::prelude::any::<proptest::sample::Index>(),
        j in proptest::prelude::any::<proptest::sample::Index>(),
    ) {
        let cuts: Vec<usize> = t.char_indices().map(|(k, _)| k).chain([t.len()]).collect();
        let (a, b) = (*i.get(&cuts), *j.get(&cuts));
        let (a, b) = (a.min(b), a.max(b));
        proptest::prop_assert_eq!(redact_marked(&t, (a, b), "", ""), redact(&t), "{} {}..{}", t, a, b);
    }

    #[test]
    fn redact_never_panics(t in pieces(), u in "\\PC{0,20}") {
        let _ = redact(&format!("{t}{u}{t}"));
    }
}

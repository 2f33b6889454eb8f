//! Multi-line messages, line ends, and texts borrowed from the export.

use std::borrow::Cow;

use crate::logs::whatsapp::Kind;
use crate::logs::whatsapp::tests::{one, p};

#[test]
fn multi_line_messages_keep_inner_blank_lines() {
    let text = "06/03/2017, 00:45 - Sample User: This is a test message\n\
                09/04/2017, 01:50 - +410123456789: How are you?\n\nIs everything alright?\n";
    let parsed = p(text);
    assert_eq!(parsed.entries.len(), 2);
    assert_eq!(
        parsed.entries[1].text,
        "How are you?\n\nIs everything alright?"
    );
    assert_eq!(parsed.entries[1].author.as_deref(), Some("+410123456789"));
}

#[test]
fn blank_line_between_messages_is_not_text() {
    let parsed = p("22/10/21, 15:21:46 - John: one\n\n23/10/21, 15:21:47 - John: two\n\n\n");
    assert_eq!(parsed.entries[0].text, "one");
    assert_eq!(parsed.entries[1].text, "two");
}

#[test]
fn crlf_and_ios_bare_lf_inside_messages() {
    let text =
        "[15/01/25, 22:41:03] John: first\nsecond\nthird\r\n[15/01/25, 22:42:10] Sarah: a\r\nb\r\n";
    let parsed = p(text);
    assert_eq!(parsed.entries[0].text, "first\nsecond\nthird");
    assert_eq!(parsed.entries[1].text, "a\nb");
}

#[test]
fn a_line_that_contains_a_date_is_text() {
    let text = "23/06/2018, 01:55 p.m. - Loris: one\ntwo\n2016-04-29 10:30:00\n\
                see 12/01/2020, 10:00 - x: y\n  23/06/2018, 01:55 - z: w";
    let e = one(text);
    assert_eq!(
        e.text,
        "one\ntwo\n2016-04-29 10:30:00\nsee 12/01/2020, 10:00 - x: y\n  23/06/2018, 01:55 - z: w"
    );
    assert_eq!(e.kind, Kind::Message);
}

#[test]
fn texts_and_authors_borrow_from_the_export_when_written_as_read() {
    let text = "[15/01/25, 22:41:03] John: one\ntwo\n\n\
                [15/01/25, 22:41:04] John: \u{200E}<attached: x.jpg>\n\
                [15/01/25, 22:41:05] \u{202A}+49 176\u{202C}: a\r\nb\r\n\
                [15/01/25, 22:41:06] ~ Ann: single\r\n";
    let parsed = p(text);
    let got: Vec<(bool, bool)> = parsed
        .entries
        .iter()
        .map(|e| {
            (
                matches!(e.text, Cow::Borrowed(_)),
                matches!(e.author, Some(Cow::Borrowed(_))),
            )
        })
        .collect();
    assert_eq!(
        got,
        [(true, true), (false, true), (false, false), (true, true)]
    );
    assert_eq!(parsed.entries[0].text, "one\ntwo");
    assert_eq!(parsed.entries[1].text, "<attached: x.jpg>");
    assert_eq!(parsed.entries[2].text, "a\nb");
    assert_eq!(parsed.entries[2].author.as_deref(), Some("+49 176"));
    assert_eq!(parsed.entries[3].text, "single");
    assert_eq!(parsed.entries[3].author.as_deref(), Some("Ann"));
}

//! The layouts and date styles real exports use, each read from a start-of-entry line.

use crate::logs::whatsapp::tests::{dt, one, p};
use crate::logs::whatsapp::{DateOrder, Kind};

#[test]
fn android_day_first_24h() {
    let e = one("30/12/21, 22:01 - John Doe: Lorem ipsum");
    assert_eq!(e.time, dt("2021-12-30T22:01"));
    assert_eq!(e.author.as_deref(), Some("John Doe"));
    assert_eq!(e.text, "Lorem ipsum");
    assert_eq!(e.kind, Kind::Message);
    assert_eq!(e.line, 1);
}

#[test]
fn android_us_12h() {
    let parsed = p(
        "1/15/25, 10:32 AM - John: hi\n1/15/25, 12:05 PM - Sarah: yo\n\
                    1/16/25, 12:01 AM - Sarah: late\n1/16/25, 3:07 pm - John: ok",
    );
    let times: Vec<_> = parsed.entries.iter().map(|e| e.time).collect();
    assert_eq!(
        times,
        [
            dt("2025-01-15T10:32"),
            dt("2025-01-15T12:05"),
            dt("2025-01-16T00:01"),
            dt("2025-01-16T15:07")
        ]
    );
    assert_eq!(parsed.date_order, Some((DateOrder::MonthFirst, true)));
}

#[test]
fn narrow_and_plain_no_break_spaces_before_pm() {
    for sep in ["\u{202F}", "\u{A0}", " ", ""] {
        let line = format!("3/6/18, 1:55{sep}PM - a: m");
        let e = one(&line);
        assert_eq!(e.time, dt("2018-06-03T13:55"), "{sep:?}");
        assert_eq!(e.author.as_deref(), Some("a"));
    }
}

#[test]
fn spanish_style_meridiem() {
    let cases = [
        ("9/24/2019 11:30 p.m. - John: x", "2019-09-24T23:30"),
        ("9/24/2019 11:30 a.m. - John: x", "2019-09-24T11:30"),
        ("12/24/2019 11:30 p. m. - John: x", "2019-12-24T23:30"),
        ("12/30/2021, 12:10 p. m. - John: x", "2021-12-30T12:10"),
        ("12/30/2021, 12:10 a. m. - John: x", "2021-12-30T00:10"),
        ("06/20/2020, 00:08 a. m. - John: x", "2020-06-20T00:08"),
        ("9/24/2019 11:30 P.M. - John: x", "2019-09-24T23:30"),
        ("09/10/22, 10:37 p.\u{A0}m. - John: x", "2022-10-09T22:37"),
    ];
    for (line, want) in cases {
        assert_eq!(one(line).time, dt(want), "{line}");
    }
}

#[test]
fn pm_on_a_24_hour_time_is_kept() {
    // chat-miner's test_dateformat4 has "[11/10/22 13:37:00 p.m.]": 13:37.
    assert_eq!(
        one("[11/10/22 13:37:00 p.m.] John: x").time,
        dt("2022-10-11T13:37")
    );
}

#[test]
fn ios_with_and_without_seconds_and_lrm() {
    let text = "[15/01/25, 22:41:03] John: back home now\r\n\
                \u{200E}[15/01/25, 22:41:30] John: \u{200E}<attached: 00000042-PHOTO.jpg>\r\n\
                [15/01/25, 22:42] Sarah: cute!!\r\n";
    let parsed = p(text);
    assert_eq!(parsed.entries.len(), 3);
    assert_eq!(parsed.entries[0].time, dt("2025-01-15T22:41:03"));
    assert_eq!(parsed.entries[1].text, "<attached: 00000042-PHOTO.jpg>");
    assert_eq!(parsed.entries[1].kind, Kind::Message);
    assert_eq!(parsed.entries[1].author.as_deref(), Some("John"));
    assert_eq!(parsed.entries[2].time, dt("2025-01-15T22:42"));
    assert_eq!(parsed.entries[2].text, "cute!!");
}

#[test]
fn ios_bracket_without_comma_and_12h() {
    let e = one("[3/6/18 1:55:00 p. m.] a: m");
    assert_eq!(e.time, dt("2018-06-03T13:55"));
    let e = one("\u{200E}[3/6/18 1:55:00 p. m.] a: m");
    assert_eq!(e.time, dt("2018-06-03T13:55"));
    assert_eq!(e.text, "m");
    let e = one("[12/01/2023, 10:00:00\u{202F}AM] Ana: hola");
    assert_eq!(e.time, dt("2023-01-12T10:00"));
}

#[test]
fn year_first() {
    let parsed = p("2019/01/30, 20:49 - Jahn Doe: x\n2022/12/14, 13:34. - John: y");
    assert_eq!(parsed.entries[0].time, dt("2019-01-30T20:49"));
    assert_eq!(parsed.entries[1].time, dt("2022-12-14T13:34"));
    assert_eq!(parsed.entries[1].author.as_deref(), Some("John"));
    assert_eq!(parsed.date_order, Some((DateOrder::YearFirst, true)));
    assert_eq!(
        one("[2018/06/13, 21:25:15] a: m").time,
        dt("2018-06-13T21:25:15")
    );
}

#[test]
fn year_in_the_middle() {
    assert_eq!(
        one("[06/2018/13, 21:25:15] a: m").time,
        dt("2018-06-13T21:25:15")
    );
}

#[test]
fn dotted_and_dashed_dates() {
    let parsed = p("[10.21.21, 15:21:45] John Doe: a\n10.24.21, 15:21:43 - John-John Doe: b");
    assert_eq!(parsed.entries[0].time, dt("2021-10-21T15:21:45"));
    assert_eq!(parsed.entries[1].time, dt("2021-10-24T15:21:43"));
    assert_eq!(parsed.entries[1].author.as_deref(), Some("John-John Doe"));
    assert_eq!(parsed.date_order, Some((DateOrder::MonthFirst, true)));
    assert_eq!(
        one("13.06.18, 21:25 - Max: hallo").time,
        dt("2018-06-13T21:25")
    );
    assert_eq!(
        one("03-06-2018, 01.55 PM - a: m").time,
        dt("2018-06-03T13:55")
    );
    assert_eq!(
        one("09-10-2022 10:37:00 p.m. - John Doe: dashes").time,
        dt("2022-10-09T22:37")
    );
}

#[test]
fn german_spaced_date_and_bare_space_separator() {
    let e = one("13. 6. 2018. 21:25:15 a: m");
    assert_eq!(e.time, dt("2018-06-13T21:25:15"));
    assert_eq!(e.author.as_deref(), Some("a"));
    assert_eq!(e.text, "m");
}

#[test]
fn colon_separator_after_dotted_time() {
    let e = one("13.06.18 21.25.15: a: m");
    assert_eq!(e.time, dt("2018-06-13T21:25:15"));
    assert_eq!(e.author.as_deref(), Some("a"));
    assert_eq!(e.text, "m");
}

#[test]
fn finnish_klo() {
    let e = one("13.6.2018 klo 21.25.15 - a: m");
    assert_eq!(e.time, dt("2018-06-13T21:25:15"));
    assert_eq!(e.text, "m");
}

#[test]
fn weak_separators_only_count_without_strong_ones() {
    // In an Android export, a message line shaped like "date time word" is text.
    let parsed = p(
        "12/10/2021, 09:00 - Ana: plan:\n12/10/2021 10:00 meeting moved\n13/10/2021 11:00: room: B",
    );
    assert_eq!(parsed.entries.len(), 1);
    assert_eq!(
        parsed.entries[0].text,
        "plan:\n12/10/2021 10:00 meeting moved\n13/10/2021 11:00: room: B"
    );
}

#[test]
fn parser_js_formats() {
    let a = dt("2018-06-03T13:55");
    let b = dt("2018-06-13T21:25:15");
    let cases = [
        ("3/6/18, 1:55 p.m. - a: m", a),
        ("03-06-2018, 01.55 PM - a: m", a),
        ("13.06.18 21.25.15: a: m", b),
        ("[06.13.18 21:25:15] a: m", b),
        ("13.6.2018 klo 21.25.15 - a: m", b),
        ("13. 6. 2018. 21:25:15 a: m", b),
        ("[3/6/18 1:55:00 p. m.] a: m", a),
        ("\u{200E}[3/6/18 1:55:00 p. m.] a: m", a),
        ("[2018/06/13, 21:25:15] a: m", b),
        ("[06/2018/13, 21:25:15] a: m", b),
        ("3/6/2018 1:55 p.\u{A0}m. - a: m", a),
        ("3/6/18, 1:55\u{202F}PM - a: m", a),
        (
            "23/06/2018, 01:55 a.m. - Luke: Hey!",
            dt("2018-06-23T01:55"),
        ),
    ];
    for (line, want) in cases {
        let e = one(line);
        assert_eq!(e.time, want, "{line}");
        assert_eq!(e.kind, Kind::Message, "{line}");
        assert!(matches!(e.author.as_deref(), Some("a" | "Luke")), "{line}");
        assert!(matches!(&*e.text, "m" | "Hey!"), "{line}");
    }
}

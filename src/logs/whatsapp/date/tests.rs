//! Date order inference, forced orders, year pivots and the skips of dates and times that do
//! not exist.

use super::*;
use crate::logs::whatsapp::tests::{dt, one, p, p_with};

#[test]
fn order_is_inferred_from_the_whole_file() {
    // The deciding line comes last; the first is read with the order it decides.
    let parsed = p("03/04/21, 10:00 - a: x\n04/13/21, 10:00 - a: y");
    assert_eq!(parsed.date_order, Some((DateOrder::MonthFirst, true)));
    assert_eq!(parsed.entries[0].time, dt("2021-03-04T10:00"));
    let parsed = p("03/04/21, 10:00 - a: x\n13/04/21, 10:00 - a: y");
    assert_eq!(parsed.date_order, Some((DateOrder::DayFirst, true)));
    assert_eq!(parsed.entries[0].time, dt("2021-04-03T10:00"));
}

#[test]
fn undecided_file_is_day_first_and_says_so() {
    let parsed = p("06/03/2017, 00:45 - a: x\n08/05/2017, 01:48 - b: y");
    assert_eq!(parsed.date_order, Some((DateOrder::DayFirst, false)));
    assert_eq!(parsed.entries[0].time, dt("2017-03-06T00:45"));
}

#[test]
fn forced_order_overrides_inference() {
    let line = "3/6/18, 1:55 p.m. - a: m";
    let e = &p_with(line, DateOrder::DayFirst).entries[0];
    assert_eq!(e.time, dt("2018-06-03T13:55"));
    let parsed = p_with(line, DateOrder::MonthFirst);
    assert_eq!(parsed.entries[0].time, dt("2018-03-06T13:55"));
    assert_eq!(parsed.date_order, Some((DateOrder::MonthFirst, true)));
    // Forcing against the file: 13 is not a month, so the line is skipped, not guessed.
    let parsed = p_with("13/06/18, 10:00 - a: m", DateOrder::MonthFirst);
    assert!(parsed.entries.is_empty());
    assert_eq!(parsed.skipped.len(), 1);
    // Year-first with two-digit years.
    let parsed = p_with("18/06/13, 10:00 - a: m", DateOrder::YearFirst);
    assert_eq!(parsed.entries[0].time, dt("2018-06-13T10:00"));
    // A 4-digit field is the year whatever the configuration says.
    let parsed = p_with("2018/06/13, 10:00 - a: m", DateOrder::DayFirst);
    assert_eq!(parsed.entries[0].time, dt("2018-06-13T10:00"));
}

#[test]
fn issue_237_two_and_one_digit_fields() {
    let parsed = p("30/12/2020 13:00 - a: m\n13/1/2021 13:00 - a: m");
    assert_eq!(parsed.entries[0].time, dt("2020-12-30T13:00"));
    assert_eq!(parsed.entries[1].time, dt("2021-01-13T13:00"));
}

#[test]
fn two_digit_year_pivot() {
    assert_eq!(one("1/1/70, 00:00 - a: m").time, dt("1970-01-01T00:00"));
    assert_eq!(one("1/1/68, 00:00 - a: m").time, dt("2068-01-01T00:00"));
}

#[test]
fn impossible_dates_and_times_are_skipped_with_their_lines() {
    let text = "31/01/21, 10:00 - a: ok\n30/02/21, 10:00 - a: bad date\nstill bad\n\
                01/03/21, 25:00 - a: bad time\n01/03/21, 10:00 - a: ok again";
    let parsed = p(text);
    assert_eq!(parsed.entries.len(), 2);
    assert_eq!(parsed.entries[0].text, "ok");
    assert_eq!(parsed.entries[1].line, 5);
    assert_eq!(parsed.skipped.len(), 2);
    assert_eq!(parsed.skipped[0].line, 2);
    assert!(
        parsed.skipped[0].reason.contains("30/02/21"),
        "{}",
        parsed.skipped[0].reason
    );
    assert!(parsed.skipped[0].reason.contains("day-first"));
    assert_eq!(parsed.skipped[1].line, 4);
    assert!(parsed.skipped[1].reason.contains("25:00"));
}

#[test]
fn skip_reasons_read_as_formatted() {
    for n in (0..=u16::MAX).step_by(7).chain([0, 9, 10, 99, 100, 65_535]) {
        let mut s = String::new();
        push_decimal(&mut s, n);
        assert_eq!(s, n.to_string());
    }
    assert_eq!(
        no_such_date("30/02/21", DateOrder::DayFirst, 30, 2),
        "date 30/02/21 does not exist (read day-first: day 30 of month 2)"
    );
}

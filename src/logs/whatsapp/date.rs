//! Dates and clocks: the day/month order of a file, and the wall-clock time of each entry start.
//!
//! The order is a property of the whole file (see the `whatsapp` module header), so it is decided
//! from every start at once before any date is read. A start whose date or time does not exist
//! gets the reason it is skipped instead.

use jiff::civil::{Date, DateTime, Time};

use super::head::{Head, Meridiem};

/// Day/month order of numeric dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateOrder {
    DayFirst,
    MonthFirst,
    YearFirst,
}

impl DateOrder {
    fn as_str(self) -> &'static str {
        match self {
            DateOrder::DayFirst => "day-first",
            DateOrder::MonthFirst => "month-first",
            DateOrder::YearFirst => "year-first",
        }
    }
}

/// The date order of a file from every entry start in it, `forced` being the configured one.
/// Gives the order to report, with whether it was decided (see `Parsed::date_order`), and the
/// order of day and month in dates whose year is not first.
pub(super) fn decide(heads: &[Head], forced: Option<DateOrder>) -> ((DateOrder, bool), DateOrder) {
    let force_year_first = forced == Some(DateOrder::YearFirst);
    let (mut day_votes, mut month_votes) = (0usize, 0usize);
    let mut all_year_first = true;
    for h in heads {
        let yp = year_pos(h, force_year_first);
        if yp == 0 {
            continue;
        }
        all_year_first = false;
        let (a, b) = others(h, yp);
        if a > 12 && b <= 12 {
            day_votes += 1;
        } else if b > 12 && a <= 12 {
            month_votes += 1;
        }
    }
    // A file that contradicts itself (hand-edited, or two exports pasted together) follows its
    // majority; the lines of the minority then fail as dates that do not exist and are skipped.
    let inferred = if day_votes == 0 && month_votes == 0 {
        (DateOrder::DayFirst, false)
    } else if month_votes > day_votes {
        (DateOrder::MonthFirst, true)
    } else {
        (DateOrder::DayFirst, true)
    };
    let reported = match forced {
        Some(forced) => (forced, true),
        None if all_year_first => (DateOrder::YearFirst, true),
        None => inferred,
    };
    let day_month = match forced {
        Some(DateOrder::DayFirst) => DateOrder::DayFirst,
        Some(DateOrder::MonthFirst) => DateOrder::MonthFirst,
        _ => inferred.0,
    };
    (reported, day_month)
}

/// Which of the three date numbers is the year: the 4-digit one, else the last (or the first
/// when the configuration says year-first).
fn year_pos(h: &Head, force_year_first: bool) -> usize {
    match h.digits {
        [4, _, _] => 0,
        [_, 4, _] => 1,
        [_, _, 4] => 2,
        _ if force_year_first => 0,
        _ => 2,
    }
}

/// The two numbers that are not the year, in the order written.
fn others(h: &Head, yp: usize) -> (u16, u16) {
    let [a, b, c] = h.fields;
    match yp {
        0 => (b, c),
        1 => (a, c),
        _ => (a, b),
    }
}

/// The wall-clock time of a head, or why it has none.
pub(super) fn resolve(
    h: &Head,
    text: &str,
    day_month: DateOrder,
    force_year_first: bool,
) -> Result<DateTime, String> {
    let raw_date = text.get(h.date.0..h.date.1).unwrap_or_default();
    let yp = year_pos(h, force_year_first);
    let year_digits = h.digits.get(yp).copied().unwrap_or(0);
    let raw_year = h.fields.get(yp).copied().unwrap_or(0);
    let year = match year_digits {
        4 => i16::try_from(raw_year).unwrap_or(0),
        // Two-digit years pivot as POSIX `%y` does: 69–99 are 1900s, 00–68 the 2000s.
        2 if raw_year >= 69 => 1900 + i16::try_from(raw_year).unwrap_or(0),
        2 => 2000 + i16::try_from(raw_year).unwrap_or(0),
        _ => return Err(format!("date {raw_date} has no 2- or 4-digit year")),
    };
    let (a, b) = others(h, yp);
    let (order, (month, day)) = if yp == 0 {
        (DateOrder::YearFirst, (a, b))
    } else if day_month == DateOrder::MonthFirst {
        (DateOrder::MonthFirst, (a, b))
    } else {
        (DateOrder::DayFirst, (b, a))
    };
    // Checked before jiff is asked: its error for a date that does not exist allocates, and a
    // file read in the order of its majority can reject many of its dates.
    let date = if is_real_date(year, month, day) {
        Date::new(
            year,
            i8::try_from(month).unwrap_or(0),
            i8::try_from(day).unwrap_or(0),
        )
        .ok()
    } else {
        None
    };
    let Some(date) = date else {
        return Err(no_such_date(raw_date, order, day, month));
    };
    let mut hour = h.hour;
    match h.meridiem {
        // "12:10 p. m." is noon and "13:37 p.m." (seen in real exports) is already 24-hour.
        Meridiem::Pm if hour < 12 => hour += 12,
        Meridiem::Am if hour == 12 => hour = 0,
        _ => {}
    }
    let time = if hour <= 23 && h.minute <= 59 && h.second <= 59 {
        Time::new(
            i8::try_from(hour).unwrap_or(-1),
            i8::try_from(h.minute).unwrap_or(-1),
            i8::try_from(h.second).unwrap_or(-1),
            0,
        )
        .ok()
    } else {
        None
    };
    let Some(time) = time else {
        let suffix = match h.meridiem {
            Meridiem::None => "",
            Meridiem::Am => " AM",
            Meridiem::Pm => " PM",
        };
        return Err(format!(
            "time {}:{:02}:{:02}{suffix} does not exist",
            h.hour, h.minute, h.second
        ));
    };
    Ok(DateTime::from_parts(date, time))
}

/// `date 30/02/21 does not exist (read day-first: day 30 of month 2)`, put together without the
/// formatting machinery, which costs more than the rest of reading the line.
fn no_such_date(raw_date: &str, order: DateOrder, day: u16, month: u16) -> String {
    let mut s = String::with_capacity(64 + raw_date.len());
    for part in [
        "date ",
        raw_date,
        " does not exist (read ",
        order.as_str(),
        ": day ",
    ] {
        s.push_str(part);
    }
    push_decimal(&mut s, day);
    s.push_str(" of month ");
    push_decimal(&mut s, month);
    s.push(')');
    s
}

fn push_decimal(s: &mut String, n: u16) {
    let mut leading = true;
    for unit in [10_000, 1_000, 100, 10, 1] {
        let digit = n / unit % 10;
        leading &= digit == 0 && unit > 1;
        if !leading {
            s.push(char::from(b'0' + u8::try_from(digit).unwrap_or(0)));
        }
    }
}

/// Whether `year-month-day` is a day of the proleptic Gregorian calendar, as jiff reads it.
fn is_real_date(year: i16, month: u16, day: u16) -> bool {
    crate::logs::time::days_in_month(i64::from(year), i64::from(month))
        .is_some_and(|last| (1..=last).contains(&i64::from(day)))
}

#[cfg(test)]
mod tests;

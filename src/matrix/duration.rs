//! Durations as the matrix writes them: `90s`, `5m`, `2h`, `1d`, `1h30m`.
//!
//! Whole numbers with units in the order d, h, m, s, each at most once. A bare number is refused
//! on purpose: `30` could mean seconds or minutes, and a service-window rule is no place to guess.

use std::fmt;

/// Why a duration did not parse, with the byte offset inside the text where it went wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DurationError {
    pub offset: usize,
    pub reason: &'static str,
}

/// Parses a duration into seconds.
pub fn parse(text: &str) -> Result<u64, DurationError> {
    let err = |offset, reason| Err(DurationError { offset, reason });
    if text.is_empty() {
        return err(0, "the duration is empty");
    }
    let units = ['d', 'h', 'm', 's'];
    let mut next_unit = 0;
    let mut total: u64 = 0;
    let mut number: Option<u64> = None;
    let mut number_start = 0;
    for (i, c) in text.char_indices() {
        if let Some(d) = c.to_digit(10) {
            if number.is_none() {
                number_start = i;
            }
            let n = number
                .unwrap_or(0)
                .checked_mul(10)
                .and_then(|n| n.checked_add(u64::from(d)));
            match n {
                Some(n) => number = Some(n),
                None => return err(number_start, "the number is too large"),
            }
            continue;
        }
        let Some(pos) = units.iter().position(|u| *u == c) else {
            return err(i, "expected a digit or one of the units d, h, m, s");
        };
        let Some(n) = number.take() else {
            return err(i, "a unit must follow a number");
        };
        if pos < next_unit {
            return err(
                i,
                "units must come in the order d, h, m, s, each at most once",
            );
        }
        next_unit = pos + 1;
        let scale = [86_400, 3_600, 60, 1][pos];
        total = match n.checked_mul(scale).and_then(|v| total.checked_add(v)) {
            Some(t) => t,
            None => return err(number_start, "the duration is too long"),
        };
    }
    if number.is_some() {
        return err(number_start, "the number needs a unit: d, h, m or s");
    }
    Ok(total)
}

/// The duration a user probably meant by `24 hours`, `1 hr 30 mins` or `90 sec`, written the way
/// the matrix wants it, when the text reads as number-and-unit pairs.
pub fn suggest(text: &str) -> Option<String> {
    let words: Vec<String> = text
        .to_lowercase()
        .replace(',', " ")
        .split_whitespace()
        .flat_map(|w| {
            // Split "30min" into "30" and "min".
            let digits = w.chars().take_while(char::is_ascii_digit).count();
            if digits > 0 && digits < w.len() {
                vec![w[..digits].to_owned(), w[digits..].to_owned()]
            } else {
                vec![w.to_owned()]
            }
        })
        .filter(|w| w != "and")
        .collect();
    if words.is_empty() || !words.len().is_multiple_of(2) {
        return None;
    }
    // Keep the user's units when they are already in order ("24 hours" is `24h`, not `1d`).
    let mut out = String::new();
    let mut next_unit = 0;
    for pair in words.chunks(2) {
        let n: u64 = pair[0].parse().ok()?;
        let unit = match pair[1].as_str() {
            "d" | "day" | "days" => 0,
            "h" | "hr" | "hrs" | "hour" | "hours" => 1,
            "m" | "min" | "mins" | "minute" | "minutes" => 2,
            "s" | "sec" | "secs" | "second" | "seconds" => 3,
            _ => return None,
        };
        if unit < next_unit {
            return None;
        }
        next_unit = unit + 1;
        out.push_str(&format!("{n}{}", ["d", "h", "m", "s"][unit]));
    }
    (out != text && parse(&out).is_ok()).then_some(out)
}

/// Formats seconds the way the matrix writes them (`1h30m`); `0s` for zero.
pub struct Display(pub u64);

impl fmt::Display for Display {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut s = self.0;
        if s == 0 {
            return f.write_str("0s");
        }
        // Days only from two days up: "26h" reads better than "1d2h".
        let units: &[(&str, u64)] = if s >= 2 * 86_400 {
            &[("d", 86_400), ("h", 3_600), ("m", 60), ("s", 1)]
        } else {
            &[("h", 3_600), ("m", 60), ("s", 1)]
        };
        for &(unit, scale) in units {
            if s >= scale {
                write!(f, "{}{unit}", s / scale)?;
                s %= scale;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_documented_forms() {
        assert_eq!(parse("90s"), Ok(90));
        assert_eq!(parse("5m"), Ok(300));
        assert_eq!(parse("2h"), Ok(7200));
        assert_eq!(parse("1d"), Ok(86_400));
        assert_eq!(parse("1h30m"), Ok(5400));
        assert_eq!(parse("1d2h3m4s"), Ok(93_784));
    }

    #[test]
    fn refuses_the_rest_with_a_position() {
        assert_eq!(parse("30").map_err(|e| e.offset), Err(0));
        assert_eq!(parse("30m1h").map_err(|e| e.offset), Err(4));
        assert_eq!(parse("1h1h").map_err(|e| e.offset), Err(3));
        assert_eq!(parse("5 min").map_err(|e| e.offset), Err(1));
        assert!(parse("").is_err());
        assert!(parse("h").is_err());
        assert!(parse("99999999999999999999d").is_err());
    }

    #[test]
    fn suggests_the_intended_form() {
        assert_eq!(suggest("24 hours").as_deref(), Some("24h"));
        assert_eq!(suggest("1 hr 30 mins").as_deref(), Some("1h30m"));
        assert_eq!(suggest("30min").as_deref(), Some("30m"));
        assert_eq!(suggest("soon"), None);
        assert_eq!(suggest("30"), None);
    }

    #[test]
    fn displays_round_trip() {
        for s in [0, 59, 90, 3600, 5400, 93_784] {
            assert_eq!(parse(&Display(s).to_string()), Ok(s));
        }
    }
}

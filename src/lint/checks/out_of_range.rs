//! # E013 out-of-range
//!
//! Fires when a threshold is outside its range, a count is below 1, or the rate band is inverted.
//!
//! ## What it does
//! Reports a number outside the range it is defined on: `confidence_below` outside 0..=1,
//! `sentiment_below` outside -1..=1, a count below 1 (`repeats`, `fallbacks`, `bot_turns`,
//! `settings.trap.fallback_streak`, `settings.trap.repeats`), a lane `priority` below 1, a negative
//! `settings.trap.grace_bot_turns`, a `healthy_escalation_rate` bound outside 0..=1 or a band whose
//! low end is above its high end, and a `window_warning` longer than the `service_window` it
//! warns about. Ranges are inclusive.
//!
//! ## Why it matters
//! Out-of-range thresholds make a trigger fire always or never: a confidence is never below 0,
//! every message has sent at least 0 fallbacks. These are almost always a typo (`60` for `0.6`).
//!
//! ## Example
//! ```yaml
//! triggers:
//!   - id: low-confidence
//!     lane: recovery
//!     when: {confidence_below: 60}      # a confidence is a fraction: 0.6
//! ```
//!
//! ## How to fix
//! Write confidences and rates as fractions (0.6, not 60), counts as whole numbers from 1, and
//! the healthy band as `[low, high]`.

use crate::lint::{Check, Code, Context, Finding};
use crate::matrix::duration;
use crate::matrix::raw::Spanned;

pub struct OutOfRange;

fn fraction(v: &Spanned<f64>, lo: f64, hi: f64, what: &str, out: &mut Vec<Finding>) {
    if !(lo..=hi).contains(&v.value) {
        let mut f = Finding::new(
            Code::E013,
            v.span,
            format!("{what} must be between {lo} and {hi}, found {}", v.value),
        )
        .label(format!("outside {lo}..={hi}"));
        f = if v.value.is_nan() {
            f.help(format!("write a number from {lo} to {hi}"))
        } else if lo == 0.0 && v.value > 1.0 && v.value <= 100.0 {
            f.help(format!("write it as a fraction: {}", v.value / 100.0))
        } else {
            f.help(format!("use a value from {lo} to {hi}"))
        };
        out.push(f);
    }
}

fn at_least(v: &Spanned<i64>, min: i64, what: &str, out: &mut Vec<Finding>) {
    if v.value < min {
        out.push(
            Finding::new(
                Code::E013,
                v.span,
                format!("{what} must be at least {min}, found {}", v.value),
            )
            .label(format!("below {min}"))
            .help(format!("use a whole number from {min}")),
        );
    }
}

impl Check for OutOfRange {
    fn code(&self) -> Code {
        Code::E013
    }

    fn run(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for (_, c, _) in cx.conditions() {
            if let Some(v) = &c.confidence_below {
                fraction(v, 0.0, 1.0, "confidence_below", out);
            }
            if let Some(v) = &c.sentiment_below {
                fraction(v, -1.0, 1.0, "sentiment_below", out);
            }
            for (v, what) in [
                (&c.repeats, "repeats"),
                (&c.fallbacks, "fallbacks"),
                (&c.bot_turns, "bot_turns"),
            ] {
                if let Some(v) = v {
                    at_least(v, 1, what, out);
                }
            }
        }
        for lane in cx.lanes() {
            if let Some(p) = &lane.value.priority {
                at_least(p, 1, "a lane's priority", out);
            }
        }
        let Some(settings) = &cx.raw.settings else {
            return;
        };
        let s = &settings.value;
        if let Some(t) = &s.trap {
            if let Some(v) = &t.value.fallback_streak {
                at_least(v, 1, "settings.trap.fallback_streak", out);
            }
            if let Some(v) = &t.value.repeats {
                at_least(v, 1, "settings.trap.repeats", out);
            }
            if let Some(v) = &t.value.grace_bot_turns {
                at_least(v, 0, "settings.trap.grace_bot_turns", out);
            }
        }
        if let Some(band) = &s.healthy_escalation_rate {
            for b in &band.value {
                fraction(b, 0.0, 1.0, "a bound of healthy_escalation_rate", out);
            }
            if let [lo, hi] = band.value.as_slice()
                && lo.value > hi.value
            {
                out.push(
                    Finding::new(
                        Code::E013,
                        band.span,
                        format!(
                            "the healthy band is inverted: {} is above {}",
                            lo.value, hi.value
                        ),
                    )
                    .label("low bound above high bound")
                    .help(format!("write it as [{}, {}]", hi.value, lo.value)),
                );
            }
        }
        if let Some(w) = &s.window_warning {
            let warning = duration::parse(&w.value.0).ok();
            if let Some(warning) = warning {
                let window = cx.service_window();
                if warning > window {
                    out.push(
                        Finding::new(
                            Code::E013,
                            w.span,
                            format!(
                                "window_warning ({}) is longer than the service window ({})",
                                duration::Display(warning),
                                duration::Display(window)
                            ),
                        )
                        .label("longer than the service window")
                        .help("the warning must come before the window closes: make it shorter than service_window"),
                    );
                }
            }
        }
    }
}

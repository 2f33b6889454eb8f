//! # E014 invalid-duration
//!
//! Fires when a duration does not parse.
//!
//! ## What it does
//! Reports a duration that does not parse: `settings.service_window`, `settings.window_warning`,
//! a lane's `sla.first_response` or an `elapsed` condition. A duration is whole numbers with
//! units in the order `d`, `h`, `m`, `s`, each at most once: `90s`, `5m`, `2h`, `1d`, `1h30m`.
//!
//! ## Why it matters
//! A bare number is ambiguous (`30`: seconds? minutes?), and the service window decides when a
//! WhatsApp business may still answer freely; guessing would misreport every window-risk figure.
//!
//! ## Example
//! ```yaml
//! settings:
//!   service_window: 24 hours     # should be 24h
//! lanes:
//!   billing:
//!     sla: {first_response: 30}  # 30 what? write 30m
//! ```
//!
//! ## How to fix
//! Write the duration with its units, largest first and without spaces: `24h`, `1h30m`, `90s`.

use crate::lint::{Check, Code, Context, Finding};
use crate::matrix::duration;
use crate::matrix::raw::{DurationText, Spanned};

pub struct InvalidDuration;

fn check(cx: &Context<'_>, d: &Spanned<DurationText>, what: &str, out: &mut Vec<Finding>) {
    if let Err(e) = duration::parse(&d.value.0) {
        let as_text = Spanned::new(d.value.0.clone(), d.span, d.key);
        let span = cx.inner_span(&as_text, e.offset, e.offset + 1);
        let help = match duration::suggest(&d.value.0) {
            Some(s) => format!("write `{s}`: whole numbers with units in the order d, h, m, s"),
            None => {
                "write whole numbers with units in the order d, h, m, s: 90s, 5m, 2h, 1d, 1h30m"
                    .to_owned()
            }
        };
        out.push(
            Finding::new(
                Code::E014,
                span,
                format!("{what} `{}` is not a duration: {}", d.value.0, e.reason),
            )
            .label(e.reason)
            .help(help),
        );
    }
}

impl Check for InvalidDuration {
    fn code(&self) -> Code {
        Code::E014
    }

    fn run(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        if let Some(s) = &cx.raw.settings {
            if let Some(d) = &s.value.service_window {
                check(cx, d, "service_window", out);
            }
            if let Some(d) = &s.value.window_warning {
                check(cx, d, "window_warning", out);
            }
        }
        for lane in cx.lanes() {
            if let Some(d) = lane
                .value
                .sla
                .as_ref()
                .and_then(|s| s.value.first_response.as_ref())
            {
                check(cx, d, "sla.first_response", out);
            }
        }
        for (_, c, _) in cx.conditions() {
            if let Some(d) = &c.elapsed {
                check(cx, d, "elapsed", out);
            }
        }
    }
}

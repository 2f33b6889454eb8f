//! # E019 sla-beyond-window
//!
//! Fires when a lane's first-response SLA is longer than the service window.
//!
//! ## What it does
//! Reports a lane whose `sla.first_response` is longer than `settings.service_window` (24h unless
//! set).
//!
//! ## Why it matters
//! On WhatsApp a business can reply freely only within the customer-service window that the
//! customer's last message opened. An SLA longer than the window promises a first response at a
//! time when only a paid template message can still be sent.
//!
//! ## Example
//! ```yaml
//! settings:
//!   service_window: 24h
//! lanes:
//!   technical:
//!     priority: 5
//!     sla: {first_response: 2d}     # the window closes after 24h
//! ```
//!
//! ## How to fix
//! Shorten the SLA to well inside the window, or plan a template follow-up and keep the SLA
//! below the window.

use crate::lint::{Check, Code, Context, Finding};
use crate::matrix::duration;

pub struct SlaBeyondWindow;

impl Check for SlaBeyondWindow {
    fn code(&self) -> Code {
        Code::E019
    }

    fn run(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let window = cx.service_window();
        for lane in cx.lanes() {
            let Some(fr) = lane
                .value
                .sla
                .as_ref()
                .and_then(|s| s.value.first_response.as_ref())
            else {
                continue;
            };
            let Ok(sla) = duration::parse(&fr.value.0) else {
                continue;
            };
            if sla > window {
                out.push(
                    Finding::new(
                        Code::E019,
                        fr.span,
                        format!(
                            "lane `{}` promises a first response in {}, after the {} service window closes",
                            lane.value.id.value,
                            duration::Display(sla),
                            duration::Display(window)
                        ),
                    )
                    .label(format!("longer than the {} window", duration::Display(window)))
                    .help("make the first-response SLA shorter than settings.service_window"),
                );
            }
        }
    }
}

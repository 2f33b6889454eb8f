//! The hand-worked replay fixture, `tests/fixtures/replay`, that the `replay`, `explain`, `diff`
//! and `test` modules share: a matrix and a log whose every metric was worked out by hand from
//! SPEC sections 4 and 5. What each conversation of `log.jsonl` exercises:
//!
//! - c1: a greeting the bot answers; a redelivered message (duplicate) and an unknown role (skip).
//! - c2: "refund … order 12345" → billing at message 1; order_id captured; truth billing.
//! - c3: "refund please, or a human": `human` (recovery, priority 3) and `refund` (billing, 2) both
//!   hold, billing wins; truth recovery → a misroute; an opt-out signal answered in time.
//! - c4: fallbacks at messages 2, 4 and 6 (customer messages between do not break the streak) →
//!   `loop` at message 6; signal at message 4; one bot message after it: within the grace.
//! - c5: "agent?" twice, no trigger listens: trapped, 2 bot turns after the signal; truth recovery →
//!   a missed escalation.
//! - c6: no timestamps, "refund?" → billing; truth none → an over-escalation; not in time metrics.
//! - c7: starts with an agent: empty bot phase; truth from the `assign` event → missed escalation.
//! - c8: the bot answers 21 hours later: `late` (elapsed 21h) holds at that bot message; the last
//!   customer message is 21h before the escalation → window risk.
//! - c9: a Luhn-valid card number → compliance, intent captured.

use std::path::{Path, PathBuf};

use crate::{Run, root};

/// The fixture directory: `matrix.yaml`, `log.jsonl` and `shortcuts.yaml`.
pub fn dir() -> PathBuf {
    root().join("tests/fixtures/replay")
}

/// `handoff replay matrix.yaml log.jsonl -f json --outcomes TARGET` on the fixture, which must
/// succeed: `target` then holds one CSV row per conversation.
pub fn write_outcomes(target: &Path) {
    let target = target.to_str().expect("utf-8");
    Run::new([
        "replay",
        "matrix.yaml",
        "log.jsonl",
        "-f",
        "json",
        "--outcomes",
        target,
    ])
    .dir(dir())
    .run()
    .code(0);
}

//! The outcomes CSV of `handoff replay --outcomes` (SPEC section 5): one row per conversation,
//! saying how the matrix handled it and, in the last four columns, what the logs show happened.

use crate::engine::Compiled;
use crate::engine::replay::{Outcome, Truth};
use crate::report;

/// One row per conversation (SPEC section 5): how the matrix handled it.
pub fn csv(c: &Compiled, outcomes: &[Outcome]) -> String {
    let mut w = ::csv::Writer::from_writer(Vec::new());
    let header = [
        "conversation_id",
        "escalated",
        "lane",
        "trigger",
        "message_index",
        "turns_to_handoff",
        "seconds_to_handoff",
        "truth_lane",
        "misrouted",
        "trap_signal",
        "trapped",
        "trapped_bot_turns",
        "context_complete",
        "window_risk",
        "logged_escalated",
        "logged_handoff_index",
        "logged_lane",
        "logged_trapped",
    ];
    let _ = w.write_record(header);
    let opt = |v: Option<String>| v.unwrap_or_default();
    let b = |v: bool| v.to_string();
    for o in outcomes {
        let lane = o.escalation.map(|e| c.matrix.lanes[e.lane].id.clone());
        // The logged handoff point is where the bot phase ends, when something follows it.
        let logged = (o.bot_phase < o.messages).then_some(o.bot_phase);
        let truth = match &o.truth {
            Truth::Unknown => String::new(),
            Truth::None => "none".into(),
            Truth::Lane(l) => l.clone(),
        };
        let misrouted = match (&o.truth, o.escalation) {
            (Truth::Lane(l), Some(e)) => b(c.matrix.lanes[e.lane].id != *l),
            _ => String::new(),
        };
        let row = [
            crate::text::csv_text(&o.id).into_owned(),
            b(o.escalation.is_some()),
            opt(lane.clone()).clone(),
            opt(o.escalation.map(|e| c.triggers[e.trigger].id.clone())),
            opt(o.escalation.map(|e| (e.index + 1).to_string())),
            opt(o.turns_to_handoff.map(|t| t.to_string())),
            opt(o.seconds_to_handoff.map(report::number)),
            crate::text::csv_text(&truth).into_owned(),
            misrouted,
            b(o.trap_signal),
            b(o.trapped),
            opt(o.trapped_bot_turns.map(|t| t.to_string())),
            opt(o.context_complete.map(b)),
            opt(o.window_risk.map(b)),
            b(logged.is_some()),
            opt(logged.map(|i| (i + 1).to_string())),
            crate::text::csv_text(o.logged_lane.as_deref().unwrap_or("")).into_owned(),
            b(o.logged_trapped),
        ];
        let _ = w.write_record(row);
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

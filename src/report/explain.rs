//! The `handoff explain` trace of one conversation, turn by turn; `handoff test` shows it under a
//! failing case.
//!
//! For each message of the bot phase: the state after it, every trigger that held (with the text it
//! matched), and at the escalation point the winner and why each other holding trigger lost. Then
//! the outcome, the rendered handoff message and the matrix line of the winning trigger, and beside
//! it what the logs show happened: the logged handoff point and its lane, the first response and
//! the transfers. Customer text is shown with card numbers, e-mail addresses and phone numbers
//! masked when `mask` is set.

use std::fmt::Write as _;

use crate::engine::Compiled;
use crate::engine::logged;
use crate::engine::pii::redact;
use crate::engine::replay::{self, Escalation, Outcome, Step, Truth};
use crate::logs::record::{Conversation, Message, Role};
use crate::matrix::template;
use crate::report;

fn clock(ms: Option<i64>) -> String {
    ms.and_then(|m| jiff::Timestamp::from_millisecond(m).ok())
        .map_or_else(
            || "(no time)         ".into(),
            |t| t.strftime("%Y-%m-%d %H:%M:%S").to_string(),
        )
}

/// The text of a message with the matched part marked «like this», masked when asked. Masking
/// looks at the whole text, so a mark inside a card number cannot leave the rest of it readable.
fn shown(text: &str, hit: Option<(usize, usize)>, mask: bool) -> String {
    let valid = hit.filter(|&(a, b)| a < b && text.get(a..b).is_some());
    let marked = match (valid, mask) {
        (Some(hit), true) => crate::engine::pii::redact_marked(text, hit, "«", "»"),
        (Some((a, b)), false) => format!("{}«{}»{}", &text[..a], &text[a..b], &text[b..]),
        (None, true) => redact(text),
        (None, false) => text.to_owned(),
    };
    marked.replace('\n', " ⏎ ")
}

/// The value of a context field: the first capture group (or the whole match) in a customer
/// message up to `until`.
fn context_value(c: &Compiled, conv: &Conversation, name: &str, until: usize) -> Option<String> {
    let (_, re) = c.context.iter().find(|(n, _)| n == name)?;
    conv.messages[..=until.min(conv.messages.len().saturating_sub(1))]
        .iter()
        .filter(|m| m.role() == Role::Customer)
        .find_map(|m| {
            re.captures(&m.text).map(|cap| {
                cap.get(1)
                    .or_else(|| cap.get(0))
                    .map_or("", |x| x.as_str())
                    .to_owned()
            })
        })
}

/// The trace of `conv` under `c` (the matrix file named `matrix`), from its replay `o` and `steps`.
pub fn explain(
    c: &Compiled,
    matrix: &str,
    conv: &Conversation,
    o: &Outcome,
    steps: &[Step],
    mask: bool,
) -> String {
    let mut s = String::new();
    header(&mut s, conv, o, mask);
    for (i, msg) in conv.messages.iter().enumerate() {
        let step = steps.iter().find(|st| st.index == i);
        message(&mut s, c, i, msg, step, mask);
        let Some(step) = step else {
            if i == o.bot_phase {
                let _ = writeln!(
                    s,
                    "      the bot phase ends here: a person owns the conversation from this message on"
                );
            }
            continue;
        };
        state(&mut s, c, step);
        if let Some(e) = o.escalation.filter(|e| e.index == i) {
            winner(&mut s, c, matrix, step, e);
        }
    }
    s.push('\n');
    match o.escalation {
        None => {
            let _ = writeln!(s, "Outcome: stays with the bot (lane: none).");
        }
        Some(e) => escalated(&mut s, c, matrix, conv, o, e, mask),
    }
    let _ = writeln!(s, "Bot trap: {}", trap(o));
    s
}

/// What the logs show beside the matrix's decision (SPEC section 5.5), for `explain` to show under
/// the trace: the logged handoff point and its lane, the first response, the transfers and the
/// logged bot trap. (`test` leaves it out: a case's conversation is written, not logged.)
pub fn as_logged(conv: &Conversation, o: &Outcome, mask: bool) -> String {
    let mut out = String::new();
    let s = &mut out;
    let seen = logged::observe(conv);
    let msgs = &conv.messages;
    let matrix = match o.escalation {
        Some(e) => format!("the matrix escalates at message {}", e.index + 1),
        None => "the matrix keeps it with the bot".to_owned(),
    };
    let _ = writeln!(s, "\nAs logged ({matrix}):");
    let point = match seen.handoff {
        None => "no person took over (no agent message, no handoff or assign event)".to_owned(),
        Some(h) => {
            let m = &msgs[h];
            let what = match m.event {
                Some(e) => format!("{} event", e.as_str()),
                None => "the first agent message".to_owned(),
            };
            let lane = logged::named_lane(m).map_or_else(String::new, |l| format!(", lane {l}"));
            let secs = seen.seconds_to_handoff.map_or_else(String::new, |x| {
                format!(", {} s after the first message", report::number(x))
            });
            format!(
                "a person took over at message {} ({what}{lane}){secs}",
                h + 1
            )
        }
    };
    let _ = writeln!(s, "  Handoff: {point}");
    let lane = match seen
        .specialist
        .and_then(|i| logged::named_lane(&msgs[i]).map(|l| (i, l)))
    {
        Some((i, l)) => format!("{l} (message {})", i + 1),
        None => "none named".to_owned(),
    };
    let _ = writeln!(s, "  Logged lane: {lane}");
    let response = match (seen.has_customer, seen.first_response) {
        (false, _) => "no customer message".to_owned(),
        (true, None) => "none: the first customer message was never answered".to_owned(),
        (true, Some(i)) => format!(
            "message {} ({}){}",
            i + 1,
            msgs[i].role().as_str(),
            seen.first_response_seconds
                .map_or_else(String::new, |x| format!(
                    ", {} s after the first customer message",
                    report::number(x)
                ))
        ),
    };
    let _ = writeln!(s, "  First response: {response}");
    transfer_lines(s, msgs, seen.handoff, mask);
    let _ = writeln!(
        s,
        "  Logged bot trap: {}",
        if o.logged_trapped { "trapped" } else { "no" }
    );
    out
}

/// The transfers from the logged handoff point on, one per line.
fn transfer_lines(s: &mut String, msgs: &[Message], handoff: Option<usize>, mask: bool) {
    let Some(h) = handoff else {
        let _ = writeln!(s, "  Transfers: none");
        return;
    };
    let name = |n: &str| if mask { redact(n) } else { n.to_owned() };
    let mut lines = Vec::new();
    logged::transfers(msgs, h, |i, t| {
        let what = match t {
            logged::Transfer::BotToPerson => "bot → person".to_owned(),
            logged::Transfer::Lane { from, to } => format!("lane {from} → {to}"),
            logged::Transfer::Author { from, to } => {
                format!("agent {} → {}", name(from), name(to))
            }
        };
        lines.push(format!("    message {}: {what}", i + 1));
    });
    let _ = writeln!(s, "  Transfers: {}", lines.len());
    for l in lines {
        let _ = writeln!(s, "{l}");
    }
}

/// The first two lines: the conversation, its bot phase, segment, customer and truth lane.
fn header(s: &mut String, conv: &Conversation, o: &Outcome, mask: bool) {
    let _ = writeln!(
        s,
        "Conversation {} — {} message(s), bot phase {}{}",
        conv.id,
        conv.messages.len(),
        o.bot_phase,
        if conv.timed {
            ""
        } else {
            " (not all messages have a timestamp: file order, no time conditions)"
        }
    );
    let segment: Vec<String> = conv
        .segment
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    let truth = match &o.truth {
        Truth::Unknown => "unknown".to_owned(),
        Truth::None => "none (the bot should keep it)".to_owned(),
        Truth::Lane(l) => l.clone(),
    };
    let _ = writeln!(
        s,
        "segment: {} · customer: {} · truth lane: {truth}\n",
        if segment.is_empty() {
            "none".to_owned()
        } else {
            segment.join(", ")
        },
        conv.customer_name.as_deref().map_or_else(
            || "unknown".to_owned(),
            |n| if mask { redact(n) } else { n.to_owned() }
        ),
    );
}

/// One message: number, time, role, text (the matched part marked) and its labels.
fn message(s: &mut String, c: &Compiled, i: usize, msg: &Message, step: Option<&Step>, mask: bool) {
    let hit = step.and_then(|st| st.held.iter().find_map(|(_, h)| *h));
    let mut labels = Vec::new();
    if let Some(x) = &msg.intent {
        labels.push(format!("intent={x}"));
    }
    if let Some(x) = msg.confidence {
        labels.push(format!("confidence={x}"));
    }
    if let Some(x) = msg.sentiment {
        labels.push(format!("sentiment={x}"));
    }
    if replay::is_fallback(c, msg) && msg.role() == Role::Bot {
        labels.push("fallback".into());
    }
    if let Some(e) = msg.event {
        labels.push(format!("event={}", e.as_str()));
    }
    let text = if msg.role() == Role::Customer {
        shown(&msg.text, hit, mask)
    } else {
        shown(&msg.text, None, false)
    };
    let _ = writeln!(
        s,
        "#{:<3} {}  {:<8} \"{}\"{}",
        i + 1,
        clock(msg.timestamp),
        msg.role().as_str(),
        text,
        if labels.is_empty() {
            String::new()
        } else {
            format!("  [{}]", labels.join(", "))
        }
    );
}

/// The state after a message of the bot phase, its trap signal and the triggers that held.
fn state(s: &mut String, c: &Compiled, step: &Step) {
    let m = &c.matrix;
    let _ = writeln!(
        s,
        "      state: bot turns {}, fallback streak {}",
        step.bot_turns, step.fallback_streak
    );
    if let Some(sig) = step.trap_signal {
        let _ = writeln!(s, "      trap signal: {sig}");
    }
    if !step.held.is_empty() {
        let names: Vec<String> = step
            .held
            .iter()
            .map(|(t, _)| {
                let tr = &c.triggers[*t];
                format!(
                    "{} → {} (priority {})",
                    tr.id, m.lanes[tr.lane].id, tr.priority
                )
            })
            .collect();
        let _ = writeln!(s, "      held: {}", names.join("; "));
    }
}

/// At the escalation point: the winning trigger, and why each other trigger that held lost.
fn winner(s: &mut String, c: &Compiled, matrix: &str, step: &Step, e: Escalation) {
    let m = &c.matrix;
    let w = &c.triggers[e.trigger];
    let _ = writeln!(
        s,
        "      ⇒ escalates to {} by `{}` ({matrix}:{})",
        m.lanes[e.lane].id, w.id, w.line
    );
    for (t, _) in step.held.iter().filter(|(t, _)| *t != e.trigger) {
        let l = &c.triggers[*t];
        let why = if w.priority < l.priority {
            format!(
                "lane {} has priority {}, more urgent than {} of {}",
                m.lanes[w.lane].id, w.priority, l.priority, m.lanes[l.lane].id
            )
        } else {
            format!(
                "same priority {}, and `{}` is listed first",
                l.priority, w.id
            )
        };
        let _ = writeln!(s, "        `{}` lost: {why}", l.id);
    }
}

/// The outcome of an escalated conversation: lane, point and trigger, the rendered handoff
/// message, whether the context was complete and whether the service window is at risk.
fn escalated(
    s: &mut String,
    c: &Compiled,
    matrix: &str,
    conv: &Conversation,
    o: &Outcome,
    e: Escalation,
    mask: bool,
) {
    let lane = &c.matrix.lanes[e.lane];
    let w = &c.triggers[e.trigger];
    let _ = writeln!(
        s,
        "Outcome: escalated to {} ({}) at message {} by trigger `{}`, {matrix}:{}",
        lane.id,
        lane.title.as_deref().unwrap_or(&lane.id),
        e.index + 1,
        w.id,
        w.line
    );
    let rendered = template::render(&lane.message, &|name| match name {
        "agent" => lane.agent.clone(),
        "eta" => lane.eta.clone(),
        "lane" => Some(lane.title.clone().unwrap_or_else(|| lane.id.clone())),
        "customer_name" => conv.customer_name.as_deref().map(str::to_owned),
        other => context_value(c, conv, other, e.index),
    });
    let _ = writeln!(
        s,
        "Handoff message: \"{}\"",
        if mask { redact(&rendered) } else { rendered }
    );
    if let Some(done) = o.context_complete {
        let _ = writeln!(
            s,
            "Context: {} ({})",
            if done { "complete" } else { "incomplete" },
            lane.requires.join(", ")
        );
    }
    if let Some(r) = o.window_risk {
        let _ = writeln!(s, "Service window: {}", if r { "at risk" } else { "fine" });
    }
}

/// The bot-trap verdict of the last line.
fn trap(o: &Outcome) -> String {
    if o.trapped {
        format!(
            "trapped ({} after the first signal)",
            crate::text::plural(
                o.trapped_bot_turns.unwrap_or(0) as usize,
                "bot message",
                "bot messages"
            )
        )
    } else if o.trap_signal {
        "a trap signal, answered in time".to_owned()
    } else {
        "no trap signal".to_owned()
    }
}

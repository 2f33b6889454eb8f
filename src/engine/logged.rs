//! What the logs themselves show happened to a conversation (SPEC section 5.5): where a person took
//! over, the first response, the lanes assignments named, the transfers, the resolution and the
//! longest wait for a reply.
//!
//! None of this depends on a matrix, so it is worked out once per conversation ([`observe`]), in
//! the one loop over its messages that every run path's fold makes, whatever the number of
//! matrices replayed. The two figures that read a matrix's `settings` (the logged bot trap and the
//! logged window risk) are finished per matrix: the first in replay, which already tracks the trap
//! signals, the second from [`Observed::reply_gap_ms`].

use crate::logs::record::{Conversation, Event, Message, Role};

/// Where the bot phase ends (SPEC section 4.1): the first agent message or `handoff`/`assign`
/// event, which is the logged handoff point when there is one.
pub fn bot_phase_end(conv: &Conversation) -> usize {
    conv.messages
        .iter()
        .position(|m| {
            m.role() == Role::Agent || matches!(m.event, Some(Event::Handoff | Event::Assign))
        })
        .unwrap_or(conv.messages.len())
}

/// The logged facts of one conversation. Time figures are `None` in a conversation in which some
/// message lacks a timestamp (SPEC section 3).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Observed {
    /// The logged handoff point: the record that ends the bot phase (SPEC section 4.1).
    pub handoff: Option<usize>,
    /// Customer messages before the logged handoff point (with one).
    pub turns_to_handoff: Option<u32>,
    pub seconds_to_handoff: Option<f64>,
    /// Whether the conversation has a customer message, and the first bot or agent message after
    /// the first one (the first response).
    pub has_customer: bool,
    pub first_response: Option<usize>,
    pub first_response_seconds: Option<f64>,
    /// The first `assign`/`handoff` event that names a lane, and the seconds from the first
    /// customer message to it (when a customer message comes at or before it).
    pub specialist: Option<usize>,
    pub specialist_seconds: Option<f64>,
    /// Whether the lane-naming events name two different lanes (`None` without any).
    pub reassigned: Option<bool>,
    /// Handoffs, for a conversation with a logged handoff point.
    pub transfers: Option<u32>,
    pub resolved: bool,
    pub resolution_seconds: Option<f64>,
    /// The longest wait, in milliseconds, from the latest customer message to a bot or agent
    /// message after it (timed conversations in which some reply follows a customer message).
    pub reply_gap_ms: Option<i64>,
    /// First and last timestamp, for `recontact_48h_rate` (timed conversations only).
    pub span: Option<(i64, i64)>,
}

/// Why a transfer counts (SPEC section 5.5, `transfers_mean`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Transfer<'a> {
    /// The handoff from the bot to a person: the logged handoff point.
    BotToPerson,
    /// An `assign`/`handoff` event naming a lane other than the current one.
    Lane { from: &'a str, to: &'a str },
    /// An agent message by another author than the previous agent message.
    Author { from: &'a str, to: &'a str },
}

/// The lane an `assign`/`handoff` record names: trimmed, and not empty or `none` (SPEC section 3).
pub fn named_lane<'m>(m: &'m Message<'_>) -> Option<&'m str> {
    if !matches!(m.event, Some(Event::Handoff | Event::Assign)) {
        return None;
    }
    let lane = m.lane.as_deref()?.trim();
    (!lane.is_empty() && !lane.eq_ignore_ascii_case("none")).then_some(lane)
}

/// The lane of the first `assign`/`handoff` event that names one (the outcomes' `logged_lane`).
pub fn first_lane<'m>(conv: &'m Conversation<'_>) -> Option<&'m str> {
    conv.messages.iter().find_map(named_lane)
}

/// Every transfer from the logged handoff point `from` on, in order, each handed to `each` with
/// the index of its record. The first lane named after a handoff that named none is where that
/// handoff went, not a transfer of its own; an agent message without an author neither counts nor
/// breaks the run of the author before it.
pub fn transfers<'m>(
    msgs: &'m [Message<'_>],
    from: usize,
    mut each: impl FnMut(usize, Transfer<'m>),
) {
    let Some(first) = msgs.get(from) else {
        return;
    };
    each(from, Transfer::BotToPerson);
    let mut lane: Option<&str> = named_lane(first);
    let mut author: Option<&str> = None;
    for (i, m) in msgs.iter().enumerate().skip(from) {
        if i > from
            && let Some(to) = named_lane(m)
        {
            match lane {
                Some(cur) if cur != to => each(i, Transfer::Lane { from: cur, to }),
                _ => {}
            }
            lane = Some(to);
        }
        if m.role() == Role::Agent
            && let Some(who) = m.author.as_deref().map(str::trim).filter(|a| !a.is_empty())
        {
            if let Some(prev) = author.filter(|p| *p != who) {
                each(
                    i,
                    Transfer::Author {
                        from: prev,
                        to: who,
                    },
                );
            }
            author = Some(who);
        }
    }
}

/// Seconds from `a` to `b`, in milliseconds.
fn seconds(a: i64, b: i64) -> f64 {
    (b - a) as f64 / 1000.0
}

/// The logged facts of `conv`, in one loop over its messages.
pub fn observe(conv: &Conversation<'_>) -> Observed {
    let msgs = &conv.messages;
    let end = bot_phase_end(conv);
    let handoff = (end < msgs.len()).then_some(end);
    let mut o = Observed {
        handoff,
        ..Observed::default()
    };
    let mut first_customer: Option<usize> = None;
    let mut last_customer_ts: Option<i64> = None;
    let mut lanes: (Option<&str>, bool) = (None, false);
    let mut resolved_at = None;
    let mut gap: Option<i64> = None;
    for (i, m) in msgs.iter().enumerate() {
        let role = m.role();
        match role {
            Role::Customer => {
                if first_customer.is_none() {
                    first_customer = Some(i);
                    o.has_customer = true;
                }
                last_customer_ts = m.timestamp;
            }
            Role::Bot | Role::Agent => {
                if let Some(fc) = first_customer
                    && o.first_response.is_none()
                {
                    o.first_response = Some(i);
                    o.first_response_seconds = time_between(conv, fc, i);
                }
                if first_customer.is_some()
                    && let (Some(c), Some(t)) = (last_customer_ts, m.timestamp)
                {
                    gap = Some(gap.map_or(t - c, |g| g.max(t - c)));
                }
            }
            Role::System => {}
        }
        if let Some(lane) = named_lane(m) {
            match lanes.0 {
                None => {
                    lanes.0 = Some(lane);
                    o.specialist = Some(i);
                    o.specialist_seconds = first_customer.and_then(|fc| time_between(conv, fc, i));
                }
                Some(first) => lanes.1 |= first != lane,
            }
        }
        if resolved_at.is_none() && m.event == Some(Event::Resolved) {
            resolved_at = Some(i);
        }
    }
    if let Some(h) = handoff {
        o.turns_to_handoff = Some(
            msgs[..h]
                .iter()
                .filter(|m| m.role() == Role::Customer)
                .count() as u32,
        );
        o.seconds_to_handoff = time_between(conv, 0, h);
        let mut n = 0;
        transfers(msgs, h, |_, _| n += 1);
        o.transfers = Some(n);
    }
    o.reassigned = lanes.0.map(|_| lanes.1);
    o.resolved = resolved_at.is_some();
    o.resolution_seconds = resolved_at.and_then(|r| time_between(conv, 0, r));
    if conv.timed {
        o.reply_gap_ms = gap;
        o.span = match (msgs.first(), msgs.last()) {
            (Some(a), Some(b)) => a.timestamp.zip(b.timestamp),
            _ => None,
        };
    }
    o
}

/// Seconds from message `a` to message `b` of a timed conversation.
fn time_between(conv: &Conversation<'_>, a: usize, b: usize) -> Option<f64> {
    if !conv.timed {
        return None;
    }
    let (x, y) = (
        conv.messages.get(a)?.timestamp?,
        conv.messages.get(b)?.timestamp?,
    );
    Some(seconds(x, y))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn msg(
        role: Role,
        author: Option<&'static str>,
        event: Option<Event>,
        lane: Option<&'static str>,
    ) -> Message<'static> {
        Message {
            role: Some(role),
            author: author.map(Into::into),
            event,
            lane: lane.map(Into::into),
            ..Message::default()
        }
    }

    fn conv(messages: Vec<Message<'static>>) -> Conversation<'static> {
        Conversation {
            messages,
            ..Conversation::default()
        }
    }

    #[test]
    fn a_handoff_without_a_lane_goes_where_the_next_assignment_says() {
        let c = conv(vec![
            msg(Role::Customer, None, None, None),
            msg(Role::System, None, Some(Event::Handoff), Some("none")),
            msg(Role::System, None, Some(Event::Assign), Some("billing")),
            msg(Role::System, None, Some(Event::Assign), Some(" billing ")),
            msg(Role::System, None, Some(Event::Assign), Some("technical")),
        ]);
        let o = observe(&c);
        assert_eq!(o.handoff, Some(1));
        assert_eq!(o.specialist, Some(2));
        assert_eq!(o.reassigned, Some(true));
        // The bot-to-person handoff, and billing → technical.
        assert_eq!(o.transfers, Some(2));
        assert_eq!(first_lane(&c), Some("billing"));
    }

    #[test]
    fn agents_count_by_author_and_an_unnamed_one_breaks_nothing() {
        let c = conv(vec![
            msg(Role::Agent, Some("Sam"), None, None),
            msg(Role::Agent, None, None, None),
            msg(Role::Agent, Some("Sam"), None, None),
            msg(Role::Agent, Some("Meera"), None, None),
        ]);
        let mut seen = Vec::new();
        transfers(&c.messages, 0, |i, t| seen.push((i, t)));
        assert_eq!(
            seen,
            [
                (0, Transfer::BotToPerson),
                (
                    3,
                    Transfer::Author {
                        from: "Sam",
                        to: "Meera"
                    }
                )
            ]
        );
        let o = observe(&c);
        assert_eq!(
            (o.handoff, o.turns_to_handoff, o.has_customer),
            (Some(0), Some(0), false)
        );
        assert_eq!(o.reassigned, None);
    }
}

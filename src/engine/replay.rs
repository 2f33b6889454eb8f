//! One conversation through the matrix: the bot phase, evaluation after each message, the decision
//! (SPEC section 4), and everything the metrics of section 5 need to know about it.

use std::cell::RefCell;
use std::collections::HashMap;

use crate::engine::compile::{Compiled, Cond, Pattern};
use crate::engine::keywords::Hits;
pub use crate::engine::logged::bot_phase_end;
use crate::engine::pii;
use crate::engine::plan::Plan;
use crate::engine::regexes::{Caches, Regexes};
use crate::logs::record::{Conversation, Event, Message, Role};
use crate::text;

/// What replay found in one conversation.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub id: String,
    /// Messages in the conversation, and in its bot phase.
    pub messages: usize,
    pub bot_phase: usize,
    /// The escalation: lane, winning trigger and the 0-based index of the escalation point.
    pub escalation: Option<Escalation>,
    /// Triggers that held at some message of the bot phase.
    pub held: Vec<bool>,
    /// Customer messages up to and including the escalation point.
    pub turns_to_handoff: Option<u32>,
    /// Seconds from the first message to the escalation point (timed conversations only).
    pub seconds_to_handoff: Option<f64>,
    pub truth: Truth,
    pub trap_signal: bool,
    pub trapped: bool,
    pub trapped_bot_turns: Option<u32>,
    /// Whether the lane's `requires` were all captured (escalations into lanes with `requires`).
    pub context_complete: Option<bool>,
    /// Whether the escalation risks the service window (timed escalations only).
    pub window_risk: Option<bool>,
    pub timed: bool,
    /// Whether the customer was trapped as the logs show it (SPEC section 5.5): the trap of
    /// section 5.2 with the logged handoff point in place of the escalation point.
    pub logged_trapped: bool,
    /// The lane of the first `assign`/`handoff` event that names one; set only in a named outcome
    /// (the outcomes file and `explain` show it; the metrics read it from the conversation).
    pub logged_lane: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Escalation {
    pub lane: usize,
    pub trigger: usize,
    pub index: usize,
}

/// A conversation's truth lane (SPEC section 5.3).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Truth {
    Unknown,
    /// The bot should keep it (`expected_lane: none`).
    None,
    Lane(String),
}

/// The trace of one message, for `handoff explain`.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    pub index: usize,
    pub in_bot_phase: bool,
    pub bot_turns: u32,
    pub fallback_streak: u32,
    /// Triggers evaluated here that held, with the matched text range for keyword/regex holds.
    pub held: Vec<(usize, Option<(usize, usize)>)>,
    pub trap_signal: Option<&'static str>,
}

/// Per-conversation state after each message.
struct State<'c> {
    bot_turns: u32,
    /// The fallback streak of the matrix whose condition is being evaluated.
    streak: u32,
    counts: HashMap<u64, u32, text::FxBuild>,
    first_ts: Option<i64>,
    timed: bool,
    conv: &'c Conversation<'c>,
}

/// The message being evaluated, and what the state says about it.
struct At<'a> {
    m: &'a Message<'a>,
    customer: bool,
    /// How many times this customer text has been sent, this one included.
    sent: u32,
    /// Which keyword phrases the message contains (by id), when it is a customer message.
    hits: &'a Hits,
    /// The plan's regexes, and the worker's caches to search them with.
    regexes: &'a Regexes,
    caches: &'a RefCell<Caches>,
    /// The id in [`Plan::intents`] of a customer message's intent, if a condition names it.
    intent: Option<u32>,
    /// Whether to find where a keyword matched, for `explain`.
    trace: bool,
}

pub fn is_fallback(c: &Compiled, m: &Message) -> bool {
    m.fallback == Some(true)
        || m.intent
            .as_ref()
            .is_some_and(|i| c.matrix.settings.fallback_intents.iter().any(|f| f == i))
}

/// Evaluates a condition. Inlined into the loop over triggers: most triggers are one plain
/// condition, which then costs no call; `all`, `any` and `not` go through [`eval_nested`].
#[inline(always)]
fn eval(c: &Cond, at: &At<'_>, s: &State<'_>, hit: &mut Option<(usize, usize)>) -> bool {
    match c {
        Cond::All(_) | Cond::Any(_) | Cond::Not(_) => eval_nested(c, at, s, hit),
        Cond::Keywords(ids, phrases) => {
            let holds = at.customer && ids.iter().any(|i| at.hits.contains(*i));
            if holds && at.trace && hit.is_none() {
                *hit = phrases.iter().find_map(|p| p.find(&at.m.text));
            }
            holds
        }
        Cond::Regex(rs) => at.customer && regex_holds(rs, at, hit),
        Cond::Intents(v) => at.customer && at.intent.is_some_and(|i| v.contains(&i)),
        Cond::ConfidenceBelow(x) => at.customer && at.m.confidence.is_some_and(|c| c < *x),
        Cond::SentimentBelow(x) => at.customer && at.m.sentiment.is_some_and(|c| c < *x),
        Cond::Pii { card, email, phone } => {
            at.customer
                && ((*card && pii::has_card(&at.m.text))
                    || (*email && pii::has_email(&at.m.text))
                    || (*phone && pii::has_phone(&at.m.text)))
        }
        Cond::Repeats(n) => at.customer && at.sent >= *n,
        Cond::Fallbacks(n) => s.streak >= *n,
        Cond::BotTurns(n) => s.bot_turns >= *n,
        Cond::Elapsed(ms) => {
            s.timed && matches!((s.first_ts, at.m.timestamp), (Some(a), Some(b)) if b - a >= *ms)
        }
        Cond::Segment(fields) => segment_holds(fields, s.conv),
    }
}

#[inline(never)]
fn eval_nested(c: &Cond, at: &At<'_>, s: &State<'_>, hit: &mut Option<(usize, usize)>) -> bool {
    match c {
        Cond::All(v) => v.iter().all(|x| eval(x, at, s, hit)),
        Cond::Any(v) => v.iter().any(|x| eval(x, at, s, hit)),
        Cond::Not(x) => !eval(x, at, s, &mut None),
        _ => eval(c, at, s, hit),
    }
}

/// Whether one of the regexes finds a match in a customer message; the first match is where the
/// condition hit. (`is_match` is no cheaper here than `find` on chat-sized texts.)
#[inline(never)]
fn regex_holds(rs: &[Pattern], at: &At<'_>, hit: &mut Option<(usize, usize)>) -> bool {
    rs.iter().any(|p| {
        // Without any of the literals a match starts with in the keyword scan's hits, the regex
        // cannot match. The trace runs every regex: it is what the shortcut is tested against.
        if !at.trace {
            if let Some(starts) = &p.starts
                && !starts.iter().any(|i| at.hits.contains(*i))
            {
                return false;
            }
            // Where it holds, only the trace needs to know where.
            return (at.regexes).is_match(p.id, &at.m.text, &mut at.caches.borrow_mut());
        }
        regex_finds(&p.re, at, hit)
    })
}

fn regex_finds(r: &regex::Regex, at: &At<'_>, hit: &mut Option<(usize, usize)>) -> bool {
    match r.find(&at.m.text) {
        Some(m) => {
            hit.get_or_insert((m.start(), m.end()));
            true
        }
        None => false,
    }
}

/// Whether the conversation's segment has one of the accepted values of every field.
#[inline(never)]
fn segment_holds(fields: &[(String, Vec<String>)], conv: &Conversation) -> bool {
    fields.iter().all(|(k, vs)| {
        conv.segment
            .get(k.as_str())
            .is_some_and(|v| vs.iter().any(|x| text::lowercase_is(v, x)))
    })
}

/// What a condition is for the whole of `conv` when that does not depend on the message: a
/// segment condition, and an elapsed-time condition on an untimed conversation (never holds).
/// `None` where it depends on the message or the state.
fn fixed(c: &Cond, conv: &Conversation) -> Option<bool> {
    match c {
        Cond::All(v) | Cond::Any(v) => {
            // A false part decides an `all`, a true part an `any`.
            let decisive = matches!(c, Cond::Any(_));
            let mut whole = Some(!decisive);
            for x in v {
                match fixed(x, conv) {
                    Some(b) if b == decisive => return Some(decisive),
                    Some(_) => {}
                    None => whole = None,
                }
            }
            whole
        }
        Cond::Not(x) => fixed(x, conv).map(|b| !b),
        Cond::Segment(fields) => Some(segment_holds(fields, conv)),
        Cond::Elapsed(_) => (!conv.timed).then_some(false),
        _ => None,
    }
}

/// The truth lane: `expected_lane`, else the lane of the last assign/handoff event naming one.
pub fn truth(conv: &Conversation) -> Truth {
    if let Some(e) = &conv.expected_lane {
        return if e.trim().eq_ignore_ascii_case("none") {
            Truth::None
        } else {
            Truth::Lane(e.trim().to_owned())
        };
    }
    conv.messages
        .iter()
        .rev()
        .find_map(|m| {
            matches!(m.event, Some(Event::Handoff | Event::Assign))
                .then(|| m.lane.as_ref().filter(|l| !l.trim().is_empty()))
                .flatten()
        })
        .map_or(Truth::Unknown, |l| Truth::Lane(l.trim().to_owned()))
}

/// Replays one conversation; with `trace`, also returns one [`Step`] per message of the bot phase.
pub fn replay(c: &Compiled, conv: &Conversation, trace: bool) -> (Outcome, Vec<Step>) {
    let plan = Plan::single(c);
    let mut out = Vec::with_capacity(1);
    let steps = replay_inner(&plan, conv, trace, true, &mut Scratch::default(), &mut out);
    // A plan of one matrix gives one outcome; the empty track's is never used.
    let outcome = out.pop().unwrap_or_else(|| {
        outcome(
            c,
            conv,
            bot_phase_end(conv),
            &mut Track::default(),
            true,
            truth(conv),
        )
    });
    (outcome, steps)
}

/// The buffers of one replay, kept between conversations by a caller that replays many, so that
/// a conversation costs no allocation for them.
#[derive(Debug, Default)]
pub struct Scratch {
    counts: HashMap<u64, u32, text::FxBuild>,
    hits: Hits,
    /// The conditions evaluated at a message for its keyword hits.
    for_hits: Vec<usize>,
    caches: Caches,
    folded: String,
    /// Per condition of the plan, whether it is still evaluated in the conversation being replayed.
    live: Vec<bool>,
    tracks: Vec<Track>,
    /// Outcomes' `held`, given back by [`Scratch::recycle`].
    held: Vec<Vec<bool>>,
    /// The outcomes of one conversation, for a caller to reuse.
    pub(crate) outcomes: Vec<Outcome>,
}

impl Scratch {
    /// Takes back the buffers of an outcome that is not kept.
    pub fn recycle(&mut self, o: Outcome) {
        self.held.push(o.held);
    }
}

/// Replays `conv` through every matrix of `plan`, pushing one outcome per matrix (in the plan's
/// order) onto `out`. With `named` the outcomes carry the conversation's id; without, the id is
/// left empty. Each outcome's `held` comes from `scratch`: an outcome that is not kept is given
/// back by [`Scratch::recycle`], so that a conversation costs no allocation for it.
pub fn replay_plan(
    plan: &Plan,
    conv: &Conversation,
    named: bool,
    scratch: &mut Scratch,
    out: &mut Vec<Outcome>,
) {
    replay_inner(plan, conv, false, named, scratch, out);
}

/// What replay tracks for one matrix through a conversation.
#[derive(Debug, Default)]
struct Track {
    /// Fallback replies in a row.
    streak: u32,
    /// The trap signal of the message being evaluated, if any.
    signal: Option<&'static str>,
    first_signal: Option<usize>,
    /// Where the first intent other than a fallback intent was seen.
    intent_at: Option<usize>,
    escalation: Option<Escalation>,
    held: Vec<bool>,
    /// The triggers that hold at the message being evaluated.
    holding: Vec<(usize, Option<(usize, usize)>)>,
}

/// The replay itself; the trace follows the plan's first matrix (`explain` replays one).
fn replay_inner(
    plan: &Plan,
    conv: &Conversation,
    trace: bool,
    named: bool,
    scratch: &mut Scratch,
    out: &mut Vec<Outcome>,
) -> Vec<Step> {
    let end = bot_phase_end(conv);
    let mut counts = std::mem::take(&mut scratch.counts);
    counts.clear();
    let mut s = State {
        bot_turns: 0,
        streak: 0,
        counts,
        first_ts: conv.messages.first().and_then(|m| m.timestamp),
        timed: conv.timed,
        conv,
    };
    let mut tracks = fresh_tracks(plan, scratch);
    let mut steps = Vec::new();
    // One keyword scan per customer message, buffers reused across messages.
    let mut hits = std::mem::take(&mut scratch.hits);
    hits.reset(plan.keywords.len());
    let mut for_hits = std::mem::take(&mut scratch.for_hits);
    let caches = RefCell::new(std::mem::take(&mut scratch.caches));
    let mut folded = std::mem::take(&mut scratch.folded);
    let mut live = live_conditions(plan, conv, trace, scratch);
    for (i, m) in conv.messages[..end].iter().enumerate() {
        let role = m.role();
        let customer = role == Role::Customer;
        let mut sent = 0;
        // Whether the keyword scan found anything (it runs on customer messages only).
        let mut any_hit = false;
        match role {
            Role::Bot => {
                s.bot_turns += 1;
                bot_message(plan, &mut tracks, m, i);
            }
            Role::Customer => {
                // The folded text serves the keyword scan and the repeat count alike.
                any_hit = plan.keywords.scan(&m.text, &mut folded, &mut hits);
                caches.borrow_mut().message(&m.text);
                let n = s.counts.entry(text::hash_str(folded.trim())).or_insert(0);
                *n += 1;
                sent = *n;
                customer_message(plan, &mut tracks, m, i, &hits, sent);
            }
            _ => {
                for t in tracks.iter_mut() {
                    t.signal = None;
                }
            }
        }
        let at = At {
            m,
            customer,
            sent,
            hits: &hits,
            regexes: &plan.regexes,
            caches: &caches,
            intent: match &m.intent {
                Some(x) if customer && !plan.intents.is_empty() => plan.intents.get(x),
                _ => None,
            },
            trace,
        };
        // A condition on customer messages holds at no other message. One that needs a keyword
        // hit is evaluated only at a message that hit one of its phrases or literals; the trace
        // evaluates every condition anyway, as the reference for this shortcut.
        let conds = if !customer {
            &plan.not_customer
        } else if trace {
            &plan.every
        } else {
            &plan.without_hit
        };
        let mut held = evaluate(plan, conds, &at, &mut s, &mut tracks, &mut live);
        if customer && any_hit && !trace {
            plan.hit_conditions(&hits, &mut for_hits);
            held |= evaluate(plan, &for_hits, &at, &mut s, &mut tracks, &mut live);
        }
        if held {
            escalate(plan, &mut tracks, i, trace);
        }
        if trace && let Some(t) = tracks.first_mut() {
            steps.push(step(t, i, s.bot_turns));
        }
    }
    outcomes(plan, conv, end, &mut tracks, named, out);
    scratch.counts = s.counts;
    scratch.hits = hits;
    scratch.for_hits = for_hits;
    scratch.caches = caches.into_inner();
    scratch.folded = folded;
    scratch.live = live;
    scratch.tracks = tracks;
    steps
}

/// One track per matrix of the plan, reset for a new conversation, from the scratch's buffers.
#[inline(always)]
fn fresh_tracks(plan: &Plan, scratch: &mut Scratch) -> Vec<Track> {
    let mut tracks = std::mem::take(&mut scratch.tracks);
    tracks.resize_with(plan.matrices.len(), Track::default);
    for (track, c) in tracks.iter_mut().zip(plan.matrices) {
        let mut held = scratch.held.pop().unwrap_or_default();
        held.clear();
        held.resize(c.triggers.len(), false);
        track.held = held;
        track.streak = 0;
        track.first_signal = None;
        track.intent_at = None;
        track.escalation = None;
        track.holding.clear();
    }
    tracks
}

/// Which conditions are worth evaluating in `conv`. A condition that cannot hold anywhere in this
/// conversation (a segment it is not in) is not evaluated at every message, nor one that held
/// already: every trigger that uses it has escalated its matrix there or earlier. The trace
/// evaluates every condition at every message: `explain` is the reference the shortcuts are
/// tested against.
#[inline(always)]
fn live_conditions(
    plan: &Plan,
    conv: &Conversation,
    trace: bool,
    scratch: &mut Scratch,
) -> Vec<bool> {
    let mut live = std::mem::take(&mut scratch.live);
    live.clear();
    live.extend(
        plan.conds
            .iter()
            .map(|d| trace || !d.conversation_part || fixed(&d.cond, conv) != Some(false)),
    );
    live
}

/// A bot message: the fallback streak of each matrix, and the trap signal it may give.
#[inline(always)]
fn bot_message(plan: &Plan, tracks: &mut [Track], m: &Message, i: usize) {
    for (t, c) in tracks.iter_mut().zip(plan.matrices) {
        t.signal = None;
        if is_fallback(c, m) {
            t.streak += 1;
            if t.streak == c.matrix.settings.trap.fallback_streak {
                t.signal = Some("fallback streak");
                t.first_signal.get_or_insert(i);
            }
        } else {
            t.streak = 0;
        }
    }
}

/// A customer message, sent for the `sent`-th time: the trap signal it gives under each matrix
/// (an opt-out phrase among the keyword `hits`, or a repeat), and the first real intent.
#[inline(always)]
fn customer_message(
    plan: &Plan,
    tracks: &mut [Track],
    m: &Message,
    i: usize,
    hits: &Hits,
    sent: u32,
) {
    for ((t, c), optout) in tracks.iter_mut().zip(plan.matrices).zip(&plan.optout) {
        t.signal = if optout.iter().any(|k| hits.contains(*k)) {
            Some("opt-out phrase")
        } else if sent == c.matrix.settings.trap.repeats {
            Some("repeated message")
        } else {
            None
        };
        if t.signal.is_some() {
            t.first_signal.get_or_insert(i);
        }
        if t.intent_at.is_none()
            && m.intent
                .as_ref()
                .is_some_and(|x| !c.matrix.settings.fallback_intents.iter().any(|f| f == x))
        {
            t.intent_at = Some(i);
        }
    }
}

/// Evaluates the conditions `conds` (indices into the plan's) at one message; every trigger that
/// uses one that holds is marked as held and holding. Returns whether any held.
#[inline(always)]
fn evaluate(
    plan: &Plan,
    conds: &[usize],
    at: &At<'_>,
    s: &mut State<'_>,
    tracks: &mut [Track],
    live: &mut [bool],
) -> bool {
    let mut any_held = false;
    for &d in conds {
        let Some(shared) = plan.conds.get(d) else {
            continue;
        };
        if !live[d] {
            continue;
        }
        if let Some(k) = shared.streak {
            s.streak = tracks.get(k).map_or(0, |t| t.streak);
        }
        let mut hit = None;
        if eval(&shared.cond, at, s, &mut hit) {
            for &(mi, t) in &shared.users {
                if let Some(track) = tracks.get_mut(mi) {
                    track.held[t] = true;
                    track.holding.push((t, hit));
                }
            }
            live[d] = at.trace;
            any_held = true;
        }
    }
    any_held
}

/// After some condition held at message `i`: each matrix that has not escalated yet escalates by
/// the most urgent of the triggers holding (ties to the one listed first).
#[inline(always)]
fn escalate(plan: &Plan, tracks: &mut [Track], i: usize, trace: bool) {
    for (t, c) in tracks.iter_mut().zip(plan.matrices) {
        if t.escalation.is_none()
            && let Some(&(w, _)) = t
                .holding
                .iter()
                .min_by_key(|(x, _)| (c.triggers[*x].priority, *x))
        {
            t.escalation = Some(Escalation {
                lane: c.triggers[w].lane,
                trigger: w,
                index: i,
            });
        }
        if !trace {
            t.holding.clear();
        }
    }
}

/// The trace's step at message `i`, from the first matrix's track.
fn step(t: &mut Track, i: usize, bot_turns: u32) -> Step {
    // Triggers that share a condition hold together: in trigger order, as listed.
    t.holding.sort_by_key(|(x, _)| *x);
    Step {
        index: i,
        in_bot_phase: true,
        bot_turns,
        fallback_streak: t.streak,
        held: std::mem::take(&mut t.holding),
        trap_signal: t.signal,
    }
}

/// One outcome per matrix, onto `out`.
#[inline(always)]
fn outcomes(
    plan: &Plan,
    conv: &Conversation,
    end: usize,
    tracks: &mut [Track],
    named: bool,
    out: &mut Vec<Outcome>,
) {
    // The truth lane is the conversation's: worked out once, copied only for a second matrix.
    let mut truth = truth(conv);
    let last = tracks.len().saturating_sub(1);
    for (k, (t, c)) in tracks.iter_mut().zip(plan.matrices).enumerate() {
        let truth = if k == last {
            std::mem::replace(&mut truth, Truth::Unknown)
        } else {
            truth.clone()
        };
        out.push(outcome(c, conv, end, t, named, truth));
    }
}

/// The outcome for one matrix, from what its track saw in the bot phase (which ends at `end`).
fn outcome(
    c: &Compiled,
    conv: &Conversation,
    end: usize,
    t: &mut Track,
    named: bool,
    truth: Truth,
) -> Outcome {
    let msgs = &conv.messages;
    let escalation = t.escalation;
    let (trapped, trapped_bot_turns) = trapped(c, msgs, end, t);
    let logged_trapped = logged_trapped(c, msgs, end, t.first_signal);
    let timed = conv.timed;
    let (mut turns, mut seconds, mut complete, mut risk) = (None, None, None, None);
    if let Some(e) = escalation {
        turns = Some(
            msgs[..=e.index]
                .iter()
                .filter(|m| m.role() == Role::Customer)
                .count() as u32,
        );
        if timed && let (Some(a), Some(b)) = (msgs[0].timestamp, msgs[e.index].timestamp) {
            seconds = Some((b - a) as f64 / 1000.0);
        }
        complete = context_complete(c, conv, e, t.intent_at);
        if timed {
            risk = Some(window_risk(c, msgs, e));
        }
    }
    Outcome {
        id: if named {
            conv.id.to_string()
        } else {
            String::new()
        },
        messages: msgs.len(),
        bot_phase: end,
        escalation,
        held: std::mem::take(&mut t.held),
        turns_to_handoff: turns,
        seconds_to_handoff: seconds,
        truth,
        trap_signal: t.first_signal.is_some(),
        trapped,
        trapped_bot_turns,
        context_complete: complete,
        window_risk: risk,
        timed,
        logged_trapped,
        logged_lane: if named {
            crate::engine::logged::first_lane(conv).map(str::to_owned)
        } else {
            None
        },
    }
}

/// Whether the customer was trapped as the logs show it: a signal `first_signal` in the bot phase
/// (which ends at `end`, the logged handoff point), and either no person ever took over or more
/// than `grace_bot_turns` bot messages came after the signal and before the handoff.
fn logged_trapped(c: &Compiled, msgs: &[Message], end: usize, first_signal: Option<usize>) -> bool {
    let Some(s) = first_signal else {
        return false;
    };
    if end >= msgs.len() {
        return true;
    }
    let after = msgs
        .get(s + 1..end)
        .map_or(0, |r| r.iter().filter(|m| m.role() == Role::Bot).count());
    after > c.matrix.settings.trap.grace_bot_turns as usize
}

/// Whether the customer was trapped (SPEC section 5.2), and the bot turns they were held for.
fn trapped(c: &Compiled, msgs: &[Message], end: usize, t: &Track) -> (bool, Option<u32>) {
    let bots_between = |from: usize, to_inclusive: usize| -> u32 {
        msgs.get(from + 1..=to_inclusive).map_or(0, |r| {
            r.iter().filter(|m| m.role() == Role::Bot).count() as u32
        })
    };
    // The first signal at or before the escalation point (any, when the matrix keeps the bot).
    let s_idx = match (t.first_signal, t.escalation) {
        (Some(f), Some(e)) if f <= e.index => Some(f),
        (_, Some(_)) => None,
        (f, None) => f,
    };
    match (s_idx, t.escalation) {
        (None, _) => (false, None),
        (Some(si), None) => (
            true,
            Some(if end == 0 {
                0
            } else {
                bots_between(si, end - 1)
            }),
        ),
        (Some(si), Some(e)) => {
            let after = bots_between(si, e.index);
            if after > c.matrix.settings.trap.grace_bot_turns {
                (true, Some(after))
            } else {
                (false, None)
            }
        }
    }
}

/// Whether the escalation's lane got every field it requires, at or before the escalation point
/// (`None` for a lane that requires none).
fn context_complete(
    c: &Compiled,
    conv: &Conversation,
    e: Escalation,
    intent_at: Option<usize>,
) -> Option<bool> {
    let lane = &c.matrix.lanes[e.lane];
    if lane.requires.is_empty() {
        return None;
    }
    let msgs = &conv.messages;
    Some(lane.requires.iter().all(|r| {
        match r.as_str() {
            "customer_name" => conv.customer_name.is_some(),
            "intent" => intent_at.is_some_and(|at| at <= e.index),
            // Context is looked for only here, where it counts: in the customer messages up to
            // the escalation point of a lane that requires it.
            name => c
                .context
                .iter()
                .find(|(n, _)| n == name)
                .is_some_and(|(_, re)| {
                    msgs[..=e.index]
                        .iter()
                        .any(|m| m.role() == Role::Customer && re.is_match(&m.text))
                }),
        }
    }))
}

/// Whether the escalation risks the service window: measured from the last customer message at
/// or before it, it comes `window_warning` late, or the lane's first-response SLA would end after
/// the window closes (SPEC section 5.4).
fn window_risk(c: &Compiled, msgs: &[Message], e: Escalation) -> bool {
    let w = &c.matrix.settings;
    let lane = &c.matrix.lanes[e.lane];
    let last_customer = msgs[..=e.index]
        .iter()
        .rev()
        .find(|m| m.role() == Role::Customer);
    match (
        last_customer.and_then(|m| m.timestamp),
        msgs[e.index].timestamp,
    ) {
        (Some(lc), Some(at)) => {
            let gap = at - lc;
            let sla = lane.first_response.map_or(0, |s| s as i64 * 1000);
            gap >= w.window_warning as i64 * 1000 || gap + sla > w.service_window as i64 * 1000
        }
        _ => false,
    }
}

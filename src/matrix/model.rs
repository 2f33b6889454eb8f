//! The validated matrix: what replay runs on.
//!
//! Built from the raw form only when lint found no error, with every default of SPEC section 2
//! filled in (from [`super::defaults`]), durations in seconds, lanes referred to by index and no
//! `Option` left that a later stage would have to re-check. Triggers keep the line they were
//! written on, for `explain`.

use crate::matrix::raw::{
    DurationText, OneOrMany, PiiKind, RawCondition, RawLane, RawMatrix, RawSettings, RawTrap,
    RawTrigger, Spanned,
};
use crate::matrix::{defaults, duration};
use crate::source::SourceFile;

#[derive(Debug, Clone, PartialEq)]
pub struct Matrix {
    pub name: Option<String>,
    pub settings: Settings,
    /// Context extractors in file order: name and pattern.
    pub context: Vec<(String, String)>,
    pub lanes: Vec<Lane>,
    pub triggers: Vec<Trigger>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    pub service_window: u64,
    pub window_warning: u64,
    pub fallback_intents: Vec<String>,
    pub healthy_escalation_rate: (f64, f64),
    pub trap: Trap,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Trap {
    pub optout_phrases: Vec<String>,
    pub fallback_streak: u32,
    pub repeats: u32,
    pub grace_bot_turns: u32,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Lane {
    pub id: String,
    pub title: Option<String>,
    pub priority: u32,
    pub target: Option<String>,
    pub first_response: Option<u64>,
    pub requires: Vec<String>,
    pub message: String,
    pub agent: Option<String>,
    pub eta: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Trigger {
    pub id: String,
    /// Index into [`Matrix::lanes`].
    pub lane: usize,
    pub when: Condition,
    /// The 1-based line of the trigger's `id`.
    pub line: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Condition {
    All(Vec<Condition>),
    Any(Vec<Condition>),
    Not(Box<Condition>),
    Keywords(Vec<String>),
    Regex(Vec<String>),
    Intents(Vec<String>),
    ConfidenceBelow(f64),
    SentimentBelow(f64),
    Pii(Vec<PiiKind>),
    Repeats(u32),
    Fallbacks(u32),
    BotTurns(u32),
    Elapsed(u64),
    Segment(Vec<(String, Vec<String>)>),
}

/// The raw matrix still had a problem that lint should have reported; never expected, but a
/// malformed file must not panic the program.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the matrix is incomplete: {0}")]
pub struct Incomplete(pub &'static str);

fn strings(list: &Option<Spanned<OneOrMany<String>>>) -> Vec<String> {
    list.iter()
        .flat_map(|l| l.value.iter().map(|s| s.value.clone()))
        .collect()
}

fn count(v: Option<&Spanned<i64>>, default: u32) -> u32 {
    v.and_then(|x| u32::try_from(x.value).ok())
        .unwrap_or(default)
}

/// A duration in seconds; `why` says what did not parse, should lint have let it through.
fn seconds(d: &Spanned<DurationText>, why: &'static str) -> Result<u64, Incomplete> {
    duration::parse(&d.value.0).map_err(|_| Incomplete(why))
}

/// A setting's duration in seconds, or its default when it is absent.
fn seconds_or(d: Option<&Spanned<DurationText>>, default: u64) -> Result<u64, Incomplete> {
    d.map_or(Ok(default), |d| seconds(d, "a duration does not parse"))
}

impl Matrix {
    /// The validated matrix, or the first problem lint should have reported (settings first,
    /// then lanes, then triggers).
    pub fn from_raw(raw: &RawMatrix, source: &SourceFile) -> Result<Matrix, Incomplete> {
        let settings = settings(raw.settings.as_ref().map(|s| &s.value))?;
        let context = raw
            .context
            .iter()
            .flat_map(|c| c.value.iter())
            .map(|(k, v)| (k.value.clone(), v.value.clone()))
            .collect();
        let lanes = raw
            .lanes
            .iter()
            .flat_map(|l| l.value.iter())
            .map(|(_, l)| lane(&l.value))
            .collect::<Result<Vec<_>, _>>()?;
        let triggers = raw
            .triggers
            .iter()
            .flat_map(|t| t.value.iter())
            .map(|t| trigger(&t.value, &lanes, source))
            .collect::<Result<Vec<_>, _>>()?;
        if lanes.is_empty() || triggers.is_empty() {
            return Err(Incomplete("a matrix needs lanes and triggers"));
        }
        Ok(Matrix {
            name: raw.name.as_ref().map(|n| n.value.clone()),
            settings,
            context,
            lanes,
            triggers,
        })
    }
}

/// `settings:`, each setting that is left out taking its default.
fn settings(s: Option<&RawSettings>) -> Result<Settings, Incomplete> {
    let healthy_escalation_rate = match s.and_then(|s| s.healthy_escalation_rate.as_ref()) {
        Some(b) => match b.value.as_slice() {
            [lo, hi] => (lo.value, hi.value),
            _ => return Err(Incomplete("healthy_escalation_rate needs two bounds")),
        },
        None => defaults::HEALTHY_ESCALATION_RATE,
    };
    Ok(Settings {
        service_window: seconds_or(
            s.and_then(|s| s.service_window.as_ref()),
            defaults::SERVICE_WINDOW,
        )?,
        window_warning: seconds_or(
            s.and_then(|s| s.window_warning.as_ref()),
            defaults::WINDOW_WARNING,
        )?,
        fallback_intents: s
            .map(|s| strings(&s.fallback_intents))
            .filter(|v| !v.is_empty())
            .unwrap_or_else(defaults::fallback_intents),
        healthy_escalation_rate,
        trap: trap(s.and_then(|s| s.trap.as_ref()).map(|t| &t.value)),
    })
}

/// `settings.trap:`, each setting that is left out taking its default.
fn trap(t: Option<&RawTrap>) -> Trap {
    Trap {
        optout_phrases: t
            .map(|t| strings(&t.optout_phrases))
            .filter(|v| !v.is_empty())
            .unwrap_or_else(defaults::optout_phrases),
        fallback_streak: count(
            t.and_then(|t| t.fallback_streak.as_ref()),
            defaults::FALLBACK_STREAK,
        ),
        repeats: count(t.and_then(|t| t.repeats.as_ref()), defaults::REPEATS),
        grace_bot_turns: count(
            t.and_then(|t| t.grace_bot_turns.as_ref()),
            defaults::GRACE_BOT_TURNS,
        ),
    }
}

/// One lane of `lanes:`.
fn lane(l: &RawLane) -> Result<Lane, Incomplete> {
    let h = l
        .handoff
        .as_ref()
        .ok_or(Incomplete("a lane has no handoff"))?;
    Ok(Lane {
        id: l.id.value.clone(),
        title: l.title.as_ref().map(|t| t.value.clone()),
        priority: l
            .priority
            .as_ref()
            .and_then(|p| u32::try_from(p.value).ok())
            .ok_or(Incomplete("a lane has no valid priority"))?,
        target: l.target.as_ref().map(|t| t.value.clone()),
        first_response: l
            .sla
            .as_ref()
            .and_then(|s| s.value.first_response.as_ref())
            .map(|d| seconds(d, "an SLA does not parse"))
            .transpose()?,
        requires: strings(&l.requires),
        message: h
            .value
            .message
            .as_ref()
            .ok_or(Incomplete("a lane has no message"))?
            .value
            .clone(),
        agent: h.value.agent.as_ref().map(|a| a.value.clone()),
        eta: h.value.eta.as_ref().map(|e| e.value.clone()),
    })
}

/// One trigger of `triggers:`, its lane looked up among `lanes`.
fn trigger(t: &RawTrigger, lanes: &[Lane], source: &SourceFile) -> Result<Trigger, Incomplete> {
    let id = t.id.as_ref().ok_or(Incomplete("a trigger has no id"))?;
    let lane_name = t.lane.as_ref().ok_or(Incomplete("a trigger has no lane"))?;
    let lane = lanes
        .iter()
        .position(|l| l.id == lane_name.value)
        .ok_or(Incomplete("a trigger's lane is unknown"))?;
    let when = t
        .when
        .as_ref()
        .ok_or(Incomplete("a trigger has no condition"))?;
    Ok(Trigger {
        id: id.value.clone(),
        lane,
        when: condition(&when.value)?,
        line: source.position(id.span.start).line,
    })
}

/// A raw condition as one conjunction (several keys in one mapping must all hold).
fn condition(c: &RawCondition) -> Result<Condition, Incomplete> {
    let mut all = Vec::new();
    if c.keywords.is_some() {
        all.push(Condition::Keywords(strings(&c.keywords)));
    }
    if c.regex.is_some() {
        all.push(Condition::Regex(strings(&c.regex)));
    }
    if c.intents.is_some() {
        all.push(Condition::Intents(strings(&c.intents)));
    }
    if let Some(x) = &c.confidence_below {
        all.push(Condition::ConfidenceBelow(x.value));
    }
    if let Some(x) = &c.sentiment_below {
        all.push(Condition::SentimentBelow(x.value));
    }
    if let Some(p) = &c.pii {
        all.push(Condition::Pii(p.value.iter().map(|k| k.value).collect()));
    }
    let positive = |v: &Option<Spanned<i64>>| -> Result<Option<u32>, Incomplete> {
        match v {
            None => Ok(None),
            Some(x) => u32::try_from(x.value)
                .ok()
                .filter(|n| *n >= 1)
                .map(Some)
                .ok_or(Incomplete("a count is below 1")),
        }
    };
    if let Some(n) = positive(&c.repeats)? {
        all.push(Condition::Repeats(n));
    }
    if let Some(n) = positive(&c.fallbacks)? {
        all.push(Condition::Fallbacks(n));
    }
    if let Some(n) = positive(&c.bot_turns)? {
        all.push(Condition::BotTurns(n));
    }
    if let Some(e) = &c.elapsed {
        all.push(Condition::Elapsed(seconds(e, "a duration does not parse")?));
    }
    if let Some(s) = &c.segment {
        all.push(Condition::Segment(
            s.value
                .iter()
                .map(|(k, v)| {
                    (
                        k.value.clone(),
                        v.value.iter().map(|x| x.value.clone()).collect(),
                    )
                })
                .collect(),
        ));
    }
    if let Some(any) = &c.any {
        all.push(Condition::Any(
            any.value
                .iter()
                .map(|x| condition(&x.value))
                .collect::<Result<_, _>>()?,
        ));
    }
    if let Some(list) = &c.all {
        all.push(Condition::All(
            list.value
                .iter()
                .map(|x| condition(&x.value))
                .collect::<Result<_, _>>()?,
        ));
    }
    if let Some(n) = &c.not {
        all.push(Condition::Not(Box::new(condition(&n.value)?)));
    }
    match all.len() {
        0 => Err(Incomplete("an empty condition")),
        1 => Ok(all.remove(0)),
        _ => Ok(Condition::All(all)),
    }
}

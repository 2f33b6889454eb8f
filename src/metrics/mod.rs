//! The metrics of SPEC section 5, aggregated from per-conversation outcomes.
//!
//! Every metric has a stable snake_case name (a public interface: gates and dashboards use them).
//! Aggregation only adds counts and counts values in histograms ([`histogram`]), so the result
//! does not depend on the order in which conversations arrive; an [`Aggregate`] is also what a
//! partial report carries ([`partial`]), with the [`Shape`] of the matrix a report needs.

pub mod catalog;
pub mod diff;
pub mod gates;
pub mod histogram;
pub mod logged;
pub mod partial;
pub mod percentile;
pub mod tally;

pub use catalog::Metric;
pub use tally::{Keep, Tallied, Tally};

use std::collections::BTreeMap;

use crate::engine::Compiled;
use crate::engine::logged::Observed;
use crate::engine::replay::{Outcome, Truth};
use crate::logs::accounting::Stats;
use crate::metrics::histogram::Histogram;
use crate::metrics::logged::{Figures, Specialist};
pub use crate::metrics::percentile::nearest_rank;
use crate::metrics::percentile::rate;

/// The scalar metrics' names, in report order ([`Metric::ALL`]). Gates may name any of them.
pub const NAMES: &[&str] = Metric::NAMES;

/// Running totals over outcomes: the exact sufficient statistics of every metric that reads the
/// matrix's outcomes, as a partial report holds them (the serde names are its keys).
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Aggregate {
    conversations: u64,
    messages: u64,
    escalated: u64,
    /// Escalations per lane, in matrix order.
    #[serde(rename = "lanes")]
    per_lane: Vec<u64>,
    /// Per trigger in matrix order: conversations it escalated, and in which it held.
    won: Vec<u64>,
    held: Vec<u64>,
    #[serde(rename = "turns_to_handoff")]
    turns: Histogram<u32>,
    #[serde(rename = "seconds_to_handoff")]
    seconds: Histogram<f64>,
    #[serde(rename = "trap_signals")]
    signals: u64,
    trapped: u64,
    #[serde(rename = "trapped_bot_turns")]
    trapped_turns: Histogram<u32>,
    labelled: u64,
    truth_lane: u64,
    truth_lane_escalated: u64,
    misrouted: u64,
    missed: u64,
    truth_none: u64,
    over: u64,
    confusion: BTreeMap<String, BTreeMap<String, u64>>,
    with_requires: u64,
    complete: u64,
    timed_escalations: u64,
    at_risk: u64,
    /// The logged figures that read this matrix's settings (SPEC section 5.5).
    logged_trapped: u64,
    replied: u64,
    logged_at_risk: u64,
}

/// What a report needs of the matrix besides the counts: the lanes and the triggers (with the index
/// of their lane) in matrix order, and the healthy escalation band. A partial report carries it, so
/// `merge` needs no matrix.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Shape {
    pub lanes: Vec<String>,
    pub triggers: Vec<(String, usize)>,
    pub healthy_escalation_rate: (f64, f64),
}

impl Shape {
    pub fn of(c: &Compiled) -> Shape {
        Shape {
            lanes: c.matrix.lanes.iter().map(|l| l.id.clone()).collect(),
            triggers: c.triggers.iter().map(|t| (t.id.clone(), t.lane)).collect(),
            healthy_escalation_rate: c.matrix.settings.healthy_escalation_rate,
        }
    }
}

/// Counts one conversation in the confusion cell of its truth and matrix lanes; the names are
/// copied only into a cell seen for the first time (this runs once per labelled conversation).
fn count_cell(cells: &mut BTreeMap<String, BTreeMap<String, u64>>, truth: &str, matrix: &str) {
    if let Some(row) = cells.get_mut(truth) {
        match row.get_mut(matrix) {
            Some(n) => *n += 1,
            None => {
                row.insert(matrix.to_owned(), 1);
            }
        }
        return;
    }
    cells
        .entry(truth.to_owned())
        .or_default()
        .insert(matrix.to_owned(), 1);
}

impl Aggregate {
    pub fn new(c: &Compiled) -> Aggregate {
        Aggregate {
            per_lane: vec![0; c.matrix.lanes.len()],
            won: vec![0; c.triggers.len()],
            held: vec![0; c.triggers.len()],
            ..Aggregate::default()
        }
    }

    /// Counts one conversation: its outcome under this matrix, and what its logs show (`seen`).
    pub fn add(&mut self, c: &Compiled, o: &Outcome, seen: &Observed) {
        self.conversations += 1;
        self.logged_trapped += u64::from(o.logged_trapped);
        if let Some(gap) = seen.reply_gap_ms {
            self.replied += 1;
            let warning = i64::try_from(c.matrix.settings.window_warning)
                .map_or(i64::MAX, |w| w.saturating_mul(1000));
            self.logged_at_risk += u64::from(gap >= warning);
        }
        self.messages += o.messages as u64;
        for (t, h) in o.held.iter().enumerate() {
            if *h {
                self.held[t] += 1;
            }
        }
        if let Some(e) = o.escalation {
            self.escalated += 1;
            self.per_lane[e.lane] += 1;
            self.won[e.trigger] += 1;
        }
        if let Some(t) = o.turns_to_handoff {
            self.turns.push(t);
        }
        if let Some(s) = o.seconds_to_handoff {
            self.seconds.push(s);
        }
        self.signals += u64::from(o.trap_signal);
        if o.trapped {
            self.trapped += 1;
            self.trapped_turns.push(o.trapped_bot_turns.unwrap_or(0));
        }
        let matrix_lane = o
            .escalation
            .map_or("none", |e| c.matrix.lanes[e.lane].id.as_str());
        match &o.truth {
            Truth::Unknown => {}
            Truth::None => {
                self.labelled += 1;
                self.truth_none += 1;
                self.over += u64::from(o.escalation.is_some());
                count_cell(&mut self.confusion, "none", matrix_lane);
            }
            Truth::Lane(l) => {
                self.labelled += 1;
                self.truth_lane += 1;
                match o.escalation {
                    Some(e) => {
                        self.truth_lane_escalated += 1;
                        self.misrouted += u64::from(c.matrix.lanes[e.lane].id != *l);
                    }
                    None => self.missed += 1,
                }
                count_cell(&mut self.confusion, l, matrix_lane);
            }
        }
        if let Some(done) = o.context_complete {
            self.with_requires += 1;
            self.complete += u64::from(done);
        }
        if let Some(r) = o.window_risk {
            self.timed_escalations += 1;
            self.at_risk += u64::from(r);
        }
    }

    /// Combines two aggregates (for parallel replay).
    pub fn merge(&mut self, o: Aggregate) {
        self.conversations += o.conversations;
        self.messages += o.messages;
        self.escalated += o.escalated;
        add_vec(&mut self.per_lane, &o.per_lane);
        add_vec(&mut self.won, &o.won);
        add_vec(&mut self.held, &o.held);
        self.turns.merge(o.turns);
        self.seconds.merge(o.seconds);
        self.signals += o.signals;
        self.trapped += o.trapped;
        self.trapped_turns.merge(o.trapped_turns);
        self.labelled += o.labelled;
        self.truth_lane += o.truth_lane;
        self.truth_lane_escalated += o.truth_lane_escalated;
        self.misrouted += o.misrouted;
        self.missed += o.missed;
        self.truth_none += o.truth_none;
        self.over += o.over;
        for (t, row) in o.confusion {
            let mine = self.confusion.entry(t).or_default();
            for (k, v) in row {
                *mine.entry(k).or_default() += v;
            }
        }
        self.with_requires += o.with_requires;
        self.complete += o.complete;
        self.timed_escalations += o.timed_escalations;
        self.at_risk += o.at_risk;
        self.logged_trapped += o.logged_trapped;
        self.replied += o.replied;
        self.logged_at_risk += o.logged_at_risk;
    }

    /// The finished report, with the run's logged figures beside this matrix's.
    pub fn report(self, c: &Compiled, stats: &Stats, logged: &Figures) -> Report {
        self.report_shaped(&Shape::of(c), stats, logged)
    }

    /// The finished report of a matrix of shape `shape` (the same as [`Aggregate::report`] of
    /// that matrix: `merge` has only the shape a partial report carries).
    pub fn report_shaped(mut self, shape: &Shape, stats: &Stats, logged: &Figures) -> Report {
        self.turns.fold();
        self.seconds.fold();
        self.trapped_turns.fold();
        let metrics = Metric::ALL
            .iter()
            .map(|m| (m.name(), self.value(*m, shape, stats, logged)))
            .collect();
        let lane_ids: Vec<&str> = shape.lanes.iter().map(String::as_str).collect();
        let specialists = logged.specialists(&lane_ids);
        let lanes = shape
            .lanes
            .iter()
            .enumerate()
            .map(|(i, l)| LaneRow {
                lane: l.clone(),
                conversations: self.per_lane[i],
                share: rate(self.per_lane[i], self.escalated),
            })
            .collect();
        let triggers: Vec<TriggerRow> = shape
            .triggers
            .iter()
            .enumerate()
            .map(|(i, (t, lane))| TriggerRow {
                trigger: t.clone(),
                lane: shape.lanes[*lane].clone(),
                won: self.won[i],
                held: self.held[i],
            })
            .collect();
        let uncovered_triggers = triggers
            .iter()
            .filter(|t| t.held == 0)
            .map(|t| t.trigger.clone())
            .collect();
        let uncovered_lanes = shape
            .lanes
            .iter()
            .enumerate()
            .filter(|(i, _)| !self.lane_held(shape, *i))
            .map(|(_, l)| l.clone())
            .collect();
        Report {
            inputs: Inputs::of(stats),
            metrics,
            escalated: self.escalated,
            lanes,
            triggers,
            uncovered: Uncovered {
                triggers: uncovered_triggers,
                lanes: uncovered_lanes,
            },
            confusion: self.confusion,
            healthy_band: shape.healthy_escalation_rate,
            specialists,
        }
    }

    /// Whether some trigger that routes to lane `i` held (else the lane is uncovered).
    fn lane_held(&self, shape: &Shape, i: usize) -> bool {
        shape
            .triggers
            .iter()
            .enumerate()
            .any(|(t, tr)| tr.1 == i && self.held[t] > 0)
    }

    /// Triggers that held somewhere, and lanes that a trigger that held routes to.
    fn coverage(&self, shape: &Shape) -> (u64, u64) {
        let held = self.held.iter().filter(|h| **h > 0).count() as u64;
        let lanes = (0..shape.lanes.len())
            .filter(|i| self.lane_held(shape, *i))
            .count() as u64;
        (held, lanes)
    }

    /// The value of one metric. Every metric of the catalogue has its arm here: the match is
    /// exhaustive.
    fn value(&self, m: Metric, c: &Shape, stats: &Stats, l: &Figures) -> Option<f64> {
        use Metric::*;
        let n = self.conversations;
        match m {
            Conversations => Some(n as f64),
            Messages => Some(self.messages as f64),
            SkippedRecords => Some(stats.skipped as f64),
            EscalationRate => rate(self.escalated, n),
            TurnsToHandoffP50 => self.turns.percentile(0.5),
            TurnsToHandoffP90 => self.turns.percentile(0.9),
            SecondsToHandoffP50 => self.seconds.percentile(0.5),
            SecondsToHandoffP90 => self.seconds.percentile(0.9),
            TriggerCoverage => rate(self.coverage(c).0, c.triggers.len() as u64),
            LaneCoverage => rate(self.coverage(c).1, c.lanes.len() as u64),
            TrapSignalRate => rate(self.signals, n),
            BotTrapRate => rate(self.trapped, n),
            TrappedBotTurnsMean => rate(self.trapped_turns.sum(), self.trapped_turns.total()),
            TrappedBotTurnsP90 => self.trapped_turns.percentile(0.9),
            MisrouteRate => rate(self.misrouted, self.truth_lane_escalated),
            MissedEscalationRate => rate(self.missed, self.truth_lane),
            OverEscalationRate => rate(self.over, self.truth_none),
            Labelled => Some(self.labelled as f64),
            ContextCompleteness => rate(self.complete, self.with_requires),
            WindowRiskRate => rate(self.at_risk, self.timed_escalations),
            LoggedEscalationRate => l.escalation_rate,
            LoggedTurnsToHandoffP50 => l.turns_p50,
            LoggedTurnsToHandoffP90 => l.turns_p90,
            LoggedSecondsToHandoffP50 => l.seconds_p50,
            LoggedSecondsToHandoffP90 => l.seconds_p90,
            LoggedBotTrapRate => rate(self.logged_trapped, n),
            FirstResponseSecondsP50 => l.first_response_p50,
            FirstResponseSecondsP90 => l.first_response_p90,
            UnansweredRate => l.unanswered_rate,
            TimeToSpecialistSecondsP50 => l.specialist_p50,
            TimeToSpecialistSecondsP90 => l.specialist_p90,
            ReassignmentRate => l.reassignment_rate,
            TransfersMean => l.transfers_mean,
            ResolutionSecondsP50 => l.resolution_p50,
            ResolutionSecondsP90 => l.resolution_p90,
            ResolvedRate => l.resolved_rate,
            Recontact48hRate => l.recontact_rate,
            LoggedWindowRiskRate => rate(self.logged_at_risk, self.replied),
        }
    }
}

fn add_vec(a: &mut [u64], b: &[u64]) {
    for (x, y) in a.iter_mut().zip(b) {
        *x += y;
    }
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Inputs {
    pub records: u64,
    pub messages: u64,
    pub skipped: u64,
    pub skipped_by_reason: BTreeMap<String, u64>,
    pub duplicates: u64,
    /// Records that are valid but not messages (SPEC section 3), and how many of each kind.
    pub non_messages: u64,
    pub non_messages_by_kind: BTreeMap<String, u64>,
}

impl Inputs {
    /// The counts of a run, as the report gives them.
    fn of(stats: &Stats) -> Inputs {
        Inputs {
            records: stats.records,
            messages: stats.messages,
            skipped: stats.skipped,
            skipped_by_reason: stats
                .by_reason
                .iter()
                .map(|(r, n)| (r.key().to_owned(), *n))
                .collect(),
            duplicates: stats.duplicates,
            non_messages: stats.non_messages,
            non_messages_by_kind: stats.non_messages_by_kind.clone(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct LaneRow {
    pub lane: String,
    pub conversations: u64,
    pub share: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct TriggerRow {
    pub trigger: String,
    pub lane: String,
    pub won: u64,
    pub held: u64,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Uncovered {
    pub triggers: Vec<String>,
    pub lanes: Vec<String>,
}

/// Everything a replay report shows.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    pub inputs: Inputs,
    pub metrics: Vec<(&'static str, Option<f64>)>,
    pub escalated: u64,
    pub lanes: Vec<LaneRow>,
    pub triggers: Vec<TriggerRow>,
    pub uncovered: Uncovered,
    pub confusion: BTreeMap<String, BTreeMap<String, u64>>,
    pub healthy_band: (f64, f64),
    /// Time to specialist by the lane of the first `assign`/`handoff` event naming one.
    pub specialists: Vec<Specialist>,
}

impl Report {
    pub fn metric(&self, name: &str) -> Option<Option<f64>> {
        self.metrics
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| *v)
    }

    /// Whether the escalation rate is outside the healthy band.
    pub fn rate_flag(&self) -> Option<&'static str> {
        let r = self.metric("escalation_rate").flatten()?;
        if r < self.healthy_band.0 {
            Some("below the healthy band: customers may be trapped with the bot")
        } else if r > self.healthy_band.1 {
            Some("above the healthy band: intent recognition may be weak")
        } else {
            None
        }
    }
}

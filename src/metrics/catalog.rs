//! The one table of report metrics: every scalar metric's stable name, section, unit, definition
//! and denominator (SPEC section 5).
//!
//! The report is built by walking [`Metric::ALL`] and asking the aggregate for each metric's value
//! through an exhaustive `match` (`Aggregate::value`), and `handoff metrics` prints this same table,
//! so a metric cannot reach a report without its explanation, nor an explanation exist for a metric
//! the report lacks. A unit test fails when an entry's text is missing.

/// The part of SPEC section 5 a metric belongs to, in report order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Section {
    Routing,
    Traps,
    Truth,
    Quality,
    Logged,
}

impl Section {
    pub fn title(self) -> &'static str {
        match self {
            Section::Routing => "Routing (what the matrix would do)",
            Section::Traps => "Bot traps",
            Section::Truth => "Against the truth (labels, or the lane an agent assigned)",
            Section::Quality => "Handoff quality",
            Section::Logged => {
                "As the logs show (what did happen; reads only the matrix's settings)"
            }
        }
    }
}

/// What a metric's number counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// A whole count.
    Count,
    /// A fraction in 0..=1 (shown as a percentage in tables).
    Fraction,
    CustomerMessages,
    BotMessages,
    Seconds,
    Handoffs,
}

impl Unit {
    pub fn as_str(self) -> &'static str {
        match self {
            Unit::Count => "count",
            Unit::Fraction => "fraction (0..=1)",
            Unit::CustomerMessages => "customer messages",
            Unit::BotMessages => "bot messages",
            Unit::Seconds => "seconds",
            Unit::Handoffs => "handoffs per conversation",
        }
    }
}

/// What `handoff metrics NAME` says of a metric.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct About {
    pub section: Section,
    pub unit: Unit,
    pub definition: &'static str,
    /// What the metric is taken over: a rate's denominator, a percentile's or mean's population.
    pub denominator: &'static str,
}

macro_rules! metrics {
    ($($id:ident => $name:literal, $section:ident, $unit:ident, $definition:literal, $denominator:literal;)*) => {
        /// A scalar report metric.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Metric { $($id),* }

        impl Metric {
            /// Every metric, in report order.
            pub const ALL: &'static [Metric] = &[$(Metric::$id),*];

            /// Every name, in report order (what gates may name).
            pub const NAMES: &'static [&'static str] = &[$($name),*];

            /// The stable snake_case name.
            pub fn name(self) -> &'static str {
                match self { $(Metric::$id => $name),* }
            }

            pub fn about(self) -> About {
                match self {
                    $(Metric::$id => About {
                        section: Section::$section,
                        unit: Unit::$unit,
                        definition: $definition,
                        denominator: $denominator,
                    }),*
                }
            }
        }
    };
}

metrics! {
    Conversations => "conversations", Routing, Count,
        "Conversations replayed: every record with one conversation id, in any file of the run.", "none (a count)";
    Messages => "messages", Routing, Count,
        "Message records replayed, after repeated message ids are dropped.", "none (a count)";
    SkippedRecords => "skipped_records", Routing, Count,
        "Records skipped as unreadable (no conversation id or role, an unknown role, a field of the wrong type, a bad timestamp).", "none (a count)";
    EscalationRate => "escalation_rate", Routing, Fraction,
        "Conversations the matrix escalates to a lane. Flagged outside settings.healthy_escalation_rate.", "conversations";
    TurnsToHandoffP50 => "turns_to_handoff_p50", Routing, CustomerMessages,
        "Median (nearest rank) of the customer messages up to and including the matrix's escalation point.", "conversations the matrix escalates";
    TurnsToHandoffP90 => "turns_to_handoff_p90", Routing, CustomerMessages,
        "90th percentile (nearest rank) of the customer messages up to and including the matrix's escalation point.", "conversations the matrix escalates";
    SecondsToHandoffP50 => "seconds_to_handoff_p50", Routing, Seconds,
        "Median (nearest rank) of the time from the conversation's first message to the matrix's escalation point.", "escalated conversations whose messages all have timestamps";
    SecondsToHandoffP90 => "seconds_to_handoff_p90", Routing, Seconds,
        "90th percentile (nearest rank) of the time from the conversation's first message to the matrix's escalation point.", "escalated conversations whose messages all have timestamps";
    TriggerCoverage => "trigger_coverage", Routing, Fraction,
        "Triggers that held at least once, at some message of some bot phase.", "triggers of the matrix";
    LaneCoverage => "lane_coverage", Routing, Fraction,
        "Lanes that some trigger that held routes to.", "lanes of the matrix";
    TrapSignalRate => "trap_signal_rate", Traps, Fraction,
        "Conversations with a trap signal in the bot phase: an opt-out phrase, the fallback streak reaching settings.trap.fallback_streak, or one text sent settings.trap.repeats times.", "conversations";
    BotTrapRate => "bot_trap_rate", Traps, Fraction,
        "Trapped conversations (the Bot Trap Index): a signal at or before the escalation point and the matrix never escalates, or more than settings.trap.grace_bot_turns bot messages after it up to the escalation point.", "conversations";
    TrappedBotTurnsMean => "trapped_bot_turns_mean", Traps, BotMessages,
        "Mean of the bot messages after the first signal, up to the escalation point or the end of the bot phase.", "trapped conversations";
    TrappedBotTurnsP90 => "trapped_bot_turns_p90", Traps, BotMessages,
        "90th percentile (nearest rank) of the bot messages after the first signal, up to the escalation point or the end of the bot phase.", "trapped conversations";
    MisrouteRate => "misroute_rate", Truth, Fraction,
        "Conversations the matrix escalates into another lane than their truth lane (expected_lane, else the last lane an assign/handoff event named).", "conversations the matrix escalates whose truth lane is not none";
    MissedEscalationRate => "missed_escalation_rate", Truth, Fraction,
        "Conversations the matrix keeps with the bot although their truth lane is not none.", "conversations whose truth lane is not none";
    OverEscalationRate => "over_escalation_rate", Truth, Fraction,
        "Conversations the matrix escalates although their truth lane is none.", "conversations whose truth lane is none";
    Labelled => "labelled", Truth, Count,
        "Conversations with a known truth lane.", "none (a count)";
    ContextCompleteness => "context_completeness", Quality, Fraction,
        "Escalations whose lane's requires fields were all captured at or before the escalation point.", "escalations into lanes with requires";
    WindowRiskRate => "window_risk_rate", Quality, Fraction,
        "Escalations that come settings.window_warning or more after the last customer message before them, or whose lane's first-response SLA ends after settings.service_window.", "escalations in conversations whose messages all have timestamps";
    LoggedEscalationRate => "logged_escalation_rate", Logged, Fraction,
        "Conversations with a logged handoff point: a first agent message or first handoff/assign event.", "conversations";
    LoggedTurnsToHandoffP50 => "logged_turns_to_handoff_p50", Logged, CustomerMessages,
        "Median (nearest rank) of the customer messages before the logged handoff point.", "conversations with a logged handoff point";
    LoggedTurnsToHandoffP90 => "logged_turns_to_handoff_p90", Logged, CustomerMessages,
        "90th percentile (nearest rank) of the customer messages before the logged handoff point.", "conversations with a logged handoff point";
    LoggedSecondsToHandoffP50 => "logged_seconds_to_handoff_p50", Logged, Seconds,
        "Median (nearest rank) of the time from the first message to the logged handoff point.", "conversations with a logged handoff point whose messages all have timestamps";
    LoggedSecondsToHandoffP90 => "logged_seconds_to_handoff_p90", Logged, Seconds,
        "90th percentile (nearest rank) of the time from the first message to the logged handoff point.", "conversations with a logged handoff point whose messages all have timestamps";
    LoggedBotTrapRate => "logged_bot_trap_rate", Logged, Fraction,
        "Conversations trapped as the logs show it: a trap signal in the bot phase, and no person ever took over or more than settings.trap.grace_bot_turns bot messages came after it before the logged handoff point.", "conversations";
    FirstResponseSecondsP50 => "first_response_seconds_p50", Logged, Seconds,
        "Median (nearest rank) of the first response time: from the first customer message to the first bot or agent message after it.", "answered conversations whose messages all have timestamps";
    FirstResponseSecondsP90 => "first_response_seconds_p90", Logged, Seconds,
        "90th percentile (nearest rank) of the first response time: from the first customer message to the first bot or agent message after it.", "answered conversations whose messages all have timestamps";
    UnansweredRate => "unanswered_rate", Logged, Fraction,
        "Conversations whose first customer message gets no bot or agent message after it.", "conversations with a customer message";
    TimeToSpecialistSecondsP50 => "time_to_specialist_seconds_p50", Logged, Seconds,
        "Median (nearest rank) of the time from the first customer message to the first assign/handoff event that names a lane (per lane: specialists in the JSON report).", "conversations with such an event after a customer message, whose messages all have timestamps";
    TimeToSpecialistSecondsP90 => "time_to_specialist_seconds_p90", Logged, Seconds,
        "90th percentile (nearest rank) of the time from the first customer message to the first assign/handoff event that names a lane.", "conversations with such an event after a customer message, whose messages all have timestamps";
    ReassignmentRate => "reassignment_rate", Logged, Fraction,
        "Conversations whose assign/handoff events name at least two different lanes (misroute as the logs show it).", "conversations with an assign/handoff event that names a lane";
    TransfersMean => "transfers_mean", Logged, Handoffs,
        "Mean handoffs per conversation: one for the bot-to-person handoff, one for every later assign/handoff event naming another lane than the current one, one for every agent message by another author than the agent message before it.", "conversations with a logged handoff point";
    ResolutionSecondsP50 => "resolution_seconds_p50", Logged, Seconds,
        "Median (nearest rank) of the resolution time: from the first message to the first resolved event.", "resolved conversations whose messages all have timestamps";
    ResolutionSecondsP90 => "resolution_seconds_p90", Logged, Seconds,
        "90th percentile (nearest rank) of the resolution time: from the first message to the first resolved event.", "resolved conversations whose messages all have timestamps";
    ResolvedRate => "resolved_rate", Logged, Fraction,
        "Conversations with a resolved event.", "conversations";
    Recontact48hRate => "recontact_48h_rate", Logged, Fraction,
        "Conversations whose customer_id starts another conversation less than 48 hours after this one's last message (the 48-hour rule).", "conversations with a customer_id whose messages all have timestamps";
    LoggedWindowRiskRate => "logged_window_risk_rate", Logged, Fraction,
        "Conversations in which a bot or agent message comes settings.window_warning or more after the latest customer message before it.", "conversations, with all messages timed, in which some bot or agent message follows a customer message";
}

impl Metric {
    /// The metric a name stands for.
    pub fn parse(name: &str) -> Option<Metric> {
        Metric::ALL.iter().copied().find(|m| m.name() == name)
    }

    /// Whether the metric is a fraction (a rate), shown as a percentage in tables.
    pub fn is_fraction(self) -> bool {
        self.about().unit == Unit::Fraction
    }

    /// The matrix metric a logged one stands beside in the table report (SPEC section 5.5), and
    /// the logged one for a matrix metric.
    pub fn as_logged(self) -> Option<Metric> {
        use Metric::*;
        Some(match self {
            EscalationRate => LoggedEscalationRate,
            TurnsToHandoffP50 => LoggedTurnsToHandoffP50,
            TurnsToHandoffP90 => LoggedTurnsToHandoffP90,
            SecondsToHandoffP50 => LoggedSecondsToHandoffP50,
            SecondsToHandoffP90 => LoggedSecondsToHandoffP90,
            BotTrapRate => LoggedBotTrapRate,
            _ => return None,
        })
    }

    /// Whether the table report shows the metric in its side-by-side block: a matrix metric that
    /// has a logged twin, or that twin.
    pub fn is_compared(self) -> bool {
        self.as_logged().is_some() || Metric::ALL.iter().any(|m| m.as_logged() == Some(self))
    }

    /// Whether the metric reads the logs alone (and the matrix's settings), not its triggers.
    pub fn is_logged(self) -> bool {
        self.about().section == Section::Logged
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_metric_is_explained() {
        for m in Metric::ALL {
            let a = m.about();
            let name = m.name();
            assert!(a.definition.len() > 20, "{name} lacks a definition");
            assert!(
                a.definition.ends_with('.'),
                "{name}: a definition is a sentence"
            );
            assert!(
                !a.denominator.trim().is_empty(),
                "{name} lacks a denominator"
            );
            assert!(!a.unit.as_str().is_empty());
            assert!(
                name.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_'),
                "{name} is not snake_case"
            );
        }
    }

    #[test]
    fn names_are_unique_and_listed_once() {
        let mut names: Vec<&str> = Metric::ALL.iter().map(|m| m.name()).collect();
        assert_eq!(names, Metric::NAMES);
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), Metric::ALL.len());
        for m in Metric::ALL {
            assert_eq!(Metric::parse(m.name()), Some(*m));
        }
    }

    #[test]
    fn each_compared_metric_has_its_logged_twin_named_after_it() {
        for m in Metric::ALL {
            if let Some(l) = m.as_logged() {
                assert_eq!(l.name(), format!("logged_{}", m.name()));
                assert!(l.is_logged() && !m.is_logged());
            }
        }
        let pairs = Metric::ALL
            .iter()
            .filter(|m| m.as_logged().is_some())
            .count();
        assert_eq!(
            pairs, 6,
            "SPEC 5.5: escalation rate, turns and seconds to handoff, bot traps"
        );
    }
}

//! Property tests of the laws SPEC sections 4 and 5 state: replay is the same with and without the
//! trace `explain` shows, metrics stay in range and add up, the report does not depend on the order
//! or the grouping of conversations into threads, and a matrix compared with itself changes nothing;
//! and the shortcuts of a replay without trace change nothing either.

use proptest::prelude::*;

use crate::engine::logged::observe;
use crate::engine::plan::Plan;
use crate::engine::{Compiled, replay};
use crate::logs::accounting::Stats;
use crate::logs::record::{Conversation, Event, Message, Role};
use crate::metrics::Aggregate;
use crate::metrics::logged::Logged;

pub(crate) fn compiled() -> Compiled {
    compile(include_str!("../../tests/fixtures/replay/matrix.yaml"))
}

fn compile(text: &str) -> Compiled {
    let file = std::sync::Arc::new(crate::source::SourceFile::new(
        "m.yaml",
        "m.yaml".into(),
        text.to_owned(),
    ));
    let root = crate::matrix::yaml::parse(&file.text).unwrap_or_else(|e| panic!("{e:?}"));
    let (raw, _) = crate::matrix::decode::decode(&root, &file.text);
    let model = crate::matrix::Matrix::from_raw(&raw, &file).unwrap_or_else(|e| panic!("{e}"));
    Compiled::new(model).unwrap_or_else(|e| panic!("{e}"))
}

const TEXTS: [&str; 8] = [
    "hello",
    "I want a refund",
    "a human please",
    "card 4111 1111 1111 1111",
    "agent?",
    "where is my order 12345",
    "x",
    "hello",
];

/// Texts for the shortcuts of a replay without trace: regex literals in any case and spacing,
/// personal data, keywords inside other words, non-ASCII text.
const SHORTCUT_TEXTS: [&str; 14] = [
    "hello",
    "I want a refund",
    "GDPR request",
    "I was HACKED",
    "data  breach",
    "the data is wrong",
    "card 4111 1111 1111 1111",
    "mail ana@example.com",
    "call +34 612 34 56 78",
    "order 123",
    "Speak\tto someone, a human",
    "humanity",
    "lawſuit",
    "café ☕",
];

fn message_from(texts: &'static [&'static str]) -> impl Strategy<Value = Message<'static>> {
    (
        0u8..10,
        0usize..texts.len(),
        prop::option::of(0u32..100),
        any::<bool>(),
        prop::option::of(0u64..200_000),
        0usize..4,
    )
        .prop_map(|(kind, t, conf, fallback, ts, aux)| {
            let role = match kind {
                0..=4 => Role::Customer,
                5..=7 => Role::Bot,
                8 => Role::Agent,
                _ => Role::System,
            };
            // System records are events of every kind, naming lanes (or none) for the logged
            // metrics; agents have one of a few authors, or none.
            let event = match (kind, fallback, aux) {
                (9, true, 0 | 1) => Some(Event::Assign),
                (9, true, _) => Some(Event::Handoff),
                (9, false, 0) => Some(Event::Resolved),
                _ => None,
            };
            Message {
                conversation_id: "".into(),
                role: Some(role),
                text: texts[t].into(),
                confidence: conf.map(|c| f64::from(c) / 100.0),
                intent: (role == Role::Customer && t == 1).then(|| "refund_request".into()),
                fallback: (role == Role::Bot).then_some(fallback),
                event,
                lane: (kind == 9).then(|| ["billing", "recovery", "none", "technical"][aux].into()),
                author: (role == Role::Agent && aux > 0)
                    .then(|| ["Sam", "Meera", "Sam"][aux - 1].into()),
                timestamp: ts.map(|s| 1_790_000_000_000 + s as i64 * 1000),
                ..Message::default()
            }
        })
}

fn conversation() -> impl Strategy<Value = Conversation<'static>> {
    conversation_from(&TEXTS)
}

fn conversation_from(
    texts: &'static [&'static str],
) -> impl Strategy<Value = Conversation<'static>> {
    (
        prop::collection::vec(message_from(texts), 0..12),
        prop::option::of(prop::sample::select(vec![
            "none",
            "billing",
            "recovery",
            "compliance",
        ])),
        any::<bool>(),
        prop::option::of(prop::sample::select(vec![
            "vip",
            "VIP",
            "enterprise",
            "basic",
        ])),
        prop::option::of(prop::sample::select(vec!["who-1", "who-2"])),
    )
        .prop_map(|(mut messages, truth, named, tier, who)| {
            let timed = !messages.is_empty() && messages.iter().all(|m| m.timestamp.is_some());
            if timed {
                messages.sort_by_key(|m| m.timestamp);
            }
            Conversation {
                id: "".into(),
                messages,
                timed,
                expected_lane: truth.map(Into::into),
                customer_name: named.then(|| "Ana".into()),
                customer_id: who.map(Into::into),
                segment: tier
                    .map(|t| ("tier".into(), t.into()))
                    .into_iter()
                    .collect(),
            }
        })
}

pub(crate) fn conversations() -> impl Strategy<Value = Vec<Conversation<'static>>> {
    prop::collection::vec(conversation(), 0..30).prop_map(|mut cs| {
        for (i, c) in cs.iter_mut().enumerate() {
            c.id = format!("c{i:03}").into();
        }
        cs
    })
}

/// The aggregate and logged totals of `convs`, as a fold adds them.
fn tally(c: &Compiled, convs: &[Conversation]) -> (Aggregate, Logged) {
    let (mut a, mut l) = (Aggregate::new(c), Logged::default());
    for conv in convs {
        let seen = observe(conv);
        l.add(conv, &seen);
        a.add(c, &replay(c, conv, false).0, &seen);
    }
    (a, l)
}

fn report(c: &Compiled, convs: &[Conversation]) -> crate::metrics::Report {
    let (a, l) = tally(c, convs);
    a.report(c, &Stats::default(), &l.figures())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    /// What a replay without trace skips (triggers the conversation rules out, regexes without a
    /// literal their matches start with, triggers that need a keyword hit at a message without
    /// one, conditions whose phrases a message did not hit, regexes searched with the worker's
    /// caches) changes nothing: the trace evaluates every trigger at every message, and its holds
    /// are the reference.
    #[test]
    fn shortcuts_find_what_the_full_evaluation_finds(conv in conversation_from(&SHORTCUT_TEXTS)) {
        static SHORTCUTS: std::sync::LazyLock<Compiled> = std::sync::LazyLock::new(|| {
            compile(include_str!("../../tests/fixtures/replay/shortcuts.yaml"))
        });
        holds_agree(&SHORTCUTS, &conv)?;
    }
}

/// Texts for the multilingual matrix of the keyword benchmark: its phrases in other cases and
/// inside other words, what its regexes look for, ordinary messages.
const MULTILINGUAL_TEXTS: [&str; 30] = [
    "I want to CANCEL MY Subscription",
    "cancelar mi suscripción ya",
    "quero cancelar o plano",
    "subscription cancel karna hai",
    "ऑर्डर कैंसिल करना है",
    "रिफंड चाहिए!",
    "refund",
    "refunds please",
    "my refund never came",
    "call 0123456789",
    "ana@example.com",
    "GDPR",
    "THIS IS NOT OK AT ALL",
    "order #123456",
    "pedido 12345",
    "hello",
    "where is my parcel?",
    "speak to\tsomeone",
    "humanity",
    "es urgente!!!",
    "fuuuuuck",
    "404 error",
    "https://x.example",
    "€ 25",
    "25,00 eur",
    "12/03/2026",
    "otp 123456",
    "abc-12d-3456",
    "पैसा वापस",
    "Ünïcode ✓",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// The same, for a matrix with a thousand phrases in four languages and fifty regexes.
    #[test]
    fn a_large_matrix_finds_what_the_full_evaluation_finds(
        conv in conversation_from(&MULTILINGUAL_TEXTS),
    ) {
        static MULTILINGUAL: std::sync::LazyLock<Compiled> = std::sync::LazyLock::new(|| {
            compile(include_str!("../../tests/fixtures/multilingual/matrix.yaml"))
        });
        holds_agree(&MULTILINGUAL, &conv)?;
    }
}

/// Replay without the trace escalates as with it, and marks as held the triggers its steps show.
fn holds_agree(c: &Compiled, conv: &Conversation) -> Result<(), TestCaseError> {
    let (plain, _) = replay(c, conv, false);
    let (traced, steps) = replay(c, conv, true);
    prop_assert_eq!(&plain, &traced);
    let mut held = vec![false; c.triggers.len()];
    for (t, _) in steps.iter().flat_map(|s| &s.held) {
        held[*t] = true;
    }
    prop_assert_eq!(held, plain.held);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn explain_agrees_with_replay(conv in conversation()) {
        let c = compiled();
        let (plain, _) = replay(&c, &conv, false);
        let (traced, steps) = replay(&c, &conv, true);
        prop_assert_eq!(&plain, &traced);
        prop_assert_eq!(steps.len(), plain.bot_phase);
    }

    /// A replay that only aggregates, with the buffers of earlier outcomes given back, finds
    /// what a replay of its own finds.
    #[test]
    fn recycled_buffers_change_nothing(convs in conversations()) {
        let c = compiled();
        let plan = Plan::single(&c);
        let mut scratch = replay::Scratch::default();
        let mut out = Vec::new();
        for conv in &convs {
            let mut fresh = replay(&c, conv, false).0;
            fresh.id.clear();
            fresh.logged_lane = None;
            replay::replay_plan(&plan, conv, false, &mut scratch, &mut out);
            prop_assert_eq!(out.len(), 1);
            for o in out.drain(..) {
                prop_assert_eq!(&o, &fresh);
                scratch.recycle(o);
            }
        }
    }

    #[test]
    fn metrics_stay_in_range_and_add_up(convs in conversations()) {
        let c = compiled();
        let r = report(&c, &convs);
        for (name, v) in &r.metrics {
            if let Some(v) = v {
                prop_assert!(v.is_finite() && *v >= 0.0, "{} = {}", name, v);
                if crate::metrics::Metric::parse(name).is_some_and(|m| m.is_fraction()) {
                    prop_assert!(*v <= 1.0, "{} = {}", name, v);
                }
            }
        }
        let routed: u64 = r.lanes.iter().map(|l| l.conversations).sum();
        prop_assert_eq!(routed, r.escalated);
        prop_assert!(r.triggers.iter().all(|t| t.won <= t.held));
        let won: u64 = r.triggers.iter().map(|t| t.won).sum();
        prop_assert_eq!(won, r.escalated);
        let cells: u64 = r.confusion.values().flat_map(|row| row.values()).sum();
        prop_assert_eq!(Some(Some(cells as f64)), r.metric("labelled"));
    }

    #[test]
    fn order_and_threads_do_not_change_the_report(convs in conversations(), split in 0usize..30) {
        let c = compiled();
        let forward = report(&c, &convs);
        let mut reversed = convs.clone();
        reversed.reverse();
        prop_assert_eq!(&forward, &report(&c, &reversed));
        // Two workers, each with part of the conversations, merged.
        let at = split.min(convs.len());
        let (a, la) = tally(&c, &convs[..at]);
        let (mut b, mut lb) = tally(&c, &convs[at..]);
        b.merge(a);
        lb.merge(la);
        prop_assert_eq!(&forward, &b.report(&c, &Stats::default(), &lb.figures()));
    }

    /// Conversations dealt to four workers in any pattern (a customer's conversations on different
    /// cores, as chunks and files put them), merged in another order, give the report of one
    /// worker: the 48-hour rule's spans, the logged percentiles and lanes merge exactly.
    #[test]
    fn any_deal_to_workers_gives_the_same_report(
        convs in conversations(),
        deal in prop::collection::vec(0usize..4, 30),
    ) {
        let c = compiled();
        let forward = report(&c, &convs);
        let mut parts: Vec<Vec<Conversation>> = vec![Vec::new(); 4];
        for (conv, w) in convs.iter().zip(&deal) {
            parts[*w].push(conv.clone());
        }
        let mut tallies: Vec<(Aggregate, Logged)> = parts.iter().map(|p| tally(&c, p)).collect();
        let (mut a, mut l) = tallies.remove(2);
        for (b, m) in tallies.into_iter().rev() {
            a.merge(b);
            l.merge(m);
        }
        prop_assert_eq!(&forward, &a.report(&c, &Stats::default(), &l.figures()));
    }

    #[test]
    fn a_matrix_diffed_with_itself_changes_nothing(convs in conversations()) {
        let c = compiled();
        let outcomes: Vec<_> = convs.iter().map(|conv| replay(&c, conv, false).0).collect();
        prop_assert!(crate::metrics::diff::transitions(&c, &c, &outcomes, &outcomes).is_empty());
    }
}

/// The replay fixture matrix with other triggers and the same settings: one moved to another lane
/// and one added.
fn retriggered() -> Compiled {
    let text = include_str!("../../tests/fixtures/replay/matrix.yaml")
        .replace(
            "  - id: late\n    lane: recovery",
            "  - id: late\n    lane: billing",
        )
        .replace(
            "lint: {",
            "  - id: hello\n    lane: compliance\n    when: { keywords: [hello, x] }\nlint: {",
        );
    compile(&text)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// What the logs show (SPEC section 5.5) reads the matrix only through its settings: other
    /// triggers change no logged figure, and other trap settings only the logged bot trap (the
    /// fallback intents and opt-out phrases make other signals). Transfers count at least the
    /// handoff itself.
    #[test]
    fn logged_metrics_read_only_the_settings(convs in conversations()) {
        use crate::metrics::Metric;
        // Compiled once: the cases are many, and compiling is what a case would spend its time on.
        static MATRICES: std::sync::LazyLock<[Compiled; 3]> =
            std::sync::LazyLock::new(|| [compiled(), retriggered(), changed()]);
        let [c, other, settings] = &*MATRICES;
        let (a, b, s) = (report(c, &convs), report(other, &convs), report(settings, &convs));
        for m in Metric::ALL.iter().filter(|m| m.is_logged()) {
            prop_assert_eq!(a.metric(m.name()), b.metric(m.name()), "{}", m.name());
            if *m != Metric::LoggedBotTrapRate {
                prop_assert_eq!(a.metric(m.name()), s.metric(m.name()), "{}", m.name());
            }
        }
        prop_assert_eq!(&a.specialists, &b.specialists);
        if let Some(Some(t)) = a.metric("transfers_mean") {
            prop_assert!(t >= 1.0, "transfers_mean = {}", t);
        }
    }
}

/// The replay fixture matrix changed the way a rule change does: other opt-out phrases, a fallback
/// intent more, a keyword trigger added, one with the same condition as another trigger, and one
/// trigger moved to another lane.
fn changed() -> Compiled {
    let text = include_str!("../../tests/fixtures/replay/matrix.yaml")
        .replace("fallback_intents: [nlu_fallback]", "fallback_intents: [nlu_fallback, out_of_scope]")
        .replace("optout_phrases: [human, agent]", "optout_phrases: [agent, speak to someone]")
        .replace(
            "  - id: late\n    lane: recovery",
            "  - id: late\n    lane: billing",
        )
        .replace(
            "lint: {",
            "  - id: hello\n    lane: billing\n    when: { keywords: [hello, x] }\n  - id: human-too\n    lane: compliance\n    when: { keywords: [human] }\nlint: {",
        );
    compile(&text)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    /// Matrices replayed together (`diff` replays two), each distinct condition evaluated once
    /// and each message scanned once for the phrases of all, find for every matrix what it finds
    /// replayed alone, whatever matrices come together and in whatever order.
    #[test]
    fn matrices_replayed_together_find_what_each_finds_alone(
        convs in prop::collection::vec(conversation_from(&SHORTCUT_TEXTS), 1..6),
        picks in prop::collection::vec(0usize..3, 1..4),
        out_of_scope in prop::collection::vec(any::<bool>(), 12),
    ) {
        static MATRICES: std::sync::LazyLock<[Compiled; 3]> = std::sync::LazyLock::new(|| {
            [
                compiled(),
                compile(include_str!("../../tests/fixtures/replay/shortcuts.yaml")),
                changed(),
            ]
        });
        let matrices: Vec<Compiled> = picks.iter().map(|i| MATRICES[*i].clone()).collect();
        let plan = Plan::new(&matrices).unwrap_or_else(|e| panic!("{e}"));
        let mut scratch = replay::Scratch::default();
        let mut out = Vec::new();
        for mut conv in convs {
            // Bot replies with an intent only some of the matrices count as a fallback.
            for (m, flag) in conv.messages.iter_mut().zip(&out_of_scope) {
                if m.role == Some(Role::Bot) && *flag {
                    m.intent = Some("out_of_scope".into());
                }
            }
            replay::replay_plan(&plan, &conv, true, &mut scratch, &mut out);
            prop_assert_eq!(out.len(), matrices.len());
            for (o, c) in out.drain(..).zip(&matrices) {
                prop_assert_eq!(&o, &replay(c, &conv, false).0);
            }
        }
    }
}

#[test]
fn a_plan_evaluates_each_distinct_condition_once() {
    let (a, b) = (compiled(), changed());
    assert_eq!(Plan::single(&a).conds.len(), 5);
    // `changed` repeats `human` in a trigger of its own: one condition for both.
    assert_eq!(Plan::single(&b).conds.len(), 6);
    let same = [a.clone(), a.clone()];
    let plan = Plan::new(&same).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        plan.conds.len(),
        5,
        "a matrix with itself shares every condition"
    );
    assert!(plan.conds.iter().all(|d| d.users.len() == 2));
    let pair = [a, b];
    let plan = Plan::new(&pair).unwrap_or_else(|e| panic!("{e}"));
    // Shared: human (three triggers), card, refund, late. Not shared: the fallback count, whose
    // streak differs with the fallback intents, and the new keyword condition.
    assert_eq!(plan.conds.len(), 7);
    let users: Vec<usize> = plan.conds.iter().map(|d| d.users.len()).collect();
    assert_eq!(users, [3, 2, 2, 1, 2, 1, 1]);
}

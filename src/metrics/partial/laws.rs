//! The law of SPEC section 5.7: any split of a log's conversations into shards, each replayed into
//! a partial report written as text and read back, merged in any order, gives the report of one
//! run, byte for byte; and shards that share a conversation are refused.

use proptest::prelude::*;

use crate::engine::Compiled;
use crate::engine::fold::replay_into;
use crate::engine::laws::{compiled, conversations};
use crate::engine::plan::Plan;
use crate::engine::replay::Scratch;
use crate::logs::accounting::Stats;
use crate::logs::record::Conversation;
use crate::metrics::partial::{Partial, PartialError, combine, read};
use crate::metrics::{Keep, Tally};

/// The tally of one run over `convs`, with its input accounting.
fn run(c: &Compiled, convs: &[Conversation]) -> (Tally, Stats) {
    let plan = Plan::single(c);
    let mut t = Tally::new(std::slice::from_ref(c), Keep::Nothing).digesting();
    let mut scratch = Scratch::default();
    for conv in convs {
        replay_into(&plan, conv, &mut t, &mut scratch);
    }
    let n = convs.iter().map(|c| c.messages.len() as u64).sum();
    let stats = Stats {
        records: n + 1,
        messages: n,
        skipped: 1,
        by_reason: [(crate::logs::accounting::Reason::BadTimestamp, 1)].into(),
        ..Stats::default()
    };
    (t, stats)
}

/// The partial report of one shard, as the text `replay --partial` writes.
fn partial_text(c: &Compiled, convs: &[Conversation]) -> String {
    let (t, stats) = run(c, convs);
    let ids = t.ids.clone().unwrap_or_default();
    let p = Partial::of(c, "m.yaml", &t.aggregates[0], &t.logged, &stats, &ids);
    crate::report::partial::json(&p).unwrap_or_else(|e| panic!("{e}"))
}

/// The JSON report merged from partial texts, in the order given.
fn merged(texts: &[(String, String)]) -> Result<String, PartialError> {
    let mut parts = Vec::new();
    for (name, text) in texts {
        parts.extend(read::read(text, name)?);
    }
    let m = combine::combine(parts)?;
    let r = m
        .aggregate
        .report_shaped(&m.shape, &m.stats, &m.logged.figures());
    Ok(crate::report::replay::json(&r, &m.name, &[]))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn any_split_merged_in_any_order_is_one_run(
        convs in conversations(),
        deal in prop::collection::vec(0usize..4, 30),
        order in Just(vec![0usize, 1, 2, 3]).prop_shuffle(),
    ) {
        let c = compiled();
        let (t, stats) = run(&c, &convs);
        // One run counts one skipped record; the shards count one each.
        let stats = Stats { records: stats.records + 3, skipped: 4, by_reason: [(crate::logs::accounting::Reason::BadTimestamp, 4)].into(), ..stats };
        let tallied = t.finish();
        let whole = tallied.aggregates.into_iter().next().unwrap_or_else(|| panic!("one aggregate"));
        let one = crate::report::replay::json(&whole.report(&c, &stats, &tallied.logged), "m.yaml", &[]);
        let mut shards: Vec<Vec<Conversation>> = vec![Vec::new(); 4];
        for (conv, w) in convs.iter().zip(&deal) {
            shards[*w].push(conv.clone());
        }
        let texts: Vec<(String, String)> = order
            .iter()
            .map(|i| (format!("shard-{i}"), partial_text(&c, &shards[*i])))
            .collect();
        prop_assert_eq!(merged(&texts).unwrap_or_else(|e| panic!("{e}")), one);
    }
}

#[test]
fn a_shard_given_twice_or_cut_short_is_refused() {
    let c = compiled();
    let convs: Vec<Conversation> = (0..3)
        .map(|i| Conversation {
            id: format!("c{i}").into(),
            messages: vec![crate::logs::record::Message {
                role: Some(crate::logs::record::Role::Customer),
                text: "hello".into(),
                ..Default::default()
            }],
            ..Conversation::default()
        })
        .collect();
    let a = partial_text(&c, &convs[..2]);
    let b = partial_text(&c, &convs[1..]);
    match merged(&[("a".into(), a.clone()), ("b".into(), b)]) {
        Err(PartialError::Overlap {
            file,
            other,
            shared,
        }) => {
            assert_eq!((file.as_str(), other.as_str(), shared), ("a", "b", 1));
        }
        other => panic!("{other:?}"),
    }
    let cut = &a[..a.len() / 2];
    match merged(&[("a".into(), cut.to_owned())]) {
        Err(PartialError::Invalid { what, .. }) => assert_eq!(what, "truncated"),
        other => panic!("{other:?}"),
    }
    // Two partials in one file, one a line, are two shards.
    let c2 = partial_text(&c, &convs[2..]);
    let first = partial_text(&c, &convs[..2]);
    assert!(merged(&[("both".into(), format!("{first}{c2}"))]).is_ok());
}

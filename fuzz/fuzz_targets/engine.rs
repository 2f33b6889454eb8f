//! A matrix and a log together: the first two bytes give the matrix's length, the matrix follows,
//! the rest is a JSONL log. Every conversation is replayed, with and without the trace `explain`
//! uses, and the two must agree; the metrics must stay in range. The matrix is also replayed
//! together with `rules/whatsapp-retail.yaml`, as `diff` replays two, and each must find what it
//! finds alone.
#![no_main]

mod common;

use std::sync::LazyLock;

use handoff::engine::plan::Plan;
use handoff::engine::{Compiled, replay};
use handoff::lint::{self, Levels, Severity};
use libfuzzer_sys::fuzz_target;

/// The other matrix of the plans: the bundled retail matrix.
static RETAIL: LazyLock<Option<Compiled>> = LazyLock::new(|| {
    let text = include_str!("../../rules/whatsapp-retail.yaml");
    let file = handoff::source::SourceFile::new("r.yaml", "r.yaml".into(), text.to_owned());
    let root = handoff::matrix::yaml::parse(&file.text).ok()?;
    let (raw, _) = handoff::matrix::decode::decode(&root, &file.text);
    let model = handoff::matrix::Matrix::from_raw(&raw, &file).ok()?;
    Compiled::new(model).ok()
});

fuzz_target!(|data: &[u8]| {
    if data.len() < 2 {
        return;
    }
    let len = usize::from(u16::from_le_bytes([data[0], data[1]])).min(data.len() - 2);
    let (matrix, log) = data[2..].split_at(len);
    let file = std::sync::Arc::new(handoff::source::SourceFile::from_bytes(
        "m.yaml",
        "m.yaml".into(),
        matrix.to_vec(),
    ));
    let (raw, diagnostics) = lint::lint_source(file.clone(), &Levels::default());
    if diagnostics.iter().any(|d| d.severity == Severity::Error) {
        return;
    }
    let Some(raw) = raw else {
        return;
    };
    let Ok(model) = handoff::matrix::Matrix::from_raw(&raw, &file) else {
        return;
    };
    let Ok(compiled) = Compiled::new(model) else {
        return;
    };
    let conversations = common::read(log, handoff::logs::Format::Jsonl, "engine.jsonl");
    if let Some(retail) = RETAIL.as_ref() {
        let pairs = [
            [compiled.clone(), retail.clone()],
            [retail.clone(), compiled.clone()],
        ];
        for pair in &pairs {
            let Ok(plan) = Plan::new(pair) else { continue };
            let mut scratch = handoff::engine::replay::Scratch::default();
            let mut out = Vec::new();
            for conv in &conversations {
                handoff::engine::replay::replay_plan(&plan, conv, true, &mut scratch, &mut out);
                assert_eq!(out.len(), 2);
                for (o, c) in out.drain(..).zip(pair) {
                    assert_eq!(o, replay(c, conv, false).0, "together as alone");
                }
            }
        }
    }
    let mut aggregate = handoff::metrics::Aggregate::new(&compiled);
    for conv in &conversations {
        let (plain, _) = replay(&compiled, conv, false);
        let (traced, steps) = replay(&compiled, conv, true);
        assert_eq!(plain, traced, "explain and replay agree");
        assert_eq!(steps.len(), plain.bot_phase);
        aggregate.add(&compiled, &plain);
        let _ = handoff::report::explain::explain(&compiled, "m.yaml", conv, &traced, &steps, true);
    }
    let report = aggregate.report(&compiled, &handoff::logs::accounting::Stats::default());
    for (name, value) in &report.metrics {
        if let Some(v) = value {
            assert!(v.is_finite() && *v >= 0.0, "{name} = {v}");
            if name.ends_with("_rate") || *name == "context_completeness" {
                assert!(*v <= 1.0, "{name} = {v}");
            }
        }
    }
    let escalated: u64 = report.lanes.iter().map(|l| l.conversations).sum();
    assert_eq!(escalated, report.escalated);
    assert!(report.triggers.iter().all(|t| t.won <= t.held));
    let labelled: u64 = report.confusion.values().flat_map(|r| r.values()).sum();
    assert_eq!(Some(Some(labelled as f64)), report.metric("labelled"));
});

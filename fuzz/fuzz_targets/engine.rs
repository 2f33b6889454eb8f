//! A matrix and a log together: the first two bytes give the matrix's length, the matrix follows,
//! the rest is a JSONL log. Every conversation is replayed, with and without the trace `explain`
//! uses, and the two must agree; the metrics must stay in range.
#![no_main]

mod common;

use handoff::engine::{Compiled, replay};
use handoff::lint::{self, Levels, Severity};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if data.len() < 2 {
        return;
    }
    let len = usize::from(u16::from_le_bytes([data[0], data[1]])).min(data.len() - 2);
    let (matrix, log) = data[2..].split_at(len);
    let (file, diagnostics) = lint::lint_bytes("m.yaml", "m.yaml".into(), matrix.to_vec(), &Levels::default());
    if diagnostics.iter().any(|d| d.severity == Severity::Error) {
        return;
    }
    let Ok(root) = handoff::matrix::yaml::parse(&file.text) else { return };
    let (raw, _) = handoff::matrix::decode::decode(&root, &file.text);
    let Ok(model) = handoff::matrix::Matrix::from_raw(&raw, &file) else { return };
    let Ok(compiled) = Compiled::new(model) else { return };
    let conversations = common::read(log, handoff::logs::Format::Jsonl, "engine.jsonl");
    let mut aggregate = handoff::metrics::Aggregate::new(&compiled);
    for conv in &conversations {
        let (plain, _) = replay(&compiled, conv, false);
        let (traced, steps) = replay(&compiled, conv, true);
        assert_eq!(plain, traced, "explain and replay agree");
        assert_eq!(steps.len(), plain.bot_phase);
        aggregate.add(&compiled, &plain);
        let _ = handoff::cmd::explain::explain(&compiled, "m.yaml", conv, &traced, &steps, true);
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

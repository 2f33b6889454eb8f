//! Criterion benchmarks of the engine: parsing a JSONL record, replaying one conversation, and
//! replaying the sample month per message. Whole-process comparisons with ripgrep are in
//! `bench/run.sh`; these isolate the in-process parts so a change to one shows up on its own.
//!
//! Run with `cargo bench`; the data is `samples/retail-2026-10.jsonl` (made by the project's
//! generator, `examples/generate.rs`) and the matrix `rules/whatsapp-retail.yaml`.

use std::hint::black_box;
use std::path::PathBuf;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use handoff::engine::{Compiled, replay};
use handoff::lint::Levels;
use handoff::logs::record::Conversation;
use handoff::logs::{self, Collect, ImportSettings, ReadOptions};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn setup() -> (Compiled, Vec<Conversation<'static>>, Vec<String>) {
    let (model, _) = handoff::pipeline::load_matrix(
        &root().join("rules/whatsapp-retail.yaml"),
        &Levels::default(),
    )
    .expect("the bundled matrix loads");
    let compiled = Compiled::new(model).expect("compiles");
    let mut sink = Collect(Vec::new());
    let sample = root().join("samples/retail-2026-10.jsonl");
    logs::read(
        std::slice::from_ref(&sample),
        &ReadOptions::default(),
        &mut sink,
    )
    .expect("the sample reads");
    let lines = std::fs::read_to_string(&sample)
        .expect("sample")
        .lines()
        .take(20_000)
        .map(str::to_owned)
        .collect();
    (compiled, sink.0, lines)
}

fn benches(c: &mut Criterion) {
    let (compiled, conversations, lines) = setup();
    let messages: usize = conversations.iter().map(|c| c.messages.len()).sum();

    let mut g = c.benchmark_group("replay");
    g.throughput(Throughput::Elements(messages as u64));
    g.bench_function("per message (sample month)", |b| {
        b.iter(|| {
            for conv in &conversations {
                black_box(replay(&compiled, conv, false));
            }
        })
    });
    g.throughput(Throughput::Elements(1));
    let longest = conversations
        .iter()
        .max_by_key(|c| c.messages.len())
        .expect("conversations");
    g.bench_function("per conversation (the longest)", |b| {
        b.iter(|| black_box(replay(&compiled, longest, false)))
    });
    g.finish();

    let mut g = c.benchmark_group("parse");
    let bytes: usize = lines.iter().map(String::len).sum();
    g.throughput(Throughput::Bytes(bytes as u64));
    let import = ImportSettings::default();
    let cx = logs::Context {
        name: "bench",
        file: 0,
        times: &logs::time::ZoneTimes::new(&import.zone),
        import: &import,
    };
    let mut keys = logs::jsonl::Keys::default();
    let mut out = Vec::new();
    g.bench_function("JSONL record", |b| {
        b.iter(|| {
            for l in &lines {
                let _ = black_box({
                    out.clear();
                    logs::jsonl::parse_line_into(l.as_bytes(), &cx, &mut keys, &mut out)
                });
            }
        })
    });
    g.finish();
}

criterion_group! {
    name = engine;
    config = Criterion::default().sample_size(20);
    targets = benches
}
criterion_main!(engine);

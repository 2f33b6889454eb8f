//! Criterion benchmarks of the WhatsApp importer: the parser on its own, and the whole import of
//! a folder of exports (parse, zone conversion, messages, grouping), so that a change to either
//! shows up on its own. `bench/run.sh` measures the whole process over generated exports.
//!
//! Run with `cargo bench --bench whatsapp`. The data is the four exports of `samples/whatsapp`
//! (made by `examples/generate.rs`), joined 250 times into one long export of about 0.9 MB, as
//! `bench/run.sh` joins its generated ones: a year of chat with both date orders in it.

use std::hint::black_box;
use std::path::PathBuf;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use handoff::logs::{self, Collect, ImportSettings, ReadOptions, whatsapp};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The sample exports joined `times` times.
fn long_export(times: usize) -> String {
    let dir = root().join("samples/whatsapp");
    let mut names: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("samples/whatsapp")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    names.sort();
    let one: String = names
        .iter()
        .map(|p| std::fs::read_to_string(p).expect("a sample export"))
        .collect();
    one.repeat(times)
}

fn benches(c: &mut Criterion) {
    let text = long_export(250);
    let mut g = c.benchmark_group("whatsapp");
    g.throughput(Throughput::Bytes(text.len() as u64));
    g.bench_function("first pass (scan)", |b| {
        b.iter(|| black_box(whatsapp::scan(&text, &whatsapp::Options::default())))
    });
    g.bench_function("parse", |b| {
        b.iter(|| black_box(whatsapp::parse(&text, &whatsapp::Options::default())))
    });

    // The import as `handoff replay --config samples/handoff.toml` runs it, over four files.
    let dir = tempfile::tempdir().expect("a temp dir");
    for k in 0..4 {
        std::fs::write(dir.path().join(format!("export-{k}.txt")), &text).expect("written");
    }
    let opts = ReadOptions {
        import: ImportSettings {
            zone: jiff::tz::TimeZone::get("Europe/Madrid").expect("the bundled tzdb"),
            bots: vec!["Koravi Assistant".into()],
            agents: vec!["Anita (Koravi)".into(), "Priya (Koravi)".into()],
            ..ImportSettings::default()
        },
        ..ReadOptions::default()
    };
    g.throughput(Throughput::Bytes(4 * text.len() as u64));
    g.bench_function("import a folder", |b| {
        b.iter(|| {
            let mut sink = Collect::default();
            black_box(logs::read(&[dir.path().to_path_buf()], &opts, &mut sink).expect("reads"));
            sink.0
        })
    });
    g.finish();
}

criterion_group!(whatsapp_benches, benches);
criterion_main!(whatsapp_benches);

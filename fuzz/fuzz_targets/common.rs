//! Shared by the log targets: a run of the real reader over bytes written to a temporary file, and
//! the one-reader path checked against the parallel path on the same file.
// Each target uses a part of this module.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use handoff::engine::run::{self, RunOptions};
use handoff::metrics::{Keep, Tally};
use handoff::logs::record::Conversation;
use handoff::logs::{self, Collect, Format, ReadOptions};

fn dir() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let d = std::env::temp_dir().join(format!("handoff-fuzz-{}", std::process::id()));
        let _ = std::fs::create_dir_all(&d);
        d
    })
}

/// Reads `data` as a file of `format`; checks the accounting law on every input.
pub fn read(data: &[u8], format: Format, name: &str) -> Vec<Conversation<'static>> {
    let path = dir().join(name);
    if std::fs::write(&path, data).is_err() {
        return Vec::new();
    }
    let mut sink = Collect(Vec::new());
    let opts = ReadOptions {
        format: Some(format),
        ..ReadOptions::default()
    };
    match logs::read(&[path], &opts, &mut sink) {
        Ok(stats) => {
            assert!(
                stats.balanced(),
                "records = messages + skipped + duplicates + non_messages: {stats:?}"
            );
            let messages: usize = sink.0.iter().map(|c| c.messages.len()).sum();
            assert_eq!(stats.messages, messages as u64);
            sink.0
        }
        Err(_) => Vec::new(),
    }
}

/// The file at `path` through the one-reader path (one thread) and the parallel path (two threads,
/// chunks of 64 bytes so that inputs of any size cross chunk boundaries): the counts and the skips
/// shown must be the same. (Notes may word a reread differently.)
pub fn paths_agree(path: &Path, format: Format) {
    let opts = ReadOptions {
        format: Some(format),
        ..ReadOptions::default()
    };
    let replay = |threads| {
        let run_opts = RunOptions {
            threads,
            chunk_bytes: 64,
            ..RunOptions::default()
        };
        let empty = Tally::new(&[], Keep::Nothing);
        run::run(&[], &[path.to_path_buf()], &opts, &run_opts, &empty).map(|r| {
            let mut stats = r.stats;
            stats.notes.clear();
            stats
        })
    };
    match (replay(1), replay(2)) {
        (Ok(one), Ok(two)) => assert_eq!(one, two, "one reader vs chunks"),
        (Err(_), Err(_)) => {}
        (one, two) => panic!("only one path failed: {one:?} / {two:?}"),
    }
}

/// Writes `data` to the file `name` of the fuzzing directory.
pub fn file(data: &[u8], name: &str) -> Option<PathBuf> {
    let path = dir().join(name);
    std::fs::write(&path, data).ok().map(|()| path)
}

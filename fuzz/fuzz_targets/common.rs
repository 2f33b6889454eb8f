//! Shared by the log targets: a run of the real reader over bytes written to a temporary file.

use std::path::PathBuf;
use std::sync::OnceLock;

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
    let opts = ReadOptions { format: Some(format), ..ReadOptions::default() };
    match logs::read(&[path], &opts, &mut sink) {
        Ok(stats) => {
            assert!(stats.balanced(), "records = messages + skipped + duplicates: {stats:?}");
            let messages: usize = sink.0.iter().map(|c| c.messages.len()).sum();
            assert_eq!(stats.messages, messages as u64);
            sink.0
        }
        Err(_) => Vec::new(),
    }
}

//! The JSONL importer, grouping and accounting on any bytes; the chunked parallel path must count
//! the same as the one-reader path.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    common::read(data, handoff::logs::Format::Jsonl, "log.jsonl");
    if let Some(path) = common::file(data, "chunked-log.jsonl") {
        common::paths_agree(&path, handoff::logs::Format::Jsonl);
    }
});

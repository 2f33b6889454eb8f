//! The CSV importer, grouping and accounting on any bytes; the chunked parallel path (CSV chunk
//! parser) must count the same as the one-reader path (the `csv` crate).
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    common::read(data, handoff::logs::Format::Csv, "log.csv");
    if let Some(path) = common::file(data, "chunked-log.csv") {
        common::paths_agree(&path, handoff::logs::Format::Csv);
    }
});

//! The CSV importer, grouping and accounting on any bytes.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    common::read(data, handoff::logs::Format::Csv, "log.csv");
});

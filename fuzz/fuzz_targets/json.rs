//! JSON documents and nested JSONL through every profile: the document recognised from its shape,
//! then read with each profile named (`--input-format`), so a profile added to `logs::Format` is
//! fuzzed without a target of its own.
#![no_main]

mod common;

use clap::ValueEnum;
use handoff::logs::Format;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    common::read(data, Format::Document, "doc.json");
    for format in Format::value_variants().iter().filter(|f| f.is_json()) {
        common::read(data, *format, "doc.json");
        common::read(data, *format, "lines.jsonl");
    }
});

//! The WhatsApp export parser on any text, and the importer around it on any bytes.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let parsed =
        handoff::logs::whatsapp::parse(&text, &handoff::logs::whatsapp::Options::default());
    let lines = text.split('\n').count();
    assert!(
        parsed
            .entries
            .iter()
            .all(|e| e.line >= 1 && e.line <= lines)
    );
    common::read(data, handoff::logs::Format::Whatsapp, "chat.txt");
});

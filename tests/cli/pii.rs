//! Personal data in the real binary: what routes to the compliance lane and what `explain` masks.
//!
//! The bundled retail matrix sends any message with a card number to compliance (`card-data`,
//! `pii: [card]`). An iOS WhatsApp export names attachments after the time they were sent, and
//! about one such name in ten has a Luhn-valid run of 13–19 digits: only the stands-on-its-own
//! rule of SPEC section 2 keeps those out of the compliance queue, and keeps ids and tracking
//! codes readable in reports.

use crate::{Run, Scratch, root};

/// One JSONL record.
fn record(conversation: &str, n: u32, role: &str, text: &str) -> String {
    let line = serde_json::json!({
        "conversation_id": conversation,
        "message_id": format!("{conversation}-{n}"),
        "timestamp": format!("2026-10-05T08:14:{:02}Z", n * 2),
        "role": role,
        "text": text,
    });
    format!("{line}\n")
}

/// A conversation of one customer message and the bot's answer.
fn conversation(id: &str, text: &str) -> String {
    record(id, 1, "customer", text) + &record(id, 2, "bot", "Thanks, one moment.")
}

/// The outcome rows of a replay through the retail matrix: `(conversation, lane, trigger)`.
fn outcomes(log: &str) -> Vec<(String, String, String)> {
    let s = Scratch::new();
    let input = s.write("log.jsonl", log);
    let target = s.path().join("outcomes.csv");
    let matrix = root().join("rules/whatsapp-retail.yaml");
    Run::new([
        "replay".as_ref(),
        matrix.as_os_str(),
        input.as_os_str(),
        "--format".as_ref(),
        "json".as_ref(),
        "--outcomes".as_ref(),
        target.as_os_str(),
    ])
    .dir(s.path())
    .run()
    .code(0);
    let csv = std::fs::read_to_string(&target).expect("outcomes written");
    let mut lines = csv.lines();
    let header: Vec<&str> = lines.next().expect("a header").split(',').collect();
    let column = |name: &str| {
        header
            .iter()
            .position(|h| *h == name)
            .unwrap_or_else(|| panic!("no column {name} in {header:?}"))
    };
    let (id, lane, trigger) = (column("conversation_id"), column("lane"), column("trigger"));
    lines
        .map(|l| {
            let cells: Vec<&str> = l.split(',').collect();
            let cell = |i: usize| cells.get(i).copied().unwrap_or_default().to_owned();
            (cell(id), cell(lane), cell(trigger))
        })
        .collect()
}

#[test]
fn attachment_names_do_not_route_to_compliance_and_card_numbers_do() {
    let log = [
        // The name from the specification, and one sent a second later whose digits
        // `2025-01-15-22-41-04` are Luhn-valid: a card number but for the rule.
        conversation(
            "photo",
            "<attached: 00000042-PHOTO-2025-01-15-22-41-03.jpg>",
        ),
        conversation(
            "photo-luhn",
            "<attached: 00000043-PHOTO-2025-01-15-22-41-04.jpg>",
        ),
        conversation("android", "IMG-20250115-WA0003.jpg (file attached)"),
        conversation("card", "my card is 4111 1111 1111 1111, can you refund it?"),
        conversation("card-end", "charged twice on 4242-4242-4242-4242."),
    ]
    .concat();
    let rows = outcomes(&log);
    let lane = |id: &str| {
        rows.iter()
            .find(|(c, _, _)| c == id)
            .map(|(_, lane, trigger)| (lane.as_str(), trigger.as_str()))
            .unwrap_or_else(|| panic!("no outcome for {id}: {rows:?}"))
    };
    for id in ["photo", "photo-luhn", "android"] {
        assert_ne!(lane(id).0, "compliance", "{id}: {rows:?}");
    }
    for id in ["card", "card-end"] {
        assert_eq!(lane(id), ("compliance", "card-data"), "{id}: {rows:?}");
    }
}

#[test]
fn explain_masks_phones_and_cards_but_not_ids_or_tracking_codes() {
    let s = Scratch::new();
    let log = record(
        "wa-2026-10-000063",
        1,
        "customer",
        "parcel 1Z999AA10123456784 for order INV-2026-000123 never came, call me on +44 20 7946 0958",
    ) + &record(
        "wa-2026-10-000063",
        2,
        "bot",
        "Sorry to hear that. Shall I refund it?",
    ) + &record(
        "wa-2026-10-000063",
        3,
        "customer",
        "yes, to my card 4242 4242 4242 4242 please (see IMG-20250115-WA0003.jpg)",
    );
    let input = s.write("log.jsonl", log);
    let matrix = root().join("rules/whatsapp-retail.yaml");
    let explain = |extra: &[&str]| {
        let mut args = vec![
            "explain".to_owned(),
            matrix.display().to_string(),
            input.display().to_string(),
            "--quiet".to_owned(),
            "--conversation".to_owned(),
            "wa-2026-10-000063".to_owned(),
        ];
        args.extend(extra.iter().map(|a| (*a).to_owned()));
        Run::new(args).dir(s.path()).run().code(0).stdout
    };
    let masked = explain(&[]);
    for shown in [
        "1Z999AA10123456784",
        "INV-2026-000123",
        "wa-2026-10-000063",
        "IMG-20250115-WA0003.jpg",
        "call me on [phone]\"",
        "my card [card] please",
        "escalates to compliance by `card-data`",
    ] {
        assert!(masked.contains(shown), "{shown:?} not in:\n{masked}");
    }
    for hidden in ["7946", "4242", "[phone]-", "wa-[phone]", "1Z999AA[phone]"] {
        assert!(!masked.contains(hidden), "{hidden:?} in:\n{masked}");
    }
    let plain = explain(&["--no-redact"]);
    assert!(
        plain.contains("+44 20 7946 0958") && plain.contains("4242 4242 4242 4242"),
        "{plain}"
    );
}

#[test]
fn a_condition_that_matched_inside_a_card_number_does_not_unmask_it() {
    // `explain` marks what a regex matched «like this»; masking must see the whole number, not the
    // pieces on either side of the marks.
    let s = Scratch::new();
    let matrix = std::fs::read_to_string(root().join("tests/fixtures/replay/matrix.yaml"))
        .expect("fixture")
        .replace("keywords: [human] }", "regex: '1111 1111' }");
    s.write("m.yaml", matrix);
    s.write(
        "log.jsonl",
        record("c1", 1, "customer", "my card 4111 1111 1111 1111 ok"),
    );
    let out = Run::new([
        "explain",
        "m.yaml",
        "log.jsonl",
        "-q",
        "--conversation",
        "c1",
    ])
    .dir(s.path())
    .run()
    .code(0)
    .stdout;
    assert!(out.contains("my card «[card]» ok"), "{out}");
    assert!(!out.contains("1111"), "{out}");
}

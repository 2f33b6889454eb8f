//! Authors, system lines and the notices that are messages.

use super::*;
use crate::logs::whatsapp::tests::{one, p};

#[test]
fn notices_are_recognised_in_any_case_and_script() {
    assert!(is_notice("\u{200E}IMAGE OMITTED"));
    assert!(is_notice("\u{200E}\u{200E} <Attached: a.jpg> "));
    assert!(is_notice("\u{200E}x.jpg (DATEI ANGEHÄNGT)"));
    assert!(is_notice("\u{200E}Poll:\u{200E} lunch?"));
    // Text that is not ASCII is lowercased in full.
    assert!(is_notice("\u{200E}Foto_é.jpg OMITTED"));
    assert!(!is_notice("\u{200E}Foto_é.jpg"));
    assert!(is_notice("\u{200E}live location sHared"));
    assert!(!is_notice("\u{200E}Missed voice call"));
    assert!(!is_notice("\u{200E}omitted by the admin."));
}

#[test]
fn android_system_lines() {
    let text = "7/6/17, 19:25 - Messages and calls are end-to-end encrypted. No one outside of this chat, not even WhatsApp, can read or listen to them. Tap to learn more.\n\
                12/24/14, 17:08 - +12 345 578 created group \"Groupname\"\n\
                12/24/14, 17:08 - You were added\n\
                06/03/2017, 00:45 - You created group \"Test\"\nThis is another line";
    let parsed = p(text);
    assert_eq!(parsed.entries.len(), 4);
    for e in &parsed.entries {
        assert_eq!(e.kind, Kind::System);
        assert_eq!(e.author, None);
    }
    assert_eq!(
        parsed.entries[1].text,
        "+12 345 578 created group \"Groupname\""
    );
    assert_eq!(parsed.entries[2].text, "You were added");
    assert_eq!(
        parsed.entries[3].text,
        "You created group \"Test\"\nThis is another line"
    );
}

#[test]
fn ios_system_lines() {
    let text = "[14.08.24, 21:00:10] My Group: \u{200E}Messages and calls are end-to-end encrypted.\n\
                [14.08.24, 21:00:11] \u{200E}Boris added you\n\
                [14.08.24, 21:00:12] Boris: \u{200E}image omitted\n\
                [14.08.24, 21:00:13] Boris: \u{200E}This message was deleted.\n\
                [14.08.24, 21:00:14] Boris: \u{200E}<attached: 00000003-VIDEO.mp4>\n\
                [14.08.24, 21:00:15] Boris: \u{200E}Missed voice call\n\
                [14.08.24, 21:00:16] Boris: plain text\n\
                [14.08.24, 21:00:17] You were added";
    let parsed = p(text);
    let got: Vec<(Kind, Option<&str>, &str)> = parsed
        .entries
        .iter()
        .map(|e| (e.kind, e.author.as_deref(), &*e.text))
        .collect();
    assert_eq!(
        got,
        [
            (
                Kind::System,
                None,
                "Messages and calls are end-to-end encrypted."
            ),
            (Kind::System, None, "Boris added you"),
            (Kind::Message, Some("Boris"), "image omitted"),
            (Kind::Message, Some("Boris"), "This message was deleted."),
            (
                Kind::Message,
                Some("Boris"),
                "<attached: 00000003-VIDEO.mp4>"
            ),
            (Kind::System, None, "Missed voice call"),
            (Kind::Message, Some("Boris"), "plain text"),
            (Kind::System, None, "You were added"),
        ]
    );
}

#[test]
fn media_deleted_and_edited_are_messages() {
    let text = "1/15/25, 10:33 AM - Sarah: <Media omitted>\n\
                1/15/25, 10:34 AM - Sarah: sounds good <This message was edited>\n\
                1/15/25, 10:45 AM - John: This message was deleted\n\
                1/15/25, 10:46 AM - John: This message was deleted.\n\
                1/15/25, 10:47 AM - a: < attached: 00000042-PHOTO-2020-06-07-15-13-20.jpg >\n\
                1/15/25, 10:48 AM - a: IMG-20210428-WA0001.jpg (file attached)\n\
                1/15/25, 10:49 AM - a: 2015-08-04-PHOTO-00004762.jpg <\u{200E}attached>\n\
                1/15/25, 10:50 AM - a: \u{200E}4f2680f1db95a8454775cc2eefc95bfc.jpg (Datei angehängt)\nDir auch frohe Ostern.";
    let parsed = p(text);
    let texts: Vec<&str> = parsed.entries.iter().map(|e| &*e.text).collect();
    assert_eq!(
        texts,
        [
            "<Media omitted>",
            "sounds good <This message was edited>",
            "This message was deleted",
            "This message was deleted.",
            "< attached: 00000042-PHOTO-2020-06-07-15-13-20.jpg >",
            "IMG-20210428-WA0001.jpg (file attached)",
            "2015-08-04-PHOTO-00004762.jpg <attached>",
            "4f2680f1db95a8454775cc2eefc95bfc.jpg (Datei angehängt)\nDir auch frohe Ostern.",
        ]
    );
    assert!(parsed.entries.iter().all(|e| e.kind == Kind::Message));
}

#[test]
fn author_is_up_to_the_first_colon_space() {
    let e = one("06/10/20, 15:55 - John-John Doe: Lorem ipsum : dolor sit amet.");
    assert_eq!(e.author.as_deref(), Some("John-John Doe"));
    assert_eq!(e.text, "Lorem ipsum : dolor sit amet.");
    let e = one("06/10/20, 15:55 - Ana: see 10:30: ok");
    assert_eq!(e.author.as_deref(), Some("Ana"));
    assert_eq!(e.text, "see 10:30: ok");
    let e = one("[10.24.21, 15:21:43] John-John Doe: Testing dash - in message body");
    assert_eq!(e.text, "Testing dash - in message body");
}

#[test]
fn phone_and_emoji_authors() {
    assert_eq!(
        one("7/16/17, 19:13 - +12 345 578: Lorem ipsum.")
            .author
            .as_deref(),
        Some("+12 345 578")
    );
    assert_eq!(
        one("12/20/21, 12:10 - 🤓: Lorem ipsum 🤓")
            .author
            .as_deref(),
        Some("🤓")
    );
    assert_eq!(
        one("12/20/21, 12:10 - John Doe 🤓: x").author.as_deref(),
        Some("John Doe 🤓")
    );
    // Phone numbers keep U+2011 (as written); embeddings around them go.
    assert_eq!(
        one("[1/2/24, 10:00:00] \u{202A}+49 176\u{2011}1234\u{202C}: hi")
            .author
            .as_deref(),
        Some("+49 176\u{2011}1234")
    );
}

#[test]
fn tilde_prefix_is_not_part_of_the_name() {
    for prefix in ["~ ", "~\u{202F}", "~\u{A0}"] {
        let line = format!("[5.05.2017 18:07:53] {prefix}Dicle: Baba");
        let e = one(&line);
        assert_eq!(e.author.as_deref(), Some("Dicle"), "{prefix:?}");
    }
    assert_eq!(
        one("[5.05.2017 18:07:53] ~Dicle: x").author.as_deref(),
        Some("~Dicle")
    );
}

#[test]
fn empty_and_disappeared_texts() {
    let e = one("03/02/17, 18:42 - Luke: ");
    assert_eq!(
        (e.kind, e.author.as_deref(), &*e.text),
        (Kind::Message, Some("Luke"), "")
    );
    let e = one("03/02/17, 18:42 - Luke:");
    assert_eq!(
        (e.kind, e.author.as_deref(), &*e.text),
        (Kind::Message, Some("Luke"), "")
    );
    let e = one("12/24/19, 11:23 - John Doe:.");
    assert_eq!(
        (e.kind, e.author.as_deref(), &*e.text),
        (Kind::Message, Some("John Doe"), ".")
    );
}

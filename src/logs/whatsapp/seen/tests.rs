//! Authors are kept in the order met, bounded, and merge file by file into the same notes.

use super::*;

fn file(bots: &[&str], agents: &[&str], authors: &[&str]) -> Seen {
    let mut s = Seen::file(bots, agents);
    let mut hint = 0;
    for a in authors {
        if s.wants_authors() {
            s.author(a, &mut hint);
        }
        if let Some(k) = bots.iter().position(|b| b == a) {
            s.found(false, k);
        }
        if let Some(k) = agents.iter().position(|b| b == a) {
            s.found(true, k);
        }
    }
    s
}

#[test]
fn no_bot_named_is_one_note_with_the_authors() {
    let mut run = Seen::default();
    run.absorb(file(&[], &[], &["Ana", "Bob", "Ana"]));
    run.absorb(file(&[], &[], &["Bob", "Cy \"C\""]));
    let notes = run.notes();
    assert_eq!(notes.len(), 1, "{notes:?}");
    assert!(
        notes[0].contains("Authors seen: \"Ana\", \"Bob\", \"Cy \\\"C\\\"\". Name the bot"),
        "{}",
        notes[0]
    );
    assert!(Seen::default().notes().is_empty(), "no export, no note");
}

#[test]
fn a_configured_name_no_file_contains_is_named() {
    let (bots, agents) = (["Bot"], ["Ann", "Priya"]);
    let mut run = Seen::default();
    run.absorb(file(&bots, &agents, &["Bot", "Zed"]));
    run.absorb(file(&bots, &agents, &["Ann"]));
    assert_eq!(
        run.notes(),
        [
            "no WhatsApp export has a message by the agent \"Priya\" named in [import.whatsapp]. Authors seen: \"Bot\", \"Zed\", \"Ann\""
        ]
    );
    run.absorb(file(&bots, &agents, &["Priya"]));
    assert!(run.notes().is_empty());
}

#[test]
fn authors_are_bounded_and_merge_the_same_way_in_parts() {
    let names: Vec<String> = (0..50).map(|k| format!("p{k}")).collect();
    let refs: Vec<&str> = names.iter().map(String::as_str).collect();
    let mut whole = Seen::default();
    whole.absorb(file(&[], &[], &refs));
    let mut parts = Seen::default();
    for chunk in refs.chunks(7) {
        parts.absorb(file(&[], &[], chunk));
    }
    assert_eq!((whole.files, parts.files), (1, 8));
    parts.files = 1;
    assert_eq!(whole, parts);
    assert_eq!(whole.authors.len(), AUTHOR_CAP);
    assert!(
        whole.notes()[0].contains("\"p9\" and more than 22 more"),
        "{:?}",
        whole.notes()
    );
    let mut few = Seen::default();
    few.absorb(file(&[], &[], refs.get(..12).unwrap_or_default()));
    assert!(
        few.notes()[0].contains("\"p9\" and 2 more."),
        "{:?}",
        few.notes()
    );
}

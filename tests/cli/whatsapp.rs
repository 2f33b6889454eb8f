//! WhatsApp exports through `handoff convert`: the layouts of SPEC section 3 in fixtures written for
//! this project, and the real exports in `../shared/realdata/whatsapp`, read in place; and a folder
//! of exports replayed file by file on two threads.

use crate::convert::counts;
use crate::{Run, Scratch, root};

fn fixtures() -> std::path::PathBuf {
    root().join("tests/fixtures/whatsapp")
}

#[test]
fn every_layout_with_roles_from_the_config() {
    let mut names: Vec<String> = std::fs::read_dir(fixtures())
        .expect("fixtures")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".txt"))
        .collect();
    names.sort();
    assert_eq!(names.len(), 6);
    for name in names {
        let out = Run::new(["convert", "--config", "handoff.toml", &name])
            .dir(fixtures())
            .run()
            .code(0);
        let (records, messages, skipped, duplicates) = counts(&out.stderr);
        assert_eq!(
            (records, skipped, duplicates),
            (messages, 0, 0),
            "{name}: {}",
            out.stderr
        );
        insta::assert_snapshot!(
            format!("whatsapp_{}", name.trim_end_matches(".txt")),
            format!("{}\n{}", out.stderr, out.stdout)
        );
    }
}

#[test]
fn date_order_can_be_forced() {
    let s = crate::Scratch::new();
    s.write(
        "handoff.toml",
        "[import.whatsapp]\ndate_order = \"month_first\"\n",
    );
    let text = std::fs::read(fixtures().join("spanish-pm.txt")).expect("fixture");
    s.write("chat.txt", text);
    let out = Run::new(["convert", "chat.txt"])
        .dir(s.path())
        .run()
        .code(0);
    assert!(
        !out.stderr.contains("date_order to be sure"),
        "no date-order note when the order is configured: {}",
        out.stderr
    );
    assert!(
        out.stdout
            .contains("\"timestamp\":\"2026-02-10T19:15:00Z\""),
        "{}",
        out.stdout
    );
}

#[test]
fn a_bad_byte_skips_only_its_message() {
    let s = crate::Scratch::new();
    let mut bytes =
        b"12/10/26, 09:00 - Ana: first\n12/10/26, 09:01 - Ana: caf\xe9\nsecond line\n".to_vec();
    bytes.extend_from_slice(b"12/10/26, 09:02 - Ana: third\n");
    s.write("chat.txt", bytes);
    let out = Run::new(["convert", "chat.txt"])
        .dir(s.path())
        .run()
        .code(0);
    assert_eq!(counts(&out.stderr), (3, 2, 1, 0), "{}", out.stderr);
    assert!(
        out.stderr.contains("chat.txt:2: skipped (invalid UTF-8)"),
        "{}",
        out.stderr
    );
}

/// The real exports of `../shared/realdata/whatsapp`: every one converts, and every line is either
/// part of a message or a counted skip. (Their texts and timestamps are compared with the expected
/// outputs shipped beside them in the WhatsApp module's own tests.)
#[test]
fn real_exports_convert_and_balance() {
    let dir = root().join("../shared/realdata/whatsapp");
    if !dir.is_dir() {
        eprintln!(
            "skipped: {} is not here (it is beside the repository in CI)",
            dir.display()
        );
        return;
    }
    let mut txt = Vec::new();
    let mut stack = vec![dir];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("readable") {
            let p = e.expect("entry").path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "txt") {
                txt.push(p.to_string_lossy().into_owned());
            }
        }
    }
    assert!(txt.len() >= 14, "{txt:?}");
    let mut args = vec!["convert".to_owned()];
    args.extend(txt);
    let out = Run::new(args).run().code(0);
    let (records, messages, skipped, duplicates) = counts(&out.stderr);
    assert_eq!(records, messages + skipped + duplicates);
    assert!(messages > 100, "{}", out.stderr);
    assert_eq!(skipped, 0, "{}", out.stderr);
}

/// The report and the notices of `replay` over `logs`, with `threads`.
fn replay(dir: &std::path::Path, logs: &[&str], threads: &str) -> (String, String) {
    let mut args = vec!["replay", "--config", "handoff.toml", "-f", "json"];
    args.extend(["--threads", threads, "matrix.yaml"]);
    args.extend_from_slice(logs);
    let out = Run::new(args).dir(dir).run().code(0);
    (out.stdout, out.stderr)
}

#[test]
fn a_folder_of_exports_replays_the_same_file_by_file() {
    let s = Scratch::new();
    std::fs::copy(
        root().join("tests/fixtures/replay/matrix.yaml"),
        s.path().join("matrix.yaml"),
    )
    .expect("copy");
    std::fs::copy(
        fixtures().join("handoff.toml"),
        s.path().join("handoff.toml"),
    )
    .expect("copy");
    std::fs::create_dir_all(s.path().join("a/b")).expect("folders");
    for e in std::fs::read_dir(fixtures()).expect("fixtures") {
        let name = e.expect("entry").file_name().to_string_lossy().into_owned();
        if name.ends_with(".txt") {
            std::fs::copy(fixtures().join(&name), s.path().join("a").join(&name)).expect("copy");
        }
    }
    // A message that is skipped (invalid UTF-8) and one more export, so that skips and notes have
    // an order to keep.
    s.write(
        "a/zz-bad.txt",
        b"1/2/24, 10:00 - Ana: hi\n1/2/24, 10:01 - Ana: \xff\n".as_slice(),
    );
    let one = replay(s.path(), &["a"], "1");
    assert!(one.1.contains("skipped"), "{}", one.1);
    assert_eq!(
        replay(s.path(), &["a"], "2"),
        one,
        "file by file on two threads"
    );
    // Two exports with one name are one conversation: read by the one-reader path, same result.
    std::fs::copy(
        fixtures().join("us-android.txt"),
        s.path().join("a/b/us-android.txt"),
    )
    .expect("copy");
    let one = replay(s.path(), &["a"], "1");
    assert_eq!(replay(s.path(), &["a"], "2"), one, "a repeated name");
}

/// The `note:` lines of `stderr`.
/// The notes about reading, without the one about the matrix's lint warnings (replay's alone).
fn notes(stderr: &str) -> Vec<&str> {
    stderr
        .lines()
        .filter(|l| l.starts_with("note:") && !l.contains("handoff lint"))
        .collect()
}

/// Three exports in a folder, replayed with `config` on one thread and on two (file by file):
/// the stderr notes, the same both ways.
fn notes_both_ways(config: &str) -> String {
    let s = Scratch::new();
    std::fs::copy(
        root().join("tests/fixtures/replay/matrix.yaml"),
        s.path().join("matrix.yaml"),
    )
    .expect("copy");
    s.write("handoff.toml", config);
    std::fs::create_dir_all(s.path().join("a")).expect("folder");
    s.write(
        "a/1.txt",
        "13/10/24, 09:00 - Ana: hola\n13/10/24, 09:01 - Bot Koravi: hi\n",
    );
    s.write(
        "a/2.txt",
        "13/10/24, 10:00 - Bob: oi\n13/10/24, 10:01 - Bot Koravi: hi\n",
    );
    s.write(
        "a/3.txt",
        "[13/10/24, 11:00:00] ~ Cy: hallo\n[13/10/24, 11:01:00] Ana: ok\n",
    );
    let one = replay(s.path(), &["a"], "1");
    let two = replay(s.path(), &["a"], "2");
    assert_eq!(one, two, "file by file on two threads");
    let convert = Run::new(["convert", "--config", "handoff.toml", "a"])
        .dir(s.path())
        .run()
        .code(0);
    assert_eq!(
        notes(&convert.stderr),
        notes(&one.1),
        "convert says the same"
    );
    notes(&one.1).join("\n")
}

#[test]
fn no_bot_named_is_a_person_to_person_note_once_per_run() {
    let got = notes_both_ways("[import]\ntimezone = \"UTC\"\n");
    assert_eq!(
        got,
        "note: no bot is named in [import.whatsapp] bots, so the WhatsApp exports read as person-to-person chats: every author is the customer. Authors seen: \"Ana\", \"Bot Koravi\", \"Bob\", \"Cy\". Name the bot and the agents in handoff.toml: [import.whatsapp] bots = [\"…\"], agents = [\"…\"]"
    );
}

#[test]
fn a_configured_name_no_export_contains_is_a_note_once_per_run() {
    let got = notes_both_ways(
        "[import.whatsapp]\nbots = [\"Bot Koravi\", \"Koravi Bot\"]\nagents = [\"Cy\", \"Priya\"]\n",
    );
    assert_eq!(
        got,
        "note: no WhatsApp export has a message by the bot \"Koravi Bot\", the agent \"Priya\" named in [import.whatsapp]. Authors seen: \"Ana\", \"Bot Koravi\", \"Bob\", \"Cy\""
    );
    let quiet = notes_both_ways("[import.whatsapp]\nbots = [\"Bot Koravi\"]\nagents = [\"Cy\"]\n");
    assert_eq!(quiet, "", "every name is in some export: no note");
}

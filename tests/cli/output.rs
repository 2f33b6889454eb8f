//! `--output` and `--outcomes` as SPEC section 1 describes them: regular files replaced
//! atomically with the permissions `>` gives, everything else written through, links followed,
//! `-` for stdout, errors that name the path given, and outputs that are inputs refused.
//!
//! These tests never name a device of the machine: the character device they write through is
//! one they make themselves, inside their own temporary directory.

use std::os::unix::fs::{FileTypeExt, PermissionsExt};
use std::path::Path;
use std::process::Command;

use crate::{Run, Scratch};

fn replay_to(s: &Scratch, out: &str) -> crate::Output {
    Run::new(["replay", "matrix.yaml", "log.jsonl", "-q", "-o", out])
        .dir(s.path())
        .run()
}

fn mode(p: &Path) -> u32 {
    std::fs::metadata(p).expect("metadata").permissions().mode() & 0o7777
}

/// The files in a folder, to see that no temporary file is left behind.
fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("read_dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn a_symbolic_link_is_followed_and_stays_a_link() {
    let s = Scratch::with_replay_fixture();
    s.write("target.json", "old");
    std::os::unix::fs::symlink("target.json", s.path().join("link.json")).expect("symlink");
    replay_to(&s, "link.json").code(0);
    let link = std::fs::symlink_metadata(s.path().join("link.json")).expect("link");
    assert!(link.file_type().is_symlink(), "the link was replaced");
    let text = std::fs::read_to_string(s.path().join("target.json")).expect("target");
    assert!(text.contains("\"schema_version\": 1"), "{text}");
    // A link to a file that does not exist yet creates that file, as `>` does.
    std::os::unix::fs::symlink("later.json", s.path().join("dangling.json")).expect("symlink");
    replay_to(&s, "dangling.json").code(0);
    assert!(s.path().join("later.json").is_file());
    assert!(
        std::fs::symlink_metadata(s.path().join("dangling.json"))
            .expect("link")
            .file_type()
            .is_symlink()
    );
}

#[test]
fn a_fifo_is_written_through_not_replaced() {
    let s = Scratch::with_replay_fixture();
    let fifo = s.path().join("report.fifo");
    let made = Command::new("mkfifo").arg(&fifo).status().expect("mkfifo");
    assert!(made.success());
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read_to_string(fifo).expect("read the fifo"))
    };
    replay_to(&s, "report.fifo").code(0);
    let text = reader.join().expect("reader");
    assert!(text.contains("\"metrics\""), "{text}");
    let meta = std::fs::symlink_metadata(&fifo).expect("fifo");
    assert!(meta.file_type().is_fifo(), "the FIFO was replaced");
}

#[test]
fn a_character_device_is_written_through_not_replaced() {
    let s = Scratch::with_replay_fixture();
    // A null device of this test's own, beside the fixture: a regression replaces this node, not
    // the machine's /dev/null. Making one needs root; elsewhere there is nothing to test.
    let dev = s.path().join("null");
    let made = Command::new("mknod")
        .arg(&dev)
        .args(["c", "1", "3"])
        .status();
    if !made.is_ok_and(|st| st.success()) {
        eprintln!("mknod is not allowed here: the character device case is not run");
        return;
    }
    replay_to(&s, "null").code(0);
    let meta = std::fs::symlink_metadata(&dev).expect("device");
    assert!(meta.file_type().is_char_device(), "the device was replaced");
    assert_eq!(listing(s.path()), ["log.jsonl", "matrix.yaml", "null"]);
}

#[test]
fn new_files_get_the_umask_and_replaced_files_keep_their_mode() {
    let s = Scratch::with_replay_fixture();
    let run = |umask: &str, out: &str| {
        let st = Command::new("sh")
            .arg("-c")
            .arg(format!(
                "umask {umask}; exec \"$0\" replay matrix.yaml log.jsonl -q -o {out} --outcomes {out}.csv"
            ))
            .arg(env!("CARGO_BIN_EXE_handoff"))
            .current_dir(s.path())
            .status()
            .expect("sh");
        assert!(st.success());
    };
    run("022", "a.json");
    assert_eq!(mode(&s.path().join("a.json")), 0o644);
    assert_eq!(mode(&s.path().join("a.json.csv")), 0o644);
    run("027", "b.json");
    assert_eq!(mode(&s.path().join("b.json")), 0o640);
    std::fs::set_permissions(
        s.path().join("a.json"),
        std::fs::Permissions::from_mode(0o604),
    )
    .expect("chmod");
    run("077", "a.json");
    assert_eq!(
        mode(&s.path().join("a.json")),
        0o604,
        "the old mode is kept"
    );
    assert_eq!(mode(&s.path().join("a.json.csv")), 0o644);
}

#[test]
fn a_dash_is_stdout() {
    let s = Scratch::with_replay_fixture();
    let out = replay_to(&s, "-").code(0);
    assert_eq!(out.json()["schema_version"], 1);
    assert!(!s.path().join("-").exists(), "a file named - was created");
    let out = Run::new(["schema", "-o", "-"]).dir(s.path()).run().code(0);
    assert!(out.stdout.contains("\"$schema\""));
}

#[test]
fn errors_name_the_path_given_and_say_what_to_do() {
    let s = Scratch::with_replay_fixture();
    std::fs::create_dir(s.path().join("some")).expect("mkdir");
    let out = replay_to(&s, "nodir/x.json").code(2);
    assert!(
        out.stderr
            .contains("nodir/x.json: the folder nodir does not exist; create it first"),
        "{}",
        out.stderr
    );
    assert!(!out.stderr.contains(".handoff-"), "{}", out.stderr);
    replay_to(&s, "some/")
        .code(2)
        .stderr_has("some/: ends with `/`, which names a folder; give a file name");
    replay_to(&s, "some")
        .code(2)
        .stderr_has("some: is a directory; give a file name inside it");
    assert_eq!(listing(&s.path().join("some")), Vec::<String>::new());
    assert_eq!(listing(s.path()), ["log.jsonl", "matrix.yaml", "some"]);
}

#[test]
fn a_read_only_file_or_folder_is_refused_as_a_shell_would_refuse_it() {
    let s = Scratch::with_replay_fixture();
    s.write("locked.json", "old");
    std::fs::set_permissions(
        s.path().join("locked.json"),
        std::fs::Permissions::from_mode(0o444),
    )
    .expect("chmod");
    // Root may write a read-only file, and `>` would; any other user may not. Ask the shell.
    let shell_may = Command::new("sh")
        .arg("-c")
        .arg(": >> locked.json")
        .current_dir(s.path())
        .status()
        .expect("sh")
        .success();
    let out = replay_to(&s, "locked.json");
    let text = std::fs::read_to_string(s.path().join("locked.json")).expect("read");
    if shell_may {
        out.code(0);
        assert!(text.contains("schema_version"));
        assert_eq!(mode(&s.path().join("locked.json")), 0o444);
    } else {
        out.code(2)
            .stderr_has("locked.json: the file is read-only for this user");
        assert_eq!(text, "old");
    }
    let ro = s.path().join("ro");
    std::fs::create_dir(&ro).expect("mkdir");
    std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o555)).expect("chmod");
    let out = replay_to(&s, "ro/r.json");
    if std::fs::write(ro.join("probe"), "").is_ok() {
        std::fs::remove_file(ro.join("probe")).expect("rm");
        out.code(0);
    } else {
        out.code(2)
            .stderr_has("ro/r.json: cannot create a file in ro (");
    }
    std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    assert!(listing(&ro).iter().all(|n| !n.starts_with(".handoff-")));
}

#[test]
fn an_output_that_is_an_input_is_refused_before_anything_is_read() {
    let s = Scratch::with_replay_fixture();
    let log = std::fs::read(s.path().join("log.jsonl")).expect("log");
    Run::new(["convert", "log.jsonl", "-o", "log.jsonl"])
        .dir(s.path())
        .run()
        .code(2)
        .stderr_has("log.jsonl is also an input of this run; writing there would destroy it");
    std::os::unix::fs::symlink("log.jsonl", s.path().join("alias.jsonl")).expect("symlink");
    std::fs::create_dir(s.path().join("logs")).expect("mkdir");
    std::fs::copy(s.path().join("log.jsonl"), s.path().join("logs/b.jsonl")).expect("copy");
    let cases: [&[&str]; 6] = [
        &[
            "replay",
            "matrix.yaml",
            "log.jsonl",
            "--outcomes",
            "alias.jsonl",
        ],
        &["replay", "matrix.yaml", "log.jsonl", "-o", "matrix.yaml"],
        &["replay", "matrix.yaml", "logs", "-o", "logs/b.jsonl"],
        &[
            "diff",
            "matrix.yaml",
            "matrix.yaml",
            "logs",
            "-o",
            "logs/b.jsonl",
        ],
        &[
            "explain",
            "matrix.yaml",
            "log.jsonl",
            "--conversation",
            "c2",
            "-o",
            "alias.jsonl",
        ],
        &["lint", "matrix.yaml", "-o", "matrix.yaml"],
    ];
    for args in cases {
        let out = Run::new(args).dir(s.path()).run().code(2);
        assert!(
            out.stderr.contains("is also an input of this run"),
            "{args:?}: {}",
            out.stderr
        );
        // Refused before reading: no summary of records read.
        assert!(!out.stderr.contains("read "), "{args:?}: {}", out.stderr);
    }
    s.write("handoff.toml", "[import]\ntimezone = \"UTC\"\n");
    Run::new(["replay", "matrix.yaml", "log.jsonl", "-o", "handoff.toml"])
        .dir(s.path())
        .run()
        .code(2)
        .stderr_has("handoff.toml is also an input of this run");
    Run::new([
        "replay",
        "matrix.yaml",
        "log.jsonl",
        "-o",
        "r.json",
        "--outcomes",
        "./r.json",
    ])
    .dir(s.path())
    .run()
    .code(2)
    .stderr_has("name the same file; give each output a path of its own");
    assert_eq!(std::fs::read(s.path().join("log.jsonl")).expect("log"), log);
    assert_eq!(
        std::fs::read(s.path().join("logs/b.jsonl")).expect("log"),
        log
    );
}

#[test]
fn a_failed_run_leaves_the_old_report_and_no_temporary_file() {
    let s = Scratch::with_replay_fixture();
    s.write("r.json", "the old report");
    s.write("empty.jsonl", "");
    Run::new(["replay", "matrix.yaml", "empty.jsonl", "-o", "r.json"])
        .dir(s.path())
        .run()
        .code(2);
    assert_eq!(
        std::fs::read_to_string(s.path().join("r.json")).expect("r"),
        "the old report"
    );
    // A truncated gzip stops the run after reading part of it: still nothing written.
    s.write("cut.jsonl.gz", [0x1f, 0x8b, 0x08, 0x00, 0x00]);
    Run::new(["convert", "cut.jsonl.gz", "-o", "r.json"])
        .dir(s.path())
        .run()
        .code(2);
    assert_eq!(
        std::fs::read_to_string(s.path().join("r.json")).expect("r"),
        "the old report"
    );
    assert_eq!(
        listing(s.path()),
        [
            "cut.jsonl.gz",
            "empty.jsonl",
            "log.jsonl",
            "matrix.yaml",
            "r.json"
        ]
    );
}

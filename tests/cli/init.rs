//! `handoff init`, `handoff completions` and `handoff man`: the starter project lints clean with
//! `--deny-warnings`, its cases pass and its sample replays; init never overwrites a file; the
//! completions and the man page name every subcommand.

use crate::{Run, Scratch};

#[test]
fn the_starter_project_lints_clean_its_cases_pass_and_its_sample_replays() {
    let s = Scratch::new();
    let out = Run::new(["init", "project"]).dir(s.path()).run().code(0);
    assert!(out.stdout.contains("4 files written"), "{}", out.stdout);
    let dir = s.path().join("project");
    Run::new(["lint", "--deny-warnings"])
        .dir(&dir)
        .run()
        .code(0)
        .stdout_has("All checks passed (1 file).");
    let test = Run::new(["test", "rules/support.yaml"])
        .dir(&dir)
        .run()
        .code(0);
    assert!(
        test.stdout
            .lines()
            .last()
            .is_some_and(|l| l.ends_with(" passed, 0 failed")),
        "{}",
        test.stdout
    );
    let replay = Run::new(["replay", "--format", "json", "rules/support.yaml", "logs/"])
        .dir(&dir)
        .run()
        .code(0);
    let json = replay.json();
    assert_eq!(json["metrics"]["conversations"], 9);
    assert_eq!(json["metrics"]["misroute_rate"], 0.0);
    assert_eq!(
        json["uncovered"]["triggers"].as_array().map(Vec::len),
        Some(0)
    );
}

#[test]
fn init_never_overwrites_a_file() {
    let s = Scratch::new();
    s.write("handoff.toml", "# mine\n");
    let out = Run::new(["init"]).dir(s.path()).run().code(0);
    assert!(
        out.stdout.contains("kept  ./handoff.toml"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("3 files written"), "{}", out.stdout);
    assert_eq!(
        std::fs::read_to_string(s.path().join("handoff.toml")).expect("kept"),
        "# mine\n"
    );
    let again = Run::new(["init"]).dir(s.path()).run().code(0);
    assert!(again.stdout.contains("0 files written"), "{}", again.stdout);
}

#[test]
fn completions_and_man_page_name_every_subcommand() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let out = Run::new(["completions", shell]).run().code(0);
        for sub in ["lint", "replay", "test", "init", "completions"] {
            assert!(out.stdout.contains(sub), "{shell} completions lack {sub}");
        }
    }
    let bash = Run::new(["completions", "bash"]).run().code(0);
    assert!(
        bash.stdout.contains("--deny-warnings"),
        "options are completed"
    );
    let man = Run::new(["man"]).run().code(0);
    assert!(
        man.stdout.starts_with(".ie") || man.stdout.contains(".TH handoff 1"),
        "{}",
        &man.stdout[..200.min(man.stdout.len())]
    );
    for sub in ["lint", "replay", "init", "man"] {
        assert!(man.stdout.contains(sub), "the man page lacks {sub}");
    }
}

#[test]
fn the_threads_help_says_its_default_once() {
    let out = Run::new(["replay", "--help"]).run().code(0);
    let line = out
        .stdout
        .lines()
        .skip_while(|l| !l.contains("--threads"))
        .take(3)
        .collect::<Vec<_>>()
        .join(" ");
    assert!(line.contains("one per core"), "{line}");
    assert!(!line.contains("[default: 0]"), "{line}");
}

//! Integration tests: every test runs the real `handoff` binary through [`Run`].

mod cases;
mod convert;
mod diff;
mod explain;
mod fixture;
mod gates;
mod hostile;
mod init;
mod json;
mod lint;
mod logged;
mod merge;
mod no_input;
mod output;
mod pii;
mod profile_fixtures;
mod profiles;
mod profiles_p3;
mod progress;
mod replay;
mod rules;
mod samples;
mod schema;
mod spill;
mod whatsapp;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The repository root, for fixtures and `rules/`.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// One run of the binary: arguments, working directory, stdin and environment.
pub struct Run {
    cmd: Command,
    stdin: Option<Vec<u8>>,
}

/// What a run produced.
#[derive(Debug)]
pub struct Output {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn new<I, S>(args: I) -> Run
    where
        I: IntoIterator<Item = S>,
        S: AsRef<std::ffi::OsStr>,
    {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_handoff"));
        cmd.args(args)
            .current_dir(root())
            .env_remove("NO_COLOR")
            .env("COLUMNS", "100");
        Run { cmd, stdin: None }
    }

    pub fn dir(mut self, dir: impl AsRef<Path>) -> Run {
        self.cmd.current_dir(dir);
        self
    }

    pub fn env(mut self, key: &str, value: &str) -> Run {
        self.cmd.env(key, value);
        self
    }

    pub fn stdin(mut self, bytes: impl Into<Vec<u8>>) -> Run {
        self.stdin = Some(bytes.into());
        self
    }

    pub fn run(mut self) -> Output {
        self.cmd
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = self.cmd.spawn().expect("the handoff binary starts");
        if let Some(input) = self.stdin.take() {
            child
                .stdin
                .take()
                .expect("stdin is piped")
                .write_all(&input)
                .expect("stdin is written");
        }
        drop(child.stdin.take());
        let out = child
            .wait_with_output()
            .expect("the handoff binary finishes");
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        assert!(!stderr.contains("panicked"), "handoff panicked:\n{stderr}");
        Output {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr,
        }
    }
}

impl Output {
    pub fn code(self, expected: i32) -> Output {
        assert_eq!(
            self.code, expected,
            "exit status\nstdout:\n{}\nstderr:\n{}",
            self.stdout, self.stderr
        );
        self
    }

    /// Asserts that stderr contains `needle`.
    pub fn stderr_has(self, needle: &str) -> Output {
        assert!(
            self.stderr.contains(needle),
            "stderr lacks {needle:?}:\n{}",
            self.stderr
        );
        self
    }

    /// Asserts that stdout contains `needle`.
    pub fn stdout_has(self, needle: &str) -> Output {
        assert!(
            self.stdout.contains(needle),
            "stdout lacks {needle:?}:\n{}",
            self.stdout
        );
        self
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{}", self.stdout))
    }
}

/// A scratch directory with files written into it.
pub struct Scratch {
    pub dir: tempfile::TempDir,
}

impl Default for Scratch {
    fn default() -> Self {
        Scratch::new()
    }
}

impl Scratch {
    pub fn new() -> Scratch {
        Scratch {
            dir: tempfile::tempdir().expect("a temporary directory"),
        }
    }

    pub fn write(&self, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let path = self.dir.path().join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("parent directory");
        }
        std::fs::write(&path, bytes).expect("file written");
        path
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// A scratch directory holding the hand-worked replay fixture: `matrix.yaml` and `log.jsonl`
    /// of `tests/fixtures/replay`.
    pub fn with_replay_fixture() -> Scratch {
        let s = Scratch::new();
        for f in ["matrix.yaml", "log.jsonl"] {
            std::fs::copy(fixture::dir().join(f), s.path().join(f)).expect("fixture copied");
        }
        s
    }
}

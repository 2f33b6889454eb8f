//! The one error type of the program, and the exit status each error means.
//!
//! Exit statuses are public (SPEC section 1): 0 success, 1 findings or a failed gate (decided by
//! the commands, not errors), 2 could not run. Every error names the file, and where there is one
//! the line and column, and says what to do.

use crate::lint::Diagnostic;

/// One problem of a configuration file, where it is and what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigProblem {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("cannot read {path}: {source}")]
    Read {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot write {path}: {source}")]
    Write {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{0}")]
    Output(#[from] crate::output::OutputError),
    #[error("{0}")]
    Init(#[from] crate::init::InitError),
    #[error("{given}: no conversation to report: {read}; {hint}")]
    NothingRead {
        given: String,
        read: String,
        hint: String,
    },
    #[error("{path}: is a directory; name the matrix files in it (for example {}/*.yaml)", path.trim_end_matches('/'))]
    IsDirectory { path: String },
    #[error(
        "no matrix given, and neither handoff.toml names one nor is there a rules/*.yaml here; pass the matrix file: handoff lint rules/my-matrix.yaml"
    )]
    NoMatrix,
    /// `handoff.toml` has problems: every one, in the order of the file.
    #[error("{}", problems.iter().map(|p| format!("{path}:{}:{}: {}", p.line, p.column, p.message)).collect::<Vec<_>>().join("\n"))]
    Config {
        path: String,
        problems: Vec<ConfigProblem>,
    },
    #[error("{path} has errors; fix them (handoff lint {path}) before running it")]
    InvalidMatrix {
        path: String,
        diagnostics: Vec<Diagnostic>,
    },
    #[error("unknown lint check `{given}`{}; `handoff rules` lists them", suggestion.map(|s| format!(" (did you mean `{s}`?)")).unwrap_or_default())]
    UnknownCheck {
        given: String,
        suggestion: Option<&'static str>,
    },
    #[error("unknown metric `{given}`{}; `handoff metrics` lists them", suggestion.map(|s| format!(" (did you mean `{s}`?)")).unwrap_or_default())]
    UnknownMetric {
        given: String,
        suggestion: Option<&'static str>,
    },
    #[error(
        "{path}: cannot tell the log format from the file name; name it .jsonl, .json, .csv or .txt (WhatsApp), or pass --input-format"
    )]
    UnknownFormat { path: String },
    /// A `.json` file that is not JSON at all: where the parser stopped, and why.
    #[error(
        "{file}:{line}:{column}: not valid JSON: {detail}; a .json file holds one JSON document, or one per line"
    )]
    NotJson {
        file: String,
        line: usize,
        column: usize,
        detail: String,
    },
    /// A JSON document that does not fit the way it is read: where, and what was expected there.
    #[error(
        "{file}: at {at}: expected {expected}, found {found}; check the records path ([import.json] records) or --input-format"
    )]
    Document {
        file: String,
        at: String,
        expected: String,
        found: String,
    },
    /// A JSON document no profile recognises.
    #[error(
        "{file}: no profile recognises this document ({shape}); tried {tried}; pass --input-format NAME, or describe it in [import.json] of handoff.toml (docs/logs.md, \"JSON documents\")"
    )]
    Unrecognised {
        file: String,
        shape: String,
        tried: String,
    },
    #[error(
        "{file}:{line}: {reason}: {detail} (--strict stops at the first bad record; without it, such records are skipped and counted)"
    )]
    BadRecord {
        file: String,
        line: u64,
        reason: crate::logs::accounting::Reason,
        detail: String,
    },
    /// Spill files (records of open conversations past `--memory`, or the copy of stdin kept to
    /// read it again) could not be made, written or read back.
    #[error(
        "cannot use temporary files in {dir}: {source}; interleaved input holds its open conversations there past --memory: make room, or pass --temp-dir DIR (a directory with room) or a larger --memory"
    )]
    TempFiles {
        dir: String,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot read {path} to its end: {source} (is the file truncated or corrupt?)")]
    Truncated {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error(
        "no conversation `{id}` in the logs ({conversations} conversations read); `handoff convert` lists what the importers read"
    )]
    NoConversation { id: String, conversations: u64 },
    #[error("{path}:{line}:{column}: {message}")]
    Cases {
        path: String,
        line: u64,
        column: u64,
        message: String,
    },
    #[error("{problems} in {files}; no case was run")]
    InvalidCases { problems: String, files: String },
    #[error(
        "no cases given for {matrix}, and there is no {default}; pass the case files: handoff test {matrix} CASES.yaml"
    )]
    NoCases { matrix: String, default: String },
    #[error("{0}")]
    Gate(#[from] crate::metrics::gates::GateError),
    /// A partial report `merge` cannot use: unreadable, of another matrix or version, overlapping.
    #[error("{0}")]
    Partial(#[from] crate::metrics::partial::PartialError),
    #[error("internal error: {0}; please report it with the input that caused it")]
    Internal(String),
}

/// A file that could not be read says so in the words every other reader uses.
impl From<crate::source::ReadError> for Error {
    fn from(e: crate::source::ReadError) -> Self {
        match e {
            crate::source::ReadError::IsDirectory { path } => Error::IsDirectory { path },
            crate::source::ReadError::Io { path, source } => Error::Read { path, source },
        }
    }
}

impl Error {
    /// The exit status for this error.
    pub fn exit_code(&self) -> u8 {
        2
    }
}

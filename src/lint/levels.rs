//! Lint levels: which findings are reported, and how seriously.
//!
//! Three layers, later ones winning: a code's default severity; `[lint]` in `handoff.toml`; the
//! matrix's own `lint:` key. `--deny-warnings` is applied by the caller to the exit status, not
//! here, so reports still say "warning" for what is a warning. Error-level checks cannot be
//! allowed: a matrix with an error cannot be replayed, so hiding it would only move the failure.

use std::collections::BTreeMap;

use crate::lint::code::{Code, Severity};
use crate::matrix::raw::RawMatrix;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Allow,
    Warn,
    Deny,
}

#[derive(Debug, Clone, Default)]
pub struct Levels {
    set: BTreeMap<Code, Level>,
}

/// Why a level could not be set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LevelError {
    UnknownCode {
        given: String,
        suggestion: Option<&'static str>,
    },
    AllowError {
        code: Code,
    },
}

impl std::fmt::Display for LevelError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LevelError::UnknownCode { given, suggestion } => {
                write!(f, "`{given}` is not a lint code or name")?;
                if let Some(s) = suggestion {
                    write!(f, " (did you mean `{s}`?)")?;
                }
                write!(f, "; `handoff rules` lists them")
            }
            LevelError::AllowError { code } => write!(
                f,
                "{code} ({}) is an error and cannot be allowed or lowered: a matrix with errors cannot be replayed",
                code.name()
            ),
        }
    }
}

impl Levels {
    /// Sets a level by code or name.
    pub fn set(&mut self, given: &str, level: Level) -> Result<(), LevelError> {
        let Some(code) = Code::parse(given) else {
            let names = Code::ALL.iter().flat_map(|c| [c.as_str(), c.name()]);
            return Err(LevelError::UnknownCode {
                given: given.to_owned(),
                suggestion: crate::text::did_you_mean(given, names),
            });
        };
        if level != Level::Deny && code.default_severity() == Severity::Error {
            return Err(LevelError::AllowError { code });
        }
        self.set.insert(code, level);
        Ok(())
    }

    /// The severity of a code's findings, or `None` when they are allowed.
    pub fn severity(&self, code: Code) -> Option<Severity> {
        match self.set.get(&code) {
            Some(Level::Allow) => None,
            Some(Level::Deny) => Some(Severity::Error),
            Some(Level::Warn) => Some(Severity::Warning),
            None => Some(code.default_severity()),
        }
    }

    /// These levels with the file's `lint:` key applied on top. Invalid entries are skipped here;
    /// the schema check (E002) reports them.
    pub fn with_file(&self, raw: &RawMatrix) -> Levels {
        let mut out = self.clone();
        if let Some(l) = &raw.lint {
            for (list, level) in [
                (&l.value.allow, Level::Allow),
                (&l.value.warn, Level::Warn),
                (&l.value.deny, Level::Deny),
            ] {
                for item in list.iter().flat_map(|x| x.value.iter()) {
                    let _ = out.set(&item.value, level);
                }
            }
        }
        out
    }
}

//! `handoff.toml`: project defaults shared by every command.
//!
//! Read from `--config FILE`, else `./handoff.toml` when it exists. Unknown keys are errors with
//! the file, line and column, so a typo does not silently fall back to a default.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::Error;
use crate::lint::Levels;
use crate::lint::levels::Level;

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// The matrix `handoff lint` checks when given none.
    pub matrix: Option<PathBuf>,
    #[serde(default)]
    pub lint: LintConfig,
    /// Importer settings (SPEC section 3), read by the log readers.
    #[serde(default)]
    pub import: ImportConfig,
    /// Report gates (SPEC section 5), read by replay and diff.
    #[serde(default)]
    pub gates: GatesConfig,
    /// The directory the file was read from: relative paths in it are relative to it.
    #[serde(skip)]
    pub base: PathBuf,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LintConfig {
    #[serde(default)]
    pub allow: Vec<toml::Spanned<String>>,
    #[serde(default)]
    pub warn: Vec<toml::Spanned<String>>,
    #[serde(default)]
    pub deny: Vec<toml::Spanned<String>>,
}

/// `[gates]`: conditions that fail a replay.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GatesConfig {
    /// `metric op bound` conditions, as `--fail-if` takes them.
    #[serde(default)]
    pub fail_if: Vec<toml::Spanned<String>>,
    /// Gates on the change from BASE to NEW, as `diff --fail-if-delta` takes them.
    #[serde(default)]
    pub fail_if_delta: Vec<toml::Spanned<String>>,
    /// Whether a gate on a metric without data passes instead of failing.
    #[serde(default)]
    pub allow_null: bool,
}

impl Config {
    /// The gates of `[gates]` (checked when the file was read).
    pub fn gates(&self) -> Vec<crate::metrics::gates::Gate> {
        self.gates
            .fail_if
            .iter()
            .filter_map(|g| g.get_ref().parse().ok())
            .collect()
    }

    /// The delta gates of `[gates]` (checked when the file was read).
    pub fn delta_gates(&self) -> Vec<crate::metrics::gates::Gate> {
        self.gates
            .fail_if_delta
            .iter()
            .filter_map(|g| crate::metrics::gates::Gate::delta(g.get_ref()).ok())
            .collect()
    }
}

/// `[import]`: how exports are read.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImportConfig {
    /// The zone of timestamps written without an offset (an IANA name such as "Europe/Madrid").
    pub timezone: Option<toml::Spanned<String>>,
    #[serde(default)]
    pub csv: CsvConfig,
    #[serde(default)]
    pub whatsapp: WhatsappConfig,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CsvConfig {
    /// One character; `,` by default.
    pub delimiter: Option<toml::Spanned<String>>,
    /// Canonical field name (or `segment.<field>`) = the column that holds it.
    #[serde(default)]
    pub columns: std::collections::BTreeMap<toml::Spanned<String>, String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WhatsappConfig {
    /// Authors that are the business's bot.
    #[serde(default)]
    pub bots: Vec<String>,
    /// Authors that are the business's agents.
    #[serde(default)]
    pub agents: Vec<String>,
    /// `day_first`, `month_first` or `year_first`; inferred from each file when absent.
    pub date_order: Option<DateOrderName>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DateOrderName {
    DayFirst,
    MonthFirst,
    YearFirst,
}

impl Config {
    /// Loads `explicit`, or `./handoff.toml` when present, or the defaults.
    pub fn discover(explicit: Option<&Path>) -> Result<(Config, Option<PathBuf>), Error> {
        let path = match explicit {
            Some(p) => p.to_path_buf(),
            None => {
                let p = PathBuf::from("handoff.toml");
                if !p.is_file() {
                    return Ok((Config::default(), None));
                }
                p
            }
        };
        let text = std::fs::read_to_string(&path).map_err(|source| Error::Read {
            path: path.display().to_string(),
            source,
        })?;
        let mut config = Self::parse(&text, &path)?;
        config.base = path.parent().map(Path::to_path_buf).unwrap_or_default();
        Ok((config, Some(path)))
    }

    pub fn parse(text: &str, path: &Path) -> Result<Config, Error> {
        let at = |span: Option<std::ops::Range<usize>>, message: String| {
            let offset = span.map_or(0, |s| s.start).min(text.len());
            let before = &text[..offset];
            let line = before.matches('\n').count() + 1;
            let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            Error::Config {
                path: path.display().to_string(),
                line,
                column,
                message,
            }
        };
        let config: Config =
            toml::from_str(text).map_err(|e| at(e.span(), e.message().to_owned()))?;
        // Check the lint levels and import settings now, so a typo is reported against this file.
        config
            .levels()
            .map_err(|(span, message)| at(Some(span), message))?;
        if let Some(tz) = &config.import.timezone
            && jiff::tz::TimeZone::get(tz.get_ref()).is_err()
        {
            return Err(at(
                Some(tz.span()),
                format!(
                    "unknown time zone `{}`: use an IANA name such as \"Europe/Madrid\" or \"UTC\"",
                    tz.get_ref()
                ),
            ));
        }
        if let Some(d) = &config.import.csv.delimiter
            && (d.get_ref().chars().count() != 1 || !d.get_ref().is_ascii())
        {
            return Err(at(
                Some(d.span()),
                "the CSV delimiter must be one ASCII character, such as \",\" or \";\"".into(),
            ));
        }
        for g in config
            .gates
            .fail_if
            .iter()
            .chain(&config.gates.fail_if_delta)
        {
            if let Err(e) = g.get_ref().parse::<crate::metrics::gates::Gate>() {
                return Err(at(Some(g.span()), e.to_string()));
            }
        }
        for key in config.import.csv.columns.keys() {
            let name = key.get_ref();
            if crate::logs::fields::Field::canonical(name).is_none()
                && crate::logs::fields::segment_field(name).is_none()
            {
                let known: Vec<&str> = crate::logs::fields::Field::all_names().collect();
                let hint = crate::text::did_you_mean(name, known.iter().copied())
                    .map(|s| format!(" (did you mean `{s}`?)"))
                    .unwrap_or_default();
                return Err(at(
                    Some(key.span()),
                    format!(
                        "`{name}` is not a message field{hint}; use one of {} or segment.<field>",
                        known.join(", ")
                    ),
                ));
            }
        }
        Ok(config)
    }

    /// The lint levels of `[lint]`, for a configuration read through [`Config::discover`] or
    /// [`Config::parse`], which have already reported any entry that does not name a check.
    pub fn lint_levels(&self) -> Levels {
        self.levels().unwrap_or_default()
    }

    /// The lint levels of `[lint]`, or the first entry that does not name a check.
    pub fn levels(&self) -> Result<Levels, (std::ops::Range<usize>, String)> {
        let mut levels = Levels::default();
        for (list, level) in [
            (&self.lint.allow, Level::Allow),
            (&self.lint.warn, Level::Warn),
            (&self.lint.deny, Level::Deny),
        ] {
            for item in list {
                levels
                    .set(item.get_ref(), level)
                    .map_err(|e| (item.span(), e.to_string()))?;
            }
        }
        Ok(levels)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_keys_and_codes_are_located() {
        let e = Config::parse(
            "matrix = \"x\"\n[lint]\nallow = [\"W999\"]\n",
            Path::new("h.toml"),
        )
        .expect_err("bad code");
        assert!(e.to_string().starts_with("h.toml:3:10:"), "{e}");
        let e = Config::parse("matrx = 1\n", Path::new("h.toml")).expect_err("bad key");
        assert!(e.to_string().starts_with("h.toml:1:1:"), "{e}");
    }
}

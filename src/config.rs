//! `handoff.toml`: project defaults shared by every command, validated once.
//!
//! Read from `--config FILE`, else `./handoff.toml` when it exists. The file is parsed into a raw
//! form that keeps the span of every value the checks look at, then validated into a [`Config`]
//! in one pass that reports every problem with file, line and column (as cargo-deny does), not
//! only the first one: a CI job learns all it must fix in one run. Unknown keys are errors, so a
//! typo does not silently fall back to a default. Later code takes the typed `Config` and never
//! reads the file again or falls back.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

use jiff::tz::TimeZone;
use serde::Deserialize;
use toml::Spanned;

use crate::error::{ConfigProblem, Error};
use crate::lint::Levels;
use crate::lint::levels::Level;
use crate::logs::ImportSettings;
use crate::logs::whatsapp::DateOrder;
use crate::metrics::gates::Gate;

/// The validated project settings.
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// The file read, if any: an input no output may replace.
    pub path: Option<PathBuf>,
    /// The directory the file was read from: relative paths in it are relative to it.
    pub base: PathBuf,
    /// The matrix `handoff lint` checks when given none (as written, relative to `base`).
    pub matrix: Option<PathBuf>,
    /// `[lint]`: the levels of the checks.
    pub levels: Levels,
    /// `[import]`: how exports are read (SPEC section 3).
    pub import: ImportSettings,
    /// `[gates]`: conditions that fail a replay or a diff (SPEC section 5.6).
    pub gates: Gates,
}

/// `[gates]`, read.
#[derive(Debug, Clone, Default)]
pub struct Gates {
    /// `fail_if`: gates on a report's metrics, as `--fail-if` takes them.
    pub fail_if: Vec<Gate>,
    /// `fail_if_delta`: gates on the change from BASE to NEW, as `diff --fail-if-delta` takes them.
    pub fail_if_delta: Vec<Gate>,
    /// `allow_null`: a gate on a metric without data passes instead of failing.
    pub allow_null: bool,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    matrix: Option<PathBuf>,
    #[serde(default)]
    lint: RawLint,
    #[serde(default)]
    import: RawImport,
    #[serde(default)]
    gates: RawGates,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLint {
    #[serde(default)]
    allow: Vec<Spanned<String>>,
    #[serde(default)]
    warn: Vec<Spanned<String>>,
    #[serde(default)]
    deny: Vec<Spanned<String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawGates {
    #[serde(default)]
    fail_if: Vec<Spanned<String>>,
    #[serde(default)]
    fail_if_delta: Vec<Spanned<String>>,
    #[serde(default)]
    allow_null: bool,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawImport {
    /// The zone of timestamps written without an offset (an IANA name such as "Europe/Madrid").
    timezone: Option<Spanned<String>>,
    #[serde(default)]
    csv: RawCsv,
    #[serde(default)]
    whatsapp: RawWhatsapp,
    /// How every input is read: a reader or profile name, as `--input-format` takes it.
    format: Option<Spanned<String>>,
    /// `[import.json]`: `records = "PATH"` and `FIELD = "PATH"` (or a list of alternatives).
    #[serde(default)]
    json: BTreeMap<Spanned<String>, Spanned<RawPath>>,
    /// `[import.values.FIELD]`: raw value = canonical value.
    #[serde(default)]
    values: BTreeMap<Spanned<String>, BTreeMap<String, String>>,
    /// `[import.lanes]`: a platform's team, queue or agent id = the lane it stands for.
    #[serde(default)]
    lanes: BTreeMap<String, String>,
    #[serde(default)]
    cloudapi: RawCloudapi,
    #[serde(default)]
    rasa: RawRasa,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCloudapi {
    /// Silence after which the customer's next message starts a new conversation ("24h").
    idle_gap: Option<Spanned<String>>,
    /// Senders of the business's logged messages that are its bot.
    #[serde(default)]
    bots: Vec<String>,
    /// Senders of the business's logged messages that are people.
    #[serde(default)]
    agents: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRasa {
    /// Action and intent names that mark the handoff.
    handoff: Option<Vec<String>>,
}

/// A path of `[import.json]`: one, or alternatives tried in order.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
enum RawPath {
    One(String),
    Many(Vec<String>),
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCsv {
    /// One character; `,` by default.
    delimiter: Option<Spanned<String>>,
    /// Canonical field name (or `segment.<field>`) = the column that holds it.
    #[serde(default)]
    columns: BTreeMap<Spanned<String>, String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawWhatsapp {
    /// Authors that are the business's bot.
    #[serde(default)]
    bots: Vec<String>,
    /// Authors that are the business's agents.
    #[serde(default)]
    agents: Vec<String>,
    /// `day_first`, `month_first` or `year_first`; inferred from each file when absent.
    date_order: Option<DateOrderName>,
}

/// `date_order` as written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
enum DateOrderName {
    #[serde(rename = "day_first")]
    Day,
    #[serde(rename = "month_first")]
    Month,
    #[serde(rename = "year_first")]
    Year,
}

/// The problems found so far: where each is, and what to do about it.
#[derive(Default)]
struct Problems(Vec<(Range<usize>, String)>);

impl Problems {
    fn add(&mut self, span: Range<usize>, message: String) {
        self.0.push((span, message));
    }
}

impl Config {
    /// Loads `explicit`, or `./handoff.toml` when present, or the defaults.
    pub fn discover(explicit: Option<&Path>) -> Result<Config, Error> {
        let path = match explicit {
            Some(p) => p.to_path_buf(),
            None => {
                let p = PathBuf::from("handoff.toml");
                if !p.is_file() {
                    return Ok(Config::default());
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
        config.path = Some(path);
        Ok(config)
    }

    /// Parses and validates the text of `path`, reporting every problem at once.
    pub fn parse(text: &str, path: &Path) -> Result<Config, Error> {
        let raw: Raw = toml::from_str(text).map_err(|e| {
            let span = e.span().unwrap_or(0..0);
            located(text, path, vec![(span, e.message().to_owned())])
        })?;
        let mut problems = Problems::default();
        let config = Config {
            path: None,
            base: PathBuf::new(),
            levels: levels(&raw.lint, &mut problems),
            import: import(&raw.import, &mut problems),
            gates: gates(&raw.gates, &mut problems),
            matrix: raw.matrix,
        };
        if problems.0.is_empty() {
            Ok(config)
        } else {
            Err(located(text, path, problems.0))
        }
    }
}

/// Turns byte spans into lines and columns, in the order of the file.
fn located(text: &str, path: &Path, mut found: Vec<(Range<usize>, String)>) -> Error {
    found.sort_by_key(|(span, _)| span.start);
    let problems = found
        .into_iter()
        .map(|(span, message)| {
            let offset = span.start.min(text.len());
            let before = text.get(..offset).unwrap_or("");
            ConfigProblem {
                line: before.matches('\n').count() + 1,
                column: before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1,
                message,
            }
        })
        .collect();
    Error::Config {
        path: path.display().to_string(),
        problems,
    }
}

/// `[lint]`: every entry must name a check.
fn levels(raw: &RawLint, problems: &mut Problems) -> Levels {
    let mut levels = Levels::default();
    for (list, level) in [
        (&raw.allow, Level::Allow),
        (&raw.warn, Level::Warn),
        (&raw.deny, Level::Deny),
    ] {
        for item in list {
            if let Err(e) = levels.set(item.get_ref(), level) {
                problems.add(item.span(), e.to_string());
            }
        }
    }
    levels
}

/// `[gates]`: every gate must read as `metric op bound`.
fn gates(raw: &RawGates, problems: &mut Problems) -> Gates {
    let mut read = |list: &[Spanned<String>], parse: fn(&str) -> Result<Gate, _>| {
        let mut gates = Vec::with_capacity(list.len());
        for g in list {
            match parse(g.get_ref()) {
                Ok(gate) => gates.push(gate),
                Err(e) => problems.add(g.span(), format!("{e}")),
            }
        }
        gates
    };
    let fail_if = read(&raw.fail_if, |s| s.parse::<Gate>());
    let fail_if_delta = read(&raw.fail_if_delta, Gate::delta);
    Gates {
        fail_if,
        fail_if_delta,
        allow_null: raw.allow_null,
    }
}

/// `[import]`: a time zone the database knows, a one-byte delimiter, columns for known fields.
fn import(raw: &RawImport, problems: &mut Problems) -> ImportSettings {
    let mut settings = ImportSettings::default();
    if let Some(tz) = &raw.timezone {
        match TimeZone::get(tz.get_ref()) {
            Ok(zone) => settings.zone = zone,
            Err(_) => problems.add(
                tz.span(),
                format!(
                    "unknown time zone `{}`: use an IANA name such as \"Europe/Madrid\" or \"UTC\"",
                    tz.get_ref()
                ),
            ),
        }
    }
    if let Some(d) = &raw.csv.delimiter {
        match d.get_ref().as_bytes() {
            [b] if b.is_ascii() => settings.csv_delimiter = *b,
            _ => problems.add(
                d.span(),
                "the CSV delimiter must be one ASCII character, such as \",\" or \";\"".into(),
            ),
        }
    }
    for (key, column) in &raw.csv.columns {
        match column_problem(key.get_ref()) {
            Some(message) => problems.add(key.span(), message),
            None => {
                settings
                    .csv_columns
                    .insert(key.get_ref().clone(), column.clone());
            }
        }
    }
    if let Some(f) = &raw.format {
        match input_format(f.get_ref()) {
            Ok(format) => settings.format = Some(format),
            Err(message) => problems.add(f.span(), message),
        }
    }
    settings.json = json_paths(&raw.json, problems);
    settings.values = value_maps(&raw.values, problems);
    for (from, lane) in &raw.lanes {
        settings
            .values
            .insert(crate::logs::fields::Field::Lane, from, lane);
    }
    settings.cloudapi.bots.clone_from(&raw.cloudapi.bots);
    settings.cloudapi.agents.clone_from(&raw.cloudapi.agents);
    if let Some(gap) = &raw.cloudapi.idle_gap {
        match crate::matrix::duration::parse(gap.get_ref()) {
            Ok(s) if s > 0 => {
                settings.cloudapi.idle_gap_ms =
                    i64::try_from(s.saturating_mul(1000)).unwrap_or(i64::MAX);
            }
            _ => problems.add(
                gap.span(),
                "the idle gap must be a duration such as \"24h\" or \"30m\", longer than zero"
                    .into(),
            ),
        }
    }
    settings.rasa_handoff.clone_from(&raw.rasa.handoff);
    settings.bots.clone_from(&raw.whatsapp.bots);
    settings.agents.clone_from(&raw.whatsapp.agents);
    settings.date_order = raw.whatsapp.date_order.map(|d| match d {
        DateOrderName::Day => DateOrder::DayFirst,
        DateOrderName::Month => DateOrder::MonthFirst,
        DateOrderName::Year => DateOrder::YearFirst,
    });
    settings
}

/// `[import] format`: a name `--input-format` takes.
fn input_format(name: &str) -> Result<crate::logs::Format, String> {
    use clap::ValueEnum;
    if let Ok(f) = crate::logs::Format::from_str(name, false) {
        return Ok(f);
    }
    let names: Vec<String> = crate::logs::Format::value_variants()
        .iter()
        .filter_map(|f| f.to_possible_value().map(|v| v.get_name().to_owned()))
        .collect();
    let hint = crate::text::did_you_mean(name, names.iter().map(String::as_str))
        .map(|s| format!(" (did you mean `{s}`?)"))
        .unwrap_or_default();
    Err(format!(
        "unknown input format `{name}`{hint}; use one of {}",
        names.join(", ")
    ))
}

/// `[import.json]`: `records` and field paths, each one that parses (a field path iterates
/// nothing; `records` may).
fn json_paths(
    raw: &BTreeMap<Spanned<String>, Spanned<RawPath>>,
    problems: &mut Problems,
) -> crate::logs::json::JsonSettings {
    use crate::logs::json::{JsonSettings, Target, path::Path};
    let mut settings = JsonSettings::default();
    for (key, value) in raw {
        let texts = match value.get_ref() {
            RawPath::One(p) => vec![p.clone()],
            RawPath::Many(ps) => ps.clone(),
        };
        let mut paths = Vec::with_capacity(texts.len());
        for text in &texts {
            match Path::parse(text) {
                Ok(p) if key.get_ref() != "records" && (p.iterates()) => problems.add(
                    value.span(),
                    format!(
                        "the path of `{}` must name one value, without `[]`: `{text}`",
                        key.get_ref()
                    ),
                ),
                Ok(p) if key.get_ref() == "records" && p.up > 0 => problems.add(
                    value.span(),
                    "the records path starts at the document; `$parent` belongs in field paths"
                        .into(),
                ),
                Ok(p) => paths.push(p),
                Err(e) => problems.add(value.span(), e.to_string()),
            }
        }
        if key.get_ref() == "records" {
            match paths.as_slice() {
                [p] => settings.records = Some(p.clone()),
                [] => {}
                _ => problems.add(value.span(), "`records` takes one path".into()),
            }
            continue;
        }
        match Target::parse(key.get_ref()) {
            Some(target) => settings.fields.push((target, paths)),
            None => problems.add(
                key.span(),
                column_problem(key.get_ref())
                    .unwrap_or_default()
                    .replace("or segment.<field>", "segment.<field> or records"),
            ),
        }
    }
    settings
}

/// `[import.values.FIELD]`: FIELD must be a canonical field.
fn value_maps(
    raw: &BTreeMap<Spanned<String>, BTreeMap<String, String>>,
    problems: &mut Problems,
) -> crate::logs::json::values::ValueMaps {
    use crate::logs::fields::Field;
    let mut maps = crate::logs::json::values::ValueMaps::default();
    for (field, map) in raw {
        let Some(f) = Field::canonical(field.get_ref()) else {
            let known: Vec<&str> = Field::all_names().collect();
            let hint = crate::text::did_you_mean(field.get_ref(), known.iter().copied())
                .map(|s| format!(" (did you mean `{s}`?)"))
                .unwrap_or_default();
            problems.add(
                field.span(),
                format!(
                    "[import.values.{}]: `{}` is not a message field{hint}; use one of {}",
                    field.get_ref(),
                    field.get_ref(),
                    known.join(", ")
                ),
            );
            continue;
        };
        for (from, to) in map {
            maps.insert(f, from, to);
        }
    }
    maps
}

/// Why `name` cannot be a key of `[import.csv.columns]`, if it cannot.
fn column_problem(name: &str) -> Option<String> {
    use crate::logs::fields::{Field, segment_field};
    if Field::canonical(name).is_some() || segment_field(name).is_some() {
        return None;
    }
    let known: Vec<&str> = Field::all_names().collect();
    let hint = crate::text::did_you_mean(name, known.iter().copied())
        .map(|s| format!(" (did you mean `{s}`?)"))
        .unwrap_or_default();
    Some(format!(
        "`{name}` is not a message field{hint}; use one of {} or segment.<field>",
        known.join(", ")
    ))
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

    #[test]
    fn every_problem_is_reported_in_one_run() {
        let text = "[lint]\nallow = [\"W999\"]\n[import]\ntimezone = \"Mars/Olympus\"\n[import.csv]\ndelimiter = \";;\"\n[import.csv.columns]\ntexto = \"body\"\n[gates]\nfail_if = [\"bot_trap > 1\"]\n";
        let e = Config::parse(text, Path::new("h.toml")).expect_err("five problems");
        let shown = e.to_string();
        let lines: Vec<&str> = shown.lines().collect();
        assert_eq!(lines.len(), 5, "{shown}");
        for (line, at) in lines.iter().zip([
            "h.toml:2:10:",
            "h.toml:4:12:",
            "h.toml:6:13:",
            "h.toml:8:1:",
            "h.toml:10:12:",
        ]) {
            assert!(line.starts_with(at), "{line} should start with {at}");
        }
        assert!(shown.contains("did you mean `text`?"), "{shown}");
    }

    #[test]
    fn json_paths_value_maps_and_the_format_are_validated() {
        let text = "[import]\nformat = \"jsno\"\n[import.json]\nrecords = \"data.messages[]\"\nrole = \"author.type[]\"\nrol = \"x\"\ntext = [\"a\", \"b[\"]\n[import.values.roles]\nEndUser = \"customer\"\n";
        let e = Config::parse(text, Path::new("h.toml")).expect_err("problems");
        let shown = e.to_string();
        let lines: Vec<&str> = shown.lines().collect();
        assert_eq!(lines.len(), 5, "{shown}");
        assert!(
            lines[0].starts_with("h.toml:2:10: unknown input format `jsno` (did you mean `json`?)"),
            "{shown}"
        );
        assert!(
            lines[1].starts_with("h.toml:5:8: the path of `role` must name one value"),
            "{shown}"
        );
        assert!(lines[2].contains("did you mean `role`?"), "{shown}");
        assert!(lines[3].starts_with("h.toml:7:8:"), "{shown}");
        assert!(
            lines[4].starts_with("h.toml:8:16:") && lines[4].contains("did you mean `role`?"),
            "{shown}"
        );
        let good = "[import]\nformat = \"json\"\n[import.json]\nrecords = \"[].delexed[]\"\nconversation_id = \"$parent.convo_id\"\nrole = [\"speaker\", \"who\"]\n[import.values.role]\naction = \"system\"\n";
        let c = Config::parse(good, Path::new("h.toml")).expect("valid");
        assert_eq!(c.import.format, Some(crate::logs::Format::Json));
        assert_eq!(c.import.json.fields.len(), 2);
        assert_eq!(
            c.import
                .values
                .get(crate::logs::fields::Field::Role, "action"),
            Some("system")
        );
    }

    #[test]
    fn a_valid_file_becomes_typed_settings() {
        let text = "[import]\ntimezone = \"Europe/Madrid\"\n[import.csv]\ndelimiter = \";\"\n[import.whatsapp]\ndate_order = \"month_first\"\n[gates]\nfail_if = [\"bot_trap_rate > 0.02\"]\nfail_if_delta = [\"escalation_rate > 0.01\"]\nallow_null = true\n";
        let c = Config::parse(text, Path::new("h.toml")).expect("valid");
        assert_eq!(c.import.csv_delimiter, b';');
        assert_eq!(c.import.zone, TimeZone::get("Europe/Madrid").expect("zone"));
        assert_eq!(c.import.date_order, Some(DateOrder::MonthFirst));
        assert_eq!(c.gates.fail_if.len(), 1);
        assert_eq!(
            c.gates.fail_if_delta[0].on,
            crate::metrics::gates::On::Delta
        );
        assert!(c.gates.allow_null);
    }
}

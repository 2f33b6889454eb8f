//! Platform profiles: how each platform's documented export layout maps onto message records.
//!
//! A profile is a mapping over the shared JSON machinery of [`crate::logs::json`], not a parser:
//! a [`Profile`] supplies where a document's records are (recognised from its shape), a field path
//! per canonical field, value maps, and a classifier that tells messages from the other elements
//! of its records path (delivery statuses, actions), which are counted as non-messages, and
//! functions that compose the fields no single path holds ([`Profile::compose`]). To add
//! one (`cloudapi`, `intercom`, …): write `profiles/<name>.rs` with a `pub const PROFILE`, add a
//! variant to [`crate::logs::Format`] (its `--input-format` name), list the profile in
//! [`PROFILES`] (recognition tries them in that order) and in [`of`]; test it on the real samples
//! where `realdata/` has them. A platform that also exports CSV gives a [`Table`] (its
//! [`Profile::table`]): its rows are then read as objects of the header's names, through the same
//! mapping.
//! A records path of the form `A > B` reads the elements of `A` and, right after each, the
//! elements of `B` inside it (a turn, then its response messages). What a few platforms need
//! beyond that is in their [`Hooks`]: keys holding JSON text (Twilio), values the file's name gives
//! (the ticket of a Zendesk page), value maps from `handoff.toml` (Cloud API senders, Rasa handoff
//! actions), and the idle gap that splits a customer's conversations (Cloud API).
//!
//! [`read`] reads one JSON input: a document in memory, or JSONL of nested objects a line at a
//! time. The profile is the one named (`--input-format`, `[import] format`), else recognised from
//! the document (a note on stderr says which and why), else the `json` profile when
//! `[import.json]` is configured or the records carry the canonical fields; otherwise the run stops
//! saying what the document looks like and which profiles were tried. [`read_csv`] reads a CSV
//! input: as canonical CSV, unless its header lacks the `conversation_id` and `role` columns and
//! has the columns a profile's [`Table::header`] names (Salesforce's `ConversationId` and
//! `ActorType`), when it is read through that profile, with a note saying which and why.

pub mod cloudapi;
pub mod dialogflow_cx;
pub mod freshchat;
pub mod intercom;
pub mod rasa;
pub mod salesforce;
pub mod twilio;
pub mod zendesk;

use std::io::BufRead;

use crate::error::Error;
use crate::logs::csv;
use crate::logs::fields::Field;
use crate::logs::input::{Format, Input, Lines};
use crate::logs::json::doc::{self, Value, ValueRef};
use crate::logs::json::path::{self, Path};
use crate::logs::json::values::ValueMaps;
use crate::logs::json::{self, Classify, Compose, Mapping, Target};
use crate::logs::{Context, Emit, ImportSettings};

/// A platform's layout, as data.
#[derive(Debug)]
pub struct Profile {
    /// The `--input-format` name.
    pub name: &'static str,
    /// What it reads, for notes: "a Rasa tracker store dump".
    pub about: &'static str,
    /// Where a document of this platform has its records, and why it looks like one; `None` when
    /// the document is not of this platform.
    pub shape: fn(&Value) -> Option<Shape>,
    /// The layout the shape test expects, for the error when a named profile does not fit.
    pub expects: &'static str,
    /// Canonical field (or `segment.<field>`) → paths, tried in order (the first present wins).
    pub fields: &'static [(&'static str, &'static [&'static str])],
    /// Value maps, per canonical field: raw value → canonical value (`"*"`: any other value).
    pub values: &'static [(Field, &'static [(&'static str, &'static str)])],
    pub classify: Classify,
    /// Fields composed from the record where no single path holds them (a text with notices of
    /// media, a timestamp from two columns); a composed value wins over the field's paths.
    pub compose: &'static [(Field, Compose)],
    /// How the platform's CSV export is read, if it has one.
    pub table: Option<&'static Table>,
    /// What the profile needs beyond its fields and values, which most need none of.
    pub hooks: Hooks,
}

/// The values a document (and the name of its input) gives every one of its records.
pub type Given = fn(&Value, &str) -> Vec<(Field, String)>;

/// A profile's needs beyond its fields and values.
#[derive(Debug)]
pub struct Hooks {
    /// Keys whose string values the platform fills with JSON text (Twilio's `attributes`).
    pub json_text: &'static [&'static str],
    /// Values a document's records take from outside it: where the file was saved (its name, as
    /// the run names the input) says what the document does not (a Zendesk ticket's id).
    pub given: Option<Given>,
    /// Value maps from the profile's settings in `handoff.toml` (sender names, handoff actions).
    pub settings: Option<fn(&ImportSettings, &mut ValueMaps)>,
    /// The idle gap, in milliseconds, after which a customer's next message starts a new
    /// conversation, for a platform whose conversation is a customer over time (a WhatsApp number).
    pub idle_gap: Option<fn(&ImportSettings) -> i64>,
}

impl Hooks {
    pub const NONE: Hooks = Hooks {
        json_text: &[],
        given: None,
        settings: None,
        idle_gap: None,
    };
}

/// Where a document's records are, and why the profile fits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shape {
    pub records: &'static str,
    pub why: &'static str,
}

/// How a profile reads the platform's CSV export: each row an object of the header's names.
#[derive(Debug)]
pub struct Table {
    /// The records path from a row (`""`: the row itself; `" > a.b[]"`: and the records in it).
    pub records: &'static str,
    /// The columns whose cells hold JSON.
    pub json_columns: &'static [&'static str],
    /// The columns that tell the export from other CSV: a header that has them all, and not the
    /// canonical `conversation_id` and `role`, is read through this profile unasked.
    pub header: &'static [&'static str],
    /// The export's documented columns (`header` among them): a header's name that is one of
    /// them but for ASCII case is read under the documented spelling (Salesforce's Data Loader
    /// writes field names in capitals).
    pub columns: &'static [&'static str],
}

impl Table {
    /// A header's names as this profile reads them: documented columns in their documented
    /// spelling.
    pub fn spelled(&self, names: &[String]) -> Vec<String> {
        names
            .iter()
            .map(|n| {
                let documented = self.columns.iter().find(|c| c.eq_ignore_ascii_case(n));
                documented.map_or_else(|| n.clone(), |c| (*c).to_owned())
            })
            .collect()
    }

    /// Why a header is this export's, for the note.
    fn why(&self) -> String {
        format!(
            "a CSV header with {} and no conversation_id and role columns",
            self.header.join(", ")
        )
    }
}

/// The platform profiles, in the order recognition tries them.
pub const PROFILES: &[&Profile] = &[
    &rasa::PROFILE,
    &cloudapi::PROFILE,
    &salesforce::PROFILE,
    &dialogflow_cx::PROFILE,
    &twilio::PROFILE,
    &freshchat::PROFILE,
    &zendesk::PROFILE,
    &intercom::PROFILE,
];

/// The profile of a format, if it is a platform profile.
pub fn of(format: Format) -> Option<&'static Profile> {
    match format {
        Format::Rasa => Some(&rasa::PROFILE),
        Format::Salesforce => Some(&salesforce::PROFILE),
        Format::DialogflowCx => Some(&dialogflow_cx::PROFILE),
        Format::Twilio => Some(&twilio::PROFILE),
        Format::Cloudapi => Some(&cloudapi::PROFILE),
        Format::Freshchat => Some(&freshchat::PROFILE),
        Format::Zendesk => Some(&zendesk::PROFILE),
        Format::Intercom => Some(&intercom::PROFILE),
        _ => None,
    }
}

/// How a profile reads CSV, if its platform exports CSV.
pub fn table_of(format: Format) -> Option<&'static Table> {
    of(format).and_then(|p| p.table)
}

/// The profile whose CSV export a header is, when the header is not canonical CSV (it lacks a
/// `conversation_id` or a `role` column) and has every column of a profile's [`Table::header`]:
/// the profile, its table, and the header's names as the profile reads them.
pub fn exported(head: &csv::Head) -> Option<(&'static Profile, &'static Table, Vec<String>)> {
    if head.canonical() {
        return None;
    }
    PROFILES.iter().find_map(|p| {
        let table = p.table?;
        let names = table.spelled(head.names());
        let fits = table.header.iter().all(|h| names.iter().any(|n| n == h));
        fits.then_some((*p, table, names))
    })
}

/// Reads a CSV input no profile was named for: as canonical CSV, or, when its header is a
/// platform's export ([`exported`]), through that platform's profile, with a note saying so.
pub fn read_csv(
    reader: Box<dyn BufRead>,
    cx: &Context<'_>,
    emit: &mut dyn Emit,
) -> Result<(), Error> {
    let mut rdr = csv::reader_of(reader, cx);
    let Some(header) = csv::header(&mut rdr, cx, emit)? else {
        return Ok(());
    };
    let head = csv::Head::new(&header, cx);
    let Some((p, table, names)) = exported(&head) else {
        return csv::rows(&mut rdr, &head, cx, emit);
    };
    emit.note(format!(
        "{}: read as {} (profile {}): {}",
        cx.name,
        p.about,
        p.name,
        table.why()
    ));
    read_table(&mut rdr, &names, p, table, cx, emit)
}

/// The rows of a platform's CSV export, after its header `names`, through the profile.
fn read_table(
    rdr: &mut ::csv::Reader<Box<dyn BufRead>>,
    names: &[String],
    p: &Profile,
    table: &Table,
    cx: &Context<'_>,
    emit: &mut dyn Emit,
) -> Result<(), Error> {
    let shape = Shape {
        records: table.records,
        why: "a CSV export",
    };
    let m = p.mapping(&shape, &values_for(p, cx.import))?;
    json::table::rows(rdr, names, &m, table.json_columns, cx, emit)
}

impl Profile {
    /// The mapping for a document of `shape`: the profile's paths and value maps, with the
    /// configured value maps over them.
    pub fn mapping(&self, shape: &Shape, configured: &ValueMaps) -> Result<Mapping, Error> {
        let bad = |what: &str| Error::Internal(format!("profile {}: {what}", self.name));
        let (records, nested) = match shape.records.split_once(" > ") {
            Some((outer, inner)) => (outer, Some(inner)),
            None => (shape.records, None),
        };
        let records = Path::parse(records).map_err(|e| bad(&e.to_string()))?;
        let nested = nested
            .map(|p| Path::parse(p).map_err(|e| bad(&e.to_string())))
            .transpose()?;
        let mut fields = Vec::with_capacity(self.fields.len());
        for (name, paths) in self.fields {
            let target = Target::parse(name).ok_or_else(|| bad(name))?;
            let paths = paths
                .iter()
                .map(|p| Path::parse(p).map_err(|e| bad(&e.to_string())))
                .collect::<Result<Vec<_>, _>>()?;
            fields.push((target, paths));
        }
        let mut values = ValueMaps::default();
        for (field, map) in self.values {
            for (from, to) in *map {
                values.insert(*field, from, to);
            }
        }
        values.extend(configured);
        Ok(Mapping {
            records: Some(records),
            fields,
            values,
            classify: Some(self.classify),
            nested,
            json_text: self.hooks.json_text,
            compose: self.compose,
            customer_id_on_customers: true,
            given: Vec::new(),
            top_level: false,
        })
    }
}

/// Reads one JSON input with the profile `format` names, or the one recognised.
pub fn read(
    inp: &Input,
    mut reader: Box<dyn BufRead>,
    format: Format,
    cx: &Context<'_>,
    emit: &mut dyn Emit,
) -> Result<(), Error> {
    if let (Some(p), Some(table), true) = (of(format), table_of(format), inp.named_csv()) {
        let mut rdr = csv::reader_of(reader, cx);
        let Some(header) = csv::header(&mut rdr, cx, emit)? else {
            return Ok(());
        };
        let names = table.spelled(csv::Head::new(&header, cx).names());
        return read_table(&mut rdr, &names, p, table, cx, emit);
    }
    if inp.named_jsonl() {
        let mut choose = |doc: &Value, emit: &mut dyn Emit| choose(doc, format, cx, emit);
        return json::read_lines(&mut Lines::new(reader), &mut choose, cx, emit);
    }
    let mut bytes = Vec::new();
    std::io::Read::read_to_end(&mut reader, &mut bytes).map_err(|source| Error::Truncated {
        path: inp.name.clone(),
        source,
    })?;
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    match doc::parse_slice(body) {
        Ok(doc) => {
            let m = choose(&doc, format, cx, emit)?;
            json::read_document(&doc, &m, cx, emit)
        }
        // One JSON value a line in a file named `.json` (as webhook logs often are).
        Err(e) if e.is_syntax() && e.to_string().starts_with("trailing characters") => {
            let mut choose = |doc: &Value, emit: &mut dyn Emit| choose(doc, format, cx, emit);
            json::read_lines(&mut Lines::new(body), &mut choose, cx, emit)
        }
        Err(e) => {
            // serde_json ends its message with the position, which the error gives on its own.
            let detail = e.to_string();
            let suffix = format!(" at line {} column {}", e.line(), e.column());
            Err(Error::NotJson {
                file: cx.name.to_owned(),
                line: e.line(),
                column: e.column(),
                detail: detail.strip_suffix(&suffix).unwrap_or(&detail).to_owned(),
            })
        }
    }
}

/// The mapping for a document: the named profile's, else the recognised one's (with a note).
fn choose(
    doc: &Value,
    format: Format,
    cx: &Context<'_>,
    emit: &mut dyn Emit,
) -> Result<Mapping, Error> {
    let import = cx.import;
    if format == Format::Json {
        return Ok(Mapping::json(&import.json, &import.values));
    }
    if let Some(p) = of(format) {
        let shape = (p.shape)(doc).ok_or_else(|| Error::Document {
            file: cx.name.to_owned(),
            at: "$".into(),
            expected: p.expects.into(),
            found: path::shape(doc),
        })?;
        split_idle(p, cx, emit);
        return fitted(p, &shape, doc, cx);
    }
    for p in PROFILES {
        if let Some(shape) = (p.shape)(doc) {
            emit.note(format!(
                "{}: read as {} (profile {}): {}",
                cx.name, p.about, p.name, shape.why
            ));
            split_idle(p, cx, emit);
            return fitted(p, &shape, doc, cx);
        }
    }
    let tried: Vec<&str> = PROFILES.iter().map(|p| p.name).collect();
    let tried = tried.join(", ");
    if import.json.configured() {
        emit.note(format!(
            "{}: read with [import.json] (profile json): no platform profile fits (tried {tried})",
            cx.name
        ));
        return Ok(Mapping::json(&import.json, &import.values));
    }
    if carries_canonical_fields(doc) {
        emit.note(format!(
            "{}: read as JSON records (profile json): its records have conversation_id and role fields",
            cx.name
        ));
        return Ok(Mapping::json(&import.json, &import.values));
    }
    Err(Error::Unrecognised {
        file: cx.name.to_owned(),
        shape: path::shape(doc),
        tried: format!(
            "{tried}, and json (which needs [import.json] for records without conversation_id and role)"
        ),
    })
}

/// The run's value maps for a profile: what its settings in `handoff.toml` say (sender names,
/// handoff actions), then `[import.values]` and `[import.lanes]`, which win.
fn values_for(p: &Profile, import: &ImportSettings) -> ValueMaps {
    let mut values = ValueMaps::default();
    if let Some(settings) = p.hooks.settings {
        settings(import, &mut values);
    }
    values.extend(&import.values);
    values
}

/// A profile whose conversations are a customer's messages over time has them split where the
/// conversation went quiet.
fn split_idle(p: &Profile, cx: &Context<'_>, emit: &mut dyn Emit) {
    if let Some(gap) = p.hooks.idle_gap {
        emit.split_idle(cx.file, gap(cx.import));
    }
}

/// The mapping of a profile for a document of `shape`, with what the input's name gives.
fn fitted(p: &Profile, shape: &Shape, doc: &Value, cx: &Context<'_>) -> Result<Mapping, Error> {
    let mut m = p.mapping(shape, &values_for(p, cx.import))?;
    if let Some(given) = p.hooks.given {
        m.given = given(doc, cx.name);
    }
    Ok(m)
}

/// Whether the document is a record, or an array whose first element is one, with the fields
/// every message needs under their canonical names or aliases.
fn carries_canonical_fields(doc: &Value) -> bool {
    let first = match doc.as_ref() {
        ValueRef::Array(a) => a.first(),
        _ => Some(doc),
    };
    let Some(ValueRef::Object(o)) = first.map(Value::as_ref) else {
        return false;
    };
    let has = |field| {
        o.iter()
            .any(|(k, _)| Field::lookup(k).is_some_and(|(f, _)| f == field))
    };
    has(Field::ConversationId) && has(Field::Role)
}

#[cfg(test)]
mod tests;

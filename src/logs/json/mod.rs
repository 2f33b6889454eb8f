//! JSON documents and JSONL of nested objects: records found by a path, fields read by paths.
//!
//! A [`Mapping`] says how to read one: where the records are (a records path such as
//! `data.messages[]`, or the document itself, or each element when it is an array), which path
//! holds each canonical field (`role = "author.type"`, `conversation_id = "$parent.id"`), the value
//! maps to apply, and, for a platform profile, a classifier that tells messages from the other
//! elements of the records path (and may give defaults for the fields a record leaves absent, such
//! as the role of a turn's response messages). A platform mapping may also read the records nested
//! in each record right after it (a turn's response messages) and decode keys that hold JSON text,
//! and keeps `customer_id` on the customer's own records only.
//! `[import.json]` gives the `json` profile's mapping; each platform
//! profile in [`crate::logs::profiles`] gives one of its own, over this same machinery. Fields not
//! given a path are read as in a flat JSONL record: by their canonical names and aliases, at the
//! top level of the record.
//!
//! Every element of the records path is a record: a message (built by
//! [`crate::logs::fields::Builder`], as every reader builds them), a skip with its reason and JSON
//! path, or a non-message of a kind the classifier names. A document is one value in memory; JSONL
//! streams a line at a time, each line a document of its own. The number after a file name in a
//! skip counts a document's records from 1 (a JSON value has no useful line), or is the line of a
//! JSONL input.

mod batch;
pub mod doc;
pub mod path;
pub mod table;
pub mod values;

use std::borrow::Cow;
use std::io::BufRead;

use crate::error::Error;
use crate::logs::accounting::Reason;
use crate::logs::fields::{self, Builder, Field};
use crate::logs::input::Lines;
use crate::logs::record::{Message, Role};
use crate::logs::{Context, Emit};
use doc::{JsonContainerTrait, JsonValueTrait, Record, Value, ValueRef};
use path::{Element as Found, Path};
use values::ValueMaps;

/// What a field path fills: a canonical field, a segment field (`segment.tier`), or the id of
/// the record's author.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    Field(Field),
    Segment(String),
    /// `author_id`: whoever wrote the record, by id. Platforms name every author by id, and only
    /// the customer's id says who the customer is, so it becomes the `customer_id` of the
    /// customer's records (when they have none of their own) and is not kept on the others.
    AuthorId,
}

impl Target {
    /// A canonical field name, `segment.<field>` or `author_id`.
    pub fn parse(name: &str) -> Option<Target> {
        match Field::canonical(name) {
            Some(f) => Some(Target::Field(f)),
            None if name == "author_id" => Some(Target::AuthorId),
            None => fields::segment_field(name).map(|s| Target::Segment(s.to_owned())),
        }
    }
}

/// `[import.json]`, as `handoff.toml` gives it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct JsonSettings {
    /// Where the records are; the document itself (each element of an array) when absent.
    pub records: Option<Path>,
    /// The paths of fields, each with alternatives tried in order (the first present wins).
    pub fields: Vec<(Target, Vec<Path>)>,
}

impl JsonSettings {
    /// Whether `[import.json]` says anything.
    pub fn configured(&self) -> bool {
        self.records.is_some() || !self.fields.is_empty()
    }
}

/// What an element of the records path is, as a profile's classifier tells.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    Message,
    /// A message, with these values for the fields the record itself leaves absent (a turn's
    /// request is the customer's, its response messages the bot's).
    MessageWith(&'static [(Field, &'static str)]),
    /// A message, with these values, read from the element by the classifier, for the fields the
    /// record leaves absent: values that only the element's kind tells apart (the author's id is
    /// the customer's only when the author is the customer). Value maps apply to them.
    MessageReading(Vec<(Field, String)>),
    /// Valid, but not a message: counted under this kind (`status`, `action`).
    NonMessage(&'static str),
    /// Of a kind the profile does not know: skipped (`unknown_element`) with this description.
    Unknown(String),
}

/// A profile's classifier: what the element (an object) is, given the run's value maps (a
/// configured map may make an element a message, such as an action named a handoff).
pub type Classify = fn(&Record<'_>, &ValueMaps) -> Kind;

/// A profile's value of a field that no single path holds, composed from the record (a text with
/// the notices of its attachments, a timestamp from two columns); `None`: the field's paths
/// decide.
pub type Compose = fn(&Record<'_>) -> Option<String>;

/// How to read a document into records.
#[derive(Debug, Clone)]
pub struct Mapping {
    /// Where the records are; `None`: the document, or each of its elements when it is an array.
    pub records: Option<Path>,
    pub fields: Vec<(Target, Vec<Path>)>,
    pub values: ValueMaps,
    /// `None`: every element is a message record.
    pub classify: Option<Classify>,
    /// Records inside each record, read right after it (a turn's response messages): a path from
    /// the record, whose elements have the record among their enclosing objects.
    pub nested: Option<Path>,
    /// Keys whose string values hold JSON text (a platform's `attributes`), read as the JSON they
    /// hold wherever they are in a document, so that paths can go into them.
    pub json_text: &'static [&'static str],
    /// Fields composed from the record; a composed value wins over the field's paths.
    pub compose: &'static [(Field, Compose)],
    /// Whether `customer_id` stays only on the customer's own records. A platform's id paths name
    /// a record's actor or the conversation's user, the customer on every record; on the bot's
    /// and the agents' records the id would only repeat what the customer's already say.
    pub customer_id_on_customers: bool,
    /// Values for fields every record of this input leaves absent, given from outside the
    /// document (a Zendesk ticket's id, from the name of the file its log was saved in).
    pub given: Vec<(Field, String)>,
    /// Whether fields without a path are read from the record's own keys under their names and
    /// aliases. A platform profile gives a path for every field it reads, and its records' other
    /// keys mean something else (an Intercom part's `type`), so it does not.
    pub top_level: bool,
}

impl Mapping {
    /// The `json` profile: `[import.json]` and `[import.values]`.
    pub fn json(settings: &JsonSettings, values: &ValueMaps) -> Mapping {
        Mapping {
            records: settings.records.clone(),
            fields: settings.fields.clone(),
            values: values.clone(),
            classify: None,
            nested: None,
            json_text: &[],
            compose: &[],
            customer_id_on_customers: false,
            given: Vec::new(),
            top_level: true,
        }
    }

    /// The document with the values of [`Mapping::json_text`] keys decoded, when there are such
    /// keys; a value that is not JSON text stays as it is. Decoded through serde_json's value, as
    /// a document changed in place would no longer keep its keys in order.
    fn decoded(&self, doc: &Value) -> Option<Value> {
        if self.json_text.is_empty() {
            return None;
        }
        let mut doc: serde_json::Value = serde_json::from_str(&doc.to_string()).ok()?;
        decode(&mut doc, self.json_text);
        Some(doc::from_serde(&doc))
    }

    /// Whether `field` has a path (and so is not read from the record's own keys).
    fn pathed(&self, field: Field) -> bool {
        self.fields
            .iter()
            .any(|(t, _)| matches!(t, Target::Field(f) if *f == field))
    }

    /// Whether a field path of the record starts at `key` (`author` for `author.type`): such a
    /// key holds what the paths read, and is not also read as a field under its own name.
    fn reads_into(&self, key: &str) -> bool {
        self.fields
            .iter()
            .flat_map(|(_, ps)| ps)
            .any(|p| p.up == 0 && matches!(p.steps.first(), Some(path::Step::Key(k)) if k == key))
    }
}

/// Decodes, in place, the JSON text held by `keys` anywhere in `v`.
fn decode(v: &mut serde_json::Value, keys: &[&str]) {
    use serde_json::Value as V;
    match v {
        V::Object(o) => {
            for (k, inner) in o.iter_mut() {
                if let V::String(text) = inner
                    && keys.contains(&k.as_str())
                {
                    if let Ok(parsed @ (V::Object(_) | V::Array(_))) = serde_json::from_str(text) {
                        *inner = parsed;
                    }
                } else {
                    decode(inner, keys);
                }
            }
        }
        V::Array(a) => a.iter_mut().for_each(|e| decode(e, keys)),
        _ => {}
    }
}

/// A place in a document where it does not fit the mapping.
fn unfit(cx: &Context<'_>, at: &str, expected: &str, found: String) -> Error {
    Error::Document {
        file: cx.name.to_owned(),
        at: at.to_owned(),
        expected: expected.to_owned(),
        found,
    }
}

/// The elements of `doc` that are records under `m`, or where the document does not fit.
fn elements<'v>(doc: &'v Value, m: &Mapping) -> Result<Vec<Found<'v>>, path::Miss> {
    let whole = Path::default();
    let each = Path {
        up: 0,
        steps: vec![path::Step::Each],
    };
    let records = match &m.records {
        Some(p) => p,
        None if doc.is_array() => &each,
        None => &whole,
    };
    let walk = records.records(doc);
    match walk.miss {
        Some(miss) if walk.found.is_empty() => Err(miss),
        _ => Ok(walk.found),
    }
}

/// Reads a whole document: every element of the records path is a record. A document the path
/// leads nowhere in, or whose records are not objects, stops the run.
pub fn read_document(
    doc: &Value,
    m: &Mapping,
    cx: &Context<'_>,
    emit: &mut dyn Emit,
) -> Result<(), Error> {
    let decoded = m.decoded(doc);
    let doc = decoded.as_ref().unwrap_or(doc);
    let found = elements(doc, m).map_err(|miss| unfit(cx, &miss.at, &miss.expected, miss.found))?;
    emit.expect(found.len());
    for (n, e) in found.iter().enumerate() {
        let line = n as u64 + 1;
        if !e.value.is_object() {
            return Err(unfit(
                cx,
                &e.at,
                "an object (a record)",
                path::shape(e.value),
            ));
        }
        record(e, m, cx, line, emit)?;
        within(e, m, cx, line, emit)?;
    }
    Ok(())
}

/// How a document of a JSONL input decides the mapping of the lines shaped like it.
pub type Choose<'c> = dyn FnMut(&Value, &mut dyn Emit) -> Result<Mapping, Error> + 'c;

/// Reads JSONL whose lines are documents: each element of the records path in a line is a record
/// (on that line). A line that is not JSON is skipped. The mapping is chosen from the first line
/// that is JSON; a later line its records path leads nowhere in is read with the mapping chosen
/// for that line's shape (a webhook log that holds both the platform's deliveries and the
/// business's own sent messages), and skipped when no mapping fits it either.
pub fn read_lines<R: BufRead>(
    lines: &mut Lines<R>,
    choose: &mut Choose<'_>,
    cx: &Context<'_>,
    emit: &mut dyn Emit,
) -> Result<(), Error> {
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get().min(8));
    batch::read(lines, choose, cx, emit, workers)
}

/// The records of one JSONL line; `Some(why)` when the records path leads nowhere in it (nothing
/// is read then).
fn read_line(
    doc: &Value,
    m: &Mapping,
    cx: &Context<'_>,
    number: u64,
    emit: &mut dyn Emit,
) -> Result<Option<String>, Error> {
    let decoded = m.decoded(doc);
    let doc = decoded.as_ref().unwrap_or(doc);
    let found = match elements(doc, m) {
        Ok(found) => found,
        Err(miss) => {
            return Ok(Some(format!(
                "at {}: expected {}, found {}",
                miss.at, miss.expected, miss.found
            )));
        }
    };
    for e in &found {
        if e.value.is_object() {
            record(e, m, cx, number, emit)?;
            within(e, m, cx, number, emit)?;
        } else {
            emit.skip(cx.skip(number, Reason::WrongType, not_a_record(e)))?;
        }
    }
    Ok(None)
}

/// The detail of a skip for an element of the records path that is not an object.
fn not_a_record(e: &Found<'_>) -> String {
    format!(
        "{}: {} where a record (an object) belongs",
        e.at,
        path::shape(e.value)
    )
}

/// A line as a JSON value, or why it is skipped.
fn parse_line(bytes: &[u8]) -> Result<Value, (Reason, String)> {
    if memchr::memchr(0, bytes).is_some() {
        return Err((Reason::NulByte, "the line contains a NUL byte".into()));
    }
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let at = e.valid_up_to() + 1;
        (Reason::InvalidUtf8, format!("byte {at} is not UTF-8"))
    })?;
    doc::parse(text).map_err(|e| (Reason::InvalidJson, e.to_string()))
}

/// The records nested in one record, when the mapping has a nested path: each read as a record
/// of the same line, right after it. A record without them has none (that is not a miss).
fn within(
    e: &Found<'_>,
    m: &Mapping,
    cx: &Context<'_>,
    line: u64,
    emit: &mut dyn Emit,
) -> Result<(), Error> {
    let Some(nested) = &m.nested else {
        return Ok(());
    };
    for inner in nested.records(e.value).found {
        let mut parents = e.parents.clone();
        parents.extend(inner.parents);
        let at = match e.at.as_str() {
            "$" => inner.at,
            outer => format!("{outer}.{}", inner.at),
        };
        let inner = Found {
            value: inner.value,
            at,
            parents,
        };
        if inner.value.is_object() {
            record(&inner, m, cx, line, emit)?;
        } else {
            emit.skip(cx.skip(line, Reason::WrongType, not_a_record(&inner)))?;
        }
    }
    Ok(())
}

/// One element (an object): classified, then built into a message, counted as a non-message, or
/// skipped.
fn record(
    e: &Found<'_>,
    m: &Mapping,
    cx: &Context<'_>,
    line: u64,
    emit: &mut dyn Emit,
) -> Result<(), Error> {
    if !e.value.is_object() {
        return Ok(());
    }
    let rec = Record::new(e.value);
    let kind = m.classify.map_or(Kind::Message, |c| c(&rec, &m.values));
    match kind {
        Kind::NonMessage(kind) => {
            emit.non_message(kind);
            Ok(())
        }
        Kind::Unknown(what) => {
            let detail = format!("{}: {what}", e.at);
            emit.skip(cx.skip(line, Reason::UnknownElement, detail))
        }
        kind @ (Kind::Message | Kind::MessageWith(_) | Kind::MessageReading(_)) => {
            match build(e, &rec, m, cx, kind) {
                Ok(mut msg) => {
                    msg.origin = cx.origin(line);
                    emit.message(msg.into_owned())
                }
                Err((reason, detail)) => {
                    let detail = format!("{}: {detail}", e.at);
                    emit.skip(cx.skip(line, reason, detail))
                }
            }
        }
    }
}

/// The message of one record: the fields with paths from their paths, the others from the
/// record's own keys, then what the classifier's `kind` gives for the fields still absent.
pub fn build<'v>(
    e: &Found<'v>,
    rec: &Record<'v>,
    m: &'v Mapping,
    cx: &Context<'v>,
    kind: Kind,
) -> Result<Message<'v>, (Reason, String)> {
    let mut b = Builder::mapped(cx.times, &m.values);
    let mut author = None;
    for (target, paths) in &m.fields {
        let mut present = paths
            .iter()
            .enumerate()
            .filter_map(|(k, p)| p.get_in(rec, &e.parents).map(|v| (k, v)));
        match target {
            // Each alternative is offered with its rank, and the builder keeps the first present
            // one; the later ones are not looked up once it has one.
            Target::Field(f) => {
                for (k, p) in paths.iter().enumerate() {
                    if !b.open_at(*f, k) {
                        break;
                    }
                    if let Some(v) = p.get_in(rec, &e.parents) {
                        b.set(*f, k, fields::Value::Doc(v));
                    }
                }
            }
            Target::Segment(name) => {
                if let Some((_, v)) = present.find(|(_, v)| !v.is_null()) {
                    b.segment(Cow::Owned(name.clone()), fields::Value::Doc(v));
                }
            }
            Target::AuthorId => author = present.find(|(_, v)| !v.is_null()).map(|(_, v)| v),
        }
    }
    if m.top_level
        && let Some(obj) = e.value.as_object()
    {
        for (key, v) in obj.iter() {
            top_level(&mut b, m, key, v);
        }
    }
    match kind {
        Kind::MessageWith(defaults) => {
            for (field, value) in defaults {
                b.set_default(*field, *value);
            }
        }
        Kind::MessageReading(read) => {
            for (field, value) in read {
                b.set_read(field, Cow::Owned(value));
            }
        }
        _ => {}
    }
    for (field, value) in &m.given {
        b.set_default(*field, value.as_str());
    }
    for (field, compose) in m.compose {
        if let Some(value) = compose(rec) {
            b.set(*field, 0, fields::Value::Str(Cow::Owned(value)));
        }
    }
    if let Some(author) = author {
        b.author_id(fields::Value::Doc(author));
    }
    let mut msg = b.finish()?;
    if m.customer_id_on_customers && msg.role != Some(Role::Customer) {
        msg.customer_id = None;
    }
    Ok(msg)
}

/// A key of the record itself, read as a flat JSONL record's keys are (unless its field has a
/// path).
fn top_level<'v>(b: &mut Builder<'_, 'v>, m: &Mapping, key: &'v str, v: &'v Value) {
    if let Some((field, rank)) = Field::lookup(key) {
        if !m.pathed(field) && !m.reads_into(key) {
            b.set(field, rank, fields::Value::Doc(v));
        }
    } else if key == "segment" {
        match v.as_ref() {
            ValueRef::Object(o) => {
                for (k, v) in o.iter() {
                    b.segment(Cow::Borrowed(k), fields::Value::Doc(v));
                }
            }
            ValueRef::Null => {}
            _ => b.wrong("segment must be an object such as {\"tier\": \"vip\"}"),
        }
    } else if let Some(name) = fields::segment_field(key) {
        b.segment(Cow::Borrowed(name), fields::Value::Doc(v));
    }
}

#[cfg(test)]
mod tests;

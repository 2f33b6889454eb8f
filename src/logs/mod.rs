//! Conversation logs: reading exports into conversations, with every record accounted for.
//!
//! [`read`] expands the inputs (files, directories, `-`), reads each with the importer its format
//! needs ([`jsonl`], [`csv`], [`whatsapp`], and JSON documents through [`json`] with a platform
//! profile of [`profiles`]), groups records into conversations ([`group`]) and hands each finished
//! conversation to the caller, while [`accounting::Stats`] counts every record as a message, a
//! skip, a duplicate or a non-message. Holding interleaved input is bounded by a memory budget,
//! past which records spill to disk ([`spill`]); stdin and named pipes are copied as they are read
//! so that interleaved input can be read again from them too ([`rewind`]).

pub mod accounting;
pub mod csv;
pub mod fields;
pub mod group;
pub mod html;
pub mod input;
pub mod json;
pub mod jsonl;
pub mod profiles;
pub mod record;
pub mod rewind;
pub mod spill;
pub mod time;
pub mod whatsapp;

use std::collections::BTreeMap;
use std::path::PathBuf;

use jiff::tz::TimeZone;

use crate::error::Error;
use accounting::{Reason, Skip, Stats};
use group::{Grouper, Pushed};
pub use input::Format;
use input::{Input, Lines};
use record::{Conversation, Message, Origin, Role};

/// Importer settings: the defaults, or `[import]` of `handoff.toml` as `config` read it.
#[derive(Debug, Clone)]
pub struct ImportSettings {
    pub zone: TimeZone,
    pub csv_delimiter: u8,
    /// Canonical field (or `segment.<field>`) → column name.
    pub csv_columns: BTreeMap<String, String>,
    pub bots: Vec<String>,
    pub agents: Vec<String>,
    pub date_order: Option<whatsapp::DateOrder>,
    /// `[import] format`: how every input is read, unless `--input-format` says otherwise.
    pub format: Option<Format>,
    /// `[import.json]`: the records path and field paths of the `json` profile.
    pub json: json::JsonSettings,
    /// `[import.values.FIELD]` and `[import.lanes]`: value maps, for every reader.
    pub values: json::values::ValueMaps,
    /// `[import.cloudapi]`: how webhook logs become conversations.
    pub cloudapi: profiles::cloudapi::Settings,
    /// `[import.rasa] handoff`: the action and intent names that mark the handoff, replacing the
    /// profile's defaults when given.
    pub rasa_handoff: Option<Vec<String>>,
}

impl Default for ImportSettings {
    fn default() -> Self {
        ImportSettings {
            zone: TimeZone::UTC,
            csv_delimiter: b',',
            csv_columns: BTreeMap::new(),
            bots: Vec::new(),
            agents: Vec::new(),
            date_order: None,
            format: None,
            json: json::JsonSettings::default(),
            values: json::values::ValueMaps::default(),
            cloudapi: profiles::cloudapi::Settings::default(),
            rasa_handoff: None,
        }
    }
}

/// How to read a run's logs.
#[derive(Debug, Clone, Default)]
pub struct ReadOptions {
    /// `--input-format`: how every input is read.
    pub format: Option<Format>,
    /// `--strict`: the first bad record is an error.
    pub strict: bool,
    /// `--interleaved`: hold every conversation open from the start.
    pub interleaved: bool,
    /// `--memory` and `--temp-dir`: how much holding may take, and where records spill past it.
    pub hold: spill::Hold,
    pub import: ImportSettings,
}

impl ReadOptions {
    /// The format every input is read as: `--input-format`, else `[import] format`.
    pub fn forced(&self) -> Option<Format> {
        self.format.or(self.import.format)
    }
}

/// What an importer needs to know about the input it reads.
pub struct Context<'a> {
    pub name: &'a str,
    pub file: u32,
    /// Local times (those written without an offset) are read in this zone; the cache serves
    /// every record read with this context.
    pub times: &'a time::ZoneTimes<'a>,
    pub import: &'a ImportSettings,
}

impl Context<'_> {
    pub fn origin(&self, line: u64) -> Origin {
        Origin {
            file: self.file,
            line,
        }
    }

    /// A builder of messages that applies the configured value maps.
    pub fn builder<'m>(&self) -> fields::Builder<'_, 'm> {
        fields::Builder::mapped(self.times, &self.import.values)
    }

    pub fn skip(&self, line: u64, reason: Reason, detail: String) -> Skip {
        Skip {
            file: self.name.to_owned(),
            line,
            reason,
            detail,
        }
    }
}

/// Where the chunk parsers of the parallel path put what they read: each message is pushed onto
/// [`Rows::slot`] and then [`Rows::row`] is told of it, or of why the record is skipped. A
/// message is built where it is kept, instead of being moved there through every caller (a
/// message is a few hundred bytes, and moving it cost as much as reading some of its fields).
pub trait Rows<'a> {
    /// Where the next message goes.
    fn slot(&mut self) -> &mut Vec<Message<'a>>;
    /// The record on `line`: `Ok` when its message is the last of [`Rows::slot`].
    fn row(&mut self, line: u64, record: Result<(), (Reason, String)>);
}

/// Where importers put what they read.
pub trait Emit {
    fn message(&mut self, m: Message<'static>) -> Result<(), Error>;
    fn skip(&mut self, s: Skip) -> Result<(), Error>;
    /// A record that is valid but not a message (a delivery status), of `kind`.
    fn non_message(&mut self, kind: &str);
    /// Something about the input worth telling, that is not a skip.
    fn note(&mut self, note: String);
    /// Told before the messages come, by a reader that knows: at most `n` of them. A collector
    /// that keeps them all reserves room once instead of growing (and copying) as they come.
    fn expect(&mut self, _n: usize) {}
    /// What a WhatsApp export showed of its authors, once the export is read.
    fn whatsapp(&mut self, _seen: whatsapp::Seen) {}
    /// The conversations whose first record is from input `file` are split where no message came
    /// for longer than `gap_ms` (a customer's messages over months are many conversations).
    fn split_idle(&mut self, _file: u32, _gap_ms: i64) {}
}

/// The run's inputs, for naming a record's origin.
#[derive(Debug, Clone, Default)]
pub struct Files {
    pub names: Vec<String>,
}

impl Files {
    pub fn name(&self, o: Origin) -> &str {
        self.names.get(o.file as usize).map_or("?", String::as_str)
    }
}

/// Receives finished conversations, in order of their first record.
pub trait Sink {
    fn conversation(&mut self, c: Conversation<'static>, files: &Files) -> Result<(), Error>;
    /// The input turned out to be interleaved and is read again from the start in holding mode:
    /// forget every conversation received so far.
    fn restart(&mut self) -> Result<(), Error>;
}

/// A sink that keeps every conversation in memory, for tests, benchmarks and small inputs.
#[derive(Debug, Default)]
pub struct Collect(pub Vec<Conversation<'static>>);

impl Sink for Collect {
    fn conversation(&mut self, c: Conversation<'static>, _: &Files) -> Result<(), Error> {
        self.0.push(c);
        Ok(())
    }
    fn restart(&mut self) -> Result<(), Error> {
        self.0.clear();
        Ok(())
    }
}

/// Reads `paths` and feeds their conversations to `sink`; returns the counts.
pub fn read(paths: &[PathBuf], opts: &ReadOptions, sink: &mut dyn Sink) -> Result<Stats, Error> {
    let mut notes = Vec::new();
    let inputs = input::expand(paths, opts.forced(), &mut notes)?;
    let files = Files {
        names: inputs.iter().map(|i| i.name.clone()).collect(),
    };
    let mut holding = opts.interleaved;
    let mut rewind = rewind::Rewind::new(&inputs, &opts.hold);
    loop {
        match pass(&inputs, &files, opts, holding, &mut rewind, sink)? {
            Pass::Done(mut stats) => {
                notes.append(&mut stats.notes);
                stats.notes = notes;
                return Ok(stats);
            }
            Pass::Reappeared { input, line, id } => {
                rewind.rewind()?;
                sink.restart()?;
                holding = true;
                notes.push(format!(
                    "{}:{line}: conversation `{id}` appears again after other conversations; reading the input again holding conversations open (--interleaved does this from the start)",
                    inputs[input].name
                ));
            }
        }
    }
}

enum Pass {
    Done(Stats),
    Reappeared { input: usize, line: u64, id: String },
}

/// The emitter of one pass: groups messages, counts skips, stops at a reappearing conversation.
struct Driver<'a> {
    grouper: Grouper,
    stats: Stats,
    strict: bool,
    sink: &'a mut dyn Sink,
    files: &'a Files,
    reappeared: Option<(u64, String)>,
    /// Input → idle gap, for the inputs whose conversations are split at one.
    idle: BTreeMap<u32, i64>,
    hold: &'a spill::Hold,
    /// Where records go once holding outgrew the budget: from then on, every one.
    spill: Option<spill::Spill>,
}

impl Driver<'_> {
    /// Spills every held record once what holding holds outgrows the budget.
    fn bound(&mut self) -> Result<(), Error> {
        if self.grouper.held() <= self.hold.memory {
            return Ok(());
        }
        let mut spill = spill::Spill::new(self.hold)?;
        for open in self.grouper.take_open() {
            for m in &open.records {
                spill.push(m)?;
            }
        }
        self.stats.notes.push(format!(
            "the open conversations outgrew --memory ({}): spilling records to {}",
            spill::size::show(self.hold.memory),
            spill.path().display()
        ));
        self.spill = Some(spill);
        Ok(())
    }

    /// Settles a finished conversation and hands it, or its parts, to the sink.
    fn finished(&mut self, open: group::Open<'static>) -> Result<(), Error> {
        let gap = open
            .records
            .first()
            .and_then(|m| self.idle.get(&m.origin.file).copied());
        let c = group::settle(open, &mut self.stats);
        match gap {
            None => self.sink.conversation(c, self.files),
            Some(gap) => group::split_idle(c, gap)
                .into_iter()
                .try_for_each(|part| self.sink.conversation(part, self.files)),
        }
    }
}

impl Emit for Driver<'_> {
    fn message(&mut self, m: Message<'static>) -> Result<(), Error> {
        if self.reappeared.is_some() {
            return Ok(());
        }
        if let Some(spill) = &mut self.spill {
            return spill.push(&m);
        }
        let line = m.origin.line;
        match self.grouper.push(m) {
            Pushed::Held => self.bound(),
            Pushed::Finished(open) => self.finished(open),
            Pushed::Reappeared(id) => {
                self.reappeared = Some((line, id));
                Ok(())
            }
        }
    }

    fn skip(&mut self, s: Skip) -> Result<(), Error> {
        if self.strict {
            return Err(Error::BadRecord {
                file: s.file,
                line: s.line,
                reason: s.reason,
                detail: s.detail,
            });
        }
        self.stats.skip(s);
        Ok(())
    }

    fn non_message(&mut self, kind: &str) {
        self.stats.non_message(kind);
    }

    fn note(&mut self, note: String) {
        self.stats.notes.push(note);
    }

    fn whatsapp(&mut self, seen: whatsapp::Seen) {
        self.stats.whatsapp.absorb(seen);
    }

    fn split_idle(&mut self, file: u32, gap_ms: i64) {
        self.idle.insert(file, gap_ms);
    }
}

fn pass(
    inputs: &[Input],
    files: &Files,
    opts: &ReadOptions,
    holding: bool,
    rewind: &mut rewind::Rewind,
    sink: &mut dyn Sink,
) -> Result<Pass, Error> {
    let grouper = if holding {
        Grouper::holding()
    } else {
        Grouper::streaming()
    };
    let mut d = Driver {
        grouper,
        stats: Stats::default(),
        strict: opts.strict,
        sink,
        files,
        reappeared: None,
        idle: BTreeMap::new(),
        hold: &opts.hold,
        spill: None,
    };
    for (i, inp) in inputs.iter().enumerate() {
        let cx = Context {
            name: &inp.name,
            file: u32::try_from(i).unwrap_or(u32::MAX),
            times: &time::ZoneTimes::new(&opts.import.zone),
            import: &opts.import,
        };
        // A WhatsApp export is read whole: a plain file is read straight into memory, without the
        // large stream buffer (directories of small exports would spend their time clearing it).
        if let (Some(Format::Whatsapp), Some(path)) = (inp.format, inp.plain_file()) {
            read_whatsapp_plain(inp, path, &cx, &mut d)?;
            if let Some((line, id)) = d.reappeared.take() {
                return Ok(Pass::Reappeared { input: i, line, id });
            }
            continue;
        }
        let mut reader = rewind.open(i, inp)?;
        let format = match inp.format {
            Some(f) => f,
            None => input::sniff(&mut reader).map_err(|source| Error::Read {
                path: inp.name.clone(),
                source,
            })?,
        };
        match format {
            Format::Jsonl => jsonl::read(&mut Lines::new(reader), &cx, &mut d)?,
            // Canonical CSV, or a platform's CSV export recognised from its header.
            Format::Csv => profiles::read_csv(reader, &cx, &mut d)?,
            Format::Whatsapp => read_whatsapp(inp, reader, &cx, &mut d)?,
            // Json, Document and the platform profiles.
            f => profiles::read(inp, reader, f, &cx, &mut d)?,
        }
        if let Some((line, id)) = d.reappeared.take() {
            return Ok(Pass::Reappeared { input: i, line, id });
        }
    }
    for open in std::mem::replace(&mut d.grouper, Grouper::streaming()).finish() {
        d.finished(open)?;
    }
    if let Some(spill) = d.spill.take() {
        let budget = d.hold.memory;
        spill.drain(budget, &mut |open| d.finished(open))?;
    }
    Ok(Pass::Done(d.stats))
}

/// A WhatsApp export: one conversation per file, its id the file name; roles from
/// `[import.whatsapp]`. The whole file is read first because the date order is inferred from all
/// of it. An entry whose lines hold bytes that are not UTF-8, or a NUL, is skipped whole, as a
/// JSONL line or CSV row would be.
/// One WhatsApp export read on its own, for replaying a folder of exports in parallel: its
/// conversation (none when it holds no message) and the file's counts, skips and notes, as the
/// sequential reader would count them for this file. An export is one conversation, named after
/// the file, so files are independent as long as no two have the same name.
pub fn read_whatsapp_file(
    inp: &Input,
    file: u32,
    import: &ImportSettings,
) -> Result<(Stats, Option<Conversation<'static>>), Error> {
    /// Keeps one file's messages and counts its skips.
    struct One {
        stats: Stats,
        records: Vec<Message<'static>>,
    }
    impl Emit for One {
        fn message(&mut self, m: Message<'static>) -> Result<(), Error> {
            self.records.push(m);
            Ok(())
        }
        fn skip(&mut self, s: Skip) -> Result<(), Error> {
            self.stats.skip(s);
            Ok(())
        }
        fn non_message(&mut self, kind: &str) {
            self.stats.non_message(kind);
        }
        fn note(&mut self, note: String) {
            self.stats.notes.push(note);
        }
        fn expect(&mut self, n: usize) {
            self.records.reserve(n);
        }
        fn whatsapp(&mut self, seen: whatsapp::Seen) {
            self.stats.whatsapp.absorb(seen);
        }
    }
    let cx = Context {
        name: &inp.name,
        file,
        times: &time::ZoneTimes::new(&import.zone),
        import,
    };
    let mut one = One {
        stats: Stats::default(),
        records: Vec::new(),
    };
    match inp.plain_file() {
        Some(path) => read_whatsapp_plain(inp, path, &cx, &mut one)?,
        None => read_whatsapp(inp, input::open(inp)?, &cx, &mut one)?,
    }
    let mut stats = one.stats;
    let conversation = match one.records.first() {
        Some(m) => {
            let id = m.conversation_id.clone();
            Some(group::settle(
                group::Open {
                    id,
                    records: one.records,
                },
                &mut stats,
            ))
        }
        None => None,
    };
    Ok((stats, conversation))
}

/// A plain export file, read whole straight into memory.
fn read_whatsapp_plain(
    inp: &Input,
    path: &std::path::Path,
    cx: &Context<'_>,
    emit: &mut dyn Emit,
) -> Result<(), Error> {
    let bytes = std::fs::read(path).map_err(|source| Error::Read {
        path: inp.name.clone(),
        source,
    })?;
    read_whatsapp_bytes(inp, bytes, cx, emit)
}

fn read_whatsapp(
    inp: &Input,
    mut reader: Box<dyn std::io::BufRead>,
    cx: &Context<'_>,
    emit: &mut dyn Emit,
) -> Result<(), Error> {
    let mut bytes = Vec::new();
    if let Some(len) = whatsapp_size_hint(inp) {
        // A hint only (a `.gz` may say anything): without the room, the buffer grows as it reads.
        let _ = bytes.try_reserve_exact(len);
    }
    std::io::Read::read_to_end(&mut reader, &mut bytes).map_err(|source| Error::Truncated {
        path: inp.name.clone(),
        source,
    })?;
    read_whatsapp_bytes(inp, bytes, cx, emit)
}

/// How many bytes an export read as a stream will have, so that its buffer does not grow by
/// doubling as it fills: what a `.gz` records in its last four bytes (the exact size for a file of
/// one gzip member under 4 GiB), or a plain file's size. Stdin gives no hint.
fn whatsapp_size_hint(inp: &Input) -> Option<usize> {
    use std::io::{Read, Seek, SeekFrom};
    if let Some(plain) = inp.plain_file() {
        return usize::try_from(std::fs::metadata(plain).ok()?.len()).ok();
    }
    let path = inp.path.as_ref()?;
    let mut file = std::fs::File::open(path).ok()?;
    file.seek(SeekFrom::End(-4)).ok()?;
    let mut size = [0u8; 4];
    file.read_exact(&mut size).ok()?;
    // Deflate expands at most 1032-fold: a larger size is a damaged trailer.
    let most = file.metadata().ok()?.len().saturating_mul(1032);
    usize::try_from(u64::from(u32::from_le_bytes(size)).min(most)).ok()
}

fn read_whatsapp_bytes(
    inp: &Input,
    bytes: Vec<u8>,
    cx: &Context<'_>,
    emit: &mut dyn Emit,
) -> Result<(), Error> {
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    // Every message starts a line of its own, at least 16 bytes long with its line break
    // (`1/1/24, 1:00 - a: b`); the second bound keeps a file of blank lines from reserving much.
    let lines = memchr::memchr_iter(b'\n', body).count() + 1;
    emit.expect(lines.min(body.len() / 16 + 1));
    // Lines (1-based) that cannot be trusted, and why. A file that is UTF-8 throughout and has no
    // NUL (nearly every export) has none, which one pass over the whole file shows.
    let utf8 = simdutf8::basic::from_utf8(body);
    let mut bad: BTreeMap<usize, Reason> = BTreeMap::new();
    if utf8.is_err() || memchr::memchr(0, body).is_some() {
        for (i, line) in body.split(|b| *b == b'\n').enumerate() {
            if memchr::memchr(0, line).is_some() {
                bad.insert(i + 1, Reason::NulByte);
            } else if std::str::from_utf8(line).is_err() {
                bad.insert(i + 1, Reason::InvalidUtf8);
            }
        }
    }
    let text = match utf8 {
        Ok(t) => std::borrow::Cow::Borrowed(t),
        Err(_) => String::from_utf8_lossy(body),
    };
    let text = whatsapp::western_heads(text);
    let options = whatsapp::Options {
        date_order: cx.import.date_order,
    };
    let mut scan = whatsapp::scan(&text, &options);
    if let Some((_, false)) = scan.date_order {
        emit.note(format!("{}: the dates never show whether the day or the month comes first; read day-first (set [import.whatsapp] date_order to be sure)", inp.name));
    }
    let id = inp.stem();
    let leading = scan.leading_lines();
    for (i, line) in text.split('\n').enumerate().take(leading.end - 1) {
        // Blank lines are not records.
        if line.trim().is_empty() {
            continue;
        }
        emit.skip(cx.skip(
            i as u64 + 1,
            Reason::NotAMessage,
            "a line before the first message that is not a WhatsApp message".into(),
        ))?;
    }
    for s in std::mem::take(&mut scan.skipped) {
        emit.skip(cx.skip(s.line as u64, Reason::BadTimestamp, s.reason))?;
    }
    // Names as configured, trimmed once rather than for every message (an entry's author has no
    // white space at its ends).
    let bots: Vec<&str> = cx.import.bots.iter().map(|b| b.trim()).collect();
    let agents: Vec<&str> = cx.import.agents.iter().map(|b| b.trim()).collect();
    let times = cx.times;
    let mut seen = whatsapp::Seen::file(&bots, &agents);
    let mut hint = 0;
    for e in scan.entries() {
        if let Some((_, reason)) = bad.range(e.line..=e.last_line).next() {
            let detail = match reason {
                Reason::NulByte => "the message contains a NUL byte",
                _ => "the message has bytes that are not UTF-8",
            };
            emit.skip(cx.skip(e.line as u64, *reason, detail.into()))?;
            continue;
        }
        let role = role_of(&e, &bots, &agents, &mut seen, &mut hint);
        let Some(timestamp) = times.millis(e.time) else {
            emit.skip(cx.skip(
                e.line as u64,
                Reason::BadTimestamp,
                format!("{} does not exist in the configured zone", e.time),
            ))?;
            continue;
        };
        // The message outlives the file's text (`Emit` takes `Message<'static>`): this is the one
        // copy of its text and author.
        let m = Message {
            conversation_id: id.clone().into(),
            timestamp: Some(timestamp),
            role: Some(role),
            text: e.text.into_owned().into(),
            author: e.author.map(|a| a.into_owned().into()),
            origin: cx.origin(e.line as u64),
            ..Message::default()
        };
        emit.message(m)?;
    }
    emit.whatsapp(seen);
    Ok(())
}

/// The role of an entry by its author and the configured names, noting in `seen` who wrote it.
fn role_of(
    e: &whatsapp::Entry<'_>,
    bots: &[&str],
    agents: &[&str],
    seen: &mut whatsapp::Seen,
    hint: &mut usize,
) -> Role {
    let author = match (&e.kind, &e.author) {
        (whatsapp::Kind::System, _) | (_, None) => return Role::System,
        (_, Some(a)) => &**a,
    };
    if seen.wants_authors() {
        seen.author(author, hint);
    }
    if let Some(k) = bots.iter().position(|b| *b == author) {
        seen.found(false, k);
        Role::Bot
    } else if let Some(k) = agents.iter().position(|b| *b == author) {
        seen.found(true, k);
        Role::Agent
    } else {
        Role::Customer
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// One line of a JSONL export, good or bad in one of the ways exports are.
    fn line() -> impl Strategy<Value = String> {
        let conv = prop::sample::select(vec!["a", "b", "c", "d"]);
        let mid = prop::option::of(0u8..6);
        let ts = prop::option::of(0u32..1000);
        (0u8..12, conv, mid, ts, "[a-z ]{0,12}").prop_map(|(kind, conv, mid, ts, text)| {
            let mid = mid.map(|m| format!(",\"message_id\":\"{conv}{m}\"")).unwrap_or_default();
            let ts = ts.map(|t| format!(",\"timestamp\":{}", 1_790_000_000 + t)).unwrap_or_default();
            match kind {
                0 => String::new(),
                1 => "{\"conversation_id\":".into(),
                2 => format!("{{\"role\":\"customer\",\"text\":\"{text}\"}}"),
                3 => format!("{{\"conversation_id\":\"{conv}\",\"role\":\"robot\"}}"),
                4 => format!("{{\"conversation_id\":\"{conv}\",\"role\":\"bot\",\"confidence\":\"x\"}}"),
                5 => format!("{{\"conversation_id\":\"{conv}\",\"role\":\"bot\",\"timestamp\":\"soon\"}}"),
                6 => "[1,2]".into(),
                _ => format!("{{\"conversation_id\":\"{conv}\",\"role\":\"customer\",\"text\":\"{text}\"{mid}{ts}}}"),
            }
        })
    }

    fn run(lines: &[String], interleaved: bool) -> (Stats, Vec<Conversation<'static>>) {
        run_with(lines, interleaved, spill::Hold::default())
    }

    fn run_with(
        lines: &[String],
        interleaved: bool,
        hold: spill::Hold,
    ) -> (Stats, Vec<Conversation<'static>>) {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("log.jsonl");
        std::fs::write(&path, lines.join("\n")).expect("written");
        let mut sink = Collect::default();
        let opts = ReadOptions {
            interleaved,
            hold,
            ..ReadOptions::default()
        };
        let stats = read(&[path], &opts, &mut sink).expect("readable");
        (stats, sink.0)
    }

    fn by_id(mut c: Vec<Conversation<'static>>) -> Vec<Conversation<'static>> {
        c.sort_by(|a, b| a.id.cmp(&b.id));
        c
    }

    fn without_origins(mut c: Vec<Conversation<'static>>) -> Vec<Conversation<'static>> {
        for m in c.iter_mut().flat_map(|c| c.messages.iter_mut()) {
            m.origin = Origin::default();
        }
        c
    }

    fn counts(s: &Stats) -> (u64, u64, u64, u64) {
        (s.records, s.messages, s.skipped, s.duplicates)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        #[test]
        fn every_record_is_accounted_for(lines in prop::collection::vec(line(), 0..60)) {
            let (stats, convs) = run(&lines, false);
            let records = lines.iter().filter(|l| !l.trim().is_empty()).count() as u64;
            prop_assert_eq!(stats.records, records);
            prop_assert!(stats.balanced());
            let messages: usize = convs.iter().map(|c| c.messages.len()).sum();
            prop_assert_eq!(stats.messages, messages as u64);
        }

        /// Spilling past any budget gives the conversations and counts of holding in memory,
        /// and of the same records grouped by conversation; no file is left behind.
        #[test]
        fn spilling_agrees_with_memory_and_with_grouped_input(
            lines in prop::collection::vec(line(), 0..60),
            memory in prop::sample::select(vec![0u64, 1, 700, 4000, u64::MAX]),
        ) {
            let temp = tempfile::tempdir().expect("temp dir");
            let hold = spill::Hold { memory, temp_dir: Some(temp.path().to_path_buf()) };
            let (held, in_memory) = run(&lines, true);
            let (spilled, from_disk) = run_with(&lines, true, hold);
            prop_assert_eq!(by_id(in_memory.clone()), by_id(from_disk));
            prop_assert_eq!(counts(&held), counts(&spilled));
            // Each run reads its own copy of the lines: the skips differ in the file's name only.
            let skips = |s: &Stats| s.first_skips.iter().map(|k| (k.line, k.reason, k.detail.clone())).collect::<Vec<_>>();
            prop_assert_eq!(skips(&held), skips(&spilled));
            prop_assert!(std::fs::read_dir(temp.path()).expect("temp dir").next().is_none());
            let mut grouped = lines.clone();
            grouped.sort_by_key(|l| l.split("\"conversation_id\":\"").nth(1).map(|r| r[..1].to_owned()));
            let (streamed, conversations) = run(&grouped, false);
            prop_assert_eq!(without_origins(by_id(in_memory)), without_origins(by_id(conversations)));
            prop_assert_eq!(counts(&held), counts(&streamed));
        }

        #[test]
        fn holding_and_streaming_agree(lines in prop::collection::vec(line(), 0..60)) {
            let (s1, c1) = run(&lines, false);
            let (s2, c2) = run(&lines, true);
            prop_assert_eq!(c1, c2);
            prop_assert_eq!((s1.records, s1.messages, s1.skipped, s1.duplicates), (s2.records, s2.messages, s2.skipped, s2.duplicates));
        }
    }
}

//! JSONL read through a profile on every core, with what one thread would give.
//!
//! A profile's line costs far more than a canonical record's (a whole JSON tree is built for it),
//! so lines are taken in batches and each batch is cut into one part a core. Each part is parsed
//! and built on its own thread into the events a reader hands an [`Emit`] (messages, skips,
//! non-messages), recorded; the parts' events are then handed on in line order. A line whose
//! shape no mapping chosen so far fits is left to that ordered pass, which chooses its mapping as
//! the one-thread reader does, so notes, skips, the mappings learned and strict mode's first error
//! are the same whatever the number of threads.

use serde_json::Value;

use super::{Choose, Mapping, parse_line, read_line};
use crate::error::Error;
use crate::logs::accounting::{Reason, Skip};
use crate::logs::record::Message;
use crate::logs::time::ZoneTimes;
use crate::logs::{Context, Emit};

/// Lines a batch holds: enough that starting threads costs nothing beside them.
pub(super) const LINES: usize = 2048;

/// What reading one line gave, in order.
#[expect(
    clippy::large_enum_variant,
    reason = "nearly every event is a message: boxing it would allocate once more per record"
)]
enum Event {
    Message(Message<'static>),
    Skip(Skip),
    NonMessage(String),
    Note(String),
    /// No mapping chosen so far fits this line: the ordered pass reads it (with any mapping
    /// an earlier line of the batch has taught it by then).
    Unfitted(u64, Box<Value>),
    Error(Error),
}

/// An [`Emit`] that keeps what it is given.
#[derive(Default)]
struct Recorder(Vec<Event>);

impl Emit for Recorder {
    fn message(&mut self, m: Message<'static>) -> Result<(), Error> {
        self.0.push(Event::Message(m));
        Ok(())
    }
    fn skip(&mut self, s: Skip) -> Result<(), Error> {
        self.0.push(Event::Skip(s));
        Ok(())
    }
    fn non_message(&mut self, kind: &str) {
        self.0.push(Event::NonMessage(kind.to_owned()));
    }
    fn note(&mut self, note: String) {
        self.0.push(Event::Note(note));
    }
}

/// A batch of lines: their numbers and bytes, kept in one buffer.
#[derive(Default)]
pub(super) struct Batch {
    bytes: Vec<u8>,
    lines: Vec<(u64, usize, usize)>,
}

impl Batch {
    pub(super) fn push(&mut self, number: u64, line: &[u8]) {
        let start = self.bytes.len();
        self.bytes.extend_from_slice(line);
        self.lines.push((number, start, self.bytes.len()));
    }

    pub(super) fn is_full(&self) -> bool {
        self.lines.len() >= LINES
    }

    fn line(&self, i: usize) -> (u64, &[u8]) {
        let (number, start, end) = self.lines[i];
        (number, &self.bytes[start..end])
    }
}

/// Reads a batch (emptying it): the lines before the first mapping is chosen one by one, the
/// rest in parts on every core, their events then handed on in line order.
pub(super) fn flush(
    batch: &mut Batch,
    mappings: &mut Vec<Mapping>,
    choose: &mut Choose<'_>,
    cx: &Context<'_>,
    emit: &mut dyn Emit,
    parts: usize,
) -> Result<(), Error> {
    let mut next = 0;
    while mappings.is_empty() && next < batch.lines.len() {
        let (number, bytes) = batch.line(next);
        next += 1;
        match parse_line(bytes) {
            Ok(doc) => {
                mappings.push(choose(&doc, emit)?);
                ordered_line(number, &doc, mappings, choose, cx, emit)?;
            }
            Err((reason, detail)) => emit.skip(cx.skip(number, reason, detail))?,
        }
    }
    let rest: Vec<usize> = (next..batch.lines.len()).collect();
    let size = rest.len().div_ceil(parts).max(1);
    // The context's zone cache is not shared between threads: each part gets a context of its own.
    let (name, file, import) = (cx.name, cx.file, cx.import);
    let recorded: Vec<Recorder> = std::thread::scope(|scope| {
        let workers: Vec<_> = rest
            .chunks(size)
            .map(|part| {
                let (batch, maps) = (&*batch, &*mappings);
                scope.spawn(move || {
                    let times = ZoneTimes::new(&import.zone);
                    let cx = Context {
                        name,
                        file,
                        times: &times,
                        import,
                    };
                    read_part(batch, part, maps, &cx)
                })
            })
            .collect();
        workers
            .into_iter()
            // A part that panicked would lose its records: the panic goes on.
            .map(|w| w.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
            .collect()
    });
    for events in recorded {
        for event in events.0 {
            hand_on(event, mappings, choose, cx, emit)?;
        }
    }
    batch.bytes.clear();
    batch.lines.clear();
    Ok(())
}

/// One part of a batch, read on its own thread with the mappings chosen so far.
fn read_part(batch: &Batch, part: &[usize], mappings: &[Mapping], cx: &Context<'_>) -> Recorder {
    let mut rec = Recorder::default();
    for &i in part {
        let (number, bytes) = batch.line(i);
        let doc = match parse_line(bytes) {
            Ok(doc) => doc,
            Err((reason, detail)) => {
                rec.0.push(Event::Skip(cx.skip(number, reason, detail)));
                continue;
            }
        };
        if let Err(e) = fitted_line(number, &doc, mappings, cx, &mut rec) {
            rec.0.push(Event::Error(e));
            break;
        }
    }
    rec
}

/// Reads a line through the first mapping that fits it; records it as unfitted when none does.
fn fitted_line(
    number: u64,
    doc: &Value,
    mappings: &[Mapping],
    cx: &Context<'_>,
    rec: &mut Recorder,
) -> Result<(), Error> {
    for m in mappings {
        if read_line(doc, m, cx, number, rec)?.is_none() {
            return Ok(());
        }
    }
    rec.0.push(Event::Unfitted(number, Box::new(doc.clone())));
    Ok(())
}

fn hand_on(
    event: Event,
    mappings: &mut Vec<Mapping>,
    choose: &mut Choose<'_>,
    cx: &Context<'_>,
    emit: &mut dyn Emit,
) -> Result<(), Error> {
    match event {
        Event::Message(m) => emit.message(m),
        Event::Skip(s) => emit.skip(s),
        Event::NonMessage(kind) => {
            emit.non_message(&kind);
            Ok(())
        }
        Event::Note(n) => {
            emit.note(n);
            Ok(())
        }
        Event::Unfitted(number, doc) => ordered_line(number, &doc, mappings, choose, cx, emit),
        Event::Error(e) => Err(e),
    }
}

/// A line read in order, as the one-thread reader reads every line: through the mappings chosen
/// so far, else through the mapping chosen for its shape, else skipped with why the first
/// mapping did not fit. (A mapping that does not fit reads nothing, so trying one again is safe.)
fn ordered_line(
    number: u64,
    doc: &Value,
    mappings: &mut Vec<Mapping>,
    choose: &mut Choose<'_>,
    cx: &Context<'_>,
    emit: &mut dyn Emit,
) -> Result<(), Error> {
    let mut first = None;
    for m in mappings.iter() {
        match read_line(doc, m, cx, number, emit)? {
            None => return Ok(()),
            Some(miss) => {
                first.get_or_insert(miss);
            }
        }
    }
    let first_miss = first.unwrap_or_default();
    // A shape not seen before: the mapping for it, when one fits (a document that fits no
    // profile is a skip here, as one line of many, not the end of the run).
    if let Ok(m) = choose(doc, emit)
        && !mappings.iter().any(|k| k.records == m.records)
        && read_line(doc, &m, cx, number, emit)?.is_none()
    {
        mappings.push(m);
        return Ok(());
    }
    emit.skip(cx.skip(number, Reason::UnknownElement, first_miss))
}

#[cfg(test)]
mod tests;

//! JSONL read through a profile on every core, with what one thread would give.
//!
//! A profile's line costs far more than a canonical record's (a whole JSON tree is built for it),
//! so lines are taken in batches, and worker threads parse and build each batch into the events a
//! reader hands an [`Emit`] (messages, skips, non-messages), recorded, while the reading thread
//! hands the events of the batches before it on in line order. A line whose
//! shape no mapping chosen so far fits is left to that ordered pass, which chooses its mapping as
//! the one-thread reader does, so notes, skips, the mappings learned and strict mode's first error
//! are the same whatever the number of threads.

use std::collections::BTreeMap;
use std::io::BufRead;
use std::sync::{Arc, Mutex, mpsc};

use super::doc::Value;

use super::{Choose, Mapping, parse_line, read_line};
use crate::error::Error;
use crate::logs::accounting::{Reason, Skip};
use crate::logs::input::Lines;
use crate::logs::record::Message;
use crate::logs::time::ZoneTimes;
use crate::logs::{Context, Emit};

/// Lines a batch holds at most: enough that handing a batch over costs nothing beside reading it.
const LINES: usize = 2048;

/// Bytes a batch holds at most, so that batches of large documents (an Intercom conversation is
/// kilobytes) keep the memory in flight small.
const BYTES: usize = 1 << 20;

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
        self.lines.len() >= LINES || self.bytes.len() >= BYTES
    }

    /// Empties the batch, keeping its buffers for the next one.
    fn clear(&mut self) {
        self.bytes.clear();
        self.lines.clear();
    }

    fn line(&self, i: usize) -> (u64, &[u8]) {
        let (number, start, end) = self.lines[i];
        (number, &self.bytes[start..end])
    }
}

/// A batch sent to the workers: its place in the input, the mappings chosen when it was sent,
/// and an empty list for its events (one handed on before, so that its memory is reused).
struct Job {
    seq: u64,
    batch: Batch,
    events: Vec<Event>,
    mappings: Arc<Vec<Mapping>>,
}

/// What a worker gives back: a batch's events, or the panic that stopped it; and the batch, whose
/// buffers the next batch reuses.
type Done = (u64, std::thread::Result<Recorder>, Batch);

/// Reads JSONL through the mappings `choose` gives, with `workers` threads parsing batches while
/// this one hands the events of the batches before them on in line order. Lines before the first
/// mapping is chosen are read here, one by one. At most two batches a worker are in flight, so
/// memory stays bounded whatever the input's size.
pub(super) fn read<R: BufRead>(
    lines: &mut Lines<R>,
    choose: &mut Choose<'_>,
    cx: &Context<'_>,
    emit: &mut dyn Emit,
    workers: usize,
) -> Result<(), Error> {
    let (name, file, import) = (cx.name, cx.file, cx.import);
    let (jobs, queue) = mpsc::sync_channel::<Job>(workers);
    let queue = Mutex::new(queue);
    let (done_tx, done) = mpsc::channel::<Done>();
    std::thread::scope(|scope| {
        for _ in 0..workers {
            let (queue, done_tx) = (&queue, done_tx.clone());
            scope.spawn(move || work(queue, &done_tx, name, file, import));
        }
        drop(done_tx);
        let mut order = Order {
            mappings: Vec::new(),
            shared: Arc::new(Vec::new()),
            sent: 0,
            handed: 0,
            waiting: BTreeMap::new(),
            limit: 2 * workers as u64,
            spare: Vec::new(),
            spare_events: Vec::new(),
        };
        let mut batch = Batch::default();
        crate::logs::jsonl::each_record(lines, cx, emit, |number, bytes, emit| {
            if order.mappings.is_empty() {
                return order.first(number, bytes, choose, cx, emit);
            }
            batch.push(number, bytes);
            if batch.is_full() {
                let next = order.spare.pop().unwrap_or_default();
                order.send(
                    &jobs,
                    std::mem::replace(&mut batch, next),
                    &done,
                    choose,
                    cx,
                    emit,
                )?;
            }
            Ok(())
        })?;
        if !batch.lines.is_empty() {
            order.send(&jobs, batch, &done, choose, cx, emit)?;
        }
        drop(jobs);
        order.drain(&done, 0, choose, cx, emit)
    })
}

/// A worker: batches from the queue until it closes, each read with a context of its own (the
/// zone's cache of offsets is not shared between threads).
fn work(
    queue: &Mutex<mpsc::Receiver<Job>>,
    done: &mpsc::Sender<Done>,
    name: &str,
    file: u32,
    import: &crate::logs::ImportSettings,
) {
    let times = ZoneTimes::new(&import.zone);
    let cx = Context {
        name,
        file,
        times: &times,
        import,
    };
    loop {
        let job = match queue.lock().map(|q| q.recv()) {
            Ok(Ok(job)) => job,
            _ => return,
        };
        let Job {
            seq,
            batch,
            events,
            mappings,
        } = job;
        let read = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            read_batch(&batch, &mappings, &cx, events)
        }));
        if done.send((seq, read, batch)).is_err() {
            return;
        }
    }
}

/// The ordered side of the pipeline: the mappings learned, and the batches sent and handed on.
struct Order {
    mappings: Vec<Mapping>,
    /// The mappings as the workers see them, renewed when one is learned.
    shared: Arc<Vec<Mapping>>,
    sent: u64,
    handed: u64,
    /// Batches back from the workers before their turn.
    waiting: BTreeMap<u64, (Recorder, Batch)>,
    limit: u64,
    /// Batches and event lists handed on, empty, for the next batches to fill: a batch's
    /// events are hundreds of kilobytes, and memory allocated afresh for each would be
    /// faulted in afresh too.
    spare: Vec<Batch>,
    spare_events: Vec<Vec<Event>>,
}

impl Order {
    /// A line before any mapping is chosen: read here, the first JSON one choosing the mapping.
    fn first(
        &mut self,
        number: u64,
        bytes: &[u8],
        choose: &mut Choose<'_>,
        cx: &Context<'_>,
        emit: &mut dyn Emit,
    ) -> Result<(), Error> {
        match parse_line(bytes) {
            Ok(doc) => {
                self.mappings.push(choose(&doc, emit)?);
                ordered_line(number, &doc, &mut self.mappings, choose, cx, emit)?;
                self.shared = Arc::new(self.mappings.clone());
                Ok(())
            }
            Err((reason, detail)) => emit.skip(cx.skip(number, reason, detail)),
        }
    }

    /// Sends a batch to the workers, first handing on what is back, so that no more than
    /// `limit` batches are in flight.
    fn send(
        &mut self,
        jobs: &mpsc::SyncSender<Job>,
        batch: Batch,
        done: &mpsc::Receiver<Done>,
        choose: &mut Choose<'_>,
        cx: &Context<'_>,
        emit: &mut dyn Emit,
    ) -> Result<(), Error> {
        self.drain(done, self.limit, choose, cx, emit)?;
        let job = Job {
            seq: self.sent,
            batch,
            events: self.spare_events.pop().unwrap_or_default(),
            mappings: Arc::clone(&self.shared),
        };
        self.sent += 1;
        jobs.send(job)
            .map_err(|_| Error::Internal("the JSONL workers stopped".into()))
    }

    /// Hands batches on in order until at most `left` are in flight.
    fn drain(
        &mut self,
        done: &mpsc::Receiver<Done>,
        left: u64,
        choose: &mut Choose<'_>,
        cx: &Context<'_>,
        emit: &mut dyn Emit,
    ) -> Result<(), Error> {
        while self.sent - self.handed > left {
            let (mut events, mut batch) = match self.waiting.remove(&self.handed) {
                Some(back) => back,
                None => {
                    let (seq, read, batch) = done
                        .recv()
                        .map_err(|_| Error::Internal("the JSONL workers stopped".into()))?;
                    // A batch that panicked would lose its records: the panic goes on.
                    let events = read.unwrap_or_else(|p| std::panic::resume_unwind(p));
                    self.waiting.insert(seq, (events, batch));
                    continue;
                }
            };
            let known = self.mappings.len();
            for event in events.0.drain(..) {
                hand_on(event, &mut self.mappings, choose, cx, emit)?;
            }
            batch.clear();
            self.spare.push(batch);
            self.spare_events.push(events.0);
            if self.mappings.len() != known {
                self.shared = Arc::new(self.mappings.clone());
            }
            self.handed += 1;
        }
        Ok(())
    }
}

/// A batch, read on a worker thread with the mappings chosen when it was sent, into `events`.
fn read_batch(
    batch: &Batch,
    mappings: &[Mapping],
    cx: &Context<'_>,
    events: Vec<Event>,
) -> Recorder {
    let mut rec = Recorder(events);
    for i in 0..batch.lines.len() {
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

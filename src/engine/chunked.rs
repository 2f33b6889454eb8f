//! The parallel fast path for JSONL and CSV: record-aligned chunks parsed and replayed on every
//! core, with an ordered merge of what crosses chunk boundaries.
//!
//! The reader thread cuts the input into chunks of about a megabyte ending at a record's line
//! break (for CSV, one outside quotes; the reader also reads each CSV file's header, so that every
//! worker knows its columns). Workers parse a chunk into messages that borrow their text from it,
//! count its line breaks, split it into runs of records with the same conversation id, and replay
//! every run that neither starts nor ends the chunk: for grouped input those are whole
//! conversations. The first and last run of each chunk go back to this thread, which takes chunks in
//! order, numbers their skips from the line counts, joins runs that continue across a boundary,
//! replays those conversations, and checks from the ids of every run that no conversation came
//! back after another one started (see [`idset::Finished`]). If one did, the
//! input is interleaved: the pass is abandoned and the caller reads the input again holding
//! conversations open (SPEC section 3). Results do not depend on chunk size or thread count:
//! aggregates only add, outcomes are sorted by id, and skipped records are reported in file order.
//! CSV whose quoting the chunk parser does not read exactly, and lines longer than the importers
//! read, send the whole input to the sequential path instead.

use std::collections::BTreeMap;
use std::sync::mpsc;
use std::sync::{Arc, Mutex};

use crate::engine::compile::Compiled;
use crate::engine::feed::{Bytes, Feed};
use crate::engine::idset::{self, Finished};
use crate::engine::plan::Plan;
use crate::engine::replay::{Outcome, Scratch};
use crate::engine::run::{Keep, replay_all};
use crate::error::Error;
use crate::logs::accounting::{Reason, Stats};
use crate::logs::group::{self, Open, fingerprint};
use crate::logs::input::{self, Input};
use crate::logs::record::Message;
use crate::logs::time::ZoneTimes;
use crate::logs::{Context, Format, ImportSettings, Rows, csv, jsonl};
use crate::metrics::Aggregate;

/// Bytes per chunk: large enough that boundary work and thread hand-offs are rare (256 KB chunks
/// cost a third more system time in wake-ups on a 1 GB replay), small enough to keep memory flat.
const CHUNK: usize = 1024 * 1024;

/// The chunk size; `HANDOFF_CHUNK_BYTES` sets a smaller one so tests can put conversations across
/// chunk boundaries with small files.
fn chunk_size() -> usize {
    std::env::var("HANDOFF_CHUNK_BYTES")
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|n| *n >= 16)
        .unwrap_or(CHUNK)
}

struct Chunk {
    seq: u64,
    file: u32,
    /// The line of the chunk's first byte, for the first chunk of a file. Workers number lines
    /// from the chunk's start (the lines of message origins, which replay does not show, and of
    /// skips) and count its line breaks; the merge, taking chunks in order, adds the line the
    /// chunk starts on to its skips. The reader thus makes no pass of its own over the bytes.
    first_line: Option<u64>,
    bytes: Bytes,
    /// The columns of a CSV file (read from its header by the reader); `None` for JSONL.
    head: Option<Arc<csv::Head>>,
}

/// What a worker made of a chunk.
struct Parsed {
    seq: u64,
    /// Fingerprints of the chunk's runs, in order.
    ids: Vec<u64>,
    /// Whether the ids of its runs ascend (see [`idset::before`]).
    ascend: bool,
    /// The first and (when there are two or more runs) the last run, for the merge.
    first: Option<Open<'static>>,
    last: Option<Open<'static>>,
    /// Its counts, with the first few skips (`first_skips`) in file order.
    stats: Stats,
    /// The chunk holds CSV the chunk parser does not read (see [`csv::Unusual`]).
    unusual: bool,
    /// [`Chunk::first_line`], and the chunk's line breaks.
    first_line: Option<u64>,
    newlines: u64,
}

/// Per-matrix results.
pub type Acc = (Vec<Aggregate>, Vec<Vec<Outcome>>);

pub enum Ended {
    Done(Stats, Acc),
    /// The input is interleaved; the caller reads it again holding conversations open.
    Interleaved,
    /// The input needs the sequential path: a line longer than the importers read (which that
    /// path skips as "line too long"), or CSV quoting that only the `csv` crate reads exactly.
    Sequential,
}

/// How the merge stopped.
enum Stop {
    Done,
    Interleaved,
    Sequential,
}

fn fresh(matrices: &[Compiled]) -> Acc {
    (
        matrices.iter().map(Aggregate::new).collect(),
        matrices.iter().map(|_| Vec::new()).collect(),
    )
}

/// Settles and replays one conversation into `acc`; gives back its (emptied) message buffer.
fn replay_into<'a>(
    plan: &Plan,
    keep: Keep,
    open: Open<'a>,
    stats: &mut Stats,
    acc: &mut Acc,
    scratch: &mut Scratch,
) -> Vec<Message<'a>> {
    let conv = group::settle(open, stats);
    replay_all(plan, &conv, keep, acc, scratch);
    let mut buffer = conv.messages;
    buffer.clear();
    buffer
}

/// The runs of one chunk as its records arrive: the first run is kept for the merge, inner runs
/// are replayed as soon as they end, the run still open at the end of the chunk is the last.
struct Runs<'a, 'r> {
    plan: &'r Plan<'r>,
    keep: Keep,
    acc: &'r mut Acc,
    scratch: &'r mut Scratch,
    stats: Stats,
    ids: Vec<u64>,
    /// Whether every run so far came after the one before, by id.
    ascend: bool,
    first: Option<Open<'static>>,
    current: Option<Open<'a>>,
    /// The message buffer of the last replayed run, reused by the next.
    spare: Vec<Message<'a>>,
}

impl<'a> Runs<'a, '_> {
    /// Where the next message goes: the run still open (most messages continue it).
    fn slot(&mut self) -> &mut Vec<Message<'a>> {
        match &mut self.current {
            Some(cur) => &mut cur.records,
            None => &mut self.spare,
        }
    }

    /// The message just pushed onto [`Runs::slot`]: it stays where it is if it continues the
    /// open run, and starts the next run if not.
    fn landed(&mut self) {
        let continues = match &self.current {
            Some(cur) => cur
                .records
                .last()
                .is_some_and(|m| m.conversation_id == cur.id),
            None => false,
        };
        if !continues && let Some(m) = self.slot().pop() {
            self.start(m);
        }
    }

    /// Starts the next run with `m`.
    fn start(&mut self, m: Message<'a>) {
        self.ids.push(fingerprint(&m.conversation_id));
        if let Some(cur) = &self.current {
            self.ascend &= idset::before(&cur.id, &m.conversation_id);
        }
        let mut records = std::mem::take(&mut self.spare);
        let id = m.conversation_id.clone();
        records.push(m);
        if let Some(done) = self.current.replace(Open { id, records }) {
            self.end(done);
        }
    }

    fn end(&mut self, run: Open<'a>) {
        if self.ids.len() == 2 {
            // The chunk's first run may continue the previous chunk's last: it outlives this
            // chunk's buffer.
            self.first = Some(run.into_owned());
        } else {
            self.spare = replay_into(
                self.plan,
                self.keep,
                run,
                &mut self.stats,
                self.acc,
                self.scratch,
            );
        }
    }

    /// The first and last runs, owned, for the merge.
    fn finish(
        mut self,
    ) -> (
        Stats,
        Vec<u64>,
        bool,
        Option<Open<'static>>,
        Option<Open<'static>>,
    ) {
        let current = self.current.take().map(Open::into_owned);
        let (first, last) = match self.first.take() {
            Some(first) => (Some(first), current),
            None => (current, None),
        };
        (self.stats, self.ids, self.ascend, first, last)
    }
}

/// Parses one chunk into runs; replays the inner runs into `acc`.
fn work(
    chunk: &Chunk,
    names: &[String],
    import: &ImportSettings,
    plan: &Plan,
    keep: Keep,
    acc: &mut Acc,
    scratch: &mut Scratch,
) -> Parsed {
    let name = names.get(chunk.file as usize).map_or("?", String::as_str);
    let cx = Context {
        name,
        file: chunk.file,
        times: &ZoneTimes::new(&import.zone),
        import,
    };
    let runs = Runs {
        plan,
        keep,
        acc,
        scratch,
        stats: Stats::default(),
        ids: Vec::new(),
        ascend: true,
        first: None,
        current: None,
        spare: Vec::new(),
    };
    let mut sink = Sink { runs, cx: &cx };
    let (unusual, newlines) = match &chunk.head {
        None => (
            false,
            jsonl_records(&chunk.bytes, chunk.first_line.is_some(), &cx, &mut sink),
        ),
        Some(head) => match csv::parse_chunk(&chunk.bytes, head, 0, &cx, &mut sink) {
            Ok(newlines) => (false, newlines),
            Err(_) => (true, 0),
        },
    };
    let (stats, ids, ascend, first, last) = sink.runs.finish();
    Parsed {
        seq: chunk.seq,
        ids,
        ascend,
        first,
        last,
        stats,
        unusual,
        first_line: chunk.first_line,
        newlines,
    }
}

/// A chunk's records: messages into its runs, skips counted (and the first few kept).
struct Sink<'a, 'r, 's> {
    runs: Runs<'a, 'r>,
    cx: &'s Context<'s>,
}

impl<'a> Rows<'a> for Sink<'a, '_, '_> {
    fn slot(&mut self) -> &mut Vec<Message<'a>> {
        self.runs.slot()
    }

    fn row(&mut self, line: u64, record: Result<(), (Reason, String)>) {
        match record {
            Ok(()) => self.runs.landed(),
            Err((reason, detail)) => self.runs.stats.skip(self.cx.skip(line, reason, detail)),
        }
    }
}

/// Every record of a JSONL chunk, with its line number counted from 0 at the chunk's start
/// (`starts_file`: the chunk is the file's first); returns the chunk's line breaks.
fn jsonl_records<'a>(
    bytes: &'a [u8],
    starts_file: bool,
    cx: &Context<'_>,
    rows: &mut dyn Rows<'a>,
) -> u64 {
    let mut keys = jsonl::Keys::default();
    let mut newlines = 0;
    for (this, raw) in (0..).zip(lines(bytes)) {
        newlines = this;
        let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
        if let Some(raw) = jsonl::record(starts_file && this == 0, raw) {
            let out = rows.slot();
            let record = jsonl::parse_line_into(raw, cx, &mut keys, out);
            if record.is_ok()
                && let Some(m) = out.last_mut()
            {
                m.origin = cx.origin(this);
            }
            rows.row(this, record);
        }
    }
    newlines
}

/// The lines of a chunk, without their `\n`; like `split(|b| *b == b'\n')`, with `memchr`.
fn lines(bytes: &[u8]) -> impl Iterator<Item = &[u8]> {
    let mut rest = Some(bytes);
    std::iter::from_fn(move || {
        let r = rest?;
        match memchr::memchr(b'\n', r) {
            Some(nl) => {
                rest = Some(&r[nl + 1..]);
                Some(&r[..nl])
            }
            None => {
                rest = None;
                Some(r)
            }
        }
    })
}

/// Reads `inputs` (JSONL and CSV files) in chunks on `threads` workers.
pub fn run(
    plan: &Plan,
    inputs: &[Input],
    import: &ImportSettings,
    strict: bool,
    keep: Keep,
    threads: usize,
    progress: Option<&indicatif::ProgressBar>,
) -> Result<Ended, Error> {
    let names: Vec<String> = inputs.iter().map(|i| i.name.clone()).collect();
    std::thread::scope(|scope| -> Result<Ended, Error> {
        let (work_tx, work_rx) = mpsc::sync_channel::<Chunk>(threads * 2);
        // Chunk buffers go back to the reader once parsed: a fixed set of buffers is reused
        // instead of one being allocated on one thread and freed on another for every chunk.
        let (pool_tx, pool_rx) = mpsc::channel::<Vec<u8>>();
        let (done_tx, done_rx) = mpsc::channel::<Parsed>();
        let work_rx = Arc::new(Mutex::new(work_rx));
        let mut workers = Vec::new();
        for _ in 0..threads {
            let (rx, tx, names, pool) = (
                Arc::clone(&work_rx),
                done_tx.clone(),
                &names,
                pool_tx.clone(),
            );
            workers.push(scope.spawn(move || -> Acc {
                let mut acc = fresh(plan.matrices);
                let mut scratch = Scratch::default();
                loop {
                    let next = match rx.lock() {
                        Ok(guard) => guard.recv(),
                        Err(_) => break,
                    };
                    let Ok(chunk) = next else { break };
                    let parsed = work(&chunk, names, import, plan, keep, &mut acc, &mut scratch);
                    if let Some(buffer) = chunk.bytes.into_buffer() {
                        let _ = pool.send(buffer);
                    }
                    if tx.send(parsed).is_err() {
                        break;
                    }
                }
                acc
            }));
        }
        drop(done_tx);
        drop(pool_tx);
        // Only the workers hold the queue's receiving end: when they stop, the reader's send fails.
        drop(work_rx);
        let sequential = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let sequential_ref = Arc::clone(&sequential);
        // The reader: line-aligned chunks, in order.
        let chunk = chunk_size();
        let reader = scope.spawn(move || -> Result<(), Error> {
            let mut seq = 0;
            let fall_back = || {
                sequential_ref.store(true, std::sync::atomic::Ordering::Relaxed);
                Ok(())
            };
            for (i, inp) in inputs.iter().enumerate() {
                let mut feed = Feed::open(inp, &pool_rx)?;
                // The line the file's first chunk starts on: after the header of a CSV file.
                let mut first_line = Some(1);
                let file = u32::try_from(i).unwrap_or(u32::MAX);
                let is_csv = inp.format == Some(Format::Csv);
                let mut head: Option<Arc<csv::Head>> = None;
                // How many bytes to look at: a chunk, or more when no record ends in a chunk.
                let mut want = chunk;
                loop {
                    let (mut bytes, at_end) =
                        feed.window(want).map_err(|source| Error::Truncated {
                            path: inp.name.clone(),
                            source,
                        })?;
                    if is_csv && head.is_none() {
                        // The header row, read here so that every worker knows the columns.
                        let cx = Context {
                            name: &inp.name,
                            file,
                            times: &ZoneTimes::new(&import.zone),
                            import,
                        };
                        match csv::head(&bytes, &cx) {
                            Err(_) => return fall_back(),
                            Ok(Some((h, used, lines))) => {
                                head = Some(Arc::new(h));
                                feed.take(&mut bytes, used);
                                first_line = Some(1 + lines);
                                want = chunk;
                                continue;
                            }
                            Ok(None) if at_end => break, // no rows
                            Ok(None) if bytes.len() > input::MAX_LINE => return fall_back(),
                            Ok(None) => {
                                feed.again(bytes);
                                want = want.saturating_mul(2);
                                continue;
                            }
                        }
                    }
                    if !at_end {
                        // Leave the unfinished last record to the next chunk.
                        let end = if is_csv {
                            csv::cut(&bytes)
                        } else {
                            memchr::memrchr(b'\n', &bytes).map(|nl| nl + 1)
                        };
                        match end {
                            Some(end) => feed.take(&mut bytes, end),
                            None if bytes.len() > input::MAX_LINE => return fall_back(),
                            None => {
                                // One record longer than a chunk: look further.
                                feed.again(bytes);
                                want = want.saturating_mul(2);
                                continue;
                            }
                        }
                    }
                    want = chunk;
                    if bytes.is_empty() {
                        break;
                    }
                    let chunk = Chunk {
                        seq,
                        file,
                        first_line: first_line.take(),
                        bytes,
                        head: head.clone(),
                    };
                    seq += 1;
                    if work_tx.send(chunk).is_err() {
                        return Ok(()); // the merge stopped early
                    }
                    if at_end {
                        break;
                    }
                }
            }
            Ok(())
        });
        // The ordered merge.
        let mut pending: BTreeMap<u64, Parsed> = BTreeMap::new();
        let mut next = 0;
        let mut stats = Stats::default();
        let mut acc = fresh(plan.matrices);
        let mut scratch = Scratch::default();
        let mut finished = Finished::new();
        let mut open: Option<Open> = None;
        let mut outcome: Result<Stop, Error> = Ok(Stop::Done);
        let mut conversations = 0u64;
        // The line the next chunk starts on, when it does not start a file.
        let mut line = 1;
        'merge: for parsed in done_rx.iter() {
            pending.insert(parsed.seq, parsed);
            while let Some(mut p) = pending.remove(&next) {
                next += 1;
                if p.unusual {
                    outcome = Ok(Stop::Sequential);
                    break 'merge;
                }
                // The chunk's lines count from its start; the line it starts on follows from the
                // line breaks of the chunks before it in its file.
                let start = p.first_line.unwrap_or(line);
                line = start + p.newlines;
                for s in &mut p.stats.first_skips {
                    s.line += start;
                }
                // The chunk's first skips, in file order after those of earlier chunks.
                if strict && let Some(s) = p.stats.first_skips.first().cloned() {
                    outcome = Err(Error::BadRecord {
                        file: s.file,
                        line: s.line,
                        reason: s.reason,
                        detail: s.detail,
                    });
                    break 'merge;
                }
                stats.absorb(p.stats);
                // Chunks whose runs continue the order of ids so far need no look-ups.
                let fast = match (&p.first, p.last.as_ref().or(p.first.as_ref())) {
                    (Some(f), Some(l)) => finished.chunk(p.ascend, &f.id, &l.id),
                    _ => false,
                };
                let n = p.ids.len();
                let mut first = p.first;
                let mut last = p.last;
                for (k, &fp) in p.ids.iter().enumerate() {
                    let run = if k == 0 {
                        first.take()
                    } else if k + 1 == n {
                        last.take()
                    } else {
                        None
                    };
                    if let (Some(o), Some(r)) = (&mut open, &run)
                        && k == 0
                        && o.id == r.id
                    {
                        if let Some(r) = run {
                            o.records.extend(r.records);
                        }
                        continue;
                    }
                    if let Some(o) = open.take() {
                        if !fast {
                            finished.insert(fingerprint(&o.id));
                        }
                        replay_into(plan, keep, o, &mut stats, &mut acc, &mut scratch);
                        conversations += 1;
                    }
                    // A finished conversation coming back means interleaved input. A run that may
                    // continue in the next chunk is only checked here; it is recorded when it ends.
                    let seen = !fast
                        && match run {
                            Some(_) => finished.contains(fp),
                            None => !finished.insert(fp),
                        };
                    if seen {
                        outcome = Ok(Stop::Interleaved);
                        break 'merge;
                    }
                    match run {
                        Some(r) => open = Some(r),
                        None => conversations += 1,
                    }
                }
                if fast {
                    finished.keep(p.ids);
                }
                if let Some(p) = progress {
                    p.set_position(conversations);
                }
            }
        }
        // Stop the reader and the workers, whatever happened.
        drop(done_rx);
        let read_result = reader
            .join()
            .map_err(|_| Error::Internal("the log reader panicked".into()))?;
        let mut worker_accs = Vec::new();
        for w in workers {
            worker_accs.push(
                w.join()
                    .map_err(|_| Error::Internal("a replay worker panicked".into()))?,
            );
        }
        match outcome {
            Err(e) => return Err(e),
            Ok(Stop::Interleaved) => return Ok(Ended::Interleaved),
            Ok(Stop::Sequential) => return Ok(Ended::Sequential),
            Ok(Stop::Done) => {}
        }
        if sequential.load(std::sync::atomic::Ordering::Relaxed) {
            return Ok(Ended::Sequential);
        }
        read_result?;
        if let Some(o) = open.take() {
            replay_into(plan, keep, o, &mut stats, &mut acc, &mut scratch);
        }
        for (aggs, outs) in worker_accs {
            for (i, a) in aggs.into_iter().enumerate() {
                acc.0[i].merge(a);
            }
            for (i, o) in outs.into_iter().enumerate() {
                acc.1[i].extend(o);
            }
        }
        Ok(Ended::Done(stats, acc))
    })
}

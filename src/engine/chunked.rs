//! The parallel fast path for JSONL and CSV: record-aligned chunks parsed and replayed on every
//! core, with an ordered merge of what crosses chunk boundaries.
//!
//! The reader thread cuts the input into chunks of `--chunk-bytes` (a megabyte) ending at a record's line
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
//! CSV whose quoting the chunk parser does not read exactly, a CSV file whose header is a
//! platform's export (read through its profile), and lines longer than the importers read, send
//! the whole input to the sequential path instead.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};

use crate::engine::feed::{Bytes, Feed};
use crate::engine::fold::{Fold, Job, merge_all, replay_into};
use crate::engine::idset::{self, Finished};
use crate::engine::plan::Plan;
use crate::engine::replay::Scratch;
use crate::error::Error;
use crate::logs::accounting::{Reason, Stats};
use crate::logs::group::{self, Open, fingerprint};
use crate::logs::input::{self, Input};
use crate::logs::record::Message;
use crate::logs::time::ZoneTimes;
use crate::logs::{Context, Format, ImportSettings, Rows, csv, jsonl};

/// How the chunked path reads: the importer settings and the reading options of the run.
pub struct How<'a> {
    pub import: &'a ImportSettings,
    pub strict: bool,
    /// Bytes per chunk (at least [`crate::engine::run::MIN_CHUNK_BYTES`]).
    pub chunk_bytes: usize,
    /// Whether regular files are mapped into memory rather than read into buffers.
    pub mmap: bool,
}

pub(crate) struct Chunk {
    pub(crate) seq: u64,
    pub(crate) file: u32,
    /// The line of the chunk's first byte, for the first chunk of a file. Workers number lines
    /// from the chunk's start (the lines of message origins, which replay does not show, and of
    /// skips) and count its line breaks; the merge, taking chunks in order, adds the line the
    /// chunk starts on to its skips. The reader thus makes no pass of its own over the bytes.
    pub(crate) first_line: Option<u64>,
    pub(crate) bytes: Bytes,
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

pub enum Ended<F> {
    /// The counts (boxed: they are far larger than the other variants) and the fold.
    Done(Box<Stats>, F),
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

/// Settles and replays one conversation into `fold`; gives back its (emptied) message buffer.
fn settle_and_replay<'a, F: Fold>(
    plan: &Plan,
    open: Open<'a>,
    stats: &mut Stats,
    fold: &mut F,
    scratch: &mut Scratch,
) -> Vec<Message<'a>> {
    let conv = group::settle(open, stats);
    replay_into(plan, &conv, fold, scratch);
    let mut buffer = conv.messages;
    buffer.clear();
    buffer
}

/// The runs of one chunk as its records arrive: the first run is kept for the merge, inner runs
/// are replayed as soon as they end, the run still open at the end of the chunk is the last.
struct Runs<'a, 'r, F> {
    plan: &'r Plan<'r>,
    fold: &'r mut F,
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

impl<'a, F: Fold> Runs<'a, '_, F> {
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
            self.spare =
                settle_and_replay(self.plan, run, &mut self.stats, self.fold, self.scratch);
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

/// Parses one chunk into runs; replays the inner runs into `fold`.
fn work<F: Fold>(
    chunk: &Chunk,
    names: &[String],
    import: &ImportSettings,
    plan: &Plan,
    fold: &mut F,
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
        fold,
        scratch,
        stats: Stats::default(),
        ids: Vec::new(),
        ascend: true,
        first: None,
        current: None,
        spare: Vec::new(),
    };
    let mut sink = Sink { runs, cx: &cx };
    let (unusual, newlines) = parse(chunk, &cx, &mut sink);
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

/// Parses one chunk's records into `rows`: whether it holds CSV the chunk parser does not read
/// exactly (see [`csv::Unusual`]), and its line breaks.
pub(crate) fn parse<'a>(
    chunk: &'a Chunk,
    cx: &Context<'_>,
    rows: &mut dyn Rows<'a>,
) -> (bool, u64) {
    match &chunk.head {
        None => (
            false,
            jsonl_records(&chunk.bytes, chunk.first_line.is_some(), cx, rows),
        ),
        Some(head) => match csv::parse_chunk(&chunk.bytes, head, 0, cx, rows) {
            Ok(newlines) => (false, newlines),
            Err(_) => (true, 0),
        },
    }
}

/// A chunk's records: messages into its runs, skips counted (and the first few kept).
struct Sink<'a, 'r, 's, F> {
    runs: Runs<'a, 'r, F>,
    cx: &'s Context<'s>,
}

impl<'a, F: Fold> Rows<'a> for Sink<'a, '_, '_, F> {
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

/// Reads `inputs` (JSONL and CSV files) in chunks on the job's workers: the reader on a thread of
/// its own, the workers, and the ordered merge on this thread.
pub fn run<F: Fold>(job: &Job<'_, F>, inputs: &[Input], how: &How<'_>) -> Result<Ended<F>, Error> {
    let names: Vec<String> = inputs.iter().map(|i| i.name.clone()).collect();
    // Set by the reader when the input needs the sequential path.
    let sequential = AtomicBool::new(false);
    std::thread::scope(|scope| -> Result<Ended<F>, Error> {
        let (work_tx, work_rx) = mpsc::sync_channel::<Chunk>(job.threads * 2);
        // Chunk buffers go back to the reader once parsed: a fixed set of buffers is reused
        // instead of one being allocated on one thread and freed on another for every chunk.
        let (pool_tx, pool_rx) = mpsc::channel::<Vec<u8>>();
        let (done_tx, done_rx) = mpsc::channel::<Parsed>();
        let work_rx = Arc::new(Mutex::new(work_rx));
        let workers: Vec<_> = (0..job.threads)
            .map(|_| {
                let (rx, done, pool, names) = (
                    Arc::clone(&work_rx),
                    done_tx.clone(),
                    pool_tx.clone(),
                    &names,
                );
                scope.spawn(move || worker(job, how.import, names, &rx, &done, &pool))
            })
            .collect();
        drop(done_tx);
        drop(pool_tx);
        // Only the workers hold the queue's receiving end: when they stop, the reader's send fails.
        drop(work_rx);
        let reader = {
            let sequential = &sequential;
            scope.spawn(move || {
                Reader::new(how, &pool_rx, work_tx, job.progress).all(inputs, sequential)
            })
        };
        let mut merge = Merge::new(job, how.strict);
        let outcome = merge.all(done_rx.iter());
        // Stop the reader and the workers, whatever happened.
        drop(done_rx);
        let read_result = reader
            .join()
            .map_err(|_| Error::Internal("the log reader panicked".into()))?;
        let mut folds = Vec::with_capacity(workers.len());
        for w in workers {
            folds.push(
                w.join()
                    .map_err(|_| Error::Internal("a replay worker panicked".into()))?,
            );
        }
        match outcome? {
            Stop::Interleaved => return Ok(Ended::Interleaved),
            Stop::Sequential => return Ok(Ended::Sequential),
            Stop::Done => {}
        }
        if sequential.load(Ordering::Relaxed) {
            return Ok(Ended::Sequential);
        }
        read_result?;
        let (stats, fold) = merge.finish();
        Ok(Ended::Done(Box::new(stats), merge_all(fold, folds)))
    })
}

/// A worker: parses and replays chunks until the queue closes or the merge stops listening.
fn worker<F: Fold>(
    job: &Job<'_, F>,
    import: &ImportSettings,
    names: &[String],
    rx: &Mutex<mpsc::Receiver<Chunk>>,
    done: &mpsc::Sender<Parsed>,
    pool: &mpsc::Sender<Vec<u8>>,
) -> F {
    let mut fold = job.empty.clone();
    let mut scratch = Scratch::default();
    loop {
        let next = match rx.lock() {
            Ok(guard) => guard.recv(),
            Err(_) => break,
        };
        let Ok(chunk) = next else { break };
        let parsed = work(&chunk, names, import, job.plan, &mut fold, &mut scratch);
        if let Some(buffer) = chunk.bytes.into_buffer() {
            let _ = pool.send(buffer);
        }
        if done.send(parsed).is_err() {
            break;
        }
    }
    fold
}

/// The reader: cuts every input into chunks that end at a record's end, in order.
pub(crate) struct Reader<'a> {
    how: &'a How<'a>,
    pool: &'a mpsc::Receiver<Vec<u8>>,
    work: mpsc::SyncSender<Chunk>,
    seq: u64,
    /// Where the bytes handed to workers are counted.
    progress: Option<&'a crate::engine::progress::Progress>,
}

/// How reading a file ended.
enum Flow {
    /// On to the next file.
    Next,
    /// The input needs the sequential path.
    FallBack,
    /// The merge stopped listening.
    Stopped,
}

impl<'a> Reader<'a> {
    /// A reader that sends its chunks to `work`, reading into the buffers that come back on `pool`.
    pub(crate) fn new(
        how: &'a How<'a>,
        pool: &'a mpsc::Receiver<Vec<u8>>,
        work: mpsc::SyncSender<Chunk>,
        progress: Option<&'a crate::engine::progress::Progress>,
    ) -> Reader<'a> {
        Reader {
            how,
            pool,
            work,
            seq: 0,
            progress,
        }
    }

    /// Reads every input; sets `sequential` when the input needs the sequential path.
    pub(crate) fn all(&mut self, inputs: &[Input], sequential: &AtomicBool) -> Result<(), Error> {
        for (i, inp) in inputs.iter().enumerate() {
            match self.file(i, inp)? {
                Flow::Next => {}
                Flow::FallBack => {
                    sequential.store(true, Ordering::Relaxed);
                    return Ok(());
                }
                Flow::Stopped => return Ok(()),
            }
        }
        Ok(())
    }

    /// Sends one file's chunks: for CSV its header first, read here so that every worker knows
    /// the columns.
    fn file(&mut self, i: usize, inp: &Input) -> Result<Flow, Error> {
        let chunk = self.how.chunk_bytes;
        let mut feed = Feed::open(inp, self.pool, self.how.mmap)?;
        // The line the file's first chunk starts on: after the header of a CSV file.
        let mut first_line = Some(1);
        let file = u32::try_from(i).unwrap_or(u32::MAX);
        let is_csv = inp.format == Some(Format::Csv);
        let mut head: Option<Arc<csv::Head>> = None;
        // How many bytes to look at: a chunk, or more when no record ends in a chunk.
        let mut want = chunk;
        loop {
            let (mut bytes, at_end) = feed.window(want).map_err(|source| Error::Truncated {
                path: inp.name.clone(),
                source,
            })?;
            if is_csv && head.is_none() {
                let cx = Context {
                    name: &inp.name,
                    file,
                    times: &ZoneTimes::new(&self.how.import.zone),
                    import: self.how.import,
                };
                match csv::head(&bytes, &cx) {
                    Err(_) => return Ok(Flow::FallBack),
                    // A platform's export is read through its profile, by the sequential path.
                    Ok(Some((h, _, _))) if crate::logs::profiles::exported(&h).is_some() => {
                        return Ok(Flow::FallBack);
                    }
                    Ok(Some((h, used, lines))) => {
                        head = Some(Arc::new(h));
                        feed.take(&mut bytes, used);
                        first_line = Some(1 + lines);
                        want = chunk;
                        continue;
                    }
                    Ok(None) if at_end => return Ok(Flow::Next), // no rows
                    Ok(None) => match widen(&mut feed, bytes, want) {
                        Some(wider) => {
                            want = wider;
                            continue;
                        }
                        None => return Ok(Flow::FallBack),
                    },
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
                    // One record longer than a chunk: look further.
                    None => match widen(&mut feed, bytes, want) {
                        Some(wider) => {
                            want = wider;
                            continue;
                        }
                        None => return Ok(Flow::FallBack),
                    },
                }
            }
            want = chunk;
            if bytes.is_empty() {
                return Ok(Flow::Next);
            }
            let sent = Chunk {
                seq: self.seq,
                file,
                first_line: first_line.take(),
                bytes,
                head: head.clone(),
            };
            self.seq += 1;
            if let Some(p) = self.progress {
                p.add_bytes(sent.bytes.len() as u64);
            }
            if self.work.send(sent).is_err() {
                return Ok(Flow::Stopped);
            }
            if at_end {
                return Ok(Flow::Next);
            }
        }
    }
}

/// A window that holds no whole record yet is looked at again twice as wide, unless it is already
/// longer than any line the importers read (the sequential path skips such a line).
fn widen(feed: &mut Feed<'_>, bytes: Bytes, want: usize) -> Option<usize> {
    if bytes.len() > input::MAX_LINE {
        return None;
    }
    feed.again(bytes);
    Some(want.saturating_mul(2))
}

/// The ordered merge: takes parsed chunks in order, joins the runs that cross chunk boundaries,
/// replays those conversations and watches for a conversation that comes back.
struct Merge<'j, F> {
    job: &'j Job<'j, F>,
    strict: bool,
    /// Chunks parsed ahead of the next one in order.
    pending: BTreeMap<u64, Parsed>,
    next: u64,
    stats: Stats,
    fold: F,
    scratch: Scratch,
    finished: Finished,
    /// The conversation that may continue in the next chunk.
    open: Option<Open<'static>>,
    conversations: u64,
    /// The line the next chunk starts on, when it does not start a file.
    line: u64,
}

impl<'j, F: Fold> Merge<'j, F> {
    fn new(job: &'j Job<'j, F>, strict: bool) -> Self {
        Merge {
            job,
            strict,
            pending: BTreeMap::new(),
            next: 0,
            stats: Stats::default(),
            fold: job.empty.clone(),
            scratch: Scratch::default(),
            finished: Finished::new(),
            open: None,
            conversations: 0,
            line: 1,
        }
    }

    /// Merges chunks as they come, in order, until the input ends or the merge must stop.
    fn all(&mut self, parsed: impl Iterator<Item = Parsed>) -> Result<Stop, Error> {
        for p in parsed {
            self.pending.insert(p.seq, p);
            while let Some(p) = self.pending.remove(&self.next) {
                self.next += 1;
                if let Some(stop) = self.chunk(p)? {
                    return Ok(stop);
                }
            }
        }
        Ok(Stop::Done)
    }

    /// One chunk, the next in order: its skips numbered and counted, its runs joined.
    fn chunk(&mut self, mut p: Parsed) -> Result<Option<Stop>, Error> {
        if p.unusual {
            return Ok(Some(Stop::Sequential));
        }
        // The chunk's lines count from its start; the line it starts on follows from the line
        // breaks of the chunks before it in its file.
        let start = p.first_line.unwrap_or(self.line);
        self.line = start + p.newlines;
        for s in &mut p.stats.first_skips {
            s.line += start;
        }
        // The chunk's first skips, in file order after those of earlier chunks.
        if self.strict
            && let Some(s) = p.stats.first_skips.first().cloned()
        {
            return Err(Error::BadRecord {
                file: s.file,
                line: s.line,
                reason: s.reason,
                detail: s.detail,
            });
        }
        self.stats.absorb(p.stats);
        // Chunks whose runs continue the order of ids so far need no look-ups.
        let fast = match (&p.first, p.last.as_ref().or(p.first.as_ref())) {
            (Some(f), Some(l)) => self.finished.chunk(p.ascend, &f.id, &l.id),
            _ => false,
        };
        let stop = self.runs(&p.ids, p.first, p.last, fast);
        if stop.is_none() && fast {
            self.finished.keep(p.ids);
        }
        if let Some(progress) = self.job.progress {
            progress.conversations(self.conversations);
        }
        Ok(stop)
    }

    /// The runs of one chunk, by their ids: the first may continue the open conversation, inner
    /// runs were replayed by the worker, the last stays open.
    fn runs(
        &mut self,
        ids: &[u64],
        mut first: Option<Open<'static>>,
        mut last: Option<Open<'static>>,
        fast: bool,
    ) -> Option<Stop> {
        let n = ids.len();
        for (k, &fp) in ids.iter().enumerate() {
            let run = if k == 0 {
                first.take()
            } else if k + 1 == n {
                last.take()
            } else {
                None
            };
            if let (Some(o), Some(r)) = (&mut self.open, &run)
                && k == 0
                && o.id == r.id
            {
                if let Some(r) = run {
                    o.records.extend(r.records);
                }
                continue;
            }
            if let Some(o) = self.open.take() {
                if !fast {
                    self.finished.insert(fingerprint(&o.id));
                }
                self.replay(o);
                self.conversations += 1;
            }
            // A finished conversation coming back means interleaved input. A run that may
            // continue in the next chunk is only checked here; it is recorded when it ends.
            let seen = !fast
                && match run {
                    Some(_) => self.finished.contains(fp),
                    None => !self.finished.insert(fp),
                };
            if seen {
                return Some(Stop::Interleaved);
            }
            match run {
                Some(r) => self.open = Some(r),
                None => self.conversations += 1,
            }
        }
        None
    }

    fn replay(&mut self, open: Open<'static>) {
        settle_and_replay(
            self.job.plan,
            open,
            &mut self.stats,
            &mut self.fold,
            &mut self.scratch,
        );
    }

    /// The counts, and the fold with the last conversation replayed.
    fn finish(mut self) -> (Stats, F) {
        if let Some(o) = self.open.take() {
            self.replay(o);
        }
        (self.stats, self.fold)
    }
}

//! The parallel path for interleaved JSONL and CSV files larger than `--memory`: chunks parsed on
//! every core, their records written to partition files by conversation id, then the partitions
//! grouped and replayed on every core (SPEC section 3, "Holding is bounded").
//!
//! The reader cuts chunks as for grouped input ([`chunked`]). Each worker parses a chunk and
//! writes every message to a partition file of its own, chosen by the fingerprint of the
//! conversation id, after a key (the chunk's number and the record's place in it) that orders it
//! among the records of other workers. Workers take chunks in order, so each worker's file is
//! sorted by that key. This thread meanwhile takes the workers' counts in chunk order, numbering
//! skips by line and stopping at the first under `--strict`, as the chunked path does. Then each
//! partition is read back by one worker: its files merged by key give the records in file order,
//! which are grouped, settled and replayed into the worker's fold. Partitions are sized from the
//! input's bytes so that the workers' partitions together fit the budget; one that does not (a
//! skewed input) is replayed afterwards through the sequential spill ([`spill::Spill`]), which
//! splits it further.

use std::collections::{BTreeMap, HashMap};
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, mpsc};

use crate::engine::chunked::{self, Chunk, How, Reader};
use crate::engine::fold::{Fold, Job, merge_all, replay_into};
use crate::engine::replay::Scratch;
use crate::error::Error;
use crate::logs::accounting::{Reason, Stats};
use crate::logs::group::{self, Open, fingerprint};
use crate::logs::input::Input;
use crate::logs::record::Message;
use crate::logs::spill::{self, Hold, codec, temp::SpillDir};
use crate::logs::time::ZoneTimes;
use crate::logs::{Context, Rows};

/// What a held record takes in memory for each byte of JSONL or CSV it was read from, roughly:
/// the estimate that sizes the partitions.
const EXPANSION: u64 = 2;

/// Messages of a conversation, about: what the grouping reserves for each.
const TYPICAL: usize = 8;

/// Partition files all workers keep open at once, at most (well under the usual limit of 1024
/// open files).
const MAX_OPEN: usize = 512;

pub enum Ended<F> {
    /// The counts (boxed: they are far larger than the other variant) and the fold.
    Done(Box<Stats>, F),
    /// The input needs the sequential path (see [`chunked::Ended::Sequential`]).
    Sequential,
}

/// Whether `inputs` (JSONL and CSV files) are too large to hold within `hold`: the bytes they
/// hold, and the partitions to spill them to, if so.
pub fn outgrows(inputs: &[Input], hold: &Hold, threads: usize) -> Option<usize> {
    let total: u64 = inputs
        .iter()
        .filter_map(|i| i.path.as_ref())
        .filter_map(|p| std::fs::metadata(p).ok())
        .map(|m| m.len())
        .sum();
    let held = total.saturating_mul(EXPANSION);
    if held <= hold.memory {
        return None;
    }
    // Each of the workers replays one partition at a time: together they hold the budget, with
    // room to spare for partitions that come out larger than the average.
    let share = (hold.memory / threads.max(1) as u64).max(1);
    let wanted = (held / share).saturating_mul(2).saturating_add(1);
    let most = 1usize << (MAX_OPEN / threads.max(1)).max(2).ilog2();
    let parts = usize::try_from(wanted)
        .unwrap_or(usize::MAX)
        .min(most)
        .max(2);
    Some(parts.next_power_of_two())
}

/// Replays `inputs` spilled into `parts` partitions.
pub fn run<F: Fold>(
    job: &Job<'_, F>,
    inputs: &[Input],
    how: &How<'_>,
    hold: &Hold,
    parts: usize,
) -> Result<Ended<F>, Error> {
    let parent = hold.parent().display().to_string();
    let temp_error = |source| Error::TempFiles {
        dir: parent.clone(),
        source,
    };
    let dir = SpillDir::new(&hold.parent()).map_err(temp_error)?;
    let names: Vec<String> = inputs.iter().map(|i| i.name.clone()).collect();
    let buffer = usize::try_from(hold.memory / (4 * (job.threads * parts) as u64).max(1))
        .unwrap_or(usize::MAX)
        .clamp(4096, 64 * 1024);
    let spread = Spread {
        dir: dir.path(),
        parts,
        buffer,
        workers: job.threads,
    };
    let (mut stats, held) = match write(job, inputs, how, &names, &spread)? {
        Written::Done(stats, held) => (stats, held),
        Written::Sequential => return Ok(Ended::Sequential),
    };
    stats.notes.push(format!(
        "the open conversations would outgrow --memory ({}): spilling records to {}",
        spill::size::show(hold.memory),
        dir.path().display()
    ));
    let share = hold.memory / job.threads.max(1) as u64;
    let large: Vec<usize> = (0..parts).filter(|&k| held[k] > share).collect();
    let (counts, fold) = replay(job, &spread, &large).map_err(temp_error)?;
    stats.absorb(counts);
    let mut fold = fold;
    let mut scratch = Scratch::default();
    for k in large {
        // A partition larger than a worker's share: through the spill that splits it further.
        let mut again = spill::Spill::new(hold)?;
        spread
            .merged(k, &mut |m| again.push(m))
            .map_err(temp_error)??;
        let mut counts = Stats::default();
        again.drain(hold.memory, &mut |open| {
            let conv = group::settle(open, &mut counts);
            replay_into(job.plan, &conv, &mut fold, &mut scratch);
            Ok(())
        })?;
        stats.absorb(counts);
    }
    Ok(Ended::Done(stats, fold))
}

/// Where the partition files are.
struct Spread<'a> {
    dir: &'a Path,
    parts: usize,
    /// Bytes buffered per open partition file.
    buffer: usize,
    /// The workers of the first pass, each of which may have written a file of every partition.
    workers: usize,
}

impl Spread<'_> {
    fn slot(&self, id: &str) -> usize {
        (fingerprint(id) as usize) & (self.parts - 1)
    }

    fn path(&self, worker: usize, part: usize) -> PathBuf {
        self.dir.join(format!("w{worker}-{part}"))
    }

    /// Every worker's file of partition `k`, read and removed (a worker may have written none).
    fn read(&self, k: usize) -> io::Result<Vec<Vec<u8>>> {
        let mut files = Vec::new();
        for w in 0..self.workers {
            let path = self.path(w, k);
            match std::fs::read(&path) {
                Ok(bytes) => {
                    std::fs::remove_file(&path)?;
                    files.push(bytes);
                }
                Err(e) if e.kind() == io::ErrorKind::NotFound => {}
                Err(e) => return Err(e),
            }
        }
        Ok(files)
    }

    /// Every record of partition `k` in file order, mapped rather than read (the partition is
    /// larger than a worker's share), to `each`; the files are removed.
    fn merged(
        &self,
        k: usize,
        each: &mut dyn FnMut(&Message<'_>) -> Result<(), Error>,
    ) -> io::Result<Result<(), Error>> {
        let mut maps = Vec::new();
        for w in 0..self.workers {
            let path = self.path(w, k);
            match File::open(&path) {
                Ok(f) => {
                    if f.metadata()?.len() > 0 {
                        maps.push(spill::map(&f)?);
                    }
                    std::fs::remove_file(&path)?;
                }
                Err(e) if e.kind() == io::ErrorKind::NotFound => {}
                Err(e) => return Err(e),
            }
        }
        let files: Vec<&[u8]> = maps.iter().map(|m| &m[..]).collect();
        let mut merge = Merge::new(&files)?;
        while let Some(m) = merge.pop()? {
            if let Err(e) = each(&m) {
                return Ok(Err(e));
            }
        }
        Ok(Ok(()))
    }
}

/// A file's bytes not decoded yet, and the record decoded last, with its key, not taken yet.
type Head<'a> = (&'a [u8], Option<(u64, Message<'a>)>);

/// The records of several files, each sorted by key, in the order of their keys.
struct Merge<'a> {
    heads: Vec<Head<'a>>,
}

impl<'a> Merge<'a> {
    fn new(files: &[&'a [u8]]) -> io::Result<Merge<'a>> {
        let mut heads = Vec::with_capacity(files.len());
        for f in files {
            let mut rest = *f;
            let head = codec::decode(&mut rest)?;
            heads.push((rest, head));
        }
        Ok(Merge { heads })
    }

    fn pop(&mut self) -> io::Result<Option<Message<'a>>> {
        // A few files (one per worker): a linear look for the smallest key is the fastest.
        let Some(i) = (0..self.heads.len())
            .filter(|&i| self.heads[i].1.is_some())
            .min_by_key(|&i| self.heads[i].1.as_ref().map(|(k, _)| *k))
        else {
            return Ok(None);
        };
        let (rest, head) = &mut self.heads[i];
        let next = codec::decode(rest)?;
        Ok(std::mem::replace(head, next).map(|(_, m)| m))
    }
}

/// How writing the partitions ended.
enum Written {
    /// The counts of what was read (boxed: they are far larger than the other variant), and what
    /// each partition's records hold.
    Done(Box<Stats>, Vec<u64>),
    Sequential,
}

/// What a worker made of a chunk, for the counts in order.
struct Counted {
    seq: u64,
    stats: Stats,
    unusual: bool,
    first_line: Option<u64>,
    newlines: u64,
}

/// Reads and parses every chunk, writing records to the partitions; counts in chunk order.
fn write<F: Fold>(
    job: &Job<'_, F>,
    inputs: &[Input],
    how: &How<'_>,
    names: &[String],
    spread: &Spread<'_>,
) -> Result<Written, Error> {
    let sequential = AtomicBool::new(false);
    std::thread::scope(|scope| -> Result<Written, Error> {
        let (work_tx, work_rx) = mpsc::sync_channel::<Chunk>(job.threads * 2);
        let (pool_tx, pool_rx) = mpsc::channel::<Vec<u8>>();
        let (done_tx, done_rx) = mpsc::channel::<Counted>();
        let work_rx = Arc::new(Mutex::new(work_rx));
        let workers: Vec<_> = (0..job.threads)
            .map(|w| {
                let (rx, done, pool) = (Arc::clone(&work_rx), done_tx.clone(), pool_tx.clone());
                scope.spawn(move || writer(w, how, names, spread, &rx, &done, &pool))
            })
            .collect();
        drop((done_tx, pool_tx, work_rx));
        let reader = {
            let sequential = &sequential;
            scope.spawn(move || {
                Reader::new(how, &pool_rx, work_tx, job.progress).all(inputs, sequential)
            })
        };
        let counted = order(done_rx.iter(), how.strict);
        drop(done_rx);
        let read = reader
            .join()
            .map_err(|_| Error::Internal("the log reader panicked".into()))?;
        let mut held = vec![0u64; spread.parts];
        let mut failed = None;
        for w in workers {
            match w
                .join()
                .map_err(|_| Error::Internal("a replay worker panicked".into()))?
            {
                Ok(h) => held.iter_mut().zip(h).for_each(|(a, b)| *a += b),
                Err(e) => failed = failed.or(Some(e)),
            }
        }
        let stats = match counted? {
            Some(stats) => stats,
            None => return Ok(Written::Sequential),
        };
        if sequential.load(Ordering::Relaxed) {
            return Ok(Written::Sequential);
        }
        read?;
        if let Some(source) = failed {
            return Err(Error::TempFiles {
                dir: spread
                    .dir
                    .parent()
                    .map_or_else(String::new, |p| p.display().to_string()),
                source,
            });
        }
        Ok(Written::Done(Box::new(stats), held))
    })
}

/// The counts of the chunks in order: skips numbered by line, the first one an error under
/// `strict`; `None` when a chunk needs the sequential path.
fn order(counted: impl Iterator<Item = Counted>, strict: bool) -> Result<Option<Stats>, Error> {
    let mut pending = BTreeMap::new();
    let (mut next, mut line) = (0u64, 1u64);
    let mut stats = Stats::default();
    for c in counted {
        pending.insert(c.seq, c);
        while let Some(mut c) = pending.remove(&next) {
            next += 1;
            if c.unusual {
                return Ok(None);
            }
            let start = c.first_line.unwrap_or(line);
            line = start + c.newlines;
            for s in &mut c.stats.first_skips {
                s.line += start;
            }
            if strict && let Some(s) = c.stats.first_skips.first().cloned() {
                return Err(Error::BadRecord {
                    file: s.file,
                    line: s.line,
                    reason: s.reason,
                    detail: s.detail,
                });
            }
            stats.absorb(c.stats);
        }
    }
    Ok(Some(stats))
}

/// A worker of the first pass: parses chunks and writes their records to its partition files.
/// Gives back what each partition's records hold, or the error that stopped it.
fn writer(
    worker: usize,
    how: &How<'_>,
    names: &[String],
    spread: &Spread<'_>,
    rx: &Mutex<mpsc::Receiver<Chunk>>,
    done: &mpsc::Sender<Counted>,
    pool: &mpsc::Sender<Vec<u8>>,
) -> io::Result<Vec<u64>> {
    let mut files = Files {
        worker,
        spread,
        out: (0..spread.parts).map(|_| None).collect(),
        held: vec![0; spread.parts],
        buf: Vec::new(),
    };
    loop {
        let next = match rx.lock() {
            Ok(guard) => guard.recv(),
            Err(_) => break,
        };
        let Ok(chunk) = next else { break };
        let name = names.get(chunk.file as usize).map_or("?", String::as_str);
        let cx = Context {
            name,
            file: chunk.file,
            times: &ZoneTimes::new(&how.import.zone),
            import: how.import,
        };
        // The sink's messages borrow from the chunk: it is gone before the chunk's buffer goes back.
        let (unusual, newlines, stats, failed) = {
            let mut sink = Sink {
                slot: Vec::with_capacity(1),
                files: &mut files,
                key: chunk.seq << 32,
                stats: Stats::default(),
                cx: &cx,
                failed: None,
            };
            let (unusual, newlines) = chunked::parse(&chunk, &cx, &mut sink);
            (unusual, newlines, sink.stats, sink.failed)
        };
        let counted = Counted {
            seq: chunk.seq,
            stats,
            unusual,
            first_line: chunk.first_line,
            newlines,
        };
        if let Some(buffer) = chunk.bytes.into_buffer() {
            let _ = pool.send(buffer);
        }
        if let Some(e) = failed {
            // Dropping the queue's end stops the reader; the merge sees the error after.
            return Err(e);
        }
        if done.send(counted).is_err() {
            break;
        }
    }
    for out in files.out.into_iter().flatten() {
        out.into_inner()
            .map_err(io::IntoInnerError::into_error)?
            .flush()?;
    }
    Ok(files.held)
}

/// One worker's partition files.
struct Files<'s> {
    worker: usize,
    spread: &'s Spread<'s>,
    out: Vec<Option<BufWriter<File>>>,
    held: Vec<u64>,
    buf: Vec<u8>,
}

impl Files<'_> {
    fn write(&mut self, key: u64, m: &Message<'_>) -> io::Result<()> {
        let k = self.spread.slot(&m.conversation_id);
        self.buf.clear();
        codec::encode(m, key, &mut self.buf);
        self.held[k] += group::footprint(m);
        let out = match &mut self.out[k] {
            Some(out) => out,
            empty => {
                let file = File::create_new(self.spread.path(self.worker, k))?;
                empty.insert(BufWriter::with_capacity(self.spread.buffer, file))
            }
        };
        out.write_all(&self.buf)
    }
}

/// A chunk's records, written to the partitions as they are parsed.
struct Sink<'a, 'f, 's, 'c> {
    slot: Vec<Message<'a>>,
    files: &'f mut Files<'s>,
    /// The next record's key: the chunk's number in the high half, its place in the low.
    key: u64,
    stats: Stats,
    cx: &'c Context<'c>,
    failed: Option<io::Error>,
}

impl<'a> Rows<'a> for Sink<'a, '_, '_, '_> {
    fn slot(&mut self) -> &mut Vec<Message<'a>> {
        &mut self.slot
    }

    fn row(&mut self, line: u64, record: Result<(), (Reason, String)>) {
        match record {
            Ok(()) => {
                if let Some(m) = self.slot.pop()
                    && self.failed.is_none()
                    && let Err(e) = self.files.write(self.key, &m)
                {
                    self.failed = Some(e);
                }
                self.key += 1;
            }
            Err((reason, detail)) => self.stats.skip(self.cx.skip(line, reason, detail)),
        }
    }
}

/// The second pass: every partition but the `large` ones read back, grouped and replayed, on
/// every worker.
fn replay<F: Fold>(
    job: &Job<'_, F>,
    spread: &Spread<'_>,
    large: &[usize],
) -> io::Result<(Stats, F)> {
    let next = AtomicUsize::new(0);
    std::thread::scope(|scope| -> io::Result<(Stats, F)> {
        let handles: Vec<_> = (0..job.threads)
            .map(|_| {
                let next = &next;
                scope.spawn(move || -> io::Result<(Stats, F)> {
                    let mut fold = job.empty.clone();
                    let mut stats = Stats::default();
                    let mut scratch = Scratch::default();
                    loop {
                        let k = next.fetch_add(1, Ordering::Relaxed);
                        if k >= spread.parts {
                            break;
                        }
                        if large.contains(&k) {
                            continue;
                        }
                        let files = spread.read(k)?;
                        let slices: Vec<&[u8]> = files.iter().map(Vec::as_slice).collect();
                        partition(job, &slices, &mut stats, &mut fold, &mut scratch)?;
                    }
                    Ok((stats, fold))
                })
            })
            .collect();
        let mut stats = Stats::default();
        let mut folds = Vec::new();
        for h in handles {
            let (s, f) = h
                .join()
                .map_err(|_| io::Error::other("a replay worker panicked"))??;
            stats.absorb(s);
            folds.push(f);
        }
        Ok((stats, merge_all(job.empty.clone(), folds)))
    })
}

/// One partition's files, merged into file order, grouped into conversations and replayed.
fn partition<F: Fold>(
    job: &Job<'_, F>,
    files: &[&[u8]],
    stats: &mut Stats,
    fold: &mut F,
    scratch: &mut Scratch,
) -> io::Result<()> {
    let mut merge = Merge::new(files)?;
    let mut open: Vec<Open<'_>> = Vec::new();
    let mut index: HashMap<&str, usize, crate::text::FxBuild> = HashMap::default();
    while let Some(m) = merge.pop()? {
        // The id borrows from the file's bytes, which outlive the grouping.
        let id: &str = match &m.conversation_id {
            std::borrow::Cow::Borrowed(s) => s,
            std::borrow::Cow::Owned(_) => return Err(io::Error::other("an owned id")),
        };
        match index.get(id) {
            Some(&i) => open[i].records.push(m),
            None => {
                index.insert(id, open.len());
                // Room for a typical conversation from the start: growing a vector of messages
                // (a few hundred bytes each) one doubling at a time copied each one several times.
                let mut records = Vec::with_capacity(TYPICAL);
                let id = m.conversation_id.clone();
                records.push(m);
                open.push(Open { id, records });
            }
        }
    }
    for o in open {
        let conv = group::settle(o, stats);
        replay_into(job.plan, &conv, fold, scratch);
    }
    Ok(())
}

//! Replaying logs through one or more matrices, on several threads, in one pass over the input.
//!
//! [`run`] picks the path: a folder of WhatsApp exports file by file ([`files`]), JSONL and CSV
//! files in chunks on every core ([`chunked`]), or the one reader below, which groups records into
//! conversations and sends them in batches to worker threads (or replays them itself on one
//! thread). Every path folds conversations into clones of one empty [`Fold`] and merges them with
//! [`merge_all`], so the report is byte-identical whatever `--threads` is and whatever order
//! conversations come in. If the input turns out to be interleaved and is read again (SPEC
//! section 3), every batch carries the pass it belongs to and results of the abandoned pass are
//! dropped. Interleaved JSONL and CSV files too large to hold within `--memory` are spilled to
//! partition files and replayed on every core ([`spilled`]).

use std::path::PathBuf;
use std::sync::mpsc;
use std::sync::{Arc, Mutex};

use crate::engine::compile::Compiled;
use crate::engine::fold::{Fold, Job, merge_all, replay_into};
use crate::engine::plan::Plan;
use crate::engine::progress::{Mode, Progress};
use crate::engine::replay::Scratch;
use crate::engine::{chunked, files, spilled};
use crate::error::Error;
use crate::logs::accounting::Stats;
use crate::logs::input::Input;
use crate::logs::record::Conversation;
use crate::logs::{self, Files, ReadOptions, Sink};

#[derive(Debug, Clone)]
pub struct RunOptions {
    /// Worker threads; 0 means one per core.
    pub threads: usize,
    /// How to show progress on stderr.
    pub progress: Mode,
    /// The bytes of JSONL or CSV the chunked path gives a worker at a time (`--chunk-bytes`).
    pub chunk_bytes: usize,
    /// Whether the chunked path maps regular files into memory (else reads them into buffers;
    /// `--no-mmap`).
    pub mmap: bool,
}

/// Bytes per chunk: large enough that boundary work and thread hand-offs are rare, small enough
/// to keep memory flat (`BENCHMARKS.md` has the measurements behind the figure).
pub const CHUNK_BYTES: usize = 1024 * 1024;

/// The smallest chunk the chunked path takes: a chunk holds at least a few bytes of a record.
pub const MIN_CHUNK_BYTES: usize = 16;

impl Default for RunOptions {
    fn default() -> RunOptions {
        RunOptions {
            threads: 0,
            progress: Mode::Off,
            chunk_bytes: CHUNK_BYTES,
            mmap: true,
        }
    }
}

pub struct RunResult<F> {
    pub stats: Stats,
    /// What every conversation was folded into.
    pub tally: F,
}

/// Conversations go to the workers in batches of this many, or fewer when they hold
/// [`BATCH_MESSAGES`] messages: a long WhatsApp export is a batch of its own, so replay does not
/// wait for a whole folder to be read.
const BATCH: usize = 256;
const BATCH_MESSAGES: usize = 8192;

type Work = (u64, Vec<Conversation<'static>>);

/// The one reader's sink: conversations in batches, to the workers or replayed in place.
struct Feed<'m, F> {
    plan: &'m Plan<'m>,
    empty: &'m F,
    epoch: u64,
    batch: Vec<Conversation<'static>>,
    /// Messages in `batch`.
    batch_messages: usize,
    tx: Option<mpsc::SyncSender<Work>>,
    // Single-threaded: replay in place.
    local: Option<F>,
    progress: Option<&'m Progress>,
    seen: u64,
}

fn work<F: Fold>(plan: &Plan, convs: &[Conversation], fold: &mut F) {
    let mut scratch = Scratch::default();
    for conv in convs {
        replay_into(plan, conv, fold, &mut scratch);
    }
}

impl<'m, F: Fold> Feed<'m, F> {
    fn new(plan: &'m Plan<'m>, empty: &'m F, progress: Option<&'m Progress>) -> Self {
        Feed {
            plan,
            empty,
            epoch: 0,
            batch: Vec::new(),
            batch_messages: 0,
            tx: None,
            local: None,
            progress,
            seen: 0,
        }
    }

    fn flush(&mut self) -> Result<(), Error> {
        if self.batch.is_empty() {
            return Ok(());
        }
        let batch = std::mem::take(&mut self.batch);
        self.batch_messages = 0;
        if let Some(local) = &mut self.local {
            work(self.plan, &batch, local);
            return Ok(());
        }
        if let Some(tx) = &self.tx {
            tx.send((self.epoch, batch))
                .map_err(|_| Error::Internal("a replay worker stopped".into()))?;
        }
        Ok(())
    }
}

impl<F: Fold> Sink for Feed<'_, F> {
    fn conversation(&mut self, c: Conversation<'static>, _: &Files) -> Result<(), Error> {
        self.seen += 1;
        if let Some(p) = &self.progress
            && self.seen.is_multiple_of(1000)
        {
            p.conversations(self.seen);
        }
        self.batch_messages += c.messages.len();
        self.batch.push(c);
        if self.batch.len() >= BATCH || self.batch_messages >= BATCH_MESSAGES {
            self.flush()?;
        }
        Ok(())
    }

    fn restart(&mut self) -> Result<(), Error> {
        self.batch.clear();
        self.batch_messages = 0;
        self.epoch += 1;
        self.seen = 0;
        if let Some(p) = self.progress {
            p.restart("reading the input again, holding conversations open until its end");
        }
        if self.local.is_some() {
            self.local = Some(self.empty.clone());
        }
        Ok(())
    }
}

/// Replays `paths` through every matrix, folding every conversation into a clone of `empty`.
pub fn run<F: Fold>(
    matrices: &[Compiled],
    paths: &[PathBuf],
    read: &ReadOptions,
    opts: &RunOptions,
    empty: &F,
) -> Result<RunResult<F>, Error> {
    let threads = if opts.threads == 0 {
        std::thread::available_parallelism().map_or(1, |n| n.get())
    } else {
        opts.threads
    };
    let mut notes = Vec::new();
    // The size is known, and bytes are reported, where files are read in chunks.
    let total = (threads > 1 && !read.interleaved)
        .then(|| crate::logs::input::expand(paths, read.forced(), &mut notes).ok())
        .flatten()
        .filter(|inputs| {
            inputs.iter().all(|i| {
                i.path.is_some()
                    && matches!(
                        i.format,
                        Some(crate::logs::Format::Jsonl | crate::logs::Format::Csv)
                    )
            })
        })
        .and_then(|inputs| {
            inputs
                .iter()
                .filter_map(|i| i.path.as_ref())
                .map(|p| std::fs::metadata(p).ok().map(|m| m.len()))
                .sum::<Option<u64>>()
        });
    let progress = Progress::start(opts.progress, total);
    let plan = Plan::new(matrices).map_err(|e| Error::Internal(e.to_string()))?;
    let job = Job {
        plan: &plan,
        threads,
        progress: progress.as_ref(),
        empty,
    };
    let mut read = read.clone();
    notes.clear();
    if threads > 1 {
        let inputs = crate::logs::input::expand(paths, read.forced(), &mut notes)?;
        // What the one reader would say again is not kept: only the restart.
        let mut restart = Vec::new();
        if !read.interleaved {
            match parallel(&job, &inputs, &read, opts)? {
                Parallel::Done(mut stats, tally) => {
                    notes.append(&mut stats.notes);
                    stats.notes = notes;
                    return Ok(finish(progress, *stats, tally));
                }
                Parallel::Interleaved => {
                    read.interleaved = true;
                    let note = "a conversation appears again after other conversations; reading the input again holding conversations open (--interleaved does this from the start)";
                    if let Some(p) = &progress {
                        p.restart(note);
                    }
                    restart.push(note.to_owned());
                }
                Parallel::Sequential => {}
            }
        }
        // Interleaved files larger than the memory budget spill on every core.
        if read.interleaved
            && chunkable(&inputs)
            && let Some(parts) = spilled::outgrows(&inputs, &read.hold, threads)
            && let spilled::Ended::Done(mut stats, tally) =
                spilled::run(&job, &inputs, &how(&read, opts), &read.hold, parts)?
        {
            notes.append(&mut restart);
            notes.append(&mut stats.notes);
            stats.notes = notes;
            return Ok(finish(progress, *stats, tally));
        }
        notes = restart;
    }
    let (mut stats, tally) = one_reader(&job, paths, &read)?;
    for (k, n) in notes.into_iter().enumerate() {
        stats.notes.insert(k, n);
    }
    Ok(finish(progress, stats, tally))
}

fn finish<F>(progress: Option<Progress>, stats: Stats, tally: F) -> RunResult<F> {
    if let Some(p) = progress {
        p.finish();
    }
    RunResult { stats, tally }
}

/// How a parallel path ended.
enum Parallel<F> {
    /// The counts (boxed: they are far larger than the other variants) and the fold.
    Done(Box<Stats>, F),
    /// The input is interleaved: read it again holding conversations open.
    Interleaved,
    /// The input is not for the parallel paths: read it with one reader.
    Sequential,
}

/// The parallel paths: folders of WhatsApp exports file by file, JSONL and CSV files (the bulk
/// formats of exports) in chunks.
fn parallel<F: Fold>(
    job: &Job<'_, F>,
    inputs: &[Input],
    read: &ReadOptions,
    opts: &RunOptions,
) -> Result<Parallel<F>, Error> {
    if files::eligible(inputs, read.strict) {
        let (stats, tally) = files::run(job, inputs, &read.import)?;
        return Ok(Parallel::Done(Box::new(stats), tally));
    }
    if !chunkable(inputs) {
        return Ok(Parallel::Sequential);
    }
    Ok(match chunked::run(job, inputs, &how(read, opts))? {
        chunked::Ended::Done(stats, tally) => Parallel::Done(stats, tally),
        chunked::Ended::Interleaved => Parallel::Interleaved,
        chunked::Ended::Sequential => Parallel::Sequential,
    })
}

/// Whether the chunked paths read `inputs`: JSONL and CSV files. A named pipe cannot be read a
/// second time, should it turn out interleaved: the one reader keeps a copy of it as it reads
/// (`logs::rewind`).
fn chunkable(inputs: &[Input]) -> bool {
    !inputs.is_empty()
        && inputs.iter().all(|i| {
            i.rereadable()
                && matches!(
                    i.format,
                    Some(crate::logs::Format::Jsonl | crate::logs::Format::Csv)
                )
        })
}

/// How the chunked paths read.
fn how<'a>(read: &'a ReadOptions, opts: &RunOptions) -> chunked::How<'a> {
    chunked::How {
        import: &read.import,
        strict: read.strict,
        chunk_bytes: opts.chunk_bytes.max(MIN_CHUNK_BYTES),
        mmap: opts.mmap,
    }
}

/// The one reader: groups records into conversations and replays them in batches.
fn one_reader<F: Fold>(
    job: &Job<'_, F>,
    paths: &[PathBuf],
    read: &ReadOptions,
) -> Result<(Stats, F), Error> {
    let mut feed = Feed::new(job.plan, job.empty, job.progress);
    if job.threads <= 1 {
        feed.local = Some(job.empty.clone());
        let stats = logs::read(paths, read, &mut feed)?;
        feed.flush()?;
        let tally = feed.local.take().unwrap_or_else(|| job.empty.clone());
        return Ok((stats, tally));
    }
    std::thread::scope(|scope| -> Result<(Stats, F), Error> {
        let (tx, rx) = mpsc::sync_channel::<Work>(job.threads * 4);
        let rx = Arc::new(Mutex::new(rx));
        let handles: Vec<_> = (0..job.threads)
            .map(|_| {
                let rx = Arc::clone(&rx);
                scope.spawn(move || worker(job, &rx))
            })
            .collect();
        feed.tx = Some(tx);
        let result =
            logs::read(paths, read, &mut feed).and_then(|stats| feed.flush().map(|()| stats));
        let final_epoch = feed.epoch;
        drop(feed); // closes the channel: workers finish
        let mut done = Vec::new();
        for h in handles {
            match h.join() {
                Ok((epoch, tally)) if epoch == final_epoch => done.push(tally),
                Ok(_) => {}
                Err(_) => return Err(Error::Internal("a replay worker panicked".into())),
            }
        }
        Ok((result?, merge_all(job.empty.clone(), done)))
    })
}

/// A worker of the one reader: replays batches until the channel closes. A batch of a later
/// pass (the input was read again) starts a fresh fold.
fn worker<F: Fold>(job: &Job<'_, F>, rx: &Mutex<mpsc::Receiver<Work>>) -> (u64, F) {
    let mut epoch = 0;
    let mut fold = job.empty.clone();
    loop {
        let next = match rx.lock() {
            Ok(guard) => guard.recv(),
            Err(_) => break,
        };
        let Ok((e, batch)) = next else { break };
        if e != epoch {
            epoch = e;
            fold = job.empty.clone();
        }
        work(job.plan, &batch, &mut fold);
    }
    (epoch, fold)
}

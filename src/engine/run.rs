//! Replaying logs through one or more matrices, on several threads, in one pass over the input.
//!
//! The reader (this thread) groups records into conversations and sends them in batches to worker
//! threads; each worker replays every matrix on each conversation and keeps its own aggregates,
//! which are merged at the end. Aggregates only add counts and collect values that are sorted
//! before use, and kept outcomes are sorted by conversation id, so the report is byte-identical
//! whatever `--threads` is and whatever order conversations come in. If the input turns out to be
//! interleaved and is read again (SPEC section 3), every batch carries the pass it belongs to and
//! results of the abandoned pass are dropped.

use std::path::PathBuf;
use std::sync::mpsc;
use std::sync::{Arc, Mutex};

use crate::engine::compile::Compiled;
use crate::engine::plan::Plan;
use crate::engine::replay::{Outcome, Scratch, replay_plan};
use crate::engine::{chunked, files};
use crate::error::Error;
use crate::logs::accounting::Stats;
use crate::logs::record::Conversation;
use crate::logs::{self, Files, ReadOptions, Sink};
use crate::metrics::Aggregate;

#[derive(Debug, Clone, Default)]
pub struct RunOptions {
    /// Worker threads; 0 means one per core.
    pub threads: usize,
    /// Which conversations' outcomes to keep besides the aggregates.
    pub keep: Keep,
    /// Show a spinner with the count of conversations on stderr.
    pub progress: bool,
}

/// Which outcomes a run keeps, sorted by conversation id, besides the aggregates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Keep {
    /// None: the report needs only the aggregates.
    #[default]
    Nothing,
    /// Every conversation's, for `--outcomes`.
    All,
    /// Those of the conversations whose escalation (lane and point) differs between the first two
    /// matrices, for every matrix: all `diff` needs, without holding a month of outcomes.
    Changed,
}

/// Replays one conversation through every matrix of `plan` into `acc`, keeping outcomes as
/// `keep` says.
pub(crate) fn replay_all(
    plan: &Plan,
    conv: &Conversation<'_>,
    keep: Keep,
    acc: &mut (Vec<Aggregate>, Vec<Vec<Outcome>>),
    scratch: &mut Scratch,
) {
    // Most conversations escalate alike under both matrices of a `diff` and are not kept: they
    // are replayed unnamed, and named only when kept.
    let mut outcomes = std::mem::take(&mut scratch.outcomes);
    outcomes.clear();
    replay_plan(plan, conv, keep == Keep::All, scratch, &mut outcomes);
    for ((o, m), agg) in outcomes.iter().zip(plan.matrices).zip(acc.0.iter_mut()) {
        agg.add(m, o);
    }
    let kept = match keep {
        Keep::Nothing => false,
        Keep::All => true,
        Keep::Changed => matches!(
            (outcomes.first(), outcomes.get(1), plan.matrices.get(..2)),
            (Some(a), Some(b), Some([ma, mb])) if escalation_key(ma, a) != escalation_key(mb, b)
        ),
    };
    if kept {
        for (list, mut o) in acc.1.iter_mut().zip(outcomes.drain(..)) {
            if keep == Keep::Changed {
                o.id = conv.id.to_string();
            }
            list.push(o);
        }
    } else {
        for o in outcomes.drain(..) {
            scratch.recycle(o);
        }
    }
    scratch.outcomes = outcomes;
}

/// Where a conversation escalated, by lane name (lane indices differ between matrices).
pub fn escalation_key<'c>(c: &'c Compiled, o: &Outcome) -> (&'c str, Option<usize>) {
    match o.escalation {
        Some(e) => (c.matrix.lanes[e.lane].id.as_str(), Some(e.index)),
        None => ("none", None),
    }
}

pub struct RunResult {
    pub stats: Stats,
    /// One aggregate per matrix.
    pub aggregates: Vec<Aggregate>,
    /// Per matrix, the outcomes sorted by conversation id (empty unless kept).
    pub outcomes: Vec<Vec<Outcome>>,
}

/// Conversations go to the workers in batches of this many, or fewer when they hold
/// [`BATCH_MESSAGES`] messages: a long WhatsApp export is a batch of its own, so replay does not
/// wait for a whole folder to be read.
const BATCH: usize = 256;
const BATCH_MESSAGES: usize = 8192;

type Work = (u64, Vec<Conversation<'static>>);
type Done = (u64, Vec<Aggregate>, Vec<Vec<Outcome>>);

struct Feed<'m> {
    plan: &'m Plan<'m>,
    keep: Keep,
    epoch: u64,
    batch: Vec<Conversation<'static>>,
    /// Messages in `batch`.
    batch_messages: usize,
    tx: Option<mpsc::SyncSender<Work>>,
    // Single-threaded: replay in place.
    local: Option<(Vec<Aggregate>, Vec<Vec<Outcome>>)>,
    progress: Option<indicatif::ProgressBar>,
    seen: u64,
}

fn fresh(matrices: &[Compiled]) -> (Vec<Aggregate>, Vec<Vec<Outcome>>) {
    (
        matrices.iter().map(Aggregate::new).collect(),
        matrices.iter().map(|_| Vec::new()).collect(),
    )
}

fn work(
    plan: &Plan,
    keep: Keep,
    convs: &[Conversation],
    acc: &mut (Vec<Aggregate>, Vec<Vec<Outcome>>),
) {
    let mut scratch = Scratch::default();
    for conv in convs {
        replay_all(plan, conv, keep, acc, &mut scratch);
    }
}

impl Feed<'_> {
    fn flush(&mut self) -> Result<(), Error> {
        if self.batch.is_empty() {
            return Ok(());
        }
        let batch = std::mem::take(&mut self.batch);
        self.batch_messages = 0;
        if let Some(local) = &mut self.local {
            work(self.plan, self.keep, &batch, local);
            return Ok(());
        }
        if let Some(tx) = &self.tx {
            tx.send((self.epoch, batch))
                .map_err(|_| Error::Internal("a replay worker stopped".into()))?;
        }
        Ok(())
    }
}

impl Sink for Feed<'_> {
    fn conversation(&mut self, c: Conversation<'static>, _: &Files) -> Result<(), Error> {
        self.seen += 1;
        if let Some(p) = &self.progress
            && self.seen.is_multiple_of(1000)
        {
            p.set_position(self.seen);
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
        if self.local.is_some() {
            self.local = Some(fresh(self.plan.matrices));
        }
        Ok(())
    }
}

/// The result of a parallel path: the notes about the inputs first, outcomes sorted by id.
fn parallel_result(
    progress: Option<indicatif::ProgressBar>,
    mut notes: Vec<String>,
    mut stats: Stats,
    (aggregates, mut outcomes): chunked::Acc,
) -> RunResult {
    if let Some(p) = progress {
        p.finish_and_clear();
    }
    notes.append(&mut stats.notes);
    stats.notes = notes;
    for o in &mut outcomes {
        o.sort_by(|a, b| a.id.cmp(&b.id));
    }
    RunResult {
        stats,
        aggregates,
        outcomes,
    }
}

/// Replays `paths` through every matrix.
pub fn run(
    matrices: &[Compiled],
    paths: &[PathBuf],
    read: &ReadOptions,
    opts: &RunOptions,
) -> Result<RunResult, Error> {
    let threads = if opts.threads == 0 {
        std::thread::available_parallelism().map_or(1, |n| n.get())
    } else {
        opts.threads
    };
    let progress = opts.progress.then(|| {
        let p = indicatif::ProgressBar::new_spinner();
        p.set_style(
            indicatif::ProgressStyle::with_template(
                "{spinner} replaying: {pos} conversations, {elapsed}",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
        );
        p.enable_steady_tick(std::time::Duration::from_millis(120));
        p
    });
    let plan = Plan::new(matrices).map_err(|e| Error::Internal(e.to_string()))?;
    let plan = &plan;
    let mut read = read.clone();
    let mut restart_note = None;
    if threads > 1 && !read.interleaved {
        // The parallel paths: folders of WhatsApp exports file by file, JSONL and CSV files (the
        // bulk formats of exports) in chunks.
        let mut notes = Vec::new();
        let inputs = crate::logs::input::expand(paths, read.format, &mut notes)?;
        if files::eligible(&inputs, read.strict) {
            let (stats, acc) = files::run(
                plan,
                &inputs,
                &read.import,
                opts.keep,
                threads,
                progress.as_ref(),
            )?;
            return Ok(parallel_result(progress, notes, stats, acc));
        }
        let chunkable = !inputs.is_empty()
            && inputs.iter().all(|i| {
                i.path.is_some()
                    && matches!(
                        i.format,
                        Some(crate::logs::Format::Jsonl | crate::logs::Format::Csv)
                    )
            });
        if chunkable {
            match chunked::run(
                plan,
                &inputs,
                &read.import,
                read.strict,
                opts.keep,
                threads,
                progress.as_ref(),
            )? {
                chunked::Ended::Done(stats, acc) => {
                    return Ok(parallel_result(progress, notes, stats, acc));
                }
                chunked::Ended::Interleaved => {
                    read.interleaved = true;
                    restart_note = Some(
                        "a conversation appears again after other conversations; reading the input again holding conversations open (--interleaved does this from the start)".to_owned(),
                    );
                }
                chunked::Ended::Sequential => {}
            }
        }
    }
    let read = &read;
    let (mut stats, mut done) = if threads <= 1 {
        let mut feed = Feed {
            plan,
            keep: opts.keep,
            epoch: 0,
            batch: Vec::new(),
            batch_messages: 0,
            tx: None,
            local: Some(fresh(matrices)),
            progress: progress.clone(),
            seen: 0,
        };
        let stats = logs::read(paths, read, &mut feed)?;
        feed.flush()?;
        let (aggs, outs) = feed.local.take().unwrap_or_else(|| fresh(matrices));
        (stats, vec![(feed.epoch, aggs, outs)])
    } else {
        std::thread::scope(|scope| -> Result<(Stats, Vec<Done>), Error> {
            let (tx, rx) = mpsc::sync_channel::<Work>(threads * 4);
            let rx = Arc::new(Mutex::new(rx));
            let mut handles = Vec::new();
            for _ in 0..threads {
                let rx = Arc::clone(&rx);
                let keep = opts.keep;
                handles.push(scope.spawn(move || -> Done {
                    let mut epoch = 0;
                    let mut acc = fresh(matrices);
                    loop {
                        let next = match rx.lock() {
                            Ok(guard) => guard.recv(),
                            Err(_) => break,
                        };
                        let Ok((e, batch)) = next else { break };
                        if e != epoch {
                            epoch = e;
                            acc = fresh(matrices);
                        }
                        work(plan, keep, &batch, &mut acc);
                    }
                    (epoch, acc.0, acc.1)
                }));
            }
            let mut feed = Feed {
                plan,
                keep: opts.keep,
                epoch: 0,
                batch: Vec::new(),
                batch_messages: 0,
                tx: Some(tx),
                local: None,
                progress: progress.clone(),
                seen: 0,
            };
            let result =
                logs::read(paths, read, &mut feed).and_then(|stats| feed.flush().map(|()| stats));
            let final_epoch = feed.epoch;
            drop(feed); // closes the channel: workers finish
            let mut done = Vec::new();
            for h in handles {
                match h.join() {
                    Ok(d) if d.0 == final_epoch => done.push(d),
                    Ok(_) => {}
                    Err(_) => return Err(Error::Internal("a replay worker panicked".into())),
                }
            }
            Ok((result?, done))
        })?
    };
    if let Some(p) = progress {
        p.finish_and_clear();
    }
    let mut aggregates: Vec<Aggregate> = matrices.iter().map(Aggregate::new).collect();
    let mut outcomes: Vec<Vec<Outcome>> = matrices.iter().map(|_| Vec::new()).collect();
    for (_, aggs, outs) in done.drain(..) {
        for (i, a) in aggs.into_iter().enumerate() {
            aggregates[i].merge(a);
        }
        for (i, o) in outs.into_iter().enumerate() {
            outcomes[i].extend(o);
        }
    }
    for o in &mut outcomes {
        o.sort_by(|a, b| a.id.cmp(&b.id));
    }
    if let Some(n) = restart_note {
        stats.notes.insert(0, n);
    }
    Ok(RunResult {
        stats,
        aggregates,
        outcomes,
    })
}

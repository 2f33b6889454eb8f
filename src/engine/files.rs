//! The parallel path for folders of WhatsApp exports: one file, one conversation.
//!
//! An export is a whole conversation, named after its file, and is read whole (its date order is
//! inferred from all of it). So files with different names are independent: each worker takes the
//! next file, reads it, settles its conversation and replays it. The counts of the files are then
//! added in file order, so skips and notes come out in the order the one-reader path gives, and the
//! aggregates only add, so the report does not depend on which worker read which file. Two exports
//! with the same name are one conversation: such a folder takes the one-reader path, as does
//! `--strict` (which stops at the first skip in file order).

use std::collections::HashSet;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::engine::fold::{Fold, Job, merge_all, replay_into};
use crate::engine::replay::Scratch;
use crate::error::Error;
use crate::logs::accounting::Stats;
use crate::logs::input::Input;
use crate::logs::{Format, ImportSettings, read_whatsapp_file};

/// Whether `inputs` can be replayed file by file: WhatsApp files, more than one, no two with the
/// same conversation id.
pub fn eligible(inputs: &[Input], strict: bool) -> bool {
    let mut ids = HashSet::new();
    !strict
        && inputs.len() > 1
        && inputs
            .iter()
            .all(|i| i.path.is_some() && i.format == Some(Format::Whatsapp) && ids.insert(i.stem()))
}

/// What one worker did: its fold, and each file's counts (or error) by file index.
type Done<F> = (F, Vec<(usize, Result<Stats, Error>)>);

/// Replays every file of `inputs` on the job's workers; the counts are those of the whole input.
pub fn run<F: Fold>(
    job: &Job<'_, F>,
    inputs: &[Input],
    import: &ImportSettings,
) -> Result<(Stats, F), Error> {
    let next = AtomicUsize::new(0);
    let done = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..job.threads)
            .map(|_| scope.spawn(|| worker(job, inputs, import, &next)))
            .collect();
        workers
            .into_iter()
            .map(|w| w.join())
            .collect::<Result<Vec<Done<F>>, _>>()
    });
    let done = done.map_err(|_| Error::Internal("a replay worker panicked".into()))?;
    let mut by_file: Vec<Option<Result<Stats, Error>>> = inputs.iter().map(|_| None).collect();
    let mut folds = Vec::with_capacity(done.len());
    for (fold, read) in done {
        folds.push(fold);
        for (i, r) in read {
            if let Some(slot) = by_file.get_mut(i) {
                *slot = Some(r);
            }
        }
    }
    // In file order: the first file that could not be read is the error the one-reader path
    // would have stopped at.
    let mut stats = Stats::default();
    for r in by_file.into_iter().flatten() {
        stats.absorb(r?);
    }
    Ok((stats, merge_all(job.empty.clone(), folds)))
}

/// One worker: takes the next file until none is left, reads it and replays its conversation.
fn worker<F: Fold>(
    job: &Job<'_, F>,
    inputs: &[Input],
    import: &ImportSettings,
    next: &AtomicUsize,
) -> Done<F> {
    let mut fold = job.empty.clone();
    let mut scratch = Scratch::default();
    let mut read = Vec::new();
    loop {
        let i = next.fetch_add(1, Ordering::Relaxed);
        let Some(inp) = inputs.get(i) else { break };
        let file = u32::try_from(i).unwrap_or(u32::MAX);
        let result = read_whatsapp_file(inp, file, import).map(|(stats, conv)| {
            if let Some(conv) = conv {
                replay_into(job.plan, &conv, &mut fold, &mut scratch);
            }
            stats
        });
        read.push((i, result));
        if let Some(p) = job.progress {
            p.add_conversations(1);
        }
    }
    (fold, read)
}

//! Combining partial reports into the totals of one run: every partial must be of the same matrix
//! (fingerprint and shape) and no conversation may be in two of them; then the aggregates, the
//! logged totals and the input accounting merge through the same functions every other run path
//! uses, which do not depend on order, so any order of the partials gives the same report.

use crate::logs::accounting::Stats;
use crate::metrics::logged::Logged;
use crate::metrics::partial::{Partial, PartialError, read};
use crate::metrics::{Aggregate, Shape};

/// The totals of every shard, ready for [`Aggregate::report_shaped`].
#[derive(Debug)]
pub struct Merged {
    /// The matrix's name as the partials give it (the smallest, should they differ).
    pub name: String,
    /// Every other name the partials give the matrix (a note says so).
    pub other_names: Vec<String>,
    pub shape: Shape,
    pub aggregate: Aggregate,
    pub logged: Logged,
    pub stats: Stats,
}

/// Fails when two partials hold the same conversation: names the first pair found (in the order
/// given) and how many conversations they share.
fn overlaps(parts: &[(String, Partial)]) -> Result<(), PartialError> {
    let mut all: Vec<(u64, usize)> = parts
        .iter()
        .enumerate()
        .flat_map(|(i, (_, p))| p.conversation_ids.0.iter().map(move |h| (*h, i)))
        .collect();
    all.sort_unstable();
    let Some((a, b)) = all
        .windows(2)
        .find(|w| w[0].0 == w[1].0)
        .map(|w| (w[0].1, w[1].1))
    else {
        return Ok(());
    };
    let theirs = &parts[b].1.conversation_ids.0;
    let shared = parts[a]
        .1
        .conversation_ids
        .0
        .iter()
        .filter(|h| theirs.binary_search(h).is_ok())
        .count() as u64;
    Err(PartialError::Overlap {
        file: parts[a].0.clone(),
        other: parts[b].0.clone(),
        shared,
    })
}

/// Merges `parts` (each named for errors), which must not be empty.
pub fn combine(parts: Vec<(String, Partial<'static>)>) -> Result<Merged, PartialError> {
    let Some((first_file, first)) = parts.first() else {
        return Err(PartialError::NotPartial {
            file: "the arguments".into(),
            detail: "no partial report given".into(),
        });
    };
    for (file, p) in &parts[1..] {
        if p.matrix.fingerprint != first.matrix.fingerprint || p.shape != first.shape {
            return Err(PartialError::OtherMatrix {
                file: file.clone(),
                theirs: Box::new(p.matrix.clone()),
                first: first_file.clone(),
                ours: Box::new(first.matrix.clone()),
            });
        }
    }
    overlaps(&parts)?;
    let shape = first.shape.clone();
    let mut names: Vec<String> = parts.iter().map(|p| p.1.matrix.name.clone()).collect();
    names.sort();
    names.dedup();
    let mut stats = Stats::default();
    // The first partial's totals, sized for the shape, take in the others.
    let mut totals: Option<(Aggregate, Logged)> = None;
    for (file, p) in parts {
        let s = read::stats(&p).ok_or_else(|| PartialError::Inconsistent {
            file,
            detail: "an unknown skip reason".into(),
        })?;
        stats.absorb(s);
        let (m, l) = (p.metrics.into_owned(), p.logged.into_owned());
        match &mut totals {
            Some((a, lg)) => {
                a.merge(m);
                lg.merge(l);
            }
            None => totals = Some((m, l)),
        }
    }
    let (aggregate, logged) = totals.unwrap_or_default();
    let name = names.remove(0);
    Ok(Merged {
        name,
        other_names: names,
        shape,
        aggregate,
        logged,
        stats,
    })
}

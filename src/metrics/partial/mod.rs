//! Partial reports (SPEC section 5.7): the exact sufficient statistics of every metric of one
//! shard's replay, which `handoff merge` combines into the report one run over every shard gives.
//!
//! A partial holds the [`Aggregate`] and the [`Logged`] totals a tally folds into (counts,
//! numerators and denominators, value-to-count histograms, per-lane, per-trigger and confusion
//! counts, per-customer conversation spans), the input accounting, the [`Shape`] of the matrix a
//! report needs, the matrix's name and fingerprint, handoff's version, and the sorted 64-bit hashes
//! of the shard's conversation ids, by which `merge` tells shards that overlap. It is one line of
//! JSON, so a pipe (Spark's `RDD.pipe`) gives one element per shard. [`read`] parses and checks
//! partials; [`combine`] merges them through the same `merge` functions as every other run path.
//! `docs/partials.md` describes the format.

pub mod combine;
#[cfg(test)]
mod laws;
pub mod read;

use std::borrow::Cow;

use crate::engine::Compiled;
use crate::logs::accounting::Stats;
use crate::metrics::logged::Logged;
use crate::metrics::{Aggregate, Inputs, Shape};

/// The `kind` of every partial report.
pub const KIND: &str = "handoff-partial";
/// The version of the partial format this build writes and reads.
pub const SCHEMA_VERSION: u64 = 1;
/// The handoff version a partial must have been written by.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The matrix a partial was replayed through: its name as given to `replay` (the report shows
/// it) and the fingerprint of its rules and settings.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MatrixId {
    pub name: String,
    pub fingerprint: String,
}

/// The conversation ids of a shard, as their sorted 64-bit hashes (base64 in the JSON).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Ids(pub Vec<u64>);

impl serde::Serialize for Ids {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&crate::digest::base64_u64s(&self.0))
    }
}

impl<'de> serde::Deserialize<'de> for Ids {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text: Cow<'de, str> = serde::Deserialize::deserialize(d)?;
        crate::digest::u64s_from_base64(&text)
            .filter(|v| v.windows(2).all(|w| w[0] < w[1]))
            .map(Ids)
            .ok_or_else(|| {
                serde::de::Error::custom(
                    "conversation_ids is the base64 of increasing 64-bit hashes, each once",
                )
            })
    }
}

/// One partial report. The heavy parts are borrowed when one is written and owned when one is read.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Partial<'a> {
    pub kind: String,
    pub schema_version: u64,
    pub handoff_version: String,
    pub matrix: MatrixId,
    pub shape: Shape,
    pub inputs: Inputs,
    pub metrics: Cow<'a, Aggregate>,
    pub logged: Cow<'a, Logged>,
    pub conversation_ids: Ids,
}

impl<'a> Partial<'a> {
    /// The partial of one replay of `c` (named `name`, as the report would name it): its
    /// aggregate, logged totals, input accounting and conversation-id hashes.
    pub fn of(
        c: &Compiled,
        name: &str,
        metrics: &'a Aggregate,
        logged: &'a Logged,
        stats: &Stats,
        ids: &[u64],
    ) -> Partial<'a> {
        let mut ids = ids.to_vec();
        ids.sort_unstable();
        ids.dedup();
        Partial {
            kind: KIND.to_owned(),
            schema_version: SCHEMA_VERSION,
            handoff_version: VERSION.to_owned(),
            matrix: MatrixId {
                name: name.to_owned(),
                fingerprint: crate::matrix::fingerprint::fingerprint(&c.matrix),
            },
            shape: Shape::of(c),
            inputs: Inputs::of(stats),
            metrics: Cow::Borrowed(metrics),
            logged: Cow::Borrowed(logged),
            conversation_ids: Ids(ids),
        }
    }
}

/// Why partial reports cannot be merged. Each names the file (and line, for a file of several).
#[derive(Debug, thiserror::Error)]
pub enum PartialError {
    #[error("{file}: not a partial report ({detail}); `handoff replay --partial FILE` writes one")]
    NotPartial { file: String, detail: String },
    #[error(
        "{file}: a partial report of handoff {found} (partial format {format}), and this is handoff {ours} (format {schema}); merge partials with the version that wrote them, or replay the shards again with this one",
        ours = VERSION,
        schema = SCHEMA_VERSION
    )]
    Version {
        file: String,
        found: String,
        format: u64,
    },
    #[error(
        "{file}:{line}:{column}: {what} partial report: {detail}; write it again with `handoff replay --partial`"
    )]
    Invalid {
        file: String,
        line: usize,
        column: usize,
        what: &'static str,
        detail: String,
    },
    #[error(
        "{file}: an inconsistent partial report ({detail}); write it again with `handoff replay --partial`"
    )]
    Inconsistent { file: String, detail: String },
    #[error(
        "{file}: a partial report of another matrix than {first} (`{}`, fingerprint {}, against `{}`, {}); merge the partials of one matrix and settings",
        .theirs.name, .theirs.fingerprint, .ours.name, .ours.fingerprint
    )]
    OtherMatrix {
        file: String,
        theirs: Box<MatrixId>,
        first: String,
        ours: Box<MatrixId>,
    },
    #[error(
        "{file} and {other} both hold {} (by conversation-id hash): the shards overlap, and merging would count {} twice; give each partial once, and shard so that every conversation is in one shard",
        conversations(.shared),
        them(.shared)
    )]
    Overlap {
        file: String,
        other: String,
        shared: u64,
    },
}

/// `1 conversation`, `2 conversations`.
fn conversations(n: &u64) -> String {
    crate::text::plural(*n as usize, "conversation", "conversations")
}

/// `it` or `them`, for `n` conversations.
fn them(n: &u64) -> &'static str {
    if *n == 1 { "it" } else { "them" }
}

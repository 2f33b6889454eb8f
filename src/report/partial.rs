//! The partial report of `replay --partial` (SPEC section 5.7): one line of JSON, so that a pipe
//! gives one element per shard. `docs/partials.md` describes its keys;
//! [`crate::metrics::partial`] holds the data and reads it back.

use crate::metrics::partial::Partial;

/// The partial as one line of JSON and a line feed.
pub fn json(p: &Partial) -> Result<String, serde_json::Error> {
    let mut s = serde_json::to_string(p)?;
    s.push('\n');
    Ok(s)
}

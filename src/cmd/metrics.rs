//! `handoff metrics [NAME]`: the list of report metrics, or one metric's definition, unit and
//! denominator (rendered by [`crate::report::metrics`]).

use crate::cli::MetricsArgs;
use crate::error::Error;
use crate::metrics::{Metric, NAMES};
use crate::output;
use crate::report::metrics::{explain, list};
use crate::text::did_you_mean;

pub fn run(args: &MetricsArgs) -> Result<u8, Error> {
    let text = match &args.name {
        None => list(),
        Some(given) => {
            let Some(m) = Metric::parse(given.trim()) else {
                return Err(Error::UnknownMetric {
                    given: given.clone(),
                    suggestion: did_you_mean(given, NAMES.iter().copied()),
                });
            };
            explain(m)
        }
    };
    output::emit(None, &text)?;
    Ok(0)
}

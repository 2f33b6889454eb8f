//! The escalation matrix: YAML text, the spanned raw form lint reads, and the validated model.
//!
//! `yaml` parses text into a spanned tree, `decode` turns the tree into [`raw::RawMatrix`] while
//! recording structural problems, and [`model::Matrix::from_raw`] builds the validated form once
//! lint has found no error, with the [`defaults`] of every setting left out. This module depends
//! on nothing above it: reading a file, linting it and refusing errors is `crate::pipeline`'s.

pub mod decode;
pub mod defaults;
pub mod duration;
pub mod fingerprint;
pub mod model;
pub mod raw;
pub mod schema;
pub mod template;
pub mod yaml;

pub use model::Matrix;

/// The compiled-size limit of one regular expression (10 MiB). Lint refuses a pattern past it
/// (E012), lint's reasoning about conditions and replay build patterns with it, so a pattern lint
/// accepted always compiles and is judged as it will run.
pub const REGEX_SIZE_LIMIT: usize = 10 * (1 << 20);

//! The replay engine: a compiled matrix run over conversations (SPEC section 4).
//!
//! [`compile`] turns the validated matrix into matchers once; [`replay::replay`] runs one
//! conversation and returns its [`replay::Outcome`]; [`logged`] reads what the logs show happened; a [`plan::Plan`] runs several matrices over
//! the same conversations (`diff`), evaluating each condition they share once. Conversations are independent, which is what
//! makes replay deterministic whatever the thread count or input order.

pub mod chunked;
pub mod compile;
pub mod feed;
pub mod files;
pub mod fold;
pub mod idset;
pub mod keywords;
#[cfg(test)]
pub(crate) mod laws;
pub mod logged;
pub mod pii;
pub mod plan;
pub mod progress;
pub mod regexes;
pub mod replay;
pub mod run;
pub mod spilled;

pub use compile::Compiled;
pub use replay::{Outcome, replay};

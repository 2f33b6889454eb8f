//! The escalation matrix: YAML text, the spanned raw form lint reads, and the validated model.
//!
//! `yaml` parses text into a spanned tree, `decode` turns the tree into [`raw::RawMatrix`] while
//! recording structural problems, and [`model::Matrix::from_raw`] builds the validated form once
//! lint has found no error. [`load`] does all of it for the commands that run a matrix.

pub mod decode;
pub mod duration;
pub mod load;
pub mod model;
pub mod raw;
pub mod template;
pub mod yaml;

pub use load::load;
pub use model::Matrix;

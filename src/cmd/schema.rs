//! `handoff schema`: the JSON Schema of the matrix format, generated from the raw types.

use crate::cli::SchemaArgs;
use crate::error::Error;
use crate::output;

pub fn run(args: &SchemaArgs) -> Result<u8, Error> {
    output::emit(
        args.output.as_deref(),
        &crate::matrix::schema::schema_json(),
    )?;
    Ok(0)
}

//! CSV (`.csv`): a header row, then one message per row.
//!
//! Columns are matched to fields by `[import.csv.columns]` in `handoff.toml` first (canonical
//! field = column name), then by the canonical names and their aliases, then `segment.<field>` /
//! `segment_<field>`; other columns are ignored. Quoted fields may hold delimiters and line
//! breaks. A row with a different number of fields from the header is skipped, as is a row whose
//! bytes are not UTF-8 or hold a NUL.
//!
//! Two readers give the same records. [`read`] streams any input through the `csv` crate, one
//! owned row at a time. The parallel path cuts a file in memory into chunks that end where a
//! record ends ([`cut`]), reads the header once ([`head`]) and parses each chunk on its own core
//! ([`parse_chunk`]) into messages that borrow their text from the chunk. That parser reads plain
//! RFC 4180 (quotes only around whole fields, `""` inside them, records ended by `\n` or `\r\n`)
//! and answers [`Unusual`] for anything else, where the `csv` crate's reading is subtler (a quote
//! inside an unquoted field is text, a lone `\r` ends a record); the caller then reads the whole
//! input with [`read`]. Line numbers are the `csv` crate's: a record's line is where its reading
//! starts, just after the previous record, so before any blank lines, and on the previous
//! record's last line when that ended with `\r\n` (the `\n` is read with the next record).
//!
//! A header without the canonical `conversation_id` and `role` ([`Head::canonical`]) may be a
//! platform's export, which `crate::logs::profiles` reads through its profile instead: [`header`]
//! and [`rows`] let it look at the header before the rows are read.
//!
//! `columns` maps a header row to the fields of a message, `cells` turns a row's cells into a
//! message (both readers share them, so that they read a row alike), `stream` holds [`read`],
//! `split` the RFC 4180 row splitter and [`cut`], and `chunk` the parallel path's [`head`] and
//! [`parse_chunk`].

mod cells;
mod chunk;
mod columns;
mod split;
mod stream;

pub use chunk::{head, parse_chunk};
pub use columns::Head;
pub use split::{Quirk, Unusual, cut};
pub use stream::{failure, header, read, reader_of, rows};

#[cfg(test)]
mod tests;

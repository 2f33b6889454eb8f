//! A row's cells into a message: each cell checked as text, unquoted and set as the field its
//! column holds. Both readers build their messages here, so that a row reads the same whichever
//! reads it.

use std::borrow::Cow;

use super::columns::{Column, Head};
use crate::logs::Context;
use crate::logs::accounting::Reason;
use crate::logs::fields::{Builder, Value};

pub(super) fn wrong_width(found: usize, head: &Head) -> String {
    format!("{found} fields where the header has {}", head.width)
}

/// A cell's text, or why its row is skipped (`i` counts cells from 0).
pub(super) fn checked(i: usize, cell: &[u8]) -> Result<&str, (Reason, String)> {
    if memchr::memchr(0, cell).is_some() {
        return Err((
            Reason::NulByte,
            format!("field {} contains a NUL byte", i + 1),
        ));
    }
    std::str::from_utf8(cell)
        .map_err(|_| (Reason::InvalidUtf8, format!("field {} is not UTF-8", i + 1)))
}

/// Builds the message of a row from its cells in order, and gives it to `finish` (which returns
/// it, or puts it where it is kept): each cell is its text and whether it still holds `""` for
/// every quote (a quoted field as it stands in the input). Or gives why the row is skipped; cells
/// are checked in order up to the first bad one, as the skip names that one.
pub(super) fn parse_row<'a, R>(
    cells: impl Iterator<Item = Result<(&'a str, bool), (Reason, String)>>,
    cols: &'a [Column],
    cx: &Context<'_>,
    finish: impl FnOnce(Builder<'_, 'a>) -> Result<R, (Reason, String)>,
) -> Result<R, (Reason, String)> {
    let mut b = cx.builder();
    for (cell, col) in cells.zip(cols) {
        let (text, escaped) = cell?;
        put_cell(&mut b, col, text, escaped);
    }
    finish(b)
}

/// Sets what `col` holds from a cell's text, which still holds `""` for every quote when
/// `escaped`.
pub(super) fn put_cell<'a>(b: &mut Builder<'_, 'a>, col: &'a Column, text: &'a str, escaped: bool) {
    // An empty cell is an absent value, which neither sets nor fails.
    if matches!(col, Column::Ignored) || text.is_empty() {
        return;
    }
    let text = crate::text::csv_untext(text);
    // Only a cell with `""` in it costs an allocation.
    let value = if escaped {
        Cow::Owned(text.replace("\"\"", "\""))
    } else {
        Cow::Borrowed(text)
    };
    match col {
        Column::Field(f, rank) => b.set_str(*f, *rank, value),
        Column::Segment(name) => b.segment(name.into(), Value::Str(value)),
        Column::Ignored => {}
    }
}

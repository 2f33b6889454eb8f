//! The header row: which field of a message each column holds, by configured name, canonical
//! name, alias or `segment.<field>`, and how many cells a row must have.

use std::collections::HashMap;

use crate::logs::Context;
use crate::logs::fields::{self, Field};

pub(super) const BOM: &[u8] = b"\xEF\xBB\xBF";

/// What one column holds.
#[derive(Debug, Clone)]
pub(super) enum Column {
    Field(Field, usize),
    Segment(String),
    Ignored,
}

fn columns(header: &[String], cx: &Context<'_>) -> Vec<Column> {
    // Configured names win over aliases: `[import.csv.columns] text = "message_body"`.
    let configured: HashMap<&str, &str> = cx
        .import
        .csv_columns
        .iter()
        .map(|(k, v)| (v.as_str(), k.as_str()))
        .collect();
    header
        .iter()
        .map(|name| {
            let name = name.trim();
            if let Some(canonical) = configured.get(name) {
                if let Some(f) = Field::canonical(canonical) {
                    return Column::Field(f, 0);
                }
                if let Some(seg) = fields::segment_field(canonical) {
                    return Column::Segment(seg.to_owned());
                }
            }
            if let Some((f, rank)) = Field::lookup(name) {
                // A column the configuration maps elsewhere does not also count under its own name.
                if cx.import.csv_columns.contains_key(f.name()) {
                    return Column::Ignored;
                }
                return Column::Field(f, rank + 1);
            }
            match fields::segment_field(name) {
                Some(seg) => Column::Segment(seg.to_owned()),
                None => Column::Ignored,
            }
        })
        .collect()
}

/// What reading a row needs from a file's header row: what each column holds, and how many
/// columns a row must have.
#[derive(Debug, Clone)]
pub struct Head {
    pub(super) columns: Vec<Column>,
    pub(super) width: usize,
    /// The header's names, trimmed.
    names: Vec<String>,
}

impl Head {
    /// From the header row's cells as the `csv` crate gives them (quotes removed). A byte-order
    /// mark left at the start of the first cell is dropped: the `csv` crate drops one only when
    /// its first read sees all three bytes.
    pub fn new<C: AsRef<[u8]>>(cells: impl IntoIterator<Item = C>, cx: &Context<'_>) -> Head {
        let names: Vec<String> = cells
            .into_iter()
            .enumerate()
            .map(|(i, cell)| {
                let cell = cell.as_ref();
                let cell = if i == 0 {
                    cell.strip_prefix(BOM).unwrap_or(cell)
                } else {
                    cell
                };
                String::from_utf8_lossy(cell).trim().to_owned()
            })
            .collect();
        Head {
            width: names.len(),
            columns: columns(&names, cx),
            names,
        }
    }

    /// The header's names, trimmed, without a byte-order mark.
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// Whether the columns hold a conversation id and a role (by configured name, canonical name
    /// or alias): a header that does not names none of the fields every message needs.
    pub fn canonical(&self) -> bool {
        let has = |field| {
            self.columns
                .iter()
                .any(|c| matches!(c, Column::Field(f, _) if *f == field))
        };
        has(Field::ConversationId) && has(Field::Role)
    }

    /// How many fields a row must have.
    pub fn width(&self) -> usize {
        self.width
    }
}

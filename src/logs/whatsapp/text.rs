//! An entry's text: its first line after the header and its continuation lines, joined.
//!
//! The text is borrowed from the export when it is written there as it is read; only an entry
//! with U+200E marks or `\r` line ends inside it is copied, with them taken out. Blank lines at
//! the end of an entry belong to it but are not part of its text.

use std::borrow::Cow;

use super::author::{Kind, LRM, classify};
use super::head::Head;

/// The author as written, the text and the kind of the entry whose head is `h` and whose lines
/// end at byte `end` (the next head's line, or the end of the text).
pub(super) fn body<'a>(
    text: &'a str,
    h: &Head,
    end: usize,
) -> (Option<&'a str>, Cow<'a, str>, Kind) {
    let bytes = text.as_bytes();
    let first_end = h.end;
    let rest = trim_cr_str(text.get(h.body..first_end).unwrap_or_default());
    let (author, at, kind) = classify(rest, h.bracketed);
    let text_start = h.body + at;

    // Continuation lines: the text runs to the end of the last one that is not blank.
    let mut text_end = h.body + rest.len();
    let mut pos = first_end + 1;
    while pos < end {
        let le =
            memchr::memchr(b'\n', bytes.get(pos..end).unwrap_or_default()).map_or(end, |i| pos + i);
        let line = trim_cr_str(text.get(pos..le).unwrap_or_default());
        if !is_blank(line) {
            text_end = pos + line.len();
        }
        pos = le + 1;
    }

    // Written as it is read (no U+200E, no `\r` inside): the text is that stretch of the export.
    let span = text.get(text_start..text_end).unwrap_or_default();
    if !needs_cleaning(span.as_bytes()) {
        return (author, Cow::Borrowed(span), kind);
    }
    let first_text = rest.get(at..).unwrap_or_default();
    let mut out = String::with_capacity(end.saturating_sub(h.body));
    push_clean(&mut out, first_text);
    let mut keep = out.len();
    let mut pos = first_end + 1;
    while pos < end {
        let le =
            memchr::memchr(b'\n', bytes.get(pos..end).unwrap_or_default()).map_or(end, |i| pos + i);
        let line = trim_cr_str(text.get(pos..le).unwrap_or_default());
        out.push('\n');
        push_clean(&mut out, line);
        if !is_blank(line) {
            keep = out.len();
        }
        pos = le + 1;
    }
    out.truncate(keep);
    (author, Cow::Owned(out), kind)
}

/// Whether `s` holds a `\r` or a U+200E (E2 80 8E), which an entry's text leaves out.
fn needs_cleaning(s: &[u8]) -> bool {
    memchr::memchr2_iter(b'\r', 0xE2, s)
        .any(|i| s.get(i) == Some(&b'\r') || s.get(i + 1..i + 3) == Some(&[0x80, 0x8E][..]))
}

fn trim_cr_str(line: &str) -> &str {
    line.strip_suffix('\r').unwrap_or(line)
}

/// Appends `s` without its U+200E marks.
fn push_clean(out: &mut String, s: &str) {
    // U+200E is E2 80 8E; a line without 0xE2 cannot hold one and is copied as is.
    if memchr::memchr(0xE2, s.as_bytes()).is_none() {
        out.push_str(s);
    } else {
        for part in s.split(LRM) {
            out.push_str(part);
        }
    }
}

fn is_blank(line: &str) -> bool {
    line.chars().all(|c| c.is_whitespace() || c == LRM)
}

#[cfg(test)]
mod tests;

//! Source files and byte spans: where a finding points.
//!
//! Every diagnostic in handoff names a file, a line and a column. Spans are byte ranges into the
//! text that was parsed (after a leading byte-order mark is removed, because editors do not count
//! it as a column); lines and columns are computed from them on demand, 1-based, columns counted in
//! Unicode scalar values as editors and SARIF's `unicodeCodePoints` do.
//!
//! [`SourceFile::read`] is the one place a matrix file is read: lint and the validated model work
//! on the file it returns, so the bytes are read and decoded once per run. A file that is not
//! UTF-8 is still returned, with the bad bytes replaced and the place noted, because lint reports
//! it (E001) with a snippet like any other finding rather than as an unreadable file.

use std::path::{Path, PathBuf};

/// A half-open byte range `start..end` into a [`SourceFile`]'s text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub const fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }

    /// An empty span at `offset`, for things that are missing rather than wrong.
    pub const fn at(offset: usize) -> Self {
        Span {
            start: offset,
            end: offset,
        }
    }

    pub fn len(&self) -> usize {
        self.end.saturating_sub(self.start)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// A 1-based line and column.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

/// A file that was read, with its path as the user gave it and a line index for positions.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The path as given on the command line (or found by discovery), used in every message.
    pub name: String,
    pub path: PathBuf,
    pub text: String,
    line_starts: Vec<usize>,
    not_utf8: Option<usize>,
}

/// Why [`SourceFile::read`] could not read a file. It names the path as given; the messages are
/// those of the program's error type, which this converts into, so that this module depends on
/// nothing else in handoff.
#[derive(Debug)]
pub enum ReadError {
    /// The path names a directory, not a file.
    IsDirectory { path: String },
    /// The file could not be opened or read.
    Io {
        path: String,
        source: std::io::Error,
    },
}

impl SourceFile {
    pub fn new(name: impl Into<String>, path: PathBuf, text: String) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        SourceFile {
            name: name.into(),
            path,
            text,
            line_starts,
            not_utf8: None,
        }
    }

    /// Reads the file at `path`, named in messages as the path is written. A directory is refused
    /// before it is opened, so the message can say what to name instead.
    pub fn read(path: &Path) -> Result<SourceFile, ReadError> {
        let name = path.display().to_string();
        if path.is_dir() {
            return Err(ReadError::IsDirectory { path: name });
        }
        match std::fs::read(path) {
            Ok(bytes) => Ok(SourceFile::from_bytes(name, path.to_path_buf(), bytes)),
            Err(source) => Err(ReadError::Io { path: name, source }),
        }
    }

    /// A file from its bytes: a leading byte-order mark removed, and bytes that are not UTF-8
    /// replaced (U+FFFD) with the place of the first one kept for [`SourceFile::not_utf8`].
    pub fn from_bytes(name: impl Into<String>, path: PathBuf, bytes: Vec<u8>) -> Self {
        let bytes = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
            Some(rest) => rest.to_vec(),
            None => bytes,
        };
        match String::from_utf8(bytes) {
            Ok(text) => SourceFile::new(name, path, text),
            Err(e) => {
                // The valid prefix decodes to itself, so its length is also the offset of the
                // first replacement character in the decoded text.
                let valid = e.utf8_error().valid_up_to();
                let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
                SourceFile {
                    not_utf8: Some(valid),
                    ..SourceFile::new(name, path, text)
                }
            }
        }
    }

    /// The byte offset in [`SourceFile::text`] of the first character that was not UTF-8 in the
    /// file, if any: the text shows the file as far as it is readable, with the bad bytes replaced
    /// so that a snippet points at the right place.
    pub fn not_utf8(&self) -> Option<usize> {
        self.not_utf8
    }

    /// The line and column of a byte offset; offsets past the end clamp to the end, offsets inside
    /// a multi-byte character round down to its start.
    pub fn position(&self, offset: usize) -> Position {
        let offset = floor_char_boundary(&self.text, offset.min(self.text.len()));
        let line = match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let start = self.line_starts[line];
        let column = self.text[start..offset].chars().count() + 1;
        Position {
            line: line + 1,
            column,
        }
    }

    /// The text a span covers, or "" when the span does not fall on character boundaries.
    pub fn slice(&self, span: Span) -> &str {
        self.text.get(span.start..span.end).unwrap_or("")
    }

    /// The span of the whole of line `line` (1-based), without its line break.
    pub fn line_span(&self, line: usize) -> Span {
        let start = self
            .line_starts
            .get(line.saturating_sub(1))
            .copied()
            .unwrap_or(self.text.len());
        let end = self.text[start..]
            .find('\n')
            .map_or(self.text.len(), |i| start + i);
        let end = if end > start && self.text.as_bytes()[end - 1] == b'\r' {
            end - 1
        } else {
            end
        };
        Span::new(start, end)
    }

    /// The byte offset of a 1-based line and column (columns in characters).
    pub fn offset_of(&self, line: usize, column: usize) -> usize {
        let span = self.line_span(line.max(1));
        let text = &self.text[span.start..span.end];
        let within = text
            .char_indices()
            .nth(column.saturating_sub(1))
            .map_or(text.len(), |(i, _)| i);
        span.start + within
    }
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Maps a character index inside a scalar's *value* back to a byte offset in the file.
///
/// Findings such as a bad regex or a cold phrase in a handoff message point inside a string. That
/// only works when the value can be traced back through the scalar's quoting: plain and
/// single-quoted scalars always can, double-quoted ones when their escapes are the common ones.
/// Block and folded scalars, or anything that does not round-trip, fall back to the scalar's start.
pub fn inner_offset(raw: &str, raw_start: usize, value: &str, value_byte: usize) -> usize {
    try_inner_offset(raw, raw_start, value, value_byte).unwrap_or(raw_start)
}

/// [`inner_offset`], or `None` when the scalar's quoting cannot be followed.
pub fn try_inner_offset(
    raw: &str,
    raw_start: usize,
    value: &str,
    value_byte: usize,
) -> Option<usize> {
    match map_scalar(raw) {
        // `map.1[i]` is the raw byte offset of the i-th value byte's character.
        Some(map) if map.0 == value => Some(
            map.1
                .get(value_byte)
                .map_or(raw_start + raw.len(), |o| raw_start + o),
        ),
        _ => None,
    }
}

/// Decodes a flow scalar as YAML would, remembering for every byte of the result the raw byte
/// offset it came from. Returns `None` for styles this does not follow.
fn map_scalar(raw: &str) -> Option<(String, Vec<usize>)> {
    let mut out = String::new();
    let mut offsets = Vec::new();
    let push = |out: &mut String, offsets: &mut Vec<usize>, c: char, at: usize| {
        out.push(c);
        offsets.extend(std::iter::repeat_n(at, c.len_utf8()));
    };
    let first = raw.chars().next()?;
    match first {
        '\'' => {
            let body = raw.strip_prefix('\'')?.strip_suffix('\'')?;
            let mut it = body.char_indices().peekable();
            while let Some((i, c)) = it.next() {
                if c == '\n' {
                    return None;
                }
                if c == '\'' {
                    it.next();
                }
                push(&mut out, &mut offsets, c, i + 1);
            }
        }
        '"' => {
            let body = raw.strip_prefix('"')?.strip_suffix('"')?;
            let mut it = body.char_indices();
            while let Some((i, c)) = it.next() {
                if c == '\n' {
                    return None;
                }
                if c != '\\' {
                    push(&mut out, &mut offsets, c, i + 1);
                    continue;
                }
                let (_, e) = it.next()?;
                let decoded = match e {
                    'n' => '\n',
                    't' => '\t',
                    'r' => '\r',
                    '0' => '\0',
                    '\\' => '\\',
                    '"' => '"',
                    '/' => '/',
                    ' ' => ' ',
                    'x' | 'u' | 'U' => {
                        let n = match e {
                            'x' => 2,
                            'u' => 4,
                            _ => 8,
                        };
                        let hex: String =
                            (0..n).filter_map(|_| it.next().map(|(_, h)| h)).collect();
                        char::from_u32(u32::from_str_radix(&hex, 16).ok()?)?
                    }
                    _ => return None,
                };
                push(&mut out, &mut offsets, decoded, i + 1);
            }
        }
        '|' | '>' => return None,
        _ => {
            if raw.contains('\n') {
                return None;
            }
            for (i, c) in raw.char_indices() {
                push(&mut out, &mut offsets, c, i);
            }
        }
    }
    Some((out, offsets))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_one_based_and_count_characters() {
        let f = SourceFile::new("m.yaml", "m.yaml".into(), "a: é\nbb: x\n".into());
        assert_eq!(f.position(0), Position { line: 1, column: 1 });
        assert_eq!(f.position(3), Position { line: 1, column: 4 });
        assert_eq!(f.position(5), Position { line: 1, column: 5 });
        assert_eq!(f.position(10), Position { line: 2, column: 5 });
        assert_eq!(f.offset_of(2, 5), 10);
    }

    #[test]
    fn inner_offsets_follow_quoting() {
        assert_eq!(inner_offset("'it''s x'", 10, "it's x", 5), 10 + 7);
        assert_eq!(inner_offset("\"a\\tb\"", 0, "a\tb", 2), 4);
        assert_eq!(inner_offset("plain text", 3, "plain text", 6), 9);
        assert_eq!(inner_offset("|\n  block", 3, "block", 2), 3);
    }

    #[test]
    fn bytes_lose_their_byte_order_mark_and_note_where_utf8_ends() {
        let f = SourceFile::from_bytes("m.yaml", "m.yaml".into(), b"\xEF\xBB\xBFa: 1\n".to_vec());
        assert_eq!((f.text.as_str(), f.not_utf8()), ("a: 1\n", None));
        let f = SourceFile::from_bytes("m.yaml", "m.yaml".into(), b"a: \xFF\xFEb".to_vec());
        assert_eq!(
            (f.text.as_str(), f.not_utf8()),
            ("a: \u{FFFD}\u{FFFD}b", Some(3))
        );
    }

    #[test]
    fn a_directory_is_refused_before_it_is_read() {
        let dir = tempfile::tempdir().unwrap();
        let e = SourceFile::read(dir.path()).unwrap_err();
        assert!(matches!(e, ReadError::IsDirectory { .. }), "{e:?}");
        let e = SourceFile::read(&dir.path().join("missing.yaml")).unwrap_err();
        assert!(matches!(e, ReadError::Io { .. }), "{e:?}");
    }
}

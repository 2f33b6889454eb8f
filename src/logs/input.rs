//! Where records come from: files, directories, `-` for stdin, gzip, and the lines in them.
//!
//! Directories are read recursively in a stable order (sorted by name at each level), so a run
//! over a folder is reproducible. The format comes from the extension (`.jsonl`/`.ndjson`, `.json`,
//! `.csv`, `.txt`, each optionally `.gz`) unless `--input-format` (or `[import] format`) says
//! otherwise; stdin is recognised by its first bytes. A `.json` document's profile is recognised
//! from its shape when none is given ([`Format::Document`]). Lines are read with a length cap, so a
//! 20 MB line is read and a runaway one is skipped as "line too long" without taking the memory it
//! claims.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use crate::error::Error;

/// An input format: one of the readers, or a profile of JSON documents (SPEC section 3).
///
/// `--input-format` takes these names. A platform profile is a variant here and a module
/// `logs/profiles/<name>.rs` that maps the platform's layout onto message records over the JSON
/// machinery of [`crate::logs::json`]; `profiles::of` ties the two together (see the header of
/// `logs/profiles/mod.rs` for how to add one).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Jsonl,
    Csv,
    Whatsapp,
    /// JSON documents or nested JSONL, read as `[import.json]` describes.
    Json,
    /// A Rasa tracker store dump.
    Rasa,
    /// Salesforce `ConversationEntry` rows (JSON or CSV).
    Salesforce,
    /// Dialogflow CX interaction logs exported to BigQuery (JSONL, JSON or CSV).
    #[value(name = "dialogflow-cx")]
    DialogflowCx,
    /// Twilio Conversations messages with Flex TaskRouter reservation events.
    Twilio,
    /// WhatsApp Business Cloud API webhook bodies.
    Cloudapi,
    /// Freshchat webhook deliveries (`message_create`, assignment, resolution, reopen).
    Freshchat,
    /// Zendesk: Sunshine Conversations webhooks, ticket Conversation Logs and ticket comments.
    Zendesk,
    /// Intercom conversations with their parts (JSON), and the conversation-export CSV.
    Intercom,
    /// A `.json` file read without a profile named: the profile is recognised from the document.
    #[value(skip)]
    Document,
}

impl Format {
    /// Whether inputs of this format are JSON read through [`crate::logs::json`].
    pub fn is_json(self) -> bool {
        matches!(
            self,
            Format::Json
                | Format::Rasa
                | Format::Document
                | Format::Salesforce
                | Format::DialogflowCx
                | Format::Twilio
                | Format::Cloudapi
                | Format::Freshchat
                | Format::Zendesk
                | Format::Intercom
        )
    }
}

impl Format {
    fn from_extension(path: &Path) -> Option<Format> {
        let name = path.file_name()?.to_string_lossy().to_ascii_lowercase();
        let name = name.strip_suffix(".gz").unwrap_or(&name);
        let ext = name.rsplit_once('.')?.1;
        match ext {
            "jsonl" | "ndjson" => Some(Format::Jsonl),
            "json" => Some(Format::Document),
            "csv" => Some(Format::Csv),
            "txt" => Some(Format::Whatsapp),
            _ => None,
        }
    }
}

/// One input of a run.
#[derive(Debug, Clone)]
pub struct Input {
    /// The name used in messages: the path as given or found, or `-`.
    pub name: String,
    /// `None` for stdin.
    pub path: Option<PathBuf>,
    /// `None` when it must be recognised from the content (stdin without `--input-format`).
    pub format: Option<Format>,
}

impl Input {
    /// Whether the input can be read a second time by opening it again: regular files can, stdin
    /// and named pipes cannot.
    pub fn rereadable(&self) -> bool {
        self.path
            .as_deref()
            .is_some_and(|p| std::fs::metadata(p).is_ok_and(|m| m.is_file()))
    }

    /// The path of a file that is not gzip-compressed (read as it is), if this is one.
    pub fn plain_file(&self) -> Option<&Path> {
        self.path.as_deref().filter(|p| !is_gz(p))
    }

    /// Whether the input is named as JSONL (`.jsonl`, `.ndjson`, optionally `.gz`).
    pub fn named_jsonl(&self) -> bool {
        self.path
            .as_deref()
            .is_some_and(|p| Format::from_extension(p) == Some(Format::Jsonl))
    }

    /// Whether the input is named as CSV (`.csv`, optionally `.gz`).
    pub fn named_csv(&self) -> bool {
        self.path
            .as_deref()
            .is_some_and(|p| Format::from_extension(p) == Some(Format::Csv))
    }

    /// The conversation id a WhatsApp export gets: its file name without `.txt` / `.gz`.
    pub fn stem(&self) -> String {
        let name = self
            .path
            .as_ref()
            .and_then(|p| p.file_name())
            .map_or_else(|| "stdin".to_owned(), |n| n.to_string_lossy().into_owned());
        let name = name.strip_suffix(".gz").unwrap_or(&name);
        name.strip_suffix(".txt").unwrap_or(name).to_owned()
    }
}

/// Expands the command line's log arguments into inputs. Files in directories with other
/// extensions are not inputs; how many were passed over is added to `notes`.
pub fn expand(
    args: &[PathBuf],
    forced: Option<Format>,
    notes: &mut Vec<String>,
) -> Result<Vec<Input>, Error> {
    let mut out = Vec::new();
    for arg in args {
        if arg.as_os_str() == "-" {
            out.push(Input {
                name: "-".into(),
                path: None,
                format: forced,
            });
            continue;
        }
        let meta = std::fs::metadata(arg).map_err(|source| Error::Read {
            path: arg.display().to_string(),
            source,
        })?;
        if meta.is_dir() {
            let mut files = Vec::new();
            let mut passed_over = 0usize;
            walk(arg, &mut files, &mut passed_over, forced)?;
            if passed_over > 0 {
                notes.push(format!(
                    "{}: passed over {passed_over} files that are not .jsonl, .ndjson, .json, .csv or .txt (optionally .gz)",
                    arg.display()
                ));
            }
            out.extend(files);
            continue;
        }
        let format = forced.or_else(|| Format::from_extension(arg));
        if format.is_none() {
            return Err(Error::UnknownFormat {
                path: arg.display().to_string(),
            });
        }
        out.push(Input {
            name: arg.display().to_string(),
            path: Some(arg.clone()),
            format,
        });
    }
    Ok(out)
}

fn walk(
    dir: &Path,
    out: &mut Vec<Input>,
    passed_over: &mut usize,
    forced: Option<Format>,
) -> Result<(), Error> {
    let read_err = |source| Error::Read {
        path: dir.display().to_string(),
        source,
    };
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(read_err)?
        .map(|e| e.map(|e| e.path()))
        .collect::<Result<_, _>>()
        .map_err(read_err)?;
    entries.sort();
    for path in entries {
        // Links are followed like files; a loop of directory links would be caught by the OS's
        // path-length limit, so only real directories are walked into.
        let is_dir = std::fs::symlink_metadata(&path)
            .map(|m| m.is_dir())
            .unwrap_or(false);
        if is_dir {
            walk(&path, out, passed_over, forced)?;
        } else if let Some(by_name) = Format::from_extension(&path) {
            // In a directory the extension decides what is a log; `--input-format` decides how
            // those files are read.
            let format = forced.unwrap_or(by_name);
            out.push(Input {
                name: path.display().to_string(),
                path: Some(path),
                format: Some(format),
            });
        } else {
            *passed_over += 1;
        }
    }
    Ok(())
}

/// Opens an input for reading, decompressing gzip (by extension, or by its magic bytes on stdin).
pub fn open(input: &Input) -> Result<Box<dyn BufRead>, Error> {
    wrap(input, open_raw(input)?)
}

/// The input's bytes as stored: the file, or stdin.
pub fn open_raw(input: &Input) -> Result<Box<dyn Read>, Error> {
    Ok(match &input.path {
        Some(p) => Box::new(File::open(p).map_err(|source| Error::Read {
            path: input.name.clone(),
            source,
        })?),
        None => Box::new(io::stdin()),
    })
}

/// The input's records' bytes from its stored bytes `raw`: buffered, and decompressed when it is
/// gzip.
pub fn wrap(input: &Input, raw: Box<dyn Read>) -> Result<Box<dyn BufRead>, Error> {
    let err = |source| Error::Read {
        path: input.name.clone(),
        source,
    };
    let mut reader = BufReader::with_capacity(256 * 1024, raw);
    let gz = match &input.path {
        Some(p) => is_gz(p),
        None => reader.fill_buf().map_err(err)?.starts_with(&[0x1f, 0x8b]),
    };
    if gz {
        let decoder = flate2::bufread::MultiGzDecoder::new(reader);
        Ok(Box::new(BufReader::with_capacity(256 * 1024, decoder)))
    } else {
        Ok(Box::new(reader))
    }
}

/// Like [`open`], for a caller that reads in blocks of its own: a plain file comes without a buffer
/// in between, so that each block is read straight into the caller's memory.
pub fn open_blocks(input: &Input) -> Result<Box<dyn Read>, Error> {
    match input.plain_file() {
        Some(p) => {
            let file = File::open(p).map_err(|source| Error::Read {
                path: input.name.clone(),
                source,
            })?;
            Ok(Box::new(file))
        }
        _ => Ok(Box::new(open(input)?)),
    }
}

/// A `.gz` file, read through a gzip decoder.
fn is_gz(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("gz"))
}

/// Recognises the format of stdin from its first bytes: `{` is JSONL, `[` before `{` or `]` a JSON
/// document, a WhatsApp date line is WhatsApp, anything else CSV.
pub fn sniff(reader: &mut dyn BufRead) -> io::Result<Format> {
    let head = reader.fill_buf()?;
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let text = String::from_utf8_lossy(&head[..head.len().min(512)]);
    let first = text.trim_start_matches(['\u{200e}', ' ', '\t', '\r', '\n']);
    if first.starts_with('{') {
        return Ok(Format::Jsonl);
    }
    if let Some(rest) = first.strip_prefix('[')
        && (rest.trim_start().starts_with('{') || rest.trim_start().starts_with(']'))
    {
        return Ok(Format::Document);
    }
    let b = first.trim_start_matches('[').as_bytes();
    if b.first().is_some_and(u8::is_ascii_digit)
        && b.iter().take(12).any(|c| matches!(c, b'/' | b'.' | b'-'))
        && first.contains(':')
    {
        return Ok(Format::Whatsapp);
    }
    Ok(Format::Csv)
}

/// The longest line read; longer lines are skipped as "line too long". Generous: chat texts are
/// short, but exports embed attachments and whole transcripts in one field.
pub const MAX_LINE: usize = 64 * 1024 * 1024;

/// A line as read: its bytes (without the line break and a trailing `\r`), or too long.
pub enum Line<'a> {
    Bytes(&'a [u8]),
    TooLong,
}

/// Reads lines with a length cap, counting them from 1.
pub struct Lines<R> {
    reader: R,
    buf: Vec<u8>,
    pub number: u64,
    max: usize,
}

impl<R: BufRead> Lines<R> {
    pub fn new(reader: R) -> Self {
        Lines {
            reader,
            buf: Vec::new(),
            number: 0,
            max: MAX_LINE,
        }
    }

    #[cfg(test)]
    fn with_max(reader: R, max: usize) -> Self {
        Lines {
            reader,
            buf: Vec::new(),
            number: 0,
            max,
        }
    }

    /// The next line and its number, or `None` at the end of the input.
    pub fn next_line(&mut self) -> io::Result<Option<(u64, Line<'_>)>> {
        self.buf.clear();
        let mut too_long = false;
        let mut any = false;
        loop {
            let chunk = match self.reader.fill_buf() {
                Ok(c) => c,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if chunk.is_empty() {
                break;
            }
            any = true;
            let (take, done) = match memchr::memchr(b'\n', chunk) {
                Some(i) => (i, true),
                None => (chunk.len(), false),
            };
            if !too_long {
                if self.buf.len() + take > self.max {
                    too_long = true;
                    self.buf.clear();
                } else {
                    self.buf.extend_from_slice(&chunk[..take]);
                }
            }
            let consumed = if done { take + 1 } else { take };
            self.reader.consume(consumed);
            if done {
                break;
            }
        }
        if !any {
            return Ok(None);
        }
        self.number += 1;
        if too_long {
            return Ok(Some((self.number, Line::TooLong)));
        }
        if self.buf.last() == Some(&b'\r') {
            self.buf.pop();
        }
        Ok(Some((self.number, Line::Bytes(&self.buf))))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(input: &[u8], max: usize) -> Vec<Option<Vec<u8>>> {
        let mut l = Lines::with_max(input, max);
        let mut out = Vec::new();
        while let Some((_, line)) = l.next_line().expect("in memory") {
            out.push(match line {
                Line::Bytes(b) => Some(b.to_vec()),
                Line::TooLong => None,
            });
        }
        out
    }

    #[test]
    fn lines_strip_crlf_and_cap_length() {
        assert_eq!(
            lines(b"a\r\nbb\n\nccc", 10),
            vec![
                Some(b"a".to_vec()),
                Some(b"bb".to_vec()),
                Some(vec![]),
                Some(b"ccc".to_vec())
            ]
        );
        assert_eq!(
            lines(b"short\nthis one is long\nok\n", 8),
            vec![Some(b"short".to_vec()), None, Some(b"ok".to_vec())]
        );
        assert!(lines(b"", 8).is_empty());
    }

    #[test]
    fn stdin_formats_are_recognised() {
        let sniff_str = |s: &str| sniff(&mut s.as_bytes()).expect("in memory");
        assert_eq!(sniff_str("{\"a\":1}\n"), Format::Jsonl);
        assert_eq!(sniff_str("12/10/2026, 09:14 - Ana: hola"), Format::Whatsapp);
        assert_eq!(
            sniff_str("\u{200e}[12/10/26, 09:14:00] Ana: hola"),
            Format::Whatsapp
        );
        assert_eq!(sniff_str("conversation_id,role,text\n"), Format::Csv);
        assert_eq!(sniff_str("[\n  {\"a\": 1}\n]"), Format::Document);
    }
}

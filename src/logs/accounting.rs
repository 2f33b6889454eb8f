//! Accounting for every record read: each becomes a message, a skip with a reason, a duplicate, or
//! a non-message (an element of a JSON document that is valid but not a message: a delivery
//! status, a Rasa action), counted by kind.
//!
//! `records = messages + skipped + duplicates + non_messages` holds for every run (SPEC section
//! 3); the summary
//! line on stderr says it in words, and `--strict` turns the first skip into an error that names
//! the file and line.

use std::collections::BTreeMap;
use std::fmt;

/// Why a record was skipped. The snake_case names are the keys of `skipped_by_reason`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Reason {
    MissingConversationId,
    MissingRole,
    UnknownRole,
    WrongType,
    BadTimestamp,
    InvalidJson,
    InvalidUtf8,
    NulByte,
    WrongFieldCount,
    LineTooLong,
    NotAMessage,
    /// An element of a JSON document of a kind its profile does not know.
    UnknownElement,
}

impl Reason {
    pub const ALL: [Reason; 12] = [
        Reason::MissingConversationId,
        Reason::MissingRole,
        Reason::UnknownRole,
        Reason::WrongType,
        Reason::BadTimestamp,
        Reason::InvalidJson,
        Reason::InvalidUtf8,
        Reason::NulByte,
        Reason::WrongFieldCount,
        Reason::LineTooLong,
        Reason::NotAMessage,
        Reason::UnknownElement,
    ];

    /// The reason whose [`Reason::key`] is `key` (a partial report names reasons by key).
    pub fn from_key(key: &str) -> Option<Reason> {
        Reason::ALL.into_iter().find(|r| r.key() == key)
    }

    pub fn key(self) -> &'static str {
        match self {
            Reason::MissingConversationId => "missing_conversation_id",
            Reason::MissingRole => "missing_role",
            Reason::UnknownRole => "unknown_role",
            Reason::WrongType => "wrong_type",
            Reason::BadTimestamp => "bad_timestamp",
            Reason::InvalidJson => "invalid_json",
            Reason::InvalidUtf8 => "invalid_utf8",
            Reason::NulByte => "nul_byte",
            Reason::WrongFieldCount => "wrong_field_count",
            Reason::LineTooLong => "line_too_long",
            Reason::NotAMessage => "not_a_message",
            Reason::UnknownElement => "unknown_element",
        }
    }

    /// The reason in words, for the summary line.
    pub fn words(self) -> &'static str {
        match self {
            Reason::MissingConversationId => "missing conversation_id",
            Reason::MissingRole => "missing role",
            Reason::UnknownRole => "unknown role",
            Reason::WrongType => "wrong type",
            Reason::BadTimestamp => "bad timestamp",
            Reason::InvalidJson => "invalid JSON",
            Reason::InvalidUtf8 => "invalid UTF-8",
            Reason::NulByte => "NUL byte",
            Reason::WrongFieldCount => "wrong number of fields",
            Reason::LineTooLong => "line too long",
            Reason::NotAMessage => "not a WhatsApp message line",
            Reason::UnknownElement => "unknown element",
        }
    }
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.words())
    }
}

/// One skipped record.
#[derive(Debug, Clone, PartialEq)]
pub struct Skip {
    pub file: String,
    pub line: u64,
    pub reason: Reason,
    pub detail: String,
}

impl fmt::Display for Skip {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}: skipped ({}): {}",
            self.file, self.line, self.reason, self.detail
        )
    }
}

/// The counts of a run.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Stats {
    pub records: u64,
    pub messages: u64,
    pub skipped: u64,
    pub duplicates: u64,
    pub by_reason: BTreeMap<Reason, u64>,
    /// The first skips, in the order met, for the notices on stderr.
    pub first_skips: Vec<Skip>,
    /// Notes about the input that are not skips (an undecided WhatsApp date order).
    pub notes: Vec<String>,
    /// The authors and configured names the WhatsApp exports showed, for the notes of the run.
    pub whatsapp: crate::logs::whatsapp::Seen,
    /// Records that are valid but not messages, and how many of each kind (`status`, `action`).
    pub non_messages: u64,
    pub non_messages_by_kind: BTreeMap<String, u64>,
}

/// How many skips are shown one by one before only the summary counts them.
pub const SHOWN_SKIPS: usize = 20;

impl Stats {
    /// Adds the counts of a later part of the input: its first skips after these (up to
    /// [`SHOWN_SKIPS`]) and its notes after these.
    pub fn absorb(&mut self, later: Stats) {
        self.records += later.records;
        self.messages += later.messages;
        self.skipped += later.skipped;
        self.duplicates += later.duplicates;
        self.non_messages += later.non_messages;
        for (k, n) in later.non_messages_by_kind {
            *self.non_messages_by_kind.entry(k).or_default() += n;
        }
        for (r, n) in later.by_reason {
            *self.by_reason.entry(r).or_default() += n;
        }
        let room = SHOWN_SKIPS.saturating_sub(self.first_skips.len());
        self.first_skips
            .extend(later.first_skips.into_iter().take(room));
        self.notes.extend(later.notes);
        self.whatsapp.absorb(later.whatsapp);
    }

    pub fn skip(&mut self, skip: Skip) {
        self.records += 1;
        self.skipped += 1;
        *self.by_reason.entry(skip.reason).or_default() += 1;
        if self.first_skips.len() < SHOWN_SKIPS {
            self.first_skips.push(skip);
        }
    }

    /// A record that is valid but not a message, of `kind`.
    pub fn non_message(&mut self, kind: &str) {
        self.records += 1;
        self.non_messages += 1;
        match self.non_messages_by_kind.get_mut(kind) {
            Some(n) => *n += 1,
            None => {
                self.non_messages_by_kind.insert(kind.to_owned(), 1);
            }
        }
    }

    /// The summary line: `read 1,204,311 records: 1,204,007 messages, 304 skipped (…)`; with
    /// non-messages, every term of the law: `…, 0 duplicates, 8 not messages (7 statuses, …)`.
    pub fn summary(&self) -> String {
        let counted = |n: u64, one: &str, many: &str| {
            format!("{} {}", thousands(n), if n == 1 { one } else { many })
        };
        let mut s = format!(
            "read {}: {}, {} skipped",
            counted(self.records, "record", "records"),
            counted(self.messages, "message", "messages"),
            thousands(self.skipped)
        );
        if !self.by_reason.is_empty() {
            let parts: Vec<String> = self
                .by_reason
                .iter()
                .map(|(r, n)| format!("{} {}", thousands(*n), r.words()))
                .collect();
            s.push_str(&format!(" ({})", parts.join(", ")));
        }
        if self.non_messages > 0 {
            s.push_str(&self.non_message_terms());
            return s;
        }
        if self.duplicates > 0 {
            let word = if self.duplicates == 1 {
                "duplicate"
            } else {
                "duplicates"
            };
            s.push_str(&format!(", {} {word}", thousands(self.duplicates)));
        }
        s
    }

    /// `, 0 duplicates, 8 not messages (7 statuses, 1 reaction)`.
    fn non_message_terms(&self) -> String {
        let word = if self.duplicates == 1 {
            "duplicate"
        } else {
            "duplicates"
        };
        let not = if self.non_messages == 1 {
            "not a message"
        } else {
            "not messages"
        };
        // The most frequent kind first, as the summary of skips reads best.
        let mut by_count: Vec<(&String, &u64)> = self.non_messages_by_kind.iter().collect();
        by_count.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        let kinds: Vec<String> = by_count
            .iter()
            .map(|(k, n)| format!("{} {}", thousands(**n), kind_words(k, **n)))
            .collect();
        format!(
            ", {} {word}, {} {not} ({})",
            thousands(self.duplicates),
            thousands(self.non_messages),
            kinds.join(", ")
        )
    }

    /// Everything a human should see on stderr: notes, the first skips, the summary.
    pub fn report(&self) -> String {
        let mut out = String::new();
        for n in collapse_recognitions(&self.notes)
            .iter()
            .chain(&self.whatsapp.notes())
        {
            out.push_str(&format!("note: {n}\n"));
        }
        for s in &self.first_skips {
            out.push_str(&format!("{s}\n"));
        }
        if self.skipped > self.first_skips.len() as u64 {
            out.push_str(&format!(
                "… and {} more skipped records (counted below; --strict stops at the first)\n",
                thousands(self.skipped - self.first_skips.len() as u64)
            ));
        }
        out.push_str(&self.summary());
        out.push('\n');
        out
    }

    /// Whether the accounting law holds.
    pub fn balanced(&self) -> bool {
        self.records == self.messages + self.skipped + self.duplicates + self.non_messages
    }
}

/// A kind of non-message in words, plural unless `n` is 1: `session_start` → `session starts`,
/// `status` → `statuses`. A platform's own name for a kind (`ChatbotEstablished`,
/// `reservation.created`, `conversation:typing`) is shown as the platform writes it.
fn kind_words(kind: &str, n: u64) -> String {
    if !kind.bytes().all(|b| b.is_ascii_lowercase() || b == b'_') {
        return kind.to_owned();
    }
    let words = kind.replace('_', " ");
    if n == 1 {
        words
    } else if words.ends_with('s') || words.ends_with('x') || words.ends_with("sh") {
        format!("{words}es")
    } else {
        format!("{words}s")
    }
}

/// 1204311 as "1,204,311".
pub fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::with_capacity(s.len() + s.len() / 3);
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The notes with the recognition notes of a folder's files (`FILE: read as … (profile …): why`)
/// told once for each way of reading: the first file's note, naming how many more files were
/// read the same way. A folder of a thousand webhook logs gets one line, not a thousand.
fn collapse_recognitions(notes: &[String]) -> Vec<String> {
    const READ_AS: &str = ": read as ";
    let mut out: Vec<String> = Vec::with_capacity(notes.len());
    // The way of reading → (index in `out`, the first file, how many more files).
    let mut seen: BTreeMap<&str, (usize, &str, usize)> = BTreeMap::new();
    for n in notes {
        let Some((file, how)) = n.split_once(READ_AS) else {
            out.push(n.clone());
            continue;
        };
        match seen.get_mut(how) {
            Some((_, _, more)) => *more += 1,
            None => {
                seen.insert(how, (out.len(), file, 0));
                out.push(n.clone());
            }
        }
    }
    for (how, (i, file, more)) in seen {
        if more > 0 {
            let files = if more == 1 { "file" } else { "files" };
            out[i] = format!(
                "{file} and {} more {files}{READ_AS}{how}",
                thousands(more as u64)
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_folder_of_files_read_alike_is_one_recognition_note() {
        let note = |f: &str, how: &str| format!("{f}: read as {how}");
        let notes = vec![
            note("a.json", "X (profile x): why"),
            "something else".to_owned(),
            note("b.json", "X (profile x): why"),
            note("c.json", "Y (profile y): other"),
            note("d.json", "X (profile x): why"),
        ];
        assert_eq!(
            collapse_recognitions(&notes),
            [
                "a.json and 2 more files: read as X (profile x): why",
                "something else",
                "c.json: read as Y (profile y): other",
            ]
        );
    }

    #[test]
    fn summary_reads_like_the_spec() {
        let mut s = Stats {
            records: 1_204_007,
            messages: 1_204_007,
            ..Stats::default()
        };
        for _ in 0..212 {
            s.skip(Skip {
                file: "a".into(),
                line: 1,
                reason: Reason::MissingConversationId,
                detail: String::new(),
            });
        }
        for _ in 0..92 {
            s.skip(Skip {
                file: "a".into(),
                line: 1,
                reason: Reason::BadTimestamp,
                detail: String::new(),
            });
        }
        assert_eq!(
            s.summary(),
            "read 1,204,311 records: 1,204,007 messages, 304 skipped (212 missing conversation_id, 92 bad timestamp)"
        );
        assert!(s.balanced());
    }

    #[test]
    fn non_messages_are_a_term_of_the_law_and_of_the_summary() {
        let mut s = Stats {
            records: 10,
            messages: 10,
            ..Stats::default()
        };
        for _ in 0..7 {
            s.non_message("status");
        }
        s.non_message("reaction");
        assert!(s.balanced());
        assert_eq!(
            s.summary(),
            "read 18 records: 10 messages, 0 skipped, 0 duplicates, 8 not messages (7 statuses, 1 reaction)"
        );
        s.non_message("ChatbotEstablished");
        s.non_message("ChatbotEstablished");
        s.non_message("reservation.created");
        assert!(
            s.summary()
                .ends_with("(7 statuses, 2 ChatbotEstablished, 1 reaction, 1 reservation.created)"),
            "{}",
            s.summary()
        );
    }
}

//! Authors and kinds: who wrote an entry, and whether it is a message or a system line.
//!
//! The name runs up to the first `": "` after the header; an iOS system line carries a name too
//! and is told apart by the U+200E before its text, unless that text is a media or deletion
//! notice (see the `whatsapp` module header). Names lose the marks and the `~ ` that exports put
//! around them, so that configured `bots` and `agents` names match.

use std::borrow::Cow;

use super::words::{SYSTEM_MIN, is_system_opening};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Message,
    System,
}

/// The left-to-right mark iOS puts before system lines, media notices and the line itself.
pub(super) const LRM: char = '\u{200E}';

/// Splits the text after the header into (author as written, where the text starts, kind); see
/// the module header. The text is always the end of `rest`.
pub(super) fn classify(rest: &str, ios: bool) -> (Option<&str>, usize, Kind) {
    // An iOS notice with no name in front: `[date] <U+200E>You created group "X"`.
    if ios && rest.starts_with(LRM) {
        return (None, 0, Kind::System);
    }
    match split_author(rest) {
        // A system notice whose words hold a `": "` (see `words`): only a long would-be name
        // is compared with the openings.
        Some((author, _))
            if author.len() >= SYSTEM_MIN
                && is_system_opening(rest.trim_start_matches(['\u{200E}', '\u{200F}'])) =>
        {
            (None, 0, Kind::System)
        }
        Some((author, at)) => {
            let text = rest.get(at..).unwrap_or_default();
            if ios && text.starts_with(LRM) && !is_notice(text) {
                (None, at, Kind::System)
            } else {
                (Some(author), at, Kind::Message)
            }
        }
        None => {
            // `Name:` with nothing after it is an empty message, and `Name:.` is how some
            // exports write a message that disappeared; a system line does not end that way.
            let bare = rest
                .strip_suffix(':')
                .map(|a| (a, rest.len()))
                .or_else(|| rest.strip_suffix(":.").map(|a| (a, rest.len() - 1)));
            match bare {
                Some((author, at)) if !author.trim().is_empty() && !author.contains(':') => {
                    (Some(author), at, Kind::Message)
                }
                _ => (None, 0, Kind::System),
            }
        }
    }
}

/// The name before the first `": "` and where the text after it starts. A byte search for the
/// colon: `str::split_once` with a two-character pattern sets up a substring searcher per line.
fn split_author(rest: &str) -> Option<(&str, usize)> {
    let b = rest.as_bytes();
    let mut from = 0;
    while let Some(i) = memchr::memchr(b':', b.get(from..)?) {
        let at = from + i;
        if b.get(at + 1) == Some(&b' ') {
            return Some((rest.get(..at)?, at + 2));
        }
        from = at + 1;
    }
    None
}

/// A media, attachment or deletion notice: something the author sent, even when iOS marks it with
/// U+200E like a system line.
fn is_notice(text: &str) -> bool {
    let t: Cow<'_, str> = if text.trim_start_matches(LRM).contains(LRM) {
        Cow::Owned(text.chars().filter(|c| *c != LRM).collect())
    } else {
        Cow::Borrowed(text.trim_start_matches(LRM))
    };
    let t = t.trim();
    // Lowercasing an ASCII text is ASCII case folding, which the patterns can be compared with
    // in place; other text is lowercased in full (`K`, the Kelvin sign, lowercases to `k`).
    if t.is_ascii() {
        let starts = |p: &str| {
            t.as_bytes()
                .get(..p.len())
                .is_some_and(|h| h.eq_ignore_ascii_case(p.as_bytes()))
        };
        let ends = |p: &str| {
            t.len() >= p.len()
                && t.as_bytes()
                    .get(t.len() - p.len()..)
                    .is_some_and(|h| h.eq_ignore_ascii_case(p.as_bytes()))
        };
        return notice_patterns(starts, ends);
    }
    let lower = t.to_lowercase();
    let l = lower.as_str();
    notice_patterns(|p| l.starts_with(p), |p| l.ends_with(p))
}

/// The notices [`is_notice`] knows (every language's, see `words`), given how to test a prefix
/// and a suffix.
fn notice_patterns(starts: impl Fn(&str) -> bool, ends: impl Fn(&str) -> bool) -> bool {
    super::words::is_notice_with(starts, ends)
}

/// The name without direction marks and embeddings (which wrap phone numbers in RTL and iOS
/// exports) and without the `~ ` that marks a contact not in the address book. Borrowed unless
/// there were marks to take out.
pub(super) fn clean_author(raw: &str) -> Cow<'_, str> {
    let is_mark = |c: char| matches!(c, '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}');
    fn strip(name: &str) -> &str {
        let name = name.trim();
        let name = name
            .strip_prefix("~ ")
            .or_else(|| name.strip_prefix("~\u{202F}"))
            .or_else(|| name.strip_prefix("~\u{A0}"))
            .unwrap_or(name);
        name.trim_start()
    }
    // Most names are ASCII and start and end with a visible character other than `~` (`Ana`,
    // `+34 600 06 82 94`): no mark, nothing to trim or strip, which the Unicode-aware trims below
    // take longer to find out.
    let b = raw.as_bytes();
    if b.is_ascii()
        && b.first()
            .is_some_and(|c| c.is_ascii_graphic() && *c != b'~')
        && b.last().is_some_and(u8::is_ascii_graphic)
    {
        return Cow::Borrowed(raw);
    }
    // Every mark is encoded with a leading 0xE2 byte.
    let unmarked = memchr::memchr(0xE2, b).is_none();
    if unmarked || !raw.contains(is_mark) {
        return Cow::Borrowed(strip(raw));
    }
    let name: String = raw.chars().filter(|c| !is_mark(*c)).collect();
    Cow::Owned(strip(&name).to_owned())
}

#[cfg(test)]
mod tests;

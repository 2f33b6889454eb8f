//! The words exports write in each language: the notices that are messages (media left out,
//! attachments, deleted messages), the openings of system notices, and the 12-hour clock's
//! AM/PM markers. One table per language, all of it data; `docs/logs.md` lists where each string
//! was found.
//!
//! How each list is matched, ignoring ASCII case (other characters as written):
//! - [`Language::notice_starts`] / [`Language::notice_ends`]: the start or the end of a text that
//!   iOS marks with U+200E like a system line but that the author sent (see `author`); only
//!   such lines are compared, so the common path never looks at these lists.
//! - [`Language::system_starts`]: the start of a line that reads like `Name: text` but is a system
//!   notice whose own words hold a `": "` (`الرسائل والمكالمات مشفّرة بالكامل: …`). Compared
//!   only when the would-be name is at least [`SYSTEM_MIN`] bytes long, longer than nearly every
//!   name, so a message line costs one length comparison.
//! - [`Language::am`] / [`Language::pm`]: after the time of an entry's first line, where the
//!   Latin `AM`/`a. m.` forms are read by `head`; these are the other scripts' and languages'
//!   markers, tried only when the Latin ones are not there.

/// The words of one language.
pub(super) struct Language {
    /// The English name, for the documentation and test messages.
    #[cfg_attr(not(test), expect(dead_code, reason = "named in test messages"))]
    pub(super) name: &'static str,
    /// Texts starting like this are notices the author sent (lower case).
    pub(super) notice_starts: &'static [&'static str],
    /// Texts ending like this are notices the author sent (lower case).
    pub(super) notice_ends: &'static [&'static str],
    /// System notices that start like this, although they hold a `": "`.
    pub(super) system_starts: &'static [&'static str],
    /// The 12-hour clock's markers for the morning and for the afternoon, besides the Latin ones.
    pub(super) am: &'static [&'static str],
    pub(super) pm: &'static [&'static str],
}

/// The shortest a would-be name is before the system openings are compared with its line: every
/// entry of [`Language::system_starts`] is at least this long (a test checks it), so a shorter
/// name cannot begin one.
pub(super) const SYSTEM_MIN: usize = 24;

pub(super) static LANGUAGES: &[Language] = &[
    Language {
        name: "English",
        notice_starts: &[
            "<attached:",
            "< attached:",
            "this message was deleted",
            "you deleted this message",
            "location: ",
            "live location shared",
            "poll:",
        ],
        notice_ends: &["<attached>", "(file attached)", "omitted", "omitted>"],
        system_starts: &[],
        am: &[],
        pm: &[],
    },
    Language {
        name: "Spanish",
        notice_starts: &[
            "<adjunto:",
            "se eliminó este mensaje",
            "eliminaste este mensaje",
        ],
        notice_ends: &["(archivo adjunto)", "omitido", "omitida", "omitido>"],
        system_starts: &[
            "Los mensajes y las llamadas están cifrados de extremo a extremo",
            "Los mensajes están cifrados de extremo a extremo",
        ],
        am: &[],
        pm: &[],
    },
    Language {
        name: "Portuguese",
        notice_starts: &[
            "<anexado:",
            "esta mensagem foi apagada",
            "você apagou esta mensagem",
        ],
        notice_ends: &["(arquivo anexado)", "ocultada", "ocultado", "oculta>"],
        system_starts: &[
            "As mensagens e as chamadas são protegidas com a criptografia de ponta a ponta",
        ],
        am: &[],
        pm: &[],
    },
    Language {
        name: "Hindi",
        notice_starts: &["यह संदेश हटा दिया गया"],
        notice_ends: &[],
        system_starts: &[],
        am: &["पूर्वाह्न"],
        pm: &["अपराह्न"],
    },
    Language {
        name: "Indonesian",
        notice_starts: &["pesan ini telah dihapus"],
        notice_ends: &["(file terlampir)", "tidak disertakan", "tidak disertakan>"],
        system_starts: &["Pesan dan panggilan terenkripsi secara end-to-end"],
        am: &[],
        pm: &[],
    },
    Language {
        name: "German",
        notice_starts: &[
            "<anhang:",
            "diese nachricht wurde gelöscht",
            "du hast diese nachricht gelöscht",
        ],
        notice_ends: &["(datei angehängt)", "weggelassen", "ausgeschlossen>"],
        system_starts: &["Nachrichten und Anrufe sind Ende-zu-Ende-verschlüsselt"],
        am: &["vorm."],
        pm: &["nachm."],
    },
    Language {
        name: "French",
        notice_starts: &[
            "<pièce jointe",
            "ce message a été supprimé",
            "vous avez supprimé ce message",
        ],
        notice_ends: &["(fichier joint)", "absente", "absent", "omis>"],
        system_starts: &["Les messages et les appels sont chiffrés de bout en bout"],
        am: &[],
        pm: &[],
    },
    Language {
        name: "Italian",
        notice_starts: &[
            "<allegato:",
            "questo messaggio è stato eliminato",
            "hai eliminato questo messaggio",
        ],
        notice_ends: &["(file allegato)", "omessa", "omesso", "omessi>"],
        system_starts: &["I messaggi e le chiamate sono crittografati end-to-end"],
        am: &[],
        pm: &[],
    },
    Language {
        name: "Arabic",
        notice_starts: &["<مرفق:", "تم حذف هذه الرسالة"],
        notice_ends: &["<تم استبعاد الوسائط>", "غير مشمولة", "غير مشمول"],
        system_starts: &["الرسائل والمكالمات مشفرة", "الرسائل والمكالمات مشفّرة"],
        am: &["ص"],
        pm: &["م"],
    },
];

/// Whether `text` (trimmed, already lower case where it is not ASCII) is a notice its author
/// sent, `starts`/`ends` saying how a pattern is compared with it.
pub(super) fn is_notice_with(starts: impl Fn(&str) -> bool, ends: impl Fn(&str) -> bool) -> bool {
    LANGUAGES
        .iter()
        .any(|l| l.notice_starts.iter().any(|p| starts(p)) || l.notice_ends.iter().any(|p| ends(p)))
}

/// Whether `line` (the text after an entry's header) opens a system notice of the tables.
pub(super) fn is_system_opening(line: &str) -> bool {
    let b = line.as_bytes();
    LANGUAGES.iter().flat_map(|l| l.system_starts).any(|p| {
        b.get(..p.len())
            .is_some_and(|h| h.eq_ignore_ascii_case(p.as_bytes()))
    })
}

/// A non-Latin AM/PM marker at the start of `b`, as (is it PM, its length). It must end there:
/// followed by the end of the line, a space, `]`, `-` or `,`, not by more of a word.
pub(super) fn meridiem_word(b: &[u8]) -> Option<(bool, usize)> {
    // Every marker starts with a byte that no Latin marker and no header separator does.
    let first = *b.first()?;
    if first.is_ascii() && !matches!(first, b'v' | b'V' | b'n' | b'N') {
        return None;
    }
    let ends_here = |len: usize| match b.get(len) {
        None => true,
        Some(c) => matches!(c, b' ' | b']' | b'-' | b',' | b'\r' | 0xC2 | 0xE2),
    };
    for l in LANGUAGES {
        for (words, pm) in [(l.am, false), (l.pm, true)] {
            for w in words {
                let len = w.len();
                if b.get(..len)
                    .is_some_and(|h| h.eq_ignore_ascii_case(w.as_bytes()))
                    && ends_here(len)
                {
                    return Some((pm, len));
                }
            }
        }
    }
    None
}

#[cfg(test)]
mod tests;

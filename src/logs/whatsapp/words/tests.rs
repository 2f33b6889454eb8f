//! Every word of the tables is recognised where exports write it, and lines written the way each
//! language's exports write them read as the same entries.

use super::*;
use crate::logs::whatsapp::tests::{dt, one, p};
use crate::logs::whatsapp::{Kind, author::LRM};

/// Every notice of every language, on an iOS line behind U+200E, is a message of its author —
/// written as listed, and in upper case where the word is ASCII.
#[test]
fn every_listed_notice_is_a_message_on_ios() {
    for l in LANGUAGES {
        let starts = l.notice_starts.iter().map(|w| format!("{w} x.jpg"));
        let ends = l.notice_ends.iter().map(|w| format!("x.jpg {w}"));
        for text in starts.chain(ends) {
            for text in [text.clone(), text.to_ascii_uppercase()] {
                let line = format!("[14.08.24, 21:00:12] Boris: {LRM}{text}");
                let e = one(&line);
                assert_eq!(
                    (e.kind, e.author.as_deref()),
                    (Kind::Message, Some("Boris")),
                    "{}: {text:?}",
                    l.name
                );
            }
        }
    }
}

/// Every system opening makes a system line even where a `": "` follows it, on Android and iOS.
#[test]
fn every_listed_system_opening_is_a_system_line() {
    for l in LANGUAGES {
        for w in l.system_starts {
            assert!(w.len() >= SYSTEM_MIN, "{}: {w:?} is shorter", l.name);
            assert!(!w.contains(": "), "{}: {w:?}", l.name);
            for line in [
                format!("12/10/24, 09:00 - {w}: more words."),
                format!("[12/10/24, 09:00:00] {w}: more words."),
            ] {
                let e = one(&line);
                assert_eq!(
                    (e.kind, e.author.as_deref()),
                    (Kind::System, None),
                    "{line}"
                );
                assert_eq!(e.text, format!("{w}: more words."));
            }
        }
    }
}

/// Every AM/PM marker, after the time and before ` - ` or `]`, moves the clock as it says.
#[test]
fn every_listed_meridiem_is_read() {
    for l in LANGUAGES {
        for (words, time) in [(l.am, "2024-10-12T00:30"), (l.pm, "2024-10-12T12:30")] {
            for w in words {
                for line in [
                    format!("12/10/24, 12:30 {w} - Ana: x"),
                    format!("[12/10/24, 12:30:00 {w}] Ana: x"),
                    format!("12/10/24, 12:30\u{202F}{w} - Ana: x"),
                ] {
                    let e = one(&line);
                    assert_eq!(e.time, dt(time), "{}: {line}", l.name);
                    assert_eq!(e.author.as_deref(), Some("Ana"), "{line}");
                }
            }
        }
    }
}

#[test]
fn a_marker_must_end_where_it_stands() {
    assert_eq!(meridiem_word("م - a".as_bytes()), Some((true, 2)));
    assert_eq!(meridiem_word("مرحبا".as_bytes()), None);
    assert_eq!(meridiem_word(b"nachmittags - a"), None);
    assert_eq!(meridiem_word(b"vorm.] a"), Some((false, 5)));
    assert_eq!(meridiem_word(b"- a"), None);
}

#[test]
fn spanish_android_and_ios() {
    let parsed = p(
        "22/9/20 14:38 - Los mensajes y las llamadas están cifrados de extremo a extremo. Nadie fuera de este chat, ni siquiera WhatsApp, puede leerlos ni escucharlos. Toca para obtener más información.\n\
                    22/9/20 14:40 - Lautaro: PTT-20200922-WA0082.opus (archivo adjunto)\n\
                    22/9/20 14:41 - Lautaro: <Multimedia omitido>\n\
                    22/9/20 14:42 - Lautaro: Se eliminó este mensaje.\n\
                    [22/9/20, 2:43:00 p. m.] Lautaro: \u{200E}imagen omitida\n\
                    [22/9/20, 2:44:00 p. m.] Lautaro: \u{200E}Eliminaste este mensaje.\n\
                    [22/9/20, 2:45:00 p. m.] Grupo: \u{200E}Lautaro creó el grupo \"Viaje\"",
    );
    let got: Vec<_> = parsed
        .entries
        .iter()
        .map(|e| (e.kind, e.author.as_deref()))
        .collect();
    let m = (Kind::Message, Some("Lautaro"));
    assert_eq!(
        got,
        [(Kind::System, None), m, m, m, m, m, (Kind::System, None)]
    );
    assert_eq!(parsed.entries[4].time, dt("2020-09-22T14:43"));
}

#[test]
fn portuguese_android_and_ios() {
    let parsed = p(
        "12/09/2026 09:00 - As mensagens e as chamadas são protegidas com a criptografia de ponta a ponta.\n\
                    12/09/2026 09:01 - Maria criou o grupo \"Pós-op Ana\"\n\
                    12/09/2026 09:06 - Ana: <Mídia oculta>\n\
                    12/09/2026 09:07 - Ana: IMG-20260912-WA0001.jpg (arquivo anexado)\n\
                    [12/09/2026, 09:08:10] Ana: \u{200E}imagem ocultada\n\
                    [12/09/2026, 09:09:10] Ana: \u{200E}Esta mensagem foi apagada",
    );
    let kinds: Vec<_> = parsed.entries.iter().map(|e| e.kind).collect();
    let (s, m) = (Kind::System, Kind::Message);
    assert_eq!(kinds, [s, s, m, m, m, m]);
}

#[test]
fn german_android_and_ios_with_vorm_nachm() {
    let parsed = p(
        "02.01.21, 10:00 vorm. - Nachrichten und Anrufe sind Ende-zu-Ende-verschlüsselt. Tippe, um mehr zu erfahren.\n\
                    02.01.21, 3:00 nachm. - Ana: <Medien ausgeschlossen>\n\
                    02.01.21, 3:01 nachm. - Ana: Diese Nachricht wurde gelöscht\n\
                    [02.01.21, 3:02:00 nachm.] Ana: \u{200E}Bild weggelassen\n\
                    [02.01.21, 3:03:00 nachm.] Ana: \u{200E}Du hast diese Nachricht gelöscht.",
    );
    let got: Vec<_> = parsed.entries.iter().map(|e| (e.kind, e.time)).collect();
    assert_eq!(got[0], (Kind::System, dt("2021-01-02T10:00")));
    for (k, t) in ["15:00", "15:01", "15:02", "15:03"].iter().enumerate() {
        assert_eq!(got[k + 1], (Kind::Message, dt(&format!("2021-01-02T{t}"))));
    }
}

#[test]
fn french_and_italian_24_hour() {
    let parsed = p(
        "12/03/2025 08:59 - Les messages et les appels sont chiffrés de bout en bout. Personne en dehors de cette discussion ne peut les lire.\n\
                    12/03/2025 09:03 - Paul: IMG-20260312-WA0001.jpg (fichier joint)\n\
                    12/03/2025 09:04 - Fatou: <Médias omis>\n\
                    [12/03/2025 09:05:00] Paul: \u{200E}image absente\n\
                    [12/03/2025 09:06:00] Paul: \u{200E}Ce message a été supprimé.\n\
                    [12/03/2025 09:07:00] Marco: \u{200E}immagine omessa\n\
                    [12/03/2025 09:08:00] Marco: \u{200E}Questo messaggio è stato eliminato\n\
                    [12/03/2025 09:09:00] Marco: \u{200E}IMG-1.jpg (file allegato)",
    );
    let kinds: Vec<_> = parsed.entries.iter().map(|e| e.kind).collect();
    let (s, m) = (Kind::System, Kind::Message);
    assert_eq!(kinds, [s, m, m, m, m, m, m, m]);
}

#[test]
fn indonesian_24_hour_dotted_clock() {
    let parsed = p(
        "21/07/2026 03.10 - Pesan dan panggilan terenkripsi secara end-to-end. Tidak seorang pun di luar chat ini, termasuk WhatsApp, yang dapat membaca atau mendengarkannya.\n\
                    21/07/2026 03.15 - Andi: <Media tidak disertakan>\n\
                    [21/07/2026 03.16.00] Andi: \u{200E}gambar tidak disertakan\n\
                    [21/07/2026 03.17.00] Andi: \u{200E}Pesan ini telah dihapus",
    );
    let kinds: Vec<_> = parsed.entries.iter().map(|e| e.kind).collect();
    let (s, m) = (Kind::System, Kind::Message);
    assert_eq!(kinds, [s, m, m, m]);
    assert_eq!(parsed.entries[1].time, dt("2026-07-21T03:15"));
}

#[test]
fn arabic_comma_and_markers() {
    let parsed = p("2/1/21، 10:00 م - A: x\n\
                    2/1/21، 10:01 ص - A: <تم استبعاد الوسائط>\n\
                    [2/1/21، 10:02:00 م] A: \u{200E}تم حذف هذه الرسالة\n\
                    [2/1/21، 10:03:00 م] الرسائل والمكالمات مشفّرة بالكامل: لا أحد خارج هذه الدردشة يستطيع قراءتها.");
    let got: Vec<_> = parsed.entries.iter().map(|e| (e.kind, e.time)).collect();
    assert_eq!(
        got,
        [
            (Kind::Message, dt("2021-01-02T22:00")),
            (Kind::Message, dt("2021-01-02T10:01")),
            (Kind::Message, dt("2021-01-02T22:02")),
            (Kind::System, dt("2021-01-02T22:03")),
        ]
    );
}

#[test]
fn hindi_markers() {
    let parsed = p("12/05/21, 9:15 पूर्वाह्न - Ravi: नमस्ते\n\
                    12/05/21, 9:16 अपराह्न - Ravi: \u{200E}यह संदेश हटा दिया गया था\n\
                    [12/05/21, 9:17:00 अपराह्न] Ravi: \u{200E}यह संदेश हटा दिया गया था");
    let got: Vec<_> = parsed.entries.iter().map(|e| (e.kind, e.time)).collect();
    assert_eq!(
        got,
        [
            (Kind::Message, dt("2021-05-12T09:15")),
            (Kind::Message, dt("2021-05-12T21:16")),
            (Kind::Message, dt("2021-05-12T21:17")),
        ]
    );
}

/// A long name is still a name: only a known opening makes its line a system line.
#[test]
fn a_long_name_stays_a_name() {
    let e = one("12/10/24, 09:00 - Maria Fernanda de los Santos Oliveira: oi");
    assert_eq!(
        e.author.as_deref(),
        Some("Maria Fernanda de los Santos Oliveira")
    );
    assert_eq!(e.kind, Kind::Message);
}

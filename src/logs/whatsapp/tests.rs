//! What every export must satisfy (the accounting law, no panic on any input), the real exports
//! of other parsers' test suites, and the helpers the tests beside each part of the reader share.

use jiff::civil::DateTime;

use super::author::LRM;
use super::*;

pub(super) fn p(text: &str) -> Parsed<'_> {
    let parsed = parse(text, &Options::default());
    check_accounting(text, &parsed);
    parsed
}

pub(super) fn p_with(text: &str, order: DateOrder) -> Parsed<'_> {
    let parsed = parse(
        text,
        &Options {
            date_order: Some(order),
        },
    );
    check_accounting(text, &parsed);
    parsed
}

pub(super) fn dt(s: &str) -> DateTime {
    s.parse().unwrap()
}

pub(super) fn one(text: &str) -> Entry<'_> {
    let parsed = p(text);
    assert_eq!(parsed.entries.len(), 1, "{text:?} -> {parsed:?}");
    parsed.entries.into_iter().next().unwrap()
}

/// The accounting law: every line of `text` is in exactly one place — a leading line, or the
/// block (first line plus continuation lines) of one entry or skip — and each entry's text is
/// exactly its block's lines (first line after the header), U+200E and '\r' removed, less
/// blank lines at the end.
fn check_accounting(text: &str, parsed: &Parsed) {
    // Lines as the parser (and `str::lines`, which the caller counts with) sees them; one
    // trailing '\r' goes, even at the end of the file where `str::lines` would keep it.
    let mut lines: Vec<&str> = text
        .split('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .collect();
    if text.is_empty() || text.ends_with('\n') {
        lines.pop();
    }
    assert_eq!(lines.len(), text.lines().count());
    let total = lines.len();
    let mut starts: Vec<usize> = parsed
        .entries
        .iter()
        .map(|e| e.line)
        .chain(parsed.skipped.iter().map(|s| s.line))
        .collect();
    starts.sort_unstable();
    for w in starts.windows(2) {
        assert!(w[0] < w[1], "two records start on line {}", w[0]);
    }
    let first = starts.first().copied().unwrap_or(total + 1);
    assert_eq!(
        parsed.leading_lines,
        (1..first).collect::<Vec<_>>(),
        "leading lines"
    );
    assert!(starts.iter().all(|s| (1..=total).contains(s)));
    // Entries are in file order.
    for w in parsed.entries.windows(2) {
        assert!(w[0].line < w[1].line);
    }
    for e in &parsed.entries {
        let next = starts
            .iter()
            .copied()
            .find(|s| *s > e.line)
            .unwrap_or(total + 1);
        assert_eq!(e.last_line, next - 1, "line {}: last line", e.line);
        // The importer compares authors with configured names without trimming them again.
        if let Some(a) = &e.author {
            assert_eq!(a.trim(), a, "line {}: author", e.line);
        }
        let block: Vec<String> = lines[e.line - 1..next - 1]
            .iter()
            .map(|l| l.replace(LRM, ""))
            .collect();
        let text_lines: Vec<&str> = e.text.split('\n').collect();
        assert!(
            text_lines.len() <= block.len(),
            "line {}: text has more lines than its block",
            e.line
        );
        assert!(
            block[0].ends_with(text_lines[0]),
            "line {}: {:?} does not end with {:?}",
            e.line,
            block[0],
            text_lines[0]
        );
        for (k, t) in text_lines.iter().enumerate().skip(1) {
            assert_eq!(block[k], *t, "line {}", e.line + k);
        }
        for extra in &block[text_lines.len()..] {
            assert!(extra.trim().is_empty(), "line {}: lost {extra:?}", e.line);
        }
    }
    let covered = parsed.leading_lines.len()
        + if starts.is_empty() {
            0
        } else {
            total + 1 - first
        };
    assert_eq!(covered, total, "every line accounted for");
}

#[test]
fn leading_lines_are_reported() {
    let parsed = p("garbage\n\nmore\n01/02/21, 10:00 - a: m\n");
    assert_eq!(parsed.leading_lines, vec![1, 2, 3]);
    assert_eq!(parsed.entries[0].line, 4);
    let parsed = p("no entries\nat all\n");
    assert_eq!(parsed.leading_lines, vec![1, 2]);
    assert_eq!(parsed.date_order, None);
    let parsed = p("");
    assert!(parsed.entries.is_empty() && parsed.leading_lines.is_empty());
}

// ---- robustness ----------------------------------------------------------------------

/// A small deterministic generator (xorshift): no test dependency needed.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n.max(1) as u64) as usize
    }
}

#[test]
fn garbage_never_panics() {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    // Lines built slot by slot from header parts, near-misses and junk, then cut or spliced
    // at random places: most are headers or almost headers, which is where a scanner breaks.
    // Each slot: (options, how many of the first ones make a valid header).
    let slots: &[(&[&'static str], usize)] = &[
        (&["", "\u{200E}", "\u{200F}\u{202B}", "\u{FEFF}", "x"], 2),
        (&["", "[", "[["], 2),
        (&["1", "12", "31", "2024", "0", "123", "99999", ""], 4),
        (&["/", ".", "-", ". ", ":", ""], 4),
        (&["6", "13", "02", "2018", ""], 3),
        (&["/", ".", "-", ". ", ""], 4),
        (&["18", "2021", "7", "", "00"], 2),
        (&["", ".", ","], 3),
        (&[", ", " ", " klo ", ",", "\u{A0}", ""], 3),
        (&["1", "21", "99", "", "0"], 2),
        (&[":", ".", ""], 2),
        (&["55", "00", "5", "61", ""], 2),
        (&["", ":15", ".15", ":9", ":", "."], 3),
        (
            &[
                "",
                " PM",
                "\u{202F}am",
                " p. m.",
                " a.\u{A0}m.",
                "PM",
                " p",
                " pm.",
            ],
            6,
        ),
        (&[" - ", "] ", " ", ": ", " \u{2013} ", "", "]", " -"], 5),
        (
            &[
                "Name: ",
                "~ Ann: ",
                "\u{200E}",
                "+1 234: ",
                "🤓:",
                "a:.",
                "x: \u{200E}image omitted",
                "",
            ],
            7,
        ),
        (
            &[
                "text",
                "\u{200E}<attached: a.jpg>",
                "é🤓",
                "see 10:30: ok",
                " ",
                "",
            ],
            6,
        ),
        (&["\n", "\r\n", "\n\n", "", "\r"], 3),
    ];
    // Mostly options that fit a header, one time in ten anything.
    let pick = |rng: &mut Rng, (options, good): (&[&'static str], usize)| -> &'static str {
        let n = if rng.below(10) == 0 {
            options.len()
        } else {
            good
        };
        options[rng.below(n)]
    };
    let mut reached = 0;
    for _ in 0..3000 {
        let mut s = String::new();
        for _ in 0..rng.below(8) {
            let mut line = String::new();
            for slot in slots {
                line.push_str(pick(&mut rng, *slot));
            }
            if rng.below(3) == 0 {
                let cuts: Vec<usize> = line.char_indices().map(|(i, _)| i).collect();
                if !cuts.is_empty() {
                    let at = cuts[rng.below(cuts.len())];
                    if rng.below(2) == 0 {
                        line.truncate(at);
                    } else {
                        let slot = slots[rng.below(slots.len())];
                        line.insert_str(at, pick(&mut rng, slot));
                    }
                }
            }
            s.push_str(&line);
        }
        let parsed = p(&s);
        reached += parsed.entries.len() + parsed.skipped.len();
    }
    // The generator makes mostly headers: the deep paths of the scanner were exercised.
    assert!(reached > 200, "{reached}");
    for _ in 0..200 {
        let len = rng.below(300);
        let bytes: Vec<u8> = (0..len).map(|_| rng.below(256) as u8).collect();
        let s = String::from_utf8_lossy(&bytes).into_owned();
        p(&s);
    }
    let long = "12/12/12, 12:12 - a: ".to_string() + &"x".repeat(1 << 20);
    assert_eq!(p(&long).entries[0].text.len(), 1 << 20);
    p(&"[".repeat(100_000));
    p(&"[\n".repeat(10_000));
    p(&"1/2/3/4/5/6/7/8/9/".repeat(10_000));
    p(&"1/1/1111111111111111111111".repeat(100));
    p(&"12/12/12, 12:12".repeat(1000));
    p("12/12/12, 12:12 -");
    p("12/12/12, 12:12 - ");
    p("[12/12/12, 12:12]");
    p("12/12/12, 12:12 p");
    p("12/12/12, 12:12 p.");
    p("12/12/12, 12:12 p.\u{A0}");
    p("99/99/99, 99:99:99 - a: b");
    p("0/0/00, 0:00 - a: b");
    p("\u{200E}");
    p("\u{200E}\u{200E}\u{200E}[");
    p("\r\n\r\n\n");
}

// ---- real exports --------------------------------------------------------------------

fn realdata() -> Option<std::path::PathBuf> {
    let dir = std::env::var_os("HANDOFF_REALDATA")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| {
            concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/realdata/whatsapp").into()
        });
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!(
            "skipping: WhatsApp sample exports not found at {} (set HANDOFF_REALDATA to the realdata/whatsapp folder)",
            dir.display()
        );
        None
    }
}

fn read(path: &std::path::Path) -> String {
    let s = std::fs::read_to_string(path).unwrap();
    s.strip_prefix('\u{FEFF}').unwrap_or(&s).to_string()
}

/// An entry as chat-miner represents it: timestamp, author ("System" for system lines) and the
/// message with line breaks joined by spaces and no-break spaces folded (it applies NFKC). It
/// writes `Name:.` as "<Disappearing Message>".
fn chat_miner_view(source: &str, e: &Entry) -> (String, String, String) {
    let ts = e.time.strftime("%Y-%m-%d %H:%M:%S").to_string();
    let author = e.author.as_deref().unwrap_or("System").to_string();
    let first = source.lines().nth(e.line - 1).unwrap_or("");
    let text = if first.ends_with(":.") && e.text == "." {
        "<Disappearing Message>".to_string()
    } else {
        e.text
            .replace('\n', " ")
            .replace(['\u{A0}', '\u{202F}'], " ")
    };
    (ts, author, text)
}

#[test]
fn chat_miner_exports_match_their_expected_output() {
    let Some(dir) = realdata() else { return };
    let dir = dir.join("chat-miner");
    let mut matched = Vec::new();

    // history/: X.txt with X_target.csv (timestamp or datetime, author, message, …), newest first.
    let history = dir.join("history");
    let mut files: Vec<_> = std::fs::read_dir(&history)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    for txt in files
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
    {
        let stem = txt.file_stem().unwrap().to_string_lossy().to_string();
        let target = history.join(format!("{stem}_target.csv"));
        if !target.is_file() {
            continue;
        }
        let source = read(txt);
        let parsed = p(&source);
        assert!(parsed.skipped.is_empty(), "{stem}: {:?}", parsed.skipped);
        let mut got: Vec<_> = parsed
            .entries
            .iter()
            .map(|e| chat_miner_view(&source, e))
            .collect();
        got.reverse();
        let mut want = Vec::new();
        let mut reader = ::csv::Reader::from_path(&target).unwrap();
        for row in reader.records() {
            let row = row.unwrap();
            want.push((row[0].to_string(), row[1].to_string(), row[2].to_string()));
        }
        assert_eq!(got, want, "{stem}");
        matched.push(stem);
    }

    // head/: every .txt holds the same chat in another date style; target.json lists its
    // messages newest first, without the system lines and the `Name:.` line.
    let head = dir.join("head");
    let target: serde_json::Value = serde_json::from_str(&read(&head.join("target.json"))).unwrap();
    let want: Vec<(String, String, String)> = target
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["timestamp"].as_str().unwrap().replace('T', " "),
                m["author"].as_str().unwrap().to_string(),
                m["message"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let mut files: Vec<_> = std::fs::read_dir(&head)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    files.sort();
    for txt in &files {
        let name = txt.file_name().unwrap().to_string_lossy().to_string();
        let source = read(txt);
        let parsed = p(&source);
        assert!(parsed.skipped.is_empty(), "{name}: {:?}", parsed.skipped);
        assert_eq!(parsed.entries.len(), 9, "{name}");
        assert_eq!(
            parsed
                .entries
                .iter()
                .filter(|e| e.kind == Kind::System)
                .count(),
            2,
            "{name}"
        );
        let mut got: Vec<_> = parsed
            .entries
            .iter()
            .filter(|e| e.kind == Kind::Message)
            .map(|e| chat_miner_view(&source, e))
            .filter(|v| v.2 != "<Disappearing Message>")
            .collect();
        got.reverse();
        assert_eq!(got, want, "{name}");
        matched.push(name);
    }
    eprintln!(
        "chat-miner: {} files match their expected output: {matched:?}",
        matched.len()
    );
    assert_eq!(matched.len(), 12);
}

#[test]
fn chat_miner_testlog_mixes_every_style() {
    let Some(dir) = realdata() else { return };
    let source = read(&dir.join("chat-miner/history/testlog.txt"));
    let parsed = p(&source);
    assert!(parsed.skipped.is_empty(), "{:?}", parsed.skipped);
    assert_eq!(parsed.entries.len(), 23);
    assert_eq!(parsed.date_order, Some((DateOrder::MonthFirst, true)));
    let by_line = |n: usize| parsed.entries.iter().find(|e| e.line == n).unwrap();
    assert_eq!(by_line(17).time, dt("2019-12-24T23:30"));
    assert_eq!(by_line(18).time, dt("2022-09-10T22:37"));
    assert_eq!(by_line(19).text, "Testing brackets");
    assert_eq!(by_line(20).text, "Testing date dashes");
    assert_eq!(by_line(29).author.as_deref(), Some("🤓"));
    assert_eq!(by_line(29).time, dt("2022-12-24T13:01"));
    assert_eq!(
        parsed
            .entries
            .iter()
            .filter(|e| e.kind == Kind::System)
            .count(),
        3
    );
}

#[test]
fn locket_exports() {
    let Some(dir) = realdata() else { return };
    let source = read(&dir.join("locket/whatsapp_android.txt"));
    let parsed = p(&source);
    assert_eq!(parsed.date_order, Some((DateOrder::MonthFirst, true)));
    let got: Vec<(usize, Kind, Option<&str>)> = parsed
        .entries
        .iter()
        .map(|e| (e.line, e.kind, e.author.as_deref()))
        .collect();
    assert_eq!(
        got,
        [
            (1, Kind::Message, Some("John")),
            (2, Kind::Message, Some("John")),
            (4, Kind::Message, Some("Sarah")),
            (5, Kind::Message, Some("Sarah")),
            (6, Kind::System, None),
            (7, Kind::Message, Some("John")),
            (8, Kind::System, None),
            (9, Kind::Message, Some("Sarah")),
        ]
    );
    assert_eq!(
        parsed.entries[1].text,
        "Actually let's do\nMonday instead, works better for me"
    );
    assert_eq!(parsed.entries[2].text, "<Media omitted>");
    assert_eq!(parsed.entries[5].text, "This message was deleted");
    assert_eq!(parsed.entries[7].time, dt("2025-01-15T11:02"));

    let source = read(&dir.join("locket/whatsapp_ios.txt"));
    let parsed = p(&source);
    assert_eq!(parsed.date_order, Some((DateOrder::DayFirst, true)));
    assert_eq!(parsed.entries.len(), 3);
    assert!(parsed.entries.iter().all(|e| e.kind == Kind::Message));
    assert_eq!(parsed.entries[1].time, dt("2025-01-15T22:41:30"));
    assert_eq!(parsed.entries[1].author.as_deref(), Some("John"));
    assert_eq!(
        parsed.entries[1].text,
        "<attached: 00000042-PHOTO-2025-01-15-22-41-20.jpg>"
    );
    assert_eq!(parsed.entries[2].author.as_deref(), Some("Sarah"));
}

#[test]
fn whatsapp_chat_parser_js_short_chat() {
    let Some(dir) = realdata() else { return };
    let source = read(&dir.join("whatsapp-chat-parser-js/short-chat.txt"));
    let parsed = p(&source);
    assert_eq!(parsed.date_order, Some((DateOrder::DayFirst, false)));
    let got: Vec<(Kind, Option<&str>)> = parsed
        .entries
        .iter()
        .map(|e| (e.kind, e.author.as_deref()))
        .collect();
    assert_eq!(
        got,
        [
            (Kind::System, None),
            (Kind::System, None),
            (Kind::Message, Some("Sample User")),
            (Kind::Message, Some("TestBot")),
            (Kind::Message, Some("+410123456789")),
        ]
    );
    assert_eq!(parsed.entries[0].time, dt("2017-03-06T00:45"));
    assert_eq!(
        parsed.entries[4].text,
        "How are you?\n\nIs everything alright?"
    );
}

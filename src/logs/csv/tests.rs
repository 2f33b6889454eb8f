//! The two readers against each other: the chunked parser must give the records, skips and
//! lines [`read`] gives, and answer [`Unusual`] for what only the `csv` crate reads.

use std::borrow::Cow;

use super::*;
use crate::error::Error;
use crate::logs::accounting::Reason;
use crate::logs::{Context, Emit, Rows};

use crate::logs::ImportSettings;
use crate::logs::accounting::Skip;
use crate::logs::record::Message;
use crate::logs::time::ZoneTimes;
use proptest::prelude::*;

type Row = Record<'static>;
/// A record on its line, as a reader gives it.
type Record<'a> = (u64, Result<Message<'a>, (Reason, String)>);

/// Collects what `parse_chunk` gives, in order.
#[derive(Default)]
struct Collect<'a> {
    slot: Vec<Message<'a>>,
    rows: Vec<Record<'a>>,
}

impl<'a> Rows<'a> for Collect<'a> {
    fn slot(&mut self) -> &mut Vec<Message<'a>> {
        &mut self.slot
    }

    fn row(&mut self, line: u64, record: Result<(), (Reason, String)>) {
        let record = record.map(|()| self.slot.pop().expect("the message given"));
        self.rows.push((line, record));
    }
}

/// Collects what `read` emits, in order.
#[derive(Default)]
struct Got(Vec<Row>);

impl Emit for Got {
    fn message(&mut self, m: Message<'static>) -> Result<(), Error> {
        self.0.push((m.origin.line, Ok(m)));
        Ok(())
    }
    fn skip(&mut self, s: Skip) -> Result<(), Error> {
        self.0.push((s.line, Err((s.reason, s.detail))));
        Ok(())
    }
    fn non_message(&mut self, _: &str) {}
    fn note(&mut self, _: String) {}
}

fn settings(delimiter: u8) -> ImportSettings {
    ImportSettings {
        csv_delimiter: delimiter,
        ..ImportSettings::default()
    }
}

/// The context tests read with; `times` from [`ZoneTimes::new`] of `import.zone`.
fn cx<'a>(import: &'a ImportSettings, times: &'a ZoneTimes<'a>) -> Context<'a> {
    Context {
        name: "t.csv",
        file: 0,
        times,
        import,
    }
}

fn sequential(bytes: &[u8], import: &ImportSettings) -> Vec<Row> {
    let mut got = Got::default();
    let reader = Box::new(std::io::Cursor::new(bytes.to_vec()));
    read(reader, &cx(import, &ZoneTimes::new(&import.zone)), &mut got)
        .unwrap_or_else(|e| panic!("{e}"));
    got.0
}

/// The parallel path on one thread: the header, then chunks of about `size` bytes as `cut`
/// makes them (a larger window when a record does not fit). Also gives the chunk boundaries.
fn chunked(
    bytes: &[u8],
    import: &ImportSettings,
    mut size: usize,
) -> Result<(Vec<Row>, Vec<usize>), Unusual> {
    let times = ZoneTimes::new(&import.zone);
    let cx = cx(import, &times);
    let Some((head, used, lines)) = head(bytes, &cx)? else {
        return Ok((Vec::new(), Vec::new()));
    };
    let mut rows = Vec::new();
    let mut bounds = vec![used];
    let mut pos = used;
    let mut line = 1 + lines;
    while pos < bytes.len() {
        let rest = &bytes[pos..];
        let len = if rest.len() <= size {
            rest.len()
        } else {
            match cut(&rest[..size]) {
                Some(k) => k,
                None => {
                    size *= 2;
                    continue;
                }
            }
        };
        let chunk = &rest[..len];
        let mut got = Collect::default();
        let newlines = parse_chunk(chunk, &head, line, &cx, &mut got)?;
        assert_eq!(
            newlines,
            memchr::memchr_iter(b'\n', chunk).count() as u64,
            "the line breaks of {chunk:?}"
        );
        rows.extend(
            got.rows
                .into_iter()
                .map(|(l, r)| (l, r.map(Message::into_owned))),
        );
        line += newlines;
        pos += len;
        bounds.push(pos);
    }
    Ok((rows, bounds))
}

/// Where the `csv` crate stops reading each record (and starts reading the next), and the end.
fn positions(bytes: &[u8], delimiter: u8) -> Vec<usize> {
    let mut rdr = ::csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let mut record = ::csv::ByteRecord::new();
    let mut out = Vec::new();
    while rdr.read_byte_record(&mut record).unwrap_or(false) {
        out.push(rdr.position().byte() as usize);
    }
    out.push(bytes.len());
    out
}

fn rows(bytes: &[u8]) -> Vec<Row> {
    let import = settings(b',');
    let (rows, _) = chunked(bytes, &import, 16).unwrap_or_else(|e| panic!("{e}"));
    rows
}

fn quirk(bytes: &[u8]) -> Quirk {
    let import = settings(b',');
    match chunked(bytes, &import, 1 << 20) {
        Err(e) => e.quirk,
        Ok(_) => panic!("read as usual: {:?}", String::from_utf8_lossy(bytes)),
    }
}

#[test]
fn cut_ends_chunks_where_the_csv_crate_ends_a_record() {
    assert_eq!(cut(b"a\nb\n"), Some(4));
    assert_eq!(cut(b"a\nb"), Some(2));
    assert_eq!(
        cut(b"a\r\nb\r\n"),
        Some(5),
        "past the \\r, as the csv crate stops"
    );
    assert_eq!(cut(b"a\n\n\r\n\n"), Some(2), "before blank lines");
    assert_eq!(cut(b"a\n\"b\nc"), Some(2), "not inside quotes");
    assert_eq!(cut(b"\"a\nb\"\"\nc\"\nd"), Some(10));
    assert_eq!(cut(b"\"a\nb\"\"\nc\""), None);
    assert_eq!(cut(b"\n\r\n\n"), None, "only blank lines");
    assert_eq!(cut(b"abc"), None);
    assert_eq!(cut(b""), None);
}

#[test]
fn head_reads_the_header_record() {
    let import = settings(b',');
    let times = ZoneTimes::new(&import.zone);
    let cx = cx(&import, &times);
    let got = |b: &[u8]| {
        head(b, &cx)
            .unwrap_or_else(|e| panic!("{e}"))
            .map(|(h, used, lines)| (h.width, used, lines))
    };
    assert_eq!(got(b"a,b\nx"), Some((2, 4, 1)));
    assert_eq!(
        got(b"a,b\r\nx"),
        Some((2, 4, 0)),
        "the \\n comes with the rows"
    );
    assert_eq!(got(b"\xEF\xBB\xBFa,b,c\n"), Some((3, 9, 1)));
    assert_eq!(got(b"\n\r\na\n"), Some((1, 5, 3)));
    assert_eq!(got(b"\"a\nb\",\"c\"\"\"\n"), Some((2, 12, 2)));
    for partial in [&b""[..], b"\xEF\xBB", b"\n\n", b"a,b", b"a,b\r", b"a,\"b\n"] {
        assert_eq!(got(partial), None, "{partial:?}");
    }
    assert!(matches!(
        head(b"a\rb\n", &cx),
        Err(Unusual {
            quirk: Quirk::LoneCr,
            at: 1
        })
    ));
    let quote = settings(b'"');
    assert!(
        head(
            b"a\"b\n",
            &super::tests::cx(&quote, &ZoneTimes::new(&quote.zone))
        )
        .is_err()
    );
}

#[test]
fn head_and_read_agree_on_columns() {
    let import = settings(b',');
    let bytes = b"\xEF\xBB\xBF\"conversation_id\",role,\"te\"\"xt\",body\nc1,bot,x,hi\n";
    let got = rows(bytes);
    assert_eq!(got, sequential(bytes, &import));
    let Some((_, Ok(m))) = got.first() else {
        panic!("{got:?}")
    };
    assert_eq!((&*m.conversation_id, &*m.text), ("c1", "hi"));
}

#[test]
fn fields_borrow_from_the_chunk_unless_they_hold_escapes() {
    let import = settings(b',');
    let times = ZoneTimes::new(&import.zone);
    let cx = cx(&import, &times);
    let bytes = b"conversation_id,role,text,author\nc1,bot,\"a, \"\"b\"\"\",\"Ann\"\n";
    let Ok(Some((head, used, lines))) = head(bytes, &cx) else {
        panic!("no header")
    };
    let mut got = Collect::default();
    parse_chunk(&bytes[used..], &head, 1 + lines, &cx, &mut got).unwrap_or_else(|e| panic!("{e}"));
    let [(2, Ok(m))] = &got.rows[..] else {
        panic!("{:?}", got.rows)
    };
    assert!(matches!(m.conversation_id, Cow::Borrowed("c1")));
    assert!(matches!(m.author, Some(Cow::Borrowed("Ann"))));
    assert!(matches!(&m.text, Cow::Owned(t) if t == "a, \"b\""));
    assert_eq!(m.origin.line, 2);
}

#[test]
fn skips_and_lines_are_those_of_read() {
    let import = settings(b',');
    let cases: &[&[u8]] = &[
        // Lines after `\r\n` and blank lines are the csv crate's: where the last record ended.
        b"conversation_id,role,text\r\nc,bot,a\r\n\r\nc,bot,b\r\nc,bot\r\n",
        b"conversation_id,role,text\n\n\nc,bot,\"x\ny\"\nc,robot,z\n,bot,\nc,bot,last",
        b"conversation_id,role,text\nc,bot,\x00\nc,bot,\xff\nc,\xff,\x00\nc,bot,'=1\n",
        b"conversation_id,role,text\nc,bot,\"\"\nc,bot,\"open",
        b"conversation_id,role,text\nc,bot,a,\nc,bot,\"b\"\r",
        b"conversation_id\n",
        b"",
    ];
    for bytes in cases {
        let want = sequential(bytes, &import);
        match chunked(bytes, &import, 8) {
            Ok((got, _)) => assert_eq!(got, want, "{:?}", String::from_utf8_lossy(bytes)),
            Err(e) => assert_eq!(e.quirk, Quirk::OpenQuote, "{bytes:?}"),
        }
    }
    let got = rows(b"conversation_id,role,text\r\nc,bot,a\r\n\r\nc,bot,b\n");
    let lines: Vec<u64> = got.iter().map(|r| r.0).collect();
    assert_eq!(lines, [1, 2]);
}

#[test]
fn other_delimiters() {
    for d in [b';', b'\t', b'\0', b'a'] {
        let import = settings(d);
        let bytes = b"conversation_id;role;text\r\nc;bot;a,b\r\nc;bot;\"x;y\"\r\nc;bot;\xff;\0\r\n"
            .map(|c| if c == b';' { d } else { c });
        let (got, _) = chunked(&bytes, &import, 8).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(got, sequential(&bytes, &import), "{d}");
        assert_eq!(got.len(), 3);
    }
}

#[test]
fn what_only_the_csv_crate_reads_is_unusual() {
    let h = "conversation_id,role,text\n";
    let q = |rest: &str| quirk(format!("{h}{rest}").as_bytes());
    assert_eq!(q("c,bot,a\"b\n"), Quirk::QuoteInField);
    assert_eq!(q("c,bot,\"a\"b\n"), Quirk::AfterClosingQuote);
    assert_eq!(q("c,bot,\"a\" \n"), Quirk::AfterClosingQuote);
    assert_eq!(q("c,bot,a\rc,bot,b\n"), Quirk::LoneCr);
    assert_eq!(q("c,bot,\"a\"\rc\n"), Quirk::LoneCr);
    assert_eq!(q("c,bot,a\n\rc,bot,b\n"), Quirk::LoneCr);
    assert_eq!(q("c,bot,a\r,b\n"), Quirk::LoneCr);
    assert_eq!(q("c,bot,\"a\n"), Quirk::OpenQuote);
    // The same bytes inside quotes are text.
    assert!(
        chunked(
            format!("{h}c,bot,\"a\r\"\"b\rc\n,\"\n").as_bytes(),
            &settings(b','),
            1 << 20
        )
        .is_ok()
    );
}

/// A field's value: a word an export holds, or bytes that CSV must quote or that are not text.
fn value() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        4 => prop::sample::select(vec![
            "c1", "c2", "customer", "bot", "agent", "robot", "vip", "1790000000",
            "2026-10-01 05:21:45", "soon", "'=SUM(1)", "'hello", "é", "0.5",
        ])
        .prop_map(|s| s.as_bytes().to_vec()),
        3 => prop::collection::vec(
            prop::sample::select(vec![
                &b"a"[..], b" ", b",", b";", b"\"", b"\"\"", b"\n", b"\r\n", b"\r", b"'",
                b"=", b"\xc3\xa9", b"\xff", b"\x00",
                // Long enough that fields and quotes cross the sixteen-byte blocks.
                b"a longer run of plain text",
            ]),
            0..6,
        )
        .prop_map(|parts| parts.concat()),
        1 => Just(Vec::new()),
    ]
}

fn word(words: &'static [&'static str]) -> BoxedStrategy<Vec<u8>> {
    prop::sample::select(words)
        .prop_map(|s| s.as_bytes().to_vec())
        .boxed()
}

/// The fields of a row for the headers below: mostly an id, a role, a text, a time and a
/// tier (so that many rows are messages), sometimes one field fewer or more.
fn fields() -> impl Strategy<Value = Vec<(Vec<u8>, u8)>> {
    let how = || 0u8..4;
    (
        (
            prop_oneof![4 => word(&["c1", "c2"]), 1 => value().boxed()],
            how(),
        ),
        (
            prop_oneof![4 => word(&["customer", "bot", "agent"]), 1 => value().boxed()],
            how(),
        ),
        (value(), how()),
        (
            prop_oneof![2 => word(&["", "1790000000", "2026-10-01 05:21:45"]), 1 => value().boxed()],
            how(),
        ),
        (value(), how()),
        0u8..8,
    )
        .prop_map(|(a, b, c, d, e, ragged)| {
            let mut row = vec![a, b, c, d, e];
            match ragged {
                6 => {
                    row.pop();
                }
                7 => row.push((b"x".to_vec(), 1)),
                _ => {}
            }
            row
        })
}

/// A field as an export writes it: quoted always (`how` 0), when needed (1, 2), or raw
/// whatever it holds (3), which may make the record unusual. A usual file quotes raw fields
/// that need it.
fn encode(out: &mut Vec<u8>, v: &[u8], how: u8, usual: bool) {
    let needs = v
        .iter()
        .any(|c| matches!(c, b',' | b';' | b'"' | b'\n' | b'\r'));
    if how == 0 || (needs && (how < 3 || usual)) {
        out.push(b'"');
        for &c in v {
            out.push(c);
            if c == b'"' {
                out.push(b'"');
            }
        }
        out.push(b'"');
    } else {
        out.extend_from_slice(v);
    }
}

const HEADERS: [&[u8]; 6] = [
    b"conversation_id,role,text,timestamp,segment_tier",
    b"\xEF\xBB\xBFconversation_id,role,\"text\",timestamp,segment_tier",
    b"\"conversation_id\",\"role\",\"te\"\"xt\",\"timestamp\",\"segment.tier\"",
    b"\xEF\xBB\xBF\"conversation_id\",role,text,timestamp,segment_tier",
    b"\n\r\nconversation_id,sender_type,body,ts,segment_tier",
    b"conversation_id,role,text,timestamp,\"segment\ntier\"",
];

/// A CSV-ish file: a header, rows of about five fields, `\n`, `\r\n` or (rarely) a lone `\r`
/// after each, blank lines, and perhaps no line break at the end.
fn file(usual: bool) -> impl Strategy<Value = (Vec<u8>, u8)> {
    let row = (fields(), 0u8..10, 0u8..6);
    (
        0..HEADERS.len(),
        prop::collection::vec(row, 0..12),
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(move |(h, rows, semicolon, last_break, crlf)| {
            let d = if semicolon { b';' } else { b',' };
            let mut out = HEADERS[h].to_vec();
            if semicolon {
                for c in &mut out {
                    if *c == b',' {
                        *c = b';';
                    }
                }
            }
            out.extend_from_slice(if crlf { b"\r\n" } else { b"\n" });
            let n = rows.len();
            for (i, (fields, end, blank)) in rows.into_iter().enumerate() {
                for (j, (v, how)) in fields.iter().enumerate() {
                    if j > 0 {
                        out.push(d);
                    }
                    encode(&mut out, v, *how, usual);
                }
                if i + 1 == n && !last_break {
                    break;
                }
                out.extend_from_slice(match end {
                    0..=4 => b"\n",
                    5..=8 => b"\r\n",
                    _ if usual => b"\n",
                    _ => b"\r",
                });
                out.extend_from_slice(match blank {
                    0 => b"\n",
                    1 => b"\r\n",
                    _ => b"",
                });
            }
            (out, d)
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn chunks_read_as_read_does((bytes, d) in file(false), size in 1usize..80) {
        let import = settings(d);
        if let Ok((got, bounds)) = chunked(&bytes, &import, size) {
            prop_assert_eq!(got, sequential(&bytes, &import));
            let at = positions(&bytes, d);
            for b in bounds {
                prop_assert!(at.contains(&b), "chunk boundary {} not a record start {:?}", b, at);
            }
        }
    }

    #[test]
    fn usual_files_are_read_in_chunks((bytes, d) in file(true), size in 1usize..80) {
        let import = settings(d);
        let got = chunked(&bytes, &import, size);
        prop_assert!(got.is_ok(), "{:?} in {:?}", got, String::from_utf8_lossy(&bytes));
        let (got, bounds) = got.unwrap_or_default();
        prop_assert_eq!(got, sequential(&bytes, &import));
        let at = positions(&bytes, d);
        for b in bounds {
            prop_assert!(at.contains(&b), "chunk boundary {} not a record start {:?}", b, at);
        }
    }

    #[test]
    fn head_of_a_prefix_is_the_head((bytes, d) in file(false), keep in 0usize..200) {
        let import = settings(d);
        let times = ZoneTimes::new(&import.zone);
        let cx = cx(&import, &times);
        let prefix = &bytes[..keep.min(bytes.len())];
        if let (Ok(Some((a, used_a, lines_a))), Ok(Some((b, used_b, lines_b)))) =
            (head(prefix, &cx), head(&bytes, &cx))
        {
            prop_assert_eq!((a.width, used_a, lines_a), (b.width, used_b, lines_b));
            prop_assert_eq!(format!("{:?}", a.columns), format!("{:?}", b.columns));
        }
    }
}

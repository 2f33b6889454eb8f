//! Reading a profile's JSONL on several threads gives what one thread gives: the same messages,
//! skips, non-messages and notes in the same order, across batch boundaries, with lines of a
//! second shape learned mid-batch and lines no mapping fits.

use crate::logs::json::doc::{JsonValueTrait, Value};

use crate::error::Error;
use crate::logs::accounting::Skip;
use crate::logs::input::Lines;
use crate::logs::json::{JsonSettings, Mapping, batch, path::Path, values::ValueMaps};
use crate::logs::record::Message;
use crate::logs::time::ZoneTimes;
use crate::logs::{Context, Emit, ImportSettings};

#[derive(Default, Debug, PartialEq)]
struct Got {
    messages: Vec<Message<'static>>,
    skips: Vec<Skip>,
    kinds: Vec<String>,
    notes: Vec<String>,
}

impl Emit for Got {
    fn message(&mut self, m: Message<'static>) -> Result<(), Error> {
        self.messages.push(m);
        Ok(())
    }
    fn skip(&mut self, s: Skip) -> Result<(), Error> {
        self.skips.push(s);
        Ok(())
    }
    fn non_message(&mut self, kind: &str) {
        self.kinds.push(kind.to_owned());
    }
    fn note(&mut self, note: String) {
        self.notes.push(note);
    }
}

/// A mapping for documents with records under `key`.
fn under(key: &str) -> Mapping {
    let settings = JsonSettings {
        records: Some(Path::parse(&format!("{key}[]")).expect("a path")),
        fields: Vec::new(),
    };
    Mapping::json(&settings, &ValueMaps::default())
}

/// Lines of every kind, in a pseudo-random order that is the same on every run.
fn input(n: usize) -> String {
    let mut out = String::from("not json\n\n");
    let mut x: u64 = 7;
    for i in 0..n {
        x = x
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let c = (x >> 33) % 7;
        let line = match (x >> 40) % 6 {
            0..=2 => format!(
                r#"{{"a": [{{"conversation_id": "c{c}", "role": "user", "text": "a{i}"}}]}}"#
            ),
            // A second shape, first seen after the first batch has begun.
            3 if i > 300 => format!(
                r#"{{"b": [{{"conversation_id": "c{c}", "role": "bot", "text": "b{i}"}}, 3]}}"#
            ),
            3 => "{\"a\": [{\"role\": \"user\"}]}".to_owned(),
            4 => "{\"c\": 1}".to_owned(),
            _ => "[1, ".to_owned(),
        };
        out.push_str(&line);
        out.push('\n');
    }
    out
}

fn read(text: &str, parts: usize) -> Got {
    let import = ImportSettings::default();
    let times = ZoneTimes::new(&import.zone);
    let cx = Context {
        name: "log.jsonl",
        file: 0,
        times: &times,
        import: &import,
    };
    let mut choose = |doc: &Value, emit: &mut dyn Emit| -> Result<Mapping, Error> {
        for key in ["a", "b"] {
            if doc.get(key).is_some() {
                emit.note(format!("chose {key}"));
                return Ok(under(key));
            }
        }
        Err(Error::Internal("no shape".into()))
    };
    let mut got = Got::default();
    batch::read(
        &mut Lines::new(text.as_bytes()),
        &mut choose,
        &cx,
        &mut got,
        parts,
    )
    .expect("read");
    got
}

#[test]
fn threads_read_what_one_thread_reads() {
    let text = input(5000);
    let one = read(&text, 1);
    assert!(
        one.messages.len() > 2000 && one.skips.len() > 1000,
        "{} {}",
        one.messages.len(),
        one.skips.len()
    );
    assert_eq!(one.notes, ["chose a", "chose b"]);
    for parts in [2, 3, 8] {
        assert_eq!(read(&text, parts), one, "{parts} parts");
    }
}

//! Reading documents through mappings: records paths, field paths with `$parent`, value maps, and
//! documents that do not fit.

use crate::logs::json::doc::json;

use super::*;
use crate::logs::ImportSettings;
use crate::logs::accounting::{Skip, Stats};
use crate::logs::time::ZoneTimes;

#[derive(Default)]
struct Got {
    messages: Vec<Message<'static>>,
    stats: Stats,
}

impl Emit for Got {
    fn message(&mut self, m: Message<'static>) -> Result<(), Error> {
        self.stats.records += 1;
        self.stats.messages += 1;
        self.messages.push(m);
        Ok(())
    }
    fn skip(&mut self, s: Skip) -> Result<(), Error> {
        self.stats.skip(s);
        Ok(())
    }
    fn non_message(&mut self, kind: &str) {
        self.stats.non_message(kind);
    }
    fn note(&mut self, note: String) {
        self.stats.notes.push(note);
    }
}

fn settings(records: Option<&str>, fields: &[(&str, &str)]) -> JsonSettings {
    JsonSettings {
        records: records.map(|r| Path::parse(r).expect("a path")),
        fields: fields
            .iter()
            .map(|(t, p)| {
                let target = Target::parse(t).expect("a field");
                (target, vec![Path::parse(p).expect("a path")])
            })
            .collect(),
    }
}

fn read(doc: &Value, m: &Mapping) -> Result<Got, Error> {
    let import = ImportSettings::default();
    let times = ZoneTimes::new(&import.zone);
    let cx = Context {
        name: "doc.json",
        file: 0,
        times: &times,
        import: &import,
    };
    let mut got = Got::default();
    read_document(doc, m, &cx, &mut got)?;
    Ok(got)
}

#[test]
fn field_paths_reach_into_records_and_their_parents() {
    let doc = json!({"data": {"id": 42, "messages": [
        {"author": {"type": "EndUser"}, "content": {"text": "hi"}, "sentAt": "2026-01-02T03:04:05Z"},
        {"author": {"type": "Bot"}, "content": {"text": "hello"}, "kind": "BotEscalated", "segment": {"tier": "vip"}},
        {"author": {"type": "Robot"}, "content": {"text": "?"}}
    ]}});
    let s = settings(
        Some("data.messages[]"),
        &[
            ("role", "author.type"),
            ("text", "content.text"),
            ("conversation_id", "$parent.id"),
            ("timestamp", "sentAt"),
            ("event", "kind"),
        ],
    );
    let mut values = ValueMaps::default();
    values.insert(Field::Role, "EndUser", "customer");
    values.insert(Field::Role, "Bot", "bot");
    values.insert(Field::Event, "BotEscalated", "handoff");
    let got = read(&doc, &Mapping::json(&s, &values)).expect("fits");
    assert_eq!(got.messages.len(), 2);
    let (a, b) = (&got.messages[0], &got.messages[1]);
    assert_eq!((&*a.conversation_id, &*a.text), ("42", "hi"));
    assert_eq!(a.role, Some(crate::logs::record::Role::Customer));
    assert!(a.timestamp.is_some());
    assert_eq!(b.event, Some(crate::logs::record::Event::Handoff));
    assert_eq!(b.segment.iter().count(), 1);
    assert_eq!((a.origin.line, b.origin.line), (1, 2));
    let skip = &got.stats.first_skips[0];
    assert_eq!(skip.line, 3);
    assert!(
        skip.detail.starts_with("data.messages[2]: unknown role"),
        "{}",
        skip.detail
    );
    assert!(got.stats.balanced());
}

#[test]
fn an_array_is_its_records_and_unpathed_fields_read_as_today() {
    let doc = json!([
        {"conversation_id": "c1", "sender_type": "user", "body": "hi"},
        {"conversation_id": "c1", "role": "bot", "message": "hello"}
    ]);
    let got = read(
        &doc,
        &Mapping::json(&JsonSettings::default(), &ValueMaps::default()),
    )
    .expect("fits");
    let texts: Vec<&str> = got.messages.iter().map(|m| &*m.text).collect();
    assert_eq!(texts, ["hi", "hello"]);
}

#[test]
fn a_document_that_does_not_fit_names_the_place_and_what_was_expected() {
    let m = Mapping::json(
        &settings(Some("data.messages[]"), &[]),
        &ValueMaps::default(),
    );
    let e = read(&json!({"items": []}), &m).err().expect("does not fit");
    assert_eq!(
        e.to_string().split("; check").next(),
        Some(
            "doc.json: at $: expected an object with the key `data`, found an object with keys items"
        )
    );
    let e = read(&json!({"data": {"messages": [1]}}), &m)
        .err()
        .expect("not an object");
    assert!(
        matches!(&e, Error::Document { at, .. } if at == "data.messages[0]"),
        "{e}"
    );
    // An empty array of records is no records, not a misfit.
    let got = read(&json!({"data": {"messages": []}}), &m).expect("fits");
    assert_eq!(got.stats.records, 0);
}

#[test]
fn alternatives_and_the_wildcard_fall_through_to_the_next_path() {
    let doc = json!([{"id": "c", "a": "x", "b": "user"}]);
    let mut s = settings(None, &[("conversation_id", "id")]);
    s.fields.push((
        Target::Field(Field::Role),
        vec![Path::parse("a").expect("a"), Path::parse("b").expect("b")],
    ));
    let mut values = ValueMaps::default();
    values.insert(Field::Role, "*", "");
    values.insert(Field::Role, "user", "customer");
    let got = read(&doc, &Mapping::json(&s, &values)).expect("fits");
    assert_eq!(
        got.messages[0].role,
        Some(crate::logs::record::Role::Customer)
    );
}

#[test]
fn an_author_id_is_the_customer_id_of_the_customer_s_records_only() {
    let doc = json!({"id": "t1", "users": [{"id": 7, "name": "Carla"}, {"id": 9, "name": "Ines"}],
    "messages": [
        {"role": "customer", "from": {"id": 7}, "text": "hi"},
        {"role": "agent", "from": {"id": 9}, "text": "hello"},
        {"role": "customer", "from": {"id": 7}, "customer_id": "crm-7", "text": "thanks"}
    ]});
    let s = settings(
        Some("messages[]"),
        &[
            ("conversation_id", "$parent.id"),
            ("author_id", "from.id"),
            ("author", "$parent.users[id=author_ref].name"),
        ],
    );
    let mut m = Mapping::json(&s, &ValueMaps::default());
    // No record has `author_ref`: the pick finds nothing, and nothing else changes.
    let got = read(&doc, &m).expect("fits");
    let ids: Vec<_> = got
        .messages
        .iter()
        .map(|m| m.customer_id.as_deref())
        .collect();
    assert_eq!(ids, [Some("7"), None, Some("crm-7")]);
    assert!(got.messages.iter().all(|m| m.author.is_none()));
    m.given = vec![(Field::ConversationId, "from-file".into())];
    let got = read(&json!({"messages": [{"role": "bot", "text": "x"}]}), &m).expect("fits");
    assert_eq!(&*got.messages[0].conversation_id, "from-file");
}

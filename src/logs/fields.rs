//! Field names and values shared by the JSONL and CSV importers.
//!
//! Exports name the same thing many ways (`body`, `message`, `msg` for the text; `created_at`, `ts`
//! for the time). [`Field::lookup`] maps a name to the canonical field it stands for, and
//! [`Builder`] turns values into a [`Message`], or into the reason the record is skipped. JSON
//! values and CSV cells go through the same rules, so a record means the same in either format.

use std::borrow::Cow;

use crate::logs::accounting::Reason;
use crate::logs::json::doc::{JsonNumberTrait, ValueRef};
use crate::logs::record::{Event, Message, Role};
use crate::logs::time::{self, ZoneTimes};

/// A canonical field of the message record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Field {
    ConversationId,
    Timestamp,
    Role,
    Text,
    MessageId,
    Author,
    Intent,
    Confidence,
    Sentiment,
    Fallback,
    Event,
    Lane,
    ExpectedLane,
    CustomerName,
    CustomerId,
}

/// How many canonical fields there are: one a line of `NAMES`, which lists them all.
pub const FIELDS: usize = NAMES.len();

/// Canonical names first, then the aliases platform exports use, in order of preference.
const NAMES: &[(Field, &[&str])] = &[
    (
        Field::ConversationId,
        &[
            "conversation_id",
            "conversationId",
            "conversation",
            "chat_id",
            "thread_id",
            "session_id",
            "ticket_id",
        ],
    ),
    (
        Field::Timestamp,
        &[
            "timestamp",
            "created_at",
            "createdAt",
            "ts",
            "time",
            "datetime",
            "sent_at",
            "date",
        ],
    ),
    (
        Field::Role,
        &["role", "sender_type", "author_type", "sender_role"],
    ),
    (Field::Text, &["text", "body", "message", "msg", "content"]),
    (
        Field::MessageId,
        &["message_id", "messageId", "msg_id", "wamid", "id"],
    ),
    (Field::Author, &["author", "sender_name", "sender", "from"]),
    (Field::Intent, &["intent", "intent_name", "nlu_intent"]),
    (
        Field::Confidence,
        &["confidence", "intent_confidence", "nlu_confidence"],
    ),
    (Field::Sentiment, &["sentiment", "sentiment_score"]),
    (Field::Fallback, &["fallback", "is_fallback"]),
    (Field::Event, &["event", "event_type"]),
    (
        Field::Lane,
        &["lane", "assigned_lane", "assigned_team", "team"],
    ),
    (Field::ExpectedLane, &["expected_lane", "truth_lane"]),
    (Field::CustomerName, &["customer_name", "contact_name"]),
    (
        Field::CustomerId,
        &["customer_id", "customerId", "contact_id", "wa_id"],
    ),
];

impl Field {
    /// The canonical name.
    pub fn name(self) -> &'static str {
        // `NAMES` lists the fields in declaration order (a test checks it).
        NAMES.get(self as usize).map_or("", |(_, n)| n[0])
    }

    /// The field a name stands for, and its rank (0 = canonical; lower wins when a record has
    /// several names for one field). Names match exactly, then ignoring ASCII case.
    pub fn lookup(name: &str) -> Option<(Field, usize)> {
        // The canonical names, which most exports use, without a search.
        let quick = match name {
            "conversation_id" => Some(Field::ConversationId),
            "timestamp" => Some(Field::Timestamp),
            "role" => Some(Field::Role),
            "text" => Some(Field::Text),
            "message_id" => Some(Field::MessageId),
            "intent" => Some(Field::Intent),
            "confidence" => Some(Field::Confidence),
            "sentiment" => Some(Field::Sentiment),
            "fallback" => Some(Field::Fallback),
            "event" => Some(Field::Event),
            "lane" => Some(Field::Lane),
            "expected_lane" => Some(Field::ExpectedLane),
            "customer_name" => Some(Field::CustomerName),
            "customer_id" => Some(Field::CustomerId),
            "author" => Some(Field::Author),
            _ => None,
        };
        if let Some(f) = quick {
            return Some((f, 0));
        }
        for (field, names) in NAMES {
            if let Some(rank) = names.iter().position(|n| *n == name) {
                return Some((*field, rank));
            }
        }
        for (field, names) in NAMES {
            if let Some(rank) = names.iter().position(|n| n.eq_ignore_ascii_case(name)) {
                return Some((*field, rank));
            }
        }
        None
    }

    /// The canonical field named exactly `name`, for `[import.csv.columns]` keys.
    pub fn canonical(name: &str) -> Option<Field> {
        NAMES.iter().find(|(_, n)| n[0] == name).map(|(f, _)| *f)
    }

    pub fn all_names() -> impl Iterator<Item = &'static str> {
        NAMES.iter().map(|(_, n)| n[0])
    }
}

/// The segment field a column or key names: `segment.tier` or `segment_tier`.
pub fn segment_field(name: &str) -> Option<&str> {
    let rest = name
        .strip_prefix("segment.")
        .or_else(|| name.strip_prefix("segment_"))?;
    (!rest.is_empty()).then_some(rest)
}

/// A value as read: a JSON value, or a string (a CSV cell that is not empty is one; an empty
/// cell is absent and never given).
#[derive(Debug, Clone)]
pub enum Value<'a> {
    /// A value of a document the JSON readers parsed ([`crate::logs::json::doc`]).
    Doc(&'a crate::logs::json::doc::Value),
    /// A value of a case file's message (read with serde).
    Json(&'a serde_json::Value),
    /// A string as parsed in place (owned only when it had escapes): empty is the empty string.
    Str(Cow<'a, str>),
    Num(f64),
    Bool(bool),
    Null,
    /// A JSON list or object.
    Compound,
}

/// Renames a field's raw values before they are interpreted: the value maps of
/// `crate::logs::json::values`, which every reader applies through the [`Builder`].
pub trait Rename: std::fmt::Debug + Sync {
    fn is_empty(&self) -> bool;
    /// Whether `field` has a map.
    fn maps(&self, field: Field) -> bool;
    /// What `value` of `field` becomes, when the map names it.
    fn get(&self, field: Field, value: &str) -> Option<&str>;
}

/// Collects a record's fields, keeping for each the best-ranked name, then builds the message.
pub struct Builder<'z, 'a> {
    times: &'z ZoneTimes<'z>,
    msg: Message<'a>,
    /// The rank of the name each field was set from; `u8::MAX` while unset.
    ranks: [u8; FIELDS],
    error: Option<(Reason, String)>,
    has_id: bool,
    has_role: bool,
    /// `[import.values.FIELD]`, when any are configured.
    values: Option<&'z dyn Rename>,
}

fn slot(f: Field) -> usize {
    f as usize
}

impl<'z, 'a> Builder<'z, 'a> {
    pub fn new(times: &'z ZoneTimes<'z>) -> Self {
        Builder {
            times,
            msg: Message::default(),
            ranks: [u8::MAX; FIELDS],
            error: None,
            has_id: false,
            has_role: false,
            values: None,
        }
    }

    /// A builder that renames values through `values` before interpreting them.
    pub fn mapped(times: &'z ZoneTimes<'z>, values: &'z dyn Rename) -> Self {
        let mut b = Builder::new(times);
        b.values = (!values.is_empty()).then_some(values);
        b
    }

    fn fail(&mut self, reason: Reason, detail: String) {
        if self.error.is_none() {
            self.error = Some((reason, detail));
        }
    }

    /// Sets a field from a value; `rank` decides between several names for one field.
    pub fn set(&mut self, field: Field, rank: usize, value: Value<'a>) {
        let Some(rank) = self.outranks(field, rank) else {
            return;
        };
        // An absent value (null, empty cell) neither sets nor fails.
        match Scalar::of(value) {
            None => {}
            Some(Scalar::Str(s)) => self.put_str(field, rank, s),
            Some(v @ (Scalar::Num(_) | Scalar::Bool(_)))
                if self.values.is_some_and(|m| m.maps(field)) =>
            {
                let text = v.show();
                match self.values.and_then(|m| m.get(field, &text)) {
                    // Renamed once, as a string is: the new value is not looked up again.
                    Some("") => {}
                    Some(to) => self.put_text(field, rank, Cow::Owned(to.to_owned())),
                    None => {
                        self.ranks[slot(field)] = rank;
                        self.put_other(field, v);
                    }
                }
            }
            Some(v) => {
                self.ranks[slot(field)] = rank;
                self.put_other(field, v);
            }
        }
    }

    /// Sets a field from a string that is present (a JSON string, a CSV cell that is not empty):
    /// what [`Builder::set`] does with it, without going through [`Value`].
    pub fn set_str(&mut self, field: Field, rank: usize, s: Cow<'a, str>) {
        if let Some(rank) = self.outranks(field, rank) {
            self.put_str(field, rank, s);
        }
    }

    /// Sets a field the record left absent to a value of the reader's own (a profile's default
    /// role, a ticket id from a file name), below every name of the field and without the value
    /// maps.
    pub fn set_default(&mut self, field: Field, s: impl Into<Cow<'a, str>>) {
        if let Some(rank) = self.outranks(field, usize::from(u8::MAX - 1)) {
            self.put_text(field, rank, s.into());
        }
    }

    /// The id of the record's author, the last thing set: the customer's records take it as
    /// their `customer_id` when they have none, the others do not keep it (an agent's id does not
    /// say who the customer is).
    pub fn author_id(&mut self, value: Value<'a>) {
        if self.msg.role == Some(Role::Customer) {
            self.set(Field::CustomerId, usize::from(u8::MAX - 1), value);
        }
    }

    /// Sets a field the record left absent to a value the reader read from elsewhere in the
    /// record (a profile's classifier, when the value depends on the element's kind), below every
    /// name of the field and through the value maps.
    pub fn set_read(&mut self, field: Field, s: Cow<'a, str>) {
        if let Some(rank) = self.outranks(field, usize::from(u8::MAX - 1)) {
            self.put_str(field, rank, s);
        }
    }

    /// The rank as stored, if a value under that name is to replace what `field` holds.
    /// Whether a value of `field` at `rank` would still be taken: one at a better or equal rank
    /// has not been set. A reader with alternatives in order stops offering them once not.
    pub fn open_at(&self, field: Field, rank: usize) -> bool {
        self.outranks(field, rank).is_some()
    }

    fn outranks(&self, field: Field, rank: usize) -> Option<u8> {
        // Ranks are small (an alias's place in its list, plus one for CSV columns).
        let rank = u8::try_from(rank).unwrap_or(u8::MAX - 1);
        (rank <= self.ranks[slot(field)]).then_some(rank)
    }

    /// Sets a string value, renamed first by the value map of `field` if there is one; a value
    /// mapped to the empty string is absent.
    fn put_str(&mut self, field: Field, rank: u8, s: Cow<'a, str>) {
        if let Some(values) = self.values
            && values.maps(field)
            && let Some(to) = values.get(field, &s)
        {
            if !to.is_empty() {
                let to = Cow::Owned(to.to_owned());
                self.put_text(field, rank, to);
            }
            return;
        }
        self.put_text(field, rank, s);
    }

    fn put_text(&mut self, field: Field, rank: u8, s: Cow<'a, str>) {
        self.ranks[slot(field)] = rank;
        match field {
            Field::ConversationId => {
                if !crate::text::is_blank(&s) {
                    self.msg.conversation_id = s;
                    self.has_id = true;
                }
            }
            Field::Timestamp => match time::parse(&s, self.times) {
                Some(ms) => self.msg.timestamp = Some(ms),
                None => self.misfit(field, Scalar::Str(s)),
            },
            Field::Role => match Role::parse(&s) {
                Some(r) => {
                    self.msg.role = Some(r);
                    self.has_role = true;
                }
                None => self.misfit(field, Scalar::Str(s)),
            },
            Field::Text => self.msg.text = s,
            Field::MessageId => self.msg.message_id = Some(s),
            Field::Author => self.msg.author = Some(s),
            Field::Intent => self.msg.intent = Some(s),
            Field::Lane => self.msg.lane = Some(s),
            Field::ExpectedLane => self.msg.expected_lane = Some(s),
            Field::CustomerName => self.msg.customer_name = Some(s),
            Field::CustomerId => self.msg.customer_id = Some(s),
            Field::Confidence | Field::Sentiment => match number(&s) {
                Some(n) if n.is_finite() => self.put_number(field, n),
                _ => self.misfit(field, Scalar::Str(s)),
            },
            Field::Fallback => match boolean(&s) {
                Some(b) => self.msg.fallback = Some(b),
                None => self.misfit(field, Scalar::Str(s)),
            },
            Field::Event => self.msg.event = Event::parse(&s),
        }
    }

    /// A number, boolean, list or object.
    fn put_other(&mut self, field: Field, v: Scalar<'a>) {
        if let Scalar::Compound = v {
            let name = field.name();
            self.fail(
                Reason::WrongType,
                format!("{name} must be a single value, found a list or object"),
            );
            return;
        }
        match (field, &v) {
            // An id may be written as a number in JSON (`"conversation_id": 1234`, a Zendesk user
            // id); its text is never blank.
            (Field::ConversationId | Field::MessageId | Field::CustomerId, Scalar::Num(n))
                if n.is_finite() && n.fract() == 0.0 && n.abs() < 9.0e15 =>
            {
                let id = Cow::Owned(format!("{}", *n as i64));
                self.put_str(field, self.ranks[slot(field)], id)
            }
            (Field::Timestamp, Scalar::Num(n)) => match time::from_unix(*n) {
                Some(ms) => self.msg.timestamp = Some(ms),
                None => self.misfit(field, v),
            },
            (Field::Confidence | Field::Sentiment, Scalar::Num(n)) if n.is_finite() => {
                self.put_number(field, *n)
            }
            (Field::Fallback, Scalar::Bool(b)) => self.msg.fallback = Some(*b),
            (Field::Fallback, Scalar::Num(n)) if *n == 0.0 || *n == 1.0 => {
                self.msg.fallback = Some(*n == 1.0)
            }
            _ => self.misfit(field, v),
        }
    }

    fn put_number(&mut self, field: Field, n: f64) {
        if field == Field::Confidence {
            self.msg.confidence = Some(n);
        } else {
            self.msg.sentiment = Some(n);
        }
    }

    /// Records that `v` does not fit `field`.
    #[cold]
    fn misfit(&mut self, field: Field, v: Scalar<'_>) {
        let name = field.name();
        let (reason, detail) = match field {
            Field::Timestamp => (
                Reason::BadTimestamp,
                format!("cannot read timestamp {}", v.show()),
            ),
            Field::Role if matches!(v, Scalar::Str(_)) => {
                (Reason::UnknownRole, format!("unknown role {}", v.show()))
            }
            Field::ConversationId | Field::MessageId | Field::CustomerId => {
                (Reason::WrongType, format!("{name} must be a string"))
            }
            Field::Confidence | Field::Sentiment => (
                Reason::WrongType,
                format!("{name} must be a number, found {}", v.show()),
            ),
            Field::Fallback => (
                Reason::WrongType,
                format!("{name} must be true or false, found {}", v.show()),
            ),
            _ => (
                Reason::WrongType,
                format!("{name} must be a string, found {}", v.show()),
            ),
        };
        self.fail(reason, detail);
    }

    /// Sets one segment field.
    pub fn segment(&mut self, name: Cow<'a, str>, value: Value<'a>) {
        match Scalar::of(value) {
            None => {}
            Some(Scalar::Str(s)) => self.msg.segment.push((name, s)),
            Some(Scalar::Compound) => self.fail(
                Reason::WrongType,
                format!("segment.{name} must be a single value"),
            ),
            Some(v @ (Scalar::Num(_) | Scalar::Bool(_))) => {
                self.msg.segment.push((name, Cow::Owned(v.show())))
            }
        }
    }

    /// Records that a field had a shape no rule accepts (a `segment` that is not an object).
    pub fn wrong(&mut self, what: &str) {
        self.fail(Reason::WrongType, what.to_owned());
    }

    /// Pushes the message onto `out` (where it is kept, so that it is moved once), or gives why
    /// the record is skipped.
    pub fn finish_into(self, out: &mut Vec<Message<'a>>) -> Result<(), (Reason, String)> {
        self.check()?;
        out.push(self.msg);
        Ok(())
    }

    /// Why the record is skipped, if it is.
    fn check(&self) -> Result<(), (Reason, String)> {
        if let Some(e) = &self.error {
            return Err(e.clone());
        }
        if !self.has_id {
            return Err((Reason::MissingConversationId, "no conversation_id".into()));
        }
        if !self.has_role {
            return Err((Reason::MissingRole, "no role".into()));
        }
        Ok(())
    }

    /// The message, or why the record is skipped.
    pub fn finish(self) -> Result<Message<'a>, (Reason, String)> {
        self.check()?;
        Ok(self.msg)
    }
}

/// A plain decimal (`0.9`, `-12.25`, `3`) with at most 15 significant digits, as the nearest
/// `f64`, the same as `str::parse` gives; `None` for every other form, which goes to `str::parse`.
///
/// Such a number is an integer below 2⁵³ divided by a power of ten up to 10²², both exact as
/// `f64`, and one division is correctly rounded (Clinger's fast path, which `str::parse` also
/// takes for them after a longer look at the text).
pub fn decimal(s: &str) -> Option<f64> {
    let b = s.as_bytes();
    let (negative, digits) = match b.split_first()? {
        (b'-', rest) => (true, rest),
        _ => (false, b),
    };
    let mut mantissa: u64 = 0;
    let mut count = 0;
    let mut scale = None;
    for (i, &c) in digits.iter().enumerate() {
        match c {
            b'0'..=b'9' if count < 15 => {
                mantissa = mantissa * 10 + u64::from(c - b'0');
                count += 1;
            }
            b'.' if scale.is_none() && i > 0 && i + 1 < digits.len() => scale = Some(i),
            _ => return None,
        }
    }
    if count == 0 {
        return None;
    }
    let fraction = scale.map_or(0, |i| digits.len() - i - 1);
    const POW10: [f64; 16] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
    ];
    let n = mantissa as f64 / POW10[fraction];
    Some(if negative { -n } else { n })
}

/// A present scalar value.
#[derive(Debug, Clone)]
enum Scalar<'a> {
    Str(Cow<'a, str>),
    Num(f64),
    Bool(bool),
    /// A list or object where a single value belongs.
    Compound,
}

impl<'a> Scalar<'a> {
    fn of(v: Value<'a>) -> Option<Scalar<'a>> {
        match v {
            Value::Doc(v) => match v.as_ref() {
                ValueRef::Null => None,
                ValueRef::String(s) => Some(Scalar::Str(Cow::Borrowed(s))),
                ValueRef::Number(n) => Some(Scalar::Num(n.as_f64().unwrap_or(f64::NAN))),
                ValueRef::Bool(b) => Some(Scalar::Bool(b)),
                ValueRef::Array(_) | ValueRef::Object(_) => Some(Scalar::Compound),
            },
            Value::Json(serde_json::Value::Null) => None,
            Value::Json(serde_json::Value::String(s)) => Some(Scalar::Str(Cow::Borrowed(s))),
            Value::Json(serde_json::Value::Number(n)) => {
                Some(Scalar::Num(n.as_f64().unwrap_or(f64::NAN)))
            }
            Value::Json(serde_json::Value::Bool(b)) => Some(Scalar::Bool(*b)),
            Value::Json(_) => Some(Scalar::Compound),
            Value::Str(s) => Some(Scalar::Str(s)),
            Value::Num(n) => Some(Scalar::Num(n)),
            Value::Bool(b) => Some(Scalar::Bool(b)),
            Value::Null => None,
            Value::Compound => Some(Scalar::Compound),
        }
    }

    fn show(&self) -> String {
        match self {
            Scalar::Str(s) => {
                let short: String = s.chars().take(40).collect();
                format!("{short:?}")
            }
            Scalar::Num(n) => n.to_string(),
            Scalar::Compound => "a list or object".into(),
            Scalar::Bool(b) => b.to_string(),
        }
    }
}

/// A numeric string, as CSV cells and some JSON exports write numbers.
fn number(s: &str) -> Option<f64> {
    decimal(s).or_else(|| s.trim().parse().ok())
}

/// A boolean written as a string.
fn boolean(s: &str) -> Option<bool> {
    // The words exports write, before any folding.
    match s {
        "true" => return Some(true),
        "false" => return Some(false),
        _ => {}
    }
    let s = s.trim();
    let is = |words: &[&str]| words.iter().any(|w| w.eq_ignore_ascii_case(s));
    if is(&["true", "yes", "1", "y", "t"]) {
        Some(true)
    } else if is(&["false", "no", "0", "n", "f"]) {
        Some(false)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_in_declaration_order() {
        for (i, (f, _)) in NAMES.iter().enumerate() {
            assert_eq!(*f as usize, i, "{f:?}");
        }
        assert_eq!(NAMES.len(), FIELDS, "every field has a rank in the builder");
    }

    #[test]
    fn every_field_can_be_set() {
        let utc = jiff::tz::TimeZone::UTC;
        let times = ZoneTimes::new(&utc);
        let mut b = Builder::new(&times);
        for (f, _) in NAMES {
            b.set_str(*f, 0, Cow::Borrowed("x"));
        }
        assert_eq!(b.msg.customer_id.as_deref(), Some("x"));
        let n = crate::logs::json::doc::Value::from(7001);
        b.set(Field::CustomerId, 0, Value::Doc(&n));
        assert_eq!(
            b.msg.customer_id.as_deref(),
            Some("7001"),
            "an id written as a number"
        );
    }

    #[test]
    fn a_number_is_renamed_once() {
        let utc = jiff::tz::TimeZone::UTC;
        let times = ZoneTimes::new(&utc);
        let mut maps = crate::logs::json::values::ValueMaps::default();
        maps.insert(Field::Role, "7001", "customer");
        maps.insert(Field::Role, "*", "");
        let mut b = Builder::mapped(&times, &maps);
        let n = crate::logs::json::doc::Value::from(7001);
        b.set(Field::Role, 0, Value::Doc(&n));
        assert_eq!(b.msg.role, Some(Role::Customer));
        let mut b = Builder::mapped(&times, &maps);
        let n = crate::logs::json::doc::Value::from(8);
        b.set(Field::Role, 0, Value::Doc(&n));
        assert_eq!(b.msg.role, None, "mapped to nothing");
    }

    #[test]
    fn aliases_resolve_with_canonical_first() {
        assert_eq!(Field::lookup("body"), Some((Field::Text, 1)));
        assert_eq!(Field::lookup("text"), Some((Field::Text, 0)));
        assert_eq!(Field::lookup("Sender_Type"), Some((Field::Role, 1)));
        assert_eq!(Field::lookup("unrelated"), None);
        assert_eq!(segment_field("segment.tier"), Some("tier"));
        assert_eq!(segment_field("segment_tier"), Some("tier"));
    }

    proptest::proptest! {
        /// The fast path gives what `str::parse` gives, on the text it reads.
        #[test]
        fn decimals_parse_as_std_does(s in "-?[0-9]{0,17}(\\.[0-9]{0,17})?|[-.0-9]{0,6}") {
            if let Some(n) = decimal(&s) {
                let std: f64 = s.parse().expect("a decimal std reads");
                proptest::prop_assert_eq!(n.to_bits(), std.to_bits(), "{}", s);
            }
        }

        #[test]
        fn short_decimals_take_the_fast_path(m in 0u64..1_000_000_000, k in 0usize..9, neg: bool) {
            let digits = format!("{m:09}");
            let s = format!("{}{}.{}", if neg { "-" } else { "" }, &digits[..9 - k], &digits[9 - k..]);
            let s = s.trim_end_matches('.').to_string();
            let std: f64 = s.parse().expect("a decimal");
            proptest::prop_assert_eq!(decimal(&s).map(f64::to_bits), Some(std.to_bits()), "{}", s);
        }
    }

    #[test]
    fn every_field_has_a_rank_slot() {
        let utc = jiff::tz::TimeZone::UTC;
        let times = ZoneTimes::new(&utc);
        let mut b = Builder::new(&times);
        // Each field through its rank slot, with a value of its type.
        for (f, names) in NAMES {
            let value = match f {
                Field::Role => Value::Str("customer".into()),
                Field::Timestamp | Field::Confidence | Field::Sentiment => Value::Num(0.5),
                Field::Fallback => Value::Bool(false),
                _ => Value::Str(names[0].into()),
            };
            b.set(*f, 0, value);
        }
        b.set(Field::CustomerId, 1, Value::Str("other".into()));
        let m = b.finish().expect("a message");
        assert_eq!(m.customer_id.as_deref(), Some("customer_id"));
    }

    #[test]
    fn every_field_can_be_set_and_read_values_rank_last() {
        let utc = jiff::tz::TimeZone::UTC;
        let times = ZoneTimes::new(&utc);
        let mut b = Builder::new(&times);
        b.set(Field::ConversationId, 0, Value::Str("c1".into()));
        b.set(Field::Role, 0, Value::Str("user".into()));
        for name in Field::all_names() {
            let f = Field::canonical(name).expect("a canonical name");
            b.set(f, 9, Value::Null);
        }
        b.set(Field::CustomerId, 0, Value::Str("u1".into()));
        b.set_read(Field::CustomerId, "u2".into());
        b.set_read(Field::Lane, "5531".into());
        let m = b.finish().expect("a message");
        assert_eq!(m.customer_id.as_deref(), Some("u1"));
        assert_eq!(m.lane.as_deref(), Some("5531"));
    }

    #[test]
    fn wrong_types_are_reasons() {
        let utc = jiff::tz::TimeZone::UTC;
        let times = ZoneTimes::new(&utc);
        let mut b = Builder::new(&times);
        b.set(Field::ConversationId, 0, Value::Str("c1".into()));
        b.set(Field::Role, 0, Value::Str("user".into()));
        b.set(Field::Confidence, 0, Value::Str("high".into()));
        assert_eq!(b.finish().map_err(|e| e.0), Err(Reason::WrongType));
        let mut b = Builder::new(&times);
        b.set(Field::Role, 0, Value::Str("customer".into()));
        assert_eq!(
            b.finish().map_err(|e| e.0),
            Err(Reason::MissingConversationId)
        );
    }
}

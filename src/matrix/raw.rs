//! The matrix as written: every key of the YAML format, each value with its span.
//!
//! These types mirror the file one to one and are what lint inspects, because lint must point at
//! the exact key or value. Anything may be missing or ill-typed here (the decoder records why and
//! leaves the field `None`); the validated [`super::model::Matrix`] is built from these only when
//! lint found no error. They also generate the JSON Schema (`handoff schema`), so the schema and
//! the decoder describe the same format; a unit test keeps the decoder's key lists equal to it.

use std::borrow::Cow;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};

use crate::source::Span;

/// A value with the span of the value and of the key it stands under (for list items, the item).
#[derive(Debug, Clone, PartialEq)]
pub struct Spanned<T> {
    pub value: T,
    pub span: Span,
    pub key: Span,
}

impl<T> Spanned<T> {
    pub fn new(value: T, span: Span, key: Span) -> Self {
        Spanned { value, span, key }
    }
}

impl<T> std::ops::Deref for Spanned<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.value
    }
}

impl<T: JsonSchema> JsonSchema for Spanned<T> {
    fn inline_schema() -> bool {
        T::inline_schema()
    }
    fn schema_name() -> Cow<'static, str> {
        T::schema_name()
    }
    fn schema_id() -> Cow<'static, str> {
        T::schema_id()
    }
    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        T::json_schema(generator)
    }
}

/// A YAML mapping with free-form keys, in file order (first copy of a repeated key only).
#[derive(Debug, Clone, PartialEq)]
pub struct Map<V>(pub Vec<(Spanned<String>, V)>);

impl<V> Default for Map<V> {
    fn default() -> Self {
        Map(Vec::new())
    }
}

impl<V> Map<V> {
    pub fn get(&self, key: &str) -> Option<&V> {
        self.0.iter().find(|(k, _)| k.value == key).map(|(_, v)| v)
    }
    pub fn iter(&self) -> impl Iterator<Item = (&Spanned<String>, &V)> {
        self.0.iter().map(|(k, v)| (k, v))
    }
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(|(k, _)| k.value.as_str())
    }
    pub fn len(&self) -> usize {
        self.0.len()
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl<V: JsonSchema> JsonSchema for Map<V> {
    fn schema_name() -> Cow<'static, str> {
        format!("Map_of_{}", V::schema_name()).into()
    }
    fn inline_schema() -> bool {
        true
    }
    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let v = generator.subschema_for::<V>();
        json_schema!({ "type": "object", "additionalProperties": v })
    }
}

/// A list that may also be written as a single value (`intents: refund`).
#[derive(Debug, Clone, PartialEq)]
pub struct OneOrMany<T>(pub Vec<Spanned<T>>);

impl<T> OneOrMany<T> {
    pub fn iter(&self) -> impl Iterator<Item = &Spanned<T>> {
        self.0.iter()
    }
}

impl<T: JsonSchema> JsonSchema for OneOrMany<T> {
    fn schema_name() -> Cow<'static, str> {
        format!("OneOrMany_{}", T::schema_name()).into()
    }
    fn inline_schema() -> bool {
        true
    }
    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let t = generator.subschema_for::<T>();
        json_schema!({ "anyOf": [t, { "type": "array", "items": t }] })
    }
}

/// A duration as written (`90s`, `1h30m`); parsed by [`super::duration`], checked by E014.
#[derive(Debug, Clone, PartialEq)]
pub struct DurationText(pub String);

impl JsonSchema for DurationText {
    fn schema_name() -> Cow<'static, str> {
        "Duration".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "pattern": "^(?=\\d)(\\d+d)?(\\d+h)?(\\d+m)?(\\d+s)?$",
            "description": "Whole numbers with units in the order d, h, m, s, each at most once: 90s, 5m, 2h, 1d, 1h30m."
        })
    }
}

/// The whole file.
#[derive(Debug, Clone, Default, JsonSchema)]
#[schemars(deny_unknown_fields, title = "handoff escalation matrix")]
pub struct RawMatrix {
    /// Format version; this build reads version 1.
    #[schemars(required, range(min = 1, max = 1))]
    pub version: Option<Spanned<i64>>,
    /// A display name for reports.
    pub name: Option<Spanned<String>>,
    /// Service window, trap recognition and report settings.
    pub settings: Option<Spanned<RawSettings>>,
    /// Named extractors for the handoff payload: field name to regular expression.
    pub context: Option<Spanned<Map<Spanned<String>>>>,
    /// The lanes a conversation can be handed to, by id.
    #[schemars(required, extend("minProperties" = 1))]
    pub lanes: Option<Spanned<Map<Spanned<RawLane>>>>,
    /// The rules that move a conversation from the bot to a lane.
    #[schemars(required, length(min = 1))]
    pub triggers: Option<Spanned<Vec<Spanned<RawTrigger>>>>,
    /// Lint levels for this file.
    pub lint: Option<Spanned<RawLint>>,
    /// The span of the `triggers:` key, or of the file start when it is missing.
    #[schemars(skip)]
    pub triggers_key: Span,
}

#[derive(Debug, Clone, Default, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct RawSettings {
    /// The customer-service window (default 24h).
    pub service_window: Option<Spanned<DurationText>>,
    /// How long after the last customer message a handoff is at risk (default 20h).
    pub window_warning: Option<Spanned<DurationText>>,
    /// Bot messages with these intents count as fallbacks (default [nlu_fallback]).
    pub fallback_intents: Option<Spanned<OneOrMany<String>>>,
    /// The healthy band of the escalation rate, [low, high] (default [0.05, 0.20]).
    #[schemars(length(min = 2, max = 2))]
    pub healthy_escalation_rate: Option<Spanned<Vec<Spanned<f64>>>>,
    /// How replay recognises a trapped customer.
    pub trap: Option<Spanned<RawTrap>>,
}

#[derive(Debug, Clone, Default, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct RawTrap {
    /// Phrases by which a customer asks for a person.
    pub optout_phrases: Option<Spanned<OneOrMany<String>>>,
    /// Consecutive bot fallbacks that signal a trap (default 2).
    #[schemars(range(min = 1))]
    pub fallback_streak: Option<Spanned<i64>>,
    /// Times one text must be sent to signal a trap (default 2).
    #[schemars(range(min = 1))]
    pub repeats: Option<Spanned<i64>>,
    /// Bot messages allowed after a trap signal before the customer counts as trapped (default 1).
    #[schemars(range(min = 0))]
    pub grace_bot_turns: Option<Spanned<i64>>,
}

#[derive(Debug, Clone, Default, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct RawLane {
    /// Display name, also the `{lane}` placeholder.
    pub title: Option<Spanned<String>>,
    /// 1 is most urgent.
    #[schemars(required, range(min = 1))]
    pub priority: Option<Spanned<i64>>,
    /// The queue or team on the agent side.
    pub target: Option<Spanned<String>>,
    /// Service levels.
    pub sla: Option<Spanned<RawSla>>,
    /// Context fields the agent needs at handoff (`intent`, `customer_name` or a `context` name).
    pub requires: Option<Spanned<OneOrMany<String>>>,
    /// What the customer is told at the handoff.
    #[schemars(required)]
    pub handoff: Option<Spanned<RawHandoff>>,
    /// The span of the lane's id key.
    #[schemars(skip)]
    pub id: Spanned<String>,
}

impl Default for Spanned<String> {
    fn default() -> Self {
        Spanned::new(String::new(), Span::default(), Span::default())
    }
}

#[derive(Debug, Clone, Default, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct RawSla {
    /// Time to the agent's first reply.
    pub first_response: Option<Spanned<DurationText>>,
}

#[derive(Debug, Clone, Default, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct RawHandoff {
    /// The message template: `{agent}`, `{eta}`, `{lane}`, `{customer_name}` and context fields.
    #[schemars(required)]
    pub message: Option<Spanned<String>>,
    /// The person the customer will talk to.
    pub agent: Option<Spanned<String>>,
    /// When the customer can expect a reply ("5 minutes").
    pub eta: Option<Spanned<String>>,
}

#[derive(Debug, Clone, Default, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct RawTrigger {
    /// A unique id, used in reports.
    #[schemars(required)]
    pub id: Option<Spanned<String>>,
    /// The lane this trigger routes to.
    #[schemars(required)]
    pub lane: Option<Spanned<String>>,
    /// The condition.
    #[schemars(required)]
    pub when: Option<Spanned<RawCondition>>,
}

/// The kinds of personal data the `pii` condition looks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, JsonSchema)]
#[schemars(rename_all = "snake_case")]
pub enum PiiKind {
    Card,
    Email,
    Phone,
}

impl PiiKind {
    pub const ALL: [(&'static str, PiiKind); 3] = [
        ("card", PiiKind::Card),
        ("email", PiiKind::Email),
        ("phone", PiiKind::Phone),
    ];

    pub fn name(self) -> &'static str {
        match self {
            PiiKind::Card => "card",
            PiiKind::Email => "email",
            PiiKind::Phone => "phone",
        }
    }
}

/// A condition: several keys must all hold; `any`, `all` and `not` combine.
#[derive(Debug, Clone, Default, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct RawCondition {
    /// The customer message contains one of these phrases (case-insensitive, whole words).
    pub keywords: Option<Spanned<OneOrMany<String>>>,
    /// The customer message matches one of these regular expressions (Rust syntax).
    pub regex: Option<Spanned<OneOrMany<String>>>,
    /// The customer message's intent label is one of these.
    pub intents: Option<Spanned<OneOrMany<String>>>,
    /// The customer message has a confidence below this (0..=1).
    #[schemars(range(min = 0.0, max = 1.0))]
    pub confidence_below: Option<Spanned<f64>>,
    /// The customer message has a sentiment score below this (-1..=1).
    #[schemars(range(min = -1.0, max = 1.0))]
    pub sentiment_below: Option<Spanned<f64>>,
    /// The customer message contains a card number, e-mail address or phone number.
    pub pii: Option<Spanned<OneOrMany<PiiKind>>>,
    /// This customer message has now been sent at least this many times.
    #[schemars(range(min = 1))]
    pub repeats: Option<Spanned<i64>>,
    /// The last n bot messages were all fallbacks.
    #[schemars(range(min = 1))]
    pub fallbacks: Option<Spanned<i64>>,
    /// The bot has sent at least this many messages.
    #[schemars(range(min = 1))]
    pub bot_turns: Option<Spanned<i64>>,
    /// At least this long since the conversation's first message.
    pub elapsed: Option<Spanned<DurationText>>,
    /// Conversation metadata: every field listed equals one of its values (case-insensitive).
    pub segment: Option<Spanned<Map<Spanned<OneOrMany<String>>>>>,
    /// At least one of these conditions holds.
    #[schemars(length(min = 1))]
    pub any: Option<Spanned<Vec<Spanned<RawCondition>>>>,
    /// All of these conditions hold.
    #[schemars(length(min = 1))]
    pub all: Option<Spanned<Vec<Spanned<RawCondition>>>>,
    /// This condition does not hold.
    pub not: Option<Spanned<Box<RawCondition>>>,
}

impl RawCondition {
    /// The condition keys present, in the order of the format's table.
    pub fn is_empty(&self) -> bool {
        self.keywords.is_none()
            && self.regex.is_none()
            && self.intents.is_none()
            && self.confidence_below.is_none()
            && self.sentiment_below.is_none()
            && self.pii.is_none()
            && self.repeats.is_none()
            && self.fallbacks.is_none()
            && self.bot_turns.is_none()
            && self.elapsed.is_none()
            && self.segment.is_none()
            && self.any.is_none()
            && self.all.is_none()
            && self.not.is_none()
    }

    /// Every nested condition, depth first, with whether it sits under an odd number of `not`s.
    pub fn walk<'a>(&'a self, negated: bool, f: &mut dyn FnMut(&'a RawCondition, bool)) {
        f(self, negated);
        for list in [&self.any, &self.all].into_iter().flatten() {
            for c in &list.value {
                c.value.walk(negated, f);
            }
        }
        if let Some(n) = &self.not {
            n.value.walk(!negated, f);
        }
    }
}

#[derive(Debug, Clone, Default, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct RawLint {
    /// Codes (E…/W…) or names of warnings not to report for this file.
    pub allow: Option<Spanned<OneOrMany<String>>>,
    /// Codes or names of warnings to report as errors.
    pub deny: Option<Spanned<OneOrMany<String>>>,
    /// Codes or names to report as warnings (undoes a `deny` in handoff.toml).
    pub warn: Option<Spanned<OneOrMany<String>>>,
}

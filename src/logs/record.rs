//! The canonical message record every importer produces, and the conversation it belongs to.
//!
//! Whatever the export looked like (a JSONL dump, a helpdesk CSV, a WhatsApp text file), replay
//! sees only these types. Timestamps are milliseconds since the Unix epoch, UTC; a record without
//! one keeps `None`, which makes its conversation keep file order (SPEC section 3).
//!
//! Text fields are [`Cow`]s: the parallel JSONL path borrows them from the chunk of input it parses,
//! so a message costs no allocation unless a string has JSON escapes; the other paths own them
//! (`Message<'static>`).

use std::borrow::Cow;
use std::collections::BTreeMap;

/// Who sent a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Role {
    Customer,
    Bot,
    Agent,
    System,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Customer => "customer",
            Role::Bot => "bot",
            Role::Agent => "agent",
            Role::System => "system",
        }
    }

    /// A role or one of its aliases, case-insensitive (SPEC section 3).
    pub fn parse(s: &str) -> Option<Role> {
        // The canonical names as written by most exports, before any folding.
        match s {
            "customer" | "user" => return Some(Role::Customer),
            "bot" | "assistant" => return Some(Role::Bot),
            "agent" | "admin" => return Some(Role::Agent),
            "system" => return Some(Role::System),
            _ => {}
        }
        let s = s.trim();
        let is = |names: &[&str]| names.iter().any(|n| n.eq_ignore_ascii_case(s));
        if is(&[
            "customer", "user", "contact", "client", "end_user", "lead", "visitor",
        ]) {
            Some(Role::Customer)
        } else if is(&["bot", "assistant", "automation", "ai", "chatbot"]) {
            Some(Role::Bot)
        } else if is(&["agent", "admin", "operator", "human", "supervisor"]) {
            Some(Role::Agent)
        } else if is(&["system"]) {
            Some(Role::System)
        } else {
            None
        }
    }
}

/// A conversation event carried by a record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Event {
    Handoff,
    Assign,
    Resolved,
}

impl Event {
    pub fn as_str(self) -> &'static str {
        match self {
            Event::Handoff => "handoff",
            Event::Assign => "assign",
            Event::Resolved => "resolved",
        }
    }

    /// The event a value names. Platform exports also mark ordinary messages with an event type
    /// (`message`, `text`, `note`); those are `Ok(None)`. Words for the three events are accepted
    /// in the forms helpdesks use.
    pub fn parse(s: &str) -> Option<Event> {
        let s = s.trim();
        let is = |names: &[&str]| names.iter().any(|n| n.eq_ignore_ascii_case(s));
        if is(&[
            "handoff",
            "handover",
            "hand_off",
            "transfer",
            "escalation",
            "escalated",
            "escalate",
        ]) {
            Some(Event::Handoff)
        } else if is(&["assign", "assigned", "assignment", "agent_assigned"]) {
            Some(Event::Assign)
        } else if is(&["resolved", "resolve", "closed", "close", "solved"]) {
            Some(Event::Resolved)
        } else {
            None
        }
    }
}

/// Where a record came from: an index into the run's file list and a 1-based line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Origin {
    pub file: u32,
    pub line: u64,
}

/// One message record.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Message<'a> {
    pub conversation_id: Cow<'a, str>,
    /// Milliseconds since the Unix epoch, UTC.
    pub timestamp: Option<i64>,
    pub role: Option<Role>,
    pub text: Cow<'a, str>,
    pub message_id: Option<Cow<'a, str>>,
    pub author: Option<Cow<'a, str>>,
    pub intent: Option<Cow<'a, str>>,
    pub confidence: Option<f64>,
    pub sentiment: Option<f64>,
    pub fallback: Option<bool>,
    pub event: Option<Event>,
    pub lane: Option<Cow<'a, str>>,
    pub expected_lane: Option<Cow<'a, str>>,
    pub customer_name: Option<Cow<'a, str>>,
    /// Who the customer is across conversations (a WhatsApp `wa_id`, a contact or user id).
    pub customer_id: Option<Cow<'a, str>>,
    /// Segment fields on this record, in the order read.
    pub segment: Segment<'a>,
    pub origin: Origin,
}

/// A segment field: its name and value.
pub type Pair<'a> = (Cow<'a, str>, Cow<'a, str>);

/// A record's segment fields, in the order read. The first is held in place and only the others
/// in a `Vec`: most records carry one or none, and a `Vec` for every one would cost an allocation
/// per message.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Segment<'a> {
    /// Always set when `rest` is not empty.
    first: Option<Pair<'a>>,
    rest: Vec<Pair<'a>>,
}

impl<'a> Segment<'a> {
    pub fn push(&mut self, pair: Pair<'a>) {
        match self.first {
            None => self.first = Some(pair),
            Some(_) => self.rest.push(pair),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.first.is_none()
    }

    pub fn iter(&self) -> <&Segment<'a> as IntoIterator>::IntoIter {
        self.into_iter()
    }
}

impl<'s, 'a> IntoIterator for &'s Segment<'a> {
    type Item = &'s Pair<'a>;
    type IntoIter =
        std::iter::Chain<std::option::Iter<'s, Pair<'a>>, std::slice::Iter<'s, Pair<'a>>>;

    fn into_iter(self) -> Self::IntoIter {
        self.first.iter().chain(&self.rest)
    }
}

impl<'a> IntoIterator for Segment<'a> {
    type Item = Pair<'a>;
    type IntoIter = std::iter::Chain<std::option::IntoIter<Pair<'a>>, std::vec::IntoIter<Pair<'a>>>;

    fn into_iter(self) -> Self::IntoIter {
        self.first.into_iter().chain(self.rest)
    }
}

impl<'a> FromIterator<Pair<'a>> for Segment<'a> {
    fn from_iter<I: IntoIterator<Item = Pair<'a>>>(pairs: I) -> Self {
        let mut segment = Segment::default();
        for pair in pairs {
            segment.push(pair);
        }
        segment
    }
}

fn own(s: Cow<'_, str>) -> Cow<'static, str> {
    Cow::Owned(s.into_owned())
}

impl<'a> Message<'a> {
    pub fn role(&self) -> Role {
        self.role.unwrap_or(Role::Customer)
    }

    /// The optional text fields, in the order of the struct: `message_id`, `author`, `intent`,
    /// `lane`, `expected_lane`, `customer_name`, `customer_id`.
    pub fn optional_texts(&self) -> [&Option<Cow<'a, str>>; 7] {
        [
            &self.message_id,
            &self.author,
            &self.intent,
            &self.lane,
            &self.expected_lane,
            &self.customer_name,
            &self.customer_id,
        ]
    }

    /// The same message owning its text, to outlive the input it was read from.
    pub fn into_owned(self) -> Message<'static> {
        Message {
            conversation_id: own(self.conversation_id),
            timestamp: self.timestamp,
            role: self.role,
            text: own(self.text),
            message_id: self.message_id.map(own),
            author: self.author.map(own),
            intent: self.intent.map(own),
            confidence: self.confidence,
            sentiment: self.sentiment,
            fallback: self.fallback,
            event: self.event,
            lane: self.lane.map(own),
            expected_lane: self.expected_lane.map(own),
            customer_name: self.customer_name.map(own),
            customer_id: self.customer_id.map(own),
            segment: self
                .segment
                .into_iter()
                .map(|(k, v)| (own(k), own(v)))
                .collect(),
            origin: self.origin,
        }
    }
}

/// All the messages of one conversation, in replay order, with its conversation-level fields.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Conversation<'a> {
    pub id: Cow<'a, str>,
    pub messages: Vec<Message<'a>>,
    /// Whether every message has a timestamp (otherwise file order is kept, SPEC section 3).
    pub timed: bool,
    /// The last non-empty value in replay order of each conversation-level field.
    pub expected_lane: Option<Cow<'a, str>>,
    pub customer_name: Option<Cow<'a, str>>,
    pub customer_id: Option<Cow<'a, str>>,
    pub segment: BTreeMap<Cow<'a, str>, Cow<'a, str>>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// A segment gives back its pairs in the order pushed, forwards and backwards, owned or
        /// borrowed, and is empty only without any.
        #[test]
        fn segment_keeps_the_order_read(names in proptest::collection::vec("[a-z]{1,3}", 0..5)) {
            let pairs: Vec<Pair<'_>> = names
                .iter()
                .map(|n| (Cow::Borrowed(n.as_str()), Cow::Owned(n.to_uppercase())))
                .collect();
            let segment: Segment<'_> = pairs.iter().cloned().collect();
            prop_assert_eq!(segment.is_empty(), pairs.is_empty());
            prop_assert_eq!(segment.iter().cloned().collect::<Vec<_>>(), pairs.clone());
            let back: Vec<_> = segment.iter().rev().cloned().collect();
            prop_assert_eq!(back, pairs.iter().rev().cloned().collect::<Vec<_>>());
            prop_assert_eq!(segment.into_iter().collect::<Vec<_>>(), pairs);
        }
    }
}

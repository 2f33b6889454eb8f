//! From a stream of records to conversations.
//!
//! Input grouped by conversation is streamed: a conversation is finished when the next one starts,
//! so memory holds one conversation at a time plus a fingerprint (8 bytes) of every finished id. If
//! a finished id turns up again, the input was interleaved after all: the caller restarts in
//! holding mode ([`Grouper::holding`]), which keeps every conversation open until the end of input.
//! Either way conversations come out in the order of their first record, so the two modes give
//! the same result. Holding counts what it holds ([`Grouper::held`]), so that the reader can spill
//! to disk past the memory budget (`logs::spill`). Finishing a conversation orders its messages, drops repeated `message_id`s and
//! settles its conversation-level fields (SPEC section 3).

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::hash::{BuildHasher, BuildHasherDefault, DefaultHasher};

use crate::logs::accounting::Stats;
use crate::logs::record::{Conversation, Message};
use crate::text::is_blank;

/// Records of one conversation, in file order.
#[derive(Debug, Default)]
pub struct Open<'a> {
    pub id: Cow<'a, str>,
    pub records: Vec<Message<'a>>,
}

impl Open<'_> {
    /// The same records owning their text.
    pub fn into_owned(self) -> Open<'static> {
        Open {
            id: Cow::Owned(self.id.into_owned()),
            records: self.records.into_iter().map(Message::into_owned).collect(),
        }
    }
}

/// What pushing a record did.
pub enum Pushed {
    /// The record joined an open conversation.
    Held,
    /// The record started a new conversation and finished the previous one.
    Finished(Open<'static>),
    /// The record belongs to a conversation already finished, whose id this is: the input is
    /// interleaved.
    Reappeared(String),
}

pub struct Grouper {
    holding: bool,
    current: Option<Open<'static>>,
    finished: HashSet<u64, BuildHasherDefault<IdentityHasher>>,
    open: Vec<Open<'static>>,
    index: HashMap<String, usize>,
    /// What the open conversations hold, as [`footprint`] counts it (holding mode only).
    held: u64,
}

pub fn fingerprint(id: &str) -> u64 {
    // SipHash with fixed keys: the same id always has the same fingerprint.
    BuildHasherDefault::<DefaultHasher>::default().hash_one(id)
}

impl Grouper {
    /// Streaming mode, for input grouped by conversation.
    pub fn streaming() -> Self {
        Grouper {
            holding: false,
            current: None,
            finished: HashSet::default(),
            open: Vec::new(),
            index: HashMap::new(),
            held: 0,
        }
    }

    /// Holding mode: every conversation stays open until the end of input.
    pub fn holding() -> Self {
        Grouper {
            holding: true,
            ..Grouper::streaming()
        }
    }

    pub fn push(&mut self, m: Message<'static>) -> Pushed {
        if self.holding {
            self.held += footprint(&m);
            match self.index.get(&*m.conversation_id) {
                Some(&i) => self.open[i].records.push(m),
                None => {
                    self.held += conversation_footprint(&m.conversation_id);
                    self.index
                        .insert(m.conversation_id.to_string(), self.open.len());
                    self.open.push(Open {
                        id: m.conversation_id.clone(),
                        records: vec![m],
                    });
                }
            }
            return Pushed::Held;
        }
        if let Some(cur) = &mut self.current
            && cur.id == m.conversation_id
        {
            cur.records.push(m);
            return Pushed::Held;
        }
        let fp = fingerprint(&m.conversation_id);
        if self.finished.contains(&fp) {
            // Could be a fingerprint collision; holding mode is correct either way.
            return Pushed::Reappeared(m.conversation_id.into_owned());
        }
        let next = Open {
            id: m.conversation_id.clone(),
            records: vec![m],
        };
        match self.current.replace(next) {
            Some(done) => {
                self.finished.insert(fingerprint(&done.id));
                Pushed::Finished(done)
            }
            None => Pushed::Held,
        }
    }

    /// What the open conversations hold, in bytes (0 when streaming).
    pub fn held(&self) -> u64 {
        self.held
    }

    /// Takes every open conversation of holding mode, in order of first record, leaving none.
    pub fn take_open(&mut self) -> Vec<Open<'static>> {
        self.index.clear();
        self.held = 0;
        std::mem::take(&mut self.open)
    }

    /// The conversations still open at the end of input, in order of first record.
    pub fn finish(self) -> Vec<Open<'static>> {
        if self.holding {
            self.open
        } else {
            self.current.into_iter().collect()
        }
    }
}

/// What a held message costs in memory: the record itself and its text, as held when it owns
/// the text. Allocator overhead is left out; the benchmarks measure the resident memory this
/// budget leads to.
pub fn footprint(m: &Message<'_>) -> u64 {
    let owned = |s: &std::borrow::Cow<'_, str>| s.len() as u64;
    let mut bytes = size_of::<Message<'_>>() as u64 + owned(&m.conversation_id) + owned(&m.text);
    for s in m.optional_texts().into_iter().flatten() {
        bytes += owned(s);
    }
    for (k, v) in &m.segment {
        bytes += owned(k) + owned(v) + size_of::<crate::logs::record::Pair<'_>>() as u64;
    }
    bytes
}

/// What holding one more conversation costs besides its messages: its entry in the grouper's
/// list and index (the id is owned twice).
pub fn conversation_footprint(id: &str) -> u64 {
    (size_of::<Open<'_>>() + size_of::<(String, usize)>() + 2 * id.len() + 16) as u64
}

/// Fingerprints are already hashes.
#[derive(Default)]
pub struct IdentityHasher(u64);

impl std::hash::Hasher for IdentityHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(*b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// Orders a conversation's records, drops repeated message ids and settles its fields.
///
/// Works in place: this runs once per conversation on the hot path of every replay.
pub fn settle<'a>(open: Open<'a>, stats: &mut Stats) -> Conversation<'a> {
    let Open {
        id,
        records: mut messages,
    } = open;
    let repeated = repeated_ids(&messages);
    if !repeated.is_empty() {
        let mut index = 0;
        let mut next = repeated.iter().peekable();
        messages.retain(|_| {
            let drop = next.next_if_eq(&&index).is_some();
            index += 1;
            !drop
        });
        stats.records += repeated.len() as u64;
        stats.duplicates += repeated.len() as u64;
    }
    stats.records += messages.len() as u64;
    stats.messages += messages.len() as u64;
    let timed = messages.iter().all(|m| m.timestamp.is_some());
    if timed && !messages.is_sorted_by_key(|m| m.timestamp) {
        sort_by_time(&mut messages);
    }
    conversation(id, messages, timed)
}

/// A conversation of these messages, in replay order, with its conversation-level fields.
fn conversation<'a>(id: Cow<'a, str>, messages: Vec<Message<'a>>, timed: bool) -> Conversation<'a> {
    // The last non-empty value of each field wins: looking from the end, the first one found is
    // kept, so each is checked for blanks and copied (an allocation where the record owns its
    // text) once per conversation instead of once per record that carries it.
    let mut expected_lane = None;
    let mut customer_name = None;
    let mut customer_id = None;
    let mut segment = BTreeMap::new();
    for m in messages.iter().rev() {
        if expected_lane.is_none()
            && let Some(v) = m.expected_lane.as_ref().filter(|v| !is_blank(v))
        {
            expected_lane = Some(v.clone());
        }
        if customer_name.is_none()
            && let Some(v) = m.customer_name.as_ref().filter(|v| !is_blank(v))
        {
            customer_name = Some(v.clone());
        }
        if customer_id.is_none()
            && let Some(v) = m.customer_id.as_ref().filter(|v| !is_blank(v))
        {
            customer_id = Some(v.clone());
        }
        // Within a record too, a field read later wins.
        for (k, v) in m.segment.iter().rev() {
            if !segment.contains_key(k) && !is_blank(v) {
                segment.insert(k.clone(), v.clone());
            }
        }
    }
    Conversation {
        id,
        messages,
        timed,
        expected_lane,
        customer_name,
        customer_id,
        segment,
    }
}

/// A settled conversation split where no message came for longer than `gap_ms`: the parts in
/// order, the first keeping the id and the others named `ID/2`, `ID/3`…, each with its own
/// conversation-level fields. A conversation without timestamps everywhere is not split.
pub fn split_idle(c: Conversation<'_>, gap_ms: i64) -> Vec<Conversation<'_>> {
    let quiet = |w: &[Message<'_>]| match (w[0].timestamp, w[1].timestamp) {
        (Some(a), Some(b)) => b.saturating_sub(a) > gap_ms,
        _ => false,
    };
    if !c.timed || !c.messages.windows(2).any(quiet) {
        return vec![c];
    }
    let Conversation { id, messages, .. } = c;
    let mut parts: Vec<Vec<Message<'_>>> = vec![Vec::new()];
    for m in messages {
        let last = parts
            .last()
            .and_then(|p| p.last())
            .and_then(|l| l.timestamp);
        if let (Some(a), Some(b)) = (last, m.timestamp)
            && b.saturating_sub(a) > gap_ms
        {
            parts.push(Vec::new());
        }
        if let Some(p) = parts.last_mut() {
            p.push(m);
        }
    }
    parts
        .into_iter()
        .enumerate()
        .map(|(i, mut part)| {
            if i == 0 {
                return conversation(id.clone(), part, true);
            }
            let name: Cow<'_, str> = Cow::Owned(format!("{id}/{}", i + 1));
            for m in &mut part {
                m.conversation_id = name.clone();
            }
            conversation(name, part, true)
        })
        .collect()
}

/// Orders messages by timestamp, ties in file order (a stable sort), moving each message about
/// once: a merge sort of the records themselves moves every one of them log n times, and a
/// message is some 300 bytes.
fn sort_by_time(messages: &mut [Message<'_>]) {
    let mut keys: Vec<(Option<i64>, usize)> = messages
        .iter()
        .enumerate()
        .map(|(i, m)| (m.timestamp, i))
        .collect();
    // The indices make every key distinct, so an unstable sort gives the stable order.
    keys.sort_unstable();
    // `from[k]`: the index of the message that belongs at `k`. Each cycle of that permutation is
    // put in place by swaps along it; a settled place is marked by pointing at itself.
    let mut from: Vec<usize> = keys.into_iter().map(|(_, i)| i).collect();
    for start in 0..from.len() {
        let mut at = start;
        loop {
            let next = from[at];
            from[at] = at;
            if next == start || next == at {
                break;
            }
            messages.swap(at, next);
            at = next;
        }
    }
}

/// Indices, ascending, of the records whose `message_id` an earlier record already had.
fn repeated_ids(records: &[Message<'_>]) -> Vec<usize> {
    // Most conversations are short: comparing with every earlier id is cheaper than a hash set.
    // Ids of one export mostly have the same length and a common prefix, so each id's Fx hash is
    // compared first and the ids themselves only where the hashes are equal.
    if records.len() <= 32 {
        let mut keys = [0u64; 32];
        for (k, m) in keys.iter_mut().zip(records) {
            *k = m.message_id.as_deref().map_or(0, crate::text::hash_str);
        }
        return (0..records.len())
            .filter(|&i| {
                records[i].message_id.as_ref().is_some_and(|id| {
                    (0..i).any(|j| keys[j] == keys[i] && records[j].message_id.as_ref() == Some(id))
                })
            })
            .collect();
    }
    let mut seen: HashSet<&str, crate::text::FxBuild> = HashSet::default();
    let mut repeated = Vec::new();
    for (i, m) in records.iter().enumerate() {
        if let Some(id) = &m.message_id
            && !seen.insert(id)
        {
            repeated.push(i);
        }
    }
    repeated
}

#[cfg(test)]
mod tests {
    use super::*;

    fn msg(conv: &str, id: Option<&str>, ts: Option<i64>, text: &str) -> Message<'static> {
        Message {
            conversation_id: conv.to_owned().into(),
            message_id: id.map(|s| s.to_owned().into()),
            timestamp: ts,
            text: text.to_owned().into(),
            ..Message::default()
        }
    }

    #[test]
    fn streaming_finishes_on_the_next_id_and_notices_a_return() {
        let mut g = Grouper::streaming();
        assert!(matches!(g.push(msg("a", None, None, "1")), Pushed::Held));
        assert!(matches!(g.push(msg("a", None, None, "2")), Pushed::Held));
        assert!(
            matches!(g.push(msg("b", None, None, "3")), Pushed::Finished(o) if o.id == "a" && o.records.len() == 2)
        );
        assert!(matches!(
            g.push(msg("a", None, None, "4")),
            Pushed::Reappeared(_)
        ));
    }

    #[test]
    fn sorting_by_time_is_a_stable_sort() {
        let mut x: u64 = 0x2545_f491_4f6c_dd1d;
        for n in [0, 1, 2, 3, 7, 40, 333] {
            let mut messages: Vec<Message<'static>> = (0..n)
                .map(|i| {
                    x ^= x << 13;
                    x ^= x >> 7;
                    x ^= x << 17;
                    // Few distinct times, so that ties are common.
                    msg("c", None, Some((x % 5) as i64), &i.to_string())
                })
                .collect();
            let mut expected = messages.clone();
            expected.sort_by_key(|m| m.timestamp);
            sort_by_time(&mut messages);
            assert_eq!(messages, expected, "{n} messages");
        }
    }

    #[test]
    fn settling_orders_dedupes_and_takes_last_fields() {
        let mut stats = Stats::default();
        let mut a = msg("c", Some("m1"), Some(30), "late");
        a.expected_lane = Some("billing".into());
        let mut b = msg("c", Some("m2"), Some(10), "early");
        b.expected_lane = Some("recovery".into());
        let dup = msg("c", Some("m1"), Some(5), "redelivered");
        let c = settle(
            Open {
                id: "c".into(),
                records: vec![a, b, dup],
            },
            &mut stats,
        );
        let texts: Vec<&str> = c.messages.iter().map(|m| &*m.text).collect();
        assert_eq!(texts, vec!["early", "late"]);
        assert_eq!(
            c.expected_lane.as_deref(),
            Some("billing"),
            "last in replay order"
        );
        assert_eq!((stats.records, stats.messages, stats.duplicates), (3, 2, 1));
    }

    #[test]
    fn repeated_ids_short_and_long_agree_with_a_set() {
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        for n in [0, 1, 2, 5, 31, 32, 33, 80] {
            let records: Vec<Message<'static>> = (0..n)
                .map(|i| {
                    x ^= x << 13;
                    x ^= x >> 7;
                    x ^= x << 17;
                    // Few distinct ids of one length, some records without one.
                    let id = (!x.is_multiple_of(7)).then(|| format!("wamid.{:04}", x % 9));
                    msg("c", id.as_deref(), None, &i.to_string())
                })
                .collect();
            let mut seen = HashSet::new();
            let expected: Vec<usize> = (0..n)
                .filter(|&i| {
                    records[i]
                        .message_id
                        .as_ref()
                        .is_some_and(|id| !seen.insert(id.clone()))
                })
                .collect();
            assert_eq!(repeated_ids(&records), expected, "{n} records");
        }
    }

    /// Expected lane, customer name and segment.
    type Fields<'a> = (
        Option<Cow<'a, str>>,
        Option<Cow<'a, str>>,
        BTreeMap<Cow<'a, str>, Cow<'a, str>>,
    );

    /// The conversation-level fields as settled record by record, the last non-empty value
    /// overwriting: the reference for the backward search of [`settle`].
    fn fields_forward<'a>(messages: &[Message<'a>]) -> Fields<'a> {
        let (mut lane, mut name, mut segment) = (None, None, BTreeMap::new());
        for m in messages {
            if let Some(v) = m.expected_lane.as_ref().filter(|v| !v.trim().is_empty()) {
                lane = Some(v.clone());
            }
            if let Some(v) = m.customer_name.as_ref().filter(|v| !v.trim().is_empty()) {
                name = Some(v.clone());
            }
            for (k, v) in &m.segment {
                if !v.trim().is_empty() {
                    segment.insert(k.clone(), v.clone());
                }
            }
        }
        (lane, name, segment)
    }

    proptest::proptest! {
        #[test]
        fn the_last_non_empty_value_of_each_field_wins(
            fields in proptest::collection::vec(
                (
                    proptest::option::of(0usize..6),
                    proptest::option::of(0usize..6),
                    proptest::collection::vec((0usize..3, 0usize..6), 0..4),
                ),
                0..8,
            )
        ) {
            const VALUES: [&str; 6] = ["vip", "", " ", "\u{a0}\t", " basic", "VIP "];
            const KEYS: [&str; 3] = ["tier", "plan", "région"];
            let records: Vec<Message<'static>> = fields
                .iter()
                .map(|(lane, name, seg)| Message {
                    expected_lane: lane.map(|i| VALUES[i].into()),
                    customer_name: name.map(|i| VALUES[i].into()),
                    segment: seg.iter().map(|&(k, v)| (KEYS[k].into(), VALUES[v].into())).collect(),
                    ..msg("c", None, None, "")
                })
                .collect();
            let expected = fields_forward(&records);
            let c = settle(Open { id: "c".into(), records }, &mut Stats::default());
            proptest::prop_assert_eq!((c.expected_lane, c.customer_name, c.segment), expected);
        }
    }

    #[test]
    fn a_missing_timestamp_keeps_file_order() {
        let mut stats = Stats::default();
        let c = settle(
            Open {
                id: "c".into(),
                records: vec![
                    msg("c", None, Some(30), "first"),
                    msg("c", None, None, "second"),
                ],
            },
            &mut stats,
        );
        assert!(!c.timed);
        assert_eq!(c.messages[0].text, "first");
    }

    proptest::proptest! {
        /// Splitting at an idle gap keeps every message in order; within a part no two
        /// neighbours are further apart than the gap, between parts they are; the first part
        /// keeps the id and each part's messages carry their part's id.
        #[test]
        fn an_idle_split_partitions_at_the_quiet_stretches(
            steps in proptest::collection::vec(0i64..100, 1..30),
            gap in 1i64..60,
        ) {
            let mut t = 0;
            let messages: Vec<Message<'static>> = steps
                .iter()
                .enumerate()
                .map(|(i, d)| {
                    t += d;
                    let mut m = msg("c", None, Some(t), &i.to_string());
                    m.customer_id = Some(format!("who{i}").into());
                    m
                })
                .collect();
            let c = conversation("c".into(), messages.clone(), true);
            let parts = split_idle(c, gap);
            proptest::prop_assert_eq!(&parts[0].id, "c");
            let texts: Vec<_> = parts.iter().flat_map(|p| p.messages.iter().map(|m| m.text.clone())).collect();
            let expected: Vec<_> = messages.iter().map(|m| m.text.clone()).collect();
            proptest::prop_assert_eq!(texts, expected);
            for (i, p) in parts.iter().enumerate() {
                let ts: Vec<i64> = p.messages.iter().filter_map(|m| m.timestamp).collect();
                proptest::prop_assert!(ts.windows(2).all(|w| w[1] - w[0] <= gap));
                proptest::prop_assert!(p.messages.iter().all(|m| m.conversation_id == p.id));
                if i > 0 {
                    let before = parts[i - 1].messages.last().and_then(|m| m.timestamp).unwrap_or(0);
                    proptest::prop_assert!(ts[0] - before > gap);
                    proptest::prop_assert_eq!(p.id.as_ref(), format!("c/{}", i + 1));
                }
                // Conversation-level fields come from the part's own messages.
                let last = p.messages.last().and_then(|m| m.customer_id.clone());
                proptest::prop_assert_eq!(&p.customer_id, &last);
            }
        }
    }
}

//! YAML text to a tree of spanned nodes, with the limits that keep hostile files harmless.
//!
//! The matrix is first read into a generic tree rather than straight into typed structs, because
//! lint must report *every* problem of a file: serde stops at the first unknown key or wrong type,
//! a tree lets the decoder ([`super::decode`]) keep going. Duplicate keys are let through to the
//! tree (serde-saphyr's "last wins" policy streams them) so that each one can be reported as E011
//! instead of one being kept silently.

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};

use crate::source::Span;

/// A YAML value with the byte span it came from.
#[derive(Debug, Clone)]
pub struct Node {
    pub value: Value,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Seq(Vec<Node>),
    /// Entries in file order, duplicates included.
    Map(Vec<(Node, Node)>),
}

impl Value {
    /// The YAML word for this kind of value, for "expected X, found Y" messages.
    pub fn kind(&self) -> &'static str {
        match self {
            Value::Null => "nothing (null)",
            Value::Bool(_) => "a boolean",
            Value::Int(_) => "an integer",
            Value::Float(f) if !f.is_finite() => "a non-finite number",
            Value::Float(_) => "a number",
            Value::Str(_) => "a string",
            Value::Seq(_) => "a list",
            Value::Map(_) => "a mapping",
        }
    }
}

impl Node {
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    /// The scalar as text, whatever YAML typed it as (`30` for a duration, `true` for a word).
    pub fn scalar_text(&self) -> Option<String> {
        match &self.value {
            Value::Str(s) => Some(s.clone()),
            Value::Int(i) => Some(i.to_string()),
            Value::Float(f) => Some(f.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            _ => None,
        }
    }
}

/// Why a file could not be read as YAML at all (E001).
#[derive(Debug, Clone)]
pub struct SyntaxError {
    pub message: String,
    pub span: Span,
}

/// Limits for matrices. A real matrix has a few hundred nodes and no deep nesting; these bounds are
/// far above that and far below what would take a noticeable time or memory (alias bombs, deeply
/// nested flow collections, huge documents).
fn options() -> serde_saphyr::Options {
    serde_saphyr::options! {
        duplicate_keys: serde_saphyr::DuplicateKeyPolicy::LastWins,
        // `.nan` and `.inf` are valid YAML: let them through for the decoder to refuse as values.
        non_finite_float_policy: serde_saphyr::NonFiniteFloatPolicy::PassThrough,
        budget: serde_saphyr::budget! {
            max_events: 500_000,
            max_aliases: 10_000,
            max_anchors: 10_000,
            max_nodes: 200_000,
            max_depth: 64,
            max_documents: 1,
            max_total_scalar_bytes: 32 * 1024 * 1024,
            max_recorded_anchor_events: 100_000,
        },
        alias_limits: serde_saphyr::alias_limits! {
            max_total_replayed_events: 100_000,
            max_alias_expansions_per_anchor: 1_000,
        },
    }
}

/// Parses `text` into a node tree. An empty document (or one holding only comments) is `Null`.
pub fn parse(text: &str) -> Result<Node, SyntaxError> {
    match serde_saphyr::from_str_with_options::<Tree>(text, options()) {
        Ok(tree) => Ok(tree.0),
        Err(err) => Err(syntax_error(text, &err)),
    }
}

fn syntax_error(text: &str, err: &serde_saphyr::Error) -> SyntaxError {
    let inner = err.without_snippet();
    let mut message = inner.to_string();
    // serde-saphyr appends " at line L, column C"; the finding shows the position itself.
    if let Some(i) = message.rfind(" at line ") {
        message.truncate(i);
    }
    let span = match inner.location() {
        Some(loc) => location_span(text, &loc),
        None => Span::at(0),
    };
    SyntaxError { message, span }
}

fn location_span(text: &str, loc: &serde_saphyr::Location) -> Span {
    let s = loc.span();
    if let (Some(off), Some(len)) = (s.byte_offset(), s.byte_len()) {
        let start = (off as usize).min(text.len());
        return Span::new(start, (start + len as usize).min(text.len()));
    }
    // Some errors carry only a line and column (character based).
    let line = loc.line().max(1) as usize;
    let col = loc.column().max(1) as usize;
    let mut offset = 0;
    for (i, l) in text.split_inclusive('\n').enumerate() {
        if i + 1 == line {
            let within = l.char_indices().nth(col - 1).map_or(l.len(), |(b, _)| b);
            return Span::at(offset + within);
        }
        offset += l.len();
    }
    Span::at(text.len())
}

/// The deserialization target: a node tree built from serde-saphyr's spanned values.
struct Tree(Node);

impl<'de> Deserialize<'de> for Tree {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = serde_saphyr::Spanned::<Inner>::deserialize(d)?;
        Ok(Tree(into_node(s)))
    }
}

fn into_node(s: serde_saphyr::Spanned<Inner>) -> Node {
    let span = {
        let sp = s.referenced.span();
        match (sp.byte_offset(), sp.byte_len()) {
            (Some(o), Some(l)) => Span::new(o as usize, o as usize + l as usize),
            _ => Span::at(0),
        }
    };
    Node {
        value: s.value.0,
        span,
    }
}

/// `Value` as deserialized, children wrapped in serde-saphyr's `Spanned`.
struct Inner(Value);

impl<'de> Deserialize<'de> for Inner {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(InnerVisitor)
    }
}

struct InnerVisitor;

impl<'de> Visitor<'de> for InnerVisitor {
    type Value = Inner;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_unit<E>(self) -> Result<Inner, E> {
        Ok(Inner(Value::Null))
    }
    fn visit_none<E>(self) -> Result<Inner, E> {
        Ok(Inner(Value::Null))
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Inner, D::Error> {
        Inner::deserialize(d)
    }
    fn visit_bool<E>(self, v: bool) -> Result<Inner, E> {
        Ok(Inner(Value::Bool(v)))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Inner, E> {
        Ok(Inner(Value::Int(v)))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Inner, E> {
        Ok(Inner(
            i64::try_from(v).map_or(Value::Float(v as f64), Value::Int),
        ))
    }
    fn visit_i128<E>(self, v: i128) -> Result<Inner, E> {
        Ok(Inner(
            i64::try_from(v).map_or(Value::Float(v as f64), Value::Int),
        ))
    }
    fn visit_u128<E>(self, v: u128) -> Result<Inner, E> {
        Ok(Inner(
            i64::try_from(v).map_or(Value::Float(v as f64), Value::Int),
        ))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Inner, E> {
        Ok(Inner(Value::Float(v)))
    }
    fn visit_str<E>(self, v: &str) -> Result<Inner, E> {
        Ok(Inner(Value::Str(v.to_owned())))
    }
    fn visit_string<E>(self, v: String) -> Result<Inner, E> {
        Ok(Inner(Value::Str(v)))
    }
    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<Inner, E> {
        Ok(Inner(Value::Str(String::from_utf8_lossy(v).into_owned())))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut a: A) -> Result<Inner, A::Error> {
        let mut items = Vec::new();
        while let Some(x) = a.next_element::<serde_saphyr::Spanned<Inner>>()? {
            items.push(into_node(x));
        }
        Ok(Inner(Value::Seq(items)))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut a: A) -> Result<Inner, A::Error> {
        let mut entries = Vec::new();
        while let Some(k) = a.next_key::<serde_saphyr::Spanned<Inner>>()? {
            let v = a.next_value::<serde_saphyr::Spanned<Inner>>()?;
            entries.push((into_node(k), into_node(v)));
        }
        Ok(Inner(Value::Map(entries)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn duplicate_keys_reach_the_tree() {
        let n = parse("a: 1\na: 2\n").expect("valid YAML");
        let Value::Map(entries) = n.value else {
            panic!("not a map")
        };
        assert_eq!(entries.len(), 2);
        assert_eq!(entries[1].0.span, Span::new(5, 6));
    }

    #[test]
    fn syntax_errors_have_a_position() {
        let e = parse("a: [1, 2\nb: 3\n").expect_err("invalid YAML");
        assert!(e.span.start > 0, "{e:?}");
    }

    #[test]
    fn alias_bombs_stop_at_the_budget() {
        let mut s = String::from("a: &a [x,x,x,x,x,x,x,x,x]\n");
        for i in 1..12u8 {
            let (p, c) = ((b'a' + i - 1) as char, (b'a' + i) as char);
            s.push_str(&format!(
                "{c}: &{c} [*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p}]\n"
            ));
        }
        // 9^12 nodes if expanded: an error means the budget stopped the expansion early.
        let e = parse(&s).expect_err("the alias budget stops the bomb");
        assert!(
            e.message.contains("budget breached"),
            "the error names the cause: {}",
            e.message
        );
    }
}

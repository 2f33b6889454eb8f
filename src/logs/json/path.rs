//! Paths into JSON documents: `data.messages[]`, `entry[].changes[].value.messages[]`,
//! `targets[2]`, `$parent.id`, `*.entry[].changes[].value.{messages,statuses}[]`,
//! `$parent.users[id=author_id].name`.
//!
//! A path is a list of steps: a key of an object (`author`), an index into an array (`[2]`),
//! `[]`, every element of an array, `*`, every value of an object, or `{a,b}`, each of these keys
//! an object has, in the object's order. A records path names where the records of a document are, and
//! may iterate several arrays; [`Path::records`] walks it and gives each element with the JSON path
//! it was found at (`entry[0].changes[1].value.messages[3]`, for messages that name it) and the
//! objects it sits in. A field path names a value inside one record and iterates nothing; it may
//! start with `$parent.` (repeated to go further up), which reads from the object that encloses the
//! record: the nearest object on the way from the document's root to the record, arrays not
//! counted (for `[].delexed[]`, a conversation of the list; for `data.messages[]`, `data`). A
//! field path may also pick, from an array, the element whose key equals a field of the record
//! (`[id=author_id]`): APIs list the users a page mentions once, beside the records that name
//! them by id (Zendesk's sideloads), and this reads the author's name or role from there.

use std::fmt;

use super::doc::{JsonContainerTrait, JsonValueTrait, Object, Record, Value, ValueRef};

/// One step of a path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    Key(String),
    Index(usize),
    /// Every element of an array.
    Each,
    /// Each of these keys an object has, in the object's order (`{messages,statuses}`): records
    /// of several kinds that sit side by side, read in document order.
    AnyOf(Vec<String>),
    /// Every value of an object (`*`), in its order: documents keyed by name.
    Values,
    /// The first element of an array whose `key` equals the record's own `field`
    /// (`[id=author_id]`), in field paths.
    Match {
        key: String,
        field: String,
    },
}

/// A parsed path.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Path {
    /// How many `$parent.` the path starts with.
    pub up: usize,
    pub steps: Vec<Step>,
}

/// Why a path does not parse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct PathError(pub String);

impl Path {
    /// Parses `a.b[].c[2]`, with any number of `$parent.` in front; the empty path is the
    /// document (or record) itself.
    pub fn parse(text: &str) -> Result<Path, PathError> {
        let mut rest = text.trim();
        let mut up = 0;
        while let Some(r) = rest.strip_prefix("$parent") {
            up += 1;
            rest = match r.strip_prefix('.') {
                Some(r) => r,
                None if r.is_empty() || r.starts_with('[') => r,
                None => {
                    return Err(PathError(format!(
                        "`{text}`: `$parent` must be followed by `.`"
                    )));
                }
            };
        }
        let mut steps = Vec::new();
        for part in rest.split('.') {
            if part.is_empty() {
                if rest.is_empty() {
                    continue;
                }
                return Err(PathError(format!(
                    "`{text}`: an empty key (two dots, or a dot at an end)"
                )));
            }
            parse_part(part, text, &mut steps)?;
        }
        Ok(Path { up, steps })
    }

    /// Whether the path iterates an array or an object (`[]`, `*`, `{a,b}`): records paths do,
    /// field paths do not.
    pub fn iterates(&self) -> bool {
        self.steps
            .iter()
            .any(|s| matches!(s, Step::Each | Step::AnyOf(_) | Step::Values))
    }

    /// [`Path::get_in`] for a record given as a value: reads its keys for this one lookup, so the
    /// readers, which look a record up many times, call `get_in` with the record read once.
    #[cfg(test)]
    pub fn get<'v>(&self, record: &'v Value, parents: &[&'v Value]) -> Option<&'v Value> {
        self.get_in(&Record::new(record), parents)
    }

    /// The value at this path inside `record`, whose enclosing objects are `parents` (nearest
    /// last); `None` when a step finds nothing.
    pub fn get_in<'v>(&self, record: &Record<'v>, parents: &[&'v Value]) -> Option<&'v Value> {
        let (start, steps) = match (self.up, self.steps.split_first()) {
            (0, Some((Step::Key(k), rest))) => (record.get(k)?, rest),
            (0, _) => (record.value(), &self.steps[..]),
            (n, _) => (
                *parents.get(parents.len().checked_sub(n)?)?,
                &self.steps[..],
            ),
        };
        steps.iter().try_fold(start, |v, step| match step {
            Step::Key(k) => v.as_object()?.get(k),
            Step::Index(i) => v.as_array()?.get(*i),
            Step::Match { key, field } => {
                let wanted = record.get(field)?;
                v.as_array()?
                    .iter()
                    .find(|e| e.get(key).is_some_and(|k| same_id(k, wanted)))
            }
            Step::Each | Step::AnyOf(_) | Step::Values => None,
        })
    }

    /// Every element this records path leads to in `doc`, in document order. When it leads to
    /// none because a step found nothing, `miss` says where and what was expected there.
    pub fn records<'v>(&self, doc: &'v Value) -> Walk<'v> {
        let mut walk = Walk::default();
        let mut parents = Vec::new();
        let mut at = String::new();
        self.descend(doc, 0, &mut at, &mut parents, &mut walk);
        walk
    }

    fn descend<'v>(
        &self,
        v: &'v Value,
        step: usize,
        at: &mut String,
        parents: &mut Vec<&'v Value>,
        walk: &mut Walk<'v>,
    ) {
        let Some(s) = self.steps.get(step) else {
            walk.found.push(Element {
                value: v,
                at: if at.is_empty() {
                    "$".into()
                } else {
                    at.clone()
                },
                parents: parents.clone(),
            });
            return;
        };
        let len = at.len();
        let pushed = v.is_object();
        if pushed {
            parents.push(v);
        }
        match (s, v.as_ref()) {
            (Step::Key(k), ValueRef::Object(o)) if o.contains_key(k) => {
                if !at.is_empty() {
                    at.push('.');
                }
                at.push_str(k);
                if let Some(next) = o.get(k) {
                    self.descend(next, step + 1, at, parents, walk);
                }
            }
            (Step::Index(i), ValueRef::Array(a)) if *i < a.len() => {
                push_index(at, *i);
                self.descend(&a[*i], step + 1, at, parents, walk);
            }
            (Step::Each, ValueRef::Array(a)) => {
                for (i, e) in a.iter().enumerate() {
                    push_index(at, i);
                    self.descend(e, step + 1, at, parents, walk);
                    at.truncate(len);
                }
            }
            (Step::AnyOf(keys), ValueRef::Object(o)) if keys.iter().any(|k| o.contains_key(k)) => {
                let chosen = o.iter().filter(|(k, _)| keys.iter().any(|key| key == k));
                self.each_value(chosen, step, at, parents, walk);
            }
            (Step::Values, ValueRef::Object(o)) if !o.is_empty() => {
                self.each_value(o.iter(), step, at, parents, walk);
            }
            _ => {
                if walk.miss.is_none() {
                    walk.miss = Some(Miss {
                        at: if at.is_empty() {
                            "$".into()
                        } else {
                            at.clone()
                        },
                        expected: expected(s),
                        found: shape(v),
                    });
                }
            }
        }
        at.truncate(len);
        if pushed {
            parents.pop();
        }
    }
}

impl Path {
    /// Descends into each `(key, value)` of an object in turn.
    fn each_value<'v>(
        &self,
        entries: impl Iterator<Item = (&'v str, &'v Value)>,
        step: usize,
        at: &mut String,
        parents: &mut Vec<&'v Value>,
        walk: &mut Walk<'v>,
    ) {
        let len = at.len();
        for (k, next) in entries {
            if !at.is_empty() {
                at.push('.');
            }
            at.push_str(k);
            self.descend(next, step + 1, at, parents, walk);
            at.truncate(len);
        }
    }
}

/// Appends `[i]` to a JSON path. Every element of a records path gets one, so this spares the
/// formatting machinery.
fn push_index(at: &mut String, i: usize) {
    let mut digits = [0u8; 20];
    let mut n = i;
    let mut start = digits.len();
    loop {
        start -= 1;
        digits[start] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    at.push('[');
    // ASCII digits are one byte each.
    digits[start..].iter().for_each(|&d| at.push(char::from(d)));
    at.push(']');
}

/// Whether two ids are the same: equal values, or a number and a string of its digits (one API
/// writes `901`, another `"901"`).
fn same_id(a: &Value, b: &Value) -> bool {
    match (a.as_ref(), b.as_ref()) {
        (ValueRef::Number(n), ValueRef::String(s)) | (ValueRef::String(s), ValueRef::Number(n)) => {
            n.to_string() == s
        }
        _ => a == b && !a.is_null(),
    }
}

/// One step's text: `key`, `key[]`, `key[2]`, `[]`, `[0][]`, `*`, `{a,b}[]`, `key[id=field]`.
fn parse_part(part: &str, text: &str, steps: &mut Vec<Step>) -> Result<(), PathError> {
    let (key, mut brackets) = match part.find('[') {
        Some(i) => (&part[..i], &part[i..]),
        None => (part, ""),
    };
    if key == "*" {
        steps.push(Step::Values);
    } else if let Some(keys) = key.strip_prefix('{').and_then(|k| k.strip_suffix('}')) {
        let keys: Vec<String> = keys.split(',').map(|k| k.trim().to_owned()).collect();
        if keys.iter().any(String::is_empty) {
            return Err(PathError(format!("`{text}`: an empty key in `{key}`")));
        }
        steps.push(Step::AnyOf(keys));
    } else if !key.is_empty() {
        steps.push(Step::Key(key.to_owned()));
    }
    while !brackets.is_empty() {
        let close = brackets
            .find(']')
            .filter(|_| brackets.starts_with('['))
            .ok_or_else(|| PathError(format!("`{text}`: `[` without its `]` in `{part}`")))?;
        let inside = &brackets[1..close];
        if inside.is_empty() {
            steps.push(Step::Each);
        } else if let Some((key, field)) = inside.split_once('=') {
            let (key, field) = (key.trim(), field.trim());
            if key.is_empty() || field.is_empty() {
                return Err(PathError(format!(
                    "`{text}`: `[{inside}]` needs a key and a field of the record, as in `[id=author_id]`"
                )));
            }
            steps.push(Step::Match {
                key: key.to_owned(),
                field: field.to_owned(),
            });
        } else {
            let i = inside.parse().map_err(|_| {
                PathError(format!(
                    "`{text}`: `[{inside}]` is neither `[]` (every element) nor an index such as `[0]`"
                ))
            })?;
            steps.push(Step::Index(i));
        }
        brackets = &brackets[close + 1..];
    }
    Ok(())
}

fn expected(s: &Step) -> String {
    match s {
        Step::Key(k) => format!("an object with the key `{k}`"),
        Step::Index(i) => format!("an array with an element [{i}]"),
        Step::Each => "an array".into(),
        Step::AnyOf(keys) => format!("an object with one of the keys `{}`", keys.join("`, `")),
        Step::Values => "an object with values".into(),
        Step::Match { key, field } => {
            format!("an array with an element whose `{key}` is the record's `{field}`")
        }
    }
}

/// A value's shape in words, for messages: `an object with keys a, b`, `an array of 3 values`.
pub fn shape(v: &Value) -> String {
    match v.as_ref() {
        ValueRef::Null => "null".into(),
        ValueRef::Bool(_) => "a boolean".into(),
        ValueRef::Number(_) => "a number".into(),
        ValueRef::String(_) => "a string".into(),
        ValueRef::Array(a) => {
            let objects = a.iter().filter(|e| e.is_object()).count();
            match a.first().and_then(|f| f.as_object()) {
                Some(o) if objects == a.len() => {
                    format!("an array of {} objects with keys {}", a.len(), keys(o))
                }
                _ => format!("an array of {} values", a.len()),
            }
        }
        ValueRef::Object(o) if o.is_empty() => "an empty object".into(),
        ValueRef::Object(o) => format!("an object with keys {}", keys(o)),
    }
}

/// The first keys of an object, for messages.
fn keys(o: &Object) -> String {
    let mut shown: Vec<&str> = o.iter().take(12).map(|(k, _)| k).collect();
    if o.len() > shown.len() {
        shown.push("…");
    }
    shown.join(", ")
}

/// What a records path found.
#[derive(Debug, Default)]
pub struct Walk<'v> {
    pub found: Vec<Element<'v>>,
    /// The first place a step found nothing.
    pub miss: Option<Miss>,
}

/// Where a path found nothing, and what it expected there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Miss {
    pub at: String,
    pub expected: String,
    pub found: String,
}

/// One element of a records path.
#[derive(Debug, Clone)]
pub struct Element<'v> {
    pub value: &'v Value,
    /// Its JSON path: `entry[0].changes[1].value.messages[3]`, `$` for the document itself.
    pub at: String,
    /// The objects it sits in, from the root; the nearest last.
    pub parents: Vec<&'v Value>,
}

impl fmt::Display for Path {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for _ in 0..self.up {
            f.write_str("$parent.")?;
        }
        let mut first = true;
        for s in &self.steps {
            match s {
                Step::Key(k) => {
                    if !first {
                        f.write_str(".")?;
                    }
                    f.write_str(k)?;
                }
                Step::Index(i) => write!(f, "[{i}]")?,
                Step::Each => f.write_str("[]")?,
                Step::AnyOf(keys) => {
                    if !first {
                        f.write_str(".")?;
                    }
                    write!(f, "{{{}}}", keys.join(","))?;
                }
                Step::Values => f.write_str(if first { "*" } else { ".*" })?,
                Step::Match { key, field } => write!(f, "[{key}={field}]")?,
            }
            first = false;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::logs::json::doc::json;

    fn p(s: &str) -> Path {
        Path::parse(s).expect("a path")
    }

    #[test]
    fn indexes_are_written_in_decimal() {
        for i in [0, 7, 10, 99, 12345, usize::MAX] {
            let mut at = String::from("a");
            push_index(&mut at, i);
            assert_eq!(at, format!("a[{i}]"));
        }
    }

    #[test]
    fn paths_parse_and_print_back() {
        for s in [
            "data.messages[]",
            "entry[].changes[].value.messages[]",
            "[].delexed[]",
            "targets[3][0]",
            "*.entry[].changes[].value.{messages,statuses}[]",
            "$parent.$parent.id",
            "[]",
            "$parent.users[id=author_id].name",
        ] {
            assert_eq!(p(s).to_string(), s);
        }
        assert_eq!(p("$parent.$parent.id").up, 2);
        assert!(Path::parse("a..b").is_err());
        assert!(Path::parse("a[x]").is_err());
        assert!(Path::parse("a[").is_err());
        assert!(Path::parse("$parentx").is_err());
        assert!(Path::parse("users[=author_id]").is_err());
        assert!(Path::parse("users[id=]").is_err());
    }

    #[test]
    fn an_element_is_picked_by_a_field_of_the_record() {
        let doc = json!({"comments": [{"author_id": 901}, {"author_id": "7001"}, {"author_id": 5}, {}],
            "users": [{"id": 7001, "name": "Carla"}, {"id": 901, "name": "Ines"}]});
        let walk = p("comments[]").records(&doc);
        let name = p("$parent.users[id=author_id].name");
        let names: Vec<_> = walk
            .found
            .iter()
            .map(|e| name.get(e.value, &e.parents))
            .collect();
        assert_eq!(
            names,
            [Some(&json!("Ines")), Some(&json!("Carla")), None, None]
        );
        assert!(!name.iterates());
    }

    #[test]
    fn records_carry_their_json_path_and_parents() {
        let doc = json!({"entry": [{"id": "e0", "changes": [
            {"value": {"messages": [{"t": 1}]}},
            {"value": {"statuses": [{}]}},
            {"value": {"messages": [{"t": 2}, {"t": 3}]}}
        ]}]});
        let walk = p("entry[].changes[].value.messages[]").records(&doc);
        let at: Vec<&str> = walk.found.iter().map(|e| e.at.as_str()).collect();
        assert_eq!(
            at,
            [
                "entry[0].changes[0].value.messages[0]",
                "entry[0].changes[2].value.messages[0]",
                "entry[0].changes[2].value.messages[1]"
            ]
        );
        let e = &walk.found[2];
        assert_eq!(p("t").get(e.value, &e.parents), Some(&json!(3)));
        assert_eq!(
            p("$parent.$parent.$parent.id").get(e.value, &e.parents),
            Some(&json!("e0"))
        );
        assert_eq!(
            p("$parent.messages[0].t").get(e.value, &e.parents),
            Some(&json!(2))
        );
        assert_eq!(
            walk.miss.map(|m| m.at),
            Some("entry[0].changes[1].value".to_owned())
        );
    }

    #[test]
    fn a_path_that_leads_nowhere_says_what_it_found() {
        let doc = json!({"items": []});
        let walk = p("data.messages[]").records(&doc);
        assert!(walk.found.is_empty());
        let miss = walk.miss.expect("a miss");
        assert_eq!(miss.at, "$");
        assert_eq!(miss.expected, "an object with the key `data`");
        assert_eq!(miss.found, "an object with keys items");
        let doc = json!([{"a": 1}, {"a": 2}]);
        let walk = p("[]").records(&doc);
        assert_eq!(walk.found[1].at, "[1]");
        assert_eq!(
            shape(&json!([{"a": 1}, {"a": 2}])),
            "an array of 2 objects with keys a"
        );
    }

    #[test]
    fn several_keys_and_object_values_are_walked_in_document_order() {
        let doc = json!({"one": {"v": {"statuses": [{"n": 1}], "messages": [{"n": 2}, {"n": 3}]}},
                         "two": {"v": {"errors": [{"n": 4}], "messages": [{"n": 5}]}}});
        let walk = p("*.v.{messages,statuses}[]").records(&doc);
        let at: Vec<_> = walk.found.iter().map(|e| e.at.as_str()).collect();
        assert_eq!(
            at,
            [
                "one.v.statuses[0]",
                "one.v.messages[0]",
                "one.v.messages[1]",
                "two.v.messages[0]"
            ]
        );
        let walk = p("*.v.{replies}[]").records(&doc);
        assert!(walk.found.is_empty());
        assert_eq!(
            walk.miss.map(|m| m.expected),
            Some("an object with one of the keys `replies`".to_owned())
        );
        assert!(Path::parse("a.{x,}[]").is_err());
    }
}

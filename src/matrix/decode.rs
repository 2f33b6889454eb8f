//! The spanned YAML tree to [`RawMatrix`], recording every structural problem on the way.
//!
//! Decoding never stops early: an unknown key, a value of the wrong type or a repeated key is
//! recorded as a [`Problem`] and the field is left out, and the rest of the file is still decoded
//! so that lint can report everything in one run. Problems are turned into findings by the checks
//! that own them (E002 schema, E011 duplicate-id).

use crate::matrix::raw::*;
use crate::matrix::yaml::{Node, Value};
use crate::source::Span;

/// A structural problem found while decoding.
#[derive(Debug, Clone, PartialEq)]
pub enum Problem {
    /// A key that the format does not have here.
    UnknownKey {
        key: String,
        span: Span,
        within: &'static str,
        known: &'static [&'static str],
    },
    /// A value of the wrong kind.
    WrongType {
        span: Span,
        what: String,
        expected: &'static str,
        found: &'static str,
    },
    /// A required key that is absent; `span` is where it should go (the parent's key).
    Missing {
        key: &'static str,
        within: String,
        span: Span,
    },
    /// A value not among the allowed words (`pii: [iban]`).
    UnknownValue {
        value: String,
        span: Span,
        what: &'static str,
        known: &'static [&'static str],
    },
    /// A collection that must not be empty (`lanes: {}`).
    NoEntries { span: Span, what: &'static str },
    /// The document is empty.
    EmptyFile { span: Span },
    /// A key written twice in one mapping; `first` is the first copy.
    DuplicateKey {
        key: String,
        span: Span,
        first: Span,
    },
}

pub const MATRIX_KEYS: &[&str] = &[
    "version", "name", "settings", "context", "lanes", "triggers", "lint",
];
pub const SETTINGS_KEYS: &[&str] = &[
    "service_window",
    "window_warning",
    "fallback_intents",
    "healthy_escalation_rate",
    "trap",
];
pub const TRAP_KEYS: &[&str] = &[
    "optout_phrases",
    "fallback_streak",
    "repeats",
    "grace_bot_turns",
];
pub const LANE_KEYS: &[&str] = &["title", "priority", "target", "sla", "requires", "handoff"];
pub const SLA_KEYS: &[&str] = &["first_response"];
pub const HANDOFF_KEYS: &[&str] = &["message", "agent", "eta"];
pub const TRIGGER_KEYS: &[&str] = &["id", "lane", "when"];
pub const CONDITION_KEYS: &[&str] = &[
    "keywords",
    "regex",
    "intents",
    "confidence_below",
    "sentiment_below",
    "pii",
    "repeats",
    "fallbacks",
    "bot_turns",
    "elapsed",
    "segment",
    "any",
    "all",
    "not",
];
pub const LINT_KEYS: &[&str] = &["allow", "deny", "warn"];
pub const PII_KINDS: &[&str] = &["card", "email", "phone"];

/// Decodes a parsed document. Always returns a matrix (possibly with everything `None`).
pub fn decode(root: &Node, source: &str) -> (RawMatrix, Vec<Problem>) {
    let mut d = Decoder {
        source,
        problems: Vec::new(),
    };
    let m = d.matrix(root);
    (m, d.problems)
}

struct Decoder<'s> {
    source: &'s str,
    problems: Vec<Problem>,
}

/// A mapping's entries after duplicate keys were reported, keyed by their text.
struct Entries<'n> {
    items: Vec<(Spanned<String>, &'n Node)>,
}

impl<'n> Entries<'n> {
    fn get(&self, key: &str) -> Option<(&Spanned<String>, &'n Node)> {
        self.items
            .iter()
            .find(|(k, _)| k.value == key)
            .map(|(k, n)| (k, *n))
    }
}

impl Decoder<'_> {
    fn wrong(&mut self, node: &Node, what: impl Into<String>, expected: &'static str) {
        self.problems.push(Problem::WrongType {
            span: node.span,
            what: what.into(),
            expected,
            found: node.value.kind(),
        });
    }

    /// The text of a scalar as written: YAML may have typed `yes` or `2024` as something else,
    /// but where the format wants a string the user meant the characters on the page.
    fn text_of(&self, node: &Node) -> Option<String> {
        match &node.value {
            Value::Str(s) => Some(s.clone()),
            Value::Int(_) | Value::Float(_) | Value::Bool(_) => {
                let raw = self
                    .source
                    .get(node.span.start..node.span.end)
                    .unwrap_or("")
                    .trim();
                Some(if raw.is_empty() {
                    node.scalar_text().unwrap_or_default()
                } else {
                    raw.to_owned()
                })
            }
            _ => None,
        }
    }

    fn entries<'n>(&mut self, node: &'n Node, what: &str) -> Option<Entries<'n>> {
        let Value::Map(pairs) = &node.value else {
            self.wrong(node, what, "a mapping");
            return None;
        };
        let mut items: Vec<(Spanned<String>, &'n Node)> = Vec::with_capacity(pairs.len());
        for (k, v) in pairs {
            let Some(key) = self.text_of(k) else {
                self.wrong(k, format!("a key in {what}"), "a plain key");
                continue;
            };
            if let Some((first, _)) = items.iter().find(|(f, _)| f.value == key) {
                self.problems.push(Problem::DuplicateKey {
                    key,
                    span: k.span,
                    first: first.span,
                });
                continue;
            }
            items.push((Spanned::new(key, k.span, k.span), v));
        }
        Some(Entries { items })
    }

    /// A mapping with a fixed set of keys; unknown keys are reported.
    fn record<'n>(
        &mut self,
        node: &'n Node,
        what: &'static str,
        known: &'static [&'static str],
    ) -> Option<Entries<'n>> {
        let e = self.entries(node, what)?;
        for (k, _) in &e.items {
            if !known.contains(&k.value.as_str()) {
                self.problems.push(Problem::UnknownKey {
                    key: k.value.clone(),
                    span: k.span,
                    within: what,
                    known,
                });
            }
        }
        Some(e)
    }

    fn missing(&mut self, key: &'static str, within: impl Into<String>, span: Span) {
        self.problems.push(Problem::Missing {
            key,
            within: within.into(),
            span,
        });
    }

    fn string(
        &mut self,
        key: &Spanned<String>,
        node: &Node,
        what: &str,
    ) -> Option<Spanned<String>> {
        match self.text_of(node) {
            Some(s) => Some(Spanned::new(s, node.span, key.span)),
            None => {
                self.wrong(node, what, "a string");
                None
            }
        }
    }

    fn int(&mut self, key: &Spanned<String>, node: &Node, what: &str) -> Option<Spanned<i64>> {
        match &node.value {
            Value::Int(i) => Some(Spanned::new(*i, node.span, key.span)),
            Value::Float(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => {
                Some(Spanned::new(*f as i64, node.span, key.span))
            }
            _ => {
                self.wrong(node, what, "a whole number");
                None
            }
        }
    }

    fn float(&mut self, key: &Spanned<String>, node: &Node, what: &str) -> Option<Spanned<f64>> {
        match &node.value {
            Value::Int(i) => Some(Spanned::new(*i as f64, node.span, key.span)),
            // `.nan` and `.inf` are numbers to YAML; the range checks (E013) refuse them.
            Value::Float(f) => Some(Spanned::new(*f, node.span, key.span)),
            _ => {
                self.wrong(node, what, "a number");
                None
            }
        }
    }

    fn duration(
        &mut self,
        key: &Spanned<String>,
        node: &Node,
        what: &str,
    ) -> Option<Spanned<DurationText>> {
        match self.text_of(node) {
            Some(s) => Some(Spanned::new(DurationText(s), node.span, key.span)),
            None => {
                self.wrong(node, what, "a duration such as 90s, 5m or 1h30m");
                None
            }
        }
    }

    fn strings(
        &mut self,
        key: &Spanned<String>,
        node: &Node,
        what: &str,
    ) -> Option<Spanned<OneOrMany<String>>> {
        let items = match &node.value {
            Value::Seq(items) => items.iter().collect::<Vec<_>>(),
            Value::Str(_) | Value::Int(_) | Value::Float(_) | Value::Bool(_) => vec![node],
            _ => {
                self.wrong(node, what, "a list of strings");
                return None;
            }
        };
        let mut out = Vec::with_capacity(items.len());
        for item in items {
            match self.text_of(item) {
                Some(s) => out.push(Spanned::new(s, item.span, item.span)),
                None => self.wrong(item, format!("an item of {what}"), "a string"),
            }
        }
        Some(Spanned::new(OneOrMany(out), node.span, key.span))
    }

    fn matrix(&mut self, root: &Node) -> RawMatrix {
        let mut m = RawMatrix {
            triggers_key: Span::at(0),
            ..RawMatrix::default()
        };
        if matches!(root.value, Value::Null) {
            self.problems.push(Problem::EmptyFile { span: Span::at(0) });
            return m;
        }
        let Some(e) = self.record(root, "the matrix", MATRIX_KEYS) else {
            return m;
        };
        if let Some((k, n)) = e.get("version") {
            m.version = self.int(k, n, "version");
        } else {
            self.missing("version", "the matrix", Span::at(0));
        }
        if let Some((k, n)) = e.get("name") {
            m.name = self.string(k, n, "name");
        }
        if let Some((k, n)) = e.get("settings") {
            m.settings = self.settings(n).map(|s| Spanned::new(s, n.span, k.span));
        }
        if let Some((k, n)) = e.get("context") {
            m.context = self.context(n).map(|c| Spanned::new(c, n.span, k.span));
        }
        match e.get("lanes") {
            Some((k, n)) => {
                m.lanes = self.lanes(n).map(|l| Spanned::new(l, n.span, k.span));
                if m.lanes.as_ref().is_some_and(|l| l.value.is_empty()) {
                    self.problems.push(Problem::NoEntries {
                        span: k.span,
                        what: "lanes",
                    });
                }
            }
            None => self.missing("lanes", "the matrix", Span::at(0)),
        }
        match e.get("triggers") {
            Some((k, n)) => {
                m.triggers_key = k.span;
                m.triggers = self.triggers(n).map(|t| Spanned::new(t, n.span, k.span));
                if m.triggers.as_ref().is_some_and(|t| t.value.is_empty()) {
                    self.problems.push(Problem::NoEntries {
                        span: k.span,
                        what: "triggers",
                    });
                }
            }
            None => self.missing("triggers", "the matrix", Span::at(0)),
        }
        if let Some((k, n)) = e.get("lint") {
            m.lint = self.lint(n).map(|l| Spanned::new(l, n.span, k.span));
        }
        m
    }

    fn settings(&mut self, node: &Node) -> Option<RawSettings> {
        let e = self.record(node, "settings", SETTINGS_KEYS)?;
        let mut s = RawSettings::default();
        if let Some((k, n)) = e.get("service_window") {
            s.service_window = self.duration(k, n, "settings.service_window");
        }
        if let Some((k, n)) = e.get("window_warning") {
            s.window_warning = self.duration(k, n, "settings.window_warning");
        }
        if let Some((k, n)) = e.get("fallback_intents") {
            s.fallback_intents = self.strings(k, n, "settings.fallback_intents");
        }
        if let Some((k, n)) = e.get("healthy_escalation_rate") {
            match &n.value {
                Value::Seq(items) if items.len() == 2 => {
                    let mut band = Vec::new();
                    for item in items {
                        let item_key = Spanned::new(String::new(), item.span, item.span);
                        band.extend(self.float(
                            &item_key,
                            item,
                            "a bound of settings.healthy_escalation_rate",
                        ));
                    }
                    if band.len() == 2 {
                        s.healthy_escalation_rate = Some(Spanned::new(band, n.span, k.span));
                    }
                }
                _ => self.wrong(
                    n,
                    "settings.healthy_escalation_rate",
                    "a list of two rates, [low, high]",
                ),
            }
        }
        if let Some((k, n)) = e.get("trap") {
            s.trap = self.trap(n).map(|t| Spanned::new(t, n.span, k.span));
        }
        Some(s)
    }

    fn trap(&mut self, node: &Node) -> Option<RawTrap> {
        let e = self.record(node, "settings.trap", TRAP_KEYS)?;
        let mut t = RawTrap::default();
        if let Some((k, n)) = e.get("optout_phrases") {
            t.optout_phrases = self.strings(k, n, "settings.trap.optout_phrases");
        }
        if let Some((k, n)) = e.get("fallback_streak") {
            t.fallback_streak = self.int(k, n, "settings.trap.fallback_streak");
        }
        if let Some((k, n)) = e.get("repeats") {
            t.repeats = self.int(k, n, "settings.trap.repeats");
        }
        if let Some((k, n)) = e.get("grace_bot_turns") {
            t.grace_bot_turns = self.int(k, n, "settings.trap.grace_bot_turns");
        }
        Some(t)
    }

    fn context(&mut self, node: &Node) -> Option<Map<Spanned<String>>> {
        if matches!(node.value, Value::Null) {
            return Some(Map::default());
        }
        let e = self.entries(node, "context")?;
        let mut out = Vec::new();
        for (k, n) in e.items {
            let what = format!("context.{}", k.value);
            if let Some(v) = self.string(&k, n, &what) {
                out.push((k, v));
            }
        }
        Some(Map(out))
    }

    fn lanes(&mut self, node: &Node) -> Option<Map<Spanned<RawLane>>> {
        let e = self.entries(node, "lanes")?;
        let mut out = Vec::new();
        for (k, n) in e.items {
            if let Some(mut lane) = self.lane(&k, n) {
                lane.id = k.clone();
                out.push((k.clone(), Spanned::new(lane, n.span, k.span)));
            }
        }
        Some(Map(out))
    }

    fn lane(&mut self, id: &Spanned<String>, node: &Node) -> Option<RawLane> {
        let e = self.record(node, "a lane", LANE_KEYS)?;
        let within = format!("lane `{}`", id.value);
        let mut l = RawLane::default();
        if let Some((k, n)) = e.get("title") {
            l.title = self.string(k, n, format!("{within}: title").as_str());
        }
        match e.get("priority") {
            Some((k, n)) => l.priority = self.int(k, n, &format!("{within}: priority")),
            None => self.missing("priority", within.clone(), id.span),
        }
        if let Some((k, n)) = e.get("target") {
            l.target = self.string(k, n, &format!("{within}: target"));
        }
        if let Some((k, n)) = e.get("sla")
            && let Some(se) = self.record(n, "sla", SLA_KEYS)
        {
            let mut sla = RawSla::default();
            if let Some((fk, fnode)) = se.get("first_response") {
                sla.first_response =
                    self.duration(fk, fnode, &format!("{within}: sla.first_response"));
            }
            l.sla = Some(Spanned::new(sla, n.span, k.span));
        }
        if let Some((k, n)) = e.get("requires") {
            l.requires = if matches!(n.value, Value::Null) {
                Some(Spanned::new(OneOrMany(Vec::new()), n.span, k.span))
            } else {
                self.strings(k, n, &format!("{within}: requires"))
            };
        }
        match e.get("handoff") {
            Some((k, n)) => {
                if let Some(he) = self.record(n, "handoff", HANDOFF_KEYS) {
                    let mut h = RawHandoff::default();
                    match he.get("message") {
                        Some((mk, mn)) => {
                            h.message = self.string(mk, mn, &format!("{within}: handoff.message"))
                        }
                        None => self.missing("message", format!("{within}: handoff"), k.span),
                    }
                    if let Some((ak, an)) = he.get("agent") {
                        h.agent = self.string(ak, an, &format!("{within}: handoff.agent"));
                    }
                    if let Some((ek, en)) = he.get("eta") {
                        h.eta = self.string(ek, en, &format!("{within}: handoff.eta"));
                    }
                    l.handoff = Some(Spanned::new(h, n.span, k.span));
                }
            }
            None => self.missing("handoff", within, id.span),
        }
        Some(l)
    }

    fn triggers(&mut self, node: &Node) -> Option<Vec<Spanned<RawTrigger>>> {
        let Value::Seq(items) = &node.value else {
            self.wrong(node, "triggers", "a list of triggers");
            return None;
        };
        let mut out = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            if let Some(t) = self.trigger(item, i) {
                out.push(Spanned::new(t, item.span, item.span));
            }
        }
        Some(out)
    }

    fn trigger(&mut self, node: &Node, index: usize) -> Option<RawTrigger> {
        let e = self.record(node, "a trigger", TRIGGER_KEYS)?;
        let mut t = RawTrigger::default();
        let name = match e.get("id").and_then(|(_, n)| self.text_of(n)) {
            Some(id) => format!("trigger `{id}`"),
            None => format!("trigger #{}", index + 1),
        };
        match e.get("id") {
            Some((k, n)) => t.id = self.string(k, n, &format!("{name}: id")),
            None => self.missing("id", name.clone(), node.span),
        }
        match e.get("lane") {
            Some((k, n)) => t.lane = self.string(k, n, &format!("{name}: lane")),
            None => self.missing("lane", name.clone(), node.span),
        }
        match e.get("when") {
            Some((k, n)) => t.when = self.condition(k, n, &format!("{name}: when")),
            None => self.missing("when", name, node.span),
        }
        Some(t)
    }

    fn condition(
        &mut self,
        key: &Spanned<String>,
        node: &Node,
        what: &str,
    ) -> Option<Spanned<RawCondition>> {
        // `when:` with nothing after it is an empty condition (E017), not a type error.
        if matches!(node.value, Value::Null) {
            return Some(Spanned::new(RawCondition::default(), node.span, key.span));
        }
        let e = self.record(node, "a condition", CONDITION_KEYS)?;
        let mut c = RawCondition::default();
        for (k, n) in &e.items {
            let sub = format!("{what}.{}", k.value);
            match k.value.as_str() {
                "keywords" => c.keywords = self.strings(k, n, &sub),
                "regex" => c.regex = self.strings(k, n, &sub),
                "intents" => c.intents = self.strings(k, n, &sub),
                "confidence_below" => c.confidence_below = self.float(k, n, &sub),
                "sentiment_below" => c.sentiment_below = self.float(k, n, &sub),
                "pii" => c.pii = self.pii(k, n, &sub),
                "repeats" => c.repeats = self.int(k, n, &sub),
                "fallbacks" => c.fallbacks = self.int(k, n, &sub),
                "bot_turns" => c.bot_turns = self.int(k, n, &sub),
                "elapsed" => c.elapsed = self.duration(k, n, &sub),
                "segment" => c.segment = self.segment(k, n, &sub),
                "any" => c.any = self.conditions(k, n, &sub),
                "all" => c.all = self.conditions(k, n, &sub),
                "not" => {
                    c.not = self
                        .condition(k, n, &sub)
                        .map(|s| Spanned::new(Box::new(s.value), s.span, s.key))
                }
                _ => {} // reported as an unknown key by `record`
            }
        }
        Some(Spanned::new(c, node.span, key.span))
    }

    fn conditions(
        &mut self,
        key: &Spanned<String>,
        node: &Node,
        what: &str,
    ) -> Option<Spanned<Vec<Spanned<RawCondition>>>> {
        let Value::Seq(items) = &node.value else {
            if matches!(node.value, Value::Null) {
                return Some(Spanned::new(Vec::new(), node.span, key.span));
            }
            self.wrong(node, what, "a list of conditions");
            return None;
        };
        let mut out = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            let item_key = Spanned::new(String::new(), item.span, item.span);
            out.extend(self.condition(&item_key, item, &format!("{what}[{}]", i + 1)));
        }
        Some(Spanned::new(out, node.span, key.span))
    }

    fn pii(
        &mut self,
        key: &Spanned<String>,
        node: &Node,
        what: &str,
    ) -> Option<Spanned<OneOrMany<PiiKind>>> {
        let words = self.strings(key, node, what)?;
        let mut out = Vec::new();
        for w in words.value.0 {
            match PiiKind::ALL.iter().find(|(n, _)| *n == w.value) {
                Some((_, kind)) => out.push(Spanned::new(*kind, w.span, w.key)),
                None => self.problems.push(Problem::UnknownValue {
                    value: w.value.clone(),
                    span: w.span,
                    what: "pii kind",
                    known: PII_KINDS,
                }),
            }
        }
        Some(Spanned::new(OneOrMany(out), words.span, words.key))
    }

    fn segment(
        &mut self,
        key: &Spanned<String>,
        node: &Node,
        what: &str,
    ) -> Option<Spanned<Map<Spanned<OneOrMany<String>>>>> {
        let e = self.entries(node, what)?;
        let mut out = Vec::new();
        for (k, n) in e.items {
            let sub = format!("{what}.{}", k.value);
            if let Some(v) = self.strings(&k, n, &sub) {
                out.push((k, v));
            }
        }
        Some(Spanned::new(Map(out), node.span, key.span))
    }

    fn lint(&mut self, node: &Node) -> Option<RawLint> {
        let e = self.record(node, "lint", LINT_KEYS)?;
        let mut l = RawLint::default();
        if let Some((k, n)) = e.get("allow") {
            l.allow = self.strings(k, n, "lint.allow");
        }
        if let Some((k, n)) = e.get("deny") {
            l.deny = self.strings(k, n, "lint.deny");
        }
        if let Some((k, n)) = e.get("warn") {
            l.warn = self.strings(k, n, "lint.warn");
        }
        Some(l)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::matrix::yaml::parse;

    fn problems(src: &str) -> Vec<Problem> {
        decode(&parse(src).expect("yaml"), src).1
    }

    #[test]
    fn every_problem_is_collected() {
        let p = problems("version: 1\nlanez: {}\ntriggers: 3\nname: [x]\n");
        assert_eq!(p.len(), 4, "{p:#?}");
    }

    #[test]
    fn decoder_keys_match_the_schema() {
        let schema = crate::matrix::schema::schema();
        let props = |v: &serde_json::Value| -> Vec<String> {
            let mut k: Vec<String> = v["properties"]
                .as_object()
                .map(|o| o.keys().cloned().collect())
                .unwrap_or_default();
            k.sort();
            k
        };
        let sorted = |keys: &[&str]| {
            let mut k: Vec<String> = keys.iter().map(|s| s.to_string()).collect();
            k.sort();
            k
        };
        let defs = &schema["$defs"];
        assert_eq!(props(&schema), sorted(MATRIX_KEYS));
        assert_eq!(props(&defs["RawSettings"]), sorted(SETTINGS_KEYS));
        assert_eq!(props(&defs["RawTrap"]), sorted(TRAP_KEYS));
        assert_eq!(props(&defs["RawLane"]), sorted(LANE_KEYS));
        assert_eq!(props(&defs["RawSla"]), sorted(SLA_KEYS));
        let handoff = defs
            .get("RawHandoff")
            .unwrap_or(&defs["RawLane"]["properties"]["handoff"]);
        assert_eq!(props(handoff), sorted(HANDOFF_KEYS));
        assert_eq!(props(&defs["RawTrigger"]), sorted(TRIGGER_KEYS));
        assert_eq!(props(&defs["RawCondition"]), sorted(CONDITION_KEYS));
        assert_eq!(props(&defs["RawLint"]), sorted(LINT_KEYS));
    }
}

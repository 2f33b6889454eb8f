//! The stable lint codes: one enum, one line per check, never reused.
//!
//! The table below is the only place a code, its kebab-case name, its default severity and the file
//! of its check are written down. The explanation that `handoff rules CODE` prints is the `//!`
//! header of that file, read at compile time, so the documentation cannot drift from the check.

use std::fmt;

/// How serious a finding is once levels have been applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

macro_rules! codes {
    ($($code:ident => $name:literal, $sev:ident, $file:literal;)*) => {
        /// A lint check's stable code.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code { $($code),* }

        impl Code {
            /// Every code, in the order of the specification's table.
            pub const ALL: &'static [Code] = &[$(Code::$code),*];

            pub fn as_str(self) -> &'static str {
                match self { $(Code::$code => stringify!($code)),* }
            }

            /// The kebab-case name (`unknown-lane`).
            pub fn name(self) -> &'static str {
                match self { $(Code::$code => $name),* }
            }

            /// The severity a finding has unless a lint level changes it.
            pub fn default_severity(self) -> Severity {
                match self { $(Code::$code => Severity::$sev),* }
            }

            /// The source of the check's file, whose `//!` header is the explanation.
            fn source(self) -> &'static str {
                match self { $(Code::$code => include_str!(concat!("checks/", $file))),* }
            }
        }
    };
}

codes! {
    E001 => "yaml-syntax", Error, "yaml_syntax.rs";
    E002 => "schema", Error, "schema.rs";
    E003 => "unsupported-version", Error, "unsupported_version.rs";
    E010 => "unknown-lane", Error, "unknown_lane.rs";
    E011 => "duplicate-id", Error, "duplicate_id.rs";
    E012 => "invalid-regex", Error, "invalid_regex.rs";
    E013 => "out-of-range", Error, "out_of_range.rs";
    E014 => "invalid-duration", Error, "invalid_duration.rs";
    E015 => "unknown-placeholder", Error, "unknown_placeholder.rs";
    E016 => "unknown-context-field", Error, "unknown_context_field.rs";
    E017 => "empty-condition", Error, "empty_condition.rs";
    E018 => "message-too-long", Error, "message_too_long.rs";
    E019 => "sla-beyond-window", Error, "sla_beyond_window.rs";
    E020 => "reserved-context-field", Error, "reserved_context_field.rs";
    W101 => "no-escape-hatch", Warning, "no_escape_hatch.rs";
    W102 => "gated-escape-hatch", Warning, "gated_escape_hatch.rs";
    W103 => "no-loop-breaker", Warning, "no_loop_breaker.rs";
    W104 => "no-confidence-floor", Warning, "no_confidence_floor.rs";
    W105 => "cold-handoff-message", Warning, "cold_handoff_message.rs";
    W106 => "anonymous-handoff", Warning, "anonymous_handoff.rs";
    W107 => "unreachable-lane", Warning, "unreachable_lane.rs";
    W108 => "shadowed-trigger", Warning, "shadowed_trigger.rs";
    W109 => "priority-tie", Warning, "priority_tie.rs";
    W110 => "conflicting-keywords", Warning, "conflicting_keywords.rs";
    W111 => "broad-keyword", Warning, "broad_keyword.rs";
    W112 => "compliance-not-first", Warning, "compliance_not_first.rs";
    W113 => "missing-sla", Warning, "missing_sla.rs";
    W114 => "no-handoff-payload", Warning, "no_handoff_payload.rs";
    W115 => "unused-context-field", Warning, "unused_context_field.rs";
    W116 => "narrow-escape-hatch", Warning, "narrow_escape_hatch.rs";
}

/// The sections every explanation has, in this order.
pub const SECTIONS: [&str; 4] = ["What it does", "Why it matters", "Example", "How to fix"];

impl Code {
    /// Looks a code up by its code (`W111`, any case) or its name (`broad-keyword`).
    pub fn parse(s: &str) -> Option<Code> {
        let s = s.trim();
        Code::ALL
            .iter()
            .copied()
            .find(|c| c.as_str().eq_ignore_ascii_case(s) || c.name() == s)
    }

    /// The explanation: the `//!` header of the check's file, without the comment markers.
    pub fn explanation(self) -> String {
        let mut out = String::new();
        for line in self.source().lines() {
            let Some(rest) = line.strip_prefix("//!") else {
                break;
            };
            out.push_str(rest.strip_prefix(' ').unwrap_or(rest));
            out.push('\n');
        }
        let mut out = out.trim().to_owned();
        if self == Code::W116 {
            // The corpus is data, not prose: its size and examples are counted, not written down.
            out.push_str("\n\n");
            out.push_str(crate::lint::corpus::summary().trim_end());
        }
        out
    }

    /// The first paragraph of "What it does", on one line.
    pub fn what_it_does(self) -> String {
        let text = self.explanation();
        let body = text.split("## What it does").nth(1).unwrap_or("");
        let para = body.trim_start().split("\n\n").next().unwrap_or("");
        para.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    /// One line saying when the check fires: the paragraph under the title.
    pub fn summary(self) -> String {
        let text = self.explanation();
        let para = text.split("\n\n").nth(1).unwrap_or("");
        para.split_whitespace().collect::<Vec<_>>().join(" ")
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn codes_and_names_are_unique() {
        let codes: HashSet<_> = Code::ALL.iter().map(|c| c.as_str()).collect();
        let names: HashSet<_> = Code::ALL.iter().map(|c| c.name()).collect();
        assert_eq!(codes.len(), Code::ALL.len());
        assert_eq!(names.len(), Code::ALL.len());
        assert_eq!(Code::ALL.len(), 30);
    }

    #[test]
    fn every_explanation_has_its_sections_in_order() {
        for code in Code::ALL {
            let text = code.explanation();
            let title = format!("# {} {}", code.as_str(), code.name());
            assert!(
                text.starts_with(&title),
                "{code}: explanation must start with `{title}`"
            );
            let mut at = 0;
            for section in SECTIONS {
                let heading = format!("## {section}");
                let found = text[at..].find(&heading);
                assert!(
                    found.is_some(),
                    "{code}: section `{section}` missing or out of order"
                );
                let start = at + found.unwrap_or(0) + heading.len();
                let body = text[start..].split("\n## ").next().unwrap_or("");
                assert!(
                    body.trim().len() > 20,
                    "{code}: section `{section}` is too thin"
                );
                at = start;
            }
            assert!(
                code.summary().starts_with("Fires when "),
                "{code}: a one-line summary under the title"
            );
        }
    }

    #[test]
    fn parse_accepts_codes_and_names() {
        assert_eq!(Code::parse("w111"), Some(Code::W111));
        assert_eq!(Code::parse("broad-keyword"), Some(Code::W111));
        assert_eq!(Code::parse("W999"), None);
    }
}

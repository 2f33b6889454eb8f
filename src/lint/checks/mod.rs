//! The lint checks, one per file; each file's `//!` header is what `handoff rules CODE` prints.

pub mod anonymous_handoff;
pub mod broad_keyword;
pub mod cold_handoff_message;
pub mod compliance_not_first;
pub mod conflicting_keywords;
pub mod duplicate_id;
pub mod empty_condition;
pub mod gated_escape_hatch;
pub mod invalid_duration;
pub mod invalid_regex;
pub mod message_too_long;
pub mod missing_sla;
pub mod narrow_escape_hatch;
pub mod no_confidence_floor;
pub mod no_escape_hatch;
pub mod no_handoff_payload;
pub mod no_loop_breaker;
pub mod out_of_range;
pub mod priority_tie;
pub mod reserved_context_field;
pub mod schema;
pub mod shadowed_trigger;
pub mod sla_beyond_window;
pub mod unknown_context_field;
pub mod unknown_lane;
pub mod unknown_placeholder;
pub mod unreachable_lane;
pub mod unsupported_version;
pub mod unused_context_field;
pub mod yaml_syntax;

use crate::lint::Check;

/// Every check, in the order of their codes.
pub static ALL: &[&dyn Check] = &[
    &yaml_syntax::YamlSyntax,
    &schema::Schema,
    &unsupported_version::UnsupportedVersion,
    &unknown_lane::UnknownLane,
    &duplicate_id::DuplicateId,
    &invalid_regex::InvalidRegex,
    &out_of_range::OutOfRange,
    &invalid_duration::InvalidDuration,
    &unknown_placeholder::UnknownPlaceholder,
    &unknown_context_field::UnknownContextField,
    &empty_condition::EmptyCondition,
    &message_too_long::MessageTooLong,
    &sla_beyond_window::SlaBeyondWindow,
    &reserved_context_field::ReservedContextField,
    &no_escape_hatch::NoEscapeHatch,
    &gated_escape_hatch::GatedEscapeHatch,
    &no_loop_breaker::NoLoopBreaker,
    &no_confidence_floor::NoConfidenceFloor,
    &cold_handoff_message::ColdHandoffMessage,
    &anonymous_handoff::AnonymousHandoff,
    &unreachable_lane::UnreachableLane,
    &shadowed_trigger::ShadowedTrigger,
    &priority_tie::PriorityTie,
    &conflicting_keywords::ConflictingKeywords,
    &broad_keyword::BroadKeyword,
    &compliance_not_first::ComplianceNotFirst,
    &missing_sla::MissingSla,
    &no_handoff_payload::NoHandoffPayload,
    &unused_context_field::UnusedContextField,
    &narrow_escape_hatch::NarrowEscapeHatch,
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::Code;

    #[test]
    fn one_check_per_code() {
        let codes: Vec<Code> = ALL.iter().map(|c| c.code()).collect();
        assert_eq!(codes, Code::ALL.to_vec());
    }
}

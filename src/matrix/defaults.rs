//! The defaults of SPEC section 2: what a matrix means where it leaves a setting out.
//!
//! The validated model fills them in, and lint reasons with the same values about a file that has
//! not been validated yet (an escape hatch is judged against the default opt-out phrases, an SLA
//! against the default service window). Both take them from here, so the two cannot drift apart.

/// `settings.service_window`: WhatsApp's customer-service window, 24h, in seconds.
pub const SERVICE_WINDOW: u64 = 24 * 3600;

/// `settings.window_warning`: 20h, in seconds.
pub const WINDOW_WARNING: u64 = 20 * 3600;

/// `settings.fallback_intents`.
pub const FALLBACK_INTENTS: [&str; 1] = ["nlu_fallback"];

/// `settings.healthy_escalation_rate`: the low and high end of the band.
pub const HEALTHY_ESCALATION_RATE: (f64, f64) = (0.05, 0.20);

/// `settings.trap.optout_phrases`.
pub const OPTOUT_PHRASES: [&str; 5] = [
    "human",
    "agent",
    "real person",
    "speak to someone",
    "representative",
];

/// `settings.trap.fallback_streak`.
pub const FALLBACK_STREAK: u32 = 2;

/// `settings.trap.repeats`.
pub const REPEATS: u32 = 2;

/// `settings.trap.grace_bot_turns`.
pub const GRACE_BOT_TURNS: u32 = 1;

/// [`FALLBACK_INTENTS`] as the model holds them.
pub fn fallback_intents() -> Vec<String> {
    owned(&FALLBACK_INTENTS)
}

/// [`OPTOUT_PHRASES`] as the model and lint hold them.
pub fn optout_phrases() -> Vec<String> {
    owned(&OPTOUT_PHRASES)
}

fn owned(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| (*s).to_owned()).collect()
}

//! Deterministic sample-data generator for `handoff`.
//!
//! It writes synthetic conversation logs of a retail WhatsApp support line (the "Koravi" shop that
//! `rules/whatsapp-retail.yaml` was written for) in the input formats handoff reads (SPEC
//! section 3): canonical JSONL, a helpdesk-style CSV export whose platform column names
//! `samples/handoff.toml` maps to the canonical fields, WhatsApp "Export chat" text files in
//! four real layouts, and Intercom conversations with their parts (the `intercom` profile), one
//! conversation a line. The data exists so that `replay`, `explain`, `diff` and the benchmarks have
//! something realistic to chew on: FAQ traffic the bot handles, explicit opt-outs, bot loops,
//! repeated questions, billing, churn, technical and legal cases, pasted card numbers, VIPs,
//! human takeovers, QA labels that mostly (not always) agree with the matrix, and webhook
//! redeliveries.
//!
//! ```text
//! cargo run --release --example generate -- --out samples/retail-2026-10.jsonl
//! cargo run --release --example generate -- --format csv --conversations 400 --seed 7 \
//!     --out samples/helpdesk-export.csv
//! cargo run --release --example generate -- --format whatsapp --conversations 4 --seed 11 \
//!     --out samples/whatsapp
//! cargo run --release --example generate -- --bytes 1G --interleave 64 --out /tmp/big.jsonl.gz
//! cargo run --release --example generate -- --format intercom --bytes 200M --out /tmp/intercom.jsonl
//! ```
//!
//! Same arguments, same bytes, on every machine and Rust version: the PRNG is implemented here
//! (xoshiro256** seeded through SplitMix64), every decision uses integer arithmetic, time zones
//! come from a fixed rule rather than the host's tz database, and each conversation draws from its
//! own stream derived from (seed, sequence number), so `--interleave` reorders records without
//! changing them. Output streams through a `BufWriter` one conversation at a time, so memory stays
//! flat however large `--bytes` is.

use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::{Parser, ValueEnum};
use flate2::Compression;
use flate2::write::GzEncoder;
use handoff::logs::time::days_from_civil;

/// The bot's display name in WhatsApp exports; `samples/handoff.toml` lists it under `bots`.
const BOT_NAME: &str = "Koravi Assistant";
/// Conversations are spread over this many days from `--start`.
const SPAN_DAYS: i64 = 31;
/// Messages per conversation at most (webhook redeliveries come on top): optional steps are
/// skipped when they would not fit, and a longer script is cut.
const MAX_MESSAGES: usize = 12;
/// Conversations per calibration run when `--bytes` has to guess how many conversations fit.
const CALIBRATION: u64 = 400;

// ------------------------------------------------------------------------------------------------
// Command line
// ------------------------------------------------------------------------------------------------

#[derive(Parser)]
#[command(
    name = "generate",
    about = "Write deterministic sample conversation logs for handoff (JSONL, CSV or WhatsApp exports)",
    long_about = "Write deterministic sample conversation logs of a retail WhatsApp support line, \
for handoff's replay, explain, diff and benchmarks. The same arguments always give the same bytes.\n\n\
jsonl: canonical message records (SPEC section 3), one per line.\n\
csv: a helpdesk-style export (ticket_id, created_at, sender_type, message_body, ...); \
samples/handoff.toml maps its columns. Timestamps are Europe/Madrid local time without an offset.\n\
whatsapp: one \"Export chat\" .txt per conversation in --out DIR, cycling through four layouts \
(Android 24-hour, iOS, Android with 4-digit years, Android US 12-hour).\n\n\
intercom: one Intercom conversation a line, as Retrieve a conversation returns it (source, \
conversation_parts with HTML bodies, assignments to teams named by the matrix's lanes, closes, \
internal notes); read it with --input-format intercom.",
    after_help = "Examples:\n  \
cargo run --release --example generate -- --out samples/retail-2026-10.jsonl\n  \
cargo run --release --example generate -- --format csv --conversations 400 --seed 7 --out samples/helpdesk-export.csv\n  \
cargo run --release --example generate -- --format whatsapp --conversations 4 --seed 11 --out samples/whatsapp\n  \
cargo run --release --example generate -- --bytes 1G --interleave 64 --out big.jsonl.gz"
)]
struct Args {
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Jsonl)]
    format: Format,
    /// Number of conversations [default: 3000].
    #[arg(long, conflicts_with = "bytes", value_parser = parse_count)]
    conversations: Option<u64>,
    /// Generate conversations until the output reaches about this size (uncompressed); accepts
    /// K, M and G suffixes (powers of 1000), e.g. 200M, 1G.
    #[arg(long, value_parser = parse_bytes)]
    bytes: Option<u64>,
    /// Seed of the pseudo-random generator.
    #[arg(long, default_value_t = 2026)]
    seed: u64,
    /// First day (YYYY-MM-DD); conversations spread over 31 days from it.
    #[arg(long, default_value = "2026-10-01", value_parser = parse_start)]
    start: Day,
    /// Interleave the messages of K concurrent conversations instead of writing each one
    /// contiguously (jsonl and csv only).
    #[arg(long, value_name = "K", value_parser = parse_interleave)]
    interleave: Option<usize>,
    /// Output file, `-` for stdout (a name ending in .gz is gzip-compressed); for whatsapp, the
    /// directory that receives one .txt per conversation.
    #[arg(long, default_value = "-")]
    out: String,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    Jsonl,
    Csv,
    Whatsapp,
    Intercom,
}

/// A civil date, as days since 1970-01-01 plus its year and month for conversation ids.
#[derive(Clone, Copy)]
struct Day {
    days: i64,
    year: i32,
    month: i8,
}

fn parse_count(s: &str) -> Result<u64, String> {
    match s.trim().parse::<u64>() {
        Ok(0) => Err("must be at least 1".into()),
        Ok(n) => Ok(n),
        Err(_) => Err(format!("`{s}` is not a whole number")),
    }
}

fn parse_bytes(s: &str) -> Result<u64, String> {
    let t = s.trim();
    let t = t.strip_suffix(['B', 'b']).unwrap_or(t);
    let (digits, unit) = match t.char_indices().last() {
        Some((i, c)) if c.is_ascii_alphabetic() => (&t[..i], c.to_ascii_uppercase()),
        _ => (t, ' '),
    };
    let factor: u64 = match unit {
        ' ' => 1,
        'K' => 1_000,
        'M' => 1_000_000,
        'G' => 1_000_000_000,
        _ => return Err(format!("`{s}`: unknown unit (use K, M or G)")),
    };
    let n: u64 = digits
        .parse()
        .map_err(|_| format!("`{s}` is not a size like 200000000, 200M or 1G"))?;
    match n.checked_mul(factor) {
        Some(0) => Err("must be at least 1".into()),
        Some(b) => Ok(b),
        None => Err(format!("`{s}` is too large")),
    }
}

fn parse_start(s: &str) -> Result<Day, String> {
    let date: jiff::civil::Date = s
        .trim()
        .parse()
        .map_err(|e| format!("`{s}` is not a date like 2026-10-01 ({e})"))?;
    // The fixed summer-time rule and the digit formatting below assume four-digit years.
    if !(1971..=9990).contains(&date.year()) {
        return Err(format!("`{s}`: the year must be between 1971 and 9990"));
    }
    Ok(Day {
        days: days_from_civil(date.year().into(), date.month().into(), date.day().into()),
        year: date.year().into(),
        month: date.month(),
    })
}

fn parse_interleave(s: &str) -> Result<usize, String> {
    match s.trim().parse::<usize>() {
        Ok(k) if (1..=100_000).contains(&k) => Ok(k),
        _ => Err(format!("`{s}`: K must be a whole number from 1 to 100000")),
    }
}

// ------------------------------------------------------------------------------------------------
// Pseudo-random numbers
// ------------------------------------------------------------------------------------------------

/// SplitMix64's output function: a bijection on u64, so distinct inputs give distinct outputs
/// (which is what makes message ids unique without a set).
fn mix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// xoshiro256**, seeded through SplitMix64 as its authors recommend.
struct Rng {
    s: [u64; 4],
}

impl Rng {
    fn new(seed: u64) -> Rng {
        let mut state = seed;
        let mut s = [0u64; 4];
        for word in &mut s {
            state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
            *word = mix64(state);
        }
        Rng { s }
    }

    fn next(&mut self) -> u64 {
        let result = self.s[1].wrapping_mul(5).rotate_left(7).wrapping_mul(9);
        let t = self.s[1] << 17;
        self.s[2] ^= self.s[0];
        self.s[3] ^= self.s[1];
        self.s[1] ^= self.s[2];
        self.s[0] ^= self.s[3];
        self.s[2] ^= t;
        self.s[3] = self.s[3].rotate_left(45);
        result
    }

    /// Uniform in 0..n (multiply-shift: integer only, bias below 2^-40 for our n).
    fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next()) * u128::from(n)) >> 64) as u64
    }

    /// Uniform in lo..=hi.
    fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + self.below((hi - lo + 1) as u64) as i64
    }

    /// True with probability per_mille / 1000.
    fn chance(&mut self, per_mille: u64) -> bool {
        self.below(1000) < per_mille
    }

    fn pick<T: Copy>(&mut self, xs: &[T]) -> T {
        xs[self.below(xs.len() as u64) as usize]
    }

    fn weighted<T: Copy>(&mut self, xs: &[(u64, T)]) -> T {
        let total: u64 = xs.iter().map(|x| x.0).sum();
        let mut r = self.below(total);
        for &(w, v) in xs {
            if r < w {
                return v;
            }
            r -= w;
        }
        xs[xs.len() - 1].1
    }
}

// ------------------------------------------------------------------------------------------------
// Calendar and clock
// ------------------------------------------------------------------------------------------------

/// The inverse of `days_from_civil`: (year, month, day).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (
        if m <= 2 {
            yoe + era * 400 + 1
        } else {
            yoe + era * 400
        },
        m,
        d,
    )
}

/// Monday = 0 … Sunday = 6.
fn weekday(days: i64) -> i64 {
    (days + 3).rem_euclid(7)
}

/// Broken-down civil time of a second count.
struct Civil {
    year: i64,
    month: u32,
    day: u32,
    hour: u32,
    minute: u32,
    second: u32,
}

fn civil(secs: i64) -> Civil {
    let (year, month, day) = civil_from_days(secs.div_euclid(86_400));
    let rem = secs.rem_euclid(86_400) as u32;
    Civil {
        year,
        month,
        day,
        hour: rem / 3600,
        minute: rem / 60 % 60,
        second: rem % 60,
    }
}

/// Local time of the shop (Europe/Madrid), the zone `samples/handoff.toml` declares. The EU
/// summer-time rule (in force since 1996: +02:00 from the last Sunday of March to the last Sunday of
/// October, switching at 01:00 UTC) is computed here rather than read from a tz database, so the
/// output cannot depend on the host's tzdata version.
struct Madrid {
    /// The UTC seconds of the year the summer-time bounds were computed for.
    year: (i64, i64),
    summer: (i64, i64),
}

impl Madrid {
    fn new() -> Madrid {
        Madrid {
            year: (0, 0),
            summer: (0, 0),
        }
    }

    fn local(&mut self, utc: i64) -> i64 {
        // Only recompute the switch instants when the year changes (called once per record).
        if !(self.year.0..self.year.1).contains(&utc) {
            let year = civil(utc).year;
            let last_sunday = |month: i64| {
                let last = days_from_civil(year, month, 31);
                last - (weekday(last) + 1) % 7
            };
            self.year = (
                days_from_civil(year, 1, 1) * 86_400,
                days_from_civil(year + 1, 1, 1) * 86_400,
            );
            self.summer = (
                last_sunday(3) * 86_400 + 3600,
                last_sunday(10) * 86_400 + 3600,
            );
        }
        let offset = if (self.summer.0..self.summer.1).contains(&utc) {
            7200
        } else {
            3600
        };
        utc + offset
    }
}

/// When conversations start: a month-long intensity curve (quiet nights, a late-morning and an
/// evening peak, calmer weekends) turned into start times by its inverse cumulative distribution,
/// so conversation i of n starts at the (i + jitter)/n quantile and starts are in order.
struct Timeline {
    start_utc: i64,
    /// Cumulative weight-seconds at the start of each hourly bucket (one extra at the end).
    cumulative: Vec<u128>,
    weights: Vec<u128>,
    expected: u64,
}

/// Relative contact volume per local hour (0 … 23).
const HOUR_WEIGHT: [u128; 24] = [
    3, 2, 1, 1, 1, 2, 4, 8, 14, 19, 22, 23, 21, 19, 18, 18, 19, 20, 22, 23, 20, 15, 10, 5,
];
/// Relative volume per weekday, Monday first.
const DAY_WEIGHT: [u128; 7] = [11, 10, 10, 10, 10, 9, 7];

impl Timeline {
    fn new(start: Day, expected: u64) -> Timeline {
        // Local midnight of the first day; one hour of slack is enough to pick the right offset.
        let local_midnight = start.days * 86_400;
        let offset = Madrid::new().local(local_midnight - 7200) - (local_midnight - 7200);
        let hours = (SPAN_DAYS * 24) as usize;
        let mut cumulative = Vec::with_capacity(hours + 1);
        let mut weights = Vec::with_capacity(hours);
        let mut total = 0u128;
        for h in 0..hours {
            let w =
                HOUR_WEIGHT[h % 24] * DAY_WEIGHT[weekday(start.days + (h / 24) as i64) as usize];
            cumulative.push(total);
            weights.push(w);
            total += w * 3600;
        }
        cumulative.push(total);
        Timeline {
            start_utc: local_midnight - offset,
            cumulative,
            weights,
            expected: expected.max(1),
        }
    }

    /// Start time (UTC seconds) of conversation `seq`, jittered by `frac` (0 … 2^32). With
    /// `--bytes` more conversations than expected may be needed: those continue into the
    /// following 31-day periods.
    fn start_of(&self, seq: u64, frac: u64) -> i64 {
        let period = (seq / self.expected) as i64;
        let i = u128::from(seq % self.expected);
        let total = self.cumulative[self.cumulative.len() - 1];
        let t = ((i << 32) + u128::from(frac)) * total / (u128::from(self.expected) << 32);
        let bucket = match self.cumulative.binary_search(&t) {
            Ok(b) => b,
            Err(b) => b - 1,
        }
        .min(self.weights.len() - 1);
        let within = ((t - self.cumulative[bucket]) / self.weights[bucket]).min(3599) as i64;
        self.start_utc + period * SPAN_DAYS * 86_400 + bucket as i64 * 3600 + within
    }
}

// ------------------------------------------------------------------------------------------------
// The data model
// ------------------------------------------------------------------------------------------------

#[derive(Clone, Copy, PartialEq, Eq)]
enum Role {
    Customer,
    Bot,
    Agent,
    System,
}

impl Role {
    /// The canonical role name (JSONL) and the Intercom-style alias a helpdesk export uses (CSV;
    /// SPEC section 3 lists `user` and `admin` among the aliases).
    fn names(self) -> (&'static str, &'static str) {
        match self {
            Role::Customer => ("customer", "user"),
            Role::Bot => ("bot", "bot"),
            Role::Agent => ("agent", "admin"),
            Role::System => ("system", "system"),
        }
    }
}

/// The lanes of `rules/whatsapp-retail.yaml`.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Lane {
    Compliance,
    Vip,
    Billing,
    Retention,
    Technical,
    Recovery,
}

impl Lane {
    fn id(self) -> &'static str {
        match self {
            Lane::Compliance => "compliance",
            Lane::Vip => "vip",
            Lane::Billing => "billing",
            Lane::Retention => "retention",
            Lane::Technical => "technical",
            Lane::Recovery => "recovery",
        }
    }

    /// The agent the matrix names for the lane: first name in JSONL/CSV, display name in exports.
    fn agent(self) -> (&'static str, &'static str) {
        match self {
            Lane::Compliance => ("Meera", "Meera (Koravi)"),
            Lane::Vip => ("Daniel", "Daniel (Koravi)"),
            Lane::Billing => ("Priya", "Priya (Koravi)"),
            Lane::Retention => ("Tomás", "Tomás (Koravi)"),
            Lane::Technical => ("Lena", "Lena (Koravi)"),
            Lane::Recovery => ("Anita", "Anita (Koravi)"),
        }
    }

    fn title(self) -> &'static str {
        match self {
            Lane::Compliance => "Legal & Compliance",
            Lane::Vip => "VIP pod",
            Lane::Billing => "Revenue protection",
            Lane::Retention => "Retention desk",
            Lane::Technical => "Technical L2",
            Lane::Recovery => "Customer recovery",
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Event {
    Assign(Lane),
    Resolved,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Tier {
    Standard,
    Vip,
    Enterprise,
}

impl Tier {
    fn id(self) -> &'static str {
        match self {
            Tier::Standard => "standard",
            Tier::Vip => "vip",
            Tier::Enterprise => "enterprise",
        }
    }
}

/// The four WhatsApp export layouts the generator writes.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Layout {
    /// `14/10/26, 09:05 - Name: text`, with a deleted message.
    Android24,
    /// `[14/10/26, 09:05:12] Name: text`, CRLF line ends, U+200E before attachments and system
    /// lines, a `~ ` author prefix.
    Ios,
    /// `14/10/2026, 09:05 - Name: text`, with multi-line messages and `<Media omitted>`.
    AndroidLong,
    /// `10/14/26, 9:05 AM - Name: text` with U+202F before AM/PM and an edited message.
    AndroidUs,
}

#[derive(Clone)]
struct Msg {
    ts: i64,
    role: Role,
    text: String,
    intent: Option<&'static str>,
    /// Hundredths.
    confidence: Option<u8>,
    /// Hundredths, -100 … 100.
    sentiment: Option<i8>,
    fallback: bool,
    event: Option<Event>,
    /// The agent who wrote it (agent messages only).
    agent: Option<Lane>,
    /// Key of the message id; a webhook redelivery copies it.
    id: u64,
    /// This record carries `customer_name` and `segment`.
    profile: bool,
    /// This record carries `expected_lane`.
    label: bool,
}

struct Conversation {
    seq: u64,
    id: String,
    name: Option<String>,
    phone: String,
    tier: Tier,
    /// The QA label: `Some(None)` is "none" (the bot should keep it).
    label: Option<Option<Lane>>,
    layout: Layout,
    msgs: Vec<Msg>,
}

impl Conversation {
    fn new() -> Conversation {
        Conversation {
            seq: 0,
            id: String::new(),
            name: None,
            phone: String::new(),
            tier: Tier::Standard,
            label: None,
            layout: Layout::Android24,
            msgs: Vec::new(),
        }
    }
}

// ------------------------------------------------------------------------------------------------
// Text banks. Customer texts that are not meant to escalate avoid every keyword and regex of the
// matrix (human, agent, refund, urgent, right now, gdpr, …) so the scenario decides the outcome.
// ------------------------------------------------------------------------------------------------

const FIRST_NAMES: &[(&str, &str)] = &[
    ("María", "maria"),
    ("Lucía", "lucia"),
    ("Carmen", "carmen"),
    ("Javier", "javier"),
    ("Pablo", "pablo"),
    ("Sofía", "sofia"),
    ("Emma", "emma"),
    ("Olivia", "olivia"),
    ("Liam", "liam"),
    ("Noah", "noah"),
    ("Aisha", "aisha"),
    ("Fatima", "fatima"),
    ("Mohammed", "mohammed"),
    ("Wei", "wei"),
    ("Priyanka", "priyanka"),
    ("Arjun", "arjun"),
    ("Lars", "lars"),
    ("Ingrid", "ingrid"),
    ("Giulia", "giulia"),
    ("Marco", "marco"),
    ("Chloé", "chloe"),
    ("Lucas", "lucas"),
    ("Hannah", "hannah"),
    ("Tom", "tom"),
    ("James", "james"),
    ("Sarah", "sarah"),
    ("Laura", "laura"),
    ("Ana", "ana"),
    ("Diego", "diego"),
    ("Elena", "elena"),
    ("Hugo", "hugo"),
    ("Irene", "irene"),
    ("Jorge", "jorge"),
    ("Kenji", "kenji"),
    ("Yuki", "yuki"),
    ("Amara", "amara"),
    ("Nadia", "nadia"),
    ("Omar", "omar"),
    ("Rosa", "rosa"),
    ("Sven", "sven"),
    ("Zoe", "zoe"),
    ("Ben", "ben"),
    ("Claire", "claire"),
    ("Dmitri", "dmitri"),
    ("Eva", "eva"),
    ("Felix", "felix"),
    ("Grace", "grace"),
    ("Isabel", "isabel"),
    ("Jack", "jack"),
    ("Kate", "kate"),
    ("Leo", "leo"),
    ("Mia", "mia"),
    ("Nina", "nina"),
    ("Oscar", "oscar"),
    ("Paula", "paula"),
    ("Rafael", "rafael"),
    ("Sam", "sam"),
    ("Chidi", "chidi"),
    ("Siobhan", "siobhan"),
    ("Mateo", "mateo"),
];

const LAST_NAMES: &[(&str, &str)] = &[
    ("García", "garcia"),
    ("Fernández", "fernandez"),
    ("López", "lopez"),
    ("Martínez", "martinez"),
    ("Sánchez", "sanchez"),
    ("Pérez", "perez"),
    ("Gómez", "gomez"),
    ("Smith", "smith"),
    ("Johnson", "johnson"),
    ("Brown", "brown"),
    ("Taylor", "taylor"),
    ("Wilson", "wilson"),
    ("Müller", "mueller"),
    ("Schmidt", "schmidt"),
    ("Rossi", "rossi"),
    ("Bianchi", "bianchi"),
    ("Dubois", "dubois"),
    ("Martin", "martin"),
    ("Silva", "silva"),
    ("Santos", "santos"),
    ("Kowalski", "kowalski"),
    ("Nowak", "nowak"),
    ("Jansen", "jansen"),
    ("de Vries", "devries"),
    ("Nielsen", "nielsen"),
    ("Hansen", "hansen"),
    ("Okafor", "okafor"),
    ("Adeyemi", "adeyemi"),
    ("Khan", "khan"),
    ("Patel", "patel"),
    ("Singh", "singh"),
    ("Kim", "kim"),
    ("Park", "park"),
    ("Nguyen", "nguyen"),
    ("Tanaka", "tanaka"),
    ("O'Brien", "obrien"),
    ("Murphy", "murphy"),
    ("Walsh", "walsh"),
    ("Costa", "costa"),
    ("Ferreira", "ferreira"),
];

const MAIL_DOMAINS: &[&str] = &[
    "gmail.com",
    "outlook.com",
    "yahoo.es",
    "hotmail.com",
    "icloud.com",
    "proton.me",
    "gmx.de",
];

const PRODUCTS: &[&str] = &[
    "black running shoes",
    "linen shirt",
    "wireless earbuds",
    "ceramic mug set",
    "denim jacket",
    "yoga mat",
    "desk lamp",
    "kids' raincoat",
    "leather wallet",
    "cushion covers",
    "bluetooth speaker",
    "wool scarf",
    "air fryer",
    "hiking backpack",
    "bed sheets",
    "winter coat",
    "phone case",
    "coffee grinder",
    "summer dress",
    "chino trousers",
    "bath towels",
    "smartwatch strap",
    "toaster",
    "trail sneakers",
    "knitted jumper",
    "frying pan",
    "sunglasses",
    "floor lamp",
    "gym leggings",
    "travel mug",
];

const CITIES: &[&str] = &[
    "Madrid",
    "Barcelona",
    "Valencia",
    "Seville",
    "Bilbao",
    "Málaga",
    "Zaragoza",
    "Lisbon",
    "Porto",
    "Lyon",
    "Toulouse",
    "Dublin",
    "Manchester",
    "Rotterdam",
    "Munich",
    "Milan",
    "Granada",
    "Alicante",
    "Palma",
    "Valladolid",
];

const COURIERS: &[&str] = &["SEUR", "DHL", "GLS", "UPS", "Correos Express", "DPD"];

const DAYS: &[&str] = &[
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
];

const DEVICES: &[&str] = &[
    "iPhone 13",
    "iPhone 15",
    "Samsung Galaxy S23",
    "Pixel 7",
    "Xiaomi Redmi Note 12",
    "iPad Air",
];

const VERSIONS: &[&str] = &["5.1.2", "5.2.0", "5.2.1", "5.0.9"];

/// Luhn-valid test card numbers in the ways people paste them, and two typos that fail Luhn (the
/// matrix's `pii: [card]` must not fire on those).
const CARDS: &[&str] = &[
    "4111 1111 1111 1111",
    "4111-1111-1111-1111",
    "5555555555554444",
    "4012 8888 8888 1881",
    "3782 822463 10005",
    "6011 1111 1111 1117",
];
const CARD_TYPOS: &[&str] = &["4111 1111 1111 1112", "5555 5555 5555 4445"];

const GREETINGS: &[&str] = &[
    "hi",
    "Hi",
    "hello",
    "Hello!",
    "hey",
    "Hi there",
    "good morning",
    "Good afternoon",
    "hiya",
    "Hey Koravi",
    "Hi, hope you're well",
    "Good evening",
];

const BOT_WELCOME: &[&str] = &[
    "Hi {first}! 👋 I'm Koravi's virtual assistant. How can I help you today?",
    "Hello {first}, welcome to Koravi support. What can I do for you?",
    "Hi {first}! Ask me about your order, delivery, returns or our stores.",
];

#[derive(Clone, Copy, PartialEq, Eq)]
enum Topic {
    OrderStatus,
    Shipping,
    Hours,
    Returns,
}

impl Topic {
    fn intent(self) -> &'static str {
        match self {
            Topic::OrderStatus => "order_status",
            Topic::Shipping => "shipping_info",
            Topic::Hours => "opening_hours",
            Topic::Returns => "returns_policy",
        }
    }

    fn questions(self) -> &'static [&'static str] {
        match self {
            Topic::OrderStatus => ORDER_Q_NO_NUMBER,
            Topic::Shipping => SHIPPING_Q,
            Topic::Hours => HOURS_Q,
            Topic::Returns => RETURNS_Q,
        }
    }

    fn answers(self) -> &'static [&'static str] {
        match self {
            Topic::OrderStatus => BOT_ORDER_STATUS,
            Topic::Shipping => BOT_SHIPPING,
            Topic::Hours => BOT_HOURS,
            Topic::Returns => BOT_RETURNS,
        }
    }

    /// Badly worded versions of the question, which the NLU labels with low confidence.
    fn mumbled(self) -> &'static [&'static str] {
        match self {
            Topic::OrderStatus => &["the parcel thing, when", "my stuff from last week??"],
            Topic::Shipping => &["delivery {city} how much", "send to {city} ok?"],
            Topic::Hours => &["sunday open or", "shop {city} times"],
            Topic::Returns => &["send back stuff how", "the {product} doesnt fit what now"],
        }
    }

    /// How the customer restates the question when the bot answered the wrong one.
    fn clarified(self) -> &'static str {
        match self {
            Topic::OrderStatus => "no, I mean when will my order arrive",
            Topic::Shipping => "no, I asked how much delivery to {city} costs",
            Topic::Hours => "no, I meant the opening hours of the {city} store",
            Topic::Returns => "no, I want to know how to return something",
        }
    }
}

/// The first two greet, so a follow-up question ("also, …") skips them.
const ORDER_Q_WITH_NUMBER: &[&str] = &[
    "Hi, where's my order #{order}?",
    "hello, I'm waiting for order number {order}, the {product}. Any news?",
    "any update on order {order}? it was supposed to arrive {day}",
    "Tracking for order #{order} hasn't moved in 3 days",
    "When will order #{order} arrive?",
    "has order {order} shipped yet?",
    "Order no. {order} still says 'processing', is that normal?",
    "what's happening with order #{order}",
];

const ORDER_Q_NO_NUMBER: &[&str] = &[
    "where is my order?",
    "my parcel still hasn't arrived",
    "has my {product} shipped yet?",
    "I ordered a {product} last week and haven't heard anything",
    "when will my package arrive?",
    "can you check my delivery status please",
    "Hi, I'm waiting for a {product}, when does it come?",
];

const BOT_ASK_ORDER: &[&str] = &[
    "I can check that for you! What's your order number? You'll find it in your confirmation e-mail (5 digits).",
    "Sure, could you send me the order number?",
    "Happy to help. Which order is it? Please send me the order number.",
];

const GIVE_ORDER: &[&str] = &[
    "it's {order}",
    "#{order}",
    "order {order}",
    "Order number {order}",
    "{order}",
    "sure, order #{order}",
    "here: order no. {order}",
];

const BOT_ORDER_STATUS: &[&str] = &[
    "Order #{order} left our {city} warehouse on {day} with {courier}. Tracking number: KV{tracking}. It should arrive by {day2}.",
    "Good news! Order #{order} is out for delivery today 🚚 The driver usually arrives before 8 pm.",
    "Order #{order} is being packed and will ship within 24 hours. You'll get the tracking link here on WhatsApp.",
    "Order #{order} was handed to {courier} yesterday. Expected delivery: {day2}. You can follow it at koravi.com/track.",
    "I can see order #{order} ({product}) is at the {city} sorting centre. Delivery is planned for {day2}.",
];

// The FAQ questions and the bot's answers are aligned: answer i answers question i.
const SHIPPING_Q: &[&str] = &[
    "how much is shipping to {city}?",
    "do you deliver to {city}?",
    "how long does delivery take to {city}?",
    "Is shipping free?",
    "can I change the delivery address for my order?",
    "Do you offer express delivery?",
    "can I pick up my order in the {city} store?",
    "which courier do you use?",
];

const BOT_SHIPPING: &[&str] = &[
    "Standard delivery to {city} takes 2–4 working days and costs €3.95. It's free on orders over €50.",
    "Yes, we deliver to {city}! Standard delivery takes 2–4 working days; express (next working day) is €6.95.",
    "Standard delivery to {city} takes 2–4 working days. Order before 2 pm for next-day express delivery.",
    "Shipping is free on orders over €50; below that, standard delivery costs €3.95.",
    "You can change the address until the order ships: open koravi.com/orders, pick the order and tap \"Edit address\".",
    "Yes! Express delivery (next working day) is €6.95 if you order before 2 pm.",
    "Click & collect is free: choose the {city} store at checkout and we'll message you when it's ready.",
    "We ship with {courier}, and you'll get a tracking link on WhatsApp as soon as your parcel leaves the warehouse.",
];

const HOURS_Q: &[&str] = &[
    "what time do you open?",
    "Are you open on Sunday?",
    "what are the opening hours of the {city} store?",
    "is the {city} shop open today?",
    "until what time is the store open tonight?",
    "Opening hours on bank holidays?",
];

const BOT_HOURS: &[&str] = &[
    "Most stores open at 10:00 Monday to Saturday and at 11:00 on Sundays.",
    "Yes: on Sundays the {city} store is open 11:00–19:00.",
    "Our {city} store is open Monday to Saturday, 10:00–21:00, and Sunday 11:00–19:00.",
    "The {city} store is open today until 21:00. This WhatsApp line answers 24/7.",
    "Stores close at 21:00 tonight (19:00 on Sundays).",
    "On bank holidays the {city} store opens 11:00–19:00, like on Sundays.",
];

const RETURNS_Q: &[&str] = &[
    "how do I return an item?",
    "can I exchange my {product} for a bigger size?",
    "what's your return policy?",
    "I want to return the {product}, it doesn't fit",
    "do I have to pay for return shipping?",
    "How many days do I have to send something back?",
    "can I return an online order in the {city} store?",
];

const BOT_RETURNS: &[&str] = &[
    "You can return anything within 30 days. Go to koravi.com/returns, enter your order number and print the free label.",
    "Exchanges are free: start one at koravi.com/returns and pick the new size. We ship it as soon as {courier} collects the old one.",
    "Returns are free within 30 days, by courier or in any store (including {city}). The money goes back to your original payment method within 5 working days.",
    "Sorry it doesn't fit! Start the return at koravi.com/returns (the label is free), or take it to any store within 30 days.",
    "No, returns are free: print the label at koravi.com/returns or bring the item to any store.",
    "You have 30 days from delivery to send anything back.",
    "Yes, you can return online orders in any store, including {city}, within 30 days.",
];

/// Return questions that mention a refund: the bot answers them, but the matrix's billing keyword
/// fires (a realistic over-escalation for the QA labels to expose).
const RETURNS_Q_REFUND: &[&str] = &[
    "how long does the refund take after I send the {product} back?",
    "When do I get my refund for a return?",
];

const BOT_REFUND_TIMING: &str = "The money goes back to your original payment method within 5 working days of the return reaching our warehouse.";

const FOLLOW_UP: &[&str] = &["ok and ", "one more thing: ", "also, ", "And "];

const THANKS: &[(&str, &str)] = &[
    ("thanks!", "thank_you"),
    ("great, thank you", "thank_you"),
    ("perfect 👍", "thank_you"),
    ("ok thanks", "thank_you"),
    ("that's all, thank you", "goodbye"),
    ("cheers", "thank_you"),
    ("Thank you so much!", "thank_you"),
    ("brilliant, thanks", "thank_you"),
    ("ok", "affirm"),
    ("👍", "affirm"),
    ("thank you 😊", "thank_you"),
    ("Got it, thanks", "thank_you"),
];

const BOT_BYE: &[&str] = &[
    "You're welcome! Anything else I can help with?",
    "Happy to help! Have a lovely day 😊",
    "Glad I could help. You can message us here any time.",
];

const BOT_REMINDER: &[&str] = &[
    "Hi {first}, just checking in: did that answer your question? Reply here any time.",
    "Are you still there? Let me know if there's anything else I can do.",
];

const ANGRY_ORDER: &[&str] = &[
    "This is ridiculous, order #{order} is a week late and nobody answers",
    "WHERE IS MY ORDER?? I paid on {day} and still nothing",
    "third time I'm asking. Order {order}. Absolutely useless service",
    "I'm really fed up, the {product} was a birthday present and it's still not here",
    "Terrible. Tracking hasn't changed for 6 days and your e-mails are automated nonsense",
    "I need the {product} right now, you promised delivery {day}!!",
];

const BOT_APOLOGY: &[&str] = &[
    "I'm really sorry about the wait. Order #{order} is with {courier} and should arrive by {day2}.",
    "I'm sorry, that's not the experience we want for you. Order #{order} is on its way and planned for {day2}.",
];

const OPT_OUT: &[&str] = &[
    "can I talk to a human?",
    "agent please",
    "I want to speak to someone",
    "Can I speak to someone please",
    "real person please",
    "Is there a representative I can talk to?",
    "let me talk to a person",
    "HUMAN",
    "i need a real person, not a bot",
    "Agent.",
    "speak to someone!!",
    "I'd like to talk to a person, please",
    "please put me through to an agent",
    "Are you a bot? I want a human",
];

const BOT_DEFLECT: &[&str] = &[
    "I can help with most questions right here! What do you need?",
    "I'm the Koravi assistant and I can answer questions about orders, delivery and returns. What would you like to know?",
    "Before I connect you, could you tell me what it's about?",
];

const UNCLEAR: &[&str] = &[
    "the code thing doesn't work for the gift",
    "can u check the stuff from tuesday",
    "what about the other one",
    "I meant the blue one",
    "no that's not what I asked",
    "hmm?",
    "it says error something",
    "what do you mean",
    "I already told you",
    "the one my sister ordered for me",
    "???",
    "that doesn't help",
    "you're not understanding me",
    "the voucher from the email",
    "the thing with the points",
    "why does it say that",
    "the box was different",
];

const BOT_FALLBACK: &[&str] = &[
    "Sorry, I didn't quite get that. Could you rephrase?",
    "Hmm, I'm not sure I understand. You can ask me about orders, delivery, returns or store hours.",
    "I'm sorry, I didn't understand. Could you say it another way?",
    "Apologies, I couldn't find an answer to that. Try asking about your order, shipping or returns.",
];

const BOT_OUT_OF_SCOPE: &[&str] = &[
    "That's outside what I can help with here, sorry.",
    "I can't help with that one, I'm afraid.",
];

const GIVE_UP: &[&str] = &[
    "forget it",
    "never mind, I'll call the store",
    "useless",
    "ok whatever",
    "I'll go to the shop instead",
];

const INSIST: &[&str] = &[
    "AGENT",
    "can I just talk to a human",
    "I want to speak to someone, this isn't working",
    "real person please!!",
];

const REPEATED_Q: &[&str] = &[
    "where is my order?",
    "when will my parcel arrive?",
    "what's the status of my order?",
    "has my order shipped?",
    "how do I track my order?",
];

const BOT_CANNED: &[&str] = &[
    "You can track any order at koravi.com/track with your order number and e-mail address.",
    "Orders usually arrive within 2–4 working days. You'll get a tracking link on WhatsApp once it ships.",
];

const BILLING_ERROR: &[&str] = &[
    "I was charged twice for order #{order}",
    "I've been double charged for my {product}",
    "The amount on my card statement doesn't match order {order}, you took €{amount} instead of €{amount2}",
    "why was I charged for shipping on order {order}? it said free delivery",
    "I got charged twice, can you check order number {order}?",
];

const REFUND_REQUEST: &[&str] = &[
    "I returned the {product} two weeks ago and still no refund",
    "where is my money back for order #{order}?",
    "I want a refund for the {product}, it arrived broken. Order {order}",
    "You said 5 days for the refund, it's been 12. Order {order}",
];

const PAYMENT_FAILED: &[&str] = &[
    "my payment keeps failing at checkout",
    "Card declined but the money left my account?? order {order}",
    "Payment failed three times with Apple Pay, can you help",
    "I can't pay, it says \"transaction not authorised\"",
];

const BOT_BILLING_ASK: &[&str] = &[
    "I'm sorry about that. Could you send me the order number so I can look into it?",
    "Sorry to hear that! Which order is it about? Please send the order number.",
];

const CHURN: &[&str] = &[
    "I want to cancel my Koravi Plus subscription",
    "how do I cancel my subscription?",
    "please close my account",
    "Koravi Plus is too expensive now, I'm switching to another shop",
    "cancel my membership please",
    "I'd like to stop the monthly plan",
    "I don't use Koravi Plus anymore, how do I end it?",
];

const BOT_ASK_EMAIL: &[&str] = &[
    "I'm sorry to hear that. What's the e-mail address of your Koravi account?",
    "I can help with that. Which e-mail address is your account registered with?",
];

const GIVE_EMAIL: &[&str] = &["{email}", "it's {email}", "my email is {email}"];

const TECH: &[(&str, &str)] = &[
    ("the app crashes every time I open my basket", "app_crash"),
    ("Koravi app keeps closing when I try to pay", "app_crash"),
    ("app crashes on startup since the update", "app_crash"),
    (
        "I can't log in, it says my password is wrong but I just reset it",
        "login_problem",
    ),
    ("the login code never arrives", "login_problem"),
    (
        "I'm locked out of my account after the update",
        "login_problem",
    ),
    (
        "the discount code field doesn't accept anything",
        "bug_report",
    ),
    ("the size filter on the website shows nothing", "bug_report"),
    (
        "the app shows the wrong price for the {product}",
        "bug_report",
    ),
];

const BOT_TECH_TIP: &[&str] = &[
    "Sorry about that! Could you update the app to the latest version and restart your phone?",
    "Please try logging out and back in, or reinstalling the app.",
    "Thanks for reporting it! Could you try on koravi.com in the meantime?",
];

const TECH_STILL: &[&str] = &[
    "still the same",
    "didn't work",
    "I already did that, still crashing",
    "same problem on the website",
    "it's broken, nothing works",
];

const LEGAL: &[(&str, &str)] = &[
    (
        "Under GDPR I'd like a copy of all the personal data you hold about me",
        "legal_request",
    ),
    (
        "Please delete my account and all my data (GDPR)",
        "legal_request",
    ),
    (
        "I want to know who you shared my data with",
        "legal_request",
    ),
    (
        "If the {product} isn't replaced I'm talking to my lawyer",
        "legal_request",
    ),
    (
        "I think my account was hacked, someone changed my delivery address",
        "account_compromised",
    ),
    (
        "there's an order on my account I didn't make",
        "account_compromised",
    ),
    (
        "I got a login alert from a phone that isn't mine",
        "account_compromised",
    ),
];

const MULTILINE_PREFIX: &[&str] = &["Hi,", "Hello Koravi,", "Good morning,"];
const MULTILINE_SUFFIX: &[&str] = &["Thanks", "Thank you!", "Regards,\n{first}"];

// ------------------------------------------------------------------------------------------------
// Building a conversation
// ------------------------------------------------------------------------------------------------

/// The values templates fill in, drawn once per conversation so a conversation talks about one
/// order, one product and one city.
struct Slots {
    /// The customer's first name, or "there" ("Hi there") when the profile has none: templates
    /// use `{first}` only after a greeting word.
    first: &'static str,
    named: bool,
    email: String,
    order: u32,
    product: &'static str,
    city: &'static str,
    courier: &'static str,
    day: &'static str,
    day2: &'static str,
    tracking: u64,
    amount: u32,
    amount2: u32,
    reference: u32,
    device: &'static str,
    version: &'static str,
}

/// Appends `tpl` with `{slot}` placeholders filled.
fn fill(out: &mut String, tpl: &str, s: &Slots) {
    let mut rest = tpl;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else {
            out.push_str(&rest[open..]);
            return;
        };
        let key = &after[..close];
        match key {
            "first" => out.push_str(s.first),
            "email" => out.push_str(&s.email),
            "order" => push_num(out, u64::from(s.order)),
            "product" => out.push_str(s.product),
            "city" => out.push_str(s.city),
            "courier" => out.push_str(s.courier),
            "day" => out.push_str(s.day),
            "day2" => out.push_str(s.day2),
            "tracking" => push_num(out, s.tracking),
            "amount" => push_euros(out, s.amount),
            "amount2" => push_euros(out, s.amount2),
            "ref" => push_num(out, u64::from(s.reference)),
            "device" => out.push_str(s.device),
            "version" => out.push_str(s.version),
            _ => {
                out.push('{');
                out.push_str(key);
                out.push('}');
            }
        }
        rest = &after[close + 1..];
    }
    out.push_str(rest);
}

fn push_num(out: &mut String, n: u64) {
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    let mut n = n;
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for &d in &digits[i..] {
        out.push(d as char);
    }
}

fn push_euros(out: &mut String, cents: u32) {
    push_num(out, u64::from(cents / 100));
    out.push('.');
    out.push((b'0' + (cents / 10 % 10) as u8) as char);
    out.push((b'0' + (cents % 10) as u8) as char);
}

/// Formatting hints that depend on the output format (one WhatsApp layout wants its first question
/// in several lines); the other formats get none, so jsonl and csv of one seed hold the same
/// conversations.
#[derive(Clone, Copy, Default)]
struct Hints {
    multiline_first: bool,
}

/// Appends messages to a conversation, advancing a clock with human-like delays.
struct Builder<'a> {
    rng: Rng,
    c: &'a mut Conversation,
    s: Slots,
    now: i64,
    hints: Hints,
    /// An assignment that the next agent message carries (instead of a system record).
    pending_assign: Option<Lane>,
    /// What the agent does about this particular case, when the lane's generic lines would not fit.
    fix: Option<&'static str>,
}

impl Builder<'_> {
    fn text(&self, tpl: &str) -> String {
        let mut out = String::with_capacity(tpl.len() + 16);
        fill(&mut out, tpl, &self.s);
        out
    }

    fn pick_text(&mut self, tpls: &[&str]) -> String {
        let tpl = self.rng.pick(tpls);
        self.text(tpl)
    }

    /// Whether `n` more messages fit in the conversation.
    fn room(&self, n: usize) -> bool {
        self.c.msgs.len() + n <= MAX_MESSAGES
    }

    fn sentiment(&mut self, lo: i64, hi: i64) -> Option<i8> {
        Some(self.rng.range(lo, hi) as i8)
    }

    fn push(&mut self, role: Role, text: String) -> &mut Msg {
        let idx = self.c.msgs.len() as u64;
        self.c.msgs.push(Msg {
            ts: self.now,
            role,
            text,
            intent: None,
            confidence: None,
            sentiment: None,
            fallback: false,
            event: None,
            agent: None,
            id: (self.c.seq << 8) | idx,
            profile: false,
            label: false,
        });
        let last = self.c.msgs.len() - 1;
        &mut self.c.msgs[last]
    }

    /// Time for the customer to read and type: usually under two minutes, sometimes longer.
    fn customer_delay(&mut self) {
        if self.c.msgs.is_empty() {
            return;
        }
        self.now += if self.rng.chance(150) {
            self.rng.range(120, 900)
        } else {
            self.rng.range(6, 110)
        };
    }

    fn customer(
        &mut self,
        text: String,
        intent: Option<&'static str>,
        confidence: Option<u8>,
        sentiment: Option<i8>,
    ) {
        self.customer_delay();
        // A few customers write a question in several lines: a greeting above, a sign-off below.
        // (Greetings, thanks and bare order numbers stay one-liners.)
        let eligible = !matches!(
            intent,
            Some("greeting" | "thank_you" | "affirm" | "goodbye" | "inform" | "deny")
        );
        let multiline =
            eligible && (std::mem::take(&mut self.hints.multiline_first) || self.rng.chance(30));
        let text = if multiline {
            let mut t = String::new();
            if self.rng.chance(500) {
                t.push_str(self.rng.pick(MULTILINE_PREFIX));
                t.push('\n');
                t.push_str(&text);
            } else {
                t.push_str(&text);
                t.push('\n');
                // Only a named customer signs off with a name.
                let choices = if self.s.named {
                    MULTILINE_SUFFIX
                } else {
                    &MULTILINE_SUFFIX[..2]
                };
                let suffix = self.rng.pick(choices);
                fill(&mut t, suffix, &self.s);
            }
            t
        } else {
            text
        };
        let m = self.push(Role::Customer, text);
        m.intent = intent;
        m.confidence = confidence;
        m.sentiment = sentiment;
    }

    /// A customer message labelled by the NLU with a confident intent.
    fn ask(&mut self, text: String, intent: &'static str, sentiment: (i64, i64)) {
        let conf = self.rng.range(62, 99) as u8;
        let sent = self.sentiment(sentiment.0, sentiment.1);
        self.customer(text, Some(intent), Some(conf), sent);
    }

    fn bot(&mut self, text: String) {
        self.now += self.rng.range(1, 4);
        self.push(Role::Bot, text);
    }

    /// A bot message that did not understand: mostly the flagged `nlu_fallback`, sometimes only
    /// an `out_of_scope` intent, which the matrix's `fallback_intents` also counts.
    fn fallback(&mut self) {
        self.now += self.rng.range(1, 4);
        if self.rng.chance(800) {
            let text = self.pick_text(BOT_FALLBACK);
            let m = self.push(Role::Bot, text);
            m.fallback = true;
            m.intent = Some("nlu_fallback");
        } else {
            let text = self.pick_text(BOT_OUT_OF_SCOPE);
            let m = self.push(Role::Bot, text);
            m.intent = Some("out_of_scope");
        }
    }

    fn thanks(&mut self) {
        let (text, intent) = self.rng.pick(THANKS);
        let conf = self.rng.range(80, 99) as u8;
        let sent = self.sentiment(30, 90);
        self.customer(text.to_owned(), Some(intent), Some(conf), sent);
    }

    /// The bot's handoff message, rendered from the lane's template in the matrix.
    fn handoff_message(&mut self, lane: Lane, order_known: bool) {
        let text = match lane {
            Lane::Compliance => {
                "I'm bringing in Meera from our compliance team. Meera will reply within 15 minutes."
                    .to_owned()
            }
            Lane::Vip => format!(
                "Hi {}, I'm bringing in Daniel, your account manager, who will reply within 2 minutes.",
                self.s.first
            ),
            Lane::Billing if order_known => format!(
                "I'm bringing in Priya from our billing team to sort out order {}. Priya will reply within 30 minutes.",
                self.s.order
            ),
            Lane::Billing => {
                "I'm bringing in Priya from our billing team to sort this out. Priya will reply within 30 minutes."
                    .to_owned()
            }
            Lane::Retention => {
                "I'm bringing in Tomás from our customer success team, who will reply within 1 hour."
                    .to_owned()
            }
            Lane::Technical => {
                "I'm bringing in Lena from our technical team. Lena will reply within 2 hours."
                    .to_owned()
            }
            Lane::Recovery => {
                "I'm bringing in Anita from our team, who will reply in about 5 minutes.".to_owned()
            }
        };
        self.bot(text);
    }

    /// A human takes over: a system record with `event: assign`, or the agent's first message
    /// carries the event itself.
    fn assign(&mut self, lane: Lane) {
        self.now += self.rng.range(1, 5);
        if self.rng.chance(500) {
            let text = format!(
                "Conversation assigned to {} ({})",
                lane.title(),
                lane.agent().0
            );
            let m = self.push(Role::System, text);
            m.event = Some(Event::Assign(lane));
        } else {
            self.pending_assign = Some(lane);
        }
    }

    fn agent(&mut self, lane: Lane, tpl: &str, first_reply: bool) {
        self.now += if first_reply {
            // Roughly each lane's first-response SLA, sometimes missed.
            match lane {
                Lane::Vip => self.rng.range(15, 150),
                Lane::Compliance | Lane::Recovery => self.rng.range(40, 540),
                Lane::Billing => self.rng.range(120, 2400),
                Lane::Retention => self.rng.range(300, 4200),
                Lane::Technical => self.rng.range(600, 9000),
            }
        } else {
            self.rng.range(20, 200)
        };
        let text = self.text(tpl);
        let pending = self.pending_assign.take();
        let m = self.push(Role::Agent, text);
        m.agent = Some(lane);
        if let Some(lane) = pending {
            m.event = Some(Event::Assign(lane));
        }
    }

    fn resolved(&mut self) {
        self.now += self.rng.range(30, 600);
        let m = self.push(Role::System, "Conversation marked as resolved".to_owned());
        m.event = Some(Event::Resolved);
    }

    /// The customer comes back hours later (the 24-hour window metrics need some of these).
    fn hours_later(&mut self, lo: i64, hi: i64) {
        self.now += self.rng.range(lo * 3600, hi * 3600);
    }

    fn greeting(&mut self) {
        let mut text = self.rng.pick(GREETINGS).to_owned();
        // "Good morning" at 23:00 would look odd: time-of-day greetings follow the local clock.
        if text.to_ascii_lowercase().starts_with("good ") {
            let hour = civil(Madrid::new().local(self.now)).hour;
            let part = match hour {
                5..=11 => "morning",
                12..=17 => "afternoon",
                _ => "evening",
            };
            text.truncate(5);
            text.push_str(part);
        }
        let conf = self.rng.range(88, 99) as u8;
        let sent = self.sentiment(10, 50);
        self.customer(text, Some("greeting"), Some(conf), sent);
        let reply = self.pick_text(BOT_WELCOME);
        self.bot(reply);
    }

    /// An FAQ question and the bot's answer; order status may need the order number first.
    fn faq(&mut self, topic: Topic, prefix: &str) {
        let mut q = String::from(prefix);
        let with_number = topic == Topic::OrderStatus && self.rng.chance(550);
        let answer;
        if with_number {
            let skip = if prefix.is_empty() { 0 } else { 2 };
            let tpl = self.rng.pick(&ORDER_Q_WITH_NUMBER[skip..]);
            fill(&mut q, tpl, &self.s);
            answer = None;
        } else if topic == Topic::Returns && self.rng.chance(30) {
            let tpl = self.rng.pick(RETURNS_Q_REFUND);
            fill(&mut q, tpl, &self.s);
            answer = Some(BOT_REFUND_TIMING);
        } else {
            let i = self.rng.below(topic.questions().len() as u64) as usize;
            fill(&mut q, topic.questions()[i], &self.s);
            // Order-status questions get a status update; the others their matching answer.
            answer = topic
                .answers()
                .get(i)
                .copied()
                .filter(|_| topic != Topic::OrderStatus);
        }
        // "also, is shipping free?": a follow-up continues the sentence, but "I" stays.
        let b = q.as_bytes();
        if !prefix.is_empty()
            && b.len() > prefix.len() + 1
            && b[prefix.len() + 1].is_ascii_lowercase()
        {
            q[prefix.len()..prefix.len() + 1].make_ascii_lowercase();
        }
        self.ask(q, topic.intent(), (-20, 40));
        if topic == Topic::OrderStatus && !with_number {
            let ask = self.pick_text(BOT_ASK_ORDER);
            self.bot(ask);
            let give = self.pick_text(GIVE_ORDER);
            self.ask(give, "inform", (-10, 30));
        }
        let answer = match answer {
            Some(tpl) => self.text(tpl),
            None => self.pick_text(BOT_ORDER_STATUS),
        };
        self.bot(answer);
    }

    /// The agent part of a takeover: greeting, resolution, the customer's thanks, maybe a close.
    fn agent_handles(&mut self, lane: Lane) {
        let (hello, fix): (&[&str], &[&str]) = match lane {
            Lane::Recovery => (
                &[
                    "Hi {first}, Anita here 👋 Sorry for the runaround. What can I do for you?",
                    "Hello {first}, this is Anita. I've read the conversation, let me sort it out.",
                ],
                &[
                    "Done! I've checked order #{order}: it's with {courier} and arrives {day2}. I've added a €5 voucher to your account for the trouble.",
                    "All sorted! You'll get a confirmation by e-mail in a few minutes.",
                ],
            ),
            Lane::Billing => (
                &[
                    "Hi {first}, Priya from billing here. I'm looking at order #{order} now.",
                    "Hello {first}, Priya here. Thanks for waiting, I have your payment details in front of me.",
                ],
                &[
                    "I've reversed the duplicate charge: €{amount} will be back on your card within 3–5 working days.",
                    "Your €{amount} for order #{order} was approved today. Sorry it took so long!",
                    "The failed payment was a block on the bank's side. I've sent you a new payment link for order #{order}.",
                ],
            ),
            Lane::Compliance => (
                &[
                    "Hello {first}, this is Meera from our compliance team.",
                    "Hi {first}, Meera here. Thanks for flagging this.",
                ],
                &[
                    "I've opened request DSR-{ref}. You'll receive everything within 30 days at {email}.",
                    "I've locked the account, cancelled the unknown orders and sent a password-reset link to {email}.",
                    "For your safety I've removed the card details from our records. Please use the secure payment link I've just sent instead.",
                ],
            ),
            Lane::Vip => (
                &[
                    "Hi {first}, Daniel here 🙂 I'm on it.",
                    "Hello {first}, good to hear from you. Daniel here, give me a moment.",
                ],
                &[
                    "All sorted: order #{order} is upgraded to express and arrives {day2}.",
                    "Done. I've taken care of it and sent you the details by e-mail.",
                ],
            ),
            Lane::Retention => (
                &[
                    "Hi {first}, Tomás here from customer success. Sorry to hear you want to leave!",
                    "Hello {first}, this is Tomás. I can help with your Koravi Plus membership.",
                ],
                &[
                    "Before I cancel: could I offer you three months of Koravi Plus at half price?",
                    "I've cancelled it: your membership ends with this billing period, and you'll get a confirmation e-mail.",
                ],
            ),
            Lane::Technical => (
                &[
                    "Hi {first}, Lena from technical support. Which phone and app version are you using?",
                    "Hello {first}, Lena here from our tech team. Could you tell me your phone model and app version?",
                ],
                &[
                    "Thanks! That's a known bug in {version}; the fix ships this week. Reinstalling the app works around it for now.",
                    "Found it: your account had a stuck session. I've reset it, please try again now.",
                ],
            ),
        };
        let tpl = self.rng.pick(hello);
        self.agent(lane, tpl, true);
        if lane == Lane::Technical {
            let text = format!("{}, app {}", self.s.device, self.s.version);
            self.customer(text, Some("inform"), Some(90), Some(0));
        }
        let tpl = match self.fix.take() {
            Some(tpl) => tpl,
            None => self.rng.pick(fix),
        };
        self.agent(lane, tpl, false);
        if self.room(1) && self.rng.chance(850) {
            self.thanks();
            if self.room(1) && self.rng.chance(500) {
                let tpl = self.rng.pick(&[
                    "You're welcome! Anything else, just write here.",
                    "My pleasure, have a good day.",
                ]);
                self.agent(lane, tpl, false);
            }
        }
        if self.room(1) && self.rng.chance(700) {
            self.resolved();
        }
    }

    /// The production bot hands the conversation over as the matrix would.
    fn takeover(&mut self, lane: Lane, order_known: bool) {
        self.handoff_message(lane, order_known);
        self.assign(lane);
        self.agent_handles(lane);
    }

    fn unclear(&mut self) {
        let text = self.pick_text(UNCLEAR);
        let sent = self.sentiment(-60, 0);
        match self.rng.below(10) {
            // The NLU is confident the message is out of scope…
            0..=4 => {
                let conf = self.rng.range(65, 92) as u8;
                self.customer(text, Some("out_of_scope"), Some(conf), sent);
            }
            // …or only says it fell back, without a score (many exports omit it)…
            5..=7 => self.customer(text, Some("nlu_fallback"), None, sent),
            // …or guesses an intent with a low score.
            _ => {
                let conf = self.rng.range(25, 55) as u8;
                let intent = self
                    .rng
                    .pick(&["order_status", "returns_policy", "shipping_info"]);
                self.customer(text, Some(intent), Some(conf), sent);
            }
        }
    }
}

#[derive(Clone, Copy)]
enum Scenario {
    Faq,
    OptOut,
    Loop,
    Repeat,
    Billing,
    Churn,
    Technical,
    Legal,
    Card,
    AgentFirst,
    Misc,
}

/// The mix of situations, in 1/10,000 (before the ~2.5 % VIP/enterprise overlay).
const SCENARIOS: &[(u64, Scenario)] = &[
    (8700, Scenario::Faq),
    (300, Scenario::OptOut),
    (220, Scenario::Loop),
    (140, Scenario::Repeat),
    (220, Scenario::Billing),
    (110, Scenario::Churn),
    (110, Scenario::Technical),
    (45, Scenario::Legal),
    (25, Scenario::Card),
    (40, Scenario::AgentFirst),
    (150, Scenario::Misc),
];

const TOPICS: &[(u64, Topic)] = &[
    (35, Topic::OrderStatus),
    (25, Topic::Shipping),
    (15, Topic::Hours),
    (25, Topic::Returns),
];

/// Everything a conversation needs beyond its own stream.
struct Context<'a> {
    seed: u64,
    timeline: &'a Timeline,
    format: Format,
    prefix: &'a str,
}

/// Fills `c` with conversation `seq`. Reuses `c`'s buffers.
fn build_conversation(ctx: &Context, seq: u64, c: &mut Conversation) {
    let mut rng = Rng::new(mix64(ctx.seed) ^ mix64(seq.wrapping_add(0xC0FF_EE00)));
    let start = ctx.timeline.start_of(seq, rng.below(1 << 32));

    c.seq = seq;
    c.id.clear();
    c.msgs.clear();
    match ctx.format {
        // Helpdesk tickets are plain numbers.
        Format::Csv => {
            let mut n = String::new();
            push_num(&mut n, 1_040_000 + seq);
            c.id.push_str(&n);
        }
        // Intercom's conversation ids are long numbers.
        Format::Intercom => {
            let mut n = String::new();
            push_num(&mut n, INTERCOM_FIRST_ID + seq);
            c.id.push_str(&n);
        }
        _ => {
            c.id.push_str(ctx.prefix);
            let mut n = String::new();
            push_num(&mut n, seq + 1);
            for _ in n.len()..6 {
                c.id.push('0');
            }
            c.id.push_str(&n);
        }
    }

    let first = rng.pick(FIRST_NAMES);
    let last = rng.pick(LAST_NAMES);
    let named = rng.chance(880);
    c.name = named.then(|| format!("{} {}", first.0, last.0));
    c.phone.clear();
    c.phone.push_str("+34 6");
    for i in 0..8 {
        if i == 2 || i == 4 || i == 6 {
            c.phone.push(' ');
        }
        c.phone.push((b'0' + rng.below(10) as u8) as char);
    }
    c.tier = rng.weighted(&[
        (975, Tier::Standard),
        (18, Tier::Vip),
        (7, Tier::Enterprise),
    ]);

    let mut email = String::new();
    email.push_str(first.1);
    email.push('.');
    email.push_str(last.1);
    if rng.chance(400) {
        push_num(&mut email, rng.range(70, 99) as u64);
    }
    email.push('@');
    email.push_str(rng.pick(MAIL_DOMAINS));
    let day_idx = rng.below(DAYS.len() as u64) as usize;
    let amount = rng.range(1500, 24_000) as u32;
    let slots = Slots {
        first: if named { first.0 } else { "there" },
        named,
        email,
        order: rng.range(10_000, 99_999) as u32,
        product: rng.pick(PRODUCTS),
        city: rng.pick(CITIES),
        courier: rng.pick(COURIERS),
        day: DAYS[day_idx],
        day2: DAYS[(day_idx + 2) % DAYS.len()],
        tracking: rng.range(1_000_000_000, 9_999_999_999) as u64,
        amount,
        amount2: amount - rng.range(300, 1400) as u32,
        reference: rng.range(10_000, 99_999) as u32,
        device: rng.pick(DEVICES),
        version: rng.pick(VERSIONS),
    };

    c.layout = match seq % 4 {
        0 => Layout::Android24,
        1 => Layout::Ios,
        2 => Layout::AndroidLong,
        _ => Layout::AndroidUs,
    };
    let hints = Hints {
        multiline_first: ctx.format == Format::Whatsapp && c.layout == Layout::AndroidLong,
    };

    let mut b = Builder {
        rng,
        c: &mut *c,
        s: slots,
        now: start,
        hints,
        pending_assign: None,
        fix: None,
    };
    let vip = b.c.tier != Tier::Standard;
    let scenario = b.rng.weighted(SCENARIOS);
    let ideal = if vip {
        vip_flow(&mut b, scenario)
    } else {
        match scenario {
            Scenario::Faq => faq_flow(&mut b),
            Scenario::OptOut => opt_out_flow(&mut b),
            Scenario::Loop => loop_flow(&mut b),
            Scenario::Repeat => repeat_flow(&mut b),
            Scenario::Billing => billing_flow(&mut b),
            Scenario::Churn => churn_flow(&mut b),
            Scenario::Technical => technical_flow(&mut b),
            Scenario::Legal => legal_flow(&mut b, false),
            Scenario::Card => card_flow(&mut b),
            Scenario::AgentFirst => agent_first_flow(&mut b),
            Scenario::Misc => misc_flow(&mut b),
        }
    };

    // About a third of conversations carry a QA label: mostly the lane a reviewer would pick,
    // sometimes a different judgement (the disagreements misroute metrics are for).
    let mut rng = b.rng;
    let labelled = !matches!(scenario, Scenario::AgentFirst) && rng.chance(350);
    c.label = labelled.then(|| {
        if rng.chance(900) {
            ideal
        } else {
            match ideal {
                None => Some(Lane::Recovery),
                Some(Lane::Recovery) => rng.pick(&[None, Some(Lane::Billing)]),
                Some(Lane::Billing) => rng.pick(&[Some(Lane::Retention), Some(Lane::Recovery)]),
                Some(Lane::Retention) => Some(Lane::Billing),
                Some(Lane::Technical) => Some(Lane::Recovery),
                Some(Lane::Compliance) => Some(Lane::Billing),
                Some(Lane::Vip) => Some(Lane::Recovery),
            }
        }
    });

    c.msgs.truncate(MAX_MESSAGES);

    // Conversation-level fields: the profile on the first customer record, the label on the
    // first record or (as if a reviewer appended it) on the last one.
    let profile_at = c
        .msgs
        .iter()
        .position(|m| m.role == Role::Customer)
        .unwrap_or(0);
    if let Some(m) = c.msgs.get_mut(profile_at) {
        m.profile = true;
    }
    if c.label.is_some() {
        let at = if rng.chance(600) { 0 } else { c.msgs.len() - 1 };
        c.msgs[at].label = true;
    }

    // Webhook redelivery: about 0.5 % of customer and bot messages arrive a second time a little
    // later, byte for byte. WhatsApp exports and Intercom's conversations never show these.
    if matches!(ctx.format, Format::Jsonl | Format::Csv) {
        let mut i = 0;
        while i < c.msgs.len() {
            if matches!(c.msgs[i].role, Role::Customer | Role::Bot) && rng.chance(5) {
                let copy = c.msgs[i].clone();
                let at = (i + 1 + rng.below(3) as usize).min(c.msgs.len());
                c.msgs.insert(at, copy);
                i += 1;
            }
            i += 1;
        }
    }

    // A month-first export is only readable when one of its dates has a day above 12; give the US
    // layout to a conversation where that holds (the day-first layouts are read right by default).
    if c.layout == Layout::AndroidUs {
        let mut clock = Madrid::new();
        if c.msgs.iter().all(|m| civil(clock.local(m.ts)).day <= 12) {
            c.layout = Layout::Android24;
        }
    }
}

/// FAQ traffic the bot handles; a few with low NLU confidence, angry customers, long threads or
/// a customer who comes back hours later. Returns the lane a QA reviewer would choose.
fn faq_flow(b: &mut Builder) -> Option<Lane> {
    if b.rng.chance(8) {
        return stale_flow(b);
    }
    let mut ideal = None;
    if b.rng.chance(350) {
        b.greeting();
    }
    let topic = b.rng.weighted(TOPICS);
    let variant = b.rng.below(1000);
    if variant < 12 {
        // Low confidence: the bot guesses; half the time it guesses wrong and the customer has to
        // say it again.
        let q = b.pick_text(topic.mumbled());
        let conf = b.rng.range(30, 59) as u8;
        let sent = b.sentiment(-30, 20);
        b.customer(q, Some(topic.intent()), Some(conf), sent);
        if b.rng.chance(500) {
            let wrong = b.rng.pick(&[Topic::Hours, Topic::Shipping, Topic::Returns]);
            let wrong = if wrong == topic {
                Topic::OrderStatus
            } else {
                wrong
            };
            let a = b.pick_text(wrong.answers());
            b.bot(a);
            let again = b.text(topic.clarified());
            b.ask(again, topic.intent(), (-40, 0));
            ideal = Some(Lane::Recovery);
        }
        let a = b.pick_text(topic.answers());
        b.bot(a);
    } else if variant < 22 {
        // Angry about a late order.
        let q = b.pick_text(ANGRY_ORDER);
        let conf = b.rng.range(70, 95) as u8;
        let sent = b.sentiment(-95, -61);
        b.customer(q, Some("order_status"), Some(conf), sent);
        let a = b.pick_text(BOT_APOLOGY);
        b.bot(a);
        ideal = Some(Lane::Recovery);
        if b.rng.chance(600) {
            b.takeover(Lane::Recovery, true);
            return ideal;
        }
    } else {
        b.faq(topic, "");
    }

    let extra = b.rng.weighted(&[(650, 0), (280, 1), (55, 2), (15, 3)]);
    for _ in 0..extra {
        if !b.room(5) {
            break;
        }
        if b.rng.chance(40) {
            b.hours_later(2, 26);
        }
        let next = b.rng.weighted(TOPICS);
        let prefix = b.rng.pick(FOLLOW_UP);
        b.faq(next, prefix);
    }
    if b.room(6) && b.rng.chance(30) {
        // Back the next day with the same order.
        b.hours_later(6, 23);
        b.faq(Topic::OrderStatus, "Hi again, ");
    }
    if b.room(1) && b.rng.chance(750) {
        b.thanks();
        if b.room(1) && b.rng.chance(800) {
            let bye = b.pick_text(BOT_BYE);
            b.bot(bye);
        }
    } else if b.rng.chance(80) {
        // The customer went quiet; the bot nudges just before the 24-hour window closes.
        b.now += b.rng.range(20 * 3600, 23 * 3600 + 1800);
        let nudge = b.pick_text(BOT_REMINDER);
        b.bot(nudge);
    }
    if b.c.msgs.len() < 3 {
        // Question, answer, silence is common, but the samples want at least three messages.
        b.thanks();
    }
    if b.room(1) && b.rng.chance(450) {
        b.resolved();
    }
    ideal
}

/// Two questions answered, then silence, and two re-engagement nudges near the end of the 24-hour
/// window: the second is the bot's sixth message, so `long-bot-thread` escalates at a bot message
/// a day after the customer last wrote (what `window_risk_rate` exists to catch). A reviewer would
/// say the bot handled it.
fn stale_flow(b: &mut Builder) -> Option<Lane> {
    b.greeting();
    b.faq(Topic::Shipping, "");
    let prefix = b.rng.pick(FOLLOW_UP);
    b.faq(Topic::Hours, prefix);
    b.thanks();
    let bye = b.pick_text(BOT_BYE);
    b.bot(bye);
    b.now += b.rng.range(20 * 3600, 22 * 3600);
    let nudge = b.pick_text(BOT_REMINDER);
    b.bot(nudge);
    b.now += b.rng.range(1800, 5400);
    b.bot("This chat will close soon. Reply here if you still need help with anything.".to_owned());
    None
}

/// An explicit request for a person, on the first message or after a question; the production
/// bot sometimes deflects it once or twice first (a bot trap).
fn opt_out_flow(b: &mut Builder) -> Option<Lane> {
    if !b.rng.chance(300) {
        if b.rng.chance(300) {
            b.greeting();
        }
        let topic = b.rng.weighted(TOPICS);
        b.faq(topic, "");
    }
    let mut asks = 0;
    loop {
        let text = b.pick_text(OPT_OUT);
        let conf = b.rng.range(80, 99) as u8;
        let sent = b.sentiment(-45 - 15 * asks, 10 - 20 * asks);
        b.customer(text, Some("human_handoff"), Some(conf), sent);
        asks += 1;
        if asks == 3 || b.rng.chance(800) {
            break;
        }
        let deflect = b.pick_text(BOT_DEFLECT);
        b.bot(deflect);
        if b.rng.chance(200) {
            let give_up = b.pick_text(GIVE_UP);
            let sent = b.sentiment(-80, -30);
            b.customer(give_up, Some("goodbye"), Some(70), sent);
            return Some(Lane::Recovery);
        }
    }
    b.takeover(Lane::Recovery, true);
    Some(Lane::Recovery)
}

/// Two to four consecutive fallbacks; after two the customer sometimes gets through, after three
/// or more the production bot hands over or the customer insists.
fn loop_flow(b: &mut Builder) -> Option<Lane> {
    if b.rng.chance(300) {
        b.greeting();
    }
    let fallbacks = b.rng.weighted(&[(40, 2), (35, 3), (25, 4)]);
    for _ in 0..fallbacks {
        b.unclear();
        b.fallback();
    }
    if fallbacks == 2 {
        if b.rng.chance(500) {
            let topic = b.rng.weighted(TOPICS);
            b.faq(topic, "");
            if b.rng.chance(600) {
                b.thanks();
            }
        } else {
            let text = b.pick_text(GIVE_UP);
            let sent = b.sentiment(-80, -30);
            b.customer(text, Some("goodbye"), Some(75), sent);
        }
        return Some(Lane::Recovery);
    }
    if b.rng.chance(450) {
        let text = b.pick_text(INSIST);
        let sent = b.sentiment(-85, -40);
        b.customer(text, Some("human_handoff"), Some(92), sent);
    }
    b.takeover(Lane::Recovery, false);
    Some(Lane::Recovery)
}

/// The same question two or three times (case and spacing vary, the text does not), answered
/// with the same canned reply.
fn repeat_flow(b: &mut Builder) -> Option<Lane> {
    let q = b.rng.pick(REPEATED_Q);
    let canned = b.pick_text(BOT_CANNED);
    let times = if b.rng.chance(500) { 2 } else { 3 };
    for i in 0..times {
        let text = match (i, b.rng.below(4)) {
            (0, _) => q.to_owned(),
            (_, 0) => q.to_uppercase(),
            (_, 1) => format!("{q}  "),
            (_, 2) => q.replacen(' ', "  ", 1),
            _ => {
                let mut t = q.to_owned();
                t[..1].make_ascii_uppercase();
                t
            }
        };
        let conf = b.rng.range(70, 92) as u8;
        let sent = b.sentiment(-30 - 20 * i, 10 - 20 * i);
        b.customer(text, Some("order_status"), Some(conf), sent);
        b.bot(canned.clone());
    }
    if times == 2 {
        if b.rng.chance(700) {
            let give = b.pick_text(GIVE_ORDER);
            b.ask(give, "inform", (-30, 10));
            let a = b.pick_text(BOT_ORDER_STATUS);
            b.bot(a);
            if b.rng.chance(500) {
                b.thanks();
            }
        }
        return Some(Lane::Recovery);
    }
    if b.rng.chance(600) {
        b.takeover(Lane::Recovery, false);
    } else {
        let text = b.pick_text(GIVE_UP);
        let sent = b.sentiment(-80, -40);
        b.customer(text, Some("goodbye"), Some(70), sent);
    }
    Some(Lane::Recovery)
}

fn billing_flow(b: &mut Builder) -> Option<Lane> {
    if b.rng.chance(250) {
        b.greeting();
    }
    let angry = b.rng.chance(150);
    let sent = if angry { (-90, -61) } else { (-55, 0) };
    if b.rng.chance(120) {
        // The NLU files it under order status and no keyword fires: the matrix only catches it
        // when the customer spells it out.
        let text = b.text("the amount on my statement for order {order} looks wrong");
        let conf = b.rng.range(61, 78) as u8;
        let s = b.sentiment(sent.0, sent.1);
        b.customer(text, Some("order_status"), Some(conf), s);
        let a = b.pick_text(BOT_ORDER_STATUS);
        b.bot(a);
        let text = b.text("that's not my question, I was charged €{amount} instead of €{amount2}");
        b.ask(text, "billing_error", (-60, -20));
        b.fix = Some(
            "You're right: you were charged €{amount} instead of €{amount2}. I've refunded the difference.",
        );
        b.takeover(Lane::Billing, true);
        return Some(Lane::Billing);
    }
    let (bank, intent) = b.rng.pick(&[
        (BILLING_ERROR, "billing_error"),
        (REFUND_REQUEST, "refund_request"),
        (PAYMENT_FAILED, "payment_failed"),
    ]);
    let text = b.pick_text(bank);
    let mut order_known = text.contains("order");
    let conf = b.rng.range(70, 97) as u8;
    let s = b.sentiment(sent.0, sent.1);
    b.customer(text, Some(intent), Some(conf), s);
    if !order_known {
        let ask = b.pick_text(BOT_BILLING_ASK);
        b.bot(ask);
        if b.rng.chance(40) {
            b.hours_later(3, 20);
        }
        if b.rng.chance(750) {
            let give = b.pick_text(GIVE_ORDER);
            order_known = give.contains("order");
            b.ask(give, "inform", (-40, 0));
        } else {
            b.ask("I don't have it here".to_owned(), "deny", (-40, 0));
        }
    }
    b.fix = Some(match intent {
        "billing_error" => {
            "I've reversed the duplicate charge: €{amount} will be back on your card within 3–5 working days."
        }
        "refund_request" => {
            "Your €{amount} for order #{order} was approved today and is on its way back to your card. Sorry it took so long!"
        }
        _ => {
            "The failed payment was a block on the bank's side. I've sent you a new payment link for order #{order}."
        }
    });
    if b.rng.chance(850) {
        b.takeover(Lane::Billing, order_known);
    } else {
        // The production bot fobs the customer off with the return policy.
        let a = b.pick_text(BOT_RETURNS);
        b.bot(a);
        let give_up = b.pick_text(GIVE_UP);
        let s = b.sentiment(-90, -40);
        b.customer(give_up, Some("goodbye"), Some(70), s);
    }
    Some(Lane::Billing)
}

fn churn_flow(b: &mut Builder) -> Option<Lane> {
    let text = b.pick_text(CHURN);
    let conf = b.rng.range(72, 97) as u8;
    let sent = b.sentiment(-50, -5);
    b.customer(text, Some("cancel_subscription"), Some(conf), sent);
    let ask = b.pick_text(BOT_ASK_EMAIL);
    b.bot(ask);
    if b.rng.chance(700) {
        let give = b.pick_text(GIVE_EMAIL);
        b.ask(give, "inform", (-20, 10));
    } else {
        b.ask(
            "I'd rather not say, just cancel it".to_owned(),
            "deny",
            (-50, -10),
        );
    }
    b.takeover(Lane::Retention, false);
    Some(Lane::Retention)
}

fn technical_flow(b: &mut Builder) -> Option<Lane> {
    if b.rng.chance(200) {
        b.greeting();
    }
    let (tpl, intent) = b.rng.pick(TECH);
    let text = b.text(tpl);
    let conf = b.rng.range(65, 95) as u8;
    let sent = b.sentiment(-55, -5);
    b.customer(text, Some(intent), Some(conf), sent);
    let tip = b.pick_text(BOT_TECH_TIP);
    b.bot(tip);
    let still = b.pick_text(TECH_STILL);
    let conf = b.rng.range(60, 85) as u8;
    let sent = b.sentiment(-70, -20);
    b.customer(still, Some(intent), Some(conf), sent);
    if b.rng.chance(850) {
        b.takeover(Lane::Technical, false);
    } else {
        let tip = b.pick_text(BOT_TECH_TIP);
        b.bot(tip);
    }
    Some(Lane::Technical)
}

fn legal_flow(b: &mut Builder, vip: bool) -> Option<Lane> {
    let (tpl, intent) = b.rng.pick(LEGAL);
    let text = b.text(tpl);
    let conf = b.rng.range(70, 96) as u8;
    let sent = b.sentiment(-70, -10);
    b.customer(text, Some(intent), Some(conf), sent);
    if !vip && b.rng.chance(300) {
        // The bot first asks for the account e-mail, as its security flow says.
        let ask = b.pick_text(BOT_ASK_EMAIL);
        b.bot(ask);
        let give = b.pick_text(GIVE_EMAIL);
        b.ask(give, "inform", (-30, 0));
    }
    b.fix = Some(if intent == "account_compromised" {
        "I've locked the account, cancelled the unknown orders and sent a password-reset link to {email}."
    } else if tpl.contains("lawyer") {
        "I'm sorry about the {product}. A replacement ships today, and our legal team will write to you at {email}."
    } else {
        "I've opened request DSR-{ref}. You'll receive everything within 30 days at {email}."
    });
    b.takeover(Lane::Compliance, false);
    Some(Lane::Compliance)
}

/// A card number pasted into the chat after a failed payment (a fifth of them mistyped, so not
/// Luhn-valid).
fn card_flow(b: &mut Builder) -> Option<Lane> {
    let card = if b.rng.chance(200) {
        b.rng.pick(CARD_TYPOS)
    } else {
        b.rng.pick(CARDS)
    };
    if b.rng.chance(700) {
        // The number comes with the complaint, so card-data and billing-dispute hold together.
        let tpl = b.rng.pick(&[
            "Hi, my card {card} keeps getting declined at checkout",
            "payment failed again with card {card}, exp 09/28. What's wrong?",
        ]);
        let text = tpl.replace("{card}", card);
        let conf = b.rng.range(70, 95) as u8;
        let sent = b.sentiment(-50, -10);
        b.customer(text, Some("payment_failed"), Some(conf), sent);
    } else {
        // The complaint first (billing-dispute fires there), the number only when asked.
        let text = b.pick_text(PAYMENT_FAILED);
        let conf = b.rng.range(75, 95) as u8;
        let sent = b.sentiment(-50, -10);
        b.customer(text, Some("payment_failed"), Some(conf), sent);
        b.bot("Sorry about that! Which card did you use?".to_owned());
        let tpl = b.rng.pick(&[
            "this one: {card} exp 09/28",
            "card number {card}, can you try charging it again?",
            "{card}",
        ]);
        let text = tpl.replace("{card}", card);
        let conf = b.rng.range(55, 85) as u8;
        b.customer(text, Some("payment_failed"), Some(conf), Some(-20));
    }
    b.bot(
        "Please don't send card numbers in this chat, for your own safety. I've hidden it."
            .to_owned(),
    );
    let lane = if b.rng.chance(700) {
        Lane::Compliance
    } else {
        Lane::Billing
    };
    b.fix = Some(
        "For your safety I've removed the card details from our records. Please use the secure payment link I've just sent instead.",
    );
    b.takeover(lane, false);
    Some(Lane::Compliance)
}

/// An agent writes first (an outbound follow-up): the bot phase is empty.
fn agent_first_flow(b: &mut Builder) -> Option<Lane> {
    let lane = b.rng.pick(&[Lane::Billing, Lane::Recovery]);
    let tpl = if lane == Lane::Billing {
        "Hi {first}, this is Priya from Koravi. Following up on order #{order}: the €{amount} is back on your card today."
    } else {
        "Hi {first}, this is Anita from Koravi. Following up on your call: the replacement {product} ships today."
    };
    let text = b.text(tpl);
    let m = b.push(Role::Agent, text);
    m.agent = Some(lane);
    b.thanks();
    b.agent(lane, "You're welcome! Have a good week.", false);
    None
}

/// Greetings that go nowhere, a lone thumbs-up, a test message.
fn misc_flow(b: &mut Builder) -> Option<Lane> {
    match b.rng.below(3) {
        0 => {
            b.greeting();
            b.now += b.rng.range(3600, 20 * 3600);
            let nudge = b.pick_text(BOT_REMINDER);
            b.bot(nudge);
        }
        1 => {
            b.greeting();
            b.thanks();
        }
        _ => {
            let conf = b.rng.range(40, 75) as u8;
            b.customer("test".to_owned(), Some("greeting"), Some(conf), Some(0));
            b.bot("Hi! How can I help?".to_owned());
            let conf = b.rng.range(60, 90) as u8;
            let text = b.rng.pick(&["sorry, wrong chat", "just testing, thanks"]);
            b.customer(text.to_owned(), Some("out_of_scope"), Some(conf), Some(10));
        }
    }
    None
}

/// VIP and enterprise customers: the production bot sends them straight to their account manager
/// (compliance matters still go to compliance); now and then the bot answers itself.
fn vip_flow(b: &mut Builder, scenario: Scenario) -> Option<Lane> {
    match scenario {
        Scenario::Legal | Scenario::Card => return legal_flow(b, true),
        Scenario::Billing => {
            b.fix =
                Some("Done. I've reversed the extra charge and sent you the details by e-mail.");
            let text = b.pick_text(BILLING_ERROR);
            b.ask(text, "billing_error", (-60, -10));
        }
        Scenario::Technical => {
            b.fix =
                Some("Done. Our tech team has reset your account session; please try again now.");
            let (tpl, intent) = b.rng.pick(TECH);
            let text = b.text(tpl);
            b.ask(text, intent, (-50, -5));
        }
        Scenario::Churn => {
            b.fix = Some(
                "I've paused your membership for three months at no cost, so you can decide later.",
            );
            let text = b.pick_text(CHURN);
            b.ask(text, "cancel_subscription", (-40, -5));
        }
        _ => {
            let topic = b.rng.weighted(TOPICS);
            if b.rng.chance(800) {
                let text = b.pick_text(topic.questions());
                b.ask(text, topic.intent(), (-10, 40));
            } else {
                b.faq(topic, "");
                b.thanks();
                return Some(Lane::Vip);
            }
        }
    }
    b.takeover(Lane::Vip, false);
    Some(Lane::Vip)
}

// ------------------------------------------------------------------------------------------------
// Writing records
// ------------------------------------------------------------------------------------------------

/// Pushes `n` as exactly `width` digits.
fn push_digits(out: &mut Vec<u8>, n: u64, width: usize) {
    let mut n = n;
    let start = out.len();
    out.resize(start + width, b'0');
    for i in (0..width).rev() {
        out[start + i] = b'0' + (n % 10) as u8;
        n /= 10;
    }
}

/// `2026-10-14T09:05:12Z`, or with `sep` `' '` and no `Z` for local CSV times.
fn push_timestamp(out: &mut Vec<u8>, secs: i64, sep: u8, zulu: bool) {
    let t = civil(secs);
    push_digits(out, t.year as u64, 4);
    out.push(b'-');
    push_digits(out, u64::from(t.month), 2);
    out.push(b'-');
    push_digits(out, u64::from(t.day), 2);
    out.push(sep);
    push_digits(out, u64::from(t.hour), 2);
    out.push(b':');
    push_digits(out, u64::from(t.minute), 2);
    out.push(b':');
    push_digits(out, u64::from(t.second), 2);
    if zulu {
        out.push(b'Z');
    }
}

/// Hundredths as a decimal (`0.93`, `-0.7`, `1`), the shortest exact form.
fn push_hundredths(out: &mut Vec<u8>, v: i64) {
    if v < 0 {
        out.push(b'-');
    }
    let v = v.unsigned_abs();
    push_digits(out, v / 100, 1);
    let frac = v % 100;
    if frac != 0 {
        out.push(b'.');
        out.push(b'0' + (frac / 10) as u8);
        if !frac.is_multiple_of(10) {
            out.push(b'0' + (frac % 10) as u8);
        }
    }
}

fn push_message_id(out: &mut Vec<u8>, seed: u64, key: u64) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    out.extend_from_slice(b"wamid.HBgL");
    // mix64 is a bijection and the key is unique per message, so ids are unique.
    let v = mix64(key ^ mix64(seed));
    for i in (0..16).rev() {
        out.push(HEX[((v >> (i * 4)) & 0xF) as usize]);
    }
}

fn push_json_str(out: &mut Vec<u8>, s: &str) {
    out.push(b'"');
    let bytes = s.as_bytes();
    let mut start = 0;
    for (i, &byte) in bytes.iter().enumerate() {
        let escape: &[u8] = match byte {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            b'\n' => b"\\n",
            b'\r' => b"\\r",
            b'\t' => b"\\t",
            0..=0x1F => {
                out.extend_from_slice(&bytes[start..i]);
                out.extend_from_slice(b"\\u00");
                out.push(b"0123456789abcdef"[usize::from(byte >> 4)]);
                out.push(b"0123456789abcdef"[usize::from(byte & 0xF)]);
                start = i + 1;
                continue;
            }
            _ => continue,
        };
        out.extend_from_slice(&bytes[start..i]);
        out.extend_from_slice(escape);
        start = i + 1;
    }
    out.extend_from_slice(&bytes[start..]);
    out.push(b'"');
}

fn write_jsonl(out: &mut Vec<u8>, seed: u64, c: &Conversation, m: &Msg) {
    out.extend_from_slice(b"{\"conversation_id\":\"");
    out.extend_from_slice(c.id.as_bytes());
    out.extend_from_slice(b"\",\"message_id\":\"");
    push_message_id(out, seed, m.id);
    out.extend_from_slice(b"\",\"timestamp\":\"");
    push_timestamp(out, m.ts, b'T', true);
    out.extend_from_slice(b"\",\"role\":\"");
    out.extend_from_slice(m.role.names().0.as_bytes());
    out.push(b'"');
    if let Some(lane) = m.agent {
        out.extend_from_slice(b",\"author\":");
        push_json_str(out, lane.agent().0);
    }
    out.extend_from_slice(b",\"text\":");
    push_json_str(out, &m.text);
    if let Some(intent) = m.intent {
        out.extend_from_slice(b",\"intent\":\"");
        out.extend_from_slice(intent.as_bytes());
        out.push(b'"');
    }
    if let Some(v) = m.confidence {
        out.extend_from_slice(b",\"confidence\":");
        push_hundredths(out, i64::from(v));
    }
    if let Some(v) = m.sentiment {
        out.extend_from_slice(b",\"sentiment\":");
        push_hundredths(out, i64::from(v));
    }
    if m.fallback {
        out.extend_from_slice(b",\"fallback\":true");
    }
    match m.event {
        Some(Event::Assign(lane)) => {
            out.extend_from_slice(b",\"event\":\"assign\",\"lane\":\"");
            out.extend_from_slice(lane.id().as_bytes());
            out.push(b'"');
        }
        Some(Event::Resolved) => out.extend_from_slice(b",\"event\":\"resolved\""),
        None => {}
    }
    if m.profile {
        if let Some(name) = &c.name {
            out.extend_from_slice(b",\"customer_name\":");
            push_json_str(out, name);
        }
        out.extend_from_slice(b",\"segment\":{\"tier\":\"");
        out.extend_from_slice(c.tier.id().as_bytes());
        out.extend_from_slice(b"\"}");
    }
    if let (true, Some(label)) = (m.label, c.label) {
        out.extend_from_slice(b",\"expected_lane\":\"");
        out.extend_from_slice(label.map_or("none", Lane::id).as_bytes());
        out.push(b'"');
    }
    out.extend_from_slice(b"}\n");
}

/// The helpdesk export's header: platform column names (Intercom/Zendesk/Wati style, see
/// `realdata/platforms/FIELDS.md`) that `samples/handoff.toml` maps to the canonical fields.
const CSV_HEADER: &str = "ticket_id,whatsapp_message_id,created_at,sender_type,sender_name,message_body,nlu_intent,nlu_confidence,sentiment_score,is_fallback,event_type,assigned_team,qa_expected_team,contact_name,contact_tier\r\n";

fn push_csv_field(out: &mut Vec<u8>, s: &str) {
    if s.bytes().any(|b| matches!(b, b',' | b'"' | b'\n' | b'\r')) {
        out.push(b'"');
        for part in s.split('"').enumerate() {
            if part.0 > 0 {
                out.extend_from_slice(b"\"\"");
            }
            out.extend_from_slice(part.1.as_bytes());
        }
        out.push(b'"');
    } else {
        out.extend_from_slice(s.as_bytes());
    }
}

/// One CSV row. Contact fields and the QA label repeat on every row of the ticket, as helpdesk
/// exports denormalise them; timestamps are the shop's local time without an offset.
fn write_csv(out: &mut Vec<u8>, seed: u64, clock: &mut Madrid, c: &Conversation, m: &Msg) {
    out.extend_from_slice(c.id.as_bytes());
    out.push(b',');
    push_message_id(out, seed, m.id);
    out.push(b',');
    push_timestamp(out, clock.local(m.ts), b' ', false);
    out.push(b',');
    out.extend_from_slice(m.role.names().1.as_bytes());
    out.push(b',');
    match m.role {
        Role::Customer => push_csv_field(out, c.name.as_deref().unwrap_or(&c.phone)),
        Role::Bot => out.extend_from_slice(BOT_NAME.as_bytes()),
        Role::Agent => push_csv_field(out, m.agent.map_or("", |l| l.agent().0)),
        Role::System => {}
    }
    out.push(b',');
    push_csv_field(out, &m.text);
    out.push(b',');
    if let Some(intent) = m.intent {
        out.extend_from_slice(intent.as_bytes());
    }
    out.push(b',');
    if let Some(v) = m.confidence {
        push_hundredths(out, i64::from(v));
    }
    out.push(b',');
    if let Some(v) = m.sentiment {
        push_hundredths(out, i64::from(v));
    }
    out.push(b',');
    if m.role == Role::Bot {
        out.extend_from_slice(if m.fallback { b"true" } else { b"false" });
    }
    out.push(b',');
    match m.event {
        Some(Event::Assign(lane)) => {
            out.extend_from_slice(b"assign,");
            out.extend_from_slice(lane.id().as_bytes());
        }
        Some(Event::Resolved) => out.extend_from_slice(b"resolved,"),
        None => out.push(b','),
    }
    out.push(b',');
    if let Some(label) = c.label {
        out.extend_from_slice(label.map_or("none", Lane::id).as_bytes());
    }
    out.push(b',');
    if let Some(name) = &c.name {
        push_csv_field(out, name);
    }
    out.push(b',');
    out.extend_from_slice(c.tier.id().as_bytes());
    out.extend_from_slice(b"\r\n");
}

const E2E_NOTICE: &str = "Messages and calls are end-to-end encrypted. No one outside of this chat, not even WhatsApp, can read or listen to them.";
const META_NOTICE: &str =
    "This business uses a secure service from Meta to manage this chat. Tap to learn more.";

/// The date-and-time prefix of a line in `layout`, for local time `t`.
fn push_stamp(out: &mut Vec<u8>, layout: Layout, t: &Civil) {
    let year2 = (t.year % 100) as u64;
    match layout {
        Layout::Android24 | Layout::AndroidLong => {
            push_digits(out, u64::from(t.day), 2);
            out.push(b'/');
            push_digits(out, u64::from(t.month), 2);
            out.push(b'/');
            if layout == Layout::AndroidLong {
                push_digits(out, t.year as u64, 4);
            } else {
                push_digits(out, year2, 2);
            }
            out.extend_from_slice(b", ");
            push_digits(out, u64::from(t.hour), 2);
            out.push(b':');
            push_digits(out, u64::from(t.minute), 2);
            out.extend_from_slice(b" - ");
        }
        Layout::AndroidUs => {
            let mut s = String::new();
            push_num(&mut s, u64::from(t.month));
            s.push('/');
            push_num(&mut s, u64::from(t.day));
            s.push('/');
            out.extend_from_slice(s.as_bytes());
            push_digits(out, year2, 2);
            out.extend_from_slice(b", ");
            let h12 = match t.hour % 12 {
                0 => 12,
                h => h,
            };
            let mut s = String::new();
            push_num(&mut s, u64::from(h12));
            out.extend_from_slice(s.as_bytes());
            out.push(b':');
            push_digits(out, u64::from(t.minute), 2);
            // Newer US exports put a narrow no-break space (U+202F) before AM/PM.
            out.extend_from_slice("\u{202F}".as_bytes());
            out.extend_from_slice(if t.hour < 12 { b"AM" } else { b"PM" });
            out.extend_from_slice(b" - ");
        }
        Layout::Ios => {
            out.push(b'[');
            push_digits(out, u64::from(t.day), 2);
            out.push(b'/');
            push_digits(out, u64::from(t.month), 2);
            out.push(b'/');
            push_digits(out, year2, 2);
            out.extend_from_slice(b", ");
            push_digits(out, u64::from(t.hour), 2);
            out.push(b':');
            push_digits(out, u64::from(t.minute), 2);
            out.push(b':');
            push_digits(out, u64::from(t.second), 2);
            out.extend_from_slice(b"] ");
        }
    }
}

/// One WhatsApp "Export chat" file. iOS ends lines with CRLF (bare LF inside a message) and marks
/// attachments and system lines with U+200E; Android system lines have no author.
fn write_whatsapp(out: &mut Vec<u8>, clock: &mut Madrid, c: &Conversation) {
    const LRM: &str = "\u{200E}";
    let layout = c.layout;
    let eol: &[u8] = if layout == Layout::Ios {
        b"\r\n"
    } else {
        b"\n"
    };
    // The business's phone rarely has customers in its contacts: one layout shows the number,
    // iOS the customer's profile name behind `~ `, the others a saved contact name.
    let customer = match (&c.name, layout) {
        (Some(name), Layout::Ios) => format!("~\u{202F}{name}"),
        (Some(name), Layout::AndroidLong | Layout::AndroidUs) => name.clone(),
        _ => c.phone.clone(),
    };
    let Some(first) = c.msgs.first() else {
        return;
    };
    let t = civil(clock.local(first.ts));
    for notice in [E2E_NOTICE, META_NOTICE] {
        if layout == Layout::Ios {
            out.extend_from_slice(LRM.as_bytes());
            push_stamp(out, layout, &t);
            out.extend_from_slice(customer.as_bytes());
            out.extend_from_slice(b": ");
            out.extend_from_slice(LRM.as_bytes());
        } else {
            push_stamp(out, layout, &t);
        }
        out.extend_from_slice(notice.as_bytes());
        if layout != Layout::Ios && notice == E2E_NOTICE {
            out.extend_from_slice(b" Tap to learn more.");
        }
        out.extend_from_slice(eol);
    }

    let mut extras_done = false;
    for m in &c.msgs {
        let author: &str = match m.role {
            Role::Customer => &customer,
            Role::Bot => BOT_NAME,
            Role::Agent => m.agent.map_or("Koravi", |l| l.agent().1),
            // Assignment and resolution records exist only in the helpdesk; an export has none.
            Role::System => continue,
        };
        let t = civil(clock.local(m.ts));
        push_stamp(out, layout, &t);
        out.extend_from_slice(author.as_bytes());
        out.extend_from_slice(b": ");
        out.extend_from_slice(m.text.as_bytes());
        let first_customer = m.role == Role::Customer && !extras_done;
        if first_customer && layout == Layout::AndroidUs {
            out.extend_from_slice(b" <This message was edited>");
        }
        out.extend_from_slice(eol);
        // Each layout shows one thing real exports contain right after the first customer message.
        if first_customer {
            extras_done = true;
            // Sent in the same second as the text, so the file stays in time order.
            let t = civil(clock.local(m.ts));
            match layout {
                Layout::Android24 => {
                    push_stamp(out, layout, &t);
                    out.extend_from_slice(author.as_bytes());
                    out.extend_from_slice(b": This message was deleted");
                }
                Layout::AndroidLong => {
                    push_stamp(out, layout, &t);
                    out.extend_from_slice(author.as_bytes());
                    out.extend_from_slice(b": <Media omitted>");
                }
                Layout::Ios => {
                    out.extend_from_slice(LRM.as_bytes());
                    push_stamp(out, layout, &t);
                    out.extend_from_slice(author.as_bytes());
                    out.extend_from_slice(b": ");
                    out.extend_from_slice(LRM.as_bytes());
                    out.extend_from_slice(b"<attached: 00000017-PHOTO-");
                    push_digits(out, t.year as u64, 4);
                    out.push(b'-');
                    push_digits(out, u64::from(t.month), 2);
                    out.push(b'-');
                    push_digits(out, u64::from(t.day), 2);
                    out.push(b'-');
                    push_digits(out, u64::from(t.hour), 2);
                    out.push(b'-');
                    push_digits(out, u64::from(t.minute), 2);
                    out.push(b'-');
                    push_digits(out, u64::from(t.second), 2);
                    out.extend_from_slice(b".jpg>");
                }
                Layout::AndroidUs => continue,
            }
            out.extend_from_slice(eol);
        }
    }
}

// ------------------------------------------------------------------------------------------------
// Intercom conversations
// ------------------------------------------------------------------------------------------------

/// The first conversation id of the Intercom workspace.
const INTERCOM_FIRST_ID: u64 = 215_468_300_000_000;
/// Salts of the streams of Intercom's ids and notes, so that they differ from the message ids.
const CONTACT_SALT: u64 = 0xC0_47AC_7000;
const PART_SALT: u64 = 0x9A27_0000;
const NOTE_SALT: u64 = 0x4E07_E000;
/// The keys of the parts a message adds (a note, an agent's assignment) are its own key with one
/// of these bits set: message keys (`seq << 8 | index`) never have them.
const NOTE_KEY: u64 = 1 << 63;
const ASSIGN_KEY: u64 = 1 << 62;
/// The bot as an Intercom author; workflows assign and close in its name.
const INTERCOM_BOT: &str = "{\"type\":\"bot\",\"id\":\"7001\",\"name\":\"Koravi Assistant\",\"email\":\"operator+koravi@intercom.io\"}";

/// A message as an HTML body, as Intercom's editor writes it: a paragraph per line, `&`, `<`,
/// `>` and `'` as references.
fn push_html_body(out: &mut Vec<u8>, text: &str) {
    let mut html = String::with_capacity(text.len() + 16);
    html.push_str("<p>");
    for ch in text.chars() {
        match ch {
            '&' => html.push_str("&amp;"),
            '<' => html.push_str("&lt;"),
            '>' => html.push_str("&gt;"),
            '\'' => html.push_str("&#39;"),
            '\n' => html.push_str("</p><p>"),
            c => html.push(c),
        }
    }
    html.push_str("</p>");
    push_json_str(out, &html);
}

/// A unique decimal id from `key` (mix64 is a bijection).
fn push_part_id(out: &mut Vec<u8>, seed: u64, key: u64) {
    out.push(b'"');
    let mut n = String::new();
    push_num(&mut n, mix64(key ^ mix64(seed ^ PART_SALT)) >> 24);
    out.extend_from_slice(n.as_bytes());
    out.push(b'"');
}

/// The customer's contact id, 24 hex digits as Intercom's are.
fn push_contact_id(out: &mut Vec<u8>, seed: u64, c: &Conversation) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push(b'"');
    let a = mix64(c.seq ^ mix64(seed ^ CONTACT_SALT));
    let b = mix64(a) >> 32;
    for i in (0..16).rev() {
        out.push(HEX[((a >> (i * 4)) & 0xF) as usize]);
    }
    for i in (0..8).rev() {
        out.push(HEX[((b >> (i * 4)) & 0xF) as usize]);
    }
    out.push(b'"');
}

/// The author object of a message by `role`: a user (a lead when the customer gave no name), the
/// bot, the admin of the agent's lane, or the support team.
fn push_intercom_author(
    out: &mut Vec<u8>,
    seed: u64,
    c: &Conversation,
    role: Role,
    agent: Option<Lane>,
) {
    match role {
        Role::Customer => {
            out.extend_from_slice(if c.name.is_some() {
                b"{\"type\":\"user\",\"id\":"
            } else {
                b"{\"type\":\"lead\",\"id\":"
            });
            push_contact_id(out, seed, c);
            out.extend_from_slice(b",\"name\":");
            match &c.name {
                Some(name) => push_json_str(out, name),
                None => out.extend_from_slice(b"null"),
            }
            out.extend_from_slice(b",\"email\":null}");
        }
        Role::Bot => out.extend_from_slice(INTERCOM_BOT.as_bytes()),
        Role::Agent => {
            let (id, name) = match agent {
                Some(lane) => (814_001 + lane as u64, lane.agent().0),
                None => (814_000, "Koravi Support"),
            };
            out.extend_from_slice(b"{\"type\":\"admin\",\"id\":\"");
            push_digits(out, id, 6);
            out.extend_from_slice(b"\",\"name\":");
            push_json_str(out, name);
            out.extend_from_slice(b",\"email\":null}");
        }
        Role::System => out.extend_from_slice(
            b"{\"type\":\"team\",\"id\":\"5500\",\"name\":\"Koravi Support\",\"email\":null}",
        ),
    }
}

/// One conversation part.
struct Part<'m> {
    kind: &'static str,
    ts: i64,
    key: u64,
    role: Role,
    agent: Option<Lane>,
    /// The body; `None` for a part without one (assignments, closes).
    text: Option<&'m str>,
    assign: Option<Lane>,
}

fn push_part(out: &mut Vec<u8>, seed: u64, c: &Conversation, p: &Part) {
    out.extend_from_slice(b"{\"type\":\"conversation_part\",\"id\":");
    push_part_id(out, seed, p.key);
    out.extend_from_slice(b",\"part_type\":\"");
    out.extend_from_slice(p.kind.as_bytes());
    out.extend_from_slice(b"\",\"body\":");
    match p.text {
        Some(t) => push_html_body(out, t),
        None => out.extend_from_slice(b"\"\""),
    }
    for key in [
        &b",\"created_at\":"[..],
        b",\"updated_at\":",
        b",\"notified_at\":",
    ] {
        out.extend_from_slice(key);
        push_num_bytes(out, p.ts);
    }
    out.extend_from_slice(b",\"assigned_to\":");
    match p.assign {
        Some(lane) => {
            out.extend_from_slice(b"{\"type\":\"team\",\"id\":\"");
            out.extend_from_slice(lane.id().as_bytes());
            out.extend_from_slice(b"\"}");
        }
        None => out.extend_from_slice(b"null"),
    }
    out.extend_from_slice(b",\"author\":");
    push_intercom_author(out, seed, c, p.role, p.agent);
    out.extend_from_slice(b",\"attachments\":[],\"external_id\":null,\"redacted\":false}");
}

fn push_num_bytes(out: &mut Vec<u8>, n: i64) {
    let mut s = String::new();
    if n < 0 {
        s.push('-');
    }
    push_num(&mut s, n.unsigned_abs());
    out.extend_from_slice(s.as_bytes());
}

/// The parts of a message: a comment, an assignment (a workflow's, or an agent's before their
/// reply) or a close by the bot's workflow; a quarter of the conversations with an agent get an
/// internal note before the agent's first reply.
fn parts_of<'m>(m: &'m Msg, note: bool, out: &mut Vec<Part<'m>>) {
    let comment = |role| Part {
        kind: "comment",
        ts: m.ts,
        key: m.id,
        role,
        agent: m.agent,
        text: Some(&m.text),
        assign: None,
    };
    if note {
        out.push(Part {
            kind: "note",
            ts: m.ts,
            key: m.id | NOTE_KEY,
            role: Role::Agent,
            agent: m.agent,
            text: Some("Checked the order in the back office before replying."),
            assign: None,
        });
    }
    match (m.event, m.role) {
        (Some(Event::Assign(lane)), Role::Agent) => {
            out.push(Part {
                kind: "assignment",
                text: None,
                key: m.id | ASSIGN_KEY,
                assign: Some(lane),
                ..comment(Role::Agent)
            });
            out.push(comment(Role::Agent));
        }
        (Some(Event::Assign(lane)), role) => out.push(Part {
            kind: "assignment",
            text: None,
            assign: Some(lane),
            ..comment(if role == Role::System {
                Role::Bot
            } else {
                role
            })
        }),
        (Some(Event::Resolved), role) => out.push(Part {
            kind: "close",
            text: None,
            ..comment(if role == Role::System {
                Role::Bot
            } else {
                role
            })
        }),
        (None, role) => out.push(comment(role)),
    }
}

/// One conversation, on one line: its first message is the `source`, the others its parts.
/// Returns the records handoff reads from it (the source and every part).
fn write_intercom(out: &mut Vec<u8>, seed: u64, c: &Conversation) -> u64 {
    let Some((first, rest)) = c.msgs.split_first() else {
        return 0;
    };
    let last = c.msgs.last().map_or(first.ts, |m| m.ts);
    let closed = c.msgs.iter().any(|m| m.event == Some(Event::Resolved));
    out.extend_from_slice(b"{\"type\":\"conversation\",\"id\":\"");
    out.extend_from_slice(c.id.as_bytes());
    out.extend_from_slice(b"\",\"created_at\":");
    push_num_bytes(out, first.ts);
    out.extend_from_slice(b",\"updated_at\":");
    push_num_bytes(out, last);
    out.extend_from_slice(if closed {
        b",\"state\":\"closed\",\"open\":false"
    } else {
        b",\"state\":\"open\",\"open\":true"
    });
    out.extend_from_slice(b",\"source\":{\"type\":\"conversation\",\"id\":");
    push_part_id(out, seed, first.id);
    out.extend_from_slice(b",\"delivered_as\":\"");
    out.extend_from_slice(match first.role {
        Role::Customer => b"customer_initiated".as_slice(),
        Role::Agent => b"admin_initiated",
        Role::Bot | Role::System => b"automated",
    });
    out.extend_from_slice(b"\",\"subject\":\"\",\"body\":");
    push_html_body(out, &first.text);
    out.extend_from_slice(b",\"author\":");
    push_intercom_author(out, seed, c, first.role, first.agent);
    out.extend_from_slice(b",\"attachments\":[],\"url\":null,\"redacted\":false},\"contacts\":{\"type\":\"contact.list\",\"contacts\":[{\"type\":\"contact\",\"id\":");
    push_contact_id(out, seed, c);
    out.extend_from_slice(b"}]},\"custom_attributes\":{\"Tier\":\"");
    out.extend_from_slice(c.tier.id().as_bytes());
    out.extend_from_slice(
        b"\"},\"conversation_parts\":{\"type\":\"conversation_part.list\",\"conversation_parts\":[",
    );
    // The note comes from a stream of its own, so the conversations are those of the other formats.
    let noted = mix64(c.seq ^ mix64(seed ^ NOTE_SALT)).is_multiple_of(4);
    let first_agent = rest.iter().position(|m| m.role == Role::Agent);
    let mut parts = Vec::with_capacity(rest.len() + 2);
    for (i, m) in rest.iter().enumerate() {
        parts_of(m, noted && first_agent == Some(i), &mut parts);
    }
    for (i, p) in parts.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        push_part(out, seed, c, p);
    }
    out.extend_from_slice(b"],\"total_count\":");
    push_num_bytes(out, parts.len() as i64);
    out.extend_from_slice(b"}}\n");
    1 + parts.len() as u64
}

// ------------------------------------------------------------------------------------------------
// Output
// ------------------------------------------------------------------------------------------------

enum Sink {
    Stdout(BufWriter<io::StdoutLock<'static>>),
    File(BufWriter<File>),
    Gzip(GzEncoder<BufWriter<File>>),
    Dir(PathBuf),
    /// Counts bytes only (calibration for `--bytes`).
    Count,
}

struct Emitter {
    format: Format,
    seed: u64,
    sink: Sink,
    scratch: Vec<u8>,
    clock: Madrid,
    bytes: u64,
    records: u64,
    conversations: u64,
}

impl Emitter {
    fn new(format: Format, seed: u64, sink: Sink) -> io::Result<Emitter> {
        let mut e = Emitter {
            format,
            seed,
            sink,
            scratch: Vec::with_capacity(64 * 1024),
            clock: Madrid::new(),
            bytes: 0,
            records: 0,
            conversations: 0,
        };
        if format == Format::Csv {
            e.scratch.extend_from_slice(CSV_HEADER.as_bytes());
            e.flush_scratch()?;
        }
        Ok(e)
    }

    fn flush_scratch(&mut self) -> io::Result<()> {
        self.bytes += self.scratch.len() as u64;
        match &mut self.sink {
            Sink::Stdout(w) => w.write_all(&self.scratch)?,
            Sink::File(w) => w.write_all(&self.scratch)?,
            Sink::Gzip(w) => w.write_all(&self.scratch)?,
            Sink::Dir(_) | Sink::Count => {}
        }
        self.scratch.clear();
        Ok(())
    }

    /// One record of a JSONL or CSV stream.
    fn message(&mut self, c: &Conversation, m: &Msg) -> io::Result<()> {
        match self.format {
            Format::Jsonl => write_jsonl(&mut self.scratch, self.seed, c, m),
            Format::Csv => write_csv(&mut self.scratch, self.seed, &mut self.clock, c, m),
            Format::Whatsapp | Format::Intercom => return Ok(()),
        }
        self.records += 1;
        if self.scratch.len() >= 32 * 1024 {
            self.flush_scratch()?;
        }
        Ok(())
    }

    /// A whole conversation: records in order, or one export file.
    fn conversation(&mut self, c: &Conversation) -> io::Result<()> {
        self.conversations += 1;
        if self.format == Format::Intercom {
            self.records += write_intercom(&mut self.scratch, self.seed, c);
            if self.scratch.len() >= 32 * 1024 {
                self.flush_scratch()?;
            }
            return Ok(());
        }
        if self.format != Format::Whatsapp {
            for m in &c.msgs {
                self.message(c, m)?;
            }
            return Ok(());
        }
        write_whatsapp(&mut self.scratch, &mut self.clock, c);
        self.records += c.msgs.iter().filter(|m| m.role != Role::System).count() as u64;
        if let Sink::Dir(dir) = &self.sink {
            // Named the way WhatsApp names exports; the file name is the conversation id handoff
            // reads, so a clash gets the " (2)" suffix a file manager would give it.
            let who = c.name.as_deref().unwrap_or(&c.phone);
            let mut path = dir.join(format!("WhatsApp Chat with {who}.txt"));
            let mut n = 2;
            while path.exists() {
                path = dir.join(format!("WhatsApp Chat with {who} ({n}).txt"));
                n += 1;
            }
            fs::write(&path, &self.scratch)
                .map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", path.display())))?;
        }
        self.flush_scratch()
    }

    fn finish(mut self) -> io::Result<(u64, u64, u64)> {
        self.flush_scratch()?;
        match self.sink {
            Sink::Stdout(mut w) => w.flush()?,
            Sink::File(mut w) => w.flush()?,
            Sink::Gzip(w) => w.finish()?.flush()?,
            Sink::Dir(_) | Sink::Count => {}
        }
        Ok((self.conversations, self.records, self.bytes))
    }
}

/// How many conversations to generate.
#[derive(Clone, Copy)]
enum Target {
    Conversations(u64),
    Bytes(u64),
}

/// Generates into `emitter` until `target` is met: conversation by conversation, or with
/// `interleave` open conversations whose messages are mixed (a random pick among them at each
/// step, keeping each conversation's own order).
fn run(
    ctx: &Context,
    emitter: &mut Emitter,
    target: Target,
    interleave: Option<usize>,
) -> io::Result<()> {
    let more = |emitter: &Emitter, next: u64| match target {
        Target::Conversations(n) => next < n,
        Target::Bytes(b) => emitter.bytes + emitter.scratch.len() as u64 <= b,
    };
    let mut next = 0u64;
    let Some(k) = interleave.filter(|&k| k > 1) else {
        let mut c = Conversation::new();
        while more(emitter, next) {
            build_conversation(ctx, next, &mut c);
            next += 1;
            emitter.conversation(&c)?;
        }
        return Ok(());
    };

    // The picks come from their own stream, so conversations are the same as without interleave.
    let mut picker = Rng::new(mix64(ctx.seed ^ 0x1D7E_57EA_1EAF));
    let mut open: Vec<(Conversation, usize)> = Vec::with_capacity(k);
    while open.len() < k && more(emitter, next) {
        let mut c = Conversation::new();
        build_conversation(ctx, next, &mut c);
        next += 1;
        emitter.conversations += 1;
        open.push((c, 0));
    }
    while !open.is_empty() {
        let slot = picker.below(open.len() as u64) as usize;
        let (c, cursor) = &mut open[slot];
        emitter.message(c, &c.msgs[*cursor])?;
        *cursor += 1;
        if *cursor == c.msgs.len() {
            if more(emitter, next) {
                build_conversation(ctx, next, &mut open[slot].0);
                open[slot].1 = 0;
                next += 1;
                emitter.conversations += 1;
            } else {
                open.swap_remove(slot);
            }
        }
    }
    Ok(())
}

fn main() -> ExitCode {
    let args = Args::parse();
    match generate(&args) {
        Ok(()) => ExitCode::SUCCESS,
        // A closed pipe (`| head`) is the reader saying it has enough.
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("generate: {e}");
            ExitCode::from(2)
        }
    }
}

fn generate(args: &Args) -> io::Result<()> {
    if args.format == Format::Whatsapp {
        if args.out == "-" {
            return Err(io::Error::other(
                "--format whatsapp writes one file per conversation: give a directory with --out DIR",
            ));
        }
        if args.interleave.is_some_and(|k| k > 1) {
            return Err(io::Error::other(
                "--interleave applies to jsonl and csv: a WhatsApp export holds one conversation",
            ));
        }
    }
    if args.format == Format::Intercom && args.interleave.is_some_and(|k| k > 1) {
        return Err(io::Error::other(
            "--interleave applies to jsonl and csv: an Intercom conversation is one document",
        ));
    }
    let prefix = format!("wa-{:04}-{:02}-", args.start.year, args.start.month);
    let started = Instant::now();

    let target = match (args.conversations, args.bytes) {
        (_, Some(b)) => Target::Bytes(b),
        (n, None) => Target::Conversations(n.unwrap_or(3000)),
    };
    // Start times spread the expected number of conversations over the month; with --bytes that
    // number comes from a quick calibration run on a separate stream.
    let expected = match target {
        Target::Conversations(n) => n,
        Target::Bytes(b) => {
            let timeline = Timeline::new(args.start, CALIBRATION);
            let ctx = Context {
                seed: args.seed ^ 0xCA11_B8A7_E000,
                timeline: &timeline,
                format: args.format,
                prefix: &prefix,
            };
            let mut counter = Emitter::new(args.format, ctx.seed, Sink::Count)?;
            run(&ctx, &mut counter, Target::Conversations(CALIBRATION), None)?;
            (b / (counter.bytes / CALIBRATION).max(1)).max(1)
        }
    };
    let timeline = Timeline::new(args.start, expected);
    let ctx = Context {
        seed: args.seed,
        timeline: &timeline,
        format: args.format,
        prefix: &prefix,
    };

    let sink = if args.format == Format::Whatsapp {
        let dir = PathBuf::from(&args.out);
        fs::create_dir_all(&dir)
            .map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", dir.display())))?;
        Sink::Dir(dir)
    } else if args.out == "-" {
        Sink::Stdout(BufWriter::with_capacity(1 << 20, io::stdout().lock()))
    } else {
        let file = File::create(&args.out)
            .map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", args.out)))?;
        let w = BufWriter::with_capacity(1 << 20, file);
        if args.out.ends_with(".gz") {
            Sink::Gzip(GzEncoder::new(w, Compression::fast()))
        } else {
            Sink::File(w)
        }
    };
    let mut emitter = Emitter::new(args.format, args.seed, sink)?;
    run(&ctx, &mut emitter, target, args.interleave)?;
    let (conversations, records, bytes) = emitter.finish()?;

    let secs = started.elapsed().as_secs_f64();
    eprintln!(
        "generate: {conversations} conversations, {records} records, {bytes} bytes in {secs:.2} s ({:.0} MB/s)",
        bytes as f64 / 1e6 / secs.max(1e-9)
    );
    Ok(())
}

//! HTML message bodies as the plain text a customer read.
//!
//! Support platforms (Intercom parts, Zendesk comments) store what an agent typed as HTML. The
//! rules read text, so handoff keeps what a reader sees: tags removed, a paragraph or line break
//! as one `\n`, character references decoded, white space at either end trimmed. This is not an
//! HTML parser: message bodies are small fragments an editor wrote, and a tag that never closes
//! (`a < b`) is kept as text.

/// The plain text of an HTML fragment.
pub fn plain(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    // Every message body is markup: this runs once per record, so it allocates only its output.
    while let Some(i) = memchr::memchr2(b'<', b'&', rest.as_bytes()) {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let taken = if rest.starts_with('<') {
            let (taken, text) = tag(rest);
            out.push_str(text);
            taken
        } else {
            reference(rest, &mut out)
        };
        rest = &rest[taken..];
    }
    out.push_str(rest);
    tidy(&out)
}

/// The tags that end a line of text.
const BREAKS: [&str; 11] = [
    "br", "p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6",
];

/// A tag at the start of `s`: how many bytes it takes and what it stands for.
fn tag(s: &str) -> (usize, &'static str) {
    let Some(end) = memchr::memchr(b'>', s.as_bytes()) else {
        return (1, "<");
    };
    let inner = s[1..end].trim_start_matches('/');
    let len = inner.bytes().take_while(u8::is_ascii_alphanumeric).count();
    let name = &inner[..len];
    if name.is_empty() {
        // `a < b > c` or `<3`: not a tag.
        return (1, "<");
    }
    let breaks = BREAKS.iter().any(|b| b.eq_ignore_ascii_case(name));
    (end + 1, if breaks { "\n" } else { "" })
}

/// A character reference at the start of `s` (`&amp;`, `&#39;`, `&#x2013;`), or a lone `&`:
/// what it stands for, pushed onto `out`, and how many bytes it takes.
fn reference(s: &str, out: &mut String) -> usize {
    let head = &s.as_bytes()[1..s.len().min(11)];
    let Some(end) = memchr::memchr(b';', head).map(|i| i + 1) else {
        out.push('&');
        return 1;
    };
    let name = &s[1..end];
    match name.strip_prefix('#') {
        Some(num) => match numeric(num) {
            Some(c) => out.push(c),
            None => {
                out.push('&');
                return 1;
            }
        },
        None => match named(name) {
            Some(text) => out.push_str(text),
            None => {
                out.push('&');
                return 1;
            }
        },
    }
    end + 1
}

fn numeric(num: &str) -> Option<char> {
    let code = match num.strip_prefix(['x', 'X']) {
        Some(hex) => u32::from_str_radix(hex, 16).ok()?,
        None => num.parse().ok()?,
    };
    char::from_u32(code)
}

/// The named references editors write; others are kept as written.
fn named(name: &str) -> Option<&'static str> {
    Some(match name {
        "amp" => "&",
        "lt" => "<",
        "gt" => ">",
        "quot" => "\"",
        "apos" => "'",
        "nbsp" => "\u{a0}",
        "ndash" => "\u{2013}",
        "mdash" => "\u{2014}",
        "hellip" => "\u{2026}",
        "lsquo" => "\u{2018}",
        "rsquo" => "\u{2019}",
        "ldquo" => "\u{201c}",
        "rdquo" => "\u{201d}",
        "euro" => "\u{20ac}",
        "pound" => "\u{a3}",
        "copy" => "\u{a9}",
        "reg" => "\u{ae}",
        "trade" => "\u{2122}",
        "bull" => "\u{2022}",
        _ => return None,
    })
}

/// Runs of breaks (`</p><p>`, `<p><br></p>`) as one `\n`, trimmed at both ends.
fn tidy(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for line in s.split('\n').map(str::trim).filter(|l| !l.is_empty()) {
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(line);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::plain;

    #[test]
    fn paragraphs_and_breaks_are_one_newline() {
        assert_eq!(
            plain("<p>Hi Lena,</p><p>the parcel is <b>lost</b>.</p>"),
            "Hi Lena,\nthe parcel is lost."
        );
        assert_eq!(plain("one<br>two<br/><br />three"), "one\ntwo\nthree");
    }

    #[test]
    fn references_are_decoded() {
        assert_eq!(
            plain("it&#39;s &amp; that&nbsp;&ndash; &#x2713; &rarr;"),
            "it's & that\u{a0}\u{2013} \u{2713} &rarr;"
        );
    }

    #[test]
    fn text_that_only_looks_like_markup_stays() {
        assert_eq!(plain("a < b and c > d"), "a < b and c > d");
        assert_eq!(plain("R&D <3"), "R&D <3");
        assert_eq!(plain("  plain  "), "plain");
    }

    proptest::proptest! {
        /// Any input gives text without a panic, and text with no markup comes back trimmed.
        #[test]
        fn never_panics(s in ".{0,60}") {
            let _ = plain(&s);
            if !s.contains(['<', '&', '\n']) {
                proptest::prop_assert_eq!(plain(&s), s.trim());
            }
        }
    }
}

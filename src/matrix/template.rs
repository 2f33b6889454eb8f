//! Handoff message templates: `{agent}`, `{eta}`, `{lane}`, `{customer_name}` and context fields.
//!
//! `{{` and `}}` stand for literal braces. Parsing keeps byte ranges so lint can point at the
//! placeholder inside the message, and replay renders from the same pieces.

/// A piece of a template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece<'a> {
    Text(&'a str),
    /// A placeholder: its name and the byte range of `{name}` in the template.
    Field {
        name: &'a str,
        start: usize,
        end: usize,
    },
    /// A `{` with no closing `}`, or a `}` with no opening: byte offset of the brace.
    Stray {
        at: usize,
    },
}

/// Splits a template into pieces.
pub fn parse(t: &str) -> Vec<Piece<'_>> {
    let mut out = Vec::new();
    let bytes = t.as_bytes();
    let (mut i, mut text_start) = (0, 0);
    while i < bytes.len() {
        match bytes[i] {
            b'{' | b'}' if bytes.get(i + 1) == Some(&bytes[i]) => {
                if text_start < i + 1 {
                    out.push(Piece::Text(&t[text_start..i + 1]));
                }
                i += 2;
                text_start = i;
            }
            b'{' => {
                if text_start < i {
                    out.push(Piece::Text(&t[text_start..i]));
                }
                match t[i + 1..].find(['}', '{']) {
                    Some(j) if bytes[i + 1 + j] == b'}' => {
                        let end = i + 1 + j + 1;
                        out.push(Piece::Field {
                            name: t[i + 1..end - 1].trim(),
                            start: i,
                            end,
                        });
                        i = end;
                    }
                    _ => {
                        out.push(Piece::Stray { at: i });
                        i += 1;
                    }
                }
                text_start = i;
            }
            b'}' => {
                if text_start < i {
                    out.push(Piece::Text(&t[text_start..i]));
                }
                out.push(Piece::Stray { at: i });
                i += 1;
                text_start = i;
            }
            _ => i += 1,
        }
    }
    if text_start < t.len() {
        out.push(Piece::Text(&t[text_start..]));
    }
    out
}

/// The placeholder names a template uses.
pub fn fields(t: &str) -> Vec<&str> {
    parse(t)
        .into_iter()
        .filter_map(|p| match p {
            Piece::Field { name, .. } => Some(name),
            _ => None,
        })
        .collect()
}

/// Renders a template; `value` gives each placeholder's text (unknown ones are kept as written).
pub fn render(t: &str, value: &dyn Fn(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(t.len());
    for p in parse(t) {
        match p {
            Piece::Text(s) => out.push_str(s),
            Piece::Field { name, start, end } => match value(name) {
                Some(v) => out.push_str(&v),
                None => out.push_str(&t[start..end]),
            },
            Piece::Stray { at } => out.push_str(&t[at..at + 1]),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pieces() {
        assert_eq!(fields("I'm {agent}, back in {eta}."), vec!["agent", "eta"]);
        assert_eq!(fields("{{literal}} {x}"), vec!["x"]);
        assert_eq!(
            parse("a { b"),
            vec![Piece::Text("a "), Piece::Stray { at: 2 }, Piece::Text(" b")]
        );
        let r = render("Hi {customer_name}, {agent} here {{ok}}", &|n| {
            (n == "agent").then(|| "Anita".into())
        });
        assert_eq!(r, "Hi {customer_name}, Anita here {ok}");
    }
}

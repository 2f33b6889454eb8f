//! Entry headers written in Arabic-Indic or Persian digits, as phones set to Arabic, Persian or
//! Urdu write them: `٢‏/١‏/٢١، ١٠:٠٠ م - Name: text`.
//!
//! The header scanner reads ASCII digits byte by byte (it is the first look at every line). An
//! export whose entries start with these digits is first rewritten so that each header (from the
//! line's start to the ` - ` or `] ` that ends it) has ASCII digits and no right-to-left marks;
//! the message text after it is kept as written. Exports in Western digits, nearly all of them,
//! are passed through without a copy.

use std::borrow::Cow;

/// The ASCII digit of an Arabic-Indic (U+0660…) or Eastern Arabic-Indic (U+06F0…) digit.
fn western(c: char) -> Option<char> {
    let offset = match c {
        '\u{660}'..='\u{669}' => u32::from(c) - 0x660,
        '\u{6F0}'..='\u{6F9}' => u32::from(c) - 0x6F0,
        _ => return None,
    };
    char::from_digit(offset, 10)
}

/// Marks that phones write around the numbers of a right-to-left header.
fn is_mark(c: char) -> bool {
    matches!(c, '\u{200E}' | '\u{200F}' | '\u{061C}')
}

/// Whether a line starts like a header in these digits: an optional `[` and marks, then a digit.
fn starts_eastern(line: &str) -> bool {
    line.chars()
        .find(|c| *c != '[' && !is_mark(*c))
        .is_some_and(|c| western(c).is_some())
}

/// The text with every header in these digits rewritten, or the text itself when it has none.
pub(crate) fn western_heads(text: Cow<'_, str>) -> Cow<'_, str> {
    if !text.split('\n').any(starts_eastern) {
        return text;
    }
    let mut out = String::with_capacity(text.len());
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        if starts_eastern(line) {
            rewrite(line, &mut out);
        } else {
            out.push_str(line);
        }
    }
    Cow::Owned(out)
}

/// One line: its header in ASCII digits without marks, then the rest as written.
fn rewrite(line: &str, out: &mut String) {
    let end = [" - ", "] "]
        .iter()
        .filter_map(|sep| line.find(sep))
        .min()
        .unwrap_or(line.len());
    let (head, rest) = line.split_at(end);
    for c in head.chars() {
        match western(c) {
            Some(d) => out.push(d),
            None if is_mark(c) => {}
            None => out.push(c),
        }
    }
    out.push_str(rest);
}

#[cfg(test)]
mod tests {
    use super::western_heads;

    #[test]
    fn headers_get_ascii_digits_and_text_stays() {
        let text = "٢‏/١‏/٢١، ١٠:٠٠ م - أحمد: طلبي رقم ٤٥٦ لم يصل\n\
                    متابعة ٧\n\
                    [۲/۱/۲۱، ۱۰:۰۱:۰۰ ص] أحمد: ok";
        assert_eq!(
            western_heads(text.into()),
            "2/1/21، 10:00 م - أحمد: طلبي رقم ٤٥٦ لم يصل\n\
             متابعة ٧\n\
             [2/1/21، 10:01:00 ص] أحمد: ok"
        );
    }

    #[test]
    fn western_exports_are_not_copied() {
        let text = "2/1/21, 10:00 - A: ٤٥٦";
        assert!(matches!(
            western_heads(text.into()),
            std::borrow::Cow::Borrowed(_)
        ));
    }
}

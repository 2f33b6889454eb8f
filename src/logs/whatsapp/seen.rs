//! Who a run's WhatsApp exports showed: the authors met and which configured `bots` and `agents`
//! names turned up, so that handoff can say, once per run, when the roles it was given do not fit
//! the exports (SPEC section 3).
//!
//! An export has no roles, so with no bot named every author is the customer and the chats are
//! person-to-person as far as handoff can tell; a configured name that no export contains is most
//! likely misspelt. Each file's [`Seen`] is collected while it is read and the files' are merged in
//! file order with [`Seen::absorb`] (through `Stats::absorb`), on the one-reader path and file by
//! file alike, so the notes of [`Seen::notes`] are the same on every path and come once, with the
//! run's summary. Memory stays bounded: at most [`AUTHOR_CAP`] names are kept.

/// How many distinct authors are kept; beyond them only the fact that there were more.
pub const AUTHOR_CAP: usize = 32;

/// How many of the authors kept a note names.
const SHOWN: usize = 10;

/// What the WhatsApp exports of a run, or of one file, showed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Seen {
    /// WhatsApp exports read.
    pub files: u64,
    /// Distinct authors of messages, in the order first met, at most [`AUTHOR_CAP`].
    authors: Vec<String>,
    /// Whether more distinct authors were met than are kept.
    more: bool,
    /// The configured `bots` and `agents` names, each with whether an export contains it.
    bots: Vec<(String, bool)>,
    agents: Vec<(String, bool)>,
}

impl Seen {
    /// One export about to be read with these configured names.
    pub fn file(bots: &[&str], agents: &[&str]) -> Seen {
        let names = |v: &[&str]| v.iter().map(|n| ((*n).to_owned(), false)).collect();
        Seen {
            files: 1,
            bots: names(bots),
            agents: names(agents),
            ..Seen::default()
        }
    }

    /// A message by `name`. `hint` is the caller's: where the previous author was found, so a
    /// run of messages by one author costs one comparison each.
    pub fn author(&mut self, name: &str, hint: &mut usize) {
        if self.authors.get(*hint).is_some_and(|a| a == name) {
            return;
        }
        if let Some(k) = self.authors.iter().position(|a| a == name) {
            *hint = k;
        } else if self.authors.len() < AUTHOR_CAP {
            *hint = self.authors.len();
            self.authors.push(name.to_owned());
        } else {
            self.more = true;
        }
    }

    /// Whether a message's author is worth looking up: once the names kept are full and more
    /// were met, a new name changes nothing.
    pub fn wants_authors(&self) -> bool {
        !self.more
    }

    /// The configured bot (`agent` false) or agent at `k` wrote a message.
    pub fn found(&mut self, agent: bool, k: usize) {
        let names = if agent {
            &mut self.agents
        } else {
            &mut self.bots
        };
        if let Some((_, seen)) = names.get_mut(k) {
            *seen = true;
        }
    }

    /// Adds what a later file (or part of the input) showed.
    pub fn absorb(&mut self, later: Seen) {
        self.files += later.files;
        self.more |= later.more;
        for a in later.authors {
            if self.authors.contains(&a) {
                continue;
            }
            if self.authors.len() < AUTHOR_CAP {
                self.authors.push(a);
            } else {
                self.more = true;
            }
        }
        merge_names(&mut self.bots, later.bots);
        merge_names(&mut self.agents, later.agents);
    }

    /// The notes for stderr: none unless WhatsApp exports were read; then one when no bot is
    /// named, and one naming the configured names that no export contains.
    pub fn notes(&self) -> Vec<String> {
        let mut notes = Vec::new();
        if self.files == 0 {
            return notes;
        }
        if self.bots.is_empty() {
            notes.push(format!(
                "no bot is named in [import.whatsapp] bots, so the WhatsApp exports read as person-to-person chats: every author is the customer. Authors seen: {}. Name the bot and the agents in handoff.toml: [import.whatsapp] bots = [\"…\"], agents = [\"…\"]",
                self.author_list()
            ));
        }
        let missing = |names: &[(String, bool)], what: &str| {
            names
                .iter()
                .filter(|(_, seen)| !seen)
                .map(|(n, _)| format!("{what} {}", quoted(n)))
                .collect::<Vec<_>>()
        };
        let mut absent = missing(&self.bots, "bot");
        absent.extend(missing(&self.agents, "agent"));
        if !absent.is_empty() {
            notes.push(format!(
                "no WhatsApp export has a message by the {} named in [import.whatsapp]. Authors seen: {}",
                absent.join(", the "),
                self.author_list()
            ));
        }
        notes
    }

    /// `"Ana", "Bob" and 3 more`: the first authors, as TOML strings so they can be pasted.
    fn author_list(&self) -> String {
        if self.authors.is_empty() {
            return "none".to_owned();
        }
        let shown: Vec<String> = self.authors.iter().take(SHOWN).map(|a| quoted(a)).collect();
        let mut s = shown.join(", ");
        let rest = self.authors.len().saturating_sub(SHOWN);
        if self.more {
            s.push_str(&format!(" and more than {rest} more"));
        } else if rest > 0 {
            s.push_str(&format!(" and {rest} more"));
        }
        s
    }
}

/// A configured name is found when any part of the input contains it. The configuration is the
/// same for every file; a part read with none (a `Stats` that read no export) takes the other's.
fn merge_names(names: &mut Vec<(String, bool)>, later: Vec<(String, bool)>) {
    if names.is_empty() {
        *names = later;
        return;
    }
    for ((_, seen), (_, also)) in names.iter_mut().zip(later) {
        *seen |= also;
    }
}

/// `name` as a TOML basic string.
fn quoted(name: &str) -> String {
    let mut s = String::with_capacity(name.len() + 2);
    s.push('"');
    for c in name.chars() {
        match c {
            '"' => s.push_str("\\\""),
            '\\' => s.push_str("\\\\"),
            c if c.is_control() => s.push_str(&format!("\\u{:04X}", u32::from(c))),
            c => s.push(c),
        }
    }
    s.push('"');
    s
}

#[cfg(test)]
mod tests;

//! Value maps: `[import.values.FIELD]` tables that rename a field's raw values before they are
//! interpreted (`EndUser = "customer"` for `role`, `BotEscalated = "handoff"` for `event`).
//!
//! Every reader applies them (CSV, JSONL, JSON documents and the platform profiles), in
//! [`crate::logs::fields::Builder`], so a mapped value then goes through the same rules as one
//! written canonically. A value is looked up exactly; the key `"*"` stands for every value the map
//! does not name. A value mapped to the empty string is absent, as a null or an empty cell is (a
//! field path with alternatives then tries the next one).

use crate::logs::fields::{Field, Rename};

/// One field's map, sorted by the value it renames. Maps hold a handful of values and every
/// record looks several up: a binary search beats hashing the value.
type Map = Vec<(String, String)>;

/// The value maps of a run, per canonical field.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ValueMaps {
    maps: Vec<(Field, Map)>,
    /// Bit `f as usize` is set when field `f` has a map: the check every value pays.
    mask: u16,
}

impl ValueMaps {
    /// Adds `from → to` for `field`; a later entry for the same value replaces an earlier one
    /// (so a configured map overrides a profile's).
    pub fn insert(&mut self, field: Field, from: &str, to: &str) {
        self.mask |= 1 << (field as usize);
        let map = match self.maps.iter().position(|(f, _)| *f == field) {
            Some(i) => &mut self.maps[i].1,
            None => {
                self.maps.push((field, Map::new()));
                let last = self.maps.len() - 1;
                &mut self.maps[last].1
            }
        };
        match map.binary_search_by(|(k, _)| k.as_str().cmp(from)) {
            Ok(i) => map[i].1 = to.to_owned(),
            Err(i) => map.insert(i, (from.to_owned(), to.to_owned())),
        }
    }

    /// Adds every entry of `other`, replacing this map's entries for the same values.
    pub fn extend(&mut self, other: &ValueMaps) {
        for (field, map) in &other.maps {
            for (from, to) in map {
                self.insert(*field, from, to);
            }
        }
    }

    pub fn is_empty(&self) -> bool {
        self.mask == 0
    }

    /// Whether `field` has a map.
    #[inline]
    pub fn maps(&self, field: Field) -> bool {
        self.mask & (1 << (field as usize)) != 0
    }

    /// What `value` of `field` becomes, when the map names it (or has `"*"`).
    pub fn get(&self, field: Field, value: &str) -> Option<&str> {
        if !self.maps(field) {
            return None;
        }
        let (_, map) = self.maps.iter().find(|(f, _)| *f == field)?;
        let find = |v: &str| map.binary_search_by(|(k, _)| k.as_str().cmp(v)).ok();
        let i = find(value).or_else(|| find("*"))?;
        Some(map[i].1.as_str())
    }
}

impl Rename for ValueMaps {
    fn is_empty(&self) -> bool {
        ValueMaps::is_empty(self)
    }
    fn maps(&self, field: Field) -> bool {
        ValueMaps::maps(self, field)
    }
    fn get(&self, field: Field, value: &str) -> Option<&str> {
        ValueMaps::get(self, field, value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_values_then_the_wildcard_and_later_entries_win() {
        let mut m = ValueMaps::default();
        assert!(m.is_empty());
        m.insert(Field::Role, "EndUser", "customer");
        m.insert(Field::Role, "*", "");
        let mut later = ValueMaps::default();
        later.insert(Field::Role, "EndUser", "agent");
        assert_eq!(m.get(Field::Role, "EndUser"), Some("customer"));
        assert_eq!(m.get(Field::Role, "Bot"), Some(""));
        assert_eq!(m.get(Field::Event, "x"), None);
        m.extend(&later);
        assert_eq!(m.get(Field::Role, "EndUser"), Some("agent"));
        assert!(m.maps(Field::Role) && !m.maps(Field::Text));
    }
}

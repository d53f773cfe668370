//! `--group-by`: one row per group with `count`, `users`, `phones`,
//! `actors`, `denied`, `first_seen` and `last_seen`, sorted (`--sort`) and
//! cut (`--top`). Memory grows with the groups (and the distinct users,
//! phones and actors inside each, held as 64-bit hashes), never with the
//! number of events.

use super::keys::{Facts, Key};
use std::cmp::Ordering;
use std::collections::{HashMap, HashSet};

/// The summary columns after the keys, in output order.
pub const COLUMNS: [Column; 7] = [
    Column::Count,
    Column::Users,
    Column::Phones,
    Column::Actors,
    Column::Denied,
    Column::FirstSeen,
    Column::LastSeen,
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    Count,
    Users,
    Phones,
    Actors,
    Denied,
    FirstSeen,
    LastSeen,
}

impl Column {
    pub fn name(self) -> &'static str {
        match self {
            Column::Count => "count",
            Column::Users => "users",
            Column::Phones => "phones",
            Column::Actors => "actors",
            Column::Denied => "denied",
            Column::FirstSeen => "first_seen",
            Column::LastSeen => "last_seen",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Column::Count => "Count",
            Column::Users => "Users",
            Column::Phones => "Phones",
            Column::Actors => "Actors",
            Column::Denied => "Denied",
            Column::FirstSeen => "First Seen",
            Column::LastSeen => "Last Seen",
        }
    }
}

/// One output row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// The group's key values, in `--group-by` order.
    pub keys: Vec<String>,
    pub count: u64,
    pub users: u64,
    pub phones: u64,
    pub actors: u64,
    pub denied: u64,
    /// Milliseconds since the epoch.
    pub first_seen: Option<i64>,
    pub last_seen: Option<i64>,
}

impl Row {
    /// A numeric column's value (times as milliseconds).
    pub fn number(&self, column: Column) -> Option<i64> {
        let n = |v: u64| Some(v as i64);
        match column {
            Column::Count => n(self.count),
            Column::Users => n(self.users),
            Column::Phones => n(self.phones),
            Column::Actors => n(self.actors),
            Column::Denied => n(self.denied),
            Column::FirstSeen => self.first_seen,
            Column::LastSeen => self.last_seen,
        }
    }
}

/// What `--sort` sorts by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortBy {
    /// The n-th `--group-by` key.
    Key(usize),
    Column(Column),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sort {
    pub by: SortBy,
    pub descending: bool,
}

impl Sort {
    /// Parses `COLUMN[:asc|:desc]`; counts sort descending by default,
    /// keys and times ascending.
    pub fn parse(text: &str, keys: &[Key]) -> Result<Sort, String> {
        let (name, dir) = match text.split_once(':') {
            Some((n, d)) => (n.trim(), Some(d.trim())),
            None => (text.trim(), None),
        };
        let by = if let Some(i) = keys.iter().position(|k| k.name() == name) {
            SortBy::Key(i)
        } else if let Some(c) = COLUMNS.iter().find(|c| c.name() == name) {
            SortBy::Column(*c)
        } else {
            let mut known: Vec<&str> = keys.iter().map(|k| k.name()).collect();
            known.extend(COLUMNS.iter().map(|c| c.name()));
            return Err(format!(
                "--sort: unknown column `{name}`; expected one of {}",
                known.join(", ")
            ));
        };
        let descending = match dir {
            None => {
                matches!(by, SortBy::Column(c) if !matches!(c, Column::FirstSeen | Column::LastSeen))
            }
            Some("desc") => true,
            Some("asc") => false,
            Some(other) => {
                return Err(format!(
                    "--sort: unknown direction `{other}`; use `{name}:asc` or `{name}:desc`"
                ));
            }
        };
        Ok(Sort { by, descending })
    }

    fn compare(&self, a: &Row, b: &Row) -> Ordering {
        let primary = match self.by {
            SortBy::Key(i) => a.keys[i].cmp(&b.keys[i]),
            SortBy::Column(c) => a.number(c).cmp(&b.number(c)),
        };
        let primary = if self.descending {
            primary.reverse()
        } else {
            primary
        };
        primary
            .then_with(|| b.count.cmp(&a.count))
            .then_with(|| a.keys.cmp(&b.keys))
    }
}

impl Default for Sort {
    fn default() -> Self {
        Sort {
            by: SortBy::Column(Column::Count),
            descending: true,
        }
    }
}

#[derive(Debug, Default)]
struct Stats {
    count: u64,
    users: HashSet<u64>,
    phones: HashSet<u64>,
    actors: HashSet<u64>,
    denied: u64,
    first: Option<i64>,
    last: Option<i64>,
}

/// Separates key values inside the map key (a control character no
/// normalised key contains).
const SEP: char = '\u{1f}';

/// The running summary.
#[derive(Debug)]
pub struct Summary {
    keys: Vec<Key>,
    groups: HashMap<String, Stats>,
    scratch: String,
    /// Events put under `unknown` for a time key (day, hour) because their
    /// `published` time could not be read.
    pub untimed: u64,
}

impl Summary {
    pub fn new(keys: Vec<Key>) -> Self {
        Summary {
            keys,
            groups: HashMap::new(),
            scratch: String::new(),
            untimed: 0,
        }
    }

    pub fn keys(&self) -> &[Key] {
        &self.keys
    }

    pub fn len(&self) -> usize {
        self.groups.len()
    }

    pub fn is_empty(&self) -> bool {
        self.groups.is_empty()
    }

    pub fn add(&mut self, facts: &Facts<'_>) {
        if facts.time.is_none() && self.keys.iter().any(|k| matches!(k, Key::Day | Key::Hour)) {
            self.untimed += 1;
        }
        self.scratch.clear();
        for (i, key) in self.keys.iter().enumerate() {
            if i > 0 {
                self.scratch.push(SEP);
            }
            self.scratch.push_str(&facts.group(*key));
        }
        let stats = match self.groups.get_mut(self.scratch.as_str()) {
            Some(s) => s,
            None => self.groups.entry(self.scratch.clone()).or_default(),
        };
        stats.count += 1;
        if let Some(h) = facts.hash_of(Key::User) {
            stats.users.insert(h);
        }
        if let Some(h) = facts.hash_of(Key::Phone) {
            stats.phones.insert(h);
        }
        if let Some(h) = facts.hash_of(Key::Actor) {
            stats.actors.insert(h);
        }
        if facts.denied() {
            stats.denied += 1;
        }
        if let Some(t) = facts.time {
            stats.first = Some(stats.first.map_or(t, |f| f.min(t)));
            stats.last = Some(stats.last.map_or(t, |l| l.max(t)));
        }
    }

    /// The rows as they stand, sorted and cut to `top`.
    pub fn rows(&self, sort: &Sort, top: Option<usize>) -> Vec<Row> {
        let mut rows: Vec<Row> = self
            .groups
            .iter()
            .map(|(k, s)| Row {
                keys: k.split(SEP).map(str::to_string).collect(),
                count: s.count,
                users: s.users.len() as u64,
                phones: s.phones.len() as u64,
                actors: s.actors.len() as u64,
                denied: s.denied,
                first_seen: s.first,
                last_seen: s.last,
            })
            .collect();
        rows.sort_by(|a, b| sort.compare(a, b));
        if let Some(n) = top {
            rows.truncate(n);
        }
        rows
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::Record;

    fn summary(keys: Vec<Key>, events: &[&str]) -> Summary {
        let mut s = Summary::new(keys);
        for json in events {
            let record = Record::from_event(json, serde_json::from_str(json).unwrap(), None);
            s.add(&Facts::of(&record));
        }
        s
    }

    const EVENTS: [&str; 4] = [
        r#"{"uuid":"1","published":"2024-05-01T10:00:00Z","target":[{"type":"User","alternateId":"a"},{"type":"MobilePhone","alternateId":"+15550000001"}]}"#,
        r#"{"uuid":"2","published":"2024-05-01T09:00:00Z","target":[{"type":"User","alternateId":"b"}],"debugContext":{"debugData":{"phoneNumber":"5550000001","countryCallingCode":"1"}},"outcome":{"result":"DENY"}}"#,
        r#"{"uuid":"3","published":"2024-05-01T11:00:00Z","target":[{"type":"User","alternateId":"a"},{"type":"MobilePhone","alternateId":"+447700900123"}]}"#,
        r#"{"uuid":"4","target":[{"type":"User","alternateId":"c"}]}"#,
    ];

    #[test]
    fn groups_count_distinct_and_span() {
        let rows = summary(vec![Key::Phone], &EVENTS).rows(&Sort::default(), None);
        assert_eq!(rows.len(), 3);
        let top = &rows[0];
        assert_eq!(top.keys, ["+15550000001"]);
        assert_eq!((top.count, top.users, top.phones, top.denied), (2, 2, 1, 1));
        assert_eq!(top.first_seen, Some(1_714_554_000_000));
        assert_eq!(top.last_seen, Some(1_714_557_600_000));
        let unknown = rows.iter().find(|r| r.keys == ["unknown"]).unwrap();
        assert_eq!(
            (unknown.count, unknown.phones, unknown.first_seen),
            (1, 0, None)
        );
    }

    #[test]
    fn several_keys_sort_and_top() {
        let s = summary(vec![Key::Country, Key::User], &EVENTS);
        let rows = s.rows(&Sort::default(), None);
        let keys: Vec<Vec<String>> = rows.iter().map(|r| r.keys.clone()).collect();
        assert_eq!(
            keys,
            [["1", "a"], ["1", "b"], ["44", "a"], ["unknown", "c"]]
        );
        let by_key = Sort::parse("user", s.keys()).unwrap();
        let rows = s.rows(&by_key, Some(2));
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].keys[1], "a");
        assert_eq!(rows[1].keys[1], "a");
        let by_first = Sort::parse("first_seen:desc", s.keys()).unwrap();
        assert_eq!(s.rows(&by_first, Some(1))[0].keys, ["44", "a"]);
        assert!(
            Sort::parse("nope", s.keys())
                .unwrap_err()
                .contains("count, users")
        );
        assert!(Sort::parse("count:up", s.keys()).is_err());
    }
}

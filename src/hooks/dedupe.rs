//! De-duplication memory for event-hook deliveries: the envelope `eventId`s
//! and event `uuid`s seen recently (bounded, oldest forgotten first), and
//! the `--state` file that keeps them across restarts. The file is written
//! atomically ([`crate::atomic_file`]), so a crash
//! leaves either the old or the new state, never a torn one.

use crate::exit::{ExitCode, Failure};
use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

/// How many ids of each kind are remembered.
pub const DEFAULT_CAPACITY: usize = 10_000;

/// What identifies a state file written by the event-hook receiver.
const KIND: &str = "oksms watch --listen";
const VERSION: u32 = 1;

/// A bounded set of ids that, when full, forgets the *oldest* entry, where
/// "oldest" is by a time key (the event's or delivery's own time, RFC 3339
/// UTC) and then by insertion order. Ids inserted without a time
/// ([`Seen::insert`]) sort before every timed one, among themselves in
/// insertion order (plain FIFO, as the polling checkpoint uses it).
///
/// Why by time (issue 12, item 7): with FIFO eviction, re-sending a large
/// old capture pushed out, one by one, the very ids about to be checked, so
/// almost everything was recorded again. Here an id older than everything
/// kept in a full window is not inserted, and a newer one evicts the
/// oldest: the guarantee is that the `capacity` newest ids (by time) seen
/// are always recognised, whatever order old ids arrive in.
#[derive(Debug, Clone)]
pub struct Seen {
    by_age: BTreeMap<(String, u64), String>,
    index: HashMap<String, (String, u64)>,
    next: u64,
    capacity: usize,
}

impl Seen {
    pub fn new(capacity: usize) -> Self {
        Seen {
            by_age: BTreeMap::new(),
            index: HashMap::new(),
            next: 0,
            capacity: capacity.max(1),
        }
    }

    pub fn contains(&self, id: &str) -> bool {
        self.index.contains_key(id)
    }

    /// Remembers `id` as the newest untimed entry (no-op when known).
    pub fn insert(&mut self, id: &str) {
        self.insert_at(id, "");
    }

    /// Remembers `id` with the time `time` (RFC 3339, UTC, as made by
    /// [`time_key`]). When full, the oldest entry is forgotten, unless `id`
    /// itself is older than all of them: then it is not kept.
    pub fn insert_at(&mut self, id: &str, time: &str) {
        if self.index.contains_key(id) {
            return;
        }
        let key = (time.to_string(), self.next);
        if self.index.len() >= self.capacity {
            match self.by_age.first_key_value() {
                Some((oldest, _)) if key < *oldest => return,
                _ => {}
            }
            if let Some((_, old)) = self.by_age.pop_first() {
                self.index.remove(&old);
            }
        }
        self.next += 1;
        self.by_age.insert(key.clone(), id.to_string());
        self.index.insert(id.to_string(), key);
    }

    /// Forgets `id` (for rolling back a failed save).
    pub fn forget(&mut self, id: &str) {
        if let Some(key) = self.index.remove(id) {
            self.by_age.remove(&key);
        }
    }

    pub fn len(&self) -> usize {
        self.index.len()
    }

    pub fn is_empty(&self) -> bool {
        self.index.is_empty()
    }

    /// The ids, oldest first.
    pub fn iter(&self) -> impl Iterator<Item = &String> {
        self.by_age.values()
    }

    /// The ids with their time keys (empty when untimed), oldest first.
    pub fn iter_timed(&self) -> impl Iterator<Item = (&str, &str)> {
        self.by_age
            .iter()
            .map(|((time, _), id)| (time.as_str(), id.as_str()))
    }
}

/// The time key of an RFC 3339 timestamp: normalised to UTC with
/// milliseconds (`2024-05-01T12:00:00.000Z`) so keys compare as times;
/// text that is not a timestamp is kept as it is.
pub fn time_key(text: &str) -> String {
    match chrono::DateTime::parse_from_rfc3339(text) {
        Ok(t) => t
            .with_timezone(&chrono::Utc)
            .to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
        Err(_) => text.to_string(),
    }
}

/// Both kinds of id.
#[derive(Debug, Clone)]
pub struct Memory {
    pub event_ids: Seen,
    pub uuids: Seen,
}

impl Memory {
    pub fn new(capacity: usize) -> Self {
        Memory {
            event_ids: Seen::new(capacity),
            uuids: Seen::new(capacity),
        }
    }

    /// How many ids of each kind it keeps.
    pub fn event_ids_capacity(&self) -> usize {
        self.event_ids.capacity
    }
}

#[derive(Serialize, Deserialize)]
struct StateFile {
    kind: String,
    version: u32,
    event_ids: Vec<String>,
    uuids: Vec<String>,
    /// The time key of each of `event_ids` (absent in older files).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    event_id_times: Vec<String>,
    /// The time key of each of `uuids` (absent in older files).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    uuid_times: Vec<String>,
}

/// `ids` with their `times` (when there is one per id) into `seen`.
fn restore(seen: &mut Seen, ids: &[String], times: &[String]) {
    if times.len() == ids.len() {
        for (id, time) in ids.iter().zip(times) {
            seen.insert_at(id, time);
        }
    } else {
        for id in ids {
            seen.insert(id);
        }
    }
}

/// Reads the state file; a missing file is an empty memory. A file that is
/// not ours, or damaged, is refused rather than silently reset.
pub fn load(path: &Path, capacity: usize) -> Result<Memory> {
    let mut memory = Memory::new(capacity);
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(memory),
        Err(e) => {
            return Err(e).with_context(|| format!("cannot read state file {}", path.display()));
        }
    };
    let refuse = |why: String| {
        Failure::new(
            ExitCode::Error,
            format!(
                "state file {} {why}; it was left untouched (use --reset-state to start over, \
                 or another --state file)",
                path.display()
            ),
        )
    };
    let file: StateFile = serde_json::from_str(&text)
        .map_err(|e| refuse(format!("is damaged or not an oksms event-hook state ({e})")))?;
    if file.kind != KIND {
        return Err(refuse(format!("belongs to `{}`, not `{KIND}`", file.kind)).into());
    }
    if file.version != VERSION {
        return Err(refuse(format!("has unknown version {}", file.version)).into());
    }
    restore(&mut memory.event_ids, &file.event_ids, &file.event_id_times);
    restore(&mut memory.uuids, &file.uuids, &file.uuid_times);
    Ok(memory)
}

/// Writes the memory to `path` atomically.
pub fn save(path: &Path, memory: &Memory) -> Result<()> {
    let (event_id_times, event_ids) = memory
        .event_ids
        .iter_timed()
        .map(|(t, id)| (t.to_string(), id.to_string()))
        .unzip();
    let (uuid_times, uuids) = memory
        .uuids
        .iter_timed()
        .map(|(t, id)| (t.to_string(), id.to_string()))
        .unzip();
    let file = StateFile {
        kind: KIND.into(),
        version: VERSION,
        event_ids,
        uuids,
        event_id_times,
        uuid_times,
    };
    let bytes = serde_json::to_vec(&file)?;
    crate::atomic_file::replace(path, &bytes)
        .with_context(|| format!("cannot write state file {}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seen_forgets_the_oldest_beyond_capacity() {
        let mut seen = Seen::new(2);
        seen.insert("a");
        seen.insert("b");
        seen.insert("a");
        seen.insert("c");
        assert!(!seen.contains("a"));
        assert!(seen.contains("b") && seen.contains("c"));
        assert_eq!(seen.len(), 2);
    }

    #[test]
    fn old_ids_arriving_again_do_not_push_out_the_newest() {
        let mut seen = Seen::new(3);
        for (id, t) in [("e10", "10"), ("e11", "11"), ("e12", "12")] {
            seen.insert_at(id, t);
        }
        // a large old capture sent again, oldest first
        for (id, t) in [("e01", "01"), ("e02", "02"), ("e03", "03"), ("e04", "04")] {
            assert!(!seen.contains(id));
            seen.insert_at(id, t);
        }
        assert!(seen.contains("e10") && seen.contains("e11") && seen.contains("e12"));
        // a newer one evicts the oldest kept
        seen.insert_at("e13", "13");
        assert!(!seen.contains("e10") && seen.contains("e13"));
        assert_eq!(seen.len(), 3);
        assert_eq!(
            time_key("2024-05-01T14:00:00+02:00"),
            "2024-05-01T12:00:00.000Z"
        );
    }

    #[test]
    fn state_round_trips_and_keeps_order() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("hooks.state");
        let mut memory = Memory::new(3);
        for id in ["e1", "e2", "e3", "e4"] {
            memory.event_ids.insert(id);
        }
        memory.uuids.insert_at("u1", "2024-05-01T12:00:00.000Z");
        save(&path, &memory).unwrap();
        let back = load(&path, 3).unwrap();
        assert!(!back.event_ids.contains("e1"));
        assert_eq!(
            back.uuids.iter_timed().collect::<Vec<_>>(),
            [("2024-05-01T12:00:00.000Z", "u1")]
        );
        assert!(back.event_ids.contains("e4") && back.uuids.contains("u1"));
        // no temporary file left behind
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(names.len(), 1);
    }

    #[cfg(unix)]
    #[test]
    fn a_planted_link_at_the_old_temp_name_is_not_followed_and_a_state_link_is_kept() {
        let dir = tempfile::tempdir().unwrap();
        let victim = dir.path().join("victim");
        std::fs::write(&victim, "keep").unwrap();
        let path = dir.path().join("hooks.state");
        // the temporary name used to be predictable: .NAME.tmp-PID
        let planted = dir
            .path()
            .join(format!(".hooks.state.tmp-{}", std::process::id()));
        std::os::unix::fs::symlink(&victim, &planted).unwrap();
        save(&path, &Memory::new(3)).unwrap();
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "keep");
        assert!(load(&path, 3).is_ok());

        // a --state symlink: its target is updated, the link stays a link
        let real_dir = dir.path().join("real");
        std::fs::create_dir(&real_dir).unwrap();
        let real = real_dir.join("target.state");
        let link = dir.path().join("link.state");
        std::os::unix::fs::symlink("real/target.state", &link).unwrap();
        let mut memory = Memory::new(3);
        memory.event_ids.insert("e1");
        save(&link, &memory).unwrap();
        assert!(
            std::fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert!(load(&real, 3).unwrap().event_ids.contains("e1"));
        memory.event_ids.insert("e2");
        save(&link, &memory).unwrap();
        assert!(
            std::fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert!(load(&real, 3).unwrap().event_ids.contains("e2"));
    }

    #[test]
    fn a_missing_file_is_empty_memory() {
        let dir = tempfile::tempdir().unwrap();
        let memory = load(&dir.path().join("none"), 5).unwrap();
        assert!(memory.event_ids.is_empty() && memory.uuids.is_empty());
    }

    #[test]
    fn foreign_or_damaged_files_are_refused_and_kept() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s");
        for text in [
            "{not json",
            r#"{"kind":"oksms watch (polling)","version":1,"event_ids":[],"uuids":[]}"#,
            r#"{"kind":"oksms watch --listen","version":9,"event_ids":[],"uuids":[]}"#,
        ] {
            std::fs::write(&path, text).unwrap();
            let err = load(&path, 5).unwrap_err();
            assert!(format!("{err:#}").contains("--reset-state"), "{err:#}");
            assert_eq!(std::fs::read_to_string(&path).unwrap(), text);
        }
    }
}

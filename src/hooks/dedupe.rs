//! De-duplication memory for event-hook deliveries: the envelope `eventId`s
//! and event `uuid`s seen recently (bounded, oldest forgotten first), and
//! the `--state` file that keeps them across restarts. The file is written
//! atomically (temporary file, fsync, rename, directory fsync), so a crash
//! leaves either the old or the new state, never a torn one.

use crate::exit::{ExitCode, Failure};
use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};
use std::collections::{HashSet, VecDeque};
use std::io::Write;
use std::path::Path;

/// How many ids of each kind are remembered.
pub const DEFAULT_CAPACITY: usize = 10_000;

/// What identifies a state file written by the event-hook receiver.
const KIND: &str = "oksms watch --listen";
const VERSION: u32 = 1;

/// A set that forgets its oldest entries beyond a capacity.
#[derive(Debug, Clone)]
pub struct Seen {
    order: VecDeque<String>,
    set: HashSet<String>,
    capacity: usize,
}

impl Seen {
    pub fn new(capacity: usize) -> Self {
        Seen {
            order: VecDeque::new(),
            set: HashSet::new(),
            capacity: capacity.max(1),
        }
    }

    pub fn contains(&self, id: &str) -> bool {
        self.set.contains(id)
    }

    /// Remembers `id` (no-op when already known).
    pub fn insert(&mut self, id: &str) {
        if self.set.contains(id) {
            return;
        }
        if self.order.len() == self.capacity
            && let Some(old) = self.order.pop_front()
        {
            self.set.remove(&old);
        }
        self.order.push_back(id.to_string());
        self.set.insert(id.to_string());
    }

    /// Forgets `id` (linear in the size; for rolling back a failed save).
    pub fn forget(&mut self, id: &str) {
        if self.set.remove(id) {
            self.order.retain(|known| known != id);
        }
    }

    pub fn len(&self) -> usize {
        self.order.len()
    }

    pub fn is_empty(&self) -> bool {
        self.order.is_empty()
    }

    /// The ids, oldest first.
    pub fn iter(&self) -> impl Iterator<Item = &String> {
        self.order.iter()
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
}

#[derive(Serialize, Deserialize)]
struct StateFile {
    kind: String,
    version: u32,
    event_ids: Vec<String>,
    uuids: Vec<String>,
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
    for id in &file.event_ids {
        memory.event_ids.insert(id);
    }
    for id in &file.uuids {
        memory.uuids.insert(id);
    }
    Ok(memory)
}

/// Writes the memory to `path` atomically.
pub fn save(path: &Path, memory: &Memory) -> Result<()> {
    let file = StateFile {
        kind: KIND.into(),
        version: VERSION,
        event_ids: memory.event_ids.iter().cloned().collect(),
        uuids: memory.uuids.iter().cloned().collect(),
    };
    let bytes = serde_json::to_vec(&file)?;
    write_atomic(path, &bytes)
}

/// Replaces `path` with `bytes` so that readers (and a crash) see either the
/// old or the new content: temporary file in the same directory, fsync,
/// rename over the target, fsync the directory.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "state".into());
    let tmp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
    let result = (|| -> Result<()> {
        let mut file = std::fs::File::create(&tmp)
            .with_context(|| format!("cannot create {}", tmp.display()))?;
        file.write_all(bytes)?;
        file.sync_all()?;
        std::fs::rename(&tmp, path)
            .with_context(|| format!("cannot replace {}", path.display()))?;
        // Make the rename itself durable; not every platform can open a
        // directory, which only weakens durability, never correctness.
        if let Ok(d) = std::fs::File::open(dir) {
            let _ = d.sync_all();
        }
        Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result.with_context(|| format!("cannot write state file {}", path.display()))
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
    fn state_round_trips_and_keeps_order() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("hooks.state");
        let mut memory = Memory::new(3);
        for id in ["e1", "e2", "e3", "e4"] {
            memory.event_ids.insert(id);
        }
        memory.uuids.insert("u1");
        save(&path, &memory).unwrap();
        let back = load(&path, 3).unwrap();
        assert!(!back.event_ids.contains("e1"));
        assert!(back.event_ids.contains("e4") && back.uuids.contains("u1"));
        // no temporary file left behind
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(names.len(), 1);
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

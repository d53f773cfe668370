//! Rebuilding the de-duplication memory from the capture file at start
//! (issue 12, item 5). The capture is the source of truth: a delivery is
//! acknowledged only after its line is fsynced there, but the `--state`
//! file is saved after that, so a crash in between left a recorded
//! delivery the state did not know, and Okta's retry was recorded twice.
//! Reading the ids of the capture's last lines (newest first, backwards in
//! blocks, so a large capture costs only its tail) closes that gap.

use super::dedupe::{Memory, time_key};
use serde::Deserialize;
use std::fs::File;
use std::io::{Read, Seek, SeekFrom};

/// Bytes read at a time, from the end.
const BLOCK: u64 = 1 << 20;

#[derive(Deserialize)]
struct Line {
    #[serde(default)]
    received_at: Option<String>,
    envelope: Envelope,
}

#[derive(Deserialize)]
struct Envelope {
    #[serde(default, rename = "eventId")]
    event_id: Option<String>,
    #[serde(default, rename = "eventTime")]
    event_time: Option<String>,
    #[serde(default)]
    data: Option<Data>,
}

#[derive(Deserialize)]
struct Data {
    #[serde(default)]
    events: Vec<Event>,
}

#[derive(Deserialize)]
struct Event {
    #[serde(default)]
    uuid: Option<String>,
    #[serde(default)]
    published: Option<String>,
}

/// Adds the ids of the capture's newest lines (the first `len` bytes of
/// `file`, whole lines) to `memory`, until as many ids of each kind as it
/// holds were read or the start is reached. Lines that are not capture
/// lines are skipped. Returns how many lines were read.
pub fn from_capture(file: &mut File, len: u64, memory: &mut Memory) -> std::io::Result<u64> {
    let want = memory.event_ids_capacity();
    let (mut events, mut uuids, mut lines) = (0usize, 0usize, 0u64);
    let mut pos = len;
    let mut carry: Vec<u8> = Vec::new();
    while pos > 0 && (events < want || uuids < want) {
        let start = pos.saturating_sub(BLOCK);
        let mut buf = vec![0u8; (pos - start) as usize];
        file.seek(SeekFrom::Start(start))?;
        file.read_exact(&mut buf)?;
        buf.extend_from_slice(&carry);
        // Before the first newline is the end of a line that began earlier.
        // (end of the carried part, start of the whole lines)
        let (carry_end, split) = match memchr::memchr(b'\n', &buf) {
            Some(i) if start > 0 => (i, i + 1),
            None if start > 0 => (buf.len(), buf.len()),
            _ => (0, 0),
        };
        for line in buf[split..].rsplit(|b| *b == b'\n') {
            if line.is_empty() {
                continue;
            }
            let Ok(parsed) = serde_json::from_slice::<Line>(line) else {
                continue;
            };
            lines += 1;
            let (e, u) = remember(parsed, memory);
            events += e;
            uuids += u;
        }
        carry = buf[..carry_end].to_vec();
        pos = start;
    }
    Ok(lines)
}

/// Inserts one line's ids; returns how many event ids and uuids it had.
fn remember(line: Line, memory: &mut Memory) -> (usize, usize) {
    let envelope = line.envelope;
    let delivered = envelope
        .event_time
        .as_deref()
        .or(line.received_at.as_deref())
        .map(time_key)
        .unwrap_or_default();
    let mut counts = (0, 0);
    if let Some(id) = &envelope.event_id {
        memory.event_ids.insert_at(id, &delivered);
        counts.0 = 1;
    }
    for event in envelope.data.map(|d| d.events).unwrap_or_default() {
        if let Some(uuid) = &event.uuid {
            let time = event
                .published
                .as_deref()
                .map(time_key)
                .unwrap_or_else(|| delivered.clone());
            memory.uuids.insert_at(uuid, &time);
            counts.1 += 1;
        }
    }
    counts
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn ids_come_back_from_the_tail_also_across_blocks() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cap.ndjson");
        let mut f = File::create(&path).unwrap();
        let pad = "x".repeat(3 << 19); // lines longer than half a block
        for i in 0..4 {
            writeln!(
                f,
                r#"{{"received_at":"2024-05-01T12:00:0{i}.000Z","headers":{{"p":"{pad}"}},"envelope":{{"eventId":"d{i}","data":{{"events":[{{"uuid":"u{i}","published":"2024-05-01T11:00:0{i}Z"}}]}}}}}}"#
            )
            .unwrap();
        }
        writeln!(f, "not a capture line").unwrap();
        drop(f);
        let mut file = File::open(&path).unwrap();
        let len = file.metadata().unwrap().len();
        let mut memory = Memory::new(100);
        assert_eq!(from_capture(&mut file, len, &mut memory).unwrap(), 4);
        for i in 0..4 {
            assert!(memory.event_ids.contains(&format!("d{i}")));
            assert!(memory.uuids.contains(&format!("u{i}")));
        }
        // only the tail: a memory of 2 stops after the newest lines
        let mut small = Memory::new(2);
        assert_eq!(from_capture(&mut file, len, &mut small).unwrap(), 2);
        assert!(small.event_ids.contains("d3") && !small.event_ids.contains("d1"));
    }
}

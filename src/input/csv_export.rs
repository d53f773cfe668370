//! The Admin Console's System Log "Download CSV" export (and CSV tables of
//! LogEvents written by warehouses and SIEMs), read as LogEvents.
//!
//! Each CSV row becomes one LogEvent JSON object on its own line, streamed
//! through the same framer and decoder as every other input, so every rule
//! (event types, duplicates, audit) applies unchanged. Column names are
//! dotted paths into the LogEvent (`actor.alternate_id`, `client.ip_address`,
//! `target0.type`); they are matched without regard to case or underscores.
//! `timestamp` (or `date`) stands for `published` when no `published` column
//! exists; `targetN.*` columns become the `target` list in order.
//!
//! A CSV cannot carry what its columns leave out: in particular the
//! Admin Console export has no `debugContext.debugData.phoneNumber`, so
//! Identity Engine events whose phone is only there have no phone (warned
//! once per file). The JSON line of a row is written on the row's own line
//! number, so messages name the CSV line.

use crate::input::canonical::canonical_key;
use serde_json::{Map, Value};
use std::io::{self, Read};

/// How a column's name is read: lower case, no underscores.
fn normalise(name: &str) -> String {
    name.trim()
        .trim_start_matches('\u{feff}')
        .chars()
        .filter(|c| *c != '_' && *c != ' ')
        .flat_map(char::to_lowercase)
        .collect()
}

/// The LogEvent path of a column: each dotted segment in Okta's spelling,
/// `targetN` as the list index N.
fn column_path(name: &str) -> Vec<Segment> {
    let normal = normalise(name);
    let mut segments: Vec<Segment> = normal
        .split('.')
        .map(|part| {
            if let Some(n) = part.strip_prefix("target")
                && let Ok(index) = n.parse::<usize>()
            {
                return Segment::Target(index);
            }
            Segment::Key(canonical_key(part).into_owned())
        })
        .collect();
    if let [Segment::Key(k)] = segments.as_slice()
        && (k == "timestamp" || k == "date")
    {
        segments = vec![Segment::Key("published".into())];
    }
    segments
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment {
    Key(String),
    Target(usize),
}

/// True when `head` (the first bytes of an input, after decompression and
/// decoding) looks like a CSV table rather than JSON: its first line is not
/// JSON and has commas.
pub fn looks_like_csv(head: &[u8]) -> bool {
    let text = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let first = text
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .map(|i| text[i]);
    if matches!(first, Some(b'{') | Some(b'[') | None) {
        return false;
    }
    let line_end = memchr::memchr(b'\n', text).unwrap_or(text.len());
    let line = &text[..line_end];
    memchr::memchr_iter(b',', line).count() >= 2 && memchr::memchr(b'{', line).is_none()
}

/// A `Read` that turns a CSV export into NDJSON LogEvents.
pub struct CsvAsNdjson<R: Read> {
    reader: csv::Reader<R>,
    columns: Vec<Vec<Segment>>,
    pending: Vec<u8>,
    at: usize,
    /// The next output line number (1-based), kept equal to the CSV line.
    line: u64,
    done: bool,
}

/// What opening a CSV input found.
pub struct CsvOpened<R: Read> {
    pub reader: CsvAsNdjson<R>,
    /// Warnings to show once (columns the card needs that the CSV lacks).
    pub notes: Vec<String>,
}

/// Reads the header and checks it names LogEvent columns; an error names
/// the columns found when it does not (a CSV of something else).
pub fn open<R: Read>(input: R) -> Result<CsvOpened<R>, String> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .has_headers(true)
        .from_reader(input);
    let headers = reader
        .headers()
        .map_err(|e| format!("cannot read the CSV header: {e}"))?
        .clone();
    let columns: Vec<Vec<Segment>> = headers.iter().map(column_path).collect();
    let has = |want: &str| {
        columns
            .iter()
            .any(|c| matches!(c.as_slice(), [Segment::Key(k)] if k == want))
    };
    if !has("eventType") {
        let found: Vec<String> = headers
            .iter()
            .take(12)
            .map(|h| crate::escape::escape_control(h).into_owned())
            .collect();
        return Err(format!(
            "a CSV without an event type column (expected `eventType` or `event_type`, with \
             `uuid`, `published`/`timestamp`, `target0.type`, ...); columns found: {}{}",
            found.join(", "),
            if headers.len() > 12 { ", ..." } else { "" }
        ));
    }
    let mut notes = Vec::new();
    let has_debug_phone = columns.iter().any(|c| {
        c.last() == Some(&Segment::Key("phoneNumber".into()))
            && c.first() == Some(&Segment::Key("debugContext".into()))
    });
    if !has_debug_phone {
        notes.push(
            "a System Log CSV has no `debugContext.debugData.phoneNumber` column: phones are read \
             from MobilePhone/Phone targets only, so Identity Engine events whose number is only \
             in debugData show no phone (use a JSON export or `oksms fetch` for those)"
                .to_string(),
        );
    }
    Ok(CsvOpened {
        reader: CsvAsNdjson {
            reader,
            columns,
            pending: Vec::new(),
            at: 0,
            line: 1,
            done: false,
        },
        notes,
    })
}

impl<R: Read> CsvAsNdjson<R> {
    /// Converts the next row into `pending`; false at the end.
    fn next_row(&mut self) -> io::Result<bool> {
        let mut row = csv::StringRecord::new();
        let more = self
            .reader
            .read_record(&mut row)
            .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e.to_string()))?;
        if !more {
            return Ok(false);
        }
        let row_line = row.position().map_or(self.line, |p| p.line());
        self.pending.clear();
        self.at = 0;
        while self.line < row_line {
            self.pending.push(b'\n');
            self.line += 1;
        }
        let mut event = Map::new();
        let mut targets: Vec<Map<String, Value>> = Vec::new();
        for (path, cell) in self.columns.iter().zip(row.iter()) {
            if cell.is_empty() {
                continue;
            }
            let value = Value::String(cell.to_string());
            match path.as_slice() {
                [Segment::Target(n), rest @ ..] => {
                    if targets.len() <= *n {
                        targets.resize_with(n + 1, Map::new);
                    }
                    insert(&mut targets[*n], rest, value);
                }
                _ => insert(&mut event, path, value),
            }
        }
        let targets: Vec<Value> = targets
            .into_iter()
            .filter(|t| !t.is_empty())
            .map(Value::Object)
            .collect();
        if !targets.is_empty() {
            event.insert("target".into(), Value::Array(targets));
        }
        serde_json::to_writer(&mut self.pending, &Value::Object(event))?;
        self.pending.push(b'\n');
        self.line += 1 + row.as_slice().matches('\n').count() as u64;
        Ok(true)
    }
}

fn insert(map: &mut Map<String, Value>, path: &[Segment], value: Value) {
    let Some((Segment::Key(first), rest)) = path.split_first() else {
        return;
    };
    if rest.is_empty() {
        map.entry(first.clone()).or_insert(value);
        return;
    }
    let child = map
        .entry(first.clone())
        .or_insert_with(|| Value::Object(Map::new()));
    if let Value::Object(child) = child {
        insert(child, rest, value);
    }
}

impl<R: Read> Read for CsvAsNdjson<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.at == self.pending.len() {
            if self.done || !self.next_row()? {
                self.done = true;
                return Ok(0);
            }
        }
        let n = (self.pending.len() - self.at).min(buf.len());
        buf[..n].copy_from_slice(&self.pending[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn convert(csv: &str) -> String {
        let mut out = String::new();
        open(csv.as_bytes())
            .unwrap()
            .reader
            .read_to_string(&mut out)
            .unwrap();
        out
    }

    #[test]
    fn dotted_columns_become_a_log_event_on_the_rows_line() {
        let out = convert(
            "event_type,uuid,timestamp,actor.alternate_id,client.ip_address,target0.type,target0.alternate_id\n\
             system.sms.x,u1,2024-01-01T00:00:00Z,a@x,,MobilePhone,+15550100002\n",
        );
        assert!(out.starts_with('\n'), "row 1 is on line 2: {out:?}");
        let v: Value = serde_json::from_str(out.trim()).unwrap();
        assert_eq!(v["eventType"], "system.sms.x");
        assert_eq!(v["published"], "2024-01-01T00:00:00Z");
        assert_eq!(v["actor"]["alternateId"], "a@x");
        assert!(v["client"].is_null(), "empty cells are absent");
        assert_eq!(v["target"][0]["alternateId"], "+15550100002");
    }

    #[test]
    fn a_csv_of_something_else_names_its_columns() {
        let Err(e) = open("name,email,phone\na,b,c\n".as_bytes()) else {
            panic!("accepted")
        };
        assert!(e.contains("columns found: name, email, phone"), "{e}");
    }

    #[test]
    fn csv_is_told_from_json() {
        assert!(looks_like_csv(b"severity,event_type,uuid\nINFO,x,y\n"));
        assert!(!looks_like_csv(b"  {\"a\":1,\"b\":2,\"c\":3}"));
        assert!(!looks_like_csv(b"[1,2,3]"));
    }
}

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

use serde_json::{Map, Value};
use std::io::{self, Read};

/// A column's name compacted for matching: lower case letters and digits
/// only, so `actor.alternate_id`, `Actor Alternate ID`, `actorAlternateId`
/// and `actor_alternateId_s` (its Log Analytics suffix dropped) agree.
fn compact(name: &str) -> String {
    let name = name.trim().trim_start_matches('\u{feff}');
    let stem = ["_s", "_g", "_t", "_d", "_b"]
        .iter()
        .find_map(|suffix| name.strip_suffix(suffix))
        .unwrap_or(name);
    stem.chars()
        .filter(char::is_ascii_alphanumeric)
        .flat_map(|c| c.to_lowercase())
        .collect()
}

/// Where a column's cells go.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Column {
    /// A LogEvent path (`["actor", "alternateId"]`).
    Path(Vec<&'static str>),
    /// A field of the N-th target (`target0.type`).
    Target(usize, &'static str),
    /// The whole LogEvent as JSON text (oksms's `event_details`).
    WholeEvent,
    /// `debugContext.debugData` as JSON text (oksms's `debug_data`).
    DebugData,
    /// Known, but not part of the LogEvent (a delivery's id, a SIEM's own
    /// columns): not read, not warned about.
    Known,
    /// Not understood: listed in one warning.
    Unknown,
}

/// The four fields of an actor or target, by compact name.
const PARTY_FIELDS: [(&str, &str); 4] = [
    ("id", "id"),
    ("type", "type"),
    ("alternateid", "alternateId"),
    ("displayname", "displayName"),
];

/// `debugData` keys the card and audits read, by compact name.
const DEBUG_KEYS: [(&str, &str); 6] = [
    ("phonenumber", "phoneNumber"),
    ("countrycallingcode", "countryCallingCode"),
    ("smsprovider", "smsProvider"),
    ("transactionid", "transactionId"),
    ("requesturi", "requestUri"),
    ("url", "url"),
];

/// The column of an Admin Console (or warehouse, or SIEM table) export.
fn log_event_column(name: &str) -> Column {
    let c = compact(name);
    let path = |p: &[&'static str]| Column::Path(p.to_vec());
    match c.as_str() {
        "eventtype" => return path(&["eventType"]),
        "uuid" | "eventuuid" => return path(&["uuid"]),
        "published" | "timestamp" | "date" | "time" => return path(&["published"]),
        "displaymessage" | "message" => return path(&["displayMessage"]),
        "severity" => return path(&["severity"]),
        "version" => return path(&["version"]),
        "legacyeventtype" => return path(&["legacyEventType"]),
        "clientipaddress" | "clientip" | "ipaddress" => return path(&["client", "ipAddress"]),
        "clientuseragentrawuseragent" | "useragent" => {
            return path(&["client", "userAgent", "rawUserAgent"]);
        }
        "clientzone" => return path(&["client", "zone"]),
        "clientdevice" => return path(&["client", "device"]),
        "outcomeresult" | "outcome" => return path(&["outcome", "result"]),
        "outcomereason" => return path(&["outcome", "reason"]),
        "transactionid" => return path(&["transaction", "id"]),
        "transactiontype" => return path(&["transaction", "type"]),
        _ => {}
    }
    for (field, key) in PARTY_FIELDS {
        if c == format!("actor{field}") {
            return path(&["actor", key]);
        }
    }
    if let Some(rest) = c.strip_prefix("debugcontextdebugdata") {
        for (compact_key, key) in DEBUG_KEYS {
            if rest == compact_key {
                return path(&["debugContext", "debugData", key]);
            }
        }
    }
    if let Some(rest) = c.strip_prefix("target") {
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        if let Ok(n) = rest[..digits].parse::<usize>()
            && n < 16
        {
            for (field, key) in PARTY_FIELDS {
                if &rest[digits..] == field {
                    return Column::Target(n, key);
                }
            }
        }
    }
    Column::Unknown
}

/// The column of a CSV `oksms` itself wrote (`-o csv`, the card's names).
fn card_column(name: &str) -> Column {
    let c = compact(name);
    let path = |p: &[&'static str]| Column::Path(p.to_vec());
    match c.as_str() {
        "published" => path(&["published"]),
        "message" => path(&["displayMessage"]),
        "eventid" => path(&["uuid"]),
        "eventtype" => path(&["eventType"]),
        "version" => path(&["version"]),
        "outcomeresult" => path(&["outcome", "result"]),
        "outcomereason" => path(&["outcome", "reason"]),
        "clientip" => path(&["client", "ipAddress"]),
        "countrycallingcode" => path(&["debugContext", "debugData", "countryCallingCode"]),
        "smsprovider" => path(&["debugContext", "debugData", "smsProvider"]),
        "transactionid" => path(&["debugContext", "debugData", "transactionId"]),
        "eventdetails" => Column::WholeEvent,
        "debugdata" => Column::DebugData,
        // what a delivery or a fetch added: not part of the LogEvent
        "eventtime" | "uuid" | "source" | "headers" => Column::Known,
        _ => {
            for (prefix, target) in [("actor", None), ("oktauser", Some(0)), ("phone", Some(1))] {
                for (field, key) in PARTY_FIELDS {
                    if c == format!("{prefix}{field}") {
                        return match target {
                            None => path(&["actor", key]),
                            Some(n) => Column::Target(n, key),
                        };
                    }
                }
            }
            Column::Unknown
        }
    }
}

/// Columns that hold a whole event as JSON text in SIEM exports (Splunk's
/// `_raw`, Datadog's and many others' `message`, Elastic's `event.original`).
const JSON_COLUMNS: [&str; 9] = [
    "raw",
    "message",
    "eventoriginal",
    "original",
    "event",
    "json",
    "rawdata",
    "fullmessage",
    "log",
];

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
    memchr::memchr(b'{', line).is_none() && delimiter(line).is_some()
}

/// The field separator of a header line: the most frequent of `,` `;` tab
/// `|`, when it occurs at least twice (Excel in many locales writes `;`).
fn delimiter(line: &[u8]) -> Option<u8> {
    [b',', b';', b'\t', b'|']
        .into_iter()
        .map(|d| (memchr::memchr_iter(d, line).count(), d))
        .filter(|(n, _)| *n >= 2)
        .max_by_key(|(n, _)| *n)
        .map(|(_, d)| d)
}

/// A `Read` that turns a CSV export into NDJSON LogEvents.
pub struct CsvAsNdjson<R: Read> {
    reader: csv::Reader<R>,
    columns: Vec<Column>,
    /// The column holding each row's event as JSON text, when the CSV is a
    /// SIEM export of raw events rather than a table of fields.
    json_column: Option<usize>,
    pending: Vec<u8>,
    at: usize,
    /// The next output line number (1-based), kept equal to the CSV line.
    line: u64,
    done: bool,
}

/// What opening a CSV input found.
pub struct CsvOpened<R: Read> {
    pub reader: CsvAsNdjson<std::io::BufReader<R>>,
    /// Warnings to show once (columns the card needs that the CSV lacks).
    pub notes: Vec<String>,
}

/// Reads the header and checks it names LogEvent columns; an error names
/// the columns found when it does not (a CSV of something else).
pub fn open<R: Read>(mut input: std::io::BufReader<R>) -> Result<CsvOpened<R>, String> {
    let separator = sniff_delimiter(&mut input);
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .has_headers(true)
        .delimiter(separator)
        .from_reader(input);
    let headers = reader
        .headers()
        .map_err(|e| format!("cannot read the CSV header: {e}"))?
        .clone();
    let names: Vec<&str> = headers.iter().collect();
    let is_card = is_card_header(&names);
    let columns = classify_columns(&names, is_card);
    let has_type =
        columns.contains(&Column::Path(vec!["eventType"])) || columns.contains(&Column::WholeEvent);
    let json_column = if has_type {
        None
    } else {
        raw_json_column(&names)
    };
    if !has_type && json_column.is_none() {
        return Err(format!(
            "a CSV without an event type column (expected `eventType` or `event_type`, with \
             `uuid`, `published`/`timestamp`, `target0.type`, ...) or a column of raw event JSON \
             (`_raw`, `message`, `event.original`); columns found: {}",
            shown(&names)
        ));
    }
    let notes = if json_column.is_none() {
        field_table_notes(&names, &columns, is_card)
    } else {
        Vec::new()
    };
    Ok(CsvOpened {
        reader: CsvAsNdjson {
            reader,
            columns,
            json_column,
            pending: Vec::new(),
            at: 0,
            line: 1,
            done: false,
        },
        notes,
    })
}

/// The separator of the header line, peeked from the buffered input without
/// consuming it; `,` when the first line names no clear separator (or the
/// input cannot be read yet: the CSV reader reports that error itself).
fn sniff_delimiter<R: Read>(input: &mut std::io::BufReader<R>) -> u8 {
    use std::io::BufRead;
    let head = input.fill_buf().unwrap_or(&[]);
    let end = memchr::memchr(b'\n', head).unwrap_or(head.len());
    delimiter(&head[..end]).unwrap_or(b',')
}

/// True when the header is oksms's own CSV card (it has both `event_id` and
/// `event_type`), whose column names differ from LogEvent paths.
fn is_card_header(names: &[&str]) -> bool {
    names.iter().any(|n| compact(n) == "eventid") && names.iter().any(|n| compact(n) == "eventtype")
}

/// Where each header column's cells go, one `Column` per name, read as
/// oksms card columns when `is_card`, as LogEvent paths otherwise.
fn classify_columns(names: &[&str], is_card: bool) -> Vec<Column> {
    names
        .iter()
        .map(|n| {
            if is_card {
                card_column(n)
            } else {
                log_event_column(n)
            }
        })
        .collect()
}

/// The index of the first column that holds whole events as JSON text
/// (`JSON_COLUMNS`, in their order of preference), for a SIEM export that
/// has no event type column.
fn raw_json_column(names: &[&str]) -> Option<usize> {
    JSON_COLUMNS
        .iter()
        .find_map(|want| names.iter().position(|n| compact(n) == *want))
}

/// Column names as a message shows them: control characters escaped, at
/// most 12, then `...`.
fn shown(list: &[&str]) -> String {
    list.iter()
        .take(12)
        .map(|h| crate::escape::escape_control(h).into_owned())
        .collect::<Vec<_>>()
        .join(", ")
        + if list.len() > 12 { ", ..." } else { "" }
}

/// The warnings for a CSV table of fields (not of raw JSON events): the
/// columns not read, and a missing phone column (the Admin Console export
/// has no `debugContext.debugData.phoneNumber`, see the module comment).
fn field_table_notes(names: &[&str], columns: &[Column], is_card: bool) -> Vec<String> {
    let mut notes = Vec::new();
    let unknown: Vec<&str> = names
        .iter()
        .zip(columns)
        .filter(|(_, c)| **c == Column::Unknown)
        .map(|(n, _)| *n)
        .collect();
    if !unknown.is_empty() {
        notes.push(format!(
            "CSV columns not read (not LogEvent fields oksms knows): {}",
            shown(&unknown)
        ));
    }
    let has_debug_phone = columns.iter().any(|c| {
        *c == Column::Path(vec!["debugContext", "debugData", "phoneNumber"])
            || *c == Column::WholeEvent
            || *c == Column::DebugData
    });
    let has_phone_target = columns.iter().any(|c| matches!(c, Column::Target(..)));
    if !has_debug_phone && !is_card {
        notes.push(
            "a System Log CSV has no `debugContext.debugData.phoneNumber` column: phones are \
             read from MobilePhone/Phone targets only, so Identity Engine events whose number \
             is only in debugData show no phone (use a JSON export or `oksms fetch` for those)"
                .to_string(),
        );
    } else if !has_debug_phone && !has_phone_target {
        notes.push("the CSV has no phone column: no event will have a phone".to_string());
    }
    notes
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
        if let Some(index) = self.json_column {
            // The event as JSON text: handed on as it is (the decoder finds
            // it, or says what the cell holds instead), on one line.
            let cell = row.get(index).unwrap_or("");
            let one_line = crate::output::one_line_json(cell);
            if serde_json::from_str::<serde::de::IgnoredAny>(cell).is_ok() {
                self.pending.extend_from_slice(one_line.as_bytes());
            } else {
                serde_json::to_writer(&mut self.pending, cell)?;
            }
            self.pending.push(b'\n');
            self.line += 1 + row.as_slice().matches('\n').count() as u64;
            return Ok(true);
        }
        if let Some(index) = self.columns.iter().position(|c| *c == Column::WholeEvent)
            && let Some(cell) = row.get(index).filter(|c| !c.trim().is_empty())
            && serde_json::from_str::<serde::de::IgnoredAny>(cell).is_ok()
        {
            // oksms's own CSV with `event_details`: the LogEvent itself.
            self.pending
                .extend_from_slice(crate::output::one_line_json(cell).as_bytes());
            self.pending.push(b'\n');
            self.line += 1 + row.as_slice().matches('\n').count() as u64;
            return Ok(true);
        }
        let mut event = Map::new();
        let mut targets: Vec<Map<String, Value>> = Vec::new();
        for (column, cell) in self.columns.iter().zip(row.iter()) {
            if cell.is_empty() {
                continue;
            }
            let value = Value::String(cell.to_string());
            match column {
                Column::Target(n, key) => {
                    if targets.len() <= *n {
                        targets.resize_with(n + 1, Map::new);
                    }
                    targets[*n].entry(key.to_string()).or_insert(value);
                }
                Column::Path(path) => insert(&mut event, path, value),
                Column::DebugData => {
                    if let Ok(data) = serde_json::from_str::<Value>(cell) {
                        insert(&mut event, &["debugContext", "debugData"], data);
                    }
                }
                Column::WholeEvent | Column::Known | Column::Unknown => {}
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

fn insert(map: &mut Map<String, Value>, path: &[&str], value: Value) {
    let Some((first, rest)) = path.split_first() else {
        return;
    };
    if rest.is_empty() {
        map.entry(first.to_string()).or_insert(value);
        return;
    }
    let child = map
        .entry(first.to_string())
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
        open(std::io::BufReader::new(csv.as_bytes()))
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
        let input = std::io::BufReader::new("name,email,phone\na,b,c\n".as_bytes());
        let Err(e) = open(input) else {
            panic!("accepted")
        };
        assert!(e.contains("columns found: name, email, phone"), "{e}");
    }

    #[test]
    fn title_case_log_analytics_and_card_columns_are_read() {
        let out = convert(
            "Event Type;UUID;Actor Alternate ID;Target1 Type;Target1 Alternate ID\n\
             system.sms.x;u1;a@x;MobilePhone;+15550100002\n",
        );
        let v: Value = serde_json::from_str(out.trim()).unwrap();
        assert_eq!(v["actor"]["alternateId"], "a@x");
        assert_eq!(v["target"][0]["alternateId"], "+15550100002");
        let out = convert("eventType_s,uuid_g,debugContext_debugData_phoneNumber_s\na.b,u,+1555\n");
        let v: Value = serde_json::from_str(out.trim()).unwrap();
        assert_eq!(v["debugContext"]["debugData"]["phoneNumber"], "+1555");
        let out = convert(
            "published,message,event_id,event_type,actor_alternate_id,okta_user_alternate_id,okta_user_type,phone_alternate_id,phone_type,uuid\n\
             t,m,e1,a.b,act@x,usr@x,User,+1555,MobilePhone,delivery-1\n",
        );
        let v: Value = serde_json::from_str(out.trim()).unwrap();
        assert_eq!(v["uuid"], "e1");
        assert_eq!(v["displayMessage"], "m");
        assert_eq!(v["target"][0]["type"], "User");
        assert_eq!(v["target"][1]["alternateId"], "+1555");
    }

    #[test]
    fn a_column_of_raw_events_is_handed_on() {
        let out = convert("_time,host,_raw\nt,h,\"{\"\"eventType\"\": \"\"a.b\"\"}\"\n");
        assert_eq!(out.trim(), r#"{"eventType": "a.b"}"#);
    }

    #[test]
    fn csv_is_told_from_json() {
        assert!(looks_like_csv(b"severity,event_type,uuid\nINFO,x,y\n"));
        assert!(!looks_like_csv(b"  {\"a\":1,\"b\":2,\"c\":3}"));
        assert!(!looks_like_csv(b"[1,2,3]"));
    }
}

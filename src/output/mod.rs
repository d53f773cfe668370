//! Rendering records: one [`Sink`] per output format (table, JSON, NDJSON,
//! CSV), all fed record by record so output streams as input is read. Every
//! formatting decision lives under this module; commands only pick a sink.

pub mod csv;
pub mod grid;
pub mod json;
pub mod markup;
pub mod rows;
pub mod table;
pub mod terminal;

use crate::fields::{self, Field};
use crate::record::Record;
use anyhow::Result;
use std::io::Write;

/// `-o/--output`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Aligned columns for people (the default on a terminal).
    Table,
    /// One JSON array (streamed: one record per line inside it).
    Json,
    /// One JSON object per line (the default when stdout is not a terminal).
    Ndjson,
    /// RFC 4180 CSV with a header row.
    Csv,
}

/// How the table shows `published`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeZoneChoice {
    Utc,
    Local,
}

/// Everything a renderer needs to know, resolved once from the flags.
#[derive(Debug, Clone)]
pub struct OutputSettings {
    pub format: Format,
    /// `--fields`, or `None` for the format's default set.
    pub fields: Option<Vec<Field>>,
    pub wide: bool,
    pub no_header: bool,
    pub color: bool,
    pub time_zone: TimeZoneChoice,
    /// Stdout is a terminal: CSV, JSON and NDJSON are passed through
    /// [`terminal::Guard`] (the table always escapes its cells).
    pub terminal: bool,
    /// `--csv-safe`: CSV cells that a spreadsheet would run as a formula
    /// get a leading `'` ([`csv::safe_cell`]).
    pub csv_safe: bool,
}

impl OutputSettings {
    /// `format` with its defaults and nothing for a person: the default
    /// fields, a header, no colour, UTC times, not a terminal, no
    /// `--csv-safe`. What oksms writes for itself to read back (the
    /// `--baseline-since` file) and what tests render with.
    pub fn plain(format: Format) -> OutputSettings {
        OutputSettings {
            format,
            fields: None,
            wide: false,
            no_header: false,
            color: false,
            time_zone: TimeZoneChoice::Utc,
            terminal: false,
            csv_safe: false,
        }
    }

    /// The fields this format shows.
    pub fn effective_fields(&self) -> Vec<Field> {
        if let Some(fields) = &self.fields {
            return fields.clone();
        }
        match self.format {
            Format::Table if self.wide => fields::table_wide(),
            Format::Table => fields::table_default(),
            Format::Csv => fields::csv_default(),
            Format::Json | Format::Ndjson => fields::json_default(),
        }
    }
}

/// A consumer of records: a renderer, or an audit summary.
pub trait Sink {
    /// Takes one record.
    fn record(&mut self, record: &Record<'_>) -> Result<()>;
    /// Pushes everything written so far to the underlying output (used before
    /// a checkpoint moves, and by `watch` after each page).
    fn flush(&mut self) -> Result<()>;
    /// Ends the output (closes a JSON array, prints a table's last page).
    fn finish(&mut self) -> Result<()>;
    /// Called often by live commands (`watch`) whether or not records
    /// arrive, so a live summary can re-emit itself on time. Does nothing
    /// by default.
    fn tick(&mut self) -> Result<()> {
        Ok(())
    }
}

/// Builds the sink for `settings`, writing to `out` (through
/// [`guard`], so data formats bound for a terminal are escaped).
pub fn make_sink(settings: &OutputSettings, out: Box<dyn Write + Send>) -> Box<dyn Sink + Send> {
    let fields = settings.effective_fields();
    let out = guard(settings, out);
    match settings.format {
        Format::Csv => Box::new(
            csv::CsvSink::new(out, fields, !settings.no_header).csv_safe(settings.csv_safe),
        ),
        Format::Json => Box::new(json::JsonSink::new(out, fields, json::Framing::Array)),
        Format::Ndjson => Box::new(json::JsonSink::new(out, fields, json::Framing::Lines)),
        Format::Table => Box::new(table::TableSink::new(
            out,
            fields,
            settings.color,
            settings.time_zone,
        )),
    }
}

/// `out` as it should receive `settings.format`: CSV, JSON and NDJSON bound
/// for a terminal go through a [`terminal::Guard`] (control, bidi and
/// invisible characters escaped; JSON stays valid); to a file or pipe, and
/// for the table (whose cells are escaped one by one, around its colours),
/// `out` is returned unchanged so the bytes are exact.
pub fn guard(settings: &OutputSettings, out: Box<dyn Write + Send>) -> Box<dyn Write + Send> {
    match guard_notation(settings) {
        Some(notation) => Box::new(terminal::Guard::new(out, notation)),
        None => out,
    }
}

/// The notation [`guard`] escapes in, or `None` when output is not guarded
/// (not a terminal, or the table).
pub fn guard_notation(settings: &OutputSettings) -> Option<terminal::Notation> {
    match settings.format {
        _ if !settings.terminal => None,
        Format::Table => None,
        Format::Csv => Some(terminal::Notation::Rust),
        Format::Json | Format::Ndjson => Some(terminal::Notation::Json),
    }
}

/// Buffered stdout for a sink.
pub fn stdout() -> Box<dyn Write + Send> {
    Box::new(std::io::BufWriter::with_capacity(
        1 << 16,
        std::io::stdout(),
    ))
}

/// An in-memory `Write` that can be shared (cloned) and emptied: the
/// parallel pipeline renders batches into it, tests read output from it.
#[derive(Clone, Default)]
pub struct SharedBuf(pub std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl SharedBuf {
    /// Empties the buffer, returning what was written.
    pub fn take(&self) -> Vec<u8> {
        self.0
            .lock()
            .map(|mut v| std::mem::take(&mut *v))
            .unwrap_or_default()
    }

    /// How many bytes it holds.
    pub fn len(&self) -> usize {
        self.0.lock().map(|v| v.len()).unwrap_or(0)
    }

    /// True when it holds nothing.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl std::io::Write for SharedBuf {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .map_err(|_| std::io::Error::other("poisoned buffer"))?
            .extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Raw JSON text on one line: pretty-printed input (an indented export)
/// loses its insignificant white space so NDJSON stays one record per line.
/// Key order, numbers and strings are kept exactly; one-line text is
/// borrowed unchanged. `raw` must be valid JSON (it was parsed already).
pub fn one_line_json(raw: &str) -> std::borrow::Cow<'_, str> {
    if memchr::memchr2(b'\n', b'\r', raw.as_bytes()).is_none() {
        return std::borrow::Cow::Borrowed(raw);
    }
    let mut out = String::with_capacity(raw.len());
    let mut in_string = false;
    let mut escaped = false;
    for c in raw.chars() {
        if in_string {
            out.push(c);
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            }
        } else if !matches!(c, ' ' | '\n' | '\r' | '\t') {
            if c == '"' {
                in_string = true;
            }
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::one_line_json;

    #[test]
    fn pretty_json_becomes_one_line_with_strings_and_order_kept() {
        let pretty = "{\n  \"b\": \"x y \\\" \\n z\",\n  \"a\": [1.50, 2e3,\r\n true]\n}";
        let line = one_line_json(pretty);
        assert_eq!(line, r#"{"b":"x y \" \n z","a":[1.50,2e3,true]}"#);
        let a: serde_json::Value = serde_json::from_str(pretty).unwrap();
        let b: serde_json::Value = serde_json::from_str(&line).unwrap();
        assert_eq!(a, b);
        assert!(matches!(
            one_line_json("{\"a\": 1}"),
            std::borrow::Cow::Borrowed(_)
        ));
    }
}

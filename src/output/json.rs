//! JSON and NDJSON rendering. Objects are assembled field by field with
//! serde_json doing all string escaping; raw JSON fields (`event_details`,
//! `debug_data`, `headers`) are embedded exactly as they arrived.

use super::Sink;
use crate::fields::{Field, Leaf, Sub, Value, Who};
use crate::record::Record;
use anyhow::Result;
use std::io::Write;

/// How records are framed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Framing {
    /// `[` … `]`, one record per line, valid JSON even when empty.
    Array,
    /// One object per line.
    Lines,
    /// Array elements without the brackets, each written as `,\n{...}`:
    /// a slice of an array rendered in parallel; the writer that puts the
    /// slices in order opens and closes the array.
    ArraySlice,
}

pub struct JsonSink {
    out: Box<dyn Write + Send>,
    fields: Vec<Field>,
    framing: Framing,
    written: u64,
    finished: bool,
}

impl JsonSink {
    pub fn new(out: Box<dyn Write + Send>, fields: Vec<Field>, framing: Framing) -> Self {
        JsonSink {
            out,
            fields,
            framing,
            written: 0,
            finished: false,
        }
    }
}

impl Sink for JsonSink {
    fn record(&mut self, record: &Record<'_>) -> Result<()> {
        match self.framing {
            Framing::Array => {
                self.out
                    .write_all(if self.written == 0 { b"[\n" } else { b",\n" })?
            }
            Framing::ArraySlice => self.out.write_all(b",\n")?,
            Framing::Lines => {}
        }
        write_object(&mut self.out, &self.fields, record)?;
        if self.framing == Framing::Lines {
            self.out.write_all(b"\n")?;
        }
        self.written += 1;
        Ok(())
    }

    fn flush(&mut self) -> Result<()> {
        self.out.flush()?;
        Ok(())
    }

    fn finish(&mut self) -> Result<()> {
        if self.finished {
            return Ok(());
        }
        self.finished = true;
        if self.framing == Framing::Array {
            self.out
                .write_all(if self.written == 0 { b"[]\n" } else { b"\n]\n" })?;
        }
        self.out.flush()?;
        Ok(())
    }
}

/// Writes one record as a JSON object with the given fields.
pub fn write_object(
    out: &mut dyn Write,
    fields: &[Field],
    record: &Record<'_>,
) -> std::io::Result<()> {
    out.write_all(b"{")?;
    for (i, field) in fields.iter().enumerate() {
        if i > 0 {
            out.write_all(b",")?;
        }
        write_str(out, &field.key())?;
        out.write_all(b":")?;
        match *field {
            Field::Leaf(leaf) => write_value(out, leaf.value(record))?,
            Field::Party(who) => write_party(out, who, record)?,
            Field::Outcome => {
                if record.outcome_result.is_none() && record.outcome_reason.is_none() {
                    out.write_all(b"null")?;
                } else {
                    out.write_all(b"{\"result\":")?;
                    write_value(out, Leaf::OutcomeResult.value(record))?;
                    out.write_all(b",\"reason\":")?;
                    write_value(out, Leaf::OutcomeReason.value(record))?;
                    out.write_all(b"}")?;
                }
            }
        }
    }
    out.write_all(b"}")
}

fn write_party(out: &mut dyn Write, who: Who, record: &Record<'_>) -> std::io::Result<()> {
    if who.of(record).is_none() {
        return out.write_all(b"null");
    }
    out.write_all(b"{")?;
    for (i, sub) in Sub::ALL.iter().enumerate() {
        if i > 0 {
            out.write_all(b",")?;
        }
        write_str(out, sub.key())?;
        out.write_all(b":")?;
        write_value(out, Leaf::Party(who, *sub).value(record))?;
    }
    out.write_all(b"}")
}

fn write_value(out: &mut dyn Write, value: Value<'_>) -> std::io::Result<()> {
    match value {
        Value::Text(Some(text)) => write_str(out, text),
        Value::Json(Some(json)) => out.write_all(super::one_line_json(json).as_bytes()),
        Value::Text(None) | Value::Json(None) => out.write_all(b"null"),
    }
}

/// `value` as one NDJSON line (serde_json's compact form, all string
/// escaping by serde_json), without the newline: the lines of
/// `--findings`, `replay --report` and `replay --dry-run`.
pub fn line<T: serde::Serialize>(value: &T) -> serde_json::Result<String> {
    serde_json::to_string(value)
}

/// Writes NDJSON lines of serialisable values that are not records (the
/// dry run of `replay --to`).
pub struct LineWriter {
    out: Box<dyn Write + Send>,
}

impl LineWriter {
    /// Lines to stdout: escaped through [`super::terminal::Guard`] (JSON
    /// notation, so the lines stay valid JSON) when stdout is a terminal,
    /// byte-exact to a file or a pipe, like the record sinks.
    pub fn stdout() -> Self {
        use std::io::IsTerminal;
        let out = super::stdout();
        let out: Box<dyn Write + Send> = if std::io::stdout().is_terminal() {
            Box::new(super::terminal::Guard::new(
                out,
                super::terminal::Notation::Json,
            ))
        } else {
            out
        };
        LineWriter { out }
    }

    /// Writes `value` as one line.
    pub fn write<T: serde::Serialize>(&mut self, value: &T) -> Result<()> {
        let text = line(value)?;
        self.out.write_all(text.as_bytes())?;
        self.out.write_all(b"\n")?;
        Ok(())
    }

    /// Pushes the lines written so far out.
    pub fn flush(&mut self) -> Result<()> {
        self.out.flush()?;
        Ok(())
    }
}

fn write_str(out: &mut dyn Write, text: &str) -> std::io::Result<()> {
    serde_json::to_writer(out, text).map_err(std::io::Error::from)
}

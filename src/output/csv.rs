//! CSV rendering through the `csv` crate (RFC 4180 quoting). Groups expand to
//! their sub-columns; raw JSON fields become one cell of JSON text.
//! `--csv-safe` adds the spreadsheet formula-injection guard ([`safe_cell`]).

use super::Sink;
use crate::fields::{Field, Leaf, Value};
use crate::record::Record;
use anyhow::Result;
use std::borrow::Cow;
use std::io::Write;

/// A CSV cell as `--csv-safe` writes it: a cell starting with `=`, `+`,
/// `-`, `@`, tab or carriage return (which Excel, LibreOffice and Google
/// Sheets may evaluate as a formula, e.g. `=HYPERLINK(...)` or a DDE call)
/// gets a leading `'`, as the OWASP "CSV Injection" page recommends. A cell
/// that is exactly an E.164 phone number (`+` and 6 to 15 ASCII digits) is
/// kept as it is: digits alone cannot form a formula, and phones stay
/// usable (every E.164 number starts with `+`).
pub fn safe_cell(text: &str) -> Cow<'_, str> {
    let risky = matches!(
        text.as_bytes().first(),
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r')
    );
    if risky && !is_e164(text) {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

/// `+` then 6 to 15 ASCII digits.
fn is_e164(text: &str) -> bool {
    text.strip_prefix('+').is_some_and(|digits| {
        (6..=15).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit())
    })
}

pub struct CsvSink {
    writer: csv::Writer<Box<dyn Write + Send>>,
    leaves: Vec<Leaf>,
    header_pending: bool,
    safe: bool,
}

impl CsvSink {
    pub fn new(out: Box<dyn Write + Send>, fields: Vec<Field>, header: bool) -> Self {
        let writer = csv::WriterBuilder::new()
            .buffer_capacity(1 << 16)
            .from_writer(out);
        let leaves = fields.iter().flat_map(|f| f.leaves()).collect();
        CsvSink {
            writer,
            leaves,
            header_pending: header,
            safe: false,
        }
    }

    /// Applies [`safe_cell`] to every cell (`--csv-safe`).
    pub fn csv_safe(mut self, on: bool) -> Self {
        self.safe = on;
        self
    }

    fn write_header(&mut self) -> Result<()> {
        if self.header_pending {
            self.header_pending = false;
            self.writer
                .write_record(self.leaves.iter().map(|l| l.column()))?;
        }
        Ok(())
    }
}

impl Sink for CsvSink {
    fn record(&mut self, record: &Record<'_>) -> Result<()> {
        self.write_header()?;
        for leaf in &self.leaves {
            let text = match leaf.value(record) {
                Value::Text(text) => Cow::Borrowed(text.unwrap_or("")),
                Value::Json(json) => super::one_line_json(json.unwrap_or("")),
            };
            if self.safe {
                self.writer.write_field(safe_cell(&text).as_ref())?;
            } else {
                self.writer.write_field(text.as_ref())?;
            }
        }
        self.writer.write_record(None::<&[u8]>)?;
        Ok(())
    }

    fn flush(&mut self) -> Result<()> {
        self.writer.flush()?;
        Ok(())
    }

    fn finish(&mut self) -> Result<()> {
        self.write_header()?;
        self.writer.flush()?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_cells_are_quoted_and_phones_are_kept() {
        for cell in [
            "=1+1",
            "=HYPERLINK(\"http://x\")",
            "+1+cmd|' /C calc'!A0",
            "-2+3",
            "@SUM(A1)",
            "\t=1",
            "\r=1",
            "+12345",
            "+1234567890123456",
            "+1 555 0100",
            "+1********67",
        ] {
            assert_eq!(safe_cell(cell), format!("'{cell}"), "{cell:?}");
        }
        for cell in [
            "+15551230067",
            "+123456",
            "alice@example.com",
            "",
            "a=b",
            "{}",
        ] {
            assert!(matches!(safe_cell(cell), Cow::Borrowed(_)), "{cell:?}");
        }
    }
}

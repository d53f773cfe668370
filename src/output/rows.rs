//! The live table of `watch`: a header once, then one fixed-width row per
//! record as it arrives, so the columns never move however long the run
//! (the paged table of `parse` sizes its columns per page). Cell text comes
//! from the table renderer ([`TableSink::cell`], escaped); it is cut with
//! `…` to its column's width. Only the header and the outcome are coloured
//! ([`paint_outcome`], as in the paged table).

use super::table::{TableSink, paint_outcome};
use super::{OutputSettings, Sink};
use crate::fields::{Field, Leaf};
use crate::record::Record;
use anyhow::Result;
use colored::Colorize;
use std::io::Write;

/// Columns are separated by this.
const GAP: &str = "  ";

/// The fixed-width table `watch` prints row by row.
pub struct FixedRowSink {
    out: Box<dyn Write + Send>,
    fields: Vec<Field>,
    widths: Vec<usize>,
    cells: TableSink,
    color: bool,
    header_done: bool,
}

/// The width of a field's column.
pub fn width(field: Field, local_time: bool) -> usize {
    match field {
        Field::Leaf(Leaf::Published) if local_time => 25,
        Field::Leaf(Leaf::Published | Leaf::EventTime) => 20,
        Field::Leaf(Leaf::OutcomeResult) => 9,
        Field::Outcome => 24,
        Field::Leaf(Leaf::ClientIp) => 15,
        Field::Leaf(Leaf::CountryCallingCode | Leaf::Version) => 7,
        Field::Leaf(Leaf::Uuid | Leaf::EventId) => 36,
        Field::Leaf(Leaf::Message) => 40,
        Field::Leaf(Leaf::EventType) => 44,
        _ => 28,
    }
}

impl FixedRowSink {
    pub fn new(out: Box<dyn Write + Send>, settings: &OutputSettings) -> FixedRowSink {
        let fields = settings.effective_fields();
        let local = settings.time_zone == super::TimeZoneChoice::Local;
        let widths = fields.iter().map(|f| width(*f, local)).collect();
        FixedRowSink {
            out,
            widths,
            cells: TableSink::new(
                Box::new(std::io::sink()),
                fields.clone(),
                false,
                settings.time_zone,
            ),
            fields,
            color: settings.color,
            header_done: false,
        }
    }

    /// Prints the header (once); done before the first poll so people see
    /// the columns while nothing has happened yet.
    pub fn header(&mut self) -> Result<()> {
        if self.header_done {
            return Ok(());
        }
        self.header_done = true;
        let titles: Vec<String> = self.fields.iter().map(|f| f.title()).collect();
        let line = self.line(&titles, |_, text| text.bold().to_string());
        writeln!(self.out, "{line}")?;
        self.out.flush()?;
        Ok(())
    }

    /// Cells cut and padded to their widths (the last one is not padded).
    fn line(&self, cells: &[String], paint: impl Fn(usize, &str) -> String) -> String {
        let mut line = String::new();
        let last = cells.len().saturating_sub(1);
        for (i, (cell, w)) in cells.iter().zip(&self.widths).enumerate() {
            if i > 0 {
                line.push_str(GAP);
            }
            let mut text = fit(cell, *w);
            if i < last {
                let pad = w.saturating_sub(text.chars().count());
                text.extend(std::iter::repeat_n(' ', pad));
            }
            if self.color {
                line.push_str(&paint(i, &text));
            } else {
                line.push_str(&text);
            }
        }
        line.trim_end().to_string()
    }
}

/// `text` cut to `width` characters, ending in `…` when cut.
pub fn fit(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        return text.to_string();
    }
    let mut out: String = text.chars().take(width.saturating_sub(1)).collect();
    out.push('…');
    out
}

impl Sink for FixedRowSink {
    fn record(&mut self, record: &Record<'_>) -> Result<()> {
        self.header()?;
        let cells: Vec<String> = self
            .fields
            .iter()
            .map(|f| self.cells.cell(*f, record))
            .collect();
        let result = record.outcome_result.as_deref().unwrap_or("");
        let line = self.line(&cells, |i, text| match self.fields[i] {
            Field::Outcome | Field::Leaf(Leaf::OutcomeResult) => paint_outcome(result, text),
            _ => text.to_string(),
        });
        writeln!(self.out, "{line}")?;
        Ok(())
    }

    fn flush(&mut self) -> Result<()> {
        self.out.flush()?;
        Ok(())
    }

    fn finish(&mut self) -> Result<()> {
        self.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::Format;

    use crate::output::SharedBuf as Shared;

    fn settings() -> OutputSettings {
        OutputSettings::plain(Format::Table)
    }

    #[test]
    fn rows_keep_their_columns_whatever_the_content() {
        let buf = Shared::default();
        let mut sink = FixedRowSink::new(Box::new(buf.clone()), &settings());
        let short = r#"{"published":"2024-05-01T10:00:00.000Z","displayMessage":"m","outcome":{"result":"DENY"},
            "actor":{"alternateId":"a@x"},"target":[{"type":"User","alternateId":"u@x"}]}"#;
        let long = r#"{"published":"2024-05-01T10:00:01.000Z","displayMessage":"a very long message that goes on and on well past forty characters",
            "outcome":{"result":"SUCCESS"},"actor":{"alternateId":"someone.with.a.really.long.login@example.com"},
            "target":[{"type":"User","alternateId":"\u001b[2Jx@x"}]}"#;
        for json in [short, long] {
            let record = Record::from_event(json, serde_json::from_str(json).unwrap(), None);
            sink.record(&record).unwrap();
        }
        sink.finish().unwrap();
        let text = String::from_utf8(buf.0.lock().unwrap().clone()).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 3, "{text}");
        assert!(lines[0].starts_with("Date and Time"), "{text}");
        // Every column starts at the same place on every line.
        let widths: Vec<usize> = crate::fields::table_default()
            .iter()
            .map(|f| width(*f, false))
            .collect();
        let mut at = 0;
        for w in &widths[..widths.len() - 1] {
            at += w + GAP.len();
            for l in &lines {
                let c: Vec<char> = l.chars().collect();
                assert_eq!(&c[at - 2..at], [' ', ' '], "column at {at} moved: {l:?}");
            }
        }
        assert!(lines[2].contains('…'));
        assert!(!text.contains('\u{1b}'), "control characters are escaped");
    }

    #[test]
    fn fit_cuts_with_an_ellipsis() {
        assert_eq!(fit("abc", 3), "abc");
        assert_eq!(fit("abcd", 3), "ab…");
    }
}

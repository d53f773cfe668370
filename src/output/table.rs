//! The table for people: the card's names as headers, a compact set of
//! columns by default, colour for outcomes. Rows are printed in pages of
//! [`PAGE_ROWS`] so memory stays bounded on any input; each page repeats the
//! header. Event text is escaped before it reaches the terminal.

use super::{Sink, TimeZoneChoice};
use crate::escape::escape_control;
use crate::fields::{Field, Leaf, Value};
use crate::record::Record;
use anyhow::Result;
use colored::Colorize;
use comfy_table::{ContentArrangement, Table, presets};
use std::io::Write;

/// Rows held before a page is printed.
pub const PAGE_ROWS: usize = 1000;
/// Narrower terminals than this are not wrapped to (the table would be
/// unreadable); the rows are printed unwrapped instead.
const MIN_WRAP_WIDTH: u16 = 40;
/// Longest cell text shown for raw JSON fields.
const MAX_JSON_CELL: usize = 120;

pub struct TableSink {
    out: Box<dyn Write + Send>,
    fields: Vec<Field>,
    color: bool,
    time_zone: TimeZoneChoice,
    rows: Vec<Vec<String>>,
    pages: u64,
}

impl TableSink {
    pub fn new(
        out: Box<dyn Write + Send>,
        fields: Vec<Field>,
        color: bool,
        time_zone: TimeZoneChoice,
    ) -> Self {
        TableSink {
            out,
            fields,
            color,
            time_zone,
            rows: Vec::new(),
            pages: 0,
        }
    }

    /// The text of one cell (escaped, coloured when asked).
    pub fn cell(&self, field: Field, record: &Record<'_>) -> String {
        match field {
            Field::Leaf(Leaf::Published) => record
                .published
                .as_deref()
                .map(|t| display_time(t, self.time_zone))
                .unwrap_or_default(),
            Field::Leaf(Leaf::OutcomeResult) | Field::Outcome => {
                let result = record.outcome_result.as_deref().unwrap_or("");
                let text = match (field, record.outcome_reason.as_deref()) {
                    (Field::Outcome, Some(reason)) if !reason.is_empty() => {
                        format!("{result} ({reason})")
                    }
                    _ => result.to_string(),
                };
                let text = escape_control(&text).into_owned();
                if !self.color {
                    return text;
                }
                paint_outcome(result, &text)
            }
            Field::Leaf(leaf) => match leaf.value(record) {
                Value::Text(text) => escape_control(text.unwrap_or("")).into_owned(),
                Value::Json(json) => {
                    let json = super::one_line_json(json.unwrap_or(""));
                    let mut shown: String = json.chars().take(MAX_JSON_CELL).collect();
                    if shown.len() < json.len() {
                        shown.push('…');
                    }
                    escape_control(&shown).into_owned()
                }
            },
            Field::Party(who) => {
                let Some(party) = who.of(record) else {
                    return String::new();
                };
                let text = party
                    .alternate_id
                    .as_deref()
                    .or(party.display_name.as_deref())
                    .or(party.id.as_deref())
                    .unwrap_or("");
                escape_control(text).into_owned()
            }
        }
    }

    fn print_page(&mut self) -> Result<()> {
        let mut table = frame(self.color);
        let header = self.fields.iter().map(|f| {
            let title = f.title();
            if self.color {
                title.bold().to_string()
            } else {
                title
            }
        });
        table.set_header(header);
        for row in self.rows.drain(..) {
            table.add_row(row);
        }
        writeln!(self.out, "{table}")?;
        self.pages += 1;
        Ok(())
    }
}

impl Sink for TableSink {
    fn record(&mut self, record: &Record<'_>) -> Result<()> {
        let row = self.fields.iter().map(|f| self.cell(*f, record)).collect();
        self.rows.push(row);
        if self.rows.len() >= PAGE_ROWS {
            self.print_page()?;
            // Say that the table is paged rather than silently splitting it.
            writeln!(
                self.out,
                "(page {} of {PAGE_ROWS} rows; more follow. For bulk output use -o csv or -o ndjson.)",
                self.pages
            )?;
        }
        Ok(())
    }

    fn flush(&mut self) -> Result<()> {
        if !self.rows.is_empty() {
            self.print_page()?;
        }
        self.out.flush()?;
        Ok(())
    }

    fn finish(&mut self) -> Result<()> {
        self.flush()
    }
}

/// A table in the house style (`UTF8_FULL_CONDENSED`, colour kept when
/// `color`), wrapped to the terminal's width. A terminal that reports no
/// usable width (a bare pty) falls back to `$COLUMNS`; with neither, rows
/// stay unwrapped rather than squeezed into one character per column.
pub fn frame(color: bool) -> Table {
    let mut table = Table::new();
    if color {
        table.enforce_styling();
    }
    table.load_style(presets::UTF8_FULL_CONDENSED);
    let detected = table.width().filter(|w| *w >= MIN_WRAP_WIDTH);
    let from_env = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse::<u16>().ok());
    match detected.or(from_env.filter(|w| *w >= MIN_WRAP_WIDTH)) {
        Some(width) => {
            table
                .set_width(width)
                .set_content_arrangement(ContentArrangement::Dynamic);
        }
        None => {
            table.set_content_arrangement(ContentArrangement::Disabled);
        }
    }
    table
}

/// `text` (an outcome cell, already escaped) in the colour of the outcome
/// `result`: green for `SUCCESS`/`ALLOW`, bold red for `DENY`, `FAILURE`
/// and `RATE_LIMIT`, yellow for anything else.
pub fn paint_outcome(result: &str, text: &str) -> String {
    match result {
        "SUCCESS" | "ALLOW" => text.green().to_string(),
        "DENY" | "FAILURE" | "RATE_LIMIT" => text.red().bold().to_string(),
        _ => text.yellow().to_string(),
    }
}

/// `published` for people: `2024-05-01 10:11:12Z` in UTC, or local time with
/// its offset. Text that is not RFC 3339 is shown as it is.
pub fn display_time(text: &str, zone: TimeZoneChoice) -> String {
    match chrono::DateTime::parse_from_rfc3339(text) {
        Ok(t) => match zone {
            TimeZoneChoice::Utc => t
                .with_timezone(&chrono::Utc)
                .format("%Y-%m-%d %H:%M:%SZ")
                .to_string(),
            TimeZoneChoice::Local => t
                .with_timezone(&chrono::Local)
                .format("%Y-%m-%d %H:%M:%S%:z")
                .to_string(),
        },
        Err(_) => escape_control(text).into_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utc_display_is_24_hour() {
        assert_eq!(
            display_time("2024-05-01T22:11:12.345Z", TimeZoneChoice::Utc),
            "2024-05-01 22:11:12Z"
        );
        assert_eq!(
            display_time("2024-05-01T22:11:12+02:00", TimeZoneChoice::Utc),
            "2024-05-01 20:11:12Z"
        );
        assert_eq!(
            display_time("not a time", TimeZoneChoice::Utc),
            "not a time"
        );
    }

    #[test]
    fn a_long_table_is_paged_and_says_so() {
        let out = crate::output::SharedBuf::default();
        let mut sink = TableSink::new(
            Box::new(out.clone()),
            vec![Field::Leaf(Leaf::EventId)],
            false,
            TimeZoneChoice::Utc,
        );
        let record = Record {
            event_id: Some("e".into()),
            ..Record::default()
        };
        for _ in 0..PAGE_ROWS + 1 {
            sink.record(&record).unwrap();
        }
        sink.finish().unwrap();
        let text = String::from_utf8(out.take()).unwrap();
        assert_eq!(
            text.matches("Event ID").count(),
            2,
            "each page has its header"
        );
        assert_eq!(text.matches("more follow").count(), 1, "{text}");
        assert_eq!(text.matches("│ e ").count(), PAGE_ROWS + 1);
    }
}

//! Rows of named columns that are not records (the `--group-by` summary),
//! in the same four formats as the record sinks and with the same
//! decisions: CSV through the `csv` crate with `--csv-safe`, JSON and
//! NDJSON objects whose keys are the column names (serde_json escaping), and
//! the table framed and escaped like [`super::table::TableSink`]'s, titles
//! bold when colour is on. A table may end with a bar column (Unicode
//! eighth blocks scaled to the largest value, [`bar`]); CSV and JSON never
//! get it.

use super::table::{display_time, frame};
use super::{Format, OutputSettings};
use crate::escape::escape_control;
use anyhow::Result;
use colored::Colorize;
use std::io::Write;

/// One column: its CSV header and JSON key, and its table title.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GridColumn {
    /// The CSV header and JSON key, e.g. `first_seen`.
    pub name: &'static str,
    /// The table title, e.g. `First Seen`.
    pub title: &'static str,
}

/// One cell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cell {
    /// Text (a JSON string; escaped in the table).
    Text(String),
    /// A whole number (a JSON number).
    Number(i64),
    /// An RFC 3339 instant, or none (JSON `null`, an empty CSV and table
    /// cell); the table shows it as `published` is shown
    /// ([`display_time`], `--time-zone`).
    Time(Option<String>),
}

/// The bar column of a table: its title and one value per row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bars {
    pub title: &'static str,
    pub values: Vec<u64>,
}

/// Rows to render: every row has one cell per column.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Grid {
    pub columns: Vec<GridColumn>,
    pub rows: Vec<Vec<Cell>>,
    /// A bar column for the table only.
    pub bars: Option<Bars>,
}

/// Writes `grid` to `out` in `settings.format` and flushes. An empty grid
/// is `[]` in JSON, nothing in NDJSON, the header alone in CSV, and nothing
/// as a table. CSV and JSON bound for a terminal are escaped as the record
/// sinks' are ([`super::guard_notation`]).
pub fn write_grid(out: &mut dyn Write, settings: &OutputSettings, grid: &Grid) -> Result<()> {
    match super::guard_notation(settings) {
        Some(notation) => {
            let mut guarded = super::terminal::Guard::new(out, notation);
            write_unguarded(&mut guarded, settings, grid)?;
            guarded.flush()?;
        }
        None => {
            write_unguarded(out, settings, grid)?;
            out.flush()?;
        }
    }
    Ok(())
}

/// [`write_grid`] on a terminal that shows only the latest grid: the
/// screen is cleared first (cursor home, clear; never escaped), so a live
/// summary is redrawn in place.
pub fn redraw_grid(out: &mut dyn Write, settings: &OutputSettings, grid: &Grid) -> Result<()> {
    out.write_all(super::terminal::CLEAR_SCREEN)?;
    write_grid(out, settings, grid)
}

fn write_unguarded(out: &mut dyn Write, settings: &OutputSettings, grid: &Grid) -> Result<()> {
    match settings.format {
        Format::Csv => write_csv(out, settings, grid),
        Format::Json | Format::Ndjson => write_json(out, settings.format == Format::Json, grid),
        Format::Table => write_table(out, settings, grid),
    }
}

fn write_csv(out: &mut dyn Write, settings: &OutputSettings, grid: &Grid) -> Result<()> {
    let mut csv = csv::Writer::from_writer(out);
    if !settings.no_header {
        csv.write_record(grid.columns.iter().map(|c| c.name))?;
    }
    for row in &grid.rows {
        for cell in row {
            let text = match cell {
                Cell::Text(text) | Cell::Time(Some(text)) => {
                    std::borrow::Cow::Borrowed(text.as_str())
                }
                Cell::Number(n) => std::borrow::Cow::Owned(n.to_string()),
                Cell::Time(None) => std::borrow::Cow::Borrowed(""),
            };
            if settings.csv_safe {
                csv.write_field(super::csv::safe_cell(&text).as_ref())?;
            } else {
                csv.write_field(text.as_ref())?;
            }
        }
        csv.write_record(None::<&[u8]>)?;
    }
    csv.flush()?;
    Ok(())
}

fn write_json(out: &mut dyn Write, array: bool, grid: &Grid) -> Result<()> {
    if array {
        out.write_all(if grid.rows.is_empty() {
            b"[]\n"
        } else {
            b"[\n"
        })?;
    }
    for (n, row) in grid.rows.iter().enumerate() {
        if array && n > 0 {
            out.write_all(b",\n")?;
        }
        out.write_all(b"{")?;
        for (i, (column, cell)) in grid.columns.iter().zip(row).enumerate() {
            if i > 0 {
                out.write_all(b",")?;
            }
            serde_json::to_writer(&mut *out, column.name)?;
            out.write_all(b":")?;
            match cell {
                Cell::Text(text) | Cell::Time(Some(text)) => {
                    serde_json::to_writer(&mut *out, text)?
                }
                Cell::Number(n) => write!(out, "{n}")?,
                Cell::Time(None) => out.write_all(b"null")?,
            }
        }
        out.write_all(b"}")?;
        if !array {
            out.write_all(b"\n")?;
        }
    }
    if array && !grid.rows.is_empty() {
        out.write_all(b"\n]\n")?;
    }
    Ok(())
}

fn write_table(out: &mut dyn Write, settings: &OutputSettings, grid: &Grid) -> Result<()> {
    if grid.rows.is_empty() {
        return Ok(());
    }
    let mut table = frame(settings.color);
    let bar_title = grid.bars.as_ref().map(|b| b.title);
    let titles = grid.columns.iter().map(|c| c.title).chain(bar_title);
    table.set_header(titles.map(|t| {
        if settings.color {
            t.bold().to_string()
        } else {
            t.to_string()
        }
    }));
    let max = grid
        .bars
        .as_ref()
        .and_then(|b| b.values.iter().copied().max())
        .unwrap_or(0);
    for (n, row) in grid.rows.iter().enumerate() {
        let mut cells: Vec<String> = row
            .iter()
            .map(|cell| match cell {
                Cell::Text(text) => escape_control(text).into_owned(),
                Cell::Number(n) => n.to_string(),
                Cell::Time(time) => time
                    .as_deref()
                    .map(|t| display_time(t, settings.time_zone))
                    .unwrap_or_default(),
            })
            .collect();
        if let Some(bars) = &grid.bars {
            let value = bars.values.get(n).copied().unwrap_or(0);
            cells.push(bar(value, max, BAR_WIDTH));
        }
        table.add_row(cells);
    }
    writeln!(out, "{table}")?;
    Ok(())
}

/// The widest bar, in terminal cells.
pub const BAR_WIDTH: usize = 24;

/// `count` as a bar of Unicode blocks, `width` cells for `max`, in eighths
/// of a cell; any count above zero shows at least one eighth.
pub fn bar(count: u64, max: u64, width: usize) -> String {
    const EIGHTHS: [char; 8] = ['▏', '▎', '▍', '▌', '▋', '▊', '▉', '█'];
    if count == 0 || max == 0 {
        return String::new();
    }
    let total = (u128::from(count) * (width as u128) * 8).div_ceil(u128::from(max));
    let total = usize::try_from(total)
        .unwrap_or(width * 8)
        .clamp(1, width * 8);
    let mut out = "█".repeat(total / 8);
    if total % 8 > 0 {
        out.push(EIGHTHS[total % 8 - 1]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(format: Format) -> OutputSettings {
        OutputSettings::plain(format)
    }

    fn grid() -> Grid {
        Grid {
            columns: vec![
                GridColumn {
                    name: "who",
                    title: "Who",
                },
                GridColumn {
                    name: "count",
                    title: "Count",
                },
                GridColumn {
                    name: "at",
                    title: "At",
                },
            ],
            rows: vec![
                vec![
                    Cell::Text("=x,\u{1b}[2J".into()),
                    Cell::Number(4),
                    Cell::Time(Some("2024-05-01T09:00:00.000Z".into())),
                ],
                vec![Cell::Text("b".into()), Cell::Number(1), Cell::Time(None)],
            ],
            bars: Some(Bars {
                title: "Sends",
                values: vec![4, 1],
            }),
        }
    }

    fn render(settings: &OutputSettings, grid: &Grid) -> String {
        let mut out = Vec::new();
        write_grid(&mut out, settings, grid).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn csv_quotes_and_guards_cells_and_has_no_bars() {
        let mut s = settings(Format::Csv);
        assert_eq!(
            render(&s, &grid()),
            "who,count,at\n\"=x,\u{1b}[2J\",4,2024-05-01T09:00:00.000Z\nb,1,\n"
        );
        s.csv_safe = true;
        s.no_header = true;
        assert!(render(&s, &grid()).starts_with("\"'=x,"));
    }

    #[test]
    fn json_numbers_strings_and_null() {
        let line0 = r#"{"who":"=x,\u001b[2J","count":4,"at":"2024-05-01T09:00:00.000Z"}"#;
        let line1 = r#"{"who":"b","count":1,"at":null}"#;
        assert_eq!(
            render(&settings(Format::Ndjson), &grid()),
            format!("{line0}\n{line1}\n")
        );
        assert_eq!(
            render(&settings(Format::Json), &grid()),
            format!("[\n{line0},\n{line1}\n]\n")
        );
        let empty = Grid {
            rows: vec![],
            ..grid()
        };
        assert_eq!(render(&settings(Format::Json), &empty), "[]\n");
        assert_eq!(render(&settings(Format::Table), &empty), "");
    }

    #[test]
    fn table_escapes_text_shows_times_and_draws_bars() {
        let text = render(&settings(Format::Table), &grid());
        assert!(!text.contains('\u{1b}'), "{text}");
        assert!(text.contains("2024-05-01 09:00:00Z"), "{text}");
        assert!(text.contains("Sends"), "{text}");
        assert!(text.contains(&"█".repeat(BAR_WIDTH)), "{text}");
        assert!(text.contains("┆ ██████ "), "{text}");
    }

    #[test]
    fn bars_scale_to_the_largest_count() {
        assert_eq!(bar(8, 8, 3), "███");
        assert_eq!(bar(4, 8, 3), "█▌");
        assert_eq!(bar(1, 3, 2), "▊", "rounded up to the next eighth");
        assert_eq!(bar(1, 1000, 3), "▏");
        assert_eq!(bar(0, 8, 3), "");
        assert_eq!(bar(u64::MAX, u64::MAX, 2), "██");
    }
}

//! Writes summary rows in the chosen output format: CSV (header: the key
//! names, then the columns), JSON (an array of objects with those keys),
//! NDJSON (one object per line) or a table with titles. Group keys are
//! masked here when `--mask` asks for it. Tables grouped by `day` or `hour`
//! end with a bar column (Unicode eighth blocks scaled to the largest
//! count), so a spike shows at a glance; CSV and JSON never get it.

use super::keys::{Key, format_time};
use super::mask::Masker;
use super::summary::{COLUMNS, Column, Row};
use crate::output::table::display_time;
use crate::output::terminal::escape_control;
use crate::output::{Format, OutputSettings};
use anyhow::Result;
use colored::Colorize;
use comfy_table::{ContentArrangement, Table, presets};
use std::borrow::Cow;
use std::io::Write;

/// Writes `rows` to `out` as `settings` asks.
pub fn write_summary(
    out: &mut dyn Write,
    settings: &OutputSettings,
    keys: &[Key],
    rows: &[Row],
    masker: Option<&Masker>,
) -> Result<()> {
    let key_text = |row: &'_ Row, i: usize| -> String {
        let value = row.keys[i].as_str();
        match masker {
            Some(m) => m.group(Some(keys[i]), value).into_owned(),
            None => value.to_string(),
        }
    };
    match settings.format {
        Format::Csv => {
            let mut csv = csv::Writer::from_writer(&mut *out);
            if !settings.no_header {
                let header = keys
                    .iter()
                    .map(|k| k.name())
                    .chain(COLUMNS.iter().map(|c| c.name()));
                csv.write_record(header)?;
            }
            let safe = |text: &str| -> String {
                if settings.csv_safe {
                    crate::output::csv::safe_cell(text).into_owned()
                } else {
                    text.to_string()
                }
            };
            for row in rows {
                for i in 0..keys.len() {
                    csv.write_field(safe(&key_text(row, i)))?;
                }
                for column in COLUMNS {
                    csv.write_field(safe(cell_text(row, column).as_ref()))?;
                }
                csv.write_record(None::<&[u8]>)?;
            }
            csv.flush()?;
        }
        Format::Json | Format::Ndjson => {
            let array = settings.format == Format::Json;
            if array {
                out.write_all(if rows.is_empty() { b"[]\n" } else { b"[\n" })?;
            }
            for (n, row) in rows.iter().enumerate() {
                if array && n > 0 {
                    out.write_all(b",\n")?;
                }
                out.write_all(b"{")?;
                for (i, key) in keys.iter().enumerate() {
                    if i > 0 {
                        out.write_all(b",")?;
                    }
                    serde_json::to_writer(&mut *out, key.name())?;
                    out.write_all(b":")?;
                    serde_json::to_writer(&mut *out, &key_text(row, i))?;
                }
                for column in COLUMNS {
                    out.write_all(b",")?;
                    serde_json::to_writer(&mut *out, column.name())?;
                    out.write_all(b":")?;
                    match column {
                        Column::FirstSeen | Column::LastSeen => match row.number(column) {
                            Some(ms) => serde_json::to_writer(&mut *out, &format_time(ms))?,
                            None => out.write_all(b"null")?,
                        },
                        _ => write!(out, "{}", row.number(column).unwrap_or(0))?,
                    }
                }
                out.write_all(b"}")?;
                if !array {
                    out.write_all(b"\n")?;
                }
            }
            if array && !rows.is_empty() {
                out.write_all(b"\n]\n")?;
            }
        }
        Format::Table => {
            if rows.is_empty() {
                return Ok(());
            }
            let mut table = Table::new();
            table
                .load_style(presets::UTF8_FULL_CONDENSED)
                .set_content_arrangement(ContentArrangement::Dynamic);
            let titles = keys
                .iter()
                .map(|k| k.title())
                .chain(COLUMNS.iter().map(|c| c.title()))
                .map(|t| {
                    if settings.color {
                        t.bold().to_string()
                    } else {
                        t.to_string()
                    }
                });
            let bars = keys.iter().any(|k| matches!(k, Key::Day | Key::Hour));
            let max = rows.iter().map(|r| r.count).max().unwrap_or(0);
            table.set_header(titles.chain(bars.then(|| String::from("Sends"))));
            for row in rows {
                let mut cells: Vec<String> = (0..keys.len())
                    .map(|i| escape_control(&key_text(row, i)).into_owned())
                    .collect();
                for column in COLUMNS {
                    let text = match column {
                        Column::FirstSeen | Column::LastSeen => row
                            .number(column)
                            .map(|ms| display_time(&format_time(ms), settings.time_zone))
                            .unwrap_or_default(),
                        _ => cell_text(row, column).into_owned(),
                    };
                    cells.push(text);
                }
                if bars {
                    cells.push(bar(row.count, max, BAR_WIDTH));
                }
                table.add_row(cells);
            }
            writeln!(out, "{table}")?;
        }
    }
    out.flush()?;
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

fn cell_text(row: &Row, column: Column) -> Cow<'static, str> {
    match column {
        Column::FirstSeen | Column::LastSeen => {
            Cow::Owned(row.number(column).map(format_time).unwrap_or_default())
        }
        _ => Cow::Owned(row.number(column).unwrap_or(0).to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::TimeZoneChoice;

    fn settings(format: Format) -> OutputSettings {
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

    fn rows() -> Vec<Row> {
        vec![Row {
            keys: vec!["+15550000001".into(), "2024-05-01".into()],
            count: 3,
            users: 2,
            phones: 1,
            actors: 2,
            denied: 1,
            first_seen: Some(1_714_554_000_000),
            last_seen: None,
        }]
    }

    fn render(format: Format, masker: Option<&Masker>) -> String {
        let mut out = Vec::new();
        write_summary(
            &mut out,
            &settings(format),
            &[Key::Phone, Key::Day],
            &rows(),
            masker,
        )
        .unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn csv_header_is_keys_then_columns() {
        assert_eq!(
            render(Format::Csv, None),
            "phone,day,count,users,phones,actors,denied,first_seen,last_seen\n\
             +15550000001,2024-05-01,3,2,1,2,1,2024-05-01T09:00:00.000Z,\n"
        );
    }

    #[test]
    fn json_and_ndjson_use_the_same_keys() {
        let line = r#"{"phone":"+15550000001","day":"2024-05-01","count":3,"users":2,"phones":1,"actors":2,"denied":1,"first_seen":"2024-05-01T09:00:00.000Z","last_seen":null}"#;
        assert_eq!(render(Format::Ndjson, None), format!("{line}\n"));
        assert_eq!(render(Format::Json, None), format!("[\n{line}\n]\n"));
        let parsed: serde_json::Value = serde_json::from_str(&render(Format::Json, None)).unwrap();
        assert_eq!(parsed[0]["count"], 3);
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

    #[test]
    fn day_tables_get_a_bar_column_and_csv_does_not() {
        let mut rows = rows();
        let mut quiet = rows[0].clone();
        quiet.keys = vec!["+15550000002".into(), "2024-05-02".into()];
        quiet.count = 1;
        rows.push(quiet);
        let mut out = Vec::new();
        write_summary(
            &mut out,
            &settings(Format::Table),
            &[Key::Phone, Key::Day],
            &rows,
            None,
        )
        .unwrap();
        let table = String::from_utf8(out).unwrap();
        assert!(table.contains("Sends"), "{table}");
        assert!(table.contains(&"█".repeat(BAR_WIDTH)), "{table}");
        assert!(table.contains("┆ ████████ "), "{table}");
        let csv = render(Format::Csv, None);
        assert!(!csv.contains('█') && !csv.contains("Sends"));
        let mut out = Vec::new();
        write_summary(
            &mut out,
            &settings(Format::Table),
            &[Key::Phone],
            &rows,
            None,
        )
        .unwrap();
        assert!(
            !String::from_utf8(out).unwrap().contains('█'),
            "only day and hour tables"
        );
    }

    #[test]
    fn table_has_titles_and_masking_applies_to_keys() {
        let masker = Masker::with_key(super::super::mask::MaskChoice::Phones, [0; 32]);
        let table = render(Format::Table, Some(&masker));
        for title in [
            "Phone",
            "Day",
            "Count",
            "Users",
            "Denied",
            "First Seen",
            "Last Seen",
        ] {
            assert!(table.contains(title), "{title}\n{table}");
        }
        assert!(table.contains("+1********01"), "{table}");
        assert!(!table.contains("+15550000001"));
        assert!(table.contains("2024-05-01 09:00:00Z"));
    }
}

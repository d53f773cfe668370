//! The `--group-by` summary as rows of named columns for the renderer
//! ([`crate::output::grid`], which makes every CSV/JSON/table decision):
//! the key columns (masked here when `--mask` asks for it), then the
//! summary's columns. Tables grouped by `day` or `hour` end with a bar
//! column of the counts, so a spike shows at a glance.

use super::keys::{Key, format_time};
use super::mask::Masker;
use super::summary::{COLUMNS, Column, Row};
use crate::output::grid::{Bars, Cell, Grid, GridColumn};

/// The summary as a [`Grid`]: one text column per key, then [`COLUMNS`];
/// bars of the counts when a key is `day` or `hour`.
pub fn summary_grid(keys: &[Key], rows: &[Row], masker: Option<&Masker>) -> Grid {
    let key_columns = keys.iter().map(|k| GridColumn {
        name: k.name(),
        title: k.title(),
    });
    let value_columns = COLUMNS.iter().map(|c| GridColumn {
        name: c.name(),
        title: c.title(),
    });
    let by_time = keys.iter().any(|k| matches!(k, Key::Day | Key::Hour));
    Grid {
        columns: key_columns.chain(value_columns).collect(),
        rows: rows.iter().map(|row| cells(keys, row, masker)).collect(),
        bars: by_time.then(|| Bars {
            title: "Sends",
            values: rows.iter().map(|r| r.count).collect(),
        }),
    }
}

/// One row's cells: its (masked) key values, then its figures.
fn cells(keys: &[Key], row: &Row, masker: Option<&Masker>) -> Vec<Cell> {
    let key_cells = keys.iter().zip(&row.keys).map(|(key, value)| {
        Cell::Text(match masker {
            Some(m) => m.group(Some(*key), value.as_str()).into_owned(),
            None => value.to_string(),
        })
    });
    let value_cells = COLUMNS.iter().map(|&column| match column {
        Column::FirstSeen | Column::LastSeen => Cell::Time(row.number(column).map(format_time)),
        _ => Cell::Number(row.number(column).unwrap_or(0)),
    });
    key_cells.chain(value_cells).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::{Format, OutputSettings};

    fn write_summary(
        out: &mut dyn std::io::Write,
        settings: &OutputSettings,
        keys: &[Key],
        rows: &[Row],
        masker: Option<&Masker>,
    ) -> anyhow::Result<()> {
        crate::output::grid::write_grid(out, settings, &summary_grid(keys, rows, masker))
    }

    fn settings(format: Format) -> OutputSettings {
        OutputSettings::plain(format)
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
        assert!(
            table.contains(&"█".repeat(crate::output::grid::BAR_WIDTH)),
            "{table}"
        );
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

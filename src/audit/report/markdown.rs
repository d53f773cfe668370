//! The Markdown report: the same summary as the HTML page as
//! GitHub-flavoured Markdown tables, to append to `$GITHUB_STEP_SUMMARY`
//! (or a merge-request note). Cells are escaped so a value cannot break a
//! table (`|`, newlines) or inject markup (`<`, `>`, backticks).

use super::{TOP_N, TOPS, View};
use crate::audit::keys::{Key, format_time};
use crate::output::grid::bar;
use crate::output::markup::markdown_cell as cell;
use std::fmt::Write;

/// The whole document.
pub fn render(view: &View<'_>) -> String {
    let mut m = String::new();
    totals(&mut m, view);
    findings(&mut m, view);
    timeline(&mut m, view);
    tops(&mut m, view);
    m
}

/// The heading, the range and the totals table.
fn totals(m: &mut String, view: &View<'_>) {
    let d = view.data;
    let _ = writeln!(m, "## oksms SMS verification audit\n");
    let _ = writeln!(m, "{} (UTC)\n", view.range_text());
    let _ = writeln!(
        m,
        "| Sends | Denied | Phones | Regions | Users | Findings |"
    );
    let _ = writeln!(m, "| ---: | ---: | ---: | ---: | ---: | ---: |");
    let _ = writeln!(
        m,
        "| {} | {} | {} | {} | {} | {} |\n",
        d.total,
        d.denied,
        d.distinct(Key::Phone),
        d.distinct(Key::Region),
        d.distinct(Key::User),
        view.findings.len()
    );
}

/// One row per finding (or a line saying none fired).
fn findings(m: &mut String, view: &View<'_>) {
    let _ = writeln!(m, "### Findings\n");
    if view.findings.is_empty() {
        let _ = writeln!(m, "No rule fired ({} rule(s) run).\n", view.rules.len());
    } else {
        let _ = writeln!(m, "| Rule | Group | Figure | First event | Last event |");
        let _ = writeln!(m, "| --- | --- | ---: | --- | --- |");
        for f in view.findings {
            let group = match f.key {
                Some(k) => format!("{} {}", k.name(), view.shown(Some(k), &f.group)),
                None => "all events".to_string(),
            };
            let event = |id: &Option<String>, t: Option<i64>| {
                format!(
                    "{} {}",
                    id.as_deref().unwrap_or("-"),
                    t.map(format_time).unwrap_or_default()
                )
            };
            let _ = writeln!(
                m,
                "| {} | {} | {} {} | {} | {} |",
                cell(&f.rule),
                cell(&group),
                f.figure,
                f.measure,
                cell(&event(&f.first_event_id, f.first_time)),
                cell(&event(&f.last_event_id, f.last_time)),
            );
        }
        m.push('\n');
    }
}

/// Sends per day (or per few hours) with a bar each.
fn timeline(m: &mut String, view: &View<'_>) {
    let bins = view.data.timeline(31);
    if !bins.is_empty() {
        let hours = bins[0].1 / 3_600_000;
        let _ = writeln!(
            m,
            "### Sends per {}\n",
            if hours == 24 {
                "day".to_string()
            } else {
                format!("{hours}h")
            }
        );
        let _ = writeln!(m, "| From (UTC) | Sends | |");
        let _ = writeln!(m, "| --- | ---: | --- |");
        let max = bins.iter().map(|b| b.2).max().unwrap_or(0);
        for (t, _, n) in &bins {
            let _ = writeln!(m, "| {} | {n} | {} |", format_time(*t), bar(*n, max, 20));
        }
        m.push('\n');
    }
}

/// A table for each ranking ([`TOPS`]).
fn tops(m: &mut String, view: &View<'_>) {
    for key in TOPS {
        let rows = view.data.top(key, TOP_N);
        if rows.is_empty() {
            continue;
        }
        let _ = writeln!(m, "### {}\n", View::top_title(key));
        let _ = writeln!(m, "| {} | Sends |", key.title());
        let _ = writeln!(m, "| --- | ---: |");
        for (value, n) in rows {
            let _ = writeln!(m, "| {} | {n} |", cell(&view.shown(Some(key), &value)));
        }
        m.push('\n');
    }
}

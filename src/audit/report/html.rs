//! The HTML report: one self-contained page. Charts are inline SVG drawn
//! here (no scripts at all, no fonts, images or styles from elsewhere; a
//! Content-Security-Policy forbids any fetch), and the page prints on paper
//! (light colours, no fixed heights, tables break across pages).

use super::{TOP_N, TOPS, View};
use crate::audit::findings::line;
use crate::audit::keys::{Key, format_time};
use crate::output::markup::xml_escape as escape;
use std::fmt::Write;

const STYLE: &str = "\
body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;margin:2em auto;max-width:1000px;\
color:#1b1f24;padding:0 1em}\
h1{font-size:1.6em;margin-bottom:.2em}h2{font-size:1.2em;margin-top:1.6em}\
.totals{display:flex;flex-wrap:wrap;gap:1em;margin:1em 0}\
.totals div{border:1px solid #d0d7de;border-radius:6px;padding:.5em 1em}\
.totals b{display:block;font-size:1.4em}\
table{border-collapse:collapse;width:100%;font-size:.9em}\
th,td{border:1px solid #d0d7de;padding:.3em .5em;text-align:left;vertical-align:top}\
th{background:#f6f8fa}td.n{text-align:right;font-variant-numeric:tabular-nums}\
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(300px,1fr));gap:1.5em}\
svg{max-width:100%;height:auto}svg text{font-family:inherit;font-size:11px;fill:#1b1f24}\
.none{color:#57606a}\
@media print{body{margin:0;max-width:none}section{break-inside:avoid}tr{break-inside:avoid}}";

/// The whole page.
pub fn render(view: &View<'_>) -> String {
    let mut h = String::with_capacity(32 * 1024);
    page_head(&mut h, view);
    totals(&mut h, view);
    h.push_str("<section id=\"timeline\">\n<h2>Sends over time</h2>\n");
    h.push_str(&timeline_svg(view));
    h.push_str("</section>\n");
    findings_table(&mut h, view);
    tops(&mut h, view);
    let _ = writeln!(
        h,
        "<footer><p class=\"none\">Rules run: {}. Written by oksms {}.</p></footer>",
        escape(&view.rules.join("; ")),
        env!("CARGO_PKG_VERSION")
    );
    h.push_str("</body>\n</html>\n");
    h
}

/// The document head (title, CSP, style) and the page's heading.
fn page_head(h: &mut String, view: &View<'_>) {
    h.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    h.push_str(
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; \
         style-src 'unsafe-inline'\">\n",
    );
    h.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    let _ = writeln!(
        h,
        "<title>oksms SMS audit: {}</title>",
        escape(&view.range_text())
    );
    let _ = writeln!(h, "<style>{STYLE}</style>\n</head>\n<body>");
    h.push_str("<h1>SMS verification audit</h1>\n");
    let _ = writeln!(
        h,
        "<p id=\"range\">{} (UTC)</p>",
        escape(&view.range_text())
    );
}

/// The totals strip: sends, denied, phones, regions, users, findings.
fn totals(h: &mut String, view: &View<'_>) {
    let d = view.data;
    h.push_str("<div class=\"totals\" id=\"totals\">");
    let fired: usize = view
        .rules
        .iter()
        .filter(|r| view.findings.iter().any(|f| &f.rule == *r))
        .count();
    for (label, value) in [
        ("sends", d.total.to_string()),
        ("denied", d.denied.to_string()),
        (
            "phones",
            known(d.distinct(Key::Phone), view, Key::Phone).to_string(),
        ),
        (
            "regions",
            known(d.distinct(Key::Region), view, Key::Region).to_string(),
        ),
        (
            "users",
            known(d.distinct(Key::User), view, Key::User).to_string(),
        ),
        ("findings", view.findings.len().to_string()),
        ("rules fired", format!("{fired} of {}", view.rules.len())),
    ] {
        let _ = write!(h, "<div><b>{}</b>{label}</div>", escape(&value));
    }
    h.push_str("</div>\n");
}

/// One row per finding, with its rule, group, figure and events.
fn findings_table(h: &mut String, view: &View<'_>) {
    h.push_str("<section id=\"findings\">\n<h2>Findings</h2>\n");
    if view.findings.is_empty() {
        let _ = writeln!(
            h,
            "<p class=\"none\">No rule fired ({} rule(s) run).</p>",
            view.rules.len()
        );
    }
    h.push_str(
        "<table id=\"findings-table\">\n<thead><tr><th>#</th><th>Rule</th><th>Group</th>\
         <th>Figure</th><th>First event</th><th>Last event</th></tr></thead>\n<tbody>\n",
    );
    for (i, f) in view.findings.iter().enumerate() {
        let group = match f.key {
            Some(k) => format!("{} {}", k.name(), view.shown(Some(k), &f.group)),
            None => "all events".to_string(),
        };
        let event = |id: &Option<String>, t: Option<i64>| {
            format!(
                "{}<br>{}",
                escape(id.as_deref().unwrap_or("-")),
                escape(&t.map(format_time).unwrap_or_default())
            )
        };
        let _ = writeln!(
            h,
            "<tr title=\"{}\"><td class=\"n\">{}</td><td>{}</td><td>{}</td><td class=\"n\">{} {}</td><td>{}</td><td>{}</td></tr>",
            escape(&line(f, view.masker)),
            i + 1,
            escape(&f.rule),
            escape(&group),
            f.figure,
            escape(f.measure),
            event(&f.first_event_id, f.first_time),
            event(&f.last_event_id, f.last_time),
        );
    }
    h.push_str("</tbody>\n</table>\n</section>\n");
}

/// A bar chart and a table for each ranking ([`TOPS`]).
fn tops(h: &mut String, view: &View<'_>) {
    let d = view.data;
    h.push_str("<section id=\"tops\">\n<div class=\"grid\">\n");
    for key in TOPS {
        let rows = d.top(key, TOP_N);
        let title = View::top_title(key);
        let _ = writeln!(
            h,
            "<div class=\"top\" id=\"top-{}\">\n<h2>{title}</h2>",
            key.name()
        );
        h.push_str(&bars_svg(view, key, &rows));
        let _ = writeln!(
            h,
            "<table><thead><tr><th>{}</th><th>Sends</th></tr></thead><tbody>",
            escape(key.title())
        );
        for (value, n) in &rows {
            let _ = writeln!(
                h,
                "<tr><td>{}</td><td class=\"n\">{n}</td></tr>",
                escape(&view.shown(Some(key), value))
            );
        }
        h.push_str("</tbody></table>\n</div>\n");
    }
    h.push_str("</div>\n</section>\n");
}

/// Distinct values, not counting `unknown`.
fn known(n: usize, view: &View<'_>, key: Key) -> usize {
    let unknown = view
        .data
        .top(key, usize::MAX)
        .iter()
        .any(|(v, _)| v == crate::audit::keys::UNKNOWN);
    n - usize::from(unknown)
}

/// Sends per bin as columns, each finding's window as a shaded band.
fn timeline_svg(view: &View<'_>) -> String {
    const W: f64 = 960.0;
    const H: f64 = 240.0;
    const LEFT: f64 = 50.0;
    const RIGHT: f64 = 10.0;
    const TOP: f64 = 10.0;
    const BOTTOM: f64 = 40.0;
    let bins = view.data.timeline(120);
    let mut s = format!(
        "<svg id=\"chart-timeline\" class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" \
         viewBox=\"0 0 {W} {H}\" width=\"{W}\" height=\"{H}\" role=\"img\" \
         aria-label=\"Sends over time\">\n"
    );
    let Some(first) = bins.first() else {
        s.push_str("<text x=\"10\" y=\"20\">no timed events</text>\n</svg>\n");
        return s;
    };
    let start = first.0;
    let end = bins.last().map_or(start, |b| b.0 + b.1);
    let span = (end - start).max(1) as f64;
    let max = bins.iter().map(|b| b.2).max().unwrap_or(0).max(1) as f64;
    let plot_w = W - LEFT - RIGHT;
    let plot_h = H - TOP - BOTTOM;
    let x = |t: i64| LEFT + ((t - start) as f64 / span) * plot_w;
    let col_w = plot_w / bins.len() as f64;
    let plot = Plot {
        top: TOP,
        height: plot_h,
        max,
        column: col_w,
    };
    timeline_columns(&mut s, &bins, &x, &plot);
    finding_windows(&mut s, view, &x, &plot);
    let axis_y = TOP + plot_h;
    let _ = writeln!(
        s,
        "<line x1=\"{LEFT}\" y1=\"{axis_y}\" x2=\"{}\" y2=\"{axis_y}\" stroke=\"#57606a\"/>\
         <line x1=\"{LEFT}\" y1=\"{TOP}\" x2=\"{LEFT}\" y2=\"{axis_y}\" stroke=\"#57606a\"/>",
        W - RIGHT
    );
    let _ = writeln!(
        s,
        "<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>\
         <text x=\"{}\" y=\"{}\" text-anchor=\"end\">0</text>",
        LEFT - 4.0,
        TOP + 10.0,
        max as u64,
        LEFT - 4.0,
        axis_y
    );
    let _ = writeln!(
        s,
        "<text x=\"{LEFT}\" y=\"{}\">{}</text><text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>",
        axis_y + 16.0,
        escape(&format_time(start)),
        W - RIGHT,
        axis_y + 16.0,
        escape(&format_time(end))
    );
    let _ = writeln!(
        s,
        "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" class=\"legend\">columns: sends per {}h \
         (UTC); red bands: findings' evidence windows</text>",
        LEFT + plot_w / 2.0,
        axis_y + 32.0,
        first.1 / 3_600_000
    );
    s.push_str("</svg>\n");
    s
}

/// Where the timeline's columns are drawn: the plot's top and height,
/// the largest count (the full height) and a column's width.
struct Plot {
    top: f64,
    height: f64,
    max: f64,
    column: f64,
}

/// One column per bin, its height scaled to [`Plot::max`].
fn timeline_columns(s: &mut String, bins: &[(i64, i64, u64)], x: &dyn Fn(i64) -> f64, plot: &Plot) {
    for (t, len, n) in bins {
        let bh = (*n as f64 / plot.max) * plot.height;
        let _ = writeln!(
            s,
            "<rect class=\"bin\" x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"#0969da\">\
             <title>{} +{}h: {n} sends</title></rect>",
            x(*t) + plot.column * 0.1,
            plot.top + plot.height - bh,
            (plot.column * 0.8).max(0.5),
            bh,
            format_time(*t),
            len / 3_600_000
        );
    }
}

/// Each finding's evidence window, a translucent band over the columns.
fn finding_windows(s: &mut String, view: &View<'_>, x: &dyn Fn(i64) -> f64, plot: &Plot) {
    for f in view.findings {
        let (Some(a), Some(b)) = (f.first_time, f.last_time) else {
            continue;
        };
        let (x0, x1) = (x(a.min(b)), x(a.max(b)));
        let _ = writeln!(
            s,
            "<rect class=\"finding-window\" x=\"{:.1}\" y=\"{}\" width=\"{:.1}\" height=\"{}\" \
             fill=\"#cf222e\" fill-opacity=\"0.18\" stroke=\"#cf222e\" stroke-opacity=\"0.6\">\
             <title>{}</title></rect>",
            x0,
            plot.top,
            (x1 - x0).max(2.0),
            plot.height,
            escape(&line(f, view.masker))
        );
    }
}

/// A horizontal bar chart of a ranking.
fn bars_svg(view: &View<'_>, key: Key, rows: &[(String, u64)]) -> String {
    const W: f64 = 320.0;
    const ROW: f64 = 20.0;
    const LABEL: f64 = 130.0;
    let h = (rows.len().max(1) as f64) * ROW + 4.0;
    let mut s = format!(
        "<svg class=\"chart chart-bars\" id=\"chart-{}\" xmlns=\"http://www.w3.org/2000/svg\" \
         viewBox=\"0 0 {W} {h}\" width=\"{W}\" height=\"{h}\" role=\"img\" aria-label=\"{}\">\n",
        key.name(),
        escape(View::top_title(key))
    );
    if rows.is_empty() {
        s.push_str("<text x=\"4\" y=\"14\">no events</text>\n</svg>\n");
        return s;
    }
    let max = rows.iter().map(|r| r.1).max().unwrap_or(1).max(1) as f64;
    for (i, (value, n)) in rows.iter().enumerate() {
        let y = i as f64 * ROW + 2.0;
        let bw = (*n as f64 / max) * (W - LABEL - 50.0);
        let mut label = view.shown(Some(key), value);
        if label.chars().count() > 20 {
            label = label.chars().take(19).collect::<String>() + "…";
        }
        let _ = writeln!(
            s,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>\
             <rect x=\"{LABEL}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"#0969da\"/>\
             <text x=\"{:.1}\" y=\"{:.1}\">{n}</text>",
            LABEL - 6.0,
            y + 13.0,
            escape(&label),
            y + 2.0,
            bw.max(1.0),
            ROW - 6.0,
            LABEL + bw + 4.0,
            y + 13.0
        );
    }
    s.push_str("</svg>\n");
    s
}

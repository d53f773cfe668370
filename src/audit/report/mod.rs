//! `--report FILE`: the audit put in front of people. While records stream
//! through the audit pipeline, [`Collector`] keeps counts only (per hour,
//! and per region, line type, number range, phone, user and client IP), so
//! memory grows with those groups, never with the events; at the end the
//! report is written as one self-contained HTML page ([`html`], charts as
//! inline SVG, no scripts, no network) or GitHub-flavoured Markdown
//! ([`markdown`], for `$GITHUB_STEP_SUMMARY`), chosen by the file's
//! extension. Group values are masked as the output is (`--mask`).

pub mod html;
pub mod markdown;

use crate::audit::keys::{Facts, Key};
use crate::audit::mask::Masker;
use crate::audit::rules::Finding;
use crate::exit::Failure;
use anyhow::{Context, Result};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// The report formats, by file extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportFormat {
    /// `.html`, `.htm`
    Html,
    /// `.md`, `.markdown`
    Markdown,
}

impl ReportFormat {
    /// The format for `path`'s extension; a usage error for any other.
    pub fn of(path: &Path) -> Result<ReportFormat> {
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        match ext.as_deref() {
            Some("html" | "htm") => Ok(ReportFormat::Html),
            Some("md" | "markdown") => Ok(ReportFormat::Markdown),
            _ => Err(Failure::usage(format!(
                "--report {}: the extension picks the format: use .html or .md",
                path.display()
            ))
            .into()),
        }
    }
}

/// The dimensions the report ranks, in the order it shows them.
pub const TOPS: [Key; 6] = [
    Key::Region,
    Key::LineType,
    Key::Prefix,
    Key::Phone,
    Key::User,
    Key::Ip,
];

/// How many entries each ranking shows.
pub const TOP_N: usize = 10;

const HOUR_MS: i64 = 3_600_000;

/// Counts gathered while records stream.
#[derive(Debug, Default)]
pub struct Collector {
    pub total: u64,
    pub denied: u64,
    pub first: Option<i64>,
    pub last: Option<i64>,
    /// Sends per hour (the key is the hour's start, ms since the epoch).
    pub hours: HashMap<i64, u64>,
    /// Sends per value, for each of [`TOPS`].
    tops: Vec<HashMap<String, u64>>,
}

impl Collector {
    pub fn new() -> Self {
        Collector {
            tops: TOPS.iter().map(|_| HashMap::new()).collect(),
            ..Collector::default()
        }
    }

    /// Counts one record.
    pub fn add(&mut self, facts: &Facts<'_>) {
        self.total += 1;
        if facts.denied() {
            self.denied += 1;
        }
        if let Some(t) = facts.time {
            self.first = Some(self.first.map_or(t, |f| f.min(t)));
            self.last = Some(self.last.map_or(t, |l| l.max(t)));
            *self
                .hours
                .entry(t.div_euclid(HOUR_MS) * HOUR_MS)
                .or_insert(0) += 1;
        }
        for (i, key) in TOPS.iter().enumerate() {
            let value = facts.group(*key);
            match self.tops[i].get_mut(value.as_ref()) {
                Some(n) => *n += 1,
                None => {
                    self.tops[i].insert(value.into_owned(), 1);
                }
            }
        }
    }

    /// Distinct values of `key` seen (`unknown` included).
    pub fn distinct(&self, key: Key) -> usize {
        TOPS.iter()
            .position(|k| *k == key)
            .map_or(0, |i| self.tops[i].len())
    }

    /// The `n` largest groups of `key`, largest first (ties by value).
    pub fn top(&self, key: Key, n: usize) -> Vec<(String, u64)> {
        let Some(i) = TOPS.iter().position(|k| *k == key) else {
            return Vec::new();
        };
        let mut rows: Vec<(String, u64)> =
            self.tops[i].iter().map(|(k, v)| (k.clone(), *v)).collect();
        rows.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        rows.truncate(n);
        rows
    }

    /// Sends over time in bins of whole hours, chosen so that there are at
    /// most `max_bins`: `(bin start ms, bin length ms, count)`, every bin
    /// from the first to the last (empty ones too).
    pub fn timeline(&self, max_bins: usize) -> Vec<(i64, i64, u64)> {
        let (Some(first), Some(last)) = (self.first, self.last) else {
            return Vec::new();
        };
        let start = first.div_euclid(HOUR_MS) * HOUR_MS;
        let hours = ((last - start) / HOUR_MS + 1).max(1) as usize;
        let per_bin = hours.div_ceil(max_bins.max(1)).max(1);
        // Days when a bin spans a day or more, so bins start at midnight.
        let per_bin = if per_bin > 1 && per_bin < 24 && hours > 24 * 3 {
            24
        } else if per_bin > 24 {
            per_bin.div_ceil(24) * 24
        } else {
            per_bin
        };
        let bin_ms = per_bin as i64 * HOUR_MS;
        let start = if per_bin % 24 == 0 {
            start.div_euclid(86_400_000) * 86_400_000
        } else {
            start
        };
        let bins = ((last - start) / bin_ms + 1) as usize;
        let mut out: Vec<(i64, i64, u64)> = (0..bins)
            .map(|b| (start + b as i64 * bin_ms, bin_ms, 0))
            .collect();
        for (hour, n) in &self.hours {
            let b = ((hour - start) / bin_ms) as usize;
            if let Some(bin) = out.get_mut(b) {
                bin.2 += n;
            }
        }
        out
    }
}

/// Where and how the report is written.
#[derive(Debug)]
pub struct ReportWriter {
    path: PathBuf,
    format: ReportFormat,
    pub collector: Collector,
}

impl ReportWriter {
    /// Checks the extension and that the file can be created, before any
    /// work.
    pub fn new(path: &Path) -> Result<Self> {
        let format = ReportFormat::of(path)?;
        std::fs::File::create(path)
            .with_context(|| format!("cannot create report file {}", path.display()))?;
        Ok(ReportWriter {
            path: path.to_path_buf(),
            format,
            collector: Collector::new(),
        })
    }

    /// Writes the report with `findings` (the rules run, in order, and what
    /// they found).
    pub fn write(
        &self,
        rules: &[String],
        findings: &[Finding],
        masker: Option<&Masker>,
    ) -> Result<()> {
        let view = View {
            data: &self.collector,
            rules,
            findings,
            masker,
        };
        let text = match self.format {
            ReportFormat::Html => html::render(&view),
            ReportFormat::Markdown => markdown::render(&view),
        };
        std::fs::write(&self.path, text)
            .with_context(|| format!("writing report {}", self.path.display()))
    }
}

/// What the renderers read.
pub struct View<'v> {
    pub data: &'v Collector,
    pub rules: &'v [String],
    pub findings: &'v [Finding],
    pub masker: Option<&'v Masker>,
}

impl View<'_> {
    /// A group value as the output shows it (masked when asked).
    pub fn shown(&self, key: Option<Key>, value: &str) -> String {
        match self.masker {
            Some(m) => m.group(key, value).into_owned(),
            None => value.to_string(),
        }
    }

    /// The title of a ranking.
    pub fn top_title(key: Key) -> &'static str {
        match key {
            Key::Region => "Top regions",
            Key::LineType => "Line types",
            Key::Prefix => "Top number ranges",
            Key::Phone => "Top phones",
            Key::User => "Top users",
            Key::Ip => "Top client IPs",
            _ => "Top values",
        }
    }

    /// `first .. last` of the input, in UTC.
    pub fn range_text(&self) -> String {
        match (self.data.first, self.data.last) {
            (Some(f), Some(l)) => format!(
                "{} to {}",
                crate::audit::keys::format_time(f),
                crate::audit::keys::format_time(l)
            ),
            _ => "no timed events".to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::Record;

    fn collect(events: &[String]) -> Collector {
        let mut c = Collector::new();
        for json in events {
            let record = Record::from_event(json, serde_json::from_str(json).unwrap(), None);
            c.add(&Facts::of(&record));
        }
        c
    }

    fn ev(id: u32, hour: u32, phone: &str) -> String {
        format!(
            r#"{{"uuid":"{id}","published":"2024-05-0{}T{:02}:10:00Z","target":[{{"type":"MobilePhone","alternateId":"{phone}"}}]}}"#,
            1 + hour / 24,
            hour % 24
        )
    }

    #[test]
    fn counts_tops_and_bins_the_timeline() {
        let c = collect(&[
            ev(1, 0, "+18765550100"),
            ev(2, 0, "+18765550101"),
            ev(3, 5, "+12125550123"),
        ]);
        assert_eq!(c.total, 3);
        assert_eq!(
            c.top(Key::Region, 10),
            [("JM".to_string(), 2), ("US".to_string(), 1)]
        );
        assert_eq!(c.distinct(Key::Phone), 3);
        let bins = c.timeline(100);
        assert_eq!(bins.len(), 6);
        assert_eq!((bins[0].2, bins[5].2), (2, 1));
        assert_eq!(c.timeline(2).iter().map(|b| b.2).sum::<u64>(), 3);
        let long = collect(&[ev(1, 0, "+1"), ev(2, 24 * 8 + 3, "+1")]);
        let days = long.timeline(48);
        assert_eq!(days[0].1, 86_400_000, "a week and more is binned by day");
        assert_eq!(days.len(), 9);
    }

    #[test]
    fn the_extension_picks_the_format() {
        assert_eq!(
            ReportFormat::of(Path::new("r.HTML")).unwrap(),
            ReportFormat::Html
        );
        assert_eq!(
            ReportFormat::of(Path::new("r.md")).unwrap(),
            ReportFormat::Markdown
        );
        let err = ReportFormat::of(Path::new("r.pdf")).unwrap_err();
        assert_eq!(crate::exit::code_for(&err), crate::exit::ExitCode::Usage);
    }
}

//! The per-delivery report (`--report FILE`, NDJSON), reading its failed
//! deliveries back (`--only-failed REPORT`) and the end-of-run summary.
//!
//! A report line carries the delivery's outcome and the envelope that was
//! sent (never a header, so never a secret). Its `envelope` key makes it a
//! capture-shaped line, so `oksms parse` and `replay` read reports as input.

use super::deliver::Outcome;
use super::load::{Collect, ReplayEvent};
use crate::diag::Diag;
use crate::exit::Failure;
use crate::input::{self, EventTypeFilter, ReadOptions, ReadStats};
use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::time::Duration;

#[derive(Serialize)]
struct Line<'a> {
    delivery: usize,
    result: &'static str,
    status: Option<u16>,
    attempts: u32,
    latency_ms: f64,
    error: Option<&'a str>,
    event_count: usize,
    url: &'a str,
    envelope: &'a RawValue,
}

/// One report line (without newline). `url` must already be redacted.
pub fn line(outcome: &Outcome, url: &str) -> Result<String> {
    let envelope: &RawValue = serde_json::from_str(&outcome.envelope)?;
    Ok(crate::output::json::line(&Line {
        delivery: outcome.index,
        result: if outcome.delivered {
            "delivered"
        } else {
            "failed"
        },
        status: outcome.status,
        attempts: outcome.attempts,
        latency_ms: (outcome.latency.as_secs_f64() * 1e6).round() / 1e3,
        error: outcome.error.as_deref(),
        event_count: outcome.event_count,
        url,
        envelope,
    })?)
}

/// Writes report lines as deliveries finish.
pub struct ReportWriter {
    out: std::io::BufWriter<std::fs::File>,
    path: std::path::PathBuf,
}

impl ReportWriter {
    pub fn create(path: &Path) -> Result<Self> {
        let file = std::fs::File::create(path)
            .with_context(|| format!("cannot create report {}", path.display()))?;
        Ok(ReportWriter {
            out: std::io::BufWriter::new(file),
            path: path.to_path_buf(),
        })
    }

    pub fn write(&mut self, line: &str) -> Result<()> {
        self.out
            .write_all(line.as_bytes())
            .and_then(|_| self.out.write_all(b"\n"))
            .and_then(|_| self.out.flush())
            .with_context(|| format!("cannot write report {}", self.path.display()))
    }
}

#[derive(Deserialize)]
struct Verdict<'a> {
    #[serde(default)]
    result: Option<&'a str>,
    #[serde(borrow, default)]
    envelope: Option<&'a RawValue>,
}

/// The events of the failed deliveries in a report, each with the
/// envelope (and `eventId`) it was sent in.
pub fn failed_events(path: &Path, diag: &Diag) -> Result<(Vec<ReplayEvent>, ReadStats)> {
    let name = input::display_name(path);
    let reader = BufReader::new(input::open(path)?);
    let mut failed = String::new();
    for (n, line) in reader.lines().enumerate() {
        let line = line.with_context(|| format!("cannot read {name}"))?;
        if line.trim().is_empty() {
            continue;
        }
        let verdict: Verdict<'_> = serde_json::from_str(&line).map_err(|e| {
            Failure::bad_input(format!(
                "{name}:{}: not an `oksms replay --report` line: {e}",
                n + 1
            ))
        })?;
        match (verdict.result, verdict.envelope) {
            (Some("failed"), Some(_)) => {
                failed.push_str(&line);
                failed.push('\n');
            }
            (Some("failed" | "delivered"), _) => {}
            _ => {
                return Err(Failure::bad_input(format!(
                    "{name}:{}: not an `oksms replay --report` line (no result/envelope)",
                    n + 1
                ))
                .into());
            }
        }
    }
    let mut collect = Collect::default();
    let mut stats = ReadStats::default();
    if !failed.is_empty() {
        let opts = ReadOptions {
            strict: false,
            event_types: EventTypeFilter::new(&["all".to_string()]),
            keep_duplicates: true,
            max_record: crate::input::framer::DEFAULT_MAX_RECORD,
        };
        input::read_one(
            failed.as_bytes(),
            &name,
            &opts,
            &mut collect,
            diag,
            &mut stats,
        )?;
    }
    Ok((collect.events, stats))
}

/// Totals for the summary line.
#[derive(Debug, Default, Clone)]
pub struct DeliverySummary {
    pub sent: usize,
    pub events: usize,
    pub delivered: usize,
    pub failed: usize,
    /// Attempts beyond the first, over all deliveries.
    pub retried: u64,
    latencies: Vec<Duration>,
}

impl DeliverySummary {
    pub fn add(&mut self, outcome: &Outcome) {
        self.sent += 1;
        self.events += outcome.event_count;
        if outcome.delivered {
            self.delivered += 1;
        } else {
            self.failed += 1;
        }
        self.retried += u64::from(outcome.attempts.saturating_sub(1));
        self.latencies.push(outcome.latency);
    }

    /// The nearest-rank percentile `p` (0-100) of the latencies.
    pub fn percentile(&self, p: f64) -> Option<Duration> {
        if self.latencies.is_empty() {
            return None;
        }
        let mut sorted = self.latencies.clone();
        sorted.sort();
        let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
        Some(sorted[rank.clamp(1, sorted.len()) - 1])
    }

    /// The stderr summary line.
    pub fn text(&self) -> String {
        let ms = |d: Option<Duration>| match d {
            Some(d) => format!("{} ms", d.as_millis()),
            None => "-".into(),
        };
        format!(
            "replay: sent {} deliveries ({} events): delivered {}, failed {}, retried {}; \
             latency p50 {}, p99 {}",
            self.sent,
            self.events,
            self.delivered,
            self.failed,
            self.retried,
            ms(self.percentile(50.0)),
            ms(self.percentile(99.0)),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outcome(index: usize, delivered: bool, attempts: u32, ms: u64) -> Outcome {
        Outcome {
            index,
            event_id: format!("d{index}"),
            event_count: 1,
            delivered,
            status: Some(if delivered { 200 } else { 500 }),
            attempts,
            latency: Duration::from_millis(ms),
            error: (!delivered).then(|| "HTTP 500".to_string()),
            envelope: format!(
                r#"{{"eventId":"d{index}","source":"s","data":{{"events":[{{"uuid":"u{index}"}}]}}}}"#
            ),
        }
    }

    #[test]
    fn summary_counts_and_percentiles() {
        let mut s = DeliverySummary::default();
        for (i, ms) in [10, 20, 30, 40, 1000].iter().enumerate() {
            s.add(&outcome(i + 1, i != 2, if i == 4 { 2 } else { 1 }, *ms));
        }
        assert_eq!((s.sent, s.delivered, s.failed, s.retried), (5, 4, 1, 1));
        assert_eq!(s.percentile(50.0), Some(Duration::from_millis(30)));
        assert_eq!(s.percentile(99.0), Some(Duration::from_millis(1000)));
        assert_eq!(
            s.text(),
            "replay: sent 5 deliveries (5 events): delivered 4, failed 1, retried 1; latency p50 30 ms, p99 1000 ms"
        );
    }

    #[test]
    fn only_failed_reads_back_the_failed_envelopes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("report.ndjson");
        let text = [
            line(&outcome(1, true, 1, 5), "http://h/p").unwrap(),
            line(&outcome(2, false, 2, 5), "http://h/p").unwrap(),
            String::new(),
        ]
        .join("\n");
        std::fs::write(&path, text).unwrap();
        let diag = Diag::new(crate::diag::Verbosity::Quiet, false);
        let (events, stats) = failed_events(&path, &diag).unwrap();
        assert_eq!(stats.bad, 0);
        assert_eq!(events.len(), 1);
        assert_eq!(
            crate::replay::load::uuid_of(&events[0]).as_deref(),
            Some("u2")
        );
        let captured = events[0].captured.as_ref().unwrap();
        assert_eq!(captured.event_id.as_deref(), Some("d2"));
    }

    #[test]
    fn a_foreign_file_is_not_a_report() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x");
        std::fs::write(&path, "{\"uuid\":\"a\"}\n").unwrap();
        let diag = Diag::new(crate::diag::Verbosity::Quiet, false);
        let err = failed_events(&path, &diag).unwrap_err();
        assert!(format!("{err}").contains("not an `oksms replay --report` line"));
    }
}

//! The polling flags of `oksms watch` (flattened into
//! [`crate::commands::watch::WatchArgs`]) and their resolution, once, into
//! a [`PollConfig`]: org and credentials, the start, the interval, the API
//! client's options and the filter.

use super::PollConfig;
use crate::commands::fetch::{MAX_RETRIES, MAX_TIMEOUT_SECS, RETENTION_DAYS, parse_time};
use crate::config::{self, OrgArgs, Sources};
use crate::diag::Diag;
use crate::exit::Failure;
use crate::flagrange::whole;
use crate::input::EventTypeFilter;
use crate::okta::client::ClientOptions;
use crate::okta::query::FilterBuilder;
use crate::okta::{Budget, LogQuery};
use anyhow::Result;
use chrono::{DateTime, Duration as ChronoDuration, Utc};
use clap::Args;
use std::path::PathBuf;
use std::time::Duration;

/// The help heading of the polling flags.
const HEADING: &str = "Polling the System Log (default)";

/// Where polling starts without `--since` or a checkpoint.
pub const DEFAULT_SINCE: &str = "15m";

/// Polling the System Log (the default source of `watch`).
#[derive(Debug, Args)]
pub struct PollArgs {
    #[command(flatten)]
    pub org: OrgArgs,
    /// Where to start without a checkpoint: RFC 3339 or a duration back
    /// from now (15m, 24h, 7d) [default: 15m]. Ignored when --state holds a
    /// checkpoint.
    #[arg(long, value_name = "TIME", conflicts_with = "listen", help_heading = HEADING)]
    pub since: Option<String>,
    /// Wait this long after a short page, when the log is caught up (10s,
    /// 500ms, 2m; a plain number is seconds; 10ms to 24h).
    #[arg(long, default_value = "10s", value_parser = parse_poll_interval, value_name = "DURATION", conflicts_with = "listen", help_heading = HEADING)]
    pub interval: Duration,
    /// Append every raw LogEvent received to FILE as NDJSON, fsynced before
    /// the checkpoint moves (`oksms parse FILE` reproduces the output). It
    /// is the raw evidence: --mask does not apply to it.
    #[arg(long, value_name = "FILE", conflicts_with = "listen", help_heading = HEADING)]
    pub archive: Option<PathBuf>,
    /// Stop (exit 0) at the first poll that is caught up (a short page): drains
    /// what is there and ends, e.g. for a cron job with --state.
    #[arg(long, conflicts_with = "listen", help_heading = HEADING)]
    pub exit_when_idle: bool,
    /// Stop (exit 0) after this many polls (pages fetched).
    #[arg(long, value_name = "N", value_parser = whole::<u64>(1, u64::MAX), conflicts_with = "listen", help_heading = HEADING)]
    pub max_polls: Option<u64>,
    /// Events per request (Okta's maximum is 1000). A checkpoint keeps the
    /// size it was started with.
    #[arg(long, default_value_t = 1000, value_name = "N", value_parser = whole::<u32>(1, 1000), conflicts_with = "listen", help_heading = HEADING)]
    pub page_size: u32,
    /// Use at most this percentage of the org's rate-limit bucket.
    #[arg(long, default_value_t = 50, value_name = "PERCENT", value_parser = whole::<u8>(1, 100), conflicts_with = "listen", help_heading = HEADING)]
    pub rate_budget: u8,
    /// Retries for 5xx answers, timeouts and dropped connections (per
    /// request; not for 429s: see --max-rate-limit-wait).
    #[arg(long, default_value_t = 4, value_name = "N", value_parser = whole::<u32>(0, MAX_RETRIES), conflicts_with = "listen", help_heading = HEADING)]
    pub retries: u32,
    /// Seconds before one request times out.
    #[arg(long, default_value_t = 60, value_name = "SECS", value_parser = whole::<u64>(1, MAX_TIMEOUT_SECS), conflicts_with = "listen", help_heading = HEADING)]
    pub timeout: u64,
    /// Refuse a page larger than SIZE once decompressed (KiB/MiB, 1KiB to
    /// 1024MiB) as malformed: retried, then exit 5.
    #[arg(long, default_value = "64MiB", value_name = "SIZE", value_parser = crate::commands::fetch::parse_page_size, conflicts_with = "listen", help_heading = HEADING)]
    pub max_page_size: usize,
    /// The longest one request may wait in total for rate-limit resets when
    /// Okta answers 429; then exit 5. 1s to 24h.
    #[arg(long, default_value = "10m", value_name = "DURATION", value_parser = crate::commands::fetch::parse_rate_limit_wait, conflicts_with = "listen", help_heading = HEADING)]
    pub max_rate_limit_wait: Duration,
}

/// `10s`, `500ms`, `2m`, `1h`, or a number of seconds (fractions allowed).
pub fn parse_interval(text: &str) -> Result<Duration, String> {
    let t = text.trim();
    let split = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(t.len());
    let (number, unit) = t.split_at(split);
    let n: f64 = number
        .parse()
        .map_err(|_| format!("{text:?} is not a duration (e.g. 10s, 500ms, 2m)"))?;
    let secs = match unit.trim() {
        "" | "s" => n,
        "ms" => n / 1000.0,
        "m" => n * 60.0,
        "h" => n * 3600.0,
        other => return Err(format!("unknown unit {other:?} (use ms, s, m or h)")),
    };
    Duration::try_from_secs_f64(secs)
        .ok()
        .filter(|d| *d <= Duration::from_secs(86_400))
        .ok_or_else(|| format!("{text:?} is not a usable interval (at most a day)"))
}

/// `--interval`: 10ms to 24h (zero would poll in a hot loop).
pub fn parse_poll_interval(text: &str) -> Result<Duration, String> {
    crate::flagrange::duration_in(
        text,
        parse_interval,
        (Duration::from_millis(10), "10ms"),
        (Duration::from_secs(86_400), "24h"),
    )
}

impl PollArgs {
    /// Resolves the flags against `now`: org, credentials, start, filter.
    pub fn config(
        &self,
        events: &EventTypeFilter,
        state: Option<PathBuf>,
        reset_state: bool,
        now: DateTime<Utc>,
        diag: &Diag,
    ) -> Result<PollConfig> {
        let since = parse_time(self.since.as_deref().unwrap_or(DEFAULT_SINCE), now)
            .map_err(|e| Failure::usage(format!("--since: {e}")))?;
        if since < now - ChronoDuration::days(RETENTION_DAYS) {
            return Err(Failure::usage(format!(
                "--since {} is more than {RETENTION_DAYS} days ago: Okta keeps the System Log for \
                 {RETENTION_DAYS} days",
                since.to_rfc3339()
            ))
            .into());
        }
        let org_config = config::resolve(&self.org, &Sources::process())?;
        for warning in &org_config.warnings {
            diag.warn(warning);
        }
        let credentials = org_config.credentials()?;
        let org = org_config.org.clone();
        let mut filter = FilterBuilder::default();
        if let Some(types) = events.types() {
            filter.event_types(types);
        }
        let query = LogQuery {
            since: Some(since),
            until: None,
            limit: Some(self.page_size),
            filter: filter.build(),
            descending: false,
        };
        let first = query
            .url(&org)
            .map_err(|e| anyhow::anyhow!("cannot build the query URL: {e}"))?;
        Ok(PollConfig {
            client: ClientOptions {
                org,
                budget: Budget::new(self.rate_budget),
                retries: self.retries,
                timeout: Duration::from_secs(self.timeout),
                backoff: Duration::from_millis(500),
                max_body: self.max_page_size,
                max_rate_limit_wait: self.max_rate_limit_wait,
            },
            credentials,
            first,
            filter: query.filter,
            interval: self.interval,
            state,
            reset_state,
            archive: self.archive.clone(),
            exit_when_idle: self.exit_when_idle,
            max_polls: self.max_polls,
            since_given: self.since.is_some(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn intervals_take_units_and_fractions() {
        assert_eq!(parse_interval("10s"), Ok(Duration::from_secs(10)));
        assert_eq!(parse_interval("10"), Ok(Duration::from_secs(10)));
        assert_eq!(parse_interval("0.5"), Ok(Duration::from_millis(500)));
        assert_eq!(parse_interval("250ms"), Ok(Duration::from_millis(250)));
        assert_eq!(parse_interval("2m"), Ok(Duration::from_secs(120)));
        assert_eq!(parse_interval("0s"), Ok(Duration::ZERO));
        for bad in ["", "s", "10x", "-1s", "2d", "100h", "1.2.3s"] {
            assert!(parse_interval(bad).is_err(), "{bad}");
        }
    }
}

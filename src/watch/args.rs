//! The polling flags of `oksms watch` (flattened into
//! [`crate::commands::watch::WatchArgs`]) and their resolution, once, into
//! a [`PollConfig`]: org and credentials, the start, the interval, the API
//! client's options and the filter.

use super::PollConfig;
use crate::diag::Diag;
use crate::exit::Failure;
use crate::flagrange::whole;
use crate::input::EventTypeFilter;
use crate::okta::LogQuery;
use crate::okta::query::FilterBuilder;
use crate::settings::api::{ApiArgs, check_retention};
use anyhow::Result;
use chrono::{DateTime, Utc};
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
    pub api: ApiArgs,
    /// Where to start without a checkpoint: a time (2024-05-01T00:00:00Z)
    /// or a duration back from now (15m, 24h, 7d, 2w) [default: 15m].
    /// Ignored when --state holds a checkpoint.
    #[arg(long, value_name = "TIME", conflicts_with = "listen", help_heading = HEADING)]
    pub since: Option<String>,
    /// Wait this long after a short page, when the log is caught up (10s,
    /// 500ms, 2m, 1h; a bare number is seconds; 10ms to 24h).
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
}

/// `--interval`: 10ms to 24h (zero would poll in a hot loop).
pub fn parse_poll_interval(text: &str) -> Result<Duration, String> {
    crate::human::duration_in(
        text,
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
        self.since(now)?;
        let api = self.api.resolve(diag)?;
        self.config_for(api, events, state, reset_state, now)
    }

    /// One [`PollConfig`] per org of the run (`--profile a,b`,
    /// `--all-profiles`; one when a single org is named), each with its own
    /// client options and rate-limit budget.
    pub fn configs(
        &self,
        events: &EventTypeFilter,
        state: Option<PathBuf>,
        reset_state: bool,
        now: DateTime<Utc>,
        diag: &Diag,
    ) -> Result<Vec<PollConfig>> {
        self.since(now)?;
        self.api
            .resolve_orgs(diag)?
            .into_iter()
            .map(|api| self.config_for(api, events, state.clone(), reset_state, now))
            .collect()
    }

    /// `--since` (or its default) against `now`, within the retention.
    fn since(&self, now: DateTime<Utc>) -> Result<DateTime<Utc>> {
        let since = crate::human::instant(self.since.as_deref().unwrap_or(DEFAULT_SINCE), now)
            .map_err(|e| Failure::usage(format!("--since: {e}")))?;
        check_retention(since, now)?;
        Ok(since)
    }

    fn config_for(
        &self,
        api: crate::settings::api::ApiSettings,
        events: &EventTypeFilter,
        state: Option<PathBuf>,
        reset_state: bool,
        now: DateTime<Utc>,
    ) -> Result<PollConfig> {
        let since = self.since(now)?;
        let mut filter = FilterBuilder::default();
        if let Some(types) = events.types() {
            filter.event_types(types);
        }
        let query = LogQuery {
            since: Some(since),
            until: None,
            limit: Some(api.page_size),
            filter: filter.build(),
            descending: false,
        };
        let first = query
            .url(&api.org)
            .map_err(|e| anyhow::anyhow!("cannot build the query URL: {e}"))?;
        Ok(PollConfig {
            api,
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

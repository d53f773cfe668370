//! The audit flags every record-rendering command takes (`--group-by`,
//! `--sort`, `--top`, `--alert`, `--findings`, `--mask`), as one clap group.

use super::keys::Key;
use super::mask::MaskChoice;
use clap::Args;
use std::path::PathBuf;

/// `--alert` grammar and examples, shown in `--help`.
pub const ALERT_HELP: &str = "\
Alert rule (repeatable). When any rule fires the exit code is 3; findings go
to stderr (rule, group, figure, first and last event id) and to --findings.
  MEASURE[-per-KEY] > N [within DURATION]    also >=
  KEY [not] in VALUE,VALUE,...
  MEASURE  sends, denied (DENY outcomes), users, phones, actors, ips,
           countries, providers (the plural ones count distinct values)
  KEY      phone, user, actor, country, ip, provider, outcome
  DURATION 30s, 15m, 1h, 1h30m, 24h, 7d: a sliding window over `published`
Examples:
  --alert 'sends-per-phone > 5 within 1h'   a burst of sends to one phone
  --alert 'users-per-phone > 1'             one phone shared by several users
  --alert 'sends-per-user > 10 within 24h'
  --alert 'country not in 1,44,49'          sends to unexpected calling codes
  --alert 'denied > 0'                      Okta blocked a send";

/// Summaries, alert rules and masking.
#[derive(Debug, Clone, Default, Args)]
#[command(next_help_heading = "Audit")]
pub struct AuditArgs {
    /// Print one row per group instead of the events: `count`, `users`,
    /// `phones`, `actors` (distinct), `denied`, `first_seen`, `last_seen`.
    /// Phones are normalised to E.164; events without a value group under
    /// `unknown`.
    #[arg(
        long = "group-by",
        value_enum,
        value_delimiter = ',',
        value_name = "KEY,..."
    )]
    pub group_by: Vec<Key>,
    /// Sort the groups by a key or column, `:asc` or `:desc` [default:
    /// count, descending].
    #[arg(long, value_name = "COLUMN[:asc|:desc]", requires = "group_by")]
    pub sort: Option<String>,
    /// Keep only the first N groups (the largest, by default).
    #[arg(long, value_name = "N", value_parser = crate::flagrange::whole::<usize>(1, u64::MAX), requires = "group_by")]
    pub top: Option<usize>,
    /// Alert rule, e.g. 'users-per-phone > 1'; exit code 3 when it fires.
    #[arg(long = "alert", value_name = "RULE", long_help = ALERT_HELP)]
    pub alerts: Vec<String>,
    /// Also write the findings as NDJSON to FILE.
    #[arg(long, value_name = "FILE", requires = "alerts")]
    pub findings: Option<PathBuf>,
    /// Hide phone numbers (all but calling code and last two digits) and/or
    /// logins (a keyed hash, consistent within the run) in every output.
    #[arg(long, value_enum, value_name = "WHAT")]
    pub mask: Option<MaskChoice>,
}

impl AuditArgs {
    /// True when any audit flag is set.
    pub fn is_active(&self) -> bool {
        !self.group_by.is_empty() || !self.alerts.is_empty() || self.mask.is_some()
    }
}

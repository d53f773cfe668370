//! The Okta API flags `fetch` and `watch` (polling) share, as one flattened
//! clap group ([`ApiArgs`]), and their resolution, once, into an
//! [`ApiSettings`]: the org, its credentials and the API client's options.
//! Also the one check of a start time against Okta's 90-day retention.

use crate::config::{self, OrgArgs, Sources};
use crate::diag::Diag;
use crate::exit::Failure;
use crate::flagrange::whole;
use crate::okta::client::ClientOptions;
use crate::okta::{Budget, Credentials};
use anyhow::Result;
use chrono::{DateTime, Duration as ChronoDuration, Utc};
use clap::Args;
use std::time::Duration;
use url::Url;

/// Okta keeps the System Log this long.
pub const RETENTION_DAYS: i64 = 90;
/// The most `--retries` (5xx, timeouts) per request.
pub const MAX_RETRIES: u64 = 100;
/// The longest `--timeout`.
pub const MAX_TIMEOUT: Duration = Duration::from_secs(3600);

/// The flags of the requests to the System Log API, shared by `fetch` and
/// `watch` (polling). The ids are listed in [`ApiArgs::IDS`] so `watch
/// --listen` can refuse them.
#[derive(Debug, Clone, Args)]
pub struct ApiArgs {
    #[command(flatten)]
    pub org: OrgArgs,
    /// Audit every profile of $XDG_CONFIG_HOME/oksms/config.yaml at once
    /// (see README "Several orgs").
    #[arg(long, conflicts_with = "profile", help_heading = "Org and credentials")]
    pub all_profiles: bool,
    /// Events per request (Okta's maximum is 1000). A `watch` checkpoint
    /// keeps the size it was started with.
    #[arg(long, default_value_t = 1000, value_name = "N", value_parser = whole::<u32>(1, 1000), help_heading = HEADING)]
    pub page_size: u32,
    /// Use at most this percentage of the org's rate-limit bucket, shared
    /// with every other API client; wait for the reset beyond it.
    #[arg(long, default_value_t = 50, value_name = "PERCENT", value_parser = whole::<u8>(1, 100), help_heading = HEADING)]
    pub rate_budget: u8,
    /// Retries for 5xx answers, timeouts and dropped connections, per
    /// request (not for 429s: see --max-rate-limit-wait).
    #[arg(long, default_value_t = 4, value_name = "N", value_parser = whole::<u32>(0, MAX_RETRIES), help_heading = HEADING)]
    pub retries: u32,
    /// How long one request may take before it times out: a duration
    /// (30s, 2m) or a bare number of seconds; 1s to 1h.
    #[arg(long, default_value = "60s", value_name = "DURATION", value_parser = parse_request_timeout, help_heading = HEADING)]
    pub timeout: Duration,
    /// Refuse a page larger than SIZE once decompressed (KiB/MiB, 1KiB to
    /// 1024MiB) as malformed: retried, then exit 5. A page of 1000 events is
    /// about 2-5 MB.
    #[arg(long, default_value = "64MiB", value_name = "SIZE", value_parser = parse_page_size, help_heading = HEADING)]
    pub max_page_size: usize,
    /// The longest one request may wait in total for rate-limit resets when
    /// Okta answers 429 (each wait lasts until the reset); then exit 5.
    /// 1s to 24h (10s, 5m, 1h).
    #[arg(long, default_value = "10m", value_name = "DURATION", value_parser = parse_rate_limit_wait, help_heading = HEADING)]
    pub max_rate_limit_wait: Duration,
}

/// The help heading of the API flags.
const HEADING: &str = "API requests";

impl ApiArgs {
    /// The clap ids of the request flags (not the org flags), for
    /// `conflicts_with_all`.
    pub const IDS: [&'static str; 7] = [
        "all_profiles",
        "page_size",
        "rate_budget",
        "retries",
        "timeout",
        "max_page_size",
        "max_rate_limit_wait",
    ];

    /// Resolves the org and credentials (flags, environment, config files;
    /// warnings about them go to `diag`) and the client's options.
    pub fn resolve(&self, diag: &Diag) -> Result<ApiSettings> {
        self.resolve_for(&self.org, diag)
    }

    /// The profiles of a run: those of `--profile` (each once) or, with
    /// `--all-profiles`, every profile of the config file. Empty when no
    /// profile is named (one org, from the other sources).
    pub fn profiles(&self) -> Result<Vec<String>> {
        if self.all_profiles {
            return config::profile_names(&Sources::process());
        }
        Ok(self.org.profiles())
    }

    /// Resolves every org of the run, one per profile (see
    /// [`ApiArgs::profiles`]; one when none is named), each with its own
    /// client options and rate-limit budget. A profile that cannot be
    /// resolved (unknown, unreadable token file) is a usage error naming
    /// it, before any request.
    pub fn resolve_orgs(&self, diag: &Diag) -> Result<Vec<ApiSettings>> {
        let profiles = self.profiles()?;
        match profiles.as_slice() {
            [] => Ok(vec![self.resolve(diag)?]),
            [one] => Ok(vec![self.resolve_profile(one, diag)?]),
            several => {
                let resolved = several
                    .iter()
                    .map(|name| {
                        self.resolve_profile(name, diag).map_err(|e| {
                            // Name the profile once: the config file's own
                            // errors already start with `--profile NAME`.
                            if e.to_string().contains(&format!("--profile {name}")) {
                                e
                            } else {
                                e.context(format!("profile {name}"))
                            }
                        })
                    })
                    .collect::<Result<Vec<_>>>()?;
                Ok(one_per_org(resolved, diag))
            }
        }
    }

    /// Resolves the org of profile `name` (one org of a several-org run).
    pub fn resolve_profile(&self, name: &str, diag: &Diag) -> Result<ApiSettings> {
        self.resolve_for(&self.org.with_profile(Some(name)), diag)
    }

    fn resolve_for(&self, org_args: &OrgArgs, diag: &Diag) -> Result<ApiSettings> {
        let org_config = config::resolve(org_args, &Sources::process())?;
        for warning in &org_config.warnings {
            diag.warn(warning);
        }
        let credentials = org_config.credentials()?;
        let org = org_config.org.clone();
        Ok(ApiSettings {
            client: ClientOptions {
                org: org.clone(),
                budget: Budget::new(self.rate_budget),
                retries: self.retries,
                timeout: self.timeout,
                backoff: Duration::from_millis(500),
                max_body: self.max_page_size,
                max_rate_limit_wait: self.max_rate_limit_wait,
            },
            org,
            profile: org_args.profiles().into_iter().next(),
            credentials,
            page_size: self.page_size,
            rate_budget: self.rate_budget,
        })
    }
}

/// Keeps the first profile of each org: a second profile naming an org
/// already in the run (the same URL, after normalisation) would read its
/// events twice and double every count of the audit. It is left out with
/// a warning naming both profiles.
fn one_per_org(orgs: Vec<ApiSettings>, diag: &Diag) -> Vec<ApiSettings> {
    let mut kept: Vec<ApiSettings> = Vec::with_capacity(orgs.len());
    for api in orgs {
        if let Some(first) = kept.iter().find(|k| k.org == api.org) {
            diag.warn(&format!(
                "profile {} names the same org as profile {} ({}): left out, \
                 its events would be read twice",
                api.profile.as_deref().unwrap_or("?"),
                first.profile.as_deref().unwrap_or("?"),
                api.source()
            ));
            continue;
        }
        kept.push(api);
    }
    kept
}

/// Everything the API side needs, resolved from [`ApiArgs`].
#[derive(Debug)]
pub struct ApiSettings {
    /// The org, e.g. `https://acme.okta.com/`.
    pub org: Url,
    /// The `--profile` it was resolved from, if any.
    pub profile: Option<String>,
    pub credentials: Credentials,
    /// The client's options (budget, retries, timeout, body limit).
    pub client: ClientOptions,
    /// `--page-size`: events per request, 1 to 1000.
    pub page_size: u32,
    /// `--rate-budget`, percent.
    pub rate_budget: u8,
}

impl ApiSettings {
    /// The org as messages and record sources name it (no trailing `/`).
    pub fn source(&self) -> String {
        self.org.as_str().trim_end_matches('/').to_string()
    }

    /// The org as messages of a several-org run name it: `org prod
    /// (https://acme.okta.com)`, or `org https://acme.okta.com` without a
    /// profile.
    pub fn label(&self) -> String {
        match &self.profile {
            Some(name) => format!("org {name} ({})", self.source()),
            None => format!("org {}", self.source()),
        }
    }
}

/// Refuses a start time (`--since`) older than Okta's retention, before
/// any request: those events cannot be fetched.
pub fn check_retention(since: DateTime<Utc>, now: DateTime<Utc>) -> Result<(), Failure> {
    if since < now - ChronoDuration::days(RETENTION_DAYS) {
        return Err(Failure::usage(format!(
            "--since {} is more than {RETENTION_DAYS} days ago: Okta keeps the System Log for \
             {RETENTION_DAYS} days, so older events cannot be fetched",
            since.to_rfc3339()
        )));
    }
    Ok(())
}

/// `--max-page-size` (also `watch --max-body`): a size from 1 KiB to
/// 1024 MiB.
pub fn parse_page_size(text: &str) -> Result<usize, String> {
    crate::size::parse(text)
        .ok()
        .filter(|n| (1 << 10..=1 << 30).contains(n))
        .ok_or_else(|| format!("{text:?} is not a size from 1KiB to 1024MiB"))
}

/// `--max-rate-limit-wait`: a duration from 1 s to 24 h.
pub fn parse_rate_limit_wait(text: &str) -> Result<Duration, String> {
    crate::human::duration_in(
        text,
        (Duration::from_secs(1), "1s"),
        (Duration::from_secs(86_400), "24h"),
    )
}

/// `--timeout`: a duration from 1 s to 1 h (a bare number is seconds).
pub fn parse_request_timeout(text: &str) -> Result<Duration, String> {
    crate::human::duration_in(text, (Duration::from_secs(1), "1s"), (MAX_TIMEOUT, "1h"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn retention_is_ninety_days() {
        let now = Utc.with_ymd_and_hms(2024, 6, 1, 12, 0, 0).unwrap();
        assert!(check_retention(now - ChronoDuration::days(89), now).is_ok());
        let err = check_retention(now - ChronoDuration::days(91), now).unwrap_err();
        assert!(err.message.contains("90 days"), "{}", err.message);
    }
}

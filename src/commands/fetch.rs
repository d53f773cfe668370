//! `oksms fetch`: pull the events from an Okta org's System Log API
//! (`GET /api/v1/logs`) and render them like `parse` does.
//!
//! The flags are resolved once (org and credentials, time range, filter);
//! then a background thread pages through the API with [`crate::okta`] while
//! this thread renders each page as it arrives, so the next page is on its
//! way while the current one is written (and, past the first, requested
//! while the current one's body is still being read). With `--limit`, no page is
//! requested that the limit makes unnecessary. A page is never held back
//! by a rate-limit wait: when the budget says the next request must wait,
//! it is not sent ahead, so the page is written first. SIGINT/SIGTERM end
//! every wait: the pages received are written, the output is closed (a
//! JSON array gets its `]`) and the exit code is 130.

use crate::cli::{EventTypeArgs, GlobalArgs, OutputArgs};
use crate::config::{self, OrgArgs, Sources};
use crate::diag::Diag;
use crate::exit::{ExitCode, Failure};
use crate::flagrange::whole;
use crate::input::{self, ReadOptions, ReadStats};
use crate::okta::client::{ClientOptions, Event, OktaClient, Page, WaitReason};
use crate::okta::query::{FilterBuilder, LogQuery};
use crate::okta::{Budget, Pager, RateState, Scheme};
use crate::output::{self, Format, Sink};
use crate::record::Record;
use anyhow::Context;
use anyhow::Result;
use chrono::{DateTime, Duration as ChronoDuration, Utc};
use clap::Args;
use std::borrow::Cow;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::time::Duration;

/// How often the wait for the next page looks at the signal flag.
const SIGNAL_CHECK: Duration = Duration::from_millis(100);

/// Checked pages that may wait for the renderer, so a slow page to render
/// does not hold up the next request.
const PAGES_QUEUED: usize = 2;

/// Okta keeps the System Log this long.
pub const RETENTION_DAYS: i64 = 90;

/// Pull the events from an Okta org's System Log API.
///
/// Reads `system.sms.send_phone_verification_message` events (or the
/// `--event-type`s given) between `--since` and `--until`, following Okta's
/// `next` links to the last page, within a share of the org's rate limit.
/// The org and credentials come from flags, OKTA_CLIENT_* variables,
/// ~/.okta/okta.yaml, ./.okta.yaml or a `--profile`.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  OKTA_CLIENT_ORGURL=https://acme.okta.com OKTA_CLIENT_TOKEN=... oksms fetch --since 24h\n  oksms fetch --profile prod --since 7d --outcome DENY -o csv > denied.csv\n  oksms fetch --phone +15551230001 --since 30d -o ndjson"
)]
pub struct FetchArgs {
    #[command(flatten)]
    pub org: OrgArgs,
    /// Start of the range: RFC 3339 (2024-05-01T00:00:00Z) or a duration
    /// back from now (15m, 24h, 7d) [default: --until minus 7 days].
    #[arg(long, value_name = "TIME", help_heading = "Range and narrowing")]
    pub since: Option<String>,
    /// End of the range: RFC 3339 or a duration back from now [default: now].
    #[arg(long, value_name = "TIME", help_heading = "Range and narrowing")]
    pub until: Option<String>,
    /// Only events whose target user has this login or id.
    #[arg(long, value_name = "LOGIN|ID", help_heading = "Range and narrowing")]
    pub user: Option<String>,
    /// Only events sent to this phone number (compared by digits; without a
    /// leading + it may be the national part). Applied by oksms, since the
    /// number may be in debugData.
    #[arg(long, value_name = "NUMBER", help_heading = "Range and narrowing")]
    pub phone: Option<String>,
    /// Only events whose actor has this login or id.
    #[arg(long, value_name = "LOGIN|ID", help_heading = "Range and narrowing")]
    pub actor: Option<String>,
    /// Only events with this outcome.
    #[arg(
        long,
        value_enum,
        value_name = "RESULT",
        help_heading = "Range and narrowing"
    )]
    pub outcome: Option<Outcome>,
    /// A raw Okta filter expression, and-ed with the others
    /// (e.g. 'client.ipAddress eq "203.0.113.9"').
    #[arg(long, value_name = "EXPR", help_heading = "Range and narrowing")]
    pub filter: Option<String>,
    /// Stop after this many records; no further page is requested.
    #[arg(long, value_name = "N", value_parser = whole::<u64>(1, u64::MAX), help_heading = "Paging and limits")]
    pub limit: Option<u64>,
    /// Events per request (Okta's maximum is 1000).
    #[arg(long, default_value_t = 1000, value_name = "N", value_parser = whole::<u32>(1, 1000), help_heading = "Paging and limits")]
    pub page_size: u32,
    /// Use at most this percentage of the org's rate-limit bucket, shared
    /// with every other API client; wait for the reset beyond it.
    #[arg(long, default_value_t = 50, value_name = "PERCENT", value_parser = whole::<u8>(1, 100), help_heading = "Paging and limits")]
    pub rate_budget: u8,
    /// Retries for 5xx answers, timeouts and dropped connections (not for
    /// 429s: see --max-rate-limit-wait).
    #[arg(
        long,
        default_value_t = 4,
        value_name = "N",
        value_parser = whole::<u32>(0, MAX_RETRIES),
        help_heading = "Paging and limits"
    )]
    pub retries: u32,
    /// Seconds before one request times out.
    #[arg(long, default_value_t = 60, value_name = "SECS", value_parser = whole::<u64>(1, MAX_TIMEOUT_SECS), help_heading = "Paging and limits")]
    pub timeout: u64,
    /// Refuse a page larger than SIZE once decompressed (KiB/MiB, 1KiB to
    /// 1024MiB) as malformed: retried, then exit 5. A page of 1000 events is
    /// about 2-5 MB.
    #[arg(long, default_value = "64MiB", value_name = "SIZE", value_parser = parse_page_size, help_heading = "Paging and limits")]
    pub max_page_size: usize,
    /// The longest one request may wait in total for rate-limit resets when
    /// Okta answers 429 (each wait lasts until the reset); then exit 5.
    /// 1s to 24h (10s, 5m, 1h).
    #[arg(long, default_value = "10m", value_name = "DURATION", value_parser = parse_rate_limit_wait, help_heading = "Paging and limits")]
    pub max_rate_limit_wait: Duration,
    #[command(flatten)]
    pub events: EventTypeArgs,
    #[command(flatten)]
    pub output: OutputArgs,
    #[command(flatten)]
    pub audit: crate::audit::AuditArgs,
    #[command(flatten)]
    pub report: crate::audit::ReportArgs,
}

/// `--outcome`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
#[value(rename_all = "UPPER")]
pub enum Outcome {
    Success,
    Deny,
    Failure,
}

impl Outcome {
    fn as_okta(self) -> &'static str {
        match self {
            Outcome::Success => "SUCCESS",
            Outcome::Deny => "DENY",
            Outcome::Failure => "FAILURE",
        }
    }
}

/// The resolved time range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Range {
    pub since: DateTime<Utc>,
    pub until: DateTime<Utc>,
}

/// Resolves `--since`/`--until` against `now`: defaults as Okta's, and a
/// `since` past the retention refused before any request.
pub fn resolve_range(
    since: Option<&str>,
    until: Option<&str>,
    now: DateTime<Utc>,
) -> Result<Range, Failure> {
    let until = match until {
        Some(t) => parse_time(t, now).map_err(|e| Failure::usage(format!("--until: {e}")))?,
        None => now,
    };
    let since = match since {
        Some(t) => parse_time(t, now).map_err(|e| Failure::usage(format!("--since: {e}")))?,
        None => until - ChronoDuration::days(7),
    };
    if since >= until {
        return Err(Failure::usage(format!(
            "--since ({}) must be before --until ({})",
            since.to_rfc3339(),
            until.to_rfc3339()
        )));
    }
    if since < now - ChronoDuration::days(RETENTION_DAYS) {
        return Err(Failure::usage(format!(
            "--since {} is more than {RETENTION_DAYS} days ago: Okta keeps the System Log for {RETENTION_DAYS} days, \
             so older events cannot be fetched",
            since.to_rfc3339()
        )));
    }
    Ok(Range { since, until })
}

/// RFC 3339, `now`, or a duration back from `now` (`30s`, `15m`, `24h`, `7d`, `2w`).
pub fn parse_time(text: &str, now: DateTime<Utc>) -> Result<DateTime<Utc>, String> {
    let text = text.trim();
    if text.eq_ignore_ascii_case("now") {
        return Ok(now);
    }
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Ok(t.with_timezone(&Utc));
    }
    let split = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (digits, unit) = text.split_at(split);
    let amount: i64 = digits.parse().map_err(|_| {
        format!("{text:?} is neither an RFC 3339 time nor a duration like 15m, 24h, 7d")
    })?;
    let unit_secs = match unit {
        "s" => 1,
        "m" => 60,
        "h" => 3600,
        "d" => 86_400,
        "w" => 7 * 86_400,
        _ => {
            return Err(format!(
                "{text:?}: unknown unit {unit:?} (use s, m, h, d or w, or an RFC 3339 time)"
            ));
        }
    };
    amount
        .checked_mul(unit_secs)
        .and_then(ChronoDuration::try_seconds)
        .and_then(|d| now.checked_sub_signed(d))
        .ok_or_else(|| format!("{text:?} is too far back"))
}

/// `--phone`, compared by digits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhoneMatch {
    digits: String,
    /// No leading `+`: may be the national part of an international number.
    national: bool,
}

impl PhoneMatch {
    pub fn new(text: &str) -> Result<PhoneMatch, Failure> {
        let digits = digits(text);
        if digits.len() < 4 {
            return Err(Failure::usage(format!("--phone {text:?}: too few digits")));
        }
        Ok(PhoneMatch {
            digits,
            national: !text.trim_start().starts_with('+') && !text.trim_start().starts_with("00"),
        })
    }

    fn matches_number(&self, number: &str) -> bool {
        let d = digits(number);
        if d == self.digits {
            return true;
        }
        // "+1 555…" against "00 1 555…" and national numbers.
        let d = d.strip_prefix("00").unwrap_or(&d);
        let want = self.digits.strip_prefix("00").unwrap_or(&self.digits);
        d == want || (self.national && want.len() >= 6 && d.ends_with(want))
    }

    /// True when any place the event keeps a phone number matches.
    pub fn matches(&self, record: &Record<'_>) -> bool {
        let phone = record.phone.as_ref();
        let mut candidates: Vec<String> = phone
            .into_iter()
            .flat_map(|p| [p.alternate_id.as_deref(), p.display_name.as_deref()])
            .flatten()
            .map(str::to_string)
            .collect();
        if let Some(debug) = record.debug_data
            && let Ok(v) = serde_json::from_str::<serde_json::Value>(debug)
        {
            match v.get("phoneNumber") {
                Some(serde_json::Value::String(s)) => candidates.push(s.clone()),
                Some(serde_json::Value::Number(n)) => candidates.push(n.to_string()),
                _ => {}
            }
        }
        candidates.iter().any(|c| self.matches_number(c))
    }
}

fn digits(text: &str) -> String {
    text.chars().filter(char::is_ascii_digit).collect()
}

/// The page's response headers as a JSON object text (lowercase names,
/// repeated headers joined with ", ", secrets redacted).
pub fn headers_json(headers: &reqwest::header::HeaderMap) -> String {
    let mut map = serde_json::Map::new();
    for name in headers.keys() {
        let key = name.as_str().to_ascii_lowercase();
        let secret = key == "set-cookie" || input::decode::SECRET_HEADERS.contains(&key.as_str());
        let value = if secret {
            "<redacted>".to_string()
        } else {
            headers
                .get_all(name)
                .iter()
                .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
                .collect::<Vec<_>>()
                .join(", ")
        };
        map.insert(key, serde_json::Value::String(value));
    }
    serde_json::Value::Object(map).to_string()
}

/// Wraps the output sink for one page: client-side narrowing, the limit,
/// and the page's `source` and `headers` on every record.
struct PageSink<'a> {
    inner: &'a mut dyn Sink,
    source: &'a str,
    headers: &'a str,
    phone: Option<&'a PhoneMatch>,
    limit: Option<u64>,
    written: &'a mut u64,
    filtered: &'a mut u64,
}

impl Sink for PageSink<'_> {
    fn record(&mut self, record: &Record<'_>) -> Result<()> {
        if self.limit.is_some_and(|l| *self.written >= l) {
            return Ok(());
        }
        if let Some(phone) = self.phone
            && !phone.matches(record)
        {
            *self.filtered += 1;
            return Ok(());
        }
        let mut r = record.clone();
        r.source = Some(Cow::Borrowed(self.source));
        r.headers = Some(Cow::Borrowed(self.headers));
        self.inner.record(&r)?;
        *self.written += 1;
        Ok(())
    }
    fn flush(&mut self) -> Result<()> {
        self.inner.flush()
    }
    fn finish(&mut self) -> Result<()> {
        Ok(())
    }
}

pub fn execute(mut args: FetchArgs, global: &GlobalArgs, diag: &Diag) -> Result<ExitCode> {
    args.report.apply(&mut args.audit);
    let settings = args.output.settings(global)?;
    let range = resolve_range(args.since.as_deref(), args.until.as_deref(), Utc::now())?;
    let phone = args.phone.as_deref().map(PhoneMatch::new).transpose()?;
    let org_config = config::resolve(&args.org, &Sources::process())?;
    for warning in &org_config.warnings {
        diag.warn(warning);
    }
    let credentials = org_config.credentials()?;
    let org = org_config.org.clone();

    let event_types = args.events.filter();
    let mut filter = FilterBuilder::default();
    if let Some(types) = event_types.types() {
        filter.event_types(types);
    }
    if let Some(user) = &args.user {
        filter.party("target", user);
    }
    if let Some(actor) = &args.actor {
        filter.party("actor", actor);
    }
    if let Some(outcome) = args.outcome {
        filter.outcome(outcome.as_okta());
    }
    if let Some(raw) = &args.filter {
        filter.raw(raw);
    }
    // Without client-side narrowing every event is a record, so a small
    // --limit can ask for a smaller page.
    let page_size = match args.limit {
        Some(l) if phone.is_none() => args.page_size.min(l.clamp(1, 1000) as u32),
        _ => args.page_size,
    };
    let query = LogQuery {
        since: Some(range.since),
        until: Some(range.until),
        limit: Some(page_size),
        filter: filter.build(),
        descending: false,
    };
    let first = query
        .url(&org)
        .map_err(|e| anyhow::anyhow!("cannot build the query URL: {e}"))?;
    let options = ClientOptions {
        org: org.clone(),
        budget: Budget::new(args.rate_budget),
        retries: args.retries,
        timeout: Duration::from_secs(args.timeout),
        backoff: Duration::from_millis(500),
        max_body: args.max_page_size,
        max_rate_limit_wait: args.max_rate_limit_wait,
    };
    diag.verbose(&format!(
        "fetching {} to {} from {} (rate budget {}%)",
        range.since.to_rfc3339(),
        range.until.to_rfc3339(),
        org.as_str().trim_end_matches('/'),
        args.rate_budget
    ));

    let opts = ReadOptions {
        strict: false,
        event_types,
        keep_duplicates: true,
        max_record: crate::input::framer::DEFAULT_MAX_RECORD,
    };
    let source = org.as_str().trim_end_matches('/').to_string();
    // Audit flags (summaries, alert rules, masking) wrap the renderer; a bad
    // rule is refused here, before any request.
    let mut sink = crate::audit::Pipeline::new(&args.audit, &settings, output::stdout(), diag)?;
    let mut stats = ReadStats::default();
    let mut written = 0u64;
    let mut filtered = 0u64;
    let mut pages = 0u64;

    // SIGINT/SIGTERM: stop waiting, write what was received, close the
    // output validly, exit 130. A second signal exits at once.
    let stop = Arc::new(AtomicBool::new(false));
    for signal in [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM] {
        signal_hook::flag::register_conditional_shutdown(
            signal,
            ExitCode::Interrupted.code(),
            Arc::clone(&stop),
        )
        .context("cannot install the signal handlers")?;
        signal_hook::flag::register(signal, Arc::clone(&stop))
            .context("cannot install the signal handlers")?;
    }

    let (page_tx, page_rx) = mpsc::sync_channel::<Result<Page>>(PAGES_QUEUED);
    let (ack_tx, ack_rx) = mpsc::channel::<(u64, u64)>();
    let limit = args.limit;
    let fetch_diag = global.diag();
    let stop_fetcher = Arc::clone(&stop);
    // Joined unless interrupted: on a signal the run ends while a request
    // may still be in flight.
    let fetcher = std::thread::Builder::new()
        .name("fetch".into())
        .spawn(move || {
            let run = || -> Result<()> {
                let observer = Box::new(move |event: &Event<'_>| report(&fetch_diag, event));
                let mut client = OktaClient::new(options, credentials, observer)?;
                client.set_stop(stop_fetcher);
                let mut pager = Pager::new(&org, first)?;
                let mut raw_total = 0u64;
                loop {
                    // The following page may be requested while this one
                    // is read unless the limit could end the export here.
                    let ahead = limit.is_none_or(|l| raw_total + u64::from(page_size) < l);
                    let Some(page) = pager.next_page_ahead(&mut client, ahead)? else {
                        break;
                    };
                    raw_total += page.events as u64;
                    let page_no = pager.pages();
                    // An empty page ends an export even if it links on.
                    let last = page.next.is_none() || page.events == 0;
                    if page_tx.send(Ok(page)).is_err() || last {
                        return Ok(());
                    }
                    if let Some(limit) = limit
                        && raw_total >= limit
                    {
                        // The next page is needed only if this one left the
                        // limit unmet (some events were narrowed away).
                        loop {
                            match ack_rx.recv() {
                                Ok((n, written)) if n == page_no => {
                                    if written >= limit {
                                        return Ok(());
                                    }
                                    break;
                                }
                                Ok(_) => continue,
                                Err(_) => return Ok(()),
                            }
                        }
                    }
                }
                Ok(())
            };
            if let Err(e) = run() {
                let _ = page_tx.send(Err(e));
            }
        })
        .context("cannot start the fetching thread")?;
    let mut interrupted = false;
    let mut result: Result<()> = Ok(());
    loop {
        let page = if stop.load(Ordering::SeqCst) {
            // Pages already received are still written, however far
            // rendering has fallen behind; then the run ends.
            match page_rx.try_recv() {
                Ok(Ok(page)) => page,
                _ => {
                    interrupted = true;
                    break;
                }
            }
        } else {
            match page_rx.recv_timeout(SIGNAL_CHECK) {
                Ok(Ok(page)) => page,
                Ok(Err(e)) => {
                    if crate::exit::code_for(&e) == ExitCode::Interrupted {
                        interrupted = true;
                    } else {
                        result = Err(e);
                    }
                    break;
                }
                Err(mpsc::RecvTimeoutError::Timeout) => continue,
                Err(mpsc::RecvTimeoutError::Disconnected) => break,
            }
        };
        pages += 1;
        let headers = headers_json(&page.headers);
        let name = format!("{source} page {pages}");
        let mut page_sink = PageSink {
            inner: &mut sink,
            source: &source,
            headers: &headers,
            phone: phone.as_ref(),
            limit: args.limit,
            written: &mut written,
            filtered: &mut filtered,
        };
        // A page being written is finished even when a signal comes.
        let read = input::read_one(
            &page.body[..],
            &name,
            &opts,
            &mut page_sink,
            diag,
            &mut stats,
        )
        .and_then(|()| page_sink.flush());
        if let Err(e) = read {
            result = Err(e);
            break;
        }
        let _ = ack_tx.send((pages, written));
        diag.progress(&format!("{pages} pages, {written} records"));
        if args.limit.is_some_and(|l| written >= l) {
            break;
        }
    }
    drop(page_rx);
    drop(ack_tx);
    if !interrupted && fetcher.join().is_err() {
        result = Err(anyhow::anyhow!(
            "internal error: the fetching thread panicked"
        ));
    }
    diag.progress_clear();
    let finished = sink.finish_with_code();
    result?;
    let audit_code = finished?;
    if interrupted {
        diag.note(&format!(
            "interrupted: {written} record(s) from {pages} page(s) written"
        ));
        return Ok(ExitCode::Interrupted);
    }
    diag.verbose(&format!(
        "{pages} page(s), {written} record(s){}",
        if filtered > 0 {
            format!(", {filtered} not matching --phone")
        } else {
            String::new()
        }
    ));
    if stats.other_types > 0 {
        diag.verbose(&format!(
            "skipped {} events of other types (see --event-type)",
            stats.other_types
        ));
    }
    if written == 0 && settings.format == Format::Table {
        diag.note("no matching events");
    }
    if stats.bad > 0 {
        diag.warn(&format!(
            "{} malformed record(s) skipped; {written} record(s) written",
            stats.bad
        ));
        return Ok(ExitCode::BadInput.worst(audit_code));
    }
    Ok(audit_code)
}

/// The most `--retries` (5xx, timeouts) per request.
pub const MAX_RETRIES: u64 = 100;
/// The longest `--timeout`, seconds.
pub const MAX_TIMEOUT_SECS: u64 = 3600;

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
    crate::flagrange::duration_in(
        text,
        crate::watch::args::parse_interval,
        (Duration::from_secs(1), "1s"),
        (Duration::from_secs(86_400), "24h"),
    )
}

/// Turns client events into `--verbose` lines and the progress display.
fn report(diag: &Diag, event: &Event<'_>) {
    match event {
        Event::Request { method, url } => diag.verbose(&format!("{method} {url}")),
        Event::Response { status, rate } => diag.verbose(&format!(
            "HTTP {status}; {}",
            rate.map(describe_rate)
                .unwrap_or_else(|| "no rate-limit headers".into())
        )),
        Event::Token { scheme } => diag.verbose(&format!(
            "access token granted ({})",
            match scheme {
                Scheme::Bearer => "Bearer",
                Scheme::Dpop => "DPoP-bound",
            }
        )),
        Event::Wait { delay, reason } => {
            let secs = delay.as_secs_f64();
            let line = match reason {
                WaitReason::Budget(state, percent) => format!(
                    "rate budget reached ({} of {} used, budget {percent}%): waiting {secs:.1}s for the reset",
                    state.used(),
                    state.limit
                ),
                WaitReason::RateLimited(state) => format!(
                    "Okta answered 429 (rate limit{}): waiting {secs:.1}s",
                    state
                        .map(|s| format!(
                            ", resets in {}s by the server's clock",
                            s.reset_in().as_secs()
                        ))
                        .unwrap_or_default()
                ),
                WaitReason::Retry { attempt, of, cause } => {
                    format!("{cause}; retry {attempt} of {of} in {secs:.1}s")
                }
            };
            if matches!(reason, WaitReason::Retry { .. }) {
                diag.warn(&line);
            } else {
                diag.verbose(&line);
                diag.progress(&line);
            }
        }
    }
}

fn describe_rate(state: &RateState) -> String {
    format!(
        "rate limit {} of {} left, resets in {}s",
        state.remaining,
        state.limit,
        state.reset_in().as_secs()
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2024, 6, 1, 12, 0, 0).unwrap()
    }

    #[test]
    fn times_are_rfc3339_or_relative() {
        assert_eq!(
            parse_time("15m", now()).unwrap(),
            now() - ChronoDuration::minutes(15)
        );
        assert_eq!(
            parse_time("24h", now()).unwrap(),
            now() - ChronoDuration::hours(24)
        );
        assert_eq!(
            parse_time("7d", now()).unwrap(),
            now() - ChronoDuration::days(7)
        );
        assert_eq!(parse_time("now", now()).unwrap(), now());
        assert_eq!(
            parse_time("2024-05-31T14:00:00+02:00", now()).unwrap(),
            Utc.with_ymd_and_hms(2024, 5, 31, 12, 0, 0).unwrap()
        );
        for bad in [
            "",
            "7",
            "7x",
            "yesterday",
            "2024-05-31 12:00",
            "99999999999999999d",
        ] {
            assert!(parse_time(bad, now()).is_err(), "{bad}");
        }
    }

    #[test]
    fn range_defaults_and_retention() {
        let r = resolve_range(None, None, now()).unwrap();
        assert_eq!(r.until, now());
        assert_eq!(r.since, now() - ChronoDuration::days(7));
        let r = resolve_range(None, Some("1d"), now()).unwrap();
        assert_eq!(r.since, now() - ChronoDuration::days(8));
        let err = resolve_range(Some("91d"), None, now()).unwrap_err();
        assert_eq!(err.code, ExitCode::Usage);
        assert!(err.message.contains("90 days"));
        assert!(resolve_range(Some("89d"), None, now()).is_ok());
        assert!(resolve_range(Some("1h"), Some("2h"), now()).is_err());
    }

    fn record(json: &str) -> Record<'_> {
        Record::from_event(json, serde_json::from_str(json).unwrap(), None)
    }

    #[test]
    fn phones_match_by_digits_in_every_shape() {
        let shape_a =
            r#"{"target":[{"type":"MobilePhone","id":"mbl1","alternateId":"+1 (555) 123-0001"}]}"#;
        let shape_c = r#"{"target":[{"type":"User","id":"00u1"}],"debugContext":{"debugData":{"phoneNumber":"+15551230001"}}}"#;
        let shape_b = r#"{"target":[{"type":"MobilePhone","id":"placeholder","displayName":"+15551230001"}]}"#;
        let other = r#"{"debugContext":{"debugData":{"phoneNumber":"+15551230002"}}}"#;
        let m = PhoneMatch::new("+1-555-123-0001").unwrap();
        assert!(m.matches(&record(shape_a)));
        assert!(m.matches(&record(shape_b)));
        assert!(m.matches(&record(shape_c)));
        assert!(!m.matches(&record(other)));
        assert!(!m.matches(&record("{}")));
        let national = PhoneMatch::new("555 123 0001").unwrap();
        assert!(national.matches(&record(shape_c)));
        assert!(
            !PhoneMatch::new("+555 123 0001")
                .unwrap()
                .matches(&record(shape_c))
        );
        assert!(
            PhoneMatch::new("0015551230001")
                .unwrap()
                .matches(&record(shape_c))
        );
        assert!(PhoneMatch::new("12").is_err());
    }

    #[test]
    fn headers_become_a_json_object_without_secrets() {
        let mut h = reqwest::header::HeaderMap::new();
        h.append("link", "<a>; rel=\"self\"".parse().unwrap());
        h.append("link", "<b>; rel=\"next\"".parse().unwrap());
        h.append("set-cookie", "sid=secret".parse().unwrap());
        h.append("x-rate-limit-remaining", "7".parse().unwrap());
        let v: serde_json::Value = serde_json::from_str(&headers_json(&h)).unwrap();
        assert_eq!(v["link"], "<a>; rel=\"self\", <b>; rel=\"next\"");
        assert_eq!(v["set-cookie"], "<redacted>");
        assert_eq!(v["x-rate-limit-remaining"], "7");
    }
}

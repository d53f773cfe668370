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

use crate::diag::Diag;
use crate::exit::{ExitCode, Failure};
use crate::flagrange::whole;
use crate::input::{self, EventTypeFilter, ReadOptions, ReadStats};
use crate::okta::Page;
use crate::okta::export::{AckWhen, Ends, Export, ExportPolicy, Received, stop_on_signals};
use crate::okta::query::{FilterBuilder, LogQuery};
use crate::output::{self, Format, Sink};
use crate::phone_filter::PhoneMatch;
use crate::record::Record;
use crate::settings::api::{ApiArgs, ApiSettings, check_retention};
use crate::settings::{EventTypeArgs, GlobalArgs, OutputArgs};
use anyhow::Result;
use chrono::{DateTime, Duration as ChronoDuration, Utc};
use clap::Args;
use std::borrow::Cow;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use url::Url;

/// Checked pages that may wait for the renderer, so a slow page to render
/// does not hold up the next request.
pub(super) const PAGES_QUEUED: usize = 2;

/// Pull the events from an Okta org's System Log API.
///
/// Reads `system.sms.send_phone_verification_message` events (or the
/// `--event-type`s given) between `--since` and `--until`, following Okta's
/// `next` links to the last page, within a share of the org's rate limit.
/// The org and credentials come from flags, OKTA_CLIENT_* variables,
/// ~/.okta/okta.yaml, ./.okta.yaml or a `--profile`.
///
/// Several orgs at once: `--profile a,b` (or repeated) or `--all-profiles`
/// fetch the orgs concurrently, each with its own client and rate-limit
/// budget, into one output; each record's `source` is its org's URL
/// (`--group-by org`). An org that fails is reported by name and the others
/// go on; the exit code is the worst of all.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  OKTA_CLIENT_ORGURL=https://acme.okta.com OKTA_CLIENT_TOKEN=... oksms fetch --since 24h\n  oksms fetch --profile prod --since 7d --outcome DENY -o csv > denied.csv\n  oksms fetch --phone +15551230001 --since 30d -o ndjson\n  oksms fetch --profile prod,preview --since 24h --group-by org"
)]
pub struct FetchArgs {
    #[command(flatten)]
    pub api: ApiArgs,
    /// Start of the range: a time (2024-05-01T00:00:00Z) or a duration
    /// back from now (15m, 24h, 7d, 2w) [default: --until minus 7 days].
    #[arg(long, value_name = "TIME", help_heading = "Range and narrowing")]
    pub since: Option<String>,
    /// End of the range: a time, `now` or a duration back from now [default: now].
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
    #[command(flatten)]
    pub events: EventTypeArgs,
    #[command(flatten)]
    pub output: OutputArgs,
    #[command(flatten)]
    pub audit: crate::audit::AuditArgs,
    #[command(flatten)]
    pub report: crate::audit::ReportArgs,
    /// Fetch this span of the System Log before the range (`30d`) as the
    /// baseline of `new KEY` rules (`--alert 'new region'`), read as
    /// `--baseline FILE` would be; same event types and API filters.
    #[arg(long, value_name = "DURATION", value_parser = crate::human::duration, help_heading = "Audit")]
    pub baseline_since: Option<std::time::Duration>,
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

/// Resolves `--since`/`--until` (instants, see [`crate::human`]) against
/// `now`: defaults as Okta's, and a `since` past the retention refused
/// before any request.
pub fn resolve_range(
    since: Option<&str>,
    until: Option<&str>,
    now: DateTime<Utc>,
) -> Result<Range, Failure> {
    let instant = |flag: &str, text: &str| {
        crate::human::instant(text, now).map_err(|e| Failure::usage(format!("{flag}: {e}")))
    };
    let until = match until {
        Some(t) => instant("--until", t)?,
        None => now,
    };
    let since = match since {
        Some(t) => instant("--since", t)?,
        None => until - ChronoDuration::days(7),
    };
    if since >= until {
        return Err(Failure::usage(format!(
            "--since ({}) must be before --until ({})",
            since.to_rfc3339(),
            until.to_rfc3339()
        )));
    }
    check_retention(since, now)?;
    Ok(Range { since, until })
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

/// Runs `fetch`: resolves the flags, starts the export, writes its pages.
pub fn execute(mut args: FetchArgs, global: &GlobalArgs, diag: &Diag) -> Result<ExitCode> {
    args.report.apply(&mut args.audit);
    let settings = args.output.settings(global)?;
    let range = resolve_range(args.since.as_deref(), args.until.as_deref(), Utc::now())?;
    let phone = args.phone.as_deref().map(PhoneMatch::new).transpose()?;
    let mut orgs = args.api.resolve_orgs(diag)?;
    if orgs.len() > 1 {
        return super::fetch_orgs::execute(args, orgs, settings, range, phone, global, diag);
    }
    let api = orgs.remove(0);
    let event_types = args.events.filter();
    let first = query_url(&args, &api, &event_types, range, phone.is_some())?;
    let source = api.source();
    diag.verbose(&format!(
        "fetching {} to {} from {source} (rate budget {}%)",
        range.since.to_rfc3339(),
        range.until.to_rfc3339(),
        api.rate_budget
    ));
    // The baseline period first, into a file the audit reads as --baseline.
    let baseline = match args.baseline_since {
        Some(span) => Some(fetch_baseline(
            &args,
            api.profile.as_deref(),
            span,
            range,
            &event_types,
            global,
            diag,
        )?),
        None => None,
    };
    if let Some(file) = &baseline {
        args.audit.baseline.push(file.path.clone());
    }
    // Audit flags (summaries, alert rules, masking) wrap the renderer; a bad
    // rule is refused here, before any request.
    let mut sink = crate::audit::Pipeline::new(&args.audit, &settings, output::stdout(), diag)?;
    // SIGINT/SIGTERM: stop waiting, write what was received, close the
    // output validly, exit 130. A second signal exits at once.
    let acks = args.limit.map_or(AckWhen::Never, AckWhen::FromEvents);
    let export = start_export(api, first, acks, stop_on_signals()?, global)?;
    let mut run = FetchRun::new(source, phone, args.limit, event_types);
    let result = run.write_pages(&export, &mut sink, diag);
    let interrupted = matches!(result, Ok(true));
    // Joined unless interrupted: on a signal the run ends while a request
    // may still be in flight.
    let closed = export.close(!interrupted);
    diag.progress_clear();
    let finished = sink.finish_with_code();
    result?;
    closed?;
    let audit_code = finished?;
    run.conclude(interrupted, audit_code, settings.format, diag)
}

/// A file that is removed when dropped (the fetched baseline).
pub(super) struct TempFile {
    pub(super) path: std::path::PathBuf,
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

/// `--baseline-since`: fetches `[since - span, since)` with the same event
/// types and API filters (not `--phone` or `--limit`, which narrow the
/// audited range only) into a new temporary NDJSON file (created
/// exclusively, removed after the run).
pub(super) fn fetch_baseline(
    args: &FetchArgs,
    profile: Option<&str>,
    span: std::time::Duration,
    range: Range,
    event_types: &EventTypeFilter,
    global: &GlobalArgs,
    diag: &Diag,
) -> Result<TempFile> {
    let base = baseline_range(range, span)?;
    let api = match profile {
        Some(name) => args.api.resolve_profile(name, diag)?,
        None => args.api.resolve(diag)?,
    };
    let source = api.source();
    let first = query_url(args, &api, event_types, base, false)?;
    let (temp, file) = create_baseline_file()?;
    let mut sink = output::make_sink(&baseline_output(), Box::new(std::io::BufWriter::new(file)));
    let export = start_export(api, first, AckWhen::Never, stop_on_signals()?, global)?;
    let mut run = FetchRun::new(source, None, None, event_types.clone());
    let result = run.write_pages(&export, sink.as_mut(), diag);
    let interrupted = matches!(result, Ok(true));
    let closed = export.close(!interrupted);
    diag.progress_clear();
    sink.finish()?;
    result?;
    closed?;
    if interrupted {
        return Err(Failure::interrupted().into());
    }
    diag.note(&format!(
        "baseline: {} event(s) from {} to {}",
        run.written,
        base.since.to_rfc3339(),
        base.until.to_rfc3339()
    ));
    Ok(temp)
}

/// The baseline period of `--baseline-since SPAN`: the `span` before the
/// audited range, `[since - span, since)`.
fn baseline_range(range: Range, span: std::time::Duration) -> Result<Range> {
    let span = ChronoDuration::from_std(span)
        .map_err(|_| Failure::usage("--baseline-since: the span is too long"))?;
    Ok(Range {
        since: range.since - span,
        until: range.since,
    })
}

/// Creates the baseline's temporary file, exclusively (a file already at
/// that path is an error, never overwritten), in the system's temporary
/// directory, named after the process and the time in microseconds. The
/// `TempFile` removes it when dropped.
fn create_baseline_file() -> Result<(TempFile, std::fs::File)> {
    let path = std::env::temp_dir().join(format!(
        "oksms-baseline-{}-{}.ndjson",
        std::process::id(),
        Utc::now().timestamp_micros()
    ));
    let file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .map_err(|e| anyhow::anyhow!("cannot create the baseline file {}: {e}", path.display()))?;
    Ok((TempFile { path }, file))
}

/// How the baseline file is written: NDJSON in UTC with no `--fields`,
/// colour or terminal escaping, so the audit reads it back as `--baseline`.
fn baseline_output() -> output::OutputSettings {
    output::OutputSettings::plain(Format::Ndjson)
}

/// Starts the export of a one-shot fetch at `first` with `api`'s client and
/// credentials: [`PAGES_QUEUED`] pages queued, the next page requested
/// ahead, ending at the last page, acknowledged as `acks` says, and stopped
/// when `stop` is set (by SIGINT/SIGTERM: [`stop_on_signals`]; several orgs
/// share one flag). The client's events are worded by `progress`.
pub(super) fn start_export(
    api: ApiSettings,
    first: Url,
    acks: AckWhen,
    stop: Arc<AtomicBool>,
    global: &GlobalArgs,
) -> Result<Export> {
    let policy = ExportPolicy {
        queued: PAGES_QUEUED,
        look_ahead: true,
        ends: Ends::AtLastPage,
        acks,
    };
    Export::start(
        api.client,
        api.credentials,
        first,
        crate::progress::observer(global.diag()),
        policy,
        stop,
    )
}

/// The first query URL: range, page size and the API filter.
pub(super) fn query_url(
    args: &FetchArgs,
    api: &ApiSettings,
    event_types: &EventTypeFilter,
    range: Range,
    narrowed: bool,
) -> Result<Url> {
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
        Some(l) if !narrowed => api.page_size.min(l.clamp(1, 1000) as u32),
        _ => api.page_size,
    };
    let query = LogQuery {
        since: Some(range.since),
        until: Some(range.until),
        limit: Some(page_size),
        filter: filter.build(),
        descending: false,
    };
    query
        .url(&api.org)
        .map_err(|e| anyhow::anyhow!("cannot build the query URL: {e}"))
}

/// One `fetch` run's state: what narrows and limits the records, and the
/// counts.
pub(super) struct FetchRun {
    /// The org, as each record's `source` names it.
    pub(super) source: String,
    pub(super) phone: Option<PhoneMatch>,
    pub(super) limit: Option<u64>,
    pub(super) opts: ReadOptions,
    pub(super) stats: ReadStats,
    pub(super) written: u64,
    pub(super) filtered: u64,
    pub(super) pages: u64,
}

impl FetchRun {
    /// A run with nothing written yet, for the org named `source`: records
    /// of `event_types` (lenient reading, duplicate uuids kept, the
    /// framer's default record size), narrowed by `phone`, up to `limit`.
    pub(super) fn new(
        source: String,
        phone: Option<PhoneMatch>,
        limit: Option<u64>,
        event_types: EventTypeFilter,
    ) -> FetchRun {
        FetchRun {
            source,
            phone,
            limit,
            opts: ReadOptions::api_pages(event_types),
            stats: ReadStats::default(),
            written: 0,
            filtered: 0,
            pages: 0,
        }
    }

    /// Writes the export's pages until it ends, the limit is met or a
    /// signal; true when interrupted. A page being written is finished
    /// even when a signal comes.
    fn write_pages(&mut self, export: &Export, sink: &mut dyn Sink, diag: &Diag) -> Result<bool> {
        loop {
            let page = match export.next(|| Ok(())) {
                Received::Page(page) => page,
                Received::Ended => return Ok(false),
                Received::Interrupted => return Ok(true),
                Received::Failed(e) => return Err(e),
            };
            self.pages += 1;
            self.write_page(&page, sink, diag)?;
            let done = self.limit.is_some_and(|l| self.written >= l);
            export.ack(
                self.pages,
                if done {
                    crate::okta::export::Ack::Stop
                } else {
                    crate::okta::export::Ack::Next
                },
            );
            diag.progress(&format!("{} pages, {} records", self.pages, self.written));
            if done {
                return Ok(false);
            }
        }
    }

    pub(super) fn write_page(
        &mut self,
        page: &Page,
        sink: &mut dyn Sink,
        diag: &Diag,
    ) -> Result<()> {
        let headers = crate::secret::headers::to_json(&page.headers, None);
        let name = format!("{} page {}", self.source, self.pages);
        let mut page_sink = PageSink {
            inner: sink,
            source: &self.source,
            headers: &headers,
            phone: self.phone.as_ref(),
            limit: self.limit,
            written: &mut self.written,
            filtered: &mut self.filtered,
        };
        input::read_one(
            &page.body[..],
            &name,
            &self.opts,
            &mut page_sink,
            diag,
            &mut self.stats,
        )
        .and_then(|()| page_sink.flush())
    }

    /// The closing messages and the exit code.
    fn conclude(
        &self,
        interrupted: bool,
        audit_code: ExitCode,
        format: Format,
        diag: &Diag,
    ) -> Result<ExitCode> {
        let (pages, written) = (self.pages, self.written);
        if interrupted {
            diag.note(&format!(
                "interrupted: {written} record(s) from {pages} page(s) written"
            ));
            return Ok(ExitCode::Interrupted);
        }
        diag.verbose(&format!(
            "{pages} page(s), {written} record(s){}",
            if self.filtered > 0 {
                format!(", {} not matching --phone", self.filtered)
            } else {
                String::new()
            }
        ));
        if self.stats.other_types > 0 {
            diag.verbose(&format!(
                "skipped {} events of other types (see --event-type)",
                self.stats.other_types
            ));
        }
        if written == 0 && format == Format::Table {
            diag.note("no matching events");
        }
        if self.stats.bad > 0 {
            diag.warn(&format!(
                "{} malformed record(s) skipped; {written} record(s) written",
                self.stats.bad
            ));
            return Ok(ExitCode::BadInput.worst(audit_code));
        }
        Ok(audit_code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2024, 6, 1, 12, 0, 0).unwrap()
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
}

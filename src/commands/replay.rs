//! `oksms replay`: re-deliver captured events as Okta event hooks
//! (`--to URL`), or re-play them in time order to stdout.

use crate::diag::Diag;
use crate::exit::{ExitCode, Failure};
use crate::hooks::delivery::one_line;
use crate::input::{ReadOptions, ReadStats};
use crate::output::{self, Sink};
use crate::replay::deliver::{self, Target};
use crate::replay::load::{self, ReplayEvent};
use crate::replay::pace::{self, Pacing, SystemClock};
use crate::replay::plan::{self, Planned};
use crate::replay::report::{self, DeliverySummary, ReportWriter};
use crate::replay::safety;
use crate::secret::Secret;
use crate::settings::{EventTypeArgs, GlobalArgs, OutputArgs};
use anyhow::{Context, Result};
use chrono::{DateTime, Utc};
use clap::Args;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::time::Duration;
use url::Url;

/// Re-deliver captured events as Okta event hooks, or re-play them in time order.
///
/// Input is anything `oksms parse` reads (System Log exports, `fetch`
/// output, `watch --capture` files, replay reports). Without `--to`, the
/// events are printed in `published` order, paced with `--speed`. With
/// `--to URL`, each batch is POSTed as an Okta event-hook delivery; a
/// response other than 2xx within `--timeout` is a failure, 5xx and
/// timeouts are retried `--retries` times, and the run exits 1 if any
/// delivery failed.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  oksms replay hooks.ndjson --speed 60\n  HOOK_SECRET='Basic czNjcmV0' oksms replay export.json --to http://127.0.0.1:8080/okta/events \\\n      --secret-env HOOK_SECRET --verify --report report.ndjson\n  oksms replay --only-failed report.ndjson --to http://127.0.0.1:8080/okta/events --secret-env HOOK_SECRET"
)]
pub struct ReplayArgs {
    /// Input files; `-` (or none) reads stdin.
    #[arg(value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// Re-send only the failed deliveries of an earlier `--report` file.
    #[arg(long, value_name = "REPORT", conflicts_with = "files")]
    pub only_failed: Option<PathBuf>,
    /// Keep the original spacing of `published`, N times faster (1 = real time).
    #[arg(long, value_name = "N", value_parser = pace::parse_speed, conflicts_with = "rate")]
    pub speed: Option<f64>,
    /// Send (or print) at a fixed rate instead, e.g. `10/s` or `120/min`.
    #[arg(long, value_name = "N/s", value_parser = pace::parse_rate)]
    pub rate: Option<f64>,
    /// Only events published at or after this time (2024-05-01T12:00:00Z,
    /// or a duration back from now: 6h, 2d).
    #[arg(long, value_name = "TIME", value_parser = parse_instant)]
    pub from: Option<DateTime<Utc>>,
    /// Only events published before this time (as --from; also `now`).
    #[arg(long, value_name = "TIME", value_parser = parse_instant)]
    pub until: Option<DateTime<Utc>>,
    /// Skip (and report) any input record larger than SIZE bytes (or
    /// KiB/MiB); memory use is bounded by it.
    #[arg(long, value_name = "SIZE", default_value = "16MiB", value_parser = crate::size::parse)]
    pub max_record_size: usize,
    #[command(flatten)]
    pub delivery: DeliveryArgs,
    #[command(flatten)]
    pub events: EventTypeArgs,
    #[command(flatten)]
    pub output: OutputArgs,
    #[command(flatten)]
    pub audit: crate::audit::AuditArgs,
}

/// The `--to` flags.
#[derive(Debug, Args)]
#[command(next_help_heading = "Delivery")]
pub struct DeliveryArgs {
    /// POST the events to this event-hook endpoint (http or https).
    #[arg(long, value_name = "URL")]
    pub to: Option<Url>,
    /// Events per delivery.
    #[arg(long, default_value_t = 1, value_parser = crate::flagrange::whole::<u32>(1, 10_000), requires = "to")]
    pub batch: u32,
    /// Reuse the captured deliveries' `eventId`s (events captured together
    /// are sent together) to test a receiver's de-duplication.
    #[arg(long, requires = "to")]
    pub keep_ids: bool,
    /// The envelope `source` [default: the captured one, else `oksms-replay`].
    #[arg(long, value_name = "TEXT", requires = "to")]
    pub source: Option<String>,
    /// Send the secret from this environment variable in the auth header.
    #[arg(long, value_name = "VAR", requires = "to")]
    pub secret_env: Option<String>,
    /// The header that carries the secret.
    #[arg(
        long,
        default_value = "Authorization",
        value_name = "NAME",
        requires = "to"
    )]
    pub auth_header: String,
    /// An extra header, `Name: value` (repeatable). Not for secrets.
    #[arg(long = "header", value_name = "K:V", value_parser = parse_header, requires = "to")]
    pub headers: Vec<(String, String)>,
    /// First perform Okta's verification GET and check the echoed challenge.
    #[arg(long, requires = "to")]
    pub verify: bool,
    /// A delivery without a 2xx answer within this time failed (`3s`, `500ms`).
    #[arg(long, default_value = "3s", value_parser = pace::parse_timeout, value_name = "DURATION", requires = "to")]
    pub timeout: Duration,
    /// Retries after a 5xx, a timeout or a connection failure (4xx is final).
    #[arg(long, default_value_t = 1, value_name = "N", value_parser = crate::flagrange::whole::<u32>(0, 100), requires = "to")]
    pub retries: u32,
    /// Deliveries in flight at once (started in order).
    #[arg(long, default_value_t = 1, value_parser = crate::flagrange::whole::<u32>(1, 256), value_name = "N", requires = "to")]
    pub concurrency: u32,
    /// Write each delivery's outcome (and envelope, never headers) as NDJSON.
    #[arg(long, value_name = "FILE", requires = "to")]
    pub report: Option<PathBuf>,
    /// Print the deliveries (secrets redacted) instead of sending them.
    #[arg(long, requires = "to")]
    pub dry_run: bool,
    /// Do not ask before sending to a host other than this machine.
    #[arg(short = 'y', long, requires = "to")]
    pub yes: bool,
}

/// `--from`/`--until`: an instant (see [`crate::human`]) against now.
fn parse_instant(text: &str) -> Result<DateTime<Utc>, String> {
    crate::human::instant(text, Utc::now())
}

fn parse_header(text: &str) -> Result<(String, String), String> {
    match text.split_once(':') {
        Some((name, value)) if !name.trim().is_empty() => {
            Ok((name.trim().to_string(), value.trim().to_string()))
        }
        _ => Err(format!("{text:?} is not a header (use `Name: value`)")),
    }
}

pub fn execute(args: ReplayArgs, global: &GlobalArgs, diag: &Diag) -> Result<ExitCode> {
    let (events, stats) = read(&args, diag)?;
    let events = load::order_and_cut(events, args.from, args.until);
    let pacing = match (args.speed, args.rate) {
        (Some(speed), _) => Pacing::Speed(speed),
        (None, Some(rate)) => Pacing::Rate(rate),
        (None, None) => Pacing::Fast,
    };
    let code = match &args.delivery.to {
        None => to_stdout(&args, &events, pacing, global, diag)?,
        Some(url) => to_endpoint(&args.delivery, url, &events, pacing, diag)?,
    };
    if stats.bad > 0 {
        diag.warn(&format!(
            "{} malformed record(s) skipped while reading the input",
            stats.bad
        ));
        return Ok(code.worst(ExitCode::BadInput));
    }
    Ok(code)
}

fn read(args: &ReplayArgs, diag: &Diag) -> Result<(Vec<ReplayEvent>, ReadStats)> {
    if let Some(report) = &args.only_failed {
        return report::failed_events(report, diag);
    }
    let files = if args.files.is_empty() {
        vec![PathBuf::from("-")]
    } else {
        args.files.clone()
    };
    if files.iter().any(|f| f.as_os_str() == "-") && std::io::stdin().is_terminal() {
        return Err(Failure::usage(
            "no input: give one or more files, or pipe events into `oksms replay -`",
        )
        .into());
    }
    let opts = ReadOptions {
        strict: false,
        event_types: args.events.filter(),
        keep_duplicates: args.events.keep_duplicates,
        max_record: args.max_record_size,
    };
    let (events, mut stats) = load::load(&files, &opts, diag)?;
    stats.report(diag);
    Ok((events, stats))
}

fn to_stdout(
    args: &ReplayArgs,
    events: &[ReplayEvent],
    pacing: Pacing,
    global: &GlobalArgs,
    diag: &Diag,
) -> Result<ExitCode> {
    let settings = args.output.settings(global)?;
    let mut sink = crate::audit::Pipeline::new(&args.audit, &settings, output::stdout(), diag)?;
    let times: Vec<_> = events.iter().map(|e| e.at).collect();
    let offsets = pace::schedule(&times, pacing);
    let clock = SystemClock::start();
    let result = (|| -> Result<()> {
        for (event, offset) in events.iter().zip(offsets) {
            pace::wait_until(&clock, offset);
            event.render(&mut sink)?;
            if pacing != Pacing::Fast {
                sink.flush()?;
            }
        }
        Ok(())
    })();
    let finished = sink.finish_with_code();
    result?;
    let code = finished?;
    if events.is_empty() {
        diag.note("no matching events");
    }
    Ok(code)
}

fn to_endpoint(
    args: &DeliveryArgs,
    url: &Url,
    events: &[ReplayEvent],
    pacing: Pacing,
    diag: &Diag,
) -> Result<ExitCode> {
    if !matches!(url.scheme(), "http" | "https") {
        return Err(Failure::usage(format!(
            "--to must be an http or https URL, not {}:",
            url.scheme()
        ))
        .into());
    }
    let shown = safety::display_url(url);
    let planned = plan::plan(
        events,
        args.batch as usize,
        args.keep_ids,
        args.source.as_deref(),
    );
    let target = target(args, url)?;
    if args.dry_run {
        dry_run(&target, &shown, &planned, events)?;
        return Ok(ExitCode::Ok);
    }
    if planned.is_empty() {
        diag.note("no matching events; nothing sent");
        return Ok(ExitCode::Ok);
    }
    safety::confirm(url, events.len(), planned.len(), args.yes)?;
    if args.verify {
        deliver::verify(&target).map_err(|why| {
            Failure::new(ExitCode::Error, format!("{shown}: {why}; nothing sent"))
        })?;
        diag.note(&format!("{shown} passed the verification challenge"));
    }
    let times: Vec<_> = planned.iter().map(|p| events[p.events[0]].at).collect();
    let offsets = pace::schedule(&times, pacing);
    send(args, &target, &shown, &planned, events, &offsets, diag)
}

/// The endpoint with its headers (the secret read from `--secret-env`).
fn target(args: &DeliveryArgs, url: &Url) -> Result<Target> {
    let secret = args
        .secret_env
        .as_deref()
        .map(crate::secret::headers::from_env)
        .transpose()?;
    let headers = deliver::headers(
        secret.as_ref().map(Secret::expose_bytes),
        &args.auth_header,
        &args.headers,
    )
    .map_err(Failure::usage)?;
    Ok(Target {
        url: url.clone(),
        headers,
        timeout: args.timeout,
        retries: args.retries,
    })
}

/// Sends the planned deliveries at their offsets, reporting each outcome
/// (`--verbose`, `--report`) and the summary; exit 1 when any failed.
fn send(
    args: &DeliveryArgs,
    target: &Target,
    shown: &str,
    planned: &[plan::Planned],
    events: &[ReplayEvent],
    offsets: &[std::time::Duration],
    diag: &Diag,
) -> Result<ExitCode> {
    let mut report = match &args.report {
        Some(path) => Some(ReportWriter::create(path)?),
        None => None,
    };
    let mut summary = DeliverySummary::default();
    let clock = SystemClock::start();
    let sent = deliver::run(
        target,
        planned,
        events,
        offsets,
        args.concurrency as usize,
        &clock,
        &mut |outcome| {
            summary.add(&outcome);
            if !outcome.delivered {
                diag.verbose(&format!(
                    "delivery {} ({}) failed after {} attempt(s): {}",
                    outcome.index,
                    outcome.event_id,
                    outcome.attempts,
                    outcome.error.as_deref().unwrap_or("?")
                ));
            }
            if let Some(report) = &mut report {
                report.write(&report::line(&outcome, shown)?)?;
            }
            Ok(())
        },
    );
    diag.note(&summary.text());
    sent?;
    if summary.failed > 0 {
        return Ok(ExitCode::Error);
    }
    Ok(ExitCode::Ok)
}

#[derive(serde::Serialize)]
struct DryRunLine<'a> {
    url: &'a str,
    headers: &'a serde_json::Value,
    envelope: &'a serde_json::value::RawValue,
}

/// `--dry-run`: one capture-shaped line per delivery on stdout.
fn dry_run(
    target: &Target,
    shown: &str,
    planned: &[Planned],
    events: &[ReplayEvent],
) -> Result<()> {
    let mut out = output::json::LineWriter::stdout();
    let headers = deliver::shown_headers(&target.headers);
    for p in planned {
        let envelope = one_line(&plan::envelope(p, events, &plan::now())?);
        let envelope: &serde_json::value::RawValue = serde_json::from_str(&envelope)?;
        out.write(&DryRunLine {
            url: shown,
            headers: &headers,
            envelope,
        })
        .context("writing the dry run")?;
    }
    out.flush().context("writing the dry run")?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_and_instants_parse() {
        assert_eq!(parse_header("X-A: 1:2"), Ok(("X-A".into(), "1:2".into())));
        assert!(parse_header("novalue").is_err() && parse_header(": v").is_err());
        assert!(parse_instant("2024-05-01T12:00:00Z").is_ok());
        assert!(parse_instant("yesterday").is_err());
    }
}

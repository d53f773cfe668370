//! The polling loop. A fetching thread owns the API client and the pager
//! and fetches one page at a time; this thread writes each page (dedupe,
//! archive, records, checkpoint: see the module docs of [`crate::watch`])
//! and then tells the fetcher whether to go on, wait `--interval` first, or
//! stop. Waiting for a page never blocks a signal: SIGINT/SIGTERM while a
//! request or a wait is in flight ends the run at once (the checkpoint is
//! already saved); during the writing of a page it ends after the page's
//! checkpoint. Either way the exit code is 130; a second signal exits at
//! once. Otherwise the exit code is 3 when an `--alert` rule fired.

use super::PollConfig;
use super::durable::{DurableFile, Resume};
use super::live::{Live, LiveOptions};
use super::state::{self, Checkpoint, DEFAULT_CAPACITY};
use crate::audit::AuditArgs;
use crate::diag::Diag;
use crate::exit::{ExitCode, Failure};
use crate::hooks::dedupe::Seen;
use crate::input::{self, EventTypeFilter, ReadOptions, ReadStats};
use crate::okta::Page;
use crate::okta::export::{Ack, AckWhen, Ends, Export, ExportPolicy, Received, stop_on_signals};
use crate::okta::pager::check_same_org;
use crate::okta::query::page_limit;
use crate::output::{self, Format, OutputSettings, Sink};
use anyhow::{Context, Result};
use serde::Deserialize;
use serde_json::value::RawValue;
use std::borrow::Cow;
use std::io::Write;
use std::path::PathBuf;
use std::time::{Duration, Instant};
use url::Url;

/// Empty polls rewrite the checkpoint at most this often.
const IDLE_SAVE_EVERY: Duration = Duration::from_secs(60);
/// One page at a time: the next is requested after the writer's answer.
const POLICY: ExportPolicy = ExportPolicy {
    queued: 0,
    look_ahead: false,
    ends: Ends::Never,
    acks: AckWhen::EveryPage,
};

/// Runs polling until a signal, `--exit-when-idle`, `--max-polls` or an
/// error, rendering through the audit pipeline (`audit`, `live`).
/// `fetch_diag` reports the client's requests from the fetching thread;
/// `diag` everything else.
pub fn run(
    config: PollConfig,
    settings: &OutputSettings,
    audit: &AuditArgs,
    live: LiveOptions,
    event_types: EventTypeFilter,
    fetch_diag: Diag,
    diag: &Diag,
) -> Result<ExitCode> {
    let stop = stop_on_signals()?;
    let org = config.api.org.clone();
    let origin = org.origin().ascii_serialization();
    let mut writer = PageWriter::open(&config, &origin, settings, audit, live, event_types, diag)?;
    let start = Url::parse(&writer.checkpoint.next).with_context(|| {
        format!(
            "the checkpoint's next URL {:?} is not a URL",
            writer.checkpoint.next
        )
    })?;
    check_same_org(&org, &start)?;
    let pace = Pace {
        interval: config.interval,
        exit_when_idle: config.exit_when_idle,
        max_polls: config.max_polls,
    };
    let export = Export::start(
        config.api.client,
        config.api.credentials,
        start,
        crate::progress::observer(fetch_diag),
        POLICY,
        std::sync::Arc::clone(&stop),
    )?;
    let mut polls = 0u64;
    let outcome: Result<ExitCode> = loop {
        let page = match export.next(|| writer.sink.tick()) {
            Received::Page(page) => page,
            Received::Interrupted => break Ok(ExitCode::Interrupted),
            Received::Failed(e) => break Err(e),
            Received::Ended => {
                break Err(anyhow::anyhow!("internal error: the polling thread ended"));
            }
        };
        polls += 1;
        // On an error the output is in an unknown state: no final checkpoint.
        writer.write_page(&page, polls, diag)?;
        if stop.load(std::sync::atomic::Ordering::SeqCst) {
            break Ok(ExitCode::Interrupted);
        }
        let ack = pace.next_step(&page, polls, diag);
        export.ack(polls, ack);
        if ack == Ack::Stop {
            break Ok(ExitCode::Ok);
        }
    };
    // Not joined: on a signal the run ends while a request may be in flight.
    export.close(false)?;
    let closed = writer.close();
    let code = outcome?;
    closed?;
    writer.conclude(code, diag)
}

/// When polling waits and when it stops (from [`PollConfig`]).
#[derive(Debug, Clone, Copy)]
struct Pace {
    interval: Duration,
    exit_when_idle: bool,
    max_polls: Option<u64>,
}

impl Pace {
    /// What the fetcher does after page number `polls`. A page with fewer
    /// events than asked for: the log is caught up, so the next request
    /// waits for --interval (asking again at once would only bring an empty
    /// page). A full page, even of duplicates, is followed at once.
    fn next_step(self, page: &Page, polls: u64, diag: &Diag) -> Ack {
        let caught_up = (page.events as u64) < page_limit(&page.url);
        if self.max_polls.is_some_and(|m| polls >= m) {
            diag.verbose(&format!("{polls} poll(s) made (--max-polls): stopping"));
            Ack::Stop
        } else if caught_up && self.exit_when_idle {
            diag.verbose("caught up (--exit-when-idle): stopping");
            Ack::Stop
        } else if caught_up {
            diag.verbose(&format!(
                "poll {polls}: caught up; next poll in {}",
                crate::okta::client::describe_duration(self.interval)
            ));
            Ack::After(self.interval)
        } else {
            Ack::Next
        }
    }
}

impl PageWriter<'_> {
    /// The closing messages and the exit code, after [`PageWriter::close`].
    fn conclude(mut self, code: ExitCode, diag: &Diag) -> Result<ExitCode> {
        let writer = &mut self;
        // Already finished by `close`: only the findings' verdict.
        let findings = writer.sink.finish_with_code()?;
        if writer.duplicates > 0 {
            // Normal for polling (page boundaries, late events): verbose only.
            diag.verbose(&format!(
                "{} duplicate event(s) dropped in total",
                writer.duplicates
            ));
        }
        if code == ExitCode::Interrupted {
            diag.note(&format!(
                "interrupted: {} record(s) written{}",
                writer.written,
                match &writer.state_path {
                    Some(p) => format!("; the checkpoint in {} is saved", p.display()),
                    None => String::new(),
                }
            ));
            return Ok(ExitCode::Interrupted);
        }
        if writer.stats.bad > 0 {
            diag.warn(&format!(
                "{} malformed record(s) skipped; {} record(s) written",
                writer.stats.bad, writer.written
            ));
            return Ok(ExitCode::BadInput.worst(findings));
        }
        Ok(code.worst(findings))
    }
}

/// Writes pages durably and moves the checkpoint.
struct PageWriter<'d> {
    sink: Live<'d>,
    /// Stdout when it is a regular file.
    out_file: Option<DurableFile>,
    archive: Option<DurableFile>,
    checkpoint: Checkpoint,
    state_path: Option<PathBuf>,
    last_save: Instant,
    opts: ReadOptions,
    stats: ReadStats,
    origin: String,
    /// Records written by this run.
    written: u64,
    duplicates: u64,
}

impl<'d> PageWriter<'d> {
    /// Loads (or starts) the checkpoint, cuts stdout and the archive back
    /// to its marks, sets up the sink and saves the starting checkpoint.
    // Long because: these steps must run in this order (the module docs'
    // crash-safety contract: cut to the marks, then take the new marks,
    // then save), which is easiest to check in one place.
    fn open(
        config: &PollConfig,
        origin: &str,
        settings: &OutputSettings,
        audit: &AuditArgs,
        live: LiveOptions,
        event_types: EventTypeFilter,
        diag: &'d Diag,
    ) -> Result<PageWriter<'d>> {
        let (mut checkpoint, resuming) = start_checkpoint(config, origin, diag)?;

        // Only a checkpoint needs stdout's marks (and its fsync per page).
        let mut out_file = DurableFile::stdout();
        if let Some(out) = &mut out_file
            && config.state.is_some()
        {
            report_resume("stdout", out.resume(checkpoint.output)?, diag);
        }
        let appending = match &out_file {
            Some(f) => f.mark()?.len > 0,
            None => false,
        };
        let out_file = out_file.filter(|_| config.state.is_some());
        let mut archive = match &config.archive {
            Some(path) => {
                let mut file = DurableFile::append(path)?;
                report_resume(
                    &path.display().to_string(),
                    file.resume(checkpoint.archive)?,
                    diag,
                );
                Some(file)
            }
            None => None,
        };
        // Appending records to a non-empty file: no second CSV header or
        // table header. (A summary is a whole table each time it is written.)
        let mut settings = settings.clone();
        settings.no_header |= appending && audit.group_by.is_empty();
        // Masking applies here, to stdout; the archive keeps the raw events.
        let sink = Live::new(
            audit,
            &settings,
            output::stdout(),
            live,
            diag,
            |settings, out| {
                Ok(if settings.format == Format::Table {
                    let mut rows = output::rows::FixedRowSink::new(out, settings);
                    if !appending {
                        rows.header()?;
                    }
                    Box::new(rows)
                } else {
                    output::make_sink(settings, out)
                })
            },
        )?;

        if let Some(f) = &out_file {
            checkpoint.output = Some(f.mark()?);
        }
        if let Some(f) = &mut archive {
            checkpoint.archive = Some(f.mark()?);
        }
        announce(config, origin, resuming, &checkpoint, diag)?;
        Ok(PageWriter {
            sink,
            out_file,
            archive,
            checkpoint,
            state_path: config.state.clone(),
            last_save: Instant::now(),
            opts: ReadOptions {
                strict: false,
                event_types,
                keep_duplicates: true,
                max_record: crate::input::framer::DEFAULT_MAX_RECORD,
            },
            stats: ReadStats::default(),
            origin: origin.to_string(),
            written: 0,
            duplicates: 0,
        })
    }

    /// Writes one page durably and moves the checkpoint past it. Returns
    /// how many events were new (not duplicates).
    fn write_page(&mut self, page: &Page, poll: u64, diag: &Diag) -> Result<usize> {
        let events: Vec<&RawValue> = serde_json::from_slice(&page.body)
            .context("internal error: a page that was checked is no JSON array")?;
        let mut fresh: Vec<&RawValue> = Vec::with_capacity(events.len());
        for event in events {
            match uuid_of(event) {
                Some(id) if self.checkpoint.seen.contains(&id) => self.duplicates += 1,
                Some(id) => {
                    self.checkpoint.seen.insert(&id);
                    fresh.push(event);
                }
                None => fresh.push(event),
            }
        }
        let dropped = page.events - fresh.len();
        if dropped > 0 {
            diag.verbose(&format!(
                "poll {poll}: {dropped} duplicate event(s) dropped"
            ));
        }

        if let Some(archive) = &mut self.archive {
            let mut lines = Vec::new();
            for event in &fresh {
                lines.extend_from_slice(output::one_line_json(event.get()).as_bytes());
                lines.push(b'\n');
            }
            archive
                .write_all(&lines)
                .context("cannot append to the archive")?;
            archive.sync()?;
            self.checkpoint.archive = Some(archive.mark()?);
        }

        if !fresh.is_empty() {
            let mut body = Vec::with_capacity(page.body.len());
            body.push(b'[');
            for (i, event) in fresh.iter().enumerate() {
                if i > 0 {
                    body.push(b',');
                }
                body.extend_from_slice(event.get().as_bytes());
            }
            body.push(b']');
            let before = self.stats.records;
            let name = format!("{} poll {poll}", self.origin);
            input::read_one(
                &body[..],
                &name,
                &self.opts,
                &mut self.sink,
                diag,
                &mut self.stats,
            )?;
            let records = self.stats.records - before;
            self.written += records;
            self.checkpoint.records += records;
        }
        self.sink.flush()?;
        if let Some(out) = &self.out_file {
            out.sync()?;
            self.checkpoint.output = Some(out.mark()?);
        }

        let next = page.next.as_ref().ok_or_else(|| {
            Failure::unavailable(
                "Okta's answer to a polling request had no next link, so polling cannot continue",
            )
        })?;
        self.checkpoint.next = next.to_string();
        if page.events > 0 || self.last_save.elapsed() >= IDLE_SAVE_EVERY {
            self.save()?;
        }
        Ok(fresh.len())
    }

    fn save(&mut self) -> Result<()> {
        if let Some(path) = &self.state_path {
            state::save(path, &self.checkpoint)?;
            self.last_save = Instant::now();
        }
        Ok(())
    }

    /// Ends the output and saves the final checkpoint with the output's
    /// final length (a JSON array's `]` included).
    fn close(&mut self) -> Result<()> {
        self.sink.finish()?;
        if let Some(out) = &self.out_file {
            out.sync()?;
            self.checkpoint.output = Some(out.mark()?);
        }
        self.save()
    }
}

/// The checkpoint to start from: the `--state` file's (unless
/// `--reset-state`), else a new one at the first query URL; true when
/// resuming.
fn start_checkpoint(config: &PollConfig, origin: &str, diag: &Diag) -> Result<(Checkpoint, bool)> {
    let loaded = match &config.state {
        Some(path) if !config.reset_state => {
            state::load(path, origin, config.filter.as_deref(), DEFAULT_CAPACITY)?
        }
        Some(path) => {
            if path.exists() {
                diag.note(&format!(
                    "--reset-state: starting over; the checkpoint in {} is replaced",
                    path.display()
                ));
            }
            None
        }
        None => None,
    };
    let resuming = loaded.is_some();
    if resuming && config.since_given {
        diag.note(
            "--since is ignored: continuing from the checkpoint (use --reset-state to start over)",
        );
    }
    let checkpoint = loaded.unwrap_or_else(|| Checkpoint {
        org: origin.to_string(),
        filter: config.filter.clone(),
        next: config.first.to_string(),
        seen: Seen::new(DEFAULT_CAPACITY),
        output: None,
        archive: None,
        records: 0,
    });
    Ok((checkpoint, resuming))
}

/// Saves a new starting checkpoint, and says where polling starts.
fn announce(
    config: &PollConfig,
    origin: &str,
    resuming: bool,
    checkpoint: &Checkpoint,
    diag: &Diag,
) -> Result<()> {
    match (&config.state, resuming) {
        (Some(path), false) => {
            state::save(path, checkpoint)?;
            diag.verbose(&format!(
                "polling {origin} from {}; checkpoint in {}",
                since_of(&config.first),
                path.display()
            ));
        }
        (Some(path), true) => diag.verbose(&format!(
            "continuing from the checkpoint in {} ({} record(s) so far)",
            path.display(),
            checkpoint.records
        )),
        (None, _) => diag.verbose(&format!(
            "polling {origin} from {} (no --state: a restart starts over)",
            since_of(&config.first)
        )),
    }
    Ok(())
}

/// The `uuid` of a raw event, when it has a string one.
fn uuid_of(event: &RawValue) -> Option<String> {
    #[derive(Deserialize)]
    struct Id<'a> {
        #[serde(borrow, default)]
        uuid: Option<Cow<'a, str>>,
    }
    serde_json::from_str::<Id<'_>>(event.get())
        .ok()
        .and_then(|id| id.uuid)
        .map(Cow::into_owned)
}

fn since_of(url: &Url) -> String {
    url.query_pairs()
        .find(|(k, _)| k == "since")
        .map(|(_, v)| v.into_owned())
        .unwrap_or_else(|| "the start".into())
}

fn report_resume(what: &str, resume: Resume, diag: &Diag) {
    match resume {
        Resume::Other | Resume::Exact => {}
        Resume::Cut { bytes } => diag.note(&format!(
            "{what}: removed the last {bytes} byte(s), written after the last checkpoint by a run \
             that did not finish; those records are written again now"
        )),
        Resume::Shorter { missing } => diag.warn(&format!(
            "{what} is {missing} byte(s) shorter than at the last checkpoint (truncated?); \
             records written before the checkpoint are not all in it"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuids_are_read_from_raw_events() {
        let raw = |s: &str| serde_json::from_str::<Box<RawValue>>(s).unwrap();
        assert_eq!(
            uuid_of(&raw(r#"{"uuid":"a\"b","x":1}"#)).as_deref(),
            Some("a\"b")
        );
        assert_eq!(uuid_of(&raw(r#"{"x":1}"#)), None);
        assert_eq!(uuid_of(&raw(r#"{"uuid":7}"#)), None);
        assert_eq!(uuid_of(&raw("[1]")), None);
    }
}

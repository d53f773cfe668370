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
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
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
    let mut writer = PageWriter::open(
        std::slice::from_ref(&config),
        std::slice::from_ref(&origin),
        settings,
        audit,
        live,
        event_types,
        diag,
    )?;
    let start = start_url(&writer.checkpoints[0])?;
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
        writer.write_page(0, &page, polls, diag)?;
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

/// How long one org's fetcher is waited for before the next org's is
/// looked at (several orgs).
const TURN: Duration = Duration::from_millis(20);

/// One org of a several-org run.
struct OrgPoll {
    /// `org NAME (URL)`, as messages name it.
    label: String,
    /// `None` once the org stopped (`--max-polls`, `--exit-when-idle`) or
    /// failed.
    export: Option<Export>,
    polls: u64,
    failed: Option<ExitCode>,
}

/// Polls several orgs at once (README "Several orgs"): one fetcher per org,
/// each with its own client, credentials and rate-limit budget, and one
/// writer for their pages, in arrival order, into the one output and the
/// one `--state` file (a section per profile). `--max-polls` and
/// `--exit-when-idle` apply to each org; the run ends when every org has
/// stopped. An org's failure is reported naming it and the others go on;
/// the exit code is the worst of the orgs' and the audit's.
/// `fetch_diag` makes the diagnostics of each fetching thread.
pub fn run_several(
    configs: Vec<PollConfig>,
    settings: &OutputSettings,
    audit: &AuditArgs,
    live: LiveOptions,
    event_types: EventTypeFilter,
    fetch_diag: &dyn Fn() -> Diag,
    diag: &Diag,
) -> Result<ExitCode> {
    let stop = stop_on_signals()?;
    let origins: Vec<String> = configs
        .iter()
        .map(|c| c.api.org.origin().ascii_serialization())
        .collect();
    let mut writer =
        PageWriter::open(&configs, &origins, settings, audit, live, event_types, diag)?;
    let pace = Pace {
        interval: configs[0].interval,
        exit_when_idle: configs[0].exit_when_idle,
        max_polls: configs[0].max_polls,
    };
    let mut orgs = OrgPoll::start_all(configs, &writer.checkpoints, &stop, fetch_diag)?;
    let outcome: Result<ExitCode> = 'run: loop {
        if orgs.iter().all(|o| o.export.is_none()) {
            break Ok(ExitCode::Ok);
        }
        if let Err(e) = writer.sink.tick() {
            break Err(e);
        }
        for (i, org) in orgs.iter_mut().enumerate() {
            // On an error the output is in an unknown state: no final
            // checkpoint (the last one saved is kept).
            if let Some(code) = org.turn(i, &mut writer, pace, &stop, diag)? {
                break 'run Ok(code);
            }
        }
    };
    for org in &mut orgs {
        if let Some(export) = org.export.take() {
            let _ = export.close(false);
        }
    }
    let closed = writer.close();
    let code = outcome?;
    closed?;
    let code = OrgPoll::worst_failure(&orgs, code, diag);
    writer.conclude(code, diag)
}

impl OrgPoll {
    /// Starts one fetcher per org, at the org's checkpoint in
    /// `checkpoints` (same order as `configs`), all stopped by `stop`. A
    /// checkpoint of another org, or an export that cannot start, ends the
    /// run.
    fn start_all(
        configs: Vec<PollConfig>,
        checkpoints: &[Checkpoint],
        stop: &Arc<AtomicBool>,
        fetch_diag: &dyn Fn() -> Diag,
    ) -> Result<Vec<OrgPoll>> {
        let mut orgs = Vec::with_capacity(configs.len());
        for (config, checkpoint) in configs.into_iter().zip(checkpoints) {
            let start = start_url(checkpoint)?;
            check_same_org(&config.api.org, &start)?;
            let label = config.api.label();
            let export = Export::start(
                config.api.client,
                config.api.credentials,
                start,
                crate::progress::observer(fetch_diag()),
                POLICY,
                Arc::clone(stop),
            )?;
            orgs.push(OrgPoll {
                label,
                export: Some(export),
                polls: 0,
                failed: None,
            });
        }
        Ok(orgs)
    }

    /// The org's turn: waits up to [`TURN`] for its next page and writes it
    /// as org number `index` of `writer`, then tells its fetcher what to do
    /// next (`pace`), ending the fetcher when it stops. `Some(Interrupted)`
    /// when a signal came (`stop`); the org's failure is reported and the
    /// others go on. An error writing the page is returned.
    fn turn(
        &mut self,
        index: usize,
        writer: &mut PageWriter<'_>,
        pace: Pace,
        stop: &AtomicBool,
        diag: &Diag,
    ) -> Result<Option<ExitCode>> {
        let Some(export) = &self.export else {
            return Ok(None);
        };
        let page = match export.next_within(TURN) {
            None => return Ok(None),
            Some(Received::Page(page)) => page,
            Some(Received::Interrupted) => return Ok(Some(ExitCode::Interrupted)),
            Some(Received::Failed(e)) => {
                self.fail(&e, diag);
                return Ok(None);
            }
            Some(Received::Ended) => {
                self.fail(
                    &anyhow::anyhow!("internal error: the polling thread ended"),
                    diag,
                );
                return Ok(None);
            }
        };
        self.polls += 1;
        writer.write_page(index, &page, self.polls, diag)?;
        if stop.load(Ordering::SeqCst) {
            return Ok(Some(ExitCode::Interrupted));
        }
        let ack = pace.next_step(&page, self.polls, diag);
        export.ack(self.polls, ack);
        if ack == Ack::Stop
            && let Some(export) = self.export.take()
        {
            let _ = export.close(false);
        }
        Ok(None)
    }

    /// The exit code after the run: the worst of `code` and the failed
    /// orgs', with a warning counting them (none when interrupted).
    fn worst_failure(orgs: &[OrgPoll], code: ExitCode, diag: &Diag) -> ExitCode {
        let failed = orgs.iter().filter(|o| o.failed.is_some()).count();
        if failed > 0 && code != ExitCode::Interrupted {
            diag.warn(&format!(
                "{failed} of {} org(s) failed (see above); their checkpoints are kept",
                orgs.len()
            ));
        }
        orgs.iter()
            .filter_map(|o| o.failed)
            .fold(code, ExitCode::worst)
    }

    /// Reports the org's failure (the others go on) and ends its fetcher.
    fn fail(&mut self, err: &anyhow::Error, diag: &Diag) {
        diag.fatal(&format!(
            "{}: {err:#} (after {} poll(s); its checkpoint is kept; the other orgs go on)",
            self.label, self.polls
        ));
        self.failed = Some(crate::exit::code_for(err));
        if let Some(export) = self.export.take() {
            let _ = export.close(false);
        }
    }
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
    /// One checkpoint per org of the run, each carrying the marks of stdout
    /// and the archive (which the orgs share).
    checkpoints: Vec<Checkpoint>,
    /// The profile of each org, with several orgs (the state file's
    /// sections); empty with one org (the one-org state file).
    profiles: Vec<String>,
    /// Sections of the state file for profiles not in this run: kept.
    others: state::Several,
    state_path: Option<PathBuf>,
    last_save: Instant,
    opts: ReadOptions,
    stats: ReadStats,
    /// Each org's origin, as messages name it.
    origins: Vec<String>,
    /// With several orgs, the `source` each org's records carry (the org
    /// URL, as `fetch` writes it); with one, records are written as before.
    sources: Vec<Option<String>>,
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
        configs: &[PollConfig],
        origins: &[String],
        settings: &OutputSettings,
        audit: &AuditArgs,
        live: LiveOptions,
        event_types: EventTypeFilter,
        diag: &'d Diag,
    ) -> Result<PageWriter<'d>> {
        let config = &configs[0];
        let several = configs.len() > 1;
        let start = if several {
            start_several(configs, origins, diag)?
        } else {
            let (checkpoint, resuming) = start_checkpoint(config, &origins[0], diag)?;
            Start {
                marks: (checkpoint.output, checkpoint.archive),
                checkpoints: vec![checkpoint],
                profiles: Vec::new(),
                others: state::Several::default(),
                resuming,
            }
        };
        let Start {
            mut checkpoints,
            profiles,
            others,
            resuming,
            marks,
        } = start;

        // Only a checkpoint needs stdout's marks (and its fsync per page).
        let mut out_file = DurableFile::stdout();
        if let Some(out) = &mut out_file
            && config.state.is_some()
        {
            report_resume("stdout", out.resume(marks.0)?, diag);
        }
        let appending = match &out_file {
            Some(f) => f.mark()?.len > 0,
            None => false,
        };
        let out_file = out_file.filter(|_| config.state.is_some());
        let archive = match &config.archive {
            Some(path) => {
                let mut file = DurableFile::append(path)?;
                report_resume(&path.display().to_string(), file.resume(marks.1)?, diag);
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

        let output = match &out_file {
            Some(f) => Some(f.mark()?),
            None => marks.0,
        };
        let archived = match &archive {
            Some(f) => Some(f.mark()?),
            None => marks.1,
        };
        for checkpoint in &mut checkpoints {
            checkpoint.output = output;
            checkpoint.archive = archived;
        }
        if several {
            announce_several(configs, origins, &profiles, resuming, diag);
        } else {
            announce(config, &origins[0], resuming, &checkpoints[0], diag)?;
        }
        let sources = origins.iter().map(|o| several.then(|| o.clone())).collect();
        let mut writer = PageWriter {
            sink,
            out_file,
            archive,
            checkpoints,
            profiles,
            others,
            state_path: config.state.clone(),
            last_save: Instant::now(),
            opts: ReadOptions::api_pages(event_types),
            stats: ReadStats::default(),
            origins: origins.to_vec(),
            sources,
            written: 0,
            duplicates: 0,
        };
        // A new several-org checkpoint is saved at once, as one org's is
        // by `announce` (so the starts are pinned).
        if several && !resuming {
            writer.save()?;
        }
        Ok(writer)
    }

    /// Writes one page durably and moves the checkpoint past it. Returns
    /// how many events were new (not duplicates).
    fn write_page(&mut self, org: usize, page: &Page, poll: u64, diag: &Diag) -> Result<usize> {
        let events: Vec<&RawValue> = serde_json::from_slice(&page.body)
            .context("internal error: a page that was checked is no JSON array")?;
        let mut fresh: Vec<&RawValue> = Vec::with_capacity(events.len());
        for event in events {
            match uuid_of(event) {
                Some(id) if self.checkpoints[org].seen.contains(&id) => self.duplicates += 1,
                Some(id) => {
                    self.checkpoints[org].seen.insert(&id);
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
            let mark = Some(archive.mark()?);
            for checkpoint in &mut self.checkpoints {
                checkpoint.archive = mark;
            }
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
            let name = format!("{} poll {poll}", self.origins[org]);
            let mut sink = SourceSink {
                inner: &mut self.sink,
                source: self.sources[org].as_deref(),
            };
            input::read_one(
                &body[..],
                &name,
                &self.opts,
                &mut sink,
                diag,
                &mut self.stats,
            )?;
            let records = self.stats.records - before;
            self.written += records;
            self.checkpoints[org].records += records;
        }
        self.sink.flush()?;
        self.mark_output()?;

        let next = page.next.as_ref().ok_or_else(|| {
            Failure::unavailable(
                "Okta's answer to a polling request had no next link, so polling cannot continue",
            )
        })?;
        self.checkpoints[org].next = next.to_string();
        if page.events > 0 || self.last_save.elapsed() >= IDLE_SAVE_EVERY {
            self.save()?;
        }
        Ok(fresh.len())
    }

    /// Fsyncs stdout (when a regular file) and puts its new mark in every
    /// org's checkpoint.
    fn mark_output(&mut self) -> Result<()> {
        if let Some(out) = &self.out_file {
            out.sync()?;
            let mark = Some(out.mark()?);
            for checkpoint in &mut self.checkpoints {
                checkpoint.output = mark;
            }
        }
        Ok(())
    }

    /// Saves the checkpoint: one org's file, or with several orgs one file
    /// with a section per profile (and the kept sections of others), in
    /// one atomic write.
    fn save(&mut self) -> Result<()> {
        let Some(path) = &self.state_path else {
            return Ok(());
        };
        if self.profiles.is_empty() {
            state::save(path, &self.checkpoints[0])?;
        } else {
            let first = &self.checkpoints[0];
            let ours = self
                .profiles
                .iter()
                .map(String::as_str)
                .zip(&self.checkpoints);
            let kept = self.others.orgs.iter().map(|(p, c)| (p.as_str(), c));
            state::save_several(path, ours.chain(kept), first.output, first.archive)?;
        }
        self.last_save = Instant::now();
        Ok(())
    }

    /// Ends the output and saves the final checkpoint with the output's
    /// final length (a JSON array's `]` included).
    fn close(&mut self) -> Result<()> {
        self.sink.finish()?;
        self.mark_output()?;
        self.save()
    }
}

/// Where a run starts: each org's checkpoint and the marks stdout and the
/// archive are cut back to.
struct Start {
    checkpoints: Vec<Checkpoint>,
    /// With several orgs, their profiles (empty with one).
    profiles: Vec<String>,
    others: state::Several,
    resuming: bool,
    marks: (Option<state::FileMark>, Option<state::FileMark>),
}

/// The checkpoints of several orgs: the sections of the `--state` file
/// (unless `--reset-state`) for the profiles that have one, new ones at
/// each org's first query URL for the others.
fn start_several(configs: &[PollConfig], origins: &[String], diag: &Diag) -> Result<Start> {
    let config = &configs[0];
    let profiles: Vec<String> = configs
        .iter()
        .map(|c| c.api.profile.clone().unwrap_or_default())
        .collect();
    let expected: Vec<(String, String, Option<String>)> = profiles
        .iter()
        .zip(origins)
        .zip(configs)
        .map(|((p, o), c)| (p.clone(), o.clone(), c.filter.clone()))
        .collect();
    let loaded = match state_to_load(config, diag) {
        Some(path) => state::load_several(path, &expected, DEFAULT_CAPACITY)?,
        None => None,
    };
    let resuming = loaded.is_some();
    if resuming && config.since_given {
        diag.note(
            "--since is ignored for the orgs continuing from the checkpoint (use --reset-state \
             to start over)",
        );
    }
    let mut others = loaded.unwrap_or_default();
    let marks = others
        .orgs
        .values()
        .next()
        .map_or((None, None), |c| (c.output, c.archive));
    let checkpoints = configs
        .iter()
        .zip(&profiles)
        .zip(origins)
        .map(|((config, profile), origin)| {
            others.orgs.remove(profile).unwrap_or_else(|| Checkpoint {
                org: origin.clone(),
                filter: config.filter.clone(),
                next: config.first.to_string(),
                seen: Seen::new(DEFAULT_CAPACITY),
                output: None,
                archive: None,
                records: 0,
            })
        })
        .collect();
    Ok(Start {
        checkpoints,
        profiles,
        others,
        resuming,
        marks,
    })
}

/// Says where each org's polling starts (with several orgs).
fn announce_several(
    configs: &[PollConfig],
    origins: &[String],
    profiles: &[String],
    resuming: bool,
    diag: &Diag,
) {
    for ((config, origin), profile) in configs.iter().zip(origins).zip(profiles) {
        diag.verbose(&format!(
            "org {profile} ({origin}): polling from {}{}",
            since_of(&config.first),
            if resuming {
                " unless the checkpoint holds this org"
            } else {
                ""
            }
        ));
    }
}

/// The URL a checkpoint continues at.
fn start_url(checkpoint: &Checkpoint) -> Result<Url> {
    Url::parse(&checkpoint.next).with_context(|| {
        format!(
            "the checkpoint's next URL {:?} is not a URL",
            checkpoint.next
        )
    })
}

/// Sets each record's `source` (the org URL) with several orgs; passes the
/// records through unchanged otherwise.
struct SourceSink<'s, 'd> {
    inner: &'s mut Live<'d>,
    source: Option<&'s str>,
}

impl Sink for SourceSink<'_, '_> {
    fn record(&mut self, record: &crate::record::Record<'_>) -> Result<()> {
        match self.source {
            Some(source) => {
                let mut r = record.clone();
                r.source = Some(Cow::Borrowed(source));
                self.inner.record(&r)
            }
            None => self.inner.record(record),
        }
    }
    fn flush(&mut self) -> Result<()> {
        self.inner.flush()
    }
    fn finish(&mut self) -> Result<()> {
        Ok(())
    }
}

/// The `--state` file to continue from: none without `--state`, and none
/// with `--reset-state`, which says that it starts over.
fn state_to_load<'c>(config: &'c PollConfig, diag: &Diag) -> Option<&'c std::path::Path> {
    let path = config.state.as_deref()?;
    if !config.reset_state {
        return Some(path);
    }
    if path.exists() {
        diag.note(&format!(
            "--reset-state: starting over; the checkpoint in {} is replaced",
            path.display()
        ));
    }
    None
}

/// The checkpoint to start from: the `--state` file's (unless
/// `--reset-state`), else a new one at the first query URL; true when
/// resuming.
fn start_checkpoint(config: &PollConfig, origin: &str, diag: &Diag) -> Result<(Checkpoint, bool)> {
    let loaded = match state_to_load(config, diag) {
        Some(path) => state::load(path, origin, config.filter.as_deref(), DEFAULT_CAPACITY)?,
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

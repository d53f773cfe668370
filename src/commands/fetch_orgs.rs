//! `oksms fetch` against several orgs at once (`--profile a,b`,
//! `--profile a --profile b`, `--all-profiles`; README "Several orgs").
//!
//! Each org gets its own export ([`Export`]: a fetching thread with its own
//! API client, credentials and rate-limit budget), all started together, so
//! the orgs are fetched concurrently and a slow org does not hold up the
//! others. This thread takes the pages of whichever org has one ready and
//! writes them into the ONE output (one JSON array, one CSV header, one
//! table, one audit), each record's `source` being its org's URL. Records of
//! different orgs are therefore interleaved page by page, in arrival order.
//!
//! One org's failure (refused credentials, an outage after the retries, a
//! 403) is reported on stderr naming the profile and the org (`org prod
//! (https://…): …`), with the records of it already written, and the other
//! orgs go on. The exit code is the worst ([`ExitCode::worst`]) of every
//! org's and the audit's.

use super::fetch::{FetchArgs, FetchRun, Range, TempFile, fetch_baseline, query_url, start_export};
use crate::diag::Diag;
use crate::exit::{ExitCode, code_for};
use crate::input::EventTypeFilter;
use crate::okta::export::{Ack, AckWhen, Export, Received, stop_on_signals};
use crate::output::{self, Format, OutputSettings};
use crate::phone_filter::PhoneMatch;
use crate::settings::GlobalArgs;
use crate::settings::api::ApiSettings;
use anyhow::Result;
use std::sync::Arc;
use std::time::Duration;

/// How long one org's export is waited for before the next org's is looked
/// at, when none has a page ready.
const TURN: Duration = Duration::from_millis(20);

/// One org of the run.
struct OrgFetch {
    /// `org NAME (URL)`, as messages name it.
    label: String,
    /// `None` once the org is done (ended, failed or limited).
    export: Option<Export>,
    run: FetchRun,
    /// The exit code of the org's failure, if it failed.
    failed: Option<ExitCode>,
}

impl OrgFetch {
    /// Reports the org's failure (the other orgs go on) and ends its export
    /// without waiting for a request in flight.
    fn fail(&mut self, err: &anyhow::Error, diag: &Diag) {
        let code = code_for(err);
        diag.fatal(&format!(
            "{}: {err:#} ({} record(s) from it written before the failure; the other orgs go on)",
            self.label, self.run.written
        ));
        self.failed = Some(code);
        if let Some(export) = self.export.take() {
            let _ = export.close(false);
        }
    }
}

/// Runs `fetch` over `orgs` (two or more), after the flags common to every
/// org were resolved by [`super::fetch::execute`].
pub(super) fn execute(
    mut args: FetchArgs,
    orgs: Vec<ApiSettings>,
    settings: OutputSettings,
    range: Range,
    phone: Option<PhoneMatch>,
    global: &GlobalArgs,
    diag: &Diag,
) -> Result<ExitCode> {
    let event_types = args.events.filter();
    // Kept until the end of the run: dropping a file removes it.
    let baselines = Baselines::fetch(&args, orgs, range, &event_types, global, diag)?;
    args.audit
        .baseline
        .extend(baselines.files.iter().map(|f| f.path.clone()));
    let mut sink = crate::audit::Pipeline::new(&args.audit, &settings, output::stdout(), diag)?;
    let mut runs = start_orgs(
        baselines.started,
        &args,
        range,
        phone.as_ref(),
        &event_types,
        global,
        diag,
    )?;
    let result = write_pages(&mut runs, &mut sink, diag);
    let interrupted = matches!(result, Ok(true));
    for org in &mut runs {
        if let Some(export) = org.export.take() {
            let _ = export.close(false);
        }
    }
    diag.progress_clear();
    let finished = sink.finish_with_code();
    result?;
    let audit_code = finished?;
    conclude(
        &runs,
        interrupted,
        audit_code.worst(baselines.failed),
        settings.format,
        diag,
    )
}

/// The baselines of `--baseline-since`, one per org, all read by the one
/// audit.
struct Baselines {
    /// The orgs whose baseline was fetched (all of them without
    /// `--baseline-since`), in the order given.
    started: Vec<ApiSettings>,
    /// The baseline files, removed when dropped.
    files: Vec<TempFile>,
    /// The worst exit code of the orgs left out.
    failed: ExitCode,
}

impl Baselines {
    /// Fetches each org's baseline first (none without `--baseline-since`);
    /// an org whose baseline cannot be fetched is reported and left out of
    /// the run. An interruption ends the whole run (returned).
    fn fetch(
        args: &FetchArgs,
        orgs: Vec<ApiSettings>,
        range: Range,
        event_types: &EventTypeFilter,
        global: &GlobalArgs,
        diag: &Diag,
    ) -> Result<Baselines> {
        let mut baselines = Baselines {
            started: Vec::new(),
            files: Vec::new(),
            failed: ExitCode::Ok,
        };
        for api in orgs {
            if let Some(span) = args.baseline_since {
                match fetch_baseline(
                    args,
                    api.profile.as_deref(),
                    span,
                    range,
                    event_types,
                    global,
                    diag,
                ) {
                    Ok(file) => baselines.files.push(file),
                    Err(e) if code_for(&e) == ExitCode::Interrupted => return Err(e),
                    Err(e) => {
                        diag.fatal(&format!(
                            "{}: baseline: {e:#} (this org is left out; the other orgs go on)",
                            api.label()
                        ));
                        baselines.failed = baselines.failed.worst(code_for(&e));
                        continue;
                    }
                }
            }
            baselines.started.push(api);
        }
        Ok(baselines)
    }
}

/// Starts every org's export (the one-org setup: [`start_export`] and
/// [`FetchRun::new`]), all stopped by the one SIGINT/SIGTERM flag. An error
/// building an org's query or starting its export ends the run.
fn start_orgs(
    apis: Vec<ApiSettings>,
    args: &FetchArgs,
    range: Range,
    phone: Option<&PhoneMatch>,
    event_types: &EventTypeFilter,
    global: &GlobalArgs,
    diag: &Diag,
) -> Result<Vec<OrgFetch>> {
    let acks = args.limit.map_or(AckWhen::Never, AckWhen::FromEvents);
    let stop = stop_on_signals()?;
    let mut runs = Vec::with_capacity(apis.len());
    for api in apis {
        let first = query_url(args, &api, event_types, range, phone.is_some())?;
        let label = api.label();
        let source = api.source();
        diag.verbose(&format!(
            "{label}: fetching {} to {} (rate budget {}%)",
            range.since.to_rfc3339(),
            range.until.to_rfc3339(),
            api.rate_budget
        ));
        let export = start_export(api, first, acks, Arc::clone(&stop), global)?;
        runs.push(OrgFetch {
            label,
            export: Some(export),
            run: FetchRun::new(source, phone.cloned(), args.limit, event_types.clone()),
            failed: None,
        });
    }
    Ok(runs)
}

/// Writes the pages of every org as they arrive until each org is done or
/// a signal comes (true when interrupted). An error writing the output ends
/// the run.
fn write_pages(runs: &mut [OrgFetch], sink: &mut dyn output::Sink, diag: &Diag) -> Result<bool> {
    while runs.iter().any(|o| o.export.is_some()) {
        for org in runs.iter_mut() {
            let Some(export) = &org.export else {
                continue;
            };
            let page = match export.next_within(TURN) {
                None => continue,
                Some(Received::Page(page)) => page,
                Some(Received::Interrupted) => return Ok(true),
                Some(Received::Ended) => {
                    if let Some(export) = org.export.take()
                        && let Err(e) = export.close(true)
                    {
                        org.fail(&e, diag);
                    }
                    continue;
                }
                Some(Received::Failed(e)) => {
                    org.fail(&e, diag);
                    continue;
                }
            };
            org.run.pages += 1;
            org.run.write_page(&page, sink, diag)?;
            let done = org.run.limit.is_some_and(|l| org.run.written >= l);
            export.ack(org.run.pages, if done { Ack::Stop } else { Ack::Next });
            if done && let Some(export) = org.export.take() {
                let _ = export.close(false);
            }
        }
    }
    Ok(false)
}

/// The closing messages (one line per org with `--verbose`) and the exit
/// code: the worst of `code` (audit and failures), malformed records, and
/// an interruption.
fn conclude(
    runs: &[OrgFetch],
    interrupted: bool,
    code: ExitCode,
    format: Format,
    diag: &Diag,
) -> Result<ExitCode> {
    let written: u64 = runs.iter().map(|o| o.run.written).sum();
    let bad: u64 = runs.iter().map(|o| o.run.stats.bad).sum();
    if interrupted {
        diag.note(&format!(
            "interrupted: {written} record(s) from {} org(s) written",
            runs.len()
        ));
        return Ok(ExitCode::Interrupted);
    }
    for org in runs {
        diag.verbose(&format!(
            "{}: {} page(s), {} record(s){}{}",
            org.label,
            org.run.pages,
            org.run.written,
            if org.run.filtered > 0 {
                format!(", {} not matching --phone", org.run.filtered)
            } else {
                String::new()
            },
            if org.failed.is_some() {
                " (failed)"
            } else {
                ""
            }
        ));
    }
    let failed = runs.iter().filter(|o| o.failed.is_some()).count();
    if failed > 0 {
        diag.warn(&format!(
            "{failed} of {} org(s) failed (see above); {written} record(s) written",
            runs.len()
        ));
    }
    if written == 0 && format == Format::Table {
        diag.note("no matching events");
    }
    let mut code = runs
        .iter()
        .filter_map(|o| o.failed)
        .fold(code, ExitCode::worst);
    if bad > 0 {
        diag.warn(&format!(
            "{bad} malformed record(s) skipped; {written} record(s) written"
        ));
        code = code.worst(ExitCode::BadInput);
    }
    Ok(code)
}

//! `oksms parse`: read System Log exports, NDJSON, event-hook deliveries and
//! capture files (plain or gzip) from files or stdin and render the cards.

use crate::audit::{self, AuditArgs};
use crate::diag::Diag;
use crate::exit::{ExitCode, Failure};
use crate::input::{self, ReadOptions, parallel};
use crate::output::{self, Format};
use crate::settings::{EventTypeArgs, GlobalArgs, OutputArgs};
use anyhow::Result;
use clap::Args;
use std::io::IsTerminal;
use std::path::PathBuf;

/// Read exports, NDJSON, event-hook deliveries and captures.
///
/// The shape is detected from the content: a JSON array of LogEvents (what
/// /api/v1/logs returns), NDJSON, a single LogEvent, an Okta event-hook
/// delivery (`data.events[]`), NDJSON of deliveries, `oksms watch --capture`
/// files, and gzip-compressed versions of all of these. Malformed records are
/// reported with file, line and column and skipped (exit code 6).
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  oksms parse export.json\n  oksms parse -o csv logs/*.ndjson.gz > sms.csv\n  curl -s ... | oksms parse - -o ndjson --fields published,phone.alternate_id\n  oksms parse export.json --group-by phone --top 20\n  oksms parse export.json -o csv --alert 'users-per-phone > 1' --mask all > audit.csv"
)]
pub struct ParseArgs {
    /// Input files; `-` (or none) reads stdin.
    #[arg(value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// Stop at the first malformed record instead of skipping it.
    #[arg(long)]
    pub strict: bool,
    /// Skip (and report) any record larger than SIZE bytes (or KiB/MiB);
    /// memory use is bounded by it.
    #[arg(long, value_name = "SIZE", default_value = "16MiB", value_parser = crate::size::parse)]
    pub max_record_size: usize,
    #[command(flatten)]
    pub events: EventTypeArgs,
    #[command(flatten)]
    pub output: OutputArgs,
    #[command(flatten)]
    pub audit: AuditArgs,
    #[command(flatten)]
    pub report: crate::audit::ReportArgs,
}

pub fn execute(mut args: ParseArgs, global: &GlobalArgs, diag: &Diag) -> Result<ExitCode> {
    args.report.apply(&mut args.audit);
    let settings = args.output.settings(global)?;
    let opts = ReadOptions {
        strict: args.strict,
        event_types: args.events.filter(),
        keep_duplicates: args.events.keep_duplicates,
        max_record: args.max_record_size,
    };
    let workers = parallel::worker_count();
    // The audit flags need every record in one place (summaries, rules,
    // masking): workers decode, and the pipeline gets the records on this
    // thread. Building the pipeline first rejects a bad rule before any
    // input is read.
    let mut pipeline =
        if workers > 1 && !args.audit.is_active() && parallel::supports(&settings, &opts) {
            None
        } else {
            Some(audit::Pipeline::new(
                &args.audit,
                &settings,
                output::stdout(),
                diag,
            )?)
        };
    let files = if args.files.is_empty() {
        vec![PathBuf::from("-")]
    } else {
        args.files
    };
    if files.iter().any(|f| f.as_os_str() == "-") && std::io::stdin().is_terminal() {
        return Err(Failure::usage(
            "no input: give one or more files, or pipe events into `oksms parse -`",
        )
        .into());
    }
    let started = std::time::Instant::now();
    let (mut stats, code) = match &mut pipeline {
        None => {
            let mut out = output::guard(&settings, output::stdout());
            let stats =
                parallel::read_inputs_parallel(&files, &opts, &settings, &mut out, diag, workers)?;
            (stats, ExitCode::Ok)
        }
        Some(sink) => {
            // The summary reads no raw JSON field (`event_details`, ...).
            let summary = sink.is_summary();
            let result = if workers > 1 && args.audit.is_active() && parallel::supports_audit(&opts)
            {
                parallel::read_inputs_audit(&files, &opts, sink, !summary, diag, workers)
            } else {
                input::read_inputs(&files, &opts, sink, diag)
            };
            // Close the output (a valid JSON array, the table's last page,
            // the summary) and report findings even when reading stopped
            // early.
            let finished = sink.finish_with_code();
            let stats = result?;
            (stats, finished?)
        }
    };
    diag.verbose(&format!(
        "read {:.1} MB: {} records, {} other event types, {} malformed, in {:.2} s; peak memory {} KiB",
        stats.bytes as f64 / 1e6,
        stats.records,
        stats.other_types,
        stats.bad,
        started.elapsed().as_secs_f64(),
        crate::diag::peak_memory_kib().map_or("?".to_string(), |k| k.to_string()),
    ));
    stats.report(diag);
    if stats.records == 0 && settings.format == Format::Table {
        diag.note("no matching events");
    }
    if stats.bad > 0 {
        diag.warn(&format!(
            "{} malformed record(s) skipped; {} record(s) written",
            stats.bad, stats.records
        ));
        return Ok(ExitCode::BadInput.worst(code));
    }
    Ok(code)
}

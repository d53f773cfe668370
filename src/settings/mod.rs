//! The option groups several subcommands share (global switches, output,
//! event types, the Okta API flags in [`api`]) and their resolution, once,
//! into settings values (`OutputSettings`, `EventTypeFilter`,
//! [`api::ApiSettings`]) before any work starts; logic never reads raw
//! flags. Kept apart from [`crate::cli`] (which names the subcommands) so
//! that the commands and `watch` depend on these groups without depending
//! on the command line that contains them.

pub mod api;

use crate::diag::{Diag, Verbosity};
use crate::exit::Failure;
use crate::fields;
use crate::input::EventTypeFilter;
use crate::output::terminal::{ColorChoice, use_color};
use crate::output::{Format, OutputSettings, TimeZoneChoice};
use clap::Args;
use std::io::IsTerminal;

/// Switches every subcommand takes.
#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// When to colour the table and messages.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,
    /// Say more on stderr: skipped event types, each request, rate-limit state.
    #[arg(short, long, global = true, conflicts_with = "quiet")]
    pub verbose: bool,
    /// Say only errors on stderr (no progress, no notes).
    #[arg(short, long, global = true)]
    pub quiet: bool,
}

impl GlobalArgs {
    /// The stderr reporter these switches ask for.
    pub fn diag(&self) -> Diag {
        let verbosity = if self.quiet {
            Verbosity::Quiet
        } else if self.verbose {
            Verbosity::Verbose
        } else {
            Verbosity::Normal
        };
        let color_allowed = use_color(
            self.color,
            true,
            std::env::var("NO_COLOR").ok().as_deref(),
            std::env::var("CLICOLOR_FORCE").ok().as_deref(),
        );
        Diag::new(verbosity, color_allowed)
    }
}

/// How records are rendered; shared by every subcommand that prints records.
#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "Output")]
pub struct OutputArgs {
    /// Output format [default: table on a terminal, ndjson otherwise].
    #[arg(short = 'o', long = "output", value_enum, value_name = "FORMAT")]
    pub format: Option<Format>,
    /// Fields to show, in order, comma-separated: JSON keys (`actor`),
    /// dotted sub-fields (`actor.alternate_id`) or CSV column names
    /// (`actor_alternate_id`). `event_details`, `headers` and `debug_data`
    /// add the raw JSON.
    #[arg(long, value_delimiter = ',', value_name = "FIELDS")]
    pub fields: Vec<String>,
    /// Show more columns in the table.
    #[arg(long)]
    pub wide: bool,
    /// Leave out the CSV header row.
    #[arg(long)]
    pub no_header: bool,
    /// Guard CSV against spreadsheet formula injection: a cell starting with
    /// `=`, `+`, `-`, `@`, tab or CR gets a leading `'` (E.164 phone numbers
    /// such as `+15551230067` are kept). Off by default: the default CSV
    /// bytes are exact.
    #[arg(long)]
    pub csv_safe: bool,
    /// Show table times in UTC (the default).
    #[arg(long, conflicts_with = "local")]
    pub utc: bool,
    /// Show table times in the local time zone.
    #[arg(long)]
    pub local: bool,
}

impl OutputArgs {
    /// Resolves the flags (and whether stdout is a terminal) into settings.
    pub fn settings(&self, global: &GlobalArgs) -> Result<OutputSettings, Failure> {
        let stdout_is_terminal = std::io::stdout().is_terminal();
        let format = self.format.unwrap_or(if stdout_is_terminal {
            Format::Table
        } else {
            Format::Ndjson
        });
        let fields = if self.fields.is_empty() {
            None
        } else {
            Some(fields::parse_list(&self.fields).map_err(Failure::usage)?)
        };
        let color = use_color(
            global.color,
            stdout_is_terminal,
            std::env::var("NO_COLOR").ok().as_deref(),
            std::env::var("CLICOLOR_FORCE").ok().as_deref(),
        );
        Ok(OutputSettings {
            format,
            fields,
            wide: self.wide,
            no_header: self.no_header,
            color,
            terminal: stdout_is_terminal,
            csv_safe: self.csv_safe,
            time_zone: if self.local {
                TimeZoneChoice::Local
            } else {
                TimeZoneChoice::Utc
            },
        })
    }
}

/// Which event types are kept.
#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "Events")]
pub struct EventTypeArgs {
    /// Keep these event types instead of `system.sms.send_phone_verification_message`
    /// (repeatable, or comma-separated; `all` keeps every type), for example
    /// `system.voice.send_phone_verification_call`.
    #[arg(long = "event-type", value_delimiter = ',', value_name = "TYPE")]
    pub event_types: Vec<String>,
    /// Keep every copy of an event read more than once. By default an event
    /// whose `uuid` was already read in this run (overlapping exports, a
    /// retried page, a re-delivered hook) is dropped and counted.
    #[arg(long)]
    pub keep_duplicates: bool,
}

impl EventTypeArgs {
    pub fn filter(&self) -> EventTypeFilter {
        EventTypeFilter::new(&self.event_types)
    }
}

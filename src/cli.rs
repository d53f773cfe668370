//! The command line, declared with clap derive: the four subcommands and the
//! option groups they share (output, event types, global switches). Raw
//! flags are resolved into settings (`OutputSettings`, `ReadOptions`) once,
//! before any work starts; logic never reads raw flags.

use crate::commands::{
    fetch::FetchArgs, generate::GenerateArgs, parse::ParseArgs, replay::ReplayArgs,
    watch::WatchArgs,
};
use crate::diag::{Diag, Verbosity};
use crate::exit::Failure;
use crate::fields;
use crate::input::EventTypeFilter;
use crate::output::terminal::{ColorChoice, use_color};
use crate::output::{Format, OutputSettings, TimeZoneChoice};
use clap::{Args, Parser, Subcommand};
use std::io::IsTerminal;

/// Audit Okta "Phone Verification SMS Sent" events: who triggered
/// verification SMS messages to which phones.
///
/// oksms reads the Okta System Log event
/// `system.sms.send_phone_verification_message` from the API (fetch), from
/// files and event-hook deliveries (parse), live (watch), and plays captured
/// events back (replay). Each renders the card's fields as a table, JSON,
/// NDJSON or CSV.
#[derive(Debug, Parser)]
#[command(
    name = "oksms",
    version,
    propagate_version = true,
    max_term_width = 100
)]
#[command(after_long_help = EXIT_CODES_HELP)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    #[command(flatten)]
    pub global: GlobalArgs,
}

/// The exit codes, shown in `--help` and the man page.
pub const EXIT_CODES_HELP: &str = "\
Exit codes:
  0    success
  1    error
  2    usage error (bad flags, bad alert rule)
  3    an audit alert rule fired
  4    Okta refused the credentials or permission (401/403)
  5    the API or network stayed unavailable after retries
  6    some input records were malformed and skipped
  7    watch: another process holds the --state file lock
  130  interrupted";

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Pull the events from an Okta org's System Log API (/api/v1/logs).
    Fetch(Box<FetchArgs>),
    /// Read exports, NDJSON, event-hook deliveries and captures from files or stdin.
    Parse(ParseArgs),
    /// Follow the System Log live with a durable checkpoint, or receive Okta event hooks.
    Watch(WatchArgs),
    /// Re-deliver captured events to an event-hook endpoint, or re-play them in time order.
    Replay(Box<ReplayArgs>),
    /// Manage the Okta event hooks that deliver to `watch --listen` (Event Hooks API).
    Hook(crate::commands::hook::HookArgs),
    /// Write the shell completions and man pages (for maintainers).
    #[command(hide = true)]
    Generate(GenerateArgs),
}

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

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn clap_definition_is_consistent() {
        Cli::command().debug_assert();
    }
}

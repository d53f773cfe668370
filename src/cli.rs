//! The command line, declared with clap derive: the subcommands, and [`run`]
//! which hands each to its command module. The option groups the
//! subcommands share, and their resolution into settings, live in
//! [`crate::settings`]; this module is the top of the dependency graph
//! (nothing below imports it).

use crate::commands::{
    self, fetch::FetchArgs, parse::ParseArgs, replay::ReplayArgs, watch::WatchArgs,
};
use crate::exit::ExitCode;
use anyhow::Result;
use clap::{Parser, Subcommand};
use std::io::Write;

/// The shared option groups, declared in [`crate::settings`].
pub use crate::settings::{EventTypeArgs, GlobalArgs, OutputArgs};

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
#[command(after_long_help = ExitCode::help_text())]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    #[command(flatten)]
    pub global: GlobalArgs,
}

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
    /// Write a profile to oksms's config file (`config init`), then check it.
    Config(crate::commands::config::ConfigArgs),
    /// Check the set-up: config, org, clock, credentials, permission, rate limit.
    Doctor(Box<crate::commands::doctor::DoctorArgs>),
}

/// Runs the parsed command line and returns the exit code.
pub fn run(cli: Cli) -> Result<ExitCode> {
    let diag = cli.global.diag();
    if let Some(audit) = audit_args(&cli.command)
        && audit.explain
    {
        // `--explain`: the rules a preset and --alert make, with sources.
        let mut out = crate::output::stdout();
        audit.explain(&mut out)?;
        out.flush()?;
        return Ok(ExitCode::Ok);
    }
    match cli.command {
        Command::Parse(args) => commands::parse::execute(args, &cli.global, &diag),
        Command::Fetch(args) => commands::fetch::execute(*args, &cli.global, &diag),
        Command::Watch(args) => commands::watch::execute(args, &cli.global, &diag),
        Command::Replay(args) => commands::replay::execute(*args, &cli.global, &diag),
        Command::Hook(args) => commands::hook::execute(args, &cli.global, &diag),
        Command::Config(args) => commands::config::execute(args, &cli.global, &diag),
        Command::Doctor(args) => commands::doctor::execute(*args, &cli.global, &diag),
    }
}

/// The audit flags of a record-rendering command (for `--explain`).
fn audit_args(command: &Command) -> Option<&crate::audit::AuditArgs> {
    match command {
        Command::Parse(a) => Some(&a.audit),
        Command::Fetch(a) => Some(&a.audit),
        Command::Watch(a) => Some(&a.audit),
        Command::Replay(a) => Some(&a.audit),
        Command::Hook(_) | Command::Config(_) | Command::Doctor(_) => None,
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

    /// The help's exit-code table names every code of the enum, once, in
    /// order (it is generated from it).
    #[test]
    fn help_lists_every_exit_code() {
        let help = Cli::command().render_long_help().to_string();
        let table = &help[help.find("Exit codes:").expect("exit codes in --help")..];
        let mut at = 0;
        for code in ExitCode::ALL {
            let line = format!("  {:<4} {}", code.code(), code.meaning());
            let found = table[at..]
                .find(&line)
                .unwrap_or_else(|| panic!("{line:?} in {table}"));
            at += found + line.len();
        }
        let mut numbers: Vec<i32> = ExitCode::ALL.iter().map(|c| c.code()).collect();
        numbers.dedup();
        assert_eq!(numbers.len(), ExitCode::ALL.len());
    }
}

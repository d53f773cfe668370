//! One module per subcommand: each declares its clap arguments and an
//! `execute` that orchestrates the library pieces. No formatting here.

pub mod fetch;
pub mod generate;
pub mod parse;
pub mod replay;
pub mod watch;

use crate::cli::{Cli, Command};
use crate::exit::ExitCode;
use anyhow::Result;

/// Runs the parsed command line and returns the exit code.
pub fn run(cli: Cli) -> Result<ExitCode> {
    let diag = cli.global.diag();
    if let Some(audit) = audit_args(&cli.command)
        && audit.explain
    {
        let mut out = std::io::stdout().lock();
        audit.explain(&mut out)?;
        return Ok(ExitCode::Ok);
    }
    match cli.command {
        Command::Parse(args) => parse::execute(args, &cli.global, &diag),
        Command::Fetch(args) => fetch::execute(*args, &cli.global, &diag),
        Command::Watch(args) => watch::execute(args, &cli.global, &diag),
        Command::Replay(args) => replay::execute(*args, &cli.global, &diag),
        Command::Generate(args) => generate::execute(args, &diag),
    }
}

/// The audit flags of a record-rendering command (for `--explain`).
fn audit_args(command: &Command) -> Option<&crate::audit::AuditArgs> {
    match command {
        Command::Parse(a) => Some(&a.audit),
        Command::Fetch(a) => Some(&a.audit),
        Command::Watch(a) => Some(&a.audit),
        Command::Replay(a) => Some(&a.audit),
        Command::Generate(_) => None,
    }
}

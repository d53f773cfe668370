//! `oksms generate` (hidden): writes or checks the committed shell
//! completions and man pages, which are generated from the clap definitions.

use crate::diag::Diag;
use crate::exit::{ExitCode, Failure};
use crate::generate::{SyncMode, sync};
use anyhow::Result;
use clap::Args;
use std::path::PathBuf;

/// Write the completions and man pages into the repository (or `--check` them).
#[derive(Debug, Args)]
pub struct GenerateArgs {
    /// The repository root that holds `completions/` and `man/`.
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Only check that the committed files match; exit 1 when they drift.
    #[arg(long)]
    pub check: bool,
}

/// Syncs the files generated from `cli` (the whole command line's definition).
pub fn execute(args: GenerateArgs, cli: clap::Command, diag: &Diag) -> Result<ExitCode> {
    let mode = if args.check {
        SyncMode::Check
    } else {
        SyncMode::Write
    };
    let drifted = sync(&args.root, mode, &cli)?;
    if drifted.is_empty() {
        diag.note("completions and man pages are up to date");
        return Ok(ExitCode::Ok);
    }
    let list = drifted
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(", ");
    if args.check {
        return Err(Failure::new(
            ExitCode::Error,
            format!("generated files drifted: {list}; run `cargo run -- generate` and commit"),
        )
        .into());
    }
    diag.note(&format!("wrote {list}"));
    Ok(ExitCode::Ok)
}

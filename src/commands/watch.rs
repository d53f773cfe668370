//! `oksms watch`: Follow the System Log live, or receive Okta event hooks.
//!
//! Declared now so the command line is complete; the implementation lands
//! with its own issue.

use crate::cli::{EventTypeArgs, GlobalArgs, OutputArgs};
use crate::diag::Diag;
use crate::exit::{ExitCode, Failure};
use anyhow::Result;
use clap::Args;

/// Follow the System Log live, or receive Okta event hooks.
#[derive(Debug, Args)]
pub struct WatchArgs {
    #[command(flatten)]
    pub events: EventTypeArgs,
    #[command(flatten)]
    pub output: OutputArgs,
}

pub fn execute(_args: WatchArgs, _global: &GlobalArgs, _diag: &Diag) -> Result<ExitCode> {
    Err(Failure::new(ExitCode::Error, "`oksms watch` is not yet implemented").into())
}

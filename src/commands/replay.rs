//! `oksms replay`: Re-deliver captured events as Okta event hooks, or re-play them in time order.
//!
//! Declared now so the command line is complete; the implementation lands
//! with its own issue.

use crate::cli::{EventTypeArgs, GlobalArgs, OutputArgs};
use crate::diag::Diag;
use crate::exit::{ExitCode, Failure};
use anyhow::Result;
use clap::Args;

/// Re-deliver captured events as Okta event hooks, or re-play them in time order.
#[derive(Debug, Args)]
pub struct ReplayArgs {
    #[command(flatten)]
    pub events: EventTypeArgs,
    #[command(flatten)]
    pub output: OutputArgs,
}

pub fn execute(_args: ReplayArgs, _global: &GlobalArgs, _diag: &Diag) -> Result<ExitCode> {
    Err(Failure::new(ExitCode::Error, "`oksms replay` is not yet implemented").into())
}

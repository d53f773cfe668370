//! `oksms fetch`: Pull the events from an Okta org's System Log API.
//!
//! Declared now so the command line is complete; the implementation lands
//! with its own issue.

use crate::cli::{EventTypeArgs, GlobalArgs, OutputArgs};
use crate::diag::Diag;
use crate::exit::{ExitCode, Failure};
use anyhow::Result;
use clap::Args;

/// Pull the events from an Okta org's System Log API.
#[derive(Debug, Args)]
pub struct FetchArgs {
    #[command(flatten)]
    pub events: EventTypeArgs,
    #[command(flatten)]
    pub output: OutputArgs,
}

pub fn execute(_args: FetchArgs, _global: &GlobalArgs, _diag: &Diag) -> Result<ExitCode> {
    Err(Failure::new(ExitCode::Error, "`oksms fetch` is not yet implemented").into())
}

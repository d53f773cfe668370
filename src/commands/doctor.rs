//! `oksms doctor`: checks the org, credentials, permission, clock and
//! rate-limit bucket `fetch` would use ([`crate::doctor`]) and prints the
//! checklist (the command's data) to stdout.

use crate::config::{OrgArgs, Sources};
use crate::diag::Diag;
use crate::doctor::{self, Inputs};
use crate::exit::{ExitCode, Failure};
use crate::settings::GlobalArgs;
use crate::settings::api::ApiArgs;
use anyhow::Result;
use clap::{Args, ValueEnum};
use std::io::Write;
use std::time::Duration;

/// How the checklist is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DoctorFormat {
    /// One line per check, ✓ ✗ ! -, the fix under it.
    Table,
    /// `{"checks": [{name, status, detail, fix}], "exit_code": N}`.
    Json,
}

/// Check the set-up: config sources, the org (DNS, TLS, Okta), the clock,
/// the credentials, the System Log permission and its rate-limit bucket.
///
/// Reads the org and credentials exactly as `fetch` does (the same flags,
/// environment, okta.yaml files and --profile). Each request is made once,
/// without retries, within --timeout; a 429 is reported, not waited out.
#[derive(Debug, Args)]
#[command(after_help = DOCTOR_HELP)]
pub struct DoctorArgs {
    #[command(flatten)]
    pub api: ApiArgs,
    /// Print the checks as a table or as JSON for scripts.
    #[arg(short = 'o', long = "output", value_enum, default_value_t = DoctorFormat::Table, value_name = "FORMAT")]
    pub format: DoctorFormat,
}

const DOCTOR_HELP: &str = "\
Checks (each ✓ pass, ✗ fail, ! warning, - skipped, with what to do next):
  config       the sources found, and which one set each field (secrets as <set, N chars>)
  files        the token or key file is not readable by others (else: chmod 600)
  dns          the org's host name resolves
  connect      TCP, and TLS for https://
  org          GET /.well-known/okta-organization answers an Okta org id
  clock        skew against the org's Date: warn past 30 s, fail past 5 min
  credentials  the SSWS token is accepted, or the service app gets a token (DPoP, scopes)
  permission   GET /api/v1/logs?limit=1 works (names a missing scope or admin role)
  rate-limit   the System Log bucket: limit, remaining, reset, what --rate-budget allows

Exit: 0 every check passed (warnings allowed), 4 credentials or permission,
5 the org cannot be reached (DNS, connection, TLS), 1 anything else.

Examples:
  oksms doctor --profile prod
  oksms doctor --org https://acme.okta.com --token-file ~/.okta-token
  oksms doctor --profile prod -o json | jq '.checks[] | select(.status != \"pass\")'";

/// Runs the checks for `flags` and `profile` and prints them; the exit
/// code is the worst failure's. Also the end of `config init`.
pub fn check_and_print(
    flags: &OrgArgs,
    profile: Option<&str>,
    timeout: Duration,
    rate_budget: u8,
    format: DoctorFormat,
) -> Result<ExitCode> {
    let sources = Sources::process();
    let checks = doctor::run(&Inputs {
        flags,
        profile,
        sources: &sources,
        timeout,
        rate_budget,
    });
    let mut out = crate::output::stdout();
    match format {
        DoctorFormat::Table => doctor::write_table(&mut out, &checks)?,
        DoctorFormat::Json => doctor::write_json(&mut out, &checks)?,
    }
    out.flush()?;
    Ok(doctor::exit_code(&checks))
}

pub fn execute(args: DoctorArgs, _global: &GlobalArgs, _diag: &Diag) -> Result<ExitCode> {
    let flags = &args.api.org;
    if args.api.all_profiles {
        return Err(Failure::usage(
            "--all-profiles: doctor checks one org at a time; run it once per --profile",
        )
        .into());
    }
    let profile = crate::config::single_profile(flags)?;
    check_and_print(
        flags,
        profile.as_deref(),
        args.api.timeout,
        args.api.rate_budget,
        args.format,
    )
}

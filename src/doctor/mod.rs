//! `oksms doctor`: the set-up checked in one run, each check with what to
//! do next, so a user learns every problem at once instead of one failed
//! `fetch` at a time.
//!
//! The checks, in order (a failed one skips those that depend on it):
//! `config` (which sources were found and which one set each field,
//! [`sources`]), `files` (permissions of the token or key file), then the
//! network side ([`network`]): `dns`, `connect` (TCP, and TLS for https),
//! `org` (`GET /.well-known/okta-organization` answers an Okta org id),
//! `clock` (skew against the org's `Date`), `credentials` (SSWS accepted,
//! or the service app's token grant), `permission` (`GET
//! /api/v1/logs?limit=1`) and `rate-limit` (the System Log bucket and what
//! `--rate-budget` allows). Each request is made once (no retries) within
//! `--timeout`; a 429 is reported, never waited out.
//!
//! The exit code is the worst of the failed checks: 4 for credentials and
//! permission, 5 for an org that cannot be reached (DNS, connection, TLS),
//! 1 for anything else; warnings and skips do not count.

mod network;
mod render;
mod sources;

pub use render::{write_json, write_table};

use crate::config::{self, OrgArgs, Sources};
use crate::exit::ExitCode;
use serde::Serialize;
use std::time::Duration;

/// A check's outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Pass,
    Warn,
    Fail,
    /// Not run: an earlier check failed, or it does not apply.
    Skip,
}

/// One line of the checklist.
#[derive(Debug, Clone, Serialize)]
pub struct Check {
    /// A stable name scripts can key on (`config`, `dns`, `permission`, …).
    pub name: &'static str,
    pub status: Status,
    /// What was found; secrets appear as `<set, N chars>`, never their value.
    pub detail: String,
    /// What to do next, for a failure or a warning.
    pub fix: Option<String>,
    /// The exit code a failure stands for.
    #[serde(skip)]
    pub code: ExitCode,
}

impl Check {
    pub fn pass(name: &'static str, detail: impl Into<String>) -> Check {
        Check {
            name,
            status: Status::Pass,
            detail: detail.into(),
            fix: None,
            code: ExitCode::Ok,
        }
    }
    pub fn warn(name: &'static str, detail: impl Into<String>, fix: impl Into<String>) -> Check {
        Check {
            name,
            status: Status::Warn,
            detail: detail.into(),
            fix: Some(fix.into()),
            code: ExitCode::Ok,
        }
    }
    pub fn fail(
        name: &'static str,
        code: ExitCode,
        detail: impl Into<String>,
        fix: impl Into<String>,
    ) -> Check {
        Check {
            name,
            status: Status::Fail,
            detail: detail.into(),
            fix: Some(fix.into()),
            code,
        }
    }
    pub fn skip(name: &'static str, detail: impl Into<String>) -> Check {
        Check {
            name,
            status: Status::Skip,
            detail: detail.into(),
            fix: None,
            code: ExitCode::Ok,
        }
    }
}

/// Every check's name, in the order they run.
pub const NAMES: [&str; 9] = [
    "config",
    "files",
    "dns",
    "connect",
    "org",
    "clock",
    "credentials",
    "permission",
    "rate-limit",
];

/// What to check: the org and credential flags, the profile to read, where
/// the config files are, and the request settings.
pub struct Inputs<'a> {
    pub flags: &'a OrgArgs,
    /// The `--profile` section of the oksms config file, if any.
    pub profile: Option<&'a str>,
    pub sources: &'a Sources<'a>,
    /// Each request's timeout (`--timeout`).
    pub timeout: Duration,
    /// `--rate-budget`, percent.
    pub rate_budget: u8,
}

/// Runs every check, in [`NAMES`] order.
pub fn run(inputs: &Inputs<'_>) -> Vec<Check> {
    let mut checks = Vec::new();
    let home = inputs.sources.home.as_deref();
    let layers = match config::layers(inputs.flags, inputs.profile, inputs.sources) {
        Ok(layers) => layers,
        Err(e) => {
            checks.push(sources::unreadable(&e));
            skip_rest(&mut checks, "the configuration is incomplete");
            return checks;
        }
    };
    let merged = config::merge(&layers, home);
    checks.push(sources::describe(&layers, merged.as_ref()));
    let Ok(org_config) = merged else {
        skip_rest(&mut checks, "the configuration is incomplete");
        return checks;
    };
    checks.push(sources::file_permissions(&layers, &org_config, home));
    network::run(&org_config, inputs, &mut checks);
    skip_rest(&mut checks, "not reached");
    checks
}

/// Adds a skipped check for every name not yet in `checks`.
fn skip_rest(checks: &mut Vec<Check>, why: &str) {
    for name in NAMES {
        if !checks.iter().any(|c| c.name == name) {
            checks.push(Check::skip(name, format!("skipped: {why}")));
        }
    }
}

/// The exit code of a run: the worst failure's, or 0.
pub fn exit_code(checks: &[Check]) -> ExitCode {
    checks
        .iter()
        .filter(|c| c.status == Status::Fail)
        .fold(ExitCode::Ok, |worst, c| worst.worst(c.code))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_worst_failure_decides_the_exit_code() {
        let mut checks = vec![
            Check::pass("config", ""),
            Check::warn("clock", "", ""),
            Check::skip("org", ""),
        ];
        assert_eq!(exit_code(&checks), ExitCode::Ok);
        checks.push(Check::fail("clock", ExitCode::Error, "", ""));
        assert_eq!(exit_code(&checks), ExitCode::Error);
        checks.push(Check::fail("permission", ExitCode::Auth, "", ""));
        checks.push(Check::fail("connect", ExitCode::Unavailable, "", ""));
        assert_eq!(exit_code(&checks), ExitCode::Auth);
    }

    #[test]
    fn missing_settings_fail_the_config_check_and_skip_the_rest() {
        let none: &dyn Fn(&str) -> Option<String> = &|_| None;
        let dir = tempfile::tempdir().unwrap();
        let sources = Sources {
            home: Some(dir.path().into()),
            cwd: dir.path().into(),
            xdg_config: Some(dir.path().into()),
            env: none,
        };
        let checks = run(&Inputs {
            flags: &OrgArgs::default(),
            profile: None,
            sources: &sources,
            timeout: Duration::from_secs(1),
            rate_budget: 50,
        });
        let names: Vec<_> = checks.iter().map(|c| c.name).collect();
        assert_eq!(names, NAMES);
        assert_eq!(checks[0].status, Status::Fail);
        assert!(checks[0].detail.contains("no Okta org"), "{:?}", checks[0]);
        assert!(checks[1..].iter().all(|c| c.status == Status::Skip));
        assert_eq!(exit_code(&checks), ExitCode::Error);
    }
}

//! `oksms hook`: manage the Okta event hooks that deliver to `oksms watch
//! --listen`, through the Event Hooks API ([`crate::okta::event_hooks`]).
//!
//! A command group (`hook create|list|verify|activate|deactivate|delete`)
//! rather than flags on `watch`: each action is one API call a user runs
//! once, with its own arguments, and reads like the Okta Admin Console's
//! own actions. The one thing `watch` does itself is `--register`, because
//! verification needs the listener already answering.

use crate::config::{self, OrgArgs, Sources};
use crate::diag::Diag;
use crate::exit::{ExitCode, Failure};
use crate::okta::client::{ClientOptions, Event, OktaClient};
use crate::okta::event_hooks::{self, EventHooks, Hook, NewHook};
use crate::okta::{Budget, Credentials};
use crate::secret::Secret;
use crate::settings::GlobalArgs;
use anyhow::Result;
use clap::{Args, Subcommand};
use std::time::Duration;

/// Manage Okta event hooks (scope okta.eventHooks.manage).
///
/// Okta delivers events only to https:// URLs, to hooks that are ACTIVE
/// and VERIFIED; an org has at most 25 active event hooks. Verification
/// makes Okta call the URL, so `oksms watch --listen` must be running
/// there (or use `watch --listen ... --register URL`, which does all of it).
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  OKTA_HOOK_SECRET='Basic czNjcmV0' oksms hook create --url https://hooks.example.com/okta/events --secret-env OKTA_HOOK_SECRET\n  oksms hook list\n  oksms hook verify who1a2b3c4d5e6f7g8h9\n  oksms hook delete who1a2b3c4d5e6f7g8h9"
)]
pub struct HookArgs {
    #[command(subcommand)]
    pub action: HookAction,
}

/// One Event Hooks API action.
#[derive(Debug, Subcommand)]
pub enum HookAction {
    /// Create a hook for the SMS event (and --voice), printing its id.
    Create(CreateArgs),
    /// List the org's event hooks: id, status, verification, URL, name
    /// (tab-separated, one a line).
    List(OrgOnly),
    /// Ask Okta to verify a hook (the listener must be answering at its URL).
    Verify(IdArg),
    /// Activate a hook.
    Activate(IdArg),
    /// Deactivate a hook (Okta stops delivering to it).
    Deactivate(IdArg),
    /// Delete a hook (deactivated first).
    Delete(IdArg),
}

/// A hook id.
#[derive(Debug, Args)]
pub struct IdArg {
    /// The hook id (see `oksms hook list`).
    pub id: String,
    #[command(flatten)]
    pub org: OrgArgs,
}

/// Only the org and credential flags.
#[derive(Debug, Args)]
pub struct OrgOnly {
    #[command(flatten)]
    pub org: OrgArgs,
}

/// `hook create`.
#[derive(Debug, Args)]
pub struct CreateArgs {
    /// The https:// URL Okta delivers to (the listener's address and --path).
    #[arg(long, value_name = "URL")]
    pub url: String,
    /// The hook's name in Okta.
    #[arg(long, default_value = "oksms", value_name = "NAME")]
    pub name: String,
    /// Read the secret Okta sends with every delivery (the whole header
    /// value) from this environment variable.
    #[arg(long, value_name = "VAR")]
    pub secret_env: String,
    /// The header that carries the secret.
    #[arg(long, default_value = "Authorization", value_name = "NAME")]
    pub auth_header: String,
    /// Also subscribe to system.voice.send_phone_verification_call.
    #[arg(long)]
    pub voice: bool,
    #[command(flatten)]
    pub org: OrgArgs,
}

impl HookAction {
    fn org(&self) -> &OrgArgs {
        match self {
            HookAction::Create(c) => &c.org,
            HookAction::List(o) => &o.org,
            HookAction::Verify(i)
            | HookAction::Activate(i)
            | HookAction::Deactivate(i)
            | HookAction::Delete(i) => &i.org,
        }
    }
}

/// Reads the secret from `var` (never from argv).
pub fn secret_from_env(flag: &str, var: &str) -> Result<Secret, Failure> {
    match std::env::var(var) {
        Ok(value) if !value.is_empty() => Ok(Secret::new(value)),
        _ => Err(Failure::usage(format!(
            "{flag} {var}: the environment variable {var} is not set or empty"
        ))),
    }
}

/// A client for the Event Hooks API from the org flags (config files and
/// environment as for `fetch`); a service app asks for
/// [`event_hooks::SCOPE`].
pub fn client<'a>(org: &OrgArgs, diag: &Diag, report: &'a Diag) -> Result<OktaClient<'a>> {
    let resolved = config::resolve(org, &Sources::process())?;
    for warning in &resolved.warnings {
        diag.warn(warning);
    }
    let mut credentials = resolved.credentials()?;
    if let Credentials::ServiceApp(app) = &mut credentials {
        app.scopes = vec![event_hooks::SCOPE.to_string()];
    }
    let options = ClientOptions {
        org: resolved.org.clone(),
        budget: Budget::new(50),
        retries: 2,
        timeout: Duration::from_secs(30),
        backoff: Duration::from_millis(500),
        max_body: 8 << 20,
        max_rate_limit_wait: Duration::from_secs(120),
    };
    let observer = Box::new(move |event: &Event<'_>| match event {
        Event::Request { method, url } => report.verbose(&format!("{method} {url}")),
        Event::Response { status, .. } => report.verbose(&format!("HTTP {status}")),
        _ => {}
    });
    OktaClient::new(options, credentials, observer)
}

/// One line describing a hook (no secret: Okta never returns it).
pub fn describe(hook: &Hook) -> String {
    format!(
        "{}\t{}\t{}\t{}\t{}",
        hook.id,
        hook.status,
        hook.verification_status,
        hook.url(),
        hook.name
    )
}

pub fn execute(args: HookArgs, global: &GlobalArgs, diag: &Diag) -> Result<ExitCode> {
    let report = global.diag();
    let mut client = client(args.action.org(), diag, &report)?;
    let mut api = EventHooks::new(&mut client);
    // Data (ids, the hook lines) to stdout through the output module,
    // messages to stderr.
    let mut out = crate::output::stdout();
    let mut line = |text: String| -> Result<()> {
        use std::io::Write;
        writeln!(out, "{text}")?;
        out.flush()?;
        Ok(())
    };
    match args.action {
        HookAction::Create(c) => {
            let secret = secret_from_env("--secret-env", &c.secret_env)?;
            check_url(&c.url)?;
            let mut events = vec![event_hooks::SMS_EVENT.to_string()];
            if c.voice {
                events.push(event_hooks::VOICE_EVENT.to_string());
            }
            let hook = api.create(&NewHook {
                name: c.name.clone(),
                url: c.url.clone(),
                auth_header: c.auth_header.clone(),
                secret,
                events,
            })?;
            line(hook.id.clone())?;
            diag.note(&format!(
                "created event hook {} ({}); verify it with `oksms hook verify {}` while the \
                 listener answers at its URL",
                hook.id, hook.verification_status, hook.id
            ));
        }
        HookAction::List(_) => {
            for hook in api.list()? {
                line(describe(&hook))?;
            }
        }
        HookAction::Verify(IdArg { id, .. }) => line(describe(&api.verify(&id)?))?,
        HookAction::Activate(IdArg { id, .. }) => line(describe(&api.activate(&id)?))?,
        HookAction::Deactivate(IdArg { id, .. }) => line(describe(&api.deactivate(&id)?))?,
        HookAction::Delete(IdArg { id, .. }) => {
            api.delete(&id)?;
            diag.note(&format!("deleted event hook {id}"));
        }
    }
    Ok(ExitCode::Ok)
}

/// A hook URL must be an absolute http(s) URL; Okta itself refuses
/// anything but https (its answer is explained), so only a warning-free
/// syntax check is made here.
pub fn check_url(url: &str) -> Result<(), Failure> {
    match url::Url::parse(url) {
        Ok(u) if matches!(u.scheme(), "https" | "http") && u.host().is_some() => Ok(()),
        _ => Err(Failure::usage(format!(
            "{url:?} is not a hook URL (expected https://HOST/PATH)"
        ))),
    }
}

/// `watch --listen --register URL`: reuse the hook whose URL is `url`
/// (activating it if needed) or create one, then verify it unless Okta
/// has already. Returns the hook's id.
pub fn register(client: &mut OktaClient<'_>, hook: &NewHook, diag: &Diag) -> Result<String> {
    let mut api = EventHooks::new(client);
    let existing = api.list()?.into_iter().find(|h| h.url() == hook.url);
    let mut current = match existing {
        Some(found) => {
            diag.note(&format!("reusing event hook {} for {}", found.id, hook.url));
            if found.is_active() {
                found
            } else {
                api.activate(&found.id)?
            }
        }
        None => {
            let created = api.create(hook)?;
            diag.note(&format!(
                "created event hook {} for {}",
                created.id, hook.url
            ));
            created
        }
    };
    if !current.is_verified() {
        current = api.verify(&current.id)?;
    }
    diag.note(&format!(
        "event hook {} is {} and {}",
        current.id, current.status, current.verification_status
    ));
    Ok(current.id)
}

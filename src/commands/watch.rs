//! `oksms watch`: follow the System Log live, or receive Okta event hooks
//! (`--listen`). Both render through the same sinks as `parse`.
//!
//! The flags are grouped: [`ListenArgs`] for the event-hook receiver, the
//! state flags shared by both sources, (next to them, from their own issue)
//! the polling flags, and the audit flags ([`AuditArgs`], rendered through
//! [`crate::watch::live`] in both modes).

use crate::audit::{self, AuditArgs};
use crate::diag::Diag;
use crate::exit::{ExitCode, Failure};
use crate::hooks::{self, ListenConfig};
use crate::output;
use crate::settings::api::ApiArgs;
use crate::settings::{EventTypeArgs, GlobalArgs, OutputArgs};
use crate::watch::durable::DurableFile;
use crate::watch::live::{DEFAULT_EVERY, Live, LiveOptions};
use crate::watch::lock::{self, StateLock, Written};
use anyhow::Result;
use clap::Args;
use std::io::IsTerminal;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

/// Follow the System Log live, or receive Okta event hooks.
///
/// With `--listen ADDR`, oksms is the HTTP endpoint of an Okta event hook:
/// it answers the one-time verification, checks each delivery's secret,
/// appends it to `--capture` (fsynced before answering 200), drops
/// duplicates (kept across restarts with `--state`) and prints the records.
///
/// The audit flags work live: findings of `--alert` rules are reported on
/// stderr as soon as the page or delivery that fired them is written, and
/// the exit code is 3 at the end (130 after SIGINT/SIGTERM) when any fired.
/// `--group-by` prints the summary every `--every` (redrawn in place on a
/// terminal). `--mask` masks what is written to stdout only: the
/// `--archive` and `--capture` files keep the raw events as evidence.
///
/// Polling several orgs (`--profile a,b` or `--all-profiles`): one fetcher
/// per org, one output, one --state file with a section per profile; an org
/// that fails is reported by name and the others go on.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  oksms watch --alert 'sends-per-phone > 5 within 1h' --alert 'denied > 0'\n  oksms watch --group-by phone --every 5m -o csv >> phones.csv\n  OKTA_HOOK_SECRET='Basic czNjcmV0' oksms watch --listen 127.0.0.1:8080 \\\n      --secret-env OKTA_HOOK_SECRET --capture hooks.ndjson --state hooks.state"
)]
pub struct WatchArgs {
    #[command(flatten)]
    pub poll: Box<crate::watch::PollArgs>,
    #[command(flatten)]
    pub listen: Box<ListenArgs>,
    /// Keep the de-duplication memory (and, when polling, the checkpoint)
    /// in FILE across restarts; written atomically.
    #[arg(long, value_name = "FILE")]
    pub state: Option<PathBuf>,
    /// Start over: ignore an existing --state file (it is replaced).
    #[arg(long, requires = "state")]
    pub reset_state: bool,
    #[command(flatten)]
    pub events: EventTypeArgs,
    #[command(flatten)]
    pub output: OutputArgs,
    #[command(flatten)]
    pub audit: AuditArgs,
    /// With --group-by: print the summary again this often (10s, 5m, 1h);
    /// on a terminal it is redrawn in place, also when records arrive.
    #[arg(long, default_value = DEFAULT_EVERY, value_parser = parse_every, requires = "group_by", value_name = "DURATION", help_heading = "Audit")]
    pub every: Duration,
}

/// `--every`: a duration (see [`crate::human`]) of at least 100ms.
fn parse_every(text: &str) -> Result<Duration, String> {
    crate::human::duration_in(
        text,
        (Duration::from_millis(100), "100ms"),
        (Duration::from_secs(86_400), "24h"),
    )
}

/// The event-hook receiver's flags.
#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "Event hooks")]
pub struct ListenArgs {
    /// Receive Okta event hooks on ADDR (e.g. 127.0.0.1:8080; port 0 picks
    /// a free port, printed on stderr) instead of polling.
    #[arg(long, value_name = "ADDR", conflicts_with_all = ApiArgs::IDS)]
    pub listen: Option<SocketAddr>,
    /// The request path Okta's hook registration points at.
    #[arg(long, default_value = hooks::DEFAULT_PATH, requires = "listen", value_name = "PATH")]
    pub path: String,
    /// Read the hook's secret (the whole header value Okta sends, e.g.
    /// `Basic czNjcmV0`) from this environment variable. Required.
    #[arg(long, requires = "listen", value_name = "VAR")]
    pub secret_env: Option<String>,
    /// The header that carries the secret.
    #[arg(
        long,
        default_value = "Authorization",
        requires = "listen",
        value_name = "NAME"
    )]
    pub auth_header: String,
    /// Refuse bodies larger than SIZE with 413 (bytes, or with KiB/MiB).
    #[arg(long, default_value = "10MiB", value_parser = crate::settings::api::parse_page_size, requires = "listen", value_name = "SIZE")]
    pub max_body: usize,
    /// Append each delivery (envelope, redacted headers, receive time) as
    /// one NDJSON line to FILE, fsynced before the 200 answer. The file is
    /// valid input for `oksms parse` and `oksms replay`. It is the raw
    /// evidence: --mask does not apply to it.
    #[arg(long, requires = "listen", value_name = "FILE")]
    pub capture: Option<PathBuf>,
    /// Keep at most N connections open at once; more wait to be accepted.
    /// Lowered (with a warning) to stay below the open-file limit.
    #[arg(long, default_value_t = hooks::conn::DEFAULT_MAX_CONNECTIONS, value_parser = parse_connections, requires = "listen", value_name = "N")]
    pub max_connections: usize,
    /// Close a connection whose request headers are not complete within
    /// DURATION (Okta sends a whole delivery within 3s).
    #[arg(long, default_value = "3s", value_parser = parse_timeout, requires = "listen", value_name = "DURATION")]
    pub header_timeout: Duration,
    /// Answer 408 to a delivery whose body is not complete within DURATION
    /// after its headers.
    #[arg(long, default_value = "10s", value_parser = parse_timeout, requires = "listen", value_name = "DURATION")]
    pub body_timeout: Duration,
    /// Close a connection that moved no bytes and had no request in
    /// progress for DURATION (keep-alive idle, a client not reading).
    #[arg(long, default_value = "30s", value_parser = parse_timeout, requires = "listen", value_name = "DURATION")]
    pub idle_timeout: Duration,
    /// Serve HTTPS with this PEM certificate chain (leaf first, e.g.
    /// certbot's fullchain.pem); reloaded on SIGHUP. Okta only calls
    /// https:// URLs: without TLS, put a TLS proxy in front.
    #[arg(long, requires_all = ["listen", "tls_key"], value_name = "FILE")]
    pub tls_cert: Option<PathBuf>,
    /// The PEM private key of --tls-cert (PKCS#8, RSA or EC).
    #[arg(long, requires_all = ["listen", "tls_cert"], value_name = "FILE")]
    pub tls_key: Option<PathBuf>,
    /// On start, make Okta deliver here: reuse the org's event hook for
    /// this https:// URL or create one (for the SMS event, with the
    /// --secret-env secret in --auth-header), and verify it while the
    /// listener answers. Needs the org and credentials (--org, token or
    /// service app with scope okta.eventHooks.manage).
    #[arg(long, requires = "listen", value_name = "URL")]
    pub register: Option<String>,
    /// With --register: deactivate the hook on SIGINT/SIGTERM (Okta then
    /// stops delivering; it keeps no backlog for an inactive hook).
    #[arg(long, requires = "register")]
    pub deregister_on_exit: bool,
}

/// `--max-connections`: 1 to 65536.
fn parse_connections(text: &str) -> Result<usize, String> {
    match text.trim().parse::<usize>() {
        Ok(n) if (1..=65_536).contains(&n) => Ok(n),
        _ => Err(format!("{text:?} is not a connection count (1 to 65536)")),
    }
}

/// The listener's timeouts: a duration (see [`crate::human`]) from 100ms
/// to 1h.
fn parse_timeout(text: &str) -> Result<Duration, String> {
    crate::human::duration_in(
        text,
        (Duration::from_millis(100), "100ms"),
        (Duration::from_secs(3600), "1h"),
    )
}

impl ListenArgs {
    /// Resolves the flags (and reads the secret from the environment).
    pub fn config(
        &self,
        addr: SocketAddr,
        state: Option<PathBuf>,
        reset_state: bool,
    ) -> Result<ListenConfig, Failure> {
        let var = self.secret_env.as_deref().ok_or_else(|| {
            Failure::usage(
                "--listen needs --secret-env VAR: the environment variable holding the secret \
                 Okta sends in the Authorization header (see the hook's authScheme)",
            )
        })?;
        let secret = crate::secret::headers::from_env(var)?;
        if axum::http::HeaderName::from_bytes(self.auth_header.as_bytes()).is_err() {
            return Err(Failure::usage(format!(
                "--auth-header {:?} is not a valid header name",
                self.auth_header
            )));
        }
        hooks::server::check_path(&self.path).map_err(Failure::usage)?;
        Ok(ListenConfig {
            addr,
            path: self.path.clone(),
            auth_header: self.auth_header.to_ascii_lowercase(),
            secret,
            max_body: self.max_body,
            capture: self.capture.clone(),
            state,
            reset_state,
            limits: hooks::conn::Limits {
                max_connections: self.max_connections,
                header_timeout: self.header_timeout,
                body_timeout: self.body_timeout,
                idle_timeout: self.idle_timeout,
            },
            tls: match (&self.tls_cert, &self.tls_key) {
                (Some(cert), Some(key)) => Some(hooks::tls::TlsFiles {
                    cert: cert.clone(),
                    key: key.clone(),
                }),
                _ => None,
            },
        })
    }
}

/// Runs `oksms watch`: checks the output and audit flags, then polls the
/// System Log or, with `--listen`, receives event hooks.
pub fn execute(args: WatchArgs, global: &GlobalArgs, diag: &Diag) -> Result<ExitCode> {
    let settings = args.output.settings(global)?;
    refuse_json_to_a_state_file(
        &settings,
        args.state.is_some(),
        DurableFile::stdout().is_some(),
    )?;
    // A bad rule or audit flag is a usage error before anything starts.
    audit::Pipeline::new(&args.audit, &settings, Box::new(std::io::sink()), diag)?;
    let live = LiveOptions {
        every: args.every,
        terminal: std::io::stdout().is_terminal(),
    };
    match args.listen.listen {
        Some(addr) => listen(&args, addr, &settings, live, diag),
        None => poll(&args, &settings, live, global, diag),
    }
}

/// Polls the System Log of one org, or of several (`--profile a,b`,
/// `--all-profiles`), holding the `--state` lock (checked against
/// `--archive` and stdout) for the whole run.
fn poll(
    args: &WatchArgs,
    settings: &output::OutputSettings,
    live: LiveOptions,
    global: &GlobalArgs,
    diag: &Diag,
) -> Result<ExitCode> {
    let mut configs = args.poll.configs(
        &args.events.filter(),
        args.state.clone(),
        args.reset_state,
        chrono::Utc::now(),
        diag,
    )?;
    let _lock = lock_state(
        args.state.as_deref(),
        "--archive",
        args.poll.archive.as_deref(),
    )?;
    if configs.len() > 1 {
        return crate::watch::run_several(
            configs,
            settings,
            &args.audit,
            live,
            args.events.filter(),
            &|| global.diag(),
            diag,
        );
    }
    let config = configs.remove(0);
    crate::watch::run(
        config,
        settings,
        &args.audit,
        live,
        args.events.filter(),
        global.diag(),
        diag,
    )
}

/// Receives Okta event hooks on `addr` (`--listen`), holding the `--state`
/// lock (checked against `--capture` and stdout); with `--register`, makes
/// Okta deliver here and, with `--deregister-on-exit`, deactivates the hook
/// at the end. The exit code is the worse of the receiver's and the
/// findings'.
fn listen(
    args: &WatchArgs,
    addr: SocketAddr,
    settings: &output::OutputSettings,
    live: LiveOptions,
    diag: &Diag,
) -> Result<ExitCode> {
    let config = args
        .listen
        .config(addr, args.state.clone(), args.reset_state)?;
    let _lock = lock_state(
        args.state.as_deref(),
        "--capture",
        args.listen.capture.as_deref(),
    )?;
    // Masking applies here, to stdout; the capture keeps the raw deliveries.
    let mut sink = Live::new(
        &args.audit,
        settings,
        output::stdout(),
        live,
        diag,
        |settings, out| Ok(output::make_sink(settings, out)),
    )?;
    let tick = (!args.audit.group_by.is_empty()).then_some(live.every.min(SUMMARY_TICK));
    let registration = match &args.listen.register {
        Some(url) => Some(Registration::new(args, &config, url)?),
        None => None,
    };
    let (served, hook_id) = serve_registering(
        config,
        &mut sink,
        args.events.filter(),
        tick,
        registration.as_ref(),
        diag,
    );
    if let (Some(r), Some(id)) = (&registration, hook_id)
        && args.listen.deregister_on_exit
    {
        r.deactivate_reporting(&id, diag);
    }
    let code = served?;
    // The sink was finished by the receiver: this is the findings' verdict.
    let findings = sink.finish_with_code()?;
    Ok(code.worst(findings))
}

/// Serves the hook receiver until it stops; with a `registration`, registers
/// the hook once the address is bound (Okta's verification call needs the
/// receiver answering). Returns the receiver's outcome and the id of the
/// hook registered, if the registration got that far.
fn serve_registering(
    config: ListenConfig,
    sink: &mut (dyn output::Sink + Send),
    filter: crate::input::EventTypeFilter,
    tick: Option<Duration>,
    registration: Option<&Registration>,
    diag: &Diag,
) -> (Result<ExitCode>, Option<String>) {
    let registered = std::sync::Mutex::new(None::<String>);
    let ready: Option<hooks::server::Ready<'_>> = registration.map(|r| {
        let registered = &registered;
        Box::new(move || {
            let id = r.register(diag)?;
            *registered.lock().unwrap_or_else(|e| e.into_inner()) = Some(id);
            Ok(())
        }) as hooks::server::Ready<'_>
    });
    let served = hooks::server::serve_then(config, sink, filter, tick, diag, ready);
    let hook_id = registered.into_inner().unwrap_or_else(|e| e.into_inner());
    (served, hook_id)
}

/// What `--register` needs: the org flags and the hook to register.
struct Registration {
    org: crate::config::OrgArgs,
    hook: crate::okta::event_hooks::NewHook,
}

impl Registration {
    fn new(args: &WatchArgs, config: &ListenConfig, url: &str) -> Result<Registration, Failure> {
        crate::commands::hook::check_url(url)?;
        Ok(Registration {
            org: args.poll.api.org.clone(),
            hook: crate::okta::event_hooks::NewHook {
                name: "oksms watch".into(),
                url: url.to_string(),
                auth_header: args.listen.auth_header.clone(),
                secret: config.secret.clone(),
                events: vec![crate::okta::event_hooks::SMS_EVENT.into()],
            },
        })
    }

    fn register(&self, diag: &Diag) -> Result<String> {
        let mut client = crate::commands::hook::client(&self.org, diag, diag)?;
        crate::commands::hook::register(&mut client, &self.hook, diag)
    }

    fn deregister(&self, id: &str, diag: &Diag) -> Result<()> {
        let mut client = crate::commands::hook::client(&self.org, diag, diag)?;
        crate::okta::event_hooks::EventHooks::new(&mut client).deactivate(id)?;
        Ok(())
    }

    /// Deactivates hook `id` (`--deregister-on-exit`), saying on stderr
    /// whether it worked: a failure is a warning, not the run's outcome.
    fn deactivate_reporting(&self, id: &str, diag: &Diag) {
        match self.deregister(id, diag) {
            Ok(()) => diag.note(&format!("deactivated event hook {id}")),
            Err(e) => diag.warn(&format!("could not deactivate event hook {id}: {e:#}")),
        }
    }
}

/// `-o json` with `--state` and stdout a regular file is refused (issue 12,
/// item 15): a JSON array is only valid once closed, and a killed run's
/// file is cut back to the checkpoint, which leaves an unclosed array that
/// is followed by the next run's array; neither `parse` nor `jq` read that
/// back whole. NDJSON has no such framing: every line stands alone.
fn refuse_json_to_a_state_file(
    settings: &output::OutputSettings,
    state: bool,
    stdout_is_file: bool,
) -> Result<(), Failure> {
    if settings.format == output::Format::Json && state && stdout_is_file {
        return Err(Failure::usage(
            "-o json cannot be appended to a file with --state: after a crash or a restart \
             the file would hold unclosed or several JSON arrays, which parse and jq cannot \
             read back whole. Use -o ndjson (one record per line) for files",
        ));
    }
    Ok(())
}

/// Checks that the `--state` file is none of the files written (`flag`'s
/// file, stdout) and takes its lock, held while the returned value lives.
fn lock_state(
    state: Option<&std::path::Path>,
    flag: &str,
    written: Option<&std::path::Path>,
) -> Result<Option<StateLock>> {
    let Some(state) = state else {
        return Ok(None);
    };
    let mut files = Vec::new();
    if let Some(path) = written {
        files.push(Written::Path(flag, path));
    }
    if let Some(mark) = DurableFile::stdout().and_then(|f| f.mark().ok()) {
        files.push(Written::Stdout(mark.dev, mark.ino));
    }
    lock::check_distinct(state, &files)?;
    Ok(Some(lock::acquire(state)?))
}

/// How often the receiver's summary checks whether `--every` has passed.
const SUMMARY_TICK: Duration = Duration::from_secs(1);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_is_refused_only_into_a_file_with_state() {
        let settings = |format| output::OutputSettings::plain(format);
        let json = settings(output::Format::Json);
        assert!(refuse_json_to_a_state_file(&json, true, true).is_err());
        assert!(refuse_json_to_a_state_file(&json, false, true).is_ok());
        assert!(refuse_json_to_a_state_file(&json, true, false).is_ok());
        let nd = settings(output::Format::Ndjson);
        assert!(refuse_json_to_a_state_file(&nd, true, true).is_ok());
    }

    #[test]
    fn listener_limits_are_checked() {
        assert_eq!(parse_timeout("3s"), Ok(Duration::from_secs(3)));
        assert!(parse_timeout("0s").is_err());
        assert!(parse_timeout("2h").is_err());
        assert_eq!(parse_connections("512"), Ok(512));
        assert!(parse_connections("0").is_err());
        assert!(parse_connections("x").is_err());
    }
}

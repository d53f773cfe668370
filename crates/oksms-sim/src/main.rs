//! `oksms-sim`: run the simulated Okta org by hand for demos and the
//! benchmark (`serve`), or write its generated LogEvents to stdout for
//! benchmarks (`generate`, streamed: a million events need constant memory).
//!
//! Messages go to stderr; exit codes: 0 success, 1 error, 2 usage error
//! (clap's, and an unset `--token-env` variable or a bad `--end`).

use anyhow::{Context, Result};
use clap::{Args, Parser, Subcommand, ValueEnum};
use oksms_sim::generator::{Timeline, parse_instant};
use oksms_sim::{ServiceApp, SimConfig, SimOrg};
use std::io::Write;
use std::path::PathBuf;
use std::time::Duration;

/// Run the simulated Okta org, or write its generated events (for the
/// tests, the benchmark and demos of oksms).
#[derive(Debug, Parser)]
#[command(name = "oksms-sim", version, max_term_width = 100)]
pub struct SimArgs {
    #[command(subcommand)]
    pub command: SimCommand,
}

#[derive(Debug, Subcommand)]
pub enum SimCommand {
    /// Serve a simulated org on 127.0.0.1 until Ctrl-C; its URL goes to stderr.
    Serve(ServeArgs),
    /// Write generated LogEvents to stdout.
    Generate(GenerateEventsArgs),
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Port on 127.0.0.1 (0 picks a free one).
    #[arg(long, default_value_t = 0)]
    pub port: u16,
    /// Events the org holds at the start.
    #[arg(long, default_value_t = 10_000)]
    pub events: usize,
    /// Seed of the event generator.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// The /api/v1/logs bucket per minute.
    #[arg(long, default_value_t = 120)]
    pub rate_limit: u32,
    /// Cap one token to this percentage of the bucket.
    #[arg(long, value_parser = clap::value_parser!(u8).range(1..=100))]
    pub token_cap_percent: Option<u8>,
    /// Run the org's clock (and Date header) this many seconds ahead (negative: behind).
    #[arg(long, default_value_t = 0, allow_hyphen_values = true)]
    pub clock_skew: i64,
    /// How many of the events persist two minutes late.
    #[arg(long, default_value_t = 0)]
    pub late_events: usize,
    /// Added latency per /api/v1/logs response, in milliseconds.
    #[arg(long, default_value_t = 0)]
    pub latency_ms: u64,
    /// Name of the environment variable holding the SSWS token to accept.
    #[arg(long, value_name = "VAR")]
    pub token_env: Option<String>,
    /// Register a service app with this client id (needs --public-key).
    #[arg(long, requires = "public_key")]
    pub client_id: Option<String>,
    /// The service app's public key (PEM file, RSA or EC).
    #[arg(long, requires = "client_id")]
    pub public_key: Option<PathBuf>,
    /// Issue DPoP-bound tokens to the service app.
    #[arg(long, requires = "client_id")]
    pub dpop: bool,
    /// TLS mode: make a throw-away CA, serve HTTPS, trust the CA when
    /// calling hooks, and write into DIR `ca.pem` (for OKSMS_CA_FILE) and
    /// `hook-cert.pem`, `hook-key.pem` (for watch --tls-cert/--tls-key).
    #[arg(long, value_name = "DIR")]
    pub tls_dir: Option<PathBuf>,
    /// Accept http:// event hook URLs (Okta accepts only https://).
    #[arg(long)]
    pub allow_http_hooks: bool,
    /// The most events in one hook delivery.
    #[arg(long, default_value_t = 20)]
    pub hook_batch: usize,
    /// Add this many new events every --append-every seconds (delivered
    /// to the active, verified hooks).
    #[arg(long, default_value_t = 0)]
    pub append: usize,
    /// Seconds between two --append rounds.
    #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub append_every: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum EventsFormat {
    /// One event per line.
    Ndjson,
    /// One JSON array, as /api/v1/logs returns.
    Json,
}

#[derive(Debug, Args)]
pub struct GenerateEventsArgs {
    /// How many events.
    #[arg(long)]
    pub count: usize,
    /// Seed (same seed, same events).
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Output shape.
    #[arg(long, value_enum, default_value_t = EventsFormat::Ndjson)]
    pub format: EventsFormat,
    /// The events end before this instant (RFC 3339).
    #[arg(long, default_value = "2025-01-01T00:00:00Z")]
    pub end: String,
    /// The events span this many days before --end.
    #[arg(long, default_value_t = 30)]
    pub span_days: u32,
    /// Make this percentage of the events SMS sends and the rest other
    /// event types, as in a whole-org export (where SMS sends are about 1%);
    /// without it, the SMS-heavy default mix.
    #[arg(long, value_name = "PERCENT")]
    pub sms_percent: Option<f64>,
}

/// A bad value in an argument clap cannot check: exit code 2, as clap's own.
#[derive(Debug)]
struct UsageError(String);

impl std::fmt::Display for UsageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for UsageError {}

fn main() {
    let args = SimArgs::parse();
    let result = match args.command {
        SimCommand::Serve(a) => serve(a),
        SimCommand::Generate(a) => generate(a),
    };
    if let Err(err) = result {
        if is_broken_pipe(&err) {
            // the reader went away (`| head`): not an error
            std::process::exit(0);
        }
        eprintln!("oksms-sim: error: {err:#}");
        let usage = err.downcast_ref::<UsageError>().is_some();
        std::process::exit(if usage { 2 } else { 1 });
    }
}

/// True when the error is a write to a closed pipe, directly or inside a
/// `serde_json` error.
fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        let kind = if let Some(io) = cause.downcast_ref::<std::io::Error>() {
            Some(io.kind())
        } else {
            cause
                .downcast_ref::<serde_json::Error>()
                .and_then(serde_json::Error::io_error_kind)
        };
        kind == Some(std::io::ErrorKind::BrokenPipe)
    })
}

fn serve(args: ServeArgs) -> Result<()> {
    let ssws_token = token_from_env(args.token_env.as_deref())?;
    let service_app = match (&args.client_id, &args.public_key) {
        (Some(id), Some(path)) => Some(ServiceApp {
            client_id: id.clone(),
            public_key_pem: std::fs::read_to_string(path)
                .with_context(|| format!("cannot read {}", path.display()))?,
            dpop: args.dpop,
        }),
        _ => None,
    };
    let (tls, hook_trust) = match &args.tls_dir {
        None => (None, Vec::new()),
        Some(dir) => test_ca(dir)?,
    };
    let org = SimOrg::start(SimConfig {
        tls,
        hook_trust,
        allow_http_hooks: args.allow_http_hooks,
        hook_batch: args.hook_batch.max(1),
        seed: args.seed,
        event_count: args.events,
        rate_limit_per_minute: args.rate_limit,
        token_cap_percent: args.token_cap_percent,
        clock_skew_secs: args.clock_skew,
        latency: Duration::from_millis(args.latency_ms),
        ssws_token,
        service_app,
        late_events: args.late_events,
        port: args.port,
        ..SimConfig::default()
    })?;
    eprintln!(
        "oksms-sim: note: simulated Okta org serving {} events at {} (Ctrl-C stops it)",
        args.events,
        org.base_url()
    );
    run_until_ctrl_c(&org, args.append, args.append_every)?;
    drop(org);
    Ok(())
}

/// The SSWS token from the variable `--token-env` names (none without it);
/// a usage error when that variable is unset or blank.
fn token_from_env(var: Option<&str>) -> Result<Option<String>> {
    let Some(var) = var else {
        return Ok(None);
    };
    match std::env::var(var) {
        Ok(t) if !t.trim().is_empty() => Ok(Some(t.trim().to_string())),
        _ => Err(UsageError(format!(
            "the environment variable {var} named by --token-env is not set"
        ))
        .into()),
    }
}

/// `--tls-dir`: a test CA, with the CA and a hook receiver's certificate
/// and key written into `dir`; returns the org's certificate and the CA to
/// trust when calling hooks.
fn test_ca(dir: &std::path::Path) -> Result<(Option<oksms_sim::tls::Issued>, Vec<String>)> {
    let ca = oksms_sim::tls::TestCa::new("oksms-sim test CA")?;
    let hook = ca.issue(&["127.0.0.1", "localhost"])?;
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    for (name, text) in [
        ("ca.pem", ca.cert_pem()),
        ("hook-cert.pem", hook.cert_pem.clone()),
        ("hook-key.pem", hook.key_pem.clone()),
    ] {
        let path = dir.join(name);
        std::fs::write(&path, text).with_context(|| format!("cannot write {}", path.display()))?;
    }
    Ok((
        Some(ca.issue(&["127.0.0.1", "localhost"])?),
        vec![ca.cert_pem()],
    ))
}

/// Serves until Ctrl-C, appending `append` events every `every` seconds
/// (none when 0).
fn run_until_ctrl_c(org: &SimOrg, append: usize, every: u64) -> Result<()> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime
        .block_on(async {
            let rounds = async {
                if append == 0 {
                    return std::future::pending::<()>().await;
                }
                let mut every = tokio::time::interval(Duration::from_secs(every));
                every.tick().await;
                loop {
                    every.tick().await;
                    org.append_events(append);
                }
            };
            tokio::select! {
                signal = tokio::signal::ctrl_c() => signal,
                _ = rounds => Ok(()),
            }
        })
        .context("cannot wait for Ctrl-C")?;
    Ok(())
}

fn generate(args: GenerateEventsArgs) -> Result<()> {
    let end = parse_instant(&args.end)
        .ok_or_else(|| UsageError(format!("--end {:?} is not an RFC 3339 time", args.end)))?;
    let start = end - i64::from(args.span_days) * 86_400_000;
    let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    let json = args.format == EventsFormat::Json;
    if json {
        out.write_all(b"[")?;
    }
    let mut timeline = Timeline::new(args.seed, args.count, start, end);
    if let Some(percent) = args.sms_percent {
        timeline = timeline.with_sms_percent(percent);
    }
    for (i, (_, event)) in timeline.enumerate() {
        if json && i > 0 {
            out.write_all(b",")?;
        }
        if json {
            out.write_all(b"\n")?;
        }
        serde_json::to_writer(&mut out, &event)?;
        if !json {
            out.write_all(b"\n")?;
        }
    }
    if json {
        out.write_all(b"\n]\n")?;
    }
    out.flush()?;
    Ok(())
}

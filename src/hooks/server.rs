//! The HTTP side of the receiver (axum on tokio): the verification GET,
//! the delivery POST, `/healthz`, 404/405 for everything else, the
//! graceful shutdown on SIGINT/SIGTERM and, with TLS, the certificate
//! reload on SIGHUP. Handlers only check and parse; the
//! [`DeliveryRecorder`] thread records.

use super::ListenConfig;
use super::auth::Secret;
use super::conn;
use super::dedupe::{self, DEFAULT_CAPACITY, Memory};
use super::delivery::{Incoming, headers_json};
use super::tls::Reloadable;
use super::writer::{DeliveryRecorder, Job, Msg, RecorderStats, Reply};
use crate::diag::Diag;
use crate::exit::ExitCode;
use crate::input::EventTypeFilter;
use crate::output::Sink;
use anyhow::{Context, Result};
use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Json, Response};
use axum::routing::get;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;
use tokio::sync::{Notify, mpsc, oneshot, watch};

/// How long open connections may take to finish after a shutdown signal.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(10);

/// Requests refused before they reached the writer.
#[derive(Debug, Default)]
struct Refused {
    unauthorized: AtomicU64,
    too_large: AtomicU64,
    malformed: AtomicU64,
    /// Bodies not complete within the body-read timeout (408).
    slow: AtomicU64,
}

#[derive(Clone)]
struct App {
    queue: mpsc::UnboundedSender<Msg>,
    secret: Secret,
    auth_header: String,
    max_body: usize,
    body_timeout: Duration,
    refused: Arc<Refused>,
}

/// Checks that `path` can be the event-hook route.
pub fn check_path(path: &str) -> Result<(), String> {
    if !path.starts_with('/') {
        return Err(format!("--path {path:?} must start with '/'"));
    }
    if path == "/healthz" {
        return Err("--path cannot be /healthz (used for health checks)".into());
    }
    if path.contains(['{', '}', '*', '?', '#']) || path.chars().any(char::is_whitespace) {
        return Err(format!(
            "--path {path:?} must be a plain path (no {{ }} * ? # or spaces)"
        ));
    }
    Ok(())
}

/// The routes.
fn router(app: App, path: &str) -> Router {
    Router::new()
        .route(path, get(verify).post(deliver))
        .route("/healthz", get(|| async { "ok\n" }))
        .with_state(app)
}

/// Okta's one-time verification: echo the challenge.
async fn verify(headers: HeaderMap) -> Response {
    match headers
        .get("x-okta-verification-challenge")
        .and_then(|v| v.to_str().ok())
    {
        Some(challenge) => Json(serde_json::json!({ "verification": challenge })).into_response(),
        None => (
            StatusCode::BAD_REQUEST,
            "expected an X-Okta-Verification-Challenge header\n",
        )
            .into_response(),
    }
}

/// One delivery: secret, size, shape, then the writer's verdict.
async fn deliver(State(app): State<App>, headers: HeaderMap, body: Body) -> Response {
    if !app.secret.admits(&headers, &app.auth_header) {
        app.refused.unauthorized.fetch_add(1, Ordering::Relaxed);
        return (StatusCode::UNAUTHORIZED, "missing or wrong secret\n").into_response();
    }
    let too_large = || {
        app.refused.too_large.fetch_add(1, Ordering::Relaxed);
        (StatusCode::PAYLOAD_TOO_LARGE, "delivery too large\n").into_response()
    };
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > app.max_body as u64) {
        return too_large();
    }
    let read = tokio::time::timeout(app.body_timeout, axum::body::to_bytes(body, app.max_body));
    let bytes = match read.await {
        Ok(Ok(bytes)) => bytes,
        Ok(Err(_)) => return too_large(),
        Err(_) => {
            app.refused.slow.fetch_add(1, Ordering::Relaxed);
            return (
                StatusCode::REQUEST_TIMEOUT,
                [(header::CONNECTION, "close")],
                "the body did not arrive in time\n",
            )
                .into_response();
        }
    };
    let incoming = match Incoming::parse(&bytes) {
        Ok(incoming) => incoming,
        Err(reason) => {
            app.refused.malformed.fetch_add(1, Ordering::Relaxed);
            return (StatusCode::BAD_REQUEST, format!("{reason}\n")).into_response();
        }
    };
    let (reply, answer) = oneshot::channel();
    let job = Job {
        incoming,
        headers: headers_json(&headers, &app.auth_header),
        received_at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
        reply,
    };
    if app.queue.send(Msg::Delivery(job)).is_err() {
        return (StatusCode::SERVICE_UNAVAILABLE, "shutting down\n").into_response();
    }
    match answer.await {
        Ok(Reply::Recorded) | Ok(Reply::Duplicate) => StatusCode::OK.into_response(),
        Ok(Reply::Failed) | Err(_) => {
            (StatusCode::INTERNAL_SERVER_ERROR, "not recorded; retry\n").into_response()
        }
    }
}

/// SIGINT and SIGTERM, registered before "listening on" is printed, so a
/// signal sent as soon as the address is known is never the default
/// (immediate) death.
struct Signals {
    #[cfg(unix)]
    int: tokio::signal::unix::Signal,
    #[cfg(unix)]
    term: tokio::signal::unix::Signal,
    /// SIGHUP, only with TLS (without, SIGHUP keeps its default).
    #[cfg(unix)]
    hup: Option<tokio::signal::unix::Signal>,
}

impl Signals {
    /// Registers the handlers (inside the runtime); SIGHUP with `hup`.
    fn register(hup: bool) -> Result<Signals> {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            Ok(Signals {
                int: signal(SignalKind::interrupt()).context("cannot handle SIGINT")?,
                term: signal(SignalKind::terminate()).context("cannot handle SIGTERM")?,
                hup: if hup {
                    Some(signal(SignalKind::hangup()).context("cannot handle SIGHUP")?)
                } else {
                    None
                },
            })
        }
        #[cfg(not(unix))]
        {
            let _ = hup;
            Ok(Signals {})
        }
    }
}

/// Waits for SIGINT/SIGTERM (sets `interrupted`) or for the writer to stop.
async fn shutdown_signal(mut signals: Signals, stop: Arc<Notify>, interrupted: Arc<AtomicBool>) {
    #[cfg(unix)]
    let (int, term) = (signals.int.recv(), signals.term.recv());
    #[cfg(not(unix))]
    let (int, term) = {
        let _ = &mut signals;
        (tokio::signal::ctrl_c(), std::future::pending::<()>())
    };
    tokio::select! {
        _ = int => interrupted.store(true, Ordering::SeqCst),
        _ = term => interrupted.store(true, Ordering::SeqCst),
        _ = stop.notified() => {}
    }
}

/// Runs the receiver until a signal (exit 130) or an output error. The
/// sink is borrowed (and finished here); with `tick`, it also gets a
/// [`Sink::tick`] that often.
pub fn serve(
    config: ListenConfig,
    sink: &mut (dyn Sink + Send),
    filter: EventTypeFilter,
    tick: Option<Duration>,
    diag: &Diag,
) -> Result<ExitCode> {
    serve_then(config, sink, filter, tick, diag, None)
}

/// Work to run on its own thread once the receiver answers (e.g. the hook
/// registration, whose verification GET the receiver must serve). An
/// error stops the receiver and is returned by [`serve_then`].
pub type Ready<'r> = Box<dyn FnOnce() -> Result<()> + Send + 'r>;

/// [`serve`], running `ready` once the address is bound.
pub fn serve_then(
    config: ListenConfig,
    sink: &mut (dyn Sink + Send),
    filter: EventTypeFilter,
    tick: Option<Duration>,
    diag: &Diag,
    ready: Option<Ready<'_>>,
) -> Result<ExitCode> {
    check_path(&config.path).map_err(crate::exit::Failure::usage)?;
    let writer = open_writer(&config, sink, filter, diag)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind(config.addr))
        .with_context(|| format!("cannot listen on {}", config.addr))?;
    let local = listener.local_addr()?;
    let limits = within_fd_limit(config.limits, diag);
    let (queue, jobs) = mpsc::unbounded_channel();
    if let Some(period) = tick {
        spawn_ticks(&runtime, queue.clone(), period);
    }
    let refused = Arc::new(Refused::default());
    let app = App {
        queue,
        secret: config.secret.clone(),
        auth_header: config.auth_header.clone(),
        max_body: config.max_body,
        body_timeout: config.limits.body_timeout,
        refused: refused.clone(),
    };
    let stop = Arc::new(Notify::new());
    let interrupted = Arc::new(AtomicBool::new(false));
    let tls = match &config.tls {
        Some(files) => Some(Reloadable::new(files.clone())?),
        None => None,
    };
    let mut signals = {
        let _entered = runtime.enter();
        Signals::register(tls.is_some())?
    };
    #[cfg(unix)]
    let hup = signals.hup.take();
    #[cfg(not(unix))]
    let hup: Option<()> = None;
    let acceptor = match &tls {
        Some(tls) => Some(tokio_rustls::TlsAcceptor::from(tls.server_config()?)),
        None => None,
    };
    let scheme = if tls.is_some() { "https" } else { "http" };
    diag.note(&format!("listening on {scheme}://{local}{}", config.path));
    let server = run_server(
        signals,
        reload_on_hangup(hup, tls.clone(), diag),
        listener,
        acceptor,
        router(app, &config.path),
        limits,
        stop.clone(),
        interrupted.clone(),
        diag,
    );
    let (served, written, readied) = run_threads(runtime, server, writer, jobs, ready, &stop);
    served?;
    readied?;
    let stats = written?;
    summary(diag, &stats, &refused);
    if interrupted.load(Ordering::SeqCst) {
        Ok(ExitCode::Interrupted)
    } else {
        Ok(ExitCode::Ok)
    }
}

/// The writer thread's state: the `--state` dedupe memory (loaded unless
/// `--reset-state`), the capture file and the sink.
fn open_writer<'d>(
    config: &ListenConfig,
    sink: &'d mut (dyn Sink + Send),
    filter: EventTypeFilter,
    diag: &'d Diag,
) -> Result<DeliveryRecorder<'d>> {
    let memory = match &config.state {
        Some(path) if !config.reset_state => dedupe::load(path, DEFAULT_CAPACITY)?,
        _ => Memory::new(DEFAULT_CAPACITY),
    };
    DeliveryRecorder::new(
        config.capture.as_deref(),
        config.state.clone(),
        memory,
        sink,
        filter,
        diag,
    )
}

/// `limits` with `--max-connections` lowered (and a warning) to stay below
/// the open-file limit.
fn within_fd_limit(mut limits: conn::Limits, diag: &Diag) -> conn::Limits {
    if let Some(lower) = conn::clamp_to_fd_limit(limits.max_connections, conn::nofile_limit()) {
        diag.warn(&format!(
            "--max-connections {} lowered to {lower} to stay below the open-file limit \
             (ulimit -n)",
            limits.max_connections
        ));
        limits.max_connections = lower;
    }
    limits
}

/// Sends [`Msg::Tick`] to the writer every `period` (at least 10 ms) until
/// the queue closes (the task is dropped with the runtime, like the
/// handlers' senders).
fn spawn_ticks(
    runtime: &tokio::runtime::Runtime,
    ticks: mpsc::UnboundedSender<Msg>,
    period: Duration,
) {
    runtime.spawn(async move {
        let mut interval = tokio::time::interval(period.max(Duration::from_millis(10)));
        interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            interval.tick().await;
            if ticks.send(Msg::Tick).is_err() {
                break;
            }
        }
    });
}

/// Runs the writer and the `ready` work on their own threads and `server`
/// on the runtime until it stops; then drops the runtime (and with it the
/// handlers' queue senders, so the writer drains and finishes) and joins
/// the threads. Returns what the server, the writer and `ready` returned.
fn run_threads(
    runtime: tokio::runtime::Runtime,
    server: impl std::future::Future<Output = Result<()>>,
    writer: DeliveryRecorder<'_>,
    jobs: mpsc::UnboundedReceiver<Msg>,
    ready: Option<Ready<'_>>,
    stop: &Arc<Notify>,
) -> (Result<()>, Result<RecorderStats>, Result<()>) {
    std::thread::scope(|scope| {
        let writer_stop = stop.clone();
        let writer = scope.spawn(move || {
            let result = writer.run(jobs);
            writer_stop.notify_one();
            result
        });
        let ready_stop = stop.clone();
        let ready = ready.map(|work| {
            scope.spawn(move || {
                let result = work();
                if result.is_err() {
                    ready_stop.notify_one();
                }
                result
            })
        });
        let served = runtime.block_on(server);
        runtime.shutdown_timeout(Duration::from_secs(1));
        let written = writer
            .join()
            .unwrap_or_else(|_| Err(anyhow::anyhow!("the writer thread panicked")));
        let readied = match ready {
            Some(thread) => thread
                .join()
                .unwrap_or_else(|_| Err(anyhow::anyhow!("the start-up thread panicked"))),
            None => Ok(()),
        };
        (served, written, readied)
    })
}

/// Reloads the certificate on every SIGHUP (runs until the server stops;
/// pending for ever without TLS).
async fn reload_on_hangup(
    #[cfg(unix)] hup: Option<tokio::signal::unix::Signal>,
    #[cfg(not(unix))] hup: Option<()>,
    tls: Option<Arc<Reloadable>>,
    diag: &Diag,
) {
    #[cfg(unix)]
    if let (Some(mut hup), Some(tls)) = (hup, tls) {
        while hup.recv().await.is_some() {
            match tls.reload() {
                Ok(()) => diag.note("SIGHUP: reloaded the TLS certificate"),
                Err(e) => diag.warn(&format!("SIGHUP: kept the previous TLS certificate: {e:#}")),
            }
        }
    }
    #[cfg(not(unix))]
    let _ = (hup, tls, diag);
    std::future::pending::<()>().await
}

#[allow(clippy::too_many_arguments)]
async fn run_server(
    signals: Signals,
    reload: impl std::future::Future<Output = ()>,
    listener: tokio::net::TcpListener,
    tls: Option<tokio_rustls::TlsAcceptor>,
    app: Router,
    limits: conn::Limits,
    stop: Arc<Notify>,
    interrupted: Arc<AtomicBool>,
    diag: &Diag,
) -> Result<()> {
    let (down_tx, down_rx) = watch::channel(false);
    let signal = async move {
        shutdown_signal(signals, stop, interrupted).await;
        let _ = down_tx.send(true);
    };
    let server = conn::serve(listener, tls, app, limits, down_rx, SHUTDOWN_GRACE);
    tokio::pin!(server);
    let drained = tokio::select! {
        drained = &mut server => drained?,
        _ = signal => server.await?,
        _ = reload => server.await?,
    };
    if !drained {
        diag.warn("connections still open after the shutdown grace period were closed");
    }
    Ok(())
}

fn summary(diag: &Diag, stats: &RecorderStats, refused: &Refused) {
    diag.note(&format!(
        "recorded {} deliveries ({} records, {} of other event types); dropped {} duplicate \
         deliveries and {} duplicate events; refused {} unauthorized, {} too large, {} malformed, {} too slow; \
         {} not recorded (500)",
        stats.deliveries,
        stats.records,
        stats.other_types,
        stats.duplicate_deliveries,
        stats.duplicate_events,
        refused.unauthorized.load(Ordering::Relaxed),
        refused.too_large.load(Ordering::Relaxed),
        refused.malformed.load(Ordering::Relaxed),
        refused.slow.load(Ordering::Relaxed),
        stats.failed,
    ));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_checked() {
        assert!(check_path("/okta/events").is_ok());
        assert!(check_path("okta").is_err());
        assert!(check_path("/healthz").is_err());
        assert!(check_path("/{id}").is_err());
        assert!(check_path("/a b").is_err());
    }
}

//! Connection handling of the receiver: the accept loop and each HTTP/1.1
//! connection, with the limits that keep slow or idle clients from starving
//! real deliveries (issue 12, item 3).
//!
//! `axum::serve` has no header-read timeout, no idle timeout and no cap on
//! open connections: a client that never finishes its headers kept a
//! descriptor and a read buffer for ever, and a few hundred of them
//! exhausted the descriptor limit so Okta's deliveries timed out. Here:
//!
//! - at most [`Limits::max_connections`] connections are open at once (a
//!   semaphore taken before `accept`; beyond it new connections wait in the
//!   kernel's backlog), clamped below the process's descriptor limit;
//! - a connection whose request headers are not complete within
//!   [`Limits::header_timeout`] is closed: timed from the connection's
//!   start for the first request, and from the first byte of each later
//!   one (hyper's own `header_read_timeout` also runs while a keep-alive
//!   connection waits for its next request, so it would close every idle
//!   connection after the header timeout);
//! - a connection with no bytes read or written and no request in progress
//!   for [`Limits::idle_timeout`] is closed (keep-alive idle, a client that
//!   stopped reading the answer);
//! - the request read buffer is bounded ([`MAX_BUF`]), so each slow
//!   connection costs little memory.
//!
//! The body-read timeout is applied by the delivery handler (it answers 408).
//!
//! With TLS (`--tls-cert`), the handshake runs inside the same limits: it
//! must finish, and the first request's headers arrive, within the header
//! timeout from the connection's start; the activity watchdog counts the
//! encrypted bytes.

use anyhow::Result;
use hyper_util::rt::{TokioIo, TokioTimer};
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Semaphore, watch};
use tokio::time::Instant;

/// The default `--max-connections`.
pub const DEFAULT_MAX_CONNECTIONS: usize = 512;
/// The default `--header-timeout`: Okta gives a delivery 3 s in all, so a
/// client that has not sent its headers in 3 s is not Okta.
pub const DEFAULT_HEADER_TIMEOUT: Duration = Duration::from_secs(3);
/// The default `--body-timeout` (reading the whole body after the headers).
pub const DEFAULT_BODY_TIMEOUT: Duration = Duration::from_secs(10);
/// The default `--idle-timeout`.
pub const DEFAULT_IDLE_TIMEOUT: Duration = Duration::from_secs(30);
/// The largest read buffer of one connection (bytes); request headers
/// must fit in it (larger ones get 431). Okta's headers are about 1 KiB.
pub const MAX_BUF: usize = 64 << 10;
/// Descriptors kept free for the capture, state, output and the runtime
/// when the connection cap is clamped to the descriptor limit.
const FD_RESERVE: u64 = 32;
/// How long to wait before accepting again after `accept` failed (e.g.
/// EMFILE), so an error never becomes a busy loop.
const ACCEPT_BACKOFF: Duration = Duration::from_millis(50);

/// The connection limits, from the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Connections open at once (at least 1).
    pub max_connections: usize,
    /// Time to receive a request's complete headers.
    pub header_timeout: Duration,
    /// Time to receive a delivery's complete body, after its headers.
    pub body_timeout: Duration,
    /// Time a connection may stay without traffic and without a request
    /// in progress.
    pub idle_timeout: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_connections: DEFAULT_MAX_CONNECTIONS,
            header_timeout: DEFAULT_HEADER_TIMEOUT,
            body_timeout: DEFAULT_BODY_TIMEOUT,
            idle_timeout: DEFAULT_IDLE_TIMEOUT,
        }
    }
}

/// `max` lowered so that it fits under the soft descriptor limit `nofile`
/// with [`FD_RESERVE`] to spare (at least 1). `None` when no lowering is
/// needed.
pub fn clamp_to_fd_limit(max: usize, nofile: Option<u64>) -> Option<usize> {
    let limit = nofile?;
    let room = limit.saturating_sub(FD_RESERVE).max(1);
    (max as u64 > room).then_some(room as usize)
}

/// The soft `RLIMIT_NOFILE`, when it can be read and is finite.
pub fn nofile_limit() -> Option<u64> {
    #[cfg(unix)]
    {
        let mut lim = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        // SAFETY: getrlimit only writes the struct it is given.
        let ok = unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim) } == 0;
        if ok && lim.rlim_cur != libc::RLIM_INFINITY {
            #[allow(clippy::unnecessary_cast)] // rlim_t is not u64 everywhere
            return Some(lim.rlim_cur as u64);
        }
    }
    None
}

/// Serves `app` on `listener` (over TLS with `tls`) until `down` turns
/// true, then lets open connections finish their request (closing idle
/// ones at once) for at most `grace`. Returns false when some were still
/// open at the end.
pub async fn serve(
    listener: TcpListener,
    tls: Option<tokio_rustls::TlsAcceptor>,
    app: axum::Router,
    limits: Limits,
    mut down: watch::Receiver<bool>,
    grace: Duration,
) -> Result<bool> {
    let cap = limits.max_connections.max(1);
    let slots = Arc::new(Semaphore::new(cap));
    loop {
        let permit = tokio::select! {
            permit = slots.clone().acquire_owned() => permit?,
            _ = down.wait_for(|d| *d) => break,
        };
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            _ = down.wait_for(|d| *d) => break,
        };
        let stream = match accepted {
            Ok((stream, _)) => stream,
            Err(_) => {
                // EMFILE/ENFILE or an aborted handshake: try again shortly.
                drop(permit);
                tokio::time::sleep(ACCEPT_BACKOFF).await;
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        let app = app.clone();
        let down = down.clone();
        let tls = tls.clone();
        tokio::spawn(async move {
            let activity = Arc::new(Activity::new());
            let tracked = Tracked {
                inner: stream,
                activity: activity.clone(),
            };
            match tls {
                None => connection(tracked, activity, app, limits, down).await,
                Some(acceptor) => {
                    // The handshake counts against the header timeout.
                    let handshake =
                        tokio::time::timeout(limits.header_timeout, acceptor.accept(tracked));
                    if let Ok(Ok(stream)) = handshake.await {
                        connection(stream, activity, app, limits, down).await;
                    }
                }
            }
            drop(permit);
        });
    }
    drop(listener);
    let all = u32::try_from(cap).unwrap_or(u32::MAX);
    let drained = tokio::time::timeout(grace, slots.acquire_many(all)).await;
    Ok(matches!(drained, Ok(Ok(_))))
}

/// No request head is being read.
const NO_HEAD: u64 = u64::MAX;

/// When the connection last moved bytes, since when a request head is being
/// read, and how many requests it has in progress (times in milliseconds
/// since the connection's start).
#[derive(Debug)]
struct Activity {
    start: Instant,
    last_ms: AtomicU64,
    head_since_ms: AtomicU64,
    in_flight: AtomicUsize,
}

impl Activity {
    fn new() -> Self {
        Activity {
            start: Instant::now(),
            last_ms: AtomicU64::new(0),
            // the first request's head is awaited from the start
            head_since_ms: AtomicU64::new(0),
            in_flight: AtomicUsize::new(0),
        }
    }
    fn now_ms(&self) -> u64 {
        self.start.elapsed().as_millis() as u64
    }
    fn touch(&self) {
        self.last_ms.store(self.now_ms(), Ordering::Relaxed);
    }
    /// Bytes arrived: a new request head starts unless one is in progress.
    fn bytes_in(&self) {
        self.touch();
        if self.in_flight.load(Ordering::Relaxed) == 0 {
            let _ = self.head_since_ms.compare_exchange(
                NO_HEAD,
                self.now_ms(),
                Ordering::Relaxed,
                Ordering::Relaxed,
            );
        }
    }
    fn idle_since(&self) -> Instant {
        self.start + Duration::from_millis(self.last_ms.load(Ordering::Relaxed))
    }
    /// When the head being read must be complete, if one is being read.
    fn head_deadline(&self, timeout: Duration) -> Option<Instant> {
        match self.head_since_ms.load(Ordering::Relaxed) {
            NO_HEAD => None,
            ms => Some(self.start + Duration::from_millis(ms) + timeout),
        }
    }
}

/// A request in progress (counted while the handler runs).
struct InFlight(Arc<Activity>);

impl InFlight {
    fn enter(activity: &Arc<Activity>) -> Self {
        activity.in_flight.fetch_add(1, Ordering::Relaxed);
        activity.head_since_ms.store(NO_HEAD, Ordering::Relaxed);
        InFlight(activity.clone())
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.in_flight.fetch_sub(1, Ordering::Relaxed);
        self.0.touch();
    }
}

/// One connection: HTTP/1.1 with the watchdog for the header-read and
/// idle timeouts; closed gracefully when the server goes down.
async fn connection<S>(
    stream: S,
    activity: Arc<Activity>,
    app: axum::Router,
    limits: Limits,
    mut down: watch::Receiver<bool>,
) where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let io = TokioIo::new(stream);
    let service_activity = activity.clone();
    let service = hyper::service::service_fn(move |request| {
        let guard = InFlight::enter(&service_activity);
        let mut app = app.clone();
        async move {
            let response =
                tower_service::Service::call(&mut app, request.map(axum::body::Body::new)).await;
            drop(guard);
            response
        }
    });
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(None)
        .max_buf_size(MAX_BUF)
        .keep_alive(true);
    let conn = builder.serve_connection(io, service);
    tokio::pin!(conn);
    let mut closing = false;
    loop {
        let idle_deadline = activity.idle_since() + limits.idle_timeout;
        let deadline = match activity.head_deadline(limits.header_timeout) {
            Some(head) => head.min(idle_deadline),
            None => idle_deadline,
        };
        tokio::select! {
            _ = conn.as_mut() => return,
            _ = tokio::time::sleep_until(deadline) => {
                let now = Instant::now();
                let waiting = activity.in_flight.load(Ordering::Relaxed) == 0;
                if waiting
                    && activity
                        .head_deadline(limits.header_timeout)
                        .is_some_and(|head| head <= now)
                {
                    return; // headers not complete in time: close
                }
                let idle = waiting && activity.idle_since() + limits.idle_timeout <= now;
                if !idle {
                    continue;
                }
                if closing {
                    return; // it did not close when asked: drop it
                }
                conn.as_mut().graceful_shutdown();
                closing = true;
                activity.touch();
            }
            _ = down.wait_for(|d| *d), if !closing => {
                conn.as_mut().graceful_shutdown();
                closing = true;
            }
        }
    }
}

/// The TCP stream, noting the time of every read or write that moved bytes.
struct Tracked {
    inner: TcpStream,
    activity: Arc<Activity>,
}

impl AsyncRead for Tracked {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let before = buf.filled().len();
        let polled = Pin::new(&mut self.inner).poll_read(cx, buf);
        if matches!(polled, Poll::Ready(Ok(()))) && buf.filled().len() > before {
            self.activity.bytes_in();
        }
        polled
    }
}

impl AsyncWrite for Tracked {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        let polled = Pin::new(&mut self.inner).poll_write(cx, buf);
        if matches!(polled, Poll::Ready(Ok(n)) if n > 0) {
            self.activity.touch();
        }
        polled
    }
    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }
    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cap_is_clamped_below_the_descriptor_limit() {
        assert_eq!(clamp_to_fd_limit(512, Some(256)), Some(224));
        assert_eq!(clamp_to_fd_limit(100, Some(256)), None);
        assert_eq!(clamp_to_fd_limit(512, None), None);
        assert_eq!(clamp_to_fd_limit(512, Some(10)), Some(1));
    }
}

//! The Okta event-hook receiver behind `oksms watch --listen`: an HTTP
//! endpoint that answers Okta's one-time verification, checks the shared
//! secret of each delivery, makes the delivery durable (capture file fsynced
//! with group commit, de-duplication state saved atomically) before it
//! answers 200, and renders the delivered events through the normal sinks.
//!
//! The pieces: [`auth`] (constant-time secret check), [`delivery`] (reading
//! and validating a delivery, building the capture line), [`dedupe`] (the
//! bounded seen-sets and the `--state` file), [`recover`] (the seen-sets
//! rebuilt from the capture's tail at start), [`writer`] (the single writer
//! thread: dedupe, capture, state, output) and [`server`] (axum routes,
//! signals, shutdown) on top of [`conn`] (the accept loop, connection
//! cap and timeouts) and [`tls`] (the certificate, reloaded on SIGHUP).

pub mod auth;
pub mod conn;
pub mod dedupe;
pub mod delivery;
pub mod recover;
pub mod server;
pub mod tls;
pub mod writer;

use std::net::SocketAddr;
use std::path::PathBuf;

/// The default request path, as in the README's registration example.
pub const DEFAULT_PATH: &str = "/okta/events";
/// The default largest accepted delivery body.
pub const DEFAULT_MAX_BODY: usize = 10 << 20;

/// Everything the receiver needs, resolved from the command line.
#[derive(Debug, Clone)]
pub struct ListenConfig {
    /// Where to listen; port 0 picks a free port (printed on stderr).
    pub addr: SocketAddr,
    /// The request path for verification and deliveries.
    pub path: String,
    /// The header that carries the secret (`Authorization` by default).
    pub auth_header: String,
    /// The secret every delivery must present (the whole header value).
    pub secret: auth::Secret,
    /// Bodies larger than this get 413.
    pub max_body: usize,
    /// `--capture FILE`: one NDJSON line per delivery, fsynced before 200.
    pub capture: Option<PathBuf>,
    /// `--state FILE`: de-duplication memory kept across restarts.
    pub state: Option<PathBuf>,
    /// `--reset-state`: ignore an existing state file.
    pub reset_state: bool,
    /// Connection cap and timeouts.
    pub limits: conn::Limits,
    /// `--tls-cert`/`--tls-key`: serve HTTPS (plain HTTP without).
    pub tls: Option<tls::TlsFiles>,
}

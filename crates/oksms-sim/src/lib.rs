//! A simulated Okta org: a real HTTP server on 127.0.0.1 that serves the
//! System Log API the way okta-facts.md describes it. Every networked test
//! of `oksms` runs against it over real TCP; `oksms-sim serve` starts one by
//! hand for demos.
//!
//! It is a crate of its own (a dev-dependency of `oksms`, not a part of the
//! product) so that the `oksms` binary neither ships a test double nor
//! depends on what only the double needs.
//!
//! ```no_run
//! use oksms_sim::{Fault, SimConfig, SimOrg};
//! let org = SimOrg::start(SimConfig { event_count: 10_000, ..SimConfig::default() })?;
//! let url = format!("{}/api/v1/logs", org.base_url());
//! org.inject(Fault::ServerError(503));
//! # let _ = url;
//! # Ok::<(), anyhow::Error>(())
//! ```
//!
//! # What it does
//! - `GET /api/v1/logs` with `since`, `until`, `after`, `limit` (default
//!   100; above [`SimConfig::page_max`] it is clamped; negative or not a
//!   number: 400 E0000001), `sortOrder`, `filter` and `q`
//!   ([`filter`]). Polling requests (no `until`, ascending) are bounded and
//!   ordered by persistence time and carry a `next` link on every page, also
//!   empty ones; bounded requests (`until` given, or descending, which fixes
//!   `until` to the time of the first request) are ordered by `published`
//!   and the last page has no `next`. `Link` headers are two header lines,
//!   `<…>; rel="self"` and `<…>; rel="next"`. Cursors (`after`) are random
//!   and held server-side; an unknown or forged cursor answers 400 E0000001
//!   (the code is inference). The `next` URL carries `limit`, `after` and
//!   `since`; `after` wins over everything else in a request. `since` more
//!   than 180 days back: 400 E0000053; a bad date: 400 E0000001.
//! - The event generator ([`generator`]) fills the org with `event_count`
//!   events published over [`SimConfig::history`] up to a minute before the
//!   start; the last `late_events` of them persist only
//!   [`SimConfig::late_by`] after the start, so polling sees them once the
//!   clock passes that point ([`SimOrg::advance_clock`]) and a bounded
//!   query made before then misses them. [`SimOrg::append_events`] adds
//!   events persisted "now". With [`SimConfig::polling_overlap`], polling
//!   pages that continue from a cursor start by repeating the last events
//!   of the previous position (page-boundary duplicates).
//! - Every response carries `Date` (the org's clock, skewed by
//!   `clock_skew_secs`), `X-Okta-Request-Id` and `X-Rate-Limit-Limit`,
//!   `-Remaining`, `-Reset` (epoch seconds). `/api/v1/logs` has a bucket of
//!   `rate_limit_per_minute` (capped to `token_cap_percent` when set; the
//!   headers then show the capped limit, which is inference) in 60 s windows
//!   offset from the clock minute; a request over it gets 429 E0000047 with
//!   `Remaining: 0`, and refused requests do not use the bucket. The token
//!   endpoint has its own bucket of the same size; other paths show the
//!   logs bucket without using it. With `concurrency_limit`, a request that
//!   would exceed it gets a 429 with `Limit: 0`, `Remaining: 0`.
//! - [`Fault`]s queued by [`SimOrg::inject`] answer the next requests to
//!   `/api/v1/logs`, one fault per request, before authentication; each
//!   such request still uses the bucket.
//! - Authentication ([`auth`]): with `ssws_token`, `Authorization: SSWS
//!   <token>`; with `service_app`, `POST /oauth2/v1/token` (client
//!   credentials, `private_key_jwt`, scope `okta.logs.read`, DPoP with the
//!   `use_dpop_nonce` dance when `dpop`) and then `Bearer` or `DPoP` tokens
//!   with proofs. With neither configured the org is open. A bad or missing
//!   credential gets 401 E0000011. [`SimConfig::missing_role`] and
//!   [`SimConfig::granted_scopes`] give the two 403 E0000006 of a
//!   credential without the permission.
//! - `GET /.well-known/okta-organization` (no credentials) answers the
//!   org's id, `pipeline` and `_links.organization.href`, as Okta does.
//! - [`SimOrg::stats`] reports what the org saw, for assertions.
//! - Event hooks ([`hooks`]): the `/api/v1/eventHooks` management API, the
//!   verification challenge, and deliveries of the events
//!   [`SimOrg::append_events`] adds to every ACTIVE, VERIFIED hook, with
//!   Okta's timeout and retry and injectable [`HookFault`]s; what was sent
//!   is in [`SimOrg::hook_deliveries`] and [`SimOrg::hook_sent_events`].
//! - TLS mode ([`SimConfig::tls`], certificates from [`tls::TestCa`]): the
//!   org serves HTTPS, and calls hooks trusting [`SimConfig::hook_trust`].
//!
//! The org's clock ([`clock`]) is real time plus skew plus what tests
//! advanced; the `exp`, `iat` checks of assertions and proofs use it too
//! (five minutes of leeway), as a real org would use its own clock.

pub mod auth;
pub mod clock;
pub mod errors;
pub mod filter;
pub mod generator;
pub mod hooks;
pub mod ratelimit;
pub mod server;
pub mod store;
pub mod tls;

pub use hooks::{Delivery, HookFault};

use anyhow::{Context, Result};
use server::Shared;
use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

/// How the simulated org behaves. Every field is public; start from
/// `SimConfig::default()`.
#[derive(Clone)]
pub struct SimConfig {
    /// Seeds the event generator (same seed, same events).
    pub seed: u64,
    /// Events the org holds at the start.
    pub event_count: usize,
    /// The initial events are published over this span, ending a minute
    /// before the start. Default 6 days (inside Okta's default 7-day `since`).
    pub history: Duration,
    /// The largest `limit` honoured (Okta: 1000).
    pub page_max: usize,
    /// The `/api/v1/logs` bucket per 60 s window.
    pub rate_limit_per_minute: u32,
    /// Cap one token to this percentage of the bucket (Okta's default is 50).
    pub token_cap_percent: Option<u8>,
    /// The org's clock (and `Date` header) runs this far ahead of real time.
    pub clock_skew_secs: i64,
    /// Added to every `/api/v1/logs` response.
    pub latency: Duration,
    /// Accept `Authorization: SSWS <token>`.
    pub ssws_token: Option<String>,
    /// Register a service app for OAuth.
    pub service_app: Option<ServiceApp>,
    /// The last this-many initial events persist late (see the module docs).
    pub late_events: usize,
    /// How long after the start late events persist.
    pub late_by: Duration,
    /// Requests in flight beyond this get a 0/0 429.
    pub concurrency_limit: Option<usize>,
    /// Polling pages that continue from a cursor first repeat up to this
    /// many events the previous position ended with: the page-boundary
    /// duplicates Okta's polling can return (okta-facts §1, lesson 3).
    pub polling_overlap: usize,
    /// Port on 127.0.0.1; 0 picks a free one.
    pub port: u16,
    /// Serve HTTPS with this certificate (see [`tls::TestCa`]).
    pub tls: Option<tls::Issued>,
    /// Extra root certificates (PEM) trusted when calling event hooks.
    pub hook_trust: Vec<String>,
    /// Accept `http://` hook URLs (Okta accepts only `https://`).
    pub allow_http_hooks: bool,
    /// The most events in one hook delivery.
    pub hook_batch: usize,
    /// The credentials have no admin role that may read the System Log:
    /// `/api/v1/logs` answers 403 E0000006 (no `WWW-Authenticate`) once
    /// the credentials are accepted.
    pub missing_role: bool,
    /// The scopes granted to the service app. A token request asking for
    /// any other answers 400 `invalid_scope`; a token granted without
    /// `okta.logs.read` gets 403 E0000006 on `/api/v1/logs` with
    /// `WWW-Authenticate: Bearer … error="insufficient_scope"` (the header's
    /// shape is inference from Okta's resource-server answers).
    pub granted_scopes: Vec<String>,
}

impl Default for SimConfig {
    fn default() -> Self {
        SimConfig {
            seed: 1,
            event_count: 1000,
            history: Duration::from_secs(6 * 86_400),
            page_max: 1000,
            rate_limit_per_minute: 120,
            token_cap_percent: None,
            clock_skew_secs: 0,
            latency: Duration::ZERO,
            ssws_token: None,
            service_app: None,
            late_events: 0,
            late_by: Duration::from_secs(120),
            concurrency_limit: None,
            polling_overlap: 0,
            port: 0,
            tls: None,
            hook_trust: Vec::new(),
            allow_http_hooks: false,
            hook_batch: 20,
            missing_role: false,
            granted_scopes: vec![auth::LOGS_SCOPE.to_string()],
        }
    }
}

impl fmt::Debug for SimConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SimConfig")
            .field("seed", &self.seed)
            .field("event_count", &self.event_count)
            .field("history", &self.history)
            .field("page_max", &self.page_max)
            .field("rate_limit_per_minute", &self.rate_limit_per_minute)
            .field("token_cap_percent", &self.token_cap_percent)
            .field("clock_skew_secs", &self.clock_skew_secs)
            .field("latency", &self.latency)
            .field(
                "ssws_token",
                &self.ssws_token.as_ref().map(|_| "<redacted>"),
            )
            .field("service_app", &self.service_app)
            .field("late_events", &self.late_events)
            .field("late_by", &self.late_by)
            .field("concurrency_limit", &self.concurrency_limit)
            .field("polling_overlap", &self.polling_overlap)
            .field("port", &self.port)
            .field("tls", &self.tls)
            .field("hook_trust", &self.hook_trust.len())
            .field("allow_http_hooks", &self.allow_http_hooks)
            .field("hook_batch", &self.hook_batch)
            .field("missing_role", &self.missing_role)
            .field("granted_scopes", &self.granted_scopes)
            .finish()
    }
}

/// A registered OAuth service app.
#[derive(Debug, Clone)]
pub struct ServiceApp {
    pub client_id: String,
    /// The app's public key (RSA or EC), PEM (`PUBLIC KEY` or `RSA PUBLIC KEY`).
    pub public_key_pem: String,
    /// Issue DPoP-bound tokens (the default for apps created since 2024).
    pub dpop: bool,
}

/// A misbehaviour for the next request(s) to `/api/v1/logs`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    /// Answer with this 5xx (500: Okta's E0000009 body; others: an HTML body).
    ServerError(u16),
    /// Answer the next N requests with 429 E0000047, `Remaining: 0`.
    RateLimitBurst(usize),
    /// Wait this long (real time) before answering normally.
    Slow(Duration),
    /// Send the status and headers, part of the body, then close the connection.
    DropConnection,
    /// Answer 200 with a truncated JSON body.
    MalformedJson,
    /// 401 E0000011.
    Unauthorized,
    /// 403 E0000006.
    Forbidden,
    /// 429 with `X-Rate-Limit-Limit: 0`, `Remaining: 0` (the concurrency limit).
    ConcurrencyLimit,
    /// Answer 429 E0000047 with `Remaining: 0` and `X-Rate-Limit-Reset`
    /// this many seconds after the org's clock (another consumer drained
    /// the bucket just before the window ends).
    RateLimitResetIn(u32),
    /// Answer with the real page's status and headers (its `Link` too) but
    /// only the first half of its body: a page cut short.
    CutPage,
    /// Answer 200 with `Content-Encoding: gzip` and a small body that
    /// expands to this many bytes: `[`, spaces, `]` (a gzip bomb).
    GzipBomb(usize),
}

/// What the org has seen so far.
#[derive(Debug, Clone, Default)]
pub struct SimStats {
    /// Every request, any path.
    pub requests: u64,
    /// Requests to `/api/v1/logs`.
    pub logs_requests: u64,
    /// Requests to `/oauth2/v1/token`.
    pub token_requests: u64,
    /// Access tokens the token endpoint issued.
    pub tokens_issued: u64,
    /// 429 answers sent (bucket, bursts and concurrency).
    pub rate_limited: u64,
    /// The `/api/v1/logs` bucket size (after any token cap).
    pub bucket_limit: u32,
    /// Requests the bucket accepted in each window seen, oldest first.
    pub window_usage: Vec<u32>,
    /// The most requests accepted in one window.
    pub max_used_in_window: u32,
    /// The most requests in flight at once.
    pub max_in_flight: usize,
    /// Faults served.
    pub faults_served: u64,
    /// Requests per path.
    pub per_path: BTreeMap<String, u64>,
    /// Path and query of every request to `/api/v1/logs`, in arrival order.
    pub log_urls: Vec<String>,
}

/// A running simulated org; stops when dropped.
pub struct SimOrg {
    shared: Arc<Shared>,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl SimOrg {
    /// Generates the events, binds 127.0.0.1 and serves on a thread with its
    /// own tokio runtime.
    pub fn start(config: SimConfig) -> Result<SimOrg> {
        let listener = std::net::TcpListener::bind(("127.0.0.1", config.port))
            .context("cannot bind the simulated org to 127.0.0.1")?;
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;
        let tls = match &config.tls {
            Some(issued) => Some(tls::server_config(issued)?),
            None => None,
        };
        let (shared, jobs) = Shared::new(config, addr)?;
        let shared = Arc::new(shared);
        let deliveries = shared.clone();
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .context("cannot start the simulated org's runtime")?;
        let (tx, rx) = tokio::sync::oneshot::channel();
        let app = server::router(shared.clone());
        let thread = std::thread::Builder::new()
            .name("sim-org".into())
            .spawn(move || {
                runtime.block_on(async move {
                    let Ok(listener) = tokio::net::TcpListener::from_std(listener) else {
                        return;
                    };
                    tokio::spawn(hooks::deliver_all(deliveries, jobs));
                    match tls {
                        Some(config) => tokio::select! {
                            _ = tls::serve(listener, app, config) => {}
                            _ = rx => {}
                        },
                        None => tokio::select! {
                            _ = axum::serve(listener, app) => {}
                            _ = rx => {}
                        },
                    }
                });
                runtime.shutdown_background();
            })
            .context("cannot start the simulated org's thread")?;
        Ok(SimOrg {
            shared,
            shutdown: Some(tx),
            thread: Some(thread),
        })
    }

    /// `http://127.0.0.1:PORT` (`https://` in the TLS mode).
    pub fn base_url(&self) -> String {
        self.shared.base_url()
    }

    /// The token endpoint, `…/oauth2/v1/token` (the assertion's `aud`).
    pub fn token_url(&self) -> String {
        format!("{}/oauth2/v1/token", self.base_url())
    }

    /// Every event the org holds (visible or not yet), in `published` order.
    pub fn truth(&self) -> Vec<serde_json::Value> {
        self.shared.lock().store.truth()
    }

    /// What the org has seen so far.
    pub fn stats(&self) -> SimStats {
        self.shared.stats()
    }

    /// Queues a fault for the next request to `/api/v1/logs`.
    pub fn inject(&self, fault: Fault) {
        self.shared.lock().faults.push_back(fault);
    }

    /// Adds `n` events, published just before now and visible at once.
    pub fn append_events(&self, n: usize) {
        self.shared.append_events(n);
    }

    /// Queues a fault for the next event-hook delivery.
    pub fn inject_hook(&self, fault: HookFault) {
        self.shared.hooks.inject(fault);
    }

    /// Every event-hook delivery so far, with its attempts.
    pub fn hook_deliveries(&self) -> Vec<Delivery> {
        self.shared.hooks.deliveries()
    }

    /// The org's record of what it sent to hooks: every event put into a
    /// delivery, once per hook, in the order generated.
    pub fn hook_sent_events(&self) -> Vec<serde_json::Value> {
        self.shared.hooks.sent()
    }

    /// Waits (at most `limit`) until every queued hook delivery is done;
    /// true when they are.
    pub fn wait_hook_deliveries(&self, limit: Duration) -> bool {
        self.shared.hooks.wait_idle(limit)
    }

    /// Moves the org's clock forward (late events, rate-limit windows).
    pub fn advance_clock(&self, d: Duration) {
        self.shared.clock.advance(d);
    }

    /// The org's current time, epoch milliseconds.
    pub fn now_ms(&self) -> i64 {
        self.shared.clock.now_ms()
    }

    /// Uses `n` requests of the current window's bucket, as other consumers
    /// of the org-wide bucket would.
    pub fn use_bucket(&self, n: u32) {
        self.shared.use_bucket(n);
    }
}

impl Drop for SimOrg {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

//! The simulated org's HTTP side: the axum router, the layer that stamps
//! `Date`, `X-Okta-Request-Id` and the rate-limit headers on every response
//! and keeps the statistics, and the `/api/v1/logs` handler (faults,
//! authentication, parameters, cursors, `Link` headers). The paging itself
//! is in [`crate::store`].

// Handlers answer a refusal with a ready HTTP response, so helpers return
// `Result<_, Response>` (axum's idiom), which is larger than clippy likes.
#![allow(clippy::result_large_err)]

use crate::auth::{self, AuthState};
use crate::clock::Clock;
use crate::errors;
use crate::filter::{Filter, Keywords};
use crate::generator::{Generator, Timeline, format_published, parse_instant};
use crate::hooks;
use crate::ratelimit::{Bucket, Decision};
use crate::store::{Key, PinnedQuery, QueryKind, Store};
use crate::{Fault, SimConfig, SimStats};
use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use rand::RngExt;
use std::collections::{HashMap, VecDeque};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

pub const LOGS_PATH: &str = "/api/v1/logs";
pub const TOKEN_PATH: &str = "/oauth2/v1/token";
/// Okta's unauthenticated org metadata.
pub const ORGANIZATION_PATH: &str = "/.well-known/okta-organization";
/// The simulated org's id (an `00o…` org id, as Okta's).
pub const ORG_ID: &str = "00o1simulatedorg0x7";
const DAY_MS: i64 = 86_400_000;

/// A saved position: the query of the first request and where to go on.
#[derive(Debug, Clone)]
struct Cursor {
    query: Arc<PinnedQuery>,
    pos: Option<Key>,
}

/// The org's mutable state, behind one lock.
pub struct OrgState {
    pub store: Store,
    generator: Generator,
    cursors: HashMap<String, Cursor>,
    pub faults: VecDeque<Fault>,
    pub logs_bucket: Bucket,
    pub token_bucket: Bucket,
    stats: SimStats,
}

impl OrgState {
    fn pop_fault(&mut self) -> Option<Fault> {
        match self.faults.pop_front()? {
            Fault::RateLimitBurst(n) if n > 1 => {
                self.faults.push_front(Fault::RateLimitBurst(n - 1));
                Some(Fault::RateLimitBurst(n))
            }
            f => Some(f),
        }
    }
}

/// Everything the handlers share.
pub struct Shared {
    pub config: SimConfig,
    pub clock: Clock,
    pub addr: SocketAddr,
    pub auth: AuthState,
    state: Mutex<OrgState>,
    in_flight: AtomicUsize,
    /// Event hooks and their deliveries ([`crate::hooks`]).
    pub hooks: crate::hooks::Hooks,
    /// `http` or `https` (the TLS mode).
    pub scheme: &'static str,
}

impl Shared {
    /// The org's state and the receiving end of its hook delivery queue.
    pub fn new(
        config: SimConfig,
        addr: SocketAddr,
    ) -> anyhow::Result<(
        Shared,
        tokio::sync::mpsc::UnboundedReceiver<crate::hooks::Job>,
    )> {
        let (hooks, jobs) = crate::hooks::Hooks::new(&config.hook_trust)?;
        let scheme = if config.tls.is_some() {
            "https"
        } else {
            "http"
        };
        let clock = Clock::new(config.clock_skew_secs);
        let now = clock.now_ms();
        let end = now - 60_000;
        let history = i64::try_from(config.history.as_millis()).unwrap_or(DAY_MS);
        let late_by = i64::try_from(config.late_by.as_millis()).unwrap_or(120_000);
        let count = config.event_count;
        let first_late = count.saturating_sub(config.late_events);
        let mut store = Store::default();
        let mut timeline = Timeline::new(config.seed, count, end - history, end);
        for (i, (published, event)) in timeline.by_ref().enumerate() {
            let persisted = if i >= first_late {
                now + late_by + (i - first_late) as i64 * 10
            } else {
                // Commit lags publication a little, so the two orders differ.
                published + ((i as i64 * 37) % 250)
            };
            store.push(published, persisted, event);
        }
        store.reindex();
        let phase = 13_000 + (config.seed % 40) as i64 * 1000;
        let logs_bucket = Bucket::new(
            config.rate_limit_per_minute,
            config.token_cap_percent,
            phase,
        );
        let token_bucket = Bucket::new(config.rate_limit_per_minute, None, phase);
        let auth = AuthState::new(&config)?;
        let shared = Shared {
            clock,
            addr,
            auth,
            hooks,
            scheme,
            state: Mutex::new(OrgState {
                store,
                generator: timeline.into_generator(),
                cursors: HashMap::new(),
                faults: VecDeque::new(),
                logs_bucket,
                token_bucket,
                stats: SimStats::default(),
            }),
            in_flight: AtomicUsize::new(0),
            config,
        };
        Ok((shared, jobs))
    }

    /// `http://127.0.0.1:PORT` (`https` in the TLS mode).
    pub fn base_url(&self) -> String {
        format!("{}://{}", self.scheme, self.addr)
    }

    pub fn lock(&self) -> MutexGuard<'_, OrgState> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn stats(&self) -> SimStats {
        let st = self.lock();
        let mut s = st.stats.clone();
        s.bucket_limit = st.logs_bucket.limit();
        s.window_usage = st.logs_bucket.history().to_vec();
        s.max_used_in_window = st.logs_bucket.max_used();
        s.tokens_issued = self.auth.tokens_issued();
        s
    }

    /// Adds `n` events published just before now, and queues their
    /// delivery to the event hooks.
    pub fn append_events(&self, n: usize) {
        let now = self.clock.now_ms();
        let mut fresh = Vec::with_capacity(n);
        {
            let mut st = self.lock();
            for i in 0..n {
                let published = now - (n - i) as i64;
                let event = st.generator.event(published);
                fresh.push(event.clone());
                st.store.push(published, now, event);
            }
            st.store.reindex();
        }
        self.hooks.publish(&fresh, self.config.hook_batch);
    }

    pub fn use_bucket(&self, n: u32) {
        let now = self.clock.now_ms();
        let mut st = self.lock();
        for _ in 0..n {
            st.logs_bucket.take(now);
        }
    }

    /// Takes one request from the token endpoint's bucket.
    pub fn take_token_bucket(&self) -> Decision {
        let now = self.clock.now_ms();
        self.lock().token_bucket.take(now)
    }
}

/// The org's routes with the common layer.
pub fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route(LOGS_PATH, get(logs))
        .route(TOKEN_PATH, post(token))
        .route(ORGANIZATION_PATH, get(organization))
        .route(
            hooks::EVENT_HOOKS_PATH,
            get(hooks::list::<Shared>).post(hooks::create::<Shared>),
        )
        .route(
            "/api/v1/eventHooks/{id}",
            get(hooks::get_one::<Shared>).delete(hooks::delete::<Shared>),
        )
        .route(
            "/api/v1/eventHooks/{id}/lifecycle/{action}",
            post(hooks::lifecycle::<Shared>),
        )
        .fallback(not_found)
        .layer(middleware::from_fn_with_state(shared.clone(), common))
        .with_state(shared)
}

/// Sets the three rate-limit headers.
pub fn set_rate_headers(resp: &mut Response, limit: u32, remaining: u32, reset_secs: i64) {
    let h = resp.headers_mut();
    h.insert("x-rate-limit-limit", HeaderValue::from(limit));
    h.insert("x-rate-limit-remaining", HeaderValue::from(remaining));
    h.insert("x-rate-limit-reset", HeaderValue::from(reset_secs));
}

impl hooks::HookOrg for Shared {
    fn hooks(&self) -> &hooks::Hooks {
        &self.hooks
    }
    fn now_ms(&self) -> i64 {
        self.clock.now_ms()
    }
    fn config(&self) -> &SimConfig {
        &self.config
    }
    fn base_url(&self) -> String {
        Shared::base_url(self)
    }
}

/// `POST /oauth2/v1/token`: the token bucket, then [`auth::issue`].
async fn token(State(shared): State<Arc<Shared>>, headers: HeaderMap, body: String) -> Response {
    let d = shared.take_token_bucket();
    let mut resp = if d.allowed {
        let host = headers
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .map(str::to_string)
            .unwrap_or_else(|| shared.addr.to_string());
        let token_url = format!("{}://{host}{TOKEN_PATH}", shared.scheme);
        auth::issue(
            &shared.auth,
            &headers,
            &body,
            &token_url,
            shared.clock.now_ms(),
        )
        .unwrap_or_else(|e| e)
    } else {
        errors::too_many_requests()
    };
    set_rate_headers(&mut resp, d.limit, d.remaining, d.reset_secs);
    resp
}

fn with_decision(mut resp: Response, d: Decision) -> Response {
    set_rate_headers(&mut resp, d.limit, d.remaining, d.reset_secs);
    resp
}

struct InFlight<'a>(&'a AtomicUsize);

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

fn concurrency_429(shared: &Shared) -> Response {
    let mut resp = errors::too_many_requests();
    set_rate_headers(&mut resp, 0, 0, shared.clock.now_ms() / 1000 + 5);
    resp
}

/// Statistics, the concurrency limit, and the headers every response has.
async fn common(State(shared): State<Arc<Shared>>, req: Request, next: Next) -> Response {
    let path = req.uri().path().to_string();
    let in_flight = shared.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
    let guard = InFlight(&shared.in_flight);
    {
        let mut st = shared.lock();
        let stats = &mut st.stats;
        stats.requests += 1;
        stats.max_in_flight = stats.max_in_flight.max(in_flight);
        *stats.per_path.entry(path.clone()).or_default() += 1;
        if path == LOGS_PATH {
            stats.logs_requests += 1;
            let pq = req.uri().path_and_query().map(|p| p.as_str()).unwrap_or("");
            stats.log_urls.push(pq.to_string());
        } else if path == TOKEN_PATH {
            stats.token_requests += 1;
        }
    }
    let mut resp = match shared.config.concurrency_limit {
        Some(max) if in_flight > max => concurrency_429(&shared),
        _ => next.run(req).await,
    };
    drop(guard);
    let now = shared.clock.now_ms();
    {
        let mut st = shared.lock();
        if !resp.headers().contains_key("x-rate-limit-limit") {
            let d = st.logs_bucket.peek(now);
            set_rate_headers(&mut resp, d.limit, d.remaining, d.reset_secs);
        }
        if resp.status() == StatusCode::TOO_MANY_REQUESTS {
            st.stats.rate_limited += 1;
        }
    }
    let h = resp.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&shared.clock.http_date()) {
        h.insert(header::DATE, v);
    }
    if let Ok(v) = HeaderValue::from_str(&errors::error_id().replacen("oae", "", 1)) {
        h.insert("x-okta-request-id", v);
    }
    resp
}

/// `GET /.well-known/okta-organization`: the org's id, pipeline and URL,
/// without credentials (Okta's shape; `settings` left out).
async fn organization(State(shared): State<Arc<Shared>>, headers: HeaderMap) -> Response {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .map(str::to_string)
        .unwrap_or_else(|| shared.addr.to_string());
    let href = format!("{}://{host}", shared.scheme);
    axum::Json(serde_json::json!({
        "id": ORG_ID,
        "pipeline": "idx",
        "_links": {"organization": {"href": href}},
    }))
    .into_response()
}

async fn not_found(uri: Uri) -> Response {
    errors::okta_error(
        StatusCode::NOT_FOUND,
        "E0000007",
        &format!("Not found: Resource not found: {} (Path)", uri.path()),
    )
}

/// `GET /api/v1/logs`.
async fn logs(State(shared): State<Arc<Shared>>, headers: HeaderMap, uri: Uri) -> Response {
    let now = shared.clock.now_ms();
    let (decision, fault) = {
        let mut st = shared.lock();
        let d = st.logs_bucket.take(now);
        let fault = if d.allowed { st.pop_fault() } else { None };
        if fault.is_some() {
            st.stats.faults_served += 1;
        }
        (d, fault)
    };
    if !decision.allowed {
        return with_decision(errors::too_many_requests(), decision);
    }
    if !shared.config.latency.is_zero() {
        tokio::time::sleep(shared.config.latency).await;
    }
    let resp = match fault {
        None | Some(Fault::RateLimitBurst(0)) => page_response(&shared, &headers, &uri),
        Some(Fault::Slow(d)) => {
            tokio::time::sleep(d).await;
            page_response(&shared, &headers, &uri)
        }
        Some(Fault::ServerError(code)) => errors::server_error(code),
        Some(Fault::RateLimitBurst(_)) => {
            let mut resp = errors::too_many_requests();
            set_rate_headers(&mut resp, decision.limit, 0, decision.reset_secs);
            resp
        }
        Some(Fault::ConcurrencyLimit) => concurrency_429(&shared),
        Some(Fault::DropConnection) => {
            let chunks: Vec<Result<Bytes, std::io::Error>> = vec![
                Ok(Bytes::from_static(b"[{\"uuid\":\"")),
                Err(std::io::Error::new(
                    std::io::ErrorKind::ConnectionReset,
                    "simulated dropped connection",
                )),
            ];
            let body = Body::from_stream(futures_util::stream::iter(chunks));
            (
                StatusCode::OK,
                [(header::CONTENT_TYPE, "application/json")],
                body,
            )
                .into_response()
        }
        Some(Fault::MalformedJson) => (
            StatusCode::OK,
            [(header::CONTENT_TYPE, "application/json")],
            "[{\"uuid\":\"6c1e0a52-0000-4000-8000-000000000000\",\"published\":\"2024-01-01T00:00:00.000Z\",\"eventType\":",
        )
            .into_response(),
        Some(Fault::Unauthorized) => errors::invalid_token(),
        Some(Fault::Forbidden) => errors::forbidden(),
        Some(Fault::GzipBomb(size)) => gzip_bomb(size),
        Some(Fault::CutPage) => cut_page(page_response(&shared, &headers, &uri)).await,
        Some(Fault::RateLimitResetIn(secs)) => {
            let mut resp = errors::too_many_requests();
            let reset = shared.clock.now_ms().div_euclid(1000) + i64::from(secs);
            set_rate_headers(&mut resp, decision.limit, 0, reset);
            resp
        }
    };
    if resp.headers().contains_key("x-rate-limit-limit") {
        resp
    } else {
        with_decision(resp, decision)
    }
}

/// The response with only the first half of its body.
async fn cut_page(resp: Response) -> Response {
    let (mut parts, body) = resp.into_parts();
    let bytes = axum::body::to_bytes(body, usize::MAX)
        .await
        .unwrap_or_default();
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(bytes.slice(..bytes.len() / 2)))
}

/// A 200 whose gzip body expands to `size` bytes of `[`, spaces and `]`.
fn gzip_bomb(size: usize) -> Response {
    use std::io::Write;
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    let spaces = vec![b' '; 1 << 20];
    let mut left = size.saturating_sub(2);
    let mut written = gz.write_all(b"[");
    while left > 0 && written.is_ok() {
        let n = left.min(spaces.len());
        written = gz.write_all(&spaces[..n]);
        left -= n;
    }
    let body = written
        .and_then(|()| gz.write_all(b"]"))
        .and_then(|()| gz.finish())
        .unwrap_or_default();
    (
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, "application/json"),
            (header::CONTENT_ENCODING, "gzip"),
        ],
        body,
    )
        .into_response()
}

fn page_response(shared: &Shared, headers: &HeaderMap, uri: &Uri) -> Response {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .map(str::to_string)
        .unwrap_or_else(|| shared.addr.to_string());
    let base = format!("{}://{host}", shared.scheme);
    let htu = format!("{base}{}", uri.path());
    if let Err(resp) = auth::check_logs(
        &shared.auth,
        &shared.config,
        shared.clock.now_ms(),
        headers,
        &htu,
    ) {
        return resp;
    }
    build_page(shared, &base, uri).unwrap_or_else(|e| e)
}

fn build_page(shared: &Shared, base: &str, uri: &Uri) -> Result<Response, Response> {
    let params: Vec<(String, String)> =
        url::form_urlencoded::parse(uri.query().unwrap_or("").as_bytes())
            .into_owned()
            .collect();
    let get = |name: &str| param(&params, name);
    let now = shared.clock.now_ms();
    let limit = match get("limit") {
        None => 100,
        Some(s) => match s.trim().parse::<i64>() {
            Ok(n) if n >= 0 => (n as usize).min(shared.config.page_max),
            _ => {
                return Err(errors::validation(
                    "Api validation failed: 'limit': must be a number between 0 and 1000.",
                ));
            }
        },
    };
    let mut st = shared.lock();
    let (query, after) = match get("after") {
        Some(id) => match st.cursors.get(id) {
            Some(c) => (c.query.clone(), c.pos),
            None => {
                return Err(errors::validation(
                    "Api validation failed: 'after': The cursor is not valid.",
                ));
            }
        },
        None => (Arc::new(new_query(&params, now)?), None),
    };
    let mut page = st.store.page(&query, after, limit, now);
    let overlap = shared.config.polling_overlap;
    if overlap > 0 {
        let mut events = st.store.polling_overlap(&query, after, overlap, now);
        events.append(&mut page.events);
        page.events = events;
    }
    let next = page.next.map(|pos| {
        let id = format!("{:032x}", rand::rng().random::<u128>());
        st.cursors.insert(
            id.clone(),
            Cursor {
                query: query.clone(),
                pos,
            },
        );
        id
    });
    drop(st);
    Ok(page_body(
        &page.events,
        base,
        uri,
        limit,
        next,
        query.since_ms,
    ))
}

/// The page's events as a JSON array, with its `self` link and, when there
/// is one, its `next` link (cursor `next`, `limit` and `since` kept).
fn page_body(
    events: &[Arc<str>],
    base: &str,
    uri: &Uri,
    limit: usize,
    next: Option<String>,
    since_ms: i64,
) -> Response {
    let mut body = Vec::with_capacity(events.iter().map(|e| e.len() + 1).sum::<usize>() + 2);
    body.push(b'[');
    for (i, event) in events.iter().enumerate() {
        if i > 0 {
            body.push(b',');
        }
        body.extend_from_slice(event.as_bytes());
    }
    body.push(b']');
    let mut resp = (
        StatusCode::OK,
        [(header::CONTENT_TYPE, "application/json")],
        body,
    )
        .into_response();
    let self_link = format!(
        "<{base}{}>; rel=\"self\"",
        uri.path_and_query()
            .map(|p| p.as_str())
            .unwrap_or(LOGS_PATH)
    );
    if let Ok(v) = HeaderValue::from_str(&self_link) {
        resp.headers_mut().append(header::LINK, v);
    }
    if let Some(id) = next {
        let qs = url::form_urlencoded::Serializer::new(String::new())
            .append_pair("limit", &limit.to_string())
            .append_pair("after", &id)
            .append_pair("since", &format_published(since_ms))
            .finish();
        if let Ok(v) = HeaderValue::from_str(&format!("<{base}{LOGS_PATH}?{qs}>; rel=\"next\"")) {
            resp.headers_mut().append(header::LINK, v);
        }
    }
    resp
}

fn bad_date(name: &str) -> Response {
    errors::validation(&format!(
        "Api validation failed: '{name}': The date format in your query is not recognized. Please enter dates using ISO8601 string format. '{name}': must be a valid date-time or empty."
    ))
}

/// The last value of a query parameter.
fn param<'a>(params: &'a [(String, String)], name: &str) -> Option<&'a str> {
    params
        .iter()
        .rev()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// The query a first request (no `after`) asks for.
fn new_query(params: &[(String, String)], now: i64) -> Result<PinnedQuery, Response> {
    let get = |name: &str| param(params, name);
    let descending = match get("sortOrder") {
        None => false,
        Some(s) if s.eq_ignore_ascii_case("ASCENDING") => false,
        Some(s) if s.eq_ignore_ascii_case("DESCENDING") => true,
        Some(_) => {
            return Err(errors::validation(
                "Api validation failed: 'sortOrder': must be one of [ASCENDING, DESCENDING].",
            ));
        }
    };
    let until = match get("until").filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => Some(parse_instant(s).ok_or_else(|| bad_date("until"))?),
    };
    let kind = if until.is_some() || descending {
        QueryKind::Bounded {
            until_ms: until.unwrap_or(now),
            descending,
        }
    } else {
        QueryKind::Polling
    };
    let since = match get("since").filter(|s| !s.is_empty()) {
        None => until.unwrap_or(now) - 7 * DAY_MS,
        Some(s) => parse_instant(s).ok_or_else(|| bad_date("since"))?,
    };
    if since < now - 180 * DAY_MS {
        return Err(errors::okta_error(
            StatusCode::BAD_REQUEST,
            "E0000053",
            "Invalid parameter: The since parameter is over 180 days prior to the current day.",
        ));
    }
    if let Some(u) = until
        && since > u
    {
        return Err(errors::validation(
            "Api validation failed: 'since': must be before 'until'.",
        ));
    }
    let filter = match get("filter").filter(|s| !s.trim().is_empty()) {
        None => None,
        Some(f) => Some(
            Filter::parse(f)
                .map_err(|e| errors::okta_error(StatusCode::BAD_REQUEST, e.code, &e.summary))?,
        ),
    };
    let keywords = Keywords::parse(get("q").unwrap_or(""))
        .map_err(|e| errors::okta_error(StatusCode::BAD_REQUEST, e.code, &e.summary))?;
    Ok(PinnedQuery {
        kind,
        since_ms: since,
        filter,
        keywords,
    })
}

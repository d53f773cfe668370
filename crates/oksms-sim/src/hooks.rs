//! Event hooks as Okta runs them (okta-facts §7): the management API
//! (`/api/v1/eventHooks`: create, list, get, lifecycle verify / activate /
//! deactivate, delete) and the delivery of the org's new events to every
//! ACTIVE and VERIFIED hook.
//!
//! - Verification sends one GET with `x-okta-verification-challenge` (and
//!   the hook's auth header) to the hook URL and checks that the answer is
//!   `{"verification": "<challenge>"}`: 3 s timeout, one retry, then 400.
//! - Deliveries are POSTs of Okta's envelope (`com.okta.event_hook`, a
//!   fresh `eventId`, `data.events[]`) with the configured auth header, in
//!   batches of at most [`crate::SimConfig::hook_batch`] events, one hook
//!   at a time in order. A timeout (3 s), a transport error or a 5xx is
//!   retried once; a 4xx never. [`HookFault`]s add duplicates, reordering
//!   and a lost reply (which forces the retry of a delivery the receiver
//!   already took: at-least-once).
//! - Every attempt is recorded ([`Delivery`]), for assertions.
//! - Limits: 25 ACTIVE hooks (create or activate beyond: 400); only
//!   `https://` URLs unless [`crate::SimConfig::allow_http_hooks`]; an
//!   ACTIVE hook cannot be deleted. The management API takes the SSWS
//!   token; OAuth tokens of the simulated service app lack the scope
//!   `okta.eventHooks.manage` (only `okta.logs.read` is granted) and get
//!   403 E0000006. The error codes of the limit and URL checks are
//!   inference (E0000001, "Api validation failed").

// Handlers answer a refusal with a ready HTTP response.
#![allow(clippy::result_large_err)]

use crate::SimConfig;
use crate::errors;
use crate::generator::format_published;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use rand::RngExt;
use serde_json::{Value, json};
use std::collections::VecDeque;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::Duration;

/// The management API's collection path.
pub const EVENT_HOOKS_PATH: &str = "/api/v1/eventHooks";
/// The scope the management API needs.
pub const HOOKS_SCOPE: &str = "okta.eventHooks.manage";
/// Okta's cap on ACTIVE event hooks per org.
pub const MAX_ACTIVE_HOOKS: usize = 25;
/// Okta's timeout for the verification GET and for each delivery.
pub const HOOK_TIMEOUT: Duration = Duration::from_secs(3);
/// Event types a hook may subscribe to here (hook-eligible in Okta's
/// catalog; the simulator generates the first two).
pub const ELIGIBLE: [&str; 6] = [
    "system.sms.send_phone_verification_message",
    "system.voice.send_phone_verification_call",
    "user.session.start",
    "user.lifecycle.create",
    "user.lifecycle.deactivate",
    "user.mfa.factor.activate",
];

/// A misbehaviour of the next delivery (one fault per delivery, in order).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HookFault {
    /// After the delivery succeeds, send the same envelope (same `eventId`) again.
    Duplicate,
    /// After the delivery succeeds, send its events again in a new envelope
    /// (a new `eventId`: whether Okta reuses it is not documented).
    DuplicateNewId,
    /// Wait for the receiver's answer, then treat the attempt as timed out
    /// (a reply lost on the way back) and retry once.
    LoseReply,
    /// Deliver the batch's events in reverse order.
    Reorder,
}

/// One attempt of a delivery.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attempt {
    /// The receiver's status, when it answered.
    pub status: Option<u16>,
    /// `ok`, `http 503`, `timeout`, `transport error`, `reply lost (simulated)`.
    pub outcome: String,
}

/// One delivery (an envelope) to one hook, with its attempts.
#[derive(Debug, Clone)]
pub struct Delivery {
    pub hook_id: String,
    pub event_id: String,
    /// The `uuid` of each event, in the order sent.
    pub uuids: Vec<String>,
    pub attempts: Vec<Attempt>,
    /// A 2xx answer ended it.
    pub accepted: bool,
    /// A fault's extra copy of an earlier delivery.
    pub duplicate: bool,
}

/// A registered event hook.
#[derive(Debug, Clone)]
struct Hook {
    id: String,
    name: String,
    active: bool,
    verified: bool,
    uri: String,
    /// `authScheme` key and value (the value is never shown by the API).
    auth: Option<(String, String)>,
    headers: Vec<(String, String)>,
    events: Vec<String>,
    created: String,
    updated: String,
}

impl Hook {
    fn to_json(&self) -> Value {
        let headers: Vec<Value> = self
            .headers
            .iter()
            .map(|(k, v)| json!({"key": k, "value": v}))
            .collect();
        let auth = self
            .auth
            .as_ref()
            .map(|(k, _)| json!({"type": "HEADER", "key": k}));
        json!({
            "id": self.id,
            "status": if self.active { "ACTIVE" } else { "INACTIVE" },
            "verificationStatus": if self.verified { "VERIFIED" } else { "UNVERIFIED" },
            "name": self.name,
            "created": self.created,
            "lastUpdated": self.updated,
            "events": {"type": "EVENT_TYPE", "items": self.events},
            "channel": {
                "type": "HTTP",
                "version": "1.0.0",
                "config": {"uri": self.uri, "headers": headers, "authScheme": auth}
            },
            "_links": {}
        })
    }
}

/// A batch waiting to be delivered.
pub struct Job {
    hook: Hook,
    events: Vec<Value>,
}

/// The hooks, the delivery record and the queue.
#[derive(Default)]
pub struct HookState {
    hooks: Vec<Hook>,
    faults: VecDeque<HookFault>,
    deliveries: Vec<Delivery>,
    /// Jobs queued and not finished.
    pending: usize,
    /// Events handed to deliveries, in the order generated (with hook id).
    sent: Vec<(String, Value)>,
}

/// What the hook side needs from the org: implemented by the server's
/// shared state, so this module does not depend on the server (the
/// handlers and the delivery task are generic over it).
pub trait HookOrg: Send + Sync + 'static {
    /// The hooks and their delivery queue.
    fn hooks(&self) -> &Hooks;
    /// The org's clock, in ms since the epoch.
    fn now_ms(&self) -> i64;
    /// The org's configuration (credentials, `allow_http_hooks`).
    fn config(&self) -> &SimConfig;
    /// `http(s)://host:port` of the org.
    fn base_url(&self) -> String;
}

impl<T: HookOrg> HookOrg for Arc<T> {
    fn hooks(&self) -> &Hooks {
        (**self).hooks()
    }
    fn now_ms(&self) -> i64 {
        (**self).now_ms()
    }
    fn config(&self) -> &SimConfig {
        (**self).config()
    }
    fn base_url(&self) -> String {
        (**self).base_url()
    }
}

/// The hook side of the org, shared by the handlers and the delivery task.
pub struct Hooks {
    state: Mutex<HookState>,
    idle: Condvar,
    queue: tokio::sync::mpsc::UnboundedSender<Job>,
    client: reqwest::Client,
}

impl Hooks {
    /// The hook state and the receiving end of the delivery queue. `trust`
    /// is extra root certificates (PEM) for calling hooks over HTTPS.
    pub fn new(
        trust: &[String],
    ) -> anyhow::Result<(Hooks, tokio::sync::mpsc::UnboundedReceiver<Job>)> {
        let mut builder = reqwest::Client::builder()
            .timeout(HOOK_TIMEOUT)
            .redirect(reqwest::redirect::Policy::none());
        for pem in trust {
            builder = builder.add_root_certificate(reqwest::Certificate::from_pem(pem.as_bytes())?);
        }
        let (queue, jobs) = tokio::sync::mpsc::unbounded_channel();
        Ok((
            Hooks {
                state: Mutex::new(HookState::default()),
                idle: Condvar::new(),
                queue,
                client: builder.build()?,
            },
            jobs,
        ))
    }

    fn lock(&self) -> MutexGuard<'_, HookState> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Queues a fault for the next delivery.
    pub fn inject(&self, fault: HookFault) {
        self.lock().faults.push_back(fault);
    }

    /// Every delivery so far.
    pub fn deliveries(&self) -> Vec<Delivery> {
        self.lock().deliveries.clone()
    }

    /// Every event put into a delivery (to any hook), once per hook, in
    /// the order generated.
    pub fn sent(&self) -> Vec<Value> {
        self.lock().sent.iter().map(|(_, e)| e.clone()).collect()
    }

    /// Waits (at most `limit`) until no delivery is queued or running.
    /// True when idle.
    pub fn wait_idle(&self, limit: Duration) -> bool {
        let st = self.lock();
        let (st, _) = self
            .idle
            .wait_timeout_while(st, limit, |s| s.pending > 0)
            .unwrap_or_else(|e| e.into_inner());
        st.pending == 0
    }

    /// Queues deliveries of `events` (just generated) to every ACTIVE and
    /// VERIFIED hook subscribed to their types, in batches of `batch`.
    pub fn publish(&self, events: &[Value], batch: usize) {
        let mut st = self.lock();
        let hooks: Vec<Hook> = st
            .hooks
            .iter()
            .filter(|h| h.active && h.verified)
            .cloned()
            .collect();
        for hook in hooks {
            let matching: Vec<Value> = events
                .iter()
                .filter(|e| {
                    e["eventType"]
                        .as_str()
                        .is_some_and(|t| hook.events.iter().any(|s| s == t))
                })
                .cloned()
                .collect();
            for chunk in matching.chunks(batch.max(1)) {
                for e in chunk {
                    st.sent.push((hook.id.clone(), e.clone()));
                }
                st.pending += 1;
                let job = Job {
                    hook: hook.clone(),
                    events: chunk.to_vec(),
                };
                if self.queue.send(job).is_err() {
                    st.pending -= 1;
                }
            }
        }
    }

    fn finish_job(&self) {
        let mut st = self.lock();
        st.pending = st.pending.saturating_sub(1);
        self.idle.notify_all();
    }
}

/// The delivery task: one job at a time, in order, until the queue closes.
pub async fn deliver_all<O: HookOrg>(
    shared: Arc<O>,
    mut jobs: tokio::sync::mpsc::UnboundedReceiver<Job>,
) {
    while let Some(job) = jobs.recv().await {
        deliver(&shared, job).await;
        shared.hooks().finish_job();
    }
}

fn envelope(shared: &impl HookOrg, hook: &Hook, event_id: &str, events: &[Value]) -> String {
    json!({
        "eventType": "com.okta.event_hook",
        "eventTypeVersion": "1.0",
        "cloudEventsVersion": "0.1",
        "source": format!("{}{EVENT_HOOKS_PATH}/{}", shared.base_url(), hook.id),
        "eventId": event_id,
        "eventTime": format_published(shared.now_ms()),
        "contentType": "application/json",
        "data": {"events": events}
    })
    .to_string()
}

async fn deliver(shared: &impl HookOrg, job: Job) {
    let hooks = shared.hooks();
    let fault = hooks.lock().faults.pop_front();
    let mut events = job.events;
    if fault == Some(HookFault::Reorder) {
        events.reverse();
    }
    let event_id = uuid::Uuid::new_v4().to_string();
    let body = envelope(shared, &job.hook, &event_id, &events);
    let uuids: Vec<String> = events
        .iter()
        .map(|e| e["uuid"].as_str().unwrap_or("").to_string())
        .collect();
    let accepted = post_with_retry(
        shared,
        &job.hook,
        &event_id,
        &uuids,
        &body,
        fault == Some(HookFault::LoseReply),
        false,
    )
    .await;
    if accepted {
        match fault {
            Some(HookFault::Duplicate) => {
                post_with_retry(shared, &job.hook, &event_id, &uuids, &body, false, true).await;
            }
            Some(HookFault::DuplicateNewId) => {
                let id = uuid::Uuid::new_v4().to_string();
                let body = envelope(shared, &job.hook, &id, &events);
                post_with_retry(shared, &job.hook, &id, &uuids, &body, false, true).await;
            }
            _ => {}
        }
    }
}

/// Sends one envelope: a first attempt and, after a timeout, a transport
/// error or a 5xx, one retry. Records the delivery; true when accepted.
async fn post_with_retry(
    shared: &impl HookOrg,
    hook: &Hook,
    event_id: &str,
    uuids: &[String],
    body: &str,
    lose_first_reply: bool,
    duplicate: bool,
) -> bool {
    let mut attempts = Vec::new();
    let mut accepted = false;
    for attempt in 0..2 {
        let mut request = shared
            .hooks()
            .client
            .post(&hook.uri)
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::USER_AGENT, "Okta Event Hooks (oksms-sim)")
            .body(body.to_string());
        if let Some((key, value)) = &hook.auth {
            request = request.header(key.as_str(), value.as_str());
        }
        for (key, value) in &hook.headers {
            request = request.header(key.as_str(), value.as_str());
        }
        let result = request.send().await;
        let (status, outcome, retry) = match result {
            Ok(resp) => {
                let status = resp.status().as_u16();
                let _ = resp.bytes().await;
                if attempt == 0 && lose_first_reply {
                    (Some(status), "reply lost (simulated)".to_string(), true)
                } else if (200..300).contains(&status) {
                    (Some(status), "ok".to_string(), false)
                } else if status >= 500 {
                    (Some(status), format!("http {status}"), true)
                } else {
                    (Some(status), format!("http {status}"), false)
                }
            }
            Err(e) if e.is_timeout() => (None, "timeout".to_string(), true),
            Err(_) => (None, "transport error".to_string(), true),
        };
        accepted = outcome == "ok";
        attempts.push(Attempt { status, outcome });
        if !retry {
            break;
        }
    }
    shared.hooks().lock().deliveries.push(Delivery {
        hook_id: hook.id.clone(),
        event_id: event_id.to_string(),
        uuids: uuids.to_vec(),
        attempts,
        accepted,
        duplicate,
    });
    accepted
}

/// The management API's credential check (see the module docs).
fn check_auth(shared: &impl HookOrg, headers: &HeaderMap) -> Result<(), Response> {
    let cfg = shared.config();
    if cfg.ssws_token.is_none() && cfg.service_app.is_none() {
        return Ok(());
    }
    let value = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let (scheme, credential) = value.split_once(' ').unwrap_or((value, ""));
    if scheme.eq_ignore_ascii_case("SSWS") {
        return match cfg.ssws_token.as_deref() {
            Some(t) if t == credential.trim() => Ok(()),
            _ => Err(errors::invalid_token()),
        };
    }
    if scheme.eq_ignore_ascii_case("Bearer") || scheme.eq_ignore_ascii_case("DPoP") {
        let mut resp = errors::forbidden();
        if let Ok(v) = axum::http::HeaderValue::from_str(&format!(
            "Bearer error=\"insufficient_scope\", error_description=\"The access token provided does not contain the required scopes.\", scope=\"{HOOKS_SCOPE}\""
        )) {
            resp.headers_mut().insert(header::WWW_AUTHENTICATE, v);
        }
        return Err(resp);
    }
    Err(errors::invalid_token())
}

fn not_found(id: &str) -> Response {
    errors::okta_error(
        StatusCode::NOT_FOUND,
        "E0000007",
        &format!("Not found: Resource not found: {id} (EventHook)"),
    )
}

fn limit_reached() -> Response {
    errors::validation(&format!(
        "Api validation failed: eventHook. The maximum number of active event hooks \
         ({MAX_ACTIVE_HOOKS}) for the org has been reached."
    ))
}

/// `GET /api/v1/eventHooks`.
pub async fn list<O: HookOrg>(State(shared): State<Arc<O>>, headers: HeaderMap) -> Response {
    if let Err(resp) = check_auth(&shared, &headers) {
        return resp;
    }
    let hooks: Vec<Value> = shared
        .hooks()
        .lock()
        .hooks
        .iter()
        .map(Hook::to_json)
        .collect();
    Json(hooks).into_response()
}

/// `GET /api/v1/eventHooks/{id}`.
pub async fn get_one<O: HookOrg>(
    State(shared): State<Arc<O>>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    if let Err(resp) = check_auth(&shared, &headers) {
        return resp;
    }
    let st = shared.hooks().lock();
    match st.hooks.iter().find(|h| h.id == id) {
        Some(h) => Json(h.to_json()).into_response(),
        None => not_found(&id),
    }
}

/// `POST /api/v1/eventHooks`: a new hook, ACTIVE and UNVERIFIED.
pub async fn create<O: HookOrg>(
    State(shared): State<Arc<O>>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    if let Err(resp) = check_auth(&shared, &headers) {
        return resp;
    }
    let hook = match parse_hook(&shared, &body) {
        Ok(h) => h,
        Err(resp) => return resp,
    };
    let mut st = shared.hooks().lock();
    if st.hooks.iter().filter(|h| h.active).count() >= MAX_ACTIVE_HOOKS {
        return limit_reached();
    }
    let json = hook.to_json();
    st.hooks.push(hook);
    (StatusCode::OK, Json(json)).into_response()
}

fn parse_hook(shared: &impl HookOrg, body: &[u8]) -> Result<Hook, Response> {
    let v: Value = serde_json::from_slice(body).map_err(|_| {
        errors::validation("Api validation failed: The request body was not well-formed.")
    })?;
    let name = v["name"]
        .as_str()
        .filter(|s| !s.trim().is_empty())
        .ok_or_else(|| {
            errors::validation("Api validation failed: name: The field cannot be left blank.")
        })?;
    let config = &v["channel"]["config"];
    let uri = config["uri"].as_str().unwrap_or("");
    let parsed = url::Url::parse(uri).map_err(|_| {
        errors::validation("Api validation failed: channel.config.uri: The URI is not valid.")
    })?;
    let allowed = match parsed.scheme() {
        "https" => true,
        "http" => shared.config().allow_http_hooks,
        _ => false,
    };
    if !allowed {
        return Err(errors::validation(
            "Api validation failed: channel.config.uri: The URI must use HTTPS.",
        ));
    }
    let items: Vec<String> = v["events"]["items"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|s| s.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    if items.is_empty() {
        return Err(errors::validation(
            "Api validation failed: events.items: At least one event type is required.",
        ));
    }
    if let Some(bad) = items.iter().find(|t| !ELIGIBLE.contains(&t.as_str())) {
        return Err(errors::validation(&format!(
            "Api validation failed: events.items: {bad} is not an event hook eligible event type."
        )));
    }
    let auth = match &config["authScheme"] {
        Value::Null => None,
        a => Some((
            a["key"].as_str().unwrap_or("Authorization").to_string(),
            a["value"].as_str().unwrap_or("").to_string(),
        )),
    };
    let headers = config["headers"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|h| {
                    Some((
                        h["key"].as_str()?.to_string(),
                        h["value"].as_str()?.to_string(),
                    ))
                })
                .collect()
        })
        .unwrap_or_default();
    let now = format_published(shared.now_ms());
    let id = format!("who{:017x}", rand::rng().random::<u64>() >> 4);
    Ok(Hook {
        id,
        name: name.to_string(),
        active: true,
        verified: false,
        uri: uri.to_string(),
        auth,
        headers,
        events: items,
        created: now.clone(),
        updated: now,
    })
}

/// `DELETE /api/v1/eventHooks/{id}` (only an INACTIVE hook).
pub async fn delete<O: HookOrg>(
    State(shared): State<Arc<O>>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    if let Err(resp) = check_auth(&shared, &headers) {
        return resp;
    }
    let mut st = shared.hooks().lock();
    let Some(at) = st.hooks.iter().position(|h| h.id == id) else {
        return not_found(&id);
    };
    if st.hooks[at].active {
        return errors::validation(
            "Api validation failed: eventHook. Cannot delete an ACTIVE event hook; deactivate it first.",
        );
    }
    st.hooks.remove(at);
    StatusCode::NO_CONTENT.into_response()
}

/// `POST /api/v1/eventHooks/{id}/lifecycle/{verify|activate|deactivate}`.
pub async fn lifecycle<O: HookOrg>(
    State(shared): State<Arc<O>>,
    Path((id, action)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    if let Err(resp) = check_auth(&shared, &headers) {
        return resp;
    }
    let now = format_published(shared.now_ms());
    let hook = {
        let mut st = shared.hooks().lock();
        let active = st.hooks.iter().filter(|h| h.active).count();
        let Some(hook) = st.hooks.iter_mut().find(|h| h.id == id) else {
            return not_found(&id);
        };
        match action.as_str() {
            "activate" => {
                if !hook.active && active >= MAX_ACTIVE_HOOKS {
                    return limit_reached();
                }
                hook.active = true;
                hook.updated = now;
                return Json(hook.to_json()).into_response();
            }
            "deactivate" => {
                hook.active = false;
                hook.updated = now;
                return Json(hook.to_json()).into_response();
            }
            "verify" => hook.clone(),
            _ => return not_found(&format!("{id}/lifecycle/{action}")),
        }
    };
    match challenge(&shared, &hook).await {
        Ok(()) => {
            let mut st = shared.hooks().lock();
            match st.hooks.iter_mut().find(|h| h.id == id) {
                Some(h) => {
                    h.verified = true;
                    h.updated = now;
                    Json(h.to_json()).into_response()
                }
                None => not_found(&id),
            }
        }
        Err(why) => errors::okta_error(
            StatusCode::BAD_REQUEST,
            "E0000001",
            &format!("Api validation failed: Verification of the event hook failed: {why}"),
        ),
    }
}

/// The verification GET: a random challenge, 3 s, one retry.
async fn challenge(shared: &impl HookOrg, hook: &Hook) -> Result<(), String> {
    let value = uuid::Uuid::new_v4().simple().to_string();
    let mut why = String::new();
    for _ in 0..2 {
        let mut request = shared
            .hooks()
            .client
            .get(&hook.uri)
            .header("x-okta-verification-challenge", &value);
        if let Some((key, secret)) = &hook.auth {
            request = request.header(key.as_str(), secret.as_str());
        }
        match request.send().await {
            Ok(resp) if resp.status().is_success() => {
                let answer: Value = resp.json().await.unwrap_or(Value::Null);
                if answer["verification"].as_str() == Some(value.as_str()) {
                    return Ok(());
                }
                return Err("the endpoint did not echo the challenge".into());
            }
            Ok(resp) => why = format!("the endpoint answered HTTP {}", resp.status().as_u16()),
            Err(e) if e.is_timeout() => why = "the endpoint did not answer within 3 seconds".into(),
            Err(_) => why = "the endpoint could not be reached".into(),
        }
    }
    Err(why)
}

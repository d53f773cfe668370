//! Sends deliveries the way Okta does: POST with the hook's headers, a
//! response other than 2xx within the timeout is a failure, 5xx, timeouts
//! and connection failures are retried (`--retries`, default 1, at once).
//! Deliveries start in plan order, paced, and run on `--concurrency`
//! worker threads; outcomes come back as they finish.

use super::load::ReplayEvent;
use super::pace::{self, Clock};
use super::plan::{self, Planned};
use anyhow::{Context, Result};
use reqwest::blocking::Client;
use reqwest::header::{CONTENT_TYPE, HeaderMap, HeaderName, HeaderValue};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use url::Url;

/// Where and how deliveries are sent.
#[derive(Debug, Clone)]
pub struct Target {
    pub url: Url,
    /// Every header sent, the secret included (marked sensitive).
    pub headers: HeaderMap,
    pub timeout: Duration,
    pub retries: u32,
}

/// What happened to one delivery.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub index: usize,
    pub event_id: String,
    pub event_count: usize,
    pub delivered: bool,
    /// The last HTTP status, when a response came.
    pub status: Option<u16>,
    pub attempts: u32,
    /// From the first attempt's start to the final answer.
    pub latency: Duration,
    /// Why it failed (no secrets, no URL query).
    pub error: Option<String>,
    /// The body sent (one line).
    pub envelope: String,
}

/// One attempt's result.
enum Attempt {
    Status(u16),
    /// No answer: timeout or connection failure (retryable).
    NoAnswer(String),
    /// Failed before or while sending in a way a retry cannot fix.
    Broken(String),
}

/// The HTTP client for a target.
pub fn client(target: &Target) -> Result<Client> {
    Client::builder()
        .timeout(target.timeout)
        .user_agent(concat!("oksms/", env!("CARGO_PKG_VERSION"), " (replay)"))
        .default_headers(target.headers.clone())
        .build()
        .context("cannot build the HTTP client")
}

/// Builds the header map: the secret in `auth_header` (sensitive), the
/// extra `K:V` headers, and `Content-Type: application/json`.
pub fn headers(
    secret: Option<&[u8]>,
    auth_header: &str,
    extra: &[(String, String)],
) -> Result<HeaderMap, String> {
    let mut map = HeaderMap::new();
    map.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    for (name, value) in extra {
        let name = HeaderName::from_bytes(name.as_bytes())
            .map_err(|_| format!("--header: {name:?} is not a valid header name"))?;
        let value = HeaderValue::from_str(value)
            .map_err(|_| format!("--header: the value for {name} is not a valid header value"))?;
        map.append(name, value);
    }
    if let Some(secret) = secret {
        let name = HeaderName::from_bytes(auth_header.as_bytes())
            .map_err(|_| format!("--auth-header {auth_header:?} is not a valid header name"))?;
        let mut value = HeaderValue::from_bytes(secret)
            .map_err(|_| "the secret is not a valid header value".to_string())?;
        value.set_sensitive(true);
        map.insert(name, value);
    }
    Ok(map)
}

fn attempt(client: &Client, target: &Target, body: &str) -> Attempt {
    match client
        .post(target.url.clone())
        .body(body.to_string())
        .send()
    {
        Ok(response) => {
            let status = response.status().as_u16();
            // drain a little so the connection can be reused; never logged
            let _ = response.bytes();
            Attempt::Status(status)
        }
        Err(e) if e.is_timeout() => {
            Attempt::NoAnswer(format!("timed out after {:?}", target.timeout))
        }
        Err(e) if e.is_connect() => Attempt::NoAnswer(format!("connection failed: {}", chain(e))),
        Err(e) => Attempt::Broken(format!("request failed: {}", chain(e))),
    }
}

/// An error and its causes, without the URL (which may hold a token).
fn chain(e: reqwest::Error) -> String {
    let e = e.without_url();
    let mut text = e.to_string();
    let mut source = std::error::Error::source(&e);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// Sends one delivery with retries.
pub fn deliver(client: &Client, target: &Target, planned: &Planned, body: String) -> Outcome {
    let start = Instant::now();
    let mut attempts = 0;
    let (delivered, status, error) = loop {
        attempts += 1;
        let (retryable, result) = match attempt(client, target, &body) {
            Attempt::Status(s) if (200..300).contains(&s) => (false, (true, Some(s), None)),
            Attempt::Status(s) => (s >= 500, (false, Some(s), Some(format!("HTTP {s}")))),
            Attempt::NoAnswer(why) => (true, (false, None, Some(why))),
            Attempt::Broken(why) => (false, (false, None, Some(why))),
        };
        if !retryable || attempts > target.retries {
            break result;
        }
    };
    Outcome {
        index: planned.index,
        event_id: planned.event_id.clone(),
        event_count: planned.events.len(),
        delivered,
        status,
        attempts,
        latency: start.elapsed(),
        error,
        envelope: body,
    }
}

/// Sends every planned delivery: started in order at its scheduled offset,
/// at most `concurrency` at once. `on_outcome` sees each result as it
/// finishes (on the calling thread).
#[allow(clippy::too_many_arguments)]
pub fn run(
    target: &Target,
    planned: &[Planned],
    events: &[ReplayEvent],
    offsets: &[Duration],
    concurrency: usize,
    clock: &dyn Clock,
    on_outcome: &mut dyn FnMut(Outcome) -> Result<()>,
) -> Result<()> {
    let client = client(target)?;
    let (job_tx, job_rx) = mpsc::sync_channel::<(&Planned, String)>(0);
    let job_rx = Arc::new(Mutex::new(job_rx));
    let (done_tx, done_rx) = mpsc::channel::<Outcome>();
    std::thread::scope(|scope| -> Result<()> {
        for _ in 0..concurrency.max(1) {
            let jobs = job_rx.clone();
            let done = done_tx.clone();
            let client = client.clone();
            scope.spawn(move || {
                loop {
                    let next = match jobs.lock() {
                        Ok(rx) => rx.recv(),
                        Err(_) => return,
                    };
                    let Ok((planned, body)) = next else { return };
                    if done.send(deliver(&client, target, planned, body)).is_err() {
                        return;
                    }
                }
            });
        }
        drop(done_tx);
        let dispatcher = scope.spawn(move || -> Result<()> {
            for (planned, offset) in planned.iter().zip(offsets) {
                pace::wait_until(clock, *offset);
                let body = plan::envelope(planned, events, &plan::now())
                    .context("cannot build a delivery envelope")?;
                if job_tx.send((planned, body)).is_err() {
                    break; // the workers stopped (outcome handling failed)
                }
            }
            Ok(())
        });
        let mut handled = Ok(());
        for outcome in done_rx {
            if handled.is_ok() {
                handled = on_outcome(outcome);
                if handled.is_err() {
                    // let the workers and dispatcher wind down: closing the
                    // job queue is done by dropping the receiver's users
                    break;
                }
            }
        }
        drop(job_rx);
        let dispatched = dispatcher
            .join()
            .unwrap_or_else(|_| Err(anyhow::anyhow!("the dispatcher panicked")));
        handled?;
        dispatched
    })
}

/// Okta's verification call: GET with a random challenge, which the
/// endpoint must echo as `{"verification": "<challenge>"}`.
pub fn verify(target: &Target) -> Result<(), String> {
    let client = client(target).map_err(|e| format!("{e:#}"))?;
    let challenge = uuid::Uuid::new_v4().simple().to_string();
    let response = client
        .get(target.url.clone())
        .header("X-Okta-Verification-Challenge", &challenge)
        .send()
        .map_err(|e| format!("verification request failed: {}", chain(e)))?;
    let status = response.status();
    if !status.is_success() {
        return Err(format!("verification answered HTTP {}", status.as_u16()));
    }
    let body: serde_json::Value = response
        .json()
        .map_err(|_| "verification answer is not JSON".to_string())?;
    if body.get("verification").and_then(|v| v.as_str()) == Some(challenge.as_str()) {
        Ok(())
    } else {
        Err("verification answer does not echo the challenge as {\"verification\": ...}".into())
    }
}

/// The headers as shown by `--dry-run`: secrets replaced by `<redacted>`
/// (see [`crate::secret::headers`]).
pub fn shown_headers(headers: &HeaderMap) -> serde_json::Value {
    serde_json::Value::Object(crate::secret::headers::to_object(headers, None))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_carry_the_secret_marked_sensitive_and_show_redacted() {
        let extra = vec![("X-Trace".to_string(), "t1".to_string())];
        let map = headers(Some(b"Basic s3cret"), "Authorization", &extra).unwrap();
        assert_eq!(map["authorization"], "Basic s3cret");
        assert!(map["authorization"].is_sensitive());
        assert_eq!(map["content-type"], "application/json");
        let shown = shown_headers(&map).to_string();
        assert!(!shown.contains("s3cret"), "{shown}");
        assert!(shown.contains("\"x-trace\":\"t1\""), "{shown}");
        assert!(headers(None, "Authorization", &[("bad name".into(), "v".into())]).is_err());
    }
}

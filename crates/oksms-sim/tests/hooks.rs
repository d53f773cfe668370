//! The simulated org's event hooks against a scripted receiver on
//! 127.0.0.1: verification, Okta's one retry after a 5xx or a timeout, no
//! retry after a 4xx, and the management API's refusals.

use oksms_sim::{SimConfig, SimOrg};
use reqwest::blocking::Client;
use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// What the scripted receiver does with the n-th request (after that: 200).
#[derive(Clone, Copy)]
enum Answer {
    Status(u16),
    /// Answer 200 after this long (longer than Okta's 3 s: a timeout).
    Late(Duration),
}

/// A one-connection-per-request HTTP receiver that echoes challenges and
/// answers deliveries per `script`; returns its URL and the methods seen.
fn receiver(script: Vec<Answer>) -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    std::thread::spawn(move || {
        let mut posts = 0usize;
        // Bounded: at most 50 connections per test.
        for stream in listener.incoming().take(50) {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut line = String::new();
            if reader.read_line(&mut line).is_err() {
                continue;
            }
            let method = line.split(' ').next().unwrap_or("").to_string();
            let (mut length, mut challenge) = (0usize, String::new());
            loop {
                let mut h = String::new();
                if reader.read_line(&mut h).unwrap_or(0) == 0 || h == "\r\n" {
                    break;
                }
                let lower = h.to_ascii_lowercase();
                if let Some(v) = lower.strip_prefix("content-length:") {
                    length = v.trim().parse().unwrap_or(0);
                }
                if lower.starts_with("x-okta-verification-challenge:") {
                    challenge = h.split_once(':').unwrap().1.trim().to_string();
                }
            }
            let mut body = vec![0; length];
            let _ = reader.read_exact(&mut body);
            log.lock().unwrap().push(method.clone());
            let (status, text) = if method == "GET" {
                (200, json!({ "verification": challenge }).to_string())
            } else {
                let answer = script.get(posts).copied().unwrap_or(Answer::Status(200));
                posts += 1;
                match answer {
                    Answer::Status(s) => (s, String::new()),
                    Answer::Late(d) => {
                        std::thread::sleep(d);
                        (200, String::new())
                    }
                }
            };
            let _ = write!(
                stream,
                "HTTP/1.1 {status} X\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{text}",
                text.len()
            );
        }
    });
    (url, seen)
}

fn org() -> SimOrg {
    SimOrg::start(SimConfig {
        event_count: 5,
        allow_http_hooks: true,
        hook_batch: 1000,
        ..SimConfig::default()
    })
    .unwrap()
}

fn api(org: &SimOrg, method: reqwest::Method, path: &str, body: Option<Value>) -> (u16, Value) {
    let client = Client::builder()
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap();
    let mut req = client.request(method, format!("{}{path}", org.base_url()));
    if let Some(b) = body {
        req = req.json(&b);
    }
    let resp = req.send().unwrap();
    let status = resp.status().as_u16();
    (status, resp.json().unwrap_or(Value::Null))
}

fn hook_body(uri: &str) -> Value {
    json!({
        "name": "test",
        "events": {"type": "EVENT_TYPE", "items": ["system.sms.send_phone_verification_message"]},
        "channel": {"type": "HTTP", "version": "1.0.0", "config": {
            "uri": uri, "headers": [],
            "authScheme": {"type": "HEADER", "key": "Authorization", "value": "Basic c2VjcmV0"}
        }}
    })
}

/// A registered, verified hook at `uri`; returns its id.
fn verified_hook(org: &SimOrg, uri: &str) -> String {
    let (status, hook) = api(
        org,
        reqwest::Method::POST,
        "/api/v1/eventHooks",
        Some(hook_body(uri)),
    );
    assert_eq!(status, 200, "{hook}");
    assert_eq!(hook["verificationStatus"], "UNVERIFIED");
    assert!(hook["channel"]["config"]["authScheme"]["value"].is_null());
    let id = hook["id"].as_str().unwrap().to_string();
    let (status, hook) = api(
        org,
        reqwest::Method::POST,
        &format!("/api/v1/eventHooks/{id}/lifecycle/verify"),
        None,
    );
    assert_eq!(status, 200, "{hook}");
    assert_eq!(hook["verificationStatus"], "VERIFIED");
    id
}

#[test]
fn a_5xx_and_a_timeout_are_retried_once_and_a_4xx_never() {
    let org = org();
    let (uri, seen) = receiver(vec![
        Answer::Status(503),
        Answer::Status(200),
        Answer::Late(Duration::from_secs(4)),
        Answer::Status(200),
        Answer::Status(400),
    ]);
    verified_hook(&org, &uri);
    for _ in 0..3 {
        org.append_events(40);
        assert!(org.wait_hook_deliveries(Duration::from_secs(60)));
    }
    let d = org.hook_deliveries();
    assert_eq!(d.len(), 3, "{d:?}");
    let outcomes: Vec<Vec<&str>> = d
        .iter()
        .map(|x| x.attempts.iter().map(|a| a.outcome.as_str()).collect())
        .collect();
    assert_eq!(
        outcomes,
        vec![
            vec!["http 503", "ok"],
            vec!["timeout", "ok"],
            vec!["http 400"]
        ]
    );
    assert_eq!(
        d.iter().map(|x| x.accepted).collect::<Vec<_>>(),
        vec![true, true, false]
    );
    assert_eq!(
        seen.lock().unwrap().first().map(String::as_str),
        Some("GET")
    );
}

#[test]
fn the_management_api_refuses_http_urls_deletes_only_inactive_hooks_and_caps_active_ones() {
    let org = SimOrg::start(SimConfig::default()).unwrap();
    let (status, err) = api(
        &org,
        reqwest::Method::POST,
        "/api/v1/eventHooks",
        Some(hook_body("http://127.0.0.1:9/hook")),
    );
    assert_eq!(status, 400);
    assert!(err["errorSummary"].as_str().unwrap().contains("HTTPS"));
    let mut ids = Vec::new();
    for i in 0..25 {
        let (status, hook) = api(
            &org,
            reqwest::Method::POST,
            "/api/v1/eventHooks",
            Some(hook_body(&format!("https://127.0.0.1:9/hook{i}"))),
        );
        assert_eq!(status, 200);
        ids.push(hook["id"].as_str().unwrap().to_string());
    }
    let (status, err) = api(
        &org,
        reqwest::Method::POST,
        "/api/v1/eventHooks",
        Some(hook_body("https://127.0.0.1:9/one-more")),
    );
    assert_eq!(status, 400);
    assert!(err["errorSummary"].as_str().unwrap().contains("25"));
    let delete = format!("/api/v1/eventHooks/{}", ids[0]);
    assert_eq!(api(&org, reqwest::Method::DELETE, &delete, None).0, 400);
    let deactivate = format!("/api/v1/eventHooks/{}/lifecycle/deactivate", ids[0]);
    assert_eq!(api(&org, reqwest::Method::POST, &deactivate, None).0, 200);
    assert_eq!(api(&org, reqwest::Method::DELETE, &delete, None).0, 204);
    // Verification of an unreachable URL fails with 400.
    let verify = format!("/api/v1/eventHooks/{}/lifecycle/verify", ids[1]);
    let (status, err) = api(&org, reqwest::Method::POST, &verify, None);
    assert_eq!(status, 400, "{err}");
    assert!(
        err["errorSummary"]
            .as_str()
            .unwrap()
            .contains("Verification")
    );
}

//! Integration tests for `replay`: to stdout (order, range, pacing) and to
//! real HTTP endpoints on 127.0.0.1: the `watch --listen` receiver end to
//! end, and a test receiver that fails, times out and answers 500 once.

use crate::support::hook::{Listener, SECRET, SECRET_VAR, sms_event};
use crate::support::org::{TOKEN, org_with};
use crate::support::{json_lines, ndjson, oksms, parse_to_json};
use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

fn event(uuid: &str, published: &str) -> String {
    let mut v: serde_json::Value = serde_json::from_str(&sms_event(1, published)).unwrap();
    v["uuid"] = uuid.into();
    v.to_string()
}

#[test]
fn replay_into_the_listener_round_trips_the_card_fields() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("export.ndjson");
    let published = [
        "2024-05-01T12:00:03.000Z",
        "2024-05-01T12:00:01.000Z",
        "2024-05-01T12:00:05.000Z",
        "2024-05-01T12:00:02.000Z",
        "2024-05-01T12:00:04.000Z",
    ];
    let events: Vec<String> = published
        .iter()
        .enumerate()
        .map(|(i, p)| sms_event(i, p))
        .collect();
    std::fs::write(&input, ndjson(&events)).unwrap();
    let capture = dir.path().join("capture.ndjson");
    let listener = Listener::start(&["--capture", capture.to_str().unwrap()]);

    let sent = oksms()
        .env(SECRET_VAR, SECRET)
        .args([
            "replay",
            "--to",
            &listener.url,
            "--secret-env",
            SECRET_VAR,
            "--batch",
            "2",
            "--verify",
        ])
        .arg(&input)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&sent.stderr).to_string();
    assert!(sent.status.success(), "{stderr}");
    assert!(
        stderr.contains("sent 3 deliveries (5 events): delivered 3, failed 0, retried 0"),
        "{stderr}"
    );
    assert!(
        stderr.contains("passed the verification challenge"),
        "{stderr}"
    );

    // The capture's envelopes replayed with --keep-ids are all duplicates.
    let again = oksms()
        .env(SECRET_VAR, SECRET)
        .args([
            "replay",
            "--to",
            &listener.url,
            "--secret-env",
            SECRET_VAR,
            "--keep-ids",
        ])
        .arg(&capture)
        .output()
        .unwrap();
    assert!(
        again.status.success(),
        "{}",
        String::from_utf8_lossy(&again.stderr)
    );
    assert!(
        String::from_utf8_lossy(&again.stderr)
            .contains("sent 3 deliveries (5 events): delivered 3")
    );
    let stopped = listener.stop();
    assert!(
        stopped.stderr.contains("dropped 3 duplicate deliveries"),
        "{}",
        stopped.stderr
    );
    assert_eq!(json_lines(&stopped.stdout).len(), 5);

    let original = parse_to_json(&input);
    let replayed = parse_to_json(&capture);
    assert_eq!(replayed.len(), 5);
    // in published order, as replay sends them
    let order: Vec<_> = replayed
        .iter()
        .map(|r| r["published"].as_str().unwrap().to_string())
        .collect();
    let mut sorted = order.clone();
    sorted.sort();
    assert_eq!(order, sorted);
    let mut delivery_ids = std::collections::HashSet::new();
    for mut got in replayed {
        let obj = got.as_object_mut().unwrap();
        let uuid = obj.remove("uuid").unwrap();
        assert!(
            uuid::Uuid::parse_str(uuid.as_str().unwrap()).is_ok(),
            "{uuid}"
        );
        delivery_ids.insert(uuid.to_string());
        assert!(
            obj.remove("event_time")
                .unwrap()
                .as_str()
                .unwrap()
                .ends_with('Z')
        );
        assert_eq!(obj.remove("source").unwrap(), "oksms-replay");
        if let Some(headers) = obj.remove("headers") {
            assert_eq!(headers["authorization"], "<redacted>");
        }
        let want = original
            .iter()
            .find(|o| o["event_id"] == got["event_id"])
            .unwrap();
        let mut want = want.clone();
        for key in ["uuid", "event_time", "source", "headers"] {
            want.as_object_mut().unwrap().remove(key);
        }
        assert_eq!(got, want);
    }
    assert_eq!(delivery_ids.len(), 3);
    let capture_text = std::fs::read_to_string(&capture).unwrap();
    assert!(!capture_text.contains(SECRET));
}

/// A receiver that behaves by the first event's uuid: `fail-*` answers
/// 400, `slow-*` answers only after 30 s, `once-*` answers 500 the first
/// time, everything else 200.
struct Receiver {
    url: String,
    attempts: Arc<Mutex<HashMap<String, u32>>>,
    auth: Arc<Mutex<Vec<String>>>,
    runtime: Option<tokio::runtime::Runtime>,
}

#[derive(Clone)]
struct Seen {
    attempts: Arc<Mutex<HashMap<String, u32>>>,
    auth: Arc<Mutex<Vec<String>>>,
}

async fn receive(State(seen): State<Seen>, headers: HeaderMap, body: String) -> StatusCode {
    let value: serde_json::Value = serde_json::from_str(&body).unwrap_or_default();
    let first = value["data"]["events"][0]["uuid"]
        .as_str()
        .unwrap_or("")
        .to_string();
    let auth = headers
        .get("authorization")
        .map(|v| v.to_str().unwrap_or("").to_string());
    seen.auth.lock().unwrap().push(auth.unwrap_or_default());
    let attempt = {
        let mut attempts = seen.attempts.lock().unwrap();
        let n = attempts.entry(first.clone()).or_insert(0);
        *n += 1;
        *n
    };
    if first.starts_with("fail") {
        StatusCode::BAD_REQUEST
    } else if first.starts_with("slow") {
        tokio::time::sleep(Duration::from_secs(30)).await;
        StatusCode::OK
    } else if first.starts_with("once") && attempt == 1 {
        StatusCode::INTERNAL_SERVER_ERROR
    } else {
        StatusCode::OK
    }
}

impl Receiver {
    fn start() -> Receiver {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let listener = runtime
            .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
            .unwrap();
        let addr = listener.local_addr().unwrap();
        let seen = Seen {
            attempts: Arc::default(),
            auth: Arc::default(),
        };
        let app = Router::new()
            .route("/hook", post(receive))
            .with_state(seen.clone());
        runtime.spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Receiver {
            url: format!("http://{addr}/hook"),
            attempts: seen.attempts,
            auth: seen.auth,
            runtime: Some(runtime),
        }
    }

    fn attempts(&self) -> HashMap<String, u32> {
        self.attempts.lock().unwrap().clone()
    }
}

impl Drop for Receiver {
    fn drop(&mut self) {
        if let Some(rt) = self.runtime.take() {
            rt.shutdown_background();
        }
    }
}

#[test]
fn retries_summary_report_and_only_failed() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("events.ndjson");
    let uuids = ["ok-1", "fail-1", "slow-1", "once-1", "ok-2"];
    let events: Vec<String> = uuids
        .iter()
        .enumerate()
        .map(|(i, u)| event(u, &format!("2024-05-01T12:00:0{i}.000Z")))
        .collect();
    std::fs::write(&input, ndjson(&events)).unwrap();
    let report = dir.path().join("report.ndjson");
    let flaky = Receiver::start();
    let out = oksms()
        .env(SECRET_VAR, SECRET)
        .args([
            "replay",
            "--to",
            &flaky.url,
            "--secret-env",
            SECRET_VAR,
            "--timeout",
            "300ms",
            "--concurrency",
            "3",
            "--report",
        ])
        .arg(&report)
        .arg(&input)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("sent 5 deliveries (5 events): delivered 3, failed 2, retried 2"),
        "{stderr}"
    );
    // 4xx is final; a timeout and a 5xx are retried once
    let attempts = flaky.attempts();
    let want: HashMap<String, u32> = [
        ("ok-1", 1),
        ("fail-1", 1),
        ("slow-1", 2),
        ("once-1", 2),
        ("ok-2", 1),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), *v))
    .collect();
    assert_eq!(attempts, want);
    assert!(flaky.auth.lock().unwrap().iter().all(|a| a == SECRET));

    let report_text = std::fs::read_to_string(&report).unwrap();
    assert!(!report_text.contains(SECRET) && !report_text.contains("czNjcmV0"));
    let rows = json_lines(&report_text);
    assert_eq!(rows.len(), 5);
    let by_uuid: HashMap<String, &serde_json::Value> = rows
        .iter()
        .map(|r| {
            (
                r["envelope"]["data"]["events"][0]["uuid"]
                    .as_str()
                    .unwrap()
                    .to_string(),
                r,
            )
        })
        .collect();
    assert_eq!(by_uuid["fail-1"]["result"], "failed");
    assert_eq!(by_uuid["fail-1"]["status"], 400);
    assert_eq!(by_uuid["slow-1"]["result"], "failed");
    assert_eq!(by_uuid["slow-1"]["attempts"], 2);
    assert!(
        by_uuid["slow-1"]["error"]
            .as_str()
            .unwrap()
            .contains("timed out")
    );
    assert_eq!(by_uuid["once-1"]["result"], "delivered");
    assert_eq!(by_uuid["once-1"]["attempts"], 2);
    assert_eq!(by_uuid["ok-2"]["result"], "delivered");

    // --only-failed re-sends exactly the failed ones
    let healthy = Receiver::start();
    let resent = oksms()
        .env(SECRET_VAR, SECRET)
        .args([
            "replay",
            "--to",
            &healthy.url,
            "--secret-env",
            SECRET_VAR,
            "--only-failed",
        ])
        .arg(&report)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&resent.stderr).to_string();
    // fail-1 and slow-1 behave the same on the new receiver: still failing
    assert_eq!(resent.status.code(), Some(1), "{stderr}");
    let mut got: Vec<String> = healthy.attempts().keys().cloned().collect();
    got.sort();
    assert_eq!(got, ["fail-1", "slow-1"]);
    assert!(stderr.contains("sent 2 deliveries (2 events)"), "{stderr}");
}

#[test]
fn only_failed_into_a_healthy_receiver_succeeds() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("events.ndjson");
    std::fs::write(
        &input,
        ndjson(&[
            event("fail-9", "2024-05-01T12:00:00Z"),
            event("ok-9", "2024-05-01T12:00:01Z"),
        ]),
    )
    .unwrap();
    let report = dir.path().join("report.ndjson");
    let flaky = Receiver::start();
    let first = oksms()
        .args(["replay", "--to", &flaky.url, "--report"])
        .arg(&report)
        .arg(&input)
        .output()
        .unwrap();
    assert_eq!(first.status.code(), Some(1));
    // rewrite the failed event's uuid in the report so a healthy copy of
    // the receiver accepts it: what a fixed receiver would do
    let fixed = std::fs::read_to_string(&report)
        .unwrap()
        .replace("fail-9", "okay-9");
    std::fs::write(&report, fixed).unwrap();
    let healthy = Receiver::start();
    let resent = oksms()
        .args([
            "replay",
            "--to",
            &healthy.url,
            "--keep-ids",
            "--only-failed",
        ])
        .arg(&report)
        .output()
        .unwrap();
    assert!(
        resent.status.success(),
        "{}",
        String::from_utf8_lossy(&resent.stderr)
    );
    assert_eq!(healthy.attempts().keys().collect::<Vec<_>>(), ["okay-9"]);
}

#[test]
fn stdout_replay_is_ordered_and_cut() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("events.ndjson");
    std::fs::write(
        &input,
        ndjson(&[
            event("c", "2024-05-01T12:00:03Z"),
            event("a", "2024-05-01T12:00:01Z"),
            event("d", "2024-05-01T12:00:04Z"),
            event("b", "2024-05-01T12:00:02Z"),
        ]),
    )
    .unwrap();
    let all = oksms()
        .args(["replay", "-o", "ndjson", "--fields", "event_id"])
        .arg(&input)
        .output()
        .unwrap();
    assert!(all.status.success());
    let ids: Vec<_> = json_lines(&all.stdout)
        .iter()
        .map(|r| r["event_id"].clone())
        .collect();
    assert_eq!(ids, ["a", "b", "c", "d"]);
    let cut = oksms()
        .args([
            "replay",
            "-o",
            "ndjson",
            "--fields",
            "event_id",
            "--from",
            "2024-05-01T12:00:02Z",
            "--until",
            "2024-05-01T12:00:04Z",
        ])
        .arg(&input)
        .output()
        .unwrap();
    let ids: Vec<_> = json_lines(&cut.stdout)
        .iter()
        .map(|r| r["event_id"].clone())
        .collect();
    assert_eq!(ids, ["b", "c"]);
}

#[test]
fn speed_keeps_the_order_and_at_least_the_scaled_spacing() {
    // Exact pacing is unit-tested with a fake clock (replay::pace); here only
    // the order and a lower bound, which no slow machine can break.
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("events.ndjson");
    std::fs::write(
        &input,
        ndjson(&[
            event("b", "2024-05-01T12:00:02Z"),
            event("a", "2024-05-01T12:00:00Z"),
            event("c", "2024-05-01T12:00:04Z"),
        ]),
    )
    .unwrap();
    let started = Instant::now();
    let out = oksms()
        .args([
            "replay", "-o", "ndjson", "--fields", "event_id", "--speed", "10",
        ])
        .arg(&input)
        .output()
        .unwrap();
    let elapsed = started.elapsed();
    assert!(out.status.success());
    let ids: Vec<_> = json_lines(&out.stdout)
        .iter()
        .map(|r| r["event_id"].clone())
        .collect();
    assert_eq!(ids, ["a", "b", "c"]);
    assert!(elapsed >= Duration::from_millis(400), "{elapsed:?}");
}

#[test]
fn dry_run_prints_deliveries_and_remote_targets_need_consent() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("events.ndjson");
    std::fs::write(
        &input,
        ndjson(&[
            event("a", "2024-05-01T12:00:00Z"),
            event("b", "2024-05-01T12:00:01Z"),
        ]),
    )
    .unwrap();
    let dry = oksms()
        .env(SECRET_VAR, SECRET)
        .args([
            "replay",
            "--to",
            "https://hooks.example.invalid/okta?clientToken=tok123",
            "--secret-env",
            SECRET_VAR,
            "--dry-run",
            "--header",
            "X-Trace: t1",
        ])
        .arg(&input)
        .output()
        .unwrap();
    assert!(
        dry.status.success(),
        "{}",
        String::from_utf8_lossy(&dry.stderr)
    );
    let text = String::from_utf8_lossy(&dry.stdout).to_string();
    assert!(!text.contains(SECRET) && !text.contains("tok123"), "{text}");
    let rows = json_lines(&text);
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0]["url"], "https://hooks.example.invalid/okta");
    assert_eq!(rows[0]["headers"]["authorization"], "<redacted>");
    assert_eq!(rows[0]["headers"]["x-trace"], "t1");
    assert_eq!(rows[0]["envelope"]["eventType"], "com.okta.event_hook");
    assert_eq!(rows[0]["envelope"]["data"]["events"][0]["uuid"], "a");
    assert_ne!(
        rows[0]["envelope"]["eventId"],
        rows[1]["envelope"]["eventId"]
    );

    // no terminal, no --yes: refused before any request, exit 2
    let refused = oksms()
        .args(["replay", "--to", "https://hooks.example.invalid/okta"])
        .arg(&input)
        .output()
        .unwrap();
    assert_eq!(refused.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(
        stderr.contains("hooks.example.invalid") && stderr.contains("--yes"),
        "{stderr}"
    );
}

#[test]
fn a_failed_verification_sends_nothing() {
    let receiver = Receiver::start(); // answers GET with 405: no echo
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("events.ndjson");
    std::fs::write(&input, ndjson(&[event("a", "2024-05-01T12:00:00Z")])).unwrap();
    let out = oksms()
        .args(["replay", "--to", &receiver.url, "--verify"])
        .arg(&input)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("verification"));
    assert!(receiver.attempts().is_empty());
}

#[test]
fn fetch_from_the_simulator_then_replay_into_the_listener() {
    use oksms_sim::SimConfig;
    let org = org_with(SimConfig {
        event_count: 40,
        ..SimConfig::default()
    });
    let fetched = oksms()
        .env("OKTA_CLIENT_TOKEN", TOKEN)
        .args(["fetch", "--org", &org.base_url(), "-o", "ndjson"])
        .timeout(Duration::from_secs(240))
        .output()
        .unwrap();
    assert!(
        fetched.status.success(),
        "{}",
        String::from_utf8_lossy(&fetched.stderr)
    );
    // fetch's own NDJSON output is replay input as it is.
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("fetched.ndjson");
    std::fs::write(&input, &fetched.stdout).unwrap();
    let fetched = json_lines(&fetched.stdout);
    assert!(!fetched.is_empty());

    let capture = dir.path().join("capture.ndjson");
    let listener = Listener::start(&["--capture", capture.to_str().unwrap()]);
    let sent = oksms()
        .env(SECRET_VAR, SECRET)
        .args([
            "replay",
            "--to",
            &listener.url,
            "--secret-env",
            SECRET_VAR,
            "--batch",
            "3",
            "--concurrency",
            "4",
        ])
        .arg(&input)
        .output()
        .unwrap();
    assert!(
        sent.status.success(),
        "{}",
        String::from_utf8_lossy(&sent.stderr)
    );
    let stopped = listener.stop();
    assert_eq!(stopped.status.code(), Some(130), "{}", stopped.stderr);

    let replayed = parse_to_json(&capture);
    assert_eq!(replayed.len(), fetched.len());
    let strip = |mut v: serde_json::Value| {
        for key in ["uuid", "event_time", "source", "headers"] {
            v.as_object_mut().unwrap().remove(key);
        }
        v
    };
    let mut want: Vec<serde_json::Value> = fetched.iter().cloned().map(strip).collect();
    let mut got: Vec<serde_json::Value> = replayed
        .into_iter()
        .map(|r| {
            // The fetched records name their org as source; replay keeps it.
            assert_eq!(r["source"], org.base_url().as_str());
            assert!(uuid::Uuid::parse_str(r["uuid"].as_str().unwrap()).is_ok());
            assert!(r["event_time"].is_string());
            strip(r)
        })
        .collect();
    let key = |v: &serde_json::Value| v["event_id"].as_str().unwrap_or("").to_string();
    want.sort_by_key(key);
    got.sort_by_key(key);
    assert_eq!(got, want);
}

#[test]
fn replay_to_stdout_takes_the_audit_flags() {
    let out = crate::support::oksms()
        .args([
            "replay",
            "-o",
            "csv",
            "--group-by",
            "phone",
            "--alert",
            "users-per-phone > 1",
        ])
        .arg(crate::support::fixture("sms-events.json"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("phone,count,users,"), "{text}");
    assert!(text.contains("+14155550123,2,2,"), "{text}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("+14155550123"));
}

/// Every numeric flag of every subcommand: a value just outside its range
/// is a usage error (exit 2) naming the flag and the range; the bounds
/// themselves are accepted.
#[test]
fn numeric_flags_are_range_checked_with_usage_errors() {
    use clap::Parser;
    use oksms::cli::Cli;
    const FETCH: &[&str] = &["fetch"];
    const WATCH: &[&str] = &["watch"];
    const LISTEN: &[&str] = &["watch", "--listen", "127.0.0.1:0"];
    const GROUPED: &[&str] = &["parse", "--group-by", "phone"];
    const WATCH_GROUPED: &[&str] = &["watch", "--group-by", "phone"];
    const REPLAY: &[&str] = &["replay"];
    const TO: &[&str] = &["replay", "--to", "http://127.0.0.1:9/"];
    // (command, flag, accepted bounds, refused values, range as the error names it)
    type Row = (
        &'static [&'static str],
        &'static str,
        &'static [&'static str],
        &'static [&'static str],
        &'static str,
    );
    let table: &[Row] = &[
        (
            FETCH,
            "--limit",
            &["1", "18446744073709551615"],
            &["0", "-1"],
            "1..",
        ),
        (
            FETCH,
            "--page-size",
            &["1", "1000"],
            &["0", "1001"],
            "1..=1000",
        ),
        (
            FETCH,
            "--rate-budget",
            &["1", "100"],
            &["0", "101"],
            "1..=100",
        ),
        (FETCH, "--retries", &["0", "100"], &["101", "-1"], "0..=100"),
        (
            FETCH,
            "--timeout",
            &["1", "3600", "1s", "30s", "1h"],
            &["0", "3601", "999ms", "2h"],
            "1s to 1h",
        ),
        (
            FETCH,
            "--max-page-size",
            &["1KiB", "1024MiB"],
            &["1023", "1025MiB"],
            "1KiB to 1024MiB",
        ),
        (
            FETCH,
            "--max-rate-limit-wait",
            &["1s", "24h", "1d", "90"],
            &["999ms", "25h"],
            "1s to 24h",
        ),
        (
            WATCH,
            "--interval",
            &["10ms", "24h", "1d", "0.5", "1.5s"],
            &["9ms", "0", "25h"],
            "10ms to 24h",
        ),
        (WATCH, "--max-polls", &["1"], &["0"], "1.."),
        (
            WATCH,
            "--page-size",
            &["1", "1000"],
            &["0", "1001"],
            "1..=1000",
        ),
        (
            WATCH,
            "--rate-budget",
            &["1", "100"],
            &["0", "101"],
            "1..=100",
        ),
        (WATCH, "--retries", &["0", "100"], &["101"], "0..=100"),
        (
            WATCH,
            "--timeout",
            &["1", "3600", "30s", "1h"],
            &["0", "3601", "2h"],
            "1s to 1h",
        ),
        (
            WATCH,
            "--max-page-size",
            &["1KiB", "1024MiB"],
            &["1023", "2048MiB"],
            "1KiB to 1024MiB",
        ),
        (
            WATCH,
            "--max-rate-limit-wait",
            &["1s", "24h"],
            &["0", "25h"],
            "1s to 24h",
        ),
        (
            WATCH_GROUPED,
            "--every",
            &["100ms", "24h", "1h", "1d", "90"],
            &["99ms", "25h"],
            "100ms to 24h",
        ),
        (
            LISTEN,
            "--max-body",
            &["1KiB", "1024MiB"],
            &["1000", "1025MiB"],
            "1KiB to 1024MiB",
        ),
        (GROUPED, "--top", &["1"], &["0"], "1.."),
        (
            REPLAY,
            "--speed",
            &["0.001", "1000000"],
            &["1e-20", "0", "-1", "1e7", "NaN", "inf"],
            "0.001 to 1000000",
        ),
        (
            REPLAY,
            "--rate",
            &["0.001/s", "1000000/s", "0.06/min"],
            &["1e-20/s", "0", "2e6/s", "NaN/s"],
            "0.001/s to 1000000/s",
        ),
        (TO, "--batch", &["1", "10000"], &["0", "10001"], "1..=10000"),
        (
            TO,
            "--timeout",
            &["1ms", "3600s", "3", "30s", "1h"],
            &["0", "0.5ms", "3601s"],
            "1ms to 3600s",
        ),
        (TO, "--retries", &["0", "100"], &["101"], "0..=100"),
        (TO, "--concurrency", &["1", "256"], &["0", "257"], "1..=256"),
    ];
    for (command, flag, good, bad, range) in table {
        for value in *good {
            let argv: Vec<String> = ["oksms"]
                .iter()
                .chain(command.iter())
                .map(|s| s.to_string())
                .chain([format!("{flag}={value}")])
                .collect();
            if let Err(e) = Cli::try_parse_from(&argv) {
                panic!("{argv:?} refused: {e}");
            }
        }
        for value in *bad {
            let argv: Vec<String> = ["oksms"]
                .iter()
                .chain(command.iter())
                .map(|s| s.to_string())
                .chain([format!("{flag}={value}")])
                .collect();
            let err = Cli::try_parse_from(&argv)
                .err()
                .unwrap_or_else(|| panic!("{argv:?} accepted"));
            let text = err.to_string();
            assert_eq!(err.exit_code(), 2, "{argv:?}: {text}");
            assert!(text.contains(flag), "{argv:?}: {text}");
            assert!(text.contains(range), "{argv:?} should name {range}: {text}");
        }
    }
}

#[test]
fn a_tiny_speed_is_a_usage_error_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("e.ndjson");
    std::fs::write(
        &file,
        "{\"uuid\":\"a\",\"published\":\"2024-01-01T00:00:00.000Z\",\"eventType\":\"system.sms.send_phone_verification_message\"}\n{\"uuid\":\"b\",\"published\":\"2024-01-02T00:00:00.000Z\",\"eventType\":\"system.sms.send_phone_verification_message\"}\n",
    )
    .unwrap();
    for args in [["--speed", "1e-20"], ["--rate", "1e-20/s"]] {
        let out = crate::support::oksms()
            .arg("replay")
            .args(args)
            .arg(&file)
            .timeout(std::time::Duration::from_secs(30))
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(args[0]), "{stderr}");
    }
}

/// The dry run's lines go through the renderer's terminal guard like every
/// NDJSON output: on a terminal a bidi override from event text is shown
/// escaped (the line stays valid JSON), not acted on.
#[test]
fn dry_run_lines_on_a_terminal_are_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("events.ndjson");
    let mut v: serde_json::Value =
        serde_json::from_str(&event("rlo", "2024-05-01T12:00:00Z")).unwrap();
    v["displayMessage"] = "evil \u{202e}gnp.exe".into();
    std::fs::write(&input, ndjson(&[v.to_string()])).unwrap();
    let shown = crate::parse::on_a_terminal(&[
        "replay",
        input.to_str().unwrap(),
        "--to",
        "http://127.0.0.1:9/okta/events",
        "--dry-run",
    ]);
    assert!(!shown.contains('\u{202e}'), "{shown:?}");
    assert!(shown.contains(r"evil \u202egnp.exe"), "{shown}");
    let rows = json_lines(&shown);
    assert_eq!(rows.len(), 1, "{shown}");
    assert_eq!(
        rows[0]["envelope"]["data"]["events"][0]["displayMessage"],
        "evil \u{202e}gnp.exe"
    );
}

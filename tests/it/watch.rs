//! Integration tests for `watch --listen`: the real binary receiving real
//! HTTP requests on 127.0.0.1 (ephemeral port), stopped with SIGTERM.

use crate::support::hook::{Listener, SECRET, SECRET_VAR, envelope, sms_event};
use crate::support::{
    http, json_lines, oksms, oksms_process, oksms_process_with_home, read_json_lines,
};
use std::io::Read;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::Duration;

fn post(url: &str, auth: Option<&str>, body: String) -> u16 {
    let mut req = http()
        .post(url)
        .header("content-type", "application/json")
        .header("x-okta-request-id", "req-1");
    if let Some(auth) = auth {
        req = req.header("authorization", auth);
    }
    req.body(body).send().expect("POST").status().as_u16()
}

fn assert_no_secret(texts: &[&str]) {
    for text in texts {
        assert!(
            !text.contains(SECRET) && !text.contains("czNjcmV0LXZhbHVl"),
            "secret leaked: {text}"
        );
    }
}

#[test]
fn verification_health_and_wrong_routes() {
    let listener = Listener::start(&[]);
    assert!(listener.url.ends_with("/okta/events"), "{}", listener.url);
    let client = http();
    let verified = client
        .get(&listener.url)
        .header("X-Okta-Verification-Challenge", "chal-123")
        .send()
        .unwrap();
    assert_eq!(verified.status().as_u16(), 200);
    let body: serde_json::Value = verified.json().unwrap();
    assert_eq!(body, serde_json::json!({"verification": "chal-123"}));
    assert_eq!(
        client.get(&listener.url).send().unwrap().status().as_u16(),
        400
    );
    let health = client
        .get(format!("{}/healthz", listener.base))
        .send()
        .unwrap();
    assert_eq!(health.status().as_u16(), 200);
    assert_eq!(
        client
            .get(format!("{}/other", listener.base))
            .send()
            .unwrap()
            .status()
            .as_u16(),
        404
    );
    assert_eq!(
        client.put(&listener.url).send().unwrap().status().as_u16(),
        405
    );
    assert_eq!(
        client
            .post(format!("{}/healthz", listener.base))
            .send()
            .unwrap()
            .status()
            .as_u16(),
        405
    );
    let stopped = listener.stop();
    assert_eq!(stopped.status.code(), Some(130), "{}", stopped.stderr);
    assert_eq!(stopped.stdout, "");
}

#[test]
fn a_good_delivery_is_captured_rendered_and_parsed_back() {
    let dir = tempfile::tempdir().unwrap();
    let capture = dir.path().join("hooks.ndjson");
    let listener = Listener::start(&["--capture", capture.to_str().unwrap()]);
    let events = vec![
        sms_event(1, "2024-05-01T11:59:58.000Z"),
        sms_event(2, "2024-05-01T11:59:59.000Z"),
    ];
    assert_eq!(
        post(&listener.url, Some(SECRET), envelope("dlv-1", &events)),
        200
    );
    // durable before the 200: the line is there now, while still running
    let captured = read_json_lines(&capture);
    assert_eq!(captured.len(), 1);
    assert_eq!(captured[0]["envelope"]["eventId"], "dlv-1");
    assert_eq!(captured[0]["headers"]["authorization"], "<redacted>");
    assert_eq!(captured[0]["headers"]["x-okta-request-id"], "req-1");
    assert!(captured[0]["received_at"].as_str().unwrap().ends_with('Z'));
    let stopped = listener.stop();
    assert_eq!(stopped.status.code(), Some(130), "{}", stopped.stderr);
    let rendered = json_lines(&stopped.stdout);
    assert_eq!(rendered.len(), 2, "{}", stopped.stdout);
    assert_eq!(rendered[0]["event_id"], "evt-0001");
    assert_eq!(rendered[0]["uuid"], "dlv-1");

    let parsed = oksms()
        .args([
            "parse",
            "-o",
            "ndjson",
            "--fields",
            "event_id,uuid,event_time,source,headers,phone.alternate_id",
        ])
        .arg(&capture)
        .output()
        .unwrap();
    assert!(
        parsed.status.success(),
        "{}",
        String::from_utf8_lossy(&parsed.stderr)
    );
    let parsed = json_lines(&parsed.stdout);
    assert_eq!(parsed.len(), 2);
    for (record, want) in parsed.iter().zip(["evt-0001", "evt-0002"]) {
        assert_eq!(record["event_id"], want);
        assert_eq!(record["uuid"], "dlv-1");
        assert_eq!(record["event_time"], "2024-05-01T12:00:00.000Z");
        assert_eq!(
            record["source"],
            "https://example.okta.com/api/v1/eventHooks/who1"
        );
        assert_eq!(record["headers"]["x-okta-request-id"], "req-1");
        assert_eq!(record["headers"]["authorization"], "<redacted>");
    }
    assert_eq!(parsed[1]["phone_alternate_id"], "+15550000002");
    let capture_text = std::fs::read_to_string(&capture).unwrap();
    assert_no_secret(&[&capture_text, &stopped.stdout, &stopped.stderr]);
}

#[test]
fn duplicates_are_dropped_also_across_restarts() {
    let dir = tempfile::tempdir().unwrap();
    let capture = dir.path().join("hooks.ndjson");
    let state = dir.path().join("hooks.state");
    let args = [
        "--capture",
        capture.to_str().unwrap(),
        "--state",
        state.to_str().unwrap(),
    ];
    let e1 = sms_event(1, "2024-05-01T11:59:58.000Z");
    let e2 = sms_event(2, "2024-05-01T11:59:59.000Z");
    let e3 = sms_event(3, "2024-05-01T12:00:00.000Z");

    let listener = Listener::start(&args);
    assert_eq!(
        post(
            &listener.url,
            Some(SECRET),
            envelope("dlv-1", std::slice::from_ref(&e1))
        ),
        200
    );
    // Okta's retry: same eventId
    assert_eq!(
        post(
            &listener.url,
            Some(SECRET),
            envelope("dlv-1", std::slice::from_ref(&e1))
        ),
        200
    );
    // a new delivery id carrying a seen event and a new one
    assert_eq!(
        post(
            &listener.url,
            Some(SECRET),
            envelope("dlv-2", &[e1.clone(), e2.clone()])
        ),
        200
    );
    let first = listener.stop();
    assert_eq!(first.status.code(), Some(130), "{}", first.stderr);
    let ids: Vec<_> = json_lines(&first.stdout)
        .iter()
        .map(|r| r["event_id"].clone())
        .collect();
    assert_eq!(ids, ["evt-0001", "evt-0002"]);
    assert_eq!(read_json_lines(&capture).len(), 2);

    let listener = Listener::start(&args);
    assert_eq!(
        post(
            &listener.url,
            Some(SECRET),
            envelope("dlv-1", std::slice::from_ref(&e1))
        ),
        200
    );
    assert_eq!(
        post(
            &listener.url,
            Some(SECRET),
            envelope("dlv-9", std::slice::from_ref(&e2))
        ),
        200
    );
    assert_eq!(
        post(&listener.url, Some(SECRET), envelope("dlv-3", &[e3])),
        200
    );
    let second = listener.stop();
    let ids: Vec<_> = json_lines(&second.stdout)
        .iter()
        .map(|r| r["event_id"].clone())
        .collect();
    assert_eq!(ids, ["evt-0003"], "{}", second.stderr);
    let captured = read_json_lines(&capture);
    assert_eq!(captured.len(), 3);
    assert_eq!(
        captured[1]["envelope"]["data"]["events"]
            .as_array()
            .unwrap()
            .len(),
        1
    );

    // a state file that is not ours is refused and left alone
    std::fs::write(&state, "{\"kind\":\"something else\"}").unwrap();
    let refused = oksms()
        .env(SECRET_VAR, SECRET)
        .args([
            "watch",
            "--listen",
            "127.0.0.1:0",
            "--secret-env",
            SECRET_VAR,
            "--state",
        ])
        .arg(&state)
        .output()
        .unwrap();
    assert_eq!(refused.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("--reset-state"));
    assert_eq!(
        std::fs::read_to_string(&state).unwrap(),
        "{\"kind\":\"something else\"}"
    );
}

#[test]
fn wrong_or_missing_secret_gets_401_and_records_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let capture = dir.path().join("hooks.ndjson");
    let listener = Listener::start(&["--capture", capture.to_str().unwrap()]);
    let body = envelope("dlv-1", &[sms_event(1, "2024-05-01T12:00:00.000Z")]);
    assert_eq!(post(&listener.url, Some("Basic wrong"), body.clone()), 401);
    assert_eq!(post(&listener.url, None, body.clone()), 401);
    assert_eq!(post(&listener.url, Some(&format!("{SECRET}x")), body), 401);
    let stopped = listener.stop();
    assert_eq!(stopped.stdout, "");
    assert!(read_json_lines(&capture).is_empty());
    assert!(
        stopped.stderr.contains("refused 3 unauthorized"),
        "{}",
        stopped.stderr
    );
}

#[test]
fn a_custom_auth_header_is_checked_and_redacted() {
    let dir = tempfile::tempdir().unwrap();
    let capture = dir.path().join("hooks.ndjson");
    let listener = Listener::start(&[
        "--auth-header",
        "X-Hook-Key",
        "--capture",
        capture.to_str().unwrap(),
    ]);
    let body = envelope("dlv-1", &[sms_event(1, "2024-05-01T12:00:00.000Z")]);
    assert_eq!(post(&listener.url, Some(SECRET), body.clone()), 401);
    let status = http()
        .post(&listener.url)
        .header("x-hook-key", SECRET)
        .body(body)
        .send()
        .unwrap()
        .status();
    assert_eq!(status.as_u16(), 200);
    let stopped = listener.stop();
    let captured = read_json_lines(&capture);
    assert_eq!(captured.len(), 1);
    assert_eq!(captured[0]["headers"]["x-hook-key"], "<redacted>");
    assert_no_secret(&[&std::fs::read_to_string(&capture).unwrap(), &stopped.stdout]);
}

#[test]
fn oversized_and_malformed_bodies_are_refused_without_harm() {
    let dir = tempfile::tempdir().unwrap();
    let capture = dir.path().join("hooks.ndjson");
    let listener = Listener::start(&["--max-body", "4KiB", "--capture", capture.to_str().unwrap()]);
    let big: Vec<String> = (0..40)
        .map(|i| sms_event(i, "2024-05-01T12:00:00.000Z"))
        .collect();
    let big = envelope("dlv-big", &big);
    assert!(big.len() > 4096);
    assert_eq!(post(&listener.url, Some(SECRET), big), 413);
    assert_eq!(
        post(
            &listener.url,
            Some(SECRET),
            "{\"eventId\": \"x\", \"data\": {".into()
        ),
        400
    );
    assert_eq!(post(&listener.url, Some(SECRET), "[1,2]".into()), 400);
    assert_eq!(
        post(
            &listener.url,
            Some(SECRET),
            "{\"eventId\":\"no-events\"}".into()
        ),
        400
    );
    // still serving, and a good delivery still works
    let good = envelope("dlv-ok", &[sms_event(7, "2024-05-01T12:00:00.000Z")]);
    assert_eq!(post(&listener.url, Some(SECRET), good), 200);
    let stopped = listener.stop();
    assert_eq!(stopped.status.code(), Some(130));
    assert_eq!(json_lines(&stopped.stdout).len(), 1);
    let captured = read_json_lines(&capture);
    assert_eq!(captured.len(), 1);
    assert_eq!(captured[0]["envelope"]["eventId"], "dlv-ok");
}

#[test]
fn fifty_concurrent_deliveries_lose_nothing_and_never_interleave() {
    let dir = tempfile::tempdir().unwrap();
    let capture = dir.path().join("hooks.ndjson");
    let listener = Listener::start(&["--capture", capture.to_str().unwrap()]);
    let url = listener.url.clone();
    let barrier = Arc::new(std::sync::Barrier::new(50));
    let handles: Vec<_> = (0..50)
        .map(|i| {
            let url = url.clone();
            let barrier = barrier.clone();
            std::thread::spawn(move || {
                // two events in every fifth delivery
                let mut events = vec![sms_event(i * 2, "2024-05-01T12:00:00.000Z")];
                if i % 5 == 0 {
                    events.push(sms_event(i * 2 + 1, "2024-05-01T12:00:01.000Z"));
                }
                let body = envelope(&format!("dlv-{i}"), &events);
                barrier.wait();
                post(&url, Some(SECRET), body)
            })
        })
        .collect();
    let statuses: Vec<u16> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    assert!(statuses.iter().all(|s| *s == 200), "{statuses:?}");
    let captured = read_json_lines(&capture);
    assert_eq!(captured.len(), 50);
    let stopped = listener.stop();
    // every stdout line is one whole record (json_lines() panics on a torn one)
    let rendered = json_lines(&stopped.stdout);
    assert_eq!(rendered.len(), 60);
    let mut ids: Vec<String> = rendered
        .iter()
        .map(|r| r["event_id"].as_str().unwrap().to_string())
        .collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 60);
    let mut delivery_ids: Vec<String> = captured
        .iter()
        .map(|c| c["envelope"]["eventId"].as_str().unwrap().to_string())
        .collect();
    delivery_ids.sort();
    delivery_ids.dedup();
    assert_eq!(delivery_ids.len(), 50);
}

#[test]
fn polling_needs_credentials_and_listen_needs_a_secret() {
    // Without --listen, watch polls the System Log: it needs an org.
    let polling = oksms().arg("watch").output().unwrap();
    assert_eq!(polling.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&polling.stderr).contains("org"));

    let no_secret = oksms()
        .args(["watch", "--listen", "127.0.0.1:0"])
        .output()
        .unwrap();
    assert_eq!(no_secret.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&no_secret.stderr).contains("--secret-env"));

    let unset = oksms()
        .env_remove("UNSET_SECRET_VAR")
        .args([
            "watch",
            "--listen",
            "127.0.0.1:0",
            "--secret-env",
            "UNSET_SECRET_VAR",
        ])
        .output()
        .unwrap();
    assert_eq!(unset.status.code(), Some(2));

    let capture_without_listen = oksms()
        .args(["watch", "--capture", "x.ndjson"])
        .output()
        .unwrap();
    assert_eq!(capture_without_listen.status.code(), Some(2));
}

/// `sms_event(i)` with its own uuid and the given outcome.
fn sms_variant(i: usize, uuid: &str, result: &str) -> String {
    let mut event: serde_json::Value =
        serde_json::from_str(&sms_event(i, "2024-05-01T11:59:58.000Z")).unwrap();
    event["uuid"] = uuid.into();
    event["outcome"]["result"] = result.into();
    event.to_string()
}

#[test]
fn an_alert_fires_after_the_delivery_with_a_deny_and_the_signal_keeps_130() {
    let listener = Listener::start(&["--alert", "denied > 0"]);
    let ok = vec![sms_variant(1, "ok-1", "SUCCESS")];
    assert_eq!(
        post(&listener.url, Some(SECRET), envelope("d-ok", &ok)),
        200
    );
    // Findings are reported before the 200: none for a delivery without DENY.
    listener.wait_for("the first record", |out, _| out.contains("ok-1"));
    assert!(!listener.output_now().1.contains("alert `denied > 0`"));
    let deny = vec![
        sms_variant(2, "deny-1", "DENY"),
        sms_variant(3, "ok-2", "SUCCESS"),
    ];
    assert_eq!(
        post(&listener.url, Some(SECRET), envelope("d-deny", &deny)),
        200
    );
    // Live: the finding is there while the receiver still runs.
    listener.wait_for("the finding", |_, err| err.contains("alert `denied > 0`"));
    let stopped = listener.stop();
    assert_eq!(stopped.status.code(), Some(130), "{}", stopped.stderr);
    let findings: Vec<&str> = stopped
        .stderr
        .lines()
        .filter(|l| l.contains("alert `denied > 0`"))
        .collect();
    assert_eq!(findings.len(), 1, "reported once: {}", stopped.stderr);
    assert!(findings[0].contains(": 1 denied"), "{}", findings[0]);
    assert_eq!(
        json_lines(&stopped.stdout).len(),
        3,
        "the records still print"
    );
}

#[test]
fn group_by_re_emits_the_summary_while_listening_and_masks_only_stdout() {
    let dir = tempfile::tempdir().unwrap();
    let capture = dir.path().join("hooks.ndjson");
    let listener = Listener::start(&[
        "--group-by",
        "phone",
        "--every",
        "1s",
        "--mask",
        "phones",
        "--capture",
        capture.to_str().unwrap(),
    ]);
    let first = vec![
        sms_variant(1, "a-1", "SUCCESS"),
        sms_variant(1, "a-2", "DENY"),
    ];
    let second = vec![
        sms_variant(1, "a-3", "SUCCESS"),
        sms_variant(2, "b-1", "SUCCESS"),
    ];
    assert_eq!(
        post(&listener.url, Some(SECRET), envelope("g-1", &first)),
        200
    );
    assert_eq!(
        post(&listener.url, Some(SECRET), envelope("g-2", &second)),
        200
    );
    // A summary with both deliveries' counts, written while still running
    // (stdout is a pipe: only `--every` writes it before the end).
    // Masked: the calling code and the last two digits stay.
    let masked = |row: &serde_json::Value, last: &str| {
        row["phone"]
            .as_str()
            .is_some_and(|p| p.starts_with("+1*") && p.ends_with(last))
    };
    let complete = |out: &str| {
        json_lines(out)
            .iter()
            .any(|row| masked(row, "01") && row["count"] == 3 && row["denied"] == 1)
    };
    listener.wait_for("a re-emitted summary", |out, _| complete(out));
    let stopped = listener.stop();
    assert_eq!(stopped.status.code(), Some(130), "{}", stopped.stderr);
    let rows = json_lines(&stopped.stdout);
    assert!(
        rows.iter().all(|r| r.get("count").is_some()),
        "only summary rows"
    );
    let last_of = |phone: &str| {
        rows.iter()
            .rev()
            .find(|r| masked(r, phone))
            .unwrap_or_else(|| panic!("no row for {phone}: {}", stopped.stdout))
            .clone()
    };
    assert_eq!(last_of("01")["count"], 3);
    assert_eq!(last_of("01")["users"], 1);
    assert_eq!(last_of("02")["count"], 1);
    assert!(
        rows.len() >= 4,
        "at least one summary while running and the final one: {}",
        stopped.stdout
    );
    assert!(!stopped.stdout.contains("+15550000001"), "stdout is masked");
    let captured = std::fs::read_to_string(&capture).unwrap();
    assert!(captured.contains("+15550000001"), "the capture stays raw");
}

#[test]
fn a_bad_rule_is_a_usage_error_before_listening() {
    let out = oksms()
        .env(SECRET_VAR, SECRET)
        .args([
            "watch",
            "--listen",
            "127.0.0.1:0",
            "--secret-env",
            SECRET_VAR,
        ])
        .args(["--alert", "sends >"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("listening on"), "{stderr}");
    assert!(stderr.contains("sends >"), "{stderr}");
}

/// Opens a connection that sends `head` and then nothing more.
fn stalled(addr: &str, head: &str) -> std::net::TcpStream {
    use std::io::Write;
    let mut stream = std::net::TcpStream::connect(addr).expect("connect");
    stream
        .write_all(head.as_bytes())
        .expect("write the partial request");
    stream
}

/// True when the server closed `stream` (EOF or reset), after reading
/// whatever it answered (into `answer`); false when it stayed open for the
/// whole bounded wait.
fn closed_by_server(stream: &mut std::net::TcpStream, answer: &mut String) -> bool {
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    let mut buf = [0u8; 4096];
    for _ in 0..100 {
        match stream.read(&mut buf) {
            Ok(0) => return true,
            Ok(n) => answer.push_str(&String::from_utf8_lossy(&buf[..n])),
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => return true,
            Err(_) => return false,
        }
    }
    false
}

#[test]
fn hundreds_of_slow_clients_do_not_starve_real_deliveries() {
    let dir = tempfile::tempdir().unwrap();
    let capture = dir.path().join("hooks.ndjson");
    // 256 descriptors, as in the report: the cap is clamped below it.
    let listener = Listener::start_after(
        "ulimit -n 256",
        &[
            "--capture",
            capture.to_str().unwrap(),
            "--header-timeout",
            "1s",
            "--body-timeout",
            "1s",
        ],
    );
    let addr = listener.base.trim_start_matches("http://").to_string();
    // 300 connections that never finish their headers, and 5 whose body
    // never completes.
    let mut slow: Vec<std::net::TcpStream> = (0..300)
        .map(|_| stalled(&addr, "POST /okta/events HTTP/1.1\r\nHost: x\r\nContent-Ty"))
        .collect();
    let body_head = format!(
        "POST /okta/events HTTP/1.1\r\nHost: x\r\nAuthorization: {SECRET}\r\n\
         Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{{\"eventId\":"
    );
    let mut slow_bodies: Vec<std::net::TcpStream> =
        (0..5).map(|_| stalled(&addr, &body_head)).collect();
    // Real deliveries meanwhile, with a bound so a starved one fails.
    let client = reqwest::blocking::Client::builder()
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap();
    let handles: Vec<_> = (0..20)
        .map(|i| {
            let url = listener.url.clone();
            let client = client.clone();
            std::thread::spawn(move || {
                let body = envelope(
                    &format!("real-{i}"),
                    &[sms_event(i, "2024-05-01T12:00:00.000Z")],
                );
                client
                    .post(&url)
                    .header("authorization", SECRET)
                    .body(body)
                    .send()
                    .map(|r| r.status().as_u16())
                    .map_err(|e| e.to_string())
            })
        })
        .collect();
    let statuses: Vec<_> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    assert!(
        statuses.iter().all(|s| *s == Ok(200)),
        "{statuses:?}\n{}",
        listener.output_now().1
    );
    let captured = read_json_lines(&capture);
    assert_eq!(captured.len(), 20);
    // Every slow connection is closed by the receiver; slow bodies get 408.
    for stream in &mut slow {
        assert!(
            closed_by_server(stream, &mut String::new()),
            "a slow client stayed"
        );
    }
    for stream in &mut slow_bodies {
        let mut answer = String::new();
        assert!(closed_by_server(stream, &mut answer), "a slow body stayed");
        assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    }
    let stopped = listener.stop();
    assert_eq!(stopped.status.code(), Some(130), "{}", stopped.stderr);
    assert_eq!(json_lines(&stopped.stdout).len(), 20);
    assert!(
        stopped.stderr.contains("lowered to 224"),
        "{}",
        stopped.stderr
    );
    assert!(stopped.stderr.contains("5 too slow"), "{}", stopped.stderr);
}

#[test]
fn an_idle_keep_alive_connection_is_closed() {
    let listener = Listener::start(&["--idle-timeout", "1s"]);
    let addr = listener.base.trim_start_matches("http://").to_string();
    let mut idle = stalled(&addr, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
    let mut answer = String::new();
    assert!(closed_by_server(&mut idle, &mut answer), "still open");
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    let stopped = listener.stop();
    assert_eq!(stopped.status.code(), Some(130), "{}", stopped.stderr);
}

#[test]
fn a_capture_write_that_fails_is_rolled_back_and_later_deliveries_stay_readable() {
    let dir = tempfile::tempdir().unwrap();
    let capture = dir.path().join("hooks.ndjson");
    // A file-size limit of 8 KiB (dash counts 512-byte blocks; 16 KiB under
    // bash) stands in for a full disk: the big delivery is written in part,
    // then fails. SIGXFSZ is ignored so the write returns EFBIG instead.
    let listener = Listener::start_after(
        "ulimit -f 16; trap '' XFSZ",
        &["--capture", capture.to_str().unwrap()],
    );
    let big: Vec<String> = (0..40)
        .map(|i| sms_event(100 + i, "2024-05-01T12:00:00.000Z"))
        .collect();
    let big = envelope("dlv-big", &big);
    assert!(big.len() > 16 << 10);
    assert_eq!(post(&listener.url, Some(SECRET), big), 500);
    for i in 0..5 {
        let body = envelope(
            &format!("dlv-{i}"),
            &[sms_event(i, "2024-05-01T12:00:00.000Z")],
        );
        assert_eq!(post(&listener.url, Some(SECRET), body), 200, "delivery {i}");
    }
    let stopped = listener.stop();
    assert_eq!(stopped.status.code(), Some(130), "{}", stopped.stderr);
    // every line of the capture is whole; parse reads all 5 acknowledged
    let captured = read_json_lines(&capture);
    assert_eq!(captured.len(), 5);
    let parsed = oksms()
        .args(["parse", "-o", "ndjson", "--fields", "event_id"])
        .arg(&capture)
        .output()
        .unwrap();
    assert_eq!(parsed.status.code(), Some(0));
    assert_eq!(
        json_lines(String::from_utf8(parsed.stdout).unwrap()).len(),
        5
    );
    assert!(
        stopped.stderr.contains("recorded 5 deliveries")
            && stopped.stderr.contains("1 not recorded (500)"),
        "{}",
        stopped.stderr
    );
    assert!(stopped.stderr.contains("cannot append to capture file"));
}

#[test]
fn a_crash_between_capture_and_state_does_not_record_the_retry_twice() {
    let dir = tempfile::tempdir().unwrap();
    let capture = dir.path().join("hooks.ndjson");
    let state = dir.path().join("hooks.state");
    let args = [
        "--capture",
        capture.to_str().unwrap(),
        "--state",
        state.to_str().unwrap(),
    ];
    let e1 = sms_event(1, "2024-05-01T11:59:58.000Z");
    let e2 = sms_event(2, "2024-05-01T11:59:59.000Z");
    let first = envelope("dlv-1", std::slice::from_ref(&e1));
    // The test-only fault hook kills the receiver right after the capture
    // fsync, before the state is saved: Okta gets no answer.
    let crashing = Listener::start_after("export OKSMS_TEST_CRASH_AFTER_CAPTURE=1", &args);
    let answer = http()
        .post(&crashing.url)
        .header("authorization", SECRET)
        .body(first.clone())
        .send();
    assert!(answer.is_err(), "no answer from a crashed receiver");
    drop(crashing);
    assert_eq!(read_json_lines(&capture).len(), 1, "the capture has it");
    assert!(!state.exists(), "the state was never saved");

    // Okta retries the delivery, and an event of it comes again
    let listener = Listener::start(&args);
    assert_eq!(post(&listener.url, Some(SECRET), first), 200);
    assert_eq!(
        post(&listener.url, Some(SECRET), envelope("dlv-2", &[e1, e2])),
        200
    );
    let stopped = listener.stop();
    assert_eq!(stopped.status.code(), Some(130), "{}", stopped.stderr);
    let ids: Vec<_> = json_lines(&stopped.stdout)
        .iter()
        .map(|r| r["event_id"].clone())
        .collect();
    assert_eq!(ids, ["evt-0002"], "{}", stopped.stderr);
    let captured = read_json_lines(&capture);
    assert_eq!(captured.len(), 2);
    assert_eq!(captured[0]["envelope"]["eventId"], "dlv-1");
    assert_eq!(captured[1]["envelope"]["eventId"], "dlv-2");
}

/// Runs `cmd` for at most 20 s: its exit code and stderr, or `None` (and
/// killed) when it was still running.
fn run_bounded(mut cmd: Command) -> (Option<i32>, String) {
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn oksms");
    let start = std::time::Instant::now();
    let code = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status.code();
        }
        if start.elapsed() > Duration::from_secs(20) {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let mut err = String::new();
    let _ = child.stderr.take().unwrap().read_to_string(&mut err);
    (code, err)
}

fn listen_cmd(extra: &[&str]) -> Command {
    let mut cmd = oksms_process();
    cmd.env(SECRET_VAR, SECRET)
        .args([
            "watch",
            "--listen",
            "127.0.0.1:0",
            "--secret-env",
            SECRET_VAR,
        ])
        .args(extra);
    cmd
}

#[test]
fn a_second_process_on_the_same_state_fails_fast_with_exit_7() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("hooks.state");
    let state_arg = state.to_str().unwrap();
    let listener = Listener::start(&["--state", state_arg]);
    // another listener on the same state
    let (code, err) = run_bounded(listen_cmd(&["--state", state_arg]));
    assert_eq!(code, Some(7), "{err}");
    assert!(err.contains("in use by another oksms process"), "{err}");
    // also through a symlink to it
    #[cfg(unix)]
    {
        let link = dir.path().join("link.state");
        std::os::unix::fs::symlink(&state, &link).unwrap();
        let (code, err) = run_bounded(listen_cmd(&["--state", link.to_str().unwrap()]));
        assert_eq!(code, Some(7), "{err}");
    }
    // and a polling run (the cron pattern) on it
    let mut polling = oksms_process_with_home(dir.path());
    polling
        .env("OKTA_CLIENT_TOKEN", "00test-token")
        .args(["watch", "--org", "http://127.0.0.1:9", "--exit-when-idle"])
        .args(["--state", state_arg]);
    let (code, err) = run_bounded(polling);
    assert_eq!(code, Some(7), "{err}");
    let stopped = listener.stop();
    assert_eq!(stopped.status.code(), Some(130), "{}", stopped.stderr);
    // released at exit
    let again = Listener::start(&["--state", state_arg]);
    assert_eq!(again.stop().status.code(), Some(130));
}

#[test]
fn the_state_cannot_be_the_capture_or_stdout() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("same.ndjson");
    let path = file.to_str().unwrap();
    let (code, err) = run_bounded(listen_cmd(&["--state", path, "--capture", path]));
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("same file as --capture"), "{err}");
    let out = std::fs::File::create(&file).unwrap();
    let mut cmd = listen_cmd(&["--state", path]);
    let child = cmd
        .stdin(Stdio::null())
        .stdout(out)
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let done = child.wait_with_output().unwrap();
    assert_eq!(done.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&done.stderr).contains("same file as stdout"));
}

#[test]
fn json_appended_to_a_file_with_state_is_refused_in_both_modes() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("w.state");
    let out_path = dir.path().join("out.json");
    let state_arg = state.to_str().unwrap();
    let into_file = |mut cmd: Command| {
        let out = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&out_path)
            .unwrap();
        cmd.stdout(out);
        let done = cmd
            .stdin(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let start = std::time::Instant::now();
        let mut done = done;
        let code = loop {
            if let Some(status) = done.try_wait().unwrap() {
                break status.code();
            }
            if start.elapsed() > Duration::from_secs(20) {
                let _ = done.kill();
                let _ = done.wait();
                break None;
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        let mut err = String::new();
        let _ = done.stderr.take().unwrap().read_to_string(&mut err);
        (code, err)
    };
    let (code, err) = into_file(listen_cmd(&["--state", state_arg, "-o", "json"]));
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("-o ndjson"), "{err}");
    let mut polling = oksms_process_with_home(dir.path());
    polling
        .env("OKTA_CLIENT_TOKEN", "00test-token")
        .args(["watch", "--org", "http://127.0.0.1:9", "--exit-when-idle"])
        .args(["--state", state_arg, "-o", "json"]);
    let (code, err) = into_file(polling);
    assert_eq!(code, Some(2), "{err}");
    assert!(!state.exists(), "refused before anything was written");
    assert_eq!(std::fs::read_to_string(&out_path).unwrap(), "");
}

//! The simulated Okta org, exercised over real TCP on 127.0.0.1 with a
//! blocking reqwest client: one test per behaviour the client relies on.

use oksms_sim::{Fault, SimConfig, SimOrg};
use reqwest::StatusCode;
use reqwest::blocking::{Client, Response};
use serde_json::Value;
use std::time::Duration;

fn client() -> Client {
    Client::builder()
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap()
}

fn org(event_count: usize) -> SimOrg {
    SimOrg::start(SimConfig {
        event_count,
        ..SimConfig::default()
    })
    .unwrap()
}

fn iso(ms: i64) -> String {
    oksms_sim::generator::format_published(ms)
}

fn links(resp: &Response) -> Vec<String> {
    resp.headers()
        .get_all("link")
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .collect()
}

fn next_link(resp: &Response) -> Option<String> {
    links(resp).iter().find_map(|l| {
        l.strip_suffix("; rel=\"next\"")
            .map(|u| u.trim_start_matches('<').trim_end_matches('>').to_string())
    })
}

fn uuids(events: &[Value]) -> Vec<String> {
    events
        .iter()
        .map(|e| e["uuid"].as_str().unwrap().to_string())
        .collect()
}

/// Follows `next` links from `first` until a page has none (at most `max` pages).
fn follow(c: &Client, first: String, max: usize) -> (Vec<Value>, usize) {
    let mut url = Some(first);
    let mut all = Vec::new();
    let mut pages = 0;
    while let Some(u) = url.take() {
        pages += 1;
        assert!(pages <= max, "more than {max} pages");
        let resp = c.get(&u).send().unwrap();
        assert_eq!(resp.status(), StatusCode::OK);
        url = next_link(&resp);
        let page: Vec<Value> = resp.json().unwrap();
        all.extend(page);
    }
    (all, pages)
}

fn error_code(resp: Response) -> (StatusCode, String) {
    let status = resp.status();
    let body: Value = resp.json().unwrap();
    (status, body["errorCode"].as_str().unwrap_or("").to_string())
}

#[test]
fn bounded_export_returns_every_event_once_in_published_order() {
    let org = org(2500);
    let c = client();
    let now = org.now_ms();
    let first = format!(
        "{}/api/v1/logs?since={}&until={}&limit=1000",
        org.base_url(),
        iso(now - 7 * 86_400_000),
        iso(now)
    );
    let (events, pages) = follow(&c, first, 10);
    assert_eq!(pages, 3, "1000 + 1000 + 500, the last without next");
    assert_eq!(uuids(&events), uuids(&org.truth()));
    let published: Vec<&str> = events
        .iter()
        .map(|e| e["published"].as_str().unwrap())
        .collect();
    assert!(published.windows(2).all(|w| w[0] <= w[1]));
}

#[test]
fn bounded_descending_runs_newest_first() {
    let org = org(300);
    let c = client();
    let first = format!(
        "{}/api/v1/logs?sortOrder=DESCENDING&limit=120",
        org.base_url()
    );
    let (events, pages) = follow(&c, first, 10);
    assert_eq!(pages, 3);
    let mut truth = uuids(&org.truth());
    truth.reverse();
    assert_eq!(uuids(&events), truth);
}

#[test]
fn link_headers_are_separate_self_and_next_lines_with_opaque_cursors() {
    let org = org(50);
    let c = client();
    let url = format!("{}/api/v1/logs?limit=10", org.base_url());
    let resp = c.get(&url).send().unwrap();
    let l = links(&resp);
    assert_eq!(l.len(), 2, "{l:?}");
    assert_eq!(l[0], format!("<{url}>; rel=\"self\""));
    let next = next_link(&resp).unwrap();
    assert!(next.starts_with(&format!("{}/api/v1/logs?", org.base_url())));
    let parsed = url::Url::parse(&next).unwrap();
    let after: String = parsed
        .query_pairs()
        .find(|(k, _)| k == "after")
        .unwrap()
        .1
        .into_owned();
    let page: Vec<Value> = resp.json().unwrap();
    // Nothing about the last event shows in the cursor.
    let last = page.last().unwrap();
    assert!(!after.contains(last["uuid"].as_str().unwrap()));
    assert!(!after.contains(&last["published"].as_str().unwrap()[..10]));
}

#[test]
fn forged_cursors_are_refused() {
    let org = org(20);
    let c = client();
    for forged in ["1627500044869_1", "00000000000000000000000000000000", ""] {
        let url = format!("{}/api/v1/logs?after={forged}", org.base_url());
        let resp = c.get(&url).send().unwrap();
        if forged.is_empty() {
            // An empty `after` is a cursor nobody issued, too.
            assert_eq!(resp.status(), StatusCode::BAD_REQUEST);
            continue;
        }
        assert_eq!(
            error_code(resp),
            (StatusCode::BAD_REQUEST, "E0000001".into())
        );
    }
}

#[test]
fn polling_has_next_on_every_page_and_late_events_arrive_later() {
    let org = SimOrg::start(SimConfig {
        event_count: 30,
        late_events: 5,
        late_by: Duration::from_secs(120),
        ..SimConfig::default()
    })
    .unwrap();
    let c = client();
    let mut url = format!("{}/api/v1/logs?limit=10", org.base_url());
    let mut seen = Vec::new();
    // Three full pages would hold 30 events, but 5 are not persisted yet.
    for _ in 0..4 {
        let resp = c.get(&url).send().unwrap();
        url = next_link(&resp).expect("polling pages always have next");
        seen.extend(uuids(&resp.json::<Vec<Value>>().unwrap()));
    }
    assert_eq!(seen.len(), 25);
    // An empty page still has next, to the same place.
    let resp = c.get(&url).send().unwrap();
    url = next_link(&resp).expect("empty polling page has next");
    assert!(resp.json::<Vec<Value>>().unwrap().is_empty());
    org.advance_clock(Duration::from_secs(180));
    let resp = c.get(&url).send().unwrap();
    assert!(next_link(&resp).is_some());
    seen.extend(uuids(&resp.json::<Vec<Value>>().unwrap()));
    assert_eq!(seen.len(), 30);
    let mut sorted = seen.clone();
    sorted.sort();
    let mut truth = uuids(&org.truth());
    truth.sort();
    assert_eq!(sorted, truth, "every event exactly once");
}

#[test]
fn a_bounded_query_before_late_events_persist_misses_them() {
    let org = SimOrg::start(SimConfig {
        event_count: 30,
        late_events: 3,
        ..SimConfig::default()
    })
    .unwrap();
    let c = client();
    let first = format!(
        "{}/api/v1/logs?until={}&limit=1000",
        org.base_url(),
        iso(org.now_ms())
    );
    let (events, pages) = follow(&c, first, 5);
    assert_eq!((events.len(), pages), (27, 1));
}

#[test]
fn appended_events_become_visible_to_polling() {
    let org = org(5);
    let c = client();
    let resp = c
        .get(format!("{}/api/v1/logs?limit=100", org.base_url()))
        .send()
        .unwrap();
    let next = next_link(&resp).unwrap();
    assert_eq!(resp.json::<Vec<Value>>().unwrap().len(), 5);
    org.append_events(7);
    let resp = c.get(&next).send().unwrap();
    let page: Vec<Value> = resp.json().unwrap();
    assert_eq!(page.len(), 7);
    assert_eq!(uuids(&page), uuids(&org.truth()[5..]));
}

#[test]
fn limit_defaults_to_100_and_is_capped_at_the_page_max() {
    let org = org(1500);
    let c = client();
    let count = |q: &str| {
        let resp = c
            .get(format!("{}/api/v1/logs?{q}", org.base_url()))
            .send()
            .unwrap();
        resp.json::<Vec<Value>>().unwrap().len()
    };
    assert_eq!(count(""), 100);
    assert_eq!(count("limit=7"), 7);
    assert_eq!(count("limit=0"), 0);
    assert_eq!(count("limit=5000"), 1000);
    let resp = c
        .get(format!("{}/api/v1/logs?limit=many", org.base_url()))
        .send()
        .unwrap();
    assert_eq!(
        error_code(resp),
        (StatusCode::BAD_REQUEST, "E0000001".into())
    );
}

#[test]
fn filter_narrows_server_side_and_bad_filters_get_oktas_errors() {
    let org = org(600);
    let c = client();
    let truth = org.truth();
    let get = |filter: &str| {
        c.get(format!("{}/api/v1/logs", org.base_url()))
            .query(&[("filter", filter), ("limit", "1000")])
            .send()
            .unwrap()
    };
    let sms = r#"eventType eq "system.sms.send_phone_verification_message""#;
    let page: Vec<Value> = get(sms).json().unwrap();
    let expected: Vec<&Value> = truth
        .iter()
        .filter(|e| e["eventType"] == "system.sms.send_phone_verification_message")
        .collect();
    assert_eq!(page.len(), expected.len());
    let deny = format!(r#"{sms} and (outcome.result eq "DENY" or outcome.result eq "FAILURE")"#);
    let page: Vec<Value> = get(&deny).json().unwrap();
    assert!(!page.is_empty() && page.len() < expected.len());
    assert!(page.iter().all(|e| e["outcome"]["result"] != "SUCCESS"));
    let actor = truth[0]["actor"]["alternateId"].as_str().unwrap();
    let page: Vec<Value> = get(&format!(r#"actor.alternateId eq "{actor}""#))
        .json()
        .unwrap();
    assert!(page.iter().all(|e| e["actor"]["alternateId"] == actor));
    let target = truth[0]["target"][0]["id"].as_str().unwrap();
    let page: Vec<Value> = get(&format!(r#"target.id eq "{target}""#)).json().unwrap();
    assert!(!page.is_empty());

    let resp = get(r#"eventType eqq "x""#);
    assert_eq!(resp.status(), StatusCode::BAD_REQUEST);
    let body: Value = resp.json().unwrap();
    assert_eq!(body["errorCode"], "E0000053");
    assert!(body["errorSummary"].as_str().unwrap().ends_with(
        "Unrecognized attribute operator 'eqq' at position 10. Expected: eq,co,sw,pr,gt,ge,lt,le"
    ));
    assert!(body["errorId"].is_string());
    assert_eq!(
        error_code(get(r#"foo eq "x""#)),
        (StatusCode::BAD_REQUEST, "E0000053".into())
    );
}

#[test]
fn q_keywords_all_must_match() {
    let org = org(300);
    let c = client();
    let resp = c
        .get(format!("{}/api/v1/logs", org.base_url()))
        .query(&[("q", "DENY phone_verification"), ("limit", "1000")])
        .send()
        .unwrap();
    let page: Vec<Value> = resp.json().unwrap();
    assert!(!page.is_empty());
    for e in &page {
        let text = e.to_string().to_lowercase();
        assert!(text.contains("deny") && text.contains("phone_verification"));
    }
    let long = "x".repeat(41);
    let resp = c
        .get(format!("{}/api/v1/logs", org.base_url()))
        .query(&[("q", long.as_str())])
        .send()
        .unwrap();
    assert_eq!(
        error_code(resp),
        (StatusCode::BAD_REQUEST, "E0000001".into())
    );
}

#[test]
fn since_over_180_days_and_bad_dates_are_refused() {
    let org = org(10);
    let c = client();
    let old = iso(org.now_ms() - 181 * 86_400_000);
    let resp = c
        .get(format!("{}/api/v1/logs?since={old}", org.base_url()))
        .send()
        .unwrap();
    let body: Value = resp.json().unwrap();
    assert_eq!(body["errorCode"], "E0000053");
    assert_eq!(
        body["errorSummary"],
        "Invalid parameter: The since parameter is over 180 days prior to the current day."
    );
    let ninety = iso(org.now_ms() - 100 * 86_400_000);
    let resp = c
        .get(format!("{}/api/v1/logs?since={ninety}", org.base_url()))
        .send()
        .unwrap();
    assert_eq!(
        resp.status(),
        StatusCode::OK,
        "older than retention still succeeds"
    );
    let resp = c
        .get(format!("{}/api/v1/logs?until=yesterday", org.base_url()))
        .send()
        .unwrap();
    assert_eq!(
        error_code(resp),
        (StatusCode::BAD_REQUEST, "E0000001".into())
    );
}

#[test]
fn unknown_paths_get_an_okta_404() {
    let org = org(1);
    let resp = client()
        .get(format!("{}/api/v1/users", org.base_url()))
        .send()
        .unwrap();
    assert!(resp.headers().contains_key("x-rate-limit-limit"));
    assert_eq!(error_code(resp), (StatusCode::NOT_FOUND, "E0000007".into()));
}

#[test]
fn stats_record_each_request_url() {
    let org = org(10);
    let c = client();
    c.get(format!("{}/api/v1/logs?limit=3", org.base_url()))
        .send()
        .unwrap();
    c.get(format!("{}/nowhere", org.base_url())).send().unwrap();
    let s = org.stats();
    assert_eq!((s.requests, s.logs_requests), (2, 1));
    assert_eq!(s.log_urls, ["/api/v1/logs?limit=3"]);
    assert_eq!(s.per_path.get("/nowhere"), Some(&1));
}

#[test]
fn generate_writes_the_same_events_for_the_same_seed_in_both_formats() {
    let run = |args: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_oksms-sim"))
            .arg("generate")
            .args(args)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let a = run(&["--count", "40", "--seed", "9"]);
    let b = run(&["--count", "40", "--seed", "9"]);
    let other = run(&["--count", "40", "--seed", "10"]);
    assert_eq!(a, b);
    assert_ne!(a, other);
    let lines: Vec<Value> = a
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 40);
    let array: Vec<Value> =
        serde_json::from_str(&run(&["--count", "40", "--seed", "9", "--format", "json"])).unwrap();
    assert_eq!(array, lines);
    assert!(
        lines
            .iter()
            .all(|e| e["published"].as_str().unwrap() < "2025-01-01")
    );
}

#[test]
fn the_binary_exits_2_on_bad_values_and_0_on_a_closed_pipe() {
    use std::io::Read;
    use std::process::{Command, Stdio};
    let bin = env!("CARGO_BIN_EXE_oksms-sim");
    let bad = Command::new(bin)
        .args(["generate", "--count", "1", "--end", "yesterday"])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("--end \"yesterday\""));
    let unset = Command::new(bin)
        .args(["serve", "--token-env", "OKSMS_SIM_TEST_UNSET_VAR"])
        .env_remove("OKSMS_SIM_TEST_UNSET_VAR")
        .output()
        .unwrap();
    assert_eq!(unset.status.code(), Some(2));
    // Like `| head -c 100`: the reader goes away, the generator ends quietly.
    let mut child = Command::new(bin)
        .args(["generate", "--count", "100000"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 100];
    child.stdout.take().unwrap().read_exact(&mut first).unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
}

#[test]
fn serve_takes_the_token_from_the_environment_and_prints_its_url() {
    use std::io::{BufRead, BufReader};
    use std::process::{Command, Stdio};
    let mut child = Command::new(env!("CARGO_BIN_EXE_oksms-sim"))
        .args(["serve", "--events", "12", "--token-env", "SIM_TEST_TOKEN"])
        .env("SIM_TEST_TOKEN", "test-token-not-secret")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stderr.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let url = line
        .split_whitespace()
        .find(|w| w.starts_with("http://127.0.0.1:"))
        .map(str::to_string);
    let result = url.map(|url| {
        let c = client();
        let ok = c
            .get(format!("{url}/api/v1/logs"))
            .header("Authorization", "SSWS test-token-not-secret")
            .send()
            .unwrap();
        let refused = c
            .get(format!("{url}/api/v1/logs"))
            .header("Authorization", "SSWS wrong")
            .send()
            .unwrap()
            .status();
        (ok.status(), ok.json::<Vec<Value>>().unwrap().len(), refused)
    });
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(!line.contains("test-token-not-secret"));
    assert_eq!(
        result,
        Some((StatusCode::OK, 12, StatusCode::UNAUTHORIZED)),
        "stderr: {line}"
    );
}

fn header_i64(resp: &Response, name: &str) -> i64 {
    resp.headers()
        .get(name)
        .unwrap_or_else(|| panic!("no {name} header"))
        .to_str()
        .unwrap()
        .parse()
        .unwrap()
}

/// Moves the org's clock to the start of a fresh rate-limit window, so a
/// test's requests cannot straddle a window boundary.
fn fresh_window(org: &SimOrg, c: &Client) {
    let resp = c.get(format!("{}/peek", org.base_url())).send().unwrap();
    let reset_ms = header_i64(&resp, "x-rate-limit-reset") * 1000;
    let wait = (reset_ms - org.now_ms()).max(0) as u64 + 50;
    org.advance_clock(Duration::from_millis(wait));
}

fn logs(org: &SimOrg, c: &Client) -> Response {
    c.get(format!("{}/api/v1/logs?limit=1", org.base_url()))
        .send()
        .unwrap()
}

#[test]
fn every_response_carries_date_request_id_and_rate_limit_headers() {
    let org = SimOrg::start(SimConfig {
        event_count: 3,
        ssws_token: Some("t0k".into()),
        ..SimConfig::default()
    })
    .unwrap();
    let c = client();
    let ok = c
        .get(format!("{}/api/v1/logs", org.base_url()))
        .header("Authorization", "SSWS t0k")
        .send()
        .unwrap();
    let bad = c
        .get(format!("{}/api/v1/logs?until=x", org.base_url()))
        .header("Authorization", "SSWS t0k")
        .send()
        .unwrap();
    let unauth = logs(&org, &c);
    let missing = c.get(format!("{}/x", org.base_url())).send().unwrap();
    for (resp, status) in [(ok, 200), (bad, 400), (unauth, 401), (missing, 404)] {
        assert_eq!(resp.status().as_u16(), status);
        for h in [
            "date",
            "x-okta-request-id",
            "x-rate-limit-limit",
            "x-rate-limit-remaining",
            "x-rate-limit-reset",
        ] {
            assert!(resp.headers().contains_key(h), "{status} lacks {h}");
        }
    }
}

#[test]
fn the_bucket_counts_down_then_answers_429_e0000047_until_the_reset() {
    let org = SimOrg::start(SimConfig {
        event_count: 3,
        rate_limit_per_minute: 4,
        ..SimConfig::default()
    })
    .unwrap();
    let c = client();
    fresh_window(&org, &c);
    let mut remaining = Vec::new();
    let mut resets = Vec::new();
    for _ in 0..4 {
        let resp = logs(&org, &c);
        assert_eq!(resp.status(), StatusCode::OK);
        assert_eq!(header_i64(&resp, "x-rate-limit-limit"), 4);
        remaining.push(header_i64(&resp, "x-rate-limit-remaining"));
        resets.push(header_i64(&resp, "x-rate-limit-reset"));
    }
    assert_eq!(remaining, [3, 2, 1, 0]);
    let refused = logs(&org, &c);
    assert_eq!(header_i64(&refused, "x-rate-limit-remaining"), 0);
    assert_eq!(header_i64(&refused, "x-rate-limit-reset"), resets[0]);
    let body: Value = refused.json().unwrap();
    assert_eq!(body["errorCode"], "E0000047");
    assert_eq!(
        body["errorSummary"],
        "API call exceeded rate limit due to too many requests."
    );
    org.advance_clock(Duration::from_secs(61));
    let after = logs(&org, &c);
    assert_eq!(after.status(), StatusCode::OK);
    assert_eq!(header_i64(&after, "x-rate-limit-remaining"), 3);
    let s = org.stats();
    assert_eq!(
        (s.rate_limited, s.max_used_in_window, s.bucket_limit),
        (1, 4, 4)
    );
    assert_eq!(s.window_usage[s.window_usage.len() - 2..], [4, 1]);
}

#[test]
fn windows_are_not_aligned_to_the_clock_minute() {
    for seed in [1, 2, 39] {
        let org = SimOrg::start(SimConfig {
            seed,
            event_count: 1,
            ..SimConfig::default()
        })
        .unwrap();
        let reset = header_i64(&logs(&org, &client()), "x-rate-limit-reset");
        assert_ne!(reset % 60, 0, "seed {seed}");
        let ahead = reset * 1000 - org.now_ms();
        assert!(ahead > 0 && ahead <= 61_000, "reset {ahead} ms ahead");
    }
}

#[test]
fn a_token_cap_halves_the_limit_and_other_consumers_share_the_bucket() {
    let org = SimOrg::start(SimConfig {
        event_count: 1,
        rate_limit_per_minute: 120,
        token_cap_percent: Some(50),
        ..SimConfig::default()
    })
    .unwrap();
    let c = client();
    fresh_window(&org, &c);
    org.use_bucket(10);
    let resp = logs(&org, &c);
    assert_eq!(header_i64(&resp, "x-rate-limit-limit"), 60);
    assert_eq!(header_i64(&resp, "x-rate-limit-remaining"), 49);
}

#[test]
fn the_date_header_follows_the_skewed_org_clock() {
    let org = SimOrg::start(SimConfig {
        event_count: 1,
        clock_skew_secs: -3600,
        ..SimConfig::default()
    })
    .unwrap();
    let resp = logs(&org, &client());
    let date =
        chrono::DateTime::parse_from_rfc2822(resp.headers().get("date").unwrap().to_str().unwrap())
            .unwrap()
            .timestamp();
    let local = chrono::Utc::now().timestamp();
    assert!(
        (local - 3600 - date).abs() < 120,
        "Date {date}, local {local}"
    );
    let reset = header_i64(&resp, "x-rate-limit-reset");
    assert!(
        reset - date > 0 && reset - date <= 61,
        "reset is within a minute of Date"
    );
}

#[test]
fn a_concurrency_429_has_limit_and_remaining_zero() {
    let org = org(3);
    let c = client();
    org.inject(Fault::ConcurrencyLimit);
    let resp = logs(&org, &c);
    assert_eq!(resp.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(header_i64(&resp, "x-rate-limit-limit"), 0);
    assert_eq!(header_i64(&resp, "x-rate-limit-remaining"), 0);
    assert!(header_i64(&resp, "x-rate-limit-reset") * 1000 > org.now_ms() - 1000);
    assert_eq!(logs(&org, &c).status(), StatusCode::OK);
}

#[test]
fn requests_beyond_the_concurrency_limit_are_refused() {
    let org = SimOrg::start(SimConfig {
        event_count: 3,
        concurrency_limit: Some(1),
        ..SimConfig::default()
    })
    .unwrap();
    org.inject(Fault::Slow(Duration::from_secs(3)));
    std::thread::scope(|s| {
        let slow = s.spawn(|| logs(&org, &client()).status());
        // Wait (bounded) until the slow request is in flight.
        for _ in 0..200 {
            if org.stats().logs_requests == 1 {
                break;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        let second = logs(&org, &client());
        assert_eq!(second.status(), StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(header_i64(&second, "x-rate-limit-limit"), 0);
        assert_eq!(slow.join().unwrap(), StatusCode::OK);
    });
    assert_eq!(org.stats().max_in_flight, 2);
}

#[test]
fn fault_server_errors_answer_once_then_the_org_recovers() {
    let org = org(3);
    let c = client();
    org.inject(Fault::ServerError(500));
    org.inject(Fault::ServerError(503));
    assert_eq!(
        error_code(logs(&org, &c)),
        (StatusCode::INTERNAL_SERVER_ERROR, "E0000009".into())
    );
    let resp = logs(&org, &c);
    assert_eq!(resp.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert!(resp.headers().contains_key("x-rate-limit-remaining"));
    assert_eq!(logs(&org, &c).status(), StatusCode::OK);
    assert_eq!(org.stats().faults_served, 2);
}

#[test]
fn fault_rate_limit_burst_answers_n_429s() {
    let org = org(3);
    let c = client();
    org.inject(Fault::RateLimitBurst(3));
    for _ in 0..3 {
        let resp = logs(&org, &c);
        assert_eq!(header_i64(&resp, "x-rate-limit-remaining"), 0);
        assert_eq!(
            error_code(resp),
            (StatusCode::TOO_MANY_REQUESTS, "E0000047".into())
        );
    }
    assert_eq!(logs(&org, &c).status(), StatusCode::OK);
    assert_eq!(org.stats().rate_limited, 3);
}

#[test]
fn fault_slow_outlasts_a_client_timeout() {
    let org = org(3);
    org.inject(Fault::Slow(Duration::from_secs(5)));
    let impatient = Client::builder()
        .timeout(Duration::from_millis(500))
        .build()
        .unwrap();
    let err = impatient
        .get(format!("{}/api/v1/logs", org.base_url()))
        .send()
        .unwrap_err();
    assert!(err.is_timeout(), "{err}");
    assert_eq!(logs(&org, &client()).status(), StatusCode::OK);
}

#[test]
fn fault_dropped_connection_cuts_the_body() {
    let org = org(3);
    org.inject(Fault::DropConnection);
    let result = client()
        .get(format!("{}/api/v1/logs", org.base_url()))
        .send()
        .and_then(|r| r.text());
    assert!(result.is_err(), "{result:?}");
    assert_eq!(logs(&org, &client()).status(), StatusCode::OK);
}

#[test]
fn fault_malformed_json_is_a_200_that_does_not_parse() {
    let org = org(3);
    org.inject(Fault::MalformedJson);
    let resp = logs(&org, &client());
    assert_eq!(resp.status(), StatusCode::OK);
    let text = resp.text().unwrap();
    assert!(serde_json::from_str::<Value>(&text).is_err());
}

#[test]
fn fault_unauthorized_and_forbidden_bodies() {
    let org = org(3);
    let c = client();
    org.inject(Fault::Unauthorized);
    org.inject(Fault::Forbidden);
    let r = logs(&org, &c);
    let body: Value = r.json().unwrap();
    assert_eq!(
        (body["errorCode"].as_str(), body["errorSummary"].as_str()),
        (Some("E0000011"), Some("Invalid token provided"))
    );
    let r = logs(&org, &c);
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let body: Value = r.json().unwrap();
    assert_eq!(body["errorCode"], "E0000006");
}

mod oauth {
    //! The token endpoint and the tokens it issues, with the test-only keys
    //! under the workspace's `tests/fixtures/keys/`.

    use super::{client, error_code};
    use jsonwebtoken::jwk::Jwk;
    use jsonwebtoken::{Algorithm, EncodingKey, Header, encode};
    use oksms_sim::{ServiceApp, SimConfig, SimOrg};
    use reqwest::StatusCode;
    use reqwest::blocking::{Client, Response};
    use serde_json::{Value, json};
    use sha2::{Digest, Sha256};

    const CLIENT_ID: &str = "0oatestclient0000001";

    fn pem(name: &str) -> String {
        let keys = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/fixtures/keys");
        std::fs::read_to_string(format!("{keys}/{name}")).unwrap()
    }

    fn rsa() -> EncodingKey {
        EncodingKey::from_rsa_pem(pem("test-only-rsa-private.pem").as_bytes()).unwrap()
    }

    fn ec() -> EncodingKey {
        EncodingKey::from_ec_pem(pem("test-only-ec-private.pem").as_bytes()).unwrap()
    }

    fn other_rsa() -> EncodingKey {
        EncodingKey::from_rsa_pem(pem("test-only-other-rsa-private.pem").as_bytes()).unwrap()
    }

    fn org(public: &str, dpop: bool) -> SimOrg {
        SimOrg::start(SimConfig {
            event_count: 20,
            service_app: Some(ServiceApp {
                client_id: CLIENT_ID.into(),
                public_key_pem: pem(public),
                dpop,
            }),
            ..SimConfig::default()
        })
        .unwrap()
    }

    fn now() -> i64 {
        chrono::Utc::now().timestamp()
    }

    fn uuid() -> String {
        uuid::Uuid::new_v4().to_string()
    }

    fn sign(claims: &Value, key: &EncodingKey, alg: Algorithm) -> String {
        encode(&Header::new(alg), claims, key).unwrap()
    }

    fn claims(org: &SimOrg) -> Value {
        json!({
            "iss": CLIENT_ID,
            "sub": CLIENT_ID,
            "aud": org.token_url(),
            "exp": now() + 300,
            "iat": now(),
            "jti": uuid(),
        })
    }

    fn proof(key: &EncodingKey, alg: Algorithm, htm: &str, htu: &str, extra: Value) -> String {
        let mut header = Header::new(alg);
        header.typ = Some("dpop+jwt".into());
        header.jwk = Some(Jwk::from_encoding_key(key, alg).unwrap());
        let mut claims = json!({"htm": htm, "htu": htu, "iat": now(), "jti": uuid()});
        if let (Some(c), Some(e)) = (claims.as_object_mut(), extra.as_object()) {
            c.extend(e.clone());
        }
        encode(&header, &claims, key).unwrap()
    }

    fn request_token(
        c: &Client,
        org: &SimOrg,
        assertion: &str,
        scope: &str,
        dpop: Option<String>,
    ) -> Response {
        let mut req = c.post(org.token_url()).form(&[
            ("grant_type", "client_credentials"),
            ("scope", scope),
            (
                "client_assertion_type",
                "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
            ),
            ("client_assertion", assertion),
        ]);
        if let Some(p) = dpop {
            req = req.header("DPoP", p);
        }
        req.send().unwrap()
    }

    fn oauth_error(resp: Response) -> (StatusCode, String) {
        let status = resp.status();
        let body: Value = resp.json().unwrap();
        (status, body["error"].as_str().unwrap_or("").to_string())
    }

    fn logs_url(org: &SimOrg) -> String {
        format!("{}/api/v1/logs", org.base_url())
    }

    #[test]
    fn an_rsa_assertion_gets_a_bearer_token_that_reads_the_logs() {
        let org = org("test-only-rsa-public.pem", false);
        let c = client();
        let resp = request_token(
            &c,
            &org,
            &sign(&claims(&org), &rsa(), Algorithm::RS256),
            "okta.logs.read",
            None,
        );
        assert_eq!(resp.status(), StatusCode::OK);
        assert!(resp.headers().contains_key("x-rate-limit-remaining"));
        let body: Value = resp.json().unwrap();
        assert_eq!(body["token_type"], "Bearer");
        assert_eq!(body["expires_in"], 3600);
        assert_eq!(body["scope"], "okta.logs.read");
        let token = body["access_token"].as_str().unwrap();
        let ok = c.get(logs_url(&org)).bearer_auth(token).send().unwrap();
        assert_eq!(ok.status(), StatusCode::OK);
        assert_eq!(ok.json::<Vec<Value>>().unwrap().len(), 20);
        let wrong = c
            .get(logs_url(&org))
            .bearer_auth("not-issued")
            .send()
            .unwrap();
        assert_eq!(
            error_code(wrong),
            (StatusCode::UNAUTHORIZED, "E0000011".into())
        );
        let none = c.get(logs_url(&org)).send().unwrap();
        assert_eq!(none.status(), StatusCode::UNAUTHORIZED);
        // Tokens last an hour on the org's clock.
        org.advance_clock(std::time::Duration::from_secs(3601));
        let expired = c.get(logs_url(&org)).bearer_auth(token).send().unwrap();
        assert_eq!(expired.status(), StatusCode::UNAUTHORIZED);
        let s = org.stats();
        assert_eq!((s.token_requests, s.tokens_issued), (1, 1));
    }

    #[test]
    fn an_ec_assertion_works_too_and_exp_may_be_a_string() {
        let org = org("test-only-ec-public.pem", false);
        let mut cl = claims(&org);
        cl["exp"] = json!((now() + 300).to_string());
        let resp = request_token(
            &client(),
            &org,
            &sign(&cl, &ec(), Algorithm::ES256),
            "okta.logs.read",
            None,
        );
        assert_eq!(resp.status(), StatusCode::OK);
    }

    #[test]
    fn bad_assertions_are_refused_with_invalid_client() {
        let org = org("test-only-rsa-public.pem", false);
        let c = client();
        let refused = |cl: Value, key: &EncodingKey| {
            oauth_error(request_token(
                &c,
                &org,
                &sign(&cl, key, Algorithm::RS256),
                "okta.logs.read",
                None,
            ))
        };
        let invalid = (StatusCode::UNAUTHORIZED, "invalid_client".to_string());
        assert_eq!(refused(claims(&org), &other_rsa()), invalid, "unknown key");
        let mut cl = claims(&org);
        cl["iss"] = json!("0oasomeoneelse");
        assert_eq!(refused(cl, &rsa()), invalid, "iss");
        let mut cl = claims(&org);
        cl["sub"] = json!("0oasomeoneelse");
        assert_eq!(refused(cl, &rsa()), invalid, "sub");
        let mut cl = claims(&org);
        cl["aud"] = json!("https://example.okta.com/oauth2/v1/token");
        assert_eq!(refused(cl, &rsa()), invalid, "aud");
        let mut cl = claims(&org);
        cl["exp"] = json!(now() + 7200);
        assert_eq!(refused(cl, &rsa()), invalid, "exp over an hour ahead");
        let mut cl = claims(&org);
        cl["exp"] = json!(now() - 600);
        assert_eq!(refused(cl, &rsa()), invalid, "expired");
        let mut cl = claims(&org);
        cl.as_object_mut().unwrap().remove("exp");
        assert_eq!(refused(cl, &rsa()), invalid, "no exp");
        let once = sign(&claims(&org), &rsa(), Algorithm::RS256);
        assert_eq!(
            request_token(&c, &org, &once, "okta.logs.read", None).status(),
            StatusCode::OK
        );
        assert_eq!(
            oauth_error(request_token(&c, &org, &once, "okta.logs.read", None)),
            invalid,
            "jti reused"
        );
        assert_eq!(org.stats().tokens_issued, 1);
    }

    #[test]
    fn only_the_logs_scope_and_client_credentials_are_granted() {
        let org = org("test-only-rsa-public.pem", false);
        let c = client();
        let a = || sign(&claims(&org), &rsa(), Algorithm::RS256);
        assert_eq!(
            oauth_error(request_token(&c, &org, &a(), "okta.users.read", None)),
            (StatusCode::BAD_REQUEST, "invalid_scope".into())
        );
        assert_eq!(
            oauth_error(request_token(&c, &org, &a(), "", None)),
            (StatusCode::BAD_REQUEST, "invalid_scope".into())
        );
        let resp = c
            .post(org.token_url())
            .form(&[("grant_type", "password"), ("scope", "okta.logs.read")])
            .send()
            .unwrap();
        assert_eq!(
            oauth_error(resp),
            (StatusCode::BAD_REQUEST, "unsupported_grant_type".into())
        );
    }

    /// Runs the nonce dance; returns the DPoP access token.
    fn dpop_token(c: &Client, org: &SimOrg, key: &EncodingKey, alg: Algorithm) -> String {
        let assertion = sign(&claims(org), key, alg);
        let first = request_token(
            c,
            org,
            &assertion,
            "okta.logs.read",
            Some(proof(key, alg, "POST", &org.token_url(), json!({}))),
        );
        assert_eq!(first.status(), StatusCode::BAD_REQUEST);
        let nonce = first
            .headers()
            .get("dpop-nonce")
            .expect("a DPoP-Nonce header")
            .to_str()
            .unwrap()
            .to_string();
        assert_eq!(oauth_error(first).1, "use_dpop_nonce");
        let second = request_token(
            c,
            org,
            &assertion,
            "okta.logs.read",
            Some(proof(
                key,
                alg,
                "POST",
                &org.token_url(),
                json!({"nonce": nonce}),
            )),
        );
        assert_eq!(second.status(), StatusCode::OK);
        let body: Value = second.json().unwrap();
        assert_eq!(body["token_type"], "DPoP");
        body["access_token"].as_str().unwrap().to_string()
    }

    fn ath(token: &str) -> String {
        use base64::Engine;
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(Sha256::digest(token.as_bytes()))
    }

    #[test]
    fn dpop_needs_a_proof_and_the_nonce_dance() {
        let org = org("test-only-rsa-public.pem", true);
        let c = client();
        let a = sign(&claims(&org), &rsa(), Algorithm::RS256);
        assert_eq!(
            oauth_error(request_token(&c, &org, &a, "okta.logs.read", None)),
            (StatusCode::BAD_REQUEST, "invalid_dpop_proof".into())
        );
        let wrong_htu = proof(&rsa(), Algorithm::RS256, "POST", &logs_url(&org), json!({}));
        assert_eq!(
            oauth_error(request_token(
                &c,
                &org,
                &a,
                "okta.logs.read",
                Some(wrong_htu)
            )),
            (StatusCode::BAD_REQUEST, "invalid_dpop_proof".into())
        );
        let token = dpop_token(&c, &org, &rsa(), Algorithm::RS256);
        assert!(!token.is_empty());
    }

    #[test]
    fn dpop_tokens_read_the_logs_only_with_a_matching_proof() {
        let org = org("test-only-ec-public.pem", true);
        let c = client();
        let token = dpop_token(&c, &org, &ec(), Algorithm::ES256);
        let url = logs_url(&org);
        let get = |scheme: &str, proof: Option<String>| {
            let mut req = c
                .get(format!("{url}?limit=5"))
                .header("Authorization", format!("{scheme} {token}"));
            if let Some(p) = proof {
                req = req.header("DPoP", p);
            }
            req.send().unwrap()
        };
        let good = || {
            proof(
                &ec(),
                Algorithm::ES256,
                "GET",
                &url,
                json!({"ath": ath(&token)}),
            )
        };
        let ok = get("DPoP", Some(good()));
        assert_eq!(ok.status(), StatusCode::OK);
        assert_eq!(ok.json::<Vec<Value>>().unwrap().len(), 5);

        let reused = good();
        assert_eq!(get("DPoP", Some(reused.clone())).status(), StatusCode::OK);
        let replay = get("DPoP", Some(reused));
        assert_eq!(replay.status(), StatusCode::UNAUTHORIZED, "jti reused");
        assert!(
            replay.headers()["www-authenticate"]
                .to_str()
                .unwrap()
                .contains("invalid_dpop_proof")
        );
        assert_eq!(
            get("Bearer", None).status(),
            StatusCode::UNAUTHORIZED,
            "DPoP token as Bearer"
        );
        assert_eq!(
            get("DPoP", None).status(),
            StatusCode::UNAUTHORIZED,
            "no proof"
        );
        let no_ath = proof(&ec(), Algorithm::ES256, "GET", &url, json!({}));
        assert_eq!(
            get("DPoP", Some(no_ath)).status(),
            StatusCode::UNAUTHORIZED,
            "no ath"
        );
        let bad_ath = proof(
            &ec(),
            Algorithm::ES256,
            "GET",
            &url,
            json!({"ath": ath("other")}),
        );
        assert_eq!(
            get("DPoP", Some(bad_ath)).status(),
            StatusCode::UNAUTHORIZED,
            "wrong ath"
        );
        let post = proof(
            &ec(),
            Algorithm::ES256,
            "POST",
            &url,
            json!({"ath": ath(&token)}),
        );
        assert_eq!(
            get("DPoP", Some(post)).status(),
            StatusCode::UNAUTHORIZED,
            "htm"
        );
        let stale = proof(
            &ec(),
            Algorithm::ES256,
            "GET",
            &url,
            json!({"ath": ath(&token), "iat": now() - 3600}),
        );
        assert_eq!(
            get("DPoP", Some(stale)).status(),
            StatusCode::UNAUTHORIZED,
            "iat"
        );
        let other_key = proof(
            &rsa(),
            Algorithm::RS256,
            "GET",
            &url,
            json!({"ath": ath(&token)}),
        );
        assert_eq!(
            get("DPoP", Some(other_key)).status(),
            StatusCode::UNAUTHORIZED,
            "other key"
        );
        // The query string is not part of htu.
        let with_query = proof(
            &ec(),
            Algorithm::ES256,
            "GET",
            &format!("{url}?limit=5"),
            json!({"ath": ath(&token)}),
        );
        assert_eq!(get("DPoP", Some(with_query)).status(), StatusCode::OK);
    }

    #[test]
    fn ssws_needs_the_right_token() {
        let org = SimOrg::start(SimConfig {
            event_count: 2,
            ssws_token: Some("00abcSSWS".into()),
            ..SimConfig::default()
        })
        .unwrap();
        let c = client();
        let with = |v: &str| {
            c.get(logs_url(&org))
                .header("Authorization", v)
                .send()
                .unwrap()
        };
        assert_eq!(with("SSWS 00abcSSWS").status(), StatusCode::OK);
        assert_eq!(
            error_code(with("SSWS 00abcSSWX")),
            (StatusCode::UNAUTHORIZED, "E0000011".into())
        );
        assert_eq!(with("Bearer 00abcSSWS").status(), StatusCode::UNAUTHORIZED);
    }
}

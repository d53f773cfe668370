//! `oksms fetch` end to end: the real binary against a simulated Okta org on
//! 127.0.0.1 (started here, stopped when dropped). Nothing is mocked: every
//! request crosses real TCP, and the org's own counters say what it saw.

use crate::support::org::{TOKEN, details, org_with, sms_truth, uuids};
use crate::support::{SMS, json_lines, oksms, oksms_process};
use oksms_sim::{Fault, ServiceApp, SimConfig, SimOrg};
use serde_json::Value;
use std::collections::HashSet;
use std::time::Duration;
const RSA_KEY: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/keys/test-only-rsa-private.pem"
);
const RSA_PUB: &str = include_str!("../fixtures/keys/test-only-rsa-public.pem");
const EC_KEY: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/keys/test-only-ec-private.pem"
);
const EC_PUB: &str = include_str!("../fixtures/keys/test-only-ec-public.pem");

/// An org with an SSWS token and `events` events.
fn org(events: usize) -> SimOrg {
    org_with(SimConfig {
        event_count: events,
        ..SimConfig::default()
    })
}

/// `oksms fetch` against `org` with the SSWS token in the environment,
/// NDJSON output and a bound on the run time.
fn fetch(org: &SimOrg) -> assert_cmd::Command {
    let mut cmd = oksms();
    cmd.env("OKTA_CLIENT_TOKEN", TOKEN)
        .args(["fetch", "--org", &org.base_url(), "-o", "ndjson"])
        .timeout(Duration::from_secs(240));
    cmd
}

struct Run {
    code: i32,
    records: Vec<Value>,
    stderr: String,
    stdout: String,
}

fn run(cmd: &mut assert_cmd::Command) -> Run {
    let out = cmd.output().expect("oksms runs");
    let stdout = String::from_utf8(out.stdout).expect("utf-8 stdout");
    let stderr = String::from_utf8(out.stderr).expect("utf-8 stderr");
    let records = json_lines(&stdout);
    Run {
        code: out.status.code().unwrap_or(-1),
        records,
        stderr,
        stdout,
    }
}

fn ok(cmd: &mut assert_cmd::Command) -> Run {
    let r = run(cmd);
    assert_eq!(r.code, 0, "stderr:\n{}", r.stderr);
    r
}

/// Asserts the records are exactly `expected`, in order, none twice.
fn assert_exact(records: &[Value], expected: &[Value]) {
    let got = details(records);
    let ids = uuids(&got);
    let unique: HashSet<&String> = ids.iter().collect();
    assert_eq!(unique.len(), ids.len(), "an event was written twice");
    assert_eq!(ids.len(), expected.len(), "record count");
    assert_eq!(ids, uuids(expected), "records differ from the org's truth");
    assert!(
        got == expected,
        "event contents differ from the org's truth"
    );
}

#[test]
fn ten_thousand_events_arrive_record_for_record() {
    let org = org(10_000);
    let r = ok(fetch(&org).args(["--event-type", "all"]));
    let truth = org.truth();
    assert_eq!(truth.len(), 10_000);
    assert_exact(&r.records, &truth);
    let first = &r.records[0];
    assert_eq!(first["source"], org.base_url());
    assert!(
        first["headers"]["x-rate-limit-limit"].is_string(),
        "{first}"
    );
    let stats = org.stats();
    assert_eq!(stats.rate_limited, 0);
    // Paging followed the org's next links verbatim: every page after the
    // first was asked for with the org's cursor.
    assert!(stats.log_urls.len() >= 10, "{:?}", stats.log_urls);
    assert!(stats.log_urls[1..].iter().all(|u| u.contains("after=")));
}

#[test]
fn default_fetch_keeps_the_sms_events_and_filters_on_the_server() {
    let org = org(2_000);
    let r = ok(&mut fetch(&org));
    assert_exact(&r.records, &sms_truth(&org));
    let first_url = &org.stats().log_urls[0];
    assert!(first_url.contains("filter="), "{first_url}");
    assert!(first_url.contains("limit=1000"), "{first_url}");
}

#[test]
fn limit_stops_before_the_next_page_is_requested() {
    let org = org(1_000);
    let r = ok(fetch(&org).args([
        "--event-type",
        "all",
        "--limit",
        "250",
        "--page-size",
        "100",
    ]));
    assert_exact(&r.records, &org.truth()[..250]);
    // Pages of 100: the third page completes the limit; a fourth is never asked for.
    assert_eq!(org.stats().logs_requests, 3, "{:?}", org.stats().log_urls);

    let org = org_with(SimConfig {
        event_count: 1_000,
        ..SimConfig::default()
    });
    let r = ok(fetch(&org).args(["--event-type", "all", "--limit", "5"]));
    assert_eq!(r.records.len(), 5);
    assert_eq!(org.stats().logs_requests, 1);
    assert!(org.stats().log_urls[0].contains("limit=5"));
}

#[test]
fn narrowing_flags_go_into_the_okta_filter() {
    let org = org(3_000);
    let truth = sms_truth(&org);
    let denied: Vec<Value> = truth
        .iter()
        .filter(|e| e["outcome"]["result"] == "DENY")
        .cloned()
        .collect();
    assert!(!denied.is_empty(), "the generator makes DENY events");
    let r = ok(fetch(&org).args(["--outcome", "DENY"]));
    assert_exact(&r.records, &denied);
    let url = &org.stats().log_urls[0];
    let decoded: String = url::form_urlencoded::parse(url.split_once('?').unwrap().1.as_bytes())
        .find(|(k, _)| k == "filter")
        .map(|(_, v)| v.into_owned())
        .expect("a filter parameter");
    assert_eq!(
        decoded,
        format!(r#"eventType eq "{SMS}" and outcome.result eq "DENY""#)
    );

    // --user by login, and-ed with a raw --filter.
    let user = truth
        .iter()
        .flat_map(|e| e["target"].as_array().cloned().unwrap_or_default())
        .find(|t| t["type"] == "User")
        .and_then(|t| t["alternateId"].as_str().map(str::to_string))
        .expect("an SMS event with a user target");
    let expected: Vec<Value> = truth
        .iter()
        .filter(|e| {
            e["target"].as_array().is_some_and(|ts| {
                ts.iter().any(|t| {
                    t["alternateId"]
                        .as_str()
                        .is_some_and(|a| a.eq_ignore_ascii_case(&user))
                })
            }) && e["outcome"]["result"] == "SUCCESS"
        })
        .cloned()
        .collect();
    let r = ok(fetch(&org).args([
        "--user",
        &user,
        "--filter",
        r#"outcome.result eq "SUCCESS""#,
    ]));
    assert_exact(&r.records, &expected);
}

/// The number an SMS event was sent to, from any of the three shapes.
fn phone_of(e: &Value) -> Option<String> {
    if let Some(p) = e["debugContext"]["debugData"]["phoneNumber"].as_str() {
        return Some(p.to_string());
    }
    e["target"]
        .as_array()?
        .iter()
        .find(|t| t["type"] == "MobilePhone")
        .and_then(|t| {
            t["alternateId"]
                .as_str()
                .or(t["displayName"].as_str())
                .map(str::to_string)
        })
}

fn digits(s: &str) -> String {
    s.chars().filter(char::is_ascii_digit).collect()
}

#[test]
fn phone_is_matched_client_side_by_digits() {
    let org = org(3_000);
    let truth = sms_truth(&org);
    let number = truth
        .iter()
        .find_map(phone_of)
        .expect("an SMS event with a phone");
    let expected: Vec<Value> = truth
        .iter()
        .filter(|e| phone_of(e).is_some_and(|p| digits(&p) == digits(&number)))
        .cloned()
        .collect();
    // Written with spaces and dashes, as a person would type it.
    let spaced: String = number
        .chars()
        .enumerate()
        .flat_map(|(i, c)| {
            if i > 0 && i % 3 == 0 {
                vec!['-', c]
            } else {
                vec![c]
            }
        })
        .collect();
    let r = ok(fetch(&org).args(["--phone", &spaced]));
    assert_exact(&r.records, &expected);
}

#[test]
fn transient_faults_are_retried_and_the_export_completes() {
    let cases: Vec<(Vec<Fault>, &str)> = vec![
        (
            vec![Fault::ServerError(503), Fault::ServerError(500)],
            "HTTP 500",
        ),
        (vec![Fault::Slow(Duration::from_secs(4))], "timed out"),
        (vec![Fault::DropConnection], "retry 1 of 4"),
        (vec![Fault::MalformedJson], "malformed JSON page"),
        (vec![Fault::ConcurrencyLimit], "429"),
    ];
    for (faults, says) in cases {
        let org = org(600);
        let n = faults.len() as u64;
        for f in &faults {
            org.inject(f.clone());
        }
        let r = ok(fetch(&org).args([
            "--event-type",
            "all",
            "--page-size",
            "200",
            "--timeout",
            "2",
            "-v",
        ]));
        assert_exact(&r.records, &org.truth());
        assert!(r.stderr.contains(says), "{faults:?}: stderr:\n{}", r.stderr);
        assert_eq!(org.stats().faults_served, n, "{faults:?}");
    }
}

#[test]
fn a_page_requested_ahead_whose_body_fails_is_requested_again() {
    // The first page is served normally (after a short delay); the second,
    // requested while the first one's body is read, fails in its body.
    for (fault, says) in [
        (Fault::DropConnection, "retry 1 of 4"),
        (Fault::MalformedJson, "malformed JSON page"),
        (Fault::ServerError(503), "HTTP 503"),
    ] {
        let org = org(600);
        org.inject(Fault::Slow(Duration::from_millis(1)));
        org.inject(fault.clone());
        let r = ok(fetch(&org).args(["--event-type", "all", "--page-size", "200", "-v"]));
        assert_exact(&r.records, &org.truth());
        assert!(r.stderr.contains(says), "{fault:?}: stderr:\n{}", r.stderr);
        let stats = org.stats();
        assert_eq!(stats.faults_served, 2, "{fault:?}");
        // Three pages and one retry: nothing requested twice but the failed page.
        assert_eq!(stats.log_urls.len(), 4, "{fault:?}: {:?}", stats.log_urls);
        assert_eq!(stats.log_urls[1], stats.log_urls[2], "{fault:?}");
    }
}

#[test]
fn exhausted_retries_exit_5_with_okta_error() {
    let org = org(300);
    for _ in 0..3 {
        org.inject(Fault::ServerError(500));
    }
    let r = run(fetch(&org).args(["--retries", "2"]));
    assert_eq!(r.code, 5, "stderr:\n{}", r.stderr);
    assert!(r.stderr.contains("E0000009"), "{}", r.stderr);
    assert!(
        r.stderr.contains("gave up after 3 attempts"),
        "{}",
        r.stderr
    );
    assert_eq!(org.stats().logs_requests, 3);
}

#[test]
fn refused_credentials_exit_4_without_retrying() {
    for (fault, code) in [
        (Fault::Unauthorized, "E0000011"),
        (Fault::Forbidden, "E0000006"),
    ] {
        let org = org(300);
        org.inject(fault);
        let r = run(&mut fetch(&org));
        assert_eq!(r.code, 4, "stderr:\n{}", r.stderr);
        assert!(r.stderr.contains(code), "{}", r.stderr);
        assert_eq!(org.stats().logs_requests, 1, "4xx is not retried");
    }
    // A wrong token: refused, and never echoed.
    let org = org(10);
    let r = run(fetch(&org)
        .env("OKTA_CLIENT_TOKEN", "wrong-token-XYZZY")
        .arg("-v"));
    assert_eq!(r.code, 4, "stderr:\n{}", r.stderr);
    assert!(r.stderr.contains("E0000011"));
    assert!(!r.stderr.contains("XYZZY") && !r.stdout.contains("XYZZY"));
}

#[test]
fn verbose_logs_requests_and_rate_state_but_never_the_token() {
    let org = org(300);
    let r = ok(fetch(&org).arg("--verbose"));
    assert!(
        r.stderr
            .contains(&format!("GET {}/api/v1/logs?", org.base_url())),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("rate limit"), "{}", r.stderr);
    assert!(!r.stderr.contains(TOKEN) && !r.stdout.contains(TOKEN));
    // Not a terminal: no progress line.
    assert!(!r.stderr.contains('\r'));
}

#[test]
fn budget_keeps_the_org_within_half_its_bucket() {
    // 20 per window, 4 already used by other consumers: 50% allows this
    // client 6 more before it must wait for the reset. 14 pages to fetch.
    let org = org_with(SimConfig {
        event_count: 1_400,
        rate_limit_per_minute: 20,
        ..SimConfig::default()
    });
    org.use_bucket(4);
    let r = ok(fetch(&org).args(["--event-type", "all", "--page-size", "100", "-v"]));
    assert_exact(&r.records, &org.truth());
    let stats = org.stats();
    assert_eq!(stats.rate_limited, 0, "never a 429");
    assert!(
        stats.max_used_in_window <= 10,
        "used {} of 20 in a window: {:?}",
        stats.max_used_in_window,
        stats.window_usage
    );
    assert!(r.stderr.contains("rate budget reached"), "{}", r.stderr);
}

/// The wait the client logged, in seconds.
fn logged_waits(stderr: &str) -> Vec<f64> {
    stderr
        .lines()
        .filter(|l| l.contains("429"))
        .filter_map(|l| l.split("waiting ").nth(1))
        .filter_map(|w| {
            w.trim_end_matches(|c: char| !c.is_ascii_digit())
                .parse()
                .ok()
        })
        .collect()
}

#[test]
fn a_429_waits_for_reset_by_the_server_date_despite_skew() {
    // The org's clock is an hour ahead of ours: a client that measured the
    // reset against its own clock would wait an hour (or its cap).
    let org = org_with(SimConfig {
        event_count: 300,
        clock_skew_secs: 3600,
        ..SimConfig::default()
    });
    org.inject(Fault::RateLimitBurst(1));
    let r = ok(fetch(&org).args(["--event-type", "all", "-v"]));
    let waits = logged_waits(&r.stderr);
    assert_eq!(waits.len(), 1, "{}", r.stderr);
    assert!(
        waits[0] >= 1.0 && waits[0] <= 62.0,
        "waited {waits:?}: {}",
        r.stderr
    );
    assert_eq!(org.stats().rate_limited, 1);
}

#[test]
fn since_beyond_retention_and_cleartext_orgs_are_refused_before_any_request() {
    let org = org(10);
    let r = run(fetch(&org).args(["--since", "91d"]));
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("90 days"), "{}", r.stderr);
    let r = run(oksms().env("OKTA_CLIENT_TOKEN", TOKEN).args([
        "fetch",
        "--org",
        "http://acme.okta.example",
    ]));
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("clear text"), "{}", r.stderr);
    assert_eq!(org.stats().requests, 0);
}

fn service_app(public: &str, dpop: bool) -> SimOrg {
    SimOrg::start(SimConfig {
        event_count: 2_500,
        service_app: Some(ServiceApp {
            client_id: "0oaSIMAPP".into(),
            public_key_pem: public.into(),
            dpop,
        }),
        ..SimConfig::default()
    })
    .expect("org starts")
}

fn fetch_as_app(org: &SimOrg) -> assert_cmd::Command {
    let mut cmd = oksms();
    cmd.env("OKTA_CLIENT_ORGURL", org.base_url())
        .env("OKTA_CLIENT_AUTHORIZATIONMODE", "PrivateKey")
        .env("OKTA_CLIENT_CLIENTID", "0oaSIMAPP")
        .args([
            "fetch",
            "-o",
            "ndjson",
            "--event-type",
            "all",
            "--page-size",
            "500",
        ])
        .timeout(Duration::from_secs(120));
    cmd
}

#[test]
fn private_key_jwt_service_app_with_one_grant() {
    let org = service_app(RSA_PUB, false);
    let r = ok(fetch_as_app(&org).args(["--private-key", RSA_KEY]));
    assert_exact(&r.records, &org.truth());
    let stats = org.stats();
    assert_eq!(stats.token_requests, 1, "the token is cached across pages");
    assert!(stats.logs_requests >= 5);
}

#[test]
fn dpop_service_app_with_the_nonce_dance() {
    let org = service_app(EC_PUB, true);
    let pem = std::fs::read_to_string(EC_KEY).unwrap();
    // The key as PEM text in the environment, as the SDKs allow.
    let r = ok(fetch_as_app(&org)
        .env("OKTA_CLIENT_PRIVATEKEY", pem)
        .arg("-v"));
    assert_exact(&r.records, &org.truth());
    assert!(r.stderr.contains("DPoP-bound"), "{}", r.stderr);
    let stats = org.stats();
    assert!(
        (2..=3).contains(&stats.token_requests),
        "nonce dance, then one token for every page: {}",
        stats.token_requests
    );
}

#[test]
fn a_key_the_org_does_not_know_is_refused_with_exit_4() {
    let org = service_app(RSA_PUB, false);
    let r = run(fetch_as_app(&org).args(["--private-key", EC_KEY]));
    assert_eq!(r.code, 4, "stderr:\n{}", r.stderr);
    assert!(r.stderr.contains("/oauth2/v1/token"), "{}", r.stderr);
    assert_eq!(org.stats().logs_requests, 0);
}

#[test]
fn profiles_and_token_files() {
    let org = org(300);
    let dir = tempfile::tempdir().unwrap();
    let token_file = dir.path().join("token");
    std::fs::write(&token_file, format!("{TOKEN}\n")).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&token_file, std::fs::Permissions::from_mode(0o644)).unwrap();
    }
    let config = dir.path().join("config");
    std::fs::create_dir_all(config.join("oksms")).unwrap();
    std::fs::write(
        config.join("oksms/config.yaml"),
        format!(
            "profiles:\n  sim:\n    orgUrl: {}\n    tokenFile: {}\n  other:\n    orgUrl: https://other.okta.com\n",
            org.base_url(),
            token_file.display()
        ),
    )
    .unwrap();
    let r = ok(oksms()
        .env("XDG_CONFIG_HOME", &config)
        .env(
            "OKTA_CLIENT_ORGURL",
            "https://env-loses-to-profile.okta.com",
        )
        .args(["fetch", "--profile", "sim", "-o", "ndjson"]));
    assert_exact(&r.records, &sms_truth(&org));
    assert!(r.stderr.contains("readable by other users"), "{}", r.stderr);
    let r = run(oksms()
        .env("XDG_CONFIG_HOME", &config)
        .args(["fetch", "--profile", "nope"]));
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("profiles: other, sim"), "{}", r.stderr);
    // A token is not a command-line value.
    let r = run(oksms().args(["fetch", "--token", TOKEN]));
    assert_eq!(r.code, 2);
}

#[test]
fn audit_rules_and_summaries_work_on_fetched_records() {
    let org = org(400);
    let truth = sms_truth(&org);
    let denied = truth
        .iter()
        .filter(|e| e["outcome"]["result"] == "DENY")
        .count();
    assert!(denied > 0, "the generator mixes in DENY outcomes");
    // A rule that fires: exit 3, the records still on stdout, the finding on stderr.
    let r = run(fetch(&org).args(["--since", "7d", "--alert", "denied > 0"]));
    assert_eq!(r.code, 3, "{}", r.stderr);
    assert_eq!(r.records.len(), truth.len());
    assert!(r.stderr.contains("alert `denied > 0`"), "{}", r.stderr);
    // A summary instead of records: one row per outcome, counts adding up.
    let r = ok(fetch(&org).args(["--since", "7d", "--group-by", "outcome"]));
    let total: u64 = r
        .records
        .iter()
        .map(|row| row["count"].as_u64().unwrap())
        .sum();
    assert_eq!(total as usize, truth.len());
    let deny_row = r
        .records
        .iter()
        .find(|row| row["outcome"] == "DENY")
        .expect("a DENY row");
    assert_eq!(deny_row["count"].as_u64().unwrap() as usize, denied);
    // A bad rule is refused before any request.
    let before = org.stats().logs_requests;
    let r = run(fetch(&org).args(["--since", "7d", "--alert", "denied >> 0"]));
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert_eq!(org.stats().logs_requests, before);
}

/// The base64 body lines of a PEM key (what must never reach a message).
fn key_lines(pem: &str) -> Vec<String> {
    pem.lines()
        .filter(|l| !l.starts_with("-----") && l.len() > 20)
        .map(str::to_string)
        .collect()
}

#[test]
fn pem_text_behind_a_preamble_bom_or_quotes_is_a_key_never_echoed() {
    let org = service_app(RSA_PUB, false);
    let pem = std::fs::read_to_string(RSA_KEY).unwrap();
    let body = key_lines(&pem);
    let bag = format!(
        "Bag Attributes\n    localKeyID: 01 00 00 00\n    friendlyName: sim\nKey Attributes: <No Attributes>\n{pem}"
    );
    let profile_dir = tempfile::tempdir().unwrap();
    for (how, value) in [
        ("Bag Attributes", bag.clone()),
        ("BOM", format!("\u{feff}{pem}")),
        ("quotes", format!("\"{}\"", pem.trim_end())),
    ] {
        let r = run(fetch_as_app(&org).env("OKTA_CLIENT_PRIVATEKEY", &value));
        assert_eq!(r.code, 0, "{how}: stderr:\n{}", r.stderr);
        assert!(body.iter().all(|l| !r.stderr.contains(l.as_str())), "{how}");
    }
    // The same from a profile's privateKey.
    std::fs::create_dir_all(profile_dir.path().join("oksms")).unwrap();
    let indented: String = bag.lines().map(|l| format!("      {l}\n")).collect();
    std::fs::write(
        profile_dir.path().join("oksms/config.yaml"),
        format!(
            "profiles:\n  app:\n    authorizationMode: PrivateKey\n    clientId: 0oaSIMAPP\n    privateKey: |\n{indented}"
        ),
    )
    .unwrap();
    let r = run(fetch_as_app(&org)
        .env("XDG_CONFIG_HOME", profile_dir.path())
        .args(["--profile", "app"]));
    assert_eq!(r.code, 0, "profile: stderr:\n{}", r.stderr);
    // A damaged key (no END line, body cut) or a token pasted as the key
    // is refused (exit 2) and described, not echoed.
    let cut: String = bag.lines().take(8).map(|l| format!("{l}\n")).collect();
    let pasted = "00Zx9sTOKENlooksLIKEthis0123456789abcdefgh".to_string();
    for value in [cut, bag.replace("-----BEGIN", "----BEGIN"), pasted.clone()] {
        let r = run(fetch_as_app(&org).env("OKTA_CLIENT_PRIVATEKEY", &value));
        assert_eq!(r.code, 2, "stderr:\n{}", r.stderr);
        assert!(
            body.iter().all(|l| !r.stderr.contains(l.as_str())),
            "key echoed: {}",
            r.stderr
        );
        assert!(!r.stderr.contains(&pasted), "token echoed: {}", r.stderr);
        assert!(r.stderr.contains("characters"), "{}", r.stderr);
    }
}

#[test]
fn org_urls_with_credentials_or_tokens_are_redacted_in_errors() {
    let secret = "Zx9sPASSWORDlooksLIKEthis0123456789";
    for org in [
        format!("https://admin:{secret}@acme.okta.com"),
        format!("http://admin:{secret}@acme.okta.example"),
        format!("ftp://acme.okta.com/?token={secret}"),
        format!("http://acme.okta.example/{secret}"),
        format!("00{secret}"),
        format!("https://{secret}@"),
    ] {
        for how in ["env", "flag"] {
            let mut cmd = oksms();
            cmd.env("OKTA_CLIENT_TOKEN", TOKEN).arg("fetch");
            if how == "env" {
                cmd.env("OKTA_CLIENT_ORGURL", &org);
            } else {
                cmd.args(["--org", &org]);
            }
            let r = run(&mut cmd);
            assert_eq!(r.code, 2, "{org}: {}", r.stderr);
            assert!(!r.stderr.contains(secret), "{how} {org}: {}", r.stderr);
            assert!(r.stderr.contains("org URL"), "{}", r.stderr);
        }
    }
}

#[test]
fn a_gzip_bomb_page_is_refused_over_the_cap_retried_then_exit_5() {
    // 80 MiB once expanded (a few tens of KiB on the wire), over the
    // default 64 MiB cap: a malformed page, retried; the retry succeeds.
    let org = org(300);
    org.inject(Fault::GzipBomb(80 << 20));
    let r = ok(fetch(&org).args(["--event-type", "all"]));
    assert_exact(&r.records, &org.truth());
    assert!(r.stderr.contains("64 MiB"), "{}", r.stderr);
    assert_eq!(org.stats().faults_served, 1);
    // Every attempt a bomb: exit 5 after the retries, nothing written.
    let org = org_with(SimConfig {
        event_count: 300,
        ..SimConfig::default()
    });
    for _ in 0..2 {
        org.inject(Fault::GzipBomb(3 << 20));
    }
    let r = run(fetch(&org).args(["--retries", "1", "--max-page-size", "2MiB"]));
    assert_eq!(r.code, 5, "{}", r.stderr);
    assert!(r.stderr.contains("2 MiB"), "{}", r.stderr);
    assert!(r.records.is_empty());
}

#[test]
fn a_429_is_not_a_retry_and_waits_for_the_reset_under_its_own_cap() {
    // Five 429s in a row (another integration drains the shared bucket;
    // each resets a second later): with --retries 0 the export completes.
    let org = org(300);
    for _ in 0..5 {
        org.inject(Fault::RateLimitResetIn(0));
    }
    let r = ok(fetch(&org).args(["--event-type", "all", "--retries", "0", "-v"]));
    assert_exact(&r.records, &org.truth());
    assert_eq!(logged_waits(&r.stderr).len(), 5, "{}", r.stderr);
    assert_eq!(org.stats().rate_limited, 5);
    // The 429 waits have their own limit: past it, exit 5 naming the flag.
    let org = org_with(SimConfig {
        event_count: 300,
        ..SimConfig::default()
    });
    for _ in 0..20 {
        org.inject(Fault::RateLimitResetIn(1));
    }
    let r = run(fetch(&org).args(["--max-rate-limit-wait", "5s"]));
    assert_eq!(r.code, 5, "{}", r.stderr);
    assert!(r.stderr.contains("--max-rate-limit-wait"), "{}", r.stderr);
    assert!(r.stderr.contains("E0000047"), "{}", r.stderr);
    assert!(
        org.stats().rate_limited < 5,
        "{:?}",
        org.stats().rate_limited
    );
    // 5xx retries are counted apart from 429s: 2 of each pass --retries 2.
    let org = org_with(SimConfig {
        event_count: 300,
        ..SimConfig::default()
    });
    for f in [
        Fault::ServerError(503),
        Fault::RateLimitResetIn(0),
        Fault::ServerError(500),
        Fault::RateLimitResetIn(0),
    ] {
        org.inject(f);
    }
    let r = ok(fetch(&org).args(["--event-type", "all", "--retries", "2"]));
    assert_exact(&r.records, &org.truth());
}

#[test]
fn sigterm_during_a_budget_wait_keeps_every_received_record_in_a_closed_array() {
    use std::io::{BufRead, BufReader, Read};
    use std::process::{Command, Stdio};
    // 20 per window, budget 50%: 10 requests per window, 6 already used by
    // others; 8 pages of 10 events: the run must wait for a reset, at the
    // latest after page 8 (a full window's wait).
    let org = org_with(SimConfig {
        event_count: 80,
        rate_limit_per_minute: 20,
        ..SimConfig::default()
    });
    org.use_bucket(6);
    let mut cmd = oksms_process();
    cmd.env("OKTA_CLIENT_TOKEN", TOKEN)
        .args(["fetch", "--org", &org.base_url()]);
    cmd.args([
        "--event-type",
        "all",
        "--page-size",
        "10",
        "-o",
        "json",
        "-v",
    ])
    .stdout(Stdio::piped())
    .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("oksms starts");
    let mut stdout = child.stdout.take().expect("stdout");
    let reader = std::thread::spawn(move || {
        let mut out = String::new();
        let _ = stdout.read_to_string(&mut out);
        out
    });
    let stderr = BufReader::new(child.stderr.take().expect("stderr"));
    let mut seen = String::new();
    let mut signalled = false;
    for line in stderr.lines().take(10_000) {
        let Ok(line) = line else { break };
        seen.push_str(&line);
        seen.push('\n');
        let long_wait = line.contains("rate budget reached")
            && line
                .split("waiting ")
                .nth(1)
                .and_then(|w| w.split('s').next())
                .and_then(|w| w.parse::<f64>().ok())
                .is_some_and(|secs| secs >= 5.0);
        if long_wait && !signalled {
            // Let the page before the wait reach stdout, then SIGTERM.
            std::thread::sleep(Duration::from_millis(300));
            let pid = child.id().to_string();
            let sent = Command::new("kill").args(["-TERM", &pid]).status();
            assert!(sent.is_ok_and(|s| s.success()));
            signalled = true;
        }
    }
    let status = child.wait().expect("oksms ends");
    let out = reader.join().expect("reader");
    assert!(signalled, "no long budget wait seen:\n{seen}");
    assert_eq!(status.code(), Some(130), "stderr:\n{seen}");
    let records: Vec<Value> =
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("not a JSON array ({e}): {out}"));
    // Every page the org answered was written, in order.
    let answered = org.stats().logs_requests as usize;
    let truth = org.truth();
    assert!(answered >= 4, "{answered}");
    assert_eq!(records.len(), (answered * 10).min(80), "stderr:\n{seen}");
    let want = uuids(&truth[..records.len()]);
    assert_eq!(uuids(&details(&records)), want);
    assert!(seen.contains("interrupted"), "{seen}");
}

#[test]
fn no_request_ahead_is_repeated_after_a_failed_attempt() {
    // 3 pages of 200. The second page's body is cut twice (its headers,
    // next link included, are whole): the third page, requested ahead while
    // the second was read, is requested once more only when the second is
    // finally whole: 3 pages + 2 retries + 1 request ahead that was
    // dropped = 6 requests.
    let org = org(600);
    for f in [
        Fault::Slow(Duration::from_millis(1)),
        Fault::CutPage,
        Fault::Slow(Duration::from_millis(1)),
        Fault::CutPage,
    ] {
        org.inject(f);
    }
    let r = ok(fetch(&org).args(["--event-type", "all", "--page-size", "200", "-v"]));
    assert_exact(&r.records, &org.truth());
    let stats = org.stats();
    assert_eq!(stats.faults_served, 4);
    assert_eq!(stats.log_urls.len(), 6, "{:#?}", stats.log_urls);
}

#[test]
fn baseline_since_equals_a_fetched_baseline_file() {
    let org = org_with(SimConfig {
        event_count: 3000,
        ..SimConfig::default()
    });
    let dir = tempfile::tempdir().unwrap();
    let at = |days: i64| (chrono::Utc::now() - chrono::Duration::days(days)).to_rfc3339();
    let (since, base_since) = (at(2), at(5));
    let findings_a = dir.path().join("a.ndjson");
    let a = ok(fetch(&org).args([
        "--since",
        &since,
        "--baseline-since",
        "3d",
        "--alert",
        "new region",
        "--findings",
        findings_a.to_str().unwrap(),
    ]));
    assert!(a.stderr.contains("baseline: "), "{}", a.stderr);
    let base = ok(fetch(&org).args(["--since", &base_since, "--until", &since]));
    assert!(!base.records.is_empty());
    let base_file = dir.path().join("base.ndjson");
    std::fs::write(&base_file, &base.stdout).unwrap();
    let findings_b = dir.path().join("b.ndjson");
    let b = run(fetch(&org).args([
        "--since",
        &since,
        "--baseline",
        base_file.to_str().unwrap(),
        "--alert",
        "new region",
        "--findings",
        findings_b.to_str().unwrap(),
    ]));
    assert_eq!(details(&a.records), details(&b.records));
    assert_eq!(
        std::fs::read_to_string(&findings_a).unwrap(),
        std::fs::read_to_string(&findings_b).unwrap()
    );
}

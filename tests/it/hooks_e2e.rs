//! Event hooks end to end (issue 16): the simulated org over HTTPS, `oksms
//! watch --listen` with TLS and `--register`, the org's verification GET,
//! deliveries with a duplicate, a retry and reordering, the capture, and
//! `parse` of the capture against the org's own record of what it sent.
//! Certificates come from a CA generated at test time; everything runs on
//! 127.0.0.1.

use crate::support::hook::{Listener, SECRET};
use crate::support::org::{TOKEN, details, org_with, uuids};
use crate::support::{SMS, parse_to_json};
use oksms_sim::tls::{Issued, TestCa};
use oksms_sim::{HookFault, SimConfig, SimOrg};
use serde_json::Value;
use std::path::Path;
use std::time::Duration;

/// A port on 127.0.0.1 that was free a moment ago (the `--register` URL
/// must be known before the listener starts).
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write a test file");
    path.to_str().expect("utf-8 path").to_string()
}

/// An org in TLS mode that trusts `trust` when calling hooks, delivering
/// `batch` events at a time.
fn tls_org(ca: &TestCa, trust: Vec<String>, batch: usize) -> SimOrg {
    org_with(SimConfig {
        event_count: 10,
        tls: Some(ca.issue(&["127.0.0.1"]).expect("org certificate")),
        hook_trust: trust,
        hook_batch: batch,
        ..SimConfig::default()
    })
}

/// `watch --listen` on `port` with TLS from `cert`/`key`, registering its
/// own URL with `org` (trusting `ca_file` for the API), plus `extra`.
fn registered_listener(
    org: &SimOrg,
    port: u16,
    ca_file: &str,
    cert: &str,
    key: &str,
    extra: &[&str],
) -> Listener {
    let url = format!("https://127.0.0.1:{port}/okta/events");
    let base = org.base_url();
    let mut args = vec![
        "--tls-cert",
        cert,
        "--tls-key",
        key,
        "--org",
        &base,
        "--register",
        &url,
    ];
    args.extend_from_slice(extra);
    let listener = Listener::start_on(
        &format!("127.0.0.1:{port}"),
        &[("OKTA_CLIENT_TOKEN", TOKEN), ("OKSMS_CA_FILE", ca_file)],
        &args,
    );
    assert_eq!(listener.url, url);
    listener.wait_for("the hook's registration", |_, err| {
        err.contains("is ACTIVE and VERIFIED")
    });
    listener
}

/// Sorted by uuid, so two sets of events compare regardless of order.
fn by_uuid(mut events: Vec<Value>) -> Vec<Value> {
    events.sort_by(|a, b| a["uuid"].as_str().cmp(&b["uuid"].as_str()));
    events
}

fn assert_no_secret(texts: &[&str]) {
    for text in texts {
        assert!(!text.contains(SECRET), "the hook secret leaked: {text}");
        assert!(!text.contains(TOKEN), "the API token leaked: {text}");
    }
}

#[test]
fn the_org_delivers_over_https_to_a_registered_listener_and_parse_equals_what_it_sent() {
    let dir = tempfile::tempdir().unwrap();
    let ca = TestCa::new("oksms test CA").unwrap();
    let ca_file = write(dir.path(), "ca.pem", &ca.cert_pem());
    let Issued { cert_pem, key_pem } = ca.issue(&["127.0.0.1"]).unwrap();
    let cert = write(dir.path(), "cert.pem", &cert_pem);
    let key = write(dir.path(), "key.pem", &key_pem);
    let capture = dir.path().join("capture.ndjson");
    let org = tls_org(&ca, vec![ca.cert_pem()], 4);
    let port = free_port();
    let listener = registered_listener(
        &org,
        port,
        &ca_file,
        &cert,
        &key,
        &[
            "--capture",
            capture.to_str().unwrap(),
            "--deregister-on-exit",
        ],
    );
    // The org verified the hook with a real GET to the listener.
    assert!(listener.output_now().1.contains("created event hook who"));

    for fault in [
        HookFault::Duplicate,
        HookFault::LoseReply,
        HookFault::Reorder,
        HookFault::DuplicateNewId,
    ] {
        org.inject_hook(fault);
    }
    org.append_events(80);
    assert!(
        org.wait_hook_deliveries(Duration::from_secs(120)),
        "the org's deliveries did not finish"
    );
    let sent = org.hook_sent_events();
    assert!(
        sent.len() >= 12,
        "too few SMS events to deliver: {}",
        sent.len()
    );
    assert!(sent.iter().all(|e| e["eventType"] == SMS));
    let deliveries = org.hook_deliveries();
    assert!(deliveries.iter().all(|d| d.accepted), "{deliveries:?}");
    assert!(deliveries.iter().any(|d| d.duplicate), "no duplicate sent");
    assert!(
        deliveries.iter().any(|d| d.attempts.len() == 2),
        "no retry made"
    );

    let stopped = listener.stop();
    assert_eq!(stopped.status.code(), Some(130), "{}", stopped.stderr);
    assert!(
        stopped.stderr.contains("deactivated event hook who"),
        "{}",
        stopped.stderr
    );
    assert_no_secret(&[&stopped.stdout, &stopped.stderr]);
    assert_no_secret(&[&std::fs::read_to_string(&capture).unwrap()]);

    let parsed = parse_to_json(&capture);
    let got = details(&parsed);
    let got_uuids = uuids(&got);
    let mut unique = got_uuids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), got_uuids.len(), "an event was parsed twice");
    assert_eq!(by_uuid(got), by_uuid(sent));
}

#[test]
fn a_certificate_reloaded_with_sighup_during_deliveries_loses_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let first_ca = TestCa::new("oksms test CA 1").unwrap();
    let second_ca = TestCa::new("oksms test CA 2").unwrap();
    let ca_file = write(dir.path(), "ca.pem", &first_ca.cert_pem());
    let first = first_ca.issue(&["127.0.0.1"]).unwrap();
    let cert = write(dir.path(), "cert.pem", &first.cert_pem);
    let key = write(dir.path(), "key.pem", &first.key_pem);
    let capture = dir.path().join("capture.ndjson");
    // The org trusts both CAs, as Okta trusts any public CA.
    let org = tls_org(
        &first_ca,
        vec![first_ca.cert_pem(), second_ca.cert_pem()],
        3,
    );
    let port = free_port();
    let listener = registered_listener(
        &org,
        port,
        &ca_file,
        &cert,
        &key,
        &["--capture", capture.to_str().unwrap()],
    );
    let hup = |listener: &Listener| {
        let sent = std::process::Command::new("kill")
            .args(["-HUP", &listener.pid().to_string()])
            .status();
        assert!(sent.is_ok_and(|s| s.success()));
    };
    // Only the second CA: a handshake succeeds once the new certificate is served.
    let second_only = reqwest::blocking::Client::builder()
        .tls_built_in_root_certs(false)
        .add_root_certificate(
            reqwest::Certificate::from_pem(second_ca.cert_pem().as_bytes()).unwrap(),
        )
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap();
    let health = format!("https://127.0.0.1:{port}/healthz");
    assert!(
        second_only.get(&health).send().is_err(),
        "served the new CA's cert too early"
    );
    // A keep-alive connection opened before the reload, by a client that
    // trusts only the first CA: it can only go on working after the reload
    // if the connection stays open (a new handshake would be refused).
    let kept = reqwest::blocking::Client::builder()
        .tls_built_in_root_certs(false)
        .add_root_certificate(
            reqwest::Certificate::from_pem(first_ca.cert_pem().as_bytes()).unwrap(),
        )
        .pool_max_idle_per_host(1)
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap();
    assert!(kept.get(&health).send().unwrap().status().is_success());

    org.append_events(60);
    // A broken key is refused and the old certificate stays in use.
    std::fs::write(
        &key,
        "-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----\n",
    )
    .unwrap();
    hup(&listener);
    listener.wait_for("the refused reload", |_, err| {
        err.contains("kept the previous TLS certificate")
    });
    org.append_events(60);
    // The new certificate, while deliveries are still going on.
    let second = second_ca.issue(&["127.0.0.1"]).unwrap();
    std::fs::write(&cert, &second.cert_pem).unwrap();
    std::fs::write(&key, &second.key_pem).unwrap();
    hup(&listener);
    listener.wait_for("the reload", |_, err| {
        err.contains("reloaded the TLS certificate")
    });
    org.append_events(60);
    assert!(org.wait_hook_deliveries(Duration::from_secs(120)));
    let answer = second_only
        .get(&health)
        .send()
        .expect("the new certificate is served");
    assert!(answer.status().is_success());
    let again = kept
        .get(&health)
        .send()
        .expect("the open connection was kept");
    assert!(again.status().is_success());

    let deliveries = org.hook_deliveries();
    assert!(deliveries.iter().all(|d| d.accepted), "{deliveries:?}");
    let stopped = listener.stop();
    assert_eq!(stopped.status.code(), Some(130), "{}", stopped.stderr);
    assert!(!stopped.stderr.contains("not a key"), "{}", stopped.stderr);
    let got = details(&parse_to_json(&capture));
    assert_eq!(by_uuid(got), by_uuid(org.hook_sent_events()));
}

/// `oksms hook ARGS` against `org` with the test token and secret.
fn hook_cmd(org: &SimOrg, args: &[&str]) -> std::process::Output {
    crate::support::oksms()
        .env("OKTA_CLIENT_TOKEN", TOKEN)
        .env(crate::support::hook::SECRET_VAR, SECRET)
        .arg("hook")
        .args(args)
        .args(["--org", &org.base_url()])
        .timeout(Duration::from_secs(120))
        .output()
        .expect("oksms hook runs")
}

#[test]
fn the_hook_commands_create_verify_list_and_delete_and_explain_refusals() {
    let org = org_with(SimConfig {
        event_count: 5,
        allow_http_hooks: true,
        ..SimConfig::default()
    });
    let listener = Listener::start(&[]);
    let secret_flag = ["--secret-env", crate::support::hook::SECRET_VAR];
    let mut create = vec!["create", "--url", listener.url.as_str(), "--voice"];
    create.extend_from_slice(&secret_flag);
    let out = hook_cmd(&org, &create);
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout).to_string(),
        String::from_utf8_lossy(&out.stderr).to_string(),
    );
    assert!(out.status.success(), "{stderr}");
    let id = stdout.trim().to_string();
    assert!(id.starts_with("who"), "{stdout}");
    let listed = hook_cmd(&org, &["list"]);
    let listed = String::from_utf8_lossy(&listed.stdout).to_string();
    assert!(
        listed.contains(&format!("{id}\tACTIVE\tUNVERIFIED\t{}", listener.url)),
        "{listed}"
    );
    let verified = hook_cmd(&org, &["verify", &id]);
    assert!(
        verified.status.success(),
        "{}",
        String::from_utf8_lossy(&verified.stderr)
    );
    assert!(String::from_utf8_lossy(&verified.stdout).contains("ACTIVE\tVERIFIED"));
    let deleted = hook_cmd(&org, &["delete", &id]);
    assert!(
        deleted.status.success(),
        "{}",
        String::from_utf8_lossy(&deleted.stderr)
    );
    let listed = hook_cmd(&org, &["list"]);
    assert!(listed.stdout.is_empty());
    let stopped = listener.stop();
    assert_no_secret(&[&stdout, &stderr, &listed_text(&listed), &stopped.stderr]);

    // Okta refuses a URL that is not https: the message says what to do.
    let strict = org_with(SimConfig::default());
    let mut create = vec!["create", "--url", "http://127.0.0.1:9/okta/events"];
    create.extend_from_slice(&secret_flag);
    let out = hook_cmd(&strict, &create);
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("https://") && stderr.contains("--tls-cert"),
        "{stderr}"
    );
    assert_no_secret(&[&stderr]);
    // Verifying an unknown hook: 404, explained.
    let out = hook_cmd(&strict, &["verify", "who0000000000000000"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("oksms hook list"));
}

fn listed_text(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr)
}

#[test]
fn a_service_app_without_the_hooks_scope_is_told_which_scope_it_needs() {
    let org = SimOrg::start(SimConfig {
        event_count: 5,
        service_app: Some(oksms_sim::ServiceApp {
            client_id: "0oaSIMAPP".into(),
            public_key_pem: include_str!("../fixtures/keys/test-only-rsa-public.pem").into(),
            dpop: false,
        }),
        ..SimConfig::default()
    })
    .unwrap();
    let out = crate::support::oksms()
        .env("OKTA_CLIENT_AUTHORIZATIONMODE", "PrivateKey")
        .env("OKTA_CLIENT_CLIENTID", "0oaSIMAPP")
        .args(["hook", "list", "--org", &org.base_url(), "--private-key"])
        .arg(crate::support::fixture("keys/test-only-rsa-private.pem"))
        .timeout(Duration::from_secs(120))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(4), "{stderr}");
    assert!(stderr.contains("okta.eventHooks.manage"), "{stderr}");
}

#[test]
fn a_refused_registration_stops_the_listener_with_the_explanation() {
    let org = org_with(SimConfig {
        event_count: 5,
        ..SimConfig::default()
    });
    let out = crate::support::oksms()
        .env("OKTA_CLIENT_TOKEN", TOKEN)
        .env(crate::support::hook::SECRET_VAR, SECRET)
        .args(["watch", "--listen", "127.0.0.1:0", "--secret-env"])
        .arg(crate::support::hook::SECRET_VAR)
        .args(["--org", &org.base_url()])
        .args(["--register", "http://127.0.0.1:9/okta/events"])
        .timeout(Duration::from_secs(120))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("listening on http://127.0.0.1:"),
        "{stderr}"
    );
    assert!(stderr.contains("https://"), "{stderr}");
    assert_no_secret(&[&stderr]);
}

#[test]
fn plain_http_registration_and_deliveries_behind_a_proxy_setup() {
    // Okta calls only https URLs; the org here allows http so the plain
    // listener (as behind a TLS proxy) is exercised end to end too.
    let dir = tempfile::tempdir().unwrap();
    let capture = dir.path().join("capture.ndjson");
    let org = org_with(SimConfig {
        event_count: 5,
        allow_http_hooks: true,
        hook_batch: 7,
        ..SimConfig::default()
    });
    let port = free_port();
    let url = format!("http://127.0.0.1:{port}/okta/events");
    let base = org.base_url();
    let listener = Listener::start_on(
        &format!("127.0.0.1:{port}"),
        &[("OKTA_CLIENT_TOKEN", TOKEN)],
        &[
            "--org",
            &base,
            "--register",
            &url,
            "--capture",
            capture.to_str().unwrap(),
        ],
    );
    listener.wait_for("the hook's registration", |_, err| {
        err.contains("is ACTIVE and VERIFIED")
    });
    org.inject_hook(HookFault::LoseReply);
    org.inject_hook(HookFault::Duplicate);
    org.append_events(50);
    assert!(org.wait_hook_deliveries(Duration::from_secs(120)));
    let stopped = listener.stop();
    assert_eq!(stopped.status.code(), Some(130), "{}", stopped.stderr);
    // A second start reuses the (still active, verified) hook.
    let again = Listener::start_on(
        &format!("127.0.0.1:{port}"),
        &[("OKTA_CLIENT_TOKEN", TOKEN)],
        &["--org", &base, "--register", &url],
    );
    again.wait_for("the reuse", |_, err| err.contains("is ACTIVE and VERIFIED"));
    let stopped_again = again.stop();
    assert!(
        stopped_again.stderr.contains("reusing event hook who"),
        "{}",
        stopped_again.stderr
    );
    let got = details(&parse_to_json(&capture));
    assert_eq!(by_uuid(got), by_uuid(org.hook_sent_events()));
}

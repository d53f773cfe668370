//! `oksms doctor` against the simulated org: a passing run (table and a
//! JSON snapshot) and each failure mode with its check, fix and exit code.
//! Every address is 127.0.0.1.

use crate::support::oksms;
use crate::support::org::{TOKEN, org_with};
use oksms_sim::{ServiceApp, SimConfig, SimOrg};
use serde_json::Value;
use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::time::Duration;

const RSA_PUB: &str = include_str!("../fixtures/keys/test-only-rsa-public.pem");
const EC_PUB: &str = include_str!("../fixtures/keys/test-only-ec-public.pem");

/// A small org (the checks read one event at most).
fn small(config: SimConfig) -> SimOrg {
    org_with(SimConfig {
        event_count: 20,
        ..config
    })
}

/// A file only its owner can read, holding `text`.
pub fn private_file(dir: &Path, name: &str, text: &str, mode: u32) -> PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
    path
}

/// The outcome of one `oksms doctor -o json` run.
struct Run {
    code: i32,
    /// stdout as printed (key order kept).
    stdout: String,
    json: Value,
    stderr: String,
}

impl Run {
    fn check(&self, name: &str) -> &Value {
        self.json["checks"]
            .as_array()
            .and_then(|a| a.iter().find(|c| c["name"] == name))
            .unwrap_or_else(|| panic!("no check {name} in {}", self.json))
    }
    fn status(&self, name: &str) -> &str {
        self.check(name)["status"].as_str().unwrap_or("?")
    }
    fn detail(&self, name: &str) -> &str {
        self.check(name)["detail"].as_str().unwrap_or("")
    }
    fn fix(&self, name: &str) -> &str {
        self.check(name)["fix"].as_str().unwrap_or("")
    }
}

/// Runs `oksms doctor -o json` with `args` (and the environment `env`).
fn doctor(env: &[(&str, &str)], args: &[&str]) -> Run {
    let mut cmd = oksms();
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd
        .args(["doctor", "-o", "json", "--timeout", "10s"])
        .args(args)
        .timeout(Duration::from_secs(60))
        .output()
        .expect("oksms runs");
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    let json: Value = serde_json::from_str(&stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {stdout}\n{}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    let run = Run {
        code: out.status.code().unwrap_or(-1),
        stdout: stdout.clone(),
        json,
        stderr: String::from_utf8_lossy(&out.stderr).to_string(),
    };
    assert_eq!(run.json["exit_code"], run.code, "{}", run.json);
    assert!(
        !stdout.contains(TOKEN) && !run.stderr.contains(TOKEN),
        "the token leaked"
    );
    run
}

/// `doctor` for an SSWS org with the token in the environment.
fn doctor_ssws(org: &SimOrg, token: &str) -> Run {
    doctor(
        &[
            ("OKTA_CLIENT_ORGURL", &org.base_url()),
            ("OKTA_CLIENT_TOKEN", token),
        ],
        &[],
    )
}

#[test]
fn a_healthy_org_passes_every_check_and_the_json_form_is_stable() {
    let org = small(SimConfig::default());
    let dir = tempfile::tempdir().unwrap();
    let token = private_file(dir.path(), "token", TOKEN, 0o600);
    let r = doctor(
        &[],
        &[
            "--org",
            &org.base_url(),
            "--token-file",
            token.to_str().unwrap(),
        ],
    );
    assert_eq!(r.code, 0, "{}", r.json);
    for name in [
        "config",
        "files",
        "dns",
        "connect",
        "org",
        "clock",
        "credentials",
        "permission",
        "rate-limit",
    ] {
        assert_eq!(r.status(name), "pass", "{name}: {}", r.json);
    }
    let text = r
        .stdout
        .replace(&org.base_url(), "http://127.0.0.1:PORT")
        .replace(&org.base_url().replace("http://", ""), "127.0.0.1:PORT")
        .replace(dir.path().to_str().unwrap(), "<TMP>");
    insta::assert_snapshot!("doctor_json", redact_times(&text));

    // The table form says the same with marks.
    let out = oksms()
        .args(["doctor", "--org", &org.base_url(), "--token-file"])
        .arg(&token)
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    let table = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{table}");
    assert!(table.contains("✓ permission"), "{table}");
    assert!(
        table.contains("9 passed, 0 warnings, 0 failed, 0 skipped (exit 0)"),
        "{table}"
    );
}

/// The bucket's reset time varies from run to run.
fn redact_times(text: &str) -> String {
    let mut out = String::new();
    for line in text.lines() {
        match (line.find("resets in "), line.find(" UTC)")) {
            (Some(a), Some(b)) if a < b => {
                out.push_str(&line[..a]);
                out.push_str("resets in N s (at HH:MM:SS UTC)");
                out.push_str(&line[b + " UTC)".len()..]);
            }
            _ => out.push_str(line),
        }
        out.push('\n');
    }
    out
}

#[test]
fn a_wrong_token_fails_credentials_and_explains_expiry() {
    let org = small(SimConfig::default());
    let r = doctor_ssws(&org, "00wrong-token-value-0000000000");
    assert_eq!(r.code, 4, "{}", r.json);
    assert_eq!(r.status("credentials"), "fail");
    assert!(r.detail("credentials").contains("E0000011"), "{}", r.json);
    assert!(r.fix("credentials").contains("30 days"), "{}", r.json);
    assert_eq!(r.status("org"), "pass");
    assert!(
        r.detail("config")
            .contains("token <set, 30 chars> (environment)"),
        "{}",
        r.json
    );
}

#[test]
fn a_missing_admin_role_is_named() {
    let org = small(SimConfig {
        missing_role: true,
        ..SimConfig::default()
    });
    let r = doctor_ssws(&org, TOKEN);
    assert_eq!(r.code, 4, "{}", r.json);
    assert_eq!(r.status("credentials"), "pass");
    assert_eq!(r.status("permission"), "fail");
    assert!(
        r.detail("permission").contains("no admin role"),
        "{}",
        r.json
    );
    assert!(r.detail("permission").contains("E0000006"), "{}", r.json);
    assert!(r.fix("permission").contains("Read-Only Administrator"));
}

fn app_org(public: &str, dpop: bool, scopes: &[&str]) -> SimOrg {
    SimOrg::start(SimConfig {
        event_count: 20,
        service_app: Some(ServiceApp {
            client_id: "0oaSIMAPP".into(),
            public_key_pem: public.into(),
            dpop,
        }),
        granted_scopes: scopes.iter().map(|s| s.to_string()).collect(),
        ..SimConfig::default()
    })
    .expect("org starts")
}

/// `doctor` as the service app, the key in a private copy.
fn doctor_app(org: &SimOrg, key: &str, extra_env: &[(&str, &str)]) -> Run {
    let dir = tempfile::tempdir().unwrap();
    let pem = std::fs::read_to_string(crate::support::fixture(&format!("keys/{key}"))).unwrap();
    let key = private_file(dir.path(), "key.pem", &pem, 0o600);
    let url = org.base_url();
    let mut env = vec![
        ("OKTA_CLIENT_ORGURL", url.as_str()),
        ("OKTA_CLIENT_CLIENTID", "0oaSIMAPP"),
        ("OKTA_CLIENT_PRIVATEKEYID", "kid-1"),
    ];
    env.extend_from_slice(extra_env);
    doctor(&env, &["--private-key", key.to_str().unwrap()])
}

#[test]
fn a_dpop_app_passes_and_says_dpop() {
    let org = app_org(EC_PUB, true, &["okta.logs.read"]);
    let r = doctor_app(&org, "test-only-ec-private.pem", &[]);
    assert_eq!(r.code, 0, "{}", r.json);
    let detail = r.detail("credentials");
    assert!(
        detail.contains("DPoP-bound token (the app requires DPoP"),
        "{detail}"
    );
    assert!(
        detail.contains("scopes granted: okta.logs.read"),
        "{detail}"
    );
    assert!(detail.contains("kid \"kid-1\""), "{detail}");
    assert_eq!(r.status("files"), "pass", "{}", r.json);
}

#[test]
fn a_scope_not_granted_fails_the_grant_and_a_token_without_it_fails_permission() {
    // The app was not granted okta.logs.read: the token request is refused.
    let org = app_org(RSA_PUB, false, &["okta.users.read"]);
    let r = doctor_app(&org, "test-only-rsa-private.pem", &[]);
    assert_eq!(r.code, 4, "{}", r.json);
    assert_eq!(r.status("credentials"), "fail");
    assert!(
        r.detail("credentials").contains("invalid_scope"),
        "{}",
        r.json
    );
    assert!(
        r.fix("credentials")
            .contains("grant the scope okta.logs.read")
    );
    assert_eq!(r.status("permission"), "skip");
    // A token granted for another scope only: 403 with insufficient_scope.
    let r = doctor_app(
        &org,
        "test-only-rsa-private.pem",
        &[("OKTA_CLIENT_SCOPES", "okta.users.read")],
    );
    assert_eq!(r.code, 4, "{}", r.json);
    assert_eq!(r.status("credentials"), "pass");
    assert_eq!(r.status("permission"), "fail");
    assert!(
        r.detail("permission")
            .contains("lacks the scope okta.logs.read"),
        "{}",
        r.json
    );
    assert!(r.detail("permission").contains("insufficient_scope"));
}

#[test]
fn a_skewed_clock_warns_then_fails() {
    let org = small(SimConfig {
        clock_skew_secs: 120,
        ..SimConfig::default()
    });
    let r = doctor_ssws(&org, TOKEN);
    assert_eq!(r.code, 0, "{}", r.json);
    assert_eq!(r.status("clock"), "warn");
    let org = small(SimConfig {
        clock_skew_secs: -900,
        ..SimConfig::default()
    });
    let r = doctor_ssws(&org, TOKEN);
    assert_eq!(r.code, 1, "{}", r.json);
    assert_eq!(r.status("clock"), "fail");
    assert!(
        r.detail("clock").contains("ahead of the org's Date"),
        "{}",
        r.json
    );
    assert!(r.fix("clock").contains("iat, exp"));
}

#[test]
fn a_drained_bucket_fails_with_its_reset() {
    let org = small(SimConfig::default());
    org.use_bucket(120);
    let r = doctor_ssws(&org, TOKEN);
    assert_eq!(r.code, 1, "{}", r.json);
    assert_eq!(r.status("rate-limit"), "fail");
    let detail = r.detail("rate-limit");
    assert!(
        detail.contains("drained: limit 120, remaining 0, resets in"),
        "{detail}"
    );
    assert_eq!(r.status("permission"), "skip");
    assert_eq!(
        org.stats().logs_requests,
        1,
        "one request, no retry, no wait"
    );
}

#[test]
fn a_host_that_is_not_okta_is_told_apart() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    // Answers 200 "hello" to every request, as a web server would.
    let server = std::thread::spawn(move || {
        for _ in 0..4 {
            let Ok((mut conn, _)) = listener.accept() else {
                return;
            };
            conn.set_read_timeout(Some(Duration::from_secs(5))).ok();
            let mut buf = [0u8; 4096];
            let _ = conn.read(&mut buf);
            let _ = conn.write_all(
                b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello",
            );
        }
    });
    let r = doctor(
        &[("OKTA_CLIENT_ORGURL", &url), ("OKTA_CLIENT_TOKEN", TOKEN)],
        &[],
    );
    assert_eq!(r.code, 1, "{}", r.json);
    assert_eq!(r.status("connect"), "pass");
    assert_eq!(r.status("org"), "fail");
    assert!(r.detail("org").contains("not an Okta org"), "{}", r.json);
    assert_eq!(r.status("credentials"), "skip", "no credentials sent to it");
    // Unblock the server thread's remaining accepts.
    for _ in 0..3 {
        let _ = std::net::TcpStream::connect(url.trim_start_matches("http://"));
    }
    server.join().unwrap();
}

#[test]
fn an_unreachable_org_exits_5() {
    let port = {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let url = format!("http://127.0.0.1:{port}");
    let r = doctor(
        &[("OKTA_CLIENT_ORGURL", &url), ("OKTA_CLIENT_TOKEN", TOKEN)],
        &[],
    );
    assert_eq!(r.code, 5, "{}", r.json);
    assert_eq!(r.status("dns"), "pass");
    assert_eq!(r.status("connect"), "fail");
    assert!(r.detail("connect").contains("cannot connect"), "{}", r.json);
    assert_eq!(r.status("org"), "skip");
}

#[test]
fn a_token_file_others_can_read_fails_with_the_chmod() {
    let org = small(SimConfig::default());
    let dir = tempfile::tempdir().unwrap();
    let token = private_file(dir.path(), "token", TOKEN, 0o644);
    let r = doctor(
        &[],
        &[
            "--org",
            &org.base_url(),
            "--token-file",
            token.to_str().unwrap(),
        ],
    );
    assert_eq!(r.code, 1, "{}", r.json);
    assert_eq!(r.status("files"), "fail");
    assert!(r.detail("files").contains("mode 0644"), "{}", r.json);
    assert_eq!(r.fix("files"), format!("chmod 600 {}", token.display()));
    assert_eq!(r.status("permission"), "pass", "the other checks still run");
}

#[test]
fn missing_settings_fail_the_config_check() {
    let r = doctor(&[], &[]);
    assert_eq!(r.code, 1, "{}", r.json);
    assert_eq!(r.status("config"), "fail");
    assert!(r.detail("config").contains("no Okta org"), "{}", r.json);
    assert!(r.fix("config").contains("oksms config init"));
}

#[test]
fn tls_is_verified_and_an_untrusted_certificate_exits_5() {
    let ca = oksms_sim::tls::TestCa::new("oksms doctor test CA").unwrap();
    let org = small(SimConfig {
        tls: Some(ca.issue(&["127.0.0.1"]).expect("org certificate")),
        ..SimConfig::default()
    });
    assert!(org.base_url().starts_with("https://"));
    let r = doctor_ssws(&org, TOKEN);
    assert_eq!(r.code, 5, "{}", r.json);
    assert_eq!(r.status("connect"), "fail");
    assert!(
        r.detail("connect").contains("HTTPS request failed"),
        "{}",
        r.json
    );
    assert!(r.fix("connect").contains("OKSMS_CA_FILE"), "{}", r.json);
    assert_eq!(r.status("credentials"), "skip", "no token sent over it");
    assert_eq!(org.stats().logs_requests, 0);

    let dir = tempfile::tempdir().unwrap();
    let ca_file = private_file(dir.path(), "ca.pem", &ca.cert_pem(), 0o644);
    let r = doctor(
        &[
            ("OKTA_CLIENT_ORGURL", &org.base_url()),
            ("OKTA_CLIENT_TOKEN", TOKEN),
            ("OKSMS_CA_FILE", ca_file.to_str().unwrap()),
        ],
        &[],
    );
    assert_eq!(r.code, 0, "{}", r.json);
    assert!(
        r.detail("connect")
            .contains("over TLS (certificate verified)"),
        "{}",
        r.json
    );
}

/// A host that answers the org metadata request with a huge body: `doctor`
/// reads a bounded prefix (64 KiB) and calls it not an Okta org, instead of
/// loading the whole body (an endless one used gigabytes).
#[test]
fn a_huge_org_metadata_answer_is_read_bounded_and_refused() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    // A valid JSON object with an org id, padded to 1 MiB.
    let pad = "A".repeat(1024 * 1024);
    let body = format!(r#"{{"id":"00o1huge","pipeline":"idx","pad":"{pad}"}}"#);
    let server = std::thread::spawn(move || {
        if let Ok((mut conn, _)) = listener.accept() {
            conn.set_read_timeout(Some(Duration::from_secs(5))).ok();
            conn.set_write_timeout(Some(Duration::from_secs(5))).ok();
            let mut buf = [0u8; 4096];
            let _ = conn.read(&mut buf);
            let head = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            let _ = conn.write_all(head.as_bytes());
            let _ = conn.write_all(body.as_bytes());
        }
    });
    let r = doctor(
        &[("OKTA_CLIENT_ORGURL", &url), ("OKTA_CLIENT_TOKEN", TOKEN)],
        &[],
    );
    assert_eq!(r.code, 1, "{}", r.json);
    assert_eq!(r.status("connect"), "pass");
    assert_eq!(r.status("org"), "fail", "{}", r.json);
    assert!(r.detail("org").contains("larger than 64 KiB"), "{}", r.json);
    assert_eq!(r.status("credentials"), "skip", "no credentials sent to it");
    server.join().unwrap();
}

/// A token file saved with a byte-order mark (as Windows editors do) is
/// read without it: the token is accepted, not sent with the mark and
/// refused as if it had expired. Other non-ASCII text is refused before
/// any request.
#[test]
fn a_token_file_with_a_byte_order_mark_is_read_without_it() {
    let org = small(SimConfig::default());
    let dir = tempfile::tempdir().unwrap();
    let bom = private_file(dir.path(), "bom", &format!("\u{feff}{TOKEN}\r\n"), 0o600);
    let r = doctor(
        &[],
        &[
            "--org",
            &org.base_url(),
            "--token-file",
            bom.to_str().unwrap(),
        ],
    );
    assert_eq!(r.code, 0, "{}", r.json);
    assert_eq!(r.status("credentials"), "pass", "{}", r.json);
    let accented = private_file(dir.path(), "accented", &format!("{TOKEN}é\n"), 0o600);
    let r = doctor(
        &[],
        &[
            "--org",
            &org.base_url(),
            "--token-file",
            accented.to_str().unwrap(),
        ],
    );
    assert_eq!(r.code, 1, "{}", r.json);
    assert!(
        r.detail("config").contains("other than ASCII"),
        "{}",
        r.json
    );
}

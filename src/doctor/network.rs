//! The checks that talk to the org: `dns`, `connect`, `org`, `clock`,
//! `credentials`, `permission` and `rate-limit`. The first request is the
//! unauthenticated org metadata; only when it fails does a plain TCP
//! connect say whether anything answers at all. Requests go through the
//! one API client ([`crate::okta::client`]) with no retries and no 429
//! waits, except the unauthenticated `GET /.well-known/okta-organization`,
//! which uses a plain client with the same trust roots and no credentials.

use super::{Check, Inputs};
use crate::config::{AuthConfig, OrgConfig};
use crate::exit::{self, ExitCode};
use crate::okta::auth::{AccessToken, Scheme};
use crate::okta::client::{
    ClientOptions, Event, Observer, OktaClient, PRODUCT_USER_AGENT, Reply, extra_roots,
    innermost_cause,
};
use crate::okta::error::OktaError;
use crate::okta::ratelimit::{RateState, parse_http_date};
use crate::okta::{Budget, Credentials};
use std::net::{IpAddr, TcpStream, ToSocketAddrs};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use url::Url;

/// Okta's unauthenticated org metadata.
pub const ORGANIZATION_PATH: &str = "/.well-known/okta-organization";
/// The request of the `permission` check.
pub const PROBE_PATH: &str = "/api/v1/logs?limit=1";
/// The most of the org metadata answer that is read (bytes): Okta's is a
/// few hundred bytes; a host that is not Okta may send an endless body.
pub const ORGANIZATION_BODY_LIMIT: u64 = 64 * 1024;
/// Clock skew beyond this is a warning (seconds).
pub const SKEW_WARN_SECS: i64 = 30;
/// Clock skew beyond this fails: Okta checks a client assertion's `iat` and
/// `exp`, and a DPoP proof's `iat`, against its own clock (seconds).
pub const SKEW_FAIL_SECS: i64 = 300;
/// The longest TCP connect attempt.
const CONNECT_LIMIT: Duration = Duration::from_secs(10);

/// Runs the network checks after `config` and `files`.
pub fn run(config: &OrgConfig, inputs: &Inputs<'_>, checks: &mut Vec<Check>) {
    let org = &config.org;
    let Some(host) = org.host_str() else {
        return;
    };
    let port = org.port_or_known_default().unwrap_or(443);
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    let addrs: Vec<std::net::SocketAddr> = if let Ok(ip) = bare.parse::<IpAddr>() {
        checks.push(Check::pass(
            "dns",
            format!("{ip} is an IP address (no lookup)"),
        ));
        vec![(ip, port).into()]
    } else {
        match (bare, port).to_socket_addrs() {
            Ok(a) => {
                let a: Vec<_> = a.collect();
                let ips: Vec<String> = a.iter().map(|s| s.ip().to_string()).collect();
                checks.push(Check::pass(
                    "dns",
                    format!("{host} resolves to {}", ips.join(", ")),
                ));
                a
            }
            Err(e) => {
                checks.push(Check::fail(
                    "dns",
                    ExitCode::Unavailable,
                    format!("cannot resolve {host}: {e}"),
                    "check the org URL's spelling (https://YOURORG.okta.com, or \
                     .oktapreview.com for a preview org) and this machine's DNS",
                ));
                return;
            }
        }
    };
    let Some(meta) = organization(org, inputs.timeout, checks, &addrs) else {
        return;
    };
    clock(&meta, checks);
    if !meta.is_okta {
        return;
    }
    api_checks(config, inputs, checks);
}

/// What `GET /.well-known/okta-organization` told.
struct OrgMeta {
    is_okta: bool,
    /// The server's `Date` minus the local clock, seconds.
    skew: Option<i64>,
}

/// The `connect` and `org` checks, from one unauthenticated request.
fn organization(
    org: &Url,
    timeout: Duration,
    checks: &mut Vec<Check>,
    addrs: &[std::net::SocketAddr],
) -> Option<OrgMeta> {
    let url = org.join(ORGANIZATION_PATH).ok()?;
    let client = metadata_client(timeout, checks)?;
    let sent = client
        .get(url)
        .header(reqwest::header::USER_AGENT, PRODUCT_USER_AGENT)
        .header(reqwest::header::ACCEPT, "application/json")
        .send();
    let local = chrono::Utc::now().timestamp();
    let response = match sent {
        Ok(r) => r,
        Err(e) => {
            checks.push(connect_failure(org, addrs, timeout, &e));
            return None;
        }
    };
    checks.push(connected(org, &response));
    let status = response.status().as_u16();
    let skew = server_skew(&response, local);
    let body = MetadataBody::read(response);
    let id = org_id(status, &body);
    let is_okta = id.is_some();
    checks.push(match id {
        Some(id) => org_found(&id, &body),
        None => not_an_org(status, &body),
    });
    Some(OrgMeta { is_okta, skew })
}

/// The plain client of the metadata request: the API client's trust roots
/// (with `OKSMS_CA_FILE`), no credentials, no redirects. `None` (with a
/// failed `connect` check when the extra roots cannot be read) when it
/// cannot be built.
fn metadata_client(
    timeout: Duration,
    checks: &mut Vec<Check>,
) -> Option<reqwest::blocking::Client> {
    let mut builder = reqwest::blocking::Client::builder()
        .timeout(timeout)
        .connect_timeout(timeout.min(CONNECT_LIMIT))
        .redirect(reqwest::redirect::Policy::none());
    match extra_roots() {
        Ok(roots) => {
            for root in roots {
                builder = builder.add_root_certificate(root);
            }
        }
        Err(e) => {
            checks.push(Check::fail(
                "connect",
                ExitCode::Error,
                format!("{e:#}"),
                "fix OKSMS_CA_FILE or unset it",
            ));
            return None;
        }
    }
    builder.build().ok()
}

/// The passed `connect` check: the address that answered, and how.
fn connected(org: &Url, response: &reqwest::blocking::Response) -> Check {
    let shown = response
        .remote_addr()
        .map(|a| a.to_string())
        .unwrap_or_else(|| org.host_str().unwrap_or("the org").to_string());
    Check::pass(
        "connect",
        format!(
            "{shown} answers{}",
            if org.scheme() == "https" {
                " over TLS (certificate verified)"
            } else {
                " over http (loopback only)"
            }
        ),
    )
}

/// The answer's `Date` minus `local` (the Unix time just after it came),
/// seconds; `None` without a readable `Date`.
fn server_skew(response: &reqwest::blocking::Response, local: i64) -> Option<i64> {
    response
        .headers()
        .get(reqwest::header::DATE)
        .and_then(|v| v.to_str().ok())
        .and_then(parse_http_date)
        .map(|server| server - local)
}

/// The metadata answer's body, read up to [`ORGANIZATION_BODY_LIMIT`].
struct MetadataBody {
    /// The body as JSON; `None` when it was not JSON, could not be read or
    /// was too large.
    json: Option<serde_json::Value>,
    /// The body was longer than [`ORGANIZATION_BODY_LIMIT`].
    too_large: bool,
}

impl MetadataBody {
    /// Reads at most ORGANIZATION_BODY_LIMIT (+1 to notice more): a host
    /// that is not Okta may answer with an endless or huge body.
    fn read(response: reqwest::blocking::Response) -> MetadataBody {
        let mut raw = Vec::new();
        let read = std::io::Read::read_to_end(
            &mut std::io::Read::take(response, ORGANIZATION_BODY_LIMIT + 1),
            &mut raw,
        );
        let too_large = raw.len() as u64 > ORGANIZATION_BODY_LIMIT;
        let json = if read.is_ok() && !too_large {
            serde_json::from_slice(&raw).ok()
        } else {
            None
        };
        MetadataBody { json, too_large }
    }

    /// A string field of the JSON body.
    fn field(&self, name: &str) -> Option<&str> {
        self.json
            .as_ref()
            .and_then(|b| b.get(name))
            .and_then(|v| v.as_str())
    }
}

/// The org id (escaped) of an HTTP 200 answer that names one: what makes
/// the host an Okta org.
fn org_id(status: u16, body: &MetadataBody) -> Option<String> {
    if status != 200 {
        return None;
    }
    body.field("id")
        .map(crate::escape::escape_control)
        .map(|s| s.to_string())
}

/// The passed `org` check: the org id and its pipeline, if named.
fn org_found(id: &str, body: &MetadataBody) -> Check {
    let pipeline = body
        .field("pipeline")
        .map(|p| format!(", pipeline {}", crate::escape::escape_control(p)))
        .unwrap_or_default();
    Check::pass(
        "org",
        format!("Okta org {id}{pipeline} (GET {ORGANIZATION_PATH})"),
    )
}

/// The failed `org` check: the host answered, but not as an Okta org.
fn not_an_org(status: u16, body: &MetadataBody) -> Check {
    Check::fail(
        "org",
        ExitCode::Error,
        format!(
            "not an Okta org: GET {ORGANIZATION_PATH} answered HTTP {status} {}",
            if body.too_large {
                "with a body larger than 64 KiB (Okta's answer is a few hundred bytes)"
            } else if body.json.is_some() {
                "without an org id"
            } else {
                "with no JSON"
            }
        ),
        "use the org's own address, e.g. https://acme.okta.com or https://acme.oktapreview.com \
         (not an app, a custom sign-in page or a proxy)",
    )
}

/// The `connect` failure after the request failed: a plain TCP connect
/// to the resolved addresses tells "nothing answers" from "TCP works but
/// TLS or HTTP fails". (Only tried after a failure: with a proxy, the
/// request itself is what counts.)
fn connect_failure(
    org: &Url,
    addrs: &[std::net::SocketAddr],
    timeout: Duration,
    e: &reqwest::Error,
) -> Check {
    let host = org.host_str().unwrap_or("?");
    let port = org.port_or_known_default().unwrap_or(443);
    let mut why = "no address".to_string();
    let mut connected = None;
    for a in addrs {
        match TcpStream::connect_timeout(a, timeout.min(CONNECT_LIMIT)) {
            Ok(_) => {
                connected = Some(*a);
                break;
            }
            Err(err) => why = err.to_string(),
        }
    }
    let tls = org.scheme() == "https";
    match connected {
        None => Check::fail(
            "connect",
            ExitCode::Unavailable,
            format!("cannot connect to {host} port {port}: {why}"),
            "check the org URL and port, and that a proxy or firewall lets this machine reach it \
             (HTTPS_PROXY is honoured)",
        ),
        Some(addr) => Check::fail(
            "connect",
            ExitCode::Unavailable,
            format!(
                "TCP connect to {addr} works, but the {} request failed: {}",
                if tls { "HTTPS" } else { "HTTP" },
                innermost_cause(e)
            ),
            if tls {
                "check that the org URL is https:// on port 443 and that a TLS-inspecting \
                 proxy's CA is trusted (OKSMS_CA_FILE names a PEM file of extra roots)"
            } else {
                "check the org URL and port"
            },
        ),
    }
}

/// The `clock` check.
fn clock(meta: &OrgMeta, checks: &mut Vec<Check>) {
    let Some(skew) = meta.skew else {
        checks.push(Check::skip("clock", "the answer had no Date header"));
        return;
    };
    let detail = match skew {
        // The Date header has whole seconds: one second either way is none.
        -1..=1 => "the local clock agrees with the org's Date (within 1 s)".to_string(),
        s if s > 0 => format!("the local clock is {s} s behind the org's Date"),
        s => format!("the local clock is {} s ahead of the org's Date", -s),
    };
    let fix = "synchronise the clock (e.g. `timedatectl set-ntp true`): Okta checks the service \
               app's assertion (iat, exp) and DPoP proofs against its own clock";
    checks.push(if skew.abs() > SKEW_FAIL_SECS {
        Check::fail("clock", ExitCode::Error, detail, fix)
    } else if skew.abs() > SKEW_WARN_SECS {
        Check::warn("clock", detail, fix)
    } else {
        Check::pass("clock", detail)
    });
}

/// What the client's observer saw.
#[derive(Default)]
struct Seen {
    /// The last request went to `/api/v1/logs`.
    in_logs: bool,
    /// The rate-limit headers of the last `/api/v1/logs` answer.
    logs_rate: Option<RateState>,
}

/// `credentials`, `permission` and `rate-limit`: the service app's token
/// grant (when there is one), one `GET /api/v1/logs?limit=1`, and the
/// System Log bucket its answer showed.
fn api_checks(config: &OrgConfig, inputs: &Inputs<'_>, checks: &mut Vec<Check>) {
    let Some(creds) = credentials(config, checks) else {
        return;
    };
    let is_ssws = matches!(creds, Credentials::Ssws(_));
    let seen = Arc::new(Mutex::new(Seen::default()));
    let Some(mut client) = probe_client(config, inputs, creds, logs_observer(&seen), checks) else {
        return;
    };
    if !token_grant(config, &mut client, checks) {
        return;
    }
    let reply = client.api_call(reqwest::Method::GET, PROBE_PATH, None);
    let rate = seen.lock().unwrap_or_else(|e| e.into_inner()).logs_rate;
    match reply {
        Ok(reply) => probe_answered(&reply, is_ssws, checks),
        Err(e) => probe_failed(&e, rate, is_ssws, checks),
    }
    checks.push(rate_check(rate, inputs.rate_budget));
}

/// The configured credentials; `None`, with a failed `credentials` check,
/// when the private key cannot be read.
fn credentials(config: &OrgConfig, checks: &mut Vec<Check>) -> Option<Credentials> {
    match config.credentials() {
        Ok(c) => Some(c),
        Err(e) => {
            checks.push(Check::fail(
                "credentials",
                ExitCode::Auth,
                format!("{e:#}"),
                "give a readable RSA or EC private key in PEM form (PKCS#8 or PKCS#1)",
            ));
            None
        }
    }
}

/// An observer that records in `seen` the rate-limit headers of the
/// answers to `/api/v1/logs` (the token endpoint has a bucket of its own).
fn logs_observer(seen: &Arc<Mutex<Seen>>) -> Observer<'static> {
    let seen = seen.clone();
    Box::new(move |event: &Event<'_>| {
        let mut s = seen.lock().unwrap_or_else(|e| e.into_inner());
        match event {
            Event::Request { url, .. } => s.in_logs = url.path() == "/api/v1/logs",
            Event::Response { rate, .. } if s.in_logs => s.logs_rate = rate.copied(),
            _ => {}
        }
    })
}

/// The API client of the checks: one attempt per request and a 429
/// reported, not waited out. `None`, with a failed `credentials` check,
/// when it cannot be built (the extra trust roots cannot be read).
fn probe_client(
    config: &OrgConfig,
    inputs: &Inputs<'_>,
    creds: Credentials,
    observer: Observer<'static>,
    checks: &mut Vec<Check>,
) -> Option<OktaClient<'static>> {
    let options = ClientOptions {
        org: config.org.clone(),
        budget: Budget::new(inputs.rate_budget),
        retries: 0,
        timeout: inputs.timeout,
        backoff: Duration::from_millis(500),
        max_body: 1 << 20,
        // A 429 is reported, not waited out: any wait passes this.
        max_rate_limit_wait: Duration::from_millis(1),
    };
    match OktaClient::new(options, creds, observer) {
        Ok(c) => Some(c),
        Err(e) => {
            checks.push(Check::fail(
                "credentials",
                ExitCode::Error,
                format!("{e:#}"),
                "fix OKSMS_CA_FILE or unset it",
            ));
            None
        }
    }
}

/// The `credentials` check of a service app: asks for an access token.
/// False when the grant failed (the check says why): then the System Log
/// is not asked. True, with no check, for an SSWS token (the System Log
/// request judges it).
fn token_grant(config: &OrgConfig, client: &mut OktaClient<'_>, checks: &mut Vec<Check>) -> bool {
    let AuthConfig::PrivateKey {
        client_id,
        key_id,
        dpop,
        ..
    } = &config.auth
    else {
        return true;
    };
    match client.ensure_token() {
        Ok(token) => {
            checks.push(token_granted(token, client_id, key_id.as_deref(), *dpop));
            true
        }
        Err(e) => {
            checks.push(grant_failure(&e));
            false
        }
    }
}

/// The passed `credentials` check of a service app: the token's binding
/// (DPoP or Bearer) and the scopes granted; the client and key ids as
/// [`crate::secret::shown`] allows.
fn token_granted(
    token: Option<AccessToken>,
    client_id: &str,
    key_id: Option<&str>,
    dpop: bool,
) -> Check {
    let (scheme, scope) = token
        .map(|t| (t.scheme, t.scope))
        .unwrap_or((Scheme::Bearer, None));
    let binding = match (scheme, dpop) {
        (Scheme::Dpop, false) => "DPoP-bound token (the app requires DPoP: oksms sends proofs)",
        (Scheme::Dpop, true) => "DPoP-bound token",
        (Scheme::Bearer, _) => "Bearer token (the app does not require DPoP)",
    };
    let kid = key_id
        .map(|k| format!(", kid {}", crate::secret::shown(k)))
        .unwrap_or_default();
    let scopes = scope
        .map(|s| format!("; scopes granted: {}", crate::escape::escape_control(&s)))
        .unwrap_or_default();
    Check::pass(
        "credentials",
        format!(
            "service app {}: POST /oauth2/v1/token granted a {binding} \
             (private_key_jwt{kid}){scopes}",
            crate::secret::shown(client_id)
        ),
    )
}

/// The `credentials` check of an SSWS token and the `permission` check,
/// from the System Log's answer to [`PROBE_PATH`].
fn probe_answered(reply: &Reply, is_ssws: bool, checks: &mut Vec<Check>) {
    let what = format!("GET {PROBE_PATH}");
    let err = OktaError::parse(&reply.body);
    let said = err.describe().map(|d| format!(": {d}")).unwrap_or_default();
    match reply.status {
        200..=299 => {
            if is_ssws {
                checks.push(Check::pass(
                    "credentials",
                    "Okta accepted the SSWS API token",
                ));
            }
            checks.push(logs_readable(reply, &what));
        }
        401 => checks.push(refused(is_ssws, &what, &said)),
        403 => {
            if is_ssws {
                checks.push(Check::pass(
                    "credentials",
                    "Okta accepted the SSWS API token (it authenticated)",
                ));
            }
            checks.push(forbidden(reply, is_ssws, &what, &said));
        }
        status => checks.push(Check::fail(
            "permission",
            ExitCode::Error,
            format!("{what}: HTTP {status}{said}"),
            "see Okta's error above; run again with --verbose",
        )),
    }
}

/// The passed `permission` check: a 2xx answer, with its event count.
fn logs_readable(reply: &Reply, what: &str) -> Check {
    let events = crate::okta::client::count_events(&reply.body)
        .map(|n| format!(" with {n} event{}", if n == 1 { "" } else { "s" }))
        .unwrap_or_default();
    Check::pass(
        "permission",
        format!(
            "{what} answered {}{events}: the System Log can be read",
            reply.status
        ),
    )
}

/// The failed `credentials` check after HTTP 401: the SSWS token or the
/// access token was refused. `said` is Okta's error (`: …`) or empty.
fn refused(is_ssws: bool, what: &str, said: &str) -> Check {
    if is_ssws {
        Check::fail(
            "credentials",
            ExitCode::Auth,
            format!("Okta refused the SSWS API token ({what}: HTTP 401{said})"),
            "an SSWS token expires after 30 days without use, and when the admin \
             who created it is deactivated or loses the role: create a new one \
             (Admin Console: Security > API > Tokens > Create token) as an admin \
             who may read the System Log, and save it to the token file with \
             mode 0600",
        )
    } else {
        Check::fail(
            "credentials",
            ExitCode::Auth,
            format!("the access token was refused ({what}: HTTP 401{said})"),
            "check that the app's DPoP setting and the clock are right, then \
             run doctor again",
        )
    }
}

/// The failed `permission` check after HTTP 403: a missing scope (the
/// answer's `WWW-Authenticate` says `insufficient_scope`) or a missing
/// admin role. `said` is Okta's error (`: …`) or empty.
fn forbidden(reply: &Reply, is_ssws: bool, what: &str, said: &str) -> Check {
    let scope = reply
        .headers
        .get_all(reqwest::header::WWW_AUTHENTICATE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(|v| v.contains("insufficient_scope"));
    if scope {
        Check::fail(
            "permission",
            ExitCode::Auth,
            format!(
                "the access token lacks the scope okta.logs.read ({what}: HTTP 403{said}; \
                 WWW-Authenticate: insufficient_scope)"
            ),
            "grant okta.logs.read to the service app (Admin Console: Applications > \
             the app > Okta API Scopes > Grant) and request it (scopes in the \
             profile or OKTA_CLIENT_SCOPES must include okta.logs.read)",
        )
    } else {
        Check::fail(
            "permission",
            ExitCode::Auth,
            format!(
                "the credentials have no admin role that may read the System Log \
                 ({what}: HTTP 403{said})"
            ),
            if is_ssws {
                "an SSWS token acts with the admin role of the user who created \
                 it: create the token as an admin with a role that can read the \
                 System Log (e.g. Read-Only Administrator)"
            } else {
                "assign the service app an admin role that can read the System \
                 Log (Admin Console: Applications > the app > Admin roles, e.g. \
                 Read-Only Administrator)"
            },
        )
    }
}

/// The checks after the System Log request got no usable answer: skipped
/// when the bucket is drained (the `rate-limit` check says so), else a
/// failure of `credentials` (an SSWS token, never judged) or `permission`.
fn probe_failed(
    e: &anyhow::Error,
    rate: Option<RateState>,
    is_ssws: bool,
    checks: &mut Vec<Check>,
) {
    let limited = rate.is_some_and(|r| r.remaining == 0);
    if limited {
        let why = "skipped: the System Log bucket is drained (HTTP 429), see rate-limit";
        if is_ssws {
            checks.push(Check::skip("credentials", why));
        }
        checks.push(Check::skip("permission", why));
    } else {
        checks.push(Check::fail(
            if is_ssws { "credentials" } else { "permission" },
            exit::code_for(e),
            format!("{e:#}"),
            "the org did not answer the System Log request; try again, or with a longer --timeout",
        ));
    }
}

/// The `credentials` check after a failed token grant.
fn grant_failure(e: &anyhow::Error) -> Check {
    let text = format!("{e:#}");
    let code = exit::code_for(e);
    if code != ExitCode::Auth {
        return Check::fail(
            "credentials",
            code,
            text,
            "the token endpoint did not answer; try again, or with a longer --timeout",
        );
    }
    let refusal = crate::okta::error::token_refusal_code(e).unwrap_or("");
    let fix = if refusal == "invalid_scope" {
        "grant the scope okta.logs.read to the service app (Admin Console: Applications > the app \
         > Okta API Scopes > Grant), and request only scopes the app was granted"
    } else if refusal == "invalid_client" {
        "check the client id, that the private key matches the public key registered on the app \
         (and its key id), and the clock"
    } else if refusal.contains("dpop") {
        "the app's DPoP setting and oksms disagree: try with --dpop, or check the app's \
         \"Require DPoP\" setting"
    } else {
        "check the service app's settings in the Admin Console"
    };
    Check::fail("credentials", ExitCode::Auth, text, fix)
}

/// The `rate-limit` check from the System Log answer's headers.
fn rate_check(rate: Option<RateState>, percent: u8) -> Check {
    let Some(r) = rate else {
        return Check::warn(
            "rate-limit",
            "the System Log answer had no X-Rate-Limit headers",
            "a proxy may strip them; oksms then paces itself by 429 answers",
        );
    };
    let budget = Budget::new(percent);
    let allowed = budget.allowed(r.limit);
    let reset_at = chrono::DateTime::from_timestamp(r.reset, 0)
        .map(|t| t.format("%H:%M:%S UTC").to_string())
        .unwrap_or_else(|| "?".into());
    let resets = format!("resets in {} s (at {reset_at})", r.reset_in().as_secs());
    let share = format!(
        "--rate-budget {percent}% lets oksms use {allowed} of {} requests a window",
        r.limit
    );
    if r.remaining == 0 {
        return Check::fail(
            "rate-limit",
            ExitCode::Error,
            format!(
                "the System Log bucket is drained: limit {}, remaining 0, {resets}; other clients \
                 of the org (a SIEM, scripts) share this bucket",
                r.limit
            ),
            "run after the reset, or have the other clients use less; --rate-budget caps oksms's own share",
        );
    }
    let detail = format!(
        "limit {}, remaining {}, {resets}; {share}",
        r.limit, r.remaining
    );
    if budget.permits(&r) {
        Check::pass("rate-limit", detail)
    } else {
        Check::warn(
            "rate-limit",
            format!("{detail}; {} are used already", r.used()),
            format!(
                "fetch waits up to {} s for the reset before its next request; raise --rate-budget \
                 or run when the org is quieter",
                r.reset_wait().as_secs()
            ),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state(limit: u64, remaining: u64) -> RateState {
        RateState {
            limit,
            remaining,
            reset: 1_000_060,
            date: 1_000_000,
        }
    }

    #[test]
    fn the_bucket_passes_warns_or_fails() {
        let ok = rate_check(Some(state(120, 119)), 50);
        assert_eq!(ok.status, super::super::Status::Pass);
        assert!(
            ok.detail.contains("lets oksms use 60 of 120"),
            "{}",
            ok.detail
        );
        assert!(ok.detail.contains("resets in 60 s"), "{}", ok.detail);
        let busy = rate_check(Some(state(120, 50)), 50);
        assert_eq!(busy.status, super::super::Status::Warn);
        let drained = rate_check(Some(state(120, 0)), 50);
        assert_eq!(drained.status, super::super::Status::Fail);
        assert_eq!(drained.code, ExitCode::Error);
        assert_eq!(rate_check(None, 50).status, super::super::Status::Warn);
    }

    #[test]
    fn skew_thresholds() {
        let run = |skew| {
            let mut checks = Vec::new();
            clock(
                &OrgMeta {
                    is_okta: true,
                    skew: Some(skew),
                },
                &mut checks,
            );
            checks.remove(0).status
        };
        use super::super::Status::*;
        assert_eq!(run(0), Pass);
        assert_eq!(run(-30), Pass);
        assert_eq!(run(31), Warn);
        assert_eq!(run(-300), Warn);
        assert_eq!(run(301), Fail);
    }
}

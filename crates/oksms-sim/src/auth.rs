//! Authentication in the simulated org (okta-facts §4): SSWS API tokens
//! and, for a registered service app, the OAuth token endpoint and the
//! `Bearer` / `DPoP` tokens it issues.
//!
//! `POST /oauth2/v1/token` takes `grant_type=client_credentials`, `scope`
//! (by default only `okta.logs.read` is granted), `client_assertion_type` (jwt-bearer)
//! and `client_assertion`: a JWT signed with the app's key (RS256/384/512,
//! PS*, ES256/384), `iss` = `sub` = client id, `aud` = the token URL, `exp`
//! (a number or numeric string) in the future and at most one hour ahead,
//! an optional `jti` that is accepted once. Signatures are checked with
//! jsonwebtoken against the registered public key; times against the org's
//! clock with 60 s of leeway. Errors use the OAuth body
//! (`invalid_client` 401, `invalid_scope`, `unsupported_grant_type` 400).
//! Only the scopes of [`SimConfig::granted_scopes`] are granted; the token
//! remembers them, and `/api/v1/logs` needs `okta.logs.read` among them
//! (else 403 E0000006 with `WWW-Authenticate: Bearer …
//! error="insufficient_scope"`). With [`SimConfig::missing_role`] every
//! accepted credential gets 403 E0000006 there (no admin role).
//!
//! In DPoP mode the request also needs a `DPoP` proof (`typ` dpop+jwt, an
//! asymmetric `alg`, the public `jwk` in the header, `htm` POST, `htu` the
//! token URL, `iat` within five minutes, a fresh `jti`); without the org's
//! nonce it answers 400 `use_dpop_nonce` with a `DPoP-Nonce` header. The
//! proof is checked before the assertion, so a client may resend the same
//! assertion with the nonce (inference). The token is then bound to the
//! key's thumbprint and `token_type` is `DPoP`; `/api/v1/logs` requires
//! `Authorization: DPoP <token>` and a proof with `htm` GET, `htu` the URL
//! without query, `ath` = b64url(SHA-256(token)) and the same key. A bad
//! proof there answers 401 E0000011 with `WWW-Authenticate: DPoP
//! error="invalid_dpop_proof"` (the body is inference).

// Handlers answer a refusal with a ready HTTP response, so helpers return
// `Result<_, Response>` (axum's idiom), which is larger than clippy likes.
#![allow(clippy::result_large_err)]

use crate::SimConfig;
use crate::errors;
use anyhow::Context;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::jwk::ThumbprintHash;
use jsonwebtoken::{Algorithm, AlgorithmFamily, DecodingKey, Validation};
use rand::RngExt;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use std::collections::{HashMap, HashSet};
use std::sync::{Mutex, MutexGuard};

/// The only scope the simulated org grants.
pub const LOGS_SCOPE: &str = "okta.logs.read";
const JWT_BEARER: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
const TOKEN_LIFETIME_MS: i64 = 3_600_000;
const LEEWAY_MS: i64 = 60_000;
const PROOF_WINDOW_MS: i64 = 300_000;

struct RegisteredApp {
    client_id: String,
    key: DecodingKey,
    family: AlgorithmFamily,
    dpop: bool,
}

#[derive(Debug)]
struct Issued {
    expires_ms: i64,
    /// The DPoP key thumbprint the token is bound to.
    jkt: Option<String>,
    /// The scopes granted.
    scopes: Vec<String>,
}

#[derive(Default)]
struct AuthInner {
    tokens: HashMap<String, Issued>,
    assertion_jtis: HashSet<String>,
    proof_jtis: HashSet<String>,
    issued: u64,
}

/// The registered app, issued tokens and used ids.
pub struct AuthState {
    app: Option<RegisteredApp>,
    /// The scopes a token request may ask for ([`SimConfig::granted_scopes`]).
    granted_scopes: Vec<String>,
    nonce: String,
    inner: Mutex<AuthInner>,
}

impl AuthState {
    pub fn new(config: &SimConfig) -> anyhow::Result<AuthState> {
        let app = match &config.service_app {
            None => None,
            Some(app) => {
                let pem = app.public_key_pem.as_bytes();
                let (key, family) = match DecodingKey::from_rsa_pem(pem) {
                    Ok(k) => (k, AlgorithmFamily::Rsa),
                    Err(_) => (
                        DecodingKey::from_ec_pem(pem)
                            .context("the service app's public key is neither RSA nor EC PEM")?,
                        AlgorithmFamily::Ec,
                    ),
                };
                Some(RegisteredApp {
                    client_id: app.client_id.clone(),
                    key,
                    family,
                    dpop: app.dpop,
                })
            }
        };
        Ok(AuthState {
            app,
            granted_scopes: config.granted_scopes.clone(),
            nonce: random_token(24),
            inner: Mutex::new(AuthInner::default()),
        })
    }

    fn lock(&self) -> MutexGuard<'_, AuthInner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Access tokens issued so far.
    pub fn tokens_issued(&self) -> u64 {
        self.lock().issued
    }
}

fn random_token(bytes: usize) -> String {
    let mut rng = rand::rng();
    let raw: Vec<u8> = (0..bytes).map(|_| rng.random::<u8>()).collect();
    URL_SAFE_NO_PAD.encode(raw)
}

/// Checks the credentials of a `/api/v1/logs` request against the org's
/// `cfg` and token state `auth` at `now` (ms); `htu` is the request URL
/// without query.
pub fn check_logs(
    auth: &AuthState,
    cfg: &SimConfig,
    now: i64,
    headers: &HeaderMap,
    htu: &str,
) -> Result<(), Response> {
    if cfg.ssws_token.is_none() && cfg.service_app.is_none() {
        return Ok(());
    }
    let value = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let (scheme, credential) = value.split_once(' ').unwrap_or((value, ""));
    let credential = credential.trim();
    if scheme.eq_ignore_ascii_case("SSWS") {
        return match cfg.ssws_token.as_deref() {
            Some(t) if t == credential => role(cfg),
            _ => Err(errors::invalid_token()),
        };
    }
    let (jkt, scopes) = {
        let inner = auth.lock();
        match inner.tokens.get(credential) {
            Some(t) if t.expires_ms > now => (t.jkt.clone(), t.scopes.clone()),
            _ => return Err(errors::invalid_token()),
        }
    };
    check_token_proof(auth, headers, htu, credential, jkt, now)?;
    if !scopes.iter().any(|s| s == LOGS_SCOPE) {
        return Err(insufficient_scope(htu));
    }
    role(cfg)
}

/// 403 E0000006 when the org lacks an admin role for the credentials.
fn role(cfg: &SimConfig) -> Result<(), Response> {
    if cfg.missing_role {
        Err(errors::forbidden())
    } else {
        Ok(())
    }
}

/// 403 E0000006 for a token without `okta.logs.read`, with the resource
/// server's `WWW-Authenticate` naming the scope (shape: inference); `htu`
/// is the request URL without query, whose origin is the org's.
fn insufficient_scope(htu: &str) -> Response {
    let base = url::Url::parse(htu)
        .map(|u| u.origin().ascii_serialization())
        .unwrap_or_default();
    let mut resp = errors::forbidden();
    let value = format!(
        "Bearer authorization_uri=\"{base}/oauth2/v1/authorize\", realm=\"{base}\", \
         scope=\"{LOGS_SCOPE}\", error=\"insufficient_scope\", \
         error_description=\"The access token provided does not contain the required scopes.\", \
         resource=\"/api/v1/logs\""
    );
    if let Ok(v) = HeaderValue::from_str(&value) {
        resp.headers_mut().insert(header::WWW_AUTHENTICATE, v);
    }
    resp
}

/// The scheme and DPoP proof of an issued access token.
fn check_token_proof(
    auth: &AuthState,
    headers: &HeaderMap,
    htu: &str,
    credential: &str,
    jkt: Option<String>,
    now: i64,
) -> Result<(), Response> {
    let value = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let scheme = value.split_once(' ').map(|(s, _)| s).unwrap_or(value);
    match (scheme.to_ascii_lowercase().as_str(), jkt) {
        ("bearer", None) => Ok(()),
        ("dpop", Some(jkt)) => {
            let proof = headers
                .get("dpop")
                .and_then(|v| v.to_str().ok())
                .ok_or_else(|| bad_resource_proof("the DPoP proof header is missing"))?;
            let (proof_jkt, claims) =
                verify_proof(auth, proof, "GET", htu, now).map_err(|e| bad_resource_proof(&e))?;
            let ath = URL_SAFE_NO_PAD.encode(Sha256::digest(credential.as_bytes()));
            if claims.get("ath").and_then(Value::as_str) != Some(ath.as_str()) {
                return Err(bad_resource_proof("ath does not match the access token"));
            }
            if proof_jkt != jkt {
                return Err(bad_resource_proof("the proof key is not the token's key"));
            }
            Ok(())
        }
        _ => Err(errors::invalid_token()),
    }
}

fn bad_resource_proof(why: &str) -> Response {
    let mut resp = errors::invalid_token();
    let value = format!("DPoP error=\"invalid_dpop_proof\", error_description=\"{why}\"");
    if let Ok(v) = HeaderValue::from_str(&value) {
        resp.headers_mut().insert(header::WWW_AUTHENTICATE, v);
    }
    resp
}

fn verify_signed(token: &str, key: &DecodingKey, alg: Algorithm) -> Result<Value, String> {
    let mut validation = Validation::new(alg);
    validation.validate_exp = false;
    validation.validate_aud = false;
    validation.required_spec_claims = HashSet::new();
    jsonwebtoken::decode::<Value>(token, key, &validation)
        .map(|d| d.claims)
        .map_err(|e| format!("the signature or format is invalid ({e})"))
}

/// Verifies a DPoP proof; returns the key thumbprint and the claims.
fn verify_proof(
    auth: &AuthState,
    proof: &str,
    htm: &str,
    htu: &str,
    now: i64,
) -> Result<(String, Value), String> {
    let head = jsonwebtoken::decode_header(proof).map_err(|e| format!("bad proof header ({e})"))?;
    if head.typ.as_deref() != Some("dpop+jwt") {
        return Err("typ must be dpop+jwt".into());
    }
    if head.alg.family() == AlgorithmFamily::Hmac {
        return Err("alg must be asymmetric".into());
    }
    let jwk = head.jwk.as_ref().ok_or("the proof has no jwk")?;
    let key = DecodingKey::from_jwk(jwk).map_err(|e| format!("bad jwk ({e})"))?;
    let claims = verify_signed(proof, &key, head.alg)?;
    if claims.get("htm").and_then(Value::as_str) != Some(htm) {
        return Err(format!("htm must be {htm}"));
    }
    let claim_htu = claims.get("htu").and_then(Value::as_str).unwrap_or("");
    let claim_htu = claim_htu.split(['?', '#']).next().unwrap_or("");
    if claim_htu != htu {
        return Err(format!("htu must be {htu}"));
    }
    let iat = claims
        .get("iat")
        .and_then(Value::as_i64)
        .ok_or("iat is missing")?;
    if (iat * 1000 - now).abs() > PROOF_WINDOW_MS {
        return Err("iat is too far from the server time".into());
    }
    let jti = claims
        .get("jti")
        .and_then(Value::as_str)
        .filter(|j| !j.is_empty())
        .ok_or("jti is missing")?;
    if !auth.lock().proof_jtis.insert(jti.to_string()) {
        return Err("jti was already used".into());
    }
    let jkt = jwk
        .thumbprint(ThumbprintHash::SHA256)
        .map_err(|e| format!("cannot compute the jwk thumbprint ({e})"))?;
    Ok((jkt, claims))
}

fn invalid_client(why: &str) -> Response {
    errors::oauth_error(StatusCode::UNAUTHORIZED, "invalid_client", why)
}

/// Answers a token request (`POST /oauth2/v1/token`, `body` the form)
/// made to `token_url` at `now` (ms): the access token, or the OAuth error
/// response. Rate limiting is the server's.
pub fn issue(
    auth: &AuthState,
    headers: &HeaderMap,
    body: &str,
    token_url: &str,
    now: i64,
) -> Result<Response, Response> {
    let app = auth
        .app
        .as_ref()
        .ok_or_else(|| invalid_client("Client authentication failed."))?;
    let form: HashMap<String, String> = url::form_urlencoded::parse(body.as_bytes())
        .into_owned()
        .collect();
    let field = |k: &str| form.get(k).map(String::as_str).unwrap_or("");
    if field("grant_type") != "client_credentials" {
        return Err(errors::oauth_error(
            StatusCode::BAD_REQUEST,
            "unsupported_grant_type",
            "The authorization grant type is not supported by the authorization server.",
        ));
    }

    let jkt = dpop_key(auth, app, headers, token_url, now)?;
    let claims = check_assertion(app, &form, token_url, now)?;
    if let Some(id) = form.get("client_id")
        && *id != app.client_id
    {
        return Err(invalid_client(
            "The client_id does not match the client_assertion.",
        ));
    }
    grant(auth, &claims, field("scope"), jkt, now)
}

/// In DPoP mode, the thumbprint of the proof's key (the token is bound to
/// it), after checking the proof and the org's nonce; `None` otherwise.
fn dpop_key(
    auth: &AuthState,
    app: &RegisteredApp,
    headers: &HeaderMap,
    token_url: &str,
    now: i64,
) -> Result<Option<String>, Response> {
    if !app.dpop {
        return Ok(None);
    }
    {
        let bad =
            |why: &str| errors::oauth_error(StatusCode::BAD_REQUEST, "invalid_dpop_proof", why);
        let proof = headers
            .get("dpop")
            .and_then(|v| v.to_str().ok())
            .ok_or_else(|| bad("The DPoP proof JWT header is missing."))?;
        let (jkt, claims) = verify_proof(auth, proof, "POST", token_url, now)
            .map_err(|e| bad(&format!("The DPoP proof JWT is invalid: {e}.")))?;
        if claims.get("nonce").and_then(Value::as_str) != Some(auth.nonce.as_str()) {
            let mut resp = errors::oauth_error(
                StatusCode::BAD_REQUEST,
                "use_dpop_nonce",
                "Authorization server requires nonce in DPoP proof.",
            );
            if let Ok(v) = HeaderValue::from_str(&auth.nonce) {
                resp.headers_mut().insert("dpop-nonce", v);
            }
            return Err(resp);
        }
        Ok(Some(jkt))
    }
}

/// The claims of the request's `client_assertion`, once its type,
/// algorithm, signature, issuer, subject, audience and expiry are right.
fn check_assertion(
    app: &RegisteredApp,
    form: &HashMap<String, String>,
    token_url: &str,
    now: i64,
) -> Result<Value, Response> {
    let field = |k: &str| form.get(k).map(String::as_str).unwrap_or("");
    if field("client_assertion_type") != JWT_BEARER {
        return Err(invalid_client(
            "The client_assertion_type is invalid. It must be urn:ietf:params:oauth:client-assertion-type:jwt-bearer.",
        ));
    }
    let assertion = field("client_assertion");
    let head = jsonwebtoken::decode_header(assertion)
        .map_err(|_| invalid_client("The client_assertion is not a valid JWT."))?;
    if head.alg.family() != app.family {
        return Err(invalid_client(
            "The client_assertion signature algorithm does not match the registered key.",
        ));
    }
    let claims = verify_signed(assertion, &app.key, head.alg)
        .map_err(|_| invalid_client("The client_assertion signature is invalid."))?;
    let text = |k: &str| claims.get(k).and_then(Value::as_str).unwrap_or("");
    if text("iss") != app.client_id || text("sub") != app.client_id {
        return Err(invalid_client(
            "The iss and sub claims of the client_assertion must both be the client_id.",
        ));
    }
    let aud_ok = match claims.get("aud") {
        Some(Value::String(a)) => a == token_url,
        Some(Value::Array(a)) => a.iter().any(|v| v.as_str() == Some(token_url)),
        _ => false,
    };
    if !aud_ok {
        return Err(invalid_client(
            "The audience claim for client_assertion must be the endpoint invoking the client_assertion.",
        ));
    }
    let exp = match claims.get("exp") {
        Some(Value::Number(n)) => n.as_i64(),
        Some(Value::String(s)) => s.trim().parse::<i64>().ok(),
        _ => None,
    }
    .ok_or_else(|| invalid_client("The client_assertion token must contain an exp claim."))?;
    if exp * 1000 < now - LEEWAY_MS {
        return Err(invalid_client("The client_assertion token is expired."));
    }
    if exp * 1000 > now + TOKEN_LIFETIME_MS + LEEWAY_MS {
        return Err(invalid_client(
            "The client_assertion token has an expiration too far into the future.",
        ));
    }
    Ok(claims)
}

/// Issues the access token for checked `claims` (an assertion `jti` is
/// accepted once) when `scope` asks for the logs scope only.
fn grant(
    auth: &AuthState,
    claims: &Value,
    scope: &str,
    jkt: Option<String>,
    now: i64,
) -> Result<Response, Response> {
    let mut inner = auth.lock();
    if let Some(jti) = claims.get("jti").and_then(Value::as_str)
        && !inner.assertion_jtis.insert(jti.to_string())
    {
        return Err(invalid_client(
            "The client_assertion token has already been used.",
        ));
    }
    let scopes: Vec<&str> = scope.split_whitespace().collect();
    let granted = &auth.granted_scopes;
    if scopes.is_empty() || scopes.iter().any(|s| !granted.iter().any(|g| g == s)) {
        return Err(errors::oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_scope",
            "One or more scopes are not configured for the authorization server resource.",
        ));
    }
    let access_token = random_token(32);
    let token_type = if jkt.is_some() { "DPoP" } else { "Bearer" };
    inner.tokens.insert(
        access_token.clone(),
        Issued {
            expires_ms: now + TOKEN_LIFETIME_MS,
            jkt,
            scopes: scopes.iter().map(|s| s.to_string()).collect(),
        },
    );
    inner.issued += 1;
    let body = json!({
        "token_type": token_type,
        "expires_in": 3600,
        "access_token": access_token,
        "scope": scopes.join(" "),
    });
    Ok((
        StatusCode::OK,
        [
            ("cache-control", "no-cache, no-store"),
            ("pragma", "no-cache"),
        ],
        axum::Json(body),
    )
        .into_response())
}

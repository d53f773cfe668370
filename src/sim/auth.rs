//! Authentication in the simulated org: SSWS API tokens and, for a
//! registered service app, the OAuth token endpoint and the `Bearer` /
//! `DPoP` tokens it issues (okta-facts §4).

// Handlers answer a refusal with a ready HTTP response, so helpers return
// `Result<_, Response>` (axum's idiom), which is larger than clippy likes.
#![allow(clippy::result_large_err)]

use crate::sim::SimConfig;
use crate::sim::errors;
use crate::sim::server::Shared;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use std::sync::Arc;

/// Issued tokens and used ids.
#[derive(Debug)]
pub struct AuthState {}

impl AuthState {
    pub fn new(_config: &SimConfig) -> anyhow::Result<AuthState> {
        Ok(AuthState {})
    }
}

/// Checks the credentials of a `/api/v1/logs` request; `htu` is the request
/// URL without query.
pub fn check_logs(shared: &Shared, headers: &HeaderMap, _htu: &str) -> Result<(), Response> {
    let cfg = &shared.config;
    if cfg.ssws_token.is_none() && cfg.service_app.is_none() {
        return Ok(());
    }
    let value = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let (scheme, credential) = value.split_once(' ').unwrap_or((value, ""));
    if scheme.eq_ignore_ascii_case("SSWS")
        && cfg
            .ssws_token
            .as_deref()
            .is_some_and(|t| t == credential.trim())
    {
        return Ok(());
    }
    Err(errors::invalid_token())
}

/// `POST /oauth2/v1/token`.
pub async fn token(State(_shared): State<Arc<Shared>>) -> Response {
    errors::oauth_error(
        StatusCode::UNAUTHORIZED,
        "invalid_client",
        "No client credentials found.",
    )
}

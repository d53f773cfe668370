//! The error bodies the simulated org answers with: Okta's management API
//! shape (`errorCode`, `errorSummary`, `errorLink`, `errorId`,
//! `errorCauses`) and the OAuth shape (`error`, `error_description`) of the
//! token endpoint (okta-facts §3).

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use rand::RngExt;
use serde_json::json;

/// An Okta-style error id (`oae` plus 22 characters).
pub fn error_id() -> String {
    const ALPHABET: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    let mut rng = rand::rng();
    let tail: String = (0..22)
        .map(|_| char::from(ALPHABET[rng.random_range(0..ALPHABET.len())]))
        .collect();
    format!("oae{tail}")
}

/// A management API error.
pub fn okta_error(status: StatusCode, code: &str, summary: &str) -> Response {
    let body = json!({
        "errorCode": code,
        "errorSummary": summary,
        "errorLink": code,
        "errorId": error_id(),
        "errorCauses": []
    });
    (status, Json(body)).into_response()
}

/// 401 E0000011.
pub fn invalid_token() -> Response {
    okta_error(
        StatusCode::UNAUTHORIZED,
        "E0000011",
        "Invalid token provided",
    )
}

/// 403 E0000006.
pub fn forbidden() -> Response {
    okta_error(
        StatusCode::FORBIDDEN,
        "E0000006",
        "You do not have permission to perform the requested action",
    )
}

/// 429 E0000047 (the caller adds the rate-limit headers).
pub fn too_many_requests() -> Response {
    okta_error(
        StatusCode::TOO_MANY_REQUESTS,
        "E0000047",
        "API call exceeded rate limit due to too many requests.",
    )
}

/// A 5xx: 500 is Okta's E0000009; other codes come from the edge as text.
pub fn server_error(status: u16) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    if status == StatusCode::INTERNAL_SERVER_ERROR {
        okta_error(status, "E0000009", "Internal Server Error")
    } else {
        (
            status,
            [("content-type", "text/html")],
            format!(
                "<html><body><h1>{} {}</h1></body></html>",
                status.as_u16(),
                status.canonical_reason().unwrap_or("Error")
            ),
        )
            .into_response()
    }
}

/// 400 E0000001 "Api validation failed: …".
pub fn validation(summary: &str) -> Response {
    okta_error(StatusCode::BAD_REQUEST, "E0000001", summary)
}

/// A token-endpoint error.
pub fn oauth_error(status: StatusCode, error: &str, description: &str) -> Response {
    (
        status,
        [
            ("cache-control", "no-cache, no-store"),
            ("pragma", "no-cache"),
        ],
        Json(json!({"error": error, "error_description": description})),
    )
        .into_response()
}

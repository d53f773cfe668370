//! Okta's error answers turned into messages and exit codes.
//!
//! The API answers `{errorCode, errorSummary, errorLink, errorId,
//! errorCauses}` (every field optional here); the token endpoint answers
//! `{error, error_description}`. Summaries may echo input, so they are
//! escaped ([`crate::escape`]) and shortened before they reach a terminal.

use crate::escape::escape_control;
use crate::exit::{ExitCode, Failure};
use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ApiBody {
    error_code: Option<String>,
    error_summary: Option<String>,
    error_id: Option<String>,
    #[serde(default)]
    error_causes: Vec<Cause>,
    // The token endpoint's shape.
    error: Option<String>,
    #[serde(rename = "error_description")]
    error_description: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Cause {
    error_summary: Option<String>,
}

/// What Okta said in an error body, ready to show.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OktaError {
    /// `errorCode` (or the OAuth `error`): the only field to branch on.
    pub code: Option<String>,
    /// `errorSummary` plus causes (or `error_description`), escaped.
    pub summary: Option<String>,
    pub id: Option<String>,
}

/// The token endpoint refused the service app's grant (`POST
/// /oauth2/v1/token` answered 4xx): the status and what Okta said, kept in
/// the error chain so callers branch on the OAuth `error` code
/// ([`OktaError::code`]: RFC 6749 section 5.2 `invalid_client`,
/// `invalid_scope`, ...; RFC 9449 `invalid_dpop_proof`, `use_dpop_nonce`)
/// instead of on message text.
#[derive(Debug, Clone)]
pub struct TokenRefused {
    /// The HTTP status (400 or 401 in Okta's answers).
    pub status: u16,
    pub okta: OktaError,
}

impl std::fmt::Display for TokenRefused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let said = self.okta.describe();
        write!(
            f,
            "HTTP {}: {}",
            self.status,
            said.as_deref().unwrap_or("no error details")
        )
    }
}

impl std::error::Error for TokenRefused {}

/// The OAuth `error` code of a refused token grant somewhere in `err`'s
/// chain ([`TokenRefused`]), if that is what failed.
pub fn token_refusal_code(err: &anyhow::Error) -> Option<&str> {
    err.chain()
        .find_map(|cause| cause.downcast_ref::<TokenRefused>())
        .and_then(|refused| refused.okta.code.as_deref())
}

impl OktaError {
    /// Reads an error body; anything unreadable gives an empty error.
    pub fn parse(body: &[u8]) -> OktaError {
        let Ok(b) = serde_json::from_slice::<ApiBody>(body) else {
            return OktaError::default();
        };
        let mut summary = b.error_summary.or(b.error_description);
        let causes: Vec<String> = b
            .error_causes
            .into_iter()
            .filter_map(|c| c.error_summary)
            .collect();
        if !causes.is_empty() {
            let joined = causes.join("; ");
            summary = Some(match summary {
                Some(s) => format!("{s} ({joined})"),
                None => joined,
            });
        }
        OktaError {
            code: b.error_code.or(b.error).map(|s| clean(&s, 40)),
            summary: summary.map(|s| clean(&s, 300)),
            id: b.error_id.map(|s| clean(&s, 60)),
        }
    }

    /// `E0000011: Invalid token provided (errorId oae…)`, or `None` when the
    /// body said nothing.
    pub fn describe(&self) -> Option<String> {
        let mut out = match (&self.code, &self.summary) {
            (Some(c), Some(s)) => format!("{c}: {s}"),
            (Some(c), None) => c.clone(),
            (None, Some(s)) => s.clone(),
            (None, None) => return None,
        };
        if let Some(id) = &self.id {
            out.push_str(&format!(" (errorId {id})"));
        }
        Some(out)
    }
}

/// Escapes control characters and shortens text from a server.
fn clean(s: &str, max_chars: usize) -> String {
    let escaped = escape_control(s).to_string();
    if escaped.chars().count() > max_chars {
        let cut: String = escaped.chars().take(max_chars).collect();
        format!("{cut}…")
    } else {
        escaped
    }
}

/// The failure for a final (not retried) HTTP error answer.
pub fn http_failure(what: &str, status: u16, body: &[u8]) -> Failure {
    let err = OktaError::parse(body);
    let detail = err
        .describe()
        .unwrap_or_else(|| "no error details in the answer".into());
    let hint = match status {
        401 => "; check the token or the service app's key and client id",
        403 => "; the credentials lack the permission (an admin role, scope okta.logs.read)",
        400 if err.code.as_deref() == Some("E0000053") => "; check --filter and --since",
        _ => "",
    };
    let message = format!("{what}: HTTP {status}: {detail}{hint}");
    let code = match status {
        401 | 403 => ExitCode::Auth,
        400 => ExitCode::Usage,
        _ => ExitCode::Error,
    };
    Failure::new(code, message)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_error_body_is_described() {
        let body = br#"{"errorCode":"E0000011","errorSummary":"Invalid token provided","errorLink":"E0000011","errorId":"oaeAbc","errorCauses":[]}"#;
        let e = OktaError::parse(body);
        assert_eq!(
            e.describe().as_deref(),
            Some("E0000011: Invalid token provided (errorId oaeAbc)")
        );
        let f = http_failure("GET /api/v1/logs", 401, body);
        assert_eq!(f.code, ExitCode::Auth);
        assert!(
            f.message
                .contains("HTTP 401: E0000011: Invalid token provided")
        );
    }

    #[test]
    fn causes_oauth_bodies_and_garbage() {
        let e = OktaError::parse(
            br#"{"errorCode":"E0000001","errorSummary":"Api validation failed","errorCauses":[{"errorSummary":"since: bad date"}]}"#,
        );
        assert_eq!(
            e.describe().as_deref(),
            Some("E0000001: Api validation failed (since: bad date)")
        );
        let o =
            OktaError::parse(br#"{"error":"invalid_client","error_description":"bad assertion"}"#);
        assert_eq!(
            o.describe().as_deref(),
            Some("invalid_client: bad assertion")
        );
        assert_eq!(OktaError::parse(b"<html>").describe(), None);
        assert_eq!(http_failure("x", 403, b"").code, ExitCode::Auth);
        assert_eq!(http_failure("x", 404, b"").code, ExitCode::Error);
    }

    #[test]
    fn summaries_are_escaped_and_shortened() {
        let long = "x".repeat(500);
        let body = format!(r#"{{"errorCode":"E1","errorSummary":"bad\u001b[31m{long}"}}"#);
        let d = OktaError::parse(body.as_bytes()).describe().unwrap();
        assert!(!d.contains('\u{1b}'));
        assert!(d.chars().count() < 320);
    }
}

//! The Okta Event Hooks API (`/api/v1/eventHooks`, scope
//! `okta.eventHooks.manage`): create, list, verify, activate, deactivate
//! and delete the hooks that deliver events to `oksms watch --listen`.
//! Requests go through [`OktaClient::api_call`] (credentials, retries,
//! 429 handling); this module only shapes the bodies and explains Okta's
//! refusals (missing scope, the 25-hook limit, a URL that is not HTTPS, a
//! failed verification).
//!
//! The hook's secret (the `authScheme` header value) is sent to Okta in
//! the create request's body and nowhere else: Okta never returns it, and
//! no message here quotes it.

use super::client::{OktaClient, Reply};
use super::error::{OktaError, http_failure};
use crate::exit::{ExitCode, Failure};
use crate::secret::Secret;
use anyhow::{Context, Result};
use reqwest::Method;
use serde::Deserialize;
use serde_json::json;

/// The collection path.
pub const PATH: &str = "/api/v1/eventHooks";
/// The OAuth scope the API needs.
pub const SCOPE: &str = "okta.eventHooks.manage";
/// Okta's cap on active event hooks per org.
pub const MAX_ACTIVE: usize = 25;
/// The SMS event oksms audits (hook-eligible).
pub const SMS_EVENT: &str = "system.sms.send_phone_verification_message";
/// The voice call counterpart (hook-eligible), with `--voice`.
pub const VOICE_EVENT: &str = "system.voice.send_phone_verification_call";

/// What a new hook looks like.
#[derive(Debug, Clone)]
pub struct NewHook {
    pub name: String,
    /// The `https://` URL Okta delivers to.
    pub url: String,
    /// The header Okta sends the secret in (`Authorization` by default).
    pub auth_header: String,
    /// The whole header value (never printed).
    pub secret: Secret,
    /// The subscribed event types.
    pub events: Vec<String>,
}

/// A hook as Okta describes it (the fields oksms uses).
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Hook {
    pub id: String,
    #[serde(default)]
    pub name: String,
    /// `ACTIVE` or `INACTIVE`.
    #[serde(default)]
    pub status: String,
    /// `VERIFIED` or `UNVERIFIED`.
    #[serde(default)]
    pub verification_status: String,
    #[serde(default)]
    pub events: HookEvents,
    #[serde(default)]
    pub channel: Channel,
}

/// `events` of a hook.
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
pub struct HookEvents {
    #[serde(default)]
    pub items: Vec<String>,
}

/// `channel` of a hook.
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
pub struct Channel {
    #[serde(default)]
    pub config: ChannelConfig,
}

/// `channel.config` of a hook.
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
pub struct ChannelConfig {
    #[serde(default)]
    pub uri: String,
}

impl Hook {
    /// The URL Okta delivers to.
    pub fn url(&self) -> &str {
        &self.channel.config.uri
    }
    pub fn is_active(&self) -> bool {
        self.status.eq_ignore_ascii_case("ACTIVE")
    }
    pub fn is_verified(&self) -> bool {
        self.verification_status.eq_ignore_ascii_case("VERIFIED")
    }
}

/// The create request's body (Okta's `EventHook` shape).
pub fn create_body(hook: &NewHook) -> serde_json::Value {
    json!({
        "name": hook.name,
        "events": {"type": "EVENT_TYPE", "items": hook.events},
        "channel": {
            "type": "HTTP",
            "version": "1.0.0",
            "config": {
                "uri": hook.url,
                "headers": [],
                "authScheme": {"type": "HEADER", "key": hook.auth_header, "value": hook.secret.expose()}
            }
        }
    })
}

/// The Event Hooks API over an [`OktaClient`].
pub struct EventHooks<'c, 'a> {
    client: &'c mut OktaClient<'a>,
}

impl<'c, 'a> EventHooks<'c, 'a> {
    pub fn new(client: &'c mut OktaClient<'a>) -> Self {
        EventHooks { client }
    }

    /// `GET /api/v1/eventHooks`.
    pub fn list(&mut self) -> Result<Vec<Hook>> {
        let what = format!("GET {PATH}");
        let reply = self.client.api_call(Method::GET, PATH, None)?;
        let reply = success(&what, reply)?;
        serde_json::from_slice(&reply.body).with_context(|| format!("{what}: unreadable answer"))
    }

    /// `POST /api/v1/eventHooks`: Okta creates it ACTIVE and UNVERIFIED.
    pub fn create(&mut self, hook: &NewHook) -> Result<Hook> {
        let body = create_body(hook);
        self.hook_call(Method::POST, PATH.to_string(), Some(&body))
    }

    /// `POST …/{id}/lifecycle/verify`: Okta sends its challenge GET to the
    /// hook URL, which must answer within 3 s.
    pub fn verify(&mut self, id: &str) -> Result<Hook> {
        self.lifecycle(id, "verify")
    }

    /// `POST …/{id}/lifecycle/activate`.
    pub fn activate(&mut self, id: &str) -> Result<Hook> {
        self.lifecycle(id, "activate")
    }

    /// `POST …/{id}/lifecycle/deactivate`.
    pub fn deactivate(&mut self, id: &str) -> Result<Hook> {
        self.lifecycle(id, "deactivate")
    }

    /// `DELETE …/{id}`; an active hook is deactivated first (Okta deletes
    /// only inactive hooks).
    pub fn delete(&mut self, id: &str) -> Result<()> {
        let path = format!("{PATH}/{}", segment(id)?);
        let hook = self.hook_call(Method::GET, path.clone(), None)?;
        if hook.is_active() {
            self.deactivate(id)?;
        }
        let what = format!("DELETE {path}");
        let reply = self.client.api_call(Method::DELETE, &path, None)?;
        success(&what, reply).map(|_| ())
    }

    fn lifecycle(&mut self, id: &str, action: &str) -> Result<Hook> {
        let path = format!("{PATH}/{}/lifecycle/{action}", segment(id)?);
        self.hook_call(Method::POST, path, None)
    }

    fn hook_call(
        &mut self,
        method: Method,
        path: String,
        body: Option<&serde_json::Value>,
    ) -> Result<Hook> {
        let what = format!("{method} {path}");
        let reply = self.client.api_call(method, &path, body)?;
        let reply = success(&what, reply)?;
        serde_json::from_slice(&reply.body).with_context(|| format!("{what}: unreadable answer"))
    }
}

/// An id as one path segment (Okta ids are alphanumeric).
fn segment(id: &str) -> Result<&str> {
    if !id.is_empty() && id.chars().all(|c| c.is_ascii_alphanumeric()) {
        Ok(id)
    } else {
        Err(Failure::usage(format!("{id:?} is not an event hook id")).into())
    }
}

/// The reply when it is a 2xx; otherwise a failure that explains it.
fn success(what: &str, reply: Reply) -> Result<Reply> {
    if (200..300).contains(&reply.status) {
        return Ok(reply);
    }
    Err(explain(what, reply.status, &reply.body).into())
}

/// Okta's refusal with what to do about it.
pub fn explain(what: &str, status: u16, body: &[u8]) -> Failure {
    let err = OktaError::parse(body);
    let detail = err
        .describe()
        .unwrap_or_else(|| "no error details in the answer".into());
    // Okta answers each of these 400s with the one code E0000001 ("Api
    // validation failed"); only the errorCauses' text tells them apart, so
    // the hint (never the exit code) is chosen by words in it.
    let text = detail.to_ascii_lowercase();
    let hint = if status == 403 {
        format!(
            "the credentials may not manage event hooks: a service app needs the scope \
             {SCOPE} granted (and a role allowed to manage hooks); an API token needs an \
             admin role that can manage hooks (e.g. Super Administrator)"
        )
    } else if status == 400 && text.contains("https") {
        "Okta only delivers to https:// URLs: serve TLS with --tls-cert/--tls-key or put a \
         TLS proxy in front"
            .to_string()
    } else if status == 400 && (text.contains("maximum number") || text.contains("limit")) {
        format!(
            "an org can have at most {MAX_ACTIVE} active event hooks: deactivate or delete one \
             (oksms hook list, oksms hook delete ID)"
        )
    } else if status == 400 && text.contains("verif") {
        "Okta could not verify the endpoint: it must be reachable from Okta at that URL and \
         answer the GET with the x-okta-verification-challenge header within 3 seconds \
         (oksms watch --listen does)"
            .to_string()
    } else if status == 404 {
        "no event hook with that id (oksms hook list)".to_string()
    } else {
        return http_failure(what, status, body);
    };
    let code = match status {
        401 | 403 => ExitCode::Auth,
        400 | 404 => ExitCode::Usage,
        _ => ExitCode::Error,
    };
    Failure::new(code, format!("{what}: HTTP {status}: {detail}; {hint}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refusals_are_explained() {
        let limit = br#"{"errorCode":"E0000001","errorSummary":"Api validation failed: eventHook. The maximum number of active event hooks (25) for the org has been reached."}"#;
        let f = explain("POST /api/v1/eventHooks", 400, limit);
        assert!(f.message.contains("at most 25 active"), "{}", f.message);
        let https = br#"{"errorCode":"E0000001","errorSummary":"Api validation failed: channel.config.uri: The URI must use HTTPS."}"#;
        assert!(explain("x", 400, https).message.contains("--tls-cert"));
        let scope = br#"{"errorCode":"E0000006","errorSummary":"You do not have permission to perform the requested action"}"#;
        let f = explain("x", 403, scope);
        assert!(f.message.contains(SCOPE));
        assert_eq!(f.code, ExitCode::Auth);
    }

    #[test]
    fn the_body_carries_the_secret_and_ids_are_checked() {
        let hook = NewHook {
            name: "oksms".into(),
            url: "https://h.example/okta/events".into(),
            auth_header: "Authorization".into(),
            secret: Secret::new("Basic c2VjcmV0"),
            events: vec![SMS_EVENT.into()],
        };
        let body = create_body(&hook);
        assert_eq!(
            body["channel"]["config"]["authScheme"]["value"],
            "Basic c2VjcmV0"
        );
        assert_eq!(body["events"]["items"][0], SMS_EVENT);
        assert!(segment("who1abc").is_ok());
        assert!(segment("../x").is_err());
    }
}

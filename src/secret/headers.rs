//! Redaction of HTTP headers, the one place that knows which headers carry
//! secrets: the header maps `fetch` records with each page, the header
//! objects read back from captures, the headers `replay --dry-run` shows,
//! and reading a secret header value from an environment variable.

use super::Secret;
use crate::exit::Failure;
use reqwest::header::HeaderMap;
use std::borrow::Cow;
use std::collections::BTreeMap;

/// Header names (lower-case) whose values are secrets and never leave
/// `oksms`.
pub const SECRET_HEADERS: &[&str] = &[
    "authorization",
    "proxy-authorization",
    "cookie",
    "set-cookie",
    "x-okta-hook-secret",
];

/// What a secret value is replaced by.
pub const REDACTED: &str = "<redacted>";

/// True when header `name` (any case) carries a secret: one of
/// [`SECRET_HEADERS`] or `extra` (a configured auth header).
pub fn is_secret(name: &str, extra: Option<&str>) -> bool {
    let name = name.to_ascii_lowercase();
    SECRET_HEADERS.contains(&name.as_str()) || extra.is_some_and(|e| e.eq_ignore_ascii_case(&name))
}

/// The headers as a JSON object text: names lower-case and sorted, repeated
/// headers joined with `, `, secret ones (see [`is_secret`], and values
/// marked sensitive) replaced by [`REDACTED`].
pub fn to_json(headers: &HeaderMap, extra: Option<&str>) -> String {
    serde_json::Value::Object(to_object(headers, extra)).to_string()
}

/// [`to_json`] as a JSON object value.
pub fn to_object(
    headers: &HeaderMap,
    extra: Option<&str>,
) -> serde_json::Map<String, serde_json::Value> {
    let mut map: BTreeMap<String, String> = BTreeMap::new();
    for name in headers.keys() {
        let values = headers.get_all(name);
        let secret = is_secret(name.as_str(), extra) || values.iter().any(|v| v.is_sensitive());
        let text = if secret {
            REDACTED.to_string()
        } else {
            values
                .iter()
                .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
                .collect::<Vec<_>>()
                .join(", ")
        };
        map.insert(name.as_str().to_string(), text);
    }
    map.into_iter()
        .map(|(k, v)| (k, serde_json::Value::String(v)))
        .collect()
}

/// Returns a header object (JSON text, as captures keep it) with every
/// secret header's value replaced by `"<redacted>"`; the text is borrowed
/// unchanged when there is none, and is `null` when it is no JSON object
/// but names a secret header.
pub fn redact_object(raw: &str) -> Cow<'_, str> {
    let lower = raw.to_ascii_lowercase();
    if !SECRET_HEADERS.iter().any(|name| lower.contains(name)) {
        return Cow::Borrowed(raw);
    }
    let Ok(mut map) = serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(raw)
    else {
        return Cow::Borrowed("null");
    };
    for (name, value) in map.iter_mut() {
        if is_secret(name, None) {
            *value = serde_json::Value::String(REDACTED.into());
        }
    }
    Cow::Owned(serde_json::Value::Object(map).to_string())
}

/// Reads the secret named by `--secret-env VAR` from the environment. An
/// unset or empty variable is a usage error naming the variable, never the
/// value.
pub fn from_env(var: &str) -> Result<Secret, Failure> {
    match std::env::var(var) {
        Ok(value) if !value.is_empty() => Ok(Secret::new(value)),
        _ => Err(Failure::usage(format!(
            "--secret-env {var}: the environment variable {var} is not set or empty"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_maps_become_json_without_secrets() {
        let mut h = HeaderMap::new();
        h.append("link", "<a>; rel=\"self\"".parse().unwrap());
        h.append("link", "<b>; rel=\"next\"".parse().unwrap());
        h.append("set-cookie", "sid=secret".parse().unwrap());
        h.append("x-rate-limit-remaining", "7".parse().unwrap());
        h.append("x-hook-key", "k".parse().unwrap());
        let mut sensitive: reqwest::header::HeaderValue = "s3cret".parse().unwrap();
        sensitive.set_sensitive(true);
        h.append("x-other", sensitive);
        let v: serde_json::Value = serde_json::from_str(&to_json(&h, Some("X-Hook-Key"))).unwrap();
        assert_eq!(v["link"], "<a>; rel=\"self\", <b>; rel=\"next\"");
        assert_eq!(v["set-cookie"], REDACTED);
        assert_eq!(v["x-hook-key"], REDACTED);
        assert_eq!(v["x-other"], REDACTED);
        assert_eq!(v["x-rate-limit-remaining"], "7");
    }

    #[test]
    fn header_objects_are_redacted() {
        assert_eq!(redact_object(r#"{"a":"1"}"#), r#"{"a":"1"}"#);
        let got = redact_object(r#"{"Authorization":"SSWS x","Set-Cookie":"s","a":"1"}"#);
        let v: serde_json::Value = serde_json::from_str(&got).unwrap();
        assert_eq!(v["Authorization"], REDACTED);
        assert_eq!(v["Set-Cookie"], REDACTED);
        assert_eq!(v["a"], "1");
    }

    #[test]
    fn env_secrets_name_the_variable_only() {
        let err = from_env("OKSMS_TEST_SURELY_UNSET_VAR").unwrap_err();
        assert!(err.message.contains("OKSMS_TEST_SURELY_UNSET_VAR"));
    }
}

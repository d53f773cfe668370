//! The shared secret of an event hook: kept out of `Debug` output and
//! compared in constant time against the request header, so neither logs
//! nor response timing reveal it.

use axum::http::HeaderMap;
use sha2::{Digest, Sha256};
use std::fmt;
use subtle::ConstantTimeEq;

/// A secret header value. `Debug` never shows it.
#[derive(Clone)]
pub struct Secret(Vec<u8>);

impl Secret {
    pub fn new(value: impl Into<Vec<u8>>) -> Self {
        Secret(value.into())
    }

    /// The value, for the one place that sends it (replay's request header).
    pub fn expose(&self) -> &[u8] {
        &self.0
    }

    /// True when `offered` equals the secret. Both sides are hashed first so
    /// the comparison time depends on neither value nor length.
    pub fn matches(&self, offered: &[u8]) -> bool {
        let want = Sha256::digest(&self.0);
        let got = Sha256::digest(offered);
        bool::from(want.as_slice().ct_eq(got.as_slice()))
    }

    /// True when the request carries the secret in header `name` (exactly
    /// one such header; a repeated header is refused).
    pub fn admits(&self, headers: &HeaderMap, name: &str) -> bool {
        let mut values = headers.get_all(name).iter();
        match (values.next(), values.next()) {
            (Some(value), None) => self.matches(value.as_bytes()),
            _ => false,
        }
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn only_the_exact_value_matches() {
        let secret = Secret::new("Basic czNjcmV0");
        assert!(secret.matches(b"Basic czNjcmV0"));
        assert!(!secret.matches(b"Basic czNjcmV0 "));
        assert!(!secret.matches(b"Basic czNjcmV"));
        assert!(!secret.matches(b""));
    }

    #[test]
    fn debug_hides_the_value() {
        let shown = format!("{:?}", Secret::new("hunter2"));
        assert!(!shown.contains("hunter2"), "{shown}");
    }

    #[test]
    fn header_lookup_is_case_insensitive_and_single_valued() {
        let secret = Secret::new("s");
        let mut headers = HeaderMap::new();
        assert!(!secret.admits(&headers, "authorization"));
        headers.insert("x-hook-key", HeaderValue::from_static("s"));
        assert!(secret.admits(&headers, "X-Hook-Key"));
        headers.append("x-hook-key", HeaderValue::from_static("s"));
        assert!(!secret.admits(&headers, "x-hook-key"));
    }
}

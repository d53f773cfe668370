//! The shared secret of an event hook (the one [`Secret`] type of
//! [`crate::secret`]: no `Display`, a redacted `Debug`), checked against the
//! request header in constant time, so neither logs nor response timing
//! reveal it.

use axum::http::HeaderMap;

pub use crate::secret::Secret;

impl Secret {
    /// True when the request carries the secret in header `name` (exactly
    /// one such header; a repeated header is refused), compared with
    /// [`Secret::matches`].
    pub fn admits(&self, headers: &HeaderMap, name: &str) -> bool {
        let mut values = headers.get_all(name).iter();
        match (values.next(), values.next()) {
            (Some(value), None) => self.matches(value.as_bytes()),
            _ => false,
        }
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

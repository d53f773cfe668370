//! Secrets and the values that might be secrets: one place that decides what
//! a message may show of a configuration value.
//!
//! Rules (README, "Secrets"): an API token, access token or private key is
//! never printed, logged, put in argv or written to output, not even in an
//! error about a malformed value. The type [`Secret`] has no `Display` and a
//! redacted `Debug`, so formatting one by mistake cannot leak it. A value
//! that is *not yet known* to be a secret (a private-key setting that may be
//! a path or PEM text, an org URL someone pasted a token into) goes through
//! [`shown`] or [`redact_url`] before it reaches a message: what could be a
//! key or a token is described (length, lines, what the first line looks
//! like), never echoed.

pub mod headers;

use serde::Deserialize;
use sha2::{Digest, Sha256};
use std::fmt;
use subtle::ConstantTimeEq;

/// A secret (API token, access token, private key, event-hook secret):
/// never shown by `Debug`, has no `Display`, never logged.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Secret {
        Secret(value.into())
    }
    /// The secret itself, for the one place that uses it.
    pub fn expose(&self) -> &str {
        &self.0
    }
    /// The secret's bytes (a header value to send).
    pub fn expose_bytes(&self) -> &[u8] {
        self.0.as_bytes()
    }
    /// True when `offered` equals the secret. Both sides are hashed first so
    /// the comparison time depends on neither value nor length.
    pub fn matches(&self, offered: &[u8]) -> bool {
        let want = Sha256::digest(self.0.as_bytes());
        let got = Sha256::digest(offered);
        bool::from(want.as_slice().ct_eq(got.as_slice()))
    }
}

impl<'de> Deserialize<'de> for Secret {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Secret, D::Error> {
        String::deserialize(d).map(Secret)
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// A run of this many token characters (`[A-Za-z0-9+=_-]`) makes a value
/// token-shaped: SSWS tokens are 42, access tokens and base64 key bodies
/// longer. Path components and host names rarely have such runs without a
/// dot or slash; when they do, they are described rather than shown (the
/// safe side).
pub const TOKEN_RUN: usize = 24;
/// Values longer than this are never shown whole.
const MAX_SHOWN: usize = 256;

fn is_token_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '+' | '=' | '_' | '-')
}

/// The permission bits (`0o777` part) of a secret file that group or others
/// may read (`mode & 0o044`), for the `chmod 600` advice; `None` when only
/// its owner may (or off Unix, where modes do not say). The one rule behind
/// `fetch`'s warning about a token or key file and `doctor`'s `files` check.
pub fn readable_by_others(meta: &std::fs::Metadata) -> Option<u32> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = meta.permissions().mode() & 0o777;
        (mode & 0o044 != 0).then_some(mode)
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        None
    }
}

/// True when `text` holds a run of [`TOKEN_RUN`] token characters.
pub fn has_token_run(text: &str) -> bool {
    let mut run = 0;
    for c in text.chars() {
        if is_token_char(c) {
            run += 1;
            if run >= TOKEN_RUN {
                return true;
            }
        } else {
            run = 0;
        }
    }
    false
}

/// True when `value` could be (or hold) a key or a token, so that it must
/// not be echoed: PEM markers, several lines, a `Bag Attributes` preamble,
/// a byte-order mark or quotes around it, control characters, a token-shaped
/// run, or plain length.
pub fn could_be_secret(value: &str) -> bool {
    value.contains("-----")
        || value.contains("PRIVATE KEY")
        || value.contains("Bag Attributes")
        || value.lines().nth(1).is_some()
        || value.chars().any(|c| c.is_control() || c == '\u{feff}')
        || value.starts_with(['"', '\''])
        || value.chars().count() > MAX_SHOWN
        || has_token_run(value)
}

/// What a value looks like, without any of it: `"a value of 1712
/// characters in 29 lines; first line: a 'Bag Attributes' preamble"`.
pub fn describe(value: &str) -> String {
    let chars = value.chars().count();
    let lines = value.lines().count().max(1);
    let first = value
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("")
        .trim();
    let kind = first_line_kind(first);
    format!(
        "a value of {chars} character{} in {lines} line{}; first line: {kind}",
        if chars == 1 { "" } else { "s" },
        if lines == 1 { "" } else { "s" },
    )
}

fn first_line_kind(line: &str) -> String {
    let bare = line
        .trim_start_matches('\u{feff}')
        .trim_matches(['"', '\'']);
    let mut kind = if line.is_empty() {
        "empty".to_string()
    } else if let Some(label) = pem_label(bare, "-----BEGIN ") {
        format!("a PEM header ({label})")
    } else if bare.starts_with("Bag Attributes") {
        "a 'Bag Attributes' preamble (openssl pkcs12 output)".to_string()
    } else if bare.contains("-----BEGIN") {
        "text before a PEM header".to_string()
    } else if has_token_run(bare) {
        "token-shaped text".to_string()
    } else {
        "text".to_string()
    };
    if line.starts_with('\u{feff}') {
        kind.push_str(", after a byte-order mark");
    }
    if line.starts_with(['"', '\'']) {
        kind.push_str(", in quotes");
    }
    kind
}

/// The label of a PEM boundary line (`-----BEGIN PRIVATE KEY-----` gives
/// `PRIVATE KEY`), when it is one and the label is plain capitals.
fn pem_label<'a>(line: &'a str, prefix: &str) -> Option<&'a str> {
    let label = line.strip_prefix(prefix)?.strip_suffix("-----")?;
    label
        .chars()
        .all(|c| c.is_ascii_uppercase() || c == ' ')
        .then_some(label)
}

/// Text taken from an input (a junk line, an error body) as a message may
/// show it: the word after an HTTP auth scheme (`SSWS`, `Bearer`, `DPoP`,
/// `Basic`), the value of an assignment whose name mentions a secret,
/// token, password, key or assertion (`client_secret=...`,
/// `"api_token": "..."`), and every token-shaped run are `<redacted>`.
pub fn redact_text(text: &str) -> std::borrow::Cow<'_, str> {
    const SCHEMES: [&str; 4] = ["ssws", "bearer", "dpop", "basic"];
    const NAMES: [&str; 6] = [
        "secret",
        "token",
        "password",
        "key",
        "assertion",
        "authorization",
    ];
    let mut out = String::with_capacity(text.len());
    let mut changed = false;
    let mut after_scheme = false;
    for piece in text.split_inclusive(char::is_whitespace) {
        let word = piece.trim_end();
        let space = &piece[word.len()..];
        let bare = word.trim_matches(|c: char| matches!(c, '"' | '\'' | ',' | ';'));
        let redact_whole = (after_scheme && !bare.is_empty()) || has_token_run(bare);
        after_scheme = SCHEMES.iter().any(|s| bare.eq_ignore_ascii_case(s));
        if redact_whole {
            out.push_str("<redacted>");
            out.push_str(space);
            changed = true;
            continue;
        }
        // name=value or name:value with a secret-sounding name
        if let Some(cut) = word.find(['=', ':']) {
            let name = word[..cut].to_ascii_lowercase();
            let value = &word[cut + 1..];
            if NAMES.iter().any(|n| name.contains(n))
                && value
                    .trim_matches(|c: char| matches!(c, '"' | '\'' | ',' | ';'))
                    .len()
                    > 3
            {
                out.push_str(&word[..=cut]);
                out.push_str("<redacted>");
                out.push_str(space);
                changed = true;
                continue;
            }
        }
        out.push_str(piece);
    }
    if changed {
        std::borrow::Cow::Owned(out)
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

/// The value as a message may show it: quoted and escaped when it cannot be
/// a secret, otherwise [`describe`]d.
pub fn shown(value: &str) -> String {
    if could_be_secret(value) {
        format!("<{}>", describe(value))
    } else {
        format!("{value:?}")
    }
}

/// The first PEM block found anywhere in `value`, cleaned of what commonly
/// surrounds one: a byte-order mark, quotes, the `Bag Attributes` /
/// `subject=` preamble `openssl pkcs12 -nodes` writes, CRLF line ends, and
/// `\n` escapes when the whole key was pasted as one line. `None` when there
/// is no `-----BEGIN` in it (then the value is a path). When the `-----END`
/// line is missing, everything from the header on is returned, for the key
/// parser to refuse.
pub fn pem_block(value: &str) -> Option<String> {
    let start = value.find("-----BEGIN")?;
    let mut text = value[start..].replace("\r\n", "\n");
    if !text.contains('\n') && text.contains("\\n") {
        text = text.replace("\\n", "\n");
    }
    // The end: the first `-----END …-----` line after the header.
    if let Some(end_at) = text.find("-----END") {
        let after = &text[end_at + "-----END".len()..];
        if let Some(close) = after.find("-----") {
            let cut = end_at + "-----END".len() + close + "-----".len();
            text.truncate(cut);
        }
    }
    let mut out = text.trim().to_string();
    out.push('\n');
    Some(out)
}

/// An org URL (or whatever was given as one) as a message may show it: user
/// info, query and fragment replaced by `<redacted>`, and any path segment
/// or host label that could be a token described. Text that is not a URL at
/// all is [`shown`].
pub fn redact_url(text: &str) -> String {
    let trimmed = text.trim();
    let Some((scheme, rest)) = trimmed.split_once("://") else {
        return shown(trimmed);
    };
    if scheme.is_empty()
        || !scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
    {
        return shown(trimmed);
    }
    // authority / path ? query # fragment, split by hand so that even text
    // the URL parser refuses is redacted the same way.
    let (before_fragment, fragment) = match rest.split_once('#') {
        Some((b, _)) => (b, true),
        None => (rest, false),
    };
    let (before_query, query) = match before_fragment.split_once('?') {
        Some((b, _)) => (b, true),
        None => (before_fragment, false),
    };
    let (authority, path) = match before_query.find('/') {
        Some(i) => before_query.split_at(i),
        None => (before_query, ""),
    };
    let (userinfo, host) = match authority.rsplit_once('@') {
        Some((_, h)) => (true, h),
        None => (false, authority),
    };
    let mut out = String::new();
    out.push_str(scheme);
    out.push_str("://");
    if userinfo {
        out.push_str("<redacted>@");
    }
    out.push_str(&redact_part(host));
    for (i, segment) in path.split('/').enumerate() {
        if i > 0 {
            out.push('/');
        }
        out.push_str(&redact_part(segment));
    }
    if query {
        out.push_str("?<redacted>");
    }
    if fragment {
        out.push_str("#<redacted>");
    }
    out.escape_debug().to_string()
}

fn redact_part(part: &str) -> String {
    if could_be_secret(part) || part.contains(char::is_whitespace) {
        "<redacted>".to_string()
    } else {
        part.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn a_secret_file_others_may_read_is_told_by_its_mode() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("token");
        std::fs::write(&path, "x").unwrap();
        let mode_of = |mode: u32| {
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
            readable_by_others(&std::fs::metadata(&path).unwrap())
        };
        assert_eq!(mode_of(0o600), None);
        assert_eq!(mode_of(0o400), None);
        assert_eq!(mode_of(0o640), Some(0o640));
        assert_eq!(mode_of(0o604), Some(0o604));
        assert_eq!(mode_of(0o644), Some(0o644));
    }

    #[test]
    fn credentials_in_input_text_are_redacted() {
        for (text, hidden) in [
            ("Authorization: SSWS 00aBcDeFgSECRETTOKENxyz", "00aBcDeFg"),
            (
                "invalid client_secret=supersecret123 given",
                "supersecret123",
            ),
            ("Bearer eyJhbGciOi", "eyJhbGciOi"),
            ("x 0123456789abcdefghijABCDEFGHIJ y", "0123456789abcdefghij"),
        ] {
            let shown = redact_text(text);
            assert!(!shown.contains(hidden), "{text} -> {shown}");
            assert!(shown.contains("<redacted>"), "{shown}");
        }
        assert!(matches!(
            redact_text("plain words: a b"),
            std::borrow::Cow::Borrowed(_)
        ));
    }

    const KEY_BODY: &str = "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7";

    fn pem() -> String {
        format!("-----BEGIN PRIVATE KEY-----\n{KEY_BODY}\n-----END PRIVATE KEY-----\n")
    }

    #[test]
    fn debug_hides_the_value() {
        assert_eq!(format!("{:?}", Secret::new("hunter2")), "<redacted>");
    }

    #[test]
    fn pem_is_found_behind_preambles_boms_quotes_and_escapes() {
        let bag = format!(
            "Bag Attributes\n    localKeyID: 01 00 00 00\nKey Attributes: <No Attributes>\n{}",
            pem()
        );
        for value in [
            pem(),
            bag,
            format!("\u{feff}{}", pem()),
            format!("\"{}\"", pem().trim_end()),
            format!("'{}'", pem().trim_end()),
            pem().replace('\n', "\r\n"),
            pem().trim_end().replace('\n', "\\n"),
        ] {
            assert_eq!(
                pem_block(&value).as_deref(),
                Some(pem().as_str()),
                "{value:?}"
            );
        }
        assert_eq!(pem_block("~/.okta/key.pem"), None);
    }

    #[test]
    fn what_could_be_a_key_or_token_is_described_never_shown() {
        let bag = format!("Bag Attributes\n    friendlyName: x\n{}", pem());
        for value in [
            pem(),
            bag.clone(),
            format!("\u{feff}{}", pem()),
            "\"-----BEGIN PRIVATE KEY-----".to_string(),
            "00abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMN".to_string(),
            KEY_BODY.to_string(),
            "x".repeat(300),
        ] {
            let s = shown(&value);
            assert!(!s.contains(KEY_BODY), "{s}");
            assert!(!s.contains("abcdefghijklmnopqrstuvwxyz"), "{s}");
            assert!(s.contains("characters"), "{s}");
        }
        assert!(shown(&bag).contains("Bag Attributes' preamble"));
        assert!(shown(&pem()).contains("PEM header (PRIVATE KEY)"));
        // A path is shown as it is.
        assert_eq!(shown("~/.okta/key.pem"), "\"~/.okta/key.pem\"");
        assert!(describe("\u{feff}x").contains("byte-order mark"));
    }

    #[test]
    fn urls_lose_userinfo_query_and_tokens() {
        let cases = [
            (
                "https://user:pass@acme.okta.com/",
                "https://<redacted>@acme.okta.com/",
            ),
            (
                "https://acme.okta.com/?token=00abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMN",
                "https://acme.okta.com/?<redacted>",
            ),
            (
                "https://acme.okta.com/00abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMN",
                "https://acme.okta.com/<redacted>",
            ),
            ("http://10.0.0.1:8080", "http://10.0.0.1:8080"),
        ];
        for (given, want) in cases {
            assert_eq!(redact_url(given), want);
        }
        let pasted = redact_url("00abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMN");
        assert!(!pasted.contains("abcdefghij"), "{pasted}");
        assert_eq!(redact_url("acme.okta.com"), "\"acme.okta.com\"");
    }
}

//! The checks that need no network: `config` (the sources found and which
//! one set each field, secrets as `<set, N chars>`) and `files` (whether
//! others may read the token or key file).

use super::Check;
use crate::config::{AuthConfig, Layer, OrgConfig, Origin, Scopes, expand_home};
use crate::exit::ExitCode;
use crate::secret::{self, Secret};
use std::path::{Path, PathBuf};

const CONFIG: &str = "config";
const FILES: &str = "files";

/// What to do when the settings are incomplete or unreadable.
const CONFIG_FIX: &str = "give --org with --token-file (or --client-id and --private-key), set the \
     OKTA_CLIENT_* variables, or write a profile with `oksms config init`";

/// The `config` check when a source cannot be read.
pub fn unreadable(err: &anyhow::Error) -> Check {
    Check::fail(CONFIG, ExitCode::Error, format!("{err:#}"), CONFIG_FIX)
}

/// A secret as shown: `<set, 40 chars>`.
fn shown_secret(value: &Secret) -> String {
    format!("<set, {} chars>", value.expose().trim().chars().count())
}

/// A private key setting: PEM text is a secret; a path is shown when it
/// plainly is one.
fn key_setting(layer: &Layer, value: &Secret) -> String {
    if secret::pem_block(value.expose()).is_some() {
        shown_secret(value)
    } else if layer.origin == Origin::CommandLine {
        format!("{:?}", value.expose())
    } else {
        secret::shown(value.expose().trim())
    }
}

/// Each field's shown value from a layer, in the Okta SDK's names.
fn fields(layer: &Layer) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    let plain = |v: &str| secret::shown(v);
    if let Some(v) = &layer.org_url {
        out.push(("orgUrl", secret::redact_url(v)));
    }
    if let Some(v) = &layer.authorization_mode {
        out.push(("authorizationMode", plain(v)));
    }
    if let Some(v) = &layer.token {
        out.push(("token", shown_secret(v)));
    }
    if let Some(v) = &layer.token_file {
        out.push(("tokenFile", format!("{:?}", v.display().to_string())));
    }
    if let Some(v) = &layer.client_id {
        out.push(("clientId", plain(v)));
    }
    if let Some(v) = &layer.private_key {
        out.push(("privateKey", key_setting(layer, v)));
    }
    if let Some(v) = &layer.private_key_id {
        out.push(("privateKeyId", plain(v)));
    }
    if let Some(v) = &layer.scopes {
        let text = match v {
            Scopes::List(l) => l.join(" "),
            Scopes::Text(t) => t.clone(),
        };
        out.push(("scopes", plain(&text)));
    }
    if let Some(v) = layer.dpop {
        out.push(("dpop", v.to_string()));
    }
    out
}

/// The `config` check: the sources that gave anything, then each field
/// with the source that set it (the highest one), and the result of
/// merging them.
pub fn describe(layers: &[Layer], merged: Result<&OrgConfig, &anyhow::Error>) -> Check {
    let found: Vec<String> = layers
        .iter()
        .filter(|l| !fields(l).is_empty())
        .map(|l| l.origin.to_string())
        .collect();
    let mut seen: Vec<&str> = Vec::new();
    let mut settings = Vec::new();
    for layer in layers.iter().rev() {
        for (name, value) in fields(layer) {
            if !seen.contains(&name) {
                seen.push(name);
                settings.push(format!("{name} {value} ({})", layer.origin));
            }
        }
    }
    let mut detail = format!(
        "sources: {}",
        if found.is_empty() {
            "none".to_string()
        } else {
            found.join(", ")
        }
    );
    if !settings.is_empty() {
        detail.push_str("; ");
        detail.push_str(&settings.join("; "));
    }
    match merged {
        Ok(c) => {
            let mode = match c.auth {
                AuthConfig::Ssws { .. } => "SSWS API token",
                AuthConfig::PrivateKey { .. } => "service app (private_key_jwt)",
            };
            detail.push_str(&format!("; org {}; mode: {mode}", c.org));
            Check::pass(CONFIG, detail)
        }
        Err(e) => Check::fail(
            CONFIG,
            ExitCode::Error,
            format!("{e:#}; {detail}"),
            CONFIG_FIX,
        ),
    }
}

/// The file the credentials come from, if they come from one: the token
/// file (SSWS) or the private key's path (a service app).
fn secret_file(layers: &[Layer], config: &OrgConfig, home: Option<&Path>) -> Option<PathBuf> {
    match config.auth {
        AuthConfig::Ssws { .. } => {
            let layer = layers
                .iter()
                .rev()
                .find(|l| l.token.is_some() || l.token_file.is_some())?;
            layer.token_file.as_ref().map(|p| expand_home(p, home))
        }
        AuthConfig::PrivateKey { .. } => {
            let value = layers.iter().rev().find_map(|l| l.private_key.as_ref())?;
            if secret::pem_block(value.expose()).is_some() {
                return None;
            }
            Some(expand_home(Path::new(value.expose().trim()), home))
        }
    }
}

/// The `files` check: a token or key file others may read fails, with the
/// `chmod` that fixes it.
pub fn file_permissions(layers: &[Layer], config: &OrgConfig, home: Option<&Path>) -> Check {
    let Some(path) = secret_file(layers, config, home) else {
        return Check::skip(
            FILES,
            "no secret file: the credentials are given as values (environment or okta.yaml)",
        );
    };
    let shown = secret::shown(&path.display().to_string());
    let meta = match std::fs::metadata(&path) {
        Ok(m) => m,
        Err(e) => {
            return Check::fail(
                FILES,
                ExitCode::Error,
                format!("cannot read {shown}: {e}"),
                "check the path in the settings",
            );
        }
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = meta.permissions().mode() & 0o777;
        if secret::readable_by_others(&meta).is_some() {
            return Check::fail(
                FILES,
                ExitCode::Error,
                format!("{shown} has mode {mode:04o}: other users can read the secret"),
                format!("chmod 600 {}", shell_quote(&path.display().to_string())),
            );
        }
        Check::pass(FILES, format!("{shown} has mode {mode:04o}"))
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        Check::pass(FILES, format!("{shown} is readable"))
    }
}

/// A path as a shell word.
fn shell_quote(s: &str) -> String {
    if s.chars()
        .all(|c| c.is_ascii_alphanumeric() || "/._-+,:@%".contains(c))
    {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_shown_as_their_length_only() {
        let token = "00abcdefghijklmnopqrstuvwxyz0123456789ABC";
        let layer = Layer {
            origin: Origin::Environment,
            org_url: Some("https://acme.okta.com".into()),
            token: Some(Secret::new(token)),
            ..Layer::default()
        };
        let merged = crate::config::merge(std::slice::from_ref(&layer), None);
        let check = describe(std::slice::from_ref(&layer), merged.as_ref());
        assert!(!check.detail.contains(token), "{}", check.detail);
        assert!(
            check.detail.contains("token <set, 41 chars> (environment)"),
            "{}",
            check.detail
        );
        assert!(
            check
                .detail
                .contains("orgUrl https://acme.okta.com (environment)")
        );
    }

    #[test]
    fn the_highest_source_is_named_for_each_field() {
        let low = Layer {
            origin: Origin::File("/h/.okta/okta.yaml".into()),
            org_url: Some("https://low.okta.com".into()),
            token: Some(Secret::new("t")),
            ..Layer::default()
        };
        let high = Layer {
            origin: Origin::CommandLine,
            org_url: Some("https://high.okta.com".into()),
            ..Layer::default()
        };
        let layers = [low, high];
        let merged = crate::config::merge(&layers, None);
        let d = describe(&layers, merged.as_ref()).detail;
        assert!(
            d.starts_with("sources: /h/.okta/okta.yaml, command line"),
            "{d}"
        );
        assert!(d.contains("orgUrl https://high.okta.com (command line)"));
        assert!(!d.contains("low.okta.com"), "{d}");
        assert!(
            d.contains("token <set, 1 chars> (/h/.okta/okta.yaml)"),
            "{d}"
        );
    }

    #[test]
    fn shell_words() {
        assert_eq!(shell_quote("/a/b.pem"), "/a/b.pem");
        assert_eq!(shell_quote("/a b/it's"), "'/a b/it'\\''s'");
    }
}

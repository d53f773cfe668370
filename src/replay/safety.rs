//! Safety before sending: which targets are this machine (no question
//! asked), the confirmation naming host and event count for any other
//! target, and the URL as it may be shown (no credentials, no query).

use crate::exit::{ExitCode, Failure};
use std::io::IsTerminal;
use url::{Host, Url};

/// True when the URL's host is a loopback address or `localhost`.
pub fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(Host::Ipv4(ip)) => ip.is_loopback(),
        Some(Host::Ipv6(ip)) => ip.is_loopback(),
        Some(Host::Domain(d)) => {
            let d = d.trim_end_matches('.').to_ascii_lowercase();
            d == "localhost" || d.ends_with(".localhost")
        }
        None => false,
    }
}

/// The URL without user info, query or fragment (they may hold secrets,
/// e.g. an Okta Workflows `clientToken`).
pub fn display_url(url: &Url) -> String {
    let mut shown = url.clone();
    let _ = shown.set_username("");
    let _ = shown.set_password(None);
    shown.set_query(None);
    shown.set_fragment(None);
    shown.to_string()
}

/// Asks before sending to a host that is not this machine. `--yes` skips
/// the question; without a terminal to ask on, the run is refused (exit 2).
pub fn confirm(url: &Url, events: usize, deliveries: usize, yes: bool) -> Result<(), Failure> {
    if yes || is_loopback(url) {
        return Ok(());
    }
    let host = url.host_str().unwrap_or("?");
    if !std::io::stdin().is_terminal() || !std::io::stderr().is_terminal() {
        return Err(Failure::usage(format!(
            "refusing to send {events} event(s) to {host} without confirmation: there is no \
             terminal to ask on; pass --yes to send, or --dry-run to look first"
        )));
    }
    let answer = dialoguer::Confirm::new()
        .with_prompt(format!(
            "Send {events} event(s) in {deliveries} delivery(ies) to {host}?"
        ))
        .default(false)
        .interact()
        .map_err(|e| Failure::usage(format!("cannot ask for confirmation: {e}")))?;
    if answer {
        Ok(())
    } else {
        Err(Failure::new(ExitCode::Error, "not sent: declined"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_targets_are_recognised() {
        for (url, local) in [
            ("http://127.0.0.1:8080/x", true),
            ("http://127.8.9.1/x", true),
            ("http://[::1]:9/x", true),
            ("http://localhost:1/x", true),
            ("http://api.localhost/x", true),
            ("https://example.okta.com/x", false),
            ("http://10.0.0.1/x", false),
            ("http://localhost.example.com/x", false),
        ] {
            assert_eq!(is_loopback(&Url::parse(url).unwrap()), local, "{url}");
        }
    }

    #[test]
    fn shown_urls_carry_no_credentials() {
        let url = Url::parse("https://user:pw@h.example/api/hook?clientToken=abc#f").unwrap();
        assert_eq!(display_url(&url), "https://h.example/api/hook");
    }

    #[test]
    fn without_a_terminal_a_remote_target_is_refused_unless_yes() {
        // cargo test runs without a terminal on stdin in CI; skip otherwise
        if std::io::stdin().is_terminal() {
            return;
        }
        let url = Url::parse("https://h.example/x").unwrap();
        let err = confirm(&url, 3, 1, false).unwrap_err();
        assert_eq!(err.code, ExitCode::Usage);
        assert!(err.message.contains("h.example") && err.message.contains("--yes"));
        assert!(confirm(&url, 3, 1, true).is_ok());
    }
}

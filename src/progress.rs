//! How the API client's events ([`crate::okta::client::Event`]) reach the
//! user, for `fetch` and `watch` alike: requests, answers and waits as
//! `--verbose` lines, rate-limit waits on the progress line, retries as
//! warnings. The `okta` layer only reports events; this is the one place
//! that words them.

use crate::diag::Diag;
use crate::okta::client::{Event, Observer, WaitReason};
use crate::okta::{RateState, Scheme};

/// An observer for [`crate::okta::OktaClient`] that reports through `diag`.
pub fn observer(diag: Diag) -> Observer<'static> {
    Box::new(move |event: &Event<'_>| report(&diag, event))
}

/// Turns one client event into `--verbose` lines, warnings and progress.
pub fn report(diag: &Diag, event: &Event<'_>) {
    match event {
        Event::Request { method, url } => diag.verbose(&format!("{method} {url}")),
        Event::Response { status, rate } => diag.verbose(&format!(
            "HTTP {status}; {}",
            rate.map(describe_rate)
                .unwrap_or_else(|| "no rate-limit headers".into())
        )),
        Event::Token { scheme } => diag.verbose(&format!(
            "access token granted ({})",
            match scheme {
                Scheme::Bearer => "Bearer",
                Scheme::Dpop => "DPoP-bound",
            }
        )),
        Event::Wait { delay, reason } => {
            let line = describe_wait(delay.as_secs_f64(), reason);
            if matches!(reason, WaitReason::Retry { .. }) {
                diag.warn(&line);
            } else {
                diag.verbose(&line);
                diag.progress(&line);
            }
        }
    }
}

fn describe_wait(secs: f64, reason: &WaitReason<'_>) -> String {
    match reason {
        WaitReason::Budget(state, percent) => format!(
            "rate budget reached ({} of {} used, budget {percent}%): waiting {secs:.1}s for the reset",
            state.used(),
            state.limit
        ),
        WaitReason::RateLimited(state) => format!(
            "Okta answered 429 (rate limit{}): waiting {secs:.1}s",
            state
                .map(|s| format!(
                    ", resets in {}s by the server's clock",
                    s.reset_in().as_secs()
                ))
                .unwrap_or_default()
        ),
        WaitReason::Retry { attempt, of, cause } => {
            format!("{cause}; retry {attempt} of {of} in {secs:.1}s")
        }
    }
}

fn describe_rate(state: &RateState) -> String {
    format!(
        "rate limit {} of {} left, resets in {}s",
        state.remaining,
        state.limit,
        state.reset_in().as_secs()
    )
}

//! Rate-limit headers: lines are `X-Rate-Limit-Limit`, `-Remaining`,
//! `-Reset` and `Date` values, the first byte the `--rate-budget` percent.
//! Every wait computed from them is bounded, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use oksms::fuzzing::okta::{Budget, MAX_RESET_WAIT, Observed, RateState, too_many_requests_wait};
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use std::time::{Duration, Instant};

fuzz_target!(|data: &[u8]| {
    let Some((percent, rest)) = data.split_first() else {
        return;
    };
    let names = [
        "x-rate-limit-limit",
        "x-rate-limit-remaining",
        "x-rate-limit-reset",
        "date",
    ];
    let mut headers = HeaderMap::new();
    for (name, value) in names.iter().zip(rest.split(|b| *b == b'\n')) {
        if let Ok(value) = HeaderValue::from_bytes(value) {
            headers.insert(HeaderName::from_static(name), value);
        }
    }
    let state = RateState::from_headers(&headers);
    let fallback = Duration::from_secs(5);
    assert!(too_many_requests_wait(state.as_ref(), fallback) <= MAX_RESET_WAIT);
    if let Some(state) = state {
        let _ = state.used();
        assert!(state.reset_wait() <= MAX_RESET_WAIT);
        let budget = Budget::new(*percent);
        let _ = budget.allowed(state.limit);
        let observed = Observed {
            state,
            at: Instant::now(),
        };
        if let Some(wait) = observed.wait_needed(&budget, Instant::now()) {
            assert!(wait <= MAX_RESET_WAIT);
        }
    }
    if let Ok(text) = std::str::from_utf8(rest) {
        let _ = oksms::fuzzing::okta::parse_http_date(text);
    }
});

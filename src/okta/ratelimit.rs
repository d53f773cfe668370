//! Okta's rate-limit headers and the budget `oksms` keeps within them.
//!
//! Every response carries `X-Rate-Limit-Limit`, `-Remaining` and `-Reset`
//! (UTC epoch seconds). The bucket is org-wide, shared with every other
//! consumer, so `oksms` stops at a share of it (`--rate-budget`, default 50
//! percent) and sleeps until the reset. The reset is measured against the
//! response's own `Date` header, never the local clock, so a skewed local
//! clock cannot turn the wait negative or into hours. Waits are never
//! negative, always capped, and get jitter so several clients do not wake
//! together. Missing headers, a zero limit and a reset in the past each
//! give a short, bounded wait instead of a panic or an endless loop.

use rand::RngExt;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// The longest single wait for a rate-limit reset (windows are 60 s).
pub const MAX_RESET_WAIT: Duration = Duration::from_secs(120);
/// Added to every reset wait: Okta's reset second is inclusive.
pub const RESET_MARGIN: Duration = Duration::from_secs(1);

/// The rate-limit state one response reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateState {
    pub limit: u64,
    pub remaining: u64,
    /// Epoch seconds when the window resets.
    pub reset: i64,
    /// The response's `Date`, epoch seconds (the local clock when missing).
    pub date: i64,
}

impl RateState {
    /// Reads the three headers and `Date`; `None` when any of the three is
    /// missing or unreadable. A header repeated, or joined into one line
    /// with commas by a proxy (`12, 12`, as RFC 9110 §5.3 allows), counts
    /// by its first value.
    pub fn from_headers(headers: &reqwest::header::HeaderMap) -> Option<RateState> {
        let num = |name: &str| -> Option<i64> {
            let line = headers.get(name)?.to_str().ok()?;
            line.split(',').next()?.trim().parse::<i64>().ok()
        };
        let limit = num("x-rate-limit-limit")?;
        let remaining = num("x-rate-limit-remaining")?;
        let reset = num("x-rate-limit-reset")?;
        let date = headers
            .get(reqwest::header::DATE)
            .and_then(|v| v.to_str().ok())
            .and_then(parse_http_date)
            .unwrap_or_else(local_epoch);
        Some(RateState {
            limit: limit.max(0) as u64,
            remaining: remaining.max(0) as u64,
            reset,
            date,
        })
    }

    /// Requests used in this window, by everyone.
    pub fn used(&self) -> u64 {
        self.limit.saturating_sub(self.remaining)
    }

    /// Seconds until the reset by the server's clock; never negative.
    pub fn reset_in(&self) -> Duration {
        Duration::from_secs(self.reset.saturating_sub(self.date).max(0) as u64)
    }

    /// The wait until the window resets: `max(Reset - Date, 0)` plus a
    /// margin, capped (jitter is added by the caller).
    pub fn reset_wait(&self) -> Duration {
        (self.reset_in() + RESET_MARGIN).min(MAX_RESET_WAIT)
    }
}

/// The share of the org-wide bucket `oksms` may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Budget {
    percent: u8,
}

impl Budget {
    /// `percent` is clamped to 1..=100.
    pub fn new(percent: u8) -> Budget {
        Budget {
            percent: percent.clamp(1, 100),
        }
    }

    pub fn percent(&self) -> u8 {
        self.percent
    }

    /// Requests of a bucket of `limit` this budget allows per window (at
    /// least one, so a tiny bucket still makes progress).
    pub fn allowed(&self, limit: u64) -> u64 {
        // In u128: a limit header near u64::MAX must not overflow.
        ((u128::from(limit) * u128::from(self.percent) / 100) as u64).max(1)
    }

    /// True when one more request keeps the window's total use within the
    /// budget. A zero limit says nothing about the bucket (Okta sends 0/0
    /// on concurrency refusals), so it does not block.
    pub fn permits(&self, state: &RateState) -> bool {
        state.limit == 0 || state.used() < self.allowed(state.limit)
    }
}

/// The last rate-limit state seen and when, to decide whether the next
/// request must wait.
#[derive(Debug, Clone, Copy)]
pub struct Observed {
    pub state: RateState,
    pub at: Instant,
}

impl Observed {
    /// How much longer to wait before the next request, or `None` when the
    /// budget allows it now. The time already spent since the response
    /// (rendering, earlier waits) counts toward the wait.
    pub fn wait_needed(&self, budget: &Budget, now: Instant) -> Option<Duration> {
        if budget.permits(&self.state) {
            return None;
        }
        let elapsed = now.saturating_duration_since(self.at);
        let wait = self.state.reset_wait().saturating_sub(elapsed);
        (!wait.is_zero()).then_some(wait)
    }
}

/// The wait after a 429: until the reset by the server's clock,
/// `max(Reset - Date, 0)` plus a second (a reset already past gives that
/// second: the window has just turned); a short backoff (`fallback`) when
/// the headers are missing or the limit is zero (a concurrency refusal).
pub fn too_many_requests_wait(state: Option<&RateState>, fallback: Duration) -> Duration {
    match state {
        Some(s) if s.limit > 0 => s.reset_wait(),
        _ => fallback.min(MAX_RESET_WAIT),
    }
}

/// Up to a second of random jitter on top of `d`.
pub fn with_jitter(d: Duration) -> Duration {
    d + Duration::from_millis(rand::rng().random_range(0..1000))
}

/// An HTTP `Date` (`Tue, 15 Nov 1994 08:12:31 GMT`) as epoch seconds.
pub fn parse_http_date(value: &str) -> Option<i64> {
    chrono::DateTime::parse_from_rfc2822(value.trim())
        .ok()
        .map(|d| d.timestamp())
}

fn local_epoch() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::{HeaderMap, HeaderValue};

    fn state(limit: u64, remaining: u64, reset: i64, date: i64) -> RateState {
        RateState {
            limit,
            remaining,
            reset,
            date,
        }
    }

    #[test]
    fn a_huge_limit_header_does_not_overflow_the_budget() {
        // Found by the ratelimit_headers fuzz target: `limit * percent`
        // overflowed for a limit above u64::MAX / 100.
        assert_eq!(Budget::new(50).allowed(u64::MAX), u64::MAX / 2);
        assert_eq!(Budget::new(100).allowed(u64::MAX), u64::MAX);
    }

    #[test]
    fn budget_allows_its_share_of_the_whole_bucket() {
        let b = Budget::new(50);
        assert_eq!(b.allowed(120), 60);
        assert_eq!(b.allowed(1), 1);
        // 59 used by anyone: one more is fine; 60 used: stop.
        assert!(b.permits(&state(120, 61, 0, 0)));
        assert!(!b.permits(&state(120, 60, 0, 0)));
        assert!(!b.permits(&state(120, 0, 0, 0)));
        // Other consumers' use counts: they took 100 of 120.
        assert!(!b.permits(&state(120, 20, 0, 0)));
        assert!(Budget::new(100).permits(&state(120, 1, 0, 0)));
        assert!(!Budget::new(100).permits(&state(120, 0, 0, 0)));
        assert_eq!(Budget::new(0).percent(), 1);
        assert_eq!(Budget::new(200).percent(), 100);
    }

    #[test]
    fn zero_limit_and_remaining_above_limit_do_not_block_or_panic() {
        let b = Budget::new(50);
        assert!(b.permits(&state(0, 0, 0, 0)));
        assert!(b.permits(&state(10, 50, 0, 0)));
    }

    #[test]
    fn reset_is_measured_against_the_server_date() {
        // Server clock one hour ahead of ours: only Reset - Date matters.
        let skewed = state(120, 0, 1_700_003_630, 1_700_003_600);
        assert_eq!(skewed.reset_in(), Duration::from_secs(30));
        assert_eq!(skewed.reset_wait(), Duration::from_secs(31));
    }

    #[test]
    fn reset_in_the_past_is_never_negative_and_far_resets_are_capped() {
        assert_eq!(state(120, 0, 100, 200).reset_in(), Duration::ZERO);
        assert_eq!(state(120, 0, 100, 200).reset_wait(), RESET_MARGIN);
        assert_eq!(state(120, 0, 100_000, 0).reset_wait(), MAX_RESET_WAIT);
    }

    #[test]
    fn wait_needed_counts_time_already_spent() {
        let at = Instant::now();
        let obs = Observed {
            state: state(10, 5, 1030, 1000),
            at,
        };
        let b = Budget::new(50);
        assert_eq!(obs.wait_needed(&b, at), Some(Duration::from_secs(31)));
        assert_eq!(
            obs.wait_needed(&b, at + Duration::from_secs(30)),
            Some(Duration::from_secs(1))
        );
        assert_eq!(obs.wait_needed(&b, at + Duration::from_secs(40)), None);
        let fresh = Observed {
            state: state(10, 6, 1030, 1000),
            at,
        };
        assert_eq!(fresh.wait_needed(&b, at), None);
    }

    #[test]
    fn too_many_requests_waits_for_reset_or_backs_off() {
        let fallback = Duration::from_secs(2);
        let s = state(50, 0, 1045, 1000);
        assert_eq!(
            too_many_requests_wait(Some(&s), fallback),
            Duration::from_secs(46)
        );
        // Concurrency refusal 0/0, missing headers; a reset just past.
        assert_eq!(
            too_many_requests_wait(Some(&state(0, 0, 1001, 1000)), fallback),
            fallback
        );
        assert_eq!(
            too_many_requests_wait(Some(&state(50, 0, 990, 1000)), fallback),
            RESET_MARGIN
        );
        assert_eq!(too_many_requests_wait(None, fallback), fallback);
        assert_eq!(
            too_many_requests_wait(None, Duration::from_secs(9999)),
            MAX_RESET_WAIT
        );
    }

    #[test]
    fn headers_are_read_with_the_date() {
        let mut h = HeaderMap::new();
        h.insert("x-rate-limit-limit", HeaderValue::from_static("120"));
        h.insert("x-rate-limit-remaining", HeaderValue::from_static("119"));
        h.insert("x-rate-limit-reset", HeaderValue::from_static("784887211"));
        h.insert(
            "date",
            HeaderValue::from_static("Tue, 15 Nov 1994 08:12:31 GMT"),
        );
        let s = RateState::from_headers(&h).unwrap();
        assert_eq!(s, state(120, 119, 784887211, 784887151));
        assert_eq!(s.reset_in(), Duration::from_secs(60));
        h.remove("x-rate-limit-reset");
        assert_eq!(RateState::from_headers(&h), None);
        h.insert("x-rate-limit-reset", HeaderValue::from_static("soon"));
        assert_eq!(RateState::from_headers(&h), None);
    }

    #[test]
    fn values_a_proxy_joined_into_one_line_count_by_the_first() {
        // RFC 9110 §5.3: repeated fields may be combined with commas.
        let mut h = HeaderMap::new();
        h.insert("x-rate-limit-limit", HeaderValue::from_static("120, 120"));
        h.insert("x-rate-limit-remaining", HeaderValue::from_static("12, 12"));
        h.insert(
            "x-rate-limit-reset",
            HeaderValue::from_static(" 1000 ,1000"),
        );
        h.insert(
            "date",
            HeaderValue::from_static("Thu, 01 Jan 1970 00:16:10 GMT"),
        );
        assert_eq!(RateState::from_headers(&h), Some(state(120, 12, 1000, 970)));
        // Two header lines: the first one counts too.
        let mut h2 = HeaderMap::new();
        h2.append("x-rate-limit-limit", HeaderValue::from_static("50"));
        h2.append("x-rate-limit-limit", HeaderValue::from_static("120"));
        h2.insert("x-rate-limit-remaining", HeaderValue::from_static("3"));
        h2.insert("x-rate-limit-reset", HeaderValue::from_static("1000,"));
        assert_eq!(RateState::from_headers(&h2).map(|s| s.limit), Some(50));
        // An empty first value is no value.
        h2.insert("x-rate-limit-remaining", HeaderValue::from_static(", 3"));
        assert_eq!(RateState::from_headers(&h2), None);
    }
}

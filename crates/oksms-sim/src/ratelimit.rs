//! The org's per-minute rate-limit bucket (okta-facts §2): windows of 60 s
//! whose start is offset from the clock minute, a limit optionally capped to
//! a percentage for one token, and the three `X-Rate-Limit-*` values for
//! every response. It also keeps the numbers the tests assert on: the most
//! requests used in any one window.

/// One window's length.
pub const WINDOW_MS: i64 = 60_000;

/// What the bucket says about one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Decision {
    pub allowed: bool,
    pub limit: u32,
    pub remaining: u32,
    /// UTC epoch seconds when the current window ends.
    pub reset_secs: i64,
}

/// A per-minute bucket on the org's clock.
#[derive(Debug, Clone)]
pub struct Bucket {
    limit: u32,
    phase_ms: i64,
    window_start: i64,
    used: u32,
    /// Requests accepted in each window seen, oldest first.
    history: Vec<u32>,
}

impl Bucket {
    /// A bucket of `per_minute` requests (capped to `cap_percent` of it when
    /// given, at least 1) whose windows start `phase_ms` after the minute.
    pub fn new(per_minute: u32, cap_percent: Option<u8>, phase_ms: i64) -> Self {
        let limit = match cap_percent {
            Some(p) => ((u64::from(per_minute) * u64::from(p.min(100))) / 100).max(1) as u32,
            None => per_minute,
        };
        Bucket {
            limit,
            phase_ms: phase_ms.rem_euclid(WINDOW_MS),
            window_start: i64::MIN,
            used: 0,
            history: Vec::new(),
        }
    }

    fn roll(&mut self, now_ms: i64) {
        let start = self.phase_ms + (now_ms - self.phase_ms).div_euclid(WINDOW_MS) * WINDOW_MS;
        if start != self.window_start {
            self.window_start = start;
            self.used = 0;
            self.history.push(0);
        }
    }

    fn reset_secs(&self) -> i64 {
        (self.window_start + WINDOW_MS + 999).div_euclid(1000)
    }

    /// Counts one request: allowed while the window has room, else refused
    /// (a refused request does not use the bucket).
    pub fn take(&mut self, now_ms: i64) -> Decision {
        self.roll(now_ms);
        let allowed = self.used < self.limit;
        if allowed {
            self.used += 1;
            if let Some(last) = self.history.last_mut() {
                *last = self.used;
            }
        }
        Decision {
            allowed,
            limit: self.limit,
            remaining: self.limit - self.used,
            reset_secs: self.reset_secs(),
        }
    }

    /// The current state without counting a request.
    pub fn peek(&mut self, now_ms: i64) -> Decision {
        self.roll(now_ms);
        Decision {
            allowed: self.used < self.limit,
            limit: self.limit,
            remaining: self.limit - self.used,
            reset_secs: self.reset_secs(),
        }
    }

    pub fn limit(&self) -> u32 {
        self.limit
    }

    /// Requests accepted per window seen, oldest first.
    pub fn history(&self) -> &[u32] {
        &self.history
    }

    /// The most requests accepted in any one window.
    pub fn max_used(&self) -> u32 {
        self.history.iter().copied().max().unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // 2024-01-01T00:00:00Z, a whole minute.
    const MINUTE: i64 = 1_704_067_200_000;

    #[test]
    fn counts_down_refuses_when_spent_and_refills_next_window() {
        let mut b = Bucket::new(3, None, 17_000);
        let now = MINUTE + 20_000;
        let d: Vec<Decision> = (0..4).map(|_| b.take(now)).collect();
        assert_eq!(
            d.iter()
                .map(|d| (d.allowed, d.remaining))
                .collect::<Vec<_>>(),
            [(true, 2), (true, 1), (true, 0), (false, 0)]
        );
        // The window started at :17, so it resets at :01:17, not at the minute.
        assert_eq!(d[0].reset_secs, (MINUTE + 77_000) / 1000);
        assert_eq!(d[0].limit, 3);
        let later = b.take(MINUTE + 77_000);
        assert_eq!((later.allowed, later.remaining), (true, 2));
        assert_eq!(later.reset_secs, (MINUTE + 137_000) / 1000);
        assert_eq!(b.history(), [3, 1]);
        assert_eq!(b.max_used(), 3);
    }

    #[test]
    fn a_token_cap_shrinks_the_limit() {
        let mut b = Bucket::new(120, Some(50), 0);
        assert_eq!(b.take(MINUTE).limit, 60);
        assert_eq!(Bucket::new(1, Some(10), 0).limit(), 1);
    }

    #[test]
    fn peek_does_not_count() {
        let mut b = Bucket::new(5, None, 0);
        b.peek(MINUTE);
        assert_eq!(b.take(MINUTE).remaining, 4);
        assert_eq!(b.peek(MINUTE).remaining, 4);
    }
}

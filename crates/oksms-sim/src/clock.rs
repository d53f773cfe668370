//! The org's clock: the real UTC clock plus the configured skew plus any
//! time the test has advanced it by. Event times, rate-limit windows, the
//! `Date` header and token lifetimes all read this one clock, so a skewed
//! org is consistently skewed and a test can move time forward (to let late
//! events persist or a rate-limit window reset) without sleeping.

use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Duration;

#[derive(Debug)]
pub struct Clock {
    offset_ms: AtomicI64,
}

impl Clock {
    /// A clock `skew_secs` ahead of (negative: behind) the real one.
    pub fn new(skew_secs: i64) -> Self {
        Clock {
            offset_ms: AtomicI64::new(skew_secs.saturating_mul(1000)),
        }
    }

    /// The org's time, UTC epoch milliseconds.
    pub fn now_ms(&self) -> i64 {
        chrono::Utc::now().timestamp_millis() + self.offset_ms.load(Ordering::SeqCst)
    }

    /// Moves the org's time forward.
    pub fn advance(&self, by: Duration) {
        let ms = i64::try_from(by.as_millis()).unwrap_or(i64::MAX / 4);
        self.offset_ms.fetch_add(ms, Ordering::SeqCst);
    }

    /// The `Date` header value for the org's current time.
    pub fn http_date(&self) -> String {
        let t = chrono::DateTime::from_timestamp_millis(self.now_ms()).unwrap_or_default();
        t.format("%a, %d %b %Y %H:%M:%S GMT").to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skew_and_advance_move_the_org_clock() {
        let real = chrono::Utc::now().timestamp_millis();
        let c = Clock::new(-3600);
        let before = c.now_ms();
        assert!((real - 3_600_000 - 5_000..=real - 3_600_000 + 5_000).contains(&before));
        c.advance(Duration::from_secs(120));
        assert!(c.now_ms() >= before + 120_000);
        let parsed = chrono::DateTime::parse_from_rfc2822(&c.http_date()).unwrap();
        assert!((parsed.timestamp_millis() - c.now_ms()).abs() < 5_000);
    }
}

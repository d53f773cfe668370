//! Pacing: when each replayed item should start, relative to the start of
//! the run, and a [`Clock`] to wait for it. The schedule is pure and the
//! clock injectable, so tests check pacing without the wall clock.

use chrono::{DateTime, Utc};
use std::time::{Duration, Instant};

/// How items are spaced.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Pacing {
    /// No waiting.
    Fast,
    /// The original spacing of `published`, N times faster (1 = real time).
    Speed(f64),
    /// N items per second.
    Rate(f64),
}

/// Start offsets, one per item, given each item's time (`None` for items
/// without one: they start with the item before them).
pub fn schedule(times: &[Option<DateTime<Utc>>], pacing: Pacing) -> Vec<Duration> {
    match pacing {
        Pacing::Fast => vec![Duration::ZERO; times.len()],
        Pacing::Rate(rate) => (0..times.len())
            .map(|i| secs_or_max(i as f64 / rate))
            .collect(),
        Pacing::Speed(speed) => {
            let first = times.iter().flatten().next().copied();
            let mut last = Duration::ZERO;
            times
                .iter()
                .map(|t| {
                    if let (Some(t), Some(first)) = (t, first) {
                        let gap = (*t - first).to_std().unwrap_or(Duration::ZERO);
                        // never earlier than the item before (input is ordered)
                        last = last.max(secs_or_max(gap.as_secs_f64() / speed));
                    }
                    last
                })
                .collect()
        }
    }
}

/// Seconds as a duration; the longest one for what does not fit (the
/// flags' ranges keep schedules far below it, this keeps them from panicking).
fn secs_or_max(secs: f64) -> Duration {
    Duration::try_from_secs_f64(secs).unwrap_or(Duration::MAX)
}

/// Time as replay sees it.
pub trait Clock: Sync {
    /// Time since the run started.
    fn elapsed(&self) -> Duration;
    /// Blocks for `d`.
    fn sleep(&self, d: Duration);
}

/// The real clock.
#[derive(Debug)]
pub struct SystemClock {
    start: Instant,
}

impl SystemClock {
    pub fn start() -> Self {
        SystemClock {
            start: Instant::now(),
        }
    }
}

impl Clock for SystemClock {
    fn elapsed(&self) -> Duration {
        self.start.elapsed()
    }
    fn sleep(&self, d: Duration) {
        std::thread::sleep(d);
    }
}

/// Waits until `offset` after the start of the run (at once when it passed).
pub fn wait_until(clock: &dyn Clock, offset: Duration) {
    let now = clock.elapsed();
    if offset > now {
        clock.sleep(offset - now);
    }
}

/// `10`, `10/s`, `600/min`: items per second.
pub fn parse_rate(text: &str) -> Result<f64, String> {
    let (number, per) = match text.split_once('/') {
        Some((n, per)) => (n.trim(), per.trim()),
        None => (text.trim(), "s"),
    };
    let n: f64 = number
        .parse()
        .map_err(|_| format!("{text:?} is not a rate (e.g. 10/s)"))?;
    let seconds = match per {
        "s" | "sec" | "second" => 1.0,
        "m" | "min" | "minute" => 60.0,
        "h" | "hour" => 3600.0,
        other => return Err(format!("unknown rate unit {other:?} (use /s, /min or /h)")),
    };
    let (lo, hi) = RATE_RANGE;
    // A little slack for units that do not divide evenly (0.06/min).
    crate::flagrange::float_in(n / seconds, lo * (1.0 - 1e-9), hi)
        .ok_or_else(|| format!("{text:?} is not a rate from {lo}/s to {hi}/s"))
}

/// The slowest and fastest `--speed` (1 = real time).
pub const SPEED_RANGE: (f64, f64) = (0.001, 1_000_000.0);
/// The slowest and fastest `--rate`, items per second.
pub const RATE_RANGE: (f64, f64) = (0.001, 1_000_000.0);

/// `--speed N`: a factor from 0.001 to 1000000 (1 = real time).
pub fn parse_speed(text: &str) -> Result<f64, String> {
    let (lo, hi) = SPEED_RANGE;
    text.trim()
        .parse::<f64>()
        .ok()
        .and_then(|n| crate::flagrange::float_in(n, lo, hi))
        .ok_or_else(|| format!("{text:?} is not a speed from {lo} to {hi} (1 = real time)"))
}

/// `--timeout` of a delivery: a duration (see [`crate::human`]; a bare
/// number is seconds) from 1ms to 3600s.
pub fn parse_timeout(text: &str) -> Result<Duration, String> {
    crate::human::duration_in(
        text,
        (Duration::from_millis(1), "1ms"),
        (Duration::from_secs(3600), "3600s"),
    )
}

#[cfg(test)]
pub mod tests {
    use super::*;
    use std::sync::Mutex;

    /// A clock that only moves when slept on (or advanced by the test), and
    /// records every sleep.
    #[derive(Debug, Default)]
    pub struct FakeClock {
        pub now: Mutex<Duration>,
        pub sleeps: Mutex<Vec<Duration>>,
    }

    impl FakeClock {
        pub fn advance(&self, d: Duration) {
            *self.now.lock().unwrap() += d;
        }
    }

    impl Clock for FakeClock {
        fn elapsed(&self) -> Duration {
            *self.now.lock().unwrap()
        }
        fn sleep(&self, d: Duration) {
            self.sleeps.lock().unwrap().push(d);
            self.advance(d);
        }
    }

    fn t(s: &str) -> Option<DateTime<Utc>> {
        crate::replay::load::parse_time(s)
    }

    #[test]
    fn speed_scales_the_original_spacing() {
        let times = [
            t("2024-01-01T00:00:00Z"),
            t("2024-01-01T00:00:10Z"),
            None,
            t("2024-01-01T00:00:30Z"),
        ];
        let secs: Vec<f64> = schedule(&times, Pacing::Speed(10.0))
            .iter()
            .map(Duration::as_secs_f64)
            .collect();
        assert_eq!(secs, [0.0, 1.0, 1.0, 3.0]);
        let real: Vec<u64> = schedule(&times, Pacing::Speed(1.0))
            .iter()
            .map(Duration::as_secs)
            .collect();
        assert_eq!(real, [0, 10, 10, 30]);
    }

    #[test]
    fn rate_spaces_items_evenly_and_fast_not_at_all() {
        let times = [None, None, None];
        assert_eq!(
            schedule(&times, Pacing::Rate(4.0)),
            [0, 250, 500].map(Duration::from_millis)
        );
        assert_eq!(schedule(&times, Pacing::Fast), [Duration::ZERO; 3]);
    }

    #[test]
    fn waiting_sleeps_only_the_remaining_time() {
        let clock = FakeClock::default();
        let plan = [0, 1000, 3000, 3000].map(Duration::from_millis);
        for (i, offset) in plan.iter().enumerate() {
            wait_until(&clock, *offset);
            if i == 1 {
                clock.advance(Duration::from_millis(500)); // slow work
            }
        }
        assert_eq!(
            *clock.sleeps.lock().unwrap(),
            [1000, 1500].map(Duration::from_millis)
        );
        assert_eq!(clock.elapsed(), Duration::from_secs(3));
    }

    #[test]
    fn rates_durations_and_speeds_parse() {
        assert_eq!(parse_rate("10/s"), Ok(10.0));
        assert_eq!(parse_rate("120/min"), Ok(2.0));
        assert_eq!(parse_rate("5"), Ok(5.0));
        assert!(parse_rate("0/s").is_err() && parse_rate("3/day").is_err());
        assert_eq!(parse_timeout("3"), Ok(Duration::from_secs(3)));
        assert_eq!(parse_timeout("500ms"), Ok(Duration::from_millis(500)));
        assert_eq!(parse_timeout("1.5s"), Ok(Duration::from_millis(1500)));
        assert!(parse_timeout("-1").is_err() && parse_timeout("soon").is_err());
        assert_eq!(parse_speed("60"), Ok(60.0));
        assert!(parse_speed("0").is_err() && parse_speed("inf").is_err());
    }
}

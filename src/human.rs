//! The one grammar for human-typed durations and instants, so every flag
//! reads them alike (`--timeout 30s`, `--interval 2d`, `--every 1h`,
//! `--since 2w`, `replay --from 6h`). Wraps the `humantime` crate once.
//!
//! A **duration** is humantime's grammar (`500ms`, `30s`, `15m`, `24h`,
//! `2d`, `2w`, `1h 30m`, long unit names such as `2days`), a number with a
//! fraction and one unit (`1.5s`, `0.5h`), or a bare number, which means
//! **seconds** (`10`, `0.5`): every duration flag took a bare number as
//! seconds before this grammar. Months and years are refused (their length
//! varies).
//!
//! An **instant** is `now`, a time in any spelling of
//! [`crate::timestamp::parse_published`] (RFC 3339; a space instead of `T`;
//! without a zone, taken as UTC; epoch seconds or milliseconds), or a
//! duration with a unit back from now (`15m`, `7d`, `2w`). A bare number
//! that is no epoch time is refused: its unit would be a guess.

use chrono::{DateTime, TimeDelta, Utc};
use std::time::Duration;

/// Reads a duration (see the module docs). The error says what was wrong
/// and gives examples.
pub fn duration(text: &str) -> Result<Duration, String> {
    let t = text.trim();
    if let Ok(secs) = t.parse::<f64>() {
        return from_secs(text, secs);
    }
    let split = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(t.len());
    let (number, unit) = t.split_at(split);
    if number.contains('.') {
        // humantime has no fractions: `1.5s` is 1.5 times `1s`.
        let n: f64 = number.parse().map_err(|_| not_a_duration(text))?;
        let one = unit_of(text, unit.trim())?;
        return from_secs(text, n * one.as_secs_f64());
    }
    if t.ends_with(['M', 'y']) || t.contains("month") || t.contains("year") {
        return Err(format!(
            "{text:?}: months and years are not durations here (use d or w)"
        ));
    }
    humantime::parse_duration(t).map_err(|e| format!("{}: {e}", not_a_duration(text)))
}

/// Reads a duration within `lo..=hi`; the error names the range as
/// `lo_text` to `hi_text`.
pub fn duration_in(
    text: &str,
    (lo, lo_text): (Duration, &str),
    (hi, hi_text): (Duration, &str),
) -> Result<Duration, String> {
    duration(text)
        .ok()
        .filter(|d| (lo..=hi).contains(d))
        .ok_or_else(|| format!("{text:?} is not a duration from {lo_text} to {hi_text}"))
}

/// Reads an instant (see the module docs) against `now`.
pub fn instant(text: &str, now: DateTime<Utc>) -> Result<DateTime<Utc>, String> {
    let t = text.trim();
    if t.eq_ignore_ascii_case("now") {
        return Ok(now);
    }
    if let Some(at) = crate::timestamp::parse_published(t) {
        return Ok(at);
    }
    let bare = !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit() || b == b'.');
    let back = (!bare).then(|| duration(t).ok()).flatten().ok_or_else(|| {
        format!(
            "{text:?} is neither a time (RFC 3339, e.g. 2024-05-01T12:00:00Z) nor a \
                 duration back from now with a unit (15m, 24h, 7d, 2w)"
        )
    })?;
    TimeDelta::from_std(back)
        .ok()
        .and_then(|d| now.checked_sub_signed(d))
        .ok_or_else(|| format!("{text:?} is too far back"))
}

fn not_a_duration(text: &str) -> String {
    format!(
        "{text:?} is not a duration (e.g. 500ms, 30s, 15m, 24h, 7d, 2w; a bare number is seconds)"
    )
}

fn unit_of(text: &str, unit: &str) -> Result<Duration, String> {
    if unit.is_empty() || unit.starts_with(char::is_whitespace) {
        return Err(not_a_duration(text));
    }
    duration(&format!("1{unit}"))
}

fn from_secs(text: &str, secs: f64) -> Result<Duration, String> {
    Duration::try_from_secs_f64(secs).map_err(|_| not_a_duration(text))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2024, 6, 1, 12, 0, 0).unwrap()
    }

    #[test]
    fn durations_take_every_unit_and_bare_seconds() {
        let s = Duration::from_secs;
        for (text, want) in [
            ("10", s(10)),
            ("0.5", Duration::from_millis(500)),
            ("250ms", Duration::from_millis(250)),
            ("1.5s", Duration::from_millis(1500)),
            ("30s", s(30)),
            ("2m", s(120)),
            ("1h", s(3600)),
            ("0.5h", s(1800)),
            ("2d", s(2 * 86_400)),
            ("2w", s(14 * 86_400)),
            ("1h 30m", s(5400)),
            ("2days", s(2 * 86_400)),
            (" 0s ", s(0)),
        ] {
            assert_eq!(duration(text), Ok(want), "{text}");
        }
        for bad in [
            "", "s", "10x", "-1s", "-1", "1.2.3s", "1M", "2y", "3 months", "1e400", ".s",
        ] {
            assert!(duration(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn ranges_name_their_bounds() {
        let r = |t| {
            duration_in(
                t,
                (Duration::from_secs(1), "1s"),
                (Duration::from_secs(3600), "1h"),
            )
        };
        assert_eq!(r("30s"), Ok(Duration::from_secs(30)));
        assert_eq!(r("1h"), Ok(Duration::from_secs(3600)));
        assert!(r("3601").unwrap_err().contains("1s to 1h"));
        assert!(r("999ms").unwrap_err().contains("1s to 1h"));
    }

    #[test]
    fn instants_are_times_or_durations_back() {
        let ago = |d: TimeDelta| now() - d;
        assert_eq!(instant("15m", now()), Ok(ago(TimeDelta::minutes(15))));
        assert_eq!(instant("24h", now()), Ok(ago(TimeDelta::hours(24))));
        assert_eq!(instant("7d", now()), Ok(ago(TimeDelta::days(7))));
        assert_eq!(instant("2w", now()), Ok(ago(TimeDelta::days(14))));
        assert_eq!(instant("1.5h", now()), Ok(ago(TimeDelta::minutes(90))));
        assert_eq!(instant("now", now()), Ok(now()));
        let at = Utc.with_ymd_and_hms(2024, 5, 31, 12, 0, 0).unwrap();
        assert_eq!(instant("2024-05-31T14:00:00+02:00", now()), Ok(at));
        assert_eq!(instant("2024-05-31 12:00", now()), Ok(at));
        assert_eq!(instant("1717156800", now()), Ok(at));
        for bad in ["", "7", "0.5", "7x", "yesterday", "99999999999999999d"] {
            assert!(instant(bad, now()).is_err(), "{bad}");
        }
    }
}

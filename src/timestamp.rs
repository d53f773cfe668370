//! Okta timestamps as exports really spell them. Okta writes `published`
//! as RFC 3339 in UTC (`2024-06-10T14:02:11.123Z`); warehouses and SIEM
//! tables often rewrite it as `2024-06-10 14:02:11.123` (a space, no zone)
//! or as epoch milliseconds. A time without a zone is UTC, as Okta's are.
//! The output keeps the original text; only windows, `--group-by day/hour`
//! and time ranges read the instant.

use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};

/// The instant `text` names: RFC 3339 (`T` or space separator), the same
/// without a zone (taken as UTC), with `/` between the date's parts, or
/// epoch milliseconds (13 digits) or seconds (10 digits, with or without a
/// fraction). `None` when it is none of those.
pub fn parse_published(text: &str) -> Option<DateTime<Utc>> {
    let t = text.trim();
    if let Ok(at) = DateTime::parse_from_rfc3339(t) {
        return Some(at.with_timezone(&Utc));
    }
    let spaced = t.replacen(' ', "T", 1);
    if let Ok(at) = DateTime::parse_from_rfc3339(&spaced) {
        return Some(at.with_timezone(&Utc));
    }
    for format in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
        "%Y/%m/%dT%H:%M:%S%.f",
        "%Y/%m/%dT%H:%M",
    ] {
        if let Ok(naive) = NaiveDateTime::parse_from_str(&spaced, format) {
            return Some(Utc.from_utc_datetime(&naive));
        }
    }
    // Epoch milliseconds (13 digits) or seconds (10 digits, a fraction allowed).
    let (whole, fraction) = t.split_once('.').unwrap_or((t, ""));
    if !whole.is_empty()
        && whole.bytes().all(|b| b.is_ascii_digit())
        && fraction.bytes().all(|b| b.is_ascii_digit())
    {
        let n: i64 = whole.parse().ok()?;
        return match (whole.len(), fraction.is_empty()) {
            (13, true) => Utc.timestamp_millis_opt(n).single(),
            (10, _) => {
                let nanos = format!("{fraction:0<9}")[..9].parse::<u32>().ok()?;
                Utc.timestamp_opt(n, nanos).single()
            }
            _ => None,
        };
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(text: &str) -> Option<i64> {
        parse_published(text).map(|t| t.timestamp_millis())
    }

    #[test]
    fn every_spelling_of_one_instant_agrees() {
        let want = ms("2024-06-10T14:02:11.123Z");
        assert!(want.is_some());
        for text in [
            "2024-06-10 14:02:11.123",
            "2024-06-10T14:02:11.123",
            "2024-06-10 14:02:11.123Z",
            "2024-06-10T16:02:11.123+02:00",
            "1718028131123",
            "1718028131.123",
            "2024/06/10 14:02:11.123",
        ] {
            assert_eq!(ms(text), want, "{text}");
        }
        assert_eq!(ms("1718028131"), Some(1_718_028_131_000));
    }

    #[test]
    fn unreadable_times_are_none() {
        for text in ["", "yesterday", "2024-13-01 00:00:00", "12345"] {
            assert_eq!(ms(text), None, "{text}");
        }
    }
}

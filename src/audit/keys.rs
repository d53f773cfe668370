//! The audit keys (`phone`, `user`, `actor`, `country`, `ip`, `provider`,
//! `outcome`, `day`, `hour`, `org`, and from the number's metadata
//! `region`, `line_type`, `prefix`, `valid`) and [`Facts`]: what the audit reads from one
//! record, extracted once and shared by summaries, rules and masking.

use crate::phone;
use crate::phone_meta::{self, PhoneMeta};
use crate::record::Record;
use std::borrow::Cow;
use std::cell::OnceCell;
use std::hash::{Hash, Hasher};

/// The group key shown when a record carries no value for a key.
pub const UNKNOWN: &str = "unknown";

/// What records are grouped and counted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, clap::ValueEnum)]
pub enum Key {
    /// The phone number, normalised to E.164.
    Phone,
    /// The Okta user (login).
    User,
    /// The actor (login or id).
    Actor,
    /// The country calling code.
    Country,
    /// The client IP address.
    Ip,
    /// The SMS provider.
    Provider,
    /// The outcome (SUCCESS, DENY, ...).
    Outcome,
    /// The UTC day of `published`.
    Day,
    /// The UTC hour of `published`.
    Hour,
    /// The phone number's region, ISO 3166-1 alpha-2 (`US`, `JM`, ...).
    Region,
    /// The phone number's line type (`mobile`, `premium_rate`, ...).
    #[value(name = "line_type")]
    LineType,
    /// The number range: the E.164 number without its last
    /// `--prefix-digits` digits.
    Prefix,
    /// Whether the number is valid in its numbering plan (`true`/`false`).
    Valid,
    /// The org the record came from: the origin (`https://acme.okta.com`)
    /// of its `source` (`fetch` and `watch` of several orgs: the org URL;
    /// event-hook envelopes: the hook's URL).
    Org,
}

/// How many trailing digits `prefix` drops by default.
pub const DEFAULT_PREFIX_DIGITS: usize = 2;

impl Key {
    pub const ALL: [Key; 14] = [
        Key::Phone,
        Key::User,
        Key::Actor,
        Key::Country,
        Key::Ip,
        Key::Provider,
        Key::Outcome,
        Key::Day,
        Key::Hour,
        Key::Region,
        Key::LineType,
        Key::Prefix,
        Key::Valid,
        Key::Org,
    ];

    /// The name in flags, CSV headers and JSON keys.
    pub fn name(self) -> &'static str {
        match self {
            Key::Phone => "phone",
            Key::User => "user",
            Key::Actor => "actor",
            Key::Country => "country",
            Key::Ip => "ip",
            Key::Provider => "provider",
            Key::Outcome => "outcome",
            Key::Day => "day",
            Key::Hour => "hour",
            Key::Region => "region",
            Key::LineType => "line_type",
            Key::Prefix => "prefix",
            Key::Valid => "valid",
            Key::Org => "org",
        }
    }

    /// The table header.
    pub fn title(self) -> &'static str {
        match self {
            Key::Phone => "Phone",
            Key::User => "Okta User",
            Key::Actor => "Actor",
            Key::Country => "Country",
            Key::Ip => "Client IP",
            Key::Provider => "SMS Provider",
            Key::Outcome => "Outcome",
            Key::Day => "Day",
            Key::Hour => "Hour",
            Key::Region => "Region",
            Key::LineType => "Line Type",
            Key::Prefix => "Number Range",
            Key::Valid => "Valid",
            Key::Org => "Org",
        }
    }

    pub fn parse(name: &str) -> Option<Key> {
        Key::ALL.into_iter().find(|k| k.name() == name)
    }
}

/// What the audit needs from one record.
#[derive(Debug, Clone, Default)]
pub struct Facts<'r> {
    pub phone: Option<String>,
    pub user: Option<&'r str>,
    pub actor: Option<&'r str>,
    pub country: Option<Cow<'r, str>>,
    pub ip: Option<&'r str>,
    pub provider: Option<&'r str>,
    pub outcome: Option<&'r str>,
    /// `published` in milliseconds since the epoch, when it parses.
    pub time: Option<i64>,
    pub event_id: Option<&'r str>,
    /// The origin of the record's `source` (see [`Key::Org`]).
    pub org: Option<&'r str>,
    /// Trailing digits the `prefix` key drops ([`DEFAULT_PREFIX_DIGITS`]
    /// from [`Facts::of`]).
    pub prefix_digits: usize,
    /// The phone metadata, worked out on first use only.
    meta: OnceCell<Option<PhoneMeta>>,
}

fn non_empty(text: Option<&str>) -> Option<&str> {
    text.map(str::trim).filter(|t| !t.is_empty())
}

impl<'r> Facts<'r> {
    pub fn of(record: &'r Record<'_>) -> Self {
        let cc = non_empty(record.country_calling_code.as_deref());
        let phone = record
            .phone_number()
            .and_then(|raw| phone::normalize(raw, cc));
        let country = match cc {
            Some(code) => Some(Cow::Borrowed(code.trim_start_matches('+'))),
            None => phone
                .as_deref()
                .and_then(phone::calling_code)
                .map(|c| Cow::Owned(c.to_string())),
        };
        let party = |p: Option<&'r crate::record::Party<'_>>| {
            p.and_then(|p| {
                non_empty(p.alternate_id.as_deref())
                    .or(non_empty(p.id.as_deref()))
                    .or(non_empty(p.display_name.as_deref()))
            })
        };
        Facts {
            phone,
            // The Okta User the code was for; else the actor, as Okta's own
            // detection counts actors (customer-detections
            // phone_number_registered_to_multiple_users): a Classic event whose
            // only target is the phone still has a user.
            user: party(record.okta_user.as_ref()).or(party(record.actor.as_ref())),
            actor: party(record.actor.as_ref()),
            country,
            ip: non_empty(record.client_ip.as_deref()),
            provider: non_empty(record.sms_provider.as_deref()),
            outcome: non_empty(record.outcome_result.as_deref()),
            time: record
                .published
                .as_deref()
                .and_then(crate::timestamp::parse_published)
                .map(|t| t.timestamp_millis()),
            event_id: non_empty(record.event_id.as_deref()),
            org: non_empty(record.source.as_deref()).map(origin_of),
            prefix_digits: DEFAULT_PREFIX_DIGITS,
            meta: match record.phone_meta {
                Some(meta) => OnceCell::from(Some(meta)),
                None => OnceCell::new(),
            },
        }
    }

    /// The phone number's metadata (`None` without a number).
    pub fn meta(&self) -> Option<PhoneMeta> {
        *self
            .meta
            .get_or_init(|| self.phone.as_deref().map(phone_meta::of_e164))
    }

    /// The number range: the E.164 number without its last
    /// `prefix_digits` digits; `None` for numbers that are not E.164 or
    /// too short to keep their calling code and one more digit.
    pub fn prefix(&self) -> Option<&str> {
        let number = self.phone.as_deref()?;
        let code = phone::calling_code(number)?;
        let keep = number.len().checked_sub(self.prefix_digits)?;
        (keep > code.len() + 1).then(|| &number[..keep])
    }

    /// The record's value for `key`, or `None` when it has none.
    pub fn get(&self, key: Key) -> Option<Cow<'_, str>> {
        match key {
            Key::Phone => self.phone.as_deref().map(Cow::Borrowed),
            Key::User => self.user.map(Cow::Borrowed),
            Key::Actor => self.actor.map(Cow::Borrowed),
            Key::Country => self.country.as_deref().map(Cow::Borrowed),
            Key::Ip => self.ip.map(Cow::Borrowed),
            Key::Provider => self.provider.map(Cow::Borrowed),
            Key::Outcome => self.outcome.map(Cow::Borrowed),
            Key::Day => self.time_text("%Y-%m-%d"),
            Key::Hour => self.time_text("%Y-%m-%dT%H:00Z"),
            Key::Region => self.meta().and_then(|m| m.region).map(Cow::Borrowed),
            Key::LineType => self.meta().map(|m| Cow::Borrowed(m.line_type.name())),
            Key::Prefix => self.prefix().map(Cow::Borrowed),
            Key::Valid => self.meta().map(|m| Cow::Borrowed(m.valid_text())),
            Key::Org => self.org.map(Cow::Borrowed),
        }
    }

    /// The group key for `key`: its value, or [`UNKNOWN`].
    pub fn group(&self, key: Key) -> Cow<'_, str> {
        self.get(key).unwrap_or(Cow::Borrowed(UNKNOWN))
    }

    /// A hash of the value for `key`, for distinct counts (`None`: no value).
    pub fn hash_of(&self, key: Key) -> Option<u64> {
        self.get(key).map(|v| hash_text(&v))
    }

    /// True when Okta blocked the send.
    pub fn denied(&self) -> bool {
        self.outcome.is_some_and(|o| o.eq_ignore_ascii_case("DENY"))
    }

    fn time_text(&self, format: &str) -> Option<Cow<'_, str>> {
        let t = chrono::DateTime::from_timestamp_millis(self.time?)?;
        Some(Cow::Owned(t.format(format).to_string()))
    }
}

/// The origin of a `source` URL: `scheme://host[:port]`, without path,
/// query or fragment (a text that is no URL is its own origin).
fn origin_of(source: &str) -> &str {
    let Some(start) = source.find("://").map(|i| i + 3) else {
        return source;
    };
    match source[start..].find(['/', '?', '#']) {
        Some(end) => &source[..start + end],
        None => source,
    }
}

/// A stable 64-bit hash of a text within one run (for distinct counts).
pub fn hash_text(text: &str) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    text.hash(&mut h);
    h.finish()
}

/// Milliseconds as RFC 3339 UTC with milliseconds, as Okta writes `published`.
pub fn format_time(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|t| t.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts_of(json: &str, f: impl FnOnce(Facts<'_>)) {
        let record = Record::from_event(json, serde_json::from_str(json).unwrap(), None);
        f(Facts::of(&record));
    }

    #[test]
    fn the_three_phone_shapes_give_one_phone_and_country() {
        let shapes = [
            r#"{"target":[{"type":"MobilePhone","id":"mblA","alternateId":"+1 555-123-0067"}]}"#,
            r#"{"target":[{"type":"MobilePhone","id":"placeholder","displayName":"+15551230067"}]}"#,
            r#"{"debugContext":{"debugData":{"phoneNumber":"5551230067","countryCallingCode":"1"}}}"#,
        ];
        for json in shapes {
            facts_of(json, |f| {
                assert_eq!(f.phone.as_deref(), Some("+15551230067"), "{json}");
                assert_eq!(f.country.as_deref(), Some("1"), "{json}");
            });
        }
    }

    #[test]
    fn missing_values_group_as_unknown_and_times_bucket_in_utc() {
        facts_of(
            r#"{"published":"2024-05-01T23:59:59.999-01:00","outcome":{"result":"DENY"}}"#,
            |f| {
                assert_eq!(f.group(Key::Phone), UNKNOWN);
                assert_eq!(f.group(Key::Country), UNKNOWN);
                assert_eq!(f.hash_of(Key::User), None);
                assert_eq!(f.group(Key::Day), "2024-05-02");
                assert_eq!(f.group(Key::Hour), "2024-05-02T00:00Z");
                assert!(f.denied());
            },
        );
    }

    #[test]
    fn user_prefers_the_login() {
        facts_of(
            r#"{"actor":{"id":"00uA"},"target":[{"type":"User","id":"00u1","alternateId":"a@example.com"}]}"#,
            |f| {
                assert_eq!(f.user, Some("a@example.com"));
                assert_eq!(f.actor, Some("00uA"));
            },
        );
    }

    #[test]
    fn region_line_type_and_prefix_come_from_the_number() {
        let json = r#"{"target":[{"type":"MobilePhone","alternateId":"+1 876-555-0123"}]}"#;
        facts_of(json, |mut f| {
            assert_eq!(f.group(Key::Country), "1");
            assert_eq!(f.group(Key::Region), "JM");
            assert_eq!(f.group(Key::Prefix), "+187655501");
            f.prefix_digits = 4;
            assert_eq!(f.group(Key::Prefix), "+1876555");
            f.prefix_digits = 10;
            assert_eq!(f.get(Key::Prefix), None);
        });
        facts_of(r#"{"published":"2024-05-01T00:00:00Z"}"#, |f| {
            assert_eq!(f.group(Key::Region), UNKNOWN);
            assert_eq!(f.group(Key::Valid), UNKNOWN);
            assert_eq!(f.group(Key::Prefix), UNKNOWN);
        });
    }

    #[test]
    fn org_is_the_origin_of_the_source() {
        assert_eq!(origin_of("https://acme.okta.com"), "https://acme.okta.com");
        assert_eq!(
            origin_of("https://acme.okta.com/api/v1/eventHooks/who"),
            "https://acme.okta.com"
        );
        assert_eq!(
            origin_of("http://127.0.0.1:8080?x#y"),
            "http://127.0.0.1:8080"
        );
        assert_eq!(origin_of("stdin"), "stdin");
        let mut record = Record::from_event("{}", serde_json::from_str("{}").unwrap(), None);
        assert_eq!(Facts::of(&record).group(Key::Org), UNKNOWN);
        record.source = Some(Cow::Borrowed("https://b.okta.com/"));
        assert_eq!(Facts::of(&record).group(Key::Org), "https://b.okta.com");
    }

    #[test]
    fn key_names_round_trip() {
        for key in Key::ALL {
            assert_eq!(Key::parse(key.name()), Some(key));
        }
        assert_eq!(format_time(0), "1970-01-01T00:00:00.000Z");
    }
}

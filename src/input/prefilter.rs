//! Skipping, exactly, the records that cannot be one of the wanted event
//! types, before any JSON parse. In a real export the SMS sends are about 1%
//! of the events; parsing the other 99% only to drop them was most of the
//! time `parse` took.
//!
//! A record is skipped (counted as a LogEvent of another type) only when
//! all of these hold, each a `memchr`/`memmem` scan of its bytes:
//! - no wanted event type string occurs in it anywhere (so an SMS event,
//!   even inside a wrapper, a JSON text or `displayMessage`, is parsed);
//! - it has no `\u` escape (which could spell a wanted type);
//! - it is one object with exactly one `"eventType"` key (exact case) and a
//!   `"uuid"` or `"published"` key: one LogEvent of another type, plain or in
//!   a wrapper object. Deliveries, pages and lists hold several, and
//!   case-folded or text-embedded events do not match, so they are parsed.
//!
//! Everything else takes the full parse, which stays the reference: the
//! skip changes no output and no count, only the time (the record's JSON
//! syntax is not checked beyond what the framer checks).

use memchr::memmem::Finder;
use std::sync::LazyLock;

/// Searchers built once (building one costs about as much as a search).
static ESCAPE: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new(b"\\u"));
static EVENT_TYPE_KEY: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new(b"\"eventType\""));
static UUID_KEY: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new(b"\"uuid\""));
static PUBLISHED_KEY: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new(b"\"published\""));

/// The cheap test for one run's wanted event types.
#[derive(Debug, Clone)]
pub struct Prefilter {
    wanted: Vec<Finder<'static>>,
}

impl Prefilter {
    /// A test for `types` (none: everything is parsed).
    pub fn new(types: Option<&[String]>) -> Self {
        Prefilter {
            wanted: types
                .unwrap_or_default()
                .iter()
                .map(|t| Finder::new(t.as_bytes()).into_owned())
                .collect(),
        }
    }

    /// True when `record` is certainly one LogEvent of an unwanted type.
    pub fn is_other_type(&self, record: &[u8]) -> bool {
        if self.wanted.is_empty() {
            return false;
        }
        let start = record.iter().position(|b| !b.is_ascii_whitespace());
        if start.is_none_or(|i| record[i] != b'{') {
            return false;
        }
        if self.wanted.iter().any(|f| f.find(record).is_some()) {
            return false;
        }
        if ESCAPE.find(record).is_some() {
            return false;
        }
        let mut keys = EVENT_TYPE_KEY.find_iter(record);
        let (Some(at), None) = (keys.next(), keys.next()) else {
            return false;
        };
        if !okta_type_follows(&record[at + b"\"eventType\"".len()..]) {
            return false;
        }
        UUID_KEY.find(record).is_some() || PUBLISHED_KEY.find(record).is_some()
    }
}

/// True when `rest` (what follows the `"eventType"` key) is `: "<type>"`
/// with an Okta-shaped type and no escape in it.
fn okta_type_follows(rest: &[u8]) -> bool {
    let mut i = 0;
    let skip = |i: &mut usize| {
        while *i < rest.len() && rest[*i].is_ascii_whitespace() {
            *i += 1;
        }
    };
    skip(&mut i);
    if rest.get(i) != Some(&b':') {
        return false;
    }
    i += 1;
    skip(&mut i);
    if rest.get(i) != Some(&b'"') {
        return false;
    }
    let value = &rest[i + 1..];
    let Some(end) = memchr::memchr(b'"', value) else {
        return false;
    };
    std::str::from_utf8(&value[..end]).is_ok_and(crate::wire::is_okta_event_type)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sms() -> Prefilter {
        Prefilter::new(Some(&[
            "system.sms.send_phone_verification_message".to_string()
        ]))
    }

    #[test]
    fn only_single_log_events_of_other_types_are_skipped() {
        let p = sms();
        assert!(p.is_other_type(br#"{"eventType":"user.session.start","uuid":"u"}"#));
        for parsed in [
            // the wanted type anywhere, even only in the message
            r#"{"eventType":"user.session.start","uuid":"u","displayMessage":"system.sms.send_phone_verification_message"}"#,
            // an escape could spell it
            r#"{"eventType":"\u0073ystem.sms.send_phone_verification_message","uuid":"u"}"#,
            // several events: a page, a delivery
            r#"{"events":[{"eventType":"a","uuid":"1"},{"eventType":"b","uuid":"2"}]}"#,
            // case-folded keys, no LogEvent keys, not an object
            r#"{"eventtype":"a","uuid":"1"}"#,
            r#"{"errorCode":"E0000011","errorSummary":"Invalid token provided"}"#,
            r#"[{"eventType":"a.b","uuid":"1"}]"#,
            // not an Okta event type: a GitHub or Segment payload
            r#"{"eventType":"PullRequestEvent","uuid":"x-123"}"#,
            r#"{"eventType":null,"uuid":"u"}"#,
        ] {
            assert!(!p.is_other_type(parsed.as_bytes()), "{parsed}");
        }
    }

    #[test]
    fn all_types_parse_everything() {
        assert!(!Prefilter::new(None).is_other_type(br#"{"eventType":"a.b","uuid":"u"}"#));
    }
}

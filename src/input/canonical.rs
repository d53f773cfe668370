//! LogEvent keys as warehouses and SIEM tables write them, made Okta's own
//! again: lower- or upper-cased (`eventtype`, `DISPLAYMESSAGE`) and
//! flattened into dotted names (`debugcontext.debugdata.phonenumber`).
//!
//! Only the slow path uses this: an object that is not a LogEvent with
//! Okta's exact keys but is one when keys are compared case-insensitively
//! ([`looks_like_log_event`]) is rewritten into canonical JSON text, which
//! the ordinary lenient reader ([`crate::wire::WireTop`]) then reads. An
//! exact key always wins over a case-folded one (Okta's LogEvent schema:
//! <https://developer.okta.com/docs/reference/api/system-log/#logevent-object>).

use serde_json::value::RawValue;
use serde_json::{Map, Value};
use std::borrow::Cow;

/// The LogEvent keys (and the keys of the objects inside it) that the card
/// and the audit read or that commonly appear, in Okta's spelling.
const CANONICAL_KEYS: &[&str] = &[
    "uuid",
    "published",
    "eventType",
    "version",
    "severity",
    "displayMessage",
    "legacyEventType",
    "actor",
    "client",
    "outcome",
    "target",
    "transaction",
    "debugContext",
    "debugData",
    "authenticationContext",
    "securityContext",
    "request",
    "id",
    "type",
    "alternateId",
    "displayName",
    "detailEntry",
    "ipAddress",
    "userAgent",
    "zone",
    "device",
    "geographicalContext",
    "result",
    "reason",
    "phoneNumber",
    "countryCallingCode",
    "smsProvider",
    "transactionId",
    "requestUri",
    "eventId",
    "eventTime",
    "source",
    "data",
    "events",
];

/// Okta's spelling of `key` when it matches a known key case-insensitively.
pub fn canonical_key(key: &str) -> Cow<'_, str> {
    match CANONICAL_KEYS
        .iter()
        .find(|known| known.eq_ignore_ascii_case(key))
    {
        Some(known) => Cow::Borrowed(known),
        None => Cow::Borrowed(key),
    }
}

/// An object's entries in document order, values left as raw JSON text.
pub type Entries<'a> = Vec<(Cow<'a, str>, &'a RawValue)>;

/// Reads an object's entries in document order; `None` when `text` is not a
/// JSON object.
pub fn entries(text: &str) -> Option<Entries<'_>> {
    struct EntriesVisitor;
    impl<'de> serde::de::Visitor<'de> for EntriesVisitor {
        type Value = Entries<'de>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("an object")
        }
        fn visit_map<A: serde::de::MapAccess<'de>>(
            self,
            mut map: A,
        ) -> Result<Self::Value, A::Error> {
            let mut out = Vec::new();
            while let Some((k, v)) = map.next_entry::<Cow<'de, str>, &'de RawValue>()? {
                out.push((k, v));
            }
            Ok(out)
        }
    }
    let mut de = serde_json::Deserializer::from_str(text);
    serde::Deserializer::deserialize_map(&mut de, EntriesVisitor).ok()
}

/// True when the object is a LogEvent with keys compared case-insensitively
/// (and dotted names taken whole): an `eventType` with a `uuid` or a
/// `published`.
pub fn looks_like_log_event(entries: &Entries<'_>) -> bool {
    let has = |name: &str| entries.iter().any(|(k, _)| k.eq_ignore_ascii_case(name));
    has("eventType") && (has("uuid") || has("published"))
}

/// Rewrites an object's keys into Okta's spelling, recursively, expanding
/// dotted names into nested objects. Returns canonical JSON text.
pub fn canonicalize(text: &str) -> Option<String> {
    let value: Value = serde_json::from_str(text).ok()?;
    Some(canonical_value(value).to_string())
}

fn canonical_value(value: Value) -> Value {
    match value {
        Value::Object(map) => {
            let mut out = Map::new();
            // Exact keys first, so they win over case-folded ones.
            let mut exact = Vec::new();
            let mut folded = Vec::new();
            for (key, child) in map {
                let path: Vec<String> = key
                    .split('.')
                    .map(|part| canonical_key(part).into_owned())
                    .collect();
                let is_exact = key.split('.').zip(&path).all(|(a, b)| a == b);
                let child = canonical_value(child);
                if is_exact {
                    exact.push((path, child));
                } else {
                    folded.push((path, child));
                }
            }
            for (path, child) in exact.into_iter().chain(folded) {
                insert_path(&mut out, &path, child);
            }
            Value::Object(out)
        }
        Value::Array(items) => Value::Array(items.into_iter().map(canonical_value).collect()),
        other => other,
    }
}

/// Inserts `value` at `path` unless something is there already (earlier
/// entries, the exact ones, win); objects at the same path are merged.
fn insert_path(map: &mut Map<String, Value>, path: &[String], value: Value) {
    let Some((first, rest)) = path.split_first() else {
        return;
    };
    if rest.is_empty() {
        match (map.get_mut(first), value) {
            (None, value) => {
                map.insert(first.clone(), value);
            }
            (Some(Value::Object(existing)), Value::Object(more)) => {
                for (k, v) in more {
                    insert_path(existing, std::slice::from_ref(&k), v);
                }
            }
            _ => {}
        }
        return;
    }
    let child = map
        .entry(first.clone())
        .or_insert_with(|| Value::Object(Map::new()));
    if let Value::Object(child) = child {
        insert_path(child, rest, value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lower_cased_and_dotted_keys_become_okta_keys() {
        let text = r#"{"eventtype":"x","UUID":"u","debugcontext.debugdata.phonenumber":"+1555",
            "actor":{"alternateid":"a@x"}}"#;
        let v: Value = serde_json::from_str(&canonicalize(text).unwrap()).unwrap();
        assert_eq!(v["eventType"], "x");
        assert_eq!(v["uuid"], "u");
        assert_eq!(v["debugContext"]["debugData"]["phoneNumber"], "+1555");
        assert_eq!(v["actor"]["alternateId"], "a@x");
    }

    #[test]
    fn an_exact_key_wins_over_a_folded_one() {
        let text = r#"{"eventtype":"folded","eventType":"exact"}"#;
        let v: Value = serde_json::from_str(&canonicalize(text).unwrap()).unwrap();
        assert_eq!(v["eventType"], "exact");
    }

    #[test]
    fn detection_is_case_insensitive() {
        let e = entries(r#"{"EventType":"x","Published":"t"}"#).unwrap();
        assert!(looks_like_log_event(&e));
        let e = entries(r#"{"event_type":"x","uuid":"u"}"#).unwrap();
        assert!(!looks_like_log_event(&e), "snake_case is another schema");
    }
}

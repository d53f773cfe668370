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
    let has = |name: &str| entries.iter().any(|(k, _)| key_is(k, name));
    let typed = entries.iter().any(|(k, v)| {
        key_is(k, "eventType")
            && serde_json::from_str::<&str>(v.get()).is_ok_and(crate::wire::is_okta_event_type)
    });
    typed && (has("uuid") || has("published"))
}

/// True when `key` names the LogEvent key `name`: case-insensitively, and
/// with a Log Analytics type suffix (`eventType_s`, `uuid_g`,
/// `published_t`) allowed.
pub fn key_is(key: &str, name: &str) -> bool {
    key.eq_ignore_ascii_case(name) || strip_type_suffix(key).eq_ignore_ascii_case(name)
}

/// A key without the type suffix Azure Log Analytics (Microsoft Sentinel)
/// appends to custom-log columns: `_s` (string), `_g` (GUID), `_t` (time),
/// `_d` (number), `_b` (boolean).
fn strip_type_suffix(key: &str) -> &str {
    for suffix in ["_s", "_g", "_t", "_d", "_b"] {
        if let Some(stem) = key.strip_suffix(suffix) {
            return stem;
        }
    }
    key
}

/// Rewrites an object's keys into Okta's spelling, recursively, expanding
/// dotted names into nested objects. Returns canonical JSON text.
pub fn canonicalize(text: &str) -> Option<String> {
    let value: Value = serde_json::from_str(text).ok()?;
    Some(canonical_value(value).to_string())
}

/// The LogEvent path a key names: dotted segments each in Okta's spelling;
/// a Log Analytics flattened column (`debugContext_debugData_phoneNumber_s`)
/// is split on `_` when every part is a known LogEvent key.
fn key_path(key: &str) -> Vec<String> {
    let dotted: Vec<String> = key
        .split('.')
        .map(|part| canonical_key(part).into_owned())
        .collect();
    if dotted.len() > 1 || CANONICAL_KEYS.contains(&dotted[0].as_str()) {
        return dotted;
    }
    let stem = strip_type_suffix(key);
    let parts: Vec<&str> = stem.split('_').collect();
    let known: Option<Vec<String>> = parts
        .iter()
        .map(|p| {
            CANONICAL_KEYS
                .iter()
                .find(|k| k.eq_ignore_ascii_case(p))
                .map(|k| k.to_string())
        })
        .collect();
    known.unwrap_or(dotted)
}

fn canonical_value(value: Value) -> Value {
    match value {
        Value::Object(map) => {
            let mut out = Map::new();
            // Exact keys first, so they win over case-folded ones.
            let mut exact = Vec::new();
            let mut folded = Vec::new();
            for (key, child) in map {
                let path = key_path(&key);
                let is_exact = key.split('.').eq(path.iter().map(String::as_str));
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
    fn log_analytics_columns_become_okta_keys() {
        let text =
            r#"{"eventType_s":"a.b","uuid_g":"u","debugContext_debugData_phoneNumber_s":"+1555"}"#;
        assert!(looks_like_log_event(&entries(text).unwrap()));
        let v: Value = serde_json::from_str(&canonicalize(text).unwrap()).unwrap();
        assert_eq!(v["eventType"], "a.b");
        assert_eq!(v["uuid"], "u");
        assert_eq!(v["debugContext"]["debugData"]["phoneNumber"], "+1555");
    }

    #[test]
    fn only_okta_shaped_event_types_make_a_log_event() {
        for text in [
            r#"{"eventType":"PullRequestEvent","uuid":"u"}"#,
            r#"{"eventType":"track","published":"t"}"#,
            r#"{"eventType":null,"uuid":"u"}"#,
        ] {
            assert!(!looks_like_log_event(&entries(text).unwrap()), "{text}");
        }
    }

    #[test]
    fn detection_is_case_insensitive() {
        let e = entries(r#"{"EventType":"x.y","Published":"t"}"#).unwrap();
        assert!(looks_like_log_event(&e));
        let e = entries(r#"{"event_type":"x.y","uuid":"u"}"#).unwrap();
        assert!(!looks_like_log_event(&e), "snake_case is another schema");
    }
}

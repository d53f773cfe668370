//! The shapes Okta sends, as serde reads them: a LogEvent, an event-hook
//! delivery envelope and an `oksms watch --capture` line, all in one lenient
//! top-level struct so each input value is parsed exactly once.
//!
//! Okta documents `debugData` as no stable contract and real events carry
//! numbers where strings are expected, nulls anywhere and fields no schema
//! lists. Every scalar is therefore read as a [`Lenient`] string and unknown
//! fields are ignored. Strings borrow from the input where they can.

use serde::Deserialize;
use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;
use std::borrow::Cow;
use std::fmt;

/// A scalar read as text: strings as they are, numbers and booleans as their
/// JSON spelling, `null` (and objects or arrays, which carry no single text)
/// as absent.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Lenient<'a>(pub Option<Cow<'a, str>>);

impl<'a> Lenient<'a> {
    pub fn as_deref(&self) -> Option<&str> {
        self.0.as_deref()
    }
    pub fn into_inner(self) -> Option<Cow<'a, str>> {
        self.0
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Lenient<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct LenientVisitor;
        impl<'de> Visitor<'de> for LenientVisitor {
            type Value = Lenient<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string, number, boolean or null")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(Lenient(Some(Cow::Borrowed(v))))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(Lenient(Some(Cow::Owned(v.to_owned()))))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
                Ok(Lenient(Some(Cow::Owned(v))))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
                Ok(Lenient(Some(Cow::Borrowed(if v {
                    "true"
                } else {
                    "false"
                }))))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
                Ok(Lenient(Some(Cow::Owned(v.to_string()))))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
                Ok(Lenient(Some(Cow::Owned(v.to_string()))))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
                Ok(Lenient(Some(Cow::Owned(v.to_string()))))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(Lenient(None))
            }
            fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(Lenient(None))
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
                d.deserialize_any(self)
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(Lenient(None))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Lenient(None))
            }
        }
        deserializer.deserialize_any(LenientVisitor)
    }
}

/// `actor` or one `target` entry.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WireParty<'a> {
    #[serde(borrow, default)]
    pub id: Lenient<'a>,
    #[serde(borrow, default, rename = "type")]
    pub kind: Lenient<'a>,
    #[serde(borrow, default)]
    pub alternate_id: Lenient<'a>,
    #[serde(borrow, default)]
    pub display_name: Lenient<'a>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WireClient<'a> {
    #[serde(borrow, default)]
    pub ip_address: Lenient<'a>,
}

#[derive(Debug, Default, Deserialize)]
pub struct WireOutcome<'a> {
    #[serde(borrow, default)]
    pub result: Lenient<'a>,
    #[serde(borrow, default)]
    pub reason: Lenient<'a>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WireDebugContext<'a> {
    #[serde(borrow, default)]
    pub debug_data: Option<&'a RawValue>,
}

/// The few `debugData` keys the card and the audit read.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WireDebugData<'a> {
    #[serde(borrow, default)]
    pub phone_number: Lenient<'a>,
    #[serde(borrow, default)]
    pub country_calling_code: Lenient<'a>,
    #[serde(borrow, default)]
    pub sms_provider: Lenient<'a>,
    #[serde(borrow, default)]
    pub transaction_id: Lenient<'a>,
}

/// `data` of an event-hook envelope.
#[derive(Debug, Default, Deserialize)]
pub struct WireData<'a> {
    #[serde(borrow, default)]
    pub events: Option<Vec<&'a RawValue>>,
}

/// One top-level JSON object of any input: a LogEvent, an event-hook
/// envelope (it has `data.events`) or a capture line (it has `envelope`).
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WireTop<'a> {
    // LogEvent
    #[serde(borrow, default)]
    pub uuid: Lenient<'a>,
    #[serde(borrow, default)]
    pub published: Lenient<'a>,
    #[serde(borrow, default)]
    pub event_type: Lenient<'a>,
    #[serde(borrow, default)]
    pub display_message: Lenient<'a>,
    #[serde(borrow, default)]
    pub version: Lenient<'a>,
    #[serde(borrow, default)]
    pub actor: Option<WireParty<'a>>,
    #[serde(borrow, default)]
    pub target: Option<Vec<Option<WireParty<'a>>>>,
    #[serde(borrow, default)]
    pub client: Option<WireClient<'a>>,
    #[serde(borrow, default)]
    pub outcome: Option<WireOutcome<'a>>,
    #[serde(borrow, default)]
    pub debug_context: Option<WireDebugContext<'a>>,
    // Event-hook envelope
    #[serde(borrow, default)]
    pub event_id: Lenient<'a>,
    #[serde(borrow, default)]
    pub event_time: Lenient<'a>,
    #[serde(borrow, default)]
    pub source: Lenient<'a>,
    #[serde(borrow, default)]
    pub data: Option<WireData<'a>>,
    // Capture line written by `oksms watch --capture`
    #[serde(borrow, default)]
    pub envelope: Option<&'a RawValue>,
    #[serde(borrow, default)]
    pub headers: Option<&'a RawValue>,
    // A card record written by `oksms ... -o ndjson|json` (snake_case keys):
    // its `event_details` is the LogEvent.
    #[serde(borrow, default, rename = "event_details")]
    pub card_event_details: Option<&'a RawValue>,
    #[serde(borrow, default, rename = "event_time")]
    pub card_event_time: Lenient<'a>,
}

impl WireTop<'_> {
    /// The events of an envelope, when this object is one.
    pub fn envelope_events(&self) -> Option<&[&RawValue]> {
        self.data.as_ref()?.events.as_deref()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lenient_reads_every_scalar_as_text() {
        let v: Vec<Lenient> =
            serde_json::from_str(r#"["a", 0, -3, 1.5, true, null, {"x":1}, [1], "\u00e9"]"#)
                .unwrap();
        let got: Vec<Option<&str>> = v.iter().map(|l| l.as_deref()).collect();
        assert_eq!(
            got,
            [
                Some("a"),
                Some("0"),
                Some("-3"),
                Some("1.5"),
                Some("true"),
                None,
                None,
                None,
                Some("é")
            ]
        );
    }

    #[test]
    fn plain_strings_are_borrowed() {
        let v: Lenient = serde_json::from_str(r#""plain""#).unwrap();
        assert!(matches!(v.0, Some(Cow::Borrowed("plain"))));
    }

    #[test]
    fn unknown_fields_and_nulls_are_accepted() {
        let top: WireTop = serde_json::from_str(
            r#"{"uuid":"u","version":0,"actor":null,"target":[null,{"type":"User","extra":[1]}],
                "insertionTimestamp":"x","debugContext":{"debugData":{"a":1}}}"#,
        )
        .unwrap();
        assert_eq!(top.version.as_deref(), Some("0"));
        assert!(top.actor.is_none());
        assert_eq!(top.target.as_ref().unwrap().len(), 2);
        assert_eq!(
            top.debug_context.unwrap().debug_data.unwrap().get(),
            r#"{"a":1}"#
        );
    }
}

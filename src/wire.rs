//! The shapes Okta sends, as serde reads them: a LogEvent, an event-hook
//! delivery envelope and an `oksms watch --capture` line, all in one lenient
//! top-level struct so each input value is parsed exactly once.
//!
//! Okta documents `debugData` as no stable contract and real events carry
//! numbers where strings are expected, nulls anywhere and fields no schema
//! lists. Every scalar is therefore read as a [`Lenient`] string and unknown
//! fields are ignored. Strings borrow from the input where they can.
//! [`lazy`] reads plain LogEvents into the same shapes faster, and falls
//! back to serde for anything unusual.

pub(crate) mod lazy;

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

/// An object-valued field read leniently: an object becomes `Value`, `null`
/// (or absence) `Absent`, and anything else `Wrong` with what was found, so
/// one wrong-typed field (PowerShell's `ConvertTo-Json` writes nested
/// objects as `"@{id=...; type=User}"` past its default depth) leaves that
/// field absent with a warning instead of dropping the whole event.
#[derive(Debug, Default)]
pub enum Loose<T> {
    #[default]
    Absent,
    Value(T),
    /// The field held a scalar or an array where an object belongs: the
    /// JSON type found and, for strings, a short preview of the text.
    Wrong(WrongType),
}

/// What a wrong-typed field held.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WrongType {
    /// `string`, `number`, `boolean` or `array`.
    pub found: &'static str,
    /// For strings: the first characters of the text.
    pub text: Option<String>,
}

impl<T> Loose<T> {
    pub fn value(self) -> Option<T> {
        match self {
            Loose::Value(v) => Some(v),
            _ => None,
        }
    }
    pub fn as_value(&self) -> Option<&T> {
        match self {
            Loose::Value(v) => Some(v),
            _ => None,
        }
    }
    pub fn wrong(&self) -> Option<&WrongType> {
        match self {
            Loose::Wrong(w) => Some(w),
            _ => None,
        }
    }
}

fn wrong_string(v: &str) -> WrongType {
    WrongType {
        found: "string",
        text: Some(v.chars().take(48).collect()),
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Loose<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct LooseVisitor<T>(std::marker::PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for LooseVisitor<T> {
            type Value = Loose<T>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                T::deserialize(de::value::MapAccessDeserializer::new(map)).map(Loose::Value)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Loose::Wrong(WrongType {
                    found: "array",
                    text: None,
                }))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(Loose::Wrong(wrong_string(v)))
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
                Ok(Loose::Wrong(WrongType {
                    found: "boolean",
                    text: None,
                }))
            }
            fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
                Ok(Loose::Wrong(WrongType {
                    found: "number",
                    text: None,
                }))
            }
            fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
                self.visit_i64(0)
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
                self.visit_i64(0)
            }
            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(Loose::Absent)
            }
            fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(Loose::Absent)
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
                d.deserialize_any(self)
            }
        }
        deserializer.deserialize_any(LooseVisitor(std::marker::PhantomData))
    }
}

/// `target`: Okta writes an array of objects; some stores keep a single
/// target as one object (read as a one-element list). Entries that are not
/// objects are dropped; a scalar where the list belongs is `Wrong`.
#[derive(Debug, Default)]
pub struct WireTargets<'a> {
    pub parties: Vec<WireParty<'a>>,
    pub wrong: Option<WrongType>,
}

impl<'de: 'a, 'a> Deserialize<'de> for WireTargets<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct TargetsVisitor<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for TargetsVisitor<'a> {
            type Value = WireTargets<'a>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a list of targets")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let mut parties = Vec::new();
                while let Some(entry) = seq.next_element::<Loose<WireParty<'a>>>()? {
                    if let Loose::Value(p) = entry {
                        parties.push(p);
                    }
                }
                Ok(WireTargets {
                    parties,
                    wrong: None,
                })
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                let party = WireParty::deserialize(de::value::MapAccessDeserializer::new(map))?;
                Ok(WireTargets {
                    parties: vec![party],
                    wrong: None,
                })
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(WireTargets {
                    parties: Vec::new(),
                    wrong: Some(wrong_string(v)),
                })
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
                Ok(WireTargets {
                    parties: Vec::new(),
                    wrong: Some(WrongType {
                        found: "boolean",
                        text: None,
                    }),
                })
            }
            fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
                Ok(WireTargets {
                    parties: Vec::new(),
                    wrong: Some(WrongType {
                        found: "number",
                        text: None,
                    }),
                })
            }
            fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
                self.visit_i64(0)
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
                self.visit_i64(0)
            }
            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(WireTargets::default())
            }
            fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(WireTargets::default())
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
                d.deserialize_any(self)
            }
        }
        deserializer.deserialize_any(TargetsVisitor(std::marker::PhantomData))
    }
}

/// True when `text` is shaped like an Okta event type: two or more dotted
/// lower-case segments of letters, digits and underscores
/// (`system.sms.send_phone_verification_message`, `user.session.start`, as
/// in Okta's event-types catalogue). A GitHub `PullRequestEvent` or a
/// Segment `track` is not one.
pub fn is_okta_event_type(text: &str) -> bool {
    let mut segments = 0;
    for segment in text.split('.') {
        if segment.is_empty()
            || !segment
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        {
            return false;
        }
        segments += 1;
    }
    segments >= 2
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
    pub actor: Loose<WireParty<'a>>,
    #[serde(borrow, default)]
    pub target: WireTargets<'a>,
    #[serde(borrow, default)]
    pub client: Loose<WireClient<'a>>,
    #[serde(borrow, default)]
    pub outcome: Loose<WireOutcome<'a>>,
    #[serde(borrow, default)]
    pub debug_context: Loose<WireDebugContext<'a>>,
    // Event-hook envelope (`eventID` is an older spelling in Okta's docs)
    #[serde(borrow, default, alias = "eventID")]
    pub event_id: Lenient<'a>,
    #[serde(borrow, default)]
    pub event_time: Lenient<'a>,
    #[serde(borrow, default)]
    pub source: Lenient<'a>,
    #[serde(borrow, default)]
    pub data: Loose<WireData<'a>>,
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
        self.data.as_value()?.events.as_deref()
    }

    /// True when the object is a LogEvent by its own keys: an `eventType`
    /// with a `uuid` or a `published` (Okta's LogEvent schema).
    pub fn is_log_event(&self) -> bool {
        self.event_type.as_deref().is_some_and(is_okta_event_type)
            && (self.uuid.0.is_some() || self.published.0.is_some())
    }

    /// The object-valued fields that held something else, by name.
    pub fn wrong_fields(&self) -> Vec<(&'static str, &WrongType)> {
        [
            ("actor", self.actor.wrong()),
            ("target", self.target.wrong.as_ref()),
            ("client", self.client.wrong()),
            ("outcome", self.outcome.wrong()),
            ("debugContext", self.debug_context.wrong()),
        ]
        .into_iter()
        .filter_map(|(name, w)| w.map(|w| (name, w)))
        .collect()
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
        assert!(top.actor.as_value().is_none());
        assert_eq!(top.target.parties.len(), 1);
        assert_eq!(
            top.debug_context.value().unwrap().debug_data.unwrap().get(),
            r#"{"a":1}"#
        );
    }
}

//! The card record: the fields of the Okta Workflows card "Phone Verification
//! SMS Sent", plus the few an audit needs, built from one LogEvent and, when
//! the event came in an event-hook delivery, its envelope.
//!
//! The mapping is the public contract documented in the README. Targets are
//! found by `type`, never by position. Text borrows from the input buffer.

use crate::wire::{Lenient, WireDebugData, WireParty, WireTop};
use std::borrow::Cow;

/// A field that may be absent: text borrowed from the input where possible,
/// or `None`.
pub type OptionalText<'a> = Option<Cow<'a, str>>;

/// The event type the card is about.
pub const SMS_EVENT_TYPE: &str = "system.sms.send_phone_verification_message";

/// Actor, Okta User or Phone: the card's four sub-fields.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Party<'a> {
    pub id: OptionalText<'a>,
    pub alternate_id: OptionalText<'a>,
    pub display_name: OptionalText<'a>,
    pub kind: OptionalText<'a>,
}

impl<'a> From<WireParty<'a>> for Party<'a> {
    fn from(w: WireParty<'a>) -> Self {
        Party {
            id: present(w.id),
            alternate_id: present(w.alternate_id),
            display_name: present(w.display_name),
            kind: present(w.kind),
        }
    }
}

/// True for the texts that stores write where a value is missing:
/// `unknown`, `null`, `undefined`, `n/a` (any case) and empty or blank text.
/// They are placeholders, not values: a phone target whose number is
/// `"unknown"` has no number, and a client IP `"null"` is no IP.
pub fn is_placeholder(text: &str) -> bool {
    let t = text.trim();
    t.is_empty()
        || ["unknown", "null", "undefined", "n/a"]
            .iter()
            .any(|p| t.eq_ignore_ascii_case(p))
}

/// The value, or `None` when it is absent or a placeholder
/// ([`is_placeholder`]).
fn present(value: Lenient<'_>) -> OptionalText<'_> {
    value.into_inner().filter(|t| !is_placeholder(t))
}

/// What an event-hook delivery adds to each of its events.
#[derive(Debug, Clone, Default)]
pub struct Delivery<'a> {
    /// Envelope `eventId` (the card's UUID).
    pub event_id: OptionalText<'a>,
    /// Envelope `eventTime` (the card's Event Time).
    pub event_time: OptionalText<'a>,
    /// Envelope `source`.
    pub source: OptionalText<'a>,
    /// The delivery's HTTP request headers as a JSON object, secrets redacted.
    pub headers: Option<Cow<'a, str>>,
}

/// One card, ready to render.
#[derive(Debug, Clone, Default)]
pub struct Record<'a> {
    pub published: OptionalText<'a>,
    pub message: OptionalText<'a>,
    pub event_id: OptionalText<'a>,
    pub event_type: OptionalText<'a>,
    pub event_time: OptionalText<'a>,
    pub version: OptionalText<'a>,
    pub actor: Option<Party<'a>>,
    pub okta_user: Option<Party<'a>>,
    pub phone: Option<Party<'a>>,
    pub uuid: OptionalText<'a>,
    /// The whole LogEvent, unchanged, as JSON text.
    pub event_details: &'a str,
    /// HTTP headers as a JSON object text (fetch: response; hook: request).
    pub headers: Option<Cow<'a, str>>,
    pub source: OptionalText<'a>,
    /// `debugContext.debugData` as JSON text.
    pub debug_data: Option<&'a str>,
    pub outcome_result: OptionalText<'a>,
    pub outcome_reason: OptionalText<'a>,
    pub client_ip: OptionalText<'a>,
    pub country_calling_code: OptionalText<'a>,
    pub sms_provider: OptionalText<'a>,
    pub transaction_id: OptionalText<'a>,
    /// The phone number's metadata when it was worked out before the number
    /// was masked; `None`: read it from the number
    /// ([`Record::phone_metadata`]).
    pub phone_meta: Option<crate::phone_meta::PhoneMeta>,
}

/// The `debugData` fields the card reads (the fast reading, else serde's);
/// absent or unreadable `debugData` gives none (Okta documents it as no
/// stable contract).
fn read_debug_data<'a>(raw: Option<&'a serde_json::value::RawValue>) -> WireDebugData<'a> {
    raw.and_then(|d| {
        crate::wire::lazy::debug_data(d.get()).or_else(|| serde_json::from_str(d.get()).ok())
    })
    .unwrap_or_default()
}

impl<'a> Record<'a> {
    /// Builds the card from a parsed LogEvent (`raw` is its JSON text).
    pub fn from_event(raw: &'a str, event: WireTop<'a>, delivery: Option<&Delivery<'a>>) -> Self {
        let debug_raw = event.debug_context.value().and_then(|c| c.debug_data);
        let debug = read_debug_data(debug_raw);
        let mut okta_user = None;
        let mut phone: Option<Party<'a>> = None;
        for target in event.target.parties {
            // Okta writes `User`, `MobilePhone`, `Phone`; stores may change
            // the case.
            let kind = target.kind.as_deref().map(str::to_ascii_lowercase);
            match kind.as_deref() {
                Some("user") if okta_user.is_none() => okta_user = Some(Party::from(target)),
                Some("mobilephone") | Some("phone") => {
                    // The first phone target with a number wins; a target
                    // whose number is a placeholder is kept only until one
                    // with a number (or debugData's) turns up.
                    let candidate = Party::from(target);
                    let has_number =
                        |p: &Party<'_>| p.alternate_id.is_some() || p.display_name.is_some();
                    if phone
                        .as_ref()
                        .is_none_or(|p| !has_number(p) && has_number(&candidate))
                    {
                        phone = Some(candidate);
                    }
                }
                _ => {}
            }
        }
        let debug_number = present(debug.phone_number);
        match (&mut phone, debug_number) {
            (None, Some(number)) => {
                phone = Some(Party {
                    id: None,
                    alternate_id: Some(number.clone()),
                    display_name: Some(number),
                    kind: Some(Cow::Borrowed("MobilePhone")),
                });
            }
            // A placeholder target must not hide debugData's number.
            (Some(target), Some(number))
                if target.alternate_id.is_none() && target.display_name.is_none() =>
            {
                target.alternate_id = Some(number.clone());
                target.display_name = Some(number);
            }
            _ => {}
        }
        let (outcome_result, outcome_reason) = match event.outcome.value() {
            Some(o) => (o.result.into_inner(), o.reason.into_inner()),
            None => (None, None),
        };
        let delivery = delivery.cloned().unwrap_or_default();
        Record {
            published: event.published.into_inner(),
            message: event.display_message.into_inner(),
            event_id: present(event.uuid),
            event_type: event.event_type.into_inner(),
            event_time: delivery.event_time,
            version: event.version.into_inner(),
            actor: event.actor.value().map(Party::from),
            okta_user,
            phone,
            uuid: delivery.event_id,
            event_details: raw,
            headers: delivery.headers,
            source: delivery.source,
            debug_data: debug_raw.map(|d| d.get()),
            outcome_result,
            outcome_reason,
            client_ip: event.client.value().and_then(|c| present(c.ip_address)),
            country_calling_code: present(debug.country_calling_code),
            sms_provider: present(debug.sms_provider),
            transaction_id: present(debug.transaction_id),
            phone_meta: None,
        }
    }

    /// The phone number this event was sent to, where one is known:
    /// `debugData.phoneNumber`, else the phone target's alternate id, else its
    /// display name.
    pub fn phone_number(&self) -> Option<&str> {
        let phone = self.phone.as_ref()?;
        phone
            .alternate_id
            .as_deref()
            .or(phone.display_name.as_deref())
    }

    /// The metadata of the phone number (normalised as the audit does,
    /// with `countryCallingCode`; [`crate::phone_meta`]), `None` when the
    /// record has no number. A masked record carries the metadata of its
    /// unmasked number.
    pub fn phone_metadata(&self) -> Option<crate::phone_meta::PhoneMeta> {
        if self.phone_meta.is_some() {
            return self.phone_meta;
        }
        let cc = self
            .country_calling_code
            .as_deref()
            .map(str::trim)
            .filter(|c| !c.is_empty());
        let e164 = crate::phone::normalize(self.phone_number()?, cc)?;
        Some(crate::phone_meta::of_e164(&e164))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(json: &str) -> Record<'_> {
        Record::from_event(json, serde_json::from_str(json).unwrap(), None)
    }

    #[test]
    fn targets_are_found_by_type_not_position() {
        let r = record(
            r#"{"target":[{"type":"MobilePhone","id":"mbl1","alternateId":"+15551230001"},
                          {"type":"User","id":"00u1","alternateId":"a@example.com"}]}"#,
        );
        assert_eq!(r.okta_user.unwrap().id.as_deref(), Some("00u1"));
        assert_eq!(r.phone.unwrap().id.as_deref(), Some("mbl1"));
    }

    #[test]
    fn phone_falls_back_to_debug_data() {
        let r = record(
            r#"{"target":[{"type":"User","id":"00u1"}],
                "debugContext":{"debugData":{"phoneNumber":"+4915112345678","countryCallingCode":49}}}"#,
        );
        let phone = r.phone.clone().unwrap();
        assert_eq!(phone.id, None);
        assert_eq!(phone.alternate_id.as_deref(), Some("+4915112345678"));
        assert_eq!(phone.display_name.as_deref(), Some("+4915112345678"));
        assert_eq!(phone.kind.as_deref(), Some("MobilePhone"));
        assert_eq!(r.country_calling_code.as_deref(), Some("49"));
        assert_eq!(r.phone_number(), Some("+4915112345678"));
    }

    #[test]
    fn a_phone_target_wins_over_debug_data() {
        let r = record(
            r#"{"target":[{"type":"Phone","id":"p","alternateId":"+1"}],
                "debugContext":{"debugData":{"phoneNumber":"+2"}}}"#,
        );
        assert_eq!(r.phone.unwrap().alternate_id.as_deref(), Some("+1"));
    }

    #[test]
    fn delivery_fields_come_from_the_envelope() {
        let json = r#"{"uuid":"e1","version":0}"#;
        let delivery = Delivery {
            event_id: Some("env-1".into()),
            event_time: Some("2024-01-01T00:00:00.000Z".into()),
            source: Some("https://x.okta.com/api/v1/eventHooks/who".into()),
            headers: None,
        };
        let r = Record::from_event(json, serde_json::from_str(json).unwrap(), Some(&delivery));
        assert_eq!(r.event_id.as_deref(), Some("e1"));
        assert_eq!(r.uuid.as_deref(), Some("env-1"));
        assert_eq!(r.version.as_deref(), Some("0"));
        assert_eq!(r.event_details, json);
    }
}

//! One incoming event-hook delivery: checked to be an Okta envelope, split
//! into its events (with their `uuid`s for de-duplication), and turned into
//! the capture line `{"received_at", "headers", "envelope"}` that
//! `oksms parse` and `oksms replay` read back.

use crate::wire::Lenient;
use axum::http::HeaderMap;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use std::collections::BTreeMap;

/// A delivery that passed validation.
#[derive(Debug)]
pub struct Incoming {
    /// The body as received (valid JSON, an object with `data.events`).
    pub body: String,
    /// Envelope `eventId`, when present.
    pub event_id: Option<String>,
    /// Each event's `uuid` (`None` when it has none), in delivery order.
    pub uuids: Vec<Option<String>>,
    /// Envelope `eventTime`, when present.
    pub event_time: Option<String>,
    /// Each event's `published`, in delivery order.
    pub published: Vec<Option<String>>,
}

#[derive(Deserialize)]
struct EnvelopeIds<'a> {
    #[serde(borrow, default, rename = "eventId")]
    event_id: Lenient<'a>,
    #[serde(borrow, default, rename = "eventTime")]
    event_time: Lenient<'a>,
    #[serde(borrow, default)]
    data: Option<DataIds<'a>>,
}

#[derive(Deserialize)]
struct DataIds<'a> {
    #[serde(borrow, default)]
    events: Option<Vec<&'a RawValue>>,
}

#[derive(Deserialize)]
struct EventIds<'a> {
    #[serde(borrow, default)]
    uuid: Lenient<'a>,
    #[serde(borrow, default)]
    published: Lenient<'a>,
}

impl Incoming {
    /// Validates a request body. The error text is safe to send back.
    pub fn parse(body: &[u8]) -> Result<Incoming, String> {
        let body = std::str::from_utf8(body)
            .map_err(|_| "the body is not UTF-8 JSON".to_string())?
            .to_string();
        let ids: EnvelopeIds<'_> =
            serde_json::from_str(&body).map_err(|e| format!("invalid JSON: {e}"))?;
        let events = ids
            .data
            .and_then(|d| d.events)
            .ok_or_else(|| "not an Okta event-hook delivery: no data.events array".to_string())?;
        let mut uuids = Vec::with_capacity(events.len());
        let mut published = Vec::with_capacity(events.len());
        for (index, raw) in events.iter().enumerate() {
            let event: EventIds<'_> = serde_json::from_str(raw.get())
                .map_err(|e| format!("data.events[{index}] is not a LogEvent: {e}"))?;
            uuids.push(event.uuid.into_inner().map(|u| u.into_owned()));
            published.push(event.published.into_inner().map(|p| p.into_owned()));
        }
        let event_id = ids.event_id.into_inner().map(|id| id.into_owned());
        let event_time = ids.event_time.into_inner().map(|t| t.into_owned());
        Ok(Incoming {
            body,
            event_id,
            uuids,
            event_time,
            published,
        })
    }

    /// The envelope as one line of JSON, keeping only the events whose
    /// index `keep` accepts (all of them: the body itself).
    pub fn envelope_line(&self, keep: &[bool]) -> Result<String, serde_json::Error> {
        if keep.iter().all(|k| *k) {
            return Ok(one_line(&self.body));
        }
        let mut top: BTreeMap<String, Box<RawValue>> = serde_json::from_str(&self.body)?;
        let mut data: BTreeMap<String, Box<RawValue>> = match top.get("data") {
            Some(raw) => serde_json::from_str(raw.get())?,
            None => BTreeMap::new(),
        };
        let events: Vec<Box<RawValue>> = match data.get("events") {
            Some(raw) => serde_json::from_str(raw.get())?,
            None => Vec::new(),
        };
        let kept: Vec<&RawValue> = events
            .iter()
            .zip(keep)
            .filter(|(_, k)| **k)
            .map(|(e, _)| e.as_ref())
            .collect();
        data.insert("events".into(), serde_json::value::to_raw_value(&kept)?);
        top.insert("data".into(), serde_json::value::to_raw_value(&data)?);
        Ok(one_line(&serde_json::to_string(&top)?))
    }
}

/// Valid JSON on one line: raw CR and LF can only be white space between
/// tokens (inside strings they must be escaped), so they become spaces and
/// every value, event texts included, stays as it was otherwise.
pub fn one_line(json: &str) -> String {
    json.replace(['\r', '\n'], " ")
}

/// The request headers as a JSON object (names lower-case, repeated headers
/// joined with `, `), with every secret header's value replaced by
/// `<redacted>`: the secret headers of [`crate::secret::headers`] and the configured `auth_header`.
pub fn headers_json(headers: &HeaderMap, auth_header: &str) -> String {
    crate::secret::headers::to_json(headers, Some(auth_header))
}

#[derive(Serialize)]
struct CaptureLine<'a> {
    received_at: &'a str,
    headers: &'a RawValue,
    envelope: &'a RawValue,
}

/// The capture line (without its newline).
pub fn capture_line(
    received_at: &str,
    headers_json: &str,
    envelope_line: &str,
) -> Result<String, serde_json::Error> {
    let headers: &RawValue = serde_json::from_str(headers_json)?;
    let envelope: &RawValue = serde_json::from_str(envelope_line)?;
    serde_json::to_string(&CaptureLine {
        received_at,
        headers,
        envelope,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    const BODY: &str = "{\"eventType\":\"com.okta.event_hook\",\"eventId\":\"d1\",\n\"data\":{\"events\":[\n{\"uuid\":\"a\",\"x\":\"1\\n2\"},{\"uuid\":\"b\"},{\"published\":\"p\"}]}}";

    #[test]
    fn a_delivery_yields_its_ids() {
        let got = Incoming::parse(BODY.as_bytes()).unwrap();
        assert_eq!(got.event_id.as_deref(), Some("d1"));
        assert_eq!(got.uuids, [Some("a".into()), Some("b".into()), None]);
    }

    #[test]
    fn malformed_bodies_are_refused_with_a_reason() {
        assert!(
            Incoming::parse(b"{")
                .unwrap_err()
                .starts_with("invalid JSON")
        );
        assert!(
            Incoming::parse(b"{\"eventId\":\"x\"}")
                .unwrap_err()
                .contains("data.events")
        );
        assert!(
            Incoming::parse(b"{\"data\":{\"events\":[1]}}")
                .unwrap_err()
                .contains("data.events[0]")
        );
        assert!(Incoming::parse(b"\xff").is_err());
    }

    #[test]
    fn the_envelope_line_is_one_line_and_can_drop_events() {
        let got = Incoming::parse(BODY.as_bytes()).unwrap();
        let all = got.envelope_line(&[true, true, true]).unwrap();
        assert!(!all.contains('\n'));
        let all_value: serde_json::Value = serde_json::from_str(&all).unwrap();
        let body_value: serde_json::Value = serde_json::from_str(BODY).unwrap();
        assert_eq!(all_value, body_value);
        let some = got.envelope_line(&[false, true, false]).unwrap();
        assert!(!some.contains('\n'));
        let value: serde_json::Value = serde_json::from_str(&some).unwrap();
        assert_eq!(value["data"]["events"], serde_json::json!([{"uuid": "b"}]));
        assert_eq!(value["eventId"], "d1");
    }

    #[test]
    fn headers_are_captured_with_secrets_redacted() {
        let mut headers = HeaderMap::new();
        headers.insert("authorization", HeaderValue::from_static("Basic s3cret"));
        headers.insert("x-hook-key", HeaderValue::from_static("other-secret"));
        headers.insert("x-okta-request-id", HeaderValue::from_static("r1"));
        headers.append("accept", HeaderValue::from_static("a"));
        headers.append("accept", HeaderValue::from_static("b"));
        let json = headers_json(&headers, "X-Hook-Key");
        assert!(
            !json.contains("s3cret") && !json.contains("other-secret"),
            "{json}"
        );
        let value: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(value["authorization"], "<redacted>");
        assert_eq!(value["x-hook-key"], "<redacted>");
        assert_eq!(value["x-okta-request-id"], "r1");
        assert_eq!(value["accept"], "a, b");
    }

    #[test]
    fn a_capture_line_is_what_parse_reads() {
        let got = Incoming::parse(BODY.as_bytes()).unwrap();
        let line = capture_line(
            "2024-01-01T00:00:00.000Z",
            r#"{"x-a":"1"}"#,
            &got.envelope_line(&[true, true, true]).unwrap(),
        )
        .unwrap();
        let mut uuids = Vec::new();
        crate::input::decode::decode::<()>(
            &line,
            &mut |r| {
                uuids.push(format!(
                    "{}|{}|{}",
                    r.event_id.as_deref().unwrap_or("-"),
                    r.uuid.as_deref().unwrap_or("-"),
                    r.headers.as_deref().unwrap_or("-")
                ));
                Ok(())
            },
            &mut |b| panic!("{b:?}"),
        )
        .unwrap();
        assert_eq!(
            uuids,
            [
                "a|d1|{\"x-a\":\"1\"}",
                "b|d1|{\"x-a\":\"1\"}",
                "-|d1|{\"x-a\":\"1\"}"
            ]
        );
    }
}

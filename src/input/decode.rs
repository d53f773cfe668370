//! Turns one framed JSON value into card records: a LogEvent gives one, an
//! event-hook envelope gives one per `data.events[]` entry, a capture line
//! written by `oksms watch --capture` gives its envelope's events with the
//! captured request headers, and a record `oksms` itself wrote as JSON (it
//! has `event_details`) gives that record back, so `oksms fetch -o ndjson`
//! output can be parsed, audited and replayed later.

use crate::record::{Delivery, Record};
use crate::wire::WireTop;
use serde_json::value::RawValue;
use std::borrow::Cow;

/// A value (or one event inside an envelope) that could not be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadValue {
    /// 1-based line inside the framed value where the problem is.
    pub line: usize,
    /// 1-based column on that line (0 when unknown).
    pub column: usize,
    pub message: String,
}

impl BadValue {
    fn from_json(err: &serde_json::Error, context: &str) -> Self {
        // serde_json appends " at line L column C" relative to the value;
        // the caller reports the absolute position instead.
        let text = if err.is_eof() {
            "truncated: the record ends before its closing '}'".to_string()
        } else {
            err.to_string()
        };
        let text = match text.rfind(" at line ") {
            Some(cut) => &text[..cut],
            None => &text,
        };
        BadValue {
            line: err.line(),
            column: err.column(),
            message: format!("{context}{text}"),
        }
    }
}

/// Header names whose values are secrets and never leave `oksms`.
pub const SECRET_HEADERS: &[&str] = &[
    "authorization",
    "proxy-authorization",
    "cookie",
    "x-okta-hook-secret",
];

/// Decodes `text`, calling `emit` for each record and `bad` for each part
/// that cannot be used. Only `emit`'s errors stop the decoding.
pub fn decode<'a, E>(
    text: &'a str,
    emit: &mut dyn FnMut(Record<'a>) -> Result<(), E>,
    bad: &mut dyn FnMut(BadValue),
) -> Result<(), E> {
    let top: WireTop<'a> = match serde_json::from_str(text) {
        Ok(top) => top,
        Err(err) => {
            bad(BadValue::from_json(&err, "invalid JSON: "));
            return Ok(());
        }
    };
    if let Some(details) = top.card_event_details {
        // oksms's own JSON output read back: the LogEvent and what the
        // delivery (or fetch) added to it.
        let delivery = Delivery {
            event_id: top.uuid.into_inner(),
            event_time: top.card_event_time.into_inner(),
            source: top.source.into_inner(),
            headers: top.headers.map(|h| redact_headers(h.get())),
        };
        return match serde_json::from_str::<WireTop<'a>>(details.get()) {
            Ok(event) => emit(Record::from_event(details.get(), event, Some(&delivery))),
            Err(err) => {
                bad(BadValue::from_json(
                    &err,
                    "oksms record: invalid `event_details`: ",
                ));
                Ok(())
            }
        };
    }
    if let Some(envelope) = top.envelope {
        // A capture line: the envelope plus the request headers.
        let headers = top.headers.map(|h| redact_headers(h.get()));
        return match serde_json::from_str::<WireTop<'a>>(envelope.get()) {
            Ok(inner) if inner.envelope_events().is_some() => {
                decode_envelope(inner, headers, emit, bad)
            }
            Ok(_) => {
                bad(BadValue {
                    line: 1,
                    column: 0,
                    message: "capture line: `envelope` has no `data.events`".into(),
                });
                Ok(())
            }
            Err(err) => {
                bad(BadValue::from_json(
                    &err,
                    "capture line: invalid envelope: ",
                ));
                Ok(())
            }
        };
    }
    if top.envelope_events().is_some() {
        return decode_envelope(top, None, emit, bad);
    }
    emit(Record::from_event(text, top, None))
}

fn decode_envelope<'a, E>(
    top: WireTop<'a>,
    headers: Option<Cow<'a, str>>,
    emit: &mut dyn FnMut(Record<'a>) -> Result<(), E>,
    bad: &mut dyn FnMut(BadValue),
) -> Result<(), E> {
    let events: Vec<&'a RawValue> = top.data.and_then(|d| d.events).unwrap_or_default();
    let delivery = Delivery {
        event_id: top.event_id.into_inner(),
        event_time: top.event_time.into_inner(),
        source: top.source.into_inner(),
        headers,
    };
    for (index, raw) in events.into_iter().enumerate() {
        match serde_json::from_str::<WireTop<'a>>(raw.get()) {
            Ok(event) => emit(Record::from_event(raw.get(), event, Some(&delivery)))?,
            Err(err) => bad(BadValue::from_json(
                &err,
                &format!("event-hook delivery, data.events[{index}]: "),
            )),
        }
    }
    Ok(())
}

/// Returns the header object with every secret header's value replaced by
/// `"<redacted>"`; the text is borrowed unchanged when there is none.
pub fn redact_headers(raw: &str) -> Cow<'_, str> {
    let lower = raw.to_ascii_lowercase();
    if !SECRET_HEADERS.iter().any(|name| lower.contains(name)) {
        return Cow::Borrowed(raw);
    }
    let Ok(mut map) = serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(raw)
    else {
        return Cow::Borrowed("null");
    };
    for (name, value) in map.iter_mut() {
        if SECRET_HEADERS.contains(&name.to_ascii_lowercase().as_str()) {
            *value = serde_json::Value::String("<redacted>".into());
        }
    }
    Cow::Owned(serde_json::Value::Object(map).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str) -> (Vec<String>, Vec<BadValue>) {
        let mut got = Vec::new();
        let mut bads = Vec::new();
        decode::<()>(
            text,
            &mut |r| {
                got.push(format!(
                    "{}|{}|{}",
                    r.event_id.as_deref().unwrap_or("-"),
                    r.uuid.as_deref().unwrap_or("-"),
                    r.headers.as_deref().unwrap_or("-")
                ));
                Ok(())
            },
            &mut |b| bads.push(b),
        )
        .unwrap();
        (got, bads)
    }

    #[test]
    fn a_log_event_gives_one_record() {
        assert_eq!(run(r#"{"uuid":"a"}"#).0, ["a|-|-"]);
    }

    #[test]
    fn an_envelope_gives_each_event_and_reports_bad_ones() {
        let (got, bads) = run(
            r#"{"eventId":"env","data":{"events":[{"uuid":"a"},{"uuid":{"x":1},"actor":"oops"},{"uuid":"b"}]}}"#,
        );
        assert_eq!(got, ["a|env|-", "b|env|-"]);
        assert_eq!(bads.len(), 1);
        assert!(
            bads[0]
                .message
                .starts_with("event-hook delivery, data.events[1]: "),
            "{bads:?}"
        );
    }

    #[test]
    fn a_capture_line_carries_redacted_headers() {
        let (got, _) = run(
            r#"{"received_at":"t","headers":{"Authorization":"s3cret","x-a":"1"},"envelope":{"eventId":"env","data":{"events":[{"uuid":"a"}]}}}"#,
        );
        assert_eq!(got.len(), 1);
        assert!(got[0].starts_with("a|env|"));
        assert!(!got[0].contains("s3cret"), "{got:?}");
        assert!(got[0].contains("<redacted>"));
    }

    #[test]
    fn invalid_json_names_line_and_column() {
        let (_, bads) = run("{\"uuid\": \"a\",\n \"x\": tru}");
        assert_eq!((bads[0].line, bads[0].column), (2, 10), "{bads:?}");
        assert_eq!(bads[0].message, "invalid JSON: expected ident");
        assert!(bads[0].message.starts_with("invalid JSON: "));
    }
}

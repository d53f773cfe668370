//! Turns one framed JSON value into card records. What it recognises, in
//! order (the README's "What oksms reads" lists each with an example):
//!
//! - a record `oksms` itself wrote as JSON (it has `event_details`): that
//!   record back, so `oksms fetch -o ndjson` output can be parsed again;
//! - a capture line written by `oksms watch --capture` (`envelope` +
//!   `headers`): the envelope's events with the captured request headers;
//! - an Okta event-hook delivery (`data.events[]`): one record per event;
//! - a LogEvent, by its own keys: `eventType` with `uuid` or `published`;
//! - an Okta API or OAuth error body saved as an export: reported as that;
//! - anything else: a bounded search ([`crate::input::unwrap`]) for
//!   LogEvents inside it (EventBridge `detail`, Splunk `result._raw`,
//!   Elasticsearch `_source` / `event.original` / `hits.hits[]`, a SIEM's
//!   message string, `{"data": ...}`, `{"events": [...]}`), with keys
//!   compared case-insensitively ([`crate::input::canonical`]).
//!
//! A value in which nothing is found is bad input, reported with what it
//! looks like; valid JSON is never called invalid.

use crate::input::{canonical, unwrap};
use crate::record::{Delivery, Record};
use crate::wire::WireTop;
use crate::wire::lazy;
use serde_json::value::RawValue;
use std::borrow::Cow;

/// A problem with a value (or one event inside it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadValue {
    /// 1-based line inside the framed value where the problem is.
    pub line: usize,
    /// 1-based column on that line (0 when unknown).
    pub column: usize,
    pub message: String,
    /// A warning: the record was still used (a field left absent).
    pub warning: bool,
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
            warning: false,
        }
    }

    fn whole(message: String) -> Self {
        BadValue {
            line: 1,
            column: 1,
            message,
            warning: false,
        }
    }
}

/// What one value held, beyond its records.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Decoded {
    /// LogEvents found (of any type).
    pub log_events: u64,
    /// Where they were found when the value was a wrapper (e.g. `detail`,
    /// `result._raw (JSON text)`), for `--verbose`.
    pub wrapper: Option<String>,
}

/// Decodes `text`, calling `emit` for each record and `bad` for each part
/// that cannot be used (or, with `warning` set, was used in part). Only
/// `emit`'s errors stop the decoding.
pub fn decode<E>(
    text: &str,
    emit: &mut dyn for<'r> FnMut(Record<'r>) -> Result<(), E>,
    bad: &mut dyn FnMut(BadValue),
) -> Result<Decoded, E> {
    let mut decoded = Decoded::default();
    // The strict lazy reading when it applies (it gives what serde_json
    // would), else serde_json.
    let parsed = match lazy::top(text) {
        Some(top) => Ok(top),
        None => serde_json::from_str(text),
    };
    let top: WireTop<'_> = match parsed {
        Ok(top) => top,
        Err(err) if err.is_data() => {
            // Valid JSON of a shape the fast reader does not take.
            return slow_path(text, emit, bad, decoded);
        }
        Err(err) => {
            bad(BadValue::from_json(&err, "invalid JSON: "));
            return Ok(decoded);
        }
    };
    if let Some(details) = top.card_event_details {
        // oksms's own JSON output read back: the LogEvent and what the
        // delivery (or fetch) added to it.
        let delivery = Delivery {
            event_id: top.uuid.into_inner(),
            event_time: top.card_event_time.into_inner(),
            source: top.source.into_inner(),
            headers: top
                .headers
                .map(|h| crate::secret::headers::redact_object(h.get())),
        };
        decoded.log_events += 1;
        emit_event(details.get(), Some(&delivery), emit, bad)?;
        return Ok(decoded);
    }
    if let Some(envelope) = top.envelope {
        // A capture line: the envelope plus the request headers.
        let headers = top
            .headers
            .map(|h| crate::secret::headers::redact_object(h.get()));
        return match serde_json::from_str::<WireTop<'_>>(envelope.get()) {
            Ok(inner) if inner.envelope_events().is_some() => {
                decoded.log_events += decode_envelope(inner, headers, None, emit, bad)?;
                Ok(decoded)
            }
            Ok(_) => {
                bad(BadValue {
                    line: 1,
                    column: 0,
                    message: "capture line: `envelope` has no `data.events`".into(),
                    warning: false,
                });
                Ok(decoded)
            }
            Err(err) => {
                bad(BadValue::from_json(
                    &err,
                    "capture line: invalid envelope: ",
                ));
                Ok(decoded)
            }
        };
    }
    if top.envelope_events().is_some() {
        decoded.log_events += decode_envelope(top, None, None, emit, bad)?;
        return Ok(decoded);
    }
    if top.is_log_event() {
        decoded.log_events += 1;
        warn_wrong_fields(&top, bad);
        emit(Record::from_event(text, top, None))?;
        return Ok(decoded);
    }
    drop(top);
    slow_path(text, emit, bad, decoded)
}

/// Values that are not a LogEvent with Okta's exact keys: error bodies,
/// case-folded keys, wrappers; else bad input.
fn slow_path<E>(
    text: &str,
    emit: &mut dyn for<'r> FnMut(Record<'r>) -> Result<(), E>,
    bad: &mut dyn FnMut(BadValue),
    mut decoded: Decoded,
) -> Result<Decoded, E> {
    if let Some(entries) = canonical::entries(text) {
        if let Some(message) = error_body(&entries) {
            bad(BadValue::whole(message));
            return Ok(decoded);
        }
        if is_bulk_action(&entries) {
            // An Elasticsearch `_bulk` body's action line: metadata about
            // the document on the next line, not a record.
            return Ok(decoded);
        }
    }
    let mut found = unwrap::Found::default();
    let mut on_event = |event: unwrap::Event<'_>| -> Result<u64, E> {
        let delivery = event.source.map(|source| Delivery {
            source: Some(Cow::Owned(source.to_string())),
            ..Delivery::default()
        });
        match event.kind {
            unwrap::EventKind::LogEvent => {
                emit_event(event.text, delivery.as_ref(), emit, bad).map(|_| 1)
            }
            unwrap::EventKind::Envelope => match serde_json::from_str::<WireTop<'_>>(event.text) {
                Ok(top) => decode_envelope(top, None, event.source, emit, bad),
                Err(err) => {
                    bad(BadValue::from_json(&err, "event-hook delivery: "));
                    Ok(0)
                }
            },
        }
    };
    unwrap::search(text, &mut found, &mut on_event)?;
    if found.events == 0 {
        let mut message = describe_unknown(text);
        if let Some(broken) = &found.broken {
            message.push_str("; ");
            message.push_str(broken);
        }
        bad(BadValue::whole(message));
        return Ok(decoded);
    }
    decoded.log_events += found.events;
    decoded.wrapper = found.path;
    Ok(decoded)
}

/// Emits one LogEvent given as text, reading it case-insensitively when
/// Okta's exact keys are not all there.
fn emit_event<E>(
    text: &str,
    delivery: Option<&Delivery<'_>>,
    emit: &mut dyn for<'r> FnMut(Record<'r>) -> Result<(), E>,
    bad: &mut dyn FnMut(BadValue),
) -> Result<(), E> {
    match serde_json::from_str::<WireTop<'_>>(text) {
        Ok(top) if top.is_log_event() || top.event_type.0.is_some() => {
            warn_wrong_fields(&top, bad);
            emit(Record::from_event(text, top, delivery))
        }
        parsed => {
            // Case-folded or dotted keys: read the canonical rewrite, keep
            // the original text as `event_details`.
            drop(parsed);
            let Some(canonical) = canonical::canonicalize(text) else {
                bad(BadValue::whole("invalid LogEvent".into()));
                return Ok(());
            };
            match serde_json::from_str::<WireTop<'_>>(&canonical) {
                Ok(top) => {
                    warn_wrong_fields(&top, bad);
                    emit(Record::from_event(text, top, delivery))
                }
                Err(err) => {
                    bad(BadValue::from_json(&err, "LogEvent: "));
                    Ok(())
                }
            }
        }
    }
}

/// Warns once per wrong-typed object field (the field is left absent).
fn warn_wrong_fields(top: &WireTop<'_>, bad: &mut dyn FnMut(BadValue)) {
    for (field, wrong) in top.wrong_fields() {
        let mut message = format!(
            "field `{field}` is a {} where an object belongs; left absent",
            wrong.found
        );
        if let Some(text) = &wrong.text
            && (text.starts_with("@{") || text.starts_with("System."))
        {
            message.push_str(&format!(
                " (it reads `{text}`: PowerShell's ConvertTo-Json cut the nesting; export \
                 again with `ConvertTo-Json -Depth 10`)"
            ));
        }
        bad(BadValue {
            line: 1,
            column: 1,
            message,
            warning: true,
        });
    }
}

/// The message for an Okta API error body (`errorCode`, `errorSummary`) or
/// an OAuth 2.0 error (`error`, `error_description`, RFC 6749 §5.2) saved
/// where System Log events were expected; `None` for anything else.
fn error_body(entries: &canonical::Entries<'_>) -> Option<String> {
    let text = |name: &str| {
        entries
            .iter()
            .find(|(k, _)| k == name)
            .and_then(|(_, v)| serde_json::from_str::<Cow<'_, str>>(v.get()).ok())
            .map(|t| {
                let safe = crate::secret::redact_text(&t).into_owned();
                crate::escape::escape_control(&safe).into_owned()
            })
    };
    if let (Some(code), Some(summary)) = (text("errorCode"), text("errorSummary")) {
        let id = text("errorId")
            .map(|id| format!(" (errorId {id})"))
            .unwrap_or_default();
        return Some(format!(
            "this is an Okta API error response, not System Log events: {code} {summary}{id}"
        ));
    }
    if let (Some(code), Some(description)) = (text("error"), text("error_description")) {
        return Some(format!(
            "this is an OAuth error response, not System Log events: {code}: {description}"
        ));
    }
    None
}

/// An Elasticsearch/OpenSearch `_bulk` action line: one key, `index`,
/// `create`, `update` or `delete`, holding an object of `_index`/`_id`.
fn is_bulk_action(entries: &canonical::Entries<'_>) -> bool {
    let [(action, meta)] = entries.as_slice() else {
        return false;
    };
    matches!(action.as_ref(), "index" | "create" | "update" | "delete")
        && canonical::entries(meta.get())
            .is_some_and(|m| m.iter().all(|(k, _)| k.starts_with('_') || k == "pipeline"))
}

/// What an unrecognised value looks like: its top-level keys, cut short.
fn describe_unknown(text: &str) -> String {
    let what = match canonical::entries(text) {
        Some(entries) if entries.is_empty() => "an empty object".to_string(),
        Some(entries) => {
            let mut keys: Vec<String> = entries
                .iter()
                .take(8)
                .map(|(k, _)| crate::escape::escape_control(k).into_owned())
                .map(|k| {
                    if k.chars().count() > 24 {
                        format!("{}…", k.chars().take(24).collect::<String>())
                    } else {
                        k
                    }
                })
                .collect();
            if entries.len() > 8 {
                keys.push(format!("… {} more", entries.len() - 8));
            }
            format!("an object with keys {}", keys.join(", "))
        }
        None => "not a JSON object".to_string(),
    };
    format!(
        "not an Okta LogEvent (no Okta `eventType` like `user.session.start` with `uuid` or `published`), event-hook delivery or known wrapper of one: {what}"
    )
}

fn decode_envelope<E>(
    top: WireTop<'_>,
    headers: Option<Cow<'_, str>>,
    source: Option<&str>,
    emit: &mut dyn for<'r> FnMut(Record<'r>) -> Result<(), E>,
    bad: &mut dyn FnMut(BadValue),
) -> Result<u64, E> {
    let events: Vec<&RawValue> = top.data.value().and_then(|d| d.events).unwrap_or_default();
    let delivery = Delivery {
        event_id: top.event_id.into_inner(),
        event_time: top.event_time.into_inner(),
        source: top
            .source
            .into_inner()
            .or_else(|| source.map(|s| Cow::Owned(s.to_string()))),
        headers,
    };
    let mut count = 0;
    for (index, raw) in events.into_iter().enumerate() {
        if !raw.get().trim_start().starts_with('{') {
            bad(BadValue::whole(format!(
                "event-hook delivery, data.events[{index}]: not a JSON object"
            )));
            continue;
        }
        count += 1;
        let mut tagged = |mut b: BadValue| {
            b.message = format!("event-hook delivery, data.events[{index}]: {}", b.message);
            bad(b)
        };
        emit_event(raw.get(), Some(&delivery), emit, &mut tagged)?;
    }
    Ok(count)
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
        assert_eq!(run(r#"{"eventType":"t.t","uuid":"a"}"#).0, ["a|-|-"]);
        assert_eq!(run(r#"{"eventType":"t.t","published":"p"}"#).0, ["-|-|-"]);
    }

    #[test]
    fn an_object_without_log_event_keys_is_bad_input_naming_its_keys() {
        for text in [r#"{"uuid":"a"}"#, r#"{"foo":1,"bar":{"x":2}}"#, "{}"] {
            let (got, bads) = run(text);
            assert!(got.is_empty(), "{text}");
            assert_eq!(bads.len(), 1, "{text}");
            assert!(!bads[0].warning);
            assert!(
                bads[0].message.starts_with("not an Okta LogEvent"),
                "{bads:?}"
            );
        }
        let (_, bads) = run(r#"{"foo":1,"bar":{"x":2}}"#);
        assert!(
            bads[0].message.ends_with("an object with keys foo, bar"),
            "{bads:?}"
        );
    }

    #[test]
    fn error_bodies_are_named() {
        let (got, bads) =
            run(r#"{"errorCode":"E0000047","errorSummary":"API call exceeded rate limit"}"#);
        assert!(got.is_empty());
        assert_eq!(
            bads[0].message,
            "this is an Okta API error response, not System Log events: E0000047 API call exceeded rate limit"
        );
        let (_, bads) = run(r#"{"error":"invalid_client","error_description":"bad key"}"#);
        assert!(bads[0].message.contains("OAuth error response"), "{bads:?}");
    }

    #[test]
    fn an_envelope_gives_each_event_and_reports_bad_ones() {
        let (got, bads) = run(
            r#"{"eventId":"env","data":{"events":[{"eventType":"t.t","uuid":"a"},7,{"eventType":"t.t","uuid":"b"}]}}"#,
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
    fn wrong_typed_fields_warn_and_keep_the_event() {
        let (got, bads) = run(
            r#"{"eventType":"t.t","uuid":"a","actor":"@{id=00u1; type=User}","target":{"type":"User","id":"00u2"}}"#,
        );
        assert_eq!(got, ["a|-|-"]);
        assert_eq!(bads.len(), 1, "{bads:?}");
        assert!(bads[0].warning);
        assert!(bads[0].message.contains("field `actor`"), "{bads:?}");
        assert!(bads[0].message.contains("-Depth 10"), "{bads:?}");
    }

    #[test]
    fn wrappers_and_case_folded_keys_are_read() {
        let event = r#"{"eventType":"t.t","uuid":"a"}"#;
        let as_text = serde_json::to_string(event).unwrap();
        for text in [
            format!(r#"{{"detail":{event},"source":"s"}}"#),
            format!(r#"{{"result":{{"_raw":{as_text}}}}}"#),
            format!(r#"{{"events":[{event}]}}"#),
            format!(r#"[{{"data":{event}}}]"#),
            r#"{"EVENTTYPE":"t.t","Uuid":"a"}"#.to_string(),
        ] {
            assert_eq!(run(&text).0, ["a|-|-"], "{text}");
        }
    }

    #[test]
    fn a_capture_line_carries_redacted_headers() {
        let (got, _) = run(
            r#"{"received_at":"t","headers":{"Authorization":"s3cret","x-a":"1"},"envelope":{"eventId":"env","data":{"events":[{"eventType":"t.t","uuid":"a"}]}}}"#,
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
    }
}

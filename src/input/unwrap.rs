//! The bounded search for LogEvents inside wrappers: one general mechanism
//! for the envelopes that SIEMs, log pipelines and scripts put around Okta's
//! events, instead of a list of special cases.
//!
//! Starting from a value that is not itself a LogEvent (nor an event-hook
//! delivery), every object member and array element is visited in document
//! order, and every string that holds JSON text (Splunk's `_raw`, Elastic's
//! `event.original`, a SIEM's `message`; or the whole value, a LogEvent given
//! as one JSON string by `jq -R` or `tojson`) is parsed and visited too. Inside an
//! object the members are searched first; only when none of them holds an
//! event is the object itself taken as a LogEvent, when its keys say so
//! case-insensitively ([`canonical::looks_like_log_event`]). So a Splunk
//! result that carries both extracted fields and `_raw` gives the event from
//! `_raw`, whole.
//!
//! The card's `source` is the nearest enclosing wrapper's string `source`
//! (EventBridge: `aws.partner/okta.com/...`).
//!
//! Limits: [`MAX_DEPTH`] levels of nesting (a JSON text counts as one),
//! [`MAX_VISITS`] values per top-level value, and JSON texts of at most
//! [`MAX_EMBEDDED_TEXT`] bytes. Past them the search stops descending, and a
//! value in which nothing was found is reported as bad input.

use crate::input::canonical;
use serde_json::value::RawValue;
use std::borrow::Cow;

/// How deep the search descends (object members, array elements and JSON
/// texts each count one level).
pub const MAX_DEPTH: usize = 8;
/// How many values one search visits at most.
pub const MAX_VISITS: usize = 100_000;
/// The largest JSON text inside a string that is parsed.
pub const MAX_EMBEDDED_TEXT: usize = 16 << 20;

/// What a found value is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventKind {
    /// A LogEvent (keys possibly case-folded).
    LogEvent,
    /// An event-hook delivery (`data.events[]`).
    Envelope,
}

/// One found LogEvent or delivery, as JSON text.
#[derive(Debug)]
pub struct Event<'t> {
    pub text: &'t str,
    pub kind: EventKind,
    /// The nearest enclosing wrapper's `source` string.
    pub source: Option<&'t str>,
}

/// What a search found.
#[derive(Debug, Default)]
pub struct Found {
    /// Events found (a delivery counts its events).
    pub events: u64,
    /// Where the first one was, e.g. `detail` or `result._raw (JSON text)`.
    pub path: Option<String>,
    /// The first text field that looked like JSON but did not parse (a
    /// SIEM that cut a long `_raw`), with what serde_json said.
    pub broken: Option<String>,
    visits: usize,
}

/// Searches `text` (a JSON value) for LogEvents and deliveries, calling
/// `on_event` for each in document order; `on_event` returns how many
/// events it took from what it was given.
pub fn search<E>(
    text: &str,
    found: &mut Found,
    on_event: &mut dyn FnMut(Event<'_>) -> Result<u64, E>,
) -> Result<(), E> {
    let mut path = String::new();
    visit(text, 0, &mut path, None, found, on_event).map(|_| ())
}

fn visit<E>(
    text: &str,
    depth: usize,
    path: &mut String,
    source: Option<&str>,
    found: &mut Found,
    on_event: &mut dyn FnMut(Event<'_>) -> Result<u64, E>,
) -> Result<u64, E> {
    found.visits += 1;
    if found.visits > MAX_VISITS {
        return Ok(0);
    }
    let trimmed = text.trim_start();
    match trimmed.as_bytes().first() {
        Some(b'{') => visit_object(text, depth, path, source, found, on_event),
        Some(b'[') if depth < MAX_DEPTH => {
            let Ok(items) = serde_json::from_str::<Vec<&RawValue>>(text) else {
                return Ok(0);
            };
            let mark = path.len();
            path.push_str("[]");
            let mut n = 0;
            for item in items {
                n += visit(item.get(), depth + 1, path, source, found, on_event)?;
            }
            path.truncate(mark);
            Ok(n)
        }
        // A string at the top is a whole value given as JSON text (`jq -R`,
        // `tojson`): read like the text inside a wrapper's field.
        Some(b'"') if depth < MAX_DEPTH => {
            let Ok(inner) = serde_json::from_str::<Cow<'_, str>>(text) else {
                return Ok(0);
            };
            if inner.len() > MAX_EMBEDDED_TEXT {
                return Ok(0);
            }
            let body = inner.trim_start();
            if body.starts_with('{') || body.starts_with('[') {
                let how = if path.is_empty() {
                    "(JSON text)"
                } else {
                    " (JSON text)"
                };
                return visit_text(&inner, how, depth, path, source, found, on_event);
            }
            // Base64 (Kinesis, Firehose), possibly of gzip (CloudWatch Logs
            // subscriptions), holding JSON.
            match from_base64(body) {
                Some(decoded) => {
                    visit_text(&decoded, " (base64)", depth, path, source, found, on_event)
                }
                None => Ok(0),
            }
        }
        _ => Ok(0),
    }
}

/// Visits every JSON value in `text` (one, or several one after another as
/// NDJSON or concatenated), one level deeper, noting `how` in the path.
fn visit_text<E>(
    text: &str,
    how: &str,
    depth: usize,
    path: &mut String,
    source: Option<&str>,
    found: &mut Found,
    on_event: &mut dyn FnMut(Event<'_>) -> Result<u64, E>,
) -> Result<u64, E> {
    let mark = path.len();
    let field = if path.is_empty() {
        "the string".to_string()
    } else {
        format!("the text in `{path}`")
    };
    path.push_str(how);
    let mut n = 0;
    for value in serde_json::Deserializer::from_str(text).into_iter::<&RawValue>() {
        let value = match value {
            Ok(value) => value,
            Err(e) => {
                if n == 0 && found.broken.is_none() {
                    let what = if e.is_eof() {
                        "ends before its JSON does (cut short?)".to_string()
                    } else {
                        format!(
                            "is not valid JSON ({})",
                            e.to_string().split(" at line").next().unwrap_or("")
                        )
                    };
                    found.broken = Some(format!("{field} {what}"));
                }
                break;
            }
        };
        n += visit(value.get(), depth + 1, path, source, found, on_event)?;
    }
    path.truncate(mark);
    Ok(n)
}

/// The text that `body` encodes in base64 (standard alphabet, padded),
/// gunzipped when it is gzip, when that text is JSON; at most
/// [`MAX_EMBEDDED_TEXT`] bytes.
fn from_base64(body: &str) -> Option<String> {
    use base64::Engine;
    use std::io::Read;
    let body = body.trim();
    if body.len() < 16
        || !body.len().is_multiple_of(4)
        || !body
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'='))
    {
        return None;
    }
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(body)
        .ok()?;
    let bytes = if bytes.starts_with(&[0x1f, 0x8b]) {
        let mut out = Vec::new();
        flate2::read::MultiGzDecoder::new(bytes.as_slice())
            .take(MAX_EMBEDDED_TEXT as u64)
            .read_to_end(&mut out)
            .ok()?;
        out
    } else {
        bytes
    };
    let text = String::from_utf8(bytes).ok()?;
    let start = text.trim_start();
    (start.starts_with('{') || start.starts_with('[')).then_some(text)
}

fn visit_object<E>(
    text: &str,
    depth: usize,
    path: &mut String,
    source: Option<&str>,
    found: &mut Found,
    on_event: &mut dyn FnMut(Event<'_>) -> Result<u64, E>,
) -> Result<u64, E> {
    let Some(entries) = canonical::entries(text) else {
        return Ok(0);
    };
    if depth > 0 && is_envelope(&entries) {
        return take(text, EventKind::Envelope, path, source, found, on_event);
    }
    let own_source = entries
        .iter()
        .find(|(k, _)| k == "source")
        .and_then(|(_, v)| serde_json::from_str::<&str>(v.get()).ok());
    let mut n = 0;
    if depth < MAX_DEPTH {
        let child_source = own_source.or(source);
        for (key, value) in &entries {
            let mark = path.len();
            if !path.is_empty() {
                path.push('.');
            }
            path.push_str(key);
            n += visit(value.get(), depth + 1, path, child_source, found, on_event)?;
            path.truncate(mark);
        }
    }
    if n == 0 && canonical::looks_like_log_event(&entries) {
        return take(text, EventKind::LogEvent, path, source, found, on_event);
    }
    Ok(n)
}

fn take<E>(
    text: &str,
    kind: EventKind,
    path: &str,
    source: Option<&str>,
    found: &mut Found,
    on_event: &mut dyn FnMut(Event<'_>) -> Result<u64, E>,
) -> Result<u64, E> {
    let n = on_event(Event { text, kind, source })?;
    if n > 0 && found.path.is_none() && !path.is_empty() {
        found.path = Some(path.to_string());
    }
    found.events += n;
    Ok(n)
}

/// An event-hook delivery: `data` is an object with an `events` array.
fn is_envelope(entries: &canonical::Entries<'_>) -> bool {
    entries
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("data"))
        .and_then(|(_, v)| canonical::entries(v.get()))
        .is_some_and(|data| {
            data.iter().any(|(k, v)| {
                k.eq_ignore_ascii_case("events") && v.get().trim_start().starts_with('[')
            })
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str) -> (Vec<(String, Option<String>)>, Found) {
        let mut found = Found::default();
        let mut got = Vec::new();
        search::<()>(text, &mut found, &mut |e| {
            got.push((e.text.to_string(), e.source.map(str::to_string)));
            Ok(1)
        })
        .unwrap();
        (got, found)
    }

    const EVENT: &str = r#"{"eventType":"t.t","uuid":"u1"}"#;

    #[test]
    fn an_object_member_is_found_with_the_wrappers_source() {
        let text = format!(r#"{{"source":"aws.partner/okta.com/x","detail":{EVENT}}}"#);
        let (got, found) = run(&text);
        assert_eq!(
            got,
            [(EVENT.to_string(), Some("aws.partner/okta.com/x".into()))]
        );
        assert_eq!(found.path.as_deref(), Some("detail"));
    }

    #[test]
    fn a_json_string_is_parsed_and_wins_over_extracted_fields() {
        let raw = serde_json::to_string(EVENT).unwrap();
        let text = format!(r#"{{"result":{{"eventType":"t.t","uuid":"u1","_raw":{raw}}}}}"#);
        let (got, found) = run(&text);
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].0, EVENT);
        assert_eq!(found.path.as_deref(), Some("result._raw (JSON text)"));
    }

    #[test]
    fn lists_of_hits_give_every_event() {
        let text =
            format!(r#"{{"hits":{{"hits":[{{"_source":{EVENT}}},{{"_source":{EVENT}}}]}}}}"#);
        let (got, found) = run(&text);
        assert_eq!(got.len(), 2);
        assert_eq!(found.path.as_deref(), Some("hits.hits[]._source"));
    }

    #[test]
    fn base64_and_gzipped_base64_are_decoded() {
        use base64::Engine;
        use std::io::Write;
        let b64 = base64::engine::general_purpose::STANDARD;
        let text = format!(
            r#"{{"records":[{{"data":"{}"}}]}}"#,
            b64.encode(format!("{EVENT}\n{EVENT}\n"))
        );
        let (got, found) = run(&text);
        assert_eq!(got.len(), 2);
        assert_eq!(found.path.as_deref(), Some("records[].data (base64)"));
        let inner = serde_json::to_string(EVENT).unwrap();
        let logs = format!(r#"{{"logEvents":[{{"id":"1","message":{inner}}}]}}"#);
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(logs.as_bytes()).unwrap();
        let text = format!(
            r#"{{"awslogs":{{"data":"{}"}}}}"#,
            b64.encode(gz.finish().unwrap())
        );
        assert_eq!(run(&text).0.len(), 1);
    }

    #[test]
    fn depth_is_bounded() {
        let mut text = EVENT.to_string();
        for _ in 0..MAX_DEPTH + 2 {
            text = format!(r#"{{"w":{text}}}"#);
        }
        assert!(run(&text).0.is_empty());
    }

    #[test]
    fn nothing_is_found_in_unrelated_json() {
        assert!(run(r#"{"a":{"b":[1,2,"{\"c\":1}"]}}"#).0.is_empty());
    }
}

//! Reads replay input (anything `oksms parse` reads) into owned events: each
//! event's raw JSON, its `published` time and, for deliveries and captures,
//! the envelope fields it came with. Then orders them by `published` and
//! cuts them to `--from`/`--until`.

use crate::diag::Diag;
use crate::input::{self, ReadOptions, ReadStats};
use crate::output::Sink;
use crate::record::{Delivery, Record};
use crate::wire::WireTop;
use anyhow::Result;
use chrono::{DateTime, Utc};
use std::borrow::Cow;
use std::path::PathBuf;

/// The envelope an event arrived in.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Captured {
    pub event_id: Option<String>,
    pub event_time: Option<String>,
    pub source: Option<String>,
    pub headers: Option<String>,
}

/// One event to replay.
#[derive(Debug, Clone)]
pub struct ReplayEvent {
    /// The LogEvent's JSON text, unchanged.
    pub raw: String,
    /// Its `published` time, when present and valid RFC 3339.
    pub at: Option<DateTime<Utc>>,
    /// The delivery it came in, for captures and envelopes.
    pub captured: Option<Captured>,
}

impl ReplayEvent {
    /// Renders the event as `parse` would have (envelope fields included).
    pub fn render(&self, sink: &mut dyn Sink) -> Result<()> {
        let wire: WireTop<'_> = serde_json::from_str(&self.raw)?;
        let delivery = self.captured.as_ref().map(|c| Delivery {
            event_id: c.event_id.as_deref().map(Cow::Borrowed),
            event_time: c.event_time.as_deref().map(Cow::Borrowed),
            source: c.source.as_deref().map(Cow::Borrowed),
            headers: c.headers.as_deref().map(Cow::Borrowed),
        });
        sink.record(&Record::from_event(&self.raw, wire, delivery.as_ref()))
    }
}

/// A sink that keeps owned copies of the records' sources.
#[derive(Debug, Default)]
pub struct Collect {
    pub events: Vec<ReplayEvent>,
}

impl Sink for Collect {
    fn record(&mut self, record: &Record<'_>) -> Result<()> {
        let captured = if record.uuid.is_some()
            || record.event_time.is_some()
            || record.source.is_some()
            || record.headers.is_some()
        {
            Some(Captured {
                event_id: record.uuid.as_deref().map(str::to_string),
                event_time: record.event_time.as_deref().map(str::to_string),
                source: record.source.as_deref().map(str::to_string),
                headers: record.headers.as_deref().map(str::to_string),
            })
        } else {
            None
        };
        self.events.push(ReplayEvent {
            raw: record.event_details.to_string(),
            at: record.published.as_deref().and_then(parse_time),
            captured,
        });
        Ok(())
    }
    fn flush(&mut self) -> Result<()> {
        Ok(())
    }
    fn finish(&mut self) -> Result<()> {
        Ok(())
    }
}

/// `published` to UTC, in every spelling [`crate::timestamp`] reads.
pub fn parse_time(text: &str) -> Option<DateTime<Utc>> {
    crate::timestamp::parse_published(text)
}

/// Reads every input (bad records reported through `diag` and counted).
pub fn load(
    paths: &[PathBuf],
    opts: &ReadOptions,
    diag: &Diag,
) -> Result<(Vec<ReplayEvent>, ReadStats)> {
    let mut collect = Collect::default();
    let stats = input::read_inputs(paths, opts, &mut collect, diag)?;
    Ok((collect.events, stats))
}

/// Orders events by `published` (events without a valid time last, in input
/// order) and keeps those in `[from, until)`. With a range, events without
/// a time are dropped.
pub fn order_and_cut(
    mut events: Vec<ReplayEvent>,
    from: Option<DateTime<Utc>>,
    until: Option<DateTime<Utc>>,
) -> Vec<ReplayEvent> {
    events.sort_by_key(|e| (e.at.is_none(), e.at));
    if from.is_none() && until.is_none() {
        return events;
    }
    events
        .into_iter()
        .filter(|e| match e.at {
            Some(at) => from.is_none_or(|f| at >= f) && until.is_none_or(|u| at < u),
            None => false,
        })
        .collect()
}

/// The `uuid` of an event's raw JSON (tests).
#[cfg(test)]
pub fn uuid_of(event: &ReplayEvent) -> Option<String> {
    let v: serde_json::Value = serde_json::from_str(&event.raw).ok()?;
    v.get("uuid")?.as_str().map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(uuid: &str, published: Option<&str>) -> ReplayEvent {
        ReplayEvent {
            raw: format!(r#"{{"uuid":"{uuid}"}}"#),
            at: published.and_then(parse_time),
            captured: None,
        }
    }

    fn uuids(events: &[ReplayEvent]) -> Vec<String> {
        events.iter().map(|e| uuid_of(e).unwrap()).collect()
    }

    #[test]
    fn events_are_ordered_by_published_with_untimed_last() {
        let got = order_and_cut(
            vec![
                event("c", Some("2024-01-01T00:00:03Z")),
                event("x", None),
                event("a", Some("2024-01-01T01:00:01+01:00")),
                event("b", Some("2024-01-01T00:00:02.000Z")),
            ],
            None,
            None,
        );
        assert_eq!(uuids(&got), ["a", "b", "c", "x"]);
    }

    #[test]
    fn the_range_is_from_inclusive_until_exclusive() {
        let all = vec![
            event("a", Some("2024-01-01T00:00:01Z")),
            event("b", Some("2024-01-01T00:00:02Z")),
            event("c", Some("2024-01-01T00:00:03Z")),
            event("x", None),
        ];
        let got = order_and_cut(
            all,
            parse_time("2024-01-01T00:00:02Z"),
            parse_time("2024-01-01T00:00:03Z"),
        );
        assert_eq!(uuids(&got), ["b"]);
    }

    #[test]
    fn collect_keeps_the_envelope_fields() {
        let line = r#"{"received_at":"t","headers":{"x":"1"},"envelope":{"eventId":"d1","eventTime":"et","source":"s","data":{"events":[{"uuid":"u1","published":"2024-01-01T00:00:00Z"}]}}}"#;
        let mut collect = Collect::default();
        crate::input::decode::decode(line, &mut |r| collect.record(&r), &mut |b| panic!("{b:?}"))
            .unwrap();
        let e = &collect.events[0];
        assert_eq!(uuid_of(e).as_deref(), Some("u1"));
        assert_eq!(e.raw, r#"{"uuid":"u1","published":"2024-01-01T00:00:00Z"}"#);
        let c = e.captured.clone().unwrap();
        assert_eq!(c.event_id.as_deref(), Some("d1"));
        assert_eq!(c.source.as_deref(), Some("s"));
        assert_eq!(c.headers.as_deref(), Some(r#"{"x":"1"}"#));
    }
}

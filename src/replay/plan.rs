//! Groups replayed events into deliveries and writes each delivery's body:
//! the event-hook envelope exactly as Okta sends it, with the events'
//! JSON unchanged inside `data.events`.

use super::load::ReplayEvent;
use serde::Serialize;
use serde_json::value::RawValue;

/// The `source` when neither `--source` nor the input gives one.
pub const DEFAULT_SOURCE: &str = "oksms-replay";

/// One delivery to send.
#[derive(Debug, Clone)]
pub struct Planned {
    /// 1-based position in the run.
    pub index: usize,
    /// Indexes into the event list.
    pub events: Vec<usize>,
    /// Envelope `eventId`.
    pub event_id: String,
    /// Envelope `source`.
    pub source: String,
}

/// Cuts `events` into deliveries of `batch` events with a new `eventId`
/// each. With `keep_ids`, consecutive events captured in the same delivery
/// go together under that delivery's `eventId`; events without a captured
/// id are batched as usual.
pub fn plan(
    events: &[ReplayEvent],
    batch: usize,
    keep_ids: bool,
    source: Option<&str>,
) -> Vec<Planned> {
    let batch = batch.max(1);
    let captured_id = |i: usize| -> Option<&str> {
        if keep_ids {
            events[i].captured.as_ref()?.event_id.as_deref()
        } else {
            None
        }
    };
    let mut out: Vec<Planned> = Vec::new();
    let mut current: Vec<usize> = Vec::new();
    let mut current_id: Option<&str> = None;
    let flush = |current: &mut Vec<usize>, id: Option<&str>, out: &mut Vec<Planned>| {
        if current.is_empty() {
            return;
        }
        let first = &events[current[0]];
        let source = source
            .map(str::to_string)
            .or_else(|| first.captured.as_ref().and_then(|c| c.source.clone()))
            .unwrap_or_else(|| DEFAULT_SOURCE.to_string());
        out.push(Planned {
            index: out.len() + 1,
            events: std::mem::take(current),
            event_id: id
                .map(str::to_string)
                .unwrap_or_else(|| uuid::Uuid::new_v4().to_string()),
            source,
        });
    };
    for i in 0..events.len() {
        let id = captured_id(i);
        let full = current_id.is_none() && current.len() >= batch;
        if !current.is_empty() && (id != current_id || full) {
            flush(&mut current, current_id, &mut out);
        }
        current_id = id;
        current.push(i);
    }
    flush(&mut current, current_id, &mut out);
    out
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Envelope<'a> {
    event_type: &'static str,
    event_type_version: &'static str,
    cloud_events_version: &'static str,
    source: &'a str,
    event_id: &'a str,
    event_time: &'a str,
    content_type: &'static str,
    data: Data<'a>,
}

#[derive(Serialize)]
struct Data<'a> {
    events: Vec<&'a RawValue>,
}

/// The delivery body for `planned`, stamped with `event_time`.
pub fn envelope(
    planned: &Planned,
    events: &[ReplayEvent],
    event_time: &str,
) -> Result<String, serde_json::Error> {
    let raws = planned
        .events
        .iter()
        .map(|&i| serde_json::from_str::<&RawValue>(&events[i].raw))
        .collect::<Result<Vec<_>, _>>()?;
    serde_json::to_string(&Envelope {
        event_type: "com.okta.event_hook",
        event_type_version: "1.0",
        cloud_events_version: "0.1",
        source: &planned.source,
        event_id: &planned.event_id,
        event_time,
        content_type: "application/json",
        data: Data { events: raws },
    })
}

/// Now, as Okta writes `eventTime`.
pub fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::replay::load::Captured;

    fn event(uuid: &str, delivery: Option<&str>) -> ReplayEvent {
        ReplayEvent {
            raw: format!("{{\"uuid\":\"{uuid}\",\n \"n\":1}}"),
            at: None,
            captured: delivery.map(|d| Captured {
                event_id: Some(d.into()),
                source: Some(format!("src-{d}")),
                ..Captured::default()
            }),
        }
    }

    #[test]
    fn batches_get_new_ids() {
        let events: Vec<_> = ["a", "b", "c"]
            .iter()
            .map(|u| event(u, Some("d1")))
            .collect();
        let got = plan(&events, 2, false, None);
        assert_eq!(
            got.iter().map(|p| p.events.clone()).collect::<Vec<_>>(),
            [vec![0, 1], vec![2]]
        );
        assert_ne!(got[0].event_id, got[1].event_id);
        assert!(uuid::Uuid::parse_str(&got[0].event_id).is_ok());
        assert_ne!(got[0].event_id, "d1");
        assert_eq!(got[0].source, "src-d1");
        assert_eq!(got[1].index, 2);
    }

    #[test]
    fn keep_ids_follows_the_captured_deliveries() {
        let events = vec![
            event("a", Some("d1")),
            event("b", Some("d1")),
            event("c", Some("d2")),
            event("x", None),
            event("y", None),
        ];
        let got = plan(&events, 1, true, Some("mine"));
        let shape: Vec<(Vec<usize>, bool)> = got
            .iter()
            .map(|p| {
                (
                    p.events.clone(),
                    ["d1", "d2"].contains(&p.event_id.as_str()),
                )
            })
            .collect();
        assert_eq!(
            shape,
            [
                (vec![0, 1], true),
                (vec![2], true),
                (vec![3], false),
                (vec![4], false)
            ]
        );
        assert_eq!(got[0].event_id, "d1");
        assert!(got.iter().all(|p| p.source == "mine"));
    }

    #[test]
    fn the_envelope_is_okta_shaped_with_events_unchanged() {
        let events = vec![event("a", None), event("b", None)];
        let planned = &plan(&events, 5, false, None)[0];
        let body = envelope(planned, &events, "2024-01-01T00:00:00.000Z").unwrap();
        assert!(body.contains("{\"uuid\":\"a\",\n \"n\":1}"), "{body}");
        let v: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(v["eventType"], "com.okta.event_hook");
        assert_eq!(v["eventTypeVersion"], "1.0");
        assert_eq!(v["cloudEventsVersion"], "0.1");
        assert_eq!(v["contentType"], "application/json");
        assert_eq!(v["source"], DEFAULT_SOURCE);
        assert_eq!(v["eventId"], planned.event_id.as_str());
        assert_eq!(v["eventTime"], "2024-01-01T00:00:00.000Z");
        assert_eq!(v["data"]["events"][1]["uuid"], "b");
    }
}

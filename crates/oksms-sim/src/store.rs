//! The org's events and how `/api/v1/logs` pages through them, without HTTP.
//!
//! Every event has two clocks (okta-facts §1): `published` (what the event
//! says) and the persistence time (when the org committed it). An event is
//! visible once its persistence time has passed on the org's clock. Polling
//! queries (no `until`, ascending) are bounded and ordered by persistence
//! time and always have a next position, also when the page is empty.
//! Bounded queries are bounded and ordered by `published` (ties by arrival
//! order) and have no next position after the last page. Positions are
//! `(time, seq)` keys held server-side behind opaque cursors (see
//! [`crate::server`]).

use crate::filter::{Filter, Keywords};
use serde_json::Value;
use std::sync::Arc;

/// A position in one of the two orders: `(time ms, seq)`.
pub type Key = (i64, u64);

/// One stored event.
#[derive(Debug, Clone)]
pub struct StoredEvent {
    pub published_ms: i64,
    pub persisted_ms: i64,
    pub seq: u64,
    pub event: Arc<Value>,
    /// The event serialized once, so serving a page is a concatenation.
    pub json: Arc<str>,
}

/// All events the org holds, indexed in both orders.
#[derive(Debug, Default)]
pub struct Store {
    events: Vec<StoredEvent>,
    by_published: Vec<usize>,
    by_persisted: Vec<usize>,
}

/// Which kind of query, decided from the request (okta-facts §1): endless
/// polling or a bounded export.
#[derive(Debug, Clone, PartialEq)]
pub enum QueryKind {
    /// No `until` and ascending: bounded and ordered by persistence time, endless.
    Polling,
    /// `until` given (or descending, with `until` = the time of the first request).
    Bounded { until_ms: i64, descending: bool },
}

/// A query pinned by its first request; later pages reuse it via the cursor
/// (the product's own query builder is `oksms::okta::query`).
#[derive(Debug, Clone)]
pub struct PinnedQuery {
    pub kind: QueryKind,
    pub since_ms: i64,
    pub filter: Option<Filter>,
    pub keywords: Keywords,
}

/// One page: the events and, when there is one, the position to continue from.
#[derive(Debug)]
pub struct Page {
    /// The page's events as JSON text.
    pub events: Vec<Arc<str>>,
    /// `Some(pos)` when the page gets a `next` link (`pos` `None` = from the start).
    pub next: Option<Option<Key>>,
}

impl Store {
    /// Adds an event; `seq` is its arrival number.
    pub fn push(&mut self, published_ms: i64, persisted_ms: i64, event: Value) {
        let seq = self.events.len() as u64;
        self.events.push(StoredEvent {
            published_ms,
            persisted_ms,
            seq,
            json: Arc::from(event.to_string()),
            event: Arc::new(event),
        });
    }

    /// Rebuilds the two orders; call after a batch of pushes.
    pub fn reindex(&mut self) {
        let ev = &self.events;
        let mut by_published: Vec<usize> = (0..ev.len()).collect();
        by_published.sort_by_key(|&i| (ev[i].published_ms, ev[i].seq));
        let mut by_persisted: Vec<usize> = (0..ev.len()).collect();
        by_persisted.sort_by_key(|&i| (ev[i].persisted_ms, ev[i].seq));
        self.by_published = by_published;
        self.by_persisted = by_persisted;
    }

    pub fn len(&self) -> usize {
        self.events.len()
    }

    pub fn is_empty(&self) -> bool {
        self.events.is_empty()
    }

    /// Every event, visible or not, in `published` order.
    pub fn truth(&self) -> Vec<Value> {
        self.by_published
            .iter()
            .map(|&i| (*self.events[i].event).clone())
            .collect()
    }

    /// The newest persistence time, if any.
    pub fn last_persisted_ms(&self) -> Option<i64> {
        self.by_persisted
            .last()
            .map(|&i| self.events[i].persisted_ms)
    }

    /// The last `n` visible matching events at or before the polling
    /// position `after`, oldest first: what a page-boundary duplicate
    /// repeats. Empty for bounded queries and first pages.
    pub fn polling_overlap(
        &self,
        query: &PinnedQuery,
        after: Option<Key>,
        n: usize,
        now_ms: i64,
    ) -> Vec<Arc<str>> {
        let (QueryKind::Polling, Some(after)) = (&query.kind, after) else {
            return Vec::new();
        };
        let key = |i: usize| (self.events[i].persisted_ms, self.events[i].seq);
        let end = self.by_persisted.partition_point(|&i| key(i) <= after);
        let mut out: Vec<Arc<str>> = self.by_persisted[..end]
            .iter()
            .rev()
            .map(|&i| &self.events[i])
            .filter(|e| {
                e.persisted_ms <= now_ms
                    && e.persisted_ms >= query.since_ms
                    && query.filter.as_ref().is_none_or(|f| f.matches(&e.event))
                    && query.keywords.matches(&e.event)
            })
            .take(n)
            .map(|e| e.json.clone())
            .collect();
        out.reverse();
        out
    }

    /// The page of at most `limit` events after `after`, as seen at `now_ms`.
    pub fn page(&self, query: &PinnedQuery, after: Option<Key>, limit: usize, now_ms: i64) -> Page {
        let matches = |e: &StoredEvent| {
            e.persisted_ms <= now_ms
                && query.filter.as_ref().is_none_or(|f| f.matches(&e.event))
                && query.keywords.matches(&e.event)
        };
        match query.kind {
            QueryKind::Polling => self.polling_page(query, after, limit, now_ms, &matches),
            QueryKind::Bounded {
                until_ms,
                descending,
            } => self.bounded_page(query, after, limit, until_ms, descending, &matches),
        }
    }

    /// A polling page: in persistence order from the cursor (or `since`),
    /// only what is persisted by `now_ms`; always has a `next` link.
    fn polling_page(
        &self,
        query: &PinnedQuery,
        after: Option<Key>,
        limit: usize,
        now_ms: i64,
        matches: &dyn Fn(&StoredEvent) -> bool,
    ) -> Page {
        let key = |i: usize| (self.events[i].persisted_ms, self.events[i].seq);
        let start = match after {
            Some(a) => self.by_persisted.partition_point(|&i| key(i) <= a),
            None => self
                .by_persisted
                .partition_point(|&i| self.events[i].persisted_ms < query.since_ms),
        };
        let mut out = Vec::new();
        let mut last = after;
        for &i in &self.by_persisted[start..] {
            let e = &self.events[i];
            if out.len() >= limit || e.persisted_ms > now_ms {
                break;
            }
            last = Some(key(i));
            if matches(e) {
                out.push(e.json.clone());
            }
        }
        Page {
            events: out,
            next: Some(last),
        }
    }

    /// A bounded page: in `published` order (either way) between `since`
    /// and `until`; has a `next` link only when more events follow.
    fn bounded_page(
        &self,
        query: &PinnedQuery,
        after: Option<Key>,
        limit: usize,
        until_ms: i64,
        descending: bool,
        matches: &dyn Fn(&StoredEvent) -> bool,
    ) -> Page {
        let key = |i: usize| (self.events[i].published_ms, self.events[i].seq);
        let in_range =
            |e: &StoredEvent| e.published_ms >= query.since_ms && e.published_ms < until_ms;
        let mut out = Vec::new();
        let mut last = after;
        let mut more = false;
        let mut take = |i: usize| -> bool {
            let e = &self.events[i];
            if !in_range(e) || !matches(e) {
                return true;
            }
            if out.len() >= limit {
                more = true;
                return false;
            }
            last = Some(key(i));
            out.push(e.json.clone());
            true
        };
        if descending {
            let end = match after {
                Some(a) => self.by_published.partition_point(|&i| key(i) < a),
                None => self
                    .by_published
                    .partition_point(|&i| self.events[i].published_ms < until_ms),
            };
            for &i in self.by_published[..end].iter().rev() {
                if !take(i) {
                    break;
                }
            }
        } else {
            let start = match after {
                Some(a) => self.by_published.partition_point(|&i| key(i) <= a),
                None => self
                    .by_published
                    .partition_point(|&i| self.events[i].published_ms < query.since_ms),
            };
            for &i in &self.by_published[start..] {
                if self.events[i].published_ms >= until_ms || !take(i) {
                    break;
                }
            }
        }
        Page {
            events: out,
            next: more.then_some(last),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// Five events; published 10..50, persisted out of order; id = "e<n>".
    fn store() -> Store {
        let mut s = Store::default();
        for (n, published, persisted) in [
            (1, 10, 15),
            (2, 20, 60),
            (3, 30, 31),
            (4, 40, 41),
            (5, 50, 1000),
        ] {
            s.push(
                published,
                persisted,
                json!({"uuid": format!("e{n}"), "n": n}),
            );
        }
        s.reindex();
        s
    }

    fn ids(p: &Page) -> Vec<String> {
        p.events
            .iter()
            .map(|e| {
                serde_json::from_str::<Value>(e).unwrap()["uuid"]
                    .as_str()
                    .unwrap()
                    .to_string()
            })
            .collect()
    }

    fn q(kind: QueryKind) -> PinnedQuery {
        PinnedQuery {
            kind,
            since_ms: 0,
            filter: None,
            keywords: Keywords::default(),
        }
    }

    #[test]
    fn polling_orders_by_persistence_hides_the_future_and_always_has_next() {
        let s = store();
        let query = q(QueryKind::Polling);
        let p1 = s.page(&query, None, 2, 100);
        assert_eq!(ids(&p1), ["e1", "e3"]);
        let p2 = s.page(&query, p1.next.unwrap(), 2, 100);
        assert_eq!(ids(&p2), ["e4", "e2"]);
        let p3 = s.page(&query, p2.next.unwrap(), 2, 100);
        assert!(p3.events.is_empty(), "e5 is not persisted yet");
        let pos = p3.next.unwrap();
        // The late event shows up on a later poll from the same position.
        let p4 = s.page(&query, pos, 2, 1000);
        assert_eq!(ids(&p4), ["e5"]);
        assert!(p4.next.is_some());
    }

    #[test]
    fn polling_overlap_repeats_the_previous_page_end() {
        let s = store();
        let query = q(QueryKind::Polling);
        let p1 = s.page(&query, None, 2, 100);
        assert!(s.polling_overlap(&query, None, 1, 100).is_empty());
        let again = s.polling_overlap(&query, p1.next.unwrap(), 1, 100);
        let ids: Vec<Value> = again
            .iter()
            .map(|e| serde_json::from_str::<Value>(e).unwrap()["uuid"].clone())
            .collect();
        assert_eq!(ids, [json!("e3")]);
        let bounded = q(QueryKind::Bounded {
            until_ms: 45,
            descending: false,
        });
        assert!(
            s.polling_overlap(&bounded, Some((31, 2)), 1, 100)
                .is_empty()
        );
    }

    #[test]
    fn bounded_orders_by_published_and_the_last_page_has_no_next() {
        let s = store();
        let query = q(QueryKind::Bounded {
            until_ms: 45,
            descending: false,
        });
        let p1 = s.page(&query, None, 2, 100);
        assert_eq!(ids(&p1), ["e1", "e2"]);
        let p2 = s.page(&query, p1.next.unwrap(), 2, 100);
        assert_eq!(ids(&p2), ["e3", "e4"]);
        assert!(p2.next.is_none(), "nothing left in range");
    }

    #[test]
    fn bounded_descending_and_since_bounds() {
        let s = store();
        let mut query = q(QueryKind::Bounded {
            until_ms: 100,
            descending: true,
        });
        query.since_ms = 20;
        let p1 = s.page(&query, None, 2, 100);
        // e5 is published at 50 but not persisted until 1000: missing, as Okta warns.
        assert_eq!(ids(&p1), ["e4", "e3"]);
        let p2 = s.page(&query, p1.next.unwrap(), 2, 100);
        assert_eq!(ids(&p2), ["e2"]);
        assert!(p2.next.is_none());
    }

    #[test]
    fn filters_apply_and_truth_is_in_published_order() {
        let s = store();
        let mut query = q(QueryKind::Polling);
        query.filter = Some(Filter::parse(r#"uuid eq "e4""#).unwrap());
        let p = s.page(&query, None, 10, 100);
        assert_eq!(ids(&p), ["e4"]);
        let truth: Vec<_> = s.truth().iter().map(|e| e["n"].as_i64().unwrap()).collect();
        assert_eq!(truth, [1, 2, 3, 4, 5]);
    }
}

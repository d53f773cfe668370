//! Sliding windows over `published` time for one group of one rule.
//!
//! The window holds the group's recent events sorted by time, so input may
//! arrive out of order. On each arrival the busiest window that contains the
//! new event is found (windows start at an event, so checking those that
//! start within one window length before it is exhaustive). Events are
//! dropped once they fall more than two window lengths behind the group's
//! newest event (oldest, for input that runs newest first), which keeps
//! memory to the events inside a window while still counting a group's
//! stragglers up to one window late exactly. Groups that go quiet are
//! trimmed against the whole input's frontier instead.

use std::collections::{HashMap, VecDeque};

/// One event held in a window.
#[derive(Debug, Clone)]
pub struct Held {
    pub time: i64,
    /// Hash of the counted value (distinct measures), else 0.
    pub value: u64,
    pub id: Box<str>,
}

/// The busiest window found: its figure and its first and last events.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Burst {
    pub figure: u64,
    pub first: (i64, Box<str>),
    pub last: (i64, Box<str>),
}

/// Which way the input runs, learned from consecutive timestamps: Okta
/// exports come oldest first (`ASCENDING`) or newest first (`DESCENDING`).
#[derive(Debug, Clone, Copy, Default)]
pub struct Frontier {
    previous: Option<i64>,
    forward: u64,
    backward: u64,
    newest: Option<i64>,
    oldest: Option<i64>,
}

impl Frontier {
    pub fn observe(&mut self, time: i64) {
        if let Some(prev) = self.previous {
            if time >= prev {
                self.forward += 1;
            } else {
                self.backward += 1;
            }
        }
        self.previous = Some(time);
        self.newest = Some(self.newest.map_or(time, |n| n.max(time)));
        self.oldest = Some(self.oldest.map_or(time, |o| o.min(time)));
    }

    fn descending(&self) -> bool {
        self.backward > self.forward
    }
}

/// The events of one group inside a rule's reach.
#[derive(Debug, Default)]
pub struct Window {
    held: VecDeque<Held>,
    /// The group's own frontier: every event it has seen.
    seen: Frontier,
}

impl Window {
    /// Adds an event and returns the busiest window containing it.
    /// `distinct` counts distinct values instead of events.
    pub fn add(
        &mut self,
        event: Held,
        length: i64,
        distinct: bool,
        scratch: &mut HashMap<u64, u32>,
    ) -> Burst {
        self.seen.observe(event.time);
        let at = self.held.partition_point(|e| e.time <= event.time);
        self.held.insert(at, event);
        let held = self.held.make_contiguous();
        best_window(held, at, length, distinct, scratch)
    }

    /// Drops what the group's own frontier has left behind (more than two
    /// lengths); which way the input runs comes from `input`.
    pub fn prune(&mut self, input: &Frontier, length: i64) {
        let own = Frontier {
            forward: input.forward,
            backward: input.backward,
            ..self.seen
        };
        self.prune_against(&own, length);
    }

    /// Drops what the whole input's frontier has left behind.
    pub fn prune_against(&mut self, frontier: &Frontier, length: i64) {
        let reach = length.saturating_mul(2);
        if frontier.descending() {
            if let Some(oldest) = frontier.oldest {
                while self
                    .held
                    .back()
                    .is_some_and(|e| e.time > oldest.saturating_add(reach))
                {
                    self.held.pop_back();
                }
            }
        } else if let Some(newest) = frontier.newest {
            while self
                .held
                .front()
                .is_some_and(|e| e.time < newest.saturating_sub(reach))
            {
                self.held.pop_front();
            }
        }
        if self.held.is_empty() {
            self.held = VecDeque::new();
        }
    }

    pub fn len(&self) -> usize {
        self.held.len()
    }

    pub fn is_empty(&self) -> bool {
        self.held.is_empty()
    }
}

/// The busiest window `[s, s + length]` containing `held[at]`, where `held`
/// is sorted by time.
fn best_window(
    held: &[Held],
    at: usize,
    length: i64,
    distinct: bool,
    scratch: &mut HashMap<u64, u32>,
) -> Burst {
    let t = held[at].time;
    let lo = held.partition_point(|e| e.time < t.saturating_sub(length));
    let hi = held.partition_point(|e| e.time <= t.saturating_add(length));
    let burst = |figure: usize, i: usize, j: usize| Burst {
        figure: figure as u64,
        first: (held[i].time, held[i].id.clone()),
        last: (held[j].time, held[j].id.clone()),
    };
    if !distinct {
        // In-order input (newest last, or newest first): one range count.
        if at + 1 == held.len() {
            return burst(at - lo + 1, lo, at);
        }
        if at == 0 {
            return burst(hi, 0, hi - 1);
        }
    }
    scratch.clear();
    let mut best = (0usize, at, at);
    let mut j = lo;
    for i in lo..=at {
        if i > lo && distinct {
            let gone = held[i - 1].value;
            if let Some(n) = scratch.get_mut(&gone) {
                *n -= 1;
                if *n == 0 {
                    scratch.remove(&gone);
                }
            }
        }
        let end = held[i].time.saturating_add(length);
        while j < hi && held[j].time <= end {
            if distinct {
                *scratch.entry(held[j].value).or_insert(0) += 1;
            }
            j += 1;
        }
        if i > lo && held[i].time == held[i - 1].time {
            continue;
        }
        let figure = if distinct { scratch.len() } else { j - i };
        if figure > best.0 {
            best = (figure, i, j - 1);
        }
    }
    burst(best.0, best.1, best.2)
}

#[cfg(test)]
mod tests {
    use super::*;

    const MIN: i64 = 60_000;

    fn add_all(times: &[(i64, u64)], length: i64, distinct: bool) -> u64 {
        let mut w = Window::default();
        let mut scratch = HashMap::new();
        let mut peak = 0;
        for (n, (t, v)) in times.iter().enumerate() {
            let held = Held {
                time: *t,
                value: *v,
                id: format!("e{n}").into(),
            };
            peak = peak.max(w.add(held, length, distinct, &mut scratch).figure);
        }
        peak
    }

    #[test]
    fn a_burst_straddling_an_hour_boundary_is_one_window() {
        // 10:40 .. 11:20, six sends in 40 minutes.
        let burst: Vec<(i64, u64)> = [40, 48, 56, 64, 72, 80]
            .iter()
            .map(|m| (m * MIN, 0))
            .collect();
        assert_eq!(add_all(&burst, 60 * MIN, false), 6);
    }

    #[test]
    fn order_does_not_matter() {
        let times = [0, 10, 20, 30, 40, 200, 210];
        let orders: [[usize; 7]; 4] = [
            [0, 1, 2, 3, 4, 5, 6],
            [6, 5, 4, 3, 2, 1, 0],
            [2, 0, 4, 1, 3, 6, 5],
            [4, 0, 3, 1, 2, 5, 6],
        ];
        for order in orders {
            let seq: Vec<(i64, u64)> = order.iter().map(|&i| (times[i] * MIN, 0)).collect();
            assert_eq!(add_all(&seq, 60 * MIN, false), 5, "{order:?}");
        }
    }

    #[test]
    fn distinct_values_are_counted_once() {
        let seq = [(0, 1), (MIN, 1), (2 * MIN, 2), (3 * MIN, 1), (90 * MIN, 3)];
        assert_eq!(add_all(&seq, 60 * MIN, true), 2);
        assert_eq!(add_all(&seq, 120 * MIN, true), 3);
    }

    #[test]
    fn windows_are_inclusive_and_exact() {
        let seq = [(0, 0), (60 * MIN, 0), (60 * MIN + 1, 0)];
        assert_eq!(add_all(&seq, 60 * MIN, false), 2);
    }

    #[test]
    fn pruning_follows_the_frontier_in_either_direction() {
        let mut scratch = HashMap::new();
        let mut frontier = Frontier::default();
        let mut w = Window::default();
        for m in 0..100 {
            let t = m * 10 * MIN;
            frontier.observe(t);
            let held = Held {
                time: t,
                value: 0,
                id: "x".into(),
            };
            w.add(held, 60 * MIN, false, &mut scratch);
            w.prune(&frontier, 60 * MIN);
        }
        assert_eq!(w.len(), 13, "two hours of events at 10-minute steps");
        let mut frontier = Frontier::default();
        let mut w = Window::default();
        for m in (0..100).rev() {
            let t = m * 10 * MIN;
            frontier.observe(t);
            let held = Held {
                time: t,
                value: 0,
                id: "x".into(),
            };
            w.add(held, 60 * MIN, false, &mut scratch);
            w.prune(&frontier, 60 * MIN);
        }
        assert_eq!(w.len(), 13);
    }

    #[test]
    fn a_group_keeps_its_events_while_other_groups_run_ahead() {
        let mut scratch = HashMap::new();
        let mut input = Frontier::default();
        let mut w = Window::default();
        // Other groups' events have moved the input to 15:30 already.
        input.observe(930 * MIN);
        let mut peak = 0;
        for m in [612, 604, 596, 588, 580, 620] {
            input.observe(m * MIN);
            let held = Held {
                time: m * MIN,
                value: 0,
                id: "x".into(),
            };
            peak = peak.max(w.add(held, 60 * MIN, false, &mut scratch).figure);
            w.prune(&input, 60 * MIN);
        }
        assert_eq!(peak, 6);
        assert_eq!(w.len(), 6);
    }

    #[test]
    fn the_burst_names_its_first_and_last_events() {
        let mut w = Window::default();
        let mut scratch = HashMap::new();
        let mut last = None;
        for (id, m) in [("b", 20), ("a", 10), ("c", 30)] {
            let held = Held {
                time: m * MIN,
                value: 0,
                id: id.into(),
            };
            last = Some(w.add(held, 60 * MIN, false, &mut scratch));
        }
        let last = last.unwrap();
        assert_eq!((&*last.first.1, &*last.last.1, last.figure), ("a", "c", 3));
    }
}

//! Alert rules: the `--alert` grammar ([`grammar`]), sliding windows
//! ([`window`]) and the engine that feeds every record to every rule and
//! keeps, per rule and group, only what the rule needs: counters and a set
//! of distinct values for whole-run rules, the events inside the window for
//! windowed ones.
//!
//! A rule fires at most once per group; its finding carries the figure (the
//! peak, for windows), and the first and last event of the evidence.
//! Events whose group key is unknown (no phone number, no user) are left
//! out of rules that group by that key; windowed rules skip events without a
//! valid `published` time. Windows count a group's events exactly when they
//! arrive at most one window length out of order among themselves; every
//! 65,536 events, groups left more than two window lengths behind the
//! input's frontier are trimmed.

pub mod grammar;
pub mod window;

use super::keys::{Facts, Key};
use grammar::{Measure, Rule, RuleKind};
use std::collections::{HashMap, HashSet};
use window::{Burst, Frontier, Held, Window};

pub use grammar::{RuleError, parse};

/// What a fired rule found in one group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// The rule as written (whitespace normalised).
    pub rule: String,
    /// What the group is keyed by (`None`: the whole input).
    pub key: Option<Key>,
    /// The group's value (unmasked; the reporter masks it).
    pub group: String,
    /// The measured figure (sends, distinct users, ...).
    pub figure: u64,
    /// What the figure counts: `sends`, `denied`, `users`, ...
    pub measure: &'static str,
    pub first_event_id: Option<String>,
    pub last_event_id: Option<String>,
    /// Milliseconds since the epoch of the first and last evidence events.
    pub first_time: Option<i64>,
    pub last_time: Option<i64>,
}

/// The earliest and latest events seen (by `published`; arrival order
/// decides among events without a time).
#[derive(Debug, Clone, Default)]
struct Span {
    first: Option<(Option<i64>, Box<str>)>,
    last: Option<(Option<i64>, Box<str>)>,
}

impl Span {
    fn add(&mut self, time: Option<i64>, id: &str) {
        let earlier = match (&self.first, time) {
            (None, _) => true,
            (Some((None, _)), Some(_)) => true,
            (Some((Some(f), _)), Some(t)) => t < *f,
            _ => false,
        };
        if earlier {
            self.first = Some((time, id.into()));
        }
        let later = match (&self.last, time) {
            (None, _) => true,
            (Some((None, _)), Some(_)) => true,
            (Some((Some(l), _)), Some(t)) => t >= *l,
            _ => false,
        };
        if later {
            self.last = Some((time, id.into()));
        }
    }
}

/// Per-group state of one rule.
#[derive(Debug)]
enum GroupState {
    Total {
        count: u64,
        distinct: HashSet<u64>,
        span: Span,
    },
    Windowed {
        window: Window,
        peak: Option<Burst>,
    },
}

#[derive(Debug)]
struct RuleState {
    rule: Rule,
    groups: HashMap<String, GroupState>,
    /// Groups in which the rule fired, in firing order, and whether reported.
    fired: Vec<(String, bool)>,
    fired_set: HashSet<String>,
}

/// Runs every rule over the records.
#[derive(Debug, Default)]
pub struct Engine {
    rules: Vec<RuleState>,
    frontier: Frontier,
    scratch: HashMap<u64, u32>,
    seen: u64,
    /// Events left out of windowed rules for want of a `published` time.
    pub untimed: u64,
    /// The values each `new KEY` rule's key had in the `--baseline` events.
    baseline: HashMap<Key, HashSet<String>>,
}

/// Counts one event in `group`'s running total (rules without a window:
/// `new KEY`, membership); returns the group.
fn count_in_total(
    groups: &mut HashMap<String, GroupState>,
    group: String,
    time: Option<i64>,
    id: &str,
) -> String {
    let entry = groups.entry(group.clone()).or_insert(GroupState::Total {
        count: 0,
        distinct: HashSet::new(),
        span: Span::default(),
    });
    if let GroupState::Total { count, span, .. } = entry {
        *count += 1;
        span.add(time, id);
    }
    group
}

/// How often (in events) windows of quiet groups are pruned.
const PRUNE_EVERY: u64 = 1 << 16;

/// The record one rule looks at: its facts and its event id (`-` without).
struct Event<'e, 'f> {
    facts: &'e Facts<'f>,
    id: &'e str,
}

/// What one rule made of one record.
enum Step {
    /// Nothing to report (the record is not the rule's, or under it).
    Quiet,
    /// The rule holds for this group.
    Fired(String),
    /// A windowed rule had to skip a record without `published`.
    Untimed,
}

impl Step {
    fn fired_if(holds: bool, group: String) -> Step {
        if holds {
            Step::Fired(group)
        } else {
            Step::Quiet
        }
    }
}

/// A threshold rule's parts, copied out of [`RuleKind::Threshold`].
struct ThresholdRule {
    measure: Measure,
    per: Option<Key>,
    op: grammar::Op,
    threshold: u64,
    within: Option<i64>,
}

/// What the sliding windows share across rules: the input's time frontier
/// and a scratch map for distinct counts.
struct Windows<'a> {
    frontier: &'a Frontier,
    scratch: &'a mut HashMap<u64, u32>,
}

impl RuleState {
    /// Remembers that the rule fired for `group` (once per group).
    fn mark_fired(&mut self, group: String) {
        if !self.fired_set.contains(&group) {
            self.fired_set.insert(group.clone());
            self.fired.push((group, false));
        }
    }
}

/// `new KEY`: fires for a value the baseline never had.
fn observe_new(
    groups: &mut HashMap<String, GroupState>,
    baseline: &HashMap<Key, HashSet<String>>,
    key: Key,
    event: &Event<'_, '_>,
) -> Step {
    let Some(value) = event.facts.get(key) else {
        return Step::Quiet;
    };
    if baseline
        .get(&key)
        .is_some_and(|seen| seen.contains(value.as_ref()))
    {
        return Step::Quiet;
    }
    Step::Fired(count_in_total(
        groups,
        value.into_owned(),
        event.facts.time,
        event.id,
    ))
}

/// `KEY in A,B` / `KEY not in A,B` (case-insensitive).
fn observe_membership(
    groups: &mut HashMap<String, GroupState>,
    key: Key,
    negated: bool,
    values: &[String],
    event: &Event<'_, '_>,
) -> Step {
    let Some(value) = event.facts.get(key) else {
        return Step::Quiet;
    };
    let listed = values.iter().any(|v| v.eq_ignore_ascii_case(&value));
    if listed == negated {
        return Step::Quiet;
    }
    Step::Fired(count_in_total(
        groups,
        value.into_owned(),
        event.facts.time,
        event.id,
    ))
}

/// `MEASURE[-per-KEY] > N [within D]`: the group's figure, over the whole
/// input or a sliding window, compared with the threshold.
fn observe_threshold(
    groups: &mut HashMap<String, GroupState>,
    rule: &ThresholdRule,
    event: &Event<'_, '_>,
    windows: &mut Windows<'_>,
) -> Step {
    let facts = event.facts;
    let group = match rule.per {
        Some(key) => match facts.get(key) {
            Some(v) => v,
            None => return Step::Quiet,
        },
        None => "all".into(),
    };
    // The value a distinct count counts (its hash); 0 for plain counts.
    let value = match rule.measure {
        Measure::Sends => 0,
        Measure::Denied if facts.denied() => 0,
        Measure::Denied => return Step::Quiet,
        Measure::Distinct(k) => match facts.hash_of(k) {
            Some(h) => h,
            None => return Step::Quiet,
        },
    };
    let distinct = matches!(rule.measure, Measure::Distinct(_));
    let figure = match rule.within {
        None => total_figure(groups, &group, value, distinct, event),
        Some(length) => {
            let Some(time) = facts.time else {
                return Step::Untimed;
            };
            let held = Held {
                time,
                value,
                id: event.id.into(),
            };
            window_figure(groups, &group, held, length, distinct, rule, windows)
        }
    };
    match figure {
        Some(figure) => Step::fired_if(rule.op.holds(figure, rule.threshold), group.into_owned()),
        None => Step::Quiet,
    }
}

/// The group's running total (or distinct count) over the whole input,
/// after adding this record; `None` if the group holds another kind of
/// state (never for a well-formed engine).
fn total_figure(
    groups: &mut HashMap<String, GroupState>,
    group: &str,
    value: u64,
    distinct: bool,
    event: &Event<'_, '_>,
) -> Option<u64> {
    let entry = match groups.get_mut(group) {
        Some(e) => e,
        None => groups
            .entry(group.to_string())
            .or_insert(GroupState::Total {
                count: 0,
                distinct: HashSet::new(),
                span: Span::default(),
            }),
    };
    let GroupState::Total {
        count,
        distinct: set,
        span,
    } = entry
    else {
        return None;
    };
    *count += 1;
    if distinct {
        set.insert(value);
    }
    span.add(event.facts.time, event.id);
    Some(if distinct { set.len() as u64 } else { *count })
}

/// The group's figure in the sliding window of `length` ms ending at this
/// record, keeping the window's peak burst while the rule holds.
fn window_figure(
    groups: &mut HashMap<String, GroupState>,
    group: &str,
    held: Held,
    length: i64,
    distinct: bool,
    rule: &ThresholdRule,
    windows: &mut Windows<'_>,
) -> Option<u64> {
    let entry = match groups.get_mut(group) {
        Some(e) => e,
        None => groups
            .entry(group.to_string())
            .or_insert(GroupState::Windowed {
                window: Window::default(),
                peak: None,
            }),
    };
    let GroupState::Windowed { window, peak } = entry else {
        return None;
    };
    let burst = window.add(held, length, distinct, windows.scratch);
    window.prune(windows.frontier, length);
    let figure = burst.figure;
    if rule.op.holds(figure, rule.threshold) && peak.as_ref().is_none_or(|p| figure > p.figure) {
        *peak = Some(burst);
    }
    Some(figure)
}

impl Engine {
    pub fn new(rules: Vec<Rule>) -> Self {
        Engine {
            rules: rules
                .into_iter()
                .map(|rule| RuleState {
                    rule,
                    groups: HashMap::new(),
                    fired: Vec::new(),
                    fired_set: HashSet::new(),
                })
                .collect(),
            ..Engine::default()
        }
    }

    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    /// The keys `new KEY` rules compare with a baseline.
    pub fn baseline_keys(&self) -> Vec<Key> {
        let mut keys = Vec::new();
        for state in &self.rules {
            if let RuleKind::New { key } = state.rule.kind
                && !keys.contains(&key)
            {
                keys.push(key);
            }
        }
        keys
    }

    /// Records one baseline event's values for the `new KEY` rules (the
    /// baseline is read before the input). Memory: one entry per distinct
    /// value.
    pub fn learn(&mut self, facts: &Facts<'_>) {
        for key in self.baseline_keys() {
            if let Some(value) = facts.get(key) {
                let seen = self.baseline.entry(key).or_default();
                if !seen.contains(value.as_ref()) {
                    seen.insert(value.into_owned());
                }
            }
        }
    }

    /// Distinct baseline values learned for `key`.
    pub fn baseline_len(&self, key: Key) -> usize {
        self.baseline.get(&key).map_or(0, HashSet::len)
    }

    /// Feeds one record to every rule.
    pub fn observe(&mut self, facts: &Facts<'_>) {
        if self.rules.is_empty() {
            return;
        }
        if let Some(t) = facts.time {
            self.frontier.observe(t);
        }
        let event = Event {
            facts,
            id: facts.event_id.unwrap_or("-"),
        };
        let mut untimed = false;
        for state in &mut self.rules {
            let groups = &mut state.groups;
            let step = match &state.rule.kind {
                RuleKind::New { key } => observe_new(groups, &self.baseline, *key, &event),
                RuleKind::Membership {
                    key,
                    negated,
                    values,
                } => observe_membership(groups, *key, *negated, values, &event),
                RuleKind::Threshold {
                    measure,
                    per,
                    op,
                    threshold,
                    within,
                } => {
                    let rule = ThresholdRule {
                        measure: *measure,
                        per: *per,
                        op: *op,
                        threshold: *threshold,
                        within: *within,
                    };
                    let mut windows = Windows {
                        frontier: &self.frontier,
                        scratch: &mut self.scratch,
                    };
                    observe_threshold(groups, &rule, &event, &mut windows)
                }
            };
            match step {
                Step::Fired(group) => state.mark_fired(group),
                Step::Untimed => untimed = true,
                Step::Quiet => {}
            }
        }
        if untimed {
            self.untimed += 1;
        }
        self.seen += 1;
        if self.seen.is_multiple_of(PRUNE_EVERY) {
            self.prune_all();
        }
    }

    /// Drops events the frontier has left behind in every group's window.
    fn prune_all(&mut self) {
        for state in &mut self.rules {
            if let RuleKind::Threshold {
                within: Some(length),
                ..
            } = state.rule.kind
            {
                for group in state.groups.values_mut() {
                    if let GroupState::Windowed { window, .. } = group {
                        window.prune_against(&self.frontier, length);
                    }
                }
            }
        }
    }

    /// Events held in windows right now (for tests and `--verbose`).
    pub fn held_events(&self) -> usize {
        self.rules
            .iter()
            .flat_map(|s| s.groups.values())
            .map(|g| match g {
                GroupState::Windowed { window, .. } => window.len(),
                GroupState::Total { .. } => 0,
            })
            .sum()
    }

    /// How many (rule, group) pairs fired so far.
    pub fn fired(&self) -> usize {
        self.rules.iter().map(|s| s.fired.len()).sum()
    }

    /// The findings not yet reported, with their figures as they stand now;
    /// each is returned once.
    pub fn take_new_findings(&mut self) -> Vec<Finding> {
        let mut out = Vec::new();
        for state in &mut self.rules {
            let (measure, key) = match &state.rule.kind {
                RuleKind::Threshold { measure, per, .. } => (*measure, *per),
                RuleKind::Membership { key, .. } | RuleKind::New { key } => {
                    (Measure::Sends, Some(*key))
                }
            };
            for (group, reported) in &mut state.fired {
                if *reported {
                    continue;
                }
                *reported = true;
                let Some(group_state) = state.groups.get(group) else {
                    continue;
                };
                let mut finding = Finding {
                    rule: state.rule.text.clone(),
                    key,
                    group: group.clone(),
                    figure: 0,
                    measure: measure.name(),
                    first_event_id: None,
                    last_event_id: None,
                    first_time: None,
                    last_time: None,
                };
                match group_state {
                    GroupState::Total {
                        count,
                        distinct,
                        span,
                    } => {
                        finding.figure = match measure {
                            Measure::Sends | Measure::Denied => *count,
                            Measure::Distinct(_) => distinct.len() as u64,
                        };
                        if let Some((t, id)) = &span.first {
                            finding.first_time = *t;
                            finding.first_event_id = Some(id.to_string());
                        }
                        if let Some((t, id)) = &span.last {
                            finding.last_time = *t;
                            finding.last_event_id = Some(id.to_string());
                        }
                    }
                    GroupState::Windowed { peak, .. } => {
                        let Some(peak) = peak else { continue };
                        finding.figure = peak.figure;
                        finding.first_time = Some(peak.first.0);
                        finding.first_event_id = Some(peak.first.1.to_string());
                        finding.last_time = Some(peak.last.0);
                        finding.last_event_id = Some(peak.last.1.to_string());
                    }
                }
                out.push(finding);
            }
        }
        out
    }
}

/// Parses every `--alert` value.
pub fn parse_all(texts: &[String]) -> Result<Vec<Rule>, RuleError> {
    texts.iter().map(|t| parse(t)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::Record;

    fn event(id: &str, minute: i64, phone: &str, user: &str, outcome: &str) -> String {
        let t = chrono::DateTime::from_timestamp(1_714_557_600 + minute * 60, 0)
            .unwrap()
            .to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
        format!(
            r#"{{"uuid":"{id}","published":"{t}","outcome":{{"result":"{outcome}"}},
                "target":[{{"type":"User","alternateId":"{user}"}},{{"type":"MobilePhone","alternateId":"{phone}"}}]}}"#
        )
    }

    fn run(rules: &[&str], events: &[String]) -> Vec<Finding> {
        let rules = rules.iter().map(|r| parse(r).unwrap()).collect();
        let mut engine = Engine::new(rules);
        for json in events {
            let record = Record::from_event(json, serde_json::from_str(json).unwrap(), None);
            engine.observe(&Facts::of(&record));
        }
        engine.take_new_findings()
    }

    #[test]
    fn users_per_phone_fires_only_for_the_shared_phone() {
        let events = [
            event("e1", 0, "+15550000001", "a@x", "SUCCESS"),
            event("e2", 5, "+15550000001", "b@x", "SUCCESS"),
            event("e3", 9, "+15550000002", "c@x", "SUCCESS"),
            event("e4", 9, "+15550000002", "c@x", "SUCCESS"),
        ];
        let found = run(&["users-per-phone > 1"], &events);
        assert_eq!(found.len(), 1, "{found:?}");
        let f = &found[0];
        assert_eq!(
            (f.group.as_str(), f.figure, f.measure, f.key),
            ("+15550000001", 2, "users", Some(Key::Phone))
        );
        assert_eq!(f.first_event_id.as_deref(), Some("e1"));
        assert_eq!(f.last_event_id.as_deref(), Some("e2"));
    }

    #[test]
    fn windowed_rule_reports_the_peak_once() {
        let mut events: Vec<String> = (0..8)
            .map(|i| {
                event(
                    &format!("e{i}"),
                    50 + i * 5,
                    "+15550000001",
                    "a@x",
                    "SUCCESS",
                )
            })
            .collect();
        events.reverse();
        let found = run(&["sends-per-phone > 5 within 1h"], &events);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].figure, 8);
        assert_eq!(found[0].first_event_id.as_deref(), Some("e0"));
        assert_eq!(found[0].last_event_id.as_deref(), Some("e7"));
        let spread: Vec<String> = (0..8)
            .map(|i| event(&format!("e{i}"), i * 20, "+15550000001", "a@x", "SUCCESS"))
            .collect();
        assert!(run(&["sends-per-phone > 5 within 1h"], &spread).is_empty());
        assert_eq!(run(&["sends-per-phone > 5"], &spread).len(), 1);
    }

    #[test]
    fn denied_and_membership_rules() {
        let events = [
            event("e1", 0, "+15550000001", "a@x", "SUCCESS"),
            event("e2", 1, "+5355512345", "a@x", "DENY"),
            event("e3", 2, "+5355512346", "b@x", "SUCCESS"),
        ];
        let found = run(&["denied > 0", "country not in 1,44,49"], &events);
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!(
            (found[0].key, found[0].group.as_str(), found[0].figure),
            (None, "all", 1)
        );
        assert_eq!(found[0].first_event_id.as_deref(), Some("e2"));
        assert_eq!(
            (found[1].key, found[1].group.as_str(), found[1].figure),
            (Some(Key::Country), "53", 2)
        );
        assert!(run(&["country in 44"], &events).is_empty());
    }

    #[test]
    fn consecutive_numbers_fire_the_prefix_rule_and_scattered_ones_do_not() {
        // Made-up Jamaican numbers: +1 876 555 0100..0107 within 14 minutes.
        let run_of: Vec<String> = (0..8)
            .map(|i| {
                event(
                    &format!("r{i}"),
                    i * 2,
                    &format!("+1876555010{i}"),
                    "a@x",
                    "SUCCESS",
                )
            })
            .collect();
        let rule = "phones-per-prefix > 5 within 1h";
        let found = run(&[rule], &run_of);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(
            (found[0].key, found[0].group.as_str(), found[0].figure),
            (Some(Key::Prefix), "+187655501", 8)
        );
        assert_eq!(found[0].first_event_id.as_deref(), Some("r0"));
        assert_eq!(found[0].last_event_id.as_deref(), Some("r7"));
        // Eight numbers as far apart as numbers go: no range has six.
        let scattered: Vec<String> = (0..8)
            .map(|i| {
                event(
                    &format!("s{i}"),
                    i * 2,
                    &format!("+1876555{i}1{i}3"),
                    "a@x",
                    "SUCCESS",
                )
            })
            .collect();
        assert!(run(&[rule], &scattered).is_empty());
    }

    #[test]
    fn region_line_type_and_validity_rules() {
        let events = [
            event("us", 0, "+12125550123", "a@x", "SUCCESS"),
            event("jm", 1, "+18765550123", "a@x", "SUCCESS"),
            event("do", 2, "+18095550123", "b@x", "SUCCESS"),
            event("prs", 3, "+449098790123", "c@x", "SUCCESS"),
            event("bad", 4, "+15555550123", "d@x", "SUCCESS"),
        ];
        let found = run(&["region not in US,CA,GB"], &events);
        let groups: Vec<&str> = found.iter().map(|f| f.group.as_str()).collect();
        assert_eq!(groups, ["JM", "DO"]);
        let found = run(
            &["line_type in premium_rate,toll_free,shared_cost"],
            &events,
        );
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].first_event_id.as_deref(), Some("prs"));
        let found = run(&["valid = false"], &events);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].first_event_id.as_deref(), Some("bad"));
        assert_eq!(run(&["regions > 3"], &events)[0].figure, 4);
    }

    #[test]
    fn new_region_fires_only_for_regions_the_baseline_never_saw() {
        let rules = vec![parse("new region").unwrap(), parse("new prefix").unwrap()];
        let mut engine = Engine::new(rules);
        assert_eq!(engine.baseline_keys(), [Key::Region, Key::Prefix]);
        for (i, phone) in ["+12125550123", "+442079460123", "+18765550123"]
            .iter()
            .enumerate()
        {
            let json = event(&format!("b{i}"), 0, phone, "a@x", "SUCCESS");
            let record = Record::from_event(&json, serde_json::from_str(&json).unwrap(), None);
            engine.learn(&Facts::of(&record));
        }
        assert_eq!(engine.baseline_len(Key::Region), 3);
        for (i, phone) in [
            "+12125550177",
            "+18765550124",
            "+18095550123",
            "+9607712345",
        ]
        .iter()
        .enumerate()
        {
            let json = event(&format!("e{i}"), 60, phone, "a@x", "SUCCESS");
            let record = Record::from_event(&json, serde_json::from_str(&json).unwrap(), None);
            engine.observe(&Facts::of(&record));
        }
        let found: Vec<(String, String)> = engine
            .take_new_findings()
            .into_iter()
            .map(|f| (f.rule, f.group))
            .collect();
        let pairs = |v: &[(&str, &str)]| {
            v.iter()
                .map(|(a, b)| (a.to_string(), b.to_string()))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            found,
            pairs(&[
                ("new region", "DO"),
                ("new region", "MV"),
                ("new prefix", "+180955501"),
                ("new prefix", "+96077123"),
            ])
        );
    }

    #[test]
    fn findings_are_taken_once() {
        let rules = vec![parse("sends > 0").unwrap()];
        let mut engine = Engine::new(rules);
        let json = event("e1", 0, "+1555", "a", "SUCCESS");
        let record = Record::from_event(&json, serde_json::from_str(&json).unwrap(), None);
        engine.observe(&Facts::of(&record));
        assert_eq!(engine.take_new_findings().len(), 1);
        engine.observe(&Facts::of(&record));
        assert!(engine.take_new_findings().is_empty());
        assert_eq!(engine.fired(), 1);
    }
}

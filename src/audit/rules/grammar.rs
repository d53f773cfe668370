//! The `--alert` rule grammar, parsed with errors that name the column of
//! the problem:
//!
//! ```text
//! rule       = threshold | membership | novelty
//! threshold  = measure [ "-per-" key ] ( ">" | ">=" ) integer [ "within" duration ]
//! measure    = sends | denied | users | phones | actors | ips | countries | providers
//!            | regions | prefixes
//! key        = phone | user | actor | country | ip | provider | outcome
//!            | region | line_type | prefix | valid
//! duration   = ( integer ( "s" | "m" | "h" | "d" ) )+       e.g. 30m, 1h30m, 24h, 7d
//! membership = key ( [ "not" ] "in" | "=" | "!=" ) value { "," value }
//! novelty    = "new" key          needs --baseline: values the baseline never had
//! ```
//!
//! `key = v` means `key in v` and `key != v` means `key not in v`. Values of
//! `region` (two letters), `line_type` (a libphonenumber line type) and
//! `valid` (`true`/`false`) are checked when the rule is parsed.
//!
//! `sends` counts events and `denied` counts DENY outcomes; the plural keys
//! count distinct values. Without `-per-` the whole input is one group.

use crate::audit::keys::Key;
use crate::phone;
use crate::phone_meta::LineType;
use std::fmt;

/// What a threshold rule measures in each group.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Measure {
    /// Every event.
    Sends,
    /// Events with a DENY outcome.
    Denied,
    /// Distinct values of a key.
    Distinct(Key),
}

impl Measure {
    const NAMES: [(&'static str, Measure); 10] = [
        ("sends", Measure::Sends),
        ("denied", Measure::Denied),
        ("users", Measure::Distinct(Key::User)),
        ("phones", Measure::Distinct(Key::Phone)),
        ("actors", Measure::Distinct(Key::Actor)),
        ("ips", Measure::Distinct(Key::Ip)),
        ("countries", Measure::Distinct(Key::Country)),
        ("providers", Measure::Distinct(Key::Provider)),
        ("regions", Measure::Distinct(Key::Region)),
        ("prefixes", Measure::Distinct(Key::Prefix)),
    ];

    pub fn name(self) -> &'static str {
        Self::NAMES
            .iter()
            .find(|(_, m)| *m == self)
            .map(|(n, _)| *n)
            .unwrap_or("sends")
    }

    fn parse(text: &str) -> Option<Measure> {
        Self::NAMES
            .iter()
            .find(|(n, _)| *n == text)
            .map(|(_, m)| *m)
    }
}

/// `>` or `>=`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Greater,
    AtLeast,
}

impl Op {
    pub fn holds(self, figure: u64, threshold: u64) -> bool {
        match self {
            Op::Greater => figure > threshold,
            Op::AtLeast => figure >= threshold,
        }
    }
}

/// A parsed rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RuleKind {
    Threshold {
        measure: Measure,
        /// `None`: the whole input is one group.
        per: Option<Key>,
        op: Op,
        threshold: u64,
        /// Sliding window length in milliseconds over `published`.
        within: Option<i64>,
    },
    Membership {
        key: Key,
        negated: bool,
        /// Compared case-insensitively; phones are normalised.
        values: Vec<String>,
    },
    /// `new KEY`: a value of `key` that the `--baseline` events never had.
    New { key: Key },
}

/// One `--alert` rule: its text (as shown in findings) and meaning.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    pub text: String,
    pub kind: RuleKind,
}

impl Rule {
    /// The keys the rule reads: what it groups by, tests or counts.
    pub fn keys(&self) -> Vec<Key> {
        match &self.kind {
            RuleKind::Threshold { measure, per, .. } => {
                let counted = match measure {
                    Measure::Distinct(k) => Some(*k),
                    _ => None,
                };
                per.iter().copied().chain(counted).collect()
            }
            RuleKind::Membership { key, .. } | RuleKind::New { key } => vec![*key],
        }
    }
}

/// A rule that does not parse, with the 1-based column of the problem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleError {
    pub rule: String,
    pub column: usize,
    pub message: String,
}

impl fmt::Display for RuleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "alert rule `{}`: column {}: {} (see `--help` for the rule grammar)",
            self.rule, self.column, self.message
        )
    }
}

impl std::error::Error for RuleError {}

/// Keys a rule may group by or test (`day`/`hour` are what `within` is for).
const RULE_KEYS: [Key; 11] = [
    Key::Phone,
    Key::User,
    Key::Actor,
    Key::Country,
    Key::Ip,
    Key::Provider,
    Key::Outcome,
    Key::Region,
    Key::LineType,
    Key::Prefix,
    Key::Valid,
];

fn rule_key(name: &str) -> Option<Key> {
    Key::parse(name).filter(|k| RULE_KEYS.contains(k))
}

fn key_names() -> String {
    RULE_KEYS.map(|k| k.name()).join(", ")
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TokKind {
    Word,
    Op,
    Comma,
}

#[derive(Debug, Clone, Copy)]
struct Token<'t> {
    text: &'t str,
    kind: TokKind,
    /// 1-based character column.
    column: usize,
}

fn tokenize(text: &str) -> Vec<Token<'_>> {
    let mut tokens = Vec::new();
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut i = 0;
    while i < chars.len() {
        let (start, c) = chars[i];
        let class = |c: char| {
            if c.is_whitespace() {
                None
            } else if "<>=!".contains(c) {
                Some(TokKind::Op)
            } else if c == ',' {
                Some(TokKind::Comma)
            } else {
                Some(TokKind::Word)
            }
        };
        let Some(kind) = class(c) else {
            i += 1;
            continue;
        };
        let column = i + 1;
        let mut j = i + 1;
        if kind != TokKind::Comma {
            while j < chars.len() && class(chars[j].1) == Some(kind) {
                j += 1;
            }
        }
        let end = chars.get(j).map(|(b, _)| *b).unwrap_or(text.len());
        tokens.push(Token {
            text: &text[start..end],
            kind,
            column,
        });
        i = j;
    }
    tokens
}

struct Parser<'t> {
    rule: &'t str,
    tokens: Vec<Token<'t>>,
    pos: usize,
}

impl<'t> Parser<'t> {
    fn error(&self, column: usize, message: impl Into<String>) -> RuleError {
        RuleError {
            rule: self.rule.to_string(),
            column,
            message: message.into(),
        }
    }

    /// The column just past the last token (where something is missing).
    fn end_column(&self) -> usize {
        self.rule.trim_end().chars().count() + 1
    }

    fn peek(&self) -> Option<Token<'t>> {
        self.tokens.get(self.pos).copied()
    }

    fn next(&mut self, expected: &str) -> Result<Token<'t>, RuleError> {
        match self.peek() {
            Some(tok) => {
                self.pos += 1;
                Ok(tok)
            }
            None => Err(self.error(self.end_column(), format!("expected {expected}"))),
        }
    }

    fn word(&mut self, expected: &str) -> Result<Token<'t>, RuleError> {
        let tok = self.next(expected)?;
        if tok.kind != TokKind::Word {
            return Err(self.error(
                tok.column,
                format!("expected {expected}, found `{}`", tok.text),
            ));
        }
        Ok(tok)
    }

    fn end(&self) -> Result<(), RuleError> {
        match self.peek() {
            None => Ok(()),
            Some(tok) => Err(self.error(
                tok.column,
                format!("unexpected `{}` after the end of the rule", tok.text),
            )),
        }
    }
}

/// Parses one `--alert` rule.
pub fn parse(text: &str) -> Result<Rule, RuleError> {
    let mut p = Parser {
        rule: text,
        tokens: tokenize(text),
        pos: 0,
    };
    let first = p.word("a measure such as `sends-per-phone`, or `country not in ...`")?;
    if first.text.eq_ignore_ascii_case("new") {
        let tok = p.word("a key after `new`, such as `new region`")?;
        let key = rule_key(tok.text).ok_or_else(|| {
            p.error(
                tok.column,
                format!(
                    "unknown key `{}`; expected one of {}",
                    tok.text,
                    key_names()
                ),
            )
        })?;
        p.end()?;
        return Ok(Rule {
            text: text.split_whitespace().collect::<Vec<_>>().join(" "),
            kind: RuleKind::New { key },
        });
    }
    let is_membership = rule_key(first.text).is_some()
        && p.peek().is_some_and(|t| {
            t.text.eq_ignore_ascii_case("in")
                || t.text.eq_ignore_ascii_case("not")
                || matches!(t.text, "=" | "!=" | "==")
        });
    let kind = if is_membership {
        membership(&mut p, first)?
    } else {
        threshold(&mut p, first)?
    };
    p.end()?;
    Ok(Rule {
        text: text.split_whitespace().collect::<Vec<_>>().join(" "),
        kind,
    })
}

fn membership<'t>(p: &mut Parser<'t>, first: Token<'t>) -> Result<RuleKind, RuleError> {
    let key = rule_key(first.text).ok_or_else(|| p.error(first.column, "unknown key"))?;
    let first_op = p.next("`in`, `not in`, `=` or `!=`")?;
    let negated = if first_op.kind == TokKind::Op {
        match first_op.text {
            "=" => false,
            "!=" => true,
            other => {
                return Err(p.error(
                    first_op.column,
                    format!("expected `=` or `!=`, found `{other}`"),
                ));
            }
        }
    } else {
        let mut tok = first_op;
        let negated = tok.text.eq_ignore_ascii_case("not");
        if negated {
            tok = p.word("`in` after `not`")?;
        }
        if !tok.text.eq_ignore_ascii_case("in") {
            return Err(p.error(tok.column, format!("expected `in`, found `{}`", tok.text)));
        }
        negated
    };
    let mut values = Vec::new();
    loop {
        let value = p.word("a value (a comma-separated list follows `in`)")?;
        let normal =
            normalize_value(key, value.text).map_err(|message| p.error(value.column, message))?;
        values.push(normal);
        match p.peek() {
            Some(t) if t.kind == TokKind::Comma => p.pos += 1,
            _ => break,
        }
    }
    Ok(RuleKind::Membership {
        key,
        negated,
        values,
    })
}

/// Puts a membership value in the form the key's values take; values a
/// key can never have (a three-letter region, an unknown line type) are
/// errors, so a typo cannot make a rule silently never (or always) fire.
fn normalize_value(key: Key, value: &str) -> Result<String, String> {
    Ok(match key {
        Key::Country => value.trim_start_matches('+').to_string(),
        Key::Phone => phone::normalize(value, None).unwrap_or_else(|| value.to_string()),
        Key::Prefix => phone::normalize(value, None).unwrap_or_else(|| value.to_string()),
        Key::Region => {
            if value.len() != 2 || !value.bytes().all(|b| b.is_ascii_alphabetic()) {
                return Err(format!(
                    "`{value}` is not a region: use ISO 3166-1 alpha-2 codes such as US, JM, GB"
                ));
            }
            value.to_ascii_uppercase()
        }
        Key::LineType => match LineType::parse(value) {
            Some(t) => t.name().to_string(),
            None => {
                let known: Vec<&str> = LineType::ALL.iter().map(|t| t.name()).collect();
                return Err(format!(
                    "unknown line type `{value}`; expected one of {}",
                    known.join(", ")
                ));
            }
        },
        Key::Valid => match value.to_ascii_lowercase().as_str() {
            v @ ("true" | "false") => v.to_string(),
            _ => return Err(format!("expected `true` or `false`, found `{value}`")),
        },
        _ => value.to_string(),
    })
}

/// `MEASURE[-per-KEY] (>|>=) N [within D]`, `first` being the measure.
fn threshold<'t>(p: &mut Parser<'t>, first: Token<'t>) -> Result<RuleKind, RuleError> {
    let (measure, per) = measure_and_key(p, first)?;
    let op = comparison(p)?;
    let threshold = whole_number(p)?;
    let within = window(p)?;
    Ok(RuleKind::Threshold {
        measure,
        per,
        op,
        threshold,
        within,
    })
}

/// `sends`, `distinct-users`, `users-per-phone`: the measure and the key
/// after `-per-`, if any.
fn measure_and_key(p: &Parser<'_>, first: Token<'_>) -> Result<(Measure, Option<Key>), RuleError> {
    let (measure_text, per) = match first.text.split_once("-per-") {
        Some((m, k)) => (m, Some(k)),
        None => (first.text, None),
    };
    let measure = Measure::parse(measure_text).ok_or_else(|| {
        let known: Vec<&str> = Measure::NAMES.iter().map(|(n, _)| *n).collect();
        let hint = if rule_key(measure_text).is_some() {
            format!("; to test `{measure_text}` values write `{measure_text} in A,B` or `{measure_text} not in A,B`")
        } else {
            String::new()
        };
        p.error(
            first.column,
            format!(
                "unknown measure `{measure_text}`; expected one of {}{hint}",
                known.join(", ")
            ),
        )
    })?;
    let per = match per {
        None => None,
        Some(name) => {
            let column = first.column + measure_text.chars().count() + "-per-".len();
            let key = rule_key(name).ok_or_else(|| {
                p.error(
                    column,
                    format!(
                        "unknown key `{name}` after `-per-`; expected one of {}",
                        key_names()
                    ),
                )
            })?;
            if measure == Measure::Distinct(key) {
                return Err(p.error(first.column, format!("`{}` is always 1", first.text)));
            }
            Some(key)
        }
    };
    Ok((measure, per))
}

/// `>` or `>=`.
fn comparison(p: &mut Parser<'_>) -> Result<Op, RuleError> {
    let op_tok = p.next("`>` or `>=` after the measure")?;
    let op = match op_tok.text {
        ">" => Op::Greater,
        ">=" => Op::AtLeast,
        other => {
            return Err(p.error(
                op_tok.column,
                format!("expected `>` or `>=`, found `{other}`"),
            ));
        }
    };
    Ok(op)
}

/// The threshold, a whole number.
fn whole_number(p: &mut Parser<'_>) -> Result<u64, RuleError> {
    let number = p.word("a whole number after the comparison")?;
    number.text.parse::<u64>().map_err(|_| {
        p.error(
            number.column,
            format!("expected a whole number, found `{}`", number.text),
        )
    })
}

/// `within D` (milliseconds), or nothing at the end of the rule.
fn window(p: &mut Parser<'_>) -> Result<Option<i64>, RuleError> {
    Ok(match p.peek() {
        Some(t) if t.text.eq_ignore_ascii_case("within") => {
            p.pos += 1;
            let d = p.word("a duration such as `1h` or `30m` after `within`")?;
            Some(duration(d.text).map_err(|(offset, msg)| p.error(d.column + offset, msg))?)
        }
        Some(t) if t.kind == TokKind::Word => {
            return Err(p.error(
                t.column,
                format!(
                    "expected `within` or the end of the rule, found `{}`",
                    t.text
                ),
            ));
        }
        _ => None,
    })
}

/// Parses `30s`, `15m`, `1h30m`, `24h`, `7d` into milliseconds; errors carry
/// the 0-based character offset of the problem.
pub fn duration(text: &str) -> Result<i64, (usize, String)> {
    let mut total: i64 = 0;
    let mut digits = String::new();
    for (i, c) in text.chars().enumerate() {
        if c.is_ascii_digit() {
            digits.push(c);
            continue;
        }
        let unit: i64 = match c.to_ascii_lowercase() {
            's' => 1_000,
            'm' => 60_000,
            'h' => 3_600_000,
            'd' => 86_400_000,
            _ => {
                return Err((
                    i,
                    format!("unknown duration unit `{c}`; use s, m, h or d (e.g. `1h`, `30m`)"),
                ));
            }
        };
        let n: i64 = digits
            .parse()
            .map_err(|_| (i, "expected a number before the unit".to_string()))?;
        digits.clear();
        total = n
            .checked_mul(unit)
            .and_then(|ms| total.checked_add(ms))
            .ok_or((0, "duration too long".to_string()))?;
    }
    if !digits.is_empty() {
        return Err((
            text.chars().count(),
            format!("missing unit after `{digits}`; use s, m, h or d (e.g. `{digits}h`)"),
        ));
    }
    if total == 0 {
        return Err((0, "the window must be longer than zero".to_string()));
    }
    Ok(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(text: &str) -> RuleKind {
        parse(text).unwrap_or_else(|e| panic!("{e}")).kind
    }

    fn err(text: &str) -> (usize, String) {
        let e = parse(text).unwrap_err();
        (e.column, e.message)
    }

    #[test]
    fn the_documented_examples_parse() {
        assert_eq!(
            ok("sends-per-phone > 5 within 1h"),
            RuleKind::Threshold {
                measure: Measure::Sends,
                per: Some(Key::Phone),
                op: Op::Greater,
                threshold: 5,
                within: Some(3_600_000),
            }
        );
        assert_eq!(
            ok("users-per-phone > 1"),
            RuleKind::Threshold {
                measure: Measure::Distinct(Key::User),
                per: Some(Key::Phone),
                op: Op::Greater,
                threshold: 1,
                within: None,
            }
        );
        assert_eq!(
            ok("sends-per-user>=10 within 24h"),
            RuleKind::Threshold {
                measure: Measure::Sends,
                per: Some(Key::User),
                op: Op::AtLeast,
                threshold: 10,
                within: Some(86_400_000),
            }
        );
        assert_eq!(
            ok("country not in 1, 44,+49"),
            RuleKind::Membership {
                key: Key::Country,
                negated: true,
                values: vec!["1".into(), "44".into(), "49".into()],
            }
        );
        assert_eq!(
            ok("denied > 0"),
            RuleKind::Threshold {
                measure: Measure::Denied,
                per: None,
                op: Op::Greater,
                threshold: 0,
                within: None,
            }
        );
        assert_eq!(
            ok("phone in 0015551230067,+1-555-123-0068"),
            RuleKind::Membership {
                key: Key::Phone,
                negated: false,
                values: vec!["+15551230067".into(), "+15551230068".into()],
            }
        );
    }

    #[test]
    fn toll_fraud_rules_parse() {
        assert_eq!(
            ok("phones-per-prefix > 5 within 1h"),
            RuleKind::Threshold {
                measure: Measure::Distinct(Key::Phone),
                per: Some(Key::Prefix),
                op: Op::Greater,
                threshold: 5,
                within: Some(3_600_000),
            }
        );
        assert_eq!(
            ok("line_type in premium_rate,TOLL_FREE,shared_cost"),
            RuleKind::Membership {
                key: Key::LineType,
                negated: false,
                values: vec![
                    "premium_rate".into(),
                    "toll_free".into(),
                    "shared_cost".into()
                ],
            }
        );
        assert_eq!(
            ok("region not in us,CA,GB"),
            RuleKind::Membership {
                key: Key::Region,
                negated: true,
                values: vec!["US".into(), "CA".into(), "GB".into()],
            }
        );
        assert_eq!(
            ok("valid = false"),
            RuleKind::Membership {
                key: Key::Valid,
                negated: false,
                values: vec!["false".into()],
            }
        );
        assert_eq!(
            ok("region != US"),
            RuleKind::Membership {
                key: Key::Region,
                negated: true,
                values: vec!["US".into()],
            }
        );
        assert!(matches!(
            ok("regions-per-user > 2 within 1d"),
            RuleKind::Threshold {
                measure: Measure::Distinct(Key::Region),
                per: Some(Key::User),
                ..
            }
        ));
        assert!(matches!(
            ok("prefixes > 10"),
            RuleKind::Threshold {
                measure: Measure::Distinct(Key::Prefix),
                per: None,
                ..
            }
        ));
    }

    #[test]
    fn novelty_rules_parse() {
        assert_eq!(ok("new region"), RuleKind::New { key: Key::Region });
        assert_eq!(ok("NEW prefix"), RuleKind::New { key: Key::Prefix });
        assert_eq!(err("new regio").0, 5);
        assert_eq!(err("new region now").0, 12);
        assert_eq!(err("new").0, 4);
    }

    #[test]
    fn rule_text_is_normalised_for_findings() {
        assert_eq!(
            parse("  users-per-phone   >  1 ").unwrap().text,
            "users-per-phone > 1"
        );
        assert_eq!(duration("1h30m"), Ok(5_400_000));
    }

    #[test]
    fn errors_name_the_column() {
        assert_eq!(err("sends-per-phone >> 5").0, 17);
        assert_eq!(err("sends-per-fone > 5").0, 11);
        assert!(err("sends-per-fone > 5").1.contains("unknown key `fone`"));
        assert_eq!(err("sendz > 5").0, 1);
        assert_eq!(err("sends-per-phone > five").0, 19);
        assert_eq!(err("sends-per-phone > 5 within 1x").0, 29);
        assert_eq!(err("sends-per-phone > 5 within 10").0, 30);
        assert_eq!(err("sends-per-phone > 5 during 1h").0, 21);
        assert_eq!(err("sends-per-phone").0, 16);
        assert_eq!(err("users-per-user > 1").0, 1);
        assert_eq!(err("country not 1").0, 13);
        assert_eq!(err("country in 1 44").0, 14);
        assert_eq!(err("").0, 1);
        assert!(err("country > 1").1.contains("`country in A,B`"));
        assert_eq!(err("region in USA").0, 11);
        assert!(err("line_type in premium").1.contains("premium_rate"));
        assert_eq!(err("valid = maybe").0, 9);
        assert_eq!(err("valid == false").0, 7);
        assert!(
            parse("sends-per-phone >> 5")
                .unwrap_err()
                .to_string()
                .starts_with("alert rule `sends-per-phone >> 5`: column 17: expected `>` or `>=`")
        );
    }
}

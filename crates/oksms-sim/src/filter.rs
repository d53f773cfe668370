//! The System Log `filter` expression (a SCIM subset) and `q` keyword search
//! as the simulated org understands them, with Okta's error answers.
//!
//! Supported: `eq ne gt ge lt le co sw ew pr` on dotted attribute paths,
//! `and`, `or`, `not`, parentheses (precedence: parentheses, `and`, `or`);
//! values are double-quoted strings (with `\"` escapes), numbers, `true`,
//! `false` and `null`. Attribute names are case-sensitive, operators and
//! `and`/`or`/`not` are not. String comparisons ignore case (SCIM's
//! `caseExact: false`; inference). An attribute inside an array (`target`,
//! `request.ipChain`) matches when any element matches. `published` and
//! `target.changeDetails` are not filterable, unknown top-level fields are
//! refused with E0000053 `field is not valid: …`, a bad operator with
//! E0000053 `Unrecognized attribute operator …`, and `co` on
//! `debugContext.debugData.url`/`requestUri` with E0000031.

use serde_json::Value;

/// A parsed filter.
#[derive(Debug, Clone, PartialEq)]
pub enum Filter {
    And(Box<Filter>, Box<Filter>),
    Or(Box<Filter>, Box<Filter>),
    Not(Box<Filter>),
    Compare {
        path: Vec<String>,
        op: Op,
        value: Literal,
    },
    Present(Vec<String>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Eq,
    Ne,
    Gt,
    Ge,
    Lt,
    Le,
    Co,
    Sw,
    Ew,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Literal {
    Str(String),
    Num(f64),
    Bool(bool),
    Null,
}

/// Why a filter was refused: the Okta error code and summary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FilterError {
    pub code: &'static str,
    pub summary: String,
}

const FILTERABLE_ROOTS: &[&str] = &[
    "uuid",
    "eventType",
    "legacyEventType",
    "displayMessage",
    "severity",
    "version",
    "actor",
    "target",
    "client",
    "outcome",
    "transaction",
    "debugContext",
    "authenticationContext",
    "securityContext",
    "request",
];

impl Filter {
    /// Parses `text`, answering Okta's errors for what it refuses.
    pub fn parse(text: &str) -> Result<Filter, FilterError> {
        let tokens = tokenize(text)?;
        let mut p = Parser {
            text,
            tokens,
            pos: 0,
        };
        let f = p.or()?;
        if let Some(t) = p.tokens.get(p.pos) {
            return Err(invalid(
                text,
                &format!("Unexpected token at position {}", t.at),
            ));
        }
        Ok(f)
    }

    /// Whether `event` matches.
    pub fn matches(&self, event: &Value) -> bool {
        match self {
            Filter::And(a, b) => a.matches(event) && b.matches(event),
            Filter::Or(a, b) => a.matches(event) || b.matches(event),
            Filter::Not(a) => !a.matches(event),
            Filter::Present(path) => {
                let mut found = false;
                visit(event, path, &mut |v| found |= !v.is_null());
                found
            }
            Filter::Compare { path, op, value } => {
                let mut found = false;
                let mut any_value = false;
                visit(event, path, &mut |v| {
                    any_value = true;
                    found |= compare(v, *op, value);
                });
                // `ne` on a missing attribute matches, as in SCIM.
                found || (*op == Op::Ne && !any_value)
            }
        }
    }
}

/// Calls `f` on every value at `path`, descending into arrays.
fn visit(v: &Value, path: &[String], f: &mut dyn FnMut(&Value)) {
    match v {
        Value::Array(items) => items.iter().for_each(|i| visit(i, path, f)),
        _ => match path.split_first() {
            None => f(v),
            Some((head, rest)) => {
                if let Some(child) = v.get(head.as_str()) {
                    visit(child, rest, f);
                }
            }
        },
    }
}

fn compare(v: &Value, op: Op, lit: &Literal) -> bool {
    match (v, lit) {
        (Value::String(s), Literal::Str(l)) => {
            let (s, l) = (s.to_lowercase(), l.to_lowercase());
            match op {
                Op::Eq => s == l,
                Op::Ne => s != l,
                Op::Co => s.contains(&l),
                Op::Sw => s.starts_with(&l),
                Op::Ew => s.ends_with(&l),
                Op::Gt => s > l,
                Op::Ge => s >= l,
                Op::Lt => s < l,
                Op::Le => s <= l,
            }
        }
        (Value::Number(n), Literal::Num(l)) => {
            let n = n.as_f64().unwrap_or(f64::NAN);
            match op {
                Op::Eq => n == *l,
                Op::Ne => n != *l,
                Op::Gt => n > *l,
                Op::Ge => n >= *l,
                Op::Lt => n < *l,
                Op::Le => n <= *l,
                _ => false,
            }
        }
        // Numbers and booleans Okta writes as strings compare as text.
        (Value::String(_), Literal::Num(l)) => compare(v, op, &Literal::Str(format_num(*l))),
        (Value::Bool(b), Literal::Bool(l)) => match op {
            Op::Eq => b == l,
            Op::Ne => b != l,
            _ => false,
        },
        (Value::String(_), Literal::Bool(l)) => compare(v, op, &Literal::Str(l.to_string())),
        (Value::Null, Literal::Null) => op == Op::Eq,
        (_, Literal::Null) => op == Op::Ne,
        _ => op == Op::Ne,
    }
}

fn format_num(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        n.to_string()
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    LParen,
    RParen,
    Word(String),
    Str(String),
}

#[derive(Debug, Clone)]
struct Token {
    tok: Tok,
    at: usize,
}

fn invalid(text: &str, detail: &str) -> FilterError {
    FilterError {
        code: "E0000053",
        summary: format!("Invalid filter '{text}': {detail}"),
    }
}

fn tokenize(text: &str) -> Result<Vec<Token>, FilterError> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if c == '(' || c == ')' {
            out.push(Token {
                tok: if c == '(' { Tok::LParen } else { Tok::RParen },
                at: i,
            });
            i += 1;
        } else if c == '"' {
            let at = i;
            let mut s = String::new();
            i += 1;
            loop {
                match chars.get(i) {
                    None => {
                        return Err(invalid(
                            text,
                            &format!("Unterminated string at position {at}"),
                        ));
                    }
                    Some('\\') => {
                        if let Some(n) = chars.get(i + 1) {
                            s.push(*n);
                        }
                        i += 2;
                    }
                    Some('"') => {
                        i += 1;
                        break;
                    }
                    Some(ch) => {
                        s.push(*ch);
                        i += 1;
                    }
                }
            }
            out.push(Token {
                tok: Tok::Str(s),
                at,
            });
        } else {
            let at = i;
            let mut s = String::new();
            while let Some(ch) = chars.get(i) {
                if ch.is_whitespace() || *ch == '(' || *ch == ')' || *ch == '"' {
                    break;
                }
                s.push(*ch);
                i += 1;
            }
            out.push(Token {
                tok: Tok::Word(s),
                at,
            });
        }
    }
    Ok(out)
}

struct Parser<'t> {
    text: &'t str,
    tokens: Vec<Token>,
    pos: usize,
}

impl Parser<'_> {
    fn keyword(&self, word: &str) -> bool {
        matches!(self.tokens.get(self.pos), Some(Token { tok: Tok::Word(w), .. }) if w.eq_ignore_ascii_case(word))
    }

    fn or(&mut self) -> Result<Filter, FilterError> {
        let mut left = self.and()?;
        while self.keyword("or") {
            self.pos += 1;
            let right = self.and()?;
            left = Filter::Or(Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn and(&mut self) -> Result<Filter, FilterError> {
        let mut left = self.unary()?;
        while self.keyword("and") {
            self.pos += 1;
            let right = self.unary()?;
            left = Filter::And(Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn unary(&mut self) -> Result<Filter, FilterError> {
        if self.keyword("not") {
            self.pos += 1;
            return Ok(Filter::Not(Box::new(self.unary()?)));
        }
        let Some(token) = self.tokens.get(self.pos).cloned() else {
            return Err(invalid(self.text, "Unexpected end of filter"));
        };
        match token.tok {
            Tok::LParen => {
                self.pos += 1;
                let inner = self.or()?;
                match self.tokens.get(self.pos) {
                    Some(Token {
                        tok: Tok::RParen, ..
                    }) => {
                        self.pos += 1;
                        Ok(inner)
                    }
                    _ => Err(invalid(
                        self.text,
                        &format!("Unbalanced parenthesis at position {}", token.at),
                    )),
                }
            }
            Tok::Word(attr) => {
                self.pos += 1;
                self.comparison(attr, token.at)
            }
            _ => Err(invalid(
                self.text,
                &format!("Unexpected token at position {}", token.at),
            )),
        }
    }

    fn comparison(&mut self, attr: String, at: usize) -> Result<Filter, FilterError> {
        if attr.contains('[') || attr.contains(']') {
            return Err(invalid(
                self.text,
                &format!("Unsupported character '[' at position {at}"),
            ));
        }
        let path: Vec<String> = attr.split('.').map(str::to_string).collect();
        let root = path.first().map(String::as_str).unwrap_or("");
        if !FILTERABLE_ROOTS.contains(&root) || attr == "target.changeDetails" {
            return Err(FilterError {
                code: "E0000053",
                summary: format!("field is not valid: {attr}"),
            });
        }
        let Some(op_token) = self.tokens.get(self.pos).cloned() else {
            return Err(invalid(self.text, "Unexpected end of filter"));
        };
        let op_word = match &op_token.tok {
            Tok::Word(w) => w.to_ascii_lowercase(),
            _ => String::new(),
        };
        self.pos += 1;
        let op = match op_word.as_str() {
            "pr" => return Ok(Filter::Present(path)),
            "eq" => Op::Eq,
            "ne" => Op::Ne,
            "gt" => Op::Gt,
            "ge" => Op::Ge,
            "lt" => Op::Lt,
            "le" => Op::Le,
            "co" => Op::Co,
            "sw" => Op::Sw,
            "ew" => Op::Ew,
            _ => {
                let shown = match &op_token.tok {
                    Tok::Word(w) | Tok::Str(w) => w.clone(),
                    Tok::LParen => "(".into(),
                    Tok::RParen => ")".into(),
                };
                return Err(invalid(
                    self.text,
                    &format!(
                        "Unrecognized attribute operator '{shown}' at position {}. Expected: eq,co,sw,pr,gt,ge,lt,le",
                        op_token.at
                    ),
                ));
            }
        };
        if op == Op::Co
            && (attr == "debugContext.debugData.url" || attr == "debugContext.debugData.requestUri")
        {
            return Err(FilterError {
                code: "E0000031",
                summary: format!(
                    "The supplied combination of operator and field is not currently supported. Operator: co, Field: {attr}"
                ),
            });
        }
        let value = self.literal()?;
        Ok(Filter::Compare { path, op, value })
    }

    /// The value after a comparison operator: a string, `true`, `false`,
    /// `null` or a number.
    fn literal(&mut self) -> Result<Literal, FilterError> {
        let Some(value_token) = self.tokens.get(self.pos).cloned() else {
            return Err(invalid(self.text, "Unexpected end of filter"));
        };
        self.pos += 1;
        Ok(match value_token.tok {
            Tok::Str(s) => Literal::Str(s),
            Tok::Word(w) if w.eq_ignore_ascii_case("true") => Literal::Bool(true),
            Tok::Word(w) if w.eq_ignore_ascii_case("false") => Literal::Bool(false),
            Tok::Word(w) if w.eq_ignore_ascii_case("null") => Literal::Null,
            Tok::Word(w) => match w.parse::<f64>() {
                Ok(n) => Literal::Num(n),
                Err(_) => {
                    return Err(invalid(
                        self.text,
                        &format!("Invalid value '{w}' at position {}", value_token.at),
                    ));
                }
            },
            _ => {
                return Err(invalid(
                    self.text,
                    &format!("Expected a value at position {}", value_token.at),
                ));
            }
        })
    }
}

/// The `q` keyword search: every keyword must occur, ignoring case, in some
/// string of the event. Hyphenated values are split into their parts.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Keywords(Vec<String>);

impl Keywords {
    /// Parses `q`; answers E0000001 for an item over 40 characters or more
    /// than 10 items, as Okta documents.
    pub fn parse(q: &str) -> Result<Keywords, FilterError> {
        let items: Vec<&str> = q.split_whitespace().collect();
        if items.iter().any(|i| i.chars().count() > 40) {
            return Err(FilterError {
                code: "E0000001",
                summary: "Api validation failed: 'q': Freeform search cannot contain items longer than 40 characters. Please shorten the items in your search or use an advanced filter to query by specific fields.".into(),
            });
        }
        if items.len() > 10 {
            return Err(FilterError {
                code: "E0000001",
                summary:
                    "Api validation failed: 'q': Freeform search cannot contain more than 10 items."
                        .into(),
            });
        }
        Ok(Keywords(
            items
                .iter()
                .flat_map(|i| i.split('-'))
                .filter(|s| !s.is_empty())
                .map(str::to_lowercase)
                .collect(),
        ))
    }

    pub fn matches(&self, event: &Value) -> bool {
        if self.0.is_empty() {
            return true;
        }
        let mut text = String::new();
        collect_text(event, &mut text);
        let text = text.to_lowercase();
        self.0.iter().all(|k| text.contains(k.as_str()))
    }
}

fn collect_text(v: &Value, out: &mut String) {
    match v {
        Value::String(s) => {
            out.push_str(s);
            out.push('\n');
        }
        Value::Array(a) => a.iter().for_each(|i| collect_text(i, out)),
        Value::Object(m) => m.values().for_each(|i| collect_text(i, out)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn event() -> Value {
        json!({
            "eventType": "system.sms.send_phone_verification_message",
            "actor": {"id": "00u1", "alternateId": "zoë@example.com", "type": "User"},
            "target": [
                {"id": "00u2", "type": "User", "alternateId": "ana@example.com"},
                {"id": "mbl1", "type": "MobilePhone", "alternateId": "+15555550100"}
            ],
            "outcome": {"result": "DENY"},
            "debugContext": {"debugData": {"phoneNumber": "+15555550100", "url": "/x?y=1"}},
            "securityContext": {"asNumber": 7922, "isProxy": false}
        })
    }

    fn m(f: &str) -> bool {
        Filter::parse(f).unwrap().matches(&event())
    }

    #[test]
    fn eq_on_the_documented_fields() {
        assert!(m(
            r#"eventType eq "system.sms.send_phone_verification_message""#
        ));
        assert!(!m(r#"eventType eq "user.session.start""#));
        assert!(m(r#"target.id eq "mbl1""#));
        assert!(m(r#"target.id eq "00u2""#));
        assert!(!m(r#"target.id eq "00u1""#));
        assert!(m(r#"actor.alternateId eq "ZOË@example.com""#));
        assert!(m(r#"outcome.result eq "DENY""#));
        assert!(m(r#"debugContext.debugData.phoneNumber eq "+15555550100""#));
        assert!(m(
            "securityContext.asNumber gt 7000 and securityContext.isProxy eq false"
        ));
    }

    #[test]
    fn and_or_not_parentheses_and_precedence() {
        assert!(m(
            r#"outcome.result eq "SUCCESS" or outcome.result eq "DENY""#
        ));
        assert!(!m(
            r#"outcome.result eq "SUCCESS" and outcome.result eq "DENY""#
        ));
        // and binds tighter than or: false or (true and true)
        assert!(m(
            r#"outcome.result eq "X" or target.id eq "mbl1" and actor.id eq "00u1""#
        ));
        // parentheses change it: (false or true) and false
        assert!(!m(
            r#"(outcome.result eq "X" or target.id eq "mbl1") and actor.id eq "nope""#
        ));
        assert!(m(r#"not (actor.id eq "nope")"#));
        assert!(m(r#"actor.id EQ "00u1" AND target.type sw "Mobile""#));
        assert!(m("debugContext.debugData.phoneNumber pr"));
        assert!(!m("debugContext.debugData.smsProvider pr"));
    }

    #[test]
    fn a_bad_operator_is_refused_like_okta() {
        let e = Filter::parse(r#"display_message eqq "Create okta user""#).unwrap_err();
        // The field check comes first for an unknown field.
        assert_eq!(e.summary, "field is not valid: display_message");
        let e = Filter::parse(r#"displayMessage eqq "Create okta user""#).unwrap_err();
        assert_eq!(e.code, "E0000053");
        assert_eq!(
            e.summary,
            "Invalid filter 'displayMessage eqq \"Create okta user\"': Unrecognized attribute operator 'eqq' at position 15. Expected: eq,co,sw,pr,gt,ge,lt,le"
        );
    }

    #[test]
    fn unfilterable_and_unsupported_expressions_are_refused() {
        let e = Filter::parse(r#"published gt "2024-01-01T00:00:00Z""#).unwrap_err();
        assert_eq!(
            (e.code, e.summary.as_str()),
            ("E0000053", "field is not valid: published")
        );
        let e = Filter::parse(r#"debugContext.debugData.url co "x""#).unwrap_err();
        assert_eq!(e.code, "E0000031");
        for bad in [
            r#"target[type eq "User"].id eq "x""#,
            r#"(eventType eq "x""#,
            "eventType eq",
            r#"eventType eq "x" and"#,
            r#"eventType eq "unterminated"#,
            r#"eventType eq "x" eventType"#,
        ] {
            let e = Filter::parse(bad).unwrap_err();
            assert_eq!(e.code, "E0000053", "{bad}");
        }
    }

    #[test]
    fn keywords_all_must_match_ignoring_case_and_hyphens_split() {
        let ev = event();
        assert!(Keywords::parse("ZOË deny").unwrap().matches(&ev));
        assert!(!Keywords::parse("zoë success").unwrap().matches(&ev));
        assert!(Keywords::parse("send-phone").unwrap().matches(&ev));
        let long = "x".repeat(41);
        assert_eq!(Keywords::parse(&long).unwrap_err().code, "E0000001");
        assert_eq!(
            Keywords::parse("a b c d e f g h i j k").unwrap_err().code,
            "E0000001"
        );
    }
}

//! The first `/api/v1/logs` URL of a query: the time range, the page size,
//! the sort order and a `filter` expression built from the narrowing flags.
//! Values are quoted and escaped for Okta's SCIM filter syntax.

use chrono::{DateTime, SecondsFormat, Utc};
use url::Url;

/// One System Log query.
#[derive(Debug, Clone, Default)]
pub struct LogQuery {
    pub since: Option<DateTime<Utc>>,
    /// `None` polls (endless `next` links); `Some` is a bounded export.
    pub until: Option<DateTime<Utc>>,
    pub limit: Option<u32>,
    pub filter: Option<String>,
    pub descending: bool,
}

impl LogQuery {
    /// `org` + `/api/v1/logs?…`.
    pub fn url(&self, org: &Url) -> Result<Url, url::ParseError> {
        let mut url = org.join("/api/v1/logs")?;
        {
            let mut q = url.query_pairs_mut();
            if let Some(s) = self.since {
                q.append_pair("since", &okta_time(s));
            }
            if let Some(u) = self.until {
                q.append_pair("until", &okta_time(u));
            }
            if let Some(l) = self.limit {
                q.append_pair("limit", &l.to_string());
            }
            if let Some(f) = &self.filter {
                q.append_pair("filter", f);
            }
            q.append_pair(
                "sortOrder",
                if self.descending {
                    "DESCENDING"
                } else {
                    "ASCENDING"
                },
            );
        }
        Ok(url)
    }
}

/// Okta's default `limit` when a request gives none.
pub const OKTA_DEFAULT_LIMIT: u64 = 100;

/// The `limit` a page was asked for (from its URL: a checkpoint's `next`
/// keeps the size the polling started with), else Okta's default.
pub fn page_limit(url: &Url) -> u64 {
    url.query_pairs()
        .find(|(k, _)| k == "limit")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(OKTA_DEFAULT_LIMIT)
}

/// ISO 8601 in UTC with milliseconds, as Okta writes it.
pub fn okta_time(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// A SCIM string literal: `"…"` with `\` and `"` escaped.
pub fn quote(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        if c == '"' || c == '\\' {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
    out
}

/// Builds an and-ed filter from parts; `None` when there are none.
#[derive(Debug, Default)]
pub struct FilterBuilder {
    parts: Vec<String>,
}

impl FilterBuilder {
    /// `eventType eq "a"`, or-ed in parentheses for several.
    pub fn event_types(&mut self, types: &[String]) -> &mut Self {
        let alts: Vec<String> = types
            .iter()
            .map(|t| format!("eventType eq {}", quote(t)))
            .collect();
        self.any(alts)
    }

    /// A party (`actor` or `target`) by id or login: both are tried, so the
    /// caller need not know which one it has.
    pub fn party(&mut self, attribute: &str, id_or_login: &str) -> &mut Self {
        let v = quote(id_or_login);
        self.any(vec![
            format!("{attribute}.id eq {v}"),
            format!("{attribute}.alternateId eq {v}"),
        ])
    }

    pub fn outcome(&mut self, result: &str) -> &mut Self {
        self.parts
            .push(format!("outcome.result eq {}", quote(result)));
        self
    }

    /// A raw expression from the user, parenthesised.
    pub fn raw(&mut self, expr: &str) -> &mut Self {
        let expr = expr.trim();
        if !expr.is_empty() {
            self.parts.push(format!("({expr})"));
        }
        self
    }

    fn any(&mut self, alts: Vec<String>) -> &mut Self {
        match alts.len() {
            0 => {}
            1 => self.parts.extend(alts),
            _ => self.parts.push(format!("({})", alts.join(" or "))),
        }
        self
    }

    pub fn build(&self) -> Option<String> {
        (!self.parts.is_empty()).then(|| self.parts.join(" and "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn filter_parts_are_anded_and_quoted() {
        let mut f = FilterBuilder::default();
        f.event_types(&["system.sms.send_phone_verification_message".into()])
            .party("target", "ana@example.com")
            .outcome("DENY")
            .raw(r#"client.ipAddress eq "1.2.3.4" or client.ipAddress eq "5.6.7.8""#);
        assert_eq!(
            f.build().unwrap(),
            r#"eventType eq "system.sms.send_phone_verification_message" and (target.id eq "ana@example.com" or target.alternateId eq "ana@example.com") and outcome.result eq "DENY" and (client.ipAddress eq "1.2.3.4" or client.ipAddress eq "5.6.7.8")"#
        );
        let mut two = FilterBuilder::default();
        two.event_types(&["a".into(), "b".into()]);
        assert_eq!(
            two.build().unwrap(),
            r#"(eventType eq "a" or eventType eq "b")"#
        );
        assert_eq!(FilterBuilder::default().build(), None);
        assert_eq!(quote(r#"a"b\c"#), r#""a\"b\\c""#);
    }

    #[test]
    fn url_carries_the_range_in_utc_milliseconds() {
        let org = Url::parse("https://acme.okta.com").unwrap();
        let q = LogQuery {
            since: Some(Utc.with_ymd_and_hms(2024, 1, 2, 3, 4, 5).unwrap()),
            until: Some(Utc.with_ymd_and_hms(2024, 1, 9, 3, 4, 5).unwrap()),
            limit: Some(1000),
            filter: Some(r#"eventType eq "x""#.into()),
            descending: false,
        };
        let url = q.url(&org).unwrap();
        let pairs: Vec<(String, String)> = url.query_pairs().into_owned().collect();
        assert_eq!(url.path(), "/api/v1/logs");
        assert_eq!(
            pairs[0],
            ("since".into(), "2024-01-02T03:04:05.000Z".into())
        );
        assert_eq!(
            pairs[1],
            ("until".into(), "2024-01-09T03:04:05.000Z".into())
        );
        assert_eq!(pairs[2], ("limit".into(), "1000".into()));
        assert_eq!(pairs[3], ("filter".into(), r#"eventType eq "x""#.into()));
        assert_eq!(pairs[4], ("sortOrder".into(), "ASCENDING".into()));
    }
}

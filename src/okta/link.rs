//! `Link` response headers in Okta's form: one `<url>; rel="self"` and one
//! `<url>; rel="next"` header line, or (accepted too) one comma-joined line.
//! Only `next` matters to paging, and it is followed verbatim.

/// The `rel="next"` URL among the given `Link` header values, if any.
pub fn next_link<'a>(values: impl IntoIterator<Item = &'a str>) -> Option<String> {
    values
        .into_iter()
        .flat_map(split_links)
        .find(|(_, rels)| rels.iter().any(|r| r.eq_ignore_ascii_case("next")))
        .map(|(url, _)| url.to_string())
}

/// Splits one header value into `(url, rels)` pairs. Commas inside `<…>`
/// belong to the URL, so the value is scanned rather than split blindly.
fn split_links(value: &str) -> Vec<(&str, Vec<String>)> {
    let mut out = Vec::new();
    let mut rest = value;
    while let Some(open) = rest.find('<') {
        let Some(close) = rest[open..].find('>').map(|c| open + c) else {
            break;
        };
        let url = rest[open + 1..close].trim();
        let after = &rest[close + 1..];
        // Parameters run until the next link starts (a comma followed by `<`).
        let end = next_link_start(after).unwrap_or(after.len());
        let params = &after[..end];
        let rels = params
            .split(';')
            .filter_map(|p| {
                let (key, value) = p.split_once('=')?;
                if key.trim().eq_ignore_ascii_case("rel") {
                    Some(value.trim().trim_matches('"').to_string())
                } else {
                    None
                }
            })
            .flat_map(|v| v.split_whitespace().map(str::to_string).collect::<Vec<_>>())
            .collect();
        out.push((url, rels));
        rest = &after[end..];
    }
    out
}

fn next_link_start(s: &str) -> Option<usize> {
    let bytes = s.as_bytes();
    let mut in_quotes = false;
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'"' => in_quotes = !in_quotes,
            b',' if !in_quotes && s[i + 1..].trim_start().starts_with('<') => return Some(i),
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn okta_form_two_header_lines() {
        let values = [
            r#"<https://acme.okta.com/api/v1/logs?limit=2&since=x>; rel="self""#,
            r#"<https://acme.okta.com/api/v1/logs?limit=2&after=1627500044869_1>; rel="next""#,
        ];
        assert_eq!(
            next_link(values).as_deref(),
            Some("https://acme.okta.com/api/v1/logs?limit=2&after=1627500044869_1")
        );
    }

    #[test]
    fn comma_joined_line() {
        let value = r#"<https://a/x?a=1,2>; rel="self", <https://a/x?after=b,c>; rel="next""#;
        assert_eq!(next_link([value]).as_deref(), Some("https://a/x?after=b,c"));
    }

    #[test]
    fn no_next_means_last_page() {
        assert_eq!(next_link([r#"<https://a/x>; rel="self""#]), None);
        assert_eq!(next_link(Vec::<&str>::new()), None);
        assert_eq!(next_link(["garbage", "<unterminated"]), None);
    }

    #[test]
    fn rel_is_case_insensitive_and_may_be_unquoted_or_multiple() {
        assert_eq!(next_link(["<u1>; REL=NEXT"]).as_deref(), Some("u1"));
        assert_eq!(
            next_link([r#"<u2>; rel="prev next""#]).as_deref(),
            Some("u2")
        );
        assert_eq!(
            next_link([r#"<u3>; title="a, <b>"; rel="next""#]).as_deref(),
            Some("u3")
        );
    }
}

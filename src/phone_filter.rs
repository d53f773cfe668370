//! `fetch --phone NUMBER`: which records a typed number selects. The
//! record's number is read and normalised exactly as `--group-by phone`
//! keys it ([`crate::phone::normalize`] of
//! [`Record::phone_number`] with the event's `countryCallingCode`), so a
//! number `--group-by phone` prints selects exactly that group's records.
//! A number typed without `+` or `00` may be the national part: it matches
//! a normalised number ending in its digits (at least six, a leading trunk
//! `0` optional).

use crate::exit::Failure;
use crate::phone::normalize;
use crate::record::Record;

/// `--phone`, normalised once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhoneMatch {
    /// The number as `--group-by phone` spells it (`+15551230001`), or the
    /// bare digits of a national number.
    want: String,
    /// No leading `+` or `00`: may be the national part of a number.
    national: bool,
}

impl PhoneMatch {
    /// Reads the flag's value; fewer than four digits is a usage error.
    pub fn new(text: &str) -> Result<PhoneMatch, Failure> {
        let too_few = || Failure::usage(format!("--phone {text:?}: too few digits"));
        if text.chars().filter(char::is_ascii_digit).count() < 4 {
            return Err(too_few());
        }
        let want = normalize(text, None).ok_or_else(too_few)?;
        let national = !want.starts_with('+');
        Ok(PhoneMatch { want, national })
    }

    /// True when the record's number (as `--group-by phone` keys it) is this
    /// number.
    pub fn matches(&self, record: &Record<'_>) -> bool {
        let cc = record
            .country_calling_code
            .as_deref()
            .map(str::trim)
            .filter(|c| !c.is_empty());
        let Some(have) = record.phone_number().and_then(|raw| normalize(raw, cc)) else {
            return false;
        };
        if have == self.want {
            return true;
        }
        if !self.national {
            return false;
        }
        let digits: String = have.chars().filter(char::is_ascii_digit).collect();
        let trunkless = self.want.strip_prefix('0').unwrap_or(&self.want);
        [self.want.as_str(), trunkless]
            .iter()
            .any(|w| w.len() >= 6 && digits.ends_with(w))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::keys::Facts;

    fn record(json: &str) -> Record<'_> {
        Record::from_event(json, serde_json::from_str(json).unwrap(), None)
    }

    const SHAPES: &[&str] = &[
        r#"{"target":[{"type":"MobilePhone","id":"mbl1","alternateId":"+1 (555) 123-0001"}]}"#,
        r#"{"target":[{"type":"User","id":"00u1"}],"debugContext":{"debugData":{"phoneNumber":"+15551230001"}}}"#,
        r#"{"target":[{"type":"MobilePhone","id":"placeholder","displayName":"+15551230001"}]}"#,
        r#"{"target":[{"type":"MobilePhone","id":"m","alternateId":"5551230001"}],"debugContext":{"debugData":{"countryCallingCode":"1"}}}"#,
        r#"{"target":[{"type":"MobilePhone","id":"m","alternateId":"0015551230001"}]}"#,
    ];

    #[test]
    fn phones_match_by_number_in_every_shape() {
        let other = r#"{"debugContext":{"debugData":{"phoneNumber":"+15551230002"}}}"#;
        let m = PhoneMatch::new("+1-555-123-0001").unwrap();
        for shape in SHAPES {
            assert!(m.matches(&record(shape)), "{shape}");
        }
        assert!(!m.matches(&record(other)));
        assert!(!m.matches(&record("{}")));
        let national = PhoneMatch::new("555 123 0001").unwrap();
        assert!(national.matches(&record(SHAPES[1])));
        assert!(
            !PhoneMatch::new("+555 123 0001")
                .unwrap()
                .matches(&record(SHAPES[1]))
        );
        assert!(
            PhoneMatch::new("0015551230001")
                .unwrap()
                .matches(&record(SHAPES[1]))
        );
        let de = r#"{"debugContext":{"debugData":{"phoneNumber":"+4915112345678"}}}"#;
        assert!(
            PhoneMatch::new("0151 1234 5678")
                .unwrap()
                .matches(&record(de))
        );
        assert!(PhoneMatch::new("12").is_err());
    }

    /// `fetch --phone` and `--group-by phone` agree: the key a record is
    /// grouped under selects it, and another group's key does not.
    #[test]
    fn phone_flag_agrees_with_group_by_phone() {
        let mut keys = Vec::new();
        for shape in SHAPES.iter().chain([
            &r#"{"target":[{"type":"Phone","id":"p","alternateId":"+4420 7946 0018"}],"debugContext":{"debugData":{"phoneNumber":"+15551230001"}}}"#,
            &r#"{"target":[{"type":"MobilePhone","id":"m","alternateId":"07700 900123"}],"debugContext":{"debugData":{"countryCallingCode":"44"}}}"#,
        ]) {
            let r = record(shape);
            let key = Facts::of(&r).phone.expect(shape);
            assert!(PhoneMatch::new(&key).unwrap().matches(&r), "{shape} under {key}");
            keys.push((shape, key));
        }
        for (shape, key) in &keys {
            for (_, other) in &keys {
                if other != key {
                    assert!(
                        !PhoneMatch::new(other).unwrap().matches(&record(shape)),
                        "{shape}: {other}"
                    );
                }
            }
        }
    }
}

//! Phone identity: a number as Okta wrote it (`+1 555-123-0067`,
//! `0015551230067`, bare digits next to `countryCallingCode`) normalised to
//! E.164 where the calling code allows, the calling code split off an E.164
//! number with the ITU's prefix-free code table, and phone masking.
//!
//! The `phonenumber` crate would validate national numbering plans too, but
//! it carries the whole libphonenumber metadata (slow to build, megabytes of
//! memory) for a question this tool never asks: grouping only needs one
//! spelling per number, and the country only needs the calling code.

use std::borrow::Cow;

/// The two-digit ITU-T E.164 country calling codes. `1` and `7` are the only
/// one-digit codes; every other assigned code has three digits. Calling
/// codes form a prefix code, so this table is enough to split any number.
const TWO_DIGIT_CODES: &[&str] = &[
    "20", "27", "30", "31", "32", "33", "34", "36", "39", "40", "41", "43", "44", "45", "46", "47",
    "48", "49", "51", "52", "53", "54", "55", "56", "57", "58", "60", "61", "62", "63", "64", "65",
    "66", "81", "82", "84", "86", "90", "91", "92", "93", "94", "95", "98",
];

/// Normalises a phone number. `calling_code` is `debugData.countryCallingCode`
/// when the event has one. Spaces, dashes, dots, slashes and parentheses are
/// dropped; a `00` prefix becomes `+`; bare digits get `+` and the calling
/// code (a national trunk `0` is dropped first, and digits that already start
/// with the calling code and are long enough to be international keep it).
/// Bare digits without a calling code stay bare: they cannot be placed.
/// Returns `None` for text with no digits.
pub fn normalize(raw: &str, calling_code: Option<&str>) -> Option<String> {
    let trimmed = raw.trim();
    let plus = trimmed.starts_with('+');
    let mut digits = String::with_capacity(trimmed.len());
    for c in trimmed.chars() {
        match c {
            '0'..='9' => digits.push(c),
            ' ' | '-' | '.' | '/' | '(' | ')' | '+' | '\u{a0}' => {}
            // Anything else (letters, an extension marker) is not a number
            // we can normalise: keep the text as its own identity.
            _ => return Some(trimmed.to_string()),
        }
    }
    if digits.is_empty() {
        return None;
    }
    if plus {
        return Some(format!("+{digits}"));
    }
    if let Some(rest) = digits.strip_prefix("00") {
        return Some(format!("+{rest}"));
    }
    let code = calling_code
        .map(|c| c.trim().trim_start_matches('+'))
        .filter(|c| !c.is_empty() && c.len() <= 3 && c.bytes().all(|b| b.is_ascii_digit()));
    match code {
        Some(code) => {
            if digits.starts_with(code) && digits.len() >= code.len() + 8 {
                return Some(format!("+{digits}"));
            }
            // Italy (39) keeps its leading zero in international form.
            let national = match digits.strip_prefix('0') {
                Some(rest) if code != "39" => rest,
                _ => digits.as_str(),
            };
            Some(format!("+{code}{national}"))
        }
        None => Some(digits),
    }
}

/// The calling code of an E.164 number (`+4915112345678` -> `49`).
pub fn calling_code(e164: &str) -> Option<&str> {
    let digits = e164.strip_prefix('+')?;
    if digits.len() < 2 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let len = match digits.as_bytes()[0] {
        b'1' | b'7' => 1,
        b'0' => return None,
        _ if TWO_DIGIT_CODES.contains(&&digits[..2]) => 2,
        _ if digits.len() > 3 => 3,
        _ => return None,
    };
    Some(&digits[..len])
}

/// Masks a phone number: every digit but the calling code and the last two
/// becomes `*` (`+15551230067` -> `+1********67`). Numbers that are not
/// E.164 keep only their last two digits.
pub fn mask(number: &str) -> Cow<'_, str> {
    let keep_front = calling_code(number).map(|c| c.len() + 1).unwrap_or(0);
    let total_digits = number.bytes().filter(u8::is_ascii_digit).count();
    if total_digits == 0 {
        return Cow::Borrowed(number);
    }
    let mut seen = 0;
    let mut out = String::with_capacity(number.len());
    for (i, c) in number.char_indices() {
        if c.is_ascii_digit() {
            seen += 1;
            if i < keep_front || seen + 2 > total_digits {
                out.push(c);
            } else {
                out.push('*');
            }
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_three_okta_spellings_of_one_number_agree() {
        let want = Some("+15551230067".to_string());
        assert_eq!(normalize("+15551230067", None), want);
        assert_eq!(normalize("+1 (555) 123-0067", None), want);
        assert_eq!(normalize("001 555 123 0067", None), want);
        assert_eq!(normalize("5551230067", Some("1")), want);
        assert_eq!(normalize("15551230067", Some("1")), want);
        assert_eq!(normalize("555.123.0067", Some("+1")), want);
    }

    #[test]
    fn national_trunk_zero_is_dropped_except_for_italy() {
        assert_eq!(
            normalize("0151 1234 5678", Some("49")).as_deref(),
            Some("+4915112345678")
        );
        assert_eq!(
            normalize("06 1234 5678", Some("39")).as_deref(),
            Some("+390612345678")
        );
    }

    #[test]
    fn unplaceable_numbers_keep_their_digits_and_empty_text_is_none() {
        assert_eq!(normalize("555 123", None).as_deref(), Some("555123"));
        assert_eq!(normalize(" - ", None), None);
        assert_eq!(normalize("ext", None).as_deref(), Some("ext"));
        assert_eq!(
            normalize("5551230067", Some("abc")).as_deref(),
            Some("5551230067")
        );
    }

    #[test]
    fn calling_codes_split_by_the_itu_table() {
        let cases = [
            ("+15551230067", Some("1")),
            ("+79161234567", Some("7")),
            ("+447700900123", Some("44")),
            ("+4915112345678", Some("49")),
            ("+5355512345", Some("53")),
            ("+37120012345", Some("371")),
            ("+35312345678", Some("353")),
            ("+2348012345678", Some("234")),
            ("+8801712345678", Some("880")),
            ("+8613812345678", Some("86")),
            ("5551230067", None),
            ("+0123", None),
            ("+1", None),
        ];
        for (number, want) in cases {
            assert_eq!(calling_code(number), want, "{number}");
        }
    }

    #[test]
    fn masking_keeps_calling_code_and_last_two_digits() {
        assert_eq!(mask("+15551230067"), "+1********67");
        assert_eq!(mask("+4915112345678"), "+49*********78");
        assert_eq!(mask("+37120012345"), "+371******45");
        assert_eq!(mask("555123"), "****23");
        assert_eq!(mask("unknown"), "unknown");
    }
}

//! Phone metadata from the number itself: the region (ISO 3166-1 alpha-2,
//! `US`, `JM`, `DO`, `GG`, `KZ`, ...), the line type (`mobile`,
//! `premium_rate`, ...) and whether the number is valid in its numbering
//! plan, read from Google's libphonenumber metadata through the
//! `phonenumber` crate.
//!
//! It exists because a calling code hides what toll fraud exploits: `+1`
//! covers the United States, Canada and some twenty Caribbean countries,
//! `+44` Guernsey and Jersey, `+7` Russia and Kazakhstan, and no calling code
//! shows a premium-rate line. Numbers are first normalised to E.164 by
//! [`crate::phone::normalize`]; each distinct number is parsed once
//! per thread (a bounded cache keyed by the E.164 text), so an input with
//! millions of sends to a few thousand numbers parses a few thousand times.
//! The metadata is loaded on first use only: runs that never ask for a
//! region or line type do not pay for it.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::Mutex;

/// What libphonenumber says a number is. `unknown` when the number fits
/// no pattern of its region (or cannot be placed at all).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LineType {
    Mobile,
    FixedLine,
    FixedLineOrMobile,
    PremiumRate,
    TollFree,
    SharedCost,
    Voip,
    PersonalNumber,
    Pager,
    Uan,
    Voicemail,
    Unknown,
}

impl LineType {
    /// Every line type, in the order the README lists them.
    pub const ALL: [LineType; 12] = [
        LineType::Mobile,
        LineType::FixedLine,
        LineType::FixedLineOrMobile,
        LineType::PremiumRate,
        LineType::TollFree,
        LineType::SharedCost,
        LineType::Voip,
        LineType::PersonalNumber,
        LineType::Pager,
        LineType::Uan,
        LineType::Voicemail,
        LineType::Unknown,
    ];

    /// The name in JSON, CSV, group keys and rules (`premium_rate`).
    pub fn name(self) -> &'static str {
        match self {
            LineType::Mobile => "mobile",
            LineType::FixedLine => "fixed_line",
            LineType::FixedLineOrMobile => "fixed_line_or_mobile",
            LineType::PremiumRate => "premium_rate",
            LineType::TollFree => "toll_free",
            LineType::SharedCost => "shared_cost",
            LineType::Voip => "voip",
            LineType::PersonalNumber => "personal_number",
            LineType::Pager => "pager",
            LineType::Uan => "uan",
            LineType::Voicemail => "voicemail",
            LineType::Unknown => "unknown",
        }
    }

    /// Parses a name as [`LineType::name`] writes it (any case).
    pub fn parse(text: &str) -> Option<LineType> {
        LineType::ALL
            .into_iter()
            .find(|t| t.name().eq_ignore_ascii_case(text.trim()))
    }

    fn of(kind: phonenumber::Type) -> LineType {
        use phonenumber::Type as T;
        match kind {
            T::Mobile => LineType::Mobile,
            T::FixedLine => LineType::FixedLine,
            T::FixedLineOrMobile => LineType::FixedLineOrMobile,
            T::PremiumRate => LineType::PremiumRate,
            T::TollFree => LineType::TollFree,
            T::SharedCost => LineType::SharedCost,
            T::Voip => LineType::Voip,
            T::PersonalNumber => LineType::PersonalNumber,
            T::Pager => LineType::Pager,
            T::Uan => LineType::Uan,
            T::Voicemail => LineType::Voicemail,
            _ => LineType::Unknown,
        }
    }
}

/// Region, line type and validity of one number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PhoneMeta {
    /// ISO 3166-1 alpha-2 region, `None` when the number cannot be placed
    /// (bare digits without a calling code, non-geographic `+800`/`+882`).
    pub region: Option<&'static str>,
    pub line_type: LineType,
    /// True when the number is valid in its region's numbering plan.
    pub valid: bool,
}

impl PhoneMeta {
    /// What a number that cannot be parsed at all is.
    pub const UNPLACEABLE: PhoneMeta = PhoneMeta {
        region: None,
        line_type: LineType::Unknown,
        valid: false,
    };

    /// `"true"` or `"false"` (valid JSON and CSV text).
    pub fn valid_text(&self) -> &'static str {
        if self.valid { "true" } else { "false" }
    }
}

/// Most distinct numbers one thread's cache holds before it starts over
/// (about 100 bytes each).
const CACHE_LIMIT: usize = 1 << 16;

thread_local! {
    static CACHE: RefCell<HashMap<Box<str>, PhoneMeta>> = RefCell::new(HashMap::new());
}

/// Region codes as `'static` text, one allocation per region ever seen
/// (libphonenumber knows about 250), so metadata is `Copy`.
static REGIONS: Mutex<Vec<&'static str>> = Mutex::new(Vec::new());

fn region_text(code: &str) -> Option<&'static str> {
    let mut names = REGIONS.lock().ok()?;
    if let Some(name) = names.iter().find(|n| **n == code) {
        return Some(name);
    }
    let name: &'static str = Box::leak(code.to_string().into_boxed_str());
    names.push(name);
    Some(name)
}

/// Loads the metadata on a background thread now, so the first record
/// that needs it does not wait (about 0.1 s; a live `fetch` or `watch`
/// overlaps it with its first request). Call it when the output or the
/// audit will ask for metadata; calling it more than once is harmless.
pub fn warm_up() {
    static STARTED: std::sync::Once = std::sync::Once::new();
    STARTED.call_once(|| {
        let _ = std::thread::Builder::new()
            .name("phone-metadata".into())
            .spawn(|| parse("+12125550123"));
    });
}

/// Metadata of an E.164 number (`+18765550123`); cached per thread.
/// Text that is not `+` and digits is [`PhoneMeta::UNPLACEABLE`].
pub fn of_e164(e164: &str) -> PhoneMeta {
    if let Some(meta) = CACHE.with(|c| c.borrow().get(e164).copied()) {
        return meta;
    }
    let meta = parse(e164);
    CACHE.with(|c| {
        let mut cache = c.borrow_mut();
        if cache.len() >= CACHE_LIMIT {
            cache.clear();
        }
        cache.insert(e164.into(), meta);
    });
    meta
}

fn parse(e164: &str) -> PhoneMeta {
    let digits_only = e164
        .strip_prefix('+')
        .is_some_and(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()));
    if !digits_only {
        return PhoneMeta::UNPLACEABLE;
    }
    let Ok(number) = phonenumber::parse(None, e164) else {
        return PhoneMeta::UNPLACEABLE;
    };
    let valid = number.is_valid();
    let region = number
        .country()
        .id()
        .and_then(|id| region_text(id.as_ref()));
    let line_type = LineType::of(number.number_type(&phonenumber::metadata::DATABASE));
    PhoneMeta {
        region,
        line_type,
        valid,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Made-up numbers in ranges libphonenumber assigns to each case.
    #[test]
    fn caribbean_plus_one_numbers_are_not_us() {
        let jm = of_e164("+18765550123");
        assert_eq!(jm.region, Some("JM"), "{jm:?}");
        let dom = of_e164("+18095550123");
        assert_eq!(dom.region, Some("DO"), "{dom:?}");
        let ca = of_e164("+16135550123");
        assert_eq!(ca.region, Some("CA"), "{ca:?}");
    }

    #[test]
    fn uk_premium_rate_and_crown_dependencies() {
        let premium = of_e164("+449098790123");
        assert_eq!(premium.line_type, LineType::PremiumRate, "{premium:?}");
        assert_eq!(premium.region, Some("GB"));
        assert!(premium.valid);
        // Ofcom's drama range is reserved, never assigned: not valid.
        let drama = of_e164("+447700900123");
        assert!(!drama.valid, "{drama:?}");
        let toll_free = of_e164("+18005550123");
        assert_eq!(toll_free.line_type, LineType::TollFree);
        assert_eq!(of_e164("+447781000123").region, Some("GG"));
        assert_eq!(of_e164("+77011234567").region, Some("KZ"));
    }

    #[test]
    fn unplaceable_text_is_invalid_and_unknown() {
        assert_eq!(of_e164("5551230067"), PhoneMeta::UNPLACEABLE);
        assert_eq!(of_e164("+1********67"), PhoneMeta::UNPLACEABLE);
        assert_eq!(of_e164("+"), PhoneMeta::UNPLACEABLE);
        assert!(!of_e164("+1555").valid);
    }

    #[test]
    fn line_type_names_round_trip() {
        for t in LineType::ALL {
            assert_eq!(LineType::parse(t.name()), Some(t));
        }
        assert_eq!(LineType::parse("PREMIUM_RATE"), Some(LineType::PremiumRate));
        assert_eq!(LineType::parse("premium"), None);
    }
}

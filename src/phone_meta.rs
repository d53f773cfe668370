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
//! per run (a bounded cache keyed by the E.164 text), so an input with
//! millions of sends to a few thousand numbers parses a few thousand times.
//! The metadata is loaded on first use only: runs that never ask for a
//! region or line type do not pay for it.
//!
//! Memory (massif showed the regexes as the largest item of `-o ndjson`):
//! - libphonenumber's patterns (`\d{6}`, ...) are compiled by `phonenumber`
//!   in Unicode mode, where every `\d` is an automaton over all Unicode
//!   digits: tens to hundreds of KB per pattern, plus search caches. The
//!   numbers asked about here are ASCII digits only, on which an ASCII-mode
//!   regex of the same pattern finds exactly the same matches. So before a
//!   number is parsed, the patterns of the regions of its calling code are
//!   compiled in ASCII mode and put into the crate's own regex cache (a
//!   bounded LRU) under their source text ([`prepare_code`]), where the
//!   crate finds and uses them; a pattern that does not compile in ASCII
//!   mode is left to the crate.
//! - the `regex` crate keeps a search cache per regex *per thread* that
//!   runs it, so all parsing is done on one thread, `phone-metadata`,
//!   which owns the run-wide result cache; the workers keep a small
//!   per-thread cache in front of it and ask it over a channel on a miss.
//!
//! Together these cut the peak RSS of `parse -o ndjson` on the benchmark
//! corpus from about 50 MB to the figure in the README's performance table.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::{Mutex, OnceLock, mpsc};

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

/// Most distinct numbers a cache holds before it starts over (about 100
/// bytes each): the run-wide one on the metadata thread and each worker's.
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

/// One question to the metadata thread: the E.164 text and where to send
/// the answer.
type Request = (Box<str>, mpsc::SyncSender<PhoneMeta>);

/// The metadata thread's inbox, started on first use (or by [`warm_up`]).
/// `None` when the thread could not be started: callers then parse on
/// their own thread (same answers, more memory).
fn server() -> Option<&'static mpsc::Sender<Request>> {
    static SERVER: OnceLock<Option<mpsc::Sender<Request>>> = OnceLock::new();
    SERVER
        .get_or_init(|| {
            let (tx, rx) = mpsc::channel::<Request>();
            std::thread::Builder::new()
                .name("phone-metadata".into())
                .spawn(move || serve(rx))
                .ok()?;
            Some(tx)
        })
        .as_ref()
}

/// The metadata thread: loads the metadata at once (so the first record
/// that needs it waits less), then answers until every sender is gone,
/// parsing each distinct number once.
fn serve(requests: mpsc::Receiver<Request>) {
    let _ = parse("+12125550123");
    let mut cache: HashMap<Box<str>, PhoneMeta> = HashMap::new();
    for (e164, reply) in requests {
        let meta = match cache.get(&e164) {
            Some(meta) => *meta,
            None => {
                let meta = parse(&e164);
                if cache.len() >= CACHE_LIMIT {
                    cache.clear();
                }
                cache.insert(e164, meta);
                meta
            }
        };
        let _ = reply.send(meta);
    }
}

/// Asks the metadata thread; parses here when it cannot be reached.
fn ask(e164: &str) -> PhoneMeta {
    let answer = server().and_then(|inbox| {
        let (reply, answer) = mpsc::sync_channel(1);
        inbox.send((e164.into(), reply)).ok()?;
        answer.recv().ok()
    });
    answer.unwrap_or_else(|| parse(e164))
}

/// Starts the metadata thread now, which loads the metadata at once, so
/// the first record that needs it does not wait (about 0.1 s; a live
/// `fetch` or `watch` overlaps it with its first request). Call it when
/// the output or the audit will ask for metadata; calling it more than
/// once is harmless.
pub fn warm_up() {
    let _ = server();
}

/// Metadata of an E.164 number (`+18765550123`); cached per thread and
/// per run. Text that is not `+` and digits is [`PhoneMeta::UNPLACEABLE`].
pub fn of_e164(e164: &str) -> PhoneMeta {
    if let Some(meta) = CACHE.with(|c| c.borrow().get(e164).copied()) {
        return meta;
    }
    let meta = if is_e164_text(e164) {
        ask(e164)
    } else {
        PhoneMeta::UNPLACEABLE
    };
    CACHE.with(|c| {
        let mut cache = c.borrow_mut();
        if cache.len() >= CACHE_LIMIT {
            cache.clear();
        }
        cache.insert(e164.into(), meta);
    });
    meta
}

/// `+` and at least one ASCII digit, nothing else.
fn is_e164_text(text: &str) -> bool {
    text.strip_prefix('+')
        .is_some_and(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()))
}

/// Most patterns kept compiled in the crate's regex cache (least recently
/// used first out; the crate's default is 100). One number needs the
/// patterns of every region of the codes it could start with: at most
/// about 330 (`+1`, 25 regions), so they all stay in while it is parsed.
const PATTERN_CACHE: usize = 512;

/// Compiles the patterns that parsing and classifying a number with this
/// calling code (1 to 3 digits) use, for every region of the code, in
/// ASCII mode, into the `phonenumber` regex cache where missing (marking
/// them recently used where present). Matching is unchanged for ASCII
/// text, which is all [`parse`] gives the crate.
fn prepare_code(code: u16) {
    let database = &*phonenumber::metadata::DATABASE;
    let Some(regions) = database.by_code(&code) else {
        return;
    };
    let cache = database.cache();
    let Ok(mut cache) = cache.lock() else {
        return;
    };
    if cache.capacity() < PATTERN_CACHE {
        cache.set_capacity(PATTERN_CACHE);
    }
    for meta in regions {
        for source in patterns(meta) {
            // `contains_key` also marks it recently used.
            if cache.contains_key(source) {
                continue;
            }
            if let Ok(re) = ascii_regex(source) {
                cache.insert(source.to_owned(), re);
            }
        }
    }
}

/// A pattern as the crate builds it (`ignore_whitespace(true)`, nothing
/// else) but with Unicode off: `\d` is `[0-9]`.
fn ascii_regex(source: &str) -> Result<regex::Regex, regex::Error> {
    regex::RegexBuilder::new(source)
        .ignore_whitespace(true)
        .unicode(false)
        .build()
}

/// The patterns of a region that parsing a `+digits` number and asking
/// its region, type and validity use: the national number pattern of the
/// general and each classified descriptor, the leading digits that pick a
/// region among those sharing a code, and the national prefix for parsing.
fn patterns(meta: &phonenumber::Metadata) -> impl Iterator<Item = &str> {
    let descriptors = meta.descriptors();
    let kinds = [
        Some(descriptors.general()),
        descriptors.fixed_line(),
        descriptors.mobile(),
        descriptors.toll_free(),
        descriptors.premium_rate(),
        descriptors.shared_cost(),
        descriptors.personal_number(),
        descriptors.voip(),
        descriptors.pager(),
        descriptors.uan(),
        descriptors.voicemail(),
    ];
    kinds
        .into_iter()
        .flatten()
        .map(|d| d.national_number())
        .chain(meta.leading_digits())
        .chain(meta.national_prefix_for_parsing())
        .map(|r| r.as_str())
}

/// Parses with libphonenumber's metadata (on the metadata thread, except
/// when it could not be started).
fn parse(e164: &str) -> PhoneMeta {
    if !is_e164_text(e164) {
        return PhoneMeta::UNPLACEABLE;
    }
    // The calling code is 1 to 3 digits: prepare every code the number
    // could start with (the crate takes the first that exists).
    let digits = &e164[1..];
    for len in 1..=digits.len().min(3) {
        if let Ok(code) = digits[..len].parse::<u16>() {
            prepare_code(code);
        }
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

    /// The premise of [`prepare_code`]: on ASCII digit text, every pattern
    /// of every region finds the same match and the same groups in ASCII
    /// mode as in the Unicode mode the crate compiles it in. Haystacks:
    /// each region's example numbers, cut, lengthened and with a leading 0
    /// or national prefix, so patterns are tried on near misses too.
    #[test]
    fn ascii_patterns_match_like_the_crates_unicode_ones() {
        let database = &*phonenumber::metadata::DATABASE;
        let mut checked = 0usize;
        for meta in database.iter() {
            let d = meta.descriptors();
            let mut texts: Vec<String> = Vec::new();
            use phonenumber::Type as T;
            let kinds = [
                T::Unknown,
                T::FixedLine,
                T::Mobile,
                T::TollFree,
                T::PremiumRate,
                T::SharedCost,
                T::PersonalNumber,
                T::Voip,
                T::Pager,
                T::Uan,
                T::Voicemail,
            ];
            for kind in kinds {
                if let Some(example) = d.get(kind).and_then(|x| x.example()) {
                    let e = example.to_string();
                    texts.push(format!("0{e}"));
                    texts.push(format!("{e}0"));
                    texts.push(e[1..].to_string());
                    texts.push(e[..e.len() - 1].to_string());
                    if let Some(prefix) = meta.national_prefix() {
                        texts.push(format!("{prefix}{e}"));
                    }
                    texts.push(e);
                }
            }
            texts.extend(["1", "00", "123456789", "9999999999999"].map(String::from));
            for source in patterns(meta) {
                let Ok(ascii) = ascii_regex(source) else {
                    continue;
                };
                let unicode = regex::RegexBuilder::new(source)
                    .ignore_whitespace(true)
                    .build()
                    .unwrap();
                for text in &texts {
                    let spans = |re: &regex::Regex| {
                        re.captures(text)
                            .map(|c| c.iter().map(|m| m.map(|m| m.range())).collect::<Vec<_>>())
                    };
                    assert_eq!(
                        spans(&ascii),
                        spans(&unicode),
                        "{} pattern {source:?} on {text:?}",
                        meta.id()
                    );
                    checked += 1;
                }
            }
        }
        assert!(checked > 10_000, "{checked}");
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

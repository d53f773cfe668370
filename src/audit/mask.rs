//! `--mask phones|users|all`: phone digits but the calling code and the last
//! two become `*`, logins and user names become a keyed hash (`user-…`, the
//! key random per run, so a value masks the same way throughout one report
//! and cannot be looked up across reports).
//!
//! A masked record is an owned copy: every text field is rewritten, and so
//! is every string, number and object key of the raw `event_details`,
//! `debug_data` and `headers` JSON. The values to hide are collected from
//! where Okta puts them (MobilePhone and User objects, the actor,
//! `debugData.phoneNumber`, as a string or a JSON number), then replaced
//! wherever they occur, in any spelling:
//!
//! - a phone is found by its digits, whatever separates them (`+44 7700
//!   900124`, `(555) 010-0001`, `+1.555.010.0001`, `%20`, zero-width and
//!   bidi characters) and in whatever script they are written ([`digit`]:
//!   fullwidth, Arabic-Indic, Devanagari, …): a run of digits and
//!   separators that contains the number's national significant digits
//!   (or, for a number that cannot be placed, all its digits) is replaced
//!   as a whole by the masked number;
//! - a login or user name is found in any letter case (Unicode lowercase)
//!   and with `@` written `%40`.

use super::json::Json;
use super::keys::{Facts, Key, UNKNOWN};
use crate::phone;
use crate::record::{Party, Record};
use sha2::{Digest, Sha256};
use std::borrow::Cow;

/// What `--mask` hides.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum MaskChoice {
    /// Phone numbers.
    Phones,
    /// Logins and user names.
    Users,
    /// Both.
    All,
}

/// Needles shorter than this are only replaced when they are a whole string
/// (so a two-letter display name does not rewrite every word containing it);
/// phones shorter than this (in digits) only when a digit run is exactly them.
const MIN_SUBSTRING: usize = 6;

#[derive(Debug, Clone)]
pub struct Masker {
    phones: bool,
    users: bool,
    key: [u8; 32],
}

/// Owned JSON texts a masked record borrows from.
#[derive(Debug, Default)]
pub struct MaskStore {
    details: String,
    debug: Option<String>,
}

impl Masker {
    /// A masker with a fresh random key.
    pub fn new(choice: MaskChoice) -> Self {
        Self::with_key(choice, rand::random())
    }

    pub fn with_key(choice: MaskChoice, key: [u8; 32]) -> Self {
        Masker {
            phones: matches!(choice, MaskChoice::Phones | MaskChoice::All),
            users: matches!(choice, MaskChoice::Users | MaskChoice::All),
            key,
        }
    }

    /// A normalised phone number, masked (when phones are masked).
    pub fn phone<'t>(&self, number: &'t str) -> Cow<'t, str> {
        if !self.phones || number == UNKNOWN {
            return Cow::Borrowed(number);
        }
        match ascii_digits(number) {
            Cow::Borrowed(_) => phone::mask(number),
            Cow::Owned(ascii) => Cow::Owned(phone::mask(&ascii).into_owned()),
        }
    }

    /// A login or user name as its keyed hash (when users are masked). Okta
    /// logins are case-insensitive, so every letter case of one login gives
    /// the same hash.
    pub fn login<'t>(&self, login: &'t str) -> Cow<'t, str> {
        if !self.users || login.is_empty() || login == UNKNOWN {
            return Cow::Borrowed(login);
        }
        let mut hasher = Sha256::new();
        hasher.update(self.key);
        hasher.update([0u8]);
        hasher.update(login.to_lowercase().as_bytes());
        let digest = hasher.finalize();
        let hex: String = digest.iter().take(6).map(|b| format!("{b:02x}")).collect();
        Cow::Owned(format!("user-{hex}"))
    }

    /// A group key value as it may be shown.
    pub fn group<'t>(&self, key: Option<Key>, value: &'t str) -> Cow<'t, str> {
        match key {
            // A number range is most of a number: masked like one.
            Some(Key::Phone | Key::Prefix) => self.phone(value),
            Some(Key::User | Key::Actor) => self.login(value),
            _ => Cow::Borrowed(value),
        }
    }

    /// An owned, masked copy of `record`. With `json` false the raw JSON
    /// fields are not rewritten but emptied (they are not rendered).
    pub fn record<'y>(
        &self,
        record: &Record<'y>,
        facts: &Facts<'_>,
        json: bool,
        store: &'y mut MaskStore,
    ) -> Record<'y> {
        let cc = record.country_calling_code.as_deref();
        let mut needles = self.needles(record, facts, cc);
        // The whole event is searched for values to hide even when its JSON
        // is not rendered: they may also appear in the text fields.
        let parsed: Option<Json> = serde_json::from_str(record.event_details).ok();
        if let Some(tree) = &parsed {
            self.collect(tree, None, cc, &mut needles);
        }
        needles.sort();
        let mut out = record.clone();
        // The masked number no longer parses: keep the real one's metadata.
        out.phone_meta = facts.meta();
        mask_json_fields(parsed.filter(|_| json), record, &needles, store);
        out.event_details = &store.details;
        out.debug_data = store.debug.as_deref();
        out.headers = record.headers.as_deref().map(|h| needles.text_json(h));
        self.mask_parties(&mut out, cc);
        mask_text_fields(&mut out, &needles);
        out
    }

    /// The values to hide wherever they appear: the record's phone (every
    /// spelling, and the one the facts normalised) and its user's and
    /// actor's logins and names, as `--mask` asks.
    fn needles(&self, record: &Record<'_>, facts: &Facts<'_>, cc: Option<&str>) -> Needles {
        let mut needles = Needles::default();
        if self.phones {
            if let Some(p) = &record.phone {
                for raw in [&p.alternate_id, &p.display_name].into_iter().flatten() {
                    needles.phone(self, raw, cc);
                }
            }
            if let Some(p) = &facts.phone {
                needles.phone(self, p, cc);
            }
        }
        if self.users {
            for p in [&record.okta_user, &record.actor].into_iter().flatten() {
                for raw in [&p.alternate_id, &p.display_name].into_iter().flatten() {
                    needles.login(self, raw);
                }
            }
        }
        needles
    }

    /// The phone's and the people's identifying fields, masked as such
    /// (a phone keeps its calling code and last digits).
    fn mask_parties(&self, out: &mut Record<'_>, cc: Option<&str>) {
        if self.phones
            && let Some(p) = &mut out.phone
        {
            for field in [&mut p.alternate_id, &mut p.display_name] {
                if let Some(raw) = field.as_deref() {
                    let masked = self.phone_raw(raw, cc).into_owned();
                    *field = Some(Cow::Owned(masked));
                }
            }
        }
        if self.users {
            for p in [&mut out.okta_user, &mut out.actor].into_iter().flatten() {
                mask_party(p, |raw| self.login(raw).into_owned());
            }
        }
    }

    /// A phone number in any spelling, normalised then masked.
    fn phone_raw<'t>(&self, raw: &'t str, cc: Option<&str>) -> Cow<'t, str> {
        match phone::normalize(&ascii_digits(raw), cc) {
            Some(n) => Cow::Owned(phone::mask(&n).into_owned()),
            None => Cow::Borrowed(raw),
        }
    }

    /// Finds phone numbers and logins where Okta puts them in an event.
    fn collect(&self, v: &Json, parent: Option<&str>, cc: Option<&str>, needles: &mut Needles) {
        match v {
            Json::Object(entries) => {
                let kind = v.get("type").and_then(Json::as_str);
                let phone_obj = self.phones && matches!(kind, Some("MobilePhone" | "Phone"));
                let user_obj = self.users && (kind == Some("User") || parent == Some("actor"));
                for (k, child) in entries {
                    if self.phones
                        && k == "phoneNumber"
                        && let Json::Number(n) = child
                    {
                        needles.phone(self, &n.to_string(), cc);
                    }
                    if let Some(s) = child.as_str() {
                        let named = k == "alternateId" || k == "displayName";
                        if phone_obj && named {
                            needles.phone(self, s, cc);
                        }
                        if user_obj && named {
                            needles.login(self, s);
                        }
                        if self.phones && k == "phoneNumber" {
                            needles.phone(self, s, cc);
                        }
                    }
                    self.collect(child, Some(k), cc, needles);
                }
            }
            Json::Array(items) => {
                for item in items {
                    self.collect(item, parent, cc, needles);
                }
            }
            _ => {}
        }
    }
}

/// The raw JSON fields (`event_details`, `debug_data`) rewritten with
/// the needles hidden into `store`, or emptied when `tree` is `None` (not
/// rendered, or not JSON).
fn mask_json_fields(
    tree: Option<Json>,
    record: &Record<'_>,
    needles: &Needles,
    store: &mut MaskStore,
) {
    match tree {
        Some(mut tree) => {
            needles.rewrite(&mut tree);
            let debug = tree
                .get("debugContext")
                .and_then(|c| c.get("debugData"))
                .map(Json::to_text);
            store.details = tree.to_text();
            store.debug = debug.filter(|_| record.debug_data.is_some());
        }
        None => {
            store.details = "null".to_string();
            store.debug = None;
        }
    }
}

/// Every other text field of `out`, in every spelling, with the needles
/// hidden.
fn mask_text_fields(out: &mut Record<'_>, needles: &Needles) {
    for p in [&mut out.actor, &mut out.okta_user, &mut out.phone]
        .into_iter()
        .flatten()
    {
        for field in [
            &mut p.id,
            &mut p.alternate_id,
            &mut p.display_name,
            &mut p.kind,
        ] {
            mask_field(field, needles);
        }
    }
    for field in [
        &mut out.published,
        &mut out.message,
        &mut out.event_id,
        &mut out.event_type,
        &mut out.event_time,
        &mut out.version,
        &mut out.uuid,
        &mut out.source,
        &mut out.outcome_result,
        &mut out.outcome_reason,
        &mut out.client_ip,
        &mut out.country_calling_code,
        &mut out.sms_provider,
        &mut out.transaction_id,
    ] {
        mask_field(field, needles);
    }
}

fn mask_party(party: &mut Party<'_>, mask: impl Fn(&str) -> String) {
    for field in [&mut party.alternate_id, &mut party.display_name] {
        if let Some(raw) = field.as_deref() {
            let masked = mask(raw);
            *field = Some(Cow::Owned(masked));
        }
    }
}

/// Code points of the digit zero of the Unicode decimal-digit (`Nd`) runs
/// that a phone number may be written in; each run holds 0 to 9 in order.
const DIGIT_ZEROS: &[u32] = &[
    0x30, 0x660, 0x6f0, 0x7c0, 0x966, 0x9e6, 0xa66, 0xae6, 0xb66, 0xbe6, 0xc66, 0xce6, 0xd66,
    0xde6, 0xe50, 0xed0, 0xf20, 0x1040, 0x1090, 0x17e0, 0x1810, 0x1946, 0x19d0, 0x1a80, 0x1a90,
    0x1b50, 0x1bb0, 0x1c40, 0x1c50, 0x2080, 0xa620, 0xa8d0, 0xa900, 0xa9d0, 0xa9f0, 0xaa50, 0xabf0,
    0xff10, 0x104a0, 0x1d7ce, 0x1d7d8, 0x1d7e2, 0x1d7ec, 0x1d7f6, 0x1fbf0,
];

/// The value of `c` as a decimal digit in any script: ASCII, fullwidth,
/// Arabic-Indic, extended Arabic-Indic, the Indic scripts, Thai, Myanmar,
/// mathematical digits, sub- and superscripts, … (`'٤'` → 4).
pub fn digit(c: char) -> Option<u8> {
    let cp = c as u32;
    if c.is_ascii_digit() {
        return Some(cp as u8 - b'0');
    }
    match c {
        '\u{b2}' => return Some(2),
        '\u{b3}' => return Some(3),
        '\u{b9}' => return Some(1),
        '\u{2070}' => return Some(0),
        '\u{2074}'..='\u{2079}' => return Some((cp - 0x2070) as u8),
        _ => {}
    }
    if cp < 0x660 {
        return None;
    }
    DIGIT_ZEROS
        .iter()
        .find(|zero| (**zero..**zero + 10).contains(&cp))
        .map(|zero| (cp - zero) as u8)
}

/// `text` with every [`digit`] written as an ASCII digit (and a fullwidth
/// plus sign as `+`), so phone normalisation sees one spelling.
pub fn ascii_digits(text: &str) -> Cow<'_, str> {
    if text.is_ascii() {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.chars()
            .map(|c| match digit(c) {
                Some(d) => char::from(b'0' + d),
                None if c == '\u{ff0b}' => '+',
                None => c,
            })
            .collect(),
    )
}

/// What may stand between the digits of one phone number: spaces of every
/// width, dashes, dots, slashes, parentheses, `+`, and invisible characters.
fn is_phone_separator(c: char) -> bool {
    matches!(
        c,
        ' ' | '\t'
            | '-'
            | '.'
            | '/'
            | '('
            | ')'
            | '+'
            | '\u{a0}'
            | '\u{ad}'
            | '\u{2000}'..='\u{2015}'
            | '\u{2028}'..='\u{202f}'
            | '\u{2060}'..='\u{2069}'
            | '\u{2212}'
            | '\u{3000}'
            | '\u{feff}'
            | '\u{ff08}'
            | '\u{ff09}'
            | '\u{ff0b}'
            | '\u{ff0d}'
            | '\u{ff0e}'
            | '\u{ff0f}'
    )
}

/// Byte length of a separator at the start of `text`: one separator
/// character, or a percent-encoded one (`%20`, `%2B`, `%28`, …).
fn separator_len(text: &str) -> Option<usize> {
    let c = text.chars().next()?;
    if is_phone_separator(c) {
        return Some(c.len_utf8());
    }
    let b = text.as_bytes();
    if b.len() >= 3
        && b[0] == b'%'
        && b[1] == b'2'
        && matches!(
            b[2].to_ascii_uppercase(),
            b'0' | b'8' | b'9' | b'B' | b'D' | b'E' | b'F'
        )
    {
        return Some(3);
    }
    None
}

/// Separators allowed in a row inside one number (`) - `).
const MAX_SEPARATOR_RUN: usize = 3;

/// One run of digits and separators in a text: its byte range (first to
/// last digit) and its digits in ASCII.
struct DigitRun {
    start: usize,
    end: usize,
    digits: String,
}

/// The digit runs of `text`, in order.
fn digit_runs(text: &str) -> Vec<DigitRun> {
    let mut runs = Vec::new();
    let mut i = 0;
    while i < text.len() {
        let Some(c) = text[i..].chars().next() else {
            break;
        };
        let Some(d) = digit(c) else {
            i += c.len_utf8();
            continue;
        };
        let mut run = DigitRun {
            start: i,
            end: i + c.len_utf8(),
            digits: String::from(char::from(b'0' + d)),
        };
        let mut j = run.end;
        let mut separators = 0;
        while j < text.len() {
            let Some(c) = text[j..].chars().next() else {
                break;
            };
            if let Some(d) = digit(c) {
                run.digits.push(char::from(b'0' + d));
                j += c.len_utf8();
                run.end = j;
                separators = 0;
            } else if let Some(len) =
                separator_len(&text[j..]).filter(|_| separators < MAX_SEPARATOR_RUN)
            {
                j += len;
                separators += 1;
            } else {
                break;
            }
        }
        i = run.end;
        runs.push(run);
    }
    runs
}

/// Byte length of the `+`, `(` or `%2B` just before `at` that belong to the
/// number starting there.
fn prefix_len(text: &str, at: usize) -> usize {
    let before = &text[..at];
    let mut len = 0;
    for _ in 0..2 {
        let rest = &before[..before.len() - len];
        if let Some(c) = rest
            .chars()
            .next_back()
            .filter(|c| matches!(c, '+' | '(' | '\u{ff0b}' | '\u{ff08}'))
        {
            len += c.len_utf8();
        } else if rest.as_bytes().ends_with(b"%2B") || rest.as_bytes().ends_with(b"%2b") {
            len += 3;
        } else {
            break;
        }
    }
    len
}

/// The byte end of `needle` (already lowercase) in `hay` at `at`, compared
/// in Unicode lowercase.
fn match_ci_at(hay: &str, at: usize, needle: &str) -> Option<usize> {
    let mut rest = needle;
    for (off, c) in hay[at..].char_indices() {
        for l in c.to_lowercase() {
            rest = rest.strip_prefix(l)?;
        }
        if rest.is_empty() {
            return Some(at + off + c.len_utf8());
        }
    }
    None
}

/// `hay` with every case-insensitive occurrence of `needle` (lowercase)
/// replaced by `to`, or `None` when there is none.
fn replace_ci(hay: &str, needle: &str, to: &str) -> Option<String> {
    let first = needle.chars().next()?;
    let mut out = String::new();
    let mut last = 0;
    let mut i = 0;
    while i < hay.len() {
        let Some(c) = hay[i..].chars().next() else {
            break;
        };
        if c.to_lowercase().next() == Some(first)
            && let Some(end) = match_ci_at(hay, i, needle)
        {
            out.push_str(&hay[last..i]);
            out.push_str(to);
            last = end;
            i = end;
            continue;
        }
        i += c.len_utf8();
    }
    if last == 0 {
        return None;
    }
    out.push_str(&hay[last..]);
    Some(out)
}

/// A phone to hide: the digits that identify it in any spelling and its
/// masked form.
#[derive(Debug)]
struct PhoneNeedle {
    /// National significant digits of a placed number (or all the digits
    /// of one that cannot be placed), ASCII.
    key: String,
    masked: String,
}

/// The values to hide in one record and what each becomes.
#[derive(Debug, Default)]
struct Needles {
    /// Logins, names and non-numeric phone texts, lowercase, longest first.
    texts: Vec<(String, String)>,
    /// Phones, longest key first.
    phones: Vec<PhoneNeedle>,
}

impl Needles {
    fn push(&mut self, from: &str, to: String) {
        let from = from.to_lowercase();
        if from.is_empty()
            || from == to.to_lowercase()
            || self.texts.iter().any(|(f, _)| *f == from)
        {
            return;
        }
        self.texts.push((from, to));
    }

    fn phone(&mut self, masker: &Masker, raw: &str, cc: Option<&str>) {
        let masked = masker.phone_raw(raw, cc).into_owned();
        let ascii = ascii_digits(raw.trim());
        let digits: String = ascii.chars().filter(char::is_ascii_digit).collect();
        if digits.is_empty() {
            self.push(raw.trim(), masked);
            return;
        }
        let key = match phone::normalize(&ascii, cc) {
            Some(n) if n.starts_with('+') => {
                let code = phone::calling_code(&n).map_or(0, str::len);
                let national = n[1 + code..].to_string();
                if national.len() >= MIN_SUBSTRING && national.bytes().all(|b| b.is_ascii_digit()) {
                    national
                } else {
                    digits.clone()
                }
            }
            _ => digits.trim_start_matches('0').to_string(),
        };
        let key = if key.is_empty() { digits } else { key };
        if !self.phones.iter().any(|p| p.key == key) {
            self.phones.push(PhoneNeedle { key, masked });
        }
    }

    fn login(&mut self, masker: &Masker, raw: &str) {
        let masked = masker.login(raw).into_owned();
        self.push(raw, masked.clone());
        if raw.contains('@') {
            self.push(&raw.replace('@', "%40"), masked);
        }
    }

    /// Longest first, so a value is replaced before any part of it.
    fn sort(&mut self) {
        self.texts.sort_by_key(|p| std::cmp::Reverse(p.0.len()));
        self.phones.sort_by_key(|p| std::cmp::Reverse(p.key.len()));
    }

    /// The masked phone a run of `digits` is, or contains.
    fn phone_for(&self, digits: &str) -> Option<&str> {
        self.phones
            .iter()
            .find(|p| {
                if p.key.len() >= MIN_SUBSTRING {
                    digits.contains(p.key.as_str())
                } else {
                    digits.trim_start_matches('0') == p.key
                }
            })
            .map(|p| p.masked.as_str())
    }

    fn text<'t>(&self, text: &'t str) -> Cow<'t, str> {
        let mut out = Cow::Borrowed(text);
        // Most text is ASCII: its lowercase copy is searched with the fast
        // substring search (same byte offsets); other text char by char.
        let mut lower = text.is_ascii().then(|| text.to_ascii_lowercase());
        for (from, to) in &self.texts {
            let (whole, inside) = match &lower {
                Some(lower) => (*lower == *from, lower.contains(from.as_str())),
                None => (
                    out.chars().flat_map(char::to_lowercase).eq(from.chars()),
                    true,
                ),
            };
            if whole {
                return Cow::Owned(to.clone());
            }
            if inside
                && from.chars().count() >= MIN_SUBSTRING
                && let Some(new) = replace_ci(&out, from, to)
            {
                lower = new.is_ascii().then(|| new.to_ascii_lowercase());
                out = Cow::Owned(new);
            }
        }
        // A run can only hold a phone when the text has as many digits as
        // the shortest phone key.
        let shortest = self.phones.iter().map(|p| p.key.len()).min();
        if let Some(shortest) = shortest
            && out.chars().filter(|c| digit(*c).is_some()).count() >= shortest
            && let Some(new) = self.replace_phones(&out)
        {
            out = Cow::Owned(new);
        }
        out
    }

    /// `text` with each digit run that holds a phone replaced by its masked
    /// form (a `+`, `(` or `%2B` just before it included).
    fn replace_phones(&self, text: &str) -> Option<String> {
        let mut out = String::new();
        let mut last = 0;
        for run in digit_runs(text) {
            if let Some(masked) = self.phone_for(&run.digits) {
                let start = run.start - prefix_len(text, run.start);
                let start = start.max(last);
                out.push_str(&text[last..start]);
                out.push_str(masked);
                last = run.end;
            }
        }
        if last == 0 {
            return None;
        }
        out.push_str(&text[last..]);
        Some(out)
    }

    /// Rewrites a JSON text (headers); text that is not JSON is replaced
    /// as plain text.
    fn text_json(&self, text: &str) -> Cow<'static, str> {
        match serde_json::from_str::<Json>(text) {
            Ok(mut tree) => {
                self.rewrite(&mut tree);
                Cow::Owned(tree.to_text())
            }
            Err(_) => Cow::Owned(self.text(text).into_owned()),
        }
    }

    /// Masks every string, object key and number of a JSON tree; a number
    /// that holds a phone becomes the masked phone as a string.
    fn rewrite(&self, v: &mut Json) {
        match v {
            Json::String(s) => {
                if let Cow::Owned(new) = self.text(s) {
                    *s = new;
                }
            }
            Json::Number(n) => {
                let digits = n.to_string();
                if digits.bytes().all(|b| b.is_ascii_digit() || b == b'-')
                    && let Some(masked) = self.phone_for(digits.trim_start_matches('-'))
                {
                    *v = Json::String(masked.to_string());
                }
            }
            Json::Array(items) => items.iter_mut().for_each(|i| self.rewrite(i)),
            Json::Object(entries) => entries.iter_mut().for_each(|(k, v)| {
                if let Cow::Owned(new) = self.text(k) {
                    *k = new;
                }
                self.rewrite(v)
            }),
            _ => {}
        }
    }
}

/// Masks one text field of a record in place.
fn mask_field<'y>(field: &mut Option<Cow<'y, str>>, needles: &Needles) {
    let masked = match field.as_deref().map(|t| needles.text(t)) {
        Some(Cow::Owned(m)) => Some(m),
        _ => None,
    };
    if let Some(m) = masked {
        *field = Some(Cow::Owned(m));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const EVENT: &str = r#"{"uuid":"e1","displayMessage":"SMS to +1 555-123-0067 for alice@example.com",
        "actor":{"id":"00uA","type":"User","alternateId":"alice@example.com","displayName":"Alice Example"},
        "target":[{"type":"User","id":"00u1","alternateId":"alice@example.com","displayName":"Alice Example"},
                  {"type":"MobilePhone","id":"mbl1","alternateId":"+1 555-123-0067","displayName":"+15551230067"}],
        "debugContext":{"debugData":{"phoneNumber":"5551230067","countryCallingCode":"1",
            "requestUri":"/api/v1/authn?login=alice%40example.com&phone=15551230067"}}}"#;

    fn masked(choice: MaskChoice, f: impl FnOnce(&Record<'_>)) {
        let record = Record::from_event(EVENT, serde_json::from_str(EVENT).unwrap(), None);
        let facts = Facts::of(&record);
        let masker = Masker::with_key(choice, [7; 32]);
        let mut store = MaskStore::default();
        let out = masker.record(&record, &facts, true, &mut store);
        f(&out);
    }

    fn all_text(r: &Record<'_>) -> String {
        format!(
            "{:?} {:?} {:?} {:?} {} {:?}",
            r.message, r.actor, r.okta_user, r.phone, r.event_details, r.debug_data
        )
    }

    #[test]
    fn phones_leave_no_digit_behind() {
        masked(MaskChoice::Phones, |r| {
            let text = all_text(r);
            for needle in ["555-123", "5551230067", "15551230067"] {
                assert!(!text.contains(needle), "{needle} in {text}");
            }
            assert!(text.contains("+1********67"));
            assert!(text.contains("alice@example.com"), "users untouched");
            assert_eq!(
                r.phone.as_ref().unwrap().alternate_id.as_deref(),
                Some("+1********67")
            );
            assert_eq!(r.phone.as_ref().unwrap().id.as_deref(), Some("mbl1"));
            // Key order survives the rewrite.
            assert!(
                r.event_details
                    .starts_with(r#"{"uuid":"e1","displayMessage":"#)
            );
            assert!(
                r.debug_data
                    .unwrap()
                    .contains(r#""phoneNumber":"+1********67""#)
            );
        });
    }

    #[test]
    fn users_become_one_consistent_hash() {
        masked(MaskChoice::Users, |r| {
            let text = all_text(r);
            for needle in ["alice", "Alice Example"] {
                assert!(!text.contains(needle), "{needle} in {text}");
            }
            let login = r.okta_user.as_ref().unwrap().alternate_id.clone().unwrap();
            assert!(login.starts_with("user-") && login.len() == 17, "{login}");
            assert_eq!(
                r.actor.as_ref().unwrap().alternate_id.as_deref(),
                Some(&*login)
            );
            assert!(r.event_details.contains(&*login));
            assert!(text.contains("5551230067"), "phones untouched");
        });
    }

    #[test]
    fn all_masks_both_and_keys_differ_per_masker() {
        masked(MaskChoice::All, |r| {
            let text = all_text(r);
            assert!(
                !text.contains("alice") && !text.contains("5551230067"),
                "{text}"
            );
        });
        let a = Masker::with_key(MaskChoice::Users, [1; 32]);
        let b = Masker::with_key(MaskChoice::Users, [2; 32]);
        assert_eq!(a.login("x@y"), a.login("x@y"));
        assert_ne!(a.login("x@y"), b.login("x@y"));
        assert_eq!(a.login(UNKNOWN), UNKNOWN);
        assert_eq!(a.group(Some(Key::Country), "1"), "1");
    }

    #[test]
    fn without_json_the_raw_fields_are_emptied() {
        let record = Record::from_event(EVENT, serde_json::from_str(EVENT).unwrap(), None);
        let facts = Facts::of(&record);
        let masker = Masker::with_key(MaskChoice::All, [7; 32]);
        let mut store = MaskStore::default();
        let out = masker.record(&record, &facts, false, &mut store);
        assert_eq!(out.event_details, "null");
        assert_eq!(out.debug_data, None);
    }

    /// Runs the masker on `event` and returns every rendered text of the
    /// masked record (raw JSON included) as one string.
    fn masked_text(event: &str, choice: MaskChoice, json: bool) -> String {
        let record = Record::from_event(event, serde_json::from_str(event).unwrap(), None);
        let facts = Facts::of(&record);
        let masker = Masker::with_key(choice, [7; 32]);
        let mut store = MaskStore::default();
        let r = masker.record(&record, &facts, json, &mut store);
        format!(
            "{} {:?} {:?}",
            all_text(&r),
            r.outcome_reason,
            (&r.headers, &r.published, &r.transaction_id, &r.sms_provider)
        )
    }

    #[test]
    fn numeric_phone_numbers_are_masked_in_the_raw_json() {
        let event = r#"{"uuid":"e2","outcome":{"result":"DENY","reason":"limit"},
            "debugContext":{"debugData":{"phoneNumber":447700900124,"countryCallingCode":"44",
            "retry":{"to":447700900124}}}}"#;
        for json in [true, false] {
            let text = masked_text(event, MaskChoice::Phones, json);
            assert!(!text.contains("7700900124"), "{text}");
        }
        let text = masked_text(event, MaskChoice::Phones, true);
        assert!(text.contains(r#""phoneNumber":"+44********24""#), "{text}");
    }

    #[test]
    fn phones_in_free_text_are_masked_in_every_spelling() {
        let event = r#"{"uuid":"e3","displayMessage":"to (555) 010-0001, or ＋１ ５５５ ０１０ ０００１",
            "outcome":{"result":"DENY","reason":"blocked +1.555.010.0001 / ١٥٥٥٠١٠٠٠٠١ / 1-555-010-0001"},
            "client":{"userAgent":{"rawUserAgent":"x?p=%2B1%20555%200100%2001"}},
            "target":[{"type":"MobilePhone","alternateId":"+15550100001"}],
            "debugContext":{"debugData":{"note":"۱۵۵۵۰۱۰۰۰۰۱ and 555\u200b010\u200b0001"}}}"#;
        for json in [true, false] {
            let text = masked_text(event, MaskChoice::Phones, json);
            let digits: String = text
                .chars()
                .filter_map(|c| digit(c).map(|d| char::from(b'0' + d)))
                .collect();
            assert!(!digits.contains("5550100"), "{text}");
            assert!(!digits.contains("0100001"), "{text}");
        }
        let text = masked_text(event, MaskChoice::Phones, true);
        assert!(text.contains("to +1********01, or +1********01"), "{text}");
    }

    #[test]
    fn logins_and_names_are_masked_in_any_letter_case_and_field() {
        let event = r#"{"uuid":"e4","displayMessage":"SMS for ALICE@EXAMPLE.COM",
            "outcome":{"result":"DENY","reason":"Alice@Example.com (alice example) was blocked"},
            "actor":{"type":"User","alternateId":"alice@example.com","displayName":"Alice Example"},
            "debugContext":{"debugData":{"requestUri":"/x?login=ALICE%40example.com","Alice@example.com":1}}}"#;
        for json in [true, false] {
            let text = masked_text(event, MaskChoice::Users, json).to_lowercase();
            assert!(!text.contains("alice"), "{text}");
        }
        let m = Masker::with_key(MaskChoice::Users, [7; 32]);
        assert_eq!(m.login("ALICE@example.com"), m.login("alice@EXAMPLE.com"));
    }

    #[test]
    fn digits_of_every_listed_script_are_read() {
        for zero in DIGIT_ZEROS {
            for d in 0..10u8 {
                let c = char::from_u32(zero + u32::from(d)).unwrap();
                assert_eq!(digit(c), Some(d), "U+{:04X}", zero + u32::from(d));
                assert!(c.is_numeric(), "U+{:04X}", zero + u32::from(d));
            }
        }
        assert_eq!(ascii_digits("＋٤٤ ۷۷"), "+44 77");
        assert_eq!(digit('a'), None);
        assert_eq!(digit('²'), Some(2));
    }
}

//! `--mask phones|users|all`: phone digits but the calling code and the last
//! two become `*`, logins and user names become a keyed hash (`user-…`, the
//! key random per run, so a value masks the same way throughout one report
//! and cannot be looked up across reports).
//!
//! A masked record is an owned copy: every field that carries a number or a
//! login is rewritten, including the raw `event_details`, `debug_data` and
//! `headers` JSON. The values to hide are collected from where Okta puts
//! them (MobilePhone and User objects, the actor, `debugData.phoneNumber`),
//! then replaced wherever they occur in any string of the event.

use super::json::Json;
use super::keys::{Facts, Key, UNKNOWN};
use super::phone;
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
/// (so a two-letter display name does not rewrite every word containing it).
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
        if self.phones && number != UNKNOWN {
            phone::mask(number)
        } else {
            Cow::Borrowed(number)
        }
    }

    /// A login or user name as its keyed hash (when users are masked).
    pub fn login<'t>(&self, login: &'t str) -> Cow<'t, str> {
        if !self.users || login.is_empty() || login == UNKNOWN {
            return Cow::Borrowed(login);
        }
        let mut hasher = Sha256::new();
        hasher.update(self.key);
        hasher.update([0u8]);
        hasher.update(login.as_bytes());
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
        let parsed: Option<Json> = if json {
            serde_json::from_str(record.event_details).ok()
        } else {
            None
        };
        if let Some(tree) = &parsed {
            self.collect(tree, None, cc, &mut needles);
        }
        needles.sort();
        let mut out = record.clone();
        // The masked number no longer parses: keep the real one's metadata.
        out.phone_meta = facts.meta();
        match parsed {
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
        out.event_details = &store.details;
        out.debug_data = store.debug.as_deref();
        out.headers = record.headers.as_deref().map(|h| needles.text_json(h));
        if let Some(Cow::Owned(m)) = record.message.as_deref().map(|m| needles.text(m)) {
            out.message = Some(Cow::Owned(m));
        }
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
        out
    }

    /// A phone number in any spelling, normalised then masked.
    fn phone_raw<'t>(&self, raw: &'t str, cc: Option<&str>) -> Cow<'t, str> {
        match phone::normalize(raw, cc) {
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

fn mask_party(party: &mut Party<'_>, mask: impl Fn(&str) -> String) {
    for field in [&mut party.alternate_id, &mut party.display_name] {
        if let Some(raw) = field.as_deref() {
            let masked = mask(raw);
            *field = Some(Cow::Owned(masked));
        }
    }
}

/// The values to hide in one record and what each becomes.
#[derive(Debug, Default)]
struct Needles {
    pairs: Vec<(String, String)>,
}

impl Needles {
    fn push(&mut self, from: &str, to: String) {
        if from.is_empty() || from == to || self.pairs.iter().any(|(f, _)| f == from) {
            return;
        }
        self.pairs.push((from.to_string(), to));
    }

    fn phone(&mut self, masker: &Masker, raw: &str, cc: Option<&str>) {
        let masked = masker.phone_raw(raw, cc).into_owned();
        self.push(raw.trim(), masked.clone());
        if let Some(n) = phone::normalize(raw, cc) {
            // The E.164 form and, for text such as URLs, the bare digits.
            self.push(&n, masked.clone());
            if let Some(digits) = n.strip_prefix('+')
                && digits.len() >= MIN_SUBSTRING
            {
                self.push(digits, masked);
            }
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
        self.pairs.sort_by_key(|p| std::cmp::Reverse(p.0.len()));
    }

    fn text<'t>(&self, text: &'t str) -> Cow<'t, str> {
        let mut out = Cow::Borrowed(text);
        for (from, to) in &self.pairs {
            if out == from.as_str() {
                return Cow::Owned(to.clone());
            }
            if from.len() >= MIN_SUBSTRING && out.contains(from.as_str()) {
                out = Cow::Owned(out.replace(from.as_str(), to));
            }
        }
        out
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

    fn rewrite(&self, v: &mut Json) {
        match v {
            Json::String(s) => {
                if let Cow::Owned(new) = self.text(s) {
                    *s = new;
                }
            }
            Json::Array(items) => items.iter_mut().for_each(|i| self.rewrite(i)),
            Json::Object(entries) => entries.iter_mut().for_each(|(_, v)| self.rewrite(v)),
            _ => {}
        }
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
}

//! A faster reading of one plain JSON object into the shapes of
//! [`crate::wire`]: only the values of the keys the card reads are handed to
//! serde_json; every other value is stepped over by a strict scanner (JSON's
//! grammar, strings sixteen bytes at a time with SSE2 on x86-64).
//!
//! It exists because serde_json stepping over the fields the card does not
//! use (`request`, `securityContext`, `authenticationContext`, most of
//! `debugData`, ...) was about 41% of the instructions of `parse` on the
//! 90%-SMS corpus (callgrind). It only ever answers with the value serde_json
//! would give: on anything unusual (not an object, an escape in a key, a
//! key read twice, a control character in a string, a bad literal, deep
//! nesting) it answers `None` and the caller parses the text with
//! serde_json as before, which gives the same records and messages as ever.
//! The tests below compare the two.

use crate::wire::{
    Lenient, Loose, WireClient, WireDebugContext, WireDebugData, WireOutcome, WireParty,
    WireTargets, WireTop,
};
use serde::Deserialize;
use std::borrow::Cow;

/// Deeper nesting goes to serde_json (its own limit is 128 levels).
const MAX_DEPTH: u32 = 100;

/// `text` read as [`WireTop`], when it is one object whose values are
/// well-formed JSON and whose known keys occur once each (`eventId` and its
/// older spelling `eventID` are one key); `None` otherwise.
pub(crate) fn top(text: &str) -> Option<WireTop<'_>> {
    let r = Reader {
        text,
        b: text.as_bytes(),
    };
    let mut top = WireTop::default();
    let start = blank(r.b, 0);
    let end = r.object(start, 0, |key, pos, depth| {
        Some(match key {
            "uuid" => (0, r.lenient(pos, depth, &mut top.uuid)?),
            "published" => (1, r.lenient(pos, depth, &mut top.published)?),
            "eventType" => (2, r.lenient(pos, depth, &mut top.event_type)?),
            "displayMessage" => (3, r.lenient(pos, depth, &mut top.display_message)?),
            "version" => (4, r.lenient(pos, depth, &mut top.version)?),
            "actor" => (5, r.loose(pos, depth, &mut top.actor, Reader::party)?),
            "target" => (6, r.targets(pos, depth, &mut top.target)?),
            "client" => (7, r.loose(pos, depth, &mut top.client, Reader::client)?),
            "outcome" => (8, r.loose(pos, depth, &mut top.outcome, Reader::outcome)?),
            "debugContext" => (
                9,
                r.loose(pos, depth, &mut top.debug_context, Reader::debug)?,
            ),
            "eventId" | "eventID" => (10, r.lenient(pos, depth, &mut top.event_id)?),
            "eventTime" => (11, r.lenient(pos, depth, &mut top.event_time)?),
            "source" => (12, r.lenient(pos, depth, &mut top.source)?),
            "data" => (13, r.by_serde(pos, depth, &mut top.data)?),
            "envelope" => (14, r.by_serde(pos, depth, &mut top.envelope)?),
            "headers" => (15, r.by_serde(pos, depth, &mut top.headers)?),
            "event_details" => (16, r.by_serde(pos, depth, &mut top.card_event_details)?),
            "event_time" => (17, r.lenient(pos, depth, &mut top.card_event_time)?),
            _ => (UNKNOWN, value_end(r.b, pos, depth)?),
        })
    })?;
    (blank(r.b, end) == r.b.len()).then_some(top)
}

/// `debugData` read as [`WireDebugData`], under the same conditions as
/// [`top`]; `None` otherwise.
pub(crate) fn debug_data(text: &str) -> Option<WireDebugData<'_>> {
    let r = Reader {
        text,
        b: text.as_bytes(),
    };
    let mut data = WireDebugData::default();
    let end = r.object(blank(r.b, 0), 0, |key, pos, depth| {
        Some(match key {
            "phoneNumber" => (0, r.lenient(pos, depth, &mut data.phone_number)?),
            "countryCallingCode" => (1, r.lenient(pos, depth, &mut data.country_calling_code)?),
            "smsProvider" => (2, r.lenient(pos, depth, &mut data.sms_provider)?),
            "transactionId" => (3, r.lenient(pos, depth, &mut data.transaction_id)?),
            _ => (UNKNOWN, value_end(r.b, pos, depth)?),
        })
    })?;
    (blank(r.b, end) == r.b.len()).then_some(data)
}

/// The slot of a key no field reads (it may repeat).
const UNKNOWN: u32 = 32;

/// The text being read; positions are byte offsets into it.
#[derive(Clone, Copy)]
struct Reader<'a> {
    text: &'a str,
    b: &'a [u8],
}

impl<'a> Reader<'a> {
    /// Reads the object at `pos` (`depth` containers around it), calling
    /// `field(key, value position, value depth)` for each entry; `field`
    /// gives the key's slot (a repeated slot below [`UNKNOWN`] is `None`,
    /// as serde's derive calls it an error) and where the value ends.
    /// Returns where the object ends.
    fn object(
        self,
        pos: usize,
        depth: u32,
        mut field: impl FnMut(&'a str, usize, u32) -> Option<(u32, usize)>,
    ) -> Option<usize> {
        let b = self.b;
        if b.get(pos) != Some(&b'{') || depth >= MAX_DEPTH {
            return None;
        }
        let mut seen = 0u32;
        let mut pos = blank(b, pos + 1);
        if b.get(pos) == Some(&b'}') {
            return Some(pos + 1);
        }
        loop {
            if b.get(pos) != Some(&b'"') {
                return None;
            }
            let (end, escaped) = string_end(b, pos + 1)?;
            if escaped {
                return None;
            }
            let key = self.text.get(pos + 1..end - 1)?;
            pos = if b.get(end) == Some(&b':') {
                end + 1
            } else {
                let colon = blank(b, end);
                if b.get(colon) != Some(&b':') {
                    return None;
                }
                colon + 1
            };
            let (slot, end) = field(key, blank(b, pos), depth + 1)?;
            if slot < UNKNOWN {
                if seen & (1 << slot) != 0 {
                    return None;
                }
                seen |= 1 << slot;
            }
            pos = blank(b, end);
            match b.get(pos) {
                Some(b',') => pos = blank(b, pos + 1),
                Some(b'}') => return Some(pos + 1),
                _ => return None,
            }
        }
    }

    /// A [`Lenient`] scalar at `pos`, as serde_json gives it.
    fn lenient(self, pos: usize, depth: u32, out: &mut Lenient<'a>) -> Option<usize> {
        let b = self.b;
        let end = match *b.get(pos)? {
            b'"' => {
                let (end, escaped) = string_end(b, pos + 1)?;
                *out = if escaped {
                    parse(self.text.get(pos..end)?)?
                } else {
                    Lenient(Some(Cow::Borrowed(self.text.get(pos + 1..end - 1)?)))
                };
                end
            }
            b'n' => {
                *out = Lenient(None);
                word(b, pos, b"null")?
            }
            b't' => {
                *out = Lenient(Some(Cow::Borrowed("true")));
                word(b, pos, b"true")?
            }
            b'f' => {
                *out = Lenient(Some(Cow::Borrowed("false")));
                word(b, pos, b"false")?
            }
            b'{' | b'[' => {
                *out = Lenient(None);
                value_end(b, pos, depth)?
            }
            _ => {
                let end = number_end(b, pos)?;
                *out = parse(self.text.get(pos..end)?)?;
                end
            }
        };
        Some(end)
    }

    /// A [`Loose`] object at `pos`: an object read by `read`, `null`
    /// absent, anything else by serde_json (a wrong type, rare).
    fn loose<T: Default + Deserialize<'a>>(
        self,
        pos: usize,
        depth: u32,
        out: &mut Loose<T>,
        read: fn(Self, usize, u32, &mut T) -> Option<usize>,
    ) -> Option<usize> {
        match *self.b.get(pos)? {
            b'{' => {
                let mut value = T::default();
                let end = read(self, pos, depth, &mut value)?;
                *out = Loose::Value(value);
                Some(end)
            }
            b'n' => {
                *out = Loose::Absent;
                word(self.b, pos, b"null")
            }
            _ => self.by_serde(pos, depth, out),
        }
    }

    /// `target`: a list of parties (entries other than objects and null
    /// dropped), else by serde_json.
    fn targets(self, pos: usize, depth: u32, out: &mut WireTargets<'a>) -> Option<usize> {
        let b = self.b;
        if b.get(pos) != Some(&b'[') {
            return self.by_serde(pos, depth, out);
        }
        if depth >= MAX_DEPTH {
            return None;
        }
        *out = WireTargets::default();
        let mut pos = blank(b, pos + 1);
        if b.get(pos) == Some(&b']') {
            return Some(pos + 1);
        }
        loop {
            let mut entry = Loose::Absent;
            pos = blank(b, self.loose(pos, depth + 1, &mut entry, Reader::party)?);
            if let Loose::Value(party) = entry {
                out.parties.push(party);
            }
            match b.get(pos)? {
                b',' => pos = blank(b, pos + 1),
                b']' => return Some(pos + 1),
                _ => return None,
            }
        }
    }

    fn party(self, pos: usize, depth: u32, p: &mut WireParty<'a>) -> Option<usize> {
        self.object(pos, depth, |key, pos, depth| {
            Some(match key {
                "id" => (0, self.lenient(pos, depth, &mut p.id)?),
                "type" => (1, self.lenient(pos, depth, &mut p.kind)?),
                "alternateId" => (2, self.lenient(pos, depth, &mut p.alternate_id)?),
                "displayName" => (3, self.lenient(pos, depth, &mut p.display_name)?),
                _ => (UNKNOWN, value_end(self.b, pos, depth)?),
            })
        })
    }

    fn client(self, pos: usize, depth: u32, c: &mut WireClient<'a>) -> Option<usize> {
        self.object(pos, depth, |key, pos, depth| {
            Some(match key {
                "ipAddress" => (0, self.lenient(pos, depth, &mut c.ip_address)?),
                _ => (UNKNOWN, value_end(self.b, pos, depth)?),
            })
        })
    }

    fn outcome(self, pos: usize, depth: u32, o: &mut WireOutcome<'a>) -> Option<usize> {
        self.object(pos, depth, |key, pos, depth| {
            Some(match key {
                "result" => (0, self.lenient(pos, depth, &mut o.result)?),
                "reason" => (1, self.lenient(pos, depth, &mut o.reason)?),
                _ => (UNKNOWN, value_end(self.b, pos, depth)?),
            })
        })
    }

    fn debug(self, pos: usize, depth: u32, d: &mut WireDebugContext<'a>) -> Option<usize> {
        self.object(pos, depth, |key, pos, depth| {
            Some(match key {
                "debugData" => (0, self.by_serde(pos, depth, &mut d.debug_data)?),
                _ => (UNKNOWN, value_end(self.b, pos, depth)?),
            })
        })
    }

    /// The value at `pos` checked here, then read by serde_json from its
    /// own text (so a `RawValue` is exactly that text).
    fn by_serde<T: Deserialize<'a>>(self, pos: usize, depth: u32, out: &mut T) -> Option<usize> {
        let end = value_end(self.b, pos, depth)?;
        *out = parse(self.text.get(pos..end)?)?;
        Some(end)
    }
}

/// One value's text, by serde_json (the text is whole and checked, so
/// only a value of the wrong shape fails).
fn parse<'a, T: Deserialize<'a>>(value: &'a str) -> Option<T> {
    serde_json::from_str(value).ok()
}

/// The first position at or after `pos` that is not JSON white space.
#[inline(always)]
fn blank(b: &[u8], mut pos: usize) -> usize {
    while let Some(b' ' | b'\t' | b'\n' | b'\r') = b.get(pos) {
        pos += 1;
    }
    pos
}

/// Where the value that starts at `pos` ends, `depth` containers deep;
/// `None` when it is not well-formed JSON (or nests too deep).
fn value_end(b: &[u8], pos: usize, depth: u32) -> Option<usize> {
    match *b.get(pos)? {
        b'"' => string_end(b, pos + 1).map(|(end, _)| end),
        b'{' => {
            if depth >= MAX_DEPTH {
                return None;
            }
            let mut pos = blank(b, pos + 1);
            if b.get(pos) == Some(&b'}') {
                return Some(pos + 1);
            }
            loop {
                if b.get(pos) != Some(&b'"') {
                    return None;
                }
                pos = blank(b, string_end(b, pos + 1)?.0);
                if b.get(pos) != Some(&b':') {
                    return None;
                }
                pos = blank(b, value_end(b, blank(b, pos + 1), depth + 1)?);
                match b.get(pos)? {
                    b',' => pos = blank(b, pos + 1),
                    b'}' => return Some(pos + 1),
                    _ => return None,
                }
            }
        }
        b'[' => {
            if depth >= MAX_DEPTH {
                return None;
            }
            let mut pos = blank(b, pos + 1);
            if b.get(pos) == Some(&b']') {
                return Some(pos + 1);
            }
            loop {
                pos = blank(b, value_end(b, pos, depth + 1)?);
                match b.get(pos)? {
                    b',' => pos = blank(b, pos + 1),
                    b']' => return Some(pos + 1),
                    _ => return None,
                }
            }
        }
        b't' => word(b, pos, b"true"),
        b'f' => word(b, pos, b"false"),
        b'n' => word(b, pos, b"null"),
        b'-' | b'0'..=b'9' => number_end(b, pos),
        _ => None,
    }
}

fn word(b: &[u8], pos: usize, w: &[u8]) -> Option<usize> {
    (b.get(pos..pos + w.len())? == w).then_some(pos + w.len())
}

/// JSON's number grammar: `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`.
fn number_end(b: &[u8], mut pos: usize) -> Option<usize> {
    let digits = |b: &[u8], mut pos: usize| {
        let start = pos;
        while b.get(pos).is_some_and(u8::is_ascii_digit) {
            pos += 1;
        }
        (pos > start).then_some(pos)
    };
    if b.get(pos) == Some(&b'-') {
        pos += 1;
    }
    pos = match b.get(pos)? {
        b'0' => pos + 1,
        b'1'..=b'9' => digits(b, pos)?,
        _ => return None,
    };
    if b.get(pos) == Some(&b'.') {
        pos = digits(b, pos + 1)?;
    }
    if let Some(b'e' | b'E') = b.get(pos) {
        pos += 1;
        if let Some(b'+' | b'-') = b.get(pos) {
            pos += 1;
        }
        pos = digits(b, pos)?;
    }
    Some(pos)
}

/// Just past the closing quote of the string whose contents start at
/// `pos`, and whether it holds an escape; `None` at a control character, a
/// bad escape or the end of the text (serde_json's rules for strings).
#[inline(always)]
fn string_end(b: &[u8], mut pos: usize) -> Option<(usize, bool)> {
    let mut escaped = false;
    loop {
        pos = string_stop(b, pos)?;
        match b[pos] {
            b'"' => return Some((pos + 1, escaped)),
            b'\\' => {
                escaped = true;
                pos = match *b.get(pos + 1)? {
                    b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => pos + 2,
                    b'u' => {
                        let hex = b.get(pos + 2..pos + 6)?;
                        if !hex.iter().all(u8::is_ascii_hexdigit) {
                            return None;
                        }
                        pos + 6
                    }
                    _ => return None,
                };
            }
            _ => return None,
        }
    }
}

/// The index of the first `"`, `\` or control character (below 0x20) in
/// `b[pos..]`.
#[inline(always)]
fn string_stop(b: &[u8], mut pos: usize) -> Option<usize> {
    #[cfg(target_arch = "x86_64")]
    while let Some(chunk) = b.get(pos..pos + 16) {
        let hits = sse2::stops16(chunk);
        if hits != 0 {
            return Some(pos + hits.trailing_zeros() as usize);
        }
        pos += 16;
    }
    while let Some(&c) = b.get(pos) {
        if c == b'"' || c == b'\\' || c < 0x20 {
            return Some(pos);
        }
        pos += 1;
    }
    None
}

/// Sixteen bytes at a time with SSE2, which every x86-64 processor has.
#[cfg(target_arch = "x86_64")]
mod sse2 {
    use std::arch::x86_64::{
        __m128i, _mm_cmpeq_epi8, _mm_loadu_si128, _mm_min_epu8, _mm_movemask_epi8, _mm_or_si128,
        _mm_set1_epi8,
    };

    /// Bit `i` set when `chunk[i]` is `"`, `\` or below 0x20; only the
    /// first 16 bytes are looked at (fewer: no bit set).
    #[inline(always)]
    pub(super) fn stops16(chunk: &[u8]) -> u32 {
        if chunk.len() < 16 {
            return 0;
        }
        // SAFETY: SSE2 is part of the x86-64 baseline, so the intrinsics
        // are always available; the unaligned load reads 16 bytes, and
        // `chunk` holds at least 16 (checked above).
        unsafe {
            let v = _mm_loadu_si128(chunk.as_ptr().cast::<__m128i>());
            let q = _mm_cmpeq_epi8(v, _mm_set1_epi8(b'"' as i8));
            let s = _mm_cmpeq_epi8(v, _mm_set1_epi8(b'\\' as i8));
            // min(v, 0x1f) == v exactly when v <= 0x1f (unsigned).
            let c = _mm_cmpeq_epi8(_mm_min_epu8(v, _mm_set1_epi8(0x1f)), v);
            _mm_movemask_epi8(_mm_or_si128(_mm_or_si128(q, s), c)) as u32
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// What the card reads of a `WireTop`, as text, to compare two readings.
    fn summary(top: &WireTop<'_>) -> String {
        let party = |p: &crate::wire::WireParty<'_>| {
            format!(
                "{:?}/{:?}/{:?}/{:?}",
                p.id.0, p.kind.0, p.alternate_id.0, p.display_name.0
            )
        };
        format!(
            "{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}",
            top.uuid.0,
            top.published.0,
            top.event_type.0,
            top.display_message.0,
            top.version.0,
            top.actor.as_value().map(party),
            top.target.parties.iter().map(party).collect::<Vec<_>>(),
            top.wrong_fields(),
            top.client.as_value().map(|c| &c.ip_address.0),
            top.outcome.as_value().map(|o| (&o.result.0, &o.reason.0)),
            top.debug_context
                .as_value()
                .map(|d| d.debug_data.map(|r| r.get())),
            top.event_id.0,
            top.event_time.0,
            top.source.0,
            top.envelope_events()
                .map(|e| e.iter().map(|r| r.get()).collect::<Vec<_>>()),
            top.envelope.map(|r| r.get()),
            top.headers.map(|r| r.get()),
            top.card_event_details.map(|r| r.get()),
            top.card_event_time.0,
        )
    }

    /// `top` says `Some` only where serde_json says `Ok`, with the same
    /// value.
    fn agrees(text: &str) -> bool {
        let Some(fast) = top(text) else {
            return false;
        };
        let slow: WireTop<'_> = serde_json::from_str(text)
            .unwrap_or_else(|e| panic!("lazy read what serde_json calls {e}: {text}"));
        assert_eq!(summary(&fast), summary(&slow), "{text}");
        true
    }

    #[test]
    fn plain_log_events_are_read_as_serde_json_reads_them() {
        for text in [
            r#"{"eventType":"system.sms.send_phone_verification_message","uuid":"u1","published":"2024-01-01T00:00:00.000Z","version":"0","displayMessage":"Send \"SMS\" \u00e9","actor":{"id":"00u1","type":"User","alternateId":"a@x","displayName":"A","detailEntry":null},"target":[{"type":"User","id":"00u1"},{"type":"MobilePhone","alternateId":"+15551230001","x":[1,2.5e3,-0,true,false,null]}],"client":{"ipAddress":"10.0.0.1","geo":{"city":"X"}},"outcome":{"result":"SUCCESS","reason":null},"debugContext":{"debugData":{"phoneNumber":"+15551230001","requestUri":"/a\/b"}},"request":{"ipChain":[{"ip":"1"}]}}"#,
            " {\n\"uuid\" : 7 ,\"eventType\":1.5e-3, \"actor\":\"@{id=1}\", \"target\":{\"type\":\"User\"}} \n",
            r#"{}"#,
            r#"{"eventId":"e","eventTime":"t","source":"s","data":{"events":[{"eventType":"a.b","uuid":"x"},7]}}"#,
            r#"{"envelope":{"data":{"events":[]}},"headers":{"a":"b"}}"#,
            r#"{"event_details":{"uuid":"u"},"event_time":"t","uuid":"u"}"#,
            r#"{"eventID":"old","unknown":{"deep":[[[{"a":"\ud83d\ude00"}]]]}}"#,
        ] {
            assert!(agrees(text), "{text}");
        }
    }

    #[test]
    fn anything_unusual_goes_to_serde_json() {
        for text in [
            r#"[{"uuid":"u"}]"#,
            r#"{"uuid":"a","uuid":"b"}"#,
            r#"{"eventId":"a","eventID":"b"}"#,
            r#"{"uu\u0069d":"a"}"#,
            "{\"uuid\":\"tab\there\"}",
            r#"{"x":tru}"#,
            r#"{"x":01}"#,
            r#"{"x":1.}"#,
            r#"{"x":"\x"}"#,
            r#"{"x":"\u12"}"#,
            r#"{"x":1,}"#,
            r#"{"x":1} x"#,
            r#"{"actor":{"id":"a","id":"b"}}"#,
        ] {
            assert!(!agrees(text), "{text}");
        }
        let deep = format!(r#"{{"x":{}{}}}"#, "[".repeat(120), "]".repeat(120));
        assert!(!agrees(&deep));
    }

    #[test]
    fn debug_data_is_read_as_serde_json_reads_it() {
        let text = r#"{"phoneNumber":"+1555","countryCallingCode":1,"smsProvider":null,"requestUri":"/x","y":{"z":[]}}"#;
        let fast = debug_data(text).unwrap();
        let slow: WireDebugData<'_> = serde_json::from_str(text).unwrap();
        assert_eq!(format!("{fast:?}"), format!("{slow:?}"),);
        assert!(debug_data(r#"{"phoneNumber":"a","phoneNumber":"b"}"#).is_none());
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]
        /// Random text over JSON's bytes: `Some` only where serde_json
        /// reads the same.
        #[test]
        fn agrees_with_serde_json_on_any_text(bytes in proptest::collection::vec(
            prop::sample::select(b"{}[]:,\" \n\\atrue0.5-e\tuid\x01".to_vec()), 0..60)) {
            let text = String::from_utf8(bytes).unwrap();
            agrees(&format!("{{\"uuid\":{text}}}"));
            agrees(&text);
        }

        /// Valid JSON objects holding the known keys: read, and the same.
        #[test]
        fn agrees_with_serde_json_on_json(fields in prop::collection::vec(
            (prop::sample::select(vec!["uuid", "eventType", "actor", "target", "debugContext",
                "data", "headers", "x", "eventID", "version"]), json()), 0..8)) {
            let mut text = String::from("{");
            for (i, (k, v)) in fields.iter().enumerate() {
                if i > 0 { text.push(','); }
                text.push_str(&format!("{:?}:{}", k, v));
            }
            text.push('}');
            let serde_ok = serde_json::from_str::<WireTop<'_>>(&text).is_ok();
            let fast = agrees(&text);
            // Keys with escapes (`q\"`) are left to serde_json on purpose.
            prop_assert!(fast || !serde_ok || text.contains(r#"q\""#), "{}", text);
        }
    }

    fn json() -> impl Strategy<Value = serde_json::Value> {
        use serde_json::Value;
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i32>().prop_map(Value::from),
            any::<f64>()
                .prop_filter("finite", |f| f.is_finite())
                .prop_map(Value::from),
            "[ -~\\n\"\\\\é\u{1}]{0,20}".prop_map(Value::String),
        ];
        leaf.prop_recursive(4, 40, 6, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
                prop::collection::vec(
                    (
                        prop::sample::select(vec![
                            "id",
                            "type",
                            "alternateId",
                            "events",
                            "debugData",
                            "phoneNumber",
                            "q\""
                        ])
                        .prop_map(String::from),
                        inner
                    ),
                    0..6
                )
                .prop_map(|kv| Value::Object(kv.into_iter().collect())),
            ]
        })
    }
}

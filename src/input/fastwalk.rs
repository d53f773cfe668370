//! The fast path of the framer's structure check: finds where one JSON
//! value that lies whole in the buffer ends, with the same grammar as the
//! framer's resumable `Walker` (strings with escapes and no raw line
//! breaks, brackets, `:` and `,` in their places, literals as runs of
//! `[0-9A-Za-z+-.]`), but with its state in local variables, the bracket
//! stack in a bit mask and strings scanned sixteen bytes at a time (SSE2
//! on x86-64, eight with plain integer arithmetic elsewhere and at the end).
//!
//! It exists because the `Walker` was the bound on JSON arrays (callgrind:
//! 40% of the instructions of `parse` on a JSON array, most of it per
//! byte state updates and one `memchr3` call per string, short ones
//! included). It only ever answers "the value ends here": on anything
//! else (damage, a value cut by the end of the buffer, nesting deeper than
//! 64) it answers `None` and the framer walks the value with the `Walker`
//! as before, which gives the same positions and messages as ever. So a
//! `Some` must be exactly what the `Walker` would say: the unit and
//! property tests below compare the two.

/// Every byte of the word equal to `b`, as `0x80` in that byte (the lowest
/// flagged byte is exact; bytes above it may be flagged falsely).
#[inline(always)]
fn eq_bytes(word: u64, b: u8) -> u64 {
    const LO: u64 = 0x0101_0101_0101_0101;
    const HI: u64 = 0x8080_8080_8080_8080;
    let x = word ^ (LO * b as u64);
    x.wrapping_sub(LO) & !x & HI
}

/// The index of the first `"`, `\` or line feed in `buf[pos..]`.
#[inline(always)]
fn string_stop(buf: &[u8], mut pos: usize) -> Option<usize> {
    #[cfg(target_arch = "x86_64")]
    while let Some(chunk) = buf.get(pos..pos + 16) {
        let hits = sse2::stops16(chunk);
        if hits != 0 {
            return Some(pos + hits.trailing_zeros() as usize);
        }
        pos += 16;
    }
    while let Some(chunk) = buf.get(pos..pos + 8) {
        let Ok(bytes) = <[u8; 8]>::try_from(chunk) else {
            break;
        };
        let word = u64::from_le_bytes(bytes);
        let hits = eq_bytes(word, b'"') | eq_bytes(word, b'\\') | eq_bytes(word, b'\n');
        if hits != 0 {
            return Some(pos + (hits.trailing_zeros() / 8) as usize);
        }
        pos += 8;
    }
    while pos < buf.len() {
        if matches!(buf[pos], b'"' | b'\\' | b'\n') {
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
        __m128i, _mm_cmpeq_epi8, _mm_loadu_si128, _mm_movemask_epi8, _mm_or_si128, _mm_set1_epi8,
    };

    /// Bit `i` set when `chunk[i]` is `"`, `\` or a line feed; only the
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
            let n = _mm_cmpeq_epi8(v, _mm_set1_epi8(b'\n' as i8));
            _mm_movemask_epi8(_mm_or_si128(_mm_or_si128(q, s), n)) as u32
        }
    }
}

/// Just past the closing quote of the string whose contents start at
/// `pos`; `None` at a raw line break or the end of the buffer.
#[inline(always)]
fn string_end(buf: &[u8], mut pos: usize) -> Option<usize> {
    loop {
        pos = string_stop(buf, pos)?;
        match buf[pos] {
            b'"' => return Some(pos + 1),
            // An escape: the next byte is taken whatever it is, except a
            // raw line break.
            b'\\' if pos + 1 < buf.len() && buf[pos + 1] != b'\n' => pos += 2,
            _ => return None,
        }
    }
}

/// Byte classes, so each byte costs one table look-up.
const OTHER: u8 = 0;
const BLANK: u8 = 1;
const LITERAL: u8 = 2;
const QUOTE: u8 = 3;
const OPEN_OBJECT: u8 = 4;
const OPEN_ARRAY: u8 = 5;
const CLOSE_OBJECT: u8 = 6;
const CLOSE_ARRAY: u8 = 7;
const COLON_BYTE: u8 = 8;
const COMMA: u8 = 9;

static CLASS: [u8; 256] = {
    let mut table = [OTHER; 256];
    let mut b = 0usize;
    while b < 256 {
        let c = b as u8;
        table[b] = match c {
            b' ' | b'\t' | b'\r' | b'\n' => BLANK,
            b'"' => QUOTE,
            b'{' => OPEN_OBJECT,
            b'[' => OPEN_ARRAY,
            b'}' => CLOSE_OBJECT,
            b']' => CLOSE_ARRAY,
            b':' => COLON_BYTE,
            b',' => COMMA,
            b'+' | b'-' | b'.' => LITERAL,
            _ if c.is_ascii_alphanumeric() => LITERAL,
            _ => OTHER,
        };
        b += 1;
    }
    table
};

#[inline(always)]
fn class(b: u8) -> u8 {
    CLASS[b as usize]
}

const VALUE: u8 = 0;
const VALUE_OR_CLOSE: u8 = 1;
const KEY_OR_CLOSE: u8 = 2;
const KEY: u8 = 3;
const COLON: u8 = 4;
const COMMA_OR_CLOSE: u8 = 5;

/// Where the value that starts at or after `from` (after white space)
/// ends, when it lies whole and well-formed in `buf`; `None` otherwise.
///
/// This loop is most of the framing time of a JSON array (README
/// "Performance"). Long because it is one state machine whose state (`pos`,
/// `want`, the container bit stack) stays in locals, in registers; split
/// into functions, that state would go through memory on every byte.
pub(super) fn value_end(buf: &[u8], from: usize) -> Option<usize> {
    let len = buf.len();
    let mut pos = from;
    let mut want = VALUE;
    // Open containers: bit `depth - 1` set for an object.
    let mut objects: u64 = 0;
    let mut depth: u32 = 0;
    while pos < len {
        let c = class(buf[pos]);
        if c == BLANK {
            pos += 1;
            continue;
        }
        // Set when a value (string, literal or container) just ended.
        let mut ended = false;
        match want {
            VALUE | VALUE_OR_CLOSE => match c {
                OPEN_OBJECT | OPEN_ARRAY => {
                    if depth == 64 {
                        return None;
                    }
                    if c == OPEN_OBJECT {
                        objects |= 1 << depth;
                        want = KEY_OR_CLOSE;
                    } else {
                        objects &= !(1 << depth);
                        want = VALUE_OR_CLOSE;
                    }
                    depth += 1;
                    pos += 1;
                }
                CLOSE_ARRAY if want == VALUE_OR_CLOSE => {
                    depth -= 1;
                    pos += 1;
                    ended = true;
                }
                QUOTE => {
                    pos = string_end(buf, pos + 1)?;
                    ended = true;
                }
                LITERAL => {
                    pos += 1;
                    while pos < len && class(buf[pos]) == LITERAL {
                        pos += 1;
                    }
                    // A literal is only known to end at a following byte.
                    if pos == len {
                        return None;
                    }
                    ended = true;
                }
                _ => return None,
            },
            KEY_OR_CLOSE | KEY => match c {
                QUOTE => {
                    pos = string_end(buf, pos + 1)?;
                    // The usual case, `"key":`, without another turn.
                    if buf.get(pos) == Some(&b':') {
                        pos += 1;
                        want = VALUE;
                    } else {
                        want = COLON;
                    }
                }
                CLOSE_OBJECT if want == KEY_OR_CLOSE => {
                    depth -= 1;
                    pos += 1;
                    ended = true;
                }
                _ => return None,
            },
            COLON => {
                if c != COLON_BYTE {
                    return None;
                }
                want = VALUE;
                pos += 1;
            }
            _ => {
                // COMMA_OR_CLOSE inside a container (depth > 0).
                let in_object = objects & (1 << (depth - 1)) != 0;
                match c {
                    COMMA => want = if in_object { KEY } else { VALUE },
                    CLOSE_OBJECT if in_object => {
                        depth -= 1;
                        ended = true;
                    }
                    CLOSE_ARRAY if !in_object => {
                        depth -= 1;
                        ended = true;
                    }
                    _ => return None,
                }
                pos += 1;
            }
        }
        if ended {
            if depth == 0 {
                return Some(pos);
            }
            want = COMMA_OR_CLOSE;
            // The usual case in an object, `,"key":`, without more turns.
            if objects & (1 << (depth - 1)) != 0
                && buf.get(pos) == Some(&b',')
                && buf.get(pos + 1) == Some(&b'"')
            {
                pos = string_end(buf, pos + 2)?;
                if buf.get(pos) == Some(&b':') {
                    pos += 1;
                    want = VALUE;
                } else {
                    want = COLON;
                }
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::super::framer::walk_value;
    use super::*;
    use proptest::prelude::*;

    /// `value_end` says `Some` only where the `Walker` says `Done`, at the
    /// same place.
    fn agrees(buf: &[u8]) {
        if let Some(end) = value_end(buf, 0) {
            assert_eq!(
                walk_value(buf),
                Some(end),
                "{:?}",
                String::from_utf8_lossy(buf)
            );
        }
    }

    #[test]
    fn whole_values_end_where_the_walker_says() {
        for text in [
            r#"{"a":1}"#,
            r#" {"a" : [1, "x", {"b":null}], "c":{}}  , {"next":1}"#,
            r#"{"s":"with \"quotes\" and \\ and \u00e9 and ]}"}"#,
            r#"{"long":"0123456789abcdefghijklmnopqrstuvwxyz0123456789","t":[[],[[]],{}]}"#,
            r#""just a string" 1"#,
            r#"[1,2,3]"#,
            "{\"a\":\n1\r\n}",
        ] {
            let end = value_end(text.as_bytes(), 0);
            assert!(end.is_some(), "{text}");
            agrees(text.as_bytes());
        }
    }

    #[test]
    fn damage_and_cut_values_go_to_the_walker() {
        for text in [
            r#"{"a":1"#,
            r#"{"a" 1}"#,
            r#"{"a":1,}"#,
            r#"{"a":[1,]}"#,
            r#"{"a":1]"#,
            "{\"a\":\"line\nbreak\"}",
            "{\"a\":\"escaped line\\\nbreak\"}",
            r#"{"a":"\"#,
            r#"{"a":tru"#,
            r#"{a:1}"#,
            r#"{"a":1}}"#,
            r#"{"a"::1}"#,
        ] {
            let fast = value_end(text.as_bytes(), 0);
            agrees(text.as_bytes());
            if text != r#"{"a":1}}"# {
                assert_eq!(fast, None, "{text}");
            }
        }
        let deep = format!("{}{}", "[".repeat(70), "]".repeat(70));
        assert_eq!(value_end(deep.as_bytes(), 0), None);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]
        /// Random text over JSON's structural bytes and a few others.
        #[test]
        fn agrees_with_the_walker_on_any_text(bytes in proptest::collection::vec(
            prop::sample::select(b"{}[]:,\" \n\\atrue0.5-xe\r\t".to_vec()), 0..60)) {
            agrees(&bytes);
        }

        /// Valid JSON values, whole or cut at any byte.
        #[test]
        fn agrees_with_the_walker_on_json_and_its_prefixes(
            value in json(), cut in 0usize..400,
        ) {
            let text = serde_json::to_string(&value).unwrap();
            let bytes = text.as_bytes();
            // A bare literal at the end of the buffer is not known to end.
            if !matches!(value, serde_json::Value::Null | serde_json::Value::Bool(_) | serde_json::Value::Number(_)) {
                prop_assert_eq!(value_end(bytes, 0), Some(bytes.len()));
            }
            agrees(bytes);
            agrees(&bytes[..cut.min(bytes.len())]);
        }
    }

    fn json() -> impl Strategy<Value = serde_json::Value> {
        use serde_json::Value;
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i32>().prop_map(Value::from),
            "[ -~\\n\"\\\\é]{0,20}".prop_map(Value::String),
        ];
        leaf.prop_recursive(4, 40, 6, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
                prop::collection::vec(("[a-z\"\\\\]{0,6}", inner), 0..6)
                    .prop_map(|kv| Value::Object(kv.into_iter().collect())),
            ]
        })
    }
}

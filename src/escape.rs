//! Text made safe to show: characters from outside (events, API error
//! bodies, file names) that could act on a terminal or hide what is shown
//! (control characters, bidi controls, invisible format characters) are
//! escaped before they reach a terminal, a message or a table. One rule,
//! [`is_unsafe`], for every format. A leaf module, so the API layer and the
//! readers escape without depending on the terminal code
//! ([`crate::output::terminal`] applies it to outputs).

use std::borrow::Cow;

/// True for a character that must not reach a terminal as it is:
///
/// - control characters (C0 including ESC, CR, BEL, TAB and newline; DEL;
///   C1 including CSI U+009B and OSC U+009D), which move the cursor, clear
///   the screen or write the clipboard (OSC 52);
/// - the Unicode bidi controls (U+061C, U+200E, U+200F, the embeddings and
///   overrides U+202A–U+202E, the isolates U+2066–U+2069), which reorder what
///   is shown ("Trojan Source", CVE-2021-42574);
/// - invisible format and filler characters that hide or fake text: soft
///   hyphen U+00AD, Hangul fillers U+115F/U+1160/U+3164/U+FFA0, U+180E,
///   zero-width U+200B–U+200D, line/paragraph separators U+2028/U+2029,
///   U+2060–U+2064, the deprecated format controls U+206A–U+206F, U+FEFF,
///   the interlinear annotation controls U+FFF9–U+FFFB and the tag
///   characters U+E0000–U+E007F (hidden "ASCII smuggling" text).
pub fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{ad}'
                | '\u{61c}'
                | '\u{115f}'
                | '\u{1160}'
                | '\u{180e}'
                | '\u{200b}'..='\u{200f}'
                | '\u{2028}'..='\u{202e}'
                | '\u{2060}'..='\u{2064}'
                | '\u{2066}'..='\u{206f}'
                | '\u{3164}'
                | '\u{feff}'
                | '\u{ffa0}'
                | '\u{fff9}'..='\u{fffb}'
                | '\u{e0000}'..='\u{e007f}'
        )
}

/// How an escaped character is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Notation {
    /// `\n`, `\r`, `\t`, else `\u{1b}` (the table, CSV, messages).
    Rust,
    /// `\u001b` (a surrogate pair above U+FFFF): what a JSON string may
    /// hold, so JSON stays valid and decodes to the same value.
    Json,
}

/// Appends `text` to `out` with every [`is_unsafe`] character escaped in
/// `notation`; newlines are kept as they are when `keep_newline` (the line
/// structure of a stream format). The one escaping function every
/// terminal-bound output uses.
pub fn escape_into(out: &mut String, text: &str, notation: Notation, keep_newline: bool) {
    for c in text.chars() {
        if !is_unsafe(c) || (keep_newline && c == '\n') {
            out.push(c);
            continue;
        }
        match (notation, c) {
            (Notation::Rust, '\n') => out.push_str("\\n"),
            (Notation::Rust, '\r') => out.push_str("\\r"),
            (Notation::Rust, '\t') => out.push_str("\\t"),
            (Notation::Rust, c) => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            (Notation::Json, c) => {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    out.push_str(&format!("\\u{unit:04x}"));
                }
            }
        }
    }
}

/// Replaces control characters (ESC, CR, BEL, …, and newlines), bidi
/// controls and invisible format characters ([`is_unsafe`]) with visible
/// escapes so event text cannot move the cursor, rewrite the screen or
/// reorder and hide what is shown.
pub fn escape_control(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_unsafe) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    escape_into(&mut out, text, Notation::Rust, false);
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_terminal_control_sequences() {
        assert_eq!(
            escape_control("a\x1b[2Jb\r\n\u{9b}"),
            "a\\u{1b}[2Jb\\r\\n\\u{9b}"
        );
        assert!(matches!(escape_control("plain é"), Cow::Borrowed(_)));
    }
}

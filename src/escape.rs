//! Text made safe to show: control characters (ANSI escapes, CR, BEL) in
//! values that came from outside (events, API error bodies, file names)
//! are escaped before they reach a terminal, a message or a table. A leaf
//! module, so the API layer and the readers escape without depending on the
//! terminal code.

use std::borrow::Cow;

/// Replaces control characters (ESC, CR, BEL, …, and newlines) with visible
/// escapes so event text cannot move the cursor or rewrite the screen.
pub fn escape_control(text: &str) -> Cow<'_, str> {
    if !text.chars().any(char::is_control) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
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

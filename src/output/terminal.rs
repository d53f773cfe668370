//! Terminal safety and colour: characters from event text that could act on
//! a terminal or hide what is shown are escaped before they reach one, and
//! the colour decision honours `--color`, `NO_COLOR` and `CLICOLOR_FORCE`.
//!
//! One rule ([`is_unsafe`]) decides what is escaped, for every format: the
//! table, messages on stderr, and CSV / JSON / NDJSON when stdout is a
//! terminal ([`Guard`]). When stdout is a file or a pipe the data formats
//! are written byte-exact.

use std::io::Write;

/// `--color`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorChoice {
    /// Colour when the output is a terminal and the environment allows it.
    Auto,
    Always,
    Never,
}

/// Decides whether to colour, given whether the stream is a terminal and the
/// `NO_COLOR` / `CLICOLOR_FORCE` environment values.
pub fn use_color(
    choice: ColorChoice,
    is_terminal: bool,
    no_color: Option<&str>,
    clicolor_force: Option<&str>,
) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            if clicolor_force.is_some_and(|v| !v.is_empty() && v != "0") {
                true
            } else if no_color.is_some_and(|v| !v.is_empty()) {
                false
            } else {
                is_terminal
            }
        }
    }
}

/// Cursor home, then clear the screen: a live view redrawn in place.
pub const CLEAR_SCREEN: &[u8] = b"\x1b[H\x1b[2J";

pub use crate::escape::{Notation, escape_control, escape_into, is_unsafe};

/// A writer that escapes, in the given notation, every [`is_unsafe`]
/// character but newline in the UTF-8 text written through it: CSV, JSON
/// and NDJSON on a terminal. A UTF-8 sequence split across two writes is
/// held until it is complete; bytes that are not UTF-8 (never produced by
/// the renderers) are shown as U+FFFD.
pub struct Guard<W: Write> {
    inner: W,
    notation: Notation,
    /// The start of a UTF-8 sequence the last write cut (at most 3 bytes).
    pending: Vec<u8>,
}

impl<W: Write> Guard<W> {
    pub fn new(inner: W, notation: Notation) -> Self {
        Guard {
            inner,
            notation,
            pending: Vec::new(),
        }
    }

    fn write_text(&mut self, text: &str) -> std::io::Result<()> {
        let plain = text
            .bytes()
            .all(|b| (0x20..0x7f).contains(&b) || b == b'\n');
        if plain {
            return self.inner.write_all(text.as_bytes());
        }
        let mut out = String::with_capacity(text.len() + 16);
        escape_into(&mut out, text, self.notation, true);
        self.inner.write_all(out.as_bytes())
    }
}

impl<W: Write> Write for Guard<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let joined;
        let mut bytes = buf;
        if !self.pending.is_empty() {
            let mut v = std::mem::take(&mut self.pending);
            v.extend_from_slice(buf);
            joined = v;
            bytes = &joined;
        }
        loop {
            match std::str::from_utf8(bytes) {
                Ok(text) => {
                    self.write_text(text)?;
                    break;
                }
                Err(e) => {
                    let (good, rest) = bytes.split_at(e.valid_up_to());
                    // Checked by from_utf8 just above.
                    self.write_text(std::str::from_utf8(good).unwrap_or_default())?;
                    match e.error_len() {
                        None => {
                            self.pending = rest.to_vec();
                            break;
                        }
                        Some(n) => {
                            self.write_text("\u{fffd}")?;
                            bytes = &rest[n..];
                        }
                    }
                }
            }
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

impl<W: Write> Drop for Guard<W> {
    fn drop(&mut self) {
        if !self.pending.is_empty() {
            let _ = self.inner.write_all("\u{fffd}".as_bytes());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_bidi_and_invisible_format_characters() {
        assert_eq!(
            escape_control("user\u{202e}moc.evil\u{202c}@x"),
            "user\\u{202e}moc.evil\\u{202c}@x"
        );
        for c in [
            '\u{202a}',
            '\u{202b}',
            '\u{202d}',
            '\u{2066}',
            '\u{2067}',
            '\u{2068}',
            '\u{2069}',
            '\u{200e}',
            '\u{200f}',
            '\u{61c}',
            '\u{200b}',
            '\u{feff}',
            '\u{e0041}',
            '\u{7f}',
        ] {
            assert!(is_unsafe(c), "{:x}", c as u32);
            assert!(!escape_control(&c.to_string()).contains(c));
        }
        for c in ['é', 'ü', '中', 'ß', '😀', ' ', '+'] {
            assert!(!is_unsafe(c), "{c}");
        }
    }

    fn guarded(notation: Notation, chunks: &[&[u8]]) -> String {
        let mut out = Vec::new();
        {
            let mut g = Guard::new(&mut out, notation);
            for chunk in chunks {
                g.write_all(chunk).unwrap();
            }
        }
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn guard_keeps_newlines_and_escapes_the_rest_even_across_writes() {
        let osc52 = "a,\"\x1b]52;c;ZXZpbA==\x07\"\nb\u{202e}c\n";
        let bytes = osc52.as_bytes();
        let whole = guarded(Notation::Rust, &[bytes]);
        assert_eq!(whole, "a,\"\\u{1b}]52;c;ZXZpbA==\\u{7}\"\nb\\u{202e}c\n");
        // U+202E is three bytes: cut inside it.
        let cut = bytes.len() - 4;
        assert_eq!(
            guarded(Notation::Rust, &[&bytes[..cut], &bytes[cut..]]),
            whole
        );
        assert_eq!(guarded(Notation::Rust, &[b"ok\xff!"]), "ok\u{fffd}!");
    }

    #[test]
    fn json_notation_keeps_json_valid_and_equal() {
        let value = serde_json::json!({"m": "x\u{9b}2J\u{202e}y\u{e0041}\u{7f}"});
        let text = value.to_string();
        let shown = guarded(Notation::Json, &[text.as_bytes()]);
        assert!(shown.chars().all(|c| !is_unsafe(c)), "{shown}");
        assert!(shown.contains("\\u202e") && shown.contains("\\udb40\\udc41"));
        let back: serde_json::Value = serde_json::from_str(&shown).unwrap();
        assert_eq!(back, value);
    }

    #[test]
    fn colour_rules() {
        use ColorChoice::*;
        assert!(use_color(Auto, true, None, None));
        assert!(!use_color(Auto, false, None, None));
        assert!(!use_color(Auto, true, Some("1"), None));
        assert!(use_color(Auto, true, Some(""), None));
        assert!(use_color(Auto, false, None, Some("1")));
        assert!(!use_color(Auto, false, None, Some("0")));
        assert!(use_color(Always, false, Some("1"), None));
        assert!(!use_color(Never, true, None, Some("1")));
    }
}

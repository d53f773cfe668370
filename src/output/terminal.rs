//! Terminal safety and colour: control characters from event text are
//! escaped before they reach a terminal, and the colour decision honours
//! `--color`, `NO_COLOR` and `CLICOLOR_FORCE`.

use std::borrow::Cow;

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

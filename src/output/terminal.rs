//! Terminal safety and colour: control characters from event text are
//! escaped before they reach a terminal, and the colour decision honours
//! `--color`, `NO_COLOR` and `CLICOLOR_FORCE`.

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

/// Control characters escaped, see [`crate::escape`].
pub use crate::escape::escape_control;

#[cfg(test)]
mod tests {
    use super::*;

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

//! Messages for people on stderr: errors, warnings and `--verbose` notes,
//! coloured when stderr is a terminal (and colour is allowed), with control
//! characters from input data escaped. Data never goes here; it goes to
//! stdout through the renderers.

use crate::escape::escape_control;
use colored::Colorize;
use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicU64, Ordering};

/// How chatty stderr should be.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Verbosity {
    Quiet,
    Normal,
    Verbose,
}

/// The stderr reporter shared by every command.
#[derive(Debug)]
pub struct Diag {
    verbosity: Verbosity,
    color: bool,
    /// Bad-record messages printed; past [`Diag::MAX_RECORD_ERRORS`] they are
    /// only counted, so a wholly broken file does not flood the terminal.
    errors: AtomicU64,
}

impl Diag {
    pub const MAX_RECORD_ERRORS: u64 = 50;

    pub fn new(verbosity: Verbosity, color_allowed: bool) -> Self {
        let color = color_allowed && std::io::stderr().is_terminal();
        Diag {
            verbosity,
            color,
            errors: AtomicU64::new(0),
        }
    }

    pub fn verbosity(&self) -> Verbosity {
        self.verbosity
    }

    /// True when progress lines may be drawn (stderr is a terminal, not quiet).
    pub fn progress_allowed(&self) -> bool {
        self.verbosity > Verbosity::Quiet && std::io::stderr().is_terminal()
    }

    /// Redraws the one-line progress display (only when
    /// [`Diag::progress_allowed`]); [`Diag::progress_clear`] removes it.
    pub fn progress(&self, line: &str) {
        if self.progress_allowed() {
            let mut err = std::io::stderr().lock();
            let _ = write!(err, "\r\x1b[2K{}", escape_control(line));
            let _ = err.flush();
        }
    }

    /// Removes the progress line, if one was drawn.
    pub fn progress_clear(&self) {
        if self.progress_allowed() {
            let mut err = std::io::stderr().lock();
            let _ = write!(err, "\r\x1b[2K");
            let _ = err.flush();
        }
    }

    /// A problem with part of the input; the run goes on.
    pub fn error(&self, message: &str) {
        let n = self.errors.fetch_add(1, Ordering::Relaxed);
        if n < Self::MAX_RECORD_ERRORS {
            self.emit("error", message);
        } else if n == Self::MAX_RECORD_ERRORS {
            self.emit("error", "further input errors are counted but not shown");
        }
    }

    /// Something the user should know; shown unless `--quiet`.
    pub fn warn(&self, message: &str) {
        if self.verbosity >= Verbosity::Normal {
            self.emit("warning", message);
        }
    }

    /// A final summary line or notice; shown unless `--quiet`.
    pub fn note(&self, message: &str) {
        if self.verbosity >= Verbosity::Normal {
            self.emit("note", message);
        }
    }

    /// Detail for `--verbose`.
    pub fn verbose(&self, message: &str) {
        if self.verbosity >= Verbosity::Verbose {
            self.emit("info", message);
        }
    }

    /// A fatal error, always shown.
    pub fn fatal(&self, message: &str) {
        self.emit("error", message);
    }

    fn emit(&self, level: &str, message: &str) {
        let label = if self.color {
            match level {
                "error" => level.red().bold().to_string(),
                "warning" => level.yellow().bold().to_string(),
                _ => level.cyan().to_string(),
            }
        } else {
            level.to_string()
        };
        let mut err = std::io::stderr().lock();
        let _ = writeln!(err, "oksms: {label}: {}", escape_control(message));
    }
}

/// This process's peak resident memory in KiB (Linux `VmHWM`), for the
/// `--verbose` run summary; `None` where the platform does not say.
pub fn peak_memory_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

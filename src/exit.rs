//! Exit codes, the public contract scripts branch on, and the typed errors
//! that carry them from deep in the code to `main`.

use std::fmt;

/// The process exit codes documented in the README and the man page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitCode {
    /// Everything went well.
    Ok = 0,
    /// An error not covered by a more specific code.
    Error = 1,
    /// The command line was wrong (also what clap uses).
    Usage = 2,
    /// An audit alert rule fired.
    Finding = 3,
    /// Okta refused the credentials or the permission (401/403).
    Auth = 4,
    /// The API or network stayed unavailable after the retries.
    Unavailable = 5,
    /// Some input records were malformed and skipped.
    BadInput = 6,
    /// Another oksms process holds the `--state` file's lock (`watch`).
    Locked = 7,
    /// Interrupted by SIGINT/SIGTERM.
    Interrupted = 130,
}

impl ExitCode {
    /// The numeric code handed to the operating system.
    pub fn code(self) -> i32 {
        self as i32
    }

    /// The more severe of two codes, so a run that both skipped bad records
    /// and found an alert, or audited several orgs of which one failed,
    /// reports the one a script most needs to see. The order (README "Exit
    /// codes"): 130, 2, 4, 5, 1 = 7, 3, 6, 0; of two equal codes the first
    /// is kept.
    pub fn worst(self, other: ExitCode) -> ExitCode {
        if other.rank() > self.rank() {
            other
        } else {
            self
        }
    }

    /// Every code, in numeric order.
    pub const ALL: [ExitCode; 9] = [
        ExitCode::Ok,
        ExitCode::Error,
        ExitCode::Usage,
        ExitCode::Finding,
        ExitCode::Auth,
        ExitCode::Unavailable,
        ExitCode::BadInput,
        ExitCode::Locked,
        ExitCode::Interrupted,
    ];

    /// What the code means, as `--help` and the man page say it.
    pub fn meaning(self) -> &'static str {
        match self {
            ExitCode::Ok => "success",
            ExitCode::Error => "error",
            ExitCode::Usage => "usage error (bad flags, bad alert rule)",
            ExitCode::Finding => "an audit alert rule fired",
            ExitCode::Auth => "Okta refused the credentials or permission (401/403)",
            ExitCode::Unavailable => "the API or network stayed unavailable after retries",
            ExitCode::BadInput => "some input records were malformed and skipped",
            ExitCode::Locked => "watch: another process holds the --state file lock",
            ExitCode::Interrupted => "interrupted",
        }
    }

    /// The exit-code table of `--help` and the man page, generated from
    /// [`ExitCode::ALL`].
    pub fn help_text() -> String {
        let mut text = String::from("Exit codes:");
        for code in ExitCode::ALL {
            text.push_str(&format!("\n  {:<4} {}", code.code(), code.meaning()));
        }
        text.push_str(
            "\nWith several outcomes (several orgs, bad records, alerts) the most severe:\n  \
             130, 2, 4, 5, 1 = 7, 3, 6, 0.",
        );
        text
    }

    fn rank(self) -> u8 {
        match self {
            ExitCode::Ok => 0,
            ExitCode::BadInput => 1,
            ExitCode::Finding => 2,
            ExitCode::Error => 3,
            ExitCode::Locked => 3,
            ExitCode::Unavailable => 4,
            ExitCode::Auth => 5,
            ExitCode::Usage => 6,
            ExitCode::Interrupted => 7,
        }
    }
}

/// An error whose kind decides the exit code. Everything else that reaches
/// `main` as a plain `anyhow::Error` exits with [`ExitCode::Error`].
#[derive(Debug)]
pub struct Failure {
    pub code: ExitCode,
    pub message: String,
}

impl Failure {
    pub fn new(code: ExitCode, message: impl Into<String>) -> Self {
        Failure {
            code,
            message: message.into(),
        }
    }
    pub fn usage(message: impl Into<String>) -> Self {
        Self::new(ExitCode::Usage, message)
    }
    pub fn auth(message: impl Into<String>) -> Self {
        Self::new(ExitCode::Auth, message)
    }
    pub fn unavailable(message: impl Into<String>) -> Self {
        Self::new(ExitCode::Unavailable, message)
    }
    pub fn bad_input(message: impl Into<String>) -> Self {
        Self::new(ExitCode::BadInput, message)
    }
    pub fn interrupted() -> Self {
        Self::new(ExitCode::Interrupted, "interrupted")
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Failure {}

/// The exit code for an error that reached `main`.
pub fn code_for(err: &anyhow::Error) -> ExitCode {
    // `anyhow`'s own downcast also finds a `Failure` given as a context
    // layer; the chain finds one wrapped in another error's source.
    err.downcast_ref::<Failure>()
        .or_else(|| {
            err.chain()
                .find_map(|cause| cause.downcast_ref::<Failure>())
        })
        .map(|failure| failure.code)
        .unwrap_or(ExitCode::Error)
}

/// True when the error is a closed pipe on the output (`oksms ... | head`),
/// which ends the run quietly and successfully.
pub fn is_broken_pipe(err: &anyhow::Error) -> bool {
    let is_pipe = |io: &std::io::Error| io.kind() == std::io::ErrorKind::BrokenPipe;
    err.chain().any(|cause| {
        cause.downcast_ref::<std::io::Error>().is_some_and(is_pipe)
            || cause
                .downcast_ref::<csv::Error>()
                .is_some_and(|e| matches!(e.kind(), csv::ErrorKind::Io(io) if is_pipe(io)))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failure_given_as_context_still_sets_the_code() {
        let io = std::io::Error::other("refused");
        let err = anyhow::Error::new(io)
            .context(Failure::auth("the token grant"))
            .context("profile prod");
        assert_eq!(code_for(&err), ExitCode::Auth);
        let root = anyhow::Error::new(Failure::unavailable("down")).context("org a");
        assert_eq!(code_for(&root), ExitCode::Unavailable);
    }

    #[test]
    fn codes_match_the_documented_contract() {
        let table = [
            (ExitCode::Ok, 0),
            (ExitCode::Error, 1),
            (ExitCode::Usage, 2),
            (ExitCode::Finding, 3),
            (ExitCode::Auth, 4),
            (ExitCode::Unavailable, 5),
            (ExitCode::BadInput, 6),
            (ExitCode::Locked, 7),
            (ExitCode::Interrupted, 130),
        ];
        for (code, number) in table {
            assert_eq!(code.code(), number, "{code:?}");
        }
    }

    #[test]
    fn typed_failure_survives_context() {
        let err = anyhow::Error::new(Failure::auth("401")).context("fetching page 3");
        assert_eq!(code_for(&err), ExitCode::Auth);
        assert_eq!(code_for(&anyhow::anyhow!("plain")), ExitCode::Error);
    }

    #[test]
    fn worst_prefers_findings_over_bad_input() {
        assert_eq!(
            ExitCode::BadInput.worst(ExitCode::Finding),
            ExitCode::Finding
        );
        assert_eq!(
            ExitCode::Finding.worst(ExitCode::BadInput),
            ExitCode::Finding
        );
        assert_eq!(ExitCode::Ok.worst(ExitCode::BadInput), ExitCode::BadInput);
    }

    #[test]
    fn worst_follows_the_documented_severity_order() {
        // README "Exit codes": 130, 2, 4, 5, 1 = 7, 3, 6, 0.
        let order = [
            ExitCode::Ok,
            ExitCode::BadInput,
            ExitCode::Finding,
            ExitCode::Error,
            ExitCode::Unavailable,
            ExitCode::Auth,
            ExitCode::Usage,
            ExitCode::Interrupted,
        ];
        for (i, lower) in order.iter().enumerate() {
            for higher in &order[i..] {
                assert_eq!(lower.worst(*higher), *higher, "{lower:?} vs {higher:?}");
                assert_eq!(higher.worst(*lower), *higher, "{higher:?} vs {lower:?}");
            }
        }
        assert_eq!(ExitCode::Error.worst(ExitCode::Locked), ExitCode::Error);
        assert_eq!(ExitCode::Locked.worst(ExitCode::Error), ExitCode::Locked);
        assert_eq!(ExitCode::Auth.worst(ExitCode::Locked), ExitCode::Auth);
    }

    #[test]
    fn broken_pipe_is_recognised_through_context() {
        let io = std::io::Error::new(std::io::ErrorKind::BrokenPipe, "pipe");
        let err = anyhow::Error::new(io).context("writing csv");
        assert!(is_broken_pipe(&err));
    }
}

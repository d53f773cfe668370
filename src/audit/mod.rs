//! Auditing: summaries (`--group-by`), alert rules (`--alert`, exit code 3)
//! and masking (`--mask`) for every command that renders records.
//!
//! # Entry point for commands
//!
//! Flatten [`AuditArgs`] into the command's clap struct, then write records
//! to a [`Pipeline`] instead of a plain renderer:
//!
//! ```no_run
//! # use oksms::{audit, output, exit::ExitCode, diag::Diag, record::Record};
//! # use oksms::output::Sink;
//! # fn run(args: &audit::AuditArgs, settings: &output::OutputSettings, diag: &Diag,
//! #        records: &[Record<'_>]) -> anyhow::Result<ExitCode> {
//! let mut pipeline = audit::Pipeline::new(args, settings, output::stdout(), diag)?; // exit 2 on a bad rule
//! for record in records {
//!     pipeline.record(record)?;          // a `Sink`: masks, feeds rules, renders or summarises
//! }
//! let code = pipeline.finish_with_code()?; // output closed, findings reported; 3 if a rule fired
//! # Ok(code) }
//! ```
//!
//! Combine the code with the command's own (`ExitCode::worst`). Without any
//! audit flag the pipeline is just the renderer. For `watch`:
//! [`Pipeline::stream_findings`]`(true)` reports findings at every
//! `flush()`, and [`Pipeline::emit_summary`] re-writes the summary (call it
//! every `--every`).
//!
//! # Pieces
//!
//! [`keys`] reads what the audit needs from a record (E.164 phone via
//! [`crate::phone`], calling code, user, ...); [`summary`] and [`render`]
//! make the `--group-by` rows (rendered by [`crate::output::grid`]);
//! [`rules`] parses and evaluates `--alert` rules over sliding windows;
//! [`findings`] reports them; [`mask`] rewrites records; [`report`] puts
//! it all in an HTML or Markdown page (`--report`).
//! Memory grows with the number of groups and the events inside a rule's
//! window, never with the number of events read.

pub mod args;
pub mod findings;
pub mod json;
pub mod junit;
pub mod keys;
pub mod mask;
pub mod pipeline;
pub mod preset;
pub mod render;
pub mod report;
pub mod rules;
pub mod summary;

pub use args::{AuditArgs, FindingsFormat, ReportArgs};
pub use keys::Key;
pub use mask::MaskChoice;
pub use pipeline::Pipeline;

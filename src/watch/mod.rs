//! Polling the System Log for `oksms watch` (the default source; `--listen`
//! is [`crate::hooks`]): an endless polling query (`since`, no `until`,
//! ascending) whose `next` links are followed forever through the one API
//! client ([`crate::okta`]: auth, rate-limit budget, retries, paging),
//! sleeping `--interval` after a short page (caught up), with a
//! durable checkpoint so a restart continues exactly where the last run
//! stopped.
//!
//! The pieces: [`args`] (flags, resolved once into a [`PollConfig`]),
//! [`state`] (the `--state` checkpoint file), [`durable`] (fsync, marks and
//! cutting of stdout-as-a-file and the `--archive`), [`live`] (the audit flags:
//! findings per page, the summary every `--every`; shared with `--listen`)
//! and [`poll`] (the loop).
//!
//! # Exactly once, also after SIGKILL
//!
//! For each page, in this order:
//! 1. drop events whose `uuid` is among the recent ones (page-boundary and
//!    late duplicates; the checkpoint remembers the last 10,000);
//! 2. append the new raw events to the archive and fsync it;
//! 3. render the records, flush the sink and, when stdout is a regular
//!    file, fsync it;
//! 4. write the checkpoint atomically: the page's `next` URL, the recent
//!    `uuid`s, and the *marks* of stdout and the archive (device, inode and
//!    length right after step 2 and 3).
//!
//! A run killed at any point leaves the last checkpoint intact (step 4 is a
//! rename) and possibly some bytes after the marks: the records and raw
//! events of pages it wrote but did not checkpoint, the last one perhaps
//! torn mid-line. On restart, when stdout is the same regular file as the
//! mark says (same device and inode) and is longer, it is cut back to the
//! mark; the archive likewise. Then polling resumes at the checkpoint's
//! `next` URL, so exactly those pages are fetched and written again: every
//! record ends up in the file once, and no line is torn. The dedupe set
//! restored with the checkpoint is the one that matched the cut file.
//!
//! The guarantee is therefore: with `--state` and stdout redirected to a
//! regular file that only `watch` appends to (`>> FILE`, systemd's
//! `StandardOutput=append:`), no record is lost and none is written twice,
//! whatever the moment of a crash. When stdout is a pipe or a terminal,
//! what was written after the last checkpoint cannot be taken back: after
//! a crash (not after SIGINT/SIGTERM, which finish the page and checkpoint)
//! at most the records of the pages after the checkpoint (one page, as the
//! checkpoint moves after every page) are written again; nothing is lost.
//! If the file was rotated or replaced, it is not the marked file and is
//! never cut; if it is shorter than its mark, a warning says so.
//!
//! A checkpoint is also written when polling starts without one (so the
//! start time is pinned) and on a clean exit (so the end of the output,
//! e.g. a JSON array's `]`, is inside the mark). Empty polls do not rewrite
//! it more than once a minute.

pub mod args;
pub mod durable;
pub mod live;
pub mod lock;
pub mod poll;
pub mod state;

use crate::settings::api::ApiSettings;
use std::path::PathBuf;
use std::time::Duration;
use url::Url;

pub use args::PollArgs;
pub use poll::{run, run_several};

/// Everything polling needs, resolved from the command line.
#[derive(Debug)]
pub struct PollConfig {
    /// The org, credentials and the API client's options.
    pub api: ApiSettings,
    /// The first query URL, used when there is no checkpoint.
    pub first: Url,
    /// The API filter expression (part of the checkpoint's identity).
    pub filter: Option<String>,
    /// The wait after a short page (the log is caught up).
    pub interval: Duration,
    pub state: Option<PathBuf>,
    pub reset_state: bool,
    pub archive: Option<PathBuf>,
    /// Exit 0 at the first poll that is caught up (a short page).
    pub exit_when_idle: bool,
    /// Exit 0 after this many requests.
    pub max_polls: Option<u64>,
    /// `--since` was given (it is ignored when resuming from a checkpoint).
    pub since_given: bool,
}

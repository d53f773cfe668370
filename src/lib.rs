//! `oksms`: audit Okta "Phone Verification SMS Sent" events.
//!
//! The library holds the pieces the binary wires together: the card record
//! ([`record`]), the readers that turn exports, NDJSON and event-hook
//! deliveries into records ([`input`]), the renderers ([`output`]), the Okta
//! API client ([`okta`]) and the audit summaries and alert rules ([`audit`]).
//! The simulated Okta org the tests run against is the `oksms-sim` crate
//! (`crates/oksms-sim`), a dev-dependency. ARCHITECTURE.md draws the layers.
//!
//! Only what the binary, the integration tests and the audit's doc example
//! use is public (`cli`, `exit`, `generate`; `diag`, `output`, `record`);
//! the rest is `pub(crate)`, so the compiler reports dead code. `audit` and `hooks` stay public while other work on them is
//! in flight (toll-fraud features; event hooks end to end), to be made
//! `pub(crate)` when it lands.

// Data goes to stdout only through `output/` (and the summaries it
// renders), messages to stderr only through `diag.rs`; both write to locked
// handles, so no print macro is needed anywhere.
#![deny(clippy::print_stdout, clippy::print_stderr)]

pub(crate) mod atomic_file;
pub mod audit;
pub mod cli;
pub(crate) mod commands;
pub(crate) mod config;
pub mod diag;
pub(crate) mod doctor;
pub(crate) mod escape;
pub mod exit;
pub(crate) mod fields;
pub(crate) mod flagrange;
pub mod generate;
pub mod hooks;
pub(crate) mod human;
pub(crate) mod input;
pub(crate) mod okta;
pub mod output;
pub(crate) mod phone;
pub(crate) mod phone_filter;
pub mod phone_meta;
pub(crate) mod progress;
pub mod record;
pub(crate) mod replay;
pub(crate) mod secret;
pub(crate) mod settings;
pub(crate) mod size;
pub(crate) mod timestamp;
pub(crate) mod watch;
pub(crate) mod wire;

/// The entry points the `fuzz/` crate drives (its own workspace, built with
/// `--features fuzzing`): the rest of the crate stays `pub(crate)`, so the
/// compiler still finds dead code.
#[cfg(feature = "fuzzing")]
#[doc(hidden)]
#[allow(unreachable_pub, private_interfaces)]
pub mod fuzzing {
    pub use crate::audit;
    pub mod config {
        pub use crate::config::{Layer, merge};
    }
    pub mod input {
        pub use crate::input::decode::decode;
        pub use crate::input::framer::{Frame, Limits, frame_stream};
    }
    pub mod okta {
        pub use crate::okta::link::next_link;
        pub use crate::okta::ratelimit::{
            Budget, MAX_RESET_WAIT, Observed, RateState, parse_http_date, too_many_requests_wait,
        };
    }
    pub mod fields {
        pub use crate::fields::{Field, Leaf};
    }
}

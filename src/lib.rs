//! `oksms`: audit Okta "Phone Verification SMS Sent" events.
//!
//! The library holds the pieces the binary wires together: the card record
//! ([`record`]), the readers that turn exports, NDJSON and event-hook
//! deliveries into records ([`input`]), the renderers ([`output`]), the Okta
//! API client ([`okta`]) and the audit summaries and alert rules ([`audit`]).
//! The simulated Okta org the tests run against is the `oksms-sim` crate
//! (`crates/oksms-sim`), a dev-dependency.

pub mod audit;
pub mod cli;
pub mod commands;
pub mod config;
pub mod diag;
pub mod exit;
pub mod fields;
pub mod flagrange;
pub mod generate;
pub mod hooks;
pub mod input;
pub mod okta;
pub mod output;
pub mod phone_meta;
pub mod record;
pub mod replay;
pub mod report;
pub mod secret;
pub mod size;
pub mod timestamp;
pub mod watch;
pub mod wire;

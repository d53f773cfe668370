//! `oksms replay`: play captured events back, either to stdout in
//! `published` order (optionally paced like the original) or to an HTTP
//! endpoint as Okta event-hook deliveries, with Okta's delivery semantics
//! (timeout, one retry on 5xx and timeouts) and a per-delivery report.
//!
//! The pieces: [`load`] (any `parse` input into owned events, ordered and
//! cut to a time range), [`pace`] (the schedule and an injectable clock),
//! [`plan`] (batches, envelope ids, the envelope text), [`deliver`] (the
//! HTTP client, retries, parallel workers), [`report`] (report lines,
//! `--only-failed`, the summary) and [`safety`] (loopback check and the
//! confirmation before sending to another host).

pub mod deliver;
pub mod load;
pub mod pace;
pub mod plan;
pub mod report;
pub mod safety;

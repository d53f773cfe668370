//! The simulated Okta org (the `oksms-sim` crate) as the networked tests
//! use it: an SSWS token the tests pass to `oksms` in the environment, and
//! the org's truth to compare output with.

use super::SMS;
use oksms_sim::{SimConfig, SimOrg};
use serde_json::Value;

/// The SSWS token the test orgs accept (checked never to be printed).
pub const TOKEN: &str = "00sim-ssws-token-value-s3cr3t";

/// Starts an org from `config`, accepting [`TOKEN`] unless the config names
/// another token.
pub fn org_with(config: SimConfig) -> SimOrg {
    let config = SimConfig {
        ssws_token: config.ssws_token.or_else(|| Some(TOKEN.into())),
        ..config
    };
    SimOrg::start(config).expect("simulated org starts")
}

/// The org's events of the SMS type, in `published` order.
pub fn sms_truth(org: &SimOrg) -> Vec<Value> {
    org.truth()
        .into_iter()
        .filter(|e| e["eventType"] == SMS)
        .collect()
}

/// The `uuid` of each LogEvent.
pub fn uuids(events: &[Value]) -> Vec<String> {
    events
        .iter()
        .map(|e| e["uuid"].as_str().expect("uuid").to_string())
        .collect()
}

/// The raw LogEvents behind oksms's records (their `event_details`), as the
/// org sent them.
pub fn details(records: &[Value]) -> Vec<Value> {
    records.iter().map(|r| r["event_details"].clone()).collect()
}

/// The `uuid`s of the org's SMS events, in `published` order.
pub fn sms_uuids(org: &SimOrg) -> Vec<String> {
    uuids(&sms_truth(org))
}

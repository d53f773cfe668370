//! The Okta System Log API client shared by `fetch` and `watch`:
//! credentials and tokens ([`auth`]), the HTTP client with its rate-limit
//! budget and retries ([`client`]), error bodies ([`error`]), `Link`
//! headers ([`link`]), the Event Hooks API ([`event_hooks`]), paging ([`pager`]), query URLs ([`query`]) and the
//! rate-limit arithmetic ([`ratelimit`]).

pub mod auth;
pub mod client;
pub mod error;
pub mod event_hooks;
pub mod link;
pub mod pager;
pub mod query;
pub mod ratelimit;

pub use auth::{Credentials, Scheme, Secret, ServiceApp, SigningKey};
pub use client::{ClientOptions, Event, OktaClient, Page, WaitReason};
pub use pager::Pager;
pub use query::{FilterBuilder, LogQuery};
pub use ratelimit::{Budget, RateState};

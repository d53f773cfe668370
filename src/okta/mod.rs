//! The Okta System Log API client shared by `fetch` and `watch`:
//! credentials and tokens ([`auth`]), the HTTP client with its rate-limit
//! budget and retries ([`client`]), error bodies ([`error`]), `Link`
//! headers ([`link`]), the Event Hooks API ([`event_hooks`]), paging
//! ([`pager`]), the export loop `fetch` and `watch` consume ([`export`]),
//! query URLs ([`query`]) and the
//! rate-limit arithmetic ([`ratelimit`]).

pub mod auth;
pub mod client;
pub mod error;
pub mod event_hooks;
pub mod export;
pub mod link;
pub mod pager;
pub mod query;
pub mod ratelimit;

pub use auth::{Credentials, Scheme};
pub use client::Page;
pub use pager::Pager;
pub use query::LogQuery;
pub use ratelimit::{Budget, RateState};

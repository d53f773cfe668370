//! One module per subcommand: each declares its clap arguments and an
//! `execute` that orchestrates the library pieces. No formatting here.

pub mod config;
pub mod doctor;
pub mod fetch;
mod fetch_orgs;
pub mod hook;
pub mod parse;
pub mod replay;
pub mod watch;

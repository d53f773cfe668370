//! One module per subcommand: each declares its clap arguments and an
//! `execute` that orchestrates the library pieces. No formatting here.

pub mod fetch;
pub mod hook;
pub mod parse;
pub mod replay;
pub mod watch;

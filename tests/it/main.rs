//! The integration tests: one binary (as ripgrep does) that runs the real
//! `oksms` executable on files, pipes and real servers on 127.0.0.1.

mod audit;
mod config_init;
mod doctor;
mod fetch;
mod first_run;
mod generate;
mod hooks_e2e;
mod multiorg;
mod parse;
mod prefilter;
mod realworld;
mod replay;
mod support;
mod tollfraud;
mod watch;
mod watch_poll;

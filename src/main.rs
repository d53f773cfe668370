//! The `oksms` binary: parse the command line, run it, map the outcome to an
//! exit code. A closed output pipe ends quietly with exit code 0.

use clap::Parser;
use oksms::cli::Cli;
use oksms::exit::{self, ExitCode};

fn main() {
    let cli = Cli::parse();
    // Each renderer decides for its own stream (stdout table, stderr
    // messages) and only styles text when it chose colour; `colored`'s own
    // global guess would look at the wrong stream.
    colored::control::set_override(true);
    let quiet = cli.global.quiet;
    let diag = cli.global.diag();
    let code = match oksms::cli::run(cli) {
        Ok(code) => code,
        Err(err) if exit::is_broken_pipe(&err) => ExitCode::Ok,
        Err(err) => {
            let code = exit::code_for(&err);
            if !(quiet && code == ExitCode::Interrupted) {
                diag.fatal(&format!("{err:#}"));
            }
            code
        }
    };
    std::process::exit(code.code());
}

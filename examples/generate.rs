//! Writes (or, with `--check`, only checks) the committed shell completions
//! (`completions/`) and man pages (`man/`) from the clap definitions of
//! `oksms` — a maintainer's tool, so the product binary has no subcommand
//! for it. Run from anywhere in the repository:
//!
//! ```text
//! cargo run --example generate            # rewrite what drifted
//! cargo run --example generate -- --check # exit 1 when a file drifted
//! ```
//!
//! The drift test (`cargo test --test it generate`) runs the same code
//! (`oksms::generate::sync`) and fails when a file is stale.

use clap::CommandFactory;
use oksms::generate::{SyncMode, sync};
use std::path::Path;
use std::process::ExitCode;

fn main() -> ExitCode {
    let check = match std::env::args().nth(1).as_deref() {
        None => false,
        Some("--check") => true,
        Some(other) => {
            eprintln!(
                "usage: cargo run --example generate [-- --check] (unknown argument {other:?})"
            );
            return ExitCode::from(2);
        }
    };
    let mode = if check {
        SyncMode::Check
    } else {
        SyncMode::Write
    };
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let drifted = match sync(root, mode, &oksms::cli::Cli::command()) {
        Ok(drifted) => drifted,
        Err(err) => {
            eprintln!("generate: {err:#}");
            return ExitCode::FAILURE;
        }
    };
    let list: Vec<String> = drifted.iter().map(|p| p.display().to_string()).collect();
    match (drifted.is_empty(), check) {
        (true, _) => eprintln!("completions and man pages are up to date"),
        (false, true) => {
            eprintln!(
                "generated files drifted: {}; run `cargo run --example generate` and commit",
                list.join(", ")
            );
            return ExitCode::FAILURE;
        }
        (false, false) => eprintln!("wrote {}", list.join(", ")),
    }
    ExitCode::SUCCESS
}

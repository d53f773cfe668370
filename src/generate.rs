//! Generates the shell completions (`completions/`) and man pages (`man/`)
//! from the clap definitions. One code path both writes and checks them, so
//! the drift test (`tests/it/generate.rs`) and the maintainer command
//! (`cargo run --example generate`, `examples/generate.rs`) cannot
//! disagree. Every subcommand of `Cli` is covered without an edit here. No
//! dates are written, so the output is stable. The product binary has no
//! subcommand for this: it is a maintainer's tool, not a user's.

use anyhow::{Context, Result};
use clap_complete::Shell;
use std::path::{Path, PathBuf};

/// Write the files, or only compare them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SyncMode {
    Write,
    Check,
}

/// Every generated file for the command line `cli` (`Cli::command()`): its
/// path relative to the repository root and its content.
///
/// Hidden subcommands are refused: the shells' completions would offer
/// them (clap_complete lists every subcommand), so a maintainer's command
/// belongs in a dev tool such as `examples/generate.rs`, not in `Cli`.
pub fn render_all(cli: &clap::Command) -> Result<Vec<(PathBuf, Vec<u8>)>> {
    let hidden: Vec<&str> = cli
        .get_subcommands()
        .filter(|s| s.is_hide_set())
        .map(|s| s.get_name())
        .collect();
    if !hidden.is_empty() {
        anyhow::bail!(
            "hidden subcommands would appear in the completions: {}",
            hidden.join(", ")
        );
    }
    let mut files = Vec::new();
    for shell in [
        Shell::Bash,
        Shell::Zsh,
        Shell::Fish,
        Shell::PowerShell,
        Shell::Elvish,
    ] {
        let mut cmd = cli.clone();
        let mut out = Vec::new();
        clap_complete::generate(shell, &mut cmd, "oksms", &mut out);
        let name = match shell {
            Shell::Bash => "oksms.bash".to_string(),
            Shell::Zsh => "_oksms".to_string(),
            Shell::Fish => "oksms.fish".to_string(),
            Shell::PowerShell => "_oksms.ps1".to_string(),
            Shell::Elvish => "oksms.elv".to_string(),
            other => format!("oksms.{other}"),
        };
        files.push((PathBuf::from("completions").join(name), out));
    }
    let mut cmd = cli.clone();
    cmd.build();
    files.push((PathBuf::from("man/oksms.1"), man_page(&cmd)?));
    for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
        let name = format!("oksms-{}", sub.get_name());
        let sub = sub.clone().name(name.clone());
        files.push((PathBuf::from(format!("man/{name}.1")), man_page(&sub)?));
    }
    Ok(files)
}

fn man_page(cmd: &clap::Command) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    clap_mangen::Man::new(cmd.clone()).render(&mut out)?;
    Ok(out)
}

/// Writes or checks every generated file under `root`; returns the paths
/// that differed (in `Write` mode, the ones rewritten).
pub fn sync(root: &Path, mode: SyncMode, cli: &clap::Command) -> Result<Vec<PathBuf>> {
    let mut drifted = Vec::new();
    for (rel, content) in render_all(cli)? {
        let path = root.join(&rel);
        let current = std::fs::read(&path).ok();
        if current.as_deref() == Some(content.as_slice()) {
            continue;
        }
        if mode == SyncMode::Write {
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir)
                    .with_context(|| format!("cannot create {}", dir.display()))?;
            }
            std::fs::write(&path, &content)
                .with_context(|| format!("cannot write {}", path.display()))?;
        }
        drifted.push(rel);
    }
    Ok(drifted)
}

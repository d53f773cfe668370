//! The committed completions and man pages must match what the code
//! generates. Regenerate with `cargo run --example generate` (or
//! `OKSMS_REGENERATE=1 cargo test --test it generate`).

use std::path::Path;

#[test]
fn completions_and_man_pages_do_not_drift() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mode = if std::env::var_os("OKSMS_REGENERATE").is_some() {
        oksms::generate::SyncMode::Write
    } else {
        oksms::generate::SyncMode::Check
    };
    let drifted = oksms::generate::sync(
        root,
        mode,
        &<oksms::cli::Cli as clap::CommandFactory>::command(),
    )
    .unwrap();
    assert!(
        mode == oksms::generate::SyncMode::Write || drifted.is_empty(),
        "generated files drifted: {drifted:?}; run `cargo run --example generate` and commit them"
    );
}

#[test]
fn every_shell_and_subcommand_has_a_file() {
    let files =
        oksms::generate::render_all(&<oksms::cli::Cli as clap::CommandFactory>::command()).unwrap();
    let names: Vec<String> = files.iter().map(|(p, _)| p.display().to_string()).collect();
    for expected in [
        "completions/oksms.bash",
        "completions/_oksms",
        "completions/oksms.fish",
        "completions/_oksms.ps1",
        "completions/oksms.elv",
        "man/oksms.1",
        "man/oksms-fetch.1",
        "man/oksms-parse.1",
        "man/oksms-watch.1",
        "man/oksms-replay.1",
    ] {
        assert!(
            names.contains(&expected.to_string()),
            "{expected} missing from {names:?}"
        );
    }
    for (path, content) in files {
        let text = String::from_utf8(content).unwrap();
        assert!(
            !text.contains("2026") && !text.contains("2025"),
            "{} contains a date",
            path.display()
        );
    }
}

/// The simulated org is the `oksms-sim` crate: the product has no `sim`
/// subcommand, and neither the committed completions nor the man pages
/// mention one.
#[test]
fn the_product_has_no_simulator_subcommand() {
    let out = crate::support::oksms()
        .args(["sim", "generate", "--count", "1"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(2),
        "`oksms sim` is not a usage error"
    );
    assert!(out.stdout.is_empty());
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for dir in ["completions", "man"] {
        for entry in std::fs::read_dir(root.join(dir)).unwrap() {
            let path = entry.unwrap().path();
            let text = std::fs::read_to_string(&path).unwrap();
            assert!(
                !text
                    .split(|c: char| !c.is_alphanumeric() && c != '_')
                    .any(|w| w == "sim" || w.ends_with("__sim")),
                "{} mentions the sim subcommand",
                path.display()
            );
        }
    }
}

/// Generating is a maintainer's tool (`cargo run --example generate`), not
/// a subcommand: `oksms generate` is a usage error, and neither `--help`
/// nor the completions offer it. A subcommand added to `Cli` gets its
/// completions and man page without an edit to the generator.
#[test]
fn the_product_has_no_generate_subcommand() {
    let out = crate::support::oksms()
        .args(["generate", "--check"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(2),
        "`oksms generate` is not a usage error"
    );
    let help = crate::support::oksms().arg("--help").output().unwrap();
    let help = String::from_utf8(help.stdout).unwrap();
    assert!(
        help.contains("fetch") && !help.contains("generate"),
        "{help}"
    );
    let cli = <oksms::cli::Cli as clap::CommandFactory>::command();
    let files = oksms::generate::render_all(&cli).unwrap();
    for (path, content) in &files {
        let text = String::from_utf8_lossy(content);
        assert!(
            !text
                .split(|c: char| !c.is_alphanumeric() && c != '_')
                .any(|w| w == "generate" || w.ends_with("__generate")),
            "{} offers `generate`",
            path.display()
        );
    }
    let bash = &files
        .iter()
        .find(|(p, _)| p.ends_with("oksms.bash"))
        .unwrap()
        .1;
    let bash = String::from_utf8_lossy(bash);
    for sub in cli.get_subcommands() {
        assert!(
            bash.contains(&format!(
                "oksms__subcmd__{}",
                sub.get_name().replace('-', "__")
            )),
            "completions miss {}",
            sub.get_name()
        );
    }
}

/// A hidden subcommand would leak into the completions, so generating
/// refuses it rather than writing it.
#[test]
fn a_hidden_subcommand_is_refused_by_the_generator() {
    let cli = <oksms::cli::Cli as clap::CommandFactory>::command()
        .subcommand(clap::Command::new("secret-tool").hide(true));
    match oksms::generate::render_all(&cli) {
        Ok(files) => panic!("{} files generated with a hidden subcommand", files.len()),
        Err(err) => assert!(format!("{err}").contains("secret-tool"), "{err}"),
    }
}

//! The README's "First run" chapter, run as written: the commands between
//! its `first-run` markers go through `sh` with `oksms` on the PATH, a
//! fresh HOME holding `~/.okta-token`, and the org URL of the chapter
//! (`https://acme.okta.com`) replaced by the simulated org's. The chapter
//! and this test cannot drift apart.

use crate::doctor::private_file;
use crate::support::oksms_process;
use crate::support::org::{TOKEN, org_with};
use oksms_sim::SimConfig;
use std::path::Path;

/// The org URL the chapter uses.
const README_ORG: &str = "https://acme.okta.com";

/// The shell lines of the README between the markers (comments and the
/// code fences left out).
fn chapter_commands() -> Vec<String> {
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
        .expect("README.md");
    let start = readme
        .find("<!-- first-run:begin -->")
        .expect("first-run:begin marker");
    let end = readme
        .find("<!-- first-run:end -->")
        .expect("first-run:end marker");
    readme[start..end]
        .lines()
        .map(str::trim)
        .filter(|l| l.starts_with("oksms "))
        .map(str::to_string)
        .collect()
}

#[test]
fn the_first_run_chapter_works_as_written() {
    let commands = chapter_commands();
    assert_eq!(commands.len(), 3, "{commands:?}");
    assert!(commands[0].starts_with("oksms config init"));
    assert!(commands[1].starts_with("oksms doctor"));
    assert!(commands[2].starts_with("oksms fetch"));
    let org = org_with(SimConfig {
        event_count: 200,
        ..SimConfig::default()
    });
    let home = tempfile::tempdir().unwrap();
    private_file(home.path(), ".okta-token", TOKEN, 0o600);
    let bin_dir = Path::new(env!("CARGO_BIN_EXE_oksms")).parent().unwrap();
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    for command in &commands {
        let line = command.replace(README_ORG, &org.base_url());
        // The environment of the other tests (scrubbed), with this HOME and PATH.
        let template = oksms_process();
        let mut sh = std::process::Command::new("sh");
        for (key, value) in template.get_envs() {
            match value {
                Some(v) => sh.env(key, v),
                None => sh.env_remove(key),
            };
        }
        let out = sh
            .args(["-c", &line])
            .env_remove("XDG_CONFIG_HOME")
            .env("HOME", home.path())
            .env("PATH", &path)
            .current_dir(home.path())
            .stdin(std::process::Stdio::null())
            .output()
            .expect("sh runs");
        let stdout = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{line}\n{stdout}\n{stderr}");
        assert!(!stdout.contains(TOKEN) && !stderr.contains(TOKEN));
        if line.starts_with("oksms doctor") {
            for check in [
                "✓ config",
                "✓ org",
                "✓ credentials",
                "✓ permission",
                "✓ rate-limit",
            ] {
                assert!(stdout.contains(check), "{check} in\n{stdout}");
            }
        }
        if line.starts_with("oksms fetch") {
            assert!(!stdout.trim().is_empty(), "records: {stderr}");
        }
    }
    let config = home.path().join(".config/oksms/config.yaml");
    assert!(
        config.exists(),
        "the profile went to ~/.config/oksms/config.yaml"
    );
}

//! Shared test helpers: the `oksms` command with a scrubbed environment and
//! paths to the shipped fixtures.

#![allow(dead_code)]

use assert_cmd::Command;
use std::path::PathBuf;

/// The real binary, with every environment variable that could leak a
/// user's configuration (Okta credentials, colour settings) removed.
pub fn oksms() -> Command {
    let mut cmd = Command::cargo_bin("oksms").expect("binary built by cargo");
    for (key, _) in std::env::vars() {
        if key.starts_with("OKTA_")
            || key.starts_with("OKSMS_")
            || key == "NO_COLOR"
            || key == "CLICOLOR_FORCE"
        {
            cmd.env_remove(key);
        }
    }
    cmd.env("HOME", std::env::temp_dir().join("oksms-test-home"));
    cmd.env(
        "XDG_CONFIG_HOME",
        std::env::temp_dir().join("oksms-test-home/.config"),
    );
    cmd
}

/// A file under `tests/fixtures/`.
pub fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

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

/// Runs `cmd` with `feed` writing its stdin from a thread; stdout is
/// drained and counted (not kept, so huge outputs cost nothing). Returns the
/// exit code, the stdout byte count and the stderr text.
pub fn run_streaming(
    mut cmd: std::process::Command,
    feed: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()> + Send + 'static,
) -> (i32, u64, String) {
    use std::io::Read;
    use std::process::Stdio;
    cmd.stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("spawn oksms");
    let mut stdin = child.stdin.take().expect("stdin");
    let feeder = std::thread::spawn(move || {
        let _ = feed(&mut stdin);
    });
    let mut stdout = child.stdout.take().expect("stdout");
    let counter = std::thread::spawn(move || {
        let mut buf = vec![0u8; 1 << 16];
        let mut total = 0u64;
        while let Ok(n) = stdout.read(&mut buf) {
            if n == 0 {
                break;
            }
            total += n as u64;
        }
        total
    });
    let mut stderr_text = String::new();
    child
        .stderr
        .take()
        .expect("stderr")
        .read_to_string(&mut stderr_text)
        .expect("read stderr");
    let status = child.wait().expect("wait for oksms");
    feeder.join().expect("feeder");
    let bytes = counter.join().expect("counter");
    (status.code().unwrap_or(-1), bytes, stderr_text)
}

//! Shared test helpers, written once: the `oksms` command with a scrubbed
//! environment, shared constants, paths to the shipped fixtures, NDJSON
//! readers, the simulated org the networked tests run against ([`org`]) and
//! the `watch --listen` receiver with event-hook deliveries ([`hook`]).

#![allow(dead_code)]

pub mod hook;
pub mod org;
pub mod pty;

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The event type oksms keeps by default.
pub const SMS: &str = "system.sms.send_phone_verification_message";

/// Environment variables oksms reads that a developer's shell may set:
/// colour switches and the table width. `OKTA_*` and `OKSMS_*` (credentials,
/// profiles, `OKSMS_THREADS`) are removed by prefix.
const LEAKY_VARS: [&str; 3] = ["NO_COLOR", "CLICOLOR_FORCE", "COLUMNS"];

/// The real binary as a `std::process::Command` (for spawned, long-running
/// or streamed runs), with every environment variable that could leak a
/// user's configuration (Okta credentials, profiles, thread count, colour
/// settings, terminal width) removed and `HOME`/`XDG_CONFIG_HOME` pointed at
/// an empty test home, so no config file of the user is read.
pub fn oksms_process() -> std::process::Command {
    scrubbed(std::process::Command::new(env!("CARGO_BIN_EXE_oksms")))
}

/// The real binary run by `sh` after the shell commands `setup` (e.g.
/// `ulimit -n 256`), which it inherits; the environment of [`oksms_process`].
pub fn oksms_process_after(setup: &str) -> std::process::Command {
    let mut cmd = std::process::Command::new("sh");
    cmd.args([
        "-c",
        &format!("{setup}; exec \"$0\" \"$@\""),
        env!("CARGO_BIN_EXE_oksms"),
    ]);
    scrubbed(cmd)
}

/// The real binary with `home` as its `HOME` (and `XDG_CONFIG_HOME` under
/// it), for runs whose config or state files live in a test directory;
/// otherwise the environment of [`oksms_process`].
pub fn oksms_process_with_home(home: &Path) -> std::process::Command {
    let mut cmd = oksms_process();
    cmd.env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join(".config"));
    cmd
}

/// `cmd` (which runs `oksms`, perhaps through a wrapper such as `script`)
/// with the environment of [`oksms_process`]: `OKTA_*`, `OKSMS_*` and the
/// colour and width variables removed, `HOME` an empty test home.
pub fn scrub(cmd: std::process::Command) -> std::process::Command {
    scrubbed(cmd)
}

fn scrubbed(mut cmd: std::process::Command) -> std::process::Command {
    for (key, _) in std::env::vars_os() {
        let key = key.to_string_lossy();
        if key.starts_with("OKTA_") || key.starts_with("OKSMS_") {
            cmd.env_remove(key.as_ref());
        }
    }
    for key in LEAKY_VARS {
        cmd.env_remove(key);
    }
    let home = std::env::temp_dir().join("oksms-test-home");
    cmd.env("XDG_CONFIG_HOME", home.join(".config"));
    cmd.env("HOME", home);
    cmd
}

/// The real binary as an `assert_cmd::Command`, with the environment of
/// [`oksms_process`].
pub fn oksms() -> assert_cmd::Command {
    assert_cmd::Command::from_std(oksms_process())
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

/// The JSON values of NDJSON text, one a line; blank lines are skipped and
/// a line that is not whole JSON (a torn write) fails the test.
pub fn json_lines(text: impl AsRef<[u8]>) -> Vec<Value> {
    String::from_utf8_lossy(text.as_ref())
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            serde_json::from_str(l).unwrap_or_else(|e| panic!("not one JSON line: {l:?}: {e}"))
        })
        .collect()
}

/// [`json_lines`] of a file; a missing file has none.
pub fn read_json_lines(path: &Path) -> Vec<Value> {
    json_lines(std::fs::read(path).unwrap_or_default())
}

/// `oksms parse -o ndjson FILE`, which must succeed, as JSON values.
pub fn parse_to_json(path: &Path) -> Vec<Value> {
    let out = oksms()
        .args(["parse", "-o", "ndjson"])
        .arg(path)
        .output()
        .expect("oksms runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    json_lines(&out.stdout)
}

/// NDJSON text of `lines` (one JSON text each), one a line.
pub fn ndjson(lines: &[String]) -> String {
    lines.iter().map(|l| format!("{l}\n")).collect()
}

/// Writes `lines` as NDJSON to `dir/name` and returns its path.
pub fn write_ndjson(dir: &Path, name: &str, lines: &[String]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, ndjson(lines)).expect("write a test input");
    path
}

/// A blocking HTTP client with a bound on every request.
pub fn http() -> reqwest::blocking::Client {
    reqwest::blocking::Client::builder()
        .timeout(Duration::from_secs(60))
        .build()
        .expect("HTTP client")
}

/// Sends SIGTERM to `child` (as systemd or Ctrl-C would stop oksms).
pub fn sigterm(child: &std::process::Child) {
    let pid = child.id().to_string();
    let sent = std::process::Command::new("kill")
        .args(["-TERM", &pid])
        .status();
    assert!(sent.is_ok_and(|s| s.success()), "kill -TERM {pid}");
}

//! Event-hook deliveries and the `oksms watch --listen` receiver, shared by
//! the listener tests and the replay tests that deliver into it.

use super::{SMS, oksms_process, sigterm};
use std::io::{BufRead, BufReader, Read};
use std::process::{Child, ExitStatus, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// The environment variable the tests keep the hook secret in.
pub const SECRET_VAR: &str = "HOOK_SECRET_FOR_TEST";
/// The secret itself (checked never to appear in any output).
pub const SECRET: &str = "Basic dGVzdDpzM2NyZXQtdmFsdWU=";

/// One SMS verification LogEvent, as compact JSON.
pub fn sms_event(i: usize, published: &str) -> String {
    serde_json::json!({
        "uuid": format!("evt-{i:04}"),
        "published": published,
        "eventType": SMS,
        "version": "0",
        "severity": "INFO",
        "displayMessage": "Send phone verification SMS message",
        "actor": {"id": format!("00u{i}"), "type": "User", "alternateId": format!("user{i}@example.com"), "displayName": format!("User {i}")},
        "client": {"ipAddress": format!("198.51.100.{}", i % 250)},
        "outcome": {"result": "SUCCESS", "reason": null},
        "target": [{"id": format!("00u{i}"), "type": "User", "alternateId": format!("user{i}@example.com"), "displayName": format!("User {i}")}],
        "debugContext": {"debugData": {"phoneNumber": format!("+1555000{i:04}"), "countryCallingCode": "1", "smsProvider": "TELESIGN", "transactionId": format!("tx{i}")}}
    })
    .to_string()
}

/// An Okta event-hook delivery envelope around `events` (JSON texts).
pub fn envelope(event_id: &str, events: &[String]) -> String {
    format!(
        r#"{{"eventType":"com.okta.event_hook","eventTypeVersion":"1.0","cloudEventsVersion":"0.1","source":"https://example.okta.com/api/v1/eventHooks/who1","eventId":"{event_id}","eventTime":"2024-05-01T12:00:00.000Z","contentType":"application/json","data":{{"events":[{}]}}}}"#,
        events.join(",")
    )
}

/// A running `oksms watch --listen 127.0.0.1:0`.
pub struct Listener {
    child: Child,
    /// `http://127.0.0.1:PORT` (`https://` with `--tls-cert`)
    pub base: String,
    /// The event-hook URL (base + path).
    pub url: String,
    stdout: Arc<Mutex<String>>,
    stderr: Arc<Mutex<String>>,
    readers: Vec<std::thread::JoinHandle<()>>,
}

/// What a stopped listener left.
pub struct Stopped {
    pub status: ExitStatus,
    pub stdout: String,
    pub stderr: String,
}

impl Listener {
    /// Starts the receiver with `-o ndjson` and the test secret, plus `extra`.
    pub fn start(extra: &[&str]) -> Listener {
        Self::start_cmd(oksms_process(), extra)
    }

    /// Like [`Listener::start`], run by `sh` after the shell commands
    /// `setup` (e.g. `ulimit -n 256`), which the receiver inherits.
    pub fn start_after(setup: &str, extra: &[&str]) -> Listener {
        Self::start_cmd(crate::support::oksms_process_after(setup), extra)
    }

    /// Like [`Listener::start`] on `addr` (e.g. a port picked before, for
    /// a `--register` URL), with the environment variables `env` added.
    pub fn start_on(addr: &str, env: &[(&str, &str)], extra: &[&str]) -> Listener {
        let mut cmd = oksms_process();
        for (key, value) in env {
            cmd.env(key, value);
        }
        Self::start_cmd_on(cmd, addr, extra)
    }

    fn start_cmd(cmd: std::process::Command, extra: &[&str]) -> Listener {
        Self::start_cmd_on(cmd, "127.0.0.1:0", extra)
    }

    fn start_cmd_on(mut cmd: std::process::Command, addr: &str, extra: &[&str]) -> Listener {
        cmd.env(SECRET_VAR, SECRET)
            .args([
                "watch",
                "--listen",
                addr,
                "--secret-env",
                SECRET_VAR,
                "-o",
                "ndjson",
            ])
            .args(extra)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = cmd.spawn().expect("start oksms watch");
        let stdout = Arc::new(Mutex::new(String::new()));
        let stderr = Arc::new(Mutex::new(String::new()));
        let mut out_pipe = child.stdout.take().unwrap();
        let out_buf = stdout.clone();
        // Chunk by chunk, so a test can look at stdout while it runs.
        let out_reader = std::thread::spawn(move || {
            let mut bytes = Vec::new();
            let mut chunk = [0u8; 8192];
            while let Ok(n) = out_pipe.read(&mut chunk) {
                if n == 0 {
                    break;
                }
                bytes.extend_from_slice(&chunk[..n]);
                // Only whole UTF-8 is published (the rest waits for more).
                let valid = match std::str::from_utf8(&bytes) {
                    Ok(_) => bytes.len(),
                    Err(e) => e.valid_up_to(),
                };
                let text: Vec<u8> = bytes.drain(..valid).collect();
                out_buf
                    .lock()
                    .unwrap()
                    .push_str(&String::from_utf8_lossy(&text));
            }
        });
        let err_pipe = child.stderr.take().unwrap();
        let err_buf = stderr.clone();
        let (found_tx, found_rx) = mpsc::channel();
        let err_reader = std::thread::spawn(move || {
            for line in BufReader::new(err_pipe).lines().map_while(Result::ok) {
                if let Some(at) = line.find("listening on http") {
                    let _ = found_tx.send(line[at + "listening on ".len()..].trim().to_string());
                }
                let mut buf = err_buf.lock().unwrap();
                buf.push_str(&line);
                buf.push('\n');
            }
        });
        // A bound so a broken start fails the test instead of hanging it.
        let url = match found_rx.recv_timeout(Duration::from_secs(60)) {
            Ok(url) => url,
            Err(_) => {
                let _ = child.kill();
                let _ = child.wait();
                panic!("no listening line; stderr: {}", stderr.lock().unwrap());
            }
        };
        let host_at = url.find("://").map(|i| i + 3).unwrap_or(0);
        let base = url[..url[host_at..]
            .find('/')
            .map(|i| i + host_at)
            .unwrap_or(url.len())]
            .to_string();
        Listener {
            child,
            base,
            url,
            stdout,
            stderr,
            readers: vec![out_reader, err_reader],
        }
    }

    /// Stdout and stderr as read so far, while it runs.
    pub fn output_now(&self) -> (String, String) {
        (
            self.stdout.lock().unwrap().clone(),
            self.stderr.lock().unwrap().clone(),
        )
    }

    /// Waits (bounded) until `cond(stdout, stderr)` holds while it runs.
    pub fn wait_for(&self, what: &str, cond: impl Fn(&str, &str) -> bool) {
        let start = std::time::Instant::now();
        loop {
            let (out, err) = self.output_now();
            if cond(&out, &err) {
                return;
            }
            assert!(
                start.elapsed() < Duration::from_secs(60),
                "timed out waiting for {what}; stdout: {out}\nstderr: {err}"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// The process id (to send it signals).
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// SIGTERM, then wait for the exit and the rest of the output.
    pub fn stop(mut self) -> Stopped {
        sigterm(&self.child);
        let status = self.child.wait().expect("wait for oksms watch");
        for reader in self.readers.drain(..) {
            let _ = reader.join();
        }
        Stopped {
            status,
            stdout: self.stdout.lock().unwrap().clone(),
            stderr: self.stderr.lock().unwrap().clone(),
        }
    }
}

impl Drop for Listener {
    fn drop(&mut self) {
        // only when a test failed before stop(): never leave it running
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

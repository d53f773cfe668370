//! A pseudo-terminal for the tests of interactive prompts: the child runs
//! with stdin, stdout and stderr on the pty's terminal side (its own
//! session, the pty as controlling terminal); the test reads what it
//! draws and types answers. Every wait is bounded.

use std::ffi::CStr;
use std::fs::File;
use std::io::{Read, Write};
use std::os::fd::{AsRawFd, FromRawFd};
use std::os::unix::fs::OpenOptionsExt;
use std::os::unix::process::CommandExt;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A child process on a pseudo-terminal.
pub struct Pty {
    master: File,
    child: Child,
    /// Everything the child wrote so far.
    pub seen: String,
    /// Where the next [`Pty::expect`] starts looking.
    at: usize,
}

impl Pty {
    /// Starts `cmd` on a new pty (120 columns, 40 rows).
    pub fn spawn(mut cmd: Command) -> Pty {
        // SAFETY: plain libc calls on descriptors this function owns; the
        // pre_exec closure only calls async-signal-safe functions.
        unsafe {
            let master = libc::posix_openpt(libc::O_RDWR | libc::O_NOCTTY);
            assert!(master >= 0, "posix_openpt");
            let master_file = File::from_raw_fd(master);
            assert_eq!(libc::grantpt(master), 0, "grantpt");
            assert_eq!(libc::unlockpt(master), 0, "unlockpt");
            let mut name = [0 as libc::c_char; 128];
            assert_eq!(
                libc::ptsname_r(master, name.as_mut_ptr(), name.len()),
                0,
                "ptsname_r"
            );
            let path = CStr::from_ptr(name.as_ptr())
                .to_str()
                .expect("pty path")
                .to_string();
            let slave = std::fs::OpenOptions::new()
                .read(true)
                .write(true)
                .custom_flags(libc::O_NOCTTY)
                .open(&path)
                .expect("open the pty's terminal side");
            let size = libc::winsize {
                ws_row: 40,
                ws_col: 120,
                ws_xpixel: 0,
                ws_ypixel: 0,
            };
            libc::ioctl(slave.as_raw_fd(), libc::TIOCSWINSZ, &size);
            cmd.env("TERM", "xterm")
                .stdin(Stdio::from(slave.try_clone().expect("dup")))
                .stdout(Stdio::from(slave.try_clone().expect("dup")))
                .stderr(Stdio::from(slave));
            cmd.pre_exec(|| {
                if libc::setsid() < 0 {
                    return Err(std::io::Error::last_os_error());
                }
                libc::ioctl(0, libc::TIOCSCTTY, 0);
                Ok(())
            });
            let child = cmd.spawn().expect("spawn on the pty");
            // The parent's copies of the terminal side close with `cmd`, so
            // the master reads EOF (EIO) once the child is gone.
            drop(cmd);
            Pty {
                master: master_file,
                child,
                seen: String::new(),
                at: 0,
            }
        }
    }

    /// Reads what is there within `limit`; false at EOF.
    fn read_some(&mut self, limit: Duration) -> bool {
        let mut fds = libc::pollfd {
            fd: self.master.as_raw_fd(),
            events: libc::POLLIN,
            revents: 0,
        };
        let ms = limit.as_millis().min(i32::MAX as u128) as i32;
        // SAFETY: one valid pollfd.
        let ready = unsafe { libc::poll(&mut fds, 1, ms) };
        if ready <= 0 {
            return true;
        }
        let mut buf = [0u8; 4096];
        match self.master.read(&mut buf) {
            Ok(0) | Err(_) => false,
            Ok(n) => {
                self.seen.push_str(&String::from_utf8_lossy(&buf[..n]));
                true
            }
        }
    }

    /// Waits (at most `limit`) until the child has written `needle` after
    /// the previous match; panics with what it wrote otherwise.
    pub fn expect(&mut self, needle: &str, limit: Duration) {
        let deadline = Instant::now() + limit;
        loop {
            if let Some(i) = self.seen[self.at..].find(needle) {
                self.at += i + needle.len();
                return;
            }
            let now = Instant::now();
            assert!(
                now < deadline,
                "timed out waiting for {needle:?}; the terminal shows:\n{}",
                self.seen
            );
            if !self.read_some(deadline - now) {
                panic!("EOF before {needle:?}; the terminal shows:\n{}", self.seen);
            }
        }
    }

    /// Types `text` (use `\r` for Enter).
    pub fn send(&mut self, text: &str) {
        self.master
            .write_all(text.as_bytes())
            .expect("write to the pty");
        self.master.flush().expect("flush the pty");
    }

    /// Reads to EOF and waits for the child (at most `limit`, then it is
    /// killed); returns its exit code and everything it wrote.
    pub fn finish(mut self, limit: Duration) -> (i32, String) {
        let deadline = Instant::now() + limit;
        while Instant::now() < deadline && self.read_some(Duration::from_millis(200)) {
            if let Ok(Some(_)) = self.child.try_wait() {
                // Drain what is left, briefly.
                while self.read_some(Duration::from_millis(100)) {
                    if Instant::now() >= deadline {
                        break;
                    }
                }
                break;
            }
        }
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                return (status.code().unwrap_or(-1), self.seen);
            }
            if Instant::now() >= deadline {
                let _ = self.child.kill();
                let _ = self.child.wait();
                panic!("the child did not end in time; it wrote:\n{}", self.seen);
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

//! One process per `--state` file (issue 12, item 6). Two overlapping
//! `watch` runs on one state (the cron pattern `watch --exit-when-idle >>
//! file`, or two listeners) each restored the same checkpoint and wrote
//! the same records, or overwrote each other's dedupe ids. So `watch` takes
//! an exclusive lock before it reads the state and holds it to the end; a
//! second process fails at once with [`ExitCode::Locked`].
//!
//! The lock is an advisory `flock` (std's `File::try_lock`) on `FILE.lock`
//! next to the state file (after following a `--state` symlink): the state
//! itself is replaced by rename on every save, so a lock on it would not
//! last. The `.lock` file is empty and left in place.
//!
//! Also here: the state must not be one of the files `watch` writes
//! (`--capture`, `--archive`, or stdout redirected to a regular file),
//! compared by device and inode, or by path when the file does not exist
//! yet: one would overwrite the other.

use crate::atomic_file::resolve_links;
use crate::exit::{ExitCode, Failure};
use anyhow::{Context, Result};
use std::fs::{File, OpenOptions};
use std::path::{Path, PathBuf};

/// The held lock; released when dropped (or when the process ends).
#[derive(Debug)]
pub struct StateLock {
    _file: File,
}

/// The lock file of the state at `state`: `<target>.lock`, where the
/// target is `state` with symlinks followed.
pub fn lock_path(state: &Path) -> Result<PathBuf> {
    let target = resolve_links(state)?;
    let mut name = target
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_else(|| "state".into());
    name.push(".lock");
    Ok(target.with_file_name(name))
}

/// Takes the exclusive lock of `state`, or fails at once with
/// [`ExitCode::Locked`] when another process holds it.
pub fn acquire(state: &Path) -> Result<StateLock> {
    let path = lock_path(state)?;
    let mut options = OpenOptions::new();
    options.create(true).read(true).write(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NOFOLLOW | libc::O_CLOEXEC);
    }
    let file = options
        .open(&path)
        .with_context(|| format!("cannot open the lock file {}", path.display()))?;
    match file.try_lock() {
        Ok(()) => Ok(StateLock { _file: file }),
        Err(std::fs::TryLockError::WouldBlock) => Err(Failure::new(
            ExitCode::Locked,
            format!(
                "state file {} is in use by another oksms process (it holds {}); \
                 two runs on one state would write records twice. Wait for it to end, \
                 or use another --state file",
                state.display(),
                path.display()
            ),
        )
        .into()),
        Err(std::fs::TryLockError::Error(e)) => {
            Err(e).with_context(|| format!("cannot lock {}", path.display()))
        }
    }
}

/// A file `watch` writes, to compare with the state.
#[derive(Debug, Clone, Copy)]
pub enum Written<'a> {
    /// A named flag and its path (`--capture FILE`).
    Path(&'a str, &'a Path),
    /// Stdout, when it is a regular file: its device and inode.
    Stdout(u64, u64),
}

/// Refuses (usage error) a `state` that is also one of `written`.
pub fn check_distinct(state: &Path, written: &[Written<'_>]) -> Result<(), Failure> {
    let state_id = identity(state);
    let state_abs = absolute(state);
    for w in written {
        let (same, what) = match *w {
            Written::Path(flag, path) => {
                let same = match (state_id, identity(path)) {
                    (Some(a), Some(b)) => a == b,
                    _ => state_abs.is_some() && state_abs == absolute(path),
                };
                (same, flag.to_string())
            }
            Written::Stdout(dev, ino) => (state_id == Some((dev, ino)), "stdout".to_string()),
        };
        if same {
            return Err(Failure::usage(format!(
                "--state {} is the same file as {what}: the state would overwrite it \
                 (or the reverse); use a separate file",
                state.display()
            )));
        }
    }
    Ok(())
}

/// Device and inode of the file at `path` (symlinks followed).
fn identity(path: &Path) -> Option<(u64, u64)> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let meta = std::fs::metadata(path).ok()?;
        Some((meta.dev(), meta.ino()))
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        None
    }
}

fn absolute(path: &Path) -> Option<PathBuf> {
    std::path::absolute(resolve_links(path).ok()?).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_holder_fails_with_the_locked_code() {
        let dir = tempfile::tempdir().unwrap();
        let state = dir.path().join("w.state");
        let first = acquire(&state).unwrap();
        assert!(dir.path().join("w.state.lock").exists());
        let err = acquire(&state).unwrap_err();
        assert_eq!(crate::exit::code_for(&err), ExitCode::Locked);
        assert!(format!("{err:#}").contains("another oksms process"));
        drop(first);
        assert!(acquire(&state).is_ok(), "released on drop");
    }

    #[cfg(unix)]
    #[test]
    fn a_symlinked_state_is_locked_at_its_target() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("real.state");
        let link = dir.path().join("link.state");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        let _held = acquire(&target).unwrap();
        let err = acquire(&link).unwrap_err();
        assert_eq!(crate::exit::code_for(&err), ExitCode::Locked);
    }

    #[test]
    fn the_state_may_not_be_a_written_file() {
        let dir = tempfile::tempdir().unwrap();
        let state = dir.path().join("s");
        let other = dir.path().join("o");
        // not existing yet: compared by path
        let same = [Written::Path("--capture", &state)];
        assert!(check_distinct(&state, &same).is_err());
        assert!(check_distinct(&state, &[Written::Path("--capture", &other)]).is_ok());
        std::fs::write(&state, "{}").unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            let hard = dir.path().join("hard");
            std::fs::hard_link(&state, &hard).unwrap();
            let err = check_distinct(&state, &[Written::Path("--archive", &hard)]).unwrap_err();
            assert!(err.message.contains("--archive"), "{}", err.message);
            let meta = std::fs::metadata(&state).unwrap();
            assert!(check_distinct(&state, &[Written::Stdout(meta.dev(), meta.ino())]).is_err());
        }
    }
}

//! Replacing a small file so that readers, and a crash at any moment, see
//! either its old or its new content, never a torn one: the `--state`
//! files of `watch` and the listener, and oksms's config file. One
//! implementation: a temporary file in the same directory (created with
//! `O_CREAT | O_EXCL`), fsync, rename over the target, fsync the directory
//! (the POSIX recipe; `rename(2)` is atomic within a file system).

use anyhow::{Context, Result};
use std::io::Write;
use std::path::{Path, PathBuf};

/// `path` with its symlinks followed (also a dangling last link, whose
/// target does not exist yet), so the file behind a `--state` link is
/// replaced and the link kept. At most 40 links.
pub fn resolve_links(path: &Path) -> Result<PathBuf> {
    let mut current = path.to_path_buf();
    for _ in 0..40 {
        match std::fs::symlink_metadata(&current) {
            Ok(meta) if meta.file_type().is_symlink() => {
                let target = std::fs::read_link(&current)
                    .with_context(|| format!("cannot read the link {}", current.display()))?;
                current = match current.parent() {
                    Some(dir) if target.is_relative() => dir.join(target),
                    _ => target,
                };
            }
            _ => return Ok(current),
        }
    }
    anyhow::bail!("{}: too many levels of symbolic links", path.display())
}

/// Replaces `path` with `bytes` so that readers (and a crash) see either the
/// old or the new content: temporary file in the same directory, fsync,
/// rename over the target, fsync the directory.
///
/// When `path` is a symlink, its target is replaced and the link kept. The
/// temporary file has an unpredictable name and is created with
/// `O_CREAT | O_EXCL` (`create_new`), which never follows a symlink, so a
/// link planted at a temporary name cannot redirect the write.
pub fn replace(path: &Path, bytes: &[u8]) -> Result<()> {
    replace_with_mode(path, bytes, None)
}

/// [`replace`] for a private file: the new content is created with mode
/// `0600` (a config file naming where the secrets are).
pub fn replace_private(path: &Path, bytes: &[u8]) -> Result<()> {
    replace_with_mode(path, bytes, Some(0o600))
}

fn replace_with_mode(path: &Path, bytes: &[u8], mode: Option<u32>) -> Result<()> {
    let target = resolve_links(path)?;
    let dir = match target.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "state".into());
    let (tmp, mut file) = create_temp(&dir, &name, mode)?;
    let result = (|| -> Result<()> {
        file.write_all(bytes)?;
        file.sync_all()?;
        drop(file);
        std::fs::rename(&tmp, &target)
            .with_context(|| format!("cannot replace {}", target.display()))?;
        // Make the rename itself durable; not every platform can open a
        // directory, which only weakens durability, never correctness.
        if let Ok(d) = std::fs::File::open(&dir) {
            let _ = d.sync_all();
        }
        Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// A new temporary file `.NAME.tmp-<random>` in `dir`, created exclusively
/// (a few names are tried when one exists).
fn create_temp(dir: &Path, name: &str, mode: Option<u32>) -> Result<(PathBuf, std::fs::File)> {
    let mut last = None;
    for _ in 0..8 {
        let tmp = dir.join(format!(".{name}.tmp-{}", uuid::Uuid::new_v4().simple()));
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        if let Some(mode) = mode {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(mode);
        }
        #[cfg(not(unix))]
        let _ = mode;
        match options.open(&tmp) {
            Ok(file) => return Ok((tmp, file)),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => last = Some(e),
            Err(e) => return Err(e).with_context(|| format!("cannot create {}", tmp.display())),
        }
    }
    Err(last
        .map(anyhow::Error::from)
        .unwrap_or_else(|| anyhow::anyhow!("no free name")))
    .with_context(|| format!("cannot create a temporary file in {}", dir.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_through_a_link_and_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.json");
        std::fs::write(&real, "old").unwrap();
        let link = dir.path().join("state.json");
        #[cfg(unix)]
        std::os::unix::fs::symlink(&real, &link).unwrap();
        #[cfg(not(unix))]
        std::fs::copy(&real, &link).unwrap();
        replace(&link, b"new").unwrap();
        assert_eq!(std::fs::read_to_string(&link).unwrap(), "new");
        #[cfg(unix)]
        {
            assert!(
                std::fs::symlink_metadata(&link)
                    .unwrap()
                    .file_type()
                    .is_symlink()
            );
            assert_eq!(std::fs::read_to_string(&real).unwrap(), "new");
        }
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names.len(), 2, "{names:?}");
    }

    #[cfg(unix)]
    #[test]
    fn a_private_file_is_created_owner_only() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.yaml");
        replace_private(&path, b"profiles: {}\n").unwrap();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
}

//! Files whose end the checkpoint records: stdout when it is a regular file
//! (`oksms watch >> out.ndjson`) and the `--archive`. Each can be fsynced,
//! measured ([`FileMark`]: device, inode, length) and, on restart, cut back
//! to the length the last checkpoint recorded, which removes exactly what a
//! killed run wrote after its last checkpoint (those records are fetched
//! and written again). A file that is not the one recorded (rotated,
//! replaced, another path) is never cut.

use super::state::FileMark;
use anyhow::{Context, Result};
use std::fs::File;
use std::io::{Seek, SeekFrom, Write};
use std::path::Path;

/// A regular file written by `watch`.
#[derive(Debug)]
pub struct DurableFile {
    file: File,
}

/// What [`DurableFile::resume`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resume {
    /// The file is not the one the checkpoint recorded (or none was).
    Other,
    /// The file ends where the checkpoint says.
    Exact,
    /// Bytes written after the checkpoint were cut off.
    Cut { bytes: u64 },
    /// The file is shorter than the checkpoint says (truncated by someone).
    Shorter { missing: u64 },
}

impl DurableFile {
    /// Stdout, when it is a regular file (a duplicate of descriptor 1, so
    /// fsync and cutting act on the same open file). `None` for terminals,
    /// pipes and sockets.
    pub fn stdout() -> Option<DurableFile> {
        #[cfg(unix)]
        {
            use std::os::fd::AsFd;
            let fd = std::io::stdout().as_fd().try_clone_to_owned().ok()?;
            let file = File::from(fd);
            if file.metadata().ok()?.is_file() {
                return Some(DurableFile { file });
            }
        }
        None
    }

    /// Opens (or creates) `path` for appending.
    pub fn append(path: &Path) -> Result<DurableFile> {
        let file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .with_context(|| format!("cannot open {} for appending", path.display()))?;
        Ok(DurableFile { file })
    }

    /// The file's identity and current length.
    pub fn mark(&self) -> Result<FileMark> {
        let meta = self.file.metadata().context("cannot stat the output")?;
        let (dev, ino) = identity(&meta);
        Ok(FileMark {
            dev,
            ino,
            len: meta.len(),
        })
    }

    /// Makes everything written so far durable.
    pub fn sync(&self) -> Result<()> {
        self.file
            .sync_data()
            .context("cannot fsync the output file")
    }

    /// Compares the file with the checkpoint's mark and cuts what was
    /// written after it, when it is the same file.
    pub fn resume(&mut self, mark: Option<FileMark>) -> Result<Resume> {
        let Some(mark) = mark else {
            return Ok(Resume::Other);
        };
        let now = self.mark()?;
        if (now.dev, now.ino) != (mark.dev, mark.ino) {
            return Ok(Resume::Other);
        }
        let outcome = match now.len.cmp(&mark.len) {
            std::cmp::Ordering::Equal => Resume::Exact,
            std::cmp::Ordering::Less => Resume::Shorter {
                missing: mark.len - now.len,
            },
            std::cmp::Ordering::Greater => {
                self.file
                    .set_len(mark.len)
                    .context("cannot cut the output back to the checkpoint")?;
                self.file.sync_data().context("cannot fsync the output")?;
                Resume::Cut {
                    bytes: now.len - mark.len,
                }
            }
        };
        // Without O_APPEND the shared offset could point past the new end.
        self.file
            .seek(SeekFrom::End(0))
            .context("cannot seek the output")?;
        Ok(outcome)
    }
}

impl Write for DurableFile {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.file.write(buf)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.file.flush()
    }
}

#[cfg(unix)]
fn identity(meta: &std::fs::Metadata) -> (u64, u64) {
    use std::os::unix::fs::MetadataExt;
    (meta.dev(), meta.ino())
}

#[cfg(not(unix))]
fn identity(_meta: &std::fs::Metadata) -> (u64, u64) {
    (0, 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resume_cuts_only_the_recorded_file_back_to_its_mark() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("archive.ndjson");
        let mut f = DurableFile::append(&path).unwrap();
        f.write_all(b"one\n").unwrap();
        f.sync().unwrap();
        let mark = f.mark().unwrap();
        assert_eq!(mark.len, 4);
        f.write_all(b"two\nthr").unwrap();
        drop(f);

        let mut again = DurableFile::append(&path).unwrap();
        assert_eq!(again.resume(Some(mark)).unwrap(), Resume::Cut { bytes: 7 });
        again.write_all(b"two\n").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "one\ntwo\n");
        assert_eq!(again.resume(None).unwrap(), Resume::Other);

        let shorter = FileMark {
            len: 100,
            ..again.mark().unwrap()
        };
        assert_eq!(
            again.resume(Some(shorter)).unwrap(),
            Resume::Shorter { missing: 92 }
        );
        let exact = again.mark().unwrap();
        assert_eq!(again.resume(Some(exact)).unwrap(), Resume::Exact);

        // Another file with a longer mark is never touched.
        let other = dir.path().join("other");
        let mut o = DurableFile::append(&other).unwrap();
        o.write_all(b"keep me").unwrap();
        let foreign = FileMark { len: 1, ..exact };
        assert_eq!(o.resume(Some(foreign)).unwrap(), Resume::Other);
        assert_eq!(std::fs::read_to_string(&other).unwrap(), "keep me");
    }
}

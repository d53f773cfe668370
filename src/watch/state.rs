//! The `--state` checkpoint of polling `watch`: the `next` URL to fetch
//! after the last page whose output is durable, the `uuid`s of the most
//! recent records (to drop Okta's page-boundary and late duplicates), and
//! where the output file and the archive ended at that moment (so bytes
//! written after it by a killed run can be cut off on restart).
//!
//! The file is JSON, written atomically (temporary file, fsync, rename,
//! directory fsync) by [`crate::atomic_file::replace`]. A file that
//! is damaged, not a polling checkpoint, or made for another org or another
//! filter is refused with exit code 1 and left untouched; `--reset-state`
//! replaces it on purpose.

use crate::exit::{ExitCode, Failure};
use crate::hooks::dedupe::Seen;
use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};
use std::path::Path;

/// How many recent `uuid`s the checkpoint remembers.
pub const DEFAULT_CAPACITY: usize = 10_000;

/// What identifies a polling checkpoint.
pub const KIND: &str = "oksms watch (polling)";
const VERSION: u32 = 1;

/// Where a file ended when the checkpoint was written: its identity (so a
/// rotated or different file is never cut) and its length.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileMark {
    pub dev: u64,
    pub ino: u64,
    pub len: u64,
}

/// The checkpoint as kept in memory.
#[derive(Debug, Clone)]
pub struct Checkpoint {
    /// The org's origin, e.g. `https://acme.okta.com`.
    pub org: String,
    /// The API `filter` expression the polling query uses.
    pub filter: Option<String>,
    /// The URL to fetch next.
    pub next: String,
    /// Recent record `uuid`s, oldest first.
    pub seen: Seen,
    /// Where stdout ended, when it is a regular file.
    pub output: Option<FileMark>,
    /// Where `--archive` ended.
    pub archive: Option<FileMark>,
    /// Records written under this checkpoint so far (for messages).
    pub records: u64,
}

#[derive(Serialize, Deserialize)]
struct StateFile {
    kind: String,
    version: u32,
    org: String,
    filter: Option<String>,
    next: String,
    uuids: Vec<String>,
    output: Option<FileMark>,
    archive: Option<FileMark>,
    records: u64,
    saved_at: String,
}

fn refuse(path: &Path, why: String) -> Failure {
    Failure::new(
        ExitCode::Error,
        format!(
            "state file {} {why}; it was left untouched (use --reset-state to start over, \
             or another --state file)",
            path.display()
        ),
    )
}

/// Reads the checkpoint at `path`; `None` when there is no such file. The
/// file must be a polling checkpoint for `org` and `filter`.
pub fn load(
    path: &Path,
    org: &str,
    filter: Option<&str>,
    capacity: usize,
) -> Result<Option<Checkpoint>> {
    let Some(text) = read_of_kind(path, KIND)? else {
        return Ok(None);
    };
    let file: StateFile = serde_json::from_str(&text).map_err(|e| {
        refuse(
            path,
            format!("is damaged or not an oksms polling checkpoint ({e})"),
        )
    })?;
    if file.version != VERSION {
        return Err(refuse(path, format!("has unknown version {}", file.version)).into());
    }
    if file.org != org {
        return Err(refuse(
            path,
            format!("was written for the org {}, not {org}", file.org),
        )
        .into());
    }
    if file.filter.as_deref() != filter {
        return Err(refuse(
            path,
            format!(
                "was written for another filter ({}), not this one ({})",
                describe_filter(file.filter.as_deref()),
                describe_filter(filter)
            ),
        )
        .into());
    }
    let mut seen = Seen::new(capacity);
    for id in &file.uuids {
        seen.insert(id);
    }
    Ok(Some(Checkpoint {
        org: file.org,
        filter: file.filter,
        next: file.next,
        seen,
        output: file.output,
        archive: file.archive,
        records: file.records,
    }))
}

fn describe_filter(f: Option<&str>) -> String {
    match f {
        Some(f) => format!("`{f}`"),
        None => "no filter".into(),
    }
}

/// Writes the checkpoint to `path` atomically.
pub fn save(path: &Path, checkpoint: &Checkpoint) -> Result<()> {
    let file = StateFile {
        kind: KIND.into(),
        version: VERSION,
        org: checkpoint.org.clone(),
        filter: checkpoint.filter.clone(),
        next: checkpoint.next.clone(),
        uuids: checkpoint.seen.iter().cloned().collect(),
        output: checkpoint.output,
        archive: checkpoint.archive,
        records: checkpoint.records,
        saved_at: crate::okta::query::okta_time(chrono::Utc::now()),
    };
    let bytes = serde_json::to_vec(&file)?;
    crate::atomic_file::replace(path, &bytes)
        .with_context(|| format!("cannot write state file {}", path.display()))
}

/// What identifies the checkpoint of a several-org polling run (README
/// "Several orgs"): one file, one section per profile, and the marks of the
/// one output and archive they share.
pub const KIND_SEVERAL: &str = "oksms watch (polling, several orgs)";

/// One org's section of a several-org checkpoint file.
#[derive(Serialize, Deserialize, Clone)]
struct OrgSection {
    org: String,
    filter: Option<String>,
    next: String,
    uuids: Vec<String>,
    records: u64,
}

#[derive(Serialize, Deserialize)]
struct SeveralFile {
    kind: String,
    version: u32,
    /// Sections by profile name; sections of profiles not in this run are
    /// kept as they are.
    orgs: std::collections::BTreeMap<String, OrgSection>,
    output: Option<FileMark>,
    archive: Option<FileMark>,
    saved_at: String,
}

/// A several-org checkpoint: each profile's [`Checkpoint`] (every one
/// carrying the shared marks of stdout and the archive).
#[derive(Debug, Clone, Default)]
pub struct Several {
    /// The sections, by profile name.
    pub orgs: std::collections::BTreeMap<String, Checkpoint>,
}

/// The text of the state file at `path`, `None` when there is none. Its
/// `kind` is checked first, so a file of another oksms mode (the listener's,
/// one org's, several orgs') is named as such rather than as damaged.
fn read_of_kind(path: &Path, expected: &str) -> Result<Option<String>> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => {
            return Err(e).with_context(|| format!("cannot read state file {}", path.display()));
        }
    };
    let kind = serde_json::from_str::<serde_json::Value>(&text)
        .ok()
        .and_then(|v| v.get("kind").and_then(|k| k.as_str()).map(str::to_string));
    if let Some(kind) = &kind
        && kind != expected
    {
        return Err(refuse(path, format!("belongs to `{kind}`, not `{expected}`")).into());
    }
    Ok(Some(text))
}

/// Reads the several-org checkpoint at `path`; `None` when there is no such
/// file. Each section of a profile in `expected` (`(profile, org origin,
/// filter)`) must be for that org and filter; profiles without a section
/// start anew, and sections of other profiles are kept.
pub fn load_several(
    path: &Path,
    expected: &[(String, String, Option<String>)],
    capacity: usize,
) -> Result<Option<Several>> {
    let Some(text) = read_of_kind(path, KIND_SEVERAL)? else {
        return Ok(None);
    };
    let file: SeveralFile = serde_json::from_str(&text).map_err(|e| {
        refuse(
            path,
            format!("is damaged or not an oksms several-org polling checkpoint ({e})"),
        )
    })?;
    if file.version != VERSION {
        return Err(refuse(path, format!("has unknown version {}", file.version)).into());
    }
    for (profile, org, filter) in expected {
        let Some(section) = file.orgs.get(profile) else {
            continue;
        };
        if &section.org != org {
            return Err(refuse(
                path,
                format!(
                    "holds profile {profile} for the org {}, not {org}",
                    section.org
                ),
            )
            .into());
        }
        if section.filter != *filter {
            return Err(refuse(
                path,
                format!(
                    "holds profile {profile} for another filter ({}), not this one ({})",
                    describe_filter(section.filter.as_deref()),
                    describe_filter(filter.as_deref())
                ),
            )
            .into());
        }
    }
    let orgs = file
        .orgs
        .into_iter()
        .map(|(profile, section)| {
            let mut seen = Seen::new(capacity);
            for id in &section.uuids {
                seen.insert(id);
            }
            let checkpoint = Checkpoint {
                org: section.org,
                filter: section.filter,
                next: section.next,
                seen,
                output: file.output,
                archive: file.archive,
                records: section.records,
            };
            (profile, checkpoint)
        })
        .collect();
    Ok(Some(Several { orgs }))
}

/// Writes a several-org checkpoint to `path` atomically (the same
/// temporary file, fsync, rename, directory fsync as [`save`]), with the
/// marks of stdout and the archive given.
pub fn save_several<'c>(
    path: &Path,
    sections: impl IntoIterator<Item = (&'c str, &'c Checkpoint)>,
    output: Option<FileMark>,
    archive: Option<FileMark>,
) -> Result<()> {
    let file = SeveralFile {
        kind: KIND_SEVERAL.into(),
        version: VERSION,
        orgs: sections
            .into_iter()
            .map(|(profile, c)| {
                let section = OrgSection {
                    org: c.org.clone(),
                    filter: c.filter.clone(),
                    next: c.next.clone(),
                    uuids: c.seen.iter().cloned().collect(),
                    records: c.records,
                };
                (profile.to_string(), section)
            })
            .collect(),
        output,
        archive,
        saved_at: crate::okta::query::okta_time(chrono::Utc::now()),
    };
    let bytes = serde_json::to_vec(&file)?;
    crate::atomic_file::replace(path, &bytes)
        .with_context(|| format!("cannot write state file {}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    const ORG: &str = "https://acme.okta.com";
    const FILTER: &str = r#"eventType eq "system.sms.send_phone_verification_message""#;

    fn checkpoint() -> Checkpoint {
        let mut seen = Seen::new(3);
        for id in ["u1", "u2", "u3", "u4"] {
            seen.insert(id);
        }
        Checkpoint {
            org: ORG.into(),
            filter: Some(FILTER.into()),
            next: format!("{ORG}/api/v1/logs?after=abc&limit=5"),
            seen,
            output: Some(FileMark {
                dev: 1,
                ino: 2,
                len: 300,
            }),
            archive: None,
            records: 4,
        }
    }

    #[test]
    fn round_trip_keeps_the_cursor_marks_and_recent_uuids() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("watch.state");
        save(&path, &checkpoint()).unwrap();
        let back = load(&path, ORG, Some(FILTER), 3).unwrap().unwrap();
        assert_eq!(back.next, checkpoint().next);
        assert_eq!(back.output, checkpoint().output);
        assert_eq!(back.records, 4);
        assert!(
            !back.seen.contains("u1"),
            "bounded: the oldest is forgotten"
        );
        assert!(back.seen.contains("u2") && back.seen.contains("u4"));
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn missing_file_is_no_checkpoint() {
        let dir = tempfile::tempdir().unwrap();
        assert!(
            load(&dir.path().join("none"), ORG, None, 3)
                .unwrap()
                .is_none()
        );
    }

    #[test]
    fn damaged_foreign_and_mismatched_files_are_refused_and_kept() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s");
        save(&path, &checkpoint()).unwrap();
        let good = std::fs::read_to_string(&path).unwrap();
        let cases = [
            (good.clone(), "https://other.okta.com", Some(FILTER), "org"),
            (good.clone(), ORG, None, "another filter"),
            (
                good[..good.len() / 2].to_string(),
                ORG,
                Some(FILTER),
                "damaged",
            ),
            (
                r#"{"kind":"oksms watch --listen","version":1,"event_ids":[],"uuids":[]}"#.into(),
                ORG,
                Some(FILTER),
                "belongs to `oksms watch --listen`",
            ),
            (
                good.replace("\"version\":1", "\"version\":7"),
                ORG,
                Some(FILTER),
                "version 7",
            ),
        ];
        for (text, org, filter, want) in cases {
            std::fs::write(&path, &text).unwrap();
            let err = load(&path, org, filter, 3).unwrap_err();
            let msg = format!("{err:#}");
            assert!(msg.contains(want), "{want}: {msg}");
            assert!(msg.contains("--reset-state"), "{msg}");
            assert_eq!(crate::exit::code_for(&err), ExitCode::Error);
            assert_eq!(std::fs::read_to_string(&path).unwrap(), text);
        }
    }

    #[test]
    fn several_orgs_keep_a_section_each_and_other_profiles_sections() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s");
        let mut several = Several::default();
        several.orgs.insert("a".into(), checkpoint());
        let mut b = checkpoint();
        b.org = "https://b.okta.com".into();
        b.next = "https://b.okta.com/api/v1/logs?after=b".into();
        several.orgs.insert("b".into(), b);
        let mark = checkpoint().output;
        let sections = several.orgs.iter().map(|(p, c)| (p.as_str(), c));
        save_several(&path, sections, mark, None).unwrap();
        let want = |p: &str, org: &str| (p.to_string(), org.to_string(), Some(FILTER.to_string()));
        let back = load_several(&path, &[want("a", ORG)], 3).unwrap().unwrap();
        assert_eq!(back.orgs.len(), 2, "b is kept although not expected");
        assert_eq!(
            back.orgs["b"].next,
            "https://b.okta.com/api/v1/logs?after=b"
        );
        assert_eq!(back.orgs["a"].output, mark);
        assert!(back.orgs["a"].seen.contains("u4"));
        let err = load_several(&path, &[want("b", ORG)], 3).unwrap_err();
        assert!(format!("{err:#}").contains("profile b"), "{err:#}");
        // The two kinds refuse each other's files.
        let err = load(&path, ORG, Some(FILTER), 3).unwrap_err();
        assert!(format!("{err:#}").contains(KIND_SEVERAL), "{err:#}");
        save(&path, &checkpoint()).unwrap();
        assert!(load_several(&path, &[], 3).is_err());
    }
}

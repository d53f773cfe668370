//! Writing a profile into oksms's config file
//! (`$XDG_CONFIG_HOME/oksms/config.yaml`) for `oksms config init`.
//!
//! The file is edited as text, not re-serialised, so what a person wrote
//! stays as written: comments, other profiles, other top-level keys, key
//! order and quoting. The new profile block goes at the end of the
//! `profiles:` block (a `profiles:` block is appended when there is none);
//! `--force` replaces the lines of the existing profile of that name (its
//! own comment lines inside the block go with it). The result is parsed
//! back before anything is written: the new profile must read as intended
//! and every other profile and key must be unchanged, otherwise nothing is
//! written. A `profiles:` section in flow style (`profiles: {…}`) is not
//! edited (the user is told to add the block by hand).
//!
//! Only paths to secrets are stored, never the secrets. The file is
//! replaced atomically (a temporary file in the same directory, then a
//! rename) with mode 0600; a directory it creates gets mode 0700.

use crate::exit::Failure;
use anyhow::{Context, Result};
use serde_norway::Value;
use std::path::{Path, PathBuf};

/// A profile as `config init` writes it. Values are stored as given (the
/// caller makes paths absolute).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Profile {
    /// The section name (`--profile`).
    pub name: String,
    /// The org URL, as [`super::parse_org_url`] normalised it.
    pub org_url: String,
    pub auth: ProfileAuth,
}

/// How the profile authenticates: paths to secrets, never secrets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProfileAuth {
    /// An SSWS token in a file.
    Ssws { token_file: PathBuf },
    /// A service app: client id, the private key's file, its `kid`, DPoP.
    PrivateKey {
        client_id: String,
        private_key: PathBuf,
        key_id: Option<String>,
        dpop: bool,
    },
}

impl Profile {
    /// The profile's YAML block, its name at `indent` spaces, its fields
    /// `step` deeper. Values are JSON-quoted strings (valid YAML
    /// double-quoted scalars), so no value can change the structure.
    pub fn yaml_block(&self, indent: usize, step: usize) -> String {
        let pad = " ".repeat(indent);
        let field = " ".repeat(indent + step.max(1));
        let q = |s: &str| serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into());
        let mut out = format!("{pad}{}:\n", yaml_key(&self.name));
        out.push_str(&format!("{field}orgUrl: {}\n", q(&self.org_url)));
        match &self.auth {
            ProfileAuth::Ssws { token_file } => {
                out.push_str(&format!("{field}authorizationMode: SSWS\n"));
                out.push_str(&format!(
                    "{field}tokenFile: {}\n",
                    q(&token_file.to_string_lossy())
                ));
            }
            ProfileAuth::PrivateKey {
                client_id,
                private_key,
                key_id,
                dpop,
            } => {
                out.push_str(&format!("{field}authorizationMode: PrivateKey\n"));
                out.push_str(&format!("{field}clientId: {}\n", q(client_id)));
                out.push_str(&format!(
                    "{field}privateKey: {}\n",
                    q(&private_key.to_string_lossy())
                ));
                if let Some(kid) = key_id {
                    out.push_str(&format!("{field}privateKeyId: {}\n", q(kid)));
                }
                if *dpop {
                    out.push_str(&format!("{field}dpop: true\n"));
                }
            }
        }
        out
    }
}

impl Profile {
    /// The profile as one flow-style YAML entry (`name: {orgUrl: "…", …}`),
    /// for a message asking the user to add it by hand: one line (messages
    /// escape line breaks), and valid in a block `profiles:` mapping and
    /// inside a flow one alike.
    pub fn yaml_flow(&self) -> String {
        let fields: Vec<String> = self
            .yaml_block(0, 1)
            .lines()
            .skip(1)
            .map(|l| l.trim().to_string())
            .collect();
        format!("{}: {{{}}}", yaml_key(&self.name), fields.join(", "))
    }
}

/// A profile name as a YAML key: bare when it is plainly safe, quoted
/// otherwise.
fn yaml_key(name: &str) -> String {
    let bare = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
        && !matches!(
            name.to_ascii_lowercase().as_str(),
            "true" | "false" | "null" | "yes" | "no" | "on" | "off" | "~"
        )
        && name.parse::<f64>().is_err();
    if bare {
        name.to_string()
    } else {
        serde_json::to_string(name).unwrap_or_else(|_| "\"\"".into())
    }
}

/// What [`write_profile`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Written {
    /// The file did not exist.
    Created,
    /// The profile was added to an existing file.
    Added,
    /// An existing profile of that name was replaced (`--force`).
    Replaced,
}

/// The profile names in the config file at `path` (none when the file does
/// not exist).
pub fn profile_names(path: &Path) -> Result<Vec<String>> {
    let text = read_existing(path)?;
    let doc = parse(path, &text)?;
    Ok(profiles_of(&doc)
        .map(|m| {
            m.keys()
                .filter_map(|k| k.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default())
}

/// Adds `profile` to the config file at `path`, creating it, or replacing
/// a profile of the same name when `force`; refuses (exit 2, naming
/// `--force`) to replace one otherwise.
///
/// The read, edit and replace happen under an exclusive lock on
/// `config.yaml.lock` beside the file (after following a symlink), so two
/// `config init` runs at once (a provisioning script's parallel loop) each
/// add their profile; without it the later rename dropped the other's.
pub fn write_profile(path: &Path, profile: &Profile, force: bool) -> Result<Written> {
    let _lock = lock_config(path)?;
    let text = read_existing(path)?;
    let existed = path.exists();
    let old = parse(path, &text)?;
    let exists = profiles_of(&old).is_some_and(|m| m.contains_key(profile.name.as_str()));
    if exists && !force {
        return Err(Failure::usage(format!(
            "profile {} already exists in {}; give --force to replace it",
            yaml_key(&profile.name),
            path.display()
        ))
        .into());
    }
    let new_text = splice(&text, profile, exists).map_err(|why| {
        Failure::usage(format!(
            "cannot add the profile to {}: {why}; add this entry to `profiles:` by hand: {}",
            path.display(),
            profile.yaml_flow()
        ))
    })?;
    verify(path, &old, &new_text, profile)?;
    write_atomically(path, &new_text)?;
    Ok(if !existed {
        Written::Created
    } else if exists {
        Written::Replaced
    } else {
        Written::Added
    })
}

/// The longest wait for another `config init` to finish its edit.
const LOCK_WAIT: std::time::Duration = std::time::Duration::from_secs(10);

/// Takes the exclusive lock of the config file at `path` (creating its
/// directory, mode 0700), waiting at most [`LOCK_WAIT`]; released when the
/// returned file is dropped. The lock file is empty and left in place.
fn lock_config(path: &Path) -> Result<std::fs::File> {
    let target = if std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) {
        std::fs::canonicalize(path)
            .with_context(|| format!("cannot follow the link {}", path.display()))?
    } else {
        path.to_path_buf()
    };
    let dir = target
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    create_private_dir(dir)?;
    let mut name = target
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_else(|| "config.yaml".into());
    name.push(".lock");
    let lock_path = target.with_file_name(name);
    let mut options = std::fs::OpenOptions::new();
    options.create(true).read(true).write(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options
            .mode(0o600)
            .custom_flags(libc::O_NOFOLLOW | libc::O_CLOEXEC);
    }
    let file = options
        .open(&lock_path)
        .with_context(|| format!("cannot open the lock file {}", lock_path.display()))?;
    let deadline = std::time::Instant::now() + LOCK_WAIT;
    loop {
        match file.try_lock() {
            Ok(()) => return Ok(file),
            Err(std::fs::TryLockError::WouldBlock) if std::time::Instant::now() < deadline => {
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            Err(std::fs::TryLockError::WouldBlock) => {
                return Err(Failure::new(
                    crate::exit::ExitCode::Error,
                    format!(
                        "{} is being edited by another oksms process (it holds {}); try again",
                        path.display(),
                        lock_path.display()
                    ),
                )
                .into());
            }
            Err(std::fs::TryLockError::Error(e)) => {
                return Err(e).with_context(|| format!("cannot lock {}", lock_path.display()));
            }
        }
    }
}

/// Creates `dir` and its parents (mode 0700) when missing.
fn create_private_dir(dir: &Path) -> Result<()> {
    if dir.exists() {
        return Ok(());
    }
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder
        .create(dir)
        .with_context(|| format!("cannot create {}", dir.display()))
}

/// The file's text ("" when missing), without a byte-order mark (an
/// editor may write one; YAML ignores it, but the line-based edit would not
/// find `profiles:` behind it, and the file is written back without it).
fn read_existing(path: &Path) -> Result<String> {
    match std::fs::read_to_string(path) {
        Ok(t) => Ok(match t.strip_prefix('\u{feff}') {
            Some(rest) => rest.to_string(),
            None => t,
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(String::new()),
        Err(e) => Err(e).with_context(|| format!("cannot read {}", path.display())),
    }
}

/// The file's YAML (an empty or comment-only file is `Null`).
fn parse(path: &Path, text: &str) -> Result<Value> {
    if text.trim().is_empty() {
        return Ok(Value::Null);
    }
    let doc: Value = serde_norway::from_str(text).map_err(|e| {
        Failure::usage(format!(
            "{}: not readable YAML ({}); fix it or move it aside before `config init`",
            path.display(),
            e.location()
                .map(|l| format!("line {} column {}", l.line(), l.column()))
                .unwrap_or_else(|| "no location".into())
        ))
    })?;
    match &doc {
        Value::Null | Value::Mapping(_) => Ok(doc),
        _ => Err(Failure::usage(format!(
            "{}: the top level is not a mapping of keys",
            path.display()
        ))
        .into()),
    }
}

fn profiles_of(doc: &Value) -> Option<&serde_norway::Mapping> {
    doc.get("profiles").and_then(Value::as_mapping)
}

/// Leading spaces of a line.
fn indent_of(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

/// True for a blank or comment-only line.
fn is_filler(line: &str) -> bool {
    let t = line.trim();
    t.is_empty() || t.starts_with('#')
}

/// The key of a `key:` line (quotes removed), if it is one.
fn line_key(line: &str) -> Option<String> {
    let t = line.trim();
    let key = t.strip_suffix(':').or_else(|| {
        let (k, rest) = t.split_once(':')?;
        let rest = rest.trim();
        (rest.is_empty() || rest.starts_with('#')).then_some(k)
    })?;
    let key = key.trim();
    let unquoted = key
        .strip_prefix('"')
        .and_then(|k| k.strip_suffix('"'))
        .and_then(|_| serde_json::from_str::<String>(key).ok())
        .or_else(|| {
            key.strip_prefix('\'')
                .and_then(|k| k.strip_suffix('\''))
                .map(|k| k.replace("''", "'"))
        })
        .unwrap_or_else(|| key.to_string());
    Some(unquoted)
}

/// The text with the profile block added (or, when `replace`, put in the
/// place of the old one).
fn splice(text: &str, profile: &Profile, replace: bool) -> Result<String, String> {
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let header = lines
        .iter()
        .position(|l| indent_of(l) == 0 && line_key(l).as_deref() == Some("profiles"));
    let Some(header) = header else {
        if lines
            .iter()
            .any(|l| indent_of(l) == 0 && l.trim_start().starts_with("profiles:"))
        {
            return Err("its `profiles:` section is not a block mapping".into());
        }
        let mut out = text.to_string();
        if !out.is_empty() && !out.ends_with('\n') {
            out.push('\n');
        }
        out.push_str("profiles:\n");
        out.push_str(&profile.yaml_block(2, 2));
        return Ok(out);
    };
    // The block: lines after the header up to the next top-level content.
    let mut end = lines.len();
    for (i, line) in lines.iter().enumerate().skip(header + 1) {
        if !line.trim().is_empty() && indent_of(line) == 0 {
            end = i;
            break;
        }
    }
    // Comments and blank lines just before the next top-level key belong to it.
    while end > header + 1 && (lines[end - 1].trim().is_empty() || indent_of(&lines[end - 1]) == 0)
    {
        end -= 1;
    }
    let child = lines[header + 1..end]
        .iter()
        .find(|l| !is_filler(l))
        .map(|l| indent_of(l))
        .unwrap_or(2);
    if child == 0 {
        return Err("its `profiles:` entries are not indented".into());
    }
    // The file's own indentation step for the fields of a profile.
    let step = lines[header + 1..end]
        .iter()
        .find(|l| !is_filler(l) && indent_of(l) > child)
        .map(|l| indent_of(l) - child)
        .unwrap_or(2);
    let block: Vec<String> = profile
        .yaml_block(child, step)
        .lines()
        .map(str::to_string)
        .collect();
    let at = if replace {
        let start = (header + 1..end)
            .find(|&i| {
                indent_of(&lines[i]) == child
                    && !is_filler(&lines[i])
                    && line_key(&lines[i]).as_deref() == Some(profile.name.as_str())
            })
            .ok_or("the existing profile is not a `name:` line of the block")?;
        let stop = (start + 1..end)
            .find(|&i| !lines[i].trim().is_empty() && indent_of(&lines[i]) <= child)
            .unwrap_or(end);
        // Keep the blank lines that separated it from the next entry.
        let mut stop_kept = stop;
        while stop_kept > start + 1 && lines[stop_kept - 1].trim().is_empty() {
            stop_kept -= 1;
        }
        lines.drain(start..stop_kept);
        start
    } else {
        end
    };
    lines.splice(at..at, block);
    let mut out = lines.join("\n");
    out.push('\n');
    Ok(out)
}

/// Parses the new text and checks that only the profile changed.
fn verify(path: &Path, old: &Value, new_text: &str, profile: &Profile) -> Result<()> {
    let bad = |why: &str| {
        Failure::usage(format!(
            "cannot add the profile to {} without changing other settings ({why}); \
             add this entry to `profiles:` by hand: {}",
            path.display(),
            profile.yaml_flow()
        ))
    };
    let new: Value = serde_norway::from_str(new_text).map_err(|_| bad("the result is not YAML"))?;
    let expected: Value = serde_norway::from_str(&profile.yaml_block(0, 2))
        .map_err(|_| bad("the profile block is not YAML"))?;
    let name = Value::String(profile.name.clone());
    let got = profiles_of(&new).and_then(|m| m.get(&name));
    if got != expected.get(profile.name.as_str()) {
        return Err(bad("the new profile does not read back as written").into());
    }
    let strip = |doc: &Value| -> Value {
        let mut doc = doc.clone();
        if let Some(Value::Mapping(p)) = doc.get_mut("profiles") {
            p.remove(&name);
        }
        if let Some(m) = doc.as_mapping_mut()
            && m.get("profiles")
                .is_some_and(|p| p.is_null() || p.as_mapping().is_some_and(|p| p.is_empty()))
        {
            m.remove("profiles");
        }
        if doc.as_mapping().is_some_and(|m| m.is_empty()) {
            Value::Null
        } else {
            doc
        }
    };
    if strip(old) != strip(&new) {
        return Err(bad("another key would change").into());
    }
    Ok(())
}

/// Replaces `path` with `text` through [`crate::atomic_file`]: a temporary
/// file (mode 0600) in the same directory, synced, renamed over it, the
/// directory synced. Creates the directory (mode
/// 0700) when missing. When `path` is a symbolic link (a config file kept
/// in a dotfiles repository), the file it points to is replaced and the
/// link is kept.
pub fn write_atomically(path: &Path, text: &str) -> Result<()> {
    let target = crate::atomic_file::resolve_links(path)?;
    let dir = target
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    create_private_dir(dir)?;
    crate::atomic_file::replace_private(&target, text.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ssws(name: &str) -> Profile {
        Profile {
            name: name.into(),
            org_url: "https://acme.okta.com/".into(),
            auth: ProfileAuth::Ssws {
                token_file: "/home/me/.okta-token".into(),
            },
        }
    }

    fn app(name: &str) -> Profile {
        Profile {
            name: name.into(),
            org_url: "https://acme.okta.com/".into(),
            auth: ProfileAuth::PrivateKey {
                client_id: "0oa1".into(),
                private_key: "/k.pem".into(),
                key_id: Some("kid 1".into()),
                dpop: true,
            },
        }
    }

    const EXISTING: &str = "# my oksms settings\nprofiles:\n    # production\n    prod:\n        orgUrl: https://prod.okta.com # the real one\n        tokenFile: ~/prod.token\n\n    # preview\n    preview:\n        orgUrl: https://acme.oktapreview.com\n\n# other settings\nextra: 1\n";

    #[test]
    fn adds_keeping_comments_and_other_profiles() {
        let out = splice(EXISTING, &ssws("dev"), false).unwrap();
        for kept in [
            "# my oksms settings",
            "    # production",
            "# the real one",
            "    # preview",
            "# other settings\nextra: 1",
        ] {
            assert!(out.contains(kept), "{kept:?} in {out}");
        }
        assert!(
            out.contains("    dev:\n        orgUrl: \"https://acme.okta.com/\"\n"),
            "{out}"
        );
        let old: Value = serde_norway::from_str(EXISTING).unwrap();
        verify(Path::new("c"), &old, &out, &ssws("dev")).unwrap();
        let names: Vec<_> = profiles_of(&serde_norway::from_str(&out).unwrap())
            .unwrap()
            .keys()
            .map(|k| k.as_str().unwrap().to_string())
            .collect();
        assert_eq!(names, ["prod", "preview", "dev"]);
    }

    #[test]
    fn replaces_only_the_named_profile() {
        let out = splice(EXISTING, &app("prod"), true).unwrap();
        let old: Value = serde_norway::from_str(EXISTING).unwrap();
        verify(Path::new("c"), &old, &out, &app("prod")).unwrap();
        assert!(!out.contains("prod.token"), "{out}");
        assert!(out.contains("    # preview\n    preview:"), "{out}");
        assert!(out.contains("privateKeyId: \"kid 1\"\n        dpop: true"));
    }

    #[test]
    fn creates_a_profiles_block_when_there_is_none() {
        for text in ["", "# only a comment", "extra: 1\n"] {
            let out = splice(text, &ssws("default"), false).unwrap();
            let old = parse(Path::new("c"), text).unwrap();
            verify(Path::new("c"), &old, &out, &ssws("default")).unwrap();
            assert!(out.starts_with(text), "{out}");
        }
        let flow = "profiles: {a: {orgUrl: x}}\n";
        assert!(splice(flow, &ssws("b"), false).is_err());
    }

    #[test]
    fn the_flow_entry_is_one_line_and_reads_back_as_the_block() {
        for p in [ssws("prod"), app("a b: c")] {
            let flow = p.yaml_flow();
            assert!(!flow.contains('\n'), "{flow}");
            let from_flow: Value = serde_norway::from_str(&flow).unwrap();
            let from_block: Value = serde_norway::from_str(&p.yaml_block(0, 2)).unwrap();
            assert_eq!(from_flow, from_block, "{flow}");
            let inside: Value =
                serde_norway::from_str(&format!("profiles: {{x: {{}}, {flow}}}")).unwrap();
            assert_eq!(profiles_of(&inside).unwrap().len(), 2, "{flow}");
        }
    }

    #[test]
    fn odd_names_are_quoted_and_read_back() {
        for name in ["true", "12", "a b", "x:y", "#c"] {
            let out = splice("", &ssws(name), false).unwrap();
            verify(Path::new("c"), &Value::Null, &out, &ssws(name)).unwrap();
        }
    }

    #[cfg(unix)]
    #[test]
    fn writes_atomically_with_private_modes_and_refuses_to_overwrite() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cfg/oksms/config.yaml");
        assert_eq!(
            write_profile(&path, &ssws("a"), false).unwrap(),
            Written::Created
        );
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&path), 0o600);
        assert_eq!(mode(path.parent().unwrap()), 0o700);
        assert_eq!(
            write_profile(&path, &ssws("b"), false).unwrap(),
            Written::Added
        );
        let err = write_profile(&path, &app("a"), false).unwrap_err();
        assert_eq!(crate::exit::code_for(&err), crate::exit::ExitCode::Usage);
        assert!(err.to_string().contains("--force"), "{err}");
        assert_eq!(
            write_profile(&path, &app("a"), true).unwrap(),
            Written::Replaced
        );
        assert_eq!(
            profile_names(&path).unwrap(),
            ["a", "b"],
            "replaced in place"
        );
        let mut left: Vec<String> = std::fs::read_dir(path.parent().unwrap())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        assert_eq!(
            left,
            ["config.yaml", "config.yaml.lock"],
            "no temporary file is left"
        );
        assert_eq!(mode(&path.with_file_name("config.yaml.lock")), 0o600);
    }
}

//! `oksms config init`: with flags and no terminal (missing flags named,
//! mode 0600, comments and other profiles kept, the refusal to overwrite
//! and `--force`), and on a pseudo-terminal driving the prompts.

use crate::doctor::private_file;
use crate::support::org::{TOKEN, org_with};
use crate::support::pty::Pty;
use crate::support::{oksms, oksms_process};
use oksms_sim::SimConfig;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// A test home: `XDG_CONFIG_HOME` and a private token file in it.
struct Home {
    dir: tempfile::TempDir,
    token: PathBuf,
}

impl Home {
    fn new() -> Home {
        let dir = tempfile::tempdir().unwrap();
        let token = private_file(dir.path(), "okta-token", TOKEN, 0o600);
        Home { dir, token }
    }
    fn xdg(&self) -> PathBuf {
        self.dir.path().join("xdg")
    }
    fn config(&self) -> PathBuf {
        self.xdg().join("oksms/config.yaml")
    }
    fn oksms(&self) -> assert_cmd::Command {
        let mut cmd = oksms();
        cmd.env("XDG_CONFIG_HOME", self.xdg())
            .timeout(Duration::from_secs(60));
        cmd
    }
}

struct Out {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(cmd: &mut assert_cmd::Command) -> Out {
    let out = cmd.output().expect("oksms runs");
    Out {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into(),
        stderr: String::from_utf8_lossy(&out.stderr).into(),
    }
}

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[test]
fn without_a_terminal_a_missing_flag_is_named() {
    let home = Home::new();
    // No --no-input: stdin is not a terminal, so nothing is asked either.
    let r = run(home
        .oksms()
        .args(["config", "init", "--token-file"])
        .arg(&home.token));
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains("--org is required without a terminal"),
        "{}",
        r.stderr
    );
    let r = run(home.oksms().args([
        "config",
        "init",
        "--no-input",
        "--org",
        "https://acme.okta.com",
    ]));
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("--token-file"), "{}", r.stderr);
    let r = run(home.oksms().args([
        "config",
        "init",
        "--no-input",
        "--org",
        "https://acme.okta.com",
        "--client-id",
        "0oa1",
    ]));
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("--private-key is required with --client-id")
    );
    let r = run(home.oksms().args([
        "config",
        "init",
        "--no-input",
        "--org",
        "https://acme.okta.com",
        "--token-file",
        TOKEN,
    ]));
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("no such file"), "{}", r.stderr);
    assert!(!home.config().exists(), "nothing written");
}

#[test]
fn flags_write_a_private_profile_then_doctor_and_fetch_use_it() {
    let org = org_with(SimConfig {
        event_count: 30,
        ..SimConfig::default()
    });
    let home = Home::new();
    let r = run(home
        .oksms()
        .args(["config", "init", "--no-input", "--profile", "sim", "--org"])
        .arg(org.base_url())
        .arg("--token-file")
        .arg(&home.token));
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    assert!(
        r.stdout.contains("✓ permission"),
        "doctor ran: {}",
        r.stdout
    );
    assert!(r.stderr.contains("profile sim"), "{}", r.stderr);
    let text = std::fs::read_to_string(home.config()).unwrap();
    assert!(!text.contains(TOKEN), "the token is not stored: {text}");
    assert!(text.contains(&format!(
        "tokenFile: {:?}",
        home.token.display().to_string()
    )));
    assert_eq!(mode(&home.config()), 0o600);
    assert_eq!(mode(&home.xdg().join("oksms")), 0o700);
    let r = run(home
        .oksms()
        .args(["fetch", "--profile", "sim", "-o", "json"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.trim_start().starts_with('['), "{}", r.stdout);
}

const HAND_WRITTEN: &str = "\
# my settings, by hand
profiles:
  # the production org
  prod:
    orgUrl: https://prod.okta.com   # keep this comment
    tokenFile: ~/prod.token
";

#[test]
fn an_existing_profile_is_refused_without_force_and_comments_are_kept() {
    let home = Home::new();
    std::fs::create_dir_all(home.config().parent().unwrap()).unwrap();
    std::fs::write(home.config(), HAND_WRITTEN).unwrap();
    let init = |name: &str, org: &str, extra: &[&str]| {
        let mut cmd = home.oksms();
        cmd.args([
            "config",
            "init",
            "--no-input",
            "--no-check",
            "--profile",
            name,
            "--org",
            org,
        ])
        .arg("--token-file")
        .arg(&home.token)
        .args(extra);
        run(&mut cmd)
    };
    let r = init("dev", "https://dev.okta.com", &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let text = std::fs::read_to_string(home.config()).unwrap();
    assert!(
        text.starts_with(HAND_WRITTEN),
        "the hand-written part is kept:\n{text}"
    );
    assert!(
        text.contains("  dev:\n    orgUrl: \"https://dev.okta.com\""),
        "{text}"
    );
    assert_eq!(mode(&home.config()), 0o600);

    let r = init("prod", "https://other.okta.com", &[]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains("profile prod already exists"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("--force"), "{}", r.stderr);
    assert_eq!(
        std::fs::read_to_string(home.config()).unwrap(),
        text,
        "unchanged"
    );

    let r = init("prod", "https://other.okta.com", &["--force"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("replaced profile prod"), "{}", r.stderr);
    let text = std::fs::read_to_string(home.config()).unwrap();
    assert!(text.contains("# my settings, by hand\nprofiles:\n  # the production org\n  prod:\n    orgUrl: \"https://other.okta.com\""), "{text}");
    assert!(
        !text.contains("keep this comment"),
        "the old profile's lines are gone: {text}"
    );
    assert!(text.contains("  dev:\n"), "{text}");
}

#[test]
fn on_a_terminal_the_prompts_ask_and_refuse_to_overwrite() {
    let org = org_with(SimConfig {
        event_count: 10,
        ..SimConfig::default()
    });
    let home = Home::new();
    let mut cmd = oksms_process();
    cmd.env("XDG_CONFIG_HOME", home.xdg())
        .current_dir(home.dir.path())
        .args(["config", "init"]);
    let mut pty = Pty::spawn(cmd);
    let wait = Duration::from_secs(30);
    pty.expect("Profile name", wait);
    pty.send("\r"); // the default: "default"
    pty.expect("Okta org URL", wait);
    pty.send("http://example.com\r"); // refused: clear text to a remote host
    pty.expect("clear text", wait);
    // Erase the wrong answer and give the org.
    pty.send(&"\x7f".repeat(30));
    pty.send(&format!("{}\r", org.base_url()));
    pty.expect("How does oksms sign in", wait);
    pty.send("\r"); // API token
    pty.expect("Path of the file holding the API token", wait);
    pty.send("okta-token\r"); // relative to the working directory
    let (code, screen) = pty.finish(Duration::from_secs(60));
    assert_eq!(code, 0, "{screen}");
    assert!(screen.contains("✓ permission"), "{screen}");
    assert!(!screen.contains(TOKEN), "{screen}");
    let text = std::fs::read_to_string(home.config()).unwrap();
    assert!(text.contains("default:"), "{text}");
    assert!(text.contains(&home.token.display().to_string()), "{text}");

    // Again: the profile exists; answering no refuses, naming --force.
    let mut cmd = oksms_process();
    cmd.env("XDG_CONFIG_HOME", home.xdg())
        .args(["config", "init", "--profile", "default"]);
    let mut pty = Pty::spawn(cmd);
    pty.expect("already exists", wait);
    pty.send("n");
    let (code, screen) = pty.finish(Duration::from_secs(30));
    assert_eq!(code, 2, "{screen}");
    assert!(screen.contains("--force"), "{screen}");
    assert_eq!(
        std::fs::read_to_string(home.config()).unwrap(),
        text,
        "unchanged"
    );
}

/// A profile name given twice in config.yaml is refused by `fetch` and
/// `doctor` (exit 2 / the config check), not resolved to the last one.
#[test]
fn a_profile_defined_twice_in_the_file_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("oksms")).unwrap();
    std::fs::write(
        dir.path().join("oksms/config.yaml"),
        "profiles:\n  prod:\n    orgUrl: http://127.0.0.1:9\n    token: x\n  prod:\n    orgUrl: http://127.0.0.1:10\n    token: y\n",
    )
    .unwrap();
    for args in [
        &["fetch", "--profile", "prod", "--since", "1h"][..],
        &["fetch", "--all-profiles", "--since", "1h"][..],
    ] {
        let out = oksms()
            .env("XDG_CONFIG_HOME", dir.path())
            .args(args)
            .timeout(Duration::from_secs(60))
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains("profile prod is defined twice"), "{stderr}");
    }
    let out = oksms()
        .env("XDG_CONFIG_HOME", dir.path())
        .args(["doctor", "--profile", "prod", "-o", "json"])
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["checks"][0]["status"], "fail", "{json}");
    assert!(
        json["checks"][0]["detail"]
            .as_str()
            .unwrap_or("")
            .contains("defined twice"),
        "{json}"
    );
}

/// A name `--profile` could not select again is refused (exit 2, nothing
/// written): a comma splits it into two names, outer spaces are trimmed.
#[test]
fn a_name_that_profile_cannot_select_is_refused() {
    let home = Home::new();
    for name in ["prod,preview", " prod", "prod "] {
        let r = run(home
            .oksms()
            .args(["config", "init", "--no-check", "--profile", name])
            .args(["--org", "https://acme.okta.com", "--token-file"])
            .arg(&home.token));
        assert_eq!(r.code, 2, "{name:?}: {}", r.stderr);
        assert!(
            r.stderr.contains("--profile: the name cannot"),
            "{}",
            r.stderr
        );
        assert!(!home.config().exists(), "nothing written for {name:?}");
    }
}

/// A `profiles:` section `config init` cannot edit (flow style, `~`) gets
/// the entry to add by hand on one readable line, not a block whose line
/// breaks the message escapes to `\n`; the file is left as it was.
#[test]
fn a_section_it_cannot_edit_gets_a_one_line_entry_to_paste() {
    let home = Home::new();
    std::fs::create_dir_all(home.xdg().join("oksms")).unwrap();
    for text in [
        "profiles: {a: {orgUrl: https://a.okta.com}}\n",
        "profiles: ~\n",
    ] {
        std::fs::write(home.config(), text).unwrap();
        let r = run(home
            .oksms()
            .args(["config", "init", "--no-check", "--profile", "new"])
            .args(["--org", "https://acme.okta.com", "--token-file"])
            .arg(&home.token));
        assert_eq!(r.code, 2, "{}", r.stderr);
        assert!(
            !r.stderr.contains("\\n"),
            "escaped line breaks: {}",
            r.stderr
        );
        let entry = r
            .stderr
            .split("by hand: ")
            .nth(1)
            .unwrap_or_else(|| panic!("{}", r.stderr))
            .trim_end();
        assert!(
            entry.starts_with(
                r#"new: {orgUrl: "https://acme.okta.com", authorizationMode: SSWS, tokenFile: "#
            ),
            "{entry}"
        );
        // Pasted into the flow mapping, it reads as the profile.
        let pasted: serde_norway::Value =
            serde_norway::from_str(&format!("profiles: {{a: {{}}, {entry}}}")).unwrap();
        assert_eq!(pasted["profiles"]["new"]["authorizationMode"], "SSWS");
        assert_eq!(std::fs::read_to_string(home.config()).unwrap(), text);
    }
}

/// A config.yaml that is a symbolic link (kept in a dotfiles repository)
/// is edited where it points; the link stays a link.
#[test]
fn a_symlinked_config_file_is_edited_through_the_link() {
    let home = Home::new();
    std::fs::create_dir_all(home.xdg().join("oksms")).unwrap();
    let real = home.dir.path().join("dotfiles-config.yaml");
    std::fs::write(
        &real,
        "# mine\nprofiles:\n  old:\n    orgUrl: https://old.okta.com\n",
    )
    .unwrap();
    std::os::unix::fs::symlink(&real, home.config()).unwrap();
    let r = run(home
        .oksms()
        .args(["config", "init", "--no-check", "--profile", "new"])
        .args(["--org", "https://acme.okta.com", "--token-file"])
        .arg(&home.token));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let meta = std::fs::symlink_metadata(home.config()).unwrap();
    assert!(
        meta.file_type().is_symlink(),
        "the link was replaced by a file"
    );
    let text = std::fs::read_to_string(&real).unwrap();
    assert!(text.starts_with("# mine\nprofiles:\n  old:"), "{text}");
    assert!(text.contains("  new:\n"), "{text}");
    assert_eq!(mode(&real), 0o600);
}

/// Ctrl-C in the sign-in menu (where dialoguer hides the cursor) shows the
/// cursor again and exits 130, writing nothing.
#[test]
fn ctrl_c_at_a_prompt_restores_the_cursor_and_writes_nothing() {
    let home = Home::new();
    let mut cmd = oksms_process();
    cmd.env("XDG_CONFIG_HOME", home.xdg())
        .args(["config", "init", "--no-check", "--profile", "p"]);
    let mut pty = Pty::spawn(cmd);
    let wait = Duration::from_secs(30);
    pty.expect("Okta org URL", wait);
    pty.send("https://acme.okta.com\r");
    pty.expect("How does oksms sign in", wait);
    pty.send("\x03");
    let (code, screen) = pty.finish(Duration::from_secs(30));
    assert_eq!(code, 130, "{screen:?}");
    let hidden = screen
        .rfind("\x1b[?25l")
        .expect("the menu hides the cursor");
    assert!(
        screen[hidden..].contains("\x1b[?25h"),
        "the cursor stays hidden: {screen:?}"
    );
    assert!(!home.config().exists(), "nothing written");
}

/// A config.yaml saved with a byte-order mark gets the profile added to
/// its `profiles:` block (it was refused: a second `profiles:` appended).
#[test]
fn a_config_file_with_a_byte_order_mark_is_edited() {
    let home = Home::new();
    std::fs::create_dir_all(home.xdg().join("oksms")).unwrap();
    std::fs::write(
        home.config(),
        "\u{feff}profiles:\n  old:\n    orgUrl: https://old.okta.com\n",
    )
    .unwrap();
    let r = run(home
        .oksms()
        .args(["config", "init", "--no-check", "--profile", "new"])
        .args(["--org", "https://acme.okta.com", "--token-file"])
        .arg(&home.token));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let text = std::fs::read_to_string(home.config()).unwrap();
    assert!(text.starts_with("profiles:\n  old:\n"), "{text:?}");
    assert_eq!(text.matches("profiles:").count(), 1, "{text}");
    assert!(text.contains("  new:\n"), "{text}");
}

/// Several `config init` runs at once (a provisioning script's parallel
/// loop) each keep their profile: the edit is done under a lock. Without
/// it, each run read the file before the others renamed theirs over it,
/// and all but one profile were lost while every run said "added".
#[test]
fn parallel_runs_each_keep_their_profile() {
    let home = Home::new();
    let children: Vec<_> = (0..8)
        .map(|i| {
            let mut cmd = oksms_process();
            cmd.env("XDG_CONFIG_HOME", home.xdg())
                .args(["config", "init", "--no-check", "--profile"])
                .arg(format!("p{i}"))
                .args(["--org", "https://acme.okta.com", "--token-file"])
                .arg(&home.token)
                .stdin(std::process::Stdio::null())
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::piped());
            cmd.spawn().expect("oksms starts")
        })
        .collect();
    for child in children {
        let out = child.wait_with_output().expect("oksms ends");
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let text = std::fs::read_to_string(home.config()).unwrap();
    for i in 0..8 {
        assert!(text.contains(&format!("  p{i}:\n")), "p{i} lost:\n{text}");
    }
}

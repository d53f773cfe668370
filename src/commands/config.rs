//! `oksms config init`: writes a profile (org URL, how to authenticate,
//! paths to the secrets) into `$XDG_CONFIG_HOME/oksms/config.yaml`
//! ([`crate::config::write`]), asking on a terminal for what the flags did
//! not give, then runs `oksms doctor` for it.
//!
//! Without a terminal (or with `--no-input`) nothing is asked: a missing
//! flag is named. An existing profile is never replaced silently: the
//! prompt asks, and without one `--force` is needed (else exit 2).

use crate::commands::doctor::{DoctorFormat, check_and_print};
use crate::config::write::{Profile, ProfileAuth, Written, profile_names, write_profile};
use crate::config::{self, OrgArgs, Sources};
use crate::diag::Diag;
use crate::exit::{ExitCode, Failure};
use crate::secret;
use crate::settings::GlobalArgs;
use anyhow::Result;
use clap::{Args, Subcommand};
use dialoguer::{Confirm, Input, Select};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Manage oksms's config file ($XDG_CONFIG_HOME/oksms/config.yaml).
#[derive(Debug, Args)]
pub struct ConfigArgs {
    #[command(subcommand)]
    pub action: ConfigAction,
}

/// A config file action.
#[derive(Debug, Subcommand)]
pub enum ConfigAction {
    /// Write a profile (org, credentials) and check it with `oksms doctor`.
    Init(InitArgs),
}

/// `config init`.
///
/// On a terminal it asks for what the flags do not give (org URL, API
/// token file or service app, profile name). Without one, or with
/// --no-input, it never asks and names the missing flag. The profile
/// stores paths to the secret files, never the secrets; the file gets mode
/// 0600. Then it runs `oksms doctor` for the profile (--no-check skips it)
/// and exits with doctor's code.
#[derive(Debug, Args)]
#[command(after_help = INIT_HELP)]
pub struct InitArgs {
    /// The profile's name (use it with `--profile NAME`) [default: default].
    #[arg(long, value_name = "NAME")]
    pub profile: Option<String>,
    /// The Okta org URL, e.g. https://acme.okta.com.
    #[arg(long, value_name = "URL")]
    pub org: Option<String>,
    /// The file holding the SSWS API token (its path is stored, not the token).
    #[arg(long, value_name = "PATH", conflicts_with_all = ["client_id", "private_key", "key_id", "dpop"])]
    pub token_file: Option<PathBuf>,
    /// The OAuth service app's client id.
    #[arg(long, value_name = "ID")]
    pub client_id: Option<String>,
    /// The service app's private key, a PEM file (its path is stored).
    #[arg(long, value_name = "PATH")]
    pub private_key: Option<PathBuf>,
    /// The `kid` of the public key registered on the service app.
    #[arg(long, value_name = "KID")]
    pub key_id: Option<String>,
    /// Send DPoP proofs from the first token request.
    #[arg(long)]
    pub dpop: bool,
    /// Never ask, even on a terminal: every value comes from the flags.
    #[arg(long)]
    pub no_input: bool,
    /// Replace an existing profile of the same name.
    #[arg(long)]
    pub force: bool,
    /// Do not run `oksms doctor` after writing the profile.
    #[arg(long)]
    pub no_check: bool,
}

const INIT_HELP: &str = "\
What is kept: the file is edited as text, so comments, other profiles and
other keys stay as they were; the new profile goes at the end of the
`profiles:` block (--force puts it in place of the old one). The result is
read back before it replaces the file (atomically, mode 0600).

Exit: doctor's code (0, 1, 4, 5), 0 with --no-check; 2 for a missing flag
without a terminal or an existing profile without --force.

Examples:
  oksms config init
  oksms config init --no-input --profile prod --org https://acme.okta.com --token-file ~/.okta-token
  oksms config init --no-input --profile svc --org https://acme.okta.com \\
      --client-id 0oa1b2c3d4 --private-key ~/oksms-key.pem --key-id kid-1";

/// What the flags and the prompts decided.
struct Answers {
    name: String,
    org: Option<String>,
    auth: Option<ProfileAuth>,
    force: bool,
}

pub fn execute(args: ConfigArgs, _global: &GlobalArgs, diag: &Diag) -> Result<ExitCode> {
    match args.action {
        ConfigAction::Init(init) => init_profile(init, diag),
    }
}

fn init_profile(args: InitArgs, diag: &Diag) -> Result<ExitCode> {
    let sources = Sources::process();
    let Some(xdg) = &sources.xdg_config else {
        return Err(Failure::usage("no config directory: set XDG_CONFIG_HOME or HOME").into());
    };
    let path = config::config_file(xdg);
    let interactive =
        !args.no_input && std::io::stdin().is_terminal() && std::io::stderr().is_terminal();
    let answers = if interactive {
        restore_terminal_on_signals(diag.verbosity())?;
        ask(&args, &path, &sources.cwd)?
    } else {
        from_flags(&args, &sources.cwd)?
    };
    let org = answers
        .org
        .ok_or_else(|| Failure::usage("--org is required without a terminal"))?;
    let org = config::parse_org_url(&org)?;
    let auth = answers.auth.ok_or_else(|| {
        Failure::usage(
            "--token-file (an SSWS API token) or --client-id with --private-key (a service app) \
             is required without a terminal",
        )
    })?;
    let profile = Profile {
        name: answers.name.clone(),
        org_url: org.as_str().trim_end_matches('/').to_string(),
        auth,
    };
    let written = write_profile(&path, &profile, answers.force)?;
    diag.note(&format!(
        "{} profile {} in {} (mode 0600)",
        match written {
            Written::Created => "created the file with",
            Written::Added => "added",
            Written::Replaced => "replaced",
        },
        answers.name,
        path.display()
    ));
    if args.no_check {
        return Ok(ExitCode::Ok);
    }
    diag.note(&format!(
        "checking it: oksms doctor --profile {}",
        answers.name
    ));
    check_and_print(
        &OrgArgs::default(),
        Some(&answers.name),
        Duration::from_secs(30),
        50,
        DoctorFormat::Table,
    )
}

/// Everything from the flags; what is missing is named later.
fn from_flags(args: &InitArgs, cwd: &Path) -> Result<Answers> {
    let auth = match (&args.token_file, &args.client_id, &args.private_key) {
        (Some(file), _, _) => Some(ProfileAuth::Ssws {
            token_file: existing_file("--token-file", file, cwd)?,
        }),
        (None, Some(id), Some(key)) => Some(ProfileAuth::PrivateKey {
            client_id: id.trim().to_string(),
            private_key: existing_file("--private-key", key, cwd)?,
            key_id: args.key_id.clone().filter(|k| !k.trim().is_empty()),
            dpop: args.dpop,
        }),
        (None, Some(_), None) => {
            return Err(Failure::usage("--private-key is required with --client-id").into());
        }
        (None, None, Some(_)) => {
            return Err(Failure::usage("--client-id is required with --private-key").into());
        }
        (None, None, None) => None,
    };
    let name = args.profile.clone().unwrap_or_else(|| "default".into());
    check_name(&name)?;
    Ok(Answers {
        name,
        org: args.org.clone(),
        auth,
        force: args.force,
    })
}

/// A profile name must be a non-empty line of text that `--profile` can
/// name again: no comma (`--profile a,b` names two profiles) and no space
/// at either end (`--profile` trims the names it is given).
fn check_name(name: &str) -> Result<(), Failure> {
    if name.trim().is_empty() || name.chars().any(|c| c.is_control()) {
        return Err(Failure::usage(
            "--profile: the name must be non-empty text on one line",
        ));
    }
    if name.contains(',') {
        return Err(Failure::usage(
            "--profile: the name cannot contain a comma (`--profile a,b` names two profiles)",
        ));
    }
    if name.trim() != name {
        return Err(Failure::usage(
            "--profile: the name cannot begin or end with a space (`--profile` trims names)",
        ));
    }
    Ok(())
}

/// An existing file's absolute path (relative paths are taken from `cwd`,
/// `~/` from HOME). The value is echoed only when it cannot be a secret.
fn existing_file(flag: &str, path: &Path, cwd: &Path) -> Result<PathBuf, Failure> {
    let home = std::env::var_os("HOME").map(PathBuf::from);
    let expanded = config::expand_home(path, home.as_deref());
    let absolute = if expanded.is_absolute() {
        expanded
    } else {
        cwd.join(expanded)
    };
    if !absolute.is_file() {
        return Err(Failure::usage(format!(
            "{flag} {}: no such file",
            secret::shown(&path.display().to_string())
        )));
    }
    Ok(absolute)
}

/// A prompt that could not read its answer. Ctrl-C at a prompt reads as
/// an interrupted read (the terminal is in raw mode; dialoguer raises
/// SIGINT as well): that ends the process like the signal does, so the
/// exit code (130) does not depend on which thread gets there first.
fn prompt_error(e: dialoguer::Error) -> Failure {
    let dialoguer::Error::IO(io) = &e;
    if io.kind() == std::io::ErrorKind::Interrupted
        && let Some(verbosity) = SIGNALS_VERBOSITY.get()
    {
        exit_interrupted(*verbosity);
    }
    Failure::usage(format!("cannot read the answer: {e}"))
}

/// The verbosity the interruption note is written with; set when the
/// signal handlers are installed.
static SIGNALS_VERBOSITY: std::sync::OnceLock<crate::diag::Verbosity> = std::sync::OnceLock::new();

/// Shows the cursor again, says nothing was written and exits 130. The
/// first thread to get here (the signal thread, or a prompt that read
/// Ctrl-C) does it; another one waits here until the process has ended.
fn exit_interrupted(verbosity: crate::diag::Verbosity) -> ! {
    static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _only_this_thread = ONE_AT_A_TIME.lock();
    let mut err = std::io::stderr().lock();
    let _ = std::io::Write::write_all(&mut err, b"\x1b[?25h\n");
    drop(err);
    Diag::new(verbosity, false).note("interrupted: nothing was written");
    std::process::exit(ExitCode::Interrupted.code());
}

/// While the prompts run, Ctrl-C or SIGTERM shows the cursor again (a
/// dialoguer menu hides it, and the default end of the process left the
/// user's terminal without one), says nothing was written, and exits 130.
/// The signal is handled on a thread of its own ([`exit_interrupted`]),
/// not in the handler. The file is only ever replaced atomically, so a
/// signal at any point leaves it whole.
fn restore_terminal_on_signals(verbosity: crate::diag::Verbosity) -> Result<()> {
    use anyhow::Context;
    use signal_hook::consts::{SIGINT, SIGTERM};
    let mut signals = signal_hook::iterator::Signals::new([SIGINT, SIGTERM])
        .context("cannot install the signal handlers")?;
    let _ = SIGNALS_VERBOSITY.set(verbosity);
    std::thread::spawn(move || {
        if signals.forever().next().is_some() {
            exit_interrupted(verbosity);
        }
    });
    Ok(())
}

/// Asks on the terminal for what the flags did not give, in this order:
/// the profile name, whether to replace an existing profile of that name,
/// the org URL, then how to authenticate.
fn ask(args: &InitArgs, path: &Path, cwd: &Path) -> Result<Answers> {
    let name = ask_name(args)?;
    check_name(&name)?;
    let force = args.force || confirm_replace(&name, path)?;
    let org = ask_org(args)?;
    let auth = ask_auth(args, cwd)?;
    Ok(Answers {
        name,
        org: Some(org),
        auth: Some(auth),
        force,
    })
}

/// `--profile`, else the name typed (default `default`).
fn ask_name(args: &InitArgs) -> Result<String> {
    match &args.profile {
        Some(n) => Ok(n.clone()),
        None => Ok(Input::<String>::new()
            .with_prompt("Profile name")
            .default("default".into())
            .interact_text()
            .map_err(prompt_error)?),
    }
}

/// Whether the profile `name` is to be replaced: false when `path` has no
/// such profile; when it has, the user is asked, and a "no" is a usage
/// error (exit 2: nothing is written).
fn confirm_replace(name: &str, path: &Path) -> Result<bool> {
    if !profile_names(path)?.iter().any(|n| n == name) {
        return Ok(false);
    }
    let replace = Confirm::new()
        .with_prompt(format!(
            "Profile {name} already exists in {}. Replace it?",
            path.display()
        ))
        .default(false)
        .interact()
        .map_err(prompt_error)?;
    if !replace {
        return Err(Failure::usage(format!(
            "profile {name} already exists in {}; not replaced (give --force to replace it)",
            path.display()
        ))
        .into());
    }
    Ok(true)
}

/// `--org`, else a URL typed until [`config::parse_org_url`] takes it.
fn ask_org(args: &InitArgs) -> Result<String> {
    match &args.org {
        Some(o) => Ok(o.clone()),
        None => Ok(Input::<String>::new()
            .with_prompt("Okta org URL (e.g. https://acme.okta.com)")
            .validate_with(|text: &String| -> Result<(), String> {
                config::parse_org_url(text)
                    .map(|_| ())
                    .map_err(|e| e.message)
            })
            .interact_text()
            .map_err(prompt_error)?),
    }
}

/// How to authenticate: complete from the flags (`--token-file`, or
/// `--client-id` with `--private-key`), else asked, starting with the kind
/// (API token or service app) unless `--client-id` already says.
fn ask_auth(args: &InitArgs, cwd: &Path) -> Result<ProfileAuth> {
    let complete =
        args.token_file.is_some() || (args.client_id.is_some() && args.private_key.is_some());
    if complete && let Some(auth) = from_flags(args, cwd)?.auth {
        return Ok(auth);
    }
    let service_app = args.client_id.is_some()
        || Select::new()
            .with_prompt("How does oksms sign in to Okta?")
            .items([
                "API token (SSWS) saved in a file",
                "Service app (OAuth, private key JWT)",
            ])
            .default(0)
            .interact()
            .map_err(prompt_error)?
            == 1;
    if service_app {
        ask_service_app(args, cwd)
    } else {
        Ok(ProfileAuth::Ssws {
            token_file: ask_file(
                "Path of the file holding the API token",
                "--token-file",
                cwd,
            )?,
        })
    }
}

/// A service app's settings: each flag given, else asked (client id,
/// private key file, key id; an empty key id is none). `--dpop` is never
/// asked.
fn ask_service_app(args: &InitArgs, cwd: &Path) -> Result<ProfileAuth> {
    let client_id = match &args.client_id {
        Some(c) => c.clone(),
        None => Input::<String>::new()
            .with_prompt("Service app client id")
            .interact_text()
            .map_err(prompt_error)?,
    };
    let private_key = match &args.private_key {
        Some(k) => existing_file("--private-key", k, cwd)?,
        None => ask_file(
            "Path of the app's private key (PEM file)",
            "--private-key",
            cwd,
        )?,
    };
    let key_id = match &args.key_id {
        Some(k) => Some(k.clone()),
        None => Some(
            Input::<String>::new()
                .with_prompt("Key id (kid) of the registered key, empty if none")
                .allow_empty(true)
                .interact_text()
                .map_err(prompt_error)?,
        ),
    }
    .filter(|k| !k.trim().is_empty());
    Ok(ProfileAuth::PrivateKey {
        client_id: client_id.trim().to_string(),
        private_key,
        key_id,
        dpop: args.dpop,
    })
}

/// A path typed until it names an existing file ([`existing_file`], whose
/// error for `flag` is shown under the prompt); the file's absolute path.
fn ask_file(prompt: &str, flag: &'static str, cwd: &Path) -> Result<PathBuf> {
    let text = Input::<String>::new()
        .with_prompt(prompt)
        .validate_with(|text: &String| -> Result<(), String> {
            existing_file(flag, Path::new(text.trim()), cwd)
                .map(|_| ())
                .map_err(|e| e.message)
        })
        .interact_text()
        .map_err(prompt_error)?;
    Ok(existing_file(flag, Path::new(text.trim()), cwd)?)
}

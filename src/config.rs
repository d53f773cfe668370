//! Where `fetch` (and `watch`) find the org and the credentials, resolved
//! once into an [`OrgConfig`] before any request.
//!
//! Sources, later ones winning field by field (Okta SDKs' precedence, then
//! ours): `~/.okta/okta.yaml`, `./.okta/okta.yaml`, `./.okta.yaml`, the
//! `OKTA_CLIENT_*` environment variables, the `--profile` section of
//! `$XDG_CONFIG_HOME/oksms/config.yaml`, and the flags. The authorization
//! mode comes from the highest source that states one, explicitly
//! (`authorizationMode`) or by what it supplies (a token means SSWS, a
//! client id or private key means PrivateKey). Tokens are never taken as a
//! command-line value; files holding secrets that others can read get a
//! warning.

use crate::exit::Failure;
use crate::okta::auth::{Credentials, ServiceApp, SigningKey};
use crate::secret::{self, Secret};
use anyhow::{Context, Result};
use clap::Args;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use url::Url;

pub use crate::okta::auth::LOGS_SCOPE;

pub mod write;

/// The org and credential flags (shared by `fetch` and `watch`).
#[derive(Debug, Clone, Default, Args)]
#[command(next_help_heading = "Org and credentials")]
pub struct OrgArgs {
    /// The Okta org URL, e.g. https://acme.okta.com [env: OKTA_CLIENT_ORGURL].
    #[arg(long, value_name = "URL")]
    pub org: Option<String>,
    /// Read the SSWS API token from this file (tokens are never taken on the
    /// command line) [env: OKTA_CLIENT_TOKEN holds the token itself].
    #[arg(long, value_name = "PATH", conflicts_with_all = ["client_id", "private_key"])]
    pub token_file: Option<PathBuf>,
    /// OAuth service app client id [env: OKTA_CLIENT_CLIENTID].
    #[arg(long, value_name = "ID")]
    pub client_id: Option<String>,
    /// The service app's private key, a PEM file (RSA or EC)
    /// [env: OKTA_CLIENT_PRIVATEKEY, PEM or path].
    #[arg(long, value_name = "PATH")]
    pub private_key: Option<PathBuf>,
    /// The `kid` of the registered public key [env: OKTA_CLIENT_PRIVATEKEYID].
    #[arg(long, value_name = "KID")]
    pub key_id: Option<String>,
    /// Send DPoP proofs from the first token request (otherwise used when
    /// Okta asks for them).
    #[arg(long)]
    pub dpop: bool,
    /// Use this section of $XDG_CONFIG_HOME/oksms/config.yaml. `fetch` and
    /// `watch` (polling) take several (`--profile a,b` or the flag repeated)
    /// and audit those orgs at once; other commands take one.
    #[arg(
        long,
        value_name = "NAME",
        env = "OKSMS_PROFILE",
        value_delimiter = ','
    )]
    pub profile: Vec<String>,
}

impl OrgArgs {
    /// The profiles named, each once, in the order first given.
    pub fn profiles(&self) -> Vec<String> {
        let mut names: Vec<String> = Vec::new();
        for name in &self.profile {
            let name = name.trim();
            if !name.is_empty() && !names.iter().any(|n| n == name) {
                names.push(name.to_string());
            }
        }
        names
    }

    /// These flags with `--profile` replaced by `name` (one org of a
    /// several-org run).
    pub fn with_profile(&self, name: Option<&str>) -> OrgArgs {
        OrgArgs {
            profile: name.map(str::to_string).into_iter().collect(),
            ..self.clone()
        }
    }
}

/// Where a [`Layer`] of settings came from, as messages name it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Origin {
    /// The flags.
    #[default]
    CommandLine,
    /// The `OKTA_CLIENT_*` variables.
    Environment,
    /// An `okta.yaml` file.
    File(PathBuf),
    /// A `--profile` section of oksms's config file.
    Profile { name: String, path: PathBuf },
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Origin::CommandLine => f.write_str("command line"),
            Origin::Environment => f.write_str("environment"),
            Origin::File(path) => write!(f, "{}", path.display()),
            Origin::Profile { name, path } => write!(f, "profile {name} in {}", path.display()),
        }
    }
}

/// One source's settings; every field optional. Field names follow the
/// Okta SDKs' `okta.client` YAML keys.
#[derive(Default, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Layer {
    #[serde(skip)]
    pub origin: Origin,
    pub org_url: Option<String>,
    pub token: Option<Secret>,
    pub token_file: Option<PathBuf>,
    pub authorization_mode: Option<String>,
    pub client_id: Option<String>,
    pub scopes: Option<Scopes>,
    /// PEM text or a path.
    pub private_key: Option<Secret>,
    pub private_key_id: Option<String>,
    pub dpop: Option<bool>,
}

/// `scopes` as a list or a comma/space-separated string.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(untagged)]
pub enum Scopes {
    List(Vec<String>),
    Text(String),
}

impl Scopes {
    fn list(&self) -> Vec<String> {
        match self {
            Scopes::List(l) => l.clone(),
            Scopes::Text(t) => t
                .split([',', ' '])
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect(),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AuthMode {
    Ssws,
    PrivateKey,
}

impl Layer {
    /// The mode this source asks for, stated or implied.
    fn mode(&self) -> Result<Option<AuthMode>, Failure> {
        if let Some(m) = &self.authorization_mode {
            return match m.to_ascii_lowercase().as_str() {
                "ssws" => Ok(Some(AuthMode::Ssws)),
                "privatekey" => Ok(Some(AuthMode::PrivateKey)),
                _ => Err(Failure::usage(format!(
                    "{}: authorizationMode {} is not supported (use SSWS or PrivateKey)",
                    self.origin,
                    secret::shown(m)
                ))),
            };
        }
        let token = self.token.is_some() || self.token_file.is_some();
        let app = self.client_id.is_some() || self.private_key.is_some();
        Ok(match (token, app) {
            (true, false) => Some(AuthMode::Ssws),
            (false, true) => Some(AuthMode::PrivateKey),
            _ => None,
        })
    }
}

/// `okta.yaml`'s shape: `okta: client: {…}`.
#[derive(Deserialize)]
struct OktaYaml {
    okta: Option<OktaYamlOkta>,
}
#[derive(Deserialize)]
struct OktaYamlOkta {
    client: Option<Layer>,
}

/// The oksms config file: `profiles: NAME: {…}`.
#[derive(Deserialize)]
struct OksmsYaml {
    #[serde(default, deserialize_with = "unique_profiles")]
    profiles: BTreeMap<String, Layer>,
}

/// The `profiles:` mapping, refusing a name given twice: a plain map would
/// keep the last one silently, so `--profile prod` could audit another org
/// than the one the reader of the file sees first.
fn unique_profiles<'de, D>(d: D) -> Result<BTreeMap<String, Layer>, D::Error>
where
    D: serde::Deserializer<'de>,
{
    struct Profiles;
    impl<'de> serde::de::Visitor<'de> for Profiles {
        type Value = BTreeMap<String, Layer>;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a map of profiles")
        }
        fn visit_map<A>(self, mut map: A) -> Result<Self::Value, A::Error>
        where
            A: serde::de::MapAccess<'de>,
        {
            let mut out = BTreeMap::new();
            while let Some((name, layer)) = map.next_entry::<String, Layer>()? {
                if out.contains_key(&name) {
                    return Err(serde::de::Error::custom(format!(
                        "profile {name} is defined twice (rename or remove one)"
                    )));
                }
                out.insert(name, layer);
            }
            Ok(out)
        }
    }
    d.deserialize_map(Profiles)
}

/// Resolved credentials, before the key is parsed.
#[derive(Debug)]
pub enum AuthConfig {
    Ssws {
        token: Secret,
    },
    PrivateKey {
        client_id: String,
        scopes: Vec<String>,
        private_key: Secret,
        key_id: Option<String>,
        dpop: bool,
    },
}

/// The org and how to authenticate to it.
#[derive(Debug)]
pub struct OrgConfig {
    pub org: Url,
    pub auth: AuthConfig,
    /// Warnings for the user (e.g. a secret file others can read).
    pub warnings: Vec<String>,
}

impl OrgConfig {
    /// Parses the private key and builds the client credentials.
    pub fn credentials(&self) -> Result<Credentials> {
        Ok(match &self.auth {
            AuthConfig::Ssws { token } => Credentials::Ssws(token.clone()),
            AuthConfig::PrivateKey {
                client_id,
                scopes,
                private_key,
                key_id,
                dpop,
            } => {
                let key = SigningKey::from_pem(private_key.expose()).map_err(|e| {
                    Failure::usage(format!(
                        "private key ({}): {e}",
                        secret::describe(private_key.expose())
                    ))
                })?;
                Credentials::ServiceApp(Box::new(ServiceApp {
                    client_id: client_id.clone(),
                    scopes: scopes.clone(),
                    key,
                    key_id: key_id.clone(),
                    dpop: *dpop,
                    dpop_nonce: None,
                    token: None,
                }))
            }
        })
    }
}

/// Where the config files are and how to read the environment (injectable
/// for tests).
pub struct Sources<'a> {
    pub home: Option<PathBuf>,
    pub cwd: PathBuf,
    pub xdg_config: Option<PathBuf>,
    pub env: &'a dyn Fn(&str) -> Option<String>,
}

impl Sources<'_> {
    /// The real process environment.
    pub fn process() -> Sources<'static> {
        let home = std::env::var_os("HOME").map(PathBuf::from);
        let xdg_config = std::env::var_os("XDG_CONFIG_HOME")
            .map(PathBuf::from)
            .filter(|p| p.is_absolute())
            .or_else(|| home.as_ref().map(|h| h.join(".config")));
        Sources {
            home,
            cwd: std::env::current_dir().unwrap_or_else(|_| PathBuf::from(".")),
            xdg_config,
            env: &|k| std::env::var(k).ok().filter(|v| !v.is_empty()),
        }
    }
}

/// Reads every source and resolves them with the flags.
pub fn resolve(flags: &OrgArgs, sources: &Sources<'_>) -> Result<OrgConfig> {
    let profile = single_profile(flags)?;
    let layers = layers(flags, profile.as_deref(), sources)?;
    merge(&layers, sources.home.as_deref())
}

/// The one `--profile` a single-org command (`doctor`, `hook`, one org of
/// `fetch`) uses: none, or the one named. Several are a usage error (exit 2):
/// only `fetch` and `watch` split a run per org.
pub fn single_profile(flags: &OrgArgs) -> Result<Option<String>> {
    match flags.profiles().as_slice() {
        [] => Ok(None),
        [name] => Ok(Some(name.clone())),
        several => Err(Failure::usage(format!(
            "--profile {}: this command uses one profile (fetch and watch take several)",
            several.join(",")
        ))
        .into()),
    }
}

/// Every source's [`Layer`], lowest first, as [`resolve`] reads them, with
/// `profile` for the oksms config file's section: what `oksms doctor`
/// shows field by field before merging them with [`merge`].
pub fn layers(flags: &OrgArgs, profile: Option<&str>, sources: &Sources<'_>) -> Result<Vec<Layer>> {
    let mut layers = Vec::new();
    let mut yaml_paths = Vec::new();
    if let Some(home) = &sources.home {
        yaml_paths.push(home.join(".okta/okta.yaml"));
    }
    yaml_paths.push(sources.cwd.join(".okta/okta.yaml"));
    yaml_paths.push(sources.cwd.join(".okta.yaml"));
    for path in yaml_paths {
        if let Some(layer) = read_okta_yaml(&path)? {
            layers.push(layer);
        }
    }
    layers.push(env_layer(sources.env));
    if let Some(name) = profile {
        layers.push(read_profile(sources.xdg_config.as_deref(), name)?);
    }
    layers.push(flag_layer(flags));
    Ok(layers)
}

/// The oksms config file (`$XDG_CONFIG_HOME/oksms/config.yaml`) under
/// `xdg_config`.
pub fn config_file(xdg_config: &Path) -> PathBuf {
    xdg_config.join("oksms/config.yaml")
}

fn read_okta_yaml(path: &Path) -> Result<Option<Layer>> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e).with_context(|| format!("cannot read {}", path.display())),
    };
    let parsed: OktaYaml = serde_norway::from_str(&text).map_err(|e| yaml_failure(path, &e))?;
    Ok(parsed.okta.and_then(|o| o.client).map(|mut l| {
        l.origin = Origin::File(path.to_path_buf());
        l
    }))
}

/// A YAML error for `path`. Parser messages quote the offending scalar,
/// which may be a misplaced token or key: such a message is replaced by its
/// location.
fn yaml_failure(path: &Path, e: &serde_norway::Error) -> Failure {
    let text = e.to_string();
    if !secret::could_be_secret(&text.replace('\n', " ")) {
        return Failure::usage(format!("{}: {text}", path.display()));
    }
    let at = e
        .location()
        .map(|l| format!(" at line {} column {}", l.line(), l.column()))
        .unwrap_or_default();
    Failure::usage(format!(
        "{}: invalid settings{at} (details withheld: they would quote a value that may be a secret)",
        path.display()
    ))
}

/// The names of the profiles in `$XDG_CONFIG_HOME/oksms/config.yaml`, in
/// the file's (sorted) order, for `--all-profiles`. A missing file or one
/// without profiles is a usage error.
pub fn profile_names(sources: &Sources<'_>) -> Result<Vec<String>> {
    let Some(dir) = sources.xdg_config.as_deref() else {
        return Err(Failure::usage(
            "--all-profiles: no config directory (set XDG_CONFIG_HOME or HOME)",
        )
        .into());
    };
    let path = dir.join("oksms/config.yaml");
    let text = std::fs::read_to_string(&path).map_err(|e| {
        Failure::usage(format!(
            "--all-profiles: cannot read {}: {e}",
            path.display()
        ))
    })?;
    let file: OksmsYaml = serde_norway::from_str(&text).map_err(|e| yaml_failure(&path, &e))?;
    if file.profiles.is_empty() {
        return Err(
            Failure::usage(format!("--all-profiles: no profiles in {}", path.display())).into(),
        );
    }
    Ok(file.profiles.into_keys().collect())
}

fn read_profile(xdg_config: Option<&Path>, name: &str) -> Result<Layer> {
    let Some(dir) = xdg_config else {
        return Err(
            Failure::usage("--profile: no config directory (set XDG_CONFIG_HOME or HOME)").into(),
        );
    };
    let path = dir.join("oksms/config.yaml");
    let text = std::fs::read_to_string(&path).map_err(|e| {
        Failure::usage(format!(
            "--profile {name}: cannot read {}: {e}",
            path.display()
        ))
    })?;
    let mut file: OksmsYaml = serde_norway::from_str(&text).map_err(|e| yaml_failure(&path, &e))?;
    let known: Vec<String> = file.profiles.keys().cloned().collect();
    let mut layer = file.profiles.remove(name).ok_or_else(|| {
        Failure::usage(format!(
            "--profile {name}: no such profile in {} (profiles: {})",
            path.display(),
            if known.is_empty() {
                "none".to_string()
            } else {
                known.join(", ")
            }
        ))
    })?;
    layer.origin = Origin::Profile {
        name: name.to_string(),
        path: path.to_path_buf(),
    };
    Ok(layer)
}

fn env_layer(env: &dyn Fn(&str) -> Option<String>) -> Layer {
    Layer {
        origin: Origin::Environment,
        org_url: env("OKTA_CLIENT_ORGURL"),
        token: env("OKTA_CLIENT_TOKEN").map(Secret::new),
        token_file: None,
        authorization_mode: env("OKTA_CLIENT_AUTHORIZATIONMODE"),
        client_id: env("OKTA_CLIENT_CLIENTID"),
        scopes: env("OKTA_CLIENT_SCOPES").map(Scopes::Text),
        private_key: env("OKTA_CLIENT_PRIVATEKEY").map(Secret::new),
        private_key_id: env("OKTA_CLIENT_PRIVATEKEYID"),
        dpop: None,
    }
}

fn flag_layer(flags: &OrgArgs) -> Layer {
    Layer {
        origin: Origin::CommandLine,
        org_url: flags.org.clone(),
        token: None,
        token_file: flags.token_file.clone(),
        authorization_mode: None,
        client_id: flags.client_id.clone(),
        scopes: None,
        private_key: flags
            .private_key
            .as_ref()
            .map(|p| Secret::new(p.to_string_lossy())),
        private_key_id: flags.key_id.clone(),
        dpop: flags.dpop.then_some(true),
    }
}

/// Merges layers (lowest first) and validates the result.
pub fn merge(layers: &[Layer], home: Option<&Path>) -> Result<OrgConfig> {
    let mut warnings = Vec::new();
    let org_text = last(layers, |l| l.org_url.as_deref()).ok_or_else(|| {
        Failure::usage(
            "no Okta org: give --org, set OKTA_CLIENT_ORGURL, or add okta.client.orgUrl to ~/.okta/okta.yaml",
        )
    })?;
    let org = parse_org_url(org_text)?;
    let mut mode = None;
    for layer in layers.iter().rev() {
        if let Some(m) = layer.mode()? {
            mode = Some(m);
            break;
        }
    }
    let mode = mode.unwrap_or(AuthMode::Ssws);
    let auth = match mode {
        AuthMode::Ssws => ssws_auth(layers, home, &mut warnings)?,
        AuthMode::PrivateKey => private_key_auth(layers, home, &mut warnings)?,
    };
    Ok(OrgConfig {
        org,
        auth,
        warnings,
    })
}

/// The highest layer's value of `f`.
fn last<'l, T>(layers: &'l [Layer], f: impl Fn(&'l Layer) -> Option<&'l T>) -> Option<&'l T>
where
    T: ?Sized,
{
    layers.iter().rev().find_map(f)
}

/// SSWS: the token (or token file) of the highest layer giving either.
fn ssws_auth(
    layers: &[Layer],
    home: Option<&Path>,
    warnings: &mut Vec<String>,
) -> Result<AuthConfig> {
    // The token and token file of the highest layer giving either.
    let source = layers
        .iter()
        .rev()
        .find(|l| l.token.is_some() || l.token_file.is_some());
    let token = match source {
        Some(Layer {
            token_file: Some(path),
            ..
        }) => {
            let path = expand_home(path, home);
            let shown = format!("{:?}", path.display().to_string());
            read_secret_file(&path, "token file", &shown, warnings)?
        }
        Some(Layer { token: Some(t), .. }) => t.clone(),
        _ => {
            return Err(Failure::usage(
                "no credentials: give --token-file, set OKTA_CLIENT_TOKEN, or configure a service app \
                 (OKTA_CLIENT_AUTHORIZATIONMODE=PrivateKey, OKTA_CLIENT_CLIENTID, OKTA_CLIENT_PRIVATEKEY)",
            )
            .into());
        }
    };
    // A byte-order mark (Windows editors write one) is not part of the token.
    let value = token
        .expose()
        .trim()
        .trim_start_matches('\u{feff}')
        .trim()
        .to_string();
    if value.is_empty() {
        return Err(Failure::usage("the API token is empty").into());
    }
    if value.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(
            Failure::usage("the API token contains whitespace; check the token file").into(),
        );
    }
    if !value.is_ascii() {
        return Err(Failure::usage(
            "the API token contains characters other than ASCII, which an Okta API token never has; \
             check the token file's encoding",
        )
        .into());
    }
    Ok(AuthConfig::Ssws {
        token: Secret::new(value),
    })
}

/// PrivateKey: the service app's client id, key, key id, scopes and DPoP.
fn private_key_auth(
    layers: &[Layer],
    home: Option<&Path>,
    warnings: &mut Vec<String>,
) -> Result<AuthConfig> {
    let client_id = last(layers, |l| l.client_id.as_deref())
        .ok_or_else(|| {
            Failure::usage(
                "PrivateKey mode needs a client id (--client-id or OKTA_CLIENT_CLIENTID)",
            )
        })?
        .to_string();
    let key_layer = layers
        .iter()
        .rev()
        .find(|l| l.private_key.is_some())
        .ok_or_else(|| {
            Failure::usage(
                "PrivateKey mode needs a private key (--private-key or OKTA_CLIENT_PRIVATEKEY)",
            )
        })?;
    let private_key = private_key_text(key_layer, home, warnings)?;
    let scopes = last(layers, |l| l.scopes.as_ref())
        .map(Scopes::list)
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| vec![LOGS_SCOPE.to_string()]);
    Ok(AuthConfig::PrivateKey {
        client_id,
        scopes,
        private_key,
        key_id: last(layers, |l| l.private_key_id.as_deref()).map(str::to_string),
        dpop: last(layers, |l| l.dpop.as_ref()).copied().unwrap_or(false),
    })
}

/// An org URL: https, or http only to a loopback address (the simulator),
/// so credentials never travel in clear text. The path is dropped.
pub fn parse_org_url(text: &str) -> Result<Url, Failure> {
    // The text may hold credentials or a pasted token: never echoed whole.
    let bad = |why: &str| Failure::usage(format!("org URL {}: {why}", secret::redact_url(text)));
    let mut url = Url::parse(text.trim()).map_err(|e| match e {
        url::ParseError::RelativeUrlWithoutBase => {
            bad("no scheme: write it in full, e.g. https://acme.okta.com")
        }
        e => bad(&e.to_string()),
    })?;
    if !url.username().is_empty() || url.password().is_some() {
        return Err(bad("credentials do not belong in the URL"));
    }
    let host = url.host_str().ok_or_else(|| bad("no host"))?.to_string();
    match url.scheme() {
        "https" => {}
        "http" if is_loopback(&host) => {}
        "http" => {
            return Err(bad(
                "http:// would send the credentials in clear text; use https:// (http is allowed only for loopback addresses)",
            ));
        }
        _ => return Err(bad("unsupported scheme (use https://)")),
    }
    url.set_path("/");
    url.set_query(None);
    url.set_fragment(None);
    Ok(url)
}

fn is_loopback(host: &str) -> bool {
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost")
        || bare.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// `~/…` under `home`; other paths as they are.
pub fn expand_home(path: &Path, home: Option<&Path>) -> PathBuf {
    match (path.strip_prefix("~"), home) {
        (Ok(rest), Some(h)) => h.join(rest),
        _ => path.to_path_buf(),
    }
}

/// The private key's PEM text from the layer that gives it: PEM found
/// anywhere in the value (preambles, a BOM, quotes stripped, see
/// [`secret::pem_block`]), else the file the value names, whose text is
/// cleaned the same way. The value is never echoed unless it is plainly a
/// path (the command line's `--private-key` always is).
fn private_key_text(
    layer: &Layer,
    home: Option<&Path>,
    warnings: &mut Vec<String>,
) -> Result<Secret> {
    let Some(value) = &layer.private_key else {
        return Err(anyhow::anyhow!(
            "internal error: no private key in {}",
            layer.origin
        ));
    };
    if let Some(pem) = secret::pem_block(value.expose()) {
        return Ok(Secret::new(pem));
    }
    let text = value.expose().trim();
    let path = expand_home(Path::new(text), home);
    let shown = if layer.origin == Origin::CommandLine {
        format!("{:?}", path.display().to_string())
    } else {
        format!(
            "{} (from {}; the setting holds PEM text or a path)",
            secret::shown(text),
            layer.origin
        )
    };
    let what = "private key file";
    let content = read_secret_file(&path, what, &shown, warnings)?;
    match secret::pem_block(content.expose()) {
        Some(pem) => Ok(Secret::new(pem)),
        // The key parser refuses it without showing it.
        None => Ok(content),
    }
}

/// Reads a file holding a secret; warns when others may read it. `shown`
/// names the file in messages (a path, or a description of a value that
/// could be a secret itself).
fn read_secret_file(
    path: &Path,
    what: &str,
    shown: &str,
    warnings: &mut Vec<String>,
) -> Result<Secret> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        Failure::usage(format!(
            "cannot read the {what} {shown}: {}",
            describe_io(&e)
        ))
    })?;
    if let Ok(meta) = std::fs::metadata(path)
        && secret::readable_by_others(&meta).is_some()
    {
        warnings.push(format!(
            "the {what} {shown} is readable by other users; run `chmod 600` on it"
        ));
    }
    Ok(Secret::new(text))
}

/// An I/O error's kind in words (its `Display` never holds the path, but
/// say so by construction).
fn describe_io(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        std::io::ErrorKind::InvalidData => "not UTF-8 text".into(),
        _ => e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn layer(origin: &str) -> Layer {
        Layer {
            origin: Origin::File(origin.into()),
            ..Layer::default()
        }
    }

    #[test]
    fn later_layers_win_field_by_field() {
        let mut home = layer("home");
        home.org_url = Some("https://old.okta.com".into());
        home.token = Some(Secret::new("home-token"));
        let mut env = layer("env");
        env.org_url = Some("https://new.okta.com".into());
        let c = merge(&[home, env], None).unwrap();
        assert_eq!(c.org.as_str(), "https://new.okta.com/");
        match c.auth {
            AuthConfig::Ssws { token } => assert_eq!(token.expose(), "home-token"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn the_highest_layer_stating_a_mode_decides_it() {
        let mut yaml = layer("yaml");
        yaml.org_url = Some("https://acme.okta.com".into());
        yaml.token = Some(Secret::new("t"));
        let mut flags = layer("flags");
        flags.client_id = Some("0oa1".into());
        flags.private_key = Some(Secret::new("-----BEGIN PRIVATE KEY-----\n"));
        let c = merge(&[yaml.clone(), flags], None).unwrap();
        assert!(
            matches!(c.auth, AuthConfig::PrivateKey { ref scopes, .. } if scopes == &["okta.logs.read"])
        );
        // An explicit mode lower down loses to an implied one higher up...
        let mut env = layer("env");
        env.authorization_mode = Some("PrivateKey".into());
        env.client_id = Some("0oa1".into());
        let mut top = layer("top");
        top.token = Some(Secret::new("t2"));
        let c = merge(&[yaml.clone(), env.clone(), top], None).unwrap();
        assert!(matches!(c.auth, AuthConfig::Ssws { .. }));
        // ...and a bad mode is a usage error.
        env.authorization_mode = Some("Basic".into());
        let err = merge(&[yaml, env], None).unwrap_err();
        assert_eq!(crate::exit::code_for(&err), crate::exit::ExitCode::Usage);
    }

    #[test]
    fn missing_pieces_are_usage_errors() {
        let err = merge(&[layer("none")], None).unwrap_err();
        assert!(err.to_string().contains("no Okta org"));
        let mut only_org = layer("org");
        only_org.org_url = Some("https://acme.okta.com".into());
        let err = merge(&[only_org.clone()], None).unwrap_err();
        assert!(err.to_string().contains("no credentials"));
        only_org.authorization_mode = Some("PrivateKey".into());
        assert!(
            merge(&[only_org], None)
                .unwrap_err()
                .to_string()
                .contains("client id")
        );
    }

    #[test]
    fn http_is_refused_unless_loopback() {
        assert!(
            parse_org_url("https://acme.okta.com/some/path?x=1")
                .is_ok_and(|u| u.as_str() == "https://acme.okta.com/")
        );
        for ok in [
            "http://127.0.0.1:8080",
            "http://localhost:1",
            "http://[::1]:9",
            "http://127.1.2.3",
        ] {
            assert!(parse_org_url(ok).is_ok(), "{ok}");
        }
        for bad in [
            "http://acme.okta.com",
            "http://10.0.0.1",
            "ftp://acme.okta.com",
            "acme.okta.com",
            "https://u:p@acme.okta.com",
        ] {
            assert!(parse_org_url(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn files_env_profile_and_flags_in_order() {
        let dir = tempfile::tempdir().unwrap();
        let home = dir.path().join("home");
        let cwd = dir.path().join("proj");
        let xdg = home.join(".config");
        std::fs::create_dir_all(home.join(".okta")).unwrap();
        std::fs::create_dir_all(xdg.join("oksms")).unwrap();
        std::fs::create_dir_all(&cwd).unwrap();
        std::fs::write(
            home.join(".okta/okta.yaml"),
            "okta:\n  client:\n    orgUrl: https://home.okta.com\n    token: home-token\n",
        )
        .unwrap();
        std::fs::write(
            cwd.join(".okta.yaml"),
            "okta:\n  client:\n    orgUrl: https://proj.okta.com\n",
        )
        .unwrap();
        std::fs::write(
            xdg.join("oksms/config.yaml"),
            "profiles:\n  prod:\n    orgUrl: https://prod.okta.com\n    tokenFile: ~/prod.token\n",
        )
        .unwrap();
        std::fs::write(home.join("prod.token"), "prod-token\n").unwrap();
        let env_org =
            |k: &str| (k == "OKTA_CLIENT_ORGURL").then(|| "https://env.okta.com".to_string());
        let sources = |env: &'static dyn Fn(&str) -> Option<String>| Sources {
            home: Some(home.clone()),
            cwd: cwd.clone(),
            xdg_config: Some(xdg.clone()),
            env,
        };
        let none: &'static dyn Fn(&str) -> Option<String> = &|_| None;
        let c = resolve(&OrgArgs::default(), &sources(none)).unwrap();
        assert_eq!(c.org.host_str(), Some("proj.okta.com"));
        let leaked: &'static dyn Fn(&str) -> Option<String> = Box::leak(Box::new(env_org));
        let c = resolve(&OrgArgs::default(), &sources(leaked)).unwrap();
        assert_eq!(c.org.host_str(), Some("env.okta.com"));
        let profile = OrgArgs {
            profile: vec!["prod".into()],
            ..OrgArgs::default()
        };
        let c = resolve(&profile, &sources(leaked)).unwrap();
        assert_eq!(c.org.host_str(), Some("prod.okta.com"));
        match &c.auth {
            AuthConfig::Ssws { token } => assert_eq!(token.expose(), "prod-token"),
            other => panic!("{other:?}"),
        }
        let flags = OrgArgs {
            org: Some("https://flag.okta.com".into()),
            ..profile.clone()
        };
        assert_eq!(
            resolve(&flags, &sources(leaked)).unwrap().org.host_str(),
            Some("flag.okta.com")
        );
        let missing = OrgArgs {
            profile: vec!["nope".into()],
            ..OrgArgs::default()
        };
        let err = resolve(&missing, &sources(none)).unwrap_err().to_string();
        assert!(err.contains("profiles: prod"), "{err}");
        assert_eq!(profile_names(&sources(none)).unwrap(), vec!["prod"]);
        let two = OrgArgs {
            profile: vec!["prod".into(), " prod".into(), "x".into()],
            ..OrgArgs::default()
        };
        assert_eq!(two.profiles(), vec!["prod", "x"]);
        let err = resolve(&two, &sources(none)).unwrap_err().to_string();
        assert!(err.contains("one profile"), "{err}");
        assert_eq!(two.with_profile(Some("x")).profiles(), vec!["x"]);
    }

    #[test]
    fn an_org_without_a_scheme_is_told_to_write_it_in_full() {
        let err = parse_org_url("acme.okta.com").unwrap_err().message;
        assert!(err.contains("no scheme"), "{err}");
        assert!(err.contains("https://acme.okta.com"), "{err}");
    }

    #[test]
    fn a_profile_defined_twice_is_refused_not_overridden() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("oksms")).unwrap();
        std::fs::write(
            dir.path().join("oksms/config.yaml"),
            "profiles:\n  prod:\n    orgUrl: https://a.okta.com\n  prod:\n    orgUrl: https://b.okta.com\n",
        )
        .unwrap();
        let err = read_profile(Some(dir.path()), "prod").err().unwrap();
        let err = format!("{err:#}");
        assert!(err.contains("profile prod is defined twice"), "{err}");
    }

    #[test]
    fn yaml_errors_never_quote_a_value_that_may_be_a_secret() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("okta.yaml");
        let token = "00Zx9sTOKENlooksLIKEthis0123456789abcdefgh";
        std::fs::write(&path, format!("okta:\n  client:\n    dpop: {token}\n")).unwrap();
        let err = read_okta_yaml(&path).err().unwrap().to_string();
        assert!(!err.contains(token), "{err}");
        assert!(err.contains("line 3"), "{err}");
        std::fs::write(&path, "okta:\n  client:\n    dpop: maybe\n").unwrap();
        let err = read_okta_yaml(&path).err().unwrap().to_string();
        assert!(err.contains("maybe"), "harmless values still help: {err}");
        let mut l = layer("env");
        l.org_url = Some("https://acme.okta.com".into());
        l.authorization_mode = Some(token.into());
        let err = merge(&[l], None).unwrap_err().to_string();
        assert!(!err.contains(token), "{err}");
    }

    #[cfg(unix)]
    #[test]
    fn readable_token_files_get_a_warning() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t");
        std::fs::write(&path, "tok").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        let mut warnings = Vec::new();
        read_secret_file(&path, "token file", "t", &mut warnings).unwrap();
        assert_eq!(warnings.len(), 1);
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
        warnings.clear();
        read_secret_file(&path, "token file", "t", &mut warnings).unwrap();
        assert!(warnings.is_empty());
    }
}

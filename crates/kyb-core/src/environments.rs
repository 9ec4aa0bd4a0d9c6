//! The partner-API environments the desktop app knows, kept as JSON in the config folder.
//!
//! The file holds names, URLs, colours and flags, and which one is active: never a key or a
//! secret (those live in the OS keychain, see [`crate::credentials`]). The built-in `Sandbox`
//! environment is not stored: its URL is the in-process sandbox's, which changes every run.
//!
//! ```json
//! {"version": 1, "active": "Production", "environments": [{"name": "Production", "base_url": "https://partner.example/", "colour": "#c62828", "is_production": true, "requires_approval": true}]}
//! ```

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::files::write_private_atomic;
use crate::client::{parse_base_url, ClientError};
use crate::partner_profile::ProfileDocument;

/// Name of the built-in environment (the sandbox the app starts in process).
pub const SANDBOX_NAME: &str = "Sandbox";
/// Colour of the built-in environment.
pub const SANDBOX_COLOUR: &str = "#2e7d32";
/// Name of the second built-in environment: the same in-process sandbox, but approval is
/// required, so four-eyes can be tried with no set-up (its drafts and trail are its own).
pub const SANDBOX_FOUR_EYES_NAME: &str = "Sandbox (four-eyes)";
/// Colour of the four-eyes sandbox.
pub const SANDBOX_FOUR_EYES_COLOUR: &str = "#6a1b9a";

/// Whether `name` is one of the built-in environments (compared without regard to capitals, so
/// a stored one can never shadow them).
pub fn is_built_in_name(name: &str) -> bool {
    name.eq_ignore_ascii_case(SANDBOX_NAME) || name.eq_ignore_ascii_case(SANDBOX_FOUR_EYES_NAME)
}
/// Longest environment name, in characters.
pub const MAX_NAME_CHARS: usize = 40;
/// File name inside the config folder.
pub const FILE_NAME: &str = "environments.json";

/// One stored environment (no secrets: there is no field that could hold one).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Environment {
    pub name: String,
    pub base_url: String,
    pub colour: String,
    pub is_production: bool,
    pub requires_approval: bool,
}

impl Environment {
    /// The built-in sandbox at `base_url`.
    pub fn sandbox(base_url: impl Into<String>) -> Self {
        Self {
            name: SANDBOX_NAME.to_owned(),
            base_url: base_url.into(),
            colour: SANDBOX_COLOUR.to_owned(),
            is_production: false,
            requires_approval: false,
        }
    }

    /// The built-in four-eyes sandbox at `base_url` (the same sandbox; approval required).
    pub fn sandbox_four_eyes(base_url: impl Into<String>) -> Self {
        Self {
            name: SANDBOX_FOUR_EYES_NAME.to_owned(),
            colour: SANDBOX_FOUR_EYES_COLOUR.to_owned(),
            requires_approval: true,
            ..Self::sandbox(base_url)
        }
    }

    pub fn is_built_in(&self) -> bool {
        self.name == SANDBOX_NAME || self.name == SANDBOX_FOUR_EYES_NAME
    }

    /// What the page sees.
    /// The host (and port, when not the default) the environment's requests go to: what an
    /// officer checks before confirming a production submit.
    pub fn host(&self) -> String {
        match url::Url::parse(&self.base_url) {
            Ok(url) => match (url.host_str(), url.port()) {
                (Some(host), Some(port)) => format!("{host}:{port}"),
                (Some(host), None) => host.to_owned(),
                (None, _) => self.base_url.clone(),
            },
            Err(_) => self.base_url.clone(),
        }
    }

    pub fn view(&self, has_credentials: bool) -> EnvironmentView {
        EnvironmentView {
            name: self.name.clone(),
            host: self.host(),
            base_url: self.base_url.clone(),
            colour: self.colour.clone(),
            is_production: self.is_production,
            requires_approval: self.requires_approval,
            has_credentials,
            built_in: self.is_built_in(),
            team: team_server_name(&self.name).is_some(),
        }
    }
}

/// An environment as the page sends it to be created or replaced (matched by `name`).
/// Unknown fields are refused, so a key or secret sent here by mistake is never stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct EnvironmentInput {
    pub name: String,
    pub base_url: String,
    /// `#rrggbb` (or `#rgb`).
    pub colour: String,
    pub is_production: bool,
    /// Defaults to `is_production`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub requires_approval: Option<bool>,
}

/// A team environment's name on a desktop: the team server's name with this prefix, so it never
/// collides with a local environment (the built-in "Sandbox" and a team's "Sandbox" are different
/// places) and every screen shows that its drafts go through the team server.
const TEAM_PREFIX: &str = "Team · ";

/// The local name of the team server's environment `server_name`.
pub fn team_environment_name(server_name: &str) -> String {
    format!("{TEAM_PREFIX}{server_name}")
}

/// The team server's name of a local team environment name; `None` for a local environment.
pub fn team_server_name(local_name: &str) -> Option<&str> {
    local_name.strip_prefix(TEAM_PREFIX).filter(|rest| !rest.is_empty())
}

/// An environment as the page sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct EnvironmentView {
    pub name: String,
    pub base_url: String,
    /// Where requests go ([`Environment::host`]).
    pub host: String,
    pub colour: String,
    pub is_production: bool,
    pub requires_approval: bool,
    /// Whether the keychain holds a key and secret for it (always true for the built-in sandbox).
    pub has_credentials: bool,
    /// The built-in sandbox: cannot be edited or deleted, needs no credentials.
    pub built_in: bool,
    /// A team environment: its drafts go through the team server, which alone holds the
    /// partner's credentials (not edited here).
    pub team: bool,
}

/// Why an environment could not be saved, found or stored.
#[derive(Debug, thiserror::Error)]
pub enum EnvironmentError {
    #[error("{message}")]
    InvalidInput { field: &'static str, message: String },
    /// The base URL breaks the client's URL policy (`InsecureUrl` or `InvalidUrl`).
    #[error("{0}")]
    Url(ClientError),
    #[error("there is no environment named {name:?}")]
    NotFound { name: String },
    #[error("the built-in {SANDBOX_NAME} environment cannot be changed or deleted")]
    BuiltIn,
    #[error("cannot read or write {}: {source}", path.display())]
    Io { path: PathBuf, source: std::io::Error },
    #[error("{} is damaged ({detail})", path.display())]
    Corrupt { path: PathBuf, detail: String },
}

/// The stored list (without the built-in sandbox) and the active environment's name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Environments {
    pub version: u32,
    /// `None` (or a name that no longer exists) means the built-in sandbox.
    #[serde(default)]
    pub active: Option<String>,
    #[serde(default)]
    pub environments: Vec<Environment>,
    /// The partner profile chosen for an environment (the built-in ones included), by name; an
    /// environment not listed validates with the built-in profile. Checked when imported.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub partner_profiles: BTreeMap<String, ProfileDocument>,
}

impl Default for Environments {
    fn default() -> Self {
        Self { version: 1, active: None, environments: Vec::new(), partner_profiles: BTreeMap::new() }
    }
}

impl Environments {
    pub fn get(&self, name: &str) -> Option<&Environment> {
        self.environments.iter().find(|e| e.name == name)
    }

    /// The active environment's name (the sandbox's when none or an unknown one is set).
    pub fn active_name(&self) -> &str {
        match &self.active {
            // A team environment is known to the app's team desk, not to this file: the app
            // falls back to the sandbox when the team is gone.
            Some(name) if self.get(name).is_some() || name == SANDBOX_FOUR_EYES_NAME || team_server_name(name).is_some() => name,
            _ => SANDBOX_NAME,
        }
    }

    /// Make `name` active (the sandbox or a stored environment).
    pub fn select(&mut self, name: &str) -> Result<(), EnvironmentError> {
        if name == SANDBOX_NAME {
            self.active = None;
            return Ok(());
        }
        if name == SANDBOX_FOUR_EYES_NAME {
            self.active = Some(name.to_owned());
            return Ok(());
        }
        if self.get(name).is_none() {
            return Err(EnvironmentError::NotFound { name: name.to_owned() });
        }
        self.active = Some(name.to_owned());
        Ok(())
    }

    /// Make the team environment `name` active (the app checks that its team knows it).
    pub fn select_team(&mut self, name: &str) -> Result<(), EnvironmentError> {
        if team_server_name(name).is_none() {
            return Err(EnvironmentError::NotFound { name: name.to_owned() });
        }
        self.active = Some(name.to_owned());
        Ok(())
    }

    /// Check `input` and add it, or replace the environment of the same name. Returns the
    /// stored value and the one it replaced.
    pub fn upsert(&mut self, input: EnvironmentInput) -> Result<(Environment, Option<Environment>), EnvironmentError> {
        let environment = check_input(input)?;
        if let Some(other) = self
            .environments
            .iter()
            .find(|e| e.name != environment.name && e.name.to_lowercase() == environment.name.to_lowercase())
        {
            return Err(EnvironmentError::InvalidInput {
                field: "name",
                message: format!("an environment named {:?} exists already; names differ by more than capitals", other.name),
            });
        }
        let previous = match self.environments.iter_mut().find(|e| e.name == environment.name) {
            Some(slot) => Some(std::mem::replace(slot, environment.clone())),
            None => {
                self.environments.push(environment.clone());
                None
            }
        };
        Ok((environment, previous))
    }

    /// Remove a stored environment; the sandbox becomes active if it was.
    pub fn remove(&mut self, name: &str) -> Result<Environment, EnvironmentError> {
        if is_built_in_name(name) {
            return Err(EnvironmentError::BuiltIn);
        }
        let index = self
            .environments
            .iter()
            .position(|e| e.name == name)
            .ok_or_else(|| EnvironmentError::NotFound { name: name.to_owned() })?;
        if self.active.as_deref() == Some(name) {
            self.active = None;
        }
        // A later environment of the same name starts with the built-in profile.
        self.partner_profiles.remove(name);
        Ok(self.environments.remove(index))
    }
}

/// Check a page's input: a name that is not the sandbox's, a URL the client accepts, a hex colour.
pub fn check_input(input: EnvironmentInput) -> Result<Environment, EnvironmentError> {
    let name = input.name.trim();
    let invalid = |field, message: String| Err(EnvironmentError::InvalidInput { field, message });
    if name.is_empty() {
        return invalid("name", "give the environment a name".to_owned());
    }
    if name.chars().count() > MAX_NAME_CHARS {
        return invalid("name", format!("the name is longer than {MAX_NAME_CHARS} characters"));
    }
    if name.chars().any(char::is_control) {
        return invalid("name", "the name contains control characters".to_owned());
    }
    if is_built_in_name(name) {
        return invalid("name", format!("{name} is a built-in environment; choose another name"));
    }
    let base_url = parse_base_url(&input.base_url).map_err(EnvironmentError::Url)?;
    let colour = input.colour.trim();
    if !is_hex_colour(colour) {
        return invalid("colour", format!("colour {colour:?} is not a hex colour such as #c62828"));
    }
    Ok(Environment {
        name: name.to_owned(),
        base_url: base_url.to_string(),
        colour: colour.to_ascii_lowercase(),
        is_production: input.is_production,
        requires_approval: input.requires_approval.unwrap_or(input.is_production),
    })
}

fn is_hex_colour(text: &str) -> bool {
    text.strip_prefix('#')
        .is_some_and(|hex| matches!(hex.len(), 3 | 6) && hex.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// The environments file in a config folder.
#[derive(Debug, Clone)]
pub struct EnvironmentFile {
    path: PathBuf,
}

impl EnvironmentFile {
    /// `<config_dir>/environments.json`.
    pub fn in_dir(config_dir: &Path) -> Self {
        Self { path: config_dir.join(FILE_NAME) }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The stored environments; none when the file does not exist yet.
    pub fn load(&self) -> Result<Environments, EnvironmentError> {
        let text = match std::fs::read_to_string(&self.path) {
            Ok(text) => text,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(Environments::default()),
            Err(source) => return Err(EnvironmentError::Io { path: self.path.clone(), source }),
        };
        let mut environments: Environments = serde_json::from_str(&text)
            .map_err(|err| EnvironmentError::Corrupt { path: self.path.clone(), detail: err.to_string() })?;
        // A hand-edited file must not smuggle in a second "Sandbox" or an unsafe URL.
        environments.environments.retain(|e| {
            let keep = !is_built_in_name(&e.name) && parse_base_url(&e.base_url).is_ok();
            if !keep {
                tracing::warn!(name = %e.name, "ignoring a stored environment that is not allowed");
            }
            keep
        });
        Ok(environments)
    }

    /// [`Self::load`], but a damaged file is renamed aside (`environments.json.damaged`) and an
    /// empty list returned, so the app still starts and the user's file is not overwritten.
    pub fn load_or_set_aside(&self) -> Result<Environments, EnvironmentError> {
        match self.load() {
            Err(EnvironmentError::Corrupt { detail, .. }) => {
                let aside = self.path.with_extension("json.damaged");
                tracing::warn!(path = %self.path.display(), %detail, "environments file is damaged; setting it aside");
                std::fs::rename(&self.path, &aside)
                    .map_err(|source| EnvironmentError::Io { path: self.path.clone(), source })?;
                Ok(Environments::default())
            }
            other => other,
        }
    }

    /// Write the list atomically.
    pub fn save(&self, environments: &Environments) -> Result<(), EnvironmentError> {
        let mut text = serde_json::to_string_pretty(environments).expect("plain data always serializes");
        text.push('\n');
        write_private_atomic(&self.path, text.as_bytes()).map_err(|source| EnvironmentError::Io { path: self.path.clone(), source })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(name: &str, url: &str) -> EnvironmentInput {
        EnvironmentInput {
            name: name.into(),
            base_url: url.into(),
            colour: "#C62828".into(),
            is_production: true,
            requires_approval: None,
        }
    }

    #[test]
    fn upsert_checks_and_normalises() {
        let mut envs = Environments::default();
        let (stored, previous) = envs.upsert(input(" Production ", "https://partner.example")).unwrap();
        assert!(previous.is_none());
        assert_eq!(stored.name, "Production");
        assert_eq!(stored.base_url, "https://partner.example/");
        assert_eq!(stored.colour, "#c62828");
        assert!(stored.requires_approval, "defaults to is_production");
        let (_, previous) = envs.upsert(input("Production", "https://other.example/v2/")).unwrap();
        assert_eq!(previous.unwrap().base_url, "https://partner.example/");
        assert_eq!(envs.environments.len(), 1);
        assert!(matches!(
            envs.upsert(input("production", "https://x.example/")),
            Err(EnvironmentError::InvalidInput { field: "name", .. })
        ));
    }

    #[test]
    fn refuses_bad_input() {
        let mut envs = Environments::default();
        let check = |envs: &mut Environments, i| envs.upsert(i).unwrap_err();
        assert!(matches!(check(&mut envs, input("sandbox", "https://x.example/")), EnvironmentError::InvalidInput { field: "name", .. }));
        assert!(matches!(check(&mut envs, input("  ", "https://x.example/")), EnvironmentError::InvalidInput { field: "name", .. }));
        assert!(matches!(check(&mut envs, input(&"x".repeat(41), "https://x.example/")), EnvironmentError::InvalidInput { field: "name", .. }));
        assert!(matches!(check(&mut envs, input("P", "http://partner.example/")), EnvironmentError::Url(ClientError::InsecureUrl { .. })));
        assert!(matches!(check(&mut envs, input("P", "not a url")), EnvironmentError::Url(ClientError::InvalidUrl { .. })));
        let mut bad_colour = input("P", "https://x.example/");
        bad_colour.colour = "red".into();
        assert!(matches!(check(&mut envs, bad_colour), EnvironmentError::InvalidInput { field: "colour", .. }));
        assert!(envs.environments.is_empty());
    }

    #[test]
    fn select_and_remove() {
        let mut envs = Environments::default();
        assert_eq!(envs.active_name(), SANDBOX_NAME);
        envs.upsert(input("Prod", "https://x.example/")).unwrap();
        envs.select("Prod").unwrap();
        assert_eq!(envs.active_name(), "Prod");
        assert!(matches!(envs.select("Nope"), Err(EnvironmentError::NotFound { .. })));
        assert!(matches!(envs.remove(SANDBOX_NAME), Err(EnvironmentError::BuiltIn)));
        envs.remove("Prod").unwrap();
        assert_eq!(envs.active_name(), SANDBOX_NAME);
        assert!(matches!(envs.remove("Prod"), Err(EnvironmentError::NotFound { .. })));
    }

    #[test]
    fn the_four_eyes_sandbox_is_built_in_requires_approval_and_can_be_active() {
        let four_eyes = Environment::sandbox_four_eyes("http://127.0.0.1:9/");
        assert!(four_eyes.requires_approval && !four_eyes.is_production && four_eyes.is_built_in());
        assert_eq!(four_eyes.base_url, Environment::sandbox("http://127.0.0.1:9/").base_url);
        let mut envs = Environments::default();
        envs.select(SANDBOX_FOUR_EYES_NAME).unwrap();
        assert_eq!(envs.active_name(), SANDBOX_FOUR_EYES_NAME);
        assert!(matches!(envs.remove(SANDBOX_FOUR_EYES_NAME), Err(EnvironmentError::BuiltIn)));
        let taken = envs.upsert(input("sandbox (FOUR-EYES)", "https://x.example/")).unwrap_err();
        assert!(matches!(taken, EnvironmentError::InvalidInput { field: "name", .. }));
        envs.select(SANDBOX_NAME).unwrap();
        assert_eq!(envs.active_name(), SANDBOX_NAME);
    }
}

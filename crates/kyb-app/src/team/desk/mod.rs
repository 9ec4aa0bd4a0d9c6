//! The desktop's team mode: which server it is connected to, who is signed in (the refresh
//! token in the OS keychain), the team's environments, and the links between local drafts and
//! team drafts. Local drafts stay the editing surface (sealed, autosaved, kept offline); the
//! team sync ([`crate::use_cases::team::sync`]) pushes and pulls them.

mod links;
mod names;
mod uploads;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use kyb_core::environments::Environment;
use serde::Serialize;
use tokio::sync::Mutex;
use ts_rs::TS;

pub use links::{PendingPush, TeamConflict, TeamLink, TeamLinks, LINKS_FILE};
pub use names::{local_environment_name, server_environment_name};

use super::{SignedInPerson, TeamClient, TeamConnection, TeamError, TokenStore};

/// How long an access token is reused before a fresh one is asked for (the demo provider's
/// last 10 minutes; company providers at least 5).
const ACCESS_TOKEN_REUSE: Duration = Duration::from_secs(4 * 60);

/// A team environment as the desktop shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize, TS)]
#[ts(export)]
pub struct TeamEnvironmentView {
    /// The local name (`Team · <server name>`), what drafts are kept under.
    pub name: String,
    pub server_name: String,
    pub requires_approval: bool,
    pub is_production: bool,
}

/// The signed-in person as the page shows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct TeamPerson {
    pub name: String,
    pub roles: Vec<String>,
}

#[derive(Default)]
struct Cache {
    connection: Option<TeamConnection>,
    person: Option<SignedInPerson>,
    environments: Vec<TeamEnvironmentView>,
    client: Option<(TeamClient, Instant)>,
}

/// Held by the app state for its life.
pub struct TeamDesk {
    config_dir: PathBuf,
    pub tokens: TokenStore,
    pub links: TeamLinks,
    /// The newest audit checkpoint this desktop verified, per server: a rolled-back or
    /// rewritten team trail is reported against it.
    pub checkpoints: super::CheckpointKeeper,
    cache: Mutex<Cache>,
    /// Held while an access token is renewed: the provider rotates the refresh token, so two
    /// renewals at once (the sync and a person's action) would present a spent one, which the
    /// provider answers by ending the sign-in.
    renewal: Mutex<()>,
}

impl TeamDesk {
    pub fn new(config_dir: PathBuf, data_dir: &std::path::Path, tokens: TokenStore) -> Self {
        let connection = TeamConnection::load(&config_dir).ok();
        // The environments as last fetched: drafts typed offline after a restart still save.
        let environments = match &connection {
            Some(_) => std::fs::read(config_dir.join(ENVIRONMENTS_FILE))
                .ok()
                .and_then(|bytes| serde_json::from_slice(&bytes).ok())
                .unwrap_or_default(),
            None => Vec::new(),
        };
        Self {
            config_dir,
            tokens,
            links: TeamLinks::in_dir(data_dir),
            checkpoints: super::CheckpointKeeper::in_dir(data_dir),
            cache: Mutex::new(Cache { connection, environments, ..Cache::default() }),
            renewal: Mutex::new(()),
        }
    }

    pub async fn connection(&self) -> Option<TeamConnection> {
        self.cache.lock().await.connection.clone()
    }

    pub async fn require_connection(&self) -> Result<TeamConnection, TeamError> {
        self.connection().await.ok_or(TeamError::NotConnected)
    }

    /// Connect to the server at `url` (its sign-in settings and key are saved; a different
    /// server than before drops the old sign-in from this desktop's cache, not the keychain).
    pub async fn connect(&self, url: &str) -> Result<TeamConnection, TeamError> {
        let connection = TeamConnection::discover(url).await?;
        connection.save(&self.config_dir)?;
        *self.cache.lock().await = Cache { connection: Some(connection.clone()), ..Cache::default() };
        Ok(connection)
    }

    /// Forget the server (and its sign-in): the desktop is solo again. Linked local drafts stay.
    pub async fn disconnect(&self) -> Result<(), TeamError> {
        if let Some(connection) = self.connection().await {
            self.tokens.delete(&connection.server_url)?;
        }
        for path in [TeamConnection::path(&self.config_dir), self.config_dir.join(ENVIRONMENTS_FILE)] {
            match std::fs::remove_file(&path) {
                Ok(()) => {}
                Err(err) if err.kind() == std::io::ErrorKind::NotFound => {}
                Err(err) => return Err(TeamError::Storage { path: path.display().to_string(), detail: err.to_string() }),
            }
        }
        *self.cache.lock().await = Cache::default();
        Ok(())
    }

    pub async fn signed_in_as(&self, person: SignedInPerson) {
        let mut cache = self.cache.lock().await;
        cache.person = Some(person);
        cache.client = None;
    }

    pub async fn sign_out(&self) -> Result<(), TeamError> {
        let connection = self.require_connection().await?;
        self.tokens.delete(&connection.server_url)?;
        let mut cache = self.cache.lock().await;
        cache.person = None;
        cache.client = None;
        Ok(())
    }

    /// A client with a fresh enough access token (renewed from the keychain's refresh token).
    pub async fn client(&self) -> Result<TeamClient, TeamError> {
        let connection = self.require_connection().await?;
        if let Some(client) = self.fresh_client().await {
            return Ok(client);
        }
        // One renewal at a time; whoever waited uses the token the first one got.
        let _renewing = self.renewal.lock().await;
        if let Some(client) = self.fresh_client().await {
            return Ok(client);
        }
        let client = TeamClient::signed_in(&connection, &self.tokens).await?;
        self.cache.lock().await.client = Some((client.clone(), Instant::now()));
        Ok(client)
    }

    async fn fresh_client(&self) -> Option<TeamClient> {
        let cache = self.cache.lock().await;
        cache.client.as_ref().filter(|(_, made)| made.elapsed() < ACCESS_TOKEN_REUSE).map(|(client, _)| client.clone())
    }

    /// Forget the cached access token (after the server refused it).
    pub async fn drop_client(&self) {
        self.cache.lock().await.client = None;
    }

    pub async fn person(&self) -> Option<SignedInPerson> {
        self.cache.lock().await.person.clone()
    }

    pub async fn set_environments(&self, environments: Vec<TeamEnvironmentView>) {
        let path = self.config_dir.join(ENVIRONMENTS_FILE);
        if let Err(err) = serde_json::to_vec_pretty(&environments)
            .map_err(std::io::Error::other)
            .and_then(|bytes| kyb_core::files::write_private_atomic(&path, &bytes))
        {
            tracing::warn!(error = %err, "cannot keep the team's environments for offline use");
        }
        self.cache.lock().await.environments = environments;
    }

    pub async fn environments(&self) -> Vec<TeamEnvironmentView> {
        self.cache.lock().await.environments.clone()
    }

    /// The team environment with local name `name`, as a local [`Environment`] whose URL is
    /// the team server's (the desktop holds no partner credentials for it: everything goes
    /// through the server).
    pub async fn environment(&self, name: &str) -> Option<Environment> {
        server_environment_name(name)?;
        let cache = self.cache.lock().await;
        let server_url = cache.connection.as_ref()?.server_url.clone();
        let view = cache.environments.iter().find(|e| e.name == name)?;
        Some(Environment {
            name: view.name.clone(),
            base_url: server_url,
            colour: TEAM_COLOUR.to_owned(),
            is_production: view.is_production,
            requires_approval: view.requires_approval,
        })
    }
}

/// The team's environments as last fetched (names and approval rules; nothing secret).
const ENVIRONMENTS_FILE: &str = "team-environments.json";

/// The colour of every team environment in the header.
pub const TEAM_COLOUR: &str = "#1565c0";

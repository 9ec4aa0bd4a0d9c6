//! Which team server this desktop uses, and what it said about itself when connecting: where
//! people sign in, as which client, and the key that signs approvals and audit checkpoints (kept
//! so a later answer signed by another key is noticed). Stored in the config folder.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::TeamError;

pub const TEAM_FILE: &str = "team.json";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TeamConnection {
    pub server_url: String,
    pub issuer: String,
    pub client_id: String,
    /// The server's Ed25519 public key, hex.
    pub server_key: String,
}

#[derive(Deserialize)]
struct TeamInfo {
    issuer: Option<String>,
    client_id: Option<String>,
    public_key: String,
}

impl TeamConnection {
    /// Ask the server at `url` how to connect.
    pub async fn discover(url: &str) -> Result<Self, TeamError> {
        let server_url = url.trim().trim_end_matches('/').to_owned();
        let unreachable = |detail: String| TeamError::Unreachable { url: server_url.clone(), detail };
        let info: TeamInfo = reqwest::get(format!("{server_url}/api/team-info"))
            .await
            .and_then(|r| r.error_for_status())
            .map_err(|err| unreachable(err.to_string()))?
            .json()
            .await
            .map_err(|err| unreachable(format!("not a KYB Desk team server ({err})")))?;
        let (Some(issuer), Some(client_id)) = (info.issuer, info.client_id) else {
            return Err(TeamError::SignIn("the team server has no identity provider configured".into()));
        };
        Ok(Self { server_url, issuer, client_id, server_key: info.public_key })
    }

    pub fn path(config_dir: &Path) -> PathBuf {
        config_dir.join(TEAM_FILE)
    }

    pub fn load(config_dir: &Path) -> Result<Self, TeamError> {
        let path = Self::path(config_dir);
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Err(TeamError::NotConnected),
            Err(err) => return Err(TeamError::Storage { path: path.display().to_string(), detail: err.to_string() }),
        };
        serde_json::from_str(&text).map_err(|err| TeamError::Storage { path: path.display().to_string(), detail: err.to_string() })
    }

    pub fn save(&self, config_dir: &Path) -> Result<(), TeamError> {
        let path = Self::path(config_dir);
        let text = serde_json::to_vec_pretty(self).unwrap_or_default();
        kyb_core::files::create_private_dir_all(config_dir)
            .and_then(|_| kyb_core::files::write_private_atomic(&path, &text))
            .map_err(|err| TeamError::Storage { path: path.display().to_string(), detail: err.to_string() })
    }
}

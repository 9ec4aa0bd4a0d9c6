//! Named local user profiles (issue 5): who prepares, decides and approves. Chosen at start; no
//! password (they attribute work for four-eyes and the audit trail; they do not authenticate).
//!
//! `profiles.json` in the config folder: `{"version": 1, "profiles": [{"name": "Ana Lima",
//! "created_at": "…"}], "last": "Ana Lima"}`, written atomically.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// One profile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Profile {
    pub name: String,
    pub created_at: DateTime<Utc>,
}

/// The profiles and which one was chosen last (preselected at the next start).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Profiles {
    pub profiles: Vec<Profile>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub last: Option<String>,
}

/// Why a profile name is refused or the file cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ProfileError {
    /// Names are 1-64 characters after trimming, with no control characters.
    #[error("{message}")]
    InvalidName { message: String },
    #[error("cannot read or write {}: {source}", .path.display())]
    Io { path: PathBuf, source: std::io::Error },
    #[error("{} is not a valid profiles file: {detail}", .path.display())]
    Format { path: PathBuf, detail: String },
}

/// `profiles.json`.
#[derive(Debug, Clone)]
pub struct ProfileFile {
    path: PathBuf,
}

/// The name as stored: trimmed, inner whitespace runs collapsed to one space; refused when
/// empty, over 64 characters, or with control characters.
pub fn normalize_name(name: &str) -> Result<String, ProfileError> {
    let _ = name;
    todo!("issue 5 helper")
}

impl ProfileFile {
    pub fn new(config_dir: &Path) -> Self {
        Self { path: config_dir.join("profiles.json") }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The profiles (none when the file does not exist yet).
    pub fn load(&self) -> Result<Profiles, ProfileError> {
        todo!("issue 5 helper")
    }

    /// Choose `name`: created when no profile has that name (compared case-insensitively; the
    /// existing spelling wins), and remembered as `last`. Returns the profile.
    pub fn choose(&self, name: &str) -> Result<Profile, ProfileError> {
        let _ = name;
        todo!("issue 5 helper")
    }
}

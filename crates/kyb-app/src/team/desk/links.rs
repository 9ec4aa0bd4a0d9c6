//! Which local drafts mirror which team drafts, and how far each has been pushed: the team
//! sync's own bookkeeping, kept beside the sealed drafts store so an edit typed offline is
//! pushed when the server is back, with the same idempotency key if a push's answer was lost.
//! Holds ids and version numbers only (no customer data), in a private file.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};

pub const LINKS_FILE: &str = "team-links.json";

/// One local draft's link to a team draft.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TeamLink {
    /// The team server the draft lives on.
    pub server_url: String,
    /// The draft's id on the server.
    pub team_draft_id: String,
    /// The server's version the local record was last equal to (the next push's base).
    pub server_version: i64,
    /// The local revision that version corresponds to (later revisions are not pushed yet).
    pub synced_revision: u64,
    /// A push sent but not yet answered: its local revision and idempotency key (the same key
    /// is sent again after a crash or a lost answer, so the server applies it once).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pending: Option<PendingPush>,
    /// Someone else pushed first and a field was changed on both sides: the local edits wait
    /// for the person's choices (the records are fetched again to show them; none is kept here).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conflict: Option<TeamConflict>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PendingPush {
    pub revision: u64,
    pub idempotency_key: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TeamConflict {
    /// The server's version the choices are made against.
    pub server_version: i64,
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct LinksFile {
    version: u32,
    links: BTreeMap<String, TeamLink>,
}

/// The links file, read and written whole under a lock (a few hundred entries at most).
pub struct TeamLinks {
    path: PathBuf,
    lock: Mutex<()>,
}

impl TeamLinks {
    pub fn in_dir(data_dir: &Path) -> Self {
        Self { path: data_dir.join(LINKS_FILE), lock: Mutex::new(()) }
    }

    fn read(&self) -> LinksFile {
        match std::fs::read(&self.path) {
            Ok(bytes) => serde_json::from_slice(&bytes).unwrap_or_else(|err| {
                // A damaged file loses only sync bookkeeping: local drafts are untouched and
                // the next sync re-links them from the server (a stale push is then merged).
                tracing::warn!(error = %err, "the team links file is unreadable; starting afresh");
                LinksFile::default()
            }),
            Err(_) => LinksFile::default(),
        }
    }

    fn write(&self, file: &LinksFile) -> std::io::Result<()> {
        let bytes = serde_json::to_vec_pretty(file).map_err(std::io::Error::other)?;
        kyb_core::files::write_private_atomic(&self.path, &bytes)
    }

    pub fn get(&self, local_id: &str) -> Option<TeamLink> {
        let _held = self.lock.lock().unwrap_or_else(|p| p.into_inner());
        self.read().links.get(local_id).cloned()
    }

    pub fn all(&self) -> BTreeMap<String, TeamLink> {
        let _held = self.lock.lock().unwrap_or_else(|p| p.into_inner());
        self.read().links
    }

    /// The local draft linked to `team_draft_id`, if any.
    pub fn local_id_of(&self, team_draft_id: &str) -> Option<String> {
        self.all().into_iter().find(|(_, link)| link.team_draft_id == team_draft_id).map(|(id, _)| id)
    }

    /// Change one link (or remove it with `None`) as one read-modify-write.
    pub fn update(&self, local_id: &str, change: impl FnOnce(Option<TeamLink>) -> Option<TeamLink>) -> std::io::Result<Option<TeamLink>> {
        let _held = self.lock.lock().unwrap_or_else(|p| p.into_inner());
        let mut file = self.read();
        file.version = 1;
        let next = change(file.links.remove(local_id));
        if let Some(link) = &next {
            file.links.insert(local_id.to_owned(), link.clone());
        }
        self.write(&file)?;
        Ok(next)
    }
}

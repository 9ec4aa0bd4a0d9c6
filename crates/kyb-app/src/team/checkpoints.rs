//! The team server's audit trail, checked against what this desktop saw before.
//!
//! The server signs checkpoints of its trail ("N entries, ending in hash H"). A desktop keeps the
//! newest one it verified, one file per team server in the data folder
//! (`team-checkpoints/<server>.json`, private, written atomically; not secret, but it must
//! survive restarts). Each [`CheckpointKeeper::check`] asks the server for its head and, when a
//! checkpoint was kept at entry K, for entry K as the trail has it now: a shorter trail is a
//! rollback, another hash at K a rewrite. Either is reported as [`TeamError::TrailBroken`] and the
//! kept checkpoint is left as it was, so the evidence survives. A kept file that is not valid JSON
//! or whose signature does not verify is reported ([`TeamError::KeptCheckpointDamaged`]), neither
//! trusted nor replaced.
//!
//! The limit: a desktop that never kept a checkpoint of this server (a fresh install, or a new
//! data folder) accepts the server's current head as it is ([`CheckpointStatus::FirstSeen`]); it
//! can only see changes made after that.
//!
//! ```no_run
//! # async fn example(data_dir: &std::path::Path, config_dir: &std::path::Path) -> Result<(), kyb_app::team::TeamError> {
//! use kyb_app::team::{CheckpointKeeper, TeamConnection};
//! let connection = TeamConnection::load(config_dir)?;
//! let status = CheckpointKeeper::in_dir(data_dir).check(&connection).await?; // Err(TrailBroken) on a rollback
//! # let _ = status; Ok(()) }
//! ```

use std::path::{Path, PathBuf};
use std::time::Duration;

use kyb_core::team_checkpoint::{Checkpoint, CheckpointProblem};
use serde::{Deserialize, Serialize};

use super::{TeamConnection, TeamError};

/// The folder of kept checkpoints, in the data folder.
pub const CHECKPOINTS_DIR: &str = "team-checkpoints";

/// How long one question to the server may take.
const TIMEOUT: Duration = Duration::from_secs(30);

/// What a successful check found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum CheckpointStatus {
    /// The server's trail is empty and nothing was kept: nothing to check yet.
    EmptyTrail,
    /// The first checkpoint this desktop sees from this server (its signature verifies; now
    /// kept). There is nothing earlier to compare it with: a history rolled back or rewritten
    /// before this moment cannot be seen from here.
    FirstSeen { head: Checkpoint },
    /// The server's trail still has the kept entry, unchanged, and reaches `head` (now kept).
    Holds { kept: Checkpoint, head: Checkpoint },
}

/// The kept file: the checkpoint and which server it is of.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct KeptFile {
    server_url: String,
    checkpoint: Checkpoint,
}

/// Keeps the newest verified checkpoint per team server in a data folder, and checks the server's
/// trail against it.
#[derive(Debug, Clone)]
pub struct CheckpointKeeper {
    dir: PathBuf,
}

impl CheckpointKeeper {
    /// The keeper of the data folder `data_dir` (nothing is read or written yet).
    pub fn in_dir(data_dir: &Path) -> Self {
        Self { dir: data_dir.join(CHECKPOINTS_DIR) }
    }

    /// The file that holds the checkpoint kept for `connection`'s server.
    pub fn path(&self, connection: &TeamConnection) -> PathBuf {
        self.dir.join(format!("{}.json", file_stem(&connection.server_url)))
    }

    /// The checkpoint kept for `connection`'s server, verified again against the server key the
    /// connection holds; `None` when none was kept yet.
    pub fn kept(&self, connection: &TeamConnection) -> Result<Option<Checkpoint>, TeamError> {
        let path = self.path(connection);
        let damaged = |detail: String| TeamError::KeptCheckpointDamaged { path: path.display().to_string(), detail };
        let bytes = match std::fs::read(&path) {
            Ok(bytes) => bytes,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(err) => return Err(TeamError::Storage { path: path.display().to_string(), detail: err.to_string() }),
        };
        let kept: KeptFile = serde_json::from_slice(&bytes).map_err(|err| damaged(format!("not a kept checkpoint ({err})")))?;
        if kept.server_url != connection.server_url {
            return Err(damaged(format!("it is of another server ({})", kept.server_url)));
        }
        kept.checkpoint.verify_hex(&connection.server_key).map_err(|problem| damaged(problem.to_string()))?;
        Ok(Some(kept.checkpoint))
    }

    /// The server's head, its signature verified against the connection's server key; `None`
    /// while its trail is empty. Nothing is kept.
    pub async fn server_head(&self, connection: &TeamConnection) -> Result<Option<Checkpoint>, TeamError> {
        fetch(connection, None).await
    }

    /// Check the server's trail against the checkpoint kept for it, and keep the server's newer
    /// head when it holds. `Err(TeamError::TrailBroken { problem })` names the problem: another
    /// signing key (`UnknownKey`), a bad signature, a rollback or a rewrite; the kept checkpoint
    /// is then left unchanged.
    pub async fn check(&self, connection: &TeamConnection) -> Result<CheckpointStatus, TeamError> {
        let kept = self.kept(connection)?;
        let head = fetch(connection, None).await?;
        let broken = |problem: CheckpointProblem| TeamError::TrailBroken { server_url: connection.server_url.clone(), problem };
        let (kept, head) = match (kept, head) {
            (None, None) => return Ok(CheckpointStatus::EmptyTrail),
            (None, Some(head)) => {
                self.keep(connection, &head)?;
                return Ok(CheckpointStatus::FirstSeen { head });
            }
            (Some(kept), None) => return Err(broken(CheckpointProblem::RolledBack { kept_seq: kept.seq, server_head: 0 })),
            (Some(kept), Some(head)) => (kept, head),
        };
        if head.seq < kept.seq {
            return Err(broken(CheckpointProblem::RolledBack { kept_seq: kept.seq, server_head: head.seq }));
        }
        let at_kept = if head.seq == kept.seq { Some(head.clone()) } else { fetch(connection, Some(kept.seq)).await? };
        // An answer about another entry than the one asked for cannot confirm the kept one.
        let hash_at_kept = at_kept.map(|at| if at.seq == kept.seq { at.hash } else { [0; 32] });
        kept.still_holds(&head, hash_at_kept).map_err(broken)?;
        if head.seq > kept.seq || head.signed_at > kept.signed_at {
            self.keep(connection, &head)?;
        }
        Ok(CheckpointStatus::Holds { kept, head })
    }

    fn keep(&self, connection: &TeamConnection, checkpoint: &Checkpoint) -> Result<(), TeamError> {
        let path = self.path(connection);
        let file = KeptFile { server_url: connection.server_url.clone(), checkpoint: checkpoint.clone() };
        let text = serde_json::to_vec_pretty(&file).unwrap_or_default();
        kyb_core::files::create_private_dir_all(&self.dir)
            .and_then(|_| kyb_core::files::write_private_atomic(&path, &text))
            .map_err(|err| TeamError::Storage { path: path.display().to_string(), detail: err.to_string() })
    }
}

/// `GET /api/audit/checkpoint[?at=N]`, verified; `None` on the server's 404 (no such entry).
async fn fetch(connection: &TeamConnection, at: Option<i64>) -> Result<Option<Checkpoint>, TeamError> {
    let url = match at {
        None => format!("{}/api/audit/checkpoint", connection.server_url),
        Some(seq) => format!("{}/api/audit/checkpoint?at={seq}", connection.server_url),
    };
    let unreachable = |detail: String| TeamError::Unreachable { url: connection.server_url.clone(), detail };
    let http = reqwest::Client::builder().timeout(TIMEOUT).build().map_err(|err| unreachable(err.to_string()))?;
    let response = http.get(&url).send().await.map_err(|err| unreachable(err.to_string()))?;
    if response.status() == reqwest::StatusCode::NOT_FOUND {
        return Ok(None);
    }
    if !response.status().is_success() {
        return Err(unreachable(format!("the audit checkpoint was answered with {}", response.status())));
    }
    let checkpoint: Checkpoint =
        response.json().await.map_err(|err| unreachable(format!("an unreadable audit checkpoint ({err})")))?;
    checkpoint
        .verify_hex(&connection.server_key)
        .map_err(|problem| TeamError::TrailBroken { server_url: connection.server_url.clone(), problem })?;
    Ok(Some(checkpoint))
}

/// A file name for a server URL, one per URL: letters, digits, `.` and `-` kept, every other byte
/// as `_` and two hex digits.
fn file_stem(server_url: &str) -> String {
    server_url
        .bytes()
        .map(|b| if b.is_ascii_alphanumeric() || b == b'.' || b == b'-' { (b as char).to_string() } else { format!("_{b:02x}") })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_file_per_server_url() {
        assert_eq!(file_stem("http://127.0.0.1:8440"), "http_3a_2f_2f127.0.0.1_3a8440");
        assert_ne!(file_stem("http://a-b"), file_stem("http://a_b"));
    }
}

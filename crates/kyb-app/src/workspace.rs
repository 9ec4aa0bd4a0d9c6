//! `workspace.json` in the data folder: which draft was open when the app stopped. It holds only a
//! draft id (`u-<hash>` / `c-<uuid>`, which reveal nothing about the customer), never a record.

use std::path::{Path, PathBuf};

use kyb_core::drafts::is_draft_id;
use kyb_core::files::write_private_atomic;
use serde::{Deserialize, Serialize};

/// The file's contents.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Workspace {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub open_draft: Option<String>,
}

/// Reads and writes `workspace.json` (atomically and private, through `kyb_core::files`).
#[derive(Debug, Clone)]
pub struct WorkspaceFile {
    path: PathBuf,
}

impl WorkspaceFile {
    pub const FILE_NAME: &'static str = "workspace.json";

    pub fn in_dir(dir: &Path) -> Self {
        Self { path: dir.join(Self::FILE_NAME) }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// What was saved; an absent, unreadable or odd file is an empty workspace (it only remembers
    /// which draft was open, so losing it loses nothing typed).
    pub fn load(&self) -> Workspace {
        let text = match std::fs::read_to_string(&self.path) {
            Ok(text) => text,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Workspace::default(),
            Err(err) => {
                tracing::warn!(error = %err, "cannot read workspace.json; starting with no open draft");
                return Workspace::default();
            }
        };
        match serde_json::from_str::<Workspace>(&text) {
            Ok(workspace) if workspace.open_draft.as_deref().is_none_or(is_draft_id) => workspace,
            Ok(_) | Err(_) => {
                tracing::warn!("workspace.json is not what this app writes; starting with no open draft");
                Workspace::default()
            }
        }
    }

    pub fn save(&self, workspace: &Workspace) -> std::io::Result<()> {
        let text = serde_json::to_string_pretty(workspace).map_err(std::io::Error::other)?;
        write_private_atomic(&self.path, text.as_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_odd_files_are_empty() {
        let dir = tempfile::tempdir().unwrap();
        let file = WorkspaceFile::in_dir(dir.path());
        assert_eq!(file.load(), Workspace::default());
        let id = kyb_core::drafts::update_draft_id("Sandbox", "cus_1");
        file.save(&Workspace { open_draft: Some(id.clone()) }).unwrap();
        assert_eq!(file.load().open_draft, Some(id));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(std::fs::metadata(file.path()).unwrap().permissions().mode() & 0o777, 0o600);
        }
        std::fs::write(file.path(), r#"{"open_draft": "../../etc/passwd"}"#).unwrap();
        assert_eq!(file.load(), Workspace::default());
        std::fs::write(file.path(), "not json").unwrap();
        assert_eq!(file.load(), Workspace::default());
    }
}

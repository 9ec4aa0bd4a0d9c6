//! Local copies of documents (issue 5), sealed like drafts ([`crate::sealed`]), one file per
//! environment and `file_id`: the copy kept when this app uploads a file, or attached later by a
//! reviewer for a file id the app has no copy of. Bytes never leave this machine again.

use std::path::Path;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::sealed::{SealError, SealingKey};

/// Largest local copy (the partner's upload limit).
pub const MAX_COPY_BYTES: usize = 10 * 1024 * 1024;

/// How the copy got here.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum CopyOrigin {
    /// Kept when this app uploaded the file (the bytes the partner received).
    Uploaded,
    /// Attached by a reviewer for an existing file id (not checked against the partner's copy).
    Attached,
}

/// What the viewer can show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Preview {
    Image,
    Pdf,
    /// Stored, but no preview for this type.
    None,
}

/// A local copy's description (without the bytes).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DocumentCopy {
    pub environment: String,
    pub file_id: String,
    pub file_name: String,
    /// Detected from the bytes (magic numbers), never from the name: `image/png`,
    /// `application/pdf`, `application/octet-stream` when unknown.
    pub media_type: String,
    pub preview: Preview,
    #[ts(type = "number")]
    pub size: u64,
    /// Hex SHA-256 of the bytes.
    pub sha256: String,
    pub origin: CopyOrigin,
    pub added_by: String,
    pub added_at: DateTime<Utc>,
}

/// Why a copy cannot be stored or read.
#[derive(Debug, thiserror::Error)]
pub enum VaultError {
    #[error("{message}")]
    Invalid { field: String, message: String },
    #[error(transparent)]
    Sealed(#[from] SealError),
}

/// The sealed folder of copies (`<data>/documents/`).
#[derive(Debug, Clone)]
pub struct DocumentVault {
    _private: (),
}

impl DocumentVault {
    pub fn open(root: &Path, key: Arc<SealingKey>) -> Result<Self, VaultError> {
        let _ = (root, key);
        todo!("issue 5 helper")
    }

    /// Keep `bytes` as the copy of `file_id` in `environment` (replacing an earlier copy).
    /// Refused (`Invalid`, naming `file_id`, `file_name` or `bytes`) when blank, empty or larger
    /// than [`MAX_COPY_BYTES`].
    pub fn put(
        &self,
        environment: &str,
        file_id: &str,
        file_name: &str,
        bytes: &[u8],
        origin: CopyOrigin,
        added_by: &str,
    ) -> Result<DocumentCopy, VaultError> {
        let _ = (environment, file_id, file_name, bytes, origin, added_by);
        todo!("issue 5 helper")
    }

    /// The description of the copy, when there is one.
    pub fn info(&self, environment: &str, file_id: &str) -> Result<Option<DocumentCopy>, VaultError> {
        let _ = (environment, file_id);
        todo!("issue 5 helper")
    }

    /// The copy and its bytes, when there is one.
    pub fn read(&self, environment: &str, file_id: &str) -> Result<Option<(DocumentCopy, Vec<u8>)>, VaultError> {
        let _ = (environment, file_id);
        todo!("issue 5 helper")
    }
}

//! The log file: `<data>/audit/audit.log`, one sealed entry per line (base64), appended and
//! fsynced; `head.sealed` keeps the last seq and hash so a cut-off tail is detected too.

use std::path::Path;
use std::sync::Arc;

use super::chain::ChainReport;
use super::model::{AuditEntry, AuditFilter, NewAuditEntry};
use crate::sealed::{SealError, SealingKey};

#[derive(Debug, thiserror::Error)]
pub enum AuditError {
    #[error("cannot write the audit log {}: {source}", .path.display())]
    Io { path: std::path::PathBuf, source: std::io::Error },
    #[error(transparent)]
    Sealed(#[from] SealError),
}

/// The append-only log. Cheap to clone; appends are serialized inside.
#[derive(Debug, Clone)]
pub struct AuditLog {
    _private: Arc<()>,
}

impl AuditLog {
    pub fn open(root: &Path, key: Arc<SealingKey>) -> Result<Self, AuditError> {
        let _ = (root, key);
        todo!("issue 5 helper")
    }

    /// Append `entry` after the last one; returns it with `seq`, `prev_hash` and `hash`.
    pub fn append(&self, entry: NewAuditEntry) -> Result<AuditEntry, AuditError> {
        let _ = entry;
        todo!("issue 5 helper")
    }

    /// Every readable entry matching `filter`, in order (unreadable lines are reported by
    /// [`Self::verify`], skipped here).
    pub fn entries(&self, filter: &AuditFilter) -> Result<Vec<AuditEntry>, AuditError> {
        let _ = filter;
        todo!("issue 5 helper")
    }

    /// Check the whole log (and that it ends at the recorded head).
    pub fn verify(&self) -> Result<ChainReport, AuditError> {
        todo!("issue 5 helper")
    }
}

//! The outbox folder: one sealed file per entry (`outbox/o-<uuid>.sealed`), written atomically.
//! Files that cannot be opened (sealed with a lost key, damaged, or of an unknown shape) are moved
//! to `drafts-unreadable/`, never deleted, and skipped.

use std::path::Path;
use std::sync::Arc;

use crate::sealed::{SealError, SealedDir, SealingKey};

use super::model::OutboxEntry;

/// Folder of the entries, under the app's data folder.
pub const OUTBOX_DIR: &str = "outbox";
/// Where files that cannot be opened are set aside (shared with the drafts).
pub const UNREADABLE_DIR: &str = "drafts-unreadable";
/// Sent entries whose customer has settled, beyond the newest few, under `root/outbox-settled/`:
/// kept (and readable by id) but out of the working set every pass and poll reads.
pub const SETTLED_DIR: &str = "outbox-settled";

/// A fresh entry id: `o-` and 32 lowercase hex digits.
pub fn new_entry_id() -> String {
    format!("o-{}", uuid::Uuid::new_v4().simple())
}

/// Whether `id` has the shape of an entry id (checked before it is used in a file name).
pub fn is_entry_id(id: &str) -> bool {
    id.strip_prefix("o-")
        .is_some_and(|hex| hex.len() == 32 && hex.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)))
}

#[derive(Debug, Clone)]
pub(crate) struct EntryStore {
    dir: SealedDir,
    settled: SealedDir,
    unreadable: std::path::PathBuf,
}

impl EntryStore {
    pub(crate) fn open(root: &Path, key: Arc<SealingKey>) -> Result<Self, SealError> {
        Ok(Self {
            dir: SealedDir::create(root.join(OUTBOX_DIR), key.clone())?,
            settled: SealedDir::create(root.join(SETTLED_DIR), key)?,
            unreadable: root.join(UNREADABLE_DIR),
        })
    }

    /// One entry, in the working set or among the archived settled ones; `Ok(None)` when there
    /// is no such (readable) entry.
    pub(crate) fn read(&self, id: &str) -> Result<Option<OutboxEntry>, SealError> {
        match self.read_in(&self.dir, id)? {
            Some(entry) => Ok(Some(entry)),
            None => self.read_in(&self.settled, id),
        }
    }

    fn read_in(&self, dir: &SealedDir, id: &str) -> Result<Option<OutboxEntry>, SealError> {
        if !is_entry_id(id) || !dir.contains(id) {
            return Ok(None);
        }
        match dir.read_json::<OutboxEntry>(id) {
            Ok(entry) if entry.id == id => Ok(Some(entry)),
            Ok(_) => {
                self.set_aside(dir, id, "its contents name another entry");
                Ok(None)
            }
            Err(SealError::NotFound { .. }) => Ok(None),
            Err(err @ (SealError::WrongKey { .. } | SealError::Corrupt { .. } | SealError::Format { .. })) => {
                self.set_aside(dir, id, &err.to_string());
                Ok(None)
            }
            Err(err) => Err(err),
        }
    }

    /// Move an entry out of the working set into the settled archive.
    pub(crate) fn archive(&self, id: &str) -> Result<(), SealError> {
        if is_entry_id(id) && self.dir.contains(id) {
            self.dir.move_to(id, &self.settled)?;
        }
        Ok(())
    }

    /// Every readable archived entry, by sequence.
    pub(crate) fn archived(&self) -> Result<Vec<OutboxEntry>, SealError> {
        let mut entries = Vec::new();
        for name in self.settled.names()? {
            if let Some(entry) = self.read_in(&self.settled, &name)? {
                entries.push(entry);
            }
        }
        entries.sort_by(|a, b| a.sequence.cmp(&b.sequence).then_with(|| a.id.cmp(&b.id)));
        Ok(entries)
    }

    pub(crate) fn write(&self, entry: &OutboxEntry) -> Result<(), SealError> {
        self.dir.write_json(&entry.id, entry)
    }

    pub(crate) fn remove(&self, id: &str) -> Result<(), SealError> {
        if is_entry_id(id) {
            self.dir.remove(id)?;
            self.settled.remove(id)?;
        }
        Ok(())
    }

    /// Every readable entry, by sequence (then id).
    pub(crate) fn all(&self) -> Result<Vec<OutboxEntry>, SealError> {
        let mut entries = Vec::new();
        for name in self.dir.names()? {
            if !is_entry_id(&name) {
                self.set_aside(&self.dir, &name, "not an outbox entry name");
                continue;
            }
            if let Some(entry) = self.read_in(&self.dir, &name)? {
                entries.push(entry);
            }
        }
        entries.sort_by(|a, b| a.sequence.cmp(&b.sequence).then_with(|| a.id.cmp(&b.id)));
        Ok(entries)
    }

    /// Move a file that cannot be used to `drafts-unreadable/` (kept, so restoring the keychain
    /// entry and moving it back recovers it).
    fn set_aside(&self, dir: &SealedDir, name: &str, reason: &str) {
        let moved = SealedDir::create(&self.unreadable, dir.key().clone()).and_then(|aside| dir.move_to(name, &aside));
        match moved {
            Ok(()) => tracing::warn!(file = name, reason, "outbox entry cannot be read; moved to drafts-unreadable"),
            Err(err) => tracing::warn!(file = name, reason, error = %err, "outbox entry cannot be read and could not be moved aside"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entry_ids_are_checked() {
        let id = new_entry_id();
        assert!(is_entry_id(&id));
        assert!(!is_entry_id("o-../../etc/passwd") && !is_entry_id(&id.to_uppercase()) && !is_entry_id("u-0"));
    }

    #[test]
    fn unreadable_files_are_set_aside_not_deleted() {
        let temp = tempfile::tempdir().unwrap();
        let store = EntryStore::open(temp.path(), Arc::new(SealingKey::generate())).unwrap();
        let other = SealedDir::create(temp.path().join(OUTBOX_DIR), Arc::new(SealingKey::generate())).unwrap();
        let id = new_entry_id();
        other.write_json(&id, &serde_json::json!({"x": 1})).unwrap();
        std::fs::write(temp.path().join(OUTBOX_DIR).join("junk.sealed"), b"junk").unwrap();
        assert!(store.all().unwrap().is_empty());
        assert!(temp.path().join(UNREADABLE_DIR).join(format!("{id}.sealed")).is_file());
        assert!(temp.path().join(UNREADABLE_DIR).join("junk.sealed").is_file());
        assert!(store.read("nope").unwrap().is_none());
    }
}

//! Persistence: one JSON document for records (customers, file metadata, idempotency records,
//! stats) and one file per uploaded document, all under the data folder, written atomically
//! and privately (0600 files, 0700 folders) with `kyb_core::files`, so a crash never leaves half
//! a file and other users of the machine cannot read the customers it holds.
//!
//! ```text
//! data_dir/state.json      customers, files (metadata), idempotency, stats
//! data_dir/files/<file_id> document bytes
//! ```

use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};
use kyb_core::files::{create_private_dir_all, write_private_atomic, PendingFile};
use kyb_core::model::{Customer, CustomerStatus, FileType};
use serde::{Deserialize, Serialize};

use crate::error::SandboxError;
use crate::stats::Stats;

const STATE_FILE: &str = "state.json";
const FILES_DIR: &str = "files";

/// A customer and, while it is `Processing`, when and how it settles.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StoredCustomer {
    pub customer: Customer,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub settles_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome: Option<CustomerStatus>,
}

/// What is known about an uploaded document (its bytes are in `files/<file_id>`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileMeta {
    pub file_id: String,
    pub file_name: String,
    pub file_type: FileType,
    pub size: u64,
    pub content_type: String,
    pub uploaded_at: DateTime<Utc>,
}

/// The answer given to the first request with an `Idempotency-Key`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StoredResponse {
    /// SHA-256 (hex) of method, path and body of that first request: a different request with
    /// the same key is refused. Older state files kept the text itself; `open` digests it.
    pub fingerprint: String,
    pub status: u16,
    pub body: String,
    /// When the answer was kept (absent in older state files: those go first).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kept_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct State {
    #[serde(default)]
    customers: BTreeMap<String, StoredCustomer>,
    #[serde(default)]
    files: BTreeMap<String, FileMeta>,
    #[serde(default)]
    idempotency: BTreeMap<String, StoredResponse>,
    #[serde(default)]
    stats: Stats,
}

/// The sandbox's data, in memory and on disk. Callers hold it behind one async mutex, so
/// every change and its write to disk happen as one step.
pub struct Store {
    dir: PathBuf,
    pub customers: BTreeMap<String, StoredCustomer>,
    pub files: BTreeMap<String, FileMeta>,
    pub idempotency: BTreeMap<String, StoredResponse>,
    /// Shared with the handle (read without the async lock); changed only under the store lock.
    pub stats: Arc<Mutex<Stats>>,
}

impl Store {
    /// Load `dir/state.json`, or start empty when there is none.
    pub async fn open(dir: &Path) -> Result<Self, SandboxError> {
        let storage = |source| SandboxError::Storage { path: dir.to_owned(), source };
        let folders = [dir.to_owned(), dir.join(FILES_DIR)];
        blocking(move || folders.iter().try_for_each(|folder| create_private_dir_all(folder))).await.map_err(storage)?;
        let path = dir.join(STATE_FILE);
        let state = match tokio::fs::read(&path).await {
            Ok(bytes) => serde_json::from_slice::<State>(&bytes)
                .map_err(|err| SandboxError::CorruptStore { path: path.clone(), detail: err.to_string() })?,
            Err(err) if err.kind() == io::ErrorKind::NotFound => State::default(),
            Err(err) => return Err(storage(err)),
        };
        let mut idempotency = state.idempotency;
        for stored in idempotency.values_mut() {
            crate::routes::idempotency::upgrade_fingerprint(stored);
        }
        Ok(Self {
            dir: dir.to_owned(),
            customers: state.customers,
            files: state.files,
            idempotency,
            stats: Arc::new(Mutex::new(state.stats)),
        })
    }

    pub fn is_empty(&self) -> bool {
        self.customers.is_empty() && self.files.is_empty()
    }

    pub fn find_by_partner_id(&self, partner_customer_id: &str) -> Option<&StoredCustomer> {
        self.customers.values().find(|c| c.customer.partner_customer_id.as_deref() == Some(partner_customer_id))
    }

    /// Change the stats (the caller saves afterwards).
    pub fn with_stats(&self, change: impl FnOnce(&mut Stats)) {
        let mut stats = self.stats.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        change(&mut stats);
    }

    pub fn stats_snapshot(&self) -> Stats {
        self.stats.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).clone()
    }

    /// Write the records to disk (atomically).
    pub async fn save(&self) -> io::Result<()> {
        #[derive(Serialize)]
        struct StateRef<'a> {
            customers: &'a BTreeMap<String, StoredCustomer>,
            files: &'a BTreeMap<String, FileMeta>,
            idempotency: &'a BTreeMap<String, StoredResponse>,
            stats: Stats,
        }
        let state = StateRef {
            customers: &self.customers,
            files: &self.files,
            idempotency: &self.idempotency,
            stats: self.stats_snapshot(),
        };
        let bytes = serde_json::to_vec_pretty(&state).map_err(io::Error::other)?;
        write_atomic(&self.dir.join(STATE_FILE), &bytes).await
    }

    /// Store a document's bytes and metadata (the caller saves afterwards).
    pub async fn add_file(&mut self, meta: FileMeta, bytes: &[u8]) -> io::Result<()> {
        if !is_safe_id(&meta.file_id) {
            return Err(io::Error::new(io::ErrorKind::InvalidInput, "file id with unsafe characters"));
        }
        write_atomic(&self.dir.join(FILES_DIR).join(&meta.file_id), bytes).await?;
        self.files.insert(meta.file_id.clone(), meta);
        Ok(())
    }

    /// Where a document being received is written (a private temporary file in the files
    /// folder), so a large upload is never held in memory; [`Self::add_received_file`] keeps it.
    pub fn receive_file(&self) -> io::Result<PendingFile> {
        PendingFile::create_for(&self.dir.join(FILES_DIR).join("incoming"))
    }

    /// Keep a document written by [`Self::receive_file`] as `meta.file_id` (the caller saves
    /// afterwards).
    pub async fn add_received_file(&mut self, meta: FileMeta, received: PendingFile) -> io::Result<()> {
        if !is_safe_id(&meta.file_id) {
            return Err(io::Error::new(io::ErrorKind::InvalidInput, "file id with unsafe characters"));
        }
        let path = self.dir.join(FILES_DIR).join(&meta.file_id);
        blocking(move || received.persist(&path)).await?;
        self.files.insert(meta.file_id.clone(), meta);
        Ok(())
    }

    /// The bytes of a stored document.
    pub async fn read_file(&self, file_id: &str) -> io::Result<Vec<u8>> {
        if !self.files.contains_key(file_id) || !is_safe_id(file_id) {
            return Err(io::Error::new(io::ErrorKind::NotFound, "no such file"));
        }
        tokio::fs::read(self.dir.join(FILES_DIR).join(file_id)).await
    }
}

fn is_safe_id(id: &str) -> bool {
    !id.is_empty() && id.len() <= 128 && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// Replace `path` with `bytes` privately and atomically (`kyb_core::files`), off the async
/// threads (the write waits for the disk).
pub async fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let (path, bytes) = (path.to_owned(), bytes.to_vec());
    blocking(move || write_private_atomic(&path, &bytes)).await
}

async fn blocking(work: impl FnOnce() -> io::Result<()> + Send + 'static) -> io::Result<()> {
    tokio::task::spawn_blocking(work).await.map_err(io::Error::other)?
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn saves_and_reloads() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(dir.path()).await.unwrap();
        assert!(store.is_empty());
        let meta = FileMeta {
            file_id: "file_1".into(),
            file_name: "a.pdf".into(),
            file_type: FileType::Invoice,
            size: 3,
            content_type: "application/pdf".into(),
            uploaded_at: Utc::now(),
        };
        store.add_file(meta.clone(), b"abc").await.unwrap();
        store.with_stats(|s| s.uploads += 1);
        store.save().await.unwrap();

        let reopened = Store::open(dir.path()).await.unwrap();
        assert_eq!(reopened.files.get("file_1"), Some(&meta));
        assert_eq!(reopened.read_file("file_1").await.unwrap(), b"abc");
        assert_eq!(reopened.stats_snapshot().uploads, 1);
        let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().flatten().filter(|e| e.file_name().to_string_lossy().ends_with(".tmp")).collect();
        assert!(leftovers.is_empty());
    }

    #[cfg(unix)]
    #[tokio::test]
    async fn every_file_and_folder_is_private() {
        use std::os::unix::fs::PermissionsExt;
        let temp = tempfile::tempdir().unwrap();
        let data = temp.path().join("sandbox");
        let mut store = Store::open(&data).await.unwrap();
        let meta = FileMeta {
            file_id: "file_1".into(),
            file_name: "a.pdf".into(),
            file_type: FileType::Invoice,
            size: 3,
            content_type: "application/pdf".into(),
            uploaded_at: Utc::now(),
        };
        store.add_file(meta, b"abc").await.unwrap();
        store.save().await.unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&data), 0o700);
        assert_eq!(mode(&data.join(FILES_DIR)), 0o700);
        assert_eq!(mode(&data.join(STATE_FILE)), 0o600);
        assert_eq!(mode(&data.join(FILES_DIR).join("file_1")), 0o600);
    }

    #[tokio::test]
    async fn corrupt_state_is_reported_not_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(STATE_FILE), b"{not json").unwrap();
        assert!(matches!(Store::open(dir.path()).await, Err(SandboxError::CorruptStore { .. })));
        assert_eq!(std::fs::read(dir.path().join(STATE_FILE)).unwrap(), b"{not json");
    }

    #[test]
    fn unsafe_ids_are_refused() {
        assert!(is_safe_id("file_abc-1"));
        assert!(!is_safe_id("../x") && !is_safe_id("") && !is_safe_id("a/b"));
    }
}

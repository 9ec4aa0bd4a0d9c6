//! Documents arriving in pieces: the page sends a file as chunks of at most
//! [`MAX_CHUNK_BYTES`], in order, so neither it nor the IPC bridge ever holds the whole file; the
//! chunks gather in an encrypted scratch file (`<data>/upload-staging/<id>.scratch`, 0600, each
//! chunk sealed under a random key of this upload held only in memory), until the upload is
//! finished (then the file is read back a chunk at a time for the request and the sealed copy)
//! or cancelled. The app holds no whole document while attaching one.
//!
//! A scratch file is removed when its upload is finished, cancelled or dropped as stale; one left
//! by a crash cannot be read (its key died with the process) and is removed at the next start
//! ([`StagedUploads::in_dir`]).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use kyb_core::model::FileType;
use kyb_core::sealed::scratch::{remove_leftovers, ScratchFile};
use serde::Serialize;
use ts_rs::TS;

use crate::error::AppError;

/// Largest chunk the page sends (256 KiB): every process on the way (the page, WebKit's network
/// process, the IPC bridge, this one) holds a chunk or two at once, so smaller chunks mean less
/// memory; measured with a 10 MiB document, 1 MiB chunks peaked at +25 MiB over the tree, 256 KiB
/// at +18 MiB, for 0.6 s instead of 0.4 s (docs/performance.md).
pub const MAX_CHUNK_BYTES: usize = 256 * 1024;
/// Uploads staged at the same time (a few slots being filled at once).
pub const MAX_STAGED_UPLOADS: usize = 4;
/// An upload untouched for this long is dropped when room is needed for a new one.
pub const STALE_AFTER: Duration = Duration::from_secs(10 * 60);

/// What a staged upload becomes when finished.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StagedFor {
    /// Sent to the active environment as this `fileType`.
    Upload { file_type: FileType },
    /// Kept as the local copy of `file_id`, referenced by draft `draft_id`.
    Copy { draft_id: String, file_id: String },
}

/// An upload begun: its id, and the largest chunk to send.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct StagedUpload {
    pub upload_id: String,
    #[ts(type = "number")]
    pub max_chunk_bytes: u64,
}

/// Folder of the scratch files, in the data folder.
pub const STAGING_DIR: &str = "upload-staging";

/// A finished upload's content, taken out of the staging (its scratch file is removed when this
/// is dropped).
pub(crate) struct Staged {
    pub file_name: String,
    pub target: StagedFor,
    pub content: ScratchFile,
}

struct InProgress {
    staged: Staged,
    size: usize,
    touched: Instant,
}

/// The uploads being received (one per `begin`), by id.
pub struct StagedUploads {
    uploads: Mutex<HashMap<String, InProgress>>,
    dir: PathBuf,
    started_nanos: u128,
    next_id: AtomicU64,
}

impl StagedUploads {
    /// Staging in `<data_dir>/upload-staging`, first removing what an earlier run left there
    /// (called once the data folder is this process's).
    pub fn in_dir(data_dir: &Path) -> Self {
        let dir = data_dir.join(STAGING_DIR);
        match remove_leftovers(&dir) {
            Ok(0) => {}
            Ok(removed) => tracing::info!(removed, "removed documents staged by an earlier run"),
            Err(err) => tracing::warn!(dir = %dir.display(), error = %err, "could not remove documents staged by an earlier run"),
        }
        let started_nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |since| since.as_nanos());
        Self { uploads: Mutex::new(HashMap::new()), dir, started_nanos, next_id: AtomicU64::new(1) }
    }

    /// The folder of the scratch files.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Stage an upload of `size` bytes (already checked against the document limit).
    pub(crate) fn begin(&self, file_name: String, target: StagedFor, size: usize) -> Result<StagedUpload, AppError> {
        let mut uploads = self.lock();
        if uploads.len() >= MAX_STAGED_UPLOADS {
            uploads.retain(|_, upload| upload.touched.elapsed() < STALE_AFTER);
        }
        if uploads.len() >= MAX_STAGED_UPLOADS {
            return Err(AppError::invalid_input(
                "upload_id",
                format!("{MAX_STAGED_UPLOADS} documents are being attached already; wait for one to finish"),
            ));
        }
        // Unique in this app state, and not one an earlier run handed out (its start time).
        let upload_id = format!("up-{:x}-{}", self.started_nanos, self.next_id.fetch_add(1, Ordering::Relaxed));
        let content = ScratchFile::create(&self.dir, &upload_id).map_err(|err| staging_failed(&self.dir, &err))?;
        let staged = Staged { file_name, target, content };
        uploads.insert(upload_id.clone(), InProgress { staged, size, touched: Instant::now() });
        Ok(StagedUpload { upload_id, max_chunk_bytes: MAX_CHUNK_BYTES as u64 })
    }

    /// Add `chunk` at `offset`, which must be where the bytes received so far end; answers how
    /// many bytes are received. A chunk out of order, too large, or beyond the announced size is
    /// refused and changes nothing.
    pub(crate) fn append(&self, upload_id: &str, offset: u64, chunk: &[u8]) -> Result<u64, AppError> {
        let mut uploads = self.lock();
        let upload = uploads.get_mut(upload_id).ok_or_else(|| unknown(upload_id))?;
        let received = upload.staged.content.len() as usize;
        if offset != received as u64 {
            return Err(AppError::invalid_input(
                "offset",
                format!("the next chunk of {} starts at byte {received}, not at {offset}", upload.staged.file_name),
            ));
        }
        if chunk.is_empty() || chunk.len() > MAX_CHUNK_BYTES {
            return Err(AppError::invalid_input(
                "bytes",
                format!("a chunk has 1 to {MAX_CHUNK_BYTES} bytes; this one has {}", chunk.len()),
            ));
        }
        if received + chunk.len() > upload.size {
            return Err(AppError::invalid_input(
                "bytes",
                format!(
                    "{} was announced as {} bytes; this chunk would make it {}",
                    upload.staged.file_name,
                    upload.size,
                    received + chunk.len()
                ),
            ));
        }
        // A chunk that could not be written leaves the file unusable: the upload is dropped.
        if let Err(err) = upload.staged.content.append(chunk) {
            uploads.remove(upload_id);
            return Err(staging_failed(&self.dir, &err));
        }
        upload.touched = Instant::now();
        Ok(upload.staged.content.len())
    }

    /// Take a completely received upload out of the staging (whatever happens to it next, it is
    /// no longer staged: a failed finish is begun again).
    pub(crate) fn take_complete(&self, upload_id: &str) -> Result<Staged, AppError> {
        let mut uploads = self.lock();
        let upload = uploads.get(upload_id).ok_or_else(|| unknown(upload_id))?;
        let received = upload.staged.content.len() as usize;
        if received != upload.size {
            return Err(AppError::invalid_input(
                "bytes",
                format!("{} is {} bytes; {received} have arrived", upload.staged.file_name, upload.size),
            ));
        }
        uploads.remove(upload_id).map(|upload| upload.staged).ok_or_else(|| unknown(upload_id))
    }

    /// Put back what [`Self::take_complete`] took when it was for the other finish.
    pub(crate) fn restore(&self, upload_id: String, staged: Staged) {
        let size = staged.content.len() as usize;
        self.lock().insert(upload_id, InProgress { staged, size, touched: Instant::now() });
    }

    /// Drop an upload; an unknown id is not an error (cancelled twice, or already finished).
    pub(crate) fn cancel(&self, upload_id: &str) -> bool {
        self.lock().remove(upload_id).is_some()
    }

    /// How many uploads are staged.
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    /// Whether none is staged.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, InProgress>> {
        // A panic while holding the lock cannot leave a map half-changed: every change is one call.
        self.uploads.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

fn staging_failed(dir: &Path, err: &std::io::Error) -> AppError {
    AppError::Internal(format!("could not stage the document in {}: {err}; attach it again", dir.display()))
}

fn unknown(upload_id: &str) -> AppError {
    AppError::invalid_input(
        "upload_id",
        format!("no upload {upload_id:?} is in progress (it was finished or cancelled, or KYB Desk restarted); attach the file again"),
    )
}

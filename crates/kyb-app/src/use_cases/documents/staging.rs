//! Documents arriving in pieces: the page sends a file as chunks of at most
//! [`MAX_CHUNK_BYTES`], in order, so neither it nor the IPC bridge ever holds the whole file; the
//! bytes gather here, in one buffer of exactly the announced size, until the upload is finished
//! (then the same buffer is sent and sealed, never copied) or cancelled.
//!
//! Staged bytes live in memory only: a document is at most 10 MiB, at most
//! [`MAX_STAGED_UPLOADS`] are staged at once, and nothing of an unfinished upload reaches the disk
//! (so there is nothing to clean up after a crash or a restart: a new app state starts empty).

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use kyb_core::model::FileType;
use serde::Serialize;
use ts_rs::TS;

use crate::error::AppError;

/// Largest chunk the page sends (1 MiB): small enough that the page and the IPC bridge hold
/// little at once, large enough that a 10 MiB document takes ten calls.
pub const MAX_CHUNK_BYTES: usize = 1024 * 1024;
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

/// A finished upload's content, taken out of the staging.
pub(crate) struct Staged {
    pub file_name: String,
    pub target: StagedFor,
    pub bytes: Vec<u8>,
}

struct InProgress {
    staged: Staged,
    size: usize,
    touched: Instant,
}

/// The uploads being received (one per `begin`), by id.
pub struct StagedUploads {
    uploads: Mutex<HashMap<String, InProgress>>,
    started_nanos: u128,
    next_id: AtomicU64,
}

impl Default for StagedUploads {
    fn default() -> Self {
        let started_nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |since| since.as_nanos());
        Self { uploads: Mutex::new(HashMap::new()), started_nanos, next_id: AtomicU64::new(1) }
    }
}

impl StagedUploads {
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
        let staged = Staged { file_name, target, bytes: Vec::with_capacity(size) };
        uploads.insert(upload_id.clone(), InProgress { staged, size, touched: Instant::now() });
        Ok(StagedUpload { upload_id, max_chunk_bytes: MAX_CHUNK_BYTES as u64 })
    }

    /// Add `chunk` at `offset`, which must be where the bytes received so far end; answers how
    /// many bytes are received. A chunk out of order, too large, or beyond the announced size is
    /// refused and changes nothing.
    pub(crate) fn append(&self, upload_id: &str, offset: u64, chunk: &[u8]) -> Result<u64, AppError> {
        let mut uploads = self.lock();
        let upload = uploads.get_mut(upload_id).ok_or_else(|| unknown(upload_id))?;
        let received = upload.staged.bytes.len();
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
        upload.staged.bytes.extend_from_slice(chunk);
        upload.touched = Instant::now();
        Ok(upload.staged.bytes.len() as u64)
    }

    /// Take a completely received upload out of the staging (whatever happens to it next, it is
    /// no longer staged: a failed finish is begun again).
    pub(crate) fn take_complete(&self, upload_id: &str) -> Result<Staged, AppError> {
        let mut uploads = self.lock();
        let upload = uploads.get(upload_id).ok_or_else(|| unknown(upload_id))?;
        let received = upload.staged.bytes.len();
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
        let size = staged.bytes.len();
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

fn unknown(upload_id: &str) -> AppError {
    AppError::invalid_input(
        "upload_id",
        format!("no upload {upload_id:?} is in progress (it was finished or cancelled, or KYB Desk restarted); attach the file again"),
    )
}

//! [`DraftStore`]: drafts on disk, one sealed file per draft, with a trash (undo) and a folder
//! for drafts that cannot be opened any more (set aside, never deleted).
//!
//! ```text
//! <root>/drafts/<id>.sealed               live drafts
//! <root>/drafts-trash/<id>.sealed         deleted (restorable); purged by file age
//! <root>/drafts-unreadable/<id>.sealed[.N] sealed with a lost key, damaged, or not a draft
//! ```
//!
//! Every write is a [`SealedDir::write_json`]: sealed, written to a temporary file, flushed,
//! renamed over the old file and the folder flushed, so a crash at any moment leaves the previous
//! or the new version of a draft on disk, never a mix (`tests/tests/drafts_crash.rs` kills a
//! writer 200 times to show it). There is no index on disk: the first [`DraftStore::list`] opens
//! every file, on several threads; the store then remembers each summary in memory with the
//! file's identity (inode, size, modification time), so later lists open only what changed.

use std::collections::HashMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration as StdDuration, SystemTime};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;

use super::model::{create_draft_id, is_draft_id, update_draft_id, Draft, DraftBase, DraftTarget};
use crate::files::{is_temporary, sync_dir};
use crate::clock::{self, SharedClock};
use crate::error::ErrorKind;
use crate::review::{approval_state, pending_changes, record_edit, Approval, ApprovalState, Review};
use crate::sealed::{self, create_private_dir, OpenError, SealError, SealedDir, SealingKey, SEALED_EXTENSION};
use crate::validation::{validate_update_value, Issue, ValidationContext};

/// Folder names under the store's root.
pub const DRAFTS_DIR: &str = "drafts";
pub const TRASH_DIR: &str = "drafts-trash";
pub const UNREADABLE_DIR: &str = "drafts-unreadable";

/// Temporary files of interrupted writes older than this are removed when the store opens
/// (younger ones may belong to a write still under way in another process).
const STALE_TEMPORARY: StdDuration = StdDuration::from_secs(10 * 60);

/// Below this many drafts, [`DraftStore::list`] reads on the calling thread only.
const PARALLEL_FROM: usize = 64;

/// What the page sends on every autosave.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DraftSave {
    /// The draft's id when it has one; `None` for the first save (the store makes it:
    /// [`update_draft_id`] for updates, [`create_draft_id`] for new customers).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub id: Option<String>,
    pub environment: String,
    pub target: DraftTarget,
    /// The server record the edit started from, for a new draft; a stored draft keeps the base
    /// it has (the lost-update check compares with what the edit started from).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub base: Option<DraftBase>,
    /// Exactly what was typed (`UpdateCustomerRequest` JSON, possibly invalid).
    #[ts(type = "import('./UpdateCustomerRequest').UpdateCustomerRequest")]
    pub record: Value,
    /// The active profile, set by the app (never by the page): recorded as a preparer when the
    /// record changes ([`crate::review::record_edit`]).
    #[serde(skip)]
    #[ts(skip)]
    pub editor: Option<String>,
}

/// What [`DraftStore::save`] wrote, and the approval the edit voided (any change to what was
/// approved removes the approval; the app records that in the audit trail).
#[derive(Debug, Clone, PartialEq)]
pub struct DraftSaved {
    pub draft: Draft,
    pub voided_approval: Option<Approval>,
}

/// One line of the drafts library.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DraftSummary {
    pub id: String,
    pub environment: String,
    pub target: DraftTarget,
    /// `record.business_details.business_name_english` when it is a non-blank string.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub business_name_english: Option<String>,
    pub updated_at: DateTime<Utc>,
    /// Validation issues at the last save (0 = ready to send).
    pub issue_count: u32,
    #[ts(type = "number")]
    pub revision: u64,
    /// How many fields the draft changes from its base (every field typed, for a new customer):
    /// what is not sent yet. 0 after a send, when the draft was rebased on what the partner holds.
    pub pending_changes: u32,
    /// Who prepared the change (the profiles that changed the record).
    pub preparers: Vec<String>,
    /// The four-eyes approval against the draft's diff as it is now.
    pub approval: ApprovalState,
}

/// Why a draft file cannot be opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum UnreadableCause {
    /// Sealed with a key that is no longer in the keychain (lost, replaced, another machine).
    WrongKey,
    /// Truncated, altered, or not a sealed file at all.
    Damaged,
    /// Opens, but does not hold a draft (or holds another draft than its name says).
    NotADraft,
    /// Opens again with the current key (the keychain entry came back), but a draft with the
    /// same id has been saved since, so it stays set aside.
    Superseded,
    /// The file system refused to read it (permissions, I/O error); left where it is.
    Io,
}

impl UnreadableCause {
    /// A sentence for people.
    pub fn describe(self) -> &'static str {
        match self {
            UnreadableCause::WrongKey => "sealed with a key that is no longer in the keychain",
            UnreadableCause::Damaged => "the file is damaged or was altered",
            UnreadableCause::NotADraft => "the file opens but does not hold a draft",
            UnreadableCause::Superseded => {
                "readable again, but a newer draft for the same customer has been saved since; it is kept aside"
            }
            UnreadableCause::Io => "the file cannot be read from disk",
        }
    }
}

/// A draft file that cannot be opened, kept in `drafts-unreadable/` (or, for [`UnreadableCause::Io`],
/// where it is).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct UnreadableDraft {
    /// The file name in `drafts-unreadable/` (`<id>.sealed`, `<id>.sealed.2` when set aside twice).
    pub file: String,
    /// The draft id its name carries, when it has the shape of one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub id: Option<String>,
    pub cause: UnreadableCause,
    /// [`UnreadableCause::describe`], with detail where there is some.
    pub reason: String,
}

/// The drafts library: every draft, newest first, and the files that cannot be opened.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DraftLibrary {
    pub drafts: Vec<DraftSummary>,
    pub unreadable: Vec<UnreadableDraft>,
}

/// Why a drafts operation failed. Messages name the draft and what failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DraftError {
    #[error("{id:?} is not a draft id (expected u-… or c-… followed by 32 hex digits)")]
    InvalidId { id: String },
    #[error("draft id {id} does not belong to this draft: {detail}")]
    IdMismatch { id: String, detail: String },
    #[error("there is no draft {id} (it may have been deleted)")]
    NotFound { id: String },
    #[error("draft {id} is not in the trash: it was restored already, or purged")]
    NotInTrash { id: String },
    #[error("draft {id} cannot be restored: a draft for the same customer has been saved since it was deleted; open that one (the deleted draft stays in the trash)")]
    AlreadyExists { id: String },
    #[error("draft {id} cannot be read: {reason}")]
    Unreadable { id: String, cause: UnreadableCause, reason: String },
    #[error("the OS keychain is not available ({reason}); drafts are never stored unencrypted, so drafts cannot be kept")]
    KeychainUnavailable { reason: String },
    #[error("cannot read or write {}: {detail}", .path.display())]
    Storage { path: PathBuf, detail: String },
}

impl DraftError {
    /// The kind of failure: a malformed or misplaced id is `invalid_input`, a disk that refuses
    /// is `internal`.
    pub fn kind(&self) -> ErrorKind {
        match self {
            DraftError::InvalidId { .. } | DraftError::IdMismatch { .. } => ErrorKind::InvalidInput,
            DraftError::NotFound { .. } | DraftError::NotInTrash { .. } => ErrorKind::DraftNotFound,
            DraftError::AlreadyExists { .. } => ErrorKind::DraftExists,
            DraftError::Unreadable { .. } => ErrorKind::DraftUnreadable,
            DraftError::KeychainUnavailable { .. } => ErrorKind::KeychainUnavailable,
            DraftError::Storage { .. } => ErrorKind::Internal,
        }
    }

    /// Map a [`SealError`] met while handling draft `id`.
    pub fn from_seal(err: SealError, id: &str) -> Self {
        match err {
            SealError::KeychainUnavailable { reason } => DraftError::KeychainUnavailable { reason },
            SealError::KeyDamaged => DraftError::KeychainUnavailable {
                reason: "the drafts key stored in it is damaged".to_owned(),
            },
            SealError::WrongKey { .. } => unreadable(id, UnreadableCause::WrongKey, None),
            SealError::Corrupt { .. } => unreadable(id, UnreadableCause::Damaged, None),
            SealError::Format { detail, .. } => unreadable(id, UnreadableCause::NotADraft, Some(&detail)),
            SealError::NotFound { .. } => DraftError::NotFound { id: id.to_owned() },
            SealError::Io { path, source } => DraftError::Storage { path, detail: source.to_string() },
        }
    }
}

/// Loading the key: `KeychainKeyStore::load_or_create()?` in a function returning `DraftError`.
impl From<SealError> for DraftError {
    fn from(err: SealError) -> Self {
        match err {
            SealError::WrongKey { ref path }
            | SealError::Corrupt { ref path }
            | SealError::Format { ref path, .. }
            | SealError::NotFound { ref path } => {
                let id = file_stem(path).unwrap_or_default();
                DraftError::from_seal(err, &id)
            }
            other => DraftError::from_seal(other, ""),
        }
    }
}

fn unreadable(id: &str, cause: UnreadableCause, detail: Option<&str>) -> DraftError {
    DraftError::Unreadable { id: id.to_owned(), cause, reason: reason_text(cause, detail) }
}

fn reason_text(cause: UnreadableCause, detail: Option<&str>) -> String {
    match detail {
        Some(detail) if !detail.is_empty() => format!("{} ({detail})", cause.describe()),
        _ => cause.describe().to_owned(),
    }
}

fn storage(path: &Path, err: io::Error) -> DraftError {
    DraftError::Storage { path: path.to_owned(), detail: err.to_string() }
}

/// Every validation problem of a draft's record, with the rules the send would apply: the
/// update rules, plus `partner_customer_id` first for a new customer (as `validate_create`).
pub fn validate_draft(target: &DraftTarget, record: &Value, ctx: &ValidationContext) -> Vec<Issue> {
    let mut issues = Vec::new();
    if let DraftTarget::Create { partner_customer_id } = target {
        issues.extend(super::partner_customer_id_issues(partner_customer_id, ctx));
    }
    issues.extend(validate_update_value(record, ctx));
    issues
}

/// Drafts on disk. Cheap to clone; clones share one lock, so saves from several threads of one
/// process never interleave (revisions stay strictly increasing).
#[derive(Debug, Clone)]
pub struct DraftStore {
    live: SealedDir,
    trash: SealedDir,
    unreadable_dir: PathBuf,
    lock: Arc<Mutex<()>>,
    /// Summaries of the files [`DraftStore::list`] last read (in memory only).
    summaries: Arc<Mutex<SummaryCache>>,
    /// Stamps saves and deletes, and ages the trash.
    clock: SharedClock,
}

/// What [`DraftStore::list`] remembers between calls.
#[derive(Debug, Default)]
struct SummaryCache {
    /// Increased by every write of this store; a list that saw it change keeps nothing.
    generation: u64,
    /// By file name: the file's stamp when read, and its summary.
    entries: HashMap<String, (FileStamp, DraftSummary)>,
}

impl DraftStore {
    /// Use (and create, mode 0700) `root/drafts`, `root/drafts-trash` and `root/drafts-unreadable`.
    /// Temporary files left by interrupted writes more than 10 minutes ago are removed.
    pub fn open(root: &Path, key: Arc<SealingKey>) -> Result<Self, DraftError> {
        Self::open_with_clock(root, key, clock::system())
    }

    /// [`DraftStore::open`] with the time taken from `clock`.
    pub fn open_with_clock(root: &Path, key: Arc<SealingKey>, clock: SharedClock) -> Result<Self, DraftError> {
        let live = SealedDir::create(root.join(DRAFTS_DIR), key.clone())?;
        let trash = SealedDir::create(root.join(TRASH_DIR), key)?;
        let unreadable_dir = root.join(UNREADABLE_DIR);
        create_private_dir(&unreadable_dir)?;
        remove_stale_temporaries(live.dir());
        remove_stale_temporaries(trash.dir());
        Ok(Self { live, trash, unreadable_dir, lock: Arc::default(), summaries: Arc::default(), clock })
    }

    /// `root/drafts`.
    pub fn drafts_dir(&self) -> &Path {
        self.live.dir()
    }

    /// `root/drafts-trash`.
    pub fn trash_dir(&self) -> &Path {
        self.trash.dir()
    }

    /// `root/drafts-unreadable`.
    pub fn unreadable_dir(&self) -> &Path {
        &self.unreadable_dir
    }

    fn cache(&self) -> MutexGuard<'_, SummaryCache> {
        self.summaries.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// After any change to `drafts/<name>.sealed` by this store: forget its summary.
    fn changed(&self, name: &str) {
        let mut cache = self.cache();
        cache.generation = cache.generation.wrapping_add(1);
        cache.entries.remove(name);
    }

    fn guard(&self) -> MutexGuard<'_, ()> {
        // The lock guards no data, so a panic elsewhere while holding it leaves nothing broken.
        self.lock.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Autosave: create or update. `revision` = previous + 1 (1 when new), `updated_at` = now,
    /// `created_at` and a stored `base` kept (the save's base is used when there is none),
    /// `issue_count` recomputed with the validation module ([`validate_draft`]), the editor
    /// recorded and an approval the change voids removed (and returned). A previous file that
    /// cannot be opened is set aside in `drafts-unreadable/` first (never overwritten). Crash-safe.
    pub fn save(&self, input: DraftSave) -> Result<DraftSaved, DraftError> {
        let id = save_id(&input)?;
        let now = self.clock.now();
        let issues = validate_draft(&input.target, &input.record, &ValidationContext::on(now.date_naive()));
        let issue_count = u32::try_from(issues.len()).unwrap_or(u32::MAX);
        let _guard = self.guard();
        let previous = match self.live.read_json::<Draft>(&id) {
            Ok(draft) if draft.id == id => Some(draft),
            Ok(_) => {
                self.set_aside(&id)?;
                None
            }
            Err(SealError::NotFound { .. }) => None,
            Err(SealError::WrongKey { .. } | SealError::Corrupt { .. } | SealError::Format { .. }) => {
                self.set_aside(&id)?;
                None
            }
            Err(other) => return Err(DraftError::from_seal(other, &id)),
        };
        let (revision, created_at, previous_base, review, previous_record) = match previous {
            Some(previous) => (
                previous.revision.saturating_add(1),
                previous.created_at,
                previous.base,
                previous.review,
                Some(previous.record),
            ),
            None => (1, now, None, Review::default(), None),
        };
        let mut draft = Draft {
            id,
            environment: input.environment,
            target: input.target,
            base: previous_base.or(input.base),
            record: input.record,
            revision,
            created_at,
            updated_at: now,
            issue_count,
            review,
        };
        // Records the editor as a preparer and drops an approval the new diff voids.
        let voided_approval = record_edit(&mut draft, previous_record.as_ref(), input.editor.as_deref());
        let written = self.live.write_json(&draft.id, &draft);
        self.changed(&draft.id);
        written.map_err(|err| DraftError::from_seal(err, &draft.id))?;
        Ok(DraftSaved { draft, voided_approval })
    }

    /// Write `draft` exactly as given (after a send rebased it, or an import). Its id must fit its
    /// target.
    pub fn put(&self, draft: &Draft) -> Result<(), DraftError> {
        check_id_fits(&draft.id, &draft.environment, &draft.target)?;
        let _guard = self.guard();
        let written = self.live.write_json(&draft.id, draft);
        self.changed(&draft.id);
        written.map_err(|err| DraftError::from_seal(err, &draft.id))
    }

    /// The draft `id`.
    pub fn load(&self, id: &str) -> Result<Draft, DraftError> {
        check_id(id)?;
        read_draft(&self.live, id)
    }

    /// The update draft of `customer_id` in `environment`, if there is one. A draft file that
    /// cannot be opened is an error ([`DraftError::Unreadable`]); the caller decides.
    pub fn find_update(&self, environment: &str, customer_id: &str) -> Result<Option<Draft>, DraftError> {
        match self.load(&update_draft_id(environment, customer_id)) {
            Ok(draft) => Ok(Some(draft)),
            Err(DraftError::NotFound { .. }) => Ok(None),
            Err(other) => Err(other),
        }
    }

    /// Every draft, newest first, and every file that cannot be opened. Files in `drafts/` that
    /// cannot be opened are moved to `drafts-unreadable/` (never deleted). Files in
    /// `drafts-unreadable/` that open again with the current key (the keychain entry was restored)
    /// are moved back, unless a draft with the same id has been saved since.
    pub fn list(&self) -> Result<DraftLibrary, DraftError> {
        let names = self.live.names().map_err(|err| DraftError::from_seal(err, ""))?;
        // Taken out while reading (a concurrent list reads everything, which is only slower).
        let (generation, known) = {
            let mut cache = self.cache();
            (cache.generation, std::mem::take(&mut cache.entries))
        };
        let heads = read_heads(&self.live, &names, &known);
        drop(known);
        let mut remembered = HashMap::with_capacity(heads.len());
        let mut drafts = Vec::with_capacity(heads.len());
        let mut unreadable = Vec::new();
        let mut failed = Vec::new();
        for (name, (stamp, head)) in names.into_iter().zip(heads) {
            match head {
                Ok(Head::Known(summary)) => {
                    if let Some(stamp) = stamp {
                        remembered.insert(name, (stamp, summary.clone()));
                    }
                    drafts.push(summary);
                }
                Ok(Head::Read(draft)) if draft.id == name && is_draft_id(&name) => {
                    let summary = summary_of(&draft);
                    if let Some(stamp) = stamp {
                        remembered.insert(name, (stamp, summary.clone()));
                    }
                    drafts.push(summary);
                }
                Ok(_) => failed.push(name),
                // Deleted between the folder listing and the read.
                Err(SealError::NotFound { .. }) => {}
                Err(SealError::Io { path, source }) => unreadable.push(UnreadableDraft {
                    file: path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
                    id: Some(name).filter(|n| is_draft_id(n)),
                    cause: UnreadableCause::Io,
                    reason: reason_text(UnreadableCause::Io, Some(&format!("{}: {source}", path.display()))),
                }),
                Err(_) => failed.push(name),
            }
        }
        if !failed.is_empty() {
            let _guard = self.guard();
            for name in failed {
                // Checked again under the lock: a save may have replaced the file meanwhile.
                match read_draft(&self.live, &name) {
                    Ok(draft) if is_draft_id(&name) => drafts.push(summary_of(&draft)),
                    Err(DraftError::NotFound { .. }) => {}
                    _ => {
                        self.set_aside(&name)?;
                    }
                }
            }
        }
        {
            let _guard = self.guard();
            self.scan_unreadable(&mut drafts, &mut unreadable)?;
        }
        {
            // A write during this list may have replaced a file after its stamp was taken.
            let mut cache = self.cache();
            if cache.generation == generation {
                cache.entries = remembered;
            }
        }
        drafts.sort_by(|a, b| b.updated_at.cmp(&a.updated_at).then_with(|| a.id.cmp(&b.id)));
        unreadable.sort_by(|a, b| a.file.cmp(&b.file));
        Ok(DraftLibrary { drafts, unreadable })
    }

    /// Move draft `id` to the trash (restorable with [`DraftStore::restore`] until purged). A
    /// trashed draft with the same id is replaced.
    pub fn delete(&self, id: &str) -> Result<(), DraftError> {
        check_id(id)?;
        let _guard = self.guard();
        if !self.live.contains(id) {
            return Err(DraftError::NotFound { id: id.to_owned() });
        }
        let moved = self.live.move_to(id, &self.trash);
        self.changed(id);
        moved.map_err(|err| DraftError::from_seal(err, id))?;
        // The trash is purged by file age: the age counts from the delete, not the last save.
        let path = self.trash.path(id);
        let deleted_at = SystemTime::from(self.clock.now());
        let touched = fs::OpenOptions::new().write(true).open(&path).and_then(|file| file.set_modified(deleted_at));
        touched.map_err(|err| storage(&path, err))
    }

    /// Undo a delete: move draft `id` back from the trash. Refused when a draft with that id has
    /// been saved since ([`DraftError::AlreadyExists`]).
    pub fn restore(&self, id: &str) -> Result<Draft, DraftError> {
        check_id(id)?;
        let _guard = self.guard();
        if !self.trash.contains(id) {
            return Err(DraftError::NotInTrash { id: id.to_owned() });
        }
        if self.live.contains(id) {
            return Err(DraftError::AlreadyExists { id: id.to_owned() });
        }
        let draft = read_draft(&self.trash, id)?;
        let moved = self.trash.move_to(id, &self.live);
        self.changed(id);
        moved.map_err(|err| DraftError::from_seal(err, id))?;
        Ok(draft)
    }

    /// Remove trashed drafts deleted more than `older_than` ago (by file time); how many.
    pub fn purge_trash(&self, older_than: chrono::Duration) -> Result<usize, DraftError> {
        let limit = older_than.to_std().unwrap_or(StdDuration::ZERO);
        let now = SystemTime::from(self.clock.now());
        let _guard = self.guard();
        let names = self.trash.names().map_err(|err| DraftError::from_seal(err, ""))?;
        let mut purged = 0;
        for name in names {
            let path = self.trash.path(&name);
            let modified = match fs::metadata(&path).and_then(|meta| meta.modified()) {
                Ok(modified) => modified,
                Err(err) if err.kind() == io::ErrorKind::NotFound => continue,
                Err(err) => return Err(storage(&path, err)),
            };
            let age = now.duration_since(modified).unwrap_or(StdDuration::ZERO);
            if age > limit {
                self.trash.remove(&name).map_err(|err| DraftError::from_seal(err, &name))?;
                purged += 1;
            }
        }
        Ok(purged)
    }

    /// Ids of the drafts in the trash (sorted).
    pub fn trashed(&self) -> Result<Vec<String>, DraftError> {
        let names = self.trash.names().map_err(|err| DraftError::from_seal(err, ""))?;
        Ok(names.into_iter().filter(|name| is_draft_id(name)).collect())
    }

    /// Set aside draft `id`'s file in `drafts-unreadable/`; the new file name there.
    pub(crate) fn set_aside_unreadable(&self, id: &str) -> Result<String, DraftError> {
        check_id(id)?;
        let _guard = self.guard();
        self.set_aside(id)
    }

    /// Move `drafts/<name>.sealed` to `drafts-unreadable/` under a name not yet taken there; the
    /// new file name. Call with the lock held.
    fn set_aside(&self, name: &str) -> Result<String, DraftError> {
        let from = self.live.path(name);
        let base = format!("{name}.{SEALED_EXTENSION}");
        let mut file = base.clone();
        let mut n = 1u32;
        while self.unreadable_dir.join(&file).exists() {
            n += 1;
            file = format!("{base}.{n}");
        }
        let to = self.unreadable_dir.join(&file);
        self.changed(name);
        match fs::rename(&from, &to) {
            Ok(()) => {}
            Err(err) if err.kind() == io::ErrorKind::NotFound => return Ok(file),
            Err(err) => return Err(storage(&from, err)),
        }
        sync_dir(&self.unreadable_dir);
        sync_dir(self.live.dir());
        tracing::warn!(draft = name, file = %file, "a draft file that cannot be opened was set aside in drafts-unreadable/");
        Ok(file)
    }

    /// Report what `drafts-unreadable/` holds; recover files that open again. Call with the lock held.
    fn scan_unreadable(&self, drafts: &mut Vec<DraftSummary>, out: &mut Vec<UnreadableDraft>) -> Result<(), DraftError> {
        let entries = match fs::read_dir(&self.unreadable_dir) {
            Ok(entries) => entries,
            Err(err) if err.kind() == io::ErrorKind::NotFound => return Ok(()),
            Err(err) => return Err(storage(&self.unreadable_dir, err)),
        };
        for entry in entries {
            let entry = entry.map_err(|err| storage(&self.unreadable_dir, err))?;
            let Ok(file) = entry.file_name().into_string() else { continue };
            if is_temporary(&file) || !entry.file_type().is_ok_and(|t| t.is_file()) {
                continue;
            }
            let path = entry.path();
            let stem = sealed_stem(&file);
            let id = stem.filter(|s| is_draft_id(s)).map(str::to_owned);
            let (cause, detail) = match fs::read(&path) {
                Err(err) => (UnreadableCause::Io, Some(err.to_string())),
                Ok(bytes) => match sealed::open(self.live.key(), stem.unwrap_or(&file).as_bytes(), &bytes) {
                    Err(OpenError::WrongKey) => (UnreadableCause::WrongKey, None),
                    Err(OpenError::Corrupt) => (UnreadableCause::Damaged, None),
                    Ok(json) => match (serde_json::from_slice::<Draft>(&json), &id) {
                        (Ok(draft), Some(id)) if &draft.id == id => {
                            if self.live.contains(id) {
                                (UnreadableCause::Superseded, None)
                            } else {
                                let to = self.live.path(id);
                                self.changed(id);
                                fs::rename(&path, &to).map_err(|err| storage(&path, err))?;
                                sync_dir(self.live.dir());
                                sync_dir(&self.unreadable_dir);
                                tracing::info!(draft = %id, "a set-aside draft opens again with the current key; moved back");
                                drafts.push(summary_of(&draft));
                                continue;
                            }
                        }
                        (Ok(_), _) => (UnreadableCause::NotADraft, Some("its name does not match the draft inside".to_owned())),
                        (Err(err), _) => (UnreadableCause::NotADraft, Some(err.to_string())),
                    },
                },
            };
            out.push(UnreadableDraft { file, id, cause, reason: reason_text(cause, detail.as_deref()) });
        }
        Ok(())
    }
}

/// The id a save writes to: the given one (checked against the target) or a new one.
fn save_id(input: &DraftSave) -> Result<String, DraftError> {
    match &input.id {
        Some(id) => {
            check_id_fits(id, &input.environment, &input.target)?;
            Ok(id.clone())
        }
        None => Ok(match &input.target {
            DraftTarget::Update { customer_id } => update_draft_id(&input.environment, customer_id),
            DraftTarget::Create { .. } => create_draft_id(),
        }),
    }
}

fn check_id(id: &str) -> Result<(), DraftError> {
    if is_draft_id(id) {
        Ok(())
    } else {
        Err(DraftError::InvalidId { id: id.to_owned() })
    }
}

/// An update draft's id is [`update_draft_id`] of its environment and customer; a new
/// customer's draft id starts with `c-`.
fn check_id_fits(id: &str, environment: &str, target: &DraftTarget) -> Result<(), DraftError> {
    check_id(id)?;
    match target {
        DraftTarget::Update { customer_id } => {
            if id != update_draft_id(environment, customer_id) {
                return Err(DraftError::IdMismatch {
                    id: id.to_owned(),
                    detail: format!("it is not the draft of customer {customer_id:?} in environment {environment:?}"),
                });
            }
        }
        DraftTarget::Create { .. } => {
            if !id.starts_with("c-") {
                return Err(DraftError::IdMismatch {
                    id: id.to_owned(),
                    detail: "a new customer's draft id starts with c-".to_owned(),
                });
            }
        }
    }
    Ok(())
}

fn read_draft(dir: &SealedDir, id: &str) -> Result<Draft, DraftError> {
    let draft: Draft = dir.read_json(id).map_err(|err| DraftError::from_seal(err, id))?;
    if draft.id != id {
        return Err(unreadable(id, UnreadableCause::NotADraft, Some("its name does not match the draft inside")));
    }
    Ok(draft)
}

fn summary_of(draft: &Draft) -> DraftSummary {
    DraftSummary {
        id: draft.id.clone(),
        environment: draft.environment.clone(),
        target: draft.target.clone(),
        business_name_english: draft
            .record
            .get("business_details")
            .and_then(|details| details.get("business_name_english"))
            .and_then(Value::as_str)
            .and_then(non_blank),
        updated_at: draft.updated_at,
        issue_count: draft.issue_count,
        revision: draft.revision,
        pending_changes: u32::try_from(pending_changes(draft).len()).unwrap_or(u32::MAX),
        preparers: draft.review.editors.clone(),
        approval: approval_state(draft),
    }
}

fn non_blank(text: &str) -> Option<String> {
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_owned())
}

/// `<stem>` of `<stem>.sealed` or `<stem>.sealed.<n>`.
fn sealed_stem(file: &str) -> Option<&str> {
    let suffix = format!(".{SEALED_EXTENSION}");
    if let Some(stem) = file.strip_suffix(&suffix) {
        return Some(stem);
    }
    let (rest, n) = file.rsplit_once('.')?;
    if n.is_empty() || !n.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    rest.strip_suffix(&suffix)
}

fn file_stem(path: &Path) -> Option<String> {
    path.file_name().and_then(|n| n.to_str()).and_then(sealed_stem).map(str::to_owned)
}

fn remove_stale_temporaries(dir: &Path) {
    let Ok(entries) = fs::read_dir(dir) else { return };
    let now = SystemTime::now();
    for entry in entries.flatten() {
        let is_temp = entry.file_name().to_str().is_some_and(is_temporary);
        let old = entry
            .metadata()
            .and_then(|meta| meta.modified())
            .is_ok_and(|modified| now.duration_since(modified).unwrap_or_default() > STALE_TEMPORARY);
        if is_temp && old {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// Which version of a file was read. Every write renames a new file into place (a new inode,
/// times and usually size); writes by this store also tell the cache directly
/// ([`DraftStore::changed`]), so the stamp only has to catch other processes' writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct FileStamp {
    inode: u64,
    len: u64,
    modified: Option<SystemTime>,
    changed: i64,
}

impl FileStamp {
    fn of(path: &Path) -> Option<Self> {
        let meta = fs::metadata(path).ok()?;
        #[cfg(unix)]
        let (inode, changed) = {
            use std::os::unix::fs::MetadataExt;
            (meta.ino(), meta.ctime().saturating_mul(1_000_000_000).saturating_add(meta.ctime_nsec()))
        };
        #[cfg(not(unix))]
        let (inode, changed) = (0, 0);
        Some(Self { inode, len: meta.len(), modified: meta.modified().ok(), changed })
    }
}

enum Head {
    /// Unchanged since the last list: the remembered summary.
    Known(DraftSummary),
    Read(Box<Draft>),
}

/// The head of every named draft (its file's stamp taken before the read, so a file replaced
/// meanwhile is read again next time), on several threads when there are many.
fn read_heads(
    dir: &SealedDir,
    names: &[String],
    known: &HashMap<String, (FileStamp, DraftSummary)>,
) -> Vec<(Option<FileStamp>, Result<Head, SealError>)> {
    let read = |name: &String| {
        let stamp = FileStamp::of(&dir.path(name));
        if let (Some(stamp), Some((seen, summary))) = (stamp, known.get(name)) {
            if stamp == *seen {
                return (Some(stamp), Ok(Head::Known(summary.clone())));
            }
        }
        (stamp, dir.read_json::<Draft>(name).map(|draft| Head::Read(Box::new(draft))))
    };
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(8);
    if names.len() < PARALLEL_FROM || threads < 2 {
        return names.iter().map(read).collect();
    }
    let chunk = names.len().div_ceil(threads);
    std::thread::scope(|scope| {
        let workers: Vec<_> = names
            .chunks(chunk)
            .map(|part| (part, scope.spawn(move || part.iter().map(read).collect::<Vec<_>>())))
            .collect();
        let mut all = Vec::with_capacity(names.len());
        for (part, worker) in workers {
            match worker.join() {
                Ok(heads) => all.extend(heads),
                // A worker cannot panic on file contents (every error is a value); should it
                // anyway, read its share again here.
                Err(_) => all.extend(part.iter().map(read)),
            }
        }
        all
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::samples::valid_update;
    use crate::sealed::seal;
    use serde_json::json;

    fn today() -> chrono::NaiveDate {
        Utc::now().date_naive()
    }

    fn valid_record(seed: u64) -> Value {
        serde_json::to_value(valid_update(seed, today())).unwrap()
    }

    fn store_at(root: &Path, key: &Arc<SealingKey>) -> DraftStore {
        DraftStore::open(root, key.clone()).unwrap()
    }

    fn update_save(customer_id: &str, record: Value) -> DraftSave {
        DraftSave {
            id: None,
            environment: "Sandbox".into(),
            target: DraftTarget::Update { customer_id: customer_id.into() },
            base: None,
            record,
            editor: None,
        }
    }

    fn base(record: Value) -> DraftBase {
        DraftBase { record, partner_customer_id: Some("p-1".into()), status: Some("Approved".into()), fetched_at: Utc::now() }
    }

    #[test]
    fn save_creates_then_updates_with_increasing_revisions_and_kept_created_at() {
        let temp = tempfile::tempdir().unwrap();
        let store = store_at(temp.path(), &Arc::new(SealingKey::generate()));
        let mut first = update_save("cus_1", valid_record(1));
        first.base = Some(base(valid_record(1)));
        let saved = store.save(first).unwrap().draft;
        assert_eq!(saved.id, update_draft_id("Sandbox", "cus_1"));
        assert_eq!((saved.revision, saved.issue_count), (1, 0));
        assert_eq!(saved.created_at, saved.updated_at);
        assert_eq!(store.load(&saved.id).unwrap(), saved);

        // The second save sends no base: the stored one is kept. An invalid record is stored as typed.
        let mut record = valid_record(1);
        record["business_details"]["business_name_english"] = json!("");
        record["primary_contact"]["email"] = json!("not-an-email");
        let mut second = update_save("cus_1", record.clone());
        second.id = Some(saved.id.clone());
        let again = store.save(second).unwrap().draft;
        assert_eq!(again.revision, 2);
        assert_eq!(again.created_at, saved.created_at);
        assert!(again.updated_at >= saved.updated_at);
        assert_eq!(again.base, saved.base);
        assert_eq!(again.record, record);
        let expected = validate_update_value(&record, &ValidationContext::now()).len() as u32;
        assert!(expected >= 2);
        assert_eq!(again.issue_count, expected);
        assert_eq!(store.load(&saved.id).unwrap(), again);
        assert_eq!(store.find_update("Sandbox", "cus_1").unwrap(), Some(again));
        assert_eq!(store.find_update("Production", "cus_1").unwrap(), None);
        for revision in 3..=5 {
            assert_eq!(store.save(update_save("cus_1", valid_record(1))).unwrap().draft.revision, revision);
        }
    }

    #[test]
    fn create_drafts_get_fresh_ids_and_their_partner_customer_id_is_checked() {
        let temp = tempfile::tempdir().unwrap();
        let store = store_at(temp.path(), &Arc::new(SealingKey::generate()));
        let save = |partner: &str, id: Option<String>| DraftSave {
            id,
            environment: "Sandbox".into(),
            target: DraftTarget::Create { partner_customer_id: partner.into() },
            base: None,
            record: valid_record(7),
            editor: None,
        };
        let a = store.save(save("ACME-1", None)).unwrap().draft;
        let b = store.save(save("ACME-1", None)).unwrap().draft;
        assert!(a.id.starts_with("c-") && b.id.starts_with("c-") && a.id != b.id);
        assert_eq!(a.issue_count, 0);
        let missing = store.save(save("  ", Some(a.id.clone()))).unwrap().draft;
        assert_eq!((missing.id.as_str(), missing.revision, missing.issue_count), (a.id.as_str(), 2, 1));
        let bad = store.save(save("has\nline break", Some(a.id.clone()))).unwrap().draft;
        assert_eq!(bad.issue_count, 1);
        let issues = validate_draft(&bad.target, &bad.record, &ValidationContext::now());
        assert_eq!(issues[0].path, "partner_customer_id");
        // An update id cannot name a create draft, and the other way round.
        let err = store.save(save("ACME-1", Some(update_draft_id("Sandbox", "cus_1")))).unwrap_err();
        assert!(matches!(err, DraftError::IdMismatch { .. }), "{err}");
        let mut wrong = update_save("cus_2", valid_record(2));
        wrong.id = Some(update_draft_id("Sandbox", "cus_1"));
        let err = store.save(wrong).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidInput);
        assert!(err.to_string().contains("cus_2"), "{err}");
    }

    #[test]
    fn invalid_ids_are_refused_before_any_path_is_built() {
        let temp = tempfile::tempdir().unwrap();
        let store = store_at(temp.path(), &Arc::new(SealingKey::generate()));
        for id in ["../../etc/passwd", "", "u-", "u-../x", "c-ABCDEF0123456789ABCDEF0123456789", "x-0123456789abcdef0123456789abcdef"] {
            assert!(matches!(store.load(id), Err(DraftError::InvalidId { .. })), "{id}");
            assert!(matches!(store.delete(id), Err(DraftError::InvalidId { .. })), "{id}");
            assert!(matches!(store.restore(id), Err(DraftError::InvalidId { .. })), "{id}");
            let mut save = update_save("cus_1", json!({}));
            save.id = Some(id.to_owned());
            assert!(matches!(store.save(save), Err(DraftError::InvalidId { .. })), "{id}");
        }
        let missing = create_draft_id();
        let err = store.load(&missing).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::DraftNotFound);
        assert!(err.to_string().contains(&missing));
        assert!(matches!(store.delete(&missing), Err(DraftError::NotFound { .. })));
    }

    #[cfg(unix)]
    #[test]
    fn files_are_private() {
        use std::os::unix::fs::PermissionsExt;
        let temp = tempfile::tempdir().unwrap();
        let store = store_at(temp.path(), &Arc::new(SealingKey::generate()));
        let draft = store.save(update_save("cus_1", valid_record(3))).unwrap().draft;
        let mode = |path: &Path| fs::metadata(path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&store.drafts_dir().join(format!("{}.sealed", draft.id))), 0o600);
        for dir in [store.drafts_dir(), store.trash_dir(), store.unreadable_dir()] {
            assert_eq!(mode(dir), 0o700, "{}", dir.display());
        }
        store.delete(&draft.id).unwrap();
        assert_eq!(mode(&store.trash_dir().join(format!("{}.sealed", draft.id))), 0o600);
        // Nothing of the record is readable on disk.
        let bytes = fs::read(store.trash_dir().join(format!("{}.sealed", draft.id))).unwrap();
        let name = draft.record["business_details"]["business_name_english"].as_str().unwrap().as_bytes().to_vec();
        assert!(!bytes.windows(name.len()).any(|w| w == name.as_slice()));
    }

    #[test]
    fn list_is_newest_first_with_names_and_tolerates_any_record_shape() {
        let temp = tempfile::tempdir().unwrap();
        let store = store_at(temp.path(), &Arc::new(SealingKey::generate()));
        let shapes = [
            json!([1, 2, 3]),
            json!({"business_details": "text"}),
            json!({"business_details": {"business_name_english": 12.50}}),
            json!({"business_details": {"business_name_english": "   "}}),
            json!(null),
            json!({"business_details": {"business_name_english": {"nested": "x"}}, "other": [{"a": 1}]}),
        ];
        for (n, record) in shapes.iter().enumerate() {
            store.save(update_save(&format!("cus_shape_{n}"), record.clone())).unwrap().draft;
        }
        let named = store.save(update_save("cus_named", valid_record(9))).unwrap().draft;
        let library = store.list().unwrap();
        assert!(library.unreadable.is_empty(), "{:?}", library.unreadable);
        assert_eq!(library.drafts.len(), shapes.len() + 1);
        assert_eq!(library.drafts[0].id, named.id);
        assert_eq!(
            library.drafts[0].business_name_english.as_deref(),
            named.record["business_details"]["business_name_english"].as_str()
        );
        assert!(library.drafts[1..].iter().all(|d| d.business_name_english.is_none()));
        assert!(library.drafts.windows(2).all(|w| w[0].updated_at >= w[1].updated_at));
        let summary = &library.drafts[0];
        assert_eq!((summary.revision, summary.issue_count, summary.environment.as_str()), (1, 0, "Sandbox"));
        // The summary read from the head equals the one built from the whole draft.
        assert_eq!(summary, &summary_of(&named));
    }

    #[test]
    fn list_reads_many_drafts_on_several_threads() {
        let temp = tempfile::tempdir().unwrap();
        let store = store_at(temp.path(), &Arc::new(SealingKey::generate()));
        for n in 0..(PARALLEL_FROM as u64 * 3) {
            store.save(update_save(&format!("cus_{n}"), valid_record(n))).unwrap().draft;
        }
        let library = store.list().unwrap();
        assert_eq!(library.drafts.len(), PARALLEL_FROM * 3);
        let mut ids: Vec<_> = library.drafts.iter().map(|d| d.id.clone()).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), PARALLEL_FROM * 3);
    }

    #[test]
    fn list_remembers_unchanged_drafts_and_sees_every_change() {
        let temp = tempfile::tempdir().unwrap();
        let key = Arc::new(SealingKey::generate());
        let mine = store_at(temp.path(), &key);
        // Another process on the same folder (its own memory).
        let other = store_at(temp.path(), &key);
        let n = PARALLEL_FROM as u64 + 6;
        let drafts: Vec<Draft> =
            (0..n).map(|k| mine.save(update_save(&format!("cus_{k}"), valid_record(k))).unwrap().draft).collect();
        let revision_of = |library: &DraftLibrary, id: &str| library.drafts.iter().find(|d| d.id == id).map(|d| d.revision);
        assert_eq!(mine.list().unwrap().drafts.len(), n as usize);
        assert_eq!(mine.cache().entries.len(), n as usize);
        let first = mine.list().unwrap();
        assert_eq!(first, mine.list().unwrap());

        // Changed by this store: forgotten at once.
        let mut renamed = valid_record(0);
        renamed["business_details"]["business_name_english"] = json!("Renamed Ltd");
        mine.save(update_save("cus_0", renamed)).unwrap().draft;
        let library = mine.list().unwrap();
        assert_eq!(revision_of(&library, &drafts[0].id), Some(2));
        assert_eq!(library.drafts[0].business_name_english.as_deref(), Some("Renamed Ltd"));
        // Changed by the other store: seen by the file's stamp.
        other.save(update_save("cus_1", valid_record(1))).unwrap().draft;
        other.save(update_save("cus_1", valid_record(1))).unwrap().draft;
        assert_eq!(revision_of(&mine.list().unwrap(), &drafts[1].id), Some(3));
        other.delete(&drafts[2].id).unwrap();
        mine.delete(&drafts[3].id).unwrap();
        let library = mine.list().unwrap();
        assert_eq!(library.drafts.len(), n as usize - 2);
        assert_eq!((revision_of(&library, &drafts[2].id), revision_of(&library, &drafts[3].id)), (None, None));
        mine.restore(&drafts[3].id).unwrap();
        assert_eq!(revision_of(&mine.list().unwrap(), &drafts[3].id), Some(1));
        // A file damaged behind the store's back is noticed, not served from memory.
        fs::write(mine.drafts_dir().join(format!("{}.sealed", drafts[4].id)), b"garbage").unwrap();
        let library = mine.list().unwrap();
        assert_eq!(revision_of(&library, &drafts[4].id), None);
        assert_eq!(library.unreadable.len(), 1);
    }

    #[test]
    fn delete_restore_and_purge() {
        let temp = tempfile::tempdir().unwrap();
        let store = store_at(temp.path(), &Arc::new(SealingKey::generate()));
        let draft = store.save(update_save("cus_1", valid_record(1))).unwrap().draft;
        store.delete(&draft.id).unwrap();
        assert!(matches!(store.load(&draft.id), Err(DraftError::NotFound { .. })));
        assert!(store.list().unwrap().drafts.is_empty());
        assert_eq!(store.trashed().unwrap(), vec![draft.id.clone()]);
        assert_eq!(store.restore(&draft.id).unwrap(), draft);
        assert_eq!(store.load(&draft.id).unwrap(), draft);
        assert!(matches!(store.restore(&draft.id), Err(DraftError::NotInTrash { .. })));

        // Deleted, then a new draft for the same customer: the old one cannot come back over it.
        store.delete(&draft.id).unwrap();
        let newer = store.save(update_save("cus_1", valid_record(2))).unwrap().draft;
        assert_eq!(newer.revision, 1);
        let err = store.restore(&draft.id).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::DraftExists);
        assert!(err.to_string().contains("saved since"), "{err}");
        assert_eq!(store.load(&draft.id).unwrap(), newer);

        // Purge by the time of the delete.
        assert_eq!(store.purge_trash(chrono::Duration::days(30)).unwrap(), 0);
        let trashed = store.trash_dir().join(format!("{}.sealed", draft.id));
        let old = SystemTime::now() - StdDuration::from_secs(31 * 24 * 3600);
        fs::OpenOptions::new().write(true).open(&trashed).unwrap().set_modified(old).unwrap();
        let other = store.save(update_save("cus_3", valid_record(3))).unwrap().draft;
        store.delete(&other.id).unwrap();
        assert_eq!(store.purge_trash(chrono::Duration::days(30)).unwrap(), 1);
        assert!(!trashed.exists());
        assert_eq!(store.trashed().unwrap(), vec![other.id.clone()]);

        // A draft last saved long ago and deleted now is not purged at once.
        let stale = store.save(update_save("cus_4", valid_record(4))).unwrap().draft;
        let live = store.drafts_dir().join(format!("{}.sealed", stale.id));
        fs::OpenOptions::new().write(true).open(&live).unwrap().set_modified(old).unwrap();
        store.delete(&stale.id).unwrap();
        assert_eq!(store.purge_trash(chrono::Duration::days(30)).unwrap(), 0);
        assert_eq!(store.purge_trash(chrono::Duration::zero()).unwrap(), 2);
    }

    #[test]
    fn drafts_sealed_with_another_key_are_set_aside_listed_and_recovered_when_the_key_returns() {
        let temp = tempfile::tempdir().unwrap();
        let old_key = Arc::new(SealingKey::generate());
        let old = store_at(temp.path(), &old_key);
        let a = old.save(update_save("cus_a", valid_record(1))).unwrap().draft;
        let b = old.save(update_save("cus_b", valid_record(2))).unwrap().draft;
        let original = fs::read(old.drafts_dir().join(format!("{}.sealed", a.id))).unwrap();

        // The keychain entry is lost: a new key.
        let new = store_at(temp.path(), &Arc::new(SealingKey::generate()));
        let err = new.load(&a.id).unwrap_err();
        assert!(matches!(err, DraftError::Unreadable { cause: UnreadableCause::WrongKey, .. }), "{err}");
        assert_eq!(err.kind(), ErrorKind::DraftUnreadable);
        let library = new.list().unwrap();
        assert!(library.drafts.is_empty());
        assert_eq!(library.unreadable.len(), 2);
        for entry in &library.unreadable {
            assert_eq!(entry.cause, UnreadableCause::WrongKey);
            assert!(entry.reason.contains("no longer in the keychain"), "{}", entry.reason);
        }
        assert_eq!(library.unreadable[0].file, format!("{}.sealed", library.unreadable[0].id.as_deref().unwrap()));
        // Moved, byte for byte, never deleted; listed again next time.
        assert!(!new.drafts_dir().join(format!("{}.sealed", a.id)).exists());
        assert_eq!(fs::read(new.unreadable_dir().join(format!("{}.sealed", a.id))).unwrap(), original);
        assert_eq!(new.list().unwrap().unreadable.len(), 2);

        // Typing again for customer b with the new key: a fresh draft, the old file kept aside.
        let b2 = new.save(update_save("cus_b", valid_record(3))).unwrap().draft;
        assert_eq!(b2.revision, 1);

        // The old key comes back: what it sealed opens again and is moved back; b2, sealed with
        // the lost-then-replaced key, is set aside in turn (next to the old b's former name).
        let library = old.list().unwrap();
        let mut ids: Vec<_> = library.drafts.iter().map(|d| d.id.clone()).collect();
        ids.sort();
        let mut expected = vec![a.id.clone(), b.id.clone()];
        expected.sort();
        assert_eq!(ids, expected);
        assert_eq!(old.load(&a.id).unwrap(), a);
        assert_eq!(old.load(&b.id).unwrap(), b);
        let aside: Vec<_> = library.unreadable.iter().map(|u| (u.file.clone(), u.id.clone(), u.cause)).collect();
        assert_eq!(aside, vec![(format!("{}.sealed.2", b.id), Some(b.id.clone()), UnreadableCause::WrongKey)]);

        // Both keys' versions of b exist at once: the one set aside is reported as superseded.
        fs::rename(old.unreadable_dir().join(format!("{}.sealed.2", b.id)), old.unreadable_dir().join("keep")).unwrap();
        old.save(update_save("cus_b", valid_record(4))).unwrap().draft;
        fs::copy(old.drafts_dir().join(format!("{}.sealed", b.id)), old.unreadable_dir().join(format!("{}.sealed", b.id))).unwrap();
        let library = old.list().unwrap();
        let causes: Vec<_> = library.unreadable.iter().map(|u| (u.file.clone(), u.cause)).collect();
        assert!(causes.contains(&(format!("{}.sealed", b.id), UnreadableCause::Superseded)), "{causes:?}");
        assert!(causes.contains(&("keep".to_owned(), UnreadableCause::WrongKey)), "{causes:?}");
        assert_eq!(library.drafts.len(), 2);
    }

    #[test]
    fn damaged_and_foreign_files_are_set_aside_and_a_save_never_overwrites_them() {
        let temp = tempfile::tempdir().unwrap();
        let key = Arc::new(SealingKey::generate());
        let store = store_at(temp.path(), &key);
        let draft = store.save(update_save("cus_1", valid_record(1))).unwrap().draft;
        let path = store.drafts_dir().join(format!("{}.sealed", draft.id));
        let mut bytes = fs::read(&path).unwrap();
        let last = bytes.len() - 1;
        bytes[last] ^= 0x55;
        fs::write(&path, &bytes).unwrap();
        // Sealed with the right key but not a draft; a stray name; a temp file of a killed write.
        let not_a_draft = create_draft_id();
        fs::write(store.drafts_dir().join(format!("{not_a_draft}.sealed")), seal(&key, not_a_draft.as_bytes(), b"{\"x\":1}")).unwrap();
        fs::write(store.drafts_dir().join("notes.sealed"), b"hello").unwrap();
        fs::write(store.drafts_dir().join(format!(".{}.sealed.1.2.tmp", draft.id)), b"partial").unwrap();

        let err = store.load(&draft.id).unwrap_err();
        assert!(matches!(err, DraftError::Unreadable { cause: UnreadableCause::Damaged, .. }), "{err}");
        let library = store.list().unwrap();
        assert!(library.drafts.is_empty(), "{:?}", library.drafts);
        let mut found: Vec<_> = library.unreadable.iter().map(|u| (u.file.clone(), u.cause)).collect();
        found.sort();
        let mut expected = vec![
            (format!("{}.sealed", draft.id), UnreadableCause::Damaged),
            (format!("{not_a_draft}.sealed"), UnreadableCause::NotADraft),
            ("notes.sealed".to_owned(), UnreadableCause::Damaged),
        ];
        expected.sort();
        assert_eq!(found, expected);
        assert_eq!(fs::read(store.unreadable_dir().join(format!("{}.sealed", draft.id))).unwrap(), bytes);

        // A damaged file where a save goes is set aside first, then the save starts over.
        let again = store.save(update_save("cus_1", valid_record(1))).unwrap().draft;
        fs::write(store.drafts_dir().join(format!("{}.sealed", draft.id)), b"garbage").unwrap();
        let third = store.save(update_save("cus_1", valid_record(2))).unwrap().draft;
        assert_eq!((again.revision, third.revision), (1, 1));
        assert_eq!(fs::read(store.unreadable_dir().join(format!("{}.sealed.2", draft.id))).unwrap(), b"garbage");
        assert_eq!(store.list().unwrap().unreadable.len(), 4);
    }

    #[test]
    fn a_page_save_deserializes_and_errors_map_from_seal_errors() {
        let save: DraftSave = serde_json::from_value(json!({
            "environment": "Sandbox",
            "target": {"kind": "update", "customer_id": "cus_1"},
            "record": {"business_details": {"business_name_english": "Acme"}}
        }))
        .unwrap();
        assert_eq!(save.id, None);
        assert_eq!(
            DraftError::from(SealError::KeychainUnavailable { reason: "no D-Bus".into() }).kind(),
            ErrorKind::KeychainUnavailable
        );
        let id = create_draft_id();
        let err = DraftError::from(SealError::WrongKey { path: PathBuf::from(format!("/x/{id}.sealed")) });
        assert!(matches!(&err, DraftError::Unreadable { id: got, .. } if *got == id), "{err:?}");
        let err = DraftError::from(SealError::Io { path: "/x".into(), source: io::Error::other("disk full") });
        assert_eq!(err.kind(), ErrorKind::Internal);
        assert!(err.to_string().contains("disk full"));
    }

    #[test]
    fn saves_are_stamped_and_the_trash_aged_by_the_store_clock() {
        use crate::clock::FixedClock;
        let temp = tempfile::tempdir().unwrap();
        let start = DateTime::parse_from_rfc3339("2031-03-01T09:00:00Z").unwrap().with_timezone(&Utc);
        let clock = FixedClock::new(start);
        let store = DraftStore::open_with_clock(temp.path(), Arc::new(SealingKey::generate()), clock.clone()).unwrap();
        let first = store.save(update_save("cus_1", valid_record(1))).unwrap().draft;
        assert_eq!((first.created_at, first.updated_at), (start, start));
        clock.advance(chrono::Duration::minutes(5));
        let second = store.save(update_save("cus_1", valid_record(2))).unwrap().draft;
        assert_eq!((second.created_at, second.updated_at), (start, start + chrono::Duration::minutes(5)));

        // Deleted now; purged once 30 days have passed on the store's clock.
        store.delete(&second.id).unwrap();
        clock.advance(chrono::Duration::days(29));
        assert_eq!(store.purge_trash(chrono::Duration::days(30)).unwrap(), 0);
        clock.advance(chrono::Duration::days(2));
        assert_eq!(store.purge_trash(chrono::Duration::days(30)).unwrap(), 1);
        assert!(store.trashed().unwrap().is_empty());
    }

    #[test]
    fn save_records_the_editor_and_drops_an_approval_the_change_voids() {
        use crate::review::{approval_state, diff_hash, Approval, ApprovalState};
        let temp = tempfile::tempdir().unwrap();
        let store = store_at(temp.path(), &Arc::new(SealingKey::generate()));
        let save_as = |record: Value, editor: Option<&str>| {
            let mut save = update_save("cus_1", record);
            save.base = Some(base(valid_record(1)));
            save.editor = editor.map(str::to_owned);
            store.save(save).unwrap().draft
        };
        let mut record = valid_record(1);
        record["business_details"]["business_name_english"] = json!("Renamed Ltd");
        // No profile chosen: nothing recorded.
        assert!(save_as(record.clone(), None).review.editors.is_empty());
        let first = save_as(record.clone(), Some("Ana Lima"));
        // The same record again is no change, so Ana is not a preparer yet.
        assert!(first.review.editors.is_empty());
        record["business_details"]["business_name_english"] = json!("Renamed Again Ltd");
        let edited = save_as(record.clone(), Some("Ana Lima"));
        assert_eq!(edited.review.editors, ["Ana Lima"]);

        let mut approved = edited.clone();
        approved.review.approval = Some(Approval {
            approver: "Ben Okoro".into(),
            preparers: vec!["Ana Lima".into()],
            diff_hash: diff_hash(&edited),
            environment: "Sandbox".into(),
            approved_at: Utc::now(),
        });
        store.put(&approved).unwrap();
        // An autosave of the same record keeps the approval (and Ben, who only looked, is no preparer).
        let kept = save_as(record.clone(), Some("Ben Okoro"));
        assert!(matches!(approval_state(&kept), ApprovalState::Valid { .. }));
        assert_eq!(kept.review.editors, ["Ana Lima"]);
        // Any change removes it, and the save says which approval it voided.
        record["business_details"]["business_name_english"] = json!("Renamed Once More Ltd");
        let mut save = update_save("cus_1", record);
        save.editor = Some("Carla Souza".into());
        let DraftSaved { draft: changed, voided_approval } = store.save(save).unwrap();
        assert_eq!(voided_approval, approved.review.approval);
        assert_eq!(changed.review.approval, None);
        assert_eq!(changed.review.editors, ["Ana Lima", "Carla Souza"]);
        assert_eq!(store.load(&changed.id).unwrap(), changed);
    }
}

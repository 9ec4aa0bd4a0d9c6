//! Documents: upload to the active environment (keeping a sealed local copy for reviewers), and
//! the local copies the document viewer shows. The page sends a file in chunks ([`staging`]):
//! begin, append each chunk in order, then finish as an upload or as a reviewer's copy (or
//! cancel). The chunks wait in an encrypted scratch file, read back a chunk at a time for the
//! request to the partner and again for the sealed copy, so the app never holds a whole document
//! while attaching it.

mod staging;

pub use staging::{StagedFor, StagedUpload, StagedUploads, MAX_CHUNK_BYTES, MAX_STAGED_UPLOADS, STAGING_DIR};

use bytes::Bytes;
use kyb_core::audit::AuditEvent;
use kyb_core::client::{parse_file_type, MAX_UPLOAD_BYTES};
use kyb_core::drafts::Draft;
use kyb_core::model::{FileType, FileUploadResponse};
use kyb_core::review::referenced_documents;
use kyb_core::validation::{validate_document_types, Issue};
use kyb_core::sealed::scratch::ScratchFile;
use kyb_core::sealed::SealError;
use kyb_core::vault::{ContentFacts, CopyOrigin, DocumentCopy, DocumentVault, VaultError};

use super::{draft_id, required};
use crate::audit_trail::{self, about_draft};
use crate::error::{draft_error, AppError};
use crate::state::{blocking, AppState};

/// Largest document the app sends or keeps (the client's limit for the partner).
pub const MAX_DOCUMENT_BYTES: usize = MAX_UPLOAD_BYTES;

/// Begin sending a document of `size` bytes in chunks, to be uploaded as `file_type` (one of
/// the six labels, exactly) by [`finish_upload`]. A file over the limit is refused here, naming
/// its size, before any of it is sent.
pub async fn begin_upload(state: &AppState, file_name: &str, file_type: &str, size: u64) -> Result<StagedUpload, AppError> {
    let file_name = sent_file_name(file_name)?;
    let file_type = parse_file_type(file_type)?;
    let size = document_size(&file_name, size)?;
    state.staged_uploads.begin(file_name, StagedFor::Upload { file_type }, size)
}

/// Begin sending a reviewer's copy of `file_id` (which draft `id` must reference) in chunks,
/// kept by [`finish_copy`]. Refused at once without a profile or when the draft does not
/// reference the file.
pub async fn begin_copy(state: &AppState, id: &str, file_id: &str, file_name: &str, size: u64) -> Result<StagedUpload, AppError> {
    state.require_profile()?;
    let (draft, file_id) = referencing_draft(state, id, file_id).await?;
    let file_name = sent_file_name(file_name)?;
    let size = document_size(&file_name, size)?;
    state.staged_uploads.begin(file_name, StagedFor::Copy { draft_id: draft.id, file_id }, size)
}

/// Add the chunk at `offset` (where the bytes received so far end) to upload `upload_id`;
/// answers how many bytes have arrived.
pub fn append_chunk(state: &AppState, upload_id: &str, offset: u64, chunk: &[u8]) -> Result<u64, AppError> {
    state.staged_uploads.append(upload_id, offset, chunk)
}

/// Drop upload `upload_id` and its bytes (an unknown id is not an error).
pub fn cancel_upload(state: &AppState, upload_id: &str) {
    if state.staged_uploads.cancel(upload_id) {
        tracing::info!(upload_id, "staged upload cancelled");
    }
}

/// How many uploads are being received (tests; a restart starts with none).
pub fn staged_upload_count(state: &AppState) -> usize {
    state.staged_uploads.len()
}

/// Send a completely received upload to the active environment; its file id.
pub async fn finish_upload(state: &AppState, upload_id: &str) -> Result<FileUploadResponse, AppError> {
    let staged = state.staged_uploads.take_complete(upload_id)?;
    let StagedFor::Upload { file_type } = staged.target else {
        state.staged_uploads.restore(upload_id.to_owned(), staged);
        return Err(AppError::invalid_input("upload_id", "this upload is a reviewer's copy: finish it as a copy"));
    };
    upload_staged(state, staged.file_name, file_type, staged.content).await
}

/// Keep a completely received copy (begun with [`begin_copy`]); recorded in the trail first.
pub async fn finish_copy(state: &AppState, upload_id: &str) -> Result<DocumentCopy, AppError> {
    let staged = state.staged_uploads.take_complete(upload_id)?;
    let StagedFor::Copy { draft_id, file_id } = staged.target.clone() else {
        state.staged_uploads.restore(upload_id.to_owned(), staged);
        return Err(AppError::invalid_input("upload_id", "this upload is for the partner: finish it as an upload"));
    };
    let content = staged.content;
    let facts = ContentFacts { size: content.len(), sha256: content.sha256_hex(), start: content.start() };
    let copy = describe_attached(state, &draft_id, &file_id, &staged.file_name, facts).await?;
    keep_attached(state, copy, move |vault, copy| {
        let mut reader = content.reader().map_err(|err| SealError::Io { path: content.path().to_owned(), source: err })?;
        vault.keep_from(copy, &mut reader)
    })
    .await
}

/// Upload a whole document at once (the command line and tests; the page sends chunks):
/// `file_type` is one of the six labels, exactly. The local copy remembers the `fileType`, so a
/// slot can refuse a file of another type ([`document_type_issues`]).
pub async fn upload_document(
    state: &AppState,
    file_name: &str,
    file_type: &str,
    bytes: Vec<u8>,
) -> Result<FileUploadResponse, AppError> {
    let file_name = sent_file_name(file_name)?;
    let file_type = parse_file_type(file_type)?;
    document_size(&file_name, bytes.len() as u64)?;
    upload_bytes(state, file_name, file_type, Bytes::from(bytes)).await
}

/// Only the name is sent, never a path of this machine; a name that is empty is refused.
fn sent_file_name(file_name: &str) -> Result<String, AppError> {
    let file_name = required("file_name", file_name)?;
    let file_name = file_name.rsplit(['/', '\\']).next().unwrap_or_default().to_owned();
    if file_name.is_empty() {
        return Err(AppError::invalid_input("file_name", "the file name is empty"));
    }
    Ok(file_name)
}

/// `size` as a length, refused (on `bytes`, naming the size and the limit) when empty or over
/// [`MAX_DOCUMENT_BYTES`].
fn document_size(file_name: &str, size: u64) -> Result<usize, AppError> {
    if size == 0 {
        return Err(AppError::invalid_input("bytes", format!("{file_name} is empty")));
    }
    if size > MAX_DOCUMENT_BYTES as u64 {
        return Err(AppError::invalid_input(
            "bytes",
            format!(
                "{file_name} is {size} bytes; a document can have at most {MAX_DOCUMENT_BYTES} bytes ({} MiB)",
                MAX_DOCUMENT_BYTES / (1024 * 1024)
            ),
        ));
    }
    Ok(size as usize)
}

/// Send `bytes` to the active environment and keep them as the sealed local copy: the request
/// and the copy share the one buffer.
async fn upload_bytes(
    state: &AppState,
    file_name: String,
    file_type: FileType,
    bytes: Bytes,
) -> Result<FileUploadResponse, AppError> {
    if let Some((id, link)) = super::team::review::open_team_draft(state) {
        return super::team::review::upload(state, &id, &link, file_name, file_type, bytes.to_vec()).await;
    }
    let (environment, client) = state.active_client().await?;
    let size = bytes.len();
    let response = client.upload_file(&file_name, bytes.clone(), file_type).await?;
    tracing::info!(file_id = %response.file_id, %file_type, size, "document uploaded");
    // The reviewer's viewer shows exactly the bytes the partner received. Without a drafts key
    // there is no sealed storage: the upload still stands, the viewer says there is no copy.
    if let Ok(home) = state.drafts() {
        let vault = home.vault.clone();
        let added_by = state.profile().unwrap_or_else(|| crate::audit_trail::APP_ACTOR.to_owned());
        let file_id = response.file_id.clone();
        let kept = blocking(move || {
            let mut copy =
                DocumentVault::describe(&environment.name, &file_id, &file_name, &bytes, CopyOrigin::Uploaded, &added_by)?;
            copy.file_type = Some(file_type);
            vault.keep(copy, &bytes)
        })
        .await?;
        if let Err(err) = kept {
            tracing::warn!(file_id = %response.file_id, error = %err, "could not keep a local copy of the document");
        }
    }
    Ok(response)
}

/// Send a staged document to the active environment, a chunk at a time as it is read back from
/// its scratch file, then keep it as the sealed local copy, read back again.
async fn upload_staged(
    state: &AppState,
    file_name: String,
    file_type: FileType,
    content: ScratchFile,
) -> Result<FileUploadResponse, AppError> {
    if let Some((id, link)) = super::team::review::open_team_draft(state) {
        // Through the team server (documents are at most a few MiB; read back whole here).
        let bytes = read_scratch(&content).await?;
        return super::team::review::upload(state, &id, &link, file_name, file_type, bytes).await;
    }
    let (environment, client) = state.active_client().await?;
    let size = content.len();
    let mut reader = content.reader().map_err(|err| AppError::Internal(format!("could not read the staged document: {err}")))?;
    // One chunk waits in the channel while another is on its way: the request holds ~2 MiB.
    let (sender, chunks) = tokio::sync::mpsc::channel(1);
    tokio::task::spawn_blocking(move || loop {
        let next = match reader.next_chunk() {
            Ok(Some(chunk)) => Ok(Bytes::from(chunk)),
            Ok(None) => break,
            Err(err) => Err(err),
        };
        let failed = next.is_err();
        // A closed channel: the request ended (failed or timed out); nothing more to read.
        if sender.blocking_send(next).is_err() || failed {
            break;
        }
    });
    let response = client.upload_file_stream(&file_name, size, chunks, file_type).await?;
    tracing::info!(file_id = %response.file_id, %file_type, size, "document uploaded");
    // As in upload_bytes: without a drafts key the upload stands and the viewer has no copy.
    if let Ok(home) = state.drafts() {
        let vault = home.vault.clone();
        let added_by = state.profile().unwrap_or_else(|| crate::audit_trail::APP_ACTOR.to_owned());
        let file_id = response.file_id.clone();
        let kept = blocking(move || {
            let facts = ContentFacts { size: content.len(), sha256: content.sha256_hex(), start: content.start() };
            let mut copy = DocumentVault::describe_content(
                &environment.name,
                &file_id,
                &file_name,
                facts,
                CopyOrigin::Uploaded,
                &added_by,
            )?;
            copy.file_type = Some(file_type);
            let mut reader =
                content.reader().map_err(|err| SealError::Io { path: content.path().to_owned(), source: err })?;
            vault.keep_from(copy, &mut reader)
        })
        .await?;
        if let Err(err) = kept {
            tracing::warn!(file_id = %response.file_id, error = %err, "could not keep a local copy of the document");
        }
    }
    Ok(response)
}

/// The bytes of the local copy of `file_id` (referenced by draft `id`, in its environment), as
/// the viewer; `document_copy_missing` when there is none.
pub async fn read_document_copy(state: &AppState, id: &str, file_id: &str) -> Result<Vec<u8>, AppError> {
    let (draft, file_id) = referencing_draft(state, id, file_id).await?;
    let vault = state.drafts()?.vault.clone();
    let copy = blocking(move || vault.read(&draft.environment, &file_id).map(|copy| (copy, file_id))).await??;
    match copy {
        (Some((_, bytes)), _) => Ok(bytes),
        // A team draft's document uploaded on another desktop: the team server has it.
        (None, file_id) => match state.team.links.get(&draft_id(id)?) {
            Some(link) => super::team::review::fetch_document(state, &draft_id(id)?, &link, &file_id).await,
            None => Err(AppError::DocumentCopyMissing { file_id }),
        },
    }
}

/// The whole of a staged document, decrypted chunk by chunk.
async fn read_scratch(content: &ScratchFile) -> Result<Vec<u8>, AppError> {
    let mut reader = content.reader().map_err(|err| AppError::Internal(format!("could not read the staged document: {err}")))?;
    blocking(move || {
        let mut bytes = Vec::new();
        while let Some(chunk) = reader.next_chunk().map_err(|err| AppError::Internal(format!("could not read the staged document: {err}")))? {
            bytes.extend_from_slice(&chunk);
        }
        Ok(bytes)
    })
    .await?
}

/// Keep `bytes` as the local copy of `file_id`, a document draft `id` references but this
/// machine has no copy of (a reviewer attaching the file they were sent). Recorded in the trail.
pub async fn attach_document_copy(
    state: &AppState,
    id: &str,
    file_id: &str,
    file_name: &str,
    bytes: Vec<u8>,
) -> Result<DocumentCopy, AppError> {
    let copy = describe_attached(state, id, file_id, file_name, ContentFacts::of(&bytes)).await?;
    keep_attached(state, copy, move |vault, copy| vault.keep(copy, &bytes)).await
}

/// The description of a reviewer's copy of `file_id`, which draft `id` must reference.
async fn describe_attached(
    state: &AppState,
    id: &str,
    file_id: &str,
    file_name: &str,
    facts: ContentFacts<'_>,
) -> Result<(Draft, DocumentCopy), AppError> {
    let profile = state.require_profile()?;
    let (draft, file_id) = referencing_draft(state, id, file_id).await?;
    let file_name = required("file_name", file_name)?;
    let file_name = file_name.rsplit(['/', '\\']).next().unwrap_or_default().to_owned();
    let copy = DocumentVault::describe_content(&draft.environment, &file_id, &file_name, facts, CopyOrigin::Attached, &profile)?;
    Ok((draft, copy))
}

/// Record the attached copy in the trail, then write it with `write`.
async fn keep_attached(
    state: &AppState,
    (draft, copy): (Draft, DocumentCopy),
    write: impl FnOnce(&DocumentVault, DocumentCopy) -> Result<DocumentCopy, VaultError> + Send + 'static,
) -> Result<DocumentCopy, AppError> {
    let profile = state.require_profile()?;
    let home = state.drafts()?.clone();
    let event = AuditEvent::DocumentAttached {
        file_id: copy.file_id.clone(),
        file_name: copy.file_name.clone(),
        sha256: copy.sha256.clone(),
        origin: "attached".to_owned(),
    };
    let vault = home.vault.clone();
    let copy = audit_trail::record_then(&home, about_draft(&draft, &profile, event), move || Ok(write(&vault, copy)?)).await?;
    tracing::info!(file_id = %copy.file_id, size = copy.size, "local copy attached");
    Ok(copy)
}

/// The document slots of `draft` holding a file this machine uploaded as a `fileType` the slot
/// does not take (`wrong_document_type`, naming the slot). Checked when the draft is queued:
/// record validation does not see the local copies, where the types are kept. A file without a
/// local copy, or attached rather than uploaded here, has no known type and passes.
pub(crate) async fn document_type_issues(state: &AppState, draft: &Draft) -> Result<Vec<Issue>, AppError> {
    let references = referenced_documents(&draft.record);
    if references.is_empty() {
        return Ok(Vec::new());
    }
    let Ok(home) = state.drafts() else { return Ok(Vec::new()) };
    let vault = home.vault.clone();
    let environment = draft.environment.clone();
    let record = draft.record.clone();
    blocking(move || {
        let mut known = std::collections::HashMap::new();
        for reference in &references {
            if !known.contains_key(&reference.file_id) {
                let file_type = vault.info(&environment, &reference.file_id)?.and_then(|copy| copy.file_type);
                known.insert(reference.file_id.clone(), file_type);
            }
        }
        Ok::<_, AppError>(validate_document_types(&record, |file_id| known.get(file_id).copied().flatten()))
    })
    .await?
}

/// Draft `id` and the trimmed `file_id`, which it must reference (`invalid_input` otherwise).
async fn referencing_draft(state: &AppState, id: &str, file_id: &str) -> Result<(Draft, String), AppError> {
    let id = draft_id(id)?;
    let file_id = required("file_id", file_id)?;
    let store = state.drafts()?.store.clone();
    let loaded = id.clone();
    let draft = blocking(move || store.load(&loaded).map_err(|err| draft_error(Some(&loaded), err))).await??;
    if !referenced_documents(&draft.record).iter().any(|r| r.file_id == file_id) {
        return Err(AppError::invalid_input("file_id", format!("draft {id} does not reference file {file_id:?}")));
    }
    Ok((draft, file_id))
}

//! Drafts: autosave, the library, delete and undo, the open draft, export and import.
//!
//! Drafts are sealed at rest with a key in the OS keychain (kyb-core); without a keychain every
//! command here answers `keychain_unavailable`. The store's file work runs off the async workers.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use kyb_core::audit::AuditEvent;
use kyb_core::drafts::{
    export_draft as portable_export, is_draft_id, portable_file_name, read_portable, to_pretty_json, update_draft_id,
    Draft, DraftError, DraftSave, DraftSummary, DraftTarget, ImportReport, UnreadableDraft,
};
use kyb_core::outbox::OutboxEntry;
use serde::Serialize;
use serde_json::Value;
use tauri::State;
use ts_rs::TS;

use super::{argument, required};
use crate::error::{draft_error, outbox_error, CommandError};
use crate::ipc_value::Ipc;
use crate::state::{blocking, AppState, ExportFolders};
use crate::workspace::Workspace;

/// Largest portable draft file `import_draft` reads.
pub const MAX_IMPORT_BYTES: usize = 5 * 1024 * 1024;

/// One draft in the library: its summary and its latest outbox entry, if it was ever queued.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct DraftListItem {
    #[serde(flatten)]
    pub summary: DraftSummary,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub outbox: Option<OutboxEntry>,
}

/// `list_drafts`: every readable draft (newest first) and the files that could not be opened.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct DraftLibraryView {
    pub drafts: Vec<DraftListItem>,
    pub unreadable: Vec<UnreadableDraft>,
}

/// `export_draft`: where the portable file was written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct ExportedDraft {
    /// Full path of the written file.
    pub path: String,
    pub file_name: String,
}

/// A draft id argument: well-formed (it becomes a file name), else `invalid_input` on `id`.
pub(crate) fn draft_id(id: &str) -> Result<String, CommandError> {
    let id = required("id", id)?;
    if !is_draft_id(&id) {
        return Err(CommandError::invalid_input("id", format!("{id:?} is not a draft id")));
    }
    Ok(id)
}

/// The library: every draft with its latest outbox entry.
#[tauri::command(rename_all = "snake_case")]
pub async fn list_drafts(state: State<'_, AppState>) -> Result<Ipc<DraftLibraryView>, CommandError> {
    let home = state.drafts()?.clone();
    let view = blocking(move || -> Result<DraftLibraryView, CommandError> {
        let library = home.store.list().map_err(|err| draft_error(None, err))?;
        let mut latest: HashMap<String, OutboxEntry> = HashMap::new();
        for entry in home.outbox.entries().map_err(|err| outbox_error(None, err))? {
            match latest.get(&entry.draft_id) {
                Some(known) if known.sequence > entry.sequence => {}
                _ => {
                    latest.insert(entry.draft_id.clone(), entry);
                }
            }
        }
        let drafts = library
            .drafts
            .into_iter()
            .map(|summary| {
                let outbox = latest.remove(&summary.id).map(super::outbox::for_page);
                DraftListItem { summary, outbox }
            })
            .collect();
        Ok(DraftLibraryView { drafts, unreadable: library.unreadable })
    })
    .await??;
    Ok(Ipc(view))
}

#[tauri::command(rename_all = "snake_case")]
pub async fn open_draft(state: State<'_, AppState>, id: String) -> Result<Ipc<Draft>, CommandError> {
    let id = draft_id(&id)?;
    let store = state.drafts()?.store.clone();
    let draft = blocking(move || store.load(&id).map_err(|err| draft_error(Some(&id), err))).await??;
    Ok(Ipc(draft))
}

/// Autosave. The environment must exist. An existing draft keeps the base it was started from
/// (the worker moves it after a send); the page's `base` is used for a new draft only.
#[tauri::command(rename_all = "snake_case")]
pub async fn save_draft(state: State<'_, AppState>, draft: Value) -> Result<Ipc<Draft>, CommandError> {
    let home = state.drafts()?.clone();
    let mut input: DraftSave = argument("draft", draft)?;
    if state.environment(&input.environment).await.is_none() {
        return Err(CommandError::invalid_input(
            "draft",
            format!("there is no environment named {:?} to keep this draft for", input.environment),
        ));
    }
    if let Some(id) = &input.id {
        if !is_draft_id(id) {
            return Err(CommandError::invalid_input("draft", format!("{id:?} is not a draft id")));
        }
    }
    input.editor = state.profile();
    let _writing = state.draft_writes.lock().await;
    let store = home.store.clone();
    let (saved, previous_approval) = blocking(move || {
        let known_id = input.id.clone().or_else(|| match &input.target {
            DraftTarget::Update { customer_id } => Some(update_draft_id(&input.environment, customer_id)),
            DraftTarget::Create { .. } => None,
        });
        let mut previous_approval = None;
        if let Some(id) = known_id {
            match store.load(&id) {
                Ok(existing) => {
                    previous_approval = existing.review.approval.clone();
                    if existing.base.is_some() {
                        input.base = existing.base;
                    }
                }
                Err(DraftError::NotFound { .. }) => {}
                // Unreadable: the store decides (it sets such files aside).
                Err(_) => {}
            }
        }
        store.save(input).map(|saved| (saved, previous_approval)).map_err(|err| draft_error(None, err))
    })
    .await??;
    // Any change to what was approved voids the approval (the store removed it): say so in the trail.
    if let Some(voided) = previous_approval.filter(|_| saved.review.approval.is_none()) {
        let actor = state.profile().unwrap_or_else(|| crate::audit_trail::APP_ACTOR.to_owned());
        let event = AuditEvent::ApprovalVoided {
            diff_hash: voided.diff_hash,
            reason: format!("the draft changed after {} approved it", voided.approver),
        };
        crate::audit_trail::append(&home, crate::audit_trail::about_draft(&saved, &actor, event)).await?;
        tracing::info!(draft = %saved.id, "approval voided by a change");
    }
    tracing::debug!(draft = %saved.id, revision = saved.revision, issues = saved.issue_count, "draft saved");
    Ok(Ipc(saved))
}

/// Move a draft to the trash (`restore_draft` undoes it; purged after 30 days).
#[tauri::command(rename_all = "snake_case")]
pub async fn delete_draft(state: State<'_, AppState>, id: String) -> Result<(), CommandError> {
    let id = draft_id(&id)?;
    let store = state.drafts()?.store.clone();
    let _writing = state.draft_writes.lock().await;
    let deleted = id.clone();
    blocking(move || store.delete(&deleted).map_err(|err| draft_error(Some(&deleted), err))).await??;
    tracing::info!(draft = %id, "draft moved to the trash");
    Ok(())
}

#[tauri::command(rename_all = "snake_case")]
pub async fn restore_draft(state: State<'_, AppState>, id: String) -> Result<Ipc<Draft>, CommandError> {
    let id = draft_id(&id)?;
    let store = state.drafts()?.store.clone();
    let _writing = state.draft_writes.lock().await;
    let draft = blocking(move || store.restore(&id).map_err(|err| draft_error(Some(&id), err))).await??;
    tracing::info!(draft = %draft.id, "draft restored from the trash");
    Ok(Ipc(draft))
}

/// Write the draft as a portable JSON file (no secrets; a fresh idempotency key) into the
/// export folder: `KYB_DESK_EXPORT_DIR`, else the user's Downloads folder, else the data folder.
#[tauri::command(rename_all = "snake_case")]
pub async fn export_draft(state: State<'_, AppState>, id: String) -> Result<ExportedDraft, CommandError> {
    let id = draft_id(&id)?;
    let store = state.drafts()?.store.clone();
    let folders = state.exports.clone();
    let exported = blocking(move || -> Result<ExportedDraft, CommandError> {
        let draft = store.load(&id).map_err(|err| draft_error(Some(&id), err))?;
        let file = portable_export(&draft);
        let text = to_pretty_json(&file).map_err(|err| CommandError::Internal(format!("cannot write the draft as JSON: {err}")))?;
        let name = portable_file_name(&file);
        let stem = name.strip_suffix(".json").unwrap_or(&name);
        let (path, file_name) = write_export(&folders, stem, text.as_bytes())?;
        Ok(ExportedDraft { path: path.to_string_lossy().into_owned(), file_name })
    })
    .await??;
    tracing::info!(file = %exported.file_name, "draft exported");
    Ok(exported)
}

/// Read a portable draft file (the page reads it with `<input type=file>`) into the active
/// environment and save it as a draft. An existing draft for the same customer there goes to the
/// trash first (`restore_draft` brings it back). The report lists the validation issues and notes.
#[tauri::command(rename_all = "snake_case")]
pub async fn import_draft(state: State<'_, AppState>, file_name: String, text: String) -> Result<Ipc<ImportReport>, CommandError> {
    let home = state.drafts()?.clone();
    // Only the name, never a path of this machine, appears in messages.
    let file_name = file_name.rsplit(['/', '\\']).next().unwrap_or_default().trim().to_owned();
    let shown = if file_name.is_empty() { "the file".to_owned() } else { file_name.clone() };
    if text.len() > MAX_IMPORT_BYTES {
        return Err(CommandError::invalid_input(
            "text",
            format!("{shown} is larger than {} MiB; it is not a draft exported by KYB Desk", MAX_IMPORT_BYTES / (1024 * 1024)),
        ));
    }
    let portable = read_portable(&text).map_err(|err| CommandError::invalid_input("text", format!("{shown}: {err}")))?;
    let environment = state.active_environment().await.name;
    let _writing = state.draft_writes.lock().await;
    let importer = state.profile();
    let report = blocking(move || {
        let mut report = home.store.import(portable, &environment).map_err(|err| draft_error(None, err))?;
        // A file that names no preparer: whoever brings the change in prepared it (four-eyes).
        if let Some(importer) = importer.filter(|_| report.draft.review.editors.is_empty()) {
            report.draft.review.editors.push(importer);
            home.store.put(&report.draft).map_err(|err| draft_error(None, err))?;
        }
        Ok::<_, CommandError>(report)
    })
    .await??;
    state
        .imported_keys
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
        .insert(report.draft.id.clone(), (report.idempotency_key.clone(), report.draft.record.clone()));
    tracing::info!(draft = %report.draft.id, issues = report.issues.len(), "draft imported");
    Ok(Ipc(report))
}

/// Remember which draft is open (`None`: none), for `restore_workspace` after a restart.
#[tauri::command(rename_all = "snake_case")]
pub async fn set_open_draft(state: State<'_, AppState>, id: Option<String>) -> Result<(), CommandError> {
    let open_draft = match id.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(id) => Some(draft_id(id)?),
    };
    state.drafts()?;
    let workspace = state.workspace.clone();
    blocking(move || workspace.save(&Workspace { open_draft }))
        .await?
        .map_err(|err| CommandError::Internal(format!("cannot write workspace.json: {err}")))?;
    Ok(())
}

/// The draft that was open when the app last stopped (`null` when none, or it is gone).
#[tauri::command(rename_all = "snake_case")]
pub async fn restore_workspace(state: State<'_, AppState>) -> Result<Ipc<Option<Draft>>, CommandError> {
    let store = state.drafts()?.store.clone();
    let workspace = state.workspace.clone();
    let draft = blocking(move || -> Result<Option<Draft>, CommandError> {
        let Some(id) = workspace.load().open_draft else { return Ok(None) };
        match store.load(&id) {
            Ok(draft) => Ok(Some(draft)),
            Err(DraftError::NotFound { .. }) => {
                let _ = workspace.save(&Workspace::default());
                Ok(None)
            }
            Err(err) => Err(draft_error(Some(&id), err)),
        }
    })
    .await??;
    Ok(Ipc(draft))
}

/// Write `bytes` as `<stem>.json` (then `<stem>-2.json`, … if taken) into the first usable export
/// folder, readable only by this user. Returns the path and the file name.
pub(crate) fn write_export(folders: &ExportFolders, stem: &str, bytes: &[u8]) -> Result<(PathBuf, String), CommandError> {
    write_export_as(folders, stem, "json", bytes)
}

/// [`write_export`] with another file extension (`html` for case reports).
pub(crate) fn write_export_as(
    folders: &ExportFolders,
    stem: &str,
    extension: &str,
    bytes: &[u8],
) -> Result<(PathBuf, String), CommandError> {
    let mut tried = Vec::new();
    let candidates = [
        folders.explicit.clone().map(|dir| (dir, true)),
        folders.downloads.clone().map(|dir| (dir, false)),
        Some((folders.data_dir.clone(), true)),
    ];
    for (dir, create) in candidates.into_iter().flatten() {
        if create {
            if let Err(err) = std::fs::create_dir_all(&dir) {
                tried.push(format!("{}: {err}", dir.display()));
                continue;
            }
        } else if !dir.is_dir() {
            continue;
        }
        match write_new(&dir, stem, extension, bytes) {
            Ok(done) => return Ok(done),
            Err(err) => tried.push(format!("{}: {err}", dir.display())),
        }
    }
    Err(CommandError::Internal(format!("the file could not be written to any export folder ({})", tried.join("; "))))
}

fn write_new(dir: &Path, stem: &str, extension: &str, bytes: &[u8]) -> std::io::Result<(PathBuf, String)> {
    for n in 1..=100 {
        let file_name = if n == 1 { format!("{stem}.{extension}") } else { format!("{stem}-{n}.{extension}") };
        let path = dir.join(&file_name);
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        match options.open(&path) {
            Ok(mut file) => {
                if let Err(err) = file.write_all(bytes).and_then(|()| file.sync_all()) {
                    let _ = std::fs::remove_file(&path);
                    return Err(err);
                }
                return Ok((path, file_name));
            }
            Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(err) => return Err(err),
        }
    }
    Err(std::io::Error::new(std::io::ErrorKind::AlreadyExists, "too many exports with the same name"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exports_never_overwrite_and_are_private() {
        let dir = tempfile::tempdir().unwrap();
        let folders = ExportFolders { explicit: None, downloads: Some(dir.path().join("missing")), data_dir: dir.path().join("data") };
        let (first, name) = write_export(&folders, "kyb-draft-x-20260101-000000", b"{}").unwrap();
        assert_eq!(name, "kyb-draft-x-20260101-000000.json");
        assert!(first.starts_with(dir.path().join("data")), "Downloads missing: the data folder");
        let (_, second) = write_export(&folders, "kyb-draft-x-20260101-000000", b"{}").unwrap();
        assert_eq!(second, "kyb-draft-x-20260101-000000-2.json");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(std::fs::metadata(&first).unwrap().permissions().mode() & 0o777, 0o600);
        }
    }
}

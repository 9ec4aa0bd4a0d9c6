//! Drafts: autosave, the library, delete and undo, the open draft, export and import.
//!
//! Drafts are sealed at rest with a key in the OS keychain (kyb-core); without a keychain every
//! command here answers `keychain_unavailable`. The store's file work runs off the async workers.


use std::collections::HashSet;

use kyb_core::audit::AuditEvent;
use kyb_core::drafts::{
    export_draft as portable_export, is_draft_id, portable_file_name, read_portable, to_pretty_json,
    Draft, DraftError, DraftSave, DraftSaved, DraftSummary, ImportReport, UnreadableDraft,
};
use kyb_core::outbox::{latest_by_draft, OutboxEntry};
use serde::Serialize;
use ts_rs::TS;

use super::draft_id;
use super::review::{draft_state_summary, needs_review_by};
use crate::error::{draft_error, outbox_error, AppError};
use crate::exports::{write_export, ExportedDraft};
use crate::state::{blocking, AppState};
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
    /// Whether the draft's environment requires an approval before queueing.
    pub requires_approval: bool,
    /// The draft's own state in words ("12 unsent changes, waiting for approval"), apart from
    /// its last submission (`outbox`).
    pub state_summary: String,
    /// Whether the active profile may give the approval this change waits for ("Needs review").
    pub needs_my_review: bool,
}

/// `list_drafts`: every readable draft (newest first) and the files that could not be opened.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct DraftLibraryView {
    pub drafts: Vec<DraftListItem>,
    pub unreadable: Vec<UnreadableDraft>,
}

/// The library: every draft with its latest outbox entry.
pub async fn list_drafts(state: &AppState) -> Result<DraftLibraryView, AppError> {
    let home = state.drafts()?.clone();
    let profile = state.profile();
    let (library, mut latest) = blocking(move || -> Result<_, AppError> {
        let library = home.store.list().map_err(|err| draft_error(None, err))?;
        let latest = latest_by_draft(home.outbox.entries().map_err(|err| outbox_error(None, err))?);
        Ok((library, latest))
    })
    .await??;
    let mut requiring = HashSet::new();
    for name in library.drafts.iter().map(|d| d.environment.clone()).collect::<HashSet<_>>() {
        if state.environment(&name).await.is_some_and(|e| e.requires_approval) {
            requiring.insert(name);
        }
    }
    let drafts = library
        .drafts
        .into_iter()
        .map(|summary| {
            let outbox = latest.remove(&summary.id).map(super::outbox::for_page);
            let requires_approval = requiring.contains(&summary.environment);
            let state_summary = draft_state_summary(summary.pending_changes, &summary.approval, requires_approval);
            let needs_my_review = needs_review_by(
                profile.as_deref(),
                summary.pending_changes,
                &summary.preparers,
                &summary.approval,
                requires_approval,
            );
            DraftListItem { summary, outbox, requires_approval, state_summary, needs_my_review }
        })
        .collect();
    let view = DraftLibraryView { drafts, unreadable: library.unreadable };
    Ok(view)
}

pub async fn open_draft(state: &AppState, id: &str) -> Result<Draft, AppError> {
    let id = draft_id(id)?;
    let store = state.drafts()?.store.clone();
    let draft = blocking(move || store.load(&id).map_err(|err| draft_error(Some(&id), err))).await??;
    Ok(draft)
}

/// Autosave. The environment must exist. An existing draft keeps the base it was started from
/// (the worker moves it after a send); the page's `base` is used for a new draft only.
pub async fn save_draft(state: &AppState, mut input: DraftSave) -> Result<Draft, AppError> {
    let home = state.drafts()?.clone();
    if state.environment(&input.environment).await.is_none() {
        return Err(AppError::invalid_input(
            "draft",
            format!("there is no environment named {:?} to keep this draft for", input.environment),
        ));
    }
    if let Some(id) = &input.id {
        if !is_draft_id(id) {
            return Err(AppError::invalid_input("draft", format!("{id:?} is not a draft id")));
        }
    }
    input.editor = state.profile();
    let _writing = state.draft_writes.lock().await;
    let store = home.store.clone();
    let DraftSaved { draft: saved, voided_approval } =
        blocking(move || store.save(input).map_err(|err| draft_error(None, err))).await??;
    // Any change to what was approved voids the approval (the store removed it): say so in the trail.
    if let Some(voided) = voided_approval {
        let actor = state.profile().unwrap_or_else(|| crate::audit_trail::APP_ACTOR.to_owned());
        let event = AuditEvent::ApprovalVoided {
            diff_hash: voided.diff_hash,
            reason: format!("the draft changed after {} approved it", voided.approver),
        };
        crate::audit_trail::append(&home, crate::audit_trail::about_draft(&saved, &actor, event)).await?;
        tracing::info!(draft = %saved.id, "approval voided by a change");
    }
    tracing::debug!(draft = %saved.id, revision = saved.revision, issues = saved.issue_count, "draft saved");
    Ok(saved)
}

/// Move a draft to the trash (`restore_draft` undoes it; purged after 30 days).
pub async fn delete_draft(state: &AppState, id: &str) -> Result<(), AppError> {
    let id = draft_id(id)?;
    let store = state.drafts()?.store.clone();
    let _writing = state.draft_writes.lock().await;
    let deleted = id.clone();
    blocking(move || store.delete(&deleted).map_err(|err| draft_error(Some(&deleted), err))).await??;
    tracing::info!(draft = %id, "draft moved to the trash");
    Ok(())
}

pub async fn restore_draft(state: &AppState, id: &str) -> Result<Draft, AppError> {
    let id = draft_id(id)?;
    let store = state.drafts()?.store.clone();
    let _writing = state.draft_writes.lock().await;
    let draft = blocking(move || store.restore(&id).map_err(|err| draft_error(Some(&id), err))).await??;
    tracing::info!(draft = %draft.id, "draft restored from the trash");
    Ok(draft)
}

/// Write the draft as a portable JSON file (no secrets; a fresh idempotency key) into the
/// export folder (`crate::exports`: `KYB_DESK_EXPORT_DIR`, else Downloads/KYB Desk, Documents/KYB Desk or ~/KYB Desk).
pub async fn export_draft(state: &AppState, id: &str) -> Result<ExportedDraft, AppError> {
    let id = draft_id(id)?;
    let store = state.drafts()?.store.clone();
    let folders = state.exports.clone();
    // A team draft's file carries the server's signed approvals of exactly its change and the
    // newest trail checkpoint this desktop verified: another machine checks both offline.
    let team_proof = super::team::review::export_proof(state, &id).await;
    let exported = blocking(move || -> Result<ExportedDraft, AppError> {
        let draft = store.load(&id).map_err(|err| draft_error(Some(&id), err))?;
        let mut file = portable_export(&draft);
        if let Some((approvals, checkpoint)) = team_proof {
            file.signed_approvals = approvals;
            file.team_checkpoint = checkpoint;
        }
        let text = to_pretty_json(&file).map_err(|err| AppError::Internal(format!("cannot write the draft as JSON: {err}")))?;
        let name = portable_file_name(&file);
        let stem = name.strip_suffix(".json").unwrap_or(&name);
        let (path, file_name) = write_export(&folders, stem, text.as_bytes())?;
        Ok(ExportedDraft::new(&path, file_name))
    })
    .await??;
    tracing::info!(file = %exported.file_name, "draft exported");
    Ok(exported)
}

/// Read a portable draft file (the page reads it with `<input type=file>`) into the active
/// environment and save it as a draft. An existing draft for the same customer there goes to the
/// trash first (`restore_draft` brings it back). The report lists the validation issues and notes.
/// An approval the file carries comes with it only when signed by this desktop's team server,
/// unchanged, for exactly the file's change; any other is dropped and a note says why.
pub async fn import_draft(state: &AppState, file_name: &str, text: &str) -> Result<ImportReport, AppError> {
    let environment = state.active_environment().await.name;
    import_draft_into(state, file_name, text, &environment).await
}

/// [`import_draft`] into the environment called `environment` instead of the active one (the
/// `kyb` command's `--environment`); `invalid_input` on `environment` when there is none.
pub async fn import_draft_into(
    state: &AppState,
    file_name: &str,
    text: &str,
    environment: &str,
) -> Result<ImportReport, AppError> {
    let environment = match state.environment(environment).await {
        Some(found) => found.name,
        None => {
            return Err(AppError::invalid_input("environment", format!("there is no environment named {environment:?}")))
        }
    };
    let home = state.drafts()?.clone();
    // Only the name, never a path of this machine, appears in messages.
    let file_name = file_name.rsplit(['/', '\\']).next().unwrap_or_default().trim().to_owned();
    let shown = if file_name.is_empty() { "the file".to_owned() } else { file_name.clone() };
    if text.len() > MAX_IMPORT_BYTES {
        return Err(AppError::invalid_input(
            "text",
            format!("{shown} is larger than {} MiB; it is not a draft exported by KYB Desk", MAX_IMPORT_BYTES / (1024 * 1024)),
        ));
    }
    let portable = read_portable(text).map_err(|err| AppError::invalid_input("text", format!("{shown}: {err}")))?;
    // An approval in the file counts only when the team server this desktop is connected to
    // signed it (kyb_core::drafts::check_file_approvals); the others are dropped, with a note.
    let trusted_keys: Vec<String> = state.team.connection().await.map(|connection| connection.server_key).into_iter().collect();
    let _writing = state.draft_writes.lock().await;
    let importer = state.profile();
    let report = blocking(move || {
        let mut report = home.store.import(portable, &environment, &trusted_keys).map_err(|err| draft_error(None, err))?;
        // A file that names no preparer: whoever brings the change in prepared it (four-eyes).
        if let Some(importer) = importer.filter(|_| report.draft.review.editors.is_empty()) {
            report.draft.review.editors.push(importer);
            home.store.put(&report.draft).map_err(|err| draft_error(None, err))?;
        }
        Ok::<_, AppError>(report)
    })
    .await??;
    state
        .imported_keys
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
        .insert(report.draft.id.clone(), (report.idempotency_key.clone(), report.draft.record.clone()));
    tracing::info!(draft = %report.draft.id, issues = report.issues.len(), "draft imported");
    Ok(report)
}

/// Remember which draft is open (`None`: none), for `restore_workspace` after a restart.
pub async fn set_open_draft(state: &AppState, id: Option<&str>) -> Result<(), AppError> {
    let open_draft = match id.map(str::trim) {
        None | Some("") => None,
        Some(id) => Some(draft_id(id)?),
    };
    state.drafts()?;
    let workspace = state.workspace.clone();
    blocking(move || workspace.save(&Workspace { open_draft }))
        .await?
        .map_err(|err| AppError::Internal(format!("cannot write workspace.json: {err}")))?;
    Ok(())
}

/// The draft that was open when the app last stopped (`null` when none, or it is gone).
pub async fn restore_workspace(state: &AppState) -> Result<Option<Draft>, AppError> {
    let store = state.drafts()?.store.clone();
    let workspace = state.workspace.clone();
    let draft = blocking(move || -> Result<Option<Draft>, AppError> {
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
    Ok(draft)
}


//! A team draft's review and submission, carried to the server (which decides whether each is
//! allowed: reviewer role, four-eyes, approval of the exact change), then mirrored into the
//! local copy so the review screens show the team's state. The local use cases hand over here
//! when the draft is a team draft's copy.

use kyb_core::model::{FileType, FileUploadResponse};
use kyb_core::review::{Decision, DecisionReason};
use kyb_core::team_wire::{TeamOutboxState, TeamSubmission, TeamTrailEntry};
use serde::Serialize;
use ts_rs::TS;
use kyb_core::team_approval::SignedApproval;
use kyb_core::team_checkpoint::Checkpoint;
use kyb_core::vault::{CopyOrigin, DocumentVault};

use crate::error::AppError;
use crate::state::{blocking, AppState};
use crate::team::desk::TeamLink;
use crate::team::TeamClient;
use crate::use_cases::review::{review_view, ReviewView};

use super::sync::{push_local, take_server_copy, Pushed};

/// The open draft, when it is a team draft's copy: what a document uploaded from the editor
/// belongs to.
pub fn open_team_draft(state: &AppState) -> Option<(String, TeamLink)> {
    let id = state.workspace.load().open_draft?;
    let link = state.team.links.get(&id)?;
    Some((id, link))
}

/// Push any local edits first: a review or a submission is of what the server holds.
async fn pushed_client(state: &AppState, id: &str) -> Result<TeamClient, AppError> {
    let client = state.team.client().await?;
    match push_local(state, &client, id).await? {
        Pushed::Conflict => Err(AppError::invalid_input(
            "id",
            "someone else changed this team draft too: choose between the versions first (Team → the draft's conflict)",
        )),
        Pushed::Merged => {
            // Their changes are in the local copy now, and pushed with it.
            push_local(state, &client, id).await?;
            Ok(client)
        }
        Pushed::Nothing | Pushed::Applied { .. } => Ok(client),
    }
}

async fn refreshed_view(state: &AppState, client: &TeamClient, link: &TeamLink) -> Result<ReviewView, AppError> {
    let team_draft = client.draft(&link.team_draft_id).await?;
    let draft = take_server_copy(state, client, &team_draft, None).await?;
    let home = state.drafts()?.clone();
    review_view(state, &home, draft).await
}

/// A reviewer's decision on one document of team draft copy `id`.
pub async fn decide(
    state: &AppState,
    id: &str,
    link: &TeamLink,
    file_id: &str,
    decision: Decision,
    reasons: &[DecisionReason],
    note: &str,
) -> Result<ReviewView, AppError> {
    let client = pushed_client(state, id).await?;
    let note = Some(note.trim()).filter(|n| !n.is_empty());
    client.decide_document(&link.team_draft_id, file_id.trim(), decision, reasons.first().copied(), note).await?;
    refreshed_view(state, &client, link).await
}

/// Approve team draft copy `id` as it is on this screen: refused by the server unless the
/// signed-in person is a reviewer who did not change it, and the change is the one shown.
pub async fn approve(state: &AppState, id: &str, link: &TeamLink) -> Result<ReviewView, AppError> {
    let client = pushed_client(state, id).await?;
    let team_draft = client.draft(&link.team_draft_id).await?;
    let home = state.drafts()?.clone();
    let local = home.store.load(id).map_err(|err| crate::error::draft_error(Some(id), err))?;
    if local.record != team_draft.record {
        take_server_copy(state, &client, &team_draft, None).await?;
        return Err(AppError::invalid_input(
            "id",
            "the team's draft changed while you were reviewing it: it has been reloaded; review it again",
        ));
    }
    client.approve(&team_draft.id, team_draft.version, &team_draft.change_hash).await?;
    refreshed_view(state, &client, link).await
}

/// A team submission as the page shows it: the server's entry, its state in words, and once
/// sent, the customer's status at the partner (asked through the server).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct TeamSubmissionView {
    pub submission: TeamSubmission,
    pub state_words: String,
    /// The partner's `status` of the customer after the send (a plain string: any value the
    /// partner uses is shown as it is).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub customer_status: Option<String>,
}

/// The words for a team submission's state.
pub fn state_words(state: TeamOutboxState) -> &'static str {
    match state {
        TeamOutboxState::Queued => "Queued on the team server",
        TeamOutboxState::Sending => "Being sent by the team server",
        TeamOutboxState::Sent => "Sent to the partner",
        TeamOutboxState::Rejected => "Refused by the partner: edit the draft",
        TeamOutboxState::Conflict => "The customer changed at the partner since the draft began",
        TeamOutboxState::Failed => "Could not be sent",
    }
}

/// `environment`: the server's name of the draft's environment.
async fn view_of(client: &TeamClient, submission: TeamSubmission, environment: &str) -> TeamSubmissionView {
    let customer_status = match (&submission.state, &submission.customer_id) {
        (TeamOutboxState::Sent, Some(customer_id)) => {
            client.partner_customer(environment, customer_id).await.ok().map(|found| found.customer.status.to_string())
        }
        _ => None,
    };
    TeamSubmissionView { state_words: state_words(submission.state).to_owned(), submission, customer_status }
}

/// Ask the server to send team draft copy `id` (the version it holds now, with this desktop's
/// edits pushed first). The server refuses without the approval its environment requires.
pub async fn submit(state: &AppState, id: &str) -> Result<TeamSubmissionView, AppError> {
    let id = crate::use_cases::draft_id(id)?;
    let link = state.team.links.get(&id).ok_or_else(|| AppError::invalid_input("id", "this draft is not a team draft"))?;
    let client = pushed_client(state, &id).await?;
    let team_draft = client.draft(&link.team_draft_id).await?;
    let submission = client.submit(&team_draft.id, team_draft.version).await?;
    Ok(view_of(&client, submission, &team_draft.environment).await)
}

/// Where team draft copy `id`'s latest submission stands.
pub async fn submission(state: &AppState, id: &str) -> Result<Option<TeamSubmissionView>, AppError> {
    let id = crate::use_cases::draft_id(id)?;
    let link = state.team.links.get(&id).ok_or_else(|| AppError::invalid_input("id", "this draft is not a team draft"))?;
    let client = state.team.client().await?;
    let local = state.drafts()?.store.load(&id).map_err(|err| crate::error::draft_error(Some(&id), err))?;
    let environment = crate::team::desk::server_environment_name(&local.environment).unwrap_or_default().to_owned();
    match client.submission(&link.team_draft_id).await? {
        Some(submission) => Ok(Some(view_of(&client, submission, &environment).await)),
        None => Ok(None),
    }
}

/// The team's audit trail of team draft copy `id` (every desktop reads the same one).
pub async fn trail(state: &AppState, id: &str) -> Result<Vec<TeamTrailEntry>, AppError> {
    let id = crate::use_cases::draft_id(id)?;
    let link = state.team.links.get(&id).ok_or_else(|| AppError::invalid_input("id", "this draft is not a team draft"))?;
    Ok(state.team.client().await?.trail(Some(&link.team_draft_id)).await?)
}

/// Upload a document for team draft copy `id` through the team server (which alone talks to
/// the partner and keeps the bytes for reviewers elsewhere); this desktop keeps its own copy.
pub async fn upload(
    state: &AppState,
    id: &str,
    link: &TeamLink,
    file_name: String,
    file_type: FileType,
    bytes: Vec<u8>,
) -> Result<FileUploadResponse, AppError> {
    let client = state.team.client().await?;
    let document = client.upload_document_bytes(&link.team_draft_id, &file_name, file_type, bytes.clone()).await?;
    tracing::info!(draft = %id, file_id = %document.file_id, "document uploaded through the team server");
    keep_copy(state, id, &document.file_id, &file_name, Some(file_type), bytes, CopyOrigin::Uploaded).await;
    Ok(FileUploadResponse { file_id: document.file_id })
}

/// The bytes of document `file_id` of team draft copy `id` from the team server (checked
/// against its SHA-256), kept locally for the viewer.
pub async fn fetch_document(state: &AppState, id: &str, link: &TeamLink, file_id: &str) -> Result<Vec<u8>, AppError> {
    let client = state.team.client().await?;
    let document = client.documents(&link.team_draft_id).await?.into_iter().find(|d| d.file_id == file_id);
    // A document already at the partner that nobody uploaded through the team: no bytes
    // anywhere but with whoever was sent it (the viewer offers to attach that copy).
    let Some(document) = document.filter(|d| d.held) else {
        return Err(AppError::DocumentCopyMissing { file_id: file_id.to_owned() });
    };
    let bytes = client.read_document(&link.team_draft_id, file_id).await?;
    let (file_name, file_type) = (document.file_name, Some(document.file_type));
    keep_copy(state, id, file_id, &file_name, file_type, bytes.clone(), CopyOrigin::Attached).await;
    Ok(bytes)
}

async fn keep_copy(state: &AppState, id: &str, file_id: &str, file_name: &str, file_type: Option<FileType>, bytes: Vec<u8>, origin: CopyOrigin) {
    let Ok(home) = state.drafts() else { return };
    let Ok(draft) = home.store.load(id) else { return };
    let vault = home.vault.clone();
    let added_by = state.team.person().await.map(|p| p.name).unwrap_or_else(|| crate::audit_trail::APP_ACTOR.to_owned());
    let (file_id, file_name) = (file_id.to_owned(), file_name.to_owned());
    let kept = blocking(move || {
        let mut copy = DocumentVault::describe(&draft.environment, &file_id, &file_name, &bytes, origin, &added_by)?;
        copy.file_type = file_type;
        vault.keep(copy, &bytes)
    })
    .await;
    if !matches!(kept, Ok(Ok(_))) {
        tracing::warn!("could not keep a local copy of a team document");
    }
}

/// What an exported file of team draft copy `id` carries as proof: the server's signed approvals
/// of exactly the local record's change (none when offline or changed since), and the newest
/// audit checkpoint this desktop verified. `None` for a solo draft.
pub async fn export_proof(state: &AppState, id: &str) -> Option<(Vec<SignedApproval>, Option<Checkpoint>)> {
    let link = state.team.links.get(id)?;
    let connection = state.team.connection().await?;
    let checkpoint = state.team.checkpoints.kept(&connection).ok().flatten();
    let local = state.drafts().ok()?.store.load(id).ok()?;
    let approvals = match state.team.client().await {
        Ok(client) => match client.draft(&link.team_draft_id).await {
            Ok(team_draft) if team_draft.record == local.record => team_draft.approvals,
            Ok(_) => Vec::new(),
            Err(err) => {
                tracing::warn!(error = %err, "exporting a team draft without its approvals: the server did not answer");
                Vec::new()
            }
        },
        Err(_) => Vec::new(),
    };
    Some((approvals, checkpoint))
}
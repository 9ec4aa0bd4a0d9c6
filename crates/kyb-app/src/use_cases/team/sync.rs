//! The team sync: local edits of team drafts go to the server with the version they started
//! from and an idempotency key (kept before sending, so a push whose answer was lost is sent
//! again with the same key and applied once); others' changes come back into local copies that
//! hold no unpushed edits. When someone else pushed first, the two are merged field by field
//! against the customer's record at the partner; a field changed on both sides waits for the
//! person (the three-way conflict screen). Runs in the background while the desktop is
//! connected; offline edits simply wait in the sealed drafts store.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use kyb_core::drafts::Draft;
use kyb_core::merge::{merge3, resolve, Choice, FieldConflict};
use kyb_core::review::{Approval, DocumentDecision, Review};
use kyb_core::team_wire::{TeamDocument, TeamDraft, TeamDraftSummary, TeamQueue};
use kyb_core::drafts::validate_draft;
use kyb_core::validation::ValidationContext;
use serde::Serialize;
use serde_json::{json, Value};
use ts_rs::TS;

use crate::error::AppError;
use crate::state::{blocking, AppState, DraftsHome};
use crate::team::desk::{local_environment_name, PendingPush, TeamConflict, TeamLink};
use crate::team::{TeamClient, TeamError};

use super::drafts::{base_of, local_id_for};

/// How often the background sync runs while connected.
pub const SYNC_INTERVAL: Duration = Duration::from_secs(2);

/// Local edits not pushed yet, and drafts waiting for the person's merge choices.
pub async fn pending_counts(state: &AppState) -> (u32, u32) {
    let Ok(home) = state.drafts() else { return (0, 0) };
    let (mut unpushed, mut conflicts) = (0, 0);
    for (id, link) in state.team.links.all() {
        if link.conflict.is_some() {
            conflicts += 1;
        } else if home.store.load(&id).is_ok_and(|d| d.revision > link.synced_revision) {
            unpushed += 1;
        }
    }
    (unpushed, conflicts)
}

async fn load_local(home: &DraftsHome, id: &str) -> Result<Option<Draft>, AppError> {
    let (store, id) = (home.store.clone(), id.to_owned());
    Ok(blocking(move || store.load(&id).ok()).await?)
}

async fn put_local(home: &DraftsHome, draft: Draft) -> Result<Draft, AppError> {
    let store = home.store.clone();
    blocking(move || store.put(&draft).map(|()| draft))
        .await?
        .map_err(|err| crate::error::draft_error(None, err))
}

fn link_failed(err: std::io::Error) -> AppError {
    AppError::Internal(format!("cannot keep the team sync's links: {err}"))
}

/// The team's review of a draft as the local review screens read it: preparers, document
/// decisions, and the server's approval when it covers exactly the local record.
fn mirrored_review(local: &Draft, team_draft: &TeamDraft, names: &TeamDraftSummary, documents: &[TeamDocument]) -> Review {
    // Identifier confirmations are the reviewer's own checks on this desktop (the server keeps
    // decisions and approvals): they stay, and hold only while the value is unchanged.
    let mut review = Review { editors: names.preparers.clone(), matches: local.review.matches.clone(), ..Review::default() };
    for document in documents {
        if let Some(decided) = &document.decision {
            review.decisions.insert(
                document.file_id.clone(),
                DocumentDecision {
                    file_id: document.file_id.clone(),
                    decision: decided.decision,
                    reasons: decided.reason.into_iter().collect(),
                    note: decided.note.clone().unwrap_or_default(),
                    decided_by: decided.decided_by.clone(),
                    decided_at: decided.decided_at,
                },
            );
        }
    }
    // Only a record equal to the approved version shows as approved (the server checks again).
    if local.record == team_draft.record {
        if let Some(approval) = team_draft.approvals.first() {
            let mut draft = local.clone();
            draft.review = review.clone();
            review.approval = Some(Approval {
                approver: names.approved_by.first().cloned().unwrap_or_else(|| approval.approved_by.clone()),
                preparers: names.preparers.clone(),
                diff_hash: kyb_core::review::diff_hash(&draft),
                environment: local.environment.clone(),
                approved_at: approval.approved_at,
            });
        }
    }
    review
}

/// Make the local copy of `team_draft` (or refresh it): the server's record unless the local
/// copy holds edits not pushed yet (never overwritten), and the team's review state. `listed`:
/// the draft's summary when the caller has just listed it (else it is asked for).
pub(super) async fn take_server_copy(
    state: &AppState,
    client: &TeamClient,
    team_draft: &TeamDraft,
    listed: Option<&TeamDraftSummary>,
) -> Result<Draft, AppError> {
    let documents = client.documents(&team_draft.id).await?;
    let names = match listed {
        Some(summary) => summary.clone(),
        None => summary_of(client, &team_draft.id).await?,
    };
    let home = state.drafts()?.clone();
    let local_id = local_id_for(team_draft);
    let _writing = state.draft_writes.lock().await;
    let existing = load_local(&home, &local_id).await?;
    let link = state.team.links.get(&local_id);
    let unpushed = match (&existing, &link) {
        (Some(draft), Some(link)) if link.team_draft_id == team_draft.id => draft.revision > link.synced_revision,
        (Some(draft), Some(_)) if draft.record != team_draft.record => {
            return Err(AppError::DraftExists {
                id: local_id,
                message: "this desktop holds unsent edits of another team draft for the same customer: push or delete them first".into(),
            })
        }
        // A local copy without a link (its bookkeeping was lost): its record is kept as
        // unpushed edits against version 0, so the next push merges it with the server's.
        (Some(draft), None) => draft.record != team_draft.record,
        _ => false,
    };
    let now = Utc::now();
    let draft = match existing {
        Some(mut draft) if unpushed => {
            draft.review = mirrored_review(&draft, team_draft, &names, &documents);
            if link.is_none() {
                let new_link = TeamLink {
                    server_url: client.server_url().to_owned(),
                    team_draft_id: team_draft.id.clone(),
                    server_version: 0,
                    synced_revision: 0,
                    pending: None,
                    conflict: None,
                };
                state.team.links.update(&local_id, |_| Some(new_link)).map_err(link_failed)?;
            }
            draft
        }
        // Already the server's record and review, and linked to this version: nothing to write
        // (the open draft is refreshed every round; its revision moves only on a change).
        Some(draft)
            if draft.record == team_draft.record
                && draft.review == mirrored_review(&draft, team_draft, &names, &documents)
                && link.as_ref().is_some_and(|l| l.team_draft_id == team_draft.id && l.server_version == team_draft.version) =>
        {
            draft
        }
        existing => {
            let issues = validate_draft(&team_draft.target, &team_draft.record, &ValidationContext::on(now.date_naive()));
            let mut draft = Draft {
                id: local_id.clone(),
                environment: local_environment_name(&team_draft.environment),
                target: team_draft.target.clone(),
                base: base_of(team_draft),
                record: team_draft.record.clone(),
                revision: existing.as_ref().map_or(1, |d| d.revision.saturating_add(1)),
                created_at: existing.as_ref().map_or(now, |d| d.created_at),
                updated_at: now,
                issue_count: u32::try_from(issues.len()).unwrap_or(u32::MAX),
                review: Review::default(),
            };
            draft.review = mirrored_review(&draft, team_draft, &names, &documents);
            let revision = draft.revision;
            let link = TeamLink {
                server_url: client.server_url().to_owned(),
                team_draft_id: team_draft.id.clone(),
                server_version: team_draft.version,
                synced_revision: revision,
                pending: None,
                conflict: None,
            };
            let draft = put_local(&home, draft).await?;
            state.team.links.update(&local_id, |_| Some(link)).map_err(link_failed)?;
            draft
        }
    };
    let draft = if unpushed { put_local(&home, draft).await? } else { draft };
    // Autosaves wait on this lock: not held while documents download.
    drop(_writing);
    fetch_missing_documents(state, &home, &draft, &documents).await;
    Ok(draft)
}

/// Keep a local copy of every document the team server holds for this draft that this desktop
/// has not got yet, so the review screens show it as on the desktop that uploaded it. A document
/// that cannot be fetched now is tried again on the next sync.
async fn fetch_missing_documents(state: &AppState, home: &DraftsHome, draft: &Draft, documents: &[TeamDocument]) {
    let Some(link) = state.team.links.get(&draft.id) else { return };
    for document in documents.iter().filter(|d| d.held) {
        let (vault, environment, file_id) = (home.vault.clone(), draft.environment.clone(), document.file_id.clone());
        let kept = blocking(move || vault.info(&environment, &file_id)).await;
        if matches!(kept, Ok(Ok(Some(_)))) {
            continue;
        }
        if let Err(err) = super::review::fetch_document(state, &draft.id, &link, &document.file_id).await {
            tracing::warn!(file_id = %document.file_id, error = %err, "a team document could not be fetched; tried again on the next sync");
        }
    }
}

/// The team's summary of draft `id`: the display names of who prepared, approved and last
/// changed it (the draft itself names subjects, which four-eyes compares).
async fn summary_of(client: &TeamClient, id: &str) -> Result<TeamDraftSummary, AppError> {
    client
        .list_drafts(TeamQueue::All)
        .await?
        .into_iter()
        .find(|s| s.id == id)
        .ok_or_else(|| AppError::Team(TeamError::Refused {
            status: 404,
            kind: kyb_core::team_wire::TeamRefusalKind::NotFound,
            message: format!("the team server no longer lists draft {id}"),
            field: None,
        }))
}

/// What a push did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pushed {
    /// Nothing to push (or waiting for merge choices).
    Nothing,
    /// The server has the local record now, as `version`.
    Applied { version: i64 },
    /// Someone else pushed first; their changes were merged in without a clash (pushed next).
    Merged,
    /// Someone else pushed first and changed a field this desktop changed too.
    Conflict,
}

/// Push local draft `id`'s edits, if it has any.
pub async fn push_local(state: &AppState, client: &TeamClient, id: &str) -> Result<Pushed, AppError> {
    let Some(link) = state.team.links.get(id) else { return Ok(Pushed::Nothing) };
    if link.conflict.is_some() {
        return Ok(Pushed::Conflict);
    }
    let home = state.drafts()?.clone();
    let Some(draft) = load_local(&home, id).await? else { return Ok(Pushed::Nothing) };
    if draft.revision <= link.synced_revision {
        return Ok(Pushed::Nothing);
    }
    // The key is kept before the push leaves: the same revision is always pushed with it.
    let key = match &link.pending {
        Some(pending) if pending.revision == draft.revision => pending.idempotency_key.clone(),
        _ => format!("push-{}", uuid::Uuid::new_v4()),
    };
    let pending = PendingPush { revision: draft.revision, idempotency_key: key.clone() };
    state
        .team
        .links
        .update(id, |link| link.map(|link| TeamLink { pending: Some(pending), ..link }))
        .map_err(link_failed)?;
    match client.push_draft(&link.team_draft_id, link.server_version, &draft.record, &key).await {
        Ok(team_draft) => {
            let revision = draft.revision;
            state
                .team
                .links
                .update(id, |link| {
                    link.map(|link| TeamLink { server_version: team_draft.version, synced_revision: revision, pending: None, ..link })
                })
                .map_err(link_failed)?;
            tracing::info!(draft = %id, version = team_draft.version, "pushed to the team");
            Ok(Pushed::Applied { version: team_draft.version })
        }
        Err(TeamError::Stale { .. }) => merge_with_server(state, client, id).await,
        Err(err) => Err(err.into()),
    }
}

/// Someone else pushed first: merge their version into the local edits.
async fn merge_with_server(state: &AppState, client: &TeamClient, id: &str) -> Result<Pushed, AppError> {
    let Some(link) = state.team.links.get(id) else { return Ok(Pushed::Nothing) };
    let team_draft = client.draft(&link.team_draft_id).await?;
    let home = state.drafts()?.clone();
    let _writing = state.draft_writes.lock().await;
    let Some(mut draft) = load_local(&home, id).await? else { return Ok(Pushed::Nothing) };
    let base = merge_base(&draft);
    let outcome = merge3(&base, &team_draft.record, &draft.record);
    if !outcome.is_clean() {
        let conflict = TeamConflict { server_version: team_draft.version };
        state.team.links.update(id, |link| link.map(|link| TeamLink { conflict: Some(conflict), pending: None, ..link })).map_err(link_failed)?;
        tracing::info!(draft = %id, fields = outcome.conflicts.len(), "team draft changed on both sides; waiting for choices");
        return Ok(Pushed::Conflict);
    }
    draft.record = outcome.merged;
    draft.revision = draft.revision.saturating_add(1);
    draft.updated_at = Utc::now();
    put_local(&home, draft).await?;
    state
        .team
        .links
        .update(id, |link| link.map(|link| TeamLink { server_version: team_draft.version, pending: None, ..link }))
        .map_err(link_failed)?;
    Ok(Pushed::Merged)
}

/// The common ancestor of both sides: the customer's record at the partner when the team draft
/// began (every version of a team draft shares it). A field changed on both sides since then,
/// to different values, is a conflict, even if this desktop's change was pushed earlier: the
/// person decides, nothing is overwritten silently.
fn merge_base(draft: &Draft) -> Value {
    draft.base.as_ref().map(|b| b.record.clone()).unwrap_or_else(|| json!({}))
}

/// The conflict of local draft `id` as the three-way conflict screen shows it.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct TeamConflictView {
    pub id: String,
    /// Who changed the team draft last, and when (display name).
    pub updated_by: String,
    pub conflicts: Vec<FieldConflict>,
    /// Fields only they changed (already taken into the local record).
    pub taken_from_theirs: Vec<String>,
}

/// What both sides of local draft `id`'s conflict are read from: its id, a client, the team's
/// current version, and the drafts store.
async fn conflicted(state: &AppState, id: &str) -> Result<(String, TeamClient, TeamDraft, DraftsHome), AppError> {
    let id = crate::use_cases::draft_id(id)?;
    let link = state.team.links.get(&id).filter(|l| l.conflict.is_some()).ok_or_else(|| {
        AppError::invalid_input("id", "this draft has no conflict with the team's version")
    })?;
    let client = state.team.client().await?;
    let team_draft = client.draft(&link.team_draft_id).await?;
    Ok((id, client, team_draft, state.drafts()?.clone()))
}

pub async fn team_conflict(state: &AppState, id: &str) -> Result<TeamConflictView, AppError> {
    let (id, client, team_draft, home) = conflicted(state, id).await?;
    let draft = load_local(&home, &id).await?.ok_or_else(|| AppError::DraftNotFound { id: id.clone() })?;
    let outcome = merge3(&merge_base(&draft), &team_draft.record, &draft.record);
    Ok(TeamConflictView {
        id,
        updated_by: summary_of(&client, &team_draft.id).await?.updated_by,
        conflicts: outcome.conflicts,
        taken_from_theirs: outcome.taken_from_theirs,
    })
}

/// Apply the person's choices (mine or theirs for every conflicting field): the merged record
/// becomes a new local revision, pushed on top of the team's current version.
pub async fn resolve_team_conflict(state: &AppState, id: &str, choices: BTreeMap<String, Choice>) -> Result<Draft, AppError> {
    let (id, client, team_draft, home) = conflicted(state, id).await?;
    let draft = {
        let _writing = state.draft_writes.lock().await;
        let mut draft = load_local(&home, &id).await?.ok_or_else(|| AppError::DraftNotFound { id: id.clone() })?;
        let merged = resolve(&merge_base(&draft), &team_draft.record, &draft.record, &choices).map_err(|err| match err {
            kyb_core::merge::MergeError::Unresolved { paths } => AppError::UnresolvedConflicts { paths },
            other => AppError::invalid_input("choices", other.to_string()),
        })?;
        draft.record = merged;
        draft.revision = draft.revision.saturating_add(1);
        draft.updated_at = Utc::now();
        let draft = put_local(&home, draft).await?;
        state
            .team
            .links
            .update(&id, |link| link.map(|link| TeamLink { server_version: team_draft.version, conflict: None, pending: None, ..link }))
            .map_err(link_failed)?;
        draft
    };
    push_local(state, &client, &id).await?;
    Ok(draft)
}

/// One round: push every local edit, refresh the open draft and every copy the team changed,
/// and say the open draft is being worked on.
pub async fn sync_once(state: &AppState) -> Result<(), AppError> {
    let client = state.team.client().await?;
    let links = state.team.links.all();
    for id in links.keys() {
        if let Err(err) = push_local(state, &client, id).await {
            tracing::warn!(draft = %id, error = %err, "team push did not go through; kept for the next round");
        }
    }
    let open = state.workspace.load().open_draft;
    let summaries = client.list_drafts(TeamQueue::All).await?;
    for (id, link) in state.team.links.all() {
        let Some(summary) = summaries.iter().find(|s| s.id == link.team_draft_id) else { continue };
        let is_open = open.as_deref() == Some(id.as_str());
        let local_revision = state.drafts()?.store.load(&id).map(|d| d.revision).unwrap_or(0);
        let unpushed = local_revision > link.synced_revision || link.conflict.is_some();
        if is_open || (summary.version > link.server_version && !unpushed) {
            let team_draft = client.draft(&link.team_draft_id).await?;
            take_server_copy(state, &client, &team_draft, Some(summary)).await?;
        }
        if is_open {
            client.working_on(&link.team_draft_id).await?;
        }
    }
    Ok(())
}

/// Run the sync every [`SYNC_INTERVAL`] while a team is connected, until the state is dropped.
pub fn spawn(state: Arc<AppState>, runtime: &tokio::runtime::Handle) {
    let weak = Arc::downgrade(&state);
    drop(state);
    runtime.spawn(async move {
        loop {
            tokio::time::sleep(SYNC_INTERVAL).await;
            let Some(state) = weak.upgrade() else { return };
            if state.team.connection().await.is_none() {
                continue;
            }
            match sync_once(&state).await {
                Ok(()) => {}
                Err(AppError::Team(TeamError::NotSignedIn | TeamError::NotConnected)) => {}
                Err(err) => tracing::debug!(error = %err, "team sync round incomplete"),
            }
        }
    });
}

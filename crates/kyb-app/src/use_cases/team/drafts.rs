//! The team's drafts on this desktop: the queues ("Waiting for my review", mine, all),
//! "assign to me", and opening or starting a team draft, which makes (or refreshes) its local
//! copy: the editor works on that copy, the sync pushes it.

use chrono::Utc;
use kyb_core::drafts::{update_draft_id, Draft, DraftBase, DraftTarget};
use kyb_core::team_wire::{TeamDraft, TeamDraftSummary, TeamPartnerCustomer, TeamQueue};
use serde::Serialize;
use ts_rs::TS;

use crate::error::AppError;
use crate::state::AppState;
use crate::team::desk::{local_environment_name, server_environment_name, TeamLink};

/// One row of a team queue: the server's summary and this desktop's side of it.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct TeamDraftRow {
    pub summary: TeamDraftSummary,
    /// The environment's name on this desktop (`Team · <server name>`), as the header lists it.
    pub environment: String,
    /// The local copy's draft id, when this desktop has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub local_id: Option<String>,
    /// Local edits not on the server yet.
    pub unpushed: bool,
    /// Someone else changed it first: the local edits wait for a merge.
    pub conflict: bool,
}

/// The drafts of `queue`, as the server lists them.
pub async fn team_drafts(state: &AppState, queue: TeamQueue) -> Result<Vec<TeamDraftRow>, AppError> {
    let client = state.team.client().await?;
    let summaries = client.list_drafts(queue).await?;
    let links = state.team.links.all();
    let home = state.drafts()?.clone();
    let mut rows = Vec::with_capacity(summaries.len());
    for summary in summaries {
        let local = links.iter().find(|(_, link)| link.team_draft_id == summary.id);
        let (local_id, unpushed, conflict) = match local {
            Some((id, link)) => {
                let revision = home.store.load(id).map(|d| d.revision).unwrap_or(link.synced_revision);
                (Some(id.clone()), revision > link.synced_revision, link.conflict.is_some())
            }
            None => (None, false, false),
        };
        let environment = local_environment_name(&summary.environment);
        rows.push(TeamDraftRow { summary, environment, local_id, unpushed, conflict });
    }
    Ok(rows)
}

/// Assign team draft `team_id` to the signed-in person (recorded in the team's trail).
pub async fn assign_to_me(state: &AppState, team_id: &str) -> Result<TeamDraftSummary, AppError> {
    let team_id = super::super::required("id", team_id)?;
    Ok(state.team.client().await?.assign_to_me(&team_id).await?)
}

/// The local id a team draft is kept under: one update draft per team environment and customer
/// (as in solo mode), a new customer's draft by the server's id.
pub fn local_id_for(draft: &TeamDraft) -> String {
    let environment = local_environment_name(&draft.environment);
    match &draft.target {
        DraftTarget::Update { customer_id } => update_draft_id(&environment, customer_id),
        DraftTarget::Create { .. } => format!("c-{}", draft.id.replace('-', "")),
    }
}

/// Open team draft `team_id`: its local copy, refreshed from the server unless it holds edits
/// not pushed yet (those are never overwritten; the sync pushes or merges them).
pub async fn open_team_draft(state: &AppState, team_id: &str) -> Result<Draft, AppError> {
    let team_id = super::super::required("id", team_id)?;
    let client = state.team.client().await?;
    let team_draft = client.draft(&team_id).await?;
    let draft = super::sync::take_server_copy(state, &client, &team_draft, None).await?;
    crate::use_cases::drafts::set_open_draft(state, Some(&draft.id)).await?;
    Ok(draft)
}

/// Start a team draft for `customer_id` in the team environment `environment` (its local
/// name): the server fetches the customer from the partner (only it holds the credentials) and
/// keeps the draft; this desktop keeps the local copy the editor works on.
pub async fn start_team_draft(state: &AppState, environment: &str, customer_id: &str) -> Result<Draft, AppError> {
    let (_, draft) = open_team_customer(state, environment, customer_id).await?;
    crate::use_cases::drafts::set_open_draft(state, Some(&draft.id)).await?;
    Ok(draft)
}

/// The customer `customer_id` as the partner has it now (asked by the team server) and the local
/// copy of its team draft in `environment` (a local team environment name): the open one,
/// joined, or a new one started from the partner's record.
pub async fn open_team_customer(state: &AppState, environment: &str, customer_id: &str) -> Result<(TeamPartnerCustomer, Draft), AppError> {
    let customer_id = super::super::required("customer_id", customer_id)?;
    let server_name = server_environment_name(environment)
        .ok_or_else(|| AppError::invalid_input("environment", format!("{environment:?} is not a team environment")))?
        .to_owned();
    let client = state.team.client().await?;
    let found = client.partner_customer(&server_name, &customer_id).await?;
    let target = DraftTarget::Update { customer_id: customer_id.clone() };
    // One draft per customer and environment on the team too: an open one is joined.
    let existing = client
        .list_drafts(TeamQueue::All)
        .await?
        .into_iter()
        .find(|s| s.environment == server_name && s.target == target && s.submission.as_ref().is_none_or(|sub| !sub.state.is_settled()));
    let team_draft = match &existing {
        Some(summary) => client.draft(&summary.id).await?,
        None => {
            let key = format!("start-{}", uuid::Uuid::new_v4());
            client.create_draft(&server_name, &target, &found.record, &found.record, &key).await?
        }
    };
    let draft = super::sync::take_server_copy(state, &client, &team_draft, existing.as_ref()).await?;
    Ok((found, draft))
}

/// The link of local draft `id`, when it is a team draft's copy.
pub fn link_of(state: &AppState, id: &str) -> Option<TeamLink> {
    state.team.links.get(id)
}

/// The base a local copy keeps: the record the team draft started from.
pub(super) fn base_of(team_draft: &TeamDraft) -> Option<DraftBase> {
    match team_draft.target {
        DraftTarget::Update { .. } => {
            Some(DraftBase { record: team_draft.base_record.clone(), partner_customer_id: None, status: None, fetched_at: Utc::now() })
        }
        DraftTarget::Create { .. } => None,
    }
}

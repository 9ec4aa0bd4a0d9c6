//! Team mode (adapters over `kyb_app::use_cases::team`). Sign-in opens the provider's page in
//! the system browser with Tauri's opener plugin, from Rust: the page never gets a URL opener.

use std::collections::BTreeMap;

use kyb_app::page_values::ForPage;
use kyb_app::use_cases::team::{self, drafts::TeamDraftRow, sync::TeamConflictView, TeamStatus};
use kyb_core::drafts::Draft;
use kyb_core::merge::Choice;
use kyb_core::team_wire::{TeamDraftSummary, TeamQueue, TeamTrailEntry};
use serde_json::Value;

use super::{argument, AppError, Shared};

#[tauri::command(rename_all = "snake_case")]
pub async fn team_status(state: Shared<'_>) -> Result<TeamStatus, AppError> {
    team::team_status(&state).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn team_connect(state: Shared<'_>, server_url: String) -> Result<TeamStatus, AppError> {
    team::connect::connect(&state, &server_url).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn team_sign_in(state: Shared<'_>) -> Result<TeamStatus, AppError> {
    team::connect::sign_in(&state, |url| tauri_plugin_opener::open_url(url, None::<&str>).map_err(|err| err.to_string())).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn team_sign_out(state: Shared<'_>) -> Result<TeamStatus, AppError> {
    team::connect::sign_out(&state).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn team_disconnect(state: Shared<'_>) -> Result<TeamStatus, AppError> {
    team::connect::disconnect(&state).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn team_drafts(state: Shared<'_>, queue: Value) -> Result<Vec<TeamDraftRow>, AppError> {
    let queue: TeamQueue = argument("queue", queue)?;
    team::drafts::team_drafts(&state, queue).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn team_assign_to_me(state: Shared<'_>, team_id: String) -> Result<TeamDraftSummary, AppError> {
    team::drafts::assign_to_me(&state, &team_id).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn team_open_draft(state: Shared<'_>, team_id: String) -> Result<ForPage<Draft>, AppError> {
    Ok(ForPage(team::drafts::open_team_draft(&state, &team_id).await?))
}

#[tauri::command(rename_all = "snake_case")]
pub async fn team_start_draft(state: Shared<'_>, environment: String, customer_id: String) -> Result<ForPage<Draft>, AppError> {
    Ok(ForPage(team::drafts::start_team_draft(&state, &environment, &customer_id).await?))
}

#[tauri::command(rename_all = "snake_case")]
pub async fn team_submit(state: Shared<'_>, id: String) -> Result<team::review::TeamSubmissionView, AppError> {
    team::review::submit(&state, &id).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn team_submission(state: Shared<'_>, id: String) -> Result<Option<team::review::TeamSubmissionView>, AppError> {
    team::review::submission(&state, &id).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn team_trail(state: Shared<'_>, id: String) -> Result<Vec<TeamTrailEntry>, AppError> {
    team::review::trail(&state, &id).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn team_conflict(state: Shared<'_>, id: String) -> Result<TeamConflictView, AppError> {
    team::sync::team_conflict(&state, &id).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn team_resolve_conflict(state: Shared<'_>, id: String, choices: Value) -> Result<ForPage<Draft>, AppError> {
    let choices: BTreeMap<String, Choice> = argument("choices", choices)?;
    Ok(ForPage(team::sync::resolve_team_conflict(&state, &id, choices).await?))
}

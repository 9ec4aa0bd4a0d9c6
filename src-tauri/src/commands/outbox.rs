//! The outbox (adapters over `kyb_app::use_cases::outbox`); the worker in kyb-app sends.

use kyb_app::page_values::ForPage;
use kyb_app::use_cases::outbox::{self, OutboxStatus};
use kyb_core::outbox::OutboxEntry;
use serde_json::Value;

use super::{argument, AppError, Shared};

#[tauri::command(rename_all = "snake_case")]
pub async fn queue_draft(state: Shared<'_>, id: String, confirmation: Option<String>) -> Result<ForPage<OutboxEntry>, AppError> {
    Ok(ForPage(outbox::queue_draft(&state, &id, confirmation.as_deref()).await?))
}

#[tauri::command(rename_all = "snake_case")]
pub async fn outbox_status(state: Shared<'_>) -> Result<ForPage<OutboxStatus>, AppError> {
    Ok(ForPage(outbox::outbox_status(&state).await?))
}

#[tauri::command(rename_all = "snake_case")]
pub async fn retry_outbox_entry(state: Shared<'_>, id: String) -> Result<ForPage<OutboxEntry>, AppError> {
    Ok(ForPage(outbox::retry_outbox_entry(&state, &id).await?))
}

#[tauri::command(rename_all = "snake_case")]
pub async fn cancel_outbox_entry(state: Shared<'_>, id: String) -> Result<(), AppError> {
    outbox::cancel_outbox_entry(&state, &id).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn resolve_conflict(state: Shared<'_>, id: String, choices: Value) -> Result<ForPage<OutboxEntry>, AppError> {
    Ok(ForPage(outbox::resolve_conflict(&state, &id, argument("choices", choices)?).await?))
}

//! The reviewer workflow (adapters over `kyb_app::use_cases::review`).

use kyb_app::exports::ExportedDraft;
use kyb_app::page_values::ForPage;
use kyb_app::use_cases::review::{self, ReviewView};
use serde_json::Value;

use super::{argument, AppError, Shared};

#[tauri::command(rename_all = "snake_case")]
pub async fn review_status(state: Shared<'_>, id: String) -> Result<ForPage<ReviewView>, AppError> {
    Ok(ForPage(review::review_status(&state, &id).await?))
}

#[tauri::command(rename_all = "snake_case")]
pub async fn decide_document(
    state: Shared<'_>,
    id: String,
    file_id: String,
    decision: Value,
    reasons: Value,
    note: String,
) -> Result<ForPage<ReviewView>, AppError> {
    let (decision, reasons) = (argument("decision", decision)?, argument("reasons", reasons)?);
    Ok(ForPage(review::decide_document(&state, &id, &file_id, decision, reasons, &note).await?))
}

#[tauri::command(rename_all = "snake_case")]
pub async fn confirm_identifier(state: Shared<'_>, id: String, path: String, confirmed: bool) -> Result<ForPage<ReviewView>, AppError> {
    Ok(ForPage(review::confirm_identifier(&state, &id, &path, confirmed).await?))
}

#[tauri::command(rename_all = "snake_case")]
pub async fn approve_draft(state: Shared<'_>, id: String) -> Result<ForPage<ReviewView>, AppError> {
    Ok(ForPage(review::approve_draft(&state, &id).await?))
}

#[tauri::command(rename_all = "snake_case")]
pub async fn export_case_report(state: Shared<'_>, id: String) -> Result<ExportedDraft, AppError> {
    review::export_case_report(&state, &id).await
}

//! Validation and diff of the page's records (adapters over `kyb_app::use_cases::records`).

use kyb_app::use_cases::records;
use kyb_core::diff::DiffView;
use kyb_core::validation::Issue;
use serde_json::Value;

use super::{AppError, Shared};

#[tauri::command(rename_all = "snake_case")]
pub async fn validate_record(record: Value, partner_customer_id: Option<String>) -> Result<Vec<Issue>, AppError> {
    Ok(records::validate_record(&record, partner_customer_id.as_deref()))
}

#[tauri::command(rename_all = "snake_case")]
pub async fn diff_record(state: Shared<'_>, base: Value, edited: Value) -> Result<DiffView, AppError> {
    records::diff_view(&state, &base, &edited).await
}

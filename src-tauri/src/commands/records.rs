//! Validation and diff of the page's records (adapters over `kyb_app::use_cases::records`).

use kyb_app::use_cases::{partner_profile, records};
use kyb_core::diff::DiffView;
use kyb_core::validation::Issue;
use serde_json::Value;

use super::{AppError, Shared};

/// With the active environment's partner profile (its closed lists and bounds).
#[tauri::command(rename_all = "snake_case")]
pub async fn validate_record(state: Shared<'_>, record: Value, partner_customer_id: Option<String>) -> Result<Vec<Issue>, AppError> {
    Ok(partner_profile::validate_record(&state, &record, partner_customer_id.as_deref()).await)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn diff_record(state: Shared<'_>, base: Value, edited: Value) -> Result<DiffView, AppError> {
    records::diff_view(&state, &base, &edited).await
}

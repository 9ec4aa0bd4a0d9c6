//! Session and environments (adapters over `kyb_app::use_cases::session`).

use kyb_app::use_cases::{partner_profile, session};
use kyb_app::state::Session;
use kyb_core::reference::ReferenceData;
use serde_json::Value;

use super::{argument, AppError, Shared};

#[tauri::command(rename_all = "snake_case")]
pub async fn get_session(state: Shared<'_>) -> Result<Session, AppError> {
    session::get_session(&state).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn select_environment(state: Shared<'_>, name: String) -> Result<Session, AppError> {
    session::select_environment(&state, &name).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn save_environment(state: Shared<'_>, environment: Value) -> Result<Session, AppError> {
    session::save_environment(&state, argument("environment", environment)?).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn delete_environment(state: Shared<'_>, name: String) -> Result<Session, AppError> {
    session::delete_environment(&state, &name).await
}

/// Write-only: no command ever returns the key or secret.
#[tauri::command(rename_all = "snake_case")]
pub async fn set_credentials(state: Shared<'_>, environment: String, api_key: String, api_secret: String) -> Result<Session, AppError> {
    session::set_credentials(&state, &environment, &api_key, &api_secret).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn clear_credentials(state: Shared<'_>, environment: String) -> Result<Session, AppError> {
    session::clear_credentials(&state, &environment).await
}

/// The pickers' values from the active environment's partner profile.
#[tauri::command(rename_all = "snake_case")]
pub async fn reference_data(state: Shared<'_>) -> Result<ReferenceData, AppError> {
    Ok(partner_profile::reference_data(&state).await)
}

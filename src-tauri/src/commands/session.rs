//! Session and environments: the environment list, the active one, credentials (write-only).

use kyb_core::credentials::ApiCredentials;
use kyb_core::environments::EnvironmentInput;
use kyb_core::reference::ReferenceData;
use serde_json::Value;
use tauri::State;

use super::{argument, required};
use crate::error::CommandError;
use crate::state::{AppState, Session};

#[tauri::command(rename_all = "snake_case")]
pub async fn get_session(state: State<'_, AppState>) -> Result<Session, CommandError> {
    state.session().await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn select_environment(state: State<'_, AppState>, name: String) -> Result<Session, CommandError> {
    state.select_environment(&name).await?;
    state.session().await
}

/// Create an environment, or replace the one with the same name. Never holds secrets.
#[tauri::command(rename_all = "snake_case")]
pub async fn save_environment(state: State<'_, AppState>, environment: Value) -> Result<Session, CommandError> {
    let input: EnvironmentInput = argument("environment", environment)?;
    state.save_environment(input).await?;
    state.session().await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn delete_environment(state: State<'_, AppState>, name: String) -> Result<Session, CommandError> {
    state.delete_environment(&name).await?;
    state.session().await
}

/// Store an environment's API key and secret in the OS keychain. Write-only: no command ever
/// returns them, and they are never logged.
#[tauri::command(rename_all = "snake_case")]
pub async fn set_credentials(
    state: State<'_, AppState>,
    environment: String,
    api_key: String,
    api_secret: String,
) -> Result<Session, CommandError> {
    let api_key = required("api_key", &api_key)?;
    let api_secret = required("api_secret", &api_secret)?;
    // A value that could never be sent as a header is refused now, not at the first request.
    kyb_core::client::check_credential_value("API key", &api_key)
        .map_err(|_| CommandError::invalid_input("api_key", "the API key contains line breaks or control characters"))?;
    kyb_core::client::check_credential_value("API secret", &api_secret)
        .map_err(|_| CommandError::invalid_input("api_secret", "the API secret contains line breaks or control characters"))?;
    state.set_credentials(&environment, ApiCredentials { api_key, api_secret }).await?;
    state.session().await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn clear_credentials(state: State<'_, AppState>, environment: String) -> Result<Session, CommandError> {
    state.clear_credentials(&environment).await?;
    state.session().await
}

/// Values for the pickers (countries, currencies, the enumerations, file types).
#[tauri::command(rename_all = "snake_case")]
pub async fn reference_data(state: State<'_, AppState>) -> Result<ReferenceData, CommandError> {
    Ok(state.reference().clone())
}

//! Session and environments: the environment list, the active one, credentials (write-only).

use kyb_core::credentials::ApiCredentials;
use kyb_core::environments::EnvironmentInput;
use kyb_core::reference::ReferenceData;

use super::required;
use crate::error::AppError;
use crate::state::{AppState, Session};

pub async fn get_session(state: &AppState) -> Result<Session, AppError> {
    state.session().await
}

pub async fn select_environment(state: &AppState, name: &str) -> Result<Session, AppError> {
    state.select_environment(name).await?;
    // The online indicator is about the new environment at once, not after the next round.
    crate::worker::probe_active_now(state).await;
    state.session().await
}

/// Create an environment, or replace the one with the same name. Never holds secrets.
pub async fn save_environment(state: &AppState, input: EnvironmentInput) -> Result<Session, AppError> {
    state.save_environment(input).await?;
    state.session().await
}

pub async fn delete_environment(state: &AppState, name: &str) -> Result<Session, AppError> {
    state.delete_environment(name).await?;
    state.session().await
}

/// Store an environment's API key and secret in the OS keychain. Write-only: nothing ever
/// returns them, and they are never logged.
pub async fn set_credentials(state: &AppState, environment: &str, api_key: &str, api_secret: &str) -> Result<Session, AppError> {
    let api_key = required("api_key", api_key)?;
    let api_secret = required("api_secret", api_secret)?;
    // A value that could never be sent as a header is refused now, not at the first request.
    kyb_core::client::check_credential_value("API key", &api_key)
        .map_err(|_| AppError::invalid_input("api_key", "the API key contains line breaks or control characters"))?;
    kyb_core::client::check_credential_value("API secret", &api_secret)
        .map_err(|_| AppError::invalid_input("api_secret", "the API secret contains line breaks or control characters"))?;
    state.set_credentials(environment, ApiCredentials { api_key, api_secret }).await?;
    state.session().await
}

pub async fn clear_credentials(state: &AppState, environment: &str) -> Result<Session, AppError> {
    state.clear_credentials(environment).await?;
    state.session().await
}

/// Values for the pickers (countries, currencies, the enumerations, file types).
pub fn reference_data(state: &AppState) -> ReferenceData {
    state.reference().clone()
}

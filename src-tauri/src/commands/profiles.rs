//! Named local profiles (adapters over `kyb_app::use_cases::profiles`).

use kyb_app::use_cases::profiles::{self, ProfilesView};

use super::{AppError, Shared};

#[tauri::command(rename_all = "snake_case")]
pub async fn get_profiles(state: Shared<'_>) -> Result<ProfilesView, AppError> {
    profiles::get_profiles(&state).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn choose_profile(state: Shared<'_>, name: String) -> Result<ProfilesView, AppError> {
    profiles::choose_profile(&state, &name).await
}

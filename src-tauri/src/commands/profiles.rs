//! Named local profiles (issue 5): chosen at start; every review action is recorded with one.

use kyb_core::profiles::Profile;
use serde::Serialize;
use tauri::State;
use ts_rs::TS;

use crate::error::CommandError;
use crate::state::{blocking, AppState};

/// What `get_profiles` and `choose_profile` answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct ProfilesView {
    pub profiles: Vec<Profile>,
    /// The profile chosen last time (preselected in the chooser).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub last: Option<String>,
    /// The profile acting in this session; absent until one is chosen.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub active: Option<String>,
}

async fn view(state: &AppState) -> Result<ProfilesView, CommandError> {
    let file = state.profiles.clone();
    let stored = blocking(move || file.load()).await??;
    Ok(ProfilesView { profiles: stored.profiles, last: stored.last, active: state.profile() })
}

/// The profiles, the last chosen and the active one.
#[tauri::command(rename_all = "snake_case")]
pub async fn get_profiles(state: State<'_, AppState>) -> Result<ProfilesView, CommandError> {
    view(&state).await
}

/// Act as `name` from now on (created when new; `invalid_input` on `name` when refused).
#[tauri::command(rename_all = "snake_case")]
pub async fn choose_profile(state: State<'_, AppState>, name: String) -> Result<ProfilesView, CommandError> {
    let file = state.profiles.clone();
    let profile = blocking(move || file.choose(&name)).await??;
    tracing::info!("profile chosen");
    state.set_profile(profile.name);
    view(&state).await
}

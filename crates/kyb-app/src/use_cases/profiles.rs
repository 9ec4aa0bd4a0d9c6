//! Named local profiles: one is chosen at start; every review action is recorded with it. The
//! profile chosen last acts again at the next start (the chooser does not come back every time;
//! the header's "Switch" changes it).

use kyb_core::profiles::Profile;
use serde::Serialize;
use ts_rs::TS;

use crate::error::AppError;
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

/// The profiles, the last chosen and the active one. When nobody acts yet in this run, the
/// profile chosen last (if it still exists) becomes the active one.
pub async fn get_profiles(state: &AppState) -> Result<ProfilesView, AppError> {
    let file = state.profiles.clone();
    let stored = blocking(move || file.load()).await??;
    if state.profile().is_none() {
        let resumed = stored.last.as_ref().and_then(|last| stored.profiles.iter().find(|p| &p.name == last));
        if let Some(profile) = resumed {
            tracing::info!("last profile resumed");
            state.set_profile(profile.name.clone());
        }
    }
    Ok(ProfilesView { profiles: stored.profiles, last: stored.last, active: state.profile() })
}

/// Act as `name` from now on (created when new; `invalid_input` on `name` when refused).
pub async fn choose_profile(state: &AppState, name: &str) -> Result<ProfilesView, AppError> {
    let file = state.profiles.clone();
    let name = name.to_owned();
    let profile = blocking(move || file.choose(&name)).await??;
    tracing::info!("profile chosen");
    state.set_profile(profile.name);
    get_profiles(state).await
}

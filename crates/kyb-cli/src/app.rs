//! The desktop app's state, opened by commands that work on the app's environments, drafts,
//! outbox and audit trail (`kyb submit`, `kyb drafts submit`): the same `kyb_app::AppState` the app runs, on
//! the app's folders unless `--config-dir`/`--data-dir` say otherwise.

use kyb_app::use_cases::profiles;
use kyb_app::{AppState, StateConfig};

use crate::cli::AppFolders;
use crate::error::CliError;

/// The configuration for `folders`: the app's own for whatever is not given.
pub fn config(folders: &AppFolders) -> Result<StateConfig, CliError> {
    let defaults = kyb_app::user_config::user_folders();
    let pick = |given: &Option<std::path::PathBuf>, default: Option<std::path::PathBuf>, what: &str| {
        given.clone().or(default).ok_or_else(|| {
            CliError::Usage(format!("this system has no user {what} folder; give --{what}-dir"))
        })
    };
    let config_dir = pick(&folders.config_dir, defaults.as_ref().map(|d| d.0.clone()), "config")?;
    let data_dir = pick(&folders.data_dir, defaults.map(|d| d.1), "data")?;
    Ok(StateConfig::new(config_dir, data_dir))
}

/// Open the app's state and act as `profile`, which must already exist (profiles are made in
/// the app, where a person chooses who they are).
pub async fn open_as(folders: &AppFolders, profile: &str) -> Result<AppState, CliError> {
    let state = AppState::start(config(folders)?).await?;
    // Drafts and outbox need the sealing key from the keychain: say so before any file is read.
    state.drafts()?;
    let known = profiles::get_profiles(&state).await?;
    let wanted = kyb_core::profiles::normalize_name(profile)
        .map_err(|err| CliError::Usage(format!("--profile / KYB_PROFILE: {err}")))?;
    // The one rule of "the same person" (spacing, Unicode case folding), as the app applies it.
    let Some(existing) = known.profiles.iter().find(|p| kyb_core::profiles::same_person(&p.name, &wanted)) else {
        state.shutdown().await;
        let names: Vec<&str> = known.profiles.iter().map(|p| p.name.as_str()).collect();
        return Err(CliError::Usage(format!(
            "there is no profile named {profile:?} (known: {}); choose or create it in KYB Desk first",
            if names.is_empty() { "none".to_owned() } else { names.join(", ") }
        )));
    };
    profiles::choose_profile(&state, &existing.name).await?;
    Ok(state)
}

/// The app environment called `name` (`--environment`), else the app's active one.
pub async fn environment_name(state: &AppState, name: Option<&str>) -> Result<String, CliError> {
    match name {
        Some(name) => Ok(state
            .environment(name)
            .await
            .ok_or_else(|| CliError::Usage(format!("there is no environment named {name:?} in KYB Desk")))?
            .name),
        None => Ok(state.active_environment().await.name),
    }
}

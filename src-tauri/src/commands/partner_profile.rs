//! The partner profile of each environment, in Settings (adapters over
//! `kyb_app::use_cases::partner_profile`): which one is active, importing a file, and going back
//! to the built-in one.

use kyb_app::use_cases::partner_profile::{self, PartnerProfileImport};
use kyb_core::partner_profile::ProfileSummary;

use super::{AppError, Shared};

#[tauri::command(rename_all = "snake_case")]
pub async fn partner_profile(state: Shared<'_>, environment: String) -> Result<ProfileSummary, AppError> {
    partner_profile::partner_profile(&state, &environment).await
}

/// `text` is the file as the page read it; a refused file is an answer (its problems), not an error.
#[tauri::command(rename_all = "snake_case")]
pub async fn import_partner_profile(state: Shared<'_>, environment: String, text: String) -> Result<PartnerProfileImport, AppError> {
    partner_profile::import_partner_profile(&state, &environment, &text).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn reset_partner_profile(state: Shared<'_>, environment: String) -> Result<ProfileSummary, AppError> {
    partner_profile::reset_partner_profile(&state, &environment).await
}

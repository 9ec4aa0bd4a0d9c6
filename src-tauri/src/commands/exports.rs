//! Showing an exported file in the file manager (Tauri's opener plugin, called from Rust only:
//! the page has no opener permission, and `kyb_app::exports` answers only files the app exported).

use super::{AppError, Shared};

#[tauri::command(rename_all = "snake_case")]
pub async fn reveal_export(state: Shared<'_>, path: String) -> Result<(), AppError> {
    let file = kyb_app::exports::reveal_export(&state, &path)?;
    tauri_plugin_opener::reveal_item_in_dir(&file)
        .map_err(|err| AppError::Internal(format!("the file manager could not be opened: {err}")))
}

//! Drafts: autosave, the library, trash, export and import, the open draft (adapters over
//! `kyb_app::use_cases::drafts`).

use kyb_app::exports::ExportedDraft;
use kyb_app::page_values::ForPage;
use kyb_app::use_cases::drafts::{self, DraftLibraryView};
use kyb_core::drafts::{Draft, ImportReport};
use serde_json::Value;

use super::{argument, AppError, Shared};

#[tauri::command(rename_all = "snake_case")]
pub async fn list_drafts(state: Shared<'_>) -> Result<ForPage<DraftLibraryView>, AppError> {
    Ok(ForPage(drafts::list_drafts(&state).await?))
}

#[tauri::command(rename_all = "snake_case")]
pub async fn open_draft(state: Shared<'_>, id: String) -> Result<ForPage<Draft>, AppError> {
    Ok(ForPage(drafts::open_draft(&state, &id).await?))
}

#[tauri::command(rename_all = "snake_case")]
pub async fn save_draft(state: Shared<'_>, draft: Value) -> Result<ForPage<Draft>, AppError> {
    Ok(ForPage(drafts::save_draft(&state, argument("draft", draft)?).await?))
}

#[tauri::command(rename_all = "snake_case")]
pub async fn delete_draft(state: Shared<'_>, id: String) -> Result<(), AppError> {
    drafts::delete_draft(&state, &id).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn restore_draft(state: Shared<'_>, id: String) -> Result<ForPage<Draft>, AppError> {
    Ok(ForPage(drafts::restore_draft(&state, &id).await?))
}

#[tauri::command(rename_all = "snake_case")]
pub async fn export_draft(state: Shared<'_>, id: String) -> Result<ExportedDraft, AppError> {
    drafts::export_draft(&state, &id).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn import_draft(state: Shared<'_>, file_name: String, text: String) -> Result<ForPage<ImportReport>, AppError> {
    Ok(ForPage(drafts::import_draft(&state, &file_name, &text).await?))
}

#[tauri::command(rename_all = "snake_case")]
pub async fn set_open_draft(state: Shared<'_>, id: Option<String>) -> Result<(), AppError> {
    drafts::set_open_draft(&state, id.as_deref()).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn restore_workspace(state: Shared<'_>) -> Result<ForPage<Option<Draft>>, AppError> {
    Ok(ForPage(drafts::restore_workspace(&state).await?))
}

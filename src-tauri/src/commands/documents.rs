//! Documents: uploads and local copies (adapters over `kyb_app::use_cases::documents`).

use kyb_app::use_cases::documents;
use kyb_core::model::FileUploadResponse;
use kyb_core::vault::DocumentCopy;
use tauri::ipc::Response;

use super::{AppError, Shared};

#[tauri::command(rename_all = "snake_case")]
pub async fn upload_document(state: Shared<'_>, file_name: String, file_type: String, bytes: Vec<u8>) -> Result<FileUploadResponse, AppError> {
    documents::upload_document(&state, &file_name, &file_type, bytes).await
}

/// The bytes travel as an `ArrayBuffer`, not as JSON.
#[tauri::command(rename_all = "snake_case")]
pub async fn read_document_copy(state: Shared<'_>, id: String, file_id: String) -> Result<Response, AppError> {
    Ok(Response::new(documents::read_document_copy(&state, &id, &file_id).await?))
}

#[tauri::command(rename_all = "snake_case")]
pub async fn attach_document_copy(
    state: Shared<'_>,
    id: String,
    file_id: String,
    file_name: String,
    bytes: Vec<u8>,
) -> Result<DocumentCopy, AppError> {
    documents::attach_document_copy(&state, &id, &file_id, &file_name, bytes).await
}

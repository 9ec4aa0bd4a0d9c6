//! Document upload to the active environment.

use kyb_core::client::parse_file_type;
use kyb_core::model::FileUploadResponse;
use kyb_sandbox::MAX_FILE_BYTES;
use tauri::State;

use super::required;
use crate::error::CommandError;
use crate::state::AppState;

/// Largest document the app sends (the partner's limit).
pub const MAX_DOCUMENT_BYTES: usize = MAX_FILE_BYTES;

/// Upload a document (`file_type` is one of the six labels, exactly) and return its file id.
#[tauri::command(rename_all = "snake_case")]
pub async fn upload_document(
    state: State<'_, AppState>,
    file_name: String,
    file_type: String,
    bytes: Vec<u8>,
) -> Result<FileUploadResponse, CommandError> {
    let file_name = required("file_name", &file_name)?;
    // Only the name is sent, never a path of this machine.
    let file_name = file_name.rsplit(['/', '\\']).next().unwrap_or_default().to_owned();
    if file_name.is_empty() {
        return Err(CommandError::invalid_input("file_name", "the file name is empty"));
    }
    let file_type = parse_file_type(&file_type)?;
    if bytes.is_empty() {
        return Err(CommandError::invalid_input("bytes", "the file is empty"));
    }
    if bytes.len() > MAX_DOCUMENT_BYTES {
        return Err(CommandError::invalid_input(
            "bytes",
            format!("the file is larger than {} MiB", MAX_DOCUMENT_BYTES / (1024 * 1024)),
        ));
    }
    let (_, client) = state.active_client().await?;
    let size = bytes.len();
    let response = client.upload_file(&file_name, bytes, file_type).await?;
    tracing::info!(file_id = %response.file_id, %file_type, size, "document uploaded");
    Ok(response)
}

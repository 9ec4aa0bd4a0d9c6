//! `POST /api/files/upload`: multipart `file` + `fileType` → `{"file_id": "file_…"}`.

use std::str::FromStr;

use axum::extract::multipart::MultipartError;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use tokio::io::AsyncWriteExt as _;
use kyb_core::files::PendingFile;
use kyb_core::model::{FileType, FileUploadResponse};

use crate::error::ApiError;
use crate::state::AppState;
use crate::store::FileMeta;

/// Largest document accepted (413 above): the limit the client assumes for the partner.
pub const MAX_FILE_BYTES: usize = kyb_core::client::MAX_UPLOAD_BYTES;
/// Whole multipart body limit: the document plus room for the other parts and boundaries.
pub const MAX_UPLOAD_BODY_BYTES: usize = MAX_FILE_BYTES + 64 * 1024;

/// The `file` part as received: written to a temporary file as it arrives (the app's built-in
/// Sandbox runs in the app's process, where holding a 10 MiB body would count against the app).
struct Upload {
    file_name: String,
    content_type: String,
    received: PendingFile,
    size: usize,
}

pub async fn upload_file(State(state): State<AppState>, multipart: Result<Multipart, MultipartRejection>) -> Response {
    match upload(state, multipart).await {
        Ok(response) => response,
        Err(error) => error.into_response(),
    }
}

async fn upload(state: AppState, multipart: Result<Multipart, MultipartRejection>) -> Result<Response, ApiError> {
    let mut multipart = multipart.map_err(|r| {
        ApiError::new(StatusCode::BAD_REQUEST, "invalid_multipart", format!("expected multipart/form-data: {}", r.body_text()))
    })?;
    let mut file: Option<Upload> = None;
    let mut file_type: Option<String> = None;
    while let Some(mut field) = multipart.next_field().await.map_err(multipart_error)? {
        let name = field.name().unwrap_or("").to_owned();
        match name.as_str() {
            "file" => {
                let file_name = field.file_name().unwrap_or("document").to_owned();
                let content_type = field.content_type().unwrap_or("application/octet-stream").to_owned();
                let received = state.store.lock().await.receive_file().map_err(|err| ApiError::storage(&err))?;
                let mut writer = tokio::fs::File::from_std(received.reopen().map_err(|err| ApiError::storage(&err))?);
                let mut size = 0;
                while let Some(chunk) = field.chunk().await.map_err(multipart_error)? {
                    if size + chunk.len() > MAX_FILE_BYTES {
                        return Err(too_large());
                    }
                    size += chunk.len();
                    writer.write_all(&chunk).await.map_err(|err| ApiError::storage(&err))?;
                }
                writer.flush().await.map_err(|err| ApiError::storage(&err))?;
                file = Some(Upload { file_name, content_type, received, size });
            }
            "fileType" => file_type = Some(field.text().await.map_err(multipart_error)?),
            other => {
                return Err(ApiError::field("unknown_field", other, format!("unknown form field `{other}`; expected `file` and `fileType`")))
            }
        }
    }
    let Some(file_type) = file_type else {
        return Err(ApiError::field("required", "fileType", "the fileType form field is required"));
    };
    let file_type = FileType::from_str(&file_type).map_err(|err| ApiError::field("invalid_file_type", "fileType", err.to_string()))?;
    let Some(file) = file else {
        return Err(ApiError::field("required", "file", "the file form field is required"));
    };
    if file.size == 0 {
        return Err(ApiError::field("empty_file", "file", "the file is empty"));
    }

    let meta = FileMeta {
        file_id: format!("file_{}", uuid::Uuid::new_v4().simple()),
        file_name: file.file_name,
        file_type,
        size: file.size as u64,
        content_type: file.content_type,
        uploaded_at: Utc::now(),
    };
    let file_id = meta.file_id.clone();
    let mut store = state.store.lock().await;
    store.add_received_file(meta, file.received).await.map_err(|err| ApiError::storage(&err))?;
    store.with_stats(|s| s.uploads += 1);
    store.save().await.map_err(|err| ApiError::storage(&err))?;
    tracing::info!(file_id = %file_id, file_type = %file_type, size = file.size, "file stored");
    Ok(axum::Json(FileUploadResponse { file_id }).into_response())
}

fn too_large() -> ApiError {
    ApiError::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        "file_too_large",
        format!("the file is larger than {} MiB", MAX_FILE_BYTES / (1024 * 1024)),
    )
}

fn multipart_error(err: MultipartError) -> ApiError {
    if err.status() == StatusCode::PAYLOAD_TOO_LARGE {
        return too_large();
    }
    ApiError::new(err.status(), "invalid_multipart", err.body_text())
}

//! Documents: uploads and local copies (adapters over `kyb_app::use_cases::documents`).
//!
//! A document travels from the page as the raw IPC body (an `ArrayBuffer`/`Uint8Array`), never
//! as a JSON array of numbers (about 65 bytes of JSON and parsed values per byte of file); the
//! other arguments come in headers, percent-encoded (`encodeURIComponent`) so any file name fits.
//! The page sends a file in chunks (`begin_document_upload` or `begin_document_copy`, then
//! `append_document_chunk` per chunk, then `finish_document_upload` or `finish_document_copy`,
//! or `cancel_document_upload`), so neither it nor the IPC bridge holds a whole document.

use kyb_app::use_cases::documents::{self, StagedUpload};
use kyb_core::model::FileUploadResponse;
use kyb_core::vault::DocumentCopy;
use tauri::ipc::{InvokeBody, Request, Response};

use super::{AppError, Shared};

/// Header with the file's name (percent-encoded UTF-8).
pub const FILE_NAME_HEADER: &str = "kyb-file-name";
/// Header with the upload's `fileType` label (percent-encoded).
pub const FILE_TYPE_HEADER: &str = "kyb-file-type";
/// Header with the draft id (`attach_document_copy`).
pub const DRAFT_ID_HEADER: &str = "kyb-draft-id";
/// Header with the file id (`attach_document_copy`).
pub const FILE_ID_HEADER: &str = "kyb-file-id";
/// Header with the staged upload's id (`append_document_chunk`).
pub const UPLOAD_ID_HEADER: &str = "kyb-upload-id";
/// Header with the chunk's offset in the file, in decimal (`append_document_chunk`).
pub const OFFSET_HEADER: &str = "kyb-upload-offset";

#[tauri::command(rename_all = "snake_case")]
pub async fn begin_document_upload(
    state: Shared<'_>,
    file_name: String,
    file_type: String,
    size: u64,
) -> Result<StagedUpload, AppError> {
    documents::begin_upload(&state, &file_name, &file_type, size).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn begin_document_copy(
    state: Shared<'_>,
    id: String,
    file_id: String,
    file_name: String,
    size: u64,
) -> Result<StagedUpload, AppError> {
    documents::begin_copy(&state, &id, &file_id, &file_name, size).await
}

/// Body: the chunk's bytes; headers: `kyb-upload-id`, `kyb-upload-offset`. Answers the bytes
/// received so far.
#[tauri::command(rename_all = "snake_case")]
pub fn append_document_chunk(state: Shared<'_>, request: Request<'_>) -> Result<u64, AppError> {
    let upload_id = header(&request, UPLOAD_ID_HEADER, "upload_id")?;
    let offset = header(&request, OFFSET_HEADER, "offset")?;
    let offset = offset.parse().map_err(|_| AppError::invalid_input("offset", format!("{offset:?} is not a byte offset")))?;
    documents::append_chunk(&state, &upload_id, offset, raw_body(&request)?)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn finish_document_upload(state: Shared<'_>, upload_id: String) -> Result<FileUploadResponse, AppError> {
    documents::finish_upload(&state, &upload_id).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn finish_document_copy(state: Shared<'_>, upload_id: String) -> Result<DocumentCopy, AppError> {
    documents::finish_copy(&state, &upload_id).await
}

#[tauri::command(rename_all = "snake_case")]
pub fn cancel_document_upload(state: Shared<'_>, upload_id: String) {
    documents::cancel_upload(&state, &upload_id);
}

/// Body: the file's bytes; headers: `kyb-file-name`, `kyb-file-type`.
#[tauri::command(rename_all = "snake_case")]
pub async fn upload_document(state: Shared<'_>, request: Request<'_>) -> Result<FileUploadResponse, AppError> {
    let body = raw_body(&request)?;
    let file_name = header(&request, FILE_NAME_HEADER, "file_name")?;
    let file_type = header(&request, FILE_TYPE_HEADER, "file_type")?;
    documents::upload_document(&state, &file_name, &file_type, body.to_vec()).await
}

/// The bytes travel as an `ArrayBuffer`, not as JSON.
#[tauri::command(rename_all = "snake_case")]
pub async fn read_document_copy(state: Shared<'_>, id: String, file_id: String) -> Result<Response, AppError> {
    Ok(Response::new(documents::read_document_copy(&state, &id, &file_id).await?))
}

/// Body: the file's bytes; headers: `kyb-draft-id`, `kyb-file-id`, `kyb-file-name`.
#[tauri::command(rename_all = "snake_case")]
pub async fn attach_document_copy(state: Shared<'_>, request: Request<'_>) -> Result<DocumentCopy, AppError> {
    let body = raw_body(&request)?;
    let id = header(&request, DRAFT_ID_HEADER, "id")?;
    let file_id = header(&request, FILE_ID_HEADER, "file_id")?;
    let file_name = header(&request, FILE_NAME_HEADER, "file_name")?;
    documents::attach_document_copy(&state, &id, &file_id, &file_name, body.to_vec()).await
}

/// The raw body; a JSON body (the old array of numbers, or an object) is `invalid_input` on
/// `bytes`.
fn raw_body<'a>(request: &'a Request<'_>) -> Result<&'a [u8], AppError> {
    match request.body() {
        InvokeBody::Raw(bytes) => Ok(bytes),
        InvokeBody::Json(_) => Err(AppError::invalid_input(
            "bytes",
            "the document must be sent as the raw request body (an ArrayBuffer), not as JSON",
        )),
    }
}

/// Header `name`, percent-decoded as UTF-8; missing or undecodable is `invalid_input` on `field`.
fn header(request: &Request<'_>, name: &str, field: &str) -> Result<String, AppError> {
    let value = request
        .headers()
        .get(name)
        .ok_or_else(|| AppError::invalid_input(field, format!("{field} is missing (header {name})")))?;
    let text = value
        .to_str()
        .map_err(|_| AppError::invalid_input(field, format!("{field} is not percent-encoded text (header {name})")))?;
    percent_encoding::percent_decode_str(text)
        .decode_utf8()
        .map(|decoded| decoded.into_owned())
        .map_err(|_| AppError::invalid_input(field, format!("{field} is not UTF-8 once percent-decoded (header {name})")))
}

//! The sandbox's own endpoints: faults, stats and document download (same authentication).

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;

use crate::error::ApiError;
use crate::faults::{check_settings, FaultSettings};
use crate::state::AppState;

/// `POST /__sandbox/faults`: add (or with `reset`, replace) pending faults; answers what is pending.
pub async fn set_faults(State(state): State<AppState>, payload: Result<Bytes, BytesRejection>) -> Response {
    let bytes = match payload {
        Ok(bytes) => bytes,
        Err(rejection) => return ApiError::new(rejection.status(), "invalid_body", rejection.body_text()).into_response(),
    };
    let settings: FaultSettings = match serde_json::from_slice(&bytes) {
        Ok(settings) => settings,
        Err(err) => return ApiError::new(StatusCode::BAD_REQUEST, "invalid_json", err.to_string()).into_response(),
    };
    if let Err(error) = check_settings(&settings) {
        return error.into_response();
    }
    tracing::info!(?settings, "faults set");
    state.faults.apply(settings);
    Json(state.faults.pending()).into_response()
}

/// `GET /__sandbox/faults`
pub async fn get_faults(State(state): State<AppState>) -> Response {
    Json(state.faults.pending()).into_response()
}

/// `GET /__sandbox/stats`
pub async fn stats(State(state): State<AppState>) -> Response {
    let stats = state.store.lock().await.stats_snapshot();
    Json(stats).into_response()
}

/// `GET /__sandbox/files/{file_id}`: the stored bytes of a document (to show it in a demo).
pub async fn download_file(State(state): State<AppState>, Path(file_id): Path<String>) -> Response {
    let store = state.store.lock().await;
    let Some(meta) = store.files.get(&file_id).cloned() else {
        return ApiError::not_found(format!("no file has the id {file_id:?}")).into_response();
    };
    match store.read_file(&file_id).await {
        Ok(bytes) => ([(header::CONTENT_TYPE, meta.content_type)], bytes).into_response(),
        Err(err) => ApiError::storage(&err).into_response(),
    }
}

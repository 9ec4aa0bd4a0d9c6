//! Documents of a draft (upload, list, read) and a reviewer's decision on each; the audit trail.

use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, put};
use axum::{Json, Router};
use serde::Deserialize;

use kyb_core::team_wire::DecideDocument;

use super::{answer, error_response, id};
use crate::auth::SignedIn;
use crate::error::ServerError;
use crate::http::Shared;
use crate::team::{documents, review, trail};

pub(super) fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route("/api/drafts/{id}/documents", get(list_documents).post(upload_document))
        .route("/api/drafts/{id}/documents/{file_id}", get(read_document))
        .layer(axum::extract::DefaultBodyLimit::max(kyb_core::client::MAX_UPLOAD_BYTES + 64 * 1024))
        .route("/api/drafts/{id}/documents/{file_id}/decision", put(decide_document))
        .route("/api/audit/entries", get(trail_entries))
}

async fn list_documents(State(shared): State<Arc<Shared>>, SignedIn(_person): SignedIn, Path(draft): Path<String>) -> Response {
    answer(async { documents::list(&shared.pool, id(&draft)?).await }.await)
}

/// Multipart `file` and `fileType`, as the partner's own upload endpoint takes them.
async fn upload_document(
    State(shared): State<Arc<Shared>>,
    SignedIn(person): SignedIn,
    Path(draft): Path<String>,
    mut form: axum::extract::Multipart,
) -> Response {
    answer(
        async {
            let draft = id(&draft)?;
            let (mut file, mut file_type) = (None, None);
            while let Some(field) = form.next_field().await.map_err(|err| ServerError::Invalid { field: "file".into(), message: err.body_text() })? {
                match field.name() {
                    Some("file") => {
                        let name = field.file_name().unwrap_or("document").to_owned();
                        let bytes = field.bytes().await.map_err(|err| ServerError::Invalid { field: "file".into(), message: err.body_text() })?;
                        file = Some((name, bytes.to_vec()));
                    }
                    Some("fileType") => {
                        let text = field.text().await.map_err(|err| ServerError::Invalid { field: "fileType".into(), message: err.body_text() })?;
                        file_type = Some(
                            kyb_core::client::parse_file_type(&text)
                                .map_err(|err| ServerError::Invalid { field: "fileType".into(), message: err.to_string() })?,
                        );
                    }
                    _ => {}
                }
            }
            let (name, bytes) = file.ok_or_else(|| ServerError::Invalid { field: "file".into(), message: "no file in the form".into() })?;
            let file_type = file_type.ok_or_else(|| ServerError::Invalid { field: "fileType".into(), message: "no fileType in the form".into() })?;
            documents::upload(&shared.pool, &shared.sealing_key, &person, draft, &name, file_type, bytes).await
        }
        .await,
    )
}

async fn read_document(State(shared): State<Arc<Shared>>, SignedIn(_person): SignedIn, Path((draft, file_id)): Path<(String, String)>) -> Response {
    match async { documents::read(&shared.pool, &shared.sealing_key, id(&draft)?, &file_id).await }.await {
        Ok((document, bytes)) => (
            [
                (axum::http::header::CONTENT_TYPE, "application/octet-stream".to_owned()),
                (axum::http::HeaderName::from_static("x-content-sha256"), document.sha256),
            ],
            bytes,
        )
            .into_response(),
        Err(err) => error_response(&err),
    }
}

async fn decide_document(
    State(shared): State<Arc<Shared>>,
    SignedIn(person): SignedIn,
    Path((draft, file_id)): Path<(String, String)>,
    Json(request): Json<DecideDocument>,
) -> Response {
    answer(async { review::decide(&shared.pool, &person, id(&draft)?, &file_id, &request).await }.await)
}

#[derive(Deserialize)]
struct TrailQuery {
    draft: Option<String>,
}

/// The trail of one draft (`?draft=ID`) or the whole trail, oldest first.
async fn trail_entries(State(shared): State<Arc<Shared>>, SignedIn(_person): SignedIn, Query(query): Query<TrailQuery>) -> Response {
    answer(async { trail::entries(&shared.pool, query.draft.as_deref().map(id).transpose()?).await }.await)
}

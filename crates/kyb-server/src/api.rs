//! The team workspace's endpoints: drafts, approvals, submission, the outbox, and (admins only)
//! environments. Each takes the signed-in person; the rules live in [`crate::team`].

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::json;
use uuid::Uuid;

use crate::auth::SignedIn;
use crate::environments::{self, EnvironmentSettings};
use crate::error::ServerError;
use crate::http::Shared;
use crate::identity::Role;
use crate::team::approvals::{self, Approve};
use crate::team::documents;
use crate::team::drafts::{self, NewDraft, Push};
use crate::team::submit::{self, Submit};

pub(crate) fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route("/api/drafts", post(create_draft))
        .route("/api/drafts/{id}", get(get_draft).put(push_draft))
        .route("/api/drafts/{id}/approve", post(approve_draft))
        .route("/api/drafts/{id}/submit", post(submit_draft))
        .route("/api/drafts/{id}/documents", get(list_documents).post(upload_document))
        .route("/api/drafts/{id}/documents/{file_id}", get(read_document))
        .layer(axum::extract::DefaultBodyLimit::max(kyb_core::client::MAX_UPLOAD_BYTES + 64 * 1024))
        .route("/api/outbox/{id}", get(outbox_entry))
        .route("/api/server-key", get(server_key))
        .route("/api/team-info", get(team_info))
        .route("/api/environments", get(list_environments))
        .route("/api/environments/{name}", put(save_environment))
        .route("/api/environments/{name}/credentials", put(set_credentials))
        .route("/api/environments/{name}/customers/{customer_id}", get(partner_customer))
}

fn id(text: &str) -> Result<Uuid, ServerError> {
    Uuid::parse_str(text).map_err(|_| ServerError::Invalid { field: "id".into(), message: format!("{text:?} is not an id") })
}

fn answer<T: serde::Serialize>(result: Result<T, ServerError>) -> Response {
    match result {
        Ok(value) => Json(value).into_response(),
        Err(err) => error_response(&err),
    }
}

/// `{kind, message, field?}` with the status that fits the kind; the database's own text stays
/// in the log (it may name tables, roles or values).
pub(crate) fn error_response(err: &ServerError) -> Response {
    let status = match err {
        ServerError::NotFound(_) => StatusCode::NOT_FOUND,
        ServerError::Forbidden(_) => StatusCode::FORBIDDEN,
        ServerError::Invalid { .. } => StatusCode::UNPROCESSABLE_ENTITY,
        ServerError::Stale { .. } => StatusCode::CONFLICT,
        _ => StatusCode::INTERNAL_SERVER_ERROR,
    };
    let message = if status == StatusCode::INTERNAL_SERVER_ERROR {
        tracing::error!(error = %err, "request failed");
        "the server could not complete the request".to_owned()
    } else {
        err.to_string()
    };
    let mut body = json!({"kind": err.kind(), "message": message});
    if let Some(field) = err.field() {
        body["field"] = json!(field);
    }
    if let ServerError::Stale { current, .. } = err {
        body["current_version"] = json!(current);
    }
    (status, Json(body)).into_response()
}

async fn create_draft(State(shared): State<Arc<Shared>>, SignedIn(person): SignedIn, Json(draft): Json<NewDraft>) -> Response {
    answer(drafts::create(&shared.pool, &person, &draft).await)
}

async fn get_draft(State(shared): State<Arc<Shared>>, SignedIn(_person): SignedIn, Path(draft): Path<String>) -> Response {
    answer(async { drafts::get(&shared.pool, id(&draft)?).await }.await)
}

async fn push_draft(State(shared): State<Arc<Shared>>, SignedIn(person): SignedIn, Path(draft): Path<String>, Json(push): Json<Push>) -> Response {
    answer(async { drafts::push(&shared.pool, &person, id(&draft)?, &push).await }.await)
}

async fn approve_draft(State(shared): State<Arc<Shared>>, SignedIn(person): SignedIn, Path(draft): Path<String>, Json(approve): Json<Approve>) -> Response {
    answer(async { approvals::approve(&shared.pool, &shared.signing_key, &person, id(&draft)?, &approve).await }.await)
}

async fn submit_draft(State(shared): State<Arc<Shared>>, SignedIn(person): SignedIn, Path(draft): Path<String>, Json(request): Json<Submit>) -> Response {
    answer(async { submit::submit(&shared.pool, &person, id(&draft)?, &request).await }.await)
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
                        file_type = Some(kyb_core::client::parse_file_type(&text).map_err(|err| ServerError::Invalid { field: "fileType".into(), message: err.to_string() })?);
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
            [(axum::http::header::CONTENT_TYPE, "application/octet-stream".to_owned()), (axum::http::HeaderName::from_static("x-content-sha256"), document.sha256)],
            bytes,
        )
            .into_response(),
        Err(err) => error_response(&err),
    }
}

async fn outbox_entry(State(shared): State<Arc<Shared>>, SignedIn(_person): SignedIn, Path(entry): Path<String>) -> Response {
    answer(async { submit::entry(&shared.pool, id(&entry)?).await }.await)
}

/// The server's public key (hex): what approvals and checkpoints are signed with.
async fn server_key(State(shared): State<Arc<Shared>>) -> Response {
    Json(json!({"public_key": hex::encode(shared.signing_key.verifying_key().to_bytes())})).into_response()
}

/// What a desktop or the CLI needs to connect: where to sign in, as which client, and the key
/// that signs approvals and checkpoints (no sign-in needed).
async fn team_info(State(shared): State<Arc<Shared>>) -> Response {
    let oidc = shared.verifier.as_ref().map(|v| v.settings());
    Json(json!({
        "issuer": oidc.map(|o| o.issuer.clone()),
        "client_id": oidc.map(|o| o.client_id.clone()),
        "audience": oidc.map(|o| o.audience.clone()),
        "public_key": hex::encode(shared.signing_key.verifying_key().to_bytes()),
    }))
    .into_response()
}

/// A customer as the partner has it now, fetched by the server (only it holds the credentials):
/// what a desktop starts a draft from.
async fn partner_customer(
    State(shared): State<Arc<Shared>>,
    SignedIn(_person): SignedIn,
    Path((environment, customer_id)): Path<(String, String)>,
) -> Response {
    answer(
        async {
            let client = crate::outbox::client_for(&shared.pool, &shared.sealing_key, &environment).await.map_err(ServerError::Forbidden)?;
            let (customer, record) = kyb_core::outbox::fetch_current(&client, &customer_id).await.map_err(|err| match err.kind() {
                kyb_core::error::ErrorKind::NotFound => ServerError::NotFound(format!("customer {customer_id} at the partner")),
                _ => ServerError::Invalid { field: "customer_id".into(), message: format!("the partner did not answer: {err}") },
            })?;
            Ok(json!({"customer": customer, "record": record}))
        }
        .await,
    )
}

async fn list_environments(State(shared): State<Arc<Shared>>, SignedIn(_person): SignedIn) -> Response {
    answer(environments::list(&shared.pool).await)
}

fn require_admin(person: &crate::identity::Person) -> Result<(), ServerError> {
    if person.has(Role::Admin) {
        Ok(())
    } else {
        Err(ServerError::Forbidden(format!("{} is not an admin: only admins change environments, credentials and approval rules", person.name)))
    }
}

async fn save_environment(
    State(shared): State<Arc<Shared>>,
    SignedIn(person): SignedIn,
    Path(name): Path<String>,
    Json(settings): Json<EnvironmentSettings>,
) -> Response {
    answer(
        async {
            require_admin(&person)?;
            if settings.name != name {
                return Err(ServerError::Invalid { field: "name".into(), message: "the name in the body is not the one in the path".into() });
            }
            environments::save(&shared.pool, &person.subject, &settings).await
        }
        .await,
    )
}

#[derive(Deserialize)]
struct CredentialsInput {
    api_key: String,
    api_secret: String,
}

async fn set_credentials(
    State(shared): State<Arc<Shared>>,
    SignedIn(person): SignedIn,
    Path(name): Path<String>,
    Json(input): Json<CredentialsInput>,
) -> Response {
    answer(
        async {
            require_admin(&person)?;
            environments::set_credentials(&shared.pool, &shared.sealing_key, &person.subject, &name, &input.api_key, &input.api_secret).await
        }
        .await,
    )
}

//! The team workspace's endpoints: drafts, approvals, submission and the outbox
//! ([`drafts`]), documents, decisions and the trail ([`review`]), and here the server's key and
//! (admins only) environments. Each takes the signed-in person; the rules live in [`crate::team`].

mod drafts;
mod review;

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, put};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::json;
use uuid::Uuid;

use crate::auth::SignedIn;
use crate::environments::{self, EnvironmentSettings};
use crate::error::ServerError;
use crate::http::Shared;
use crate::identity::Role;

pub(crate) fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .merge(drafts::routes())
        .merge(review::routes())
        .route("/api/server-key", get(server_key))
        .route("/api/team-info", get(team_info))
        .route("/api/environments", get(list_environments))
        .route("/api/environments/{name}", put(save_environment))
        .route("/api/environments/{name}/credentials", put(set_credentials))
        .route("/api/environments/{name}/customers/{customer_id}", get(partner_customer))
}

pub(crate) fn id(text: &str) -> Result<Uuid, ServerError> {
    Uuid::parse_str(text).map_err(|_| ServerError::Invalid { field: "id".into(), message: format!("{text:?} is not an id") })
}

pub(crate) fn answer<T: serde::Serialize>(result: Result<T, ServerError>) -> Response {
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
            Ok(kyb_core::team_wire::TeamPartnerCustomer { customer, record })
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

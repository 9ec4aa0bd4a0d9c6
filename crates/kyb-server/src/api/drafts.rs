//! Drafts: create, read, push, approve, submit; the queues; assignment and presence; the latest
//! submission and outbox entries.

use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;

use kyb_core::team_wire::TeamQueue;

use super::{answer, error_response, id};
use crate::auth::SignedIn;
use crate::http::Shared;
use crate::team::approvals::{self, Approve};
use crate::team::drafts::{self, NewDraft, Push};
use crate::team::submit::{self, Submit};
use crate::team::{review, summaries};

pub(super) fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route("/api/drafts", get(list_drafts).post(create_draft))
        .route("/api/drafts/{id}", get(get_draft).put(push_draft))
        .route("/api/drafts/{id}/approve", post(approve_draft))
        .route("/api/drafts/{id}/submit", post(submit_draft))
        .route("/api/drafts/{id}/submission", get(latest_submission))
        .route("/api/drafts/{id}/assign", post(assign_draft))
        .route("/api/drafts/{id}/working", post(working_on_draft))
        .route("/api/outbox/{id}", get(outbox_entry))
}

#[derive(Deserialize)]
struct QueueQuery {
    #[serde(default)]
    queue: TeamQueue,
}

async fn list_drafts(
    State(shared): State<Arc<Shared>>,
    SignedIn(person): SignedIn,
    query: Result<Query<QueueQuery>, axum::extract::rejection::QueryRejection>,
) -> Response {
    match query {
        Ok(Query(query)) => answer(summaries::list(&shared.pool, &person, query.queue).await),
        Err(_) => error_response(&crate::error::ServerError::Invalid {
            field: "queue".into(),
            message: "queue is all, waiting_for_my_review or mine".into(),
        }),
    }
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

async fn approve_draft(
    State(shared): State<Arc<Shared>>,
    SignedIn(person): SignedIn,
    Path(draft): Path<String>,
    Json(approve): Json<Approve>,
) -> Response {
    answer(async { approvals::approve(&shared.pool, &shared.signing_key, &person, id(&draft)?, &approve).await }.await)
}

async fn submit_draft(
    State(shared): State<Arc<Shared>>,
    SignedIn(person): SignedIn,
    Path(draft): Path<String>,
    Json(request): Json<Submit>,
) -> Response {
    answer(async { submit::submit(&shared.pool, &person, id(&draft)?, &request).await }.await)
}

async fn outbox_entry(State(shared): State<Arc<Shared>>, SignedIn(_person): SignedIn, Path(entry): Path<String>) -> Response {
    answer(async { submit::entry(&shared.pool, id(&entry)?).await }.await)
}

async fn latest_submission(State(shared): State<Arc<Shared>>, SignedIn(_person): SignedIn, Path(draft): Path<String>) -> Response {
    answer(async { submit::latest(&shared.pool, id(&draft)?).await }.await)
}

/// The body is `{}`: the draft is assigned to the caller.
async fn assign_draft(State(shared): State<Arc<Shared>>, SignedIn(person): SignedIn, Path(draft): Path<String>) -> Response {
    answer(async { review::assign_to(&shared.pool, &person, id(&draft)?).await }.await)
}

async fn working_on_draft(State(shared): State<Arc<Shared>>, SignedIn(person): SignedIn, Path(draft): Path<String>) -> Response {
    match async { review::working(&shared.pool, &person, id(&draft)?).await }.await {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(err) => error_response(&err),
    }
}

//! Submitting a draft: only the server sends to the partner. A draft of an environment that
//! requires approval is queued only with an approval of its current version's exact change; its
//! record must pass validation; the same version is queued once.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use sqlx::{PgPool, Row};
use uuid::Uuid;

use kyb_core::outbox::check_body;
use kyb_core::validation::ValidationContext;

use crate::audit;
use crate::error::ServerError;
use crate::identity::{Person, Role};

use super::drafts;

#[derive(Debug, Clone, Deserialize)]
pub struct Submit {
    pub version: i64,
}

/// An outbox entry as people see it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OutboxView {
    pub id: String,
    pub draft_id: String,
    pub version: i64,
    pub state: String,
    pub attempts: i32,
    pub customer_id: Option<String>,
    pub last_error: Option<Value>,
    pub queued_by: String,
    pub queued_at: DateTime<Utc>,
}

pub async fn submit(pool: &PgPool, person: &Person, id: Uuid, submit: &Submit) -> Result<OutboxView, ServerError> {
    if !(person.has(Role::Officer) || person.has(Role::Reviewer)) {
        return Err(ServerError::Forbidden(format!("{} has neither the officer nor the reviewer role", person.name)));
    }
    let mut tx = pool.begin().await?;
    sqlx::query("SELECT 1 FROM drafts WHERE id = $1 FOR UPDATE").bind(id).fetch_optional(&mut *tx).await?;
    let draft = drafts::get_in(&mut tx, id).await?;
    if draft.version != submit.version {
        return Err(ServerError::Stale { given: submit.version, current: draft.version });
    }
    let queued: Option<Uuid> =
        sqlx::query_scalar("SELECT id FROM outbox WHERE draft_id = $1 AND version = $2").bind(id).bind(draft.version).fetch_optional(&mut *tx).await?;
    if let Some(existing) = queued {
        tx.commit().await?;
        return entry(pool, existing).await;
    }
    let requires_approval: bool = sqlx::query_scalar("SELECT requires_approval FROM environments WHERE name = $1")
        .bind(&draft.environment)
        .fetch_one(&mut *tx)
        .await?;
    if requires_approval && draft.approved_by.is_empty() {
        return Err(ServerError::Forbidden(format!(
            "{} requires approval: waiting for a reviewer other than {} to approve this version",
            draft.environment,
            draft.preparers.join(", ")
        )));
    }
    if let Err(issues) = check_body(&draft.target, &draft.record, &ValidationContext::now()) {
        let first = issues.first().map(|i| (i.path.clone(), i.message.clone())).unwrap_or_default();
        return Err(ServerError::Invalid {
            field: first.0,
            message: format!("the record has {} problem(s); the first: {}", issues.len(), first.1),
        });
    }
    let entry = Uuid::new_v4();
    let now = Utc::now();
    audit::append(
        &mut tx,
        &person.subject,
        "submission_queued",
        &json!({"draft": id.to_string(), "version": draft.version, "entry": entry.to_string(), "approved_by": draft.approved_by}),
    )
    .await?;
    sqlx::query(
        "INSERT INTO outbox (id, draft_id, version, environment, target, base_record, record, state, not_before, queued_by, queued_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'queued', $8, $9, $8)",
    )
    .bind(entry)
    .bind(id)
    .bind(draft.version)
    .bind(&draft.environment)
    .bind(serde_json::to_value(&draft.target).unwrap_or(Value::Null))
    .bind(&draft.base_record)
    .bind(&draft.record)
    .bind(now)
    .bind(&person.subject)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    entry_for(pool, id, draft.version).await?.ok_or_else(|| ServerError::NotFound(format!("outbox entry {entry}")))
}

async fn entry_for(pool: &PgPool, draft: Uuid, version: i64) -> Result<Option<OutboxView>, ServerError> {
    let row = sqlx::query("SELECT id FROM outbox WHERE draft_id = $1 AND version = $2").bind(draft).bind(version).fetch_optional(pool).await?;
    match row {
        Some(row) => Ok(Some(entry(pool, row.try_get("id")?).await?)),
        None => Ok(None),
    }
}

pub async fn entry(pool: &PgPool, id: Uuid) -> Result<OutboxView, ServerError> {
    let row = sqlx::query(
        "SELECT id, draft_id, version, state, attempts, customer_id, last_error, queued_by, queued_at FROM outbox WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(pool)
    .await?
    .ok_or_else(|| ServerError::NotFound(format!("outbox entry {id}")))?;
    Ok(OutboxView {
        id: row.try_get::<Uuid, _>("id")?.to_string(),
        draft_id: row.try_get::<Uuid, _>("draft_id")?.to_string(),
        version: row.try_get("version")?,
        state: row.try_get("state")?,
        attempts: row.try_get("attempts")?,
        customer_id: row.try_get("customer_id")?,
        last_error: row.try_get("last_error")?,
        queued_by: row.try_get("queued_by")?,
        queued_at: row.try_get("queued_at")?,
    })
}

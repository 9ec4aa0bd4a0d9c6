//! Submitting a draft: only the server sends to the partner. A draft of an environment that
//! requires approval is queued only with an approval of its current version's exact change; its
//! record must pass validation; the same version is queued once.

use std::collections::HashMap;

use chrono::Utc;
use serde_json::{json, Value};
use sqlx::postgres::PgRow;
use sqlx::{PgConnection, PgPool, Row};
use uuid::Uuid;

use kyb_core::outbox::check_body;
use kyb_core::team_wire::TeamOutboxState;
use kyb_core::validation::ValidationContext;

use crate::audit;
use crate::error::ServerError;
use crate::identity::{Person, Role};
use crate::people::Names;

use super::drafts;

/// The version to send; a submission as people see it (the wire contract).
pub use kyb_core::team_wire::{SubmitDraft as Submit, TeamSubmission};

pub async fn submit(pool: &PgPool, person: &Person, id: Uuid, submit: &Submit) -> Result<TeamSubmission, ServerError> {
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

async fn entry_for(pool: &PgPool, draft: Uuid, version: i64) -> Result<Option<TeamSubmission>, ServerError> {
    let row = sqlx::query("SELECT id FROM outbox WHERE draft_id = $1 AND version = $2").bind(draft).bind(version).fetch_optional(pool).await?;
    match row {
        Some(row) => Ok(Some(entry(pool, row.try_get("id")?).await?)),
        None => Ok(None),
    }
}

const ENTRY_COLUMNS: &str = "id, draft_id, version, state, customer_id, last_error, queued_by, queued_at";

/// Outbox entry `id`.
pub async fn entry(pool: &PgPool, id: Uuid) -> Result<TeamSubmission, ServerError> {
    let mut conn = pool.acquire().await?;
    let row = sqlx::query(&format!("SELECT {ENTRY_COLUMNS} FROM outbox WHERE id = $1"))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or_else(|| ServerError::NotFound(format!("outbox entry {id}")))?;
    let mut entries = submissions(&mut conn, vec![row]).await?;
    entries.pop().map(|(_, entry)| entry).ok_or_else(|| ServerError::NotFound(format!("outbox entry {id}")))
}

/// The latest submission of each of `drafts` (drafts never submitted are left out).
pub async fn latest_of(conn: &mut PgConnection, drafts: &[Uuid]) -> Result<HashMap<Uuid, TeamSubmission>, ServerError> {
    let rows = sqlx::query(&format!(
        "SELECT DISTINCT ON (draft_id) {ENTRY_COLUMNS} FROM outbox WHERE draft_id = ANY($1) ORDER BY draft_id, queued_at DESC, version DESC"
    ))
    .bind(drafts)
    .fetch_all(&mut *conn)
    .await?;
    Ok(submissions(conn, rows).await?.into_iter().collect())
}

/// The latest submission of draft `draft`, if it was submitted.
pub async fn latest(pool: &PgPool, draft: Uuid) -> Result<Option<TeamSubmission>, ServerError> {
    let mut conn = pool.acquire().await?;
    sqlx::query("SELECT 1 FROM drafts WHERE id = $1")
        .bind(draft)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or_else(|| ServerError::NotFound(format!("draft {draft}")))?;
    Ok(latest_of(&mut conn, &[draft]).await?.remove(&draft))
}

async fn submissions(conn: &mut PgConnection, rows: Vec<PgRow>) -> Result<Vec<(Uuid, TeamSubmission)>, ServerError> {
    let queued_by: Vec<String> = rows.iter().map(|row| row.try_get("queued_by")).collect::<Result<_, _>>()?;
    let names = Names::of(conn, &queued_by).await?;
    rows.into_iter()
        .map(|row| {
            let state: String = row.try_get("state")?;
            let last_error: Option<Value> = row.try_get("last_error")?;
            let submission = TeamSubmission {
                outbox_id: row.try_get::<Uuid, _>("id")?.to_string(),
                version: row.try_get("version")?,
                // The table's CHECK allows only the six states; anything else would be a newer
                // server's, and reads as still on its way.
                state: TeamOutboxState::from_name(&state).unwrap_or(TeamOutboxState::Queued),
                customer_id: row.try_get("customer_id")?,
                error: last_error.as_ref().map(error_text),
                queued_by: names.name(&row.try_get::<String, _>("queued_by")?),
                queued_at: row.try_get("queued_at")?,
            };
            Ok((row.try_get("draft_id")?, submission))
        })
        .collect()
}

/// The words of an attempt's error (`{kind, message?, problems?}` as the outbox keeps it).
fn error_text(error: &Value) -> String {
    let message = error["message"].as_str().map(str::to_owned).unwrap_or_else(|| error["kind"].as_str().unwrap_or("failed").replace('_', " "));
    match error["problems"].as_array() {
        Some(problems) if !problems.is_empty() => format!("{message} ({} problem(s) in the record)", problems.len()),
        _ => message,
    }
}

//! Drafts on the server: created and pushed by signed-in people. A push names the version it
//! started from (a stale push is refused with the current version, so the desktop can merge) and
//! carries an idempotency key (the same push twice is applied once). Only a push that changes the
//! record makes its author a preparer.

use chrono::Utc;
use serde_json::{json, Value};
use sqlx::{PgPool, Row};
use uuid::Uuid;

use kyb_core::team_approval::SignedApproval;

use crate::audit;
use crate::error::ServerError;
use crate::identity::{Person, Role};

/// A new draft and a change to one, as the desktop sends them; a draft as the server has it
/// (the wire contract, kyb_core::team_wire).
pub use kyb_core::team_wire::{DraftPush as Push, NewTeamDraft as NewDraft, TeamDraft};

pub(crate) fn require_officer(person: &Person) -> Result<(), ServerError> {
    if person.has(Role::Officer) || person.has(Role::Reviewer) {
        Ok(())
    } else {
        Err(ServerError::Forbidden(format!("{} has neither the officer nor the reviewer role: drafts are read-only for them", person.name)))
    }
}

fn check_key(key: &str) -> Result<(), ServerError> {
    if (8..=200).contains(&key.len()) {
        Ok(())
    } else {
        Err(ServerError::Invalid { field: "idempotency_key".into(), message: "an idempotency key is 8 to 200 characters".into() })
    }
}

pub async fn create(pool: &PgPool, person: &Person, draft: &NewDraft) -> Result<TeamDraft, ServerError> {
    require_officer(person)?;
    check_key(&draft.idempotency_key)?;
    if let Some(id) = pushed(pool, &draft.idempotency_key).await? {
        return get(pool, id).await;
    }
    let id = Uuid::new_v4();
    let now = Utc::now();
    let target = serde_json::to_value(&draft.target).unwrap_or(Value::Null);
    let mut tx = pool.begin().await?;
    audit::append(&mut tx, &person.subject, "draft_created", &json!({"draft": id.to_string(), "environment": draft.environment, "target": target}))
        .await?;
    sqlx::query(
        "INSERT INTO drafts (id, environment, target, base_record, record, version, created_by, created_at, updated_by, updated_at)
         VALUES ($1, $2, $3, $4, $5, 1, $6, $7, $6, $7)",
    )
    .bind(id)
    .bind(&draft.environment)
    .bind(&target)
    .bind(&draft.base_record)
    .bind(&draft.record)
    .bind(&person.subject)
    .bind(now)
    .execute(&mut *tx)
    .await
    .map_err(|err| match err.as_database_error().and_then(|e| e.code()).as_deref() {
        Some("23503") => ServerError::Invalid { field: "environment".into(), message: format!("no environment named {}", draft.environment) },
        _ => ServerError::Database(err),
    })?;
    if draft.record != draft.base_record {
        add_preparer(&mut tx, id, &person.subject).await?;
    }
    record_push(&mut tx, &draft.idempotency_key, id, 1, &person.subject).await?;
    tx.commit().await?;
    get(pool, id).await
}

pub async fn push(pool: &PgPool, person: &Person, id: Uuid, push: &Push) -> Result<TeamDraft, ServerError> {
    require_officer(person)?;
    check_key(&push.idempotency_key)?;
    if pushed(pool, &push.idempotency_key).await?.is_some() {
        return get(pool, id).await;
    }
    let mut tx = pool.begin().await?;
    let row = sqlx::query("SELECT version, record FROM drafts WHERE id = $1 FOR UPDATE")
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| ServerError::NotFound(format!("draft {id}")))?;
    let current: i64 = row.try_get("version")?;
    let stored: Value = row.try_get("record")?;
    if current != push.base_version {
        return Err(ServerError::Stale { given: push.base_version, current });
    }
    if stored == push.record {
        // Nothing changed: no new version, nobody becomes a preparer, approvals stand.
        record_push(&mut tx, &push.idempotency_key, id, current, &person.subject).await?;
        tx.commit().await?;
        return get(pool, id).await;
    }
    let version = current + 1;
    audit::append(&mut tx, &person.subject, "draft_changed", &json!({"draft": id.to_string(), "version": version})).await?;
    sqlx::query("UPDATE drafts SET record = $2, version = $3, updated_by = $4, updated_at = $5 WHERE id = $1")
        .bind(id)
        .bind(&push.record)
        .bind(version)
        .bind(&person.subject)
        .bind(Utc::now())
        .execute(&mut *tx)
        .await?;
    add_preparer(&mut tx, id, &person.subject).await?;
    record_push(&mut tx, &push.idempotency_key, id, version, &person.subject).await?;
    tx.commit().await?;
    get(pool, id).await
}

pub async fn get(pool: &PgPool, id: Uuid) -> Result<TeamDraft, ServerError> {
    let mut conn = pool.acquire().await?;
    get_in(&mut conn, id).await
}

/// [`get`] on a connection the caller holds (inside its transaction: a second connection from
/// the pool while holding one could wait forever under load).
pub async fn get_in(conn: &mut sqlx::PgConnection, id: Uuid) -> Result<TeamDraft, ServerError> {
    let row = sqlx::query("SELECT environment, target, base_record, record, version, updated_by, updated_at FROM drafts WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or_else(|| ServerError::NotFound(format!("draft {id}")))?;
    let version: i64 = row.try_get("version")?;
    let base_record: Value = row.try_get("base_record")?;
    let record: Value = row.try_get("record")?;
    let target: Value = row.try_get("target")?;
    let preparers: Vec<String> = sqlx::query_scalar("SELECT subject FROM draft_preparers WHERE draft_id = $1 ORDER BY subject")
        .bind(id)
        .fetch_all(&mut *conn)
        .await?;
    let hash = super::change_hash(&base_record, &record);
    let rows = sqlx::query(
        "SELECT approved_by, approved_at, server_key, signature FROM approvals
         WHERE draft_id = $1 AND version = $2 AND change_hash = $3 ORDER BY approved_at",
    )
    .bind(id)
    .bind(version)
    .bind(hash.as_slice())
    .fetch_all(&mut *conn)
    .await?;
    let mut approvals = Vec::new();
    for row in rows {
        approvals.push(SignedApproval {
            draft_id: id.to_string(),
            version,
            change_hash: hex::encode(hash),
            approved_by: row.try_get("approved_by")?,
            approved_at: row.try_get("approved_at")?,
            server_key: row.try_get("server_key")?,
            signature: row.try_get("signature")?,
        });
    }
    let approved_by = approvals.iter().map(|a| a.approved_by.clone()).collect();
    Ok(TeamDraft {
        id: id.to_string(),
        environment: row.try_get("environment")?,
        target: serde_json::from_value(target).map_err(|_| ServerError::NotFound(format!("a readable target of draft {id}")))?,
        base_record,
        record,
        version,
        preparers,
        approved_by,
        approvals,
        change_hash: hex::encode(hash),
        updated_by: row.try_get("updated_by")?,
        updated_at: row.try_get("updated_at")?,
    })
}

async fn pushed(pool: &PgPool, key: &str) -> Result<Option<Uuid>, ServerError> {
    Ok(sqlx::query_scalar("SELECT draft_id FROM draft_pushes WHERE idempotency_key = $1").bind(key).fetch_optional(pool).await?)
}

async fn add_preparer(tx: &mut sqlx::PgConnection, id: Uuid, subject: &str) -> Result<(), ServerError> {
    sqlx::query("INSERT INTO draft_preparers (draft_id, subject) VALUES ($1, $2) ON CONFLICT DO NOTHING")
        .bind(id)
        .bind(subject)
        .execute(&mut *tx)
        .await?;
    Ok(())
}

async fn record_push(tx: &mut sqlx::PgConnection, key: &str, id: Uuid, version: i64, subject: &str) -> Result<(), ServerError> {
    sqlx::query("INSERT INTO draft_pushes (idempotency_key, draft_id, version, pushed_by, pushed_at) VALUES ($1, $2, $3, $4, $5)")
        .bind(key)
        .bind(id)
        .bind(version)
        .bind(subject)
        .bind(Utc::now())
        .execute(&mut *tx)
        .await?;
    Ok(())
}

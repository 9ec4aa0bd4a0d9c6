//! The review workflow around a draft: a reviewer's decision on each document (four-eyes: never
//! by a preparer), who the draft is assigned to, and who is working on it now. Decisions and
//! assignments are audited in the same transaction; presence is not (it changes nothing).

use chrono::Utc;
use serde_json::json;
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use kyb_core::review::Decision;
use kyb_core::team_wire::{DecideDocument, TeamDocument, TeamDraftSummary};

use crate::audit;
use crate::error::ServerError;
use crate::identity::{Person, Role};

use super::documents::{self, name_of};
use super::drafts::require_officer;
use super::summaries;

/// Record `person`'s decision on document `file_id` of draft `draft`.
pub async fn decide(pool: &PgPool, person: &Person, draft: Uuid, file_id: &str, request: &DecideDocument) -> Result<TeamDocument, ServerError> {
    if !person.has(Role::Reviewer) {
        return Err(ServerError::Forbidden(format!("{} does not have the reviewer role: only a reviewer decides on documents", person.name)));
    }
    let decided = request.checked().map_err(|problem| ServerError::Invalid { field: problem.field.into(), message: problem.message })?;
    let mut tx = pool.begin().await?;
    // Lock the draft: a push that makes the reviewer a preparer cannot slip in between.
    sqlx::query("SELECT 1 FROM drafts WHERE id = $1 FOR UPDATE")
        .bind(draft)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| ServerError::NotFound(format!("draft {draft}")))?;
    if !documents::has_document(&mut tx, draft, file_id).await? {
        return Err(ServerError::NotFound(format!("document {file_id} of draft {draft}")));
    }
    let prepared: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM draft_preparers WHERE draft_id = $1 AND subject = $2)")
        .bind(draft)
        .bind(&person.subject)
        .fetch_one(&mut *tx)
        .await?;
    if prepared {
        return Err(ServerError::Forbidden(format!(
            "{} changed this draft, so cannot decide on its documents: another reviewer must (four-eyes)",
            person.name
        )));
    }
    let decision = name_of(&decided.decision);
    let reason = decided.reason.as_ref().map(name_of);
    audit::append(
        &mut tx,
        &person.subject,
        "document_decided",
        &json!({"draft": draft.to_string(), "file_id": file_id, "decision": decision, "reason": reason, "note": decided.note}),
    )
    .await?;
    sqlx::query(
        "INSERT INTO document_decisions (draft_id, file_id, decision, reason, note, decided_by, decided_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (draft_id, file_id) DO UPDATE SET decision = EXCLUDED.decision, reason = EXCLUDED.reason, note = EXCLUDED.note,
             decided_by = EXCLUDED.decided_by, decided_at = EXCLUDED.decided_at",
    )
    .bind(draft)
    .bind(file_id)
    .bind(&decision)
    .bind(&reason)
    .bind(&decided.note)
    .bind(&person.subject)
    .bind(Utc::now())
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    documents::one(pool, draft, file_id).await
}

/// Why the documents of draft `draft` do not let it be approved yet (each must be decided and
/// accepted), naming the files; `None` when they all are (or it has none).
pub async fn documents_not_accepted(conn: &mut PgConnection, draft: Uuid) -> Result<Option<String>, ServerError> {
    let mut problems = Vec::new();
    for (file, decision) in documents::all_in(conn, draft).await? {
        match decision {
            None => problems.push(format!("{file} has no decision yet")),
            Some(Decision::Verified) => {}
            Some(decision) => problems.push(format!("{file} is not accepted ({})", name_of(&decision).replace('_', " "))),
        }
    }
    Ok((!problems.is_empty()).then(|| format!("every document must be accepted before approval: {}", problems.join("; "))))
}

/// Assign draft `draft` to `person`.
pub async fn assign_to(pool: &PgPool, person: &Person, draft: Uuid) -> Result<TeamDraftSummary, ServerError> {
    require_officer(person)?;
    let mut tx = pool.begin().await?;
    sqlx::query("SELECT 1 FROM drafts WHERE id = $1 FOR UPDATE")
        .bind(draft)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| ServerError::NotFound(format!("draft {draft}")))?;
    audit::append(&mut tx, &person.subject, "draft_assigned", &json!({"draft": draft.to_string(), "assigned_to": person.subject})).await?;
    sqlx::query("UPDATE drafts SET assigned_to = $2 WHERE id = $1").bind(draft).bind(&person.subject).execute(&mut *tx).await?;
    tx.commit().await?;
    summaries::one(pool, draft).await
}

/// `person` is working on draft `draft` now.
pub async fn working(pool: &PgPool, person: &Person, draft: Uuid) -> Result<(), ServerError> {
    require_officer(person)?;
    sqlx::query(
        "INSERT INTO draft_presence (draft_id, subject, seen_at) VALUES ($1, $2, $3)
         ON CONFLICT (draft_id, subject) DO UPDATE SET seen_at = EXCLUDED.seen_at",
    )
    .bind(draft)
    .bind(&person.subject)
    .bind(Utc::now())
    .execute(pool)
    .await
    .map_err(|err| match err.as_database_error().and_then(|e| e.code()).as_deref() {
        Some("23503") => ServerError::NotFound(format!("draft {draft}")),
        _ => ServerError::Database(err),
    })?;
    Ok(())
}

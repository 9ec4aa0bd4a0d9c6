//! Drafts as lists show them: who prepared, approved, holds and is working on each, and where its
//! latest submission stands, named by display name; and the queues a person works from.

use std::collections::HashMap;

use sqlx::{PgConnection, PgPool, Row};
use uuid::Uuid;

use kyb_core::team_wire::{TeamDraftSummary, TeamQueue, WORKING_NOW_SECONDS};

use crate::error::ServerError;
use crate::identity::{Person, Role};
use crate::people::Names;

use super::submit;

/// The longest list answered.
pub const MAX_LISTED: i64 = 500;

/// The drafts of `queue` for `person`, newest change first.
pub async fn list(pool: &PgPool, person: &Person, queue: TeamQueue) -> Result<Vec<TeamDraftSummary>, ServerError> {
    if queue == TeamQueue::WaitingForMyReview && !person.has(Role::Reviewer) {
        return Ok(Vec::new());
    }
    let mut conn = pool.acquire().await?;
    summaries(&mut conn, queue, &person.subject, None).await
}

/// Draft `id` as lists show it.
pub async fn one(pool: &PgPool, id: Uuid) -> Result<TeamDraftSummary, ServerError> {
    let mut conn = pool.acquire().await?;
    summaries(&mut conn, TeamQueue::All, "", Some(id)).await?.pop().ok_or_else(|| ServerError::NotFound(format!("draft {id}")))
}

async fn summaries(conn: &mut PgConnection, queue: TeamQueue, subject: &str, only: Option<Uuid>) -> Result<Vec<TeamDraftSummary>, ServerError> {
    // Waiting for my review: approval required, a real change, not prepared or approved (this
    // version) by me, this version not submitted yet.
    let rows = sqlx::query(
        "SELECT d.id, d.environment, d.target, d.version, d.updated_by, d.updated_at, d.assigned_to, e.requires_approval
         FROM drafts d JOIN environments e ON e.name = d.environment
         WHERE ($3::uuid IS NULL OR d.id = $3) AND CASE $1
            WHEN 'mine' THEN d.assigned_to = $2 OR EXISTS (SELECT 1 FROM draft_preparers p WHERE p.draft_id = d.id AND p.subject = $2)
            WHEN 'waiting_for_my_review' THEN e.requires_approval AND d.record <> d.base_record
                AND EXISTS (SELECT 1 FROM draft_preparers p WHERE p.draft_id = d.id)
                AND NOT EXISTS (SELECT 1 FROM draft_preparers p WHERE p.draft_id = d.id AND p.subject = $2)
                AND NOT EXISTS (SELECT 1 FROM approvals a WHERE a.draft_id = d.id AND a.version = d.version AND a.approved_by = $2)
                AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.draft_id = d.id AND o.version = d.version)
            ELSE TRUE END
         ORDER BY d.updated_at DESC, d.id LIMIT $4",
    )
    .bind(queue.as_str())
    .bind(subject)
    .bind(only)
    .bind(MAX_LISTED)
    .fetch_all(&mut *conn)
    .await?;
    let ids: Vec<Uuid> = rows.iter().map(|row| row.try_get("id")).collect::<Result<_, _>>()?;
    let preparers = grouped(
        sqlx::query_as("SELECT draft_id, subject FROM draft_preparers WHERE draft_id = ANY($1) ORDER BY subject")
            .bind(&ids)
            .fetch_all(&mut *conn)
            .await?,
    );
    let approvers = grouped(
        sqlx::query_as(
            "SELECT a.draft_id, a.approved_by FROM approvals a JOIN drafts d ON d.id = a.draft_id AND d.version = a.version
             WHERE a.draft_id = ANY($1) ORDER BY a.approved_at",
        )
        .bind(&ids)
        .fetch_all(&mut *conn)
        .await?,
    );
    let working = grouped(
        sqlx::query_as(
            "SELECT draft_id, subject FROM draft_presence
             WHERE draft_id = ANY($1) AND seen_at > now() - make_interval(secs => $2) ORDER BY seen_at DESC",
        )
        .bind(&ids)
        .bind(WORKING_NOW_SECONDS as f64)
        .fetch_all(&mut *conn)
        .await?,
    );
    let mut submissions = submit::latest_of(conn, &ids).await?;
    let mut people: Vec<String> = preparers.values().chain(approvers.values()).chain(working.values()).flatten().cloned().collect();
    for row in &rows {
        people.push(row.try_get("updated_by")?);
        people.extend(row.try_get::<Option<String>, _>("assigned_to")?);
    }
    let names = Names::of(conn, &people).await?;
    let none = Vec::new();
    rows.into_iter()
        .map(|row| {
            let id: Uuid = row.try_get("id")?;
            let target: serde_json::Value = row.try_get("target")?;
            Ok(TeamDraftSummary {
                id: id.to_string(),
                environment: row.try_get("environment")?,
                target: serde_json::from_value(target).map_err(|_| ServerError::NotFound(format!("a readable target of draft {id}")))?,
                version: row.try_get("version")?,
                preparers: names.names(preparers.get(&id).unwrap_or(&none)),
                approved_by: names.names(approvers.get(&id).unwrap_or(&none)),
                requires_approval: row.try_get("requires_approval")?,
                assigned_to: row.try_get::<Option<String>, _>("assigned_to")?.map(|subject| names.name(&subject)),
                working_now: names.names(working.get(&id).unwrap_or(&none)),
                updated_by: names.name(&row.try_get::<String, _>("updated_by")?),
                updated_at: row.try_get("updated_at")?,
                submission: submissions.remove(&id),
            })
        })
        .collect()
}

fn grouped(rows: Vec<(Uuid, String)>) -> HashMap<Uuid, Vec<String>> {
    let mut groups: HashMap<Uuid, Vec<String>> = HashMap::new();
    for (id, subject) in rows {
        groups.entry(id).or_default().push(subject);
    }
    groups
}

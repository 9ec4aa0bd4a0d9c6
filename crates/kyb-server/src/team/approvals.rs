//! Four-eyes, enforced by the server: an approval is given by a signed-in reviewer who never
//! changed the draft, for the version and the exact change (its hash) they saw. A later edit
//! makes a new version, which no earlier approval covers.

use chrono::Utc;
use ed25519_dalek::SigningKey;
use kyb_core::team_approval::SignedApproval;
use serde_json::json;
use sqlx::PgPool;
use uuid::Uuid;

use crate::audit;
use crate::error::ServerError;
use crate::identity::{Person, Role};

use super::drafts::{self, TeamDraft};

/// What the reviewer saw (the wire contract).
pub use kyb_core::team_wire::ApproveDraft as Approve;

pub async fn approve(pool: &PgPool, server_key: &SigningKey, person: &Person, id: Uuid, approve: &Approve) -> Result<TeamDraft, ServerError> {
    if !person.has(Role::Reviewer) {
        return Err(ServerError::Forbidden(format!("{} does not have the reviewer role: only a reviewer can approve", person.name)));
    }
    let mut tx = pool.begin().await?;
    // Lock the draft: no push can slip between the checks and the approval.
    sqlx::query("SELECT 1 FROM drafts WHERE id = $1 FOR UPDATE").bind(id).fetch_optional(&mut *tx).await?;
    let draft = drafts::get_in(&mut tx, id).await?;
    if draft.version != approve.version {
        return Err(ServerError::Stale { given: approve.version, current: draft.version });
    }
    if draft.change_hash != approve.change_hash {
        return Err(ServerError::Invalid {
            field: "change_hash".into(),
            message: "the change you reviewed is not the draft's change: reload it and review again".into(),
        });
    }
    if draft.preparers.iter().any(|p| p == &person.subject) {
        return Err(ServerError::Forbidden(format!(
            "{} changed this draft, so cannot approve it: another reviewer must (four-eyes)",
            person.name
        )));
    }
    if draft.preparers.is_empty() {
        return Err(ServerError::Invalid { field: "record".into(), message: "the draft changes nothing: there is nothing to approve".into() });
    }
    // An approval covers the documents the reviewer checked: each must be decided and accepted.
    if let Some(refusal) = super::review::documents_not_accepted(&mut tx, id).await? {
        return Err(ServerError::Invalid { field: "documents".into(), message: refusal });
    }
    audit::append(&mut tx, &person.subject, "draft_approved", &json!({"draft": id.to_string(), "version": draft.version, "change_hash": draft.change_hash}))
        .await?;
    let hash = hex::decode(&draft.change_hash).unwrap_or_default();
    let signed = SignedApproval::sign(server_key, &draft.id, draft.version, &draft.change_hash, &person.subject, Utc::now());
    sqlx::query(
        "INSERT INTO approvals (draft_id, version, change_hash, approved_by, approved_at, server_key, signature)
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING",
    )
    .bind(id)
    .bind(draft.version)
    .bind(hash)
    .bind(&person.subject)
    .bind(signed.approved_at)
    .bind(&signed.server_key)
    .bind(&signed.signature)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    drafts::get(pool, id).await
}

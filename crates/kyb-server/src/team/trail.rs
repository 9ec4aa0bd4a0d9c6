//! The audit trail as people read it: entries in order with the actor's display name, the draft
//! each is about, its details and its chain hash (verifiable against a signed checkpoint).

use serde_json::Value;
use sqlx::{PgPool, Row};
use uuid::Uuid;

use kyb_core::team_wire::TeamTrailEntry;

use crate::error::ServerError;
use crate::people::Names;

/// The most entries answered (the newest ones).
pub const MAX_ENTRIES: i64 = 1000;

/// The trail of draft `draft` (the whole trail when `None`), oldest first.
pub async fn entries(pool: &PgPool, draft: Option<Uuid>) -> Result<Vec<TeamTrailEntry>, ServerError> {
    let mut conn = pool.acquire().await?;
    let mut rows = sqlx::query(
        "SELECT seq, at, actor, action, detail, hash FROM audit_entries
         WHERE $1::text IS NULL OR (detail::jsonb ->> 'draft') = $1 ORDER BY seq DESC LIMIT $2",
    )
    .bind(draft.map(|id| id.to_string()))
    .bind(MAX_ENTRIES)
    .fetch_all(&mut *conn)
    .await?;
    rows.reverse();
    let actors: Vec<String> = rows.iter().map(|row| row.try_get("actor")).collect::<Result<_, _>>()?;
    let names = Names::of(&mut conn, &actors).await?;
    rows.into_iter()
        .map(|row| {
            let detail: String = row.try_get("detail")?;
            let details: Value = serde_json::from_str(&detail).unwrap_or(Value::String(detail));
            Ok(TeamTrailEntry {
                seq: row.try_get("seq")?,
                at: row.try_get("at")?,
                actor: names.name(&row.try_get::<String, _>("actor")?),
                action: row.try_get("action")?,
                draft: details["draft"].as_str().map(str::to_owned),
                details,
                hash: hex::encode(row.try_get::<Vec<u8>, _>("hash")?),
            })
        })
        .collect()
}

//! The team's audit trail in PostgreSQL: each entry's hash covers the previous hash and the
//! entry, so any changed, removed or reordered row breaks the chain. Appends are serialised by a
//! transaction-scoped advisory lock, so several server instances keep one chain; an append runs
//! in the caller's transaction, so an action and its entry commit together or not at all.

use chrono::{DateTime, SubsecRound, Utc};
use serde::Serialize;
use sha2::{Digest, Sha256};
use sqlx::{PgConnection, PgPool, Row};

use crate::error::ServerError;

/// Key of the advisory lock that serialises appends (any constant unique to this use).
const APPEND_LOCK: i64 = 0x4B59_4244_0001;
/// The hash before the first entry.
pub const GENESIS: [u8; 32] = [0; 32];

/// One entry, as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditEntry {
    pub seq: i64,
    pub at: DateTime<Utc>,
    pub actor: String,
    pub action: String,
    /// The JSON text of the action's details, exactly as hashed.
    pub detail: String,
    #[serde(with = "hex::serde")]
    pub prev_hash: [u8; 32],
    #[serde(with = "hex::serde")]
    pub hash: [u8; 32],
}

/// The hash of an entry after `prev_hash`. Fields are length-prefixed, so no two different
/// entries share an encoding.
pub fn entry_hash(prev_hash: &[u8; 32], seq: i64, at: &DateTime<Utc>, actor: &str, action: &str, detail: &str) -> [u8; 32] {
    let mut hasher = Sha256::new();
    hasher.update(b"kyb-desk-server-audit/v1");
    hasher.update(prev_hash);
    hasher.update(seq.to_be_bytes());
    let at = at.to_rfc3339_opts(chrono::SecondsFormat::Micros, true);
    for field in [at.as_str(), actor, action, detail] {
        hasher.update((field.len() as u64).to_be_bytes());
        hasher.update(field.as_bytes());
    }
    hasher.finalize().into()
}

/// Append an entry inside the caller's transaction (`conn` is the transaction's connection).
pub async fn append(conn: &mut PgConnection, actor: &str, action: &str, detail: &serde_json::Value) -> Result<AuditEntry, ServerError> {
    sqlx::query("SELECT pg_advisory_xact_lock($1)").bind(APPEND_LOCK).execute(&mut *conn).await?;
    let head = sqlx::query("SELECT seq, hash FROM audit_entries ORDER BY seq DESC LIMIT 1").fetch_optional(&mut *conn).await?;
    let (prev_seq, prev_hash) = match head {
        Some(row) => (row.try_get::<i64, _>("seq")?, to_hash(row.try_get::<Vec<u8>, _>("hash")?)),
        None => (0, GENESIS),
    };
    // PostgreSQL keeps microseconds: hash what will be read back.
    let at = Utc::now().trunc_subsecs(6);
    let detail = detail.to_string();
    let seq = prev_seq + 1;
    let hash = entry_hash(&prev_hash, seq, &at, actor, action, &detail);
    sqlx::query("INSERT INTO audit_entries (seq, at, actor, action, detail, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7)")
        .bind(seq)
        .bind(at)
        .bind(actor)
        .bind(action)
        .bind(&detail)
        .bind(prev_hash.as_slice())
        .bind(hash.as_slice())
        .execute(&mut *conn)
        .await?;
    Ok(AuditEntry { seq, at, actor: actor.to_owned(), action: action.to_owned(), detail, prev_hash, hash })
}

/// Append one entry in its own transaction.
pub async fn record(pool: &PgPool, actor: &str, action: &str, detail: &serde_json::Value) -> Result<AuditEntry, ServerError> {
    let mut tx = pool.begin().await?;
    let entry = append(&mut tx, actor, action, detail).await?;
    tx.commit().await?;
    Ok(entry)
}

/// What a walk over the whole chain found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChainReport {
    pub entries: u64,
    /// The last entry's sequence number and hash.
    pub head: Option<(i64, String)>,
    pub problems: Vec<ChainProblem>,
}

impl ChainReport {
    pub fn intact(&self) -> bool {
        self.problems.is_empty()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ChainProblem {
    /// A sequence number is missing before `seq`.
    Gap { seq: i64 },
    /// The entry does not follow the previous entry's hash.
    BrokenLink { seq: i64 },
    /// The entry's content does not match its hash.
    Altered { seq: i64 },
}

/// Walk the chain from the first entry.
pub async fn verify(pool: &PgPool) -> Result<ChainReport, ServerError> {
    let entries = entries_from(pool, 1).await?;
    let mut report = ChainReport { entries: 0, head: None, problems: Vec::new() };
    let mut expected_seq = 1;
    let mut prev_hash = GENESIS;
    for entry in entries {
        if entry.seq != expected_seq {
            report.problems.push(ChainProblem::Gap { seq: entry.seq });
        }
        if entry.prev_hash != prev_hash {
            report.problems.push(ChainProblem::BrokenLink { seq: entry.seq });
        }
        if entry_hash(&entry.prev_hash, entry.seq, &entry.at, &entry.actor, &entry.action, &entry.detail) != entry.hash {
            report.problems.push(ChainProblem::Altered { seq: entry.seq });
        }
        expected_seq = entry.seq + 1;
        prev_hash = entry.hash;
        report.entries += 1;
        report.head = Some((entry.seq, hex::encode(entry.hash)));
    }
    Ok(report)
}

/// Entries from `seq` on, in order.
pub async fn entries_from(pool: &PgPool, seq: i64) -> Result<Vec<AuditEntry>, ServerError> {
    let rows = sqlx::query("SELECT seq, at, actor, action, detail, prev_hash, hash FROM audit_entries WHERE seq >= $1 ORDER BY seq")
        .bind(seq)
        .fetch_all(pool)
        .await?;
    rows.into_iter()
        .map(|row| {
            Ok(AuditEntry {
                seq: row.try_get("seq")?,
                at: row.try_get("at")?,
                actor: row.try_get("actor")?,
                action: row.try_get("action")?,
                detail: row.try_get("detail")?,
                prev_hash: to_hash(row.try_get("prev_hash")?),
                hash: to_hash(row.try_get("hash")?),
            })
        })
        .collect()
}

/// The table's CHECK keeps hashes at 32 bytes; anything else reads as all zeroes and so fails
/// verification instead of panicking.
fn to_hash(bytes: Vec<u8>) -> [u8; 32] {
    bytes.try_into().unwrap_or([0xFF; 32])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hash_covers_every_field_and_the_previous_hash() {
        let at = Utc::now().trunc_subsecs(6);
        let base = entry_hash(&GENESIS, 1, &at, "olivia", "approve", "{}");
        assert_ne!(base, entry_hash(&[1; 32], 1, &at, "olivia", "approve", "{}"));
        assert_ne!(base, entry_hash(&GENESIS, 2, &at, "olivia", "approve", "{}"));
        assert_ne!(base, entry_hash(&GENESIS, 1, &at, "olivi", "aapprove", "{}"), "fields are length-prefixed");
        assert_ne!(base, entry_hash(&GENESIS, 1, &at, "olivia", "approve", "{\"a\":1}"));
        assert_eq!(base, entry_hash(&GENESIS, 1, &at, "olivia", "approve", "{}"));
    }
}
